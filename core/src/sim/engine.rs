//! The simulation's coordinator: it runs a scenario's world on a virtual clock, taking
//! delivery attempts from an agenda in time order (ties keep their order of insertion,
//! so a run is deterministic). Each job has a part of its own: the [`Recorder`] writes
//! the trace, the [`Resolver`] plans routes, [`HostPolicy`] makes the servers' decisions,
//! [`Mailboxes`] holds and serves delivered mail, [`Queues`] holds queued mail (whose
//! attempts are in `delivery.rs`), and `conversation.rs` runs SMTP between two sessions.

use std::net::{IpAddr, Ipv4Addr};

use crate::client::{ClientConfig, ClientSession, MessageInfo, TlsPolicy};
use crate::compose::TextMessage;
use crate::envelope::Recipient;
use crate::explain::{Key, Topic};
use crate::queue::RecipientState;
use crate::server::{ConnectionInfo, Decision, Envelope, ServerSession};
use crate::syntax::{
    Domain, ForwardPath, Host as Destination, MailParameters, RcptParameters, ReversePath,
};

use super::answers::ReplyContext;
use super::dns::Resolver;
use super::link::{Link, address_parts};
use super::mailboxes::Mailboxes;
use super::policy::{HostPolicy, PASSWORD, server_config};
use super::queues::Queues;
use super::recorder::{Draft, Recorder, START, connection_phrase, one_line};
use super::scenario::{Behaviour, Role, Scenario, ScenarioError, Submission, World};
use super::trace::{Phrase, StepKind, Summary, Trace};

/// The mail client's own address (a documentation address, RFC 5737).
const CLIENT_ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
/// A run stops after this many steps, whatever the scenario (a guard, far above any
/// built-in scenario's few hundred).
const MAX_STEPS: usize = 20_000;

/// Runs a scenario and returns its trace, or every problem of the scenario.
pub fn run(scenario: &Scenario) -> Result<Trace, Vec<ScenarioError>> {
    let world = scenario.world()?;
    let mut engine = Engine {
        world,
        trace: Recorder::default(),
        dns: Resolver::new(scenario.seed, scenario.srv_routing),
        policy: HostPolicy::default(),
        mailboxes: Mailboxes::default(),
        queue: Queues::default(),
        sessions: 0,
        uucp: None,
        reply_context: ReplyContext::default(),
    };
    if let Some(uucp) = &scenario.uucp {
        engine.uucp = Some(super::uucp::forward(&mut engine.trace, uucp));
    }
    match engine.world.submission.clone() {
        Submission::Server(host) => {
            let content = message_content(scenario, &engine.world);
            engine.submit(host, &content);
        }
        Submission::Raw {
            name,
            address,
            script,
        } => {
            engine.send_raw(&name, address, &script, &scenario.message.body);
        }
    }
    let horizon_ms = scenario.horizon_hours.saturating_mul(3_600_000);
    while let Some((at_ms, queued)) = engine.queue.next_due(horizon_ms) {
        if engine.trace.len() > MAX_STEPS {
            engine.trace.note(
                "simulator",
                "simulator",
                Phrase::new("step-stopped", [("steps", MAX_STEPS.into())]),
                Some(Key::Topic(Topic::Queue)),
            );
            break;
        }
        engine.trace.clock_ms = engine.trace.clock_ms.max(at_ms);
        engine.attempt(queued);
    }
    engine.mailboxes.fetch_all(&mut engine.trace, &engine.world);
    Ok(engine.finish(scenario))
}

/// The world and every part of the simulation, by job.
pub(super) struct Engine {
    pub(super) world: World,
    pub(super) trace: Recorder,
    pub(super) dns: Resolver,
    pub(super) policy: HostPolicy,
    pub(super) mailboxes: Mailboxes,
    pub(super) queue: Queues,
    /// SMTP sessions opened so far, for their ids.
    sessions: u64,
    /// What became of the UUCP lesson's message: where it arrived, or where it stuck.
    uucp: Option<Result<String, String>>,
    /// What the replies of the conversation under way answer.
    pub(super) reply_context: ReplyContext,
}

impl Engine {
    pub(super) fn host_name(&self, host: usize) -> String {
        self.world
            .hosts
            .get(host)
            .map_or_else(String::new, |host| host.name.clone())
    }

    fn client_name(&self) -> String {
        format!("{} (mail client)", self.world.sender)
    }

    /// The mail client submits the message to its submission server (RFC 6409), over
    /// (simulated) TLS with AUTH PLAIN.
    fn submit(&mut self, submission: usize, content: &[u8]) {
        let Some(host) = self.world.hosts.get(submission).cloned() else {
            return;
        };
        let client_name = self.client_name();
        self.trace.step(Draft {
            kind: StepKind::Connect,
            from: &client_name,
            to: &host.name,
            text: connection_phrase(&host.name, host.address, 587).into(),
            explain: Some(Key::Topic(Topic::Submit)),
            snapshot: None,
        });
        let Some(mut config) = server_config(&host) else {
            return;
        };
        config.extensions.auth_mechanisms = vec!["PLAIN".into()];
        config.tls_available = true;
        let server = ServerSession::new(config, self.connection(CLIENT_ADDRESS), self.trace.now());
        let sender_domain = self
            .world
            .sender
            .domain()
            .map_or_else(|| "client.invalid".to_owned(), |domain| domain.to_string());
        let Some(client_host) = Domain::parse(&format!("laptop.{sender_domain}")) else {
            return;
        };
        let mut client_config = ClientConfig::new(client_host);
        client_config.tls = TlsPolicy::Required;
        client_config.credentials = Some((self.world.sender.local_part.clone(), PASSWORD.into()));
        let recipients = self
            .world
            .recipients
            .iter()
            .map(|path| Recipient {
                forward_path: path.clone(),
                parameters: RcptParameters::default(),
            })
            .collect();
        let client = ClientSession::new(
            client_config,
            ReversePath::Mailbox(self.world.sender.clone()),
            MailParameters::default(),
            recipients,
            MessageInfo::of_text(content),
            self.trace.now(),
        );
        let link = Link {
            client: client_name,
            server: host.name.clone(),
            server_host: submission,
            latency_ms: host.latency_ms,
            reply_delay_ms: 0,
            submission: true,
        };
        let outcome = self.converse(&link, client, server, content);
        if let Some(failure) = outcome.failure {
            let phrase = Phrase::new(
                "step-submission-failed",
                [("failure", format!("{failure:?}").into())],
            );
            self.trace.note(
                &link.client,
                &link.server,
                phrase,
                Some(Key::Topic(Topic::Submit)),
            );
        }
    }

    /// A hand-written SMTP dialogue, byte for byte, straight to each recipient's mail
    /// host: what an attacker's script does (no `ClientSession` would send bare LFs, or
    /// commands after STARTTLS in the same flight).
    fn send_raw(&mut self, name: &str, address: IpAddr, script: &[String], body: &str) {
        let recipients = self.world.recipients.clone();
        for recipient in recipients {
            let Some((_, domain)) = address_parts(&recipient) else {
                continue;
            };
            let destination = Destination::Domain(domain);
            let routed = self
                .dns
                .route(&mut self.trace, &self.world.zone, name, &destination);
            let Ok(targets) = routed else {
                continue;
            };
            let reachable = targets.iter().find_map(|target| {
                self.world
                    .hosts
                    .iter()
                    .position(|host| host.address == target.address && !host.has(Behaviour::Down))
            });
            let Some(host) =
                reachable.and_then(|index| Some((index, self.world.hosts.get(index)?.clone())))
            else {
                continue;
            };
            let (index, host) = host;
            self.trace.step(Draft {
                kind: StepKind::Connect,
                from: name,
                to: &host.name,
                text: connection_phrase(&host.name, host.address, 25).into(),
                explain: Some(Key::Topic(Topic::Connect)),
                snapshot: None,
            });
            let Some(config) = server_config(&host) else {
                continue;
            };
            let server = ServerSession::new(config, self.connection(address), self.trace.now());
            let rcpt = recipient.to_string();
            let body = body.replace("{rcpt}", &rcpt);
            let usual = [
                "EHLO {name}\r\n",
                "MAIL FROM:<{sender}>\r\n",
                "RCPT TO:{rcpt}\r\n",
                "DATA\r\n",
                "{body}\r\n.\r\n",
                "QUIT\r\n",
            ];
            let script: Vec<&str> = if script.is_empty() {
                usual.to_vec()
            } else {
                script.iter().map(String::as_str).collect()
            };
            let sender = self.world.sender.to_string();
            let flights: Vec<Vec<u8>> = script
                .iter()
                .map(|flight| {
                    flight
                        .replace("{name}", name)
                        .replace("{sender}", &sender)
                        .replace("{rcpt}", &rcpt)
                        .replace("{body}", &body)
                        .into_bytes()
                })
                .collect();
            let link = Link {
                client: name.to_owned(),
                server: host.name.clone(),
                server_host: index,
                latency_ms: host.latency_ms,
                reply_delay_ms: 0,
                submission: false,
            };
            self.converse_raw(&link, server, &flights);
        }
    }

    pub(super) fn connection(&mut self, client: IpAddr) -> ConnectionInfo {
        self.sessions += 1;
        ConnectionInfo {
            client_ip: Some(client),
            trusted: false,
            tls: false,
            tls_summary: None,
            session_id: format!("s{}", self.sessions),
        }
    }

    /// The end of a message at the server of `link`: refused as its policy says, else
    /// queued (submission, backup) or delivered.
    pub(super) fn message(
        &mut self,
        link: &Link,
        envelope: Envelope,
        content: Vec<u8>,
    ) -> Decision {
        let host_index = link.server_host;
        let Some(host) = self.world.hosts.get(host_index).cloned() else {
            return Decision::Reject;
        };
        if let Some(reply) = self.policy.end_of_data((host_index, &host), &content) {
            return Decision::Reply(reply);
        }
        if link.submission || host.role == Role::Backup {
            let topic = if link.submission {
                Topic::Queue
            } else {
                Topic::Relay
            };
            self.enqueue(host_index, envelope, content, topic);
        } else {
            for recipient in &envelope.recipients {
                let mut stored = format!("Return-Path: {}\r\n", envelope.reverse_path).into_bytes();
                stored.extend_from_slice(&content);
                self.mailboxes.deliver(
                    &mut self.trace,
                    (host_index, &host.name),
                    &recipient.forward_path,
                    stored,
                );
            }
        }
        Decision::Accept
    }

    fn finish(self, scenario: &Scenario) -> Trace {
        let (uucp_delivered, uucp_failed) = match &self.uucp {
            Some(Ok(delivered)) => (vec![delivered.clone()], Vec::new()),
            Some(Err(failed)) => (Vec::new(), vec![failed.clone()]),
            None => (Vec::new(), Vec::new()),
        };
        let mut summary = Summary {
            delivered: uucp_delivered
                .into_iter()
                .chain(self.mailboxes.delivered().iter().cloned())
                .collect(),
            failed: uucp_failed,
            round_trips: self.trace.round_trips,
            duration_ms: self.trace.clock_ms,
            ..Summary::default()
        };
        for queued in &self.queue.entries {
            for entry in &queued.message.recipients {
                let path = entry.recipient.forward_path.to_string();
                match &entry.record.state {
                    RecipientState::Failed { outcome } => {
                        summary
                            .failed
                            .push(format!("{path}: {}", one_line(outcome.reply())));
                    }
                    RecipientState::Pending { .. } => summary.pending.push(path),
                    RecipientState::Delivered { .. } => {}
                }
            }
        }
        Trace {
            scenario: scenario.id.clone(),
            title: scenario.title.clone(),
            steps: self.trace.into_steps(),
            summary,
        }
    }
}

/// The message the sender writes (RFC 5322), CRLF line endings.
fn message_content(scenario: &Scenario, world: &World) -> Vec<u8> {
    let spec = &scenario.message;
    let to: Vec<String> = world
        .recipients
        .iter()
        .map(|path| match path {
            ForwardPath::Mailbox(mailbox) => mailbox.to_string(),
            ForwardPath::Postmaster => "Postmaster".to_owned(),
        })
        .collect();
    let sender_domain = world
        .sender
        .domain()
        .map_or_else(String::new, |domain| domain.to_string());
    let message = TextMessage {
        from: &world.sender.to_string(),
        to: &to,
        subject: &spec.subject,
        date: START,
        message_id: &format!("{}.1@{sender_domain}", scenario.id),
        body: &spec.body,
    };
    // The scenario's checks refuse header parts that are not header-safe.
    let mut text = String::from_utf8(message.to_bytes().unwrap_or_default()).unwrap_or_default();
    if let Some(size) = spec.pad_to_size {
        let filler = "The quick brown fox jumps over the lazy dog, again and again.\r\n";
        while (text.len() as u64) < size {
            text.push_str(filler);
        }
    }
    text.into_bytes()
}
