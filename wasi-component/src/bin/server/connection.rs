//! One client connection: bytes and the clock into the session, replies out, decisions
//! answered, messages stored.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wasmtp_core::reply::build;
use wasmtp_core::server::{ConnectionInfo, Decision, Event, ServerConfig, ServerSession};
use wasmtp_core::time::UnixTime;
use wstd::future::FutureExt as _;
use wstd::io::{AsyncRead, AsyncWrite};
use wstd::net::TcpStream;

use crate::maildir::{Incoming, Maildirs};

fn now() -> UnixTime {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    UnixTime::from_millis(u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX))
}

/// The message being received, as spooled so far.
#[derive(Debug, Default)]
enum Spool {
    #[default]
    Empty,
    Open(Incoming),
    /// Writing failed; the message will be answered `451` at its end.
    Broken,
}

impl Spool {
    fn write(&mut self, maildirs: &Maildirs, bytes: &[u8]) {
        if matches!(self, Self::Empty) {
            *self = match maildirs.begin() {
                Ok(incoming) => Self::Open(incoming),
                Err(error) => {
                    eprintln!("wasmtp-server: spool: {error}");
                    Self::Broken
                }
            };
        }
        let Self::Open(incoming) = self else {
            return;
        };
        if let Err(error) = incoming.write(bytes) {
            eprintln!("wasmtp-server: spool: {error}");
            if let Self::Open(incoming) = std::mem::replace(self, Self::Broken) {
                maildirs.discard(incoming);
            }
        }
    }

    /// The complete message, if it was spooled whole.
    fn take(&mut self) -> Option<Incoming> {
        match std::mem::take(self) {
            Self::Open(incoming) => Some(incoming),
            Self::Empty | Self::Broken => None,
        }
    }

    fn discard(&mut self, maildirs: &Maildirs) {
        if let Some(incoming) = self.take() {
            maildirs.discard(incoming);
        }
    }
}

/// The client's IP from wstd's `peer_addr`, which only gives the Debug text of the
/// `wasi:sockets` address, e.g. `Ipv4(Ipv4SocketAddress { port: 5, address: (127, 0, 0, 1) })`.
fn ip_of_peer(debug: &str) -> Option<IpAddr> {
    let (_, after) = debug.split_once("address: (")?;
    let (numbers, _) = after.split_once(')')?;
    let parts: Vec<u16> = numbers
        .split(',')
        .map(|part| part.trim().parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [a, b, c, d] => Some(IpAddr::V4(Ipv4Addr::new(
            u8::try_from(*a).ok()?,
            u8::try_from(*b).ok()?,
            u8::try_from(*c).ok()?,
            u8::try_from(*d).ok()?,
        ))),
        [a, b, c, d, e, f, g, h] => Some(IpAddr::V6(Ipv6Addr::new(*a, *b, *c, *d, *e, *f, *g, *h))),
        _ => None,
    }
}

pub async fn serve(
    stream: TcpStream,
    config: ServerConfig,
    maildirs: Maildirs,
) -> std::io::Result<()> {
    let connection = ConnectionInfo {
        client_ip: stream.peer_addr().ok().as_deref().and_then(ip_of_peer),
        trusted: false,
        tls: false,
        session_id: format!(
            "{:012x}",
            wasip2::random::random::get_random_u64() & 0xffff_ffff_ffff
        ),
    };
    let mut session = ServerSession::new(config, connection, now());
    let mut spool = Spool::Empty;
    let mut buffer = vec![0; 64 * 1024];
    let (mut reader, mut writer) = (&stream, &stream);
    loop {
        while let Some(event) = session.next() {
            match event {
                Event::Output(bytes) => writer.write_all(&bytes).await?,
                Event::Close => return writer.flush().await,
                Event::Mail { .. } | Event::Rcpt { .. } => session.decide(Decision::Accept),
                // No user database yet: AUTH is not offered, so nothing to check.
                Event::Authenticate(_) => session.decide(Decision::Reject),
                Event::MessageData(bytes) => spool.write(&maildirs, &bytes),
                Event::MessageAborted => spool.discard(&maildirs),
                Event::MessageEnd(envelope) => {
                    let stored = match spool.take() {
                        Some(file) => maildirs
                            .deliver(file, &envelope)
                            .inspect_err(|error| {
                                eprintln!("wasmtp-server: delivery of {}: {error}", envelope.id)
                            })
                            .is_ok(),
                        None => false,
                    };
                    // 451 4.3.0 if it could not be stored: the client keeps the message
                    // and retries (RFC 5321 §4.2.2, RFC 3463 §3.4).
                    let decision = if stored {
                        Decision::Accept
                    } else {
                        Decision::Reply(build(
                            451,
                            (3, 0),
                            "Local error in processing; try again later",
                        ))
                    };
                    session.decide(decision);
                }
                // TLS is not offered yet, so the session never asks for it.
                Event::StartTls => return Ok(()),
            }
        }
        writer.flush().await?;
        let wait = session
            .poll_timeout()
            .map(|deadline| deadline.since(now()))
            .unwrap_or(Duration::from_secs(24 * 3600));
        match reader
            .read(&mut buffer)
            .timeout(wstd::time::Duration::from(wait))
            .await
        {
            Ok(Ok(0)) => {
                spool.discard(&maildirs);
                return Ok(());
            }
            Ok(Ok(read)) => session.receive(buffer.get(..read).unwrap_or_default(), now()),
            Ok(Err(error)) => return Err(error),
            Err(_) => session.handle_timeout(now()),
        }
    }
}
