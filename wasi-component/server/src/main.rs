//! `wasmtp-server.wasm`: the SMTP server as a `wasi:cli` command on `wasi:sockets`.
//!
//! ```text
//! wasmtime run -S inherit-network --dir ./var/spool::/spool dist/wasmtp-server.wasm --listen 127.0.0.1:2525
//! ```
//!
//! Each connection runs its own task on wstd's `wasi:io/poll` reactor, so a slow client
//! never holds up the others; the relay queue has a task of its own. The protocol lives
//! in `wasmtp_core`; this binary moves bytes between sockets and sessions, keeps the
//! clock, stores mail durably and relays it.

mod budget;
mod config;
mod connection;
mod deadline;
mod log;
mod maildir;
mod queue;
mod relay;
mod resolver;
mod signing;
mod tls_server;
mod users;

use std::cell::Cell;
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;

use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use wasmtp_wasi::net::TcpListener;

use crate::connection::{Listener, Shared};

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
    let settings = config::Settings::load(std::env::args().skip(1))
        .map_err(|message| format!("{message}\n`wasmtp-server --help` lists every flag"))?;
    if settings.help {
        println!("{}", config::USAGE);
        return Ok(());
    }
    if settings.hash_password {
        let mut password = String::new();
        std::io::stdin()
            .read_line(&mut password)
            .map_err(|error| format!("cannot read the password from stdin: {error}"))?;
        let password = password.trim_end_matches(['\r', '\n']);
        println!("{}", users::hash_password(password)?);
        return Ok(());
    }
    let hostname = settings.server.hostname().to_string();
    let spool = Path::new(&settings.spool);
    if let Some(command) = &settings.dkim_command {
        let selector = &settings.dkim_selector;
        let record = match command {
            config::DkimCommand::NewKey { domain, algorithm } => {
                signing::new_key(spool, domain, selector, *algorithm)?
            }
            config::DkimCommand::Record { domain } => signing::record(spool, domain, selector)?,
        };
        println!("{record}");
        return Ok(());
    }
    let unwritable = |error: std::io::Error| {
        format!(
            "cannot write under {}: {error}; preopen a directory for it, \
             e.g. `wasmtime run --dir ./var/spool::/spool …`, or pick one with --spool",
            settings.spool
        )
    };
    let maildirs = maildir::Maildirs::open(&spool.join("mail").to_string_lossy(), &hostname)
        .map_err(unwritable)?;
    let keys = signing::SigningKeys::load(spool, &settings.dkim_selector)?;
    let log = log::Log::new(settings.json_logs);
    if !keys.is_empty() {
        let domains = keys.domains().join(" ");
        log.event(
            "dkim-keys",
            &[("selector", &settings.dkim_selector), ("domains", &domains)],
        );
    }
    let queue = queue::Queue::open(spool, &hostname, keys).map_err(unwritable)?;
    let shared = Shared {
        log,
        settings,
        maildirs,
        queue,
        open: Rc::new(Cell::new(0)),
        deadlines: deadline::Deadlines::default(),
    };
    wstd::runtime::block_on(serve(shared))
}

/// Listens on every address, one task per connection, and runs the relay queue.
async fn serve(shared: Shared) -> Result<(), String> {
    let mut listeners = Vec::new();
    let mx = shared
        .settings
        .listen
        .iter()
        .map(|address| (address, Listener::Mx));
    let submission =
        (shared.settings.submission.iter()).map(|address| (address, Listener::Submission));
    for (address, kind) in mx.chain(submission) {
        let parsed = address
            .parse()
            .map_err(|_| format!("cannot listen on {address}: not an IP address and port"))?;
        let listener = TcpListener::bind(parsed)
            .await
            .map_err(|error| format!("cannot listen on {address}: {error}"))?;
        let bound = listener
            .local_addr()
            .map_err(|error| format!("cannot read the address bound for {address}: {error}"))?;
        // Tests and `cargo xtask run` read this line to learn the port.
        match kind {
            Listener::Mx => println!("wasmtp-server listening on {bound}"),
            Listener::Submission => println!("wasmtp-server submission (implicit TLS) on {bound}"),
        }
        listeners.push((listener, kind));
    }
    let relay = relay::Relay {
        settings: shared.settings.clone(),
        queue: shared.queue.clone(),
        maildirs: shared.maildirs.clone(),
        log: shared.log,
        unsaved: Default::default(),
        kept: Default::default(),
    };
    wstd::runtime::spawn(budget::refilled(relay.run())).detach();
    wstd::runtime::spawn(shared.deadlines.clone().run()).detach();
    let mut accepting = Vec::new();
    for (listener, kind) in listeners {
        let shared = shared.clone();
        accepting.push(wstd::runtime::spawn(budget::refilled(accept(
            listener, kind, shared,
        ))));
    }
    for task in accepting {
        task.await;
    }
    Ok(())
}

/// Accepts connections and drives every session of this listener in this one task.
///
/// One wstd task per connection would be simpler, but wstd 0.6 polls every pending
/// pollable after each task it runs, so N busy sessions cost N² host polls. Here the
/// sessions live in a `FuturesUnordered`, which polls only the woken ones, and the task
/// runs once per round of readiness: measured, 100 simultaneous transactions in 0.29 s
/// instead of 0.76 s, 130 in 0.35 s instead of 1.3 s. The task refills the host's
/// readiness budget each turn ([`budget`]), without which 128 or more ready sockets stall it.
async fn accept(listener: TcpListener, kind: Listener, shared: Shared) {
    let mut sessions = FuturesUnordered::new();
    loop {
        let event = if sessions.is_empty() {
            Ok(listener.accept().await)
        } else {
            deadline::first(listener.accept(), sessions.next()).await
        };
        match event {
            Ok(Ok(stream)) => {
                let shared = shared.clone();
                sessions.push(async move {
                    if let Err(error) = connection::serve(stream, kind, shared.clone()).await {
                        shared.log.event("connection-error", &[("error", &error)]);
                    }
                });
            }
            Ok(Err(error)) => shared.log.event("accept-error", &[("error", &error)]),
            // A session ended; nothing to do.
            Err(_) => {}
        }
    }
}
