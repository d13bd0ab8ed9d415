//! The delivery loop: every second, queued messages with due recipients get one attempt
//! of the core's [`Attempt`], which makes every delivery decision; this file answers
//! its needs over the network (MX routing over DNS, RFC 5321 §5.1; a TCP connection;
//! the client session), stores the records durably, and sends the DSNs (RFC 3464) the
//! core makes for failures, delivered locally or queued in turn. Within a pass, a
//! connection to a mail host is kept after its message and carries the next message for
//! the same host (RFC 5321 §3.3), as Postfix's connection cache does; the pass ends
//! with QUIT on every kept connection.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read as _;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use wasmtp_core::client::{
    ClientConfig, ClientSession, Delivery, MessageInfo, Outcome, SessionFailure,
};
use wasmtp_core::queue::attempt::{Attempt, ConnectFailure, Need, Routing};
use wasmtp_core::queue::dsn::Dsn;
use wasmtp_core::queue::{QueuedMessage, RecipientState};
use wasmtp_core::route::{RouteOptions, RoutePlanner, SMTP_PORT, Target};
use wasmtp_core::syntax::{Body, Host, MailParameters, ReversePath};

use crate::config::Settings;
use crate::log::Log;
use crate::maildir::{Content, Folder, Maildirs};
use crate::queue::Queue;
use crate::resolver;
use wasmtp_wasi::clock::now;
use wasmtp_wasi::smtp_send::{self, Transport};

/// How often the queue is scanned for due recipients.
const SCAN_INTERVAL: Duration = Duration::from_secs(1);
/// How long a connection to a mail host may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Message content is streamed to the session in pieces of this size.
const READ_SIZE: usize = 64 * 1024;
/// At most this many connections wait for another message at a time; past it, the
/// oldest is closed.
const MAX_KEPT: usize = 16;

/// What the delivery loop works with.
#[derive(Debug)]
pub struct Relay {
    pub settings: Settings,
    pub queue: Queue,
    pub maildirs: Maildirs,
    pub log: Log,
    /// Entries whose state file could not be replaced, as they really stand: a failed
    /// save must not make the loop deliver or bounce again what it already did.
    pub unsaved: RefCell<BTreeMap<String, QueuedMessage>>,
    /// Connections kept open after their message in this pass, oldest first.
    pub kept: RefCell<Vec<Kept>>,
}

/// A connection whose session is done with its message and keeps it for another.
#[derive(Debug)]
pub struct Kept {
    target: Target,
    transport: Transport,
    session: ClientSession,
}

/// A connection for a message: a new one, or one kept from an earlier message with the
/// session that kept it.
struct Opened {
    transport: Transport,
    previous: Option<ClientSession>,
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
                Ok(stored) => {
                    let unsaved = self.unsaved.borrow_mut().remove(&stored.id);
                    // What the file misses is saved again.
                    let mut changed = unsaved.is_some();
                    let mut message = unsaved.unwrap_or(stored);
                    if message.next_attempt().is_some_and(|next| next <= now()) {
                        message = self.attempt(message).await;
                        changed = true;
                    }
                    changed |= self.bounce(&mut message);
                    if message.is_finished() {
                        self.queue.remove(&message.id);
                        self.log.event("removed", &[("id", &message.id)]);
                    } else if changed {
                        self.save(message);
                    }
                }
                Err(problem) => self.log.event("queue-error", &[("problem", &problem)]),
            }
        }
        let kept = std::mem::take(&mut *self.kept.borrow_mut());
        for mut connection in kept {
            self.quit(&mut connection).await;
        }
    }

    async fn quit(&self, connection: &mut Kept) {
        let tls = (
            &self.settings.relay_tls_config,
            connection.target.host.as_str(),
        );
        smtp_send::quit(&mut connection.transport, tls, &mut connection.session).await;
    }

    /// Replaces the state file, or keeps the state in memory until it can.
    fn save(&self, message: QueuedMessage) {
        if let Err(error) = self.queue.save(&message) {
            self.log
                .event("queue-error", &[("id", &message.id), ("problem", &error)]);
            self.unsaved
                .borrow_mut()
                .insert(message.id.clone(), message);
        }
    }

    /// One attempt for the due recipients of `message`.
    async fn attempt(&self, message: QueuedMessage) -> QueuedMessage {
        let content_path = self.queue.content_path(&message.id);
        // An unreadable message fails each session it is streamed in, temporarily.
        let info = message_info(&content_path).unwrap_or(MessageInfo {
            size: 0,
            body: Body::SevenBit,
        });
        let mut client = ClientConfig::new(self.settings.server.hostname().clone());
        client.tls = self.settings.relay_tls;
        client.keep_open = true;
        let schedule = self.settings.retry.clone();
        let id = message.id.clone();
        let mut attempt = Attempt::with_info(message, client, schedule, info, now());
        let mut connection = None;
        loop {
            let answered = match attempt.step() {
                Need::Route { destination, .. } => {
                    let routing = self.route(&destination).await;
                    attempt.routed(routing, now())
                }
                Need::Connect(target) => {
                    let opened = self.open(&id, &target).await;
                    let result = opened.as_ref().map(|_| ()).map_err(Clone::clone);
                    connection = opened.ok();
                    attempt.connected(result, now())
                }
                Need::Session { target, session } => {
                    let outcome = match connection.take() {
                        Some(opened) => self.send(opened, target, *session, &content_path).await,
                        None => broken("no connection".into()),
                    };
                    attempt.session_ended(outcome, now())
                }
                Need::Done => break,
            };
            if let Err(error) = answered {
                self.log.event("relay-error", &[("problem", &error)]);
                break;
            }
        }
        let (message, recorded) = attempt.finish();
        for position in recorded {
            self.log_record(&message, position);
        }
        message
    }

    fn log_record(&self, message: &QueuedMessage, position: usize) {
        let Some(queued) = message.recipients.get(position) else {
            return;
        };
        let record = &queued.record;
        let reply = match &record.state {
            RecipientState::Delivered { outcome } | RecipientState::Failed { outcome } => {
                Some(outcome.reply())
            }
            RecipientState::Pending { .. } => record.last_failure.as_ref().map(Delivery::reply),
        };
        let wire = reply.map(ToString::to_string).unwrap_or_default();
        self.log.event(
            "delivery",
            &[
                ("id", &message.id),
                ("to", &queued.recipient.forward_path),
                ("host", &record.remote.as_deref().unwrap_or_default()),
                ("result", &record.describe()),
                ("attempt", &record.attempts),
                ("reply", &wire.trim_end()),
            ],
        );
    }

    async fn route(&self, destination: &Host) -> Routing {
        let options = RouteOptions {
            local_names: vec![self.settings.server.hostname().to_string()],
            seed: wasip2::random::random::get_random_u64(),
            ..RouteOptions::default()
        };
        let resolver = self.settings.resolver;
        let planned = RoutePlanner::new(destination, &options)
            .run_async(|question| async move { resolver::lookup(resolver, &question).await })
            .await;
        match planned {
            // Every MX host listens on the relay port (25 unless configured).
            Ok(targets) => Routing::Targets(
                targets
                    .into_iter()
                    .map(|target| Target {
                        port: if target.port == SMTP_PORT {
                            self.settings.relay_port
                        } else {
                            target.port
                        },
                        ..target
                    })
                    .collect(),
            ),
            Err(reply) => Routing::Failed(reply),
        }
    }

    /// A connection to `target`: one kept from an earlier message if it still answers
    /// (RSET), else a new one.
    async fn open(&self, id: &str, target: &Target) -> Result<Opened, ConnectFailure> {
        let kept = {
            let mut kept = self.kept.borrow_mut();
            let found = kept
                .iter()
                .position(|connection| connection.target == *target);
            found.map(|position| kept.remove(position))
        };
        if let Some(mut connection) = kept {
            let tls = (&self.settings.relay_tls_config, target.host.as_str());
            if smtp_send::wake(&mut connection.transport, tls, &mut connection.session).await {
                self.log
                    .event("connection-reused", &[("id", &id), ("host", &target.host)]);
                return Ok(Opened {
                    transport: connection.transport,
                    previous: Some(connection.session),
                });
            }
        }
        let address = SocketAddr::new(target.address, target.port);
        let failure = match smtp_send::connect(address, CONNECT_TIMEOUT).await {
            Ok(transport) => {
                return Ok(Opened {
                    transport,
                    previous: None,
                });
            }
            Err(failure) => failure,
        };
        self.log.event(
            "connect-failed",
            &[
                ("id", &id),
                ("host", &target.host),
                ("address", &address),
                ("error", &failure),
            ],
        );
        Err(failure)
    }

    /// `client` over the connection to `target` (whose MX name a certificate must match
    /// under the required TLS policy), the queued message streamed from `content_path`.
    /// A connection the session keeps is kept for the next message to `target`.
    async fn send(
        &self,
        opened: Opened,
        target: Target,
        mut client: ClientSession,
        content_path: &Path,
    ) -> Outcome {
        let Opened {
            mut transport,
            previous,
        } = opened;
        if let Some(previous) = previous
            && let Err(error) = client.continue_from(previous)
        {
            return broken(error.to_string());
        }
        let tls = (&self.settings.relay_tls_config, target.host.as_str());
        let streamed = smtp_send::converse(&mut transport, tls, &mut client, |client| {
            let mut file = File::open(content_path)
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
        if client.is_kept() {
            self.keep(Kept {
                target,
                transport,
                session: client,
            })
            .await;
        }
        streamed.unwrap_or_else(broken)
    }

    /// Keeps a connection for the next message; past [`MAX_KEPT`], the oldest ends
    /// (RFC 5321 §4.1.1.10: QUIT before closing).
    async fn keep(&self, connection: Kept) {
        let oldest = {
            let mut kept = self.kept.borrow_mut();
            kept.push(connection);
            (kept.len() > MAX_KEPT).then(|| kept.remove(0))
        };
        if let Some(mut oldest) = oldest {
            self.quit(&mut oldest).await;
        }
    }

    /// Sends the DSN for failures not yet reported, delivered here if the sender is
    /// local, queued otherwise; none for the null reverse path (RFC 3461 §5.2.7).
    /// Whether anything was marked reported.
    fn bounce(&self, message: &mut QueuedMessage) -> bool {
        // Every pass looks at every entry: read the message only when there is a report.
        if !message.has_unreported_failures() {
            return false;
        }
        let mut content = Vec::new();
        let _ = File::open(self.queue.content_path(&message.id))
            .and_then(|mut file| file.read_to_end(&mut content));
        let hostname = self.settings.server.hostname().to_string();
        let Some(bounce) = message.bounce(&hostname, &content, now()) else {
            return false;
        };
        let sent = match &bounce.dsn {
            Some(dsn) => self.send_dsn(&message.id, dsn),
            None => {
                self.log.event(
                    "no-bounce",
                    &[
                        ("id", &message.id),
                        ("reason", &"null reverse path or NOTIFY"),
                    ],
                );
                Ok(())
            }
        };
        match sent {
            Ok(()) => {
                message.reported(&bounce);
                true
            }
            Err(error) => {
                self.log
                    .event("bounce-error", &[("id", &message.id), ("problem", &error)]);
                false
            }
        }
    }

    fn send_dsn(&self, id: &str, dsn: &Dsn) -> std::io::Result<()> {
        let local = self.settings.is_local(&dsn.recipient);
        self.log.event(
            "bounce",
            &[("id", &id), ("to", &dsn.recipient), ("local", &local)],
        );
        let content = Content::Memory(dsn.content.clone());
        if local {
            return self.maildirs.deliver(
                &content,
                &ReversePath::Null,
                "",
                &[&dsn.recipient],
                Folder::Inbox,
            );
        }
        let bounce = QueuedMessage::new(
            self.queue.new_id(),
            ReversePath::Null,
            &MailParameters::default(),
            vec![wasmtp_core::envelope::Recipient {
                forward_path: dsn.recipient.clone(),
                parameters: Default::default(),
            }],
            now(),
        );
        let signed = self.queue.add(&content, &bounce)?;
        crate::connection::log_signed(&self.log, &bounce.id, signed);
        Ok(())
    }
}

/// The outcome of a session that could not run to its end: the core counts every
/// recipient temporary, the host at fault (RFC 5321 §5.1: the next MX is tried).
fn broken(error: String) -> Outcome {
    Outcome {
        recipients: Vec::new(),
        failure: Some(SessionFailure::Connection(error)),
    }
}

/// The size of the queued message, and whether it needs 8BITMIME.
fn message_info(path: &Path) -> std::io::Result<MessageInfo> {
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
        Body::SevenBit
    } else {
        Body::EightBitMime
    };
    Ok(MessageInfo { size, body })
}
