//! `wasmtp-server.wasm`: the SMTP server as a `wasi:cli` command on `wasi:sockets`.
//!
//! ```text
//! wasmtime run -S inherit-network --dir ./var/spool::/spool dist/wasmtp-server.wasm --listen 127.0.0.1:2525
//! ```
//!
//! Each connection runs its own task on wstd's `wasi:io/poll` reactor, so a slow client
//! never holds up the others. The protocol lives in `wasmtp_core::server`; this binary
//! moves bytes between sockets and sessions, keeps the clock, and stores mail.

mod args;
mod connection;
mod maildir;

use std::process::ExitCode;

use wasmtp_core::server::ServerConfig;
use wasmtp_core::syntax::Domain;
use wstd::iter::AsyncIterator;
use wstd::net::TcpListener;

/// WASI 0.2's `exit` carries only success or failure, so every error exits with 1.
fn main() -> ExitCode {
    match start() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wasmtp-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn start() -> Result<(), String> {
    let args = args::Args::parse(std::env::args().skip(1))
        .map_err(|message| format!("{message}\n\n{}", args::USAGE))?;
    if args.help {
        println!("{}", args::USAGE);
        return Ok(());
    }
    let mut config =
        ServerConfig::new(&args.hostname).map_err(|error| format!("--hostname: {error}"))?;
    config.local_domains = args
        .domains
        .iter()
        .map(|domain| {
            Domain::parse(domain).ok_or_else(|| format!("--domain {domain:?} is not a domain name"))
        })
        .collect::<Result<_, _>>()?;
    let maildirs = maildir::Maildirs::open(&args.maildir, &args.hostname).map_err(|error| {
        format!(
            "cannot write mail under {}: {error}; preopen a directory for it, \
             e.g. `wasmtime run --dir ./var/spool::/spool …`, or pick one with --maildir",
            args.maildir
        )
    })?;
    wstd::runtime::block_on(serve(&args.listen, config, maildirs))
}

/// Accepts connections on `address` for ever, one task per connection.
async fn serve(
    address: &str,
    config: ServerConfig,
    maildirs: maildir::Maildirs,
) -> Result<(), String> {
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
        let (config, maildirs) = (config.clone(), maildirs.clone());
        wstd::runtime::spawn(async move {
            if let Err(error) = connection::serve(stream, config, maildirs).await {
                eprintln!("wasmtp-server: connection ended with an error: {error}");
            }
        })
        .detach();
    }
    Ok(())
}
