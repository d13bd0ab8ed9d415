//! The last hop: the recipient's mail client fetches the message with POP3 (RFC 1939).
//! A minimal, correct server (USER, PASS, STAT, LIST, RETR, DELE, NOOP, RSET, QUIT) and
//! a client that logs in, retrieves and deletes every message, then quits.

use super::mailboxes::{MailReader, MailServer};

/// Octets in a maildrop: messages as stored (CRLF line endings).
type Maildrop = Vec<Vec<u8>>;

/// The POP3 session states (RFC 1939 §3).
#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    /// Waiting for USER (or for PASS after it).
    Authorization {
        user: Option<String>,
    },
    Transaction,
    /// QUIT was answered; deletions are done.
    Update,
}

/// A POP3 server session over one maildrop.
#[derive(Debug)]
pub(super) struct Pop3Server {
    user: String,
    password: String,
    messages: Maildrop,
    deleted: Vec<bool>,
    state: State,
}

impl Pop3Server {
    pub(super) fn new(user: &str, password: &str, messages: Maildrop) -> Self {
        let deleted = vec![false; messages.len()];
        Self {
            user: user.to_owned(),
            password: password.to_owned(),
            messages,
            deleted,
            state: State::Authorization { user: None },
        }
    }

    /// Messages not marked deleted, numbered from 1.
    fn live(&self) -> impl Iterator<Item = (usize, &Vec<u8>)> {
        self.messages
            .iter()
            .zip(&self.deleted)
            .enumerate()
            .filter(|(_, (_, deleted))| !**deleted)
            .map(|(index, (message, _))| (index + 1, message))
    }

    fn totals(&self) -> (usize, usize) {
        self.live().fold((0, 0), |(count, octets), (_, message)| {
            (count + 1, octets + message.len())
        })
    }

    /// The index of live message `argument` (1-based).
    fn message(&self, argument: &str) -> Option<usize> {
        let number: usize = argument.trim().parse().ok()?;
        let index = number.checked_sub(1)?;
        (index < self.messages.len() && !self.deleted.get(index).copied().unwrap_or(true))
            .then_some(index)
    }
}

impl MailServer for Pop3Server {
    fn greeting(&self) -> String {
        "+OK POP3 server ready\r\n".to_owned()
    }

    /// The messages left once the session is over (deleted ones removed).
    fn into_remaining(self) -> Maildrop {
        if self.state != State::Update {
            return self.messages;
        }
        self.messages
            .into_iter()
            .zip(self.deleted)
            .filter(|(_, deleted)| !deleted)
            .map(|(message, _)| message)
            .collect()
    }

    /// The reply to one command line (without CRLF).
    fn command(&mut self, line: &str) -> String {
        let (keyword, argument) = line.split_once(' ').unwrap_or((line, ""));
        let keyword = keyword.to_ascii_uppercase();
        match (&self.state, keyword.as_str()) {
            (State::Authorization { .. }, "USER") => {
                self.state = State::Authorization {
                    user: Some(argument.to_owned()),
                };
                "+OK send PASS\r\n".to_owned()
            }
            (State::Authorization { user: Some(user) }, "PASS") => {
                if *user == self.user && argument == self.password {
                    self.state = State::Transaction;
                    let (count, octets) = self.totals();
                    format!("+OK maildrop has {count} message(s) ({octets} octets)\r\n")
                } else {
                    self.state = State::Authorization { user: None };
                    "-ERR invalid user name or password\r\n".to_owned()
                }
            }
            (State::Authorization { .. } | State::Transaction, "QUIT") => {
                let was_transaction = self.state == State::Transaction;
                self.state = if was_transaction {
                    State::Update
                } else {
                    State::Authorization { user: None }
                };
                if was_transaction {
                    "+OK bye, deleted messages removed\r\n".to_owned()
                } else {
                    "+OK bye\r\n".to_owned()
                }
            }
            (State::Transaction, "STAT") => {
                let (count, octets) = self.totals();
                format!("+OK {count} {octets}\r\n")
            }
            (State::Transaction, "LIST") => {
                let mut reply = String::from("+OK scan listing follows\r\n");
                for (number, message) in self.live() {
                    reply.push_str(&format!("{number} {}\r\n", message.len()));
                }
                reply.push_str(".\r\n");
                reply
            }
            (State::Transaction, "RETR") => match self.message(argument) {
                Some(index) => {
                    let message = self.messages.get(index).cloned().unwrap_or_default();
                    let mut reply = format!("+OK {} octets\r\n", message.len());
                    reply.push_str(&byte_stuffed(&message));
                    reply.push_str(".\r\n");
                    reply
                }
                None => "-ERR no such message\r\n".to_owned(),
            },
            (State::Transaction, "DELE") => match self.message(argument) {
                Some(index) => {
                    if let Some(flag) = self.deleted.get_mut(index) {
                        *flag = true;
                    }
                    format!("+OK message {argument} deleted\r\n")
                }
                None => "-ERR no such message\r\n".to_owned(),
            },
            (State::Transaction, "RSET") => {
                self.deleted.iter_mut().for_each(|flag| *flag = false);
                "+OK\r\n".to_owned()
            }
            (State::Transaction, "NOOP") => "+OK\r\n".to_owned(),
            _ => "-ERR command not valid here\r\n".to_owned(),
        }
    }
}

/// RFC 1939 §3: a line starting with "." gets another, as in SMTP's DATA.
fn byte_stuffed(message: &[u8]) -> String {
    let text = String::from_utf8_lossy(message);
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
    }
    if !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out
}

/// The fetching client: the next command after a reply, or `None` when done.
#[derive(Debug)]
pub(super) struct Pop3Client {
    user: String,
    password: String,
    /// Messages in the maildrop, learned from STAT.
    count: usize,
    /// The next message to retrieve, then to delete.
    next: usize,
    sent: Option<&'static str>,
    pub(super) fetched: Vec<String>,
}

impl Pop3Client {
    pub(super) fn new(user: &str, password: &str) -> Self {
        Self {
            user: user.to_owned(),
            password: password.to_owned(),
            count: 0,
            next: 1,
            sent: None,
            fetched: Vec::new(),
        }
    }

    fn retrieve_or_quit(&self) -> (&'static str, String) {
        if self.next <= self.count {
            ("RETR", self.next.to_string())
        } else {
            ("QUIT", String::new())
        }
    }
}

impl MailReader for Pop3Client {
    /// Reads `reply` to the last command and says what to send next.
    fn next_command(&mut self, reply: &str) -> Option<String> {
        let ok = reply.starts_with("+OK");
        let command = match (self.sent, ok) {
            (None, true) => ("USER", self.user.clone()),
            (Some("USER"), true) => ("PASS", self.password.clone()),
            (Some("PASS"), true) => ("STAT", String::new()),
            (Some("STAT"), true) => {
                self.count = reply
                    .split_whitespace()
                    .nth(1)
                    .and_then(|count| count.parse().ok())
                    .unwrap_or(0);
                self.retrieve_or_quit()
            }
            (Some("RETR"), true) => {
                self.fetched.push(reply.to_owned());
                ("DELE", self.next.to_string())
            }
            (Some("DELE"), true) => {
                self.next += 1;
                self.retrieve_or_quit()
            }
            (Some("QUIT"), _) => return None,
            _ => ("QUIT", String::new()),
        };
        self.sent = Some(command.0);
        Some(if command.1.is_empty() {
            command.0.to_owned()
        } else {
            format!("{} {}", command.0, command.1)
        })
    }

    fn fetched(&self) -> usize {
        self.fetched.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_retrieves_and_deletes_every_message_then_the_maildrop_is_empty() {
        let messages = vec![
            b"Subject: a\r\n\r\n.dot\r\n".to_vec(),
            b"Subject: b\r\n\r\nx\r\n".to_vec(),
        ];
        let mut server = Pop3Server::new("bob", "pw", messages);
        let mut client = Pop3Client::new("bob", "pw");
        let mut reply = server.greeting();
        let mut commands = Vec::new();
        while let Some(command) = client.next_command(&reply) {
            reply = server.command(&command);
            commands.push(command);
        }
        assert_eq!(
            commands,
            [
                "USER bob", "PASS pw", "STAT", "RETR 1", "DELE 1", "RETR 2", "DELE 2", "QUIT"
            ]
        );
        assert_eq!(
            client.fetched[0],
            "+OK 20 octets\r\nSubject: a\r\n\r\n..dot\r\n.\r\n"
        );
        assert!(server.into_remaining().is_empty());
    }

    #[test]
    fn a_wrong_password_or_a_command_out_of_state_is_an_error() {
        let mut server = Pop3Server::new("bob", "pw", vec![b"x\r\n".to_vec()]);
        assert!(server.command("STAT").starts_with("-ERR"));
        server.command("USER bob");
        assert!(server.command("PASS nope").starts_with("-ERR"));
        assert!(
            server.command("PASS pw").starts_with("-ERR"),
            "USER again first"
        );
        server.command("USER bob");
        assert_eq!(
            server.command("PASS pw"),
            "+OK maildrop has 1 message(s) (3 octets)\r\n"
        );
        assert!(server.command("RETR 2").starts_with("-ERR"));
        server.command("DELE 1");
        assert!(server.command("RETR 1").starts_with("-ERR"), "deleted");
        server.command("RSET");
        assert_eq!(server.command("STAT"), "+OK 1 3\r\n");
        server.command("QUIT");
        assert_eq!(
            server.into_remaining().len(),
            1,
            "nothing deleted after RSET"
        );
    }
}
