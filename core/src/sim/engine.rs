//! The simulation: submission, queues, routing, delivery attempts, retries and bounces,
//! on a virtual clock. Events are taken in time order from an agenda; ties keep their
//! order of insertion, so a run is deterministic.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

use crate::client::{ClientConfig, ClientSession, Delivery, MessageInfo, Outcome, TlsPolicy};
use crate::code;
use crate::compose::TextMessage;
use crate::envelope::Recipient;
use crate::explain::{Key, Topic};
use crate::queue::attempt::{Attempt, ConnectFailure, Need, Routing};
use crate::queue::{QueuedMessage, RecipientState, RetrySchedule};
use crate::reply::{Reply, build};
use crate::route::{RecordKind, RouteOptions, RoutePlanner, Target, zone};
use crate::server::{
    ConnectionInfo, Credentials, Decision, Envelope, MAX_HOPS, ServerConfig, ServerSession,
    hop_count,
};
use crate::syntax::{
    Domain, ForwardPath, Host as Destination, MailParameters, RcptParameters, ReversePath,
};
use crate::time::UnixTime;

use super::link::{Link, address_parts};
use super::pop3::{Pop3Client, Pop3Server};
use super::scenario::{Behaviour, Role, Scenario, ScenarioError, Submission, World};
use super::trace::{Snapshot, Step, StepKind, Summary, Trace};

/// The virtual clock starts on Monday 2026-01-05 at 09:00 UTC.
const START: UnixTime = UnixTime::from_millis(1_767_603_600_000);
/// The mail client's own address (a documentation address, RFC 5737).
const CLIENT_ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
/// The submission password every simulated user has.
const PASSWORD: &str = "correct horse";
/// How long greylisting holds a new (client, recipient) pair.
const GREYLIST_MS: u64 = 4 * 60 * 1000;
/// How long a connection to an unreachable host waits before giving up.
const CONNECT_TIMEOUT_MS: u64 = 30 * 1000;
/// How long a DNS question takes to be answered.
const DNS_MS: u64 = 4;
/// A run stops after this many steps, whatever the scenario (a guard, far above any
/// built-in scenario's few hundred).
const MAX_STEPS: usize = 20_000;
/// Extra thinking time of a `slow` server per reply.
const SLOW_REPLY_MS: u64 = 1500;

/// A message in some host's queue.
struct Queued {
    holder: usize,
    content: Vec<u8>,
    message: QueuedMessage,
}

/// Runs a scenario and returns its trace, or every problem of the scenario.
pub fn run(scenario: &Scenario) -> Result<Trace, Vec<ScenarioError>> {
    let world = scenario.world()?;
    let mut engine = Engine {
        world,
        clock_ms: 0,
        round_trips: 0,
        steps: Vec::new(),
        queue: Vec::new(),
        agenda: BTreeSet::new(),
        mailboxes: BTreeMap::new(),
        greylist: BTreeMap::new(),
        failed_after_data: BTreeSet::new(),
        schedule: RetrySchedule::postfix(),
        seed: scenario.seed,
        routes_planned: 0,
        sessions: 0,
        srv: scenario.srv_routing,
        delivered: Vec::new(),
        uucp_delivered: Vec::new(),
        uucp_failed: Vec::new(),
    };
    if let Some(uucp) = &scenario.uucp {
        engine.uucp(uucp);
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
    while let Some(&(at, order, queued)) = engine.agenda.first() {
        if at > horizon_ms {
            break;
        }
        if engine.steps.len() > MAX_STEPS {
            let text = format!("simulation stopped after {MAX_STEPS} steps");
            engine.step(Draft {
                kind: StepKind::Note,
                from: "simulator",
                to: "simulator",
                text,
                explain: Some(Key::Topic(Topic::Queue)),
                snapshot: None,
            });
            break;
        }
        engine.agenda.remove(&(at, order, queued));
        engine.clock_ms = engine.clock_ms.max(at);
        engine.attempt(queued);
    }
    engine.fetch_all();
    Ok(engine.finish(scenario))
}

/// A step about to be recorded: what happened, from whom to whom, and what explains it.
pub(super) struct Draft<'a> {
    pub kind: StepKind,
    pub from: &'a str,
    pub to: &'a str,
    /// The exact bytes (commands, replies, data, DNS as text), or a description.
    pub text: String,
    pub explain: Option<Key>,
    pub snapshot: Option<Snapshot>,
}

pub(super) struct Engine {
    world: World,
    pub(super) clock_ms: u64,
    pub(super) round_trips: u32,
    steps: Vec<Step>,
    queue: Vec<Queued>,
    /// (when, insertion order, queue index): attempts to make.
    agenda: BTreeSet<(u64, usize, usize)>,
    /// (host, mailbox) → messages.
    mailboxes: BTreeMap<(usize, String), Vec<Vec<u8>>>,
    /// (host, client, recipient) → first seen, for greylisting.
    greylist: BTreeMap<(usize, String, String), u64>,
    /// Hosts that already failed one message after its data.
    failed_after_data: BTreeSet<usize>,
    schedule: RetrySchedule,
    seed: u64,
    routes_planned: u64,
    sessions: u64,
    srv: bool,
    delivered: Vec<String>,
    pub(super) uucp_delivered: Vec<String>,
    pub(super) uucp_failed: Vec<String>,
}

impl Engine {
    pub(super) fn now(&self) -> UnixTime {
        START.after(core::time::Duration::from_millis(self.clock_ms))
    }

    /// Records a step at the current virtual time.
    pub(super) fn step(&mut self, draft: Draft<'_>) {
        let reference = draft
            .explain
            .map(|key| key.explanation().reference.to_owned());
        self.steps.push(Step {
            at_ms: self.clock_ms,
            kind: draft.kind,
            from: draft.from.to_owned(),
            to: draft.to.to_owned(),
            text: draft.text,
            explain: draft.explain.map(|key| key.to_string()),
            reference,
            snapshot: draft.snapshot,
        });
    }

    fn host_name(&self, host: usize) -> String {
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
        self.step(Draft {
            kind: StepKind::Connect,
            from: &client_name,
            to: &host.name,
            text: format!(
                "TCP connection to {} ({}) port 587",
                host.name, host.address
            ),
            explain: Some(Key::Topic(Topic::Submit)),
            snapshot: None,
        });
        let Some(mut config) = server_config(&host) else {
            return;
        };
        config.extensions.auth_mechanisms = vec!["PLAIN".into()];
        config.tls_available = true;
        let server = ServerSession::new(config, self.connection(CLIENT_ADDRESS), self.now());
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
            self.now(),
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
            let text = format!("submission failed: {failure:?}");
            self.step(Draft {
                kind: StepKind::Note,
                from: &link.client,
                to: &link.server,
                text,
                explain: Some(Key::Topic(Topic::Submit)),
                snapshot: None,
            });
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
            let Ok(targets) = self.route(name, &Destination::Domain(domain)) else {
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
            let text = format!("TCP connection to {} ({}) port 25", host.name, host.address);
            self.step(Draft {
                kind: StepKind::Connect,
                from: name,
                to: &host.name,
                text,
                explain: Some(Key::Topic(Topic::Connect)),
                snapshot: None,
            });
            let Some(config) = server_config(&host) else {
                continue;
            };
            let server = ServerSession::new(config, self.connection(address), self.now());
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

    fn connection(&mut self, client: IpAddr) -> ConnectionInfo {
        self.sessions += 1;
        ConnectionInfo {
            client_ip: Some(client),
            trusted: false,
            tls: false,
            session_id: format!("s{}", self.sessions),
        }
    }

    /// AUTH at the submission server: the sender with the simulated password.
    pub(super) fn authenticate(&self, host: usize, credentials: &Credentials) -> Decision {
        let is_submission = self
            .world
            .hosts
            .get(host)
            .is_some_and(|host| host.role == Role::Submission);
        if is_submission
            && credentials.username == self.world.sender.local_part
            && credentials.password == PASSWORD
        {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }

    /// RCPT at `host`: a submission server relays for its logged-in user; otherwise
    /// only domains the host serves are taken (no open relay, RFC 5321 §3.6.2).
    pub(super) fn rcpt(&mut self, link: &Link, path: &ForwardPath) -> Decision {
        if link.submission {
            return Decision::Accept;
        }
        let Some(host) = self.world.hosts.get(link.server_host).cloned() else {
            return Decision::Reject;
        };
        let Some((local, domain)) = address_parts(path) else {
            return Decision::Accept;
        };
        if !host.serves(&domain) {
            return Decision::Reject;
        }
        if host.role == Role::Backup {
            return Decision::Accept;
        }
        if !host
            .users
            .iter()
            .any(|user| user.eq_ignore_ascii_case(&local))
        {
            return Decision::Reply(build(
                code!(550),
                (1, 1),
                &format!("{path}: no such user here"),
            ));
        }
        if host
            .full_mailboxes
            .iter()
            .any(|user| user.eq_ignore_ascii_case(&local))
        {
            return Decision::Reply(build(code!(452), (2, 2), &format!("{path}: mailbox full")));
        }
        if host.has(Behaviour::Greylisting) {
            let key = (link.server_host, link.client.clone(), path.to_string());
            let first_seen = *self.greylist.entry(key).or_insert(self.clock_ms);
            if self.clock_ms < first_seen + GREYLIST_MS {
                return Decision::Reply(build(
                    code!(451),
                    (7, 1),
                    "greylisted: please try again in 4 minutes",
                ));
            }
        }
        Decision::Accept
    }

    /// The end of a message at `host`: queue it (submission, backup) or deliver it.
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
        if hop_count(&content) > MAX_HOPS {
            return Decision::Reply(build(
                code!(554),
                (4, 6),
                "too many hops (Received fields): a mail loop",
            ));
        }
        if host.has(Behaviour::FailAtEndOfData) && self.failed_after_data.insert(host_index) {
            return Decision::Reply(build(
                code!(451),
                (3, 0),
                "temporary failure after data, try again later",
            ));
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
                self.deliver_locally(host_index, &recipient.forward_path, stored);
            }
        }
        Decision::Accept
    }

    fn deliver_locally(&mut self, host: usize, path: &ForwardPath, stored: Vec<u8>) {
        let mailbox = match path {
            ForwardPath::Mailbox(mailbox) => mailbox.to_string(),
            ForwardPath::Postmaster => "postmaster".to_owned(),
        };
        let host_name = self.host_name(host);
        let text = String::from_utf8_lossy(&stored).into_owned();
        let messages = {
            let list = self.mailboxes.entry((host, mailbox.clone())).or_default();
            list.push(stored);
            list.len()
        };
        self.delivered.push(mailbox.clone());
        self.step(Draft {
            kind: StepKind::Deliver,
            from: &host_name,
            to: &mailbox.clone(),
            text,
            explain: Some(Key::Topic(Topic::Deliver)),
            snapshot: Some(Snapshot::Mailbox {
                host: host_name.clone(),
                mailbox,
                messages,
            }),
        });
    }

    fn enqueue(&mut self, holder: usize, envelope: Envelope, content: Vec<u8>, topic: Topic) {
        let message = QueuedMessage::new(
            envelope.id.clone(),
            envelope.reverse_path,
            &envelope.parameters,
            envelope.recipients,
            self.now(),
        );
        self.queue.push(Queued {
            holder,
            content,
            message,
        });
        let index = self.queue.len() - 1;
        let host_name = self.host_name(holder);
        let snapshot = self.queue_snapshot(index);
        self.step(Draft {
            kind: StepKind::Queue,
            from: &host_name,
            to: &host_name,
            text: format!("message {} queued for delivery", envelope.id),
            explain: Some(Key::Topic(topic)),
            snapshot,
        });
        self.schedule_attempt(self.clock_ms, index);
    }

    fn schedule_attempt(&mut self, at_ms: u64, queued: usize) {
        let order = self.agenda.len() + self.steps.len();
        self.agenda.insert((at_ms, order, queued));
    }

    fn queue_snapshot(&self, index: usize) -> Option<Snapshot> {
        let queued = self.queue.get(index)?;
        let start = START.as_millis();
        let recipients = queued
            .message
            .recipients
            .iter()
            .map(|entry| {
                let path = entry.recipient.forward_path.to_string();
                match &entry.record.state {
                    RecipientState::Pending { next_attempt } => format!(
                        "{path} pending, next attempt at {}",
                        clock(next_attempt.as_millis().saturating_sub(start))
                    ),
                    RecipientState::Delivered { .. } => format!("{path} delivered"),
                    RecipientState::Failed { .. } => format!("{path} failed"),
                }
            })
            .collect();
        Some(Snapshot::Queue {
            host: self.host_name(queued.holder),
            message: queued.message.id.clone(),
            recipients,
        })
    }

    /// One delivery attempt for the due recipients of a queued message: the core's
    /// [`Attempt`] decides, the simulated network answers its needs.
    fn attempt(&mut self, index: usize) {
        let Some(queued) = self.queue.get(index) else {
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
            self.schedule.clone(),
            &content,
            self.now(),
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
                    attempt.routed(routing, self.now())
                }
                Need::Connect(target) => {
                    let connected = self.connect(&holder_name, &target);
                    attempt.connected(connected, self.now())
                }
                Need::Session { target, session } => {
                    let outcome = self.send(holder, &target, *session, &content);
                    attempt.session_ended(outcome, self.now())
                }
                Need::Done => break,
            };
            if let Err(error) = answered {
                let text = format!("simulator: {error}");
                self.step(Draft {
                    kind: StepKind::Note,
                    from: "simulator",
                    to: "simulator",
                    text,
                    explain: None,
                    snapshot: None,
                });
                break;
            }
        }
        let (message, _) = attempt.finish();
        if let Some(queued) = self.queue.get_mut(index) {
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
        if serves {
            let outcomes = recipients
                .iter()
                .map(|recipient| {
                    self.deliver_locally(holder, &recipient.forward_path, stored.to_vec());
                    Delivery::Delivered(build(code!(250), (0, 0), "delivered to a local mailbox"))
                })
                .collect();
            return Routing::Local(outcomes);
        }
        let holder_name = self.host_name(holder);
        match self.route(&holder_name, destination) {
            Ok(targets) => Routing::Targets(targets),
            Err(reply) => Routing::Failed(reply),
        }
    }

    /// A TCP connection from `holder_name` to `target`, as the world's hosts allow.
    fn connect(&mut self, holder_name: &str, target: &Target) -> Result<(), ConnectFailure> {
        self.step(Draft {
            kind: StepKind::Connect,
            from: holder_name,
            to: &target.host,
            text: format!(
                "TCP connection to {} ({}) port {}",
                target.host, target.address, target.port
            ),
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
                self.clock_ms += CONNECT_TIMEOUT_MS;
                let text = format!("no host answers at {}", target.address);
                (ConnectFailure::TimedOut, text, Topic::ConnectTimeout)
            }
            Some(host)
                if host.has(Behaviour::Down) || self.clock_ms < host.down_minutes * 60_000 =>
            {
                self.clock_ms += 2 * host.latency_ms;
                let text = "connection refused".to_owned();
                (ConnectFailure::Refused, text, Topic::ConnectRefused)
            }
            Some(host) if host.has(Behaviour::Unreachable) => {
                self.clock_ms += CONNECT_TIMEOUT_MS;
                let text = format!("no answer within {} s", CONNECT_TIMEOUT_MS / 1000);
                (ConnectFailure::TimedOut, text, Topic::ConnectTimeout)
            }
            Some(_) => return Ok(()),
        };
        self.step(Draft {
            kind: StepKind::ConnectFailed,
            from: holder_name,
            to: &target.host,
            text,
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
        let server = ServerSession::new(config, self.connection(holder.address), self.now());
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
        let Some(queued) = self.queue.get(index) else {
            return;
        };
        let holder_name = self.host_name(queued.holder);
        if let Some(next) = queued.message.next_attempt() {
            let at_ms = next.as_millis().saturating_sub(START.as_millis());
            let snapshot = self.queue_snapshot(index);
            let wait = at_ms.saturating_sub(self.clock_ms);
            let text = format!(
                "temporary failure: next attempt in {} (at {})",
                duration(wait),
                clock(at_ms)
            );
            self.step(Draft {
                kind: StepKind::RetryScheduled,
                from: &holder_name,
                to: &holder_name,
                text,
                explain: Some(Key::Topic(Topic::Retry)),
                snapshot,
            });
            self.schedule_attempt(at_ms, index);
        }
        self.bounce(index);
    }

    /// A DSN for the recipients that failed, queued back to the sender (RFC 3464).
    fn bounce(&mut self, index: usize) {
        let now = self.now();
        let Some(queued) = self.queue.get_mut(index) else {
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
            let text =
                "no report: a message from the null reverse path is never bounced".to_owned();
            self.step(Draft {
                kind: StepKind::Note,
                from: &holder_name,
                to: &holder_name,
                text,
                explain: Some(Key::Topic(Topic::Bounce)),
                snapshot: None,
            });
            return;
        };
        let sender = dsn.recipient.to_string();
        self.step(Draft {
            kind: StepKind::Bounce,
            from: &holder_name,
            to: &sender,
            text: String::from_utf8_lossy(&dsn.content).into_owned(),
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

    /// Plans the route from `holder` to `destination`, asking the scenario's zone.
    fn route(
        &mut self,
        holder_name: &str,
        destination: &Destination,
    ) -> Result<Vec<Target>, Reply> {
        let holder_name = holder_name.to_owned();
        self.routes_planned += 1;
        let options = RouteOptions {
            local_names: vec![holder_name.clone()],
            seed: self.seed.wrapping_add(self.routes_planned),
            max_addresses: 10,
            srv: self.srv,
        };
        let planner = RoutePlanner::new(destination, &options);
        let planned = planner.run(|question| {
            let topic = match question.kind {
                RecordKind::Mx => Topic::DnsMx,
                RecordKind::SmtpSrv => Topic::DnsSrv,
                RecordKind::A | RecordKind::Aaaa => Topic::DnsAddress,
            };
            let text = question.to_string();
            self.step(Draft {
                kind: StepKind::DnsQuery,
                from: &holder_name,
                to: "DNS",
                text,
                explain: Some(Key::Topic(topic)),
                snapshot: None,
            });
            self.clock_ms += DNS_MS;
            let answer = self.world.zone.answer(question);
            let text = zone::describe(question, &answer);
            self.step(Draft {
                kind: StepKind::DnsAnswer,
                from: "DNS",
                to: &holder_name,
                text,
                explain: Some(Key::Topic(Topic::DnsAnswer)),
                snapshot: None,
            });
            answer
        });
        match &planned {
            Ok(targets) => {
                let listed = targets
                    .iter()
                    .map(|target| {
                        format!(
                            "{} ({}:{}, preference {})",
                            target.host, target.address, target.port, target.preference
                        )
                    })
                    .collect();
                let snapshot = Snapshot::Route {
                    domain: destination.to_string(),
                    targets: listed,
                };
                let text = format!("{} host(s) to try for {destination}", targets.len());
                self.step(Draft {
                    kind: StepKind::Note,
                    from: &holder_name,
                    to: &holder_name,
                    text,
                    explain: Some(Key::Topic(Topic::Route)),
                    snapshot: Some(snapshot),
                });
            }
            Err(reply) => {
                let text = format!("no route to {destination}: {}", one_line(reply));
                self.step(Draft {
                    kind: StepKind::Note,
                    from: &holder_name,
                    to: &holder_name,
                    text,
                    explain: Some(Key::Topic(Topic::NoRoute)),
                    snapshot: None,
                });
            }
        }
        planned
    }

    /// The last hop: each mailbox's owner fetches its mail with POP3.
    fn fetch_all(&mut self) {
        let mailboxes: Vec<(usize, String)> = self.mailboxes.keys().cloned().collect();
        for (host, mailbox) in mailboxes {
            self.fetch(host, &mailbox);
        }
    }

    fn fetch(&mut self, host: usize, mailbox: &str) {
        let Some(messages) = self.mailboxes.remove(&(host, mailbox.to_owned())) else {
            return;
        };
        let host_name = self.host_name(host);
        let latency = self
            .world
            .hosts
            .get(host)
            .map_or(20, |host| host.latency_ms);
        let client = format!("{mailbox} (mail client)");
        let user = mailbox.split('@').next().unwrap_or(mailbox).to_owned();
        let text = format!("TCP connection to {host_name} port 110 (POP3)");
        self.step(Draft {
            kind: StepKind::Connect,
            from: &client,
            to: &host_name,
            text,
            explain: Some(Key::Topic(Topic::Pop3)),
            snapshot: None,
        });
        let mut server = Pop3Server::new(&user, PASSWORD, messages);
        let mut pop3 = Pop3Client::new(&user, PASSWORD);
        let mut reply = server.greeting();
        let reply_topic = Topic::Pop3Reply;
        self.pop3_line(latency, &host_name, &client, reply.clone(), reply_topic);
        while let Some(command) = pop3.next_command(&reply) {
            self.round_trips += 1;
            let verb = command.split(' ').next().unwrap_or_default();
            let topic = Topic::of_pop3_command(verb).unwrap_or(Topic::Pop3);
            self.pop3_line(
                latency,
                &client,
                &host_name,
                format!("{command}\r\n"),
                topic,
            );
            reply = server.command(&command);
            self.pop3_line(latency, &host_name, &client, reply.clone(), reply_topic);
        }
        let remaining = server.into_remaining();
        let snapshot = Snapshot::Mailbox {
            host: host_name.clone(),
            mailbox: mailbox.to_owned(),
            messages: remaining.len(),
        };
        let text = format!(
            "{} message(s) downloaded by the mail client",
            pop3.fetched.len()
        );
        self.step(Draft {
            kind: StepKind::Note,
            from: &host_name,
            to: &client,
            text,
            explain: Some(Key::Topic(Topic::Pop3)),
            snapshot: Some(snapshot),
        });
        if !remaining.is_empty() {
            self.mailboxes.insert((host, mailbox.to_owned()), remaining);
        }
    }

    /// One POP3 line across the link: its latency, then its step.
    fn pop3_line(&mut self, latency: u64, from: &str, to: &str, text: String, topic: Topic) {
        self.clock_ms += latency;
        self.step(Draft {
            kind: StepKind::Fetch,
            from,
            to,
            text,
            explain: Some(Key::Topic(topic)),
            snapshot: None,
        });
    }

    fn finish(self, scenario: &Scenario) -> Trace {
        let mut summary = Summary {
            delivered: self
                .uucp_delivered
                .iter()
                .chain(&self.delivered)
                .cloned()
                .collect(),
            failed: self.uucp_failed.clone(),
            round_trips: self.round_trips,
            duration_ms: self.clock_ms,
            ..Summary::default()
        };
        for queued in &self.queue {
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
            steps: self.steps,
            summary,
        }
    }
}

/// The server configuration a host's behaviours give (`None` only for a host name that
/// is not an ASCII domain, which scenario checking refuses).
fn server_config(host: &super::scenario::Host) -> Option<ServerConfig> {
    let mut config = ServerConfig::new(&host.name).ok()?;
    config.local_domains = host.domains.clone();
    config.extensions.pipelining = !host.has(Behaviour::NoPipelining);
    config.extensions.eight_bit_mime = !host.has(Behaviour::No8BitMime);
    config.extensions.smtputf8 = !host.has(Behaviour::NoSmtpUtf8);
    config.quirks.helo_only = host.has(Behaviour::HeloOnly);
    config.quirks.vulnerable_to_smuggling = host.has(Behaviour::SmugglingVulnerable);
    config.tls_available = host.has(Behaviour::StartTls);
    if let Some(size) = host.max_size {
        config.limits.message_size = size;
    }
    Some(config)
}

fn one_line(reply: &Reply) -> String {
    reply.to_string().trim_end().replace("\r\n", " / ")
}

/// `+hh:mm:ss` since the start.
fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    format!(
        "+{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn duration(ms: u64) -> String {
    let minutes = ms / 60_000;
    if minutes >= 60 {
        format!("{} h {} min", minutes / 60, minutes % 60)
    } else if minutes > 0 {
        format!("{minutes} min")
    } else {
        format!("{} s", ms / 1000)
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
