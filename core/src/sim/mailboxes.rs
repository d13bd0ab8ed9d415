//! The last hop: mail put into its mailbox at the final host, and read from there by
//! the recipient's mail client when the run ends, over POP3 (RFC 1939) or IMAP (RFC 9051).

use std::collections::BTreeMap;

use crate::explain::{Key, Topic};
use crate::syntax::ForwardPath;

use super::imap::{ImapClient, ImapServer};
use super::policy::PASSWORD;
use super::pop3::{Pop3Client, Pop3Server};
use super::recorder::{Draft, Recorder};
use super::scenario::{Behaviour, World};
use super::trace::{Phrase, Snapshot, StepKind};

/// Every host's mailboxes.
#[derive(Debug, Default)]
pub(super) struct Mailboxes {
    /// (host, mailbox) → messages, as stored.
    stored: BTreeMap<(usize, String), Vec<Vec<u8>>>,
    /// Each mailbox a message went into, in order.
    delivered: Vec<String>,
}

impl Mailboxes {
    /// Puts `stored` into `path`'s mailbox at `host` (named `host_name`).
    pub(super) fn deliver(
        &mut self,
        trace: &mut Recorder,
        (host, host_name): (usize, &str),
        path: &ForwardPath,
        stored: Vec<u8>,
    ) {
        let mailbox = match path {
            ForwardPath::Mailbox(mailbox) => mailbox.to_string(),
            ForwardPath::Postmaster => "postmaster".to_owned(),
        };
        let text = String::from_utf8_lossy(&stored).into_owned();
        let messages = {
            let list = self.stored.entry((host, mailbox.clone())).or_default();
            list.push(stored);
            list.len()
        };
        self.delivered.push(mailbox.clone());
        trace.step(Draft {
            kind: StepKind::Deliver,
            from: host_name,
            to: &mailbox,
            text: text.into(),
            explain: Some(Key::Topic(Topic::Deliver)),
            snapshot: Some(Snapshot::Mailbox {
                host: host_name.to_owned(),
                mailbox: mailbox.clone(),
                messages,
            }),
        });
    }

    /// Each mailbox a message went into, in order.
    pub(super) fn delivered(&self) -> &[String] {
        &self.delivered
    }

    /// Each mailbox's owner reads its mail, with IMAP where the host offers it, else POP3.
    pub(super) fn fetch_all(&mut self, trace: &mut Recorder, world: &World) {
        let mailboxes: Vec<(usize, String)> = self.stored.keys().cloned().collect();
        for (host, mailbox) in mailboxes {
            self.fetch(trace, world, host, &mailbox);
        }
    }

    fn fetch(&mut self, trace: &mut Recorder, world: &World, host: usize, mailbox: &str) {
        let Some(messages) = self.stored.remove(&(host, mailbox.to_owned())) else {
            return;
        };
        let Some(host_spec) = world.hosts.get(host) else {
            return;
        };
        let (host_name, latency) = (host_spec.name.as_str(), host_spec.latency_ms);
        let protocol = if host_spec.has(Behaviour::Imap) {
            Retrieval::Imap
        } else {
            Retrieval::Pop3
        };
        let client = format!("{mailbox} (mail client)");
        let user = mailbox.split('@').next().unwrap_or(mailbox).to_owned();
        trace.step(Draft {
            kind: StepKind::Connect,
            from: &client,
            to: host_name,
            text: protocol.connection(host_name).into(),
            explain: Some(Key::Topic(protocol.topic())),
            snapshot: None,
        });
        let mut session = protocol.session(&user, messages);
        let mut reply = session.greeting();
        let line = |trace: &mut Recorder, from: &str, to: &str, text: String, topic| {
            trace.clock_ms += latency;
            trace.step(Draft {
                kind: StepKind::Fetch,
                from,
                to,
                text: text.into(),
                explain: Some(Key::Topic(topic)),
                snapshot: None,
            });
        };
        line(
            trace,
            host_name,
            &client,
            reply.clone(),
            protocol.reply_topic(),
        );
        while let Some(command) = session.next_command(&reply) {
            trace.round_trips += 1;
            let topic = protocol.command_topic(&command);
            line(trace, &client, host_name, format!("{command}\r\n"), topic);
            reply = session.answer(&command);
            line(
                trace,
                host_name,
                &client,
                reply.clone(),
                protocol.reply_topic(),
            );
        }
        let (fetched, remaining) = session.finish();
        let snapshot = Snapshot::Mailbox {
            host: host_name.to_owned(),
            mailbox: mailbox.to_owned(),
            messages: remaining.len(),
        };
        trace.step(Draft {
            kind: StepKind::Note,
            from: host_name,
            to: &client,
            text: protocol.outcome(fetched, remaining.len()).into(),
            explain: Some(Key::Topic(protocol.topic())),
            snapshot: Some(snapshot),
        });
        if !remaining.is_empty() {
            self.stored.insert((host, mailbox.to_owned()), remaining);
        }
    }
}

/// How a mailbox's owner reads it: POP3 downloads and deletes (RFC 1939), IMAP reads
/// in place (RFC 9051). A host with the `imap` behaviour offers IMAP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Retrieval {
    Pop3,
    Imap,
}

impl Retrieval {
    fn connection(self, host: &str) -> Phrase {
        let id = match self {
            Self::Pop3 => "step-connect-pop3",
            Self::Imap => "step-connect-imap",
        };
        Phrase::new(id, [("host", host.into())])
    }

    fn outcome(self, fetched: usize, left: usize) -> Phrase {
        match self {
            Self::Pop3 => Phrase::new("step-fetched-pop3", [("count", fetched.into())]),
            Self::Imap => Phrase::new(
                "step-fetched-imap",
                [("count", fetched.into()), ("left", left.into())],
            ),
        }
    }

    fn topic(self) -> Topic {
        match self {
            Self::Pop3 => Topic::Pop3,
            Self::Imap => Topic::Imap,
        }
    }

    fn reply_topic(self) -> Topic {
        match self {
            Self::Pop3 => Topic::Pop3Reply,
            Self::Imap => Topic::ImapResponse,
        }
    }

    /// What a command line is about: POP3's verb comes first, IMAP's after its tag.
    fn command_topic(self, command: &str) -> Topic {
        let mut words = command.split(' ');
        match self {
            Self::Pop3 => words
                .next()
                .and_then(Topic::of_pop3_command)
                .unwrap_or(Topic::Pop3),
            Self::Imap => words
                .nth(1)
                .and_then(Topic::of_imap_command)
                .unwrap_or(Topic::Imap),
        }
    }

    fn session(self, user: &str, messages: Vec<Vec<u8>>) -> Box<dyn Reading> {
        match self {
            Self::Pop3 => Box::new((
                Pop3Server::new(user, PASSWORD, messages),
                Pop3Client::new(user, PASSWORD),
            )),
            Self::Imap => Box::new((
                ImapServer::new(user, PASSWORD, messages),
                ImapClient::new(user, PASSWORD),
            )),
        }
    }
}

/// A mailbox server speaking a retrieval protocol, one command line at a time.
pub(super) trait MailServer {
    fn greeting(&self) -> String;
    /// The reply (or responses) to one command line, without its CRLF.
    fn command(&mut self, line: &str) -> String;
    /// What the mailbox holds once the session is over.
    fn into_remaining(self) -> Vec<Vec<u8>>;
}

/// A mail client reading a mailbox.
pub(super) trait MailReader {
    /// The next command after `reply`, or `None` when it is done.
    fn next_command(&mut self, reply: &str) -> Option<String>;
    /// How many messages it has read.
    fn fetched(&self) -> usize;
}

/// A mailbox server and the client reading from it.
trait Reading {
    fn greeting(&self) -> String;
    fn next_command(&mut self, reply: &str) -> Option<String>;
    fn answer(&mut self, command: &str) -> String;
    /// How many messages the client read, and what the mailbox still holds.
    fn finish(self: Box<Self>) -> (usize, Vec<Vec<u8>>);
}

impl<S: MailServer, C: MailReader> Reading for (S, C) {
    fn greeting(&self) -> String {
        self.0.greeting()
    }
    fn next_command(&mut self, reply: &str) -> Option<String> {
        self.1.next_command(reply)
    }
    fn answer(&mut self, command: &str) -> String {
        self.0.command(command)
    }
    fn finish(self: Box<Self>) -> (usize, Vec<Vec<u8>>) {
        let (server, client) = *self;
        (client.fetched(), server.into_remaining())
    }
}
