//! One client connection: bytes and the clock into the session, replies out, decisions
//! answered, messages stored.

use std::cell::Cell;
use std::net::IpAddr;
use std::rc::Rc;
use std::time::Duration;

use wasmtp_core::auth::dmarc::{self, DmarcPolicy};
use wasmtp_core::auth::report;
use wasmtp_core::auth::spf::{self, SpfPolicy};
use wasmtp_core::auth::{Query, dkim, message};
use wasmtp_core::code;
use wasmtp_core::envelope::Recipient;
use wasmtp_core::queue::QueuedMessage;
use wasmtp_core::reply::{Reply, build};
use wasmtp_core::server::{
    ConnectionInfo, Decision, Envelope, Event, MAX_HOPS, ServerSession, hop_count,
};
use wasmtp_core::syntax::{ForwardPath, ReversePath};
use wasmtp_wasi::net::TcpStream;
use wstd::io::AsyncWrite;

use crate::config::Settings;
use crate::deadline::{Deadlines, first};
use crate::log::Log;
use crate::maildir::{Content, Folder, Incoming, Maildirs};
use crate::queue::{Queue, Signed};
use crate::resolver;
use crate::tls_server;
use wasmtp_wasi::clock::now;
use wasmtp_wasi::tls;

/// Bytes read from a client at a time. Every open session holds one such buffer, so it
/// sets the memory of idle connections: 64 KiB made 1,000 idle sessions 91 MiB of RSS
/// (`cargo xtask bench`); a command line is at most 512 octets and message data
/// streams through in pieces anyway.
const READ_SIZE: usize = 8 * 1024;

/// Messages up to this size are kept in memory until they end; larger ones stream to a
/// spool file, so memory stays bounded whatever a client sends.
const IN_MEMORY_LIMIT: usize = 256 * 1024;

/// The message being received, as spooled so far.
#[derive(Debug, Default)]
enum Spool {
    #[default]
    Empty,
    /// Small so far: in memory (no file operations until it is stored).
    Buffered(Vec<u8>),
    Open(Incoming),
    /// Writing failed; the message will be answered `451` at its end.
    Broken,
}

impl Spool {
    fn write(&mut self, maildirs: &Maildirs, bytes: &[u8]) {
        match self {
            Self::Empty => *self = Self::Buffered(bytes.to_vec()),
            Self::Buffered(buffer) if buffer.len() + bytes.len() <= IN_MEMORY_LIMIT => {
                buffer.extend_from_slice(bytes);
            }
            Self::Buffered(buffer) => {
                let mut pending = std::mem::take(buffer);
                pending.extend_from_slice(bytes);
                *self = Self::to_file(maildirs, &pending);
            }
            Self::Open(incoming) => {
                if let Err(error) = incoming.write(bytes) {
                    eprintln!("wasmtp-server: spool: {error}");
                    if let Self::Open(incoming) = std::mem::replace(self, Self::Broken) {
                        incoming.discard();
                    }
                }
            }
            Self::Broken => {}
        }
    }

    fn to_file(maildirs: &Maildirs, bytes: &[u8]) -> Self {
        let spooled = maildirs
            .begin()
            .and_then(|mut incoming| match incoming.write(bytes) {
                Ok(()) => Ok(incoming),
                Err(error) => {
                    incoming.discard();
                    Err(error)
                }
            });
        match spooled {
            Ok(incoming) => Self::Open(incoming),
            Err(error) => {
                eprintln!("wasmtp-server: spool: {error}");
                Self::Broken
            }
        }
    }

    /// The complete message, if it was received whole.
    fn take(&mut self) -> Option<Content> {
        match std::mem::take(self) {
            Self::Buffered(buffer) => Some(Content::Memory(buffer)),
            Self::Open(incoming) => incoming
                .finish()
                .map_err(|error| eprintln!("wasmtp-server: spool: {error}"))
                .ok(),
            Self::Empty | Self::Broken => None,
        }
    }

    fn discard(&mut self) {
        if let Self::Open(incoming) = std::mem::take(self) {
            incoming.discard();
        }
    }
}

/// The kind of port a client came in on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listener {
    /// SMTP (port 25 style): plaintext first, STARTTLS offered when configured.
    Mx,
    /// Submission with implicit TLS (RFC 8314 §3.3, port 465): TLS from the first byte,
    /// AUTH before any mail.
    Submission,
}

/// What every connection shares.
#[derive(Clone, Debug)]
pub struct Shared {
    pub settings: Settings,
    pub maildirs: Maildirs,
    pub queue: Queue,
    pub log: Log,
    /// Sessions now open (the component is single-threaded).
    pub open: Rc<Cell<usize>>,
    pub deadlines: Deadlines,
}

/// Serves one client until it leaves, counting it against the connection limit.
pub async fn serve(stream: TcpStream, kind: Listener, shared: Shared) -> std::io::Result<()> {
    let peer = stream.peer_addr().ok().map(|address| address.ip());
    let peer_text = peer.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    if shared.open.get() >= shared.settings.max_connections {
        // RFC 5321 §3.1 allows a 421 greeting; 4.3.2: system not accepting messages.
        shared.log.event(
            "refused",
            &[("peer", &peer_text), ("reason", &"too many connections")],
        );
        let reply = build(code!(421), (3, 2), "Too many connections; try again later");
        let mut writer = &stream;
        writer.write_all(&reply.to_bytes()).await?;
        return writer.flush().await;
    }
    shared.open.set(shared.open.get() + 1);
    let result = session(&stream, kind, &shared, peer, &peer_text).await;
    shared.open.set(shared.open.get().saturating_sub(1));
    result
}

/// Serves one session and logs its end in one line: the reply it closed with, or the
/// connection error that ended it (a reset, a TLS alert), in a few words.
async fn session(
    stream: &TcpStream,
    kind: Listener,
    shared: &Shared,
    peer: Option<IpAddr>,
    peer_text: &str,
) -> std::io::Result<()> {
    let session_id = format!(
        "{:012x}",
        wasip2::random::random::get_random_u64() & 0xffff_ffff_ffff
    );
    let mut closed_with = None;
    let client = (peer, peer_text);
    let ended = converse(stream, kind, shared, client, &session_id, &mut closed_with).await;
    let id = ("session", &session_id as &dyn std::fmt::Display);
    match (&ended, closed_with) {
        (Err(error), _) => shared.log.event("disconnect", &[id, ("error", error)]),
        (Ok(()), Some(reply)) => {
            let reply = reply.to_string();
            shared
                .log
                .event("disconnect", &[id, ("reply", &reply.trim_end())]);
        }
        (Ok(()), None) => shared.log.event("disconnect", &[id]),
    }
    Ok(())
}

/// The session itself; `closed_with` gets the reply it closed with.
async fn converse(
    stream: &TcpStream,
    kind: Listener,
    shared: &Shared,
    (peer, peer_text): (Option<IpAddr>, &str),
    session_id: &str,
    closed_with: &mut Option<Reply>,
) -> std::io::Result<()> {
    let submission = kind == Listener::Submission;
    let mut transport = match kind {
        Listener::Mx => tls::Stream::Plain(stream),
        Listener::Submission => match start_tls(stream, shared).await {
            Ok(transport) => transport,
            // Logged once, as the session's end.
            Err(error) => {
                let error = format!("TLS handshake with {peer_text}: {error}");
                return Err(std::io::Error::other(error));
            }
        },
    };
    let trusted = shared.settings.is_trusted(peer);
    let connection = ConnectionInfo {
        client_ip: peer,
        trusted,
        tls: submission,
        tls_summary: transport.summary(),
        session_id: session_id.to_owned(),
    };
    shared.log.event(
        "connect",
        &[
            ("session", &session_id),
            ("peer", &peer_text),
            ("trusted", &trusted),
            ("tls", &submission),
        ],
    );
    let mut config = shared.settings.server.clone();
    config.require_auth = submission;
    let mut session = ServerSession::new(config, connection, now());
    let mut spool = Spool::Empty;
    let mut buffer = vec![0; READ_SIZE];
    let mut authenticated = false;
    // Whether the current transaction's mail is checked (SPF, DKIM, DMARC), and its
    // SPF verdict.
    let mut checked = false;
    let mut spf_verdicts: Vec<spf::Verdict> = Vec::new();
    let outcome = 'session: loop {
        while let Some(event) = session.next() {
            let decision = match event {
                Event::Output(bytes) => {
                    transport.write_all(&bytes).await?;
                    continue;
                }
                Event::Close => {
                    spool.discard();
                    *closed_with = session.closed_with().cloned();
                    return transport.close().await;
                }
                Event::Mail { reverse_path, .. } => {
                    checked = peer.is_some()
                        && !(trusted || authenticated)
                        && shared.settings.checks_mail();
                    spf_verdicts = match peer {
                        Some(ip) if checked => {
                            check_spf(shared, &session, ip, &reverse_path, session_id).await
                        }
                        _ => Vec::new(),
                    };
                    spf_verdicts
                        .iter()
                        .find_map(|verdict| verdict.refusal(shared.settings.spf))
                        .map_or(Decision::Accept, Decision::Reply)
                }
                Event::Rcpt { forward_path, .. } => {
                    let may_relay = trusted || authenticated;
                    recipient_decision(&shared.settings, may_relay, &forward_path)
                }
                Event::Authenticate(credentials) => {
                    let verified = shared.settings.logins.verify(&credentials);
                    shared.log.event(
                        "auth",
                        &[
                            ("session", &session_id),
                            ("user", &credentials.username),
                            ("mechanism", &credentials.mechanism),
                            ("success", &verified),
                        ],
                    );
                    authenticated |= verified;
                    if verified {
                        Decision::Accept
                    } else {
                        Decision::Reject
                    }
                }
                Event::MessageData(_) if shared.settings.discard => continue,
                Event::MessageData(bytes) => {
                    spool.write(&shared.maildirs, &bytes);
                    continue;
                }
                Event::MessageAborted => {
                    spool.discard();
                    continue;
                }
                // Benchmark mode: the message was read and checked, and is dropped.
                Event::MessageEnd(_) if shared.settings.discard => Decision::Accept,
                Event::MessageEnd(envelope) => {
                    let content = spool.take();
                    match content {
                        // Mail checked at MAIL FROM gets its DKIM and DMARC checks too,
                        // and one Authentication-Results field with all of them.
                        Some(content) if checked => {
                            let checks =
                                authenticate(shared, &spf_verdicts, content, session_id).await;
                            let policy = shared.settings.dmarc;
                            let dmarc = checks.dmarc.as_ref();
                            match dmarc.and_then(|verdict| verdict.refusal(policy)) {
                                Some(refusal) => {
                                    checks.content.discard();
                                    Decision::Reply(refusal)
                                }
                                None => {
                                    let folder = if dmarc
                                        .is_some_and(|verdict| verdict.quarantines(policy))
                                    {
                                        Folder::Junk
                                    } else {
                                        Folder::Inbox
                                    };
                                    store(
                                        shared,
                                        Some(checks.content),
                                        &envelope,
                                        &checks.field,
                                        folder,
                                    )
                                }
                            }
                        }
                        content => store(shared, content, &envelope, "", Folder::Inbox),
                    }
                }
                // The 220 is out and the session dropped what followed STARTTLS
                // (RFC 3207 §4.2); bytes still in the socket are read as TLS records.
                Event::StartTls => match start_tls(stream, shared).await {
                    Ok(encrypted) => {
                        transport = encrypted;
                        let summary = transport.summary();
                        let described = summary.as_ref().map_or_else(String::new, |summary| {
                            format!("{} {}", summary.version, summary.cipher_suite)
                        });
                        shared
                            .log
                            .event("starttls", &[("session", &session_id), ("tls", &described)]);
                        session.tls_established(now(), summary);
                        continue;
                    }
                    Err(error) => {
                        let error = format!("STARTTLS handshake: {error}");
                        break 'session Err(std::io::Error::other(error));
                    }
                },
            };
            // The event just taken asked for this decision, so one is pending.
            let _answered = session.decide(decision);
        }
        // No flush here: `write_all` hands the bytes to the host, which sends them at once;
        // a flush per reply would only add a host call. Flushing before a close suffices.
        let deadline = session
            .poll_timeout()
            .unwrap_or_else(|| now().after(Duration::from_secs(24 * 3600)));
        match first(
            transport.read(&mut buffer),
            shared.deadlines.until(deadline),
        )
        .await
        {
            Ok(Ok(0)) => break Ok(()),
            Ok(Ok(read)) => session.receive(buffer.get(..read).unwrap_or_default(), now()),
            Ok(Err(error)) => break Err(error),
            Err(()) => session.handle_timeout(now()),
        }
    };
    spool.discard();
    outcome
}

/// How long the SPF check of one MAIL FROM, and the DKIM check of one message, may
/// take (RFC 7208 §4.6.4 suggests at least 20 s); past it the result is `temperror`.
const AUTH_BUDGET: Duration = Duration::from_secs(20);

/// SPF (RFC 7208) of a client neither trusted nor authenticated: its HELO identity
/// when that needs a check of its own (§2.3), then its MAIL FROM identity, each asked
/// through the server's resolver within [`AUTH_BUDGET`]; none when SPF is off.
async fn check_spf(
    shared: &Shared,
    session: &ServerSession,
    ip: IpAddr,
    reverse_path: &ReversePath,
    session_id: &str,
) -> Vec<spf::Verdict> {
    if shared.settings.spf == SpfPolicy::Off {
        return Vec::new();
    }
    let client = spf::Client {
        ip,
        helo: session.helo().map(ToString::to_string).unwrap_or_default(),
        mail_from: match reverse_path {
            ReversePath::Null => String::new(),
            ReversePath::Mailbox(mailbox) => mailbox.to_string(),
        },
        receiver: shared.settings.server.hostname().to_string(),
        now: now().as_millis() / 1000,
    };
    let mut identities = Vec::new();
    if spf::helo_checked_apart(&client) {
        identities.push(spf::Identity::Helo);
    }
    identities.push(spf::Identity::MailFrom);
    let resolver = shared.settings.resolver;
    let mut verdicts = Vec::new();
    for identity in identities {
        let check = match identity {
            spf::Identity::Helo => spf::check_helo(&client),
            spf::Identity::MailFrom => spf::check_mail_from(&client),
        }
        .run_async(|query| async move {
            resolver::lookup_name(resolver, &query.name, query.kind).await
        });
        let deadline = shared.deadlines.until(now().after(AUTH_BUDGET));
        let verdict = first(check, deadline)
            .await
            .unwrap_or_else(|()| spf::timed_out(&client, identity, AUTH_BUDGET));
        shared.log.event(
            "spf",
            &[
                ("session", &session_id),
                ("identity", &identity.name()),
                ("result", &verdict.result.name()),
                ("domain", &verdict.domain),
                ("matched", &verdict.matched.as_deref().unwrap_or_default()),
                ("problem", &verdict.problem.as_deref().unwrap_or_default()),
            ],
        );
        verdicts.push(verdict);
    }
    verdicts
}

/// What the checks of a message found.
struct Checks {
    /// The `Authentication-Results:` field.
    field: String,
    /// The message to store, without any field that claims to be this server's
    /// results (RFC 8601 §5).
    content: Content,
    /// DMARC's verdict, unless DMARC is off.
    dmarc: Option<dmarc::DmarcVerdict>,
}

/// Checks a message of a client neither trusted nor authenticated: the DKIM verdict
/// of each signature (RFC 6376) and DMARC (RFC 7489) with `spf`, their keys and
/// policies asked through the resolver within [`AUTH_BUDGET`] each; all of them in one
/// `Authentication-Results:` field (RFC 8601). The message is read whole for it.
async fn authenticate(
    shared: &Shared,
    spf: &[spf::Verdict],
    content: Content,
    session_id: &str,
) -> Checks {
    let hostname = shared.settings.server.hostname().to_string();
    let message = content
        .head(usize::try_from(content.len()).unwrap_or(usize::MAX))
        .map(|head| head.into_owned())
        .unwrap_or_default();
    let content = match message::without_results_claiming(&message, &hostname) {
        Some(cleaned) => {
            shared
                .log
                .event("forged-results-removed", &[("session", &session_id)]);
            content.discard();
            Content::Memory(cleaned)
        }
        None => content,
    };
    let resolver = shared.settings.resolver;
    let lookup = move |query: Query| async move {
        resolver::lookup_name(resolver, &query.name, query.kind).await
    };
    let check = dkim::verify(&message, now().as_millis() / 1000).run_async(lookup);
    let deadline = shared.deadlines.until(now().after(AUTH_BUDGET));
    let verdicts = first(check, deadline)
        .await
        .unwrap_or_else(|()| vec![dkim::DkimVerdict::timed_out(AUTH_BUDGET)]);
    for verdict in &verdicts {
        shared.log.event(
            "dkim",
            &[
                ("session", &session_id),
                ("result", &verdict.result.name()),
                ("domain", &verdict.domain),
                ("selector", &verdict.selector),
                ("problem", &verdict.problem.as_deref().unwrap_or_default()),
            ],
        );
    }
    let dmarc = if shared.settings.dmarc == DmarcPolicy::Off {
        None
    } else {
        let author = message::author_domain(&message::split(&message).0);
        let from_domain = author.clone().unwrap_or_default();
        // DMARC aligns with the MAIL FROM identity (RFC 7489 §4.1), HELO's for a bounce.
        let mail_from = spf
            .iter()
            .find(|verdict| verdict.identity == spf::Identity::MailFrom);
        let evidence = dmarc::Evidence::of(mail_from, &verdicts);
        // pct= (RFC 7489 §6.6.4) samples failing mail at random.
        let sample = (wasip2::random::random::get_random_u64() % 100) as u8;
        let check = dmarc::check(author, &evidence, sample).run_async(lookup);
        let deadline = shared.deadlines.until(now().after(AUTH_BUDGET));
        let verdict = first(check, deadline)
            .await
            .unwrap_or_else(|()| dmarc::DmarcVerdict::timed_out(&from_domain, AUTH_BUDGET));
        shared.log.event(
            "dmarc",
            &[
                ("session", &session_id),
                ("result", &verdict.result.name()),
                ("domain", &verdict.from_domain),
                ("disposition", &verdict.disposition.name()),
                ("problem", &verdict.problem.as_deref().unwrap_or_default()),
            ],
        );
        Some(verdict)
    };
    Checks {
        field: report::field(&hostname, spf, &verdicts, dmarc.as_ref()),
        content,
        dmarc,
    }
}

/// The server side of a TLS handshake on `stream`, within [`tls::HANDSHAKE_TIMEOUT`].
async fn start_tls<'a>(
    stream: &'a TcpStream,
    shared: &Shared,
) -> Result<tls::Stream<&'a TcpStream>, String> {
    let config = (shared.settings.tls.clone()).ok_or("TLS is not configured")?;
    let deadline = shared.deadlines.until(now().after(tls::HANDSHAKE_TIMEOUT));
    match first(tls_server::accept(stream, config), deadline).await {
        Ok(Ok(encrypted)) => Ok(encrypted),
        Ok(Err(error)) => Err(error.to_string()),
        Err(()) => Err("the TLS handshake timed out".to_owned()),
    }
}

/// The decision on a complete message: stored durably (with `trace`, the fields this
/// server adds above its `Received:`), or refused with why.
fn store(
    shared: &Shared,
    content: Option<Content>,
    envelope: &Envelope,
    trace: &str,
    folder: Folder,
) -> Decision {
    let Some(content) = content else {
        return store_failed(shared, envelope, "not spooled");
    };
    if too_many_hops(&content) {
        content.discard();
        shared.log.event("loop", &[("id", &envelope.id)]);
        // RFC 5321 §6.3: count Received fields to detect a loop.
        let reply = build(
            code!(554),
            (4, 6),
            "Too many hops: a mail loop (RFC 5321 6.3)",
        );
        return Decision::Reply(reply);
    }
    let stored = accept(shared, &content, envelope, trace, folder);
    content.discard();
    match stored {
        Ok(()) => Decision::Accept,
        Err(problem) => store_failed(shared, envelope, &problem),
    }
}

/// Whether the message's header section holds more than [`MAX_HOPS`] Received fields.
fn too_many_hops(content: &Content) -> bool {
    content
        .head(256 * 1024)
        .is_ok_and(|head| hop_count(&head) > MAX_HOPS)
}

/// `451 4.3.0` for a message that could not be stored: the client keeps it and retries
/// (RFC 5321 §4.2.2, RFC 3463 §3.4).
fn store_failed(shared: &Shared, envelope: &Envelope, problem: &str) -> Decision {
    shared.log.event(
        "store-error",
        &[("id", &envelope.id), ("problem", &problem)],
    );
    Decision::Reply(build(
        code!(451),
        (3, 0),
        "Local error in processing; try again later",
    ))
}

/// RCPT: local domains take known users (any user without a list; postmaster always,
/// RFC 5321 §4.5.1); other domains only from trusted or authenticated clients (no open
/// relay, §3.6.2).
fn recipient_decision(settings: &Settings, may_relay: bool, path: &ForwardPath) -> Decision {
    let ForwardPath::Mailbox(mailbox) = path else {
        return Decision::Accept;
    };
    if !settings.is_local(path) {
        return if may_relay {
            Decision::Accept
        } else {
            Decision::Reject
        };
    }
    // user%host@here, host!user@here and "user@host"@here are old relaying tricks: the
    // local part names another destination. Never a local mailbox here.
    if mailbox.local_part.contains(['%', '!', '@']) {
        return Decision::Reply(build(
            code!(550),
            (7, 1),
            "Relaying through address tricks is not allowed",
        ));
    }
    let known = settings.users.is_empty()
        || mailbox.is_postmaster()
        || settings
            .users
            .contains(&mailbox.local_part.to_ascii_lowercase());
    if known {
        Decision::Accept
    } else {
        Decision::Reply(build(
            code!(550),
            (1, 1),
            &format!("{path}: no such user here"),
        ))
    }
}

/// Logs how the queue signed message `id` (nothing when no key applied).
pub fn log_signed(log: &Log, id: &str, signed: Signed) {
    match signed {
        None => {}
        Some(Ok(domain)) => log.event("dkim-signed", &[("queue_id", &id), ("domain", &domain)]),
        Some(Err(problem)) => log.event(
            "dkim-sign-error",
            &[("queue_id", &id), ("problem", &problem)],
        ),
    }
}

/// Stores a complete message: local recipients into their mailboxes, the others into
/// the relay queue. Durable when it returns `Ok`.
fn accept(
    shared: &Shared,
    content: &Content,
    envelope: &Envelope,
    trace: &str,
    folder: Folder,
) -> Result<(), String> {
    let (local, remote): (Vec<&Recipient>, Vec<&Recipient>) = envelope
        .recipients
        .iter()
        .partition(|recipient| shared.settings.is_local(&recipient.forward_path));
    let size = content.len();
    if !remote.is_empty() {
        let entry = QueuedMessage::new(
            shared.queue.new_id(),
            envelope.reverse_path.clone(),
            &envelope.parameters,
            remote
                .iter()
                .map(|recipient| (*recipient).clone())
                .collect(),
            now(),
        );
        let signed = shared
            .queue
            .add(content, &entry)
            .map_err(|error| format!("queue: {error}"))?;
        log_signed(&shared.log, &entry.id, signed);
        shared.log.event(
            "queued",
            &[
                ("id", &envelope.id),
                ("queue_id", &entry.id),
                ("size", &size),
                ("recipients", &remote.len()),
            ],
        );
    }
    if !local.is_empty() {
        let paths: Vec<&ForwardPath> = local
            .iter()
            .map(|recipient| &recipient.forward_path)
            .collect();
        shared
            .maildirs
            .deliver(content, &envelope.reverse_path, trace, &paths, folder)
            .map_err(|error| format!("maildir: {error}"))?;
        shared.log.event(
            "stored",
            &[
                ("id", &envelope.id),
                ("from", &envelope.reverse_path),
                ("size", &size),
                ("recipients", &local.len()),
                ("folder", &folder),
            ],
        );
    }
    Ok(())
}
