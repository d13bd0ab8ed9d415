//! The delivery loop: every second, queued recipients that are due are routed (MX over
//! DNS, RFC 5321 §5.1) and sent with the core's `ClientSession`; outcomes are recorded
//! durably, temporary failures wait for the retry schedule, and permanent failures are
//! reported to the sender with a DSN (RFC 3464), delivered locally or queued in turn.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read as _;
use std::net::SocketAddr;
use std::time::Duration;

use wasmtp_core::client::{
    ClientConfig, ClientSession, Delivery, MessageInfo, Outcome, SessionFailure,
};
use wasmtp_core::queue::dsn::{Action, RecipientReport, Report};
use wasmtp_core::reply::{Reply, build};
use wasmtp_core::route::{RouteOptions, RoutePlanner, SMTP_PORT, Target};
use wasmtp_core::syntax::reply::parse_reply;
use wasmtp_core::syntax::{Domain, ForwardPath, Host, MailParameters, ReversePath};
use wstd::future::FutureExt as _;
use wstd::net::TcpStream;

use crate::config::Settings;
use crate::log::Log;
use crate::maildir::{Content, Maildirs};
use crate::queue::{Entry, Queue, QueuedRecipient, Status};
use crate::resolver;
use crate::smtp_send::{self, now};

/// How often the queue is scanned for due recipients.
const SCAN_INTERVAL: Duration = Duration::from_secs(1);
/// How long a connection to a mail host may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Message content is streamed to the session in pieces of this size.
const READ_SIZE: usize = 64 * 1024;

/// What the delivery loop works with.
#[derive(Clone, Debug)]
pub struct Relay {
    pub settings: Settings,
    pub queue: Queue,
    pub maildirs: Maildirs,
    pub log: Log,
}

impl Relay {
    /// Runs for ever.
    pub async fn run(self) {
        loop {
            self.pass().await;
            wstd::task::sleep(wstd::time::Duration::from(SCAN_INTERVAL)).await;
        }
    }

    async fn pass(&self) {
        for entry in self.queue.entries() {
            match entry {
                Ok(mut entry) => {
                    if entry.next_attempt().is_some_and(|next| next <= now()) {
                        self.attempt(&mut entry).await;
                    }
                    self.settle(&mut entry);
                }
                Err(problem) => self.log.event("queue-error", &[("problem", &problem)]),
            }
        }
    }

    /// One attempt for the due recipients of `entry`, domain by domain.
    async fn attempt(&self, entry: &mut Entry) {
        let now = now();
        let mut by_domain: BTreeMap<String, (Domain, Vec<usize>)> = BTreeMap::new();
        for (position, queued) in entry.recipients.iter().enumerate() {
            if queued.status != Status::Pending || queued.next_attempt > now {
                continue;
            }
            if let ForwardPath::Mailbox(mailbox) = &queued.recipient.forward_path
                && let Host::Domain(domain) = &mailbox.host
            {
                by_domain
                    .entry(domain.as_str().to_ascii_lowercase())
                    .or_insert_with(|| (domain.clone(), Vec::new()))
                    .1
                    .push(position);
            }
        }
        for (domain, positions) in by_domain.into_values() {
            match self.route(&domain).await {
                Err(reply) => {
                    for &position in &positions {
                        self.record(entry, position, Delivery::of_refusal(reply.clone()), None);
                    }
                }
                Ok(targets) => self.try_targets(entry, positions, &targets).await,
            }
        }
        if let Err(error) = self.queue.save(entry) {
            self.log
                .event("queue-error", &[("id", &entry.id), ("problem", &error)]);
        }
    }

    async fn route(&self, domain: &Domain) -> Result<Vec<Target>, Reply> {
        let options = RouteOptions {
            local_names: vec![self.settings.server.hostname().to_string()],
            seed: wasip2::random::random::get_random_u64(),
            ..RouteOptions::default()
        };
        let resolver = self.settings.resolver;
        RoutePlanner::new(&Host::Domain(domain.clone()), &options)
            .run_async(|question| async move { resolver::lookup(resolver, &question).await })
            .await
    }

    async fn try_targets(&self, entry: &mut Entry, mut remaining: Vec<usize>, targets: &[Target]) {
        let mut last_failure = build(451, (4, 4), "no mail host could be reached");
        for target in targets {
            if remaining.is_empty() {
                break;
            }
            let port = if target.port == SMTP_PORT {
                self.settings.relay_port
            } else {
                target.port
            };
            let address = SocketAddr::new(target.address, port);
            let connected = TcpStream::connect(address)
                .timeout(wstd::time::Duration::from(CONNECT_TIMEOUT))
                .await;
            let stream = match connected {
                Ok(Ok(stream)) => stream,
                Ok(Err(error)) => {
                    last_failure = build(
                        451,
                        (4, 4),
                        &format!("cannot connect to {} ({address}): {error}", target.host),
                    );
                    self.log.event(
                        "connect-failed",
                        &[
                            ("id", &entry.id),
                            ("host", &target.host),
                            ("address", &address),
                            ("error", &error),
                        ],
                    );
                    continue;
                }
                Err(_) => {
                    last_failure = build(
                        451,
                        (4, 2),
                        &format!("connection to {} ({address}) timed out", target.host),
                    );
                    continue;
                }
            };
            let outcome = self.send(&stream, &target.host, entry, &remaining).await;
            let session_failed = outcome.host_failed();
            let mut still = Vec::new();
            for (recipient, delivery) in outcome.recipients {
                let Some(position) = remaining.iter().copied().find(|&position| {
                    entry
                        .recipients
                        .get(position)
                        .is_some_and(|queued| queued.recipient == recipient)
                }) else {
                    continue;
                };
                match delivery {
                    // §5.1: a host that could not take the session: try the next one.
                    Delivery::Temporary(reply) if session_failed => {
                        last_failure = reply;
                        still.push(position);
                    }
                    delivery => self.record(entry, position, delivery, Some(target.host.clone())),
                }
            }
            remaining = still;
        }
        for position in remaining {
            self.record(
                entry,
                position,
                Delivery::Temporary(last_failure.clone()),
                None,
            );
        }
    }

    /// One SMTP session for the given recipients of `entry` over `stream` to `host`
    /// (the MX name a certificate must match under the required TLS policy).
    async fn send(
        &self,
        stream: &TcpStream,
        host: &str,
        entry: &Entry,
        positions: &[usize],
    ) -> Outcome {
        let broken = |text: String| Outcome {
            recipients: positions
                .iter()
                .filter_map(|&position| entry.recipients.get(position))
                .map(|queued| {
                    (
                        queued.recipient.clone(),
                        Delivery::Temporary(build(451, (3, 0), &text)),
                    )
                })
                .collect(),
            failure: Some(SessionFailure::Connection(text)),
        };
        let content_path = self.queue.content_path(&entry.id);
        let (size, body) = match message_info(&content_path) {
            Ok(info) => info,
            Err(error) => return broken(format!("queued message unreadable: {error}")),
        };
        let mut config = ClientConfig::new(self.settings.server.hostname().clone());
        config.tls = self.settings.relay_tls;
        let recipients = positions
            .iter()
            .filter_map(|&position| entry.recipients.get(position))
            .map(|queued| queued.recipient.clone())
            .collect();
        let mut client = ClientSession::new(
            config,
            entry.reverse_path.clone(),
            entry.parameters.clone(),
            recipients,
            MessageInfo { size, body },
            now(),
        );
        let tls = (&self.settings.relay_tls_config, host);
        let streamed = smtp_send::converse(stream, tls, &mut client, |client| {
            let mut file = File::open(&content_path)
                .map_err(|error| format!("queued message unreadable: {error}"))?;
            let mut buffer = vec![0; READ_SIZE];
            loop {
                match file.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(read) => client.message_data(buffer.get(..read).unwrap_or_default()),
                    Err(error) => return Err(format!("queued message unreadable: {error}")),
                }
            }
            client.message_end();
            Ok(())
        })
        .await;
        streamed.unwrap_or_else(broken)
    }

    /// Records one recipient's outcome, with the retry schedule for temporary ones.
    fn record(
        &self,
        entry: &mut Entry,
        position: usize,
        delivery: Delivery,
        remote: Option<String>,
    ) {
        let now = now();
        let arrival = entry.arrival;
        let Some(queued) = entry.recipients.get_mut(position) else {
            return;
        };
        queued.attempts += 1;
        queued.remote = remote.clone();
        let (kind, reply) = match delivery {
            Delivery::Delivered(reply) => {
                queued.status = Status::Delivered;
                ("delivered", reply)
            }
            Delivery::Permanent(reply) => {
                queued.status = Status::Failed;
                ("failed", reply)
            }
            Delivery::Temporary(reply) => match self.settings.retry.next_attempt(arrival, now) {
                Some(next) => {
                    queued.next_attempt = next;
                    ("deferred", reply)
                }
                None => {
                    queued.status = Status::Failed;
                    ("expired", reply)
                }
            },
        };
        let wire = reply.to_string();
        self.log.event(
            "delivery",
            &[
                ("id", &entry.id),
                ("to", &queued.recipient.forward_path),
                ("host", &remote.unwrap_or_default()),
                ("result", &kind),
                ("attempt", &queued.attempts),
                ("reply", &wire.trim_end()),
            ],
        );
        queued.last_reply = Some(wire);
    }

    /// Bounces failed recipients not yet reported, and removes a finished entry.
    fn settle(&self, entry: &mut Entry) {
        let unreported: Vec<usize> = entry
            .recipients
            .iter()
            .enumerate()
            .filter(|(_, queued)| queued.status == Status::Failed && !queued.bounced)
            .map(|(position, _)| position)
            .collect();
        if !unreported.is_empty() {
            match self.bounce(entry, &unreported) {
                Ok(()) => {
                    for position in unreported {
                        if let Some(queued) = entry.recipients.get_mut(position) {
                            queued.bounced = true;
                        }
                    }
                    let _ = self.queue.save(entry);
                }
                Err(error) => self
                    .log
                    .event("bounce-error", &[("id", &entry.id), ("problem", &error)]),
            }
        }
        if entry.is_finished()
            && entry
                .recipients
                .iter()
                .all(|queued| queued.status != Status::Failed || queued.bounced)
        {
            self.queue.remove(&entry.id);
            self.log.event("removed", &[("id", &entry.id)]);
        }
    }

    /// A DSN for the given failed recipients, to the sender: delivered here if the sender
    /// is local, queued otherwise; none for the null reverse path (RFC 3461 §5.2.7).
    fn bounce(&self, entry: &Entry, positions: &[usize]) -> std::io::Result<()> {
        let reports: Vec<RecipientReport> = positions
            .iter()
            .filter_map(|&position| entry.recipients.get(position))
            .map(|queued| report(queued, now()))
            .collect();
        let mut content = Vec::new();
        let _ = File::open(self.queue.content_path(&entry.id))
            .and_then(|mut file| file.read_to_end(&mut content));
        let hostname = self.settings.server.hostname().to_string();
        let built = Report {
            reporting_mta: &hostname,
            queue_id: &entry.id,
            reverse_path: &entry.reverse_path,
            parameters: &entry.parameters,
            arrival: entry.arrival,
            now: now(),
            recipients: &reports,
            message: &content,
        }
        .build();
        let Some(dsn) = built else {
            self.log.event(
                "no-bounce",
                &[
                    ("id", &entry.id),
                    ("reason", &"null reverse path or NOTIFY"),
                ],
            );
            return Ok(());
        };
        let local = self.settings.is_local(&dsn.recipient);
        self.log.event(
            "bounce",
            &[("id", &entry.id), ("to", &dsn.recipient), ("local", &local)],
        );
        if local {
            return self.maildirs.deliver(
                &Content::Memory(dsn.content),
                &ReversePath::Null,
                &[&dsn.recipient],
            );
        }
        let bounce = Entry {
            id: self.queue.new_id(),
            reverse_path: ReversePath::Null,
            parameters: MailParameters::default(),
            arrival: now(),
            recipients: vec![QueuedRecipient::new(
                wasmtp_core::envelope::Recipient {
                    forward_path: dsn.recipient,
                    parameters: Default::default(),
                },
                now(),
            )],
        };
        self.queue.add(&Content::Memory(dsn.content), &bounce)
    }
}

/// The report of one failed recipient, its reply read back from the queue file.
fn report(queued: &QueuedRecipient, now: wasmtp_core::time::UnixTime) -> RecipientReport {
    let reply = queued
        .last_reply
        .as_deref()
        .and_then(|wire| parse_reply(wire.as_bytes()).ok().flatten())
        .map(|(reply, _)| reply)
        .unwrap_or_else(|| build(554, (0, 0), "delivery failed"));
    RecipientReport {
        recipient: queued.recipient.clone(),
        action: Action::Failed,
        reply,
        remote_mta: queued.remote.clone(),
        last_attempt: now,
        will_retry_until: None,
    }
}

/// The size of the queued message, and whether it needs 8BITMIME.
fn message_info(path: &std::path::Path) -> std::io::Result<(u64, wasmtp_core::syntax::Body)> {
    let mut file = File::open(path)?;
    let mut buffer = vec![0; READ_SIZE];
    let (mut size, mut ascii) = (0u64, true);
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        size += read as u64;
        ascii &= buffer.get(..read).is_some_and(<[u8]>::is_ascii);
    }
    let body = if ascii {
        wasmtp_core::syntax::Body::SevenBit
    } else {
        wasmtp_core::syntax::Body::EightBitMime
    };
    Ok((size, body))
}
