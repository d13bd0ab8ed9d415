//! The last hop: mail put into its mailbox at the final host, and fetched from there by
//! the recipient's mail client over POP3 (RFC 1939) when the run ends.

use std::collections::BTreeMap;

use crate::explain::{Key, Topic};
use crate::syntax::ForwardPath;

use super::policy::PASSWORD;
use super::pop3::{Pop3Client, Pop3Server};
use super::recorder::{Draft, Recorder};
use super::scenario::World;
use super::trace::{Snapshot, StepKind};

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
            text,
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

    /// Each mailbox's owner fetches its mail with POP3.
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
        let (host_name, latency) = world.hosts.get(host).map_or((String::new(), 20), |host| {
            (host.name.clone(), host.latency_ms)
        });
        let client = format!("{mailbox} (mail client)");
        let user = mailbox.split('@').next().unwrap_or(mailbox).to_owned();
        trace.step(Draft {
            kind: StepKind::Connect,
            from: &client,
            to: &host_name,
            text: format!("TCP connection to {host_name} port 110 (POP3)"),
            explain: Some(Key::Topic(Topic::Pop3)),
            snapshot: None,
        });
        let mut server = Pop3Server::new(&user, PASSWORD, messages);
        let mut pop3 = Pop3Client::new(&user, PASSWORD);
        let mut reply = server.greeting();
        let reply_topic = Topic::Pop3Reply;
        let line = |trace: &mut Recorder, from: &str, to: &str, text: String, topic| {
            trace.clock_ms += latency;
            trace.step(Draft {
                kind: StepKind::Fetch,
                from,
                to,
                text,
                explain: Some(Key::Topic(topic)),
                snapshot: None,
            });
        };
        line(trace, &host_name, &client, reply.clone(), reply_topic);
        while let Some(command) = pop3.next_command(&reply) {
            trace.round_trips += 1;
            let verb = command.split(' ').next().unwrap_or_default();
            let topic = Topic::of_pop3_command(verb).unwrap_or(Topic::Pop3);
            line(trace, &client, &host_name, format!("{command}\r\n"), topic);
            reply = server.command(&command);
            line(trace, &host_name, &client, reply.clone(), reply_topic);
        }
        let remaining = server.into_remaining();
        let snapshot = Snapshot::Mailbox {
            host: host_name.clone(),
            mailbox: mailbox.to_owned(),
            messages: remaining.len(),
        };
        trace.step(Draft {
            kind: StepKind::Note,
            from: &host_name,
            to: &client,
            text: format!(
                "{} message(s) downloaded by the mail client",
                pop3.fetched.len()
            ),
            explain: Some(Key::Topic(Topic::Pop3)),
            snapshot: Some(snapshot),
        });
        if !remaining.is_empty() {
            self.stored.insert((host, mailbox.to_owned()), remaining);
        }
    }
}
