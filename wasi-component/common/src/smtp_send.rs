//! SMTP client sessions over `wasi:sockets` TCP, shared by the server's relay queue and
//! the edge's send endpoint: the core's `ClientSession` says what to write, this opens
//! the connection, moves the bytes, runs STARTTLS, keeps the deadlines, and asks the
//! caller for the message when the server is ready for it. A connection whose session
//! is kept open ([`ClientConfig::keep_open`](wasmtp_core::client::ClientConfig)) can
//! carry the next message to the same server ([`wake`]).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::net::TcpStream;
use wasmtp_core::client::{ClientSession, Event, Outcome};
use wasmtp_core::queue::attempt::ConnectFailure;
use wstd::future::FutureExt as _;

use crate::clock::now;
use crate::tls;

/// Bytes read from the server at a time.
const READ_SIZE: usize = 16 * 1024;

/// A connection to a mail server: the socket, with TLS on it after STARTTLS.
pub type Transport = tls::Stream<TcpStream>;

/// The certificate check for STARTTLS: the client configuration, and the name the
/// server's certificate must match (RFC 3207, RFC 7672).
pub type TlsCheck<'a> = (&'a Arc<rustls::ClientConfig>, &'a str);

/// Opens a TCP connection to `address` within `timeout`.
pub async fn connect(address: SocketAddr, timeout: Duration) -> Result<Transport, ConnectFailure> {
    match TcpStream::connect(address)
        .timeout(wstd::time::Duration::from(timeout))
        .await
    {
        Ok(Ok(stream)) => Ok(Transport::Plain(stream)),
        Ok(Err(error)) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
            Err(ConnectFailure::Refused)
        }
        Ok(Err(error)) => Err(ConnectFailure::Other(error.to_string())),
        Err(_) => Err(ConnectFailure::TimedOut),
    }
}

/// Runs `client` over `transport` to its outcome. STARTTLS, when the client's policy
/// asks for it, runs TLS checked as `tls` says. `stream_message` is called when the
/// server is ready for the content: it feeds `message_data` and calls `message_end`.
/// An error from it ends the session with that error, for the caller to report.
pub async fn converse(
    transport: &mut Transport,
    tls: TlsCheck<'_>,
    client: &mut ClientSession,
    stream_message: impl FnMut(&mut ClientSession) -> Result<(), String>,
) -> Result<Outcome, String> {
    match drive(transport, tls, client, stream_message).await? {
        Stop::Done(outcome) => Ok(outcome),
        Stop::Ready | Stop::Closed => Err("the session ended without an outcome".into()),
    }
}

/// Checks a kept connection before its next message (RSET): whether `client` is now
/// ready to hand it on with `continue_from`. A connection that is not is closed.
pub async fn wake(
    transport: &mut Transport,
    tls: TlsCheck<'_>,
    client: &mut ClientSession,
) -> bool {
    client.wake(now());
    matches!(
        drive(transport, tls, client, no_message).await,
        Ok(Stop::Ready)
    )
}

/// Ends a kept connection: QUIT, its reply, and the close.
pub async fn quit(transport: &mut Transport, tls: TlsCheck<'_>, client: &mut ClientSession) {
    client.quit();
    let _ = drive(transport, tls, client, no_message).await;
}

/// The stream callback of a session that checks or ends a connection: it sends none.
fn no_message(_: &mut ClientSession) -> Result<(), String> {
    Err("no message to send".to_owned())
}

/// Where [`drive`] stopped.
enum Stop {
    Done(Outcome),
    Ready,
    Closed,
}

/// Moves the session's bytes until it gives an outcome, reports a kept connection
/// ready, or closes.
async fn drive(
    transport: &mut Transport,
    (tls, server_name): TlsCheck<'_>,
    client: &mut ClientSession,
    mut stream_message: impl FnMut(&mut ClientSession) -> Result<(), String>,
) -> Result<Stop, String> {
    let mut buffer = vec![0; READ_SIZE];
    let mut closed = false;
    loop {
        while let Some(event) = client.next() {
            match event {
                // A write error shows as the connection closing; the session then ends
                // with the recipients left temporary.
                Event::Output(bytes) => {
                    if transport.write_all(&bytes).await.is_err() {
                        client.connection_closed();
                    }
                }
                Event::SendMessage => stream_message(client)?,
                // The core checked that nothing followed the 220 (response injection).
                Event::StartTls => match transport
                    .start_tls(tls.clone(), server_name)
                    .timeout(wstd::time::Duration::from(tls::HANDSHAKE_TIMEOUT))
                    .await
                {
                    Ok(Ok(())) => client.tls_established(now()),
                    Ok(Err(error)) => client.tls_failed(&error.to_string()),
                    Err(_) => client.tls_failed("the TLS handshake timed out"),
                },
                Event::Close => {
                    let _ = transport.close().await;
                    closed = true;
                }
                Event::Done(outcome) => return Ok(Stop::Done(outcome)),
                Event::Ready => return Ok(Stop::Ready),
            }
        }
        // A kept session gave its outcome before; after its close there is no more.
        if closed {
            return Ok(Stop::Closed);
        }
        let wait = client
            .poll_timeout()
            .map(|deadline| deadline.since(now()))
            .unwrap_or(Duration::from_secs(600));
        match transport
            .read(&mut buffer)
            .timeout(wstd::time::Duration::from(wait))
            .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => client.connection_closed(),
            Ok(Ok(read)) => client.receive(buffer.get(..read).unwrap_or_default(), now()),
            Err(_) => client.handle_timeout(now()),
        }
    }
}
