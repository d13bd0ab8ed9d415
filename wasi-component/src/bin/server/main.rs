//! `wasmtp-server.wasm`: the SMTP server as a `wasi:cli` command on `wasi:sockets`.
//!
//! ```text
//! wasmtime run -S inherit-network dist/wasmtp-server.wasm --listen 127.0.0.1:2525
//! ```
//!
//! Each connection runs its own task on wstd's `wasi:io/poll` reactor, so a slow client
//! never holds up the others. The protocol lives in `wasmtp_core::server`; this file
//! only moves bytes between sockets and the session.

mod args;

use std::process::ExitCode;

use wasmtp_core::server::{Event, ServerConfig, ServerSession};
use wstd::io::{AsyncRead, AsyncWrite};
use wstd::iter::AsyncIterator;
use wstd::net::{TcpListener, TcpStream};

/// WASI 0.2's `exit` carries only success or failure, so every error exits with 1.
fn main() -> ExitCode {
    let args = match args::Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("wasmtp-server: {message}\n\n{}", args::USAGE);
            return ExitCode::FAILURE;
        }
    };
    if args.help {
        println!("{}", args::USAGE);
        return ExitCode::SUCCESS;
    }
    let config = match ServerConfig::new(&args.hostname) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("wasmtp-server: --hostname {:?}: {error}", args.hostname);
            return ExitCode::FAILURE;
        }
    };
    match wstd::runtime::block_on(serve(&args.listen, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wasmtp-server: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Accepts connections on `address` for ever, one task per connection.
async fn serve(address: &str, config: ServerConfig) -> Result<(), String> {
    let listener = TcpListener::bind(address)
        .await
        .map_err(|error| format!("cannot listen on {address}: {error}"))?;
    let bound = listener
        .local_addr()
        .map_err(|error| format!("cannot read the address bound for {address}: {error}"))?;
    // Tests and `cargo xtask run` read this line to learn the port.
    println!("wasmtp-server listening on {bound}");

    let mut incoming = listener.incoming();
    while let Some(stream) = incoming.next().await {
        let stream = match stream {
            Ok(stream) => stream,
            Err(error) => {
                eprintln!("wasmtp-server: accept failed: {error}");
                continue;
            }
        };
        let session = ServerSession::new(config.clone());
        wstd::runtime::spawn(async move {
            if let Err(error) = run_session(&stream, session).await {
                eprintln!("wasmtp-server: connection ended with an error: {error}");
            }
        })
        .detach();
    }
    Ok(())
}

/// Moves bytes between one client and its session until either side ends it.
async fn run_session(stream: &TcpStream, mut session: ServerSession) -> std::io::Result<()> {
    let mut buffer = vec![0; 16 * 1024];
    let (mut reader, mut writer) = (stream, stream);
    loop {
        while let Some(event) = session.next() {
            match event {
                Event::Output(bytes) => writer.write_all(&bytes).await?,
                Event::Close => return writer.flush().await,
            }
        }
        writer.flush().await?;
        let read = reader.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        session.receive(&buffer[..read]);
    }
}
