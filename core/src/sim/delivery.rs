//! The queues of the simulated hosts and their delivery attempts: each attempt is the
//! core's [`Attempt`] (the same machine the server's relay drives), its needs answered by
//! the simulated network, every answer a step of the trace.

use crate::client::{ClientConfig, ClientSession, Delivery, Outcome, TlsPolicy};
use crate::code;
use crate::envelope::Recipient;
use crate::explain::{Key, Topic};
use crate::queue::attempt::{Attempt, ConnectFailure, Need, Routing};
use crate::queue::{QueuedMessage, RecipientState};
use crate::reply::build;
use crate::route::Target;
use crate::server::{Envelope, ServerSession};
use crate::syntax::{Domain, Host as Destination, MailParameters, RcptParameters, ReversePath};

use super::engine::Engine;
use super::link::Link;
use super::policy::server_config;
use super::queues::Queued;
use super::recorder::{Draft, START, clock, connection_phrase};
use super::scenario::{Behaviour, Role};
use super::trace::{Phrase, PhraseArg, Snapshot, StepKind};
use crate::i18n::Language;

/// How long a connection to an unreachable host waits before giving up.
const CONNECT_TIMEOUT_MS: u64 = 30 * 1000;
/// Extra thinking time of a `slow` server per reply.
const SLOW_REPLY_MS: u64 = 1500;

impl Engine {
    pub(super) fn enqueue(
        &mut self,
        holder: usize,
        envelope: Envelope,
        content: Vec<u8>,
        topic: Topic,
    ) {
        let message = QueuedMessage::new(
            envelope.id.clone(),
            envelope.reverse_path,
            &envelope.parameters,
            envelope.recipients,
            self.trace.now(),
        );
        self.queue.entries.push(Queued {
            holder,
            content,
            message,
        });
        let index = self.queue.entries.len() - 1;
        let host_name = self.host_name(holder);
        let snapshot = self.queue_snapshot(index);
        self.trace.step(Draft {
            kind: StepKind::Queue,
            from: &host_name,
            to: &host_name,
            text: Phrase::new("step-queued", [("message", envelope.id.as_str().into())]).into(),
            explain: Some(Key::Topic(topic)),
            snapshot,
        });
        self.schedule_attempt(self.trace.clock_ms, index);
    }

    fn schedule_attempt(&mut self, at_ms: u64, queued: usize) {
        self.queue.plan(at_ms, queued, self.trace.len());
    }

    fn queue_snapshot(&self, index: usize) -> Option<Snapshot> {
        let queued = self.queue.entries.get(index)?;
        let start = START.as_millis();
        let states: Vec<Phrase> = queued
            .message
            .recipients
            .iter()
            .map(|entry| {
                let path = ("recipient", entry.recipient.forward_path.to_string().into());
                match &entry.record.state {
                    RecipientState::Pending { next_attempt } => {
                        let at = clock(next_attempt.as_millis().saturating_sub(start));
                        Phrase::new("queue-pending", [path, ("at", at.into())])
                    }
                    RecipientState::Delivered { .. } => Phrase::new("queue-delivered", [path]),
                    RecipientState::Failed { .. } => Phrase::new("queue-failed", [path]),
                }
            })
            .collect();
        Some(Snapshot::Queue {
            host: self.host_name(queued.holder),
            message: queued.message.id.clone(),
            recipients: states
                .iter()
                .map(|state| state.text_in(Language::En))
                .collect(),
            states,
        })
    }

    /// One delivery attempt for the due recipients of a queued message: the core's
    /// [`Attempt`] decides, the simulated network answers its needs.
    pub(super) fn attempt(&mut self, index: usize) {
        let Some(queued) = self.queue.entries.get(index) else {
            return;
        };
        let (holder, content) = (queued.holder, queued.content.clone());
        let return_path = format!("Return-Path: {}\r\n", queued.message.reverse_path);
        let holder_name = self.host_name(holder);
        let Some(client_host) = Domain::parse(&holder_name) else {
            return;
        };
        let mut client = ClientConfig::new(client_host);
        client.tls = TlsPolicy::Opportunistic;
        let mut attempt = Attempt::new(
            queued.message.clone(),
            client,
            self.queue.retry_schedule().clone(),
            &content,
            self.trace.now(),
        );
        loop {
            let answered = match attempt.step() {
                Need::Route {
                    destination,
                    recipients,
                } => {
                    let mut stored = return_path.clone().into_bytes();
                    stored.extend_from_slice(&content);
                    let routing = self.routing(holder, &destination, &recipients, &stored);
                    attempt.routed(routing, self.trace.now())
                }
                Need::Connect(target) => {
                    let connected = self.connect(&holder_name, &target);
                    attempt.connected(connected, self.trace.now())
                }
                Need::Session { target, session } => {
                    let outcome = self.send(holder, &target, *session, &content);
                    attempt.session_ended(outcome, self.trace.now())
                }
                Need::Done => break,
            };
            if let Err(error) = answered {
                let phrase = Phrase::new(
                    "step-simulator-error",
                    [("error", error.to_string().into())],
                );
                self.trace.note("simulator", "simulator", phrase, None);
                break;
            }
        }
        let (message, _) = attempt.finish();
        if let Some(queued) = self.queue.entries.get_mut(index) {
            queued.message = message;
        }
        self.after_attempt(index);
    }

    /// The route from `holder` to `destination`, or delivery of `stored` into its own
    /// mailboxes when it serves the domain (a backup MX only holds mail for the primary).
    fn routing(
        &mut self,
        holder: usize,
        destination: &Destination,
        recipients: &[Recipient],
        stored: &[u8],
    ) -> Routing {
        let serves = match destination {
            Destination::Domain(domain) => self
                .world
                .hosts
                .get(holder)
                .is_some_and(|host| host.role != Role::Backup && host.serves(domain)),
            Destination::Literal(_) => false,
        };
        let holder_name = self.host_name(holder);
        if serves {
            let outcomes = recipients
                .iter()
                .map(|recipient| {
                    self.mailboxes.deliver(
                        &mut self.trace,
                        (holder, &holder_name),
                        &recipient.forward_path,
                        stored.to_vec(),
                    );
                    Delivery::Delivered(build(code!(250), (0, 0), "delivered to a local mailbox"))
                })
                .collect();
            return Routing::Local(outcomes);
        }
        match self
            .dns
            .route(&mut self.trace, &self.world.zone, &holder_name, destination)
        {
            Ok(targets) => Routing::Targets(targets),
            Err(reply) => Routing::Failed(reply),
        }
    }

    /// A TCP connection from `holder_name` to `target`, as the world's hosts allow.
    fn connect(&mut self, holder_name: &str, target: &Target) -> Result<(), ConnectFailure> {
        self.trace.step(Draft {
            kind: StepKind::Connect,
            from: holder_name,
            to: &target.host,
            text: connection_phrase(&target.host, target.address, target.port).into(),
            explain: Some(Key::Topic(Topic::Connect)),
            snapshot: None,
        });
        let host = self
            .world
            .hosts
            .iter()
            .find(|host| host.address == target.address)
            .cloned();
        let (failure, text, topic) = match host {
            None => {
                self.trace.clock_ms += CONNECT_TIMEOUT_MS;
                let text = Phrase::new(
                    "step-no-host-at",
                    [("address", target.address.to_string().into())],
                );
                (ConnectFailure::TimedOut, text, Topic::ConnectTimeout)
            }
            Some(host)
                if host.has(Behaviour::Down)
                    || self.trace.clock_ms < host.down_minutes * 60_000 =>
            {
                self.trace.clock_ms += 2 * host.latency_ms;
                let text = Phrase::new("step-connection-refused", []);
                (ConnectFailure::Refused, text, Topic::ConnectRefused)
            }
            Some(host) if host.has(Behaviour::Unreachable) => {
                self.trace.clock_ms += CONNECT_TIMEOUT_MS;
                let text = Phrase::new(
                    "step-no-answer",
                    [("seconds", (CONNECT_TIMEOUT_MS / 1000).into())],
                );
                (ConnectFailure::TimedOut, text, Topic::ConnectTimeout)
            }
            Some(_) => return Ok(()),
        };
        self.trace.step(Draft {
            kind: StepKind::ConnectFailed,
            from: holder_name,
            to: &target.host,
            text: text.into(),
            explain: Some(Key::Topic(topic)),
            snapshot: None,
        });
        Err(failure)
    }

    /// One SMTP session from `holder` to the host at `target`, already connected.
    fn send(
        &mut self,
        holder: usize,
        target: &Target,
        client: ClientSession,
        content: &[u8],
    ) -> Outcome {
        let host_index = self
            .world
            .hosts
            .iter()
            .position(|host| host.address == target.address);
        let (Some(host_index), Some(holder)) = (host_index, self.world.hosts.get(holder).cloned())
        else {
            return Outcome {
                recipients: Vec::new(),
                failure: None,
            };
        };
        let Some(host) = self.world.hosts.get(host_index).cloned() else {
            return Outcome {
                recipients: Vec::new(),
                failure: None,
            };
        };
        let Some(config) = server_config(&host) else {
            return Outcome {
                recipients: Vec::new(),
                failure: None,
            };
        };
        let server = ServerSession::new(config, self.connection(holder.address), self.trace.now());
        let link = Link {
            client: holder.name.clone(),
            server: host.name.clone(),
            server_host: host_index,
            latency_ms: host.latency_ms,
            reply_delay_ms: if host.has(Behaviour::Slow) {
                SLOW_REPLY_MS
            } else {
                0
            },
            submission: false,
        };
        self.converse(&link, client, server, content)
    }

    /// After an attempt: schedule the next one, bounce what failed.
    fn after_attempt(&mut self, index: usize) {
        let Some(queued) = self.queue.entries.get(index) else {
            return;
        };
        let holder_name = self.host_name(queued.holder);
        if let Some(next) = queued.message.next_attempt() {
            let at_ms = next.as_millis().saturating_sub(START.as_millis());
            let snapshot = self.queue_snapshot(index);
            let wait = at_ms.saturating_sub(self.trace.clock_ms);
            let text = Phrase::new(
                "step-retry",
                [
                    ("wait", PhraseArg::Duration(wait)),
                    ("at", clock(at_ms).into()),
                ],
            );
            self.trace.step(Draft {
                kind: StepKind::RetryScheduled,
                from: &holder_name,
                to: &holder_name,
                text: text.into(),
                explain: Some(Key::Topic(Topic::Retry)),
                snapshot,
            });
            self.schedule_attempt(at_ms, index);
        } else {
            // Every recipient is settled: the queue panel shows the final state.
            let snapshot = self.queue_snapshot(index);
            let text = Phrase::new(
                "step-leaves-queue",
                [("message", queued.message.id.as_str().into())],
            );
            self.trace.step(Draft {
                kind: StepKind::Queue,
                from: &holder_name,
                to: &holder_name,
                text: text.into(),
                explain: Some(Key::Topic(Topic::Queue)),
                snapshot,
            });
        }
        self.bounce(index);
    }

    /// A DSN for the recipients that failed, queued back to the sender (RFC 3464).
    fn bounce(&mut self, index: usize) {
        let now = self.trace.now();
        let Some(queued) = self.queue.entries.get_mut(index) else {
            return;
        };
        let holder = queued.holder;
        let holder_name = self
            .world
            .hosts
            .get(holder)
            .map_or_else(String::new, |host| host.name.clone());
        let Some(bounce) = queued.message.bounce(&holder_name, &queued.content, now) else {
            return;
        };
        queued.message.reported(&bounce);
        let dsn_id = format!("{}-dsn", queued.message.id);
        let Some(dsn) = bounce.dsn else {
            self.trace.note(
                &holder_name,
                &holder_name,
                Phrase::new("step-no-report", []),
                Some(Key::Topic(Topic::Bounce)),
            );
            return;
        };
        let sender = dsn.recipient.to_string();
        self.trace.step(Draft {
            kind: StepKind::Bounce,
            from: &holder_name,
            to: &sender,
            text: String::from_utf8_lossy(&dsn.content).into_owned().into(),
            explain: Some(Key::Topic(Topic::Bounce)),
            snapshot: None,
        });
        let envelope = Envelope {
            reverse_path: ReversePath::Null,
            parameters: MailParameters::default(),
            recipients: vec![Recipient {
                forward_path: dsn.recipient,
                parameters: RcptParameters::default(),
            }],
            id: dsn_id,
        };
        self.enqueue(holder, envelope, dsn.content, Topic::Queue);
    }
}
