//! `cargo xtask run`: build, then serve SMTP and the web app on loopback until Ctrl-C.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::Result;
use crate::artifacts::{self, DIST};
use crate::process;
use crate::tools::{Need, Toolbox};

/// The server's spool (Maildirs under `mail/`), relative to the workspace root; git-ignored.
const SPOOL: &str = "var/spool";

/// Where `cargo xtask run` listens unless told otherwise.
#[derive(Debug)]
pub struct Addresses {
    pub smtp: SocketAddr,
    pub http: SocketAddr,
}

impl Default for Addresses {
    fn default() -> Self {
        Self {
            smtp: SocketAddr::from(([127, 0, 0, 1], 2525)),
            http: SocketAddr::from(([127, 0, 0, 1], 8080)),
        }
    }
}

/// A child process that is stopped when dropped, so no error path leaves one behind.
struct Service {
    name: &'static str,
    child: Child,
}

impl Service {
    fn start(name: &'static str, command: &mut Command) -> Result<Self> {
        let child = command.spawn().map_err(|error| {
            format!(
                "cannot start {name} (`{}`): {error}",
                process::describe(command)
            )
        })?;
        Ok(Self { name, child })
    }

    fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!("{} exited ({status})", self.name)),
            Ok(None) => None,
            Err(error) => Some(format!("{}: {error}", self.name)),
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn run(root: &Path, toolbox: &Toolbox, addresses: &Addresses) -> Result<()> {
    // Check the ports before a long build, so a clash is reported at once.
    for (address, flag) in [(addresses.smtp, "--smtp"), (addresses.http, "--http")] {
        ensure_free(address, flag)?;
    }
    toolbox.ensure(Need::Run)?;
    artifacts::build(root, toolbox)?;

    let dist = root.join(DIST);
    let spool = root.join(SPOOL);
    std::fs::create_dir_all(&spool)
        .map_err(|error| format!("cannot create {}: {error}", spool.display()))?;
    let wasmtime = toolbox.executable("wasmtime");
    let mut server = Service::start(
        "wasmtp-server",
        process::command(&wasmtime, root)
            .args(["run", "-S", "inherit-network", "--dir"])
            .arg(format!("{}::/spool", spool.display()))
            .arg(dist.join("wasmtp-server.wasm"))
            .arg("--listen")
            .arg(addresses.smtp.to_string()),
    )?;
    let mut edge = Service::start(
        "wasmtp-edge",
        process::command(&wasmtime, root)
            .args(["serve", "-S", "cli", "--addr"])
            .arg(addresses.http.to_string())
            .arg(dist.join("wasmtp-edge.wasm")),
    )?;
    for (service, address) in [(&mut server, addresses.smtp), (&mut edge, addresses.http)] {
        wait_until_listening(service, address)?;
    }

    let (smtp, http) = (addresses.smtp, addresses.http);
    println!(
        "\nwasmtp is running:\n\
         \x20 SMTP server  smtp://{smtp}   (dist/wasmtp-server.wasm in wasmtime)\n\
         \x20              mail for localhost and example.test lands in {SPOOL}/mail/<domain>/<user>/new\n\
         \x20 web app      http://{http}/   (dist/wasmtp-edge.wasm under wasmtime serve)\n\n\
         Try them:\n\
         \x20 swaks --server {} --port {} --to you@example.test\n\
         \x20 curl http://{http}/healthz\n\n\
         Press Ctrl-C to stop both.",
        smtp.ip(),
        smtp.port()
    );

    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|error| format!("cannot watch for Ctrl-C: {error}"))?;
    while !interrupted.load(Ordering::SeqCst) {
        for service in [&mut server, &mut edge] {
            if let Some(reason) = service.exited() {
                return Err(reason);
            }
        }
        sleep(Duration::from_millis(200));
    }
    println!("\nstopping wasmtp-server and wasmtp-edge");
    Ok(())
}

fn ensure_free(address: SocketAddr, flag: &str) -> Result<()> {
    TcpListener::bind(address).map(drop).map_err(|error| {
        format!("cannot listen on {address}: {error}; stop what uses it or pick another with {flag} ADDRESS:PORT")
    })
}

fn wait_until_listening(service: &mut Service, address: SocketAddr) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(reason) = service.exited() {
            return Err(reason);
        }
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        sleep(Duration::from_millis(100));
    }
    Err(format!(
        "{} did not listen on {address} within 30 s",
        service.name
    ))
}
