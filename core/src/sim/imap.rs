//! The last hop, the other way: the recipient's mail client reads the mailbox with IMAP
//! (RFC 9051, IMAP4rev2). Unlike POP3 the messages stay on the server; reading one sets
//! its `\Seen` flag. A small, correct server for what a reading client needs (CAPABILITY,
//! NOOP, LOGIN, SELECT, EXAMINE, FETCH, LOGOUT) and a client that logs in, selects INBOX,
//! fetches every message and logs out.

use super::mailboxes::{MailReader, MailServer};

/// Octets in a mailbox: messages as stored (CRLF line endings).
type Maildrop = Vec<Vec<u8>>;

const CAPABILITIES: &str = "IMAP4rev2 AUTH=PLAIN";

/// The IMAP connection states (RFC 9051 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    NotAuthenticated,
    Authenticated,
    /// INBOX is selected; `read_only` after EXAMINE.
    Selected {
        read_only: bool,
    },
    Logout,
}

/// An IMAP server session over one user's INBOX.
#[derive(Debug)]
pub(super) struct ImapServer {
    user: String,
    password: String,
    messages: Maildrop,
    seen: Vec<bool>,
    state: State,
}

impl ImapServer {
    pub(super) fn new(user: &str, password: &str, messages: Maildrop) -> Self {
        let seen = vec![false; messages.len()];
        Self {
            user: user.to_owned(),
            password: password.to_owned(),
            messages,
            seen,
            state: State::NotAuthenticated,
        }
    }

    /// The untagged data and the text of the tagged OK, or why not.
    fn respond(&mut self, name: &str, arguments: &[String]) -> Result<(String, String), Refusal> {
        match (self.state, name) {
            (_, "CAPABILITY") => Ok((
                format!("* CAPABILITY {CAPABILITIES}\r\n"),
                "CAPABILITY completed".to_owned(),
            )),
            (_, "NOOP") => Ok((String::new(), "NOOP completed".to_owned())),
            (_, "LOGOUT") => {
                self.state = State::Logout;
                Ok((
                    "* BYE IMAP4rev2 server logging out\r\n".to_owned(),
                    "LOGOUT completed".to_owned(),
                ))
            }
            (State::NotAuthenticated, "LOGIN") => self.login(arguments),
            (State::Authenticated | State::Selected { .. }, "SELECT" | "EXAMINE") => {
                self.select(name == "EXAMINE", arguments)
            }
            (State::Selected { read_only }, "FETCH") => self.fetch(read_only, arguments),
            (_, "LOGIN" | "SELECT" | "EXAMINE" | "FETCH") => Err(Refusal::Bad(format!(
                "{name} is not valid in the {} state",
                self.state_name()
            ))),
            _ => Err(Refusal::Bad(format!("unknown command {name}"))),
        }
    }

    fn state_name(&self) -> &'static str {
        match self.state {
            State::NotAuthenticated => "not authenticated",
            State::Authenticated => "authenticated",
            State::Selected { .. } => "selected",
            State::Logout => "logout",
        }
    }

    /// RFC 9051 §6.2.3.
    fn login(&mut self, arguments: &[String]) -> Result<(String, String), Refusal> {
        let [user, password] = arguments else {
            return Err(Refusal::Bad(
                "LOGIN takes a user name and a password".to_owned(),
            ));
        };
        if *user != self.user || *password != self.password {
            return Err(Refusal::No(
                "[AUTHENTICATIONFAILED] invalid user name or password".to_owned(),
            ));
        }
        self.state = State::Authenticated;
        Ok((String::new(), "LOGIN completed".to_owned()))
    }

    /// RFC 9051 §6.3.2: EXISTS, FLAGS, LIST and the UID and flag codes, then the access.
    fn select(&mut self, examine: bool, arguments: &[String]) -> Result<(String, String), Refusal> {
        let [mailbox] = arguments else {
            return Err(Refusal::Bad("SELECT takes one mailbox name".to_owned()));
        };
        // §5.1: INBOX is case-insensitive; it is the only mailbox here.
        if !mailbox.eq_ignore_ascii_case("INBOX") {
            self.state = State::Authenticated;
            return Err(Refusal::No(format!("[NONEXISTENT] no mailbox {mailbox}")));
        }
        self.state = State::Selected { read_only: examine };
        let count = self.messages.len();
        let untagged = format!(
            "* {count} EXISTS\r\n\
             * OK [UIDVALIDITY 1] UIDs valid\r\n\
             * OK [UIDNEXT {}] Predicted next UID\r\n\
             * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
             * OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n\
             * LIST () \"/\" INBOX\r\n",
            count + 1
        );
        let access = if examine { "READ-ONLY" } else { "READ-WRITE" };
        let command = if examine { "EXAMINE" } else { "SELECT" };
        Ok((untagged, format!("[{access}] {command} completed")))
    }

    /// RFC 9051 §6.4.5, for the data items a reading client asks for: FLAGS, UID,
    /// RFC822.SIZE, BODY[] (which sets `\Seen`) and BODY.PEEK[] (which does not).
    fn fetch(
        &mut self,
        read_only: bool,
        arguments: &[String],
    ) -> Result<(String, String), Refusal> {
        let [set, items] = arguments else {
            return Err(Refusal::Bad(
                "FETCH takes a sequence set and data items".to_owned(),
            ));
        };
        let numbers = sequence_set(set, self.messages.len())
            .ok_or_else(|| Refusal::Bad(format!("invalid sequence set {set}")))?;
        let items = data_items(items)
            .ok_or_else(|| Refusal::Bad(format!("unsupported data items {items}")))?;
        let mut untagged = String::new();
        for number in numbers {
            let index = number - 1;
            let message = self.messages.get(index).cloned().unwrap_or_default();
            let mut parts = Vec::new();
            let mut newly_seen = false;
            if items.contains(&Item::Body)
                && !read_only
                && let Some(seen) = self.seen.get_mut(index)
            {
                newly_seen = !*seen;
                *seen = true;
            }
            // §6.4.5: flags that BODY[] changed are sent along.
            if items.contains(&Item::Flags) || newly_seen {
                parts.push(format!("FLAGS ({})", self.flags(index)));
            }
            if items.contains(&Item::Uid) {
                parts.push(format!("UID {number}"));
            }
            if items.contains(&Item::Size) {
                parts.push(format!("RFC822.SIZE {}", message.len()));
            }
            let literal = items.contains(&Item::Body) || items.contains(&Item::Peek);
            if literal {
                // §4.3: a literal is its length in octets, then the octets, unchanged.
                parts.push(format!("BODY[] {{{}}}\r\n", message.len()));
            }
            untagged.push_str(&format!("* {number} FETCH ({}", parts.join(" ")));
            if literal {
                untagged.push_str(&String::from_utf8_lossy(&message));
            }
            untagged.push_str(")\r\n");
        }
        Ok((untagged, "FETCH completed".to_owned()))
    }

    fn flags(&self, index: usize) -> &'static str {
        if self.seen.get(index).copied().unwrap_or(false) {
            "\\Seen"
        } else {
            ""
        }
    }
}

impl MailServer for ImapServer {
    /// RFC 9051 §7.1.1: the greeting may carry the capabilities, saving a round trip.
    fn greeting(&self) -> String {
        format!("* OK [CAPABILITY {CAPABILITIES}] IMAP4rev2 server ready\r\n")
    }

    /// The mailbox once the session is over: IMAP leaves every message in place.
    fn into_remaining(self) -> Maildrop {
        self.messages
    }

    /// The responses to one command line (without CRLF), the tagged one last.
    fn command(&mut self, line: &str) -> String {
        let mut words = Arguments::new(line);
        let (Some(tag), Some(name)) = (words.next(), words.next()) else {
            return "* BAD expected a tag and a command\r\n".to_owned();
        };
        if !is_tag(&tag) {
            return "* BAD the tag is not valid\r\n".to_owned();
        }
        let name = name.to_ascii_uppercase();
        let arguments: Vec<String> = words.collect();
        match self.respond(&name, &arguments) {
            Ok((untagged, text)) => format!("{untagged}{tag} OK {text}\r\n"),
            Err(Refusal::No(text)) => format!("{tag} NO {text}\r\n"),
            Err(Refusal::Bad(text)) => format!("{tag} BAD {text}\r\n"),
        }
    }
}

/// Why a command did not succeed: `NO` (it failed) or `BAD` (it was wrong), RFC 9051 §7.1.
enum Refusal {
    No(String),
    Bad(String),
}

/// The data items the server knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Flags,
    Uid,
    Size,
    Body,
    Peek,
}

/// `FLAGS`, `BODY[]` or a parenthesised list of items.
fn data_items(text: &str) -> Option<Vec<Item>> {
    let inner = text
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or(text);
    inner
        .split_whitespace()
        .map(|item| match item.to_ascii_uppercase().as_str() {
            "FLAGS" => Some(Item::Flags),
            "UID" => Some(Item::Uid),
            "RFC822.SIZE" => Some(Item::Size),
            "BODY[]" => Some(Item::Body),
            "BODY.PEEK[]" => Some(Item::Peek),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .filter(|items| !items.is_empty())
}

/// RFC 9051 §9 `sequence-set`: `3`, `1:4`, `2:*`, `1,3:5`; every number must exist
/// (`*` is the last message). The numbers, ascending, without repeats.
fn sequence_set(text: &str, count: usize) -> Option<Vec<usize>> {
    let number = |part: &str| -> Option<usize> {
        let value = if part == "*" {
            count
        } else {
            part.parse().ok()?
        };
        (1..=count).contains(&value).then_some(value)
    };
    let mut numbers = Vec::new();
    for range in text.split(',') {
        let (first, last) = range.split_once(':').unwrap_or((range, range));
        let (first, last) = (number(first)?, number(last)?);
        numbers.extend(first.min(last)..=first.max(last));
    }
    numbers.sort_unstable();
    numbers.dedup();
    Some(numbers)
}

/// RFC 9051 §9 `tag`: ASTRING-CHAR except `+`.
fn is_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.bytes().all(|byte| {
            byte.is_ascii_graphic()
                && !matches!(byte, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b'+')
        })
}

/// The words of a command line: atoms, quoted strings (RFC 9051 §4.3, unquoted) and
/// parenthesised lists (kept whole).
struct Arguments<'a> {
    rest: &'a str,
}

impl<'a> Arguments<'a> {
    fn new(line: &'a str) -> Self {
        Self { rest: line }
    }
}

impl Iterator for Arguments<'_> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        self.rest = self.rest.trim_start_matches(' ');
        let mut chars = self.rest.char_indices();
        let (_, first) = chars.next()?;
        let (word, end) = match first {
            '"' => {
                let mut word = String::new();
                let mut escaped = false;
                let mut end = self.rest.len();
                for (at, c) in chars {
                    match (escaped, c) {
                        (false, '\\') => escaped = true,
                        (false, '"') => {
                            end = at + 1;
                            break;
                        }
                        _ => {
                            word.push(c);
                            escaped = false;
                        }
                    }
                }
                (word, end)
            }
            '(' => {
                let end = self.rest.find(')').map_or(self.rest.len(), |at| at + 1);
                (self.rest[..end].to_owned(), end)
            }
            _ => {
                let end = self.rest.find(' ').unwrap_or(self.rest.len());
                (self.rest[..end].to_owned(), end)
            }
        };
        self.rest = &self.rest[end..];
        Some(word)
    }
}

/// The reading client: the next command after the server's responses, or `None` when
/// done.
#[derive(Debug)]
pub(super) struct ImapClient {
    user: String,
    password: String,
    /// Commands sent so far: the tags are `a1`, `a2`, …
    sent: usize,
    last: Option<&'static str>,
    pub(super) fetched: usize,
}

impl ImapClient {
    pub(super) fn new(user: &str, password: &str) -> Self {
        Self {
            user: user.to_owned(),
            password: password.to_owned(),
            sent: 0,
            last: None,
            fetched: 0,
        }
    }
}

impl MailReader for ImapClient {
    /// Reads the responses to the last command and says what to send next.
    fn next_command(&mut self, responses: &str) -> Option<String> {
        let tag = format!("a{}", self.sent);
        let ok = match self.last {
            None => responses.starts_with("* OK"),
            Some(_) => responses
                .lines()
                .any(|line| line.starts_with(&format!("{tag} OK"))),
        };
        let (name, arguments) = match (self.last, ok) {
            (None, true) => ("LOGIN", format!("{} {}", self.user, quoted(&self.password))),
            (Some("LOGIN"), true) => ("SELECT", "INBOX".to_owned()),
            // `*` is the last message (RFC 9051 §9 seq-number).
            (Some("SELECT"), true) if exists(responses) > 0 => {
                ("FETCH", "1:* (FLAGS BODY[])".to_owned())
            }
            (Some("FETCH"), true) => {
                self.fetched = responses
                    .lines()
                    .filter(|line| line.starts_with("* ") && line.contains(" FETCH ("))
                    .count();
                ("LOGOUT", String::new())
            }
            (Some("LOGOUT"), _) => return None,
            _ => ("LOGOUT", String::new()),
        };
        self.sent += 1;
        self.last = Some(name);
        let tag = format!("a{}", self.sent);
        Some(if arguments.is_empty() {
            format!("{tag} {name}")
        } else {
            format!("{tag} {name} {arguments}")
        })
    }

    fn fetched(&self) -> usize {
        self.fetched
    }
}

/// A password as a quoted string, so that any character in it is safe (RFC 9051 §4.3).
fn quoted(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// The `* n EXISTS` count of a SELECT's responses.
fn exists(responses: &str) -> usize {
    responses
        .lines()
        .find_map(|line| {
            line.strip_prefix("* ")?
                .strip_suffix(" EXISTS")?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(messages: Maildrop) -> (Vec<String>, String, ImapServer, ImapClient) {
        let mut server = ImapServer::new("bob", "pw", messages);
        let mut client = ImapClient::new("bob", "pw");
        let mut responses = server.greeting();
        let mut commands = Vec::new();
        let mut transcript = responses.clone();
        while let Some(command) = client.next_command(&responses) {
            responses = server.command(&command);
            transcript.push_str(&format!("{command}\r\n{responses}"));
            commands.push(command);
        }
        (commands, transcript, server, client)
    }

    #[test]
    fn a_client_logs_in_selects_and_fetches_and_the_messages_stay_marked_seen() {
        let messages = vec![
            b"Subject: a\r\n\r\n.dot\r\n".to_vec(),
            b"Subject: b\r\n\r\nx\r\n".to_vec(),
        ];
        let (commands, transcript, mut server, client) = session(messages);
        assert_eq!(
            commands,
            [
                "a1 LOGIN bob \"pw\"",
                "a2 SELECT INBOX",
                "a3 FETCH 1:* (FLAGS BODY[])",
                "a4 LOGOUT"
            ]
        );
        assert_eq!(client.fetched, 2);
        // A literal carries the octets unchanged: no dot-stuffing, unlike POP3 and SMTP.
        assert!(
            transcript.contains(
                "* 1 FETCH (FLAGS (\\Seen) BODY[] {20}\r\nSubject: a\r\n\r\n.dot\r\n)\r\n"
            ),
            "{transcript}"
        );
        assert!(transcript.contains("* 2 EXISTS\r\n"));
        assert!(transcript.contains("a2 OK [READ-WRITE] SELECT completed\r\n"));
        assert!(
            transcript
                .ends_with("* BYE IMAP4rev2 server logging out\r\na4 OK LOGOUT completed\r\n")
        );
        assert_eq!(server.command("a5 NOOP"), "a5 OK NOOP completed\r\n");
        assert_eq!(
            server.into_remaining().len(),
            2,
            "IMAP leaves mail on the server"
        );
    }

    #[test]
    fn an_empty_mailbox_is_selected_and_left_without_a_fetch() {
        let (commands, ..) = session(Vec::new());
        assert_eq!(
            commands,
            ["a1 LOGIN bob \"pw\"", "a2 SELECT INBOX", "a3 LOGOUT"]
        );
    }

    #[test]
    fn wrong_passwords_commands_out_of_state_and_bad_arguments_are_refused() {
        let mut server = ImapServer::new("bob", "p\"w", vec![b"x\r\n".to_vec()]);
        assert_eq!(
            server.command("t1 SELECT INBOX"),
            "t1 BAD SELECT is not valid in the not authenticated state\r\n"
        );
        assert_eq!(
            server.command("t2 LOGIN bob nope"),
            "t2 NO [AUTHENTICATIONFAILED] invalid user name or password\r\n"
        );
        assert_eq!(
            server.command("t3 LOGIN bob \"p\\\"w\""),
            "t3 OK LOGIN completed\r\n"
        );
        assert!(server.command("t4 FETCH 1 BODY[]").starts_with("t4 BAD"));
        assert!(
            server
                .command("t5 SELECT Archive")
                .starts_with("t5 NO [NONEXISTENT]")
        );
        assert!(
            server
                .command("t6 EXAMINE inbox")
                .ends_with("t6 OK [READ-ONLY] EXAMINE completed\r\n")
        );
        assert_eq!(
            server.command("t7 FETCH 1 BODY[]"),
            "t7 OK FETCH completed\r\n".replace("t7", "* 1 FETCH (BODY[] {3}\r\nx\r\n)\r\nt7"),
            "EXAMINE is read-only: no \\Seen"
        );
        assert!(
            server
                .command("t8 FETCH 2 BODY[]")
                .starts_with("t8 BAD invalid sequence set")
        );
        assert!(
            server
                .command("t9 FETCH 1 ENVELOPE")
                .starts_with("t9 BAD unsupported")
        );
        assert_eq!(
            server.command("FETCH"),
            "* BAD expected a tag and a command\r\n"
        );
        assert_eq!(server.command("a+ NOOP"), "* BAD the tag is not valid\r\n");
        assert_eq!(
            server.command("t10 XYZZY"),
            "t10 BAD unknown command XYZZY\r\n"
        );
    }

    #[test]
    fn sequence_sets_follow_the_grammar() {
        assert_eq!(sequence_set("1:*", 3), Some(vec![1, 2, 3]));
        assert_eq!(sequence_set("3:1", 3), Some(vec![1, 2, 3]));
        assert_eq!(sequence_set("2,1,2", 3), Some(vec![1, 2]));
        assert_eq!(sequence_set("*", 2), Some(vec![2]));
        assert_eq!(sequence_set("0", 2), None);
        assert_eq!(sequence_set("4", 3), None);
        assert_eq!(sequence_set("1:x", 3), None);
        assert_eq!(sequence_set("*", 0), None);
    }
}
