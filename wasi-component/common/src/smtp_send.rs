//! One SMTP client session over a `wasi:sockets` TCP stream, shared by the server's
//! relay queue and the edge's send endpoint: the core's `ClientSession` says what to
//! write, this moves the bytes, keeps its deadlines, and asks the caller for the
//! message when the server is ready for it.

use std::sync::Arc;
use std::time::Duration;

use crate::net::TcpStream;
use wasmtp_core::client::{ClientSession, Event, Outcome};
use wstd::future::FutureExt as _;

use crate::clock::now;
use crate::tls;

/// Bytes read from the server at a time.
const READ_SIZE: usize = 16 * 1024;

/// Runs `client` over `stream` to its outcome. STARTTLS, when the client's policy asks
/// for it, runs `tls` with the certificate checked against `server_name` (RFC 3207).
/// `stream_message` is called when the server is ready for the content: it feeds
/// `message_data` and calls `message_end`. An error from it ends the session with that
/// error, for the caller to report.
pub async fn converse(
    stream: &TcpStream,
    (tls, server_name): (&Arc<rustls::ClientConfig>, &str),
    client: &mut ClientSession,
    mut stream_message: impl FnMut(&mut ClientSession) -> Result<(), String>,
) -> Result<Outcome, String> {
    let mut transport = tls::Stream::Plain(stream);
    let mut buffer = vec![0; READ_SIZE];
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
                Event::StartTls => match tls::Stream::connect(stream, tls.clone(), server_name)
                    .timeout(wstd::time::Duration::from(tls::HANDSHAKE_TIMEOUT))
                    .await
                {
                    Ok(Ok(encrypted)) => {
                        transport = encrypted;
                        client.tls_established(now());
                    }
                    Ok(Err(error)) => client.tls_failed(&error.to_string()),
                    Err(_) => client.tls_failed("the TLS handshake timed out"),
                },
                Event::Close => {
                    let _ = transport.close().await;
                }
                Event::Done(outcome) => return Ok(outcome),
            }
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
