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

/// The development login: its password is made on the first run and kept here.
const DEV_USER: &str = "dev";
const DEV_PASSWORD_FILE: &str = "var/dev-password.txt";

/// Where `cargo xtask run` listens unless told otherwise.
#[derive(Debug)]
pub struct Addresses {
    pub smtp: SocketAddr,
    pub submission: SocketAddr,
    pub http: SocketAddr,
}

impl Default for Addresses {
    fn default() -> Self {
        Self {
            smtp: SocketAddr::from(([127, 0, 0, 1], 2525)),
            submission: SocketAddr::from(([127, 0, 0, 1], 4650)),
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
    for (address, flag) in [
        (addresses.smtp, "--smtp"),
        (addresses.submission, "--submission"),
        (addresses.http, "--http"),
    ] {
        ensure_free(address, flag)?;
    }
    toolbox.ensure(Need::Run)?;
    artifacts::build(root, toolbox)?;

    let dist = root.join(DIST);
    let spool = root.join(SPOOL);
    std::fs::create_dir_all(&spool)
        .map_err(|error| format!("cannot create {}: {error}", spool.display()))?;
    let wasmtime = toolbox.executable("wasmtime");
    dev_certificate(&spool.join("tls"))?;
    let password = dev_login(root, &wasmtime, &dist.join("wasmtp-server.wasm"), &spool)?;
    let mut server = Service::start(
        "wasmtp-server",
        process::command(&wasmtime, root)
            .args(["run", "-S", "inherit-network", "--dir"])
            .arg(format!("{}::/spool", spool.display()))
            .arg(dist.join("wasmtp-server.wasm"))
            .arg("--listen")
            .arg(addresses.smtp.to_string())
            .arg("--submission")
            .arg(addresses.submission.to_string())
            .args([
                "--tls-cert",
                "/spool/tls/cert.pem",
                "--tls-key",
                "/spool/tls/key.pem",
            ])
            .args(["--users-file", "/spool/users"]),
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

    let (smtp, submission, http) = (addresses.smtp, addresses.submission, addresses.http);
    println!(
        "\nwasmtp is running:\n\
         \x20 SMTP server  smtp://{smtp}   (dist/wasmtp-server.wasm in wasmtime; STARTTLS)\n\
         \x20              mail for localhost and example.test lands in {SPOOL}/mail/<domain>/<user>/new\n\
         \x20 submission   smtps://{submission}   (implicit TLS, AUTH PLAIN/LOGIN required)\n\
         \x20              user {DEV_USER}, password {password} (kept in {DEV_PASSWORD_FILE})\n\
         \x20              the certificate is self-signed: {SPOOL}/tls/cert.pem\n\
         \x20 web app      http://{http}/   (dist/wasmtp-edge.wasm under wasmtime serve)\n\n\
         Try them:\n\
         \x20 swaks --server {smtp} --tls --to you@example.test\n\
         \x20 swaks --server {submission} --tlsc --auth-user {DEV_USER} --auth-password {password} --to you@example.test\n\
         \x20 curl http://{http}/healthz\n\n\
         Press Ctrl-C to stop both."
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

/// A self-signed certificate for `localhost` and 127.0.0.1 in `dir`, made once.
fn dev_certificate(dir: &Path) -> Result<()> {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    if cert.exists() && key.exists() {
        return Ok(());
    }
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let certified = rcgen::generate_simple_self_signed(names)
        .map_err(|error| format!("cannot make a development certificate: {error}"))?;
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&cert, certified.cert.pem()))
        .and_then(|()| std::fs::write(&key, certified.key_pair.serialize_pem()))
        .map_err(|error| format!("cannot write {}: {error}", dir.display()))
}

/// The development user's password, made (and its hash written to the server's users
/// file by the server's own `--hash-password`) on the first run.
fn dev_login(root: &Path, wasmtime: &Path, server: &Path, spool: &Path) -> Result<String> {
    let password_file = root.join(DEV_PASSWORD_FILE);
    let users = spool.join("users");
    if let (Ok(password), true) = (std::fs::read_to_string(&password_file), users.exists()) {
        return Ok(password.trim().to_owned());
    }
    let mut random = [0u8; 12];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut source| std::io::Read::read_exact(&mut source, &mut random))
        .map_err(|error| format!("cannot read /dev/urandom: {error}"))?;
    let password: String = random.iter().map(|byte| format!("{byte:02x}")).collect();
    let hash = process::run_with_input(
        process::command(wasmtime, root)
            .arg("run")
            .arg(server)
            .arg("--hash-password"),
        &format!("{password}\n"),
    )?;
    std::fs::write(&users, format!("{DEV_USER}:{}\n", hash.trim()))
        .and_then(|()| std::fs::write(&password_file, format!("{password}\n")))
        .map_err(|error| format!("cannot write the development login: {error}"))?;
    Ok(password)
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
