//! A learner's SMTP lines played against the real server session, every reply
//! explained: the edge's `POST /api/v1/dialogue` and the web app's terminal both use it.
//! The server is `mx.example.org`, taking mail for `example.org` and relaying for no one.

use crate::explain::{Answering, Explanation, Key, has_answer};
use crate::i18n::{Language, core_catalog};
use crate::reply::ReplyCode;
use crate::server::driver::{self, Policy};
use crate::server::{
    BareLineEndings, ConnectionInfo, Decision, Envelope, ServerConfig, ServerSession,
};
use crate::syntax::reply::parse_reply;
use crate::syntax::{Command, Domain, ForwardPath, Host, RcptParameters, Verb};
use crate::time::UnixTime;

/// The simulated server's name and its one local domain.
pub const SERVER_NAME: &str = "mx.example.org";
pub const LOCAL_DOMAIN: &str = "example.org";

/// The simulated server's clock: the replies do not depend on the real one.
const NOW: UnixTime = UnixTime::from_millis(1_767_603_600_000);
/// The session's id, the first part of each message's queue id (`7f3a9c2e51b4.1`), as a
/// real server draws one at random.
const SESSION_ID: &str = "7f3a9c2e51b4";

/// How the simulated server behaves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// wasmtp's defaults: RFC 5321 to the letter.
    #[default]
    Strict,
    /// Bare CR or LF accepted as line endings, as lax servers do (and smuggling works).
    Lax,
    /// A server from before ESMTP: EHLO is `502`, only HELO works.
    HeloOnly,
}

impl Profile {
    pub const ALL: [Self; 3] = [Self::Strict, Self::Lax, Self::HeloOnly];

    /// `strict`, `lax` or `helo-only`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Strict => "strict",
            Self::Lax => "lax",
            Self::HeloOnly => "helo-only",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|profile| profile.name() == name)
    }

    fn config(self) -> Option<ServerConfig> {
        let mut config = ServerConfig::new(SERVER_NAME).ok()?;
        config.local_domains = Domain::parse(LOCAL_DOMAIN).into_iter().collect();
        match self {
            Self::Strict => {}
            Self::Lax => config.quirks.bare_line_endings = BareLineEndings::Normalize,
            Self::HeloOnly => config.quirks.helo_only = true,
        }
        Some(config)
    }
}

/// One reply (all its lines) and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExplainedReply {
    /// The reply as sent, CR LF included.
    pub text: String,
    pub code: u16,
    /// The most specific of `explanations`.
    pub explanation: Option<Explanation>,
    /// What explains it, most specific first: its meaning as the answer to the line it
    /// answers (a 250 to MAIL, to RCPT, after the data), its enhanced code, its code.
    pub explanations: Vec<Explanation>,
}

/// A line the learner sent and the replies it got.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Exchange {
    pub sent: String,
    pub replies: Vec<ExplainedReply>,
}

/// A whole dialogue.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dialogue {
    pub profile: &'static str,
    /// The greeting, before any line.
    pub greeting: Vec<ExplainedReply>,
    pub exchanges: Vec<Exchange>,
    /// The server closed the connection (after QUIT, or on its own).
    pub closed: bool,
    /// The last message the server took, as it stored it: its `Return-Path:` and
    /// `Received:` fields, then the message.
    pub stored: Option<String>,
    /// What a learner might type next, for the prompt.
    pub hint: Option<String>,
}

/// Plays `lines`, each sent with CR LF (message lines after DATA included), until they
/// run out or the server closes; explained in English.
pub fn play<S: AsRef<str>>(profile: Profile, lines: &[S]) -> Dialogue {
    play_in(profile, lines, Language::En)
}

/// Plays `lines` as [`play`] does, explained in `language`.
pub fn play_in<S: AsRef<str>>(profile: Profile, lines: &[S], language: Language) -> Dialogue {
    let mut dialogue = Dialogue {
        profile: profile.name(),
        greeting: Vec::new(),
        exchanges: Vec::new(),
        closed: false,
        stored: None,
        hint: None,
    };
    let Some(config) = profile.config() else {
        return dialogue;
    };
    let connection = ConnectionInfo {
        session_id: SESSION_ID.into(),
        ..ConnectionInfo::default()
    };
    let mut session = ServerSession::new(config, connection, NOW);
    let mut host = LocalOnly::default();
    dialogue.greeting = explained(
        &drain(&mut session, &mut host),
        Answering::Greeting,
        language,
    );
    let mut next = Next::Ehlo;
    let mut in_data = false;
    for line in lines {
        if host.closed {
            break;
        }
        let line = line.as_ref();
        // What the line's replies answer: a command, or the message's end.
        let answering = if in_data {
            (line == ".").then_some(Answering::EndOfData)
        } else {
            Command::parse(line.as_bytes())
                .ok()
                .map(|command| Answering::Command(command.verb()))
        };
        session.receive(format!("{line}\r\n").as_bytes(), NOW);
        let replies = explained(
            &drain(&mut session, &mut host),
            answering.unwrap_or(Answering::Command(Verb::Noop)),
            language,
        );
        let accepted = replies.iter().any(|reply| reply.code < 400);
        in_data = match (answering, replies.first().map(|reply| reply.code)) {
            (Some(Answering::Command(Verb::Data)), Some(354)) => true,
            (_, Some(_)) => false,
            (_, None) => in_data,
        };
        if let (Some(answering), true) = (answering, accepted) {
            next = next.after(answering);
        }
        dialogue.exchanges.push(Exchange {
            sent: line.to_owned(),
            replies,
        });
    }
    dialogue.closed = host.closed;
    dialogue.stored = host.stored;
    dialogue.hint = (!dialogue.closed).then(|| {
        let next = if in_data { Next::Content } else { next };
        core_catalog(language).text(next.hint()).unwrap_or_default()
    });
    dialogue
}

/// Where a learner stands in the usual order of a transaction, for the hint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Next {
    Ehlo,
    Mail,
    Rcpt,
    /// Another RCPT, or DATA.
    RcptOrData,
    Content,
    /// Another message, or QUIT.
    MailOrQuit,
}

impl Next {
    fn after(self, answered: Answering) -> Self {
        match answered {
            Answering::Command(Verb::Ehlo | Verb::Helo | Verb::Rset) => Self::Mail,
            Answering::Command(Verb::Mail) => Self::Rcpt,
            Answering::Command(Verb::Rcpt) => Self::RcptOrData,
            Answering::EndOfData => Self::MailOrQuit,
            _ => self,
        }
    }

    /// The hint's message in the catalog.
    fn hint(self) -> &'static str {
        match self {
            Self::Ehlo => "hint-ehlo",
            Self::Mail => "hint-mail",
            Self::Rcpt => "hint-rcpt",
            Self::RcptOrData => "hint-rcpt-or-data",
            Self::Content => "hint-content",
            Self::MailOrQuit => "hint-mail-or-quit",
        }
    }
}

/// The simulated server's decisions: mail for the local domain is taken, other
/// domains refused (no relay), logins refused, messages accepted and kept.
#[derive(Default)]
struct LocalOnly {
    output: Vec<u8>,
    closed: bool,
    /// The message being received, so far.
    received: Vec<u8>,
    stored: Option<String>,
}

impl Policy for LocalOnly {
    fn output(&mut self, bytes: Vec<u8>) {
        self.output.extend(bytes);
    }

    fn rcpt(&mut self, forward_path: &ForwardPath, _: &RcptParameters) -> Decision {
        let local = match forward_path {
            ForwardPath::Postmaster => true,
            ForwardPath::Mailbox(mailbox) => {
                matches!(&mailbox.host, Host::Domain(domain) if domain.eq_ignore_case(LOCAL_DOMAIN))
            }
        };
        if local {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }

    fn message(&mut self, envelope: Envelope, content: Vec<u8>) -> Decision {
        let mut stored = format!("Return-Path: {}\r\n", envelope.reverse_path);
        stored.push_str(&String::from_utf8_lossy(&content));
        self.stored = Some(stored);
        Decision::Accept
    }

    fn close(&mut self) {
        self.closed = true;
    }
}

/// Runs the session's events; returns what the server said.
fn drain(session: &mut ServerSession, host: &mut LocalOnly) -> Vec<u8> {
    // The message arrives over several lines: what came so far stays with the host.
    let mut received = std::mem::take(&mut host.received);
    driver::drain(session, host, &mut received);
    host.received = received;
    std::mem::take(&mut host.output)
}

/// Splits output into replies (a multi-line reply is one) and explains each as the
/// answer to `answering` (the first; any further reply is the server's own).
fn explained(output: &[u8], answering: Answering, language: Language) -> Vec<ExplainedReply> {
    let mut replies = Vec::new();
    let mut rest = output;
    while !rest.is_empty() {
        let (used, parsed) = match parse_reply(rest) {
            Ok(Some((reply, used))) => (used, Some(reply)),
            Ok(None) | Err(_) => (rest.len(), None),
        };
        let (text, after) = rest.split_at_checked(used).unwrap_or((rest, &[]));
        rest = after;
        let mut keys = Vec::new();
        if let Some(reply) = &parsed {
            let code = reply.code();
            if replies.is_empty() && has_answer(answering, code.value()) {
                keys.push(Key::Answer(answering, code));
            }
            if let Some(enhanced) = reply.enhanced() {
                keys.push(Key::Enhanced(enhanced));
            }
            keys.push(Key::Reply(code));
        }
        let explanations: Vec<Explanation> = keys
            .into_iter()
            .map(|key| key.explanation_in(language))
            .collect();
        replies.push(ExplainedReply {
            text: String::from_utf8_lossy(text).into_owned(),
            code: parsed
                .as_ref()
                .map_or(0, |reply| ReplyCode::value(reply.code())),
            explanation: explanations.first().cloned(),
            explanations,
        });
    }
    replies
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(dialogue: &Dialogue) -> Vec<Vec<u16>> {
        dialogue
            .exchanges
            .iter()
            .map(|exchange| exchange.replies.iter().map(|reply| reply.code).collect())
            .collect()
    }

    #[test]
    fn a_whole_transaction_gets_the_rfc_replies() {
        let dialogue = play(
            Profile::Strict,
            &[
                "EHLO me.example",
                "MAIL FROM:<a@me.example>",
                "RCPT TO:<bob@example.org>",
                "RCPT TO:<eve@elsewhere.example>",
                "DATA",
                "Subject: hi",
                "",
                "..dot",
                ".",
                "QUIT",
            ],
        );
        assert_eq!(dialogue.greeting[0].code, 220);
        assert_eq!(
            codes(&dialogue),
            [
                vec![250],
                vec![250],
                vec![250],
                vec![554],
                vec![354],
                vec![],
                vec![],
                vec![],
                vec![250],
                vec![221]
            ]
        );
        assert!(dialogue.closed);
        assert!(dialogue.exchanges[0].replies[0].explanation.is_some());
    }

    #[test]
    fn replies_are_explained_in_their_place_with_a_hint_and_the_stored_message() {
        let lines = [
            "EHLO me.example",
            "MAIL FROM:<a@me.example>",
            "RCPT TO:<bob@example.org>",
            "DATA",
            "Subject: hi",
            "",
            "hello",
            ".",
        ];
        let hints: Vec<String> = (0..=lines.len())
            .filter_map(|n| play(Profile::Strict, &lines[..n]).hint)
            .collect();
        assert_eq!(hints[0], "EHLO client.example");
        assert_eq!(hints[1], "MAIL FROM:<alice@client.example>");
        assert_eq!(hints[3], "DATA (or another RCPT TO)");
        assert!(
            hints[4].starts_with("Subject:"),
            "in the message: {}",
            hints[4]
        );
        assert_eq!(hints[8], "QUIT (or MAIL FROM for another message)");
        let dialogue = play(Profile::Strict, &lines);
        let summary = |exchange: usize| {
            dialogue.exchanges[exchange].replies[0]
                .explanation
                .clone()
                .map(|explanation| explanation.summary)
                .unwrap_or_default()
        };
        // The same 250 means three things.
        assert!(summary(1).contains("sender"), "{}", summary(1));
        assert!(summary(2).contains("recipient"), "{}", summary(2));
        assert!(summary(7).contains("responsible"), "{}", summary(7));
        // Its enhanced code and its code follow.
        assert_eq!(dialogue.exchanges[7].replies[0].explanations.len(), 3);
        let stored = dialogue.stored.expect("the stored message");
        assert!(
            stored.starts_with("Return-Path: <a@me.example>\r\nReceived: from me.example"),
            "{stored}"
        );
        assert!(
            stored.contains(" id 7f3a9c2e51b4.1"),
            "a queue id like a real one: {stored}"
        );
        assert!(stored.ends_with("Subject: hi\r\n\r\nhello\r\n"), "{stored}");
        assert!(
            dialogue.exchanges[7].replies[0]
                .text
                .contains("7f3a9c2e51b4.1")
        );
        assert_eq!(play(Profile::Strict, &["QUIT"]).hint, None);
    }

    #[test]
    fn profiles_change_the_server() {
        let strict = play(Profile::Strict, &["EHLO me.example"]);
        let old = play(Profile::HeloOnly, &["EHLO me.example", "HELO me.example"]);
        assert_eq!(codes(&strict), [vec![250]]);
        assert_eq!(codes(&old), [vec![502], vec![250]]);
        assert_eq!(Profile::from_name("helo-only"), Some(Profile::HeloOnly));
        assert_eq!(Profile::from_name("nope"), None);
    }

    #[test]
    fn a_malformed_command_is_500_and_lines_after_close_are_not_played() {
        let dialogue = play(Profile::Strict, &["FROB", "QUIT", "NOOP"]);
        assert_eq!(codes(&dialogue), [vec![500], vec![221]]);
    }
}
