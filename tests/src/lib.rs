//! Helpers for the end-to-end tests: where the built artifacts and tools are, and the
//! real processes (wasmtime, node) the tests start and talk to over loopback.
//!
//! `cargo xtask test` builds `dist/` and sets the `WASMTP_*` variables read here; the
//! tests are meant to be run that way, and say so when a variable is missing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a started process may take to say where it listens.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Where the artifacts and tools are, as `cargo xtask test` says.
#[derive(Debug)]
pub struct Environment {
    /// `dist/`, with the components and the web site.
    pub dist: PathBuf,
    /// The wasmtime CLI.
    pub wasmtime: PathBuf,
    /// `node_modules` with jco, preview2-shim and playwright-core.
    pub node_modules: PathBuf,
    /// The Chromium executable Playwright drives.
    pub chromium: PathBuf,
    /// The Python with the test peers' packages (aiosmtpd).
    pub python: PathBuf,
    /// Postfix's `smtp-sink`.
    pub smtp_sink: PathBuf,
    /// dnsmasq, the DNS server of the relay tests.
    pub dnsmasq: PathBuf,
    /// Dovecot, which serves the server's Maildir over IMAP and POP3.
    pub dovecot: PathBuf,
    /// The folder of OpenDKIM's tools (`opendkim-genkey`, `opendkim-testmsg`).
    pub opendkim_tools: PathBuf,
    /// A folder for what tests leave behind (screenshots, transpiled modules).
    pub output: PathBuf,
}

/// A path `cargo xtask test` passes in the environment variable `name`.
fn var(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{name} is not set: run the end-to-end tests with `cargo xtask test`")
        })
}

impl Environment {
    pub fn from_env() -> Self {
        let environment = Self {
            dist: var("WASMTP_DIST"),
            wasmtime: var("WASMTP_WASMTIME"),
            node_modules: var("WASMTP_NODE_MODULES"),
            chromium: var("WASMTP_CHROMIUM"),
            python: var("WASMTP_PYTHON"),
            smtp_sink: var("WASMTP_SMTP_SINK"),
            dnsmasq: var("WASMTP_DNSMASQ"),
            dovecot: var("WASMTP_DOVECOT"),
            opendkim_tools: var("WASMTP_OPENDKIM_TOOLS"),
            output: var("WASMTP_TEST_OUTPUT"),
        };
        std::fs::create_dir_all(&environment.output).expect("create the test output folder");
        environment
    }

    /// A built artifact, e.g. `wasmtp-server.wasm`.
    pub fn artifact(&self, name: &str) -> PathBuf {
        let path = self.dist.join(name);
        assert!(
            path.exists(),
            "{} is missing: run `cargo xtask build`",
            path.display()
        );
        path
    }

    /// Starts `wasmtp-server.wasm` in `wasmtime run` on a free loopback port, with a
    /// fresh spool folder preopened as `/spool`.
    pub fn start_server(&self, flags: &[&str]) -> Running {
        self.start_server_on(&self.fresh_dir("spool"), flags)
    }

    /// Starts `wasmtp-server.wasm` on an existing spool folder (a restart).
    pub fn start_server_on(&self, spool: &std::path::Path, flags: &[&str]) -> Running {
        self.start_server_with(spool, flags, &[])
    }

    /// Starts `wasmtp-server.wasm` on `spool` with `variables` in wasmtime's environment
    /// (`RUST_BACKTRACE`, which the host reads, not the component).
    pub fn start_server_with(
        &self,
        spool: &std::path::Path,
        flags: &[&str],
        variables: &[(&str, &str)],
    ) -> Running {
        let spool = spool.to_path_buf();
        let mut command = Command::new(&self.wasmtime);
        command.envs(variables.iter().copied());
        command
            .args(["run", "-S", "inherit-network", "--dir"])
            .arg(format!("{}::/spool", spool.display()))
            .arg(self.artifact("wasmtp-server.wasm"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--hostname",
                "mx.wasmtp.test",
                "--domain",
                "wasmtp.test",
                // Mail authentication has its own tests (auth.rs); elsewhere the stored
                // message is the Received field and the content alone.
                "--spf",
                "off",
                "--dmarc",
                "off",
            ])
            .args(flags);
        // It prints `wasmtp-server listening on 127.0.0.1:PORT` on stdout.
        let mut running = Running::start(command, Stream::Stdout, "listening on ");
        running.spool = Some(spool);
        running
    }

    /// Starts the aiosmtpd peer (`python/sink.py`), which stores messages in `store`.
    pub fn start_aiosmtpd(&self, store: &std::path::Path) -> Running {
        self.start_aiosmtpd_at(store, None)
    }

    /// The aiosmtpd peer on a given loopback address and port (an MX host of a test
    /// domain, e.g. 127.0.0.2), or a free port on 127.0.0.1.
    pub fn start_aiosmtpd_at(&self, store: &std::path::Path, at: Option<SocketAddr>) -> Running {
        let mut command = Command::new(&self.python);
        command
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/sink.py"))
            .arg(store);
        if let Some(at) = at {
            command.arg(at.ip().to_string()).arg(at.port().to_string());
        }
        Running::start(command, Stream::Stdout, "listening on ")
    }

    /// The aiosmtpd peer offering STARTTLS with `certificate` (and requiring it before
    /// mail); it records each message's TLS cipher in `<n>.tls`.
    pub fn start_aiosmtpd_tls(
        &self,
        store: &std::path::Path,
        at: SocketAddr,
        certificate: &Certificate,
    ) -> Running {
        let mut command = Command::new(&self.python);
        command
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/sink.py"))
            .arg(store)
            .arg(at.ip().to_string())
            .arg(at.port().to_string())
            .env("SINK_TLS_CERT", &certificate.cert)
            .env("SINK_TLS_KEY", &certificate.key);
        Running::start(command, Stream::Stdout, "listening on ")
    }

    /// Starts dnsmasq on a free loopback port as the resolver of the `.test` names in
    /// `options` (dnsmasq's own, e.g. `--mx-host=a.test,mx.a.test,10`,
    /// `--host-record=mx.a.test,127.0.0.2`); other `.test` names are NXDOMAIN.
    pub fn start_dnsmasq(&self, options: &[String]) -> Running {
        // The port is free when probed but may be taken before dnsmasq binds it (tests
        // run in parallel): then dnsmasq exits, and another port is tried.
        for _ in 0..5 {
            let address = free_loopback_address();
            let mut command = Command::new(&self.dnsmasq);
            command
                .args([
                    "--keep-in-foreground",
                    "--no-resolv",
                    "--no-hosts",
                    "--conf-file=/dev/null",
                    // No pid file: several test dnsmasqs run at once.
                    "--pid-file=",
                ])
                .args([
                    "--bind-interfaces",
                    "--listen-address=127.0.0.1",
                    "--local=/test/",
                ])
                .arg(format!("--port={}", address.port()))
                .args(options);
            if is_root() {
                command.arg("--user=root");
            }
            if let Some(running) = Running::when_answering_dns(command, address) {
                return running;
            }
        }
        panic!("dnsmasq did not start on any of 5 free ports");
    }

    /// Starts the DNS-over-HTTPS stub (`python/doh.py`) in front of the DNS server at
    /// `dns`; its URL is `http://<address>/dns-query`.
    pub fn start_doh(&self, dns: SocketAddr) -> Running {
        let mut command = Command::new(&self.python);
        command
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/doh.py"))
            .arg(dns.ip().to_string())
            .arg(dns.port().to_string());
        Running::start(command, Stream::Stdout, "DoH listening on ")
    }

    /// Starts Postfix's `smtp-sink` on a free loopback port with `flags` (see
    /// smtp-sink(1): `-e` no ESMTP, `-p` no PIPELINING, `-r rcpt` soft-reject RCPT, …);
    /// each transaction it takes is written to a file in `dump`.
    pub fn start_smtp_sink(&self, dump: &std::path::Path, flags: &[&str]) -> Running {
        let address = free_loopback_address();
        let mut command = Command::new(&self.smtp_sink);
        if is_root() {
            // smtp-sink refuses to run as root without a user to switch to; that user
            // writes the dumps.
            command.args(["-u", "nobody"]);
            set_mode(dump, 0o777);
        }
        command
            .arg("-d")
            .arg(dump.join("%Y%m%d%H%M%S."))
            .args(flags)
            .arg(address.to_string())
            .arg("16");
        Running::when_listening(command, address)
    }

    /// Starts Dovecot (IMAP and POP3 on free loopback ports, plaintext logins with the
    /// password `secret` for any user) over the Maildirs below `maildir_root`
    /// (`<root>/<domain>/<user>`, as the server writes them). As root, the mail is handed
    /// to `nobody`, since Dovecot never touches mail as root.
    pub fn start_dovecot(&self, maildir_root: &std::path::Path) -> Dovecot {
        self.start_dovecot_with(maildir_root, None)
    }

    /// Dovecot logging users in from `passwd_file` (Dovecot's passwd-file format, the
    /// server's `--users-file`) instead of one password for everyone.
    pub fn start_dovecot_with(
        &self,
        maildir_root: &std::path::Path,
        passwd_file: Option<&Path>,
    ) -> Dovecot {
        let passdb = match passwd_file {
            Some(file) => format!("driver = passwd-file\n  args = {}", file.display()),
            None => "driver = static\n  args = password=secret".to_owned(),
        };
        let dir = self.fresh_dir("dovecot");
        let (imap, pop3) = (free_loopback_address(), free_loopback_address());
        let user = if is_root() {
            "uid=nobody gid=nogroup"
        } else {
            ""
        };
        for sub in ["run", "state", "index", "home"] {
            std::fs::create_dir_all(dir.join(sub)).expect("a Dovecot folder");
        }
        let config = format!(
            "protocols = imap pop3\nlisten = 127.0.0.1\nbase_dir = {dir}/run\nstate_dir = {dir}/state\n\
             log_path = /dev/stderr\nssl = no\ndisable_plaintext_auth = no\nauth_mechanisms = plain\n\
             mail_location = maildir:{mail}/%d/%n:INDEX={dir}/index/%d/%n\npop3_uidl_format = %f\n\
             passdb {{\n  {passdb}\n}}\n\
             userdb {{\n  driver = static\n  args = {user} home={dir}/home/%d/%n\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {imap_port}\n  }}\n}}\n\
             service pop3-login {{\n  chroot =\n  inet_listener pop3 {{\n    address = 127.0.0.1\n    port = {pop3_port}\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n",
            dir = dir.display(),
            mail = maildir_root.display(),
            imap_port = imap.port(),
            pop3_port = pop3.port(),
        );
        let config_path = dir.join("dovecot.conf");
        std::fs::write(&config_path, config).expect("write dovecot.conf");
        if is_root() {
            for path in [
                maildir_root.to_path_buf(),
                dir.join("index"),
                dir.join("home"),
            ] {
                let status = Command::new("chown")
                    .args(["-R", "nobody:nogroup"])
                    .arg(&path)
                    .status()
                    .expect("run chown");
                assert!(status.success(), "chown {}", path.display());
            }
        }
        let mut command = Command::new(&self.dovecot);
        command.arg("-F").arg("-c").arg(&config_path);
        let running = Running::when_listening(command, imap);
        Dovecot {
            _running: running,
            imap,
            pop3,
        }
    }

    /// OpenDKIM's filter in its test mode (`opendkim -x <config> -t -`), as its users
    /// run it but reading one message from standard input: it signs or verifies
    /// `message` as `config` (opendkim.conf lines) says, and prints what it did: each
    /// field it would add (`### INSHEADER: … hname='DKIM-Signature' hvalue='…'`) and
    /// each verification's outcome (`verification (…) succeeded`).
    pub fn opendkim(&self, config: &str, message: &[u8]) -> String {
        let dir = self.fresh_dir("opendkim");
        let config_file = dir.join("opendkim.conf");
        std::fs::write(&config_file, format!("Syslog no\n{config}\n"))
            .expect("write opendkim.conf");
        let mut child = Command::new(self.opendkim_tools.join("opendkim"))
            .arg("-x")
            .arg(&config_file)
            .args(["-t", "-", "-vvv"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run opendkim");
        child
            .stdin
            .take()
            .expect("opendkim's input")
            .write_all(message)
            .expect("write the message to opendkim");
        let output = child.wait_with_output().expect("wait for opendkim");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.status.success(), "opendkim failed: {printed}");
        printed
    }

    /// A new, empty folder below the test output.
    pub fn fresh_dir(&self, prefix: &str) -> PathBuf {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = self
            .output
            .join(format!("{prefix}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a test folder");
        dir
    }

    /// Starts `wasmtp-edge.wasm` under `wasmtime serve` on a free loopback port.
    pub fn start_edge(&self) -> Running {
        self.start_edge_with(&[])
    }

    /// The edge with environment variables (`WASMTP_DOH_URL`, `WASMTP_RELAY`, …) and the
    /// network, for the endpoints that reach out.
    pub fn start_edge_with(&self, environment: &[(&str, String)]) -> Running {
        let mut command = Command::new(&self.wasmtime);
        command.args(["serve", "-S", "cli", "--addr", "127.0.0.1:0"]);
        if !environment.is_empty() {
            command.args(["-S", "inherit-network"]);
        }
        for (name, value) in environment {
            command.arg("--env").arg(format!("{name}={value}"));
        }
        command.arg(self.artifact("wasmtp-edge.wasm"));
        // wasmtime prints `Serving HTTP on http://127.0.0.1:PORT/` on stderr.
        Running::start(command, Stream::Stderr, "Serving HTTP on http://")
    }

    /// The edge under `jco serve` in Node (the component transpiled to JavaScript on
    /// the preview2 shims), with environment variables as for [`Self::start_edge_with`].
    pub fn start_edge_jco(&self, environment: &[(&str, String)]) -> Running {
        let port = free_port();
        let mut command = self.node();
        command
            .arg(self.node_modules.join("@bytecodealliance/jco/dist/jco.js"))
            .arg("serve")
            .arg(self.artifact("wasmtp-edge.wasm"))
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            // The transpiled modules import the shims from an enclosing node_modules.
            .current_dir(self.jco_dir());
        for (name, value) in environment {
            command.env(name, value);
        }
        // jco prints `Server listening @ 127.0.0.1:PORT...` on stderr.
        Running::start(command, Stream::Stderr, "Server listening @ ")
    }

    /// A directory under the test output with the tools' `node_modules` linked in, where
    /// jco's ES modules find their packages.
    pub fn jco_dir(&self) -> PathBuf {
        let dir = self.output.join("jco");
        std::fs::create_dir_all(&dir).expect("the jco directory");
        let link = dir.join("node_modules");
        if std::fs::symlink_metadata(&link).is_err() {
            let _ = std::os::unix::fs::symlink(&self.node_modules, &link);
        }
        dir
    }

    /// A `node` command that resolves packages from the tools' `node_modules`.
    pub fn node(&self) -> Command {
        let mut command = Command::new("node");
        command.env("NODE_PATH", &self.node_modules);
        command
    }

    /// A test script of `tests/js/`.
    pub fn script(&self, name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("js")
            .join(name)
    }
}

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// A running Dovecot and where it serves IMAP and POP3.
#[derive(Debug)]
pub struct Dovecot {
    _running: Running,
    pub imap: SocketAddr,
    pub pop3: SocketAddr,
}

/// A started process and the address it listens on; killed when dropped.
#[derive(Debug)]
pub struct Running {
    child: Child,
    pub address: SocketAddr,
    /// The server's spool folder on the host, if it has one.
    pub spool: Option<PathBuf>,
    /// Every line the process wrote on stdout and stderr so far, when it was started
    /// with its output watched.
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Running {
    fn start(mut command: Command, stream: Stream, marker: &'static str) -> Self {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start wasmtime");
        let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
        let (sender, receiver) = mpsc::channel();
        let lines: std::sync::Arc<std::sync::Mutex<Vec<String>>> = std::sync::Arc::default();
        // Both pipes are drained for the life of the process (a full pipe would stall
        // it), kept, and echoed, so a failing test shows what the process said.
        let watch = |pipe: Option<Box<dyn Read + Send>>, watched: bool| {
            let sender = sender.clone();
            let kept = std::sync::Arc::clone(&lines);
            std::thread::spawn(move || {
                let Some(pipe) = pipe else { return };
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    eprintln!("[process] {line}");
                    if let Ok(mut kept) = kept.lock() {
                        kept.push(line.clone());
                    }
                    if let Some(rest) = line.split(marker).nth(1).filter(|_| watched) {
                        let address = rest.trim().trim_end_matches(['/', '.']);
                        let _ = sender.send(address.to_owned());
                    }
                }
            });
        };
        let watch_stdout = matches!(stream, Stream::Stdout);
        watch(
            stdout.map(|pipe| Box::new(pipe) as Box<dyn Read + Send>),
            watch_stdout,
        );
        watch(
            stderr.map(|pipe| Box::new(pipe) as Box<dyn Read + Send>),
            !watch_stdout,
        );
        let address = match receiver.recv_timeout(START_TIMEOUT) {
            Ok(address) => address.parse().expect("a socket address after the marker"),
            Err(_) => {
                let _ = child.kill();
                panic!("the process did not say where it listens within {START_TIMEOUT:?}");
            }
        };
        Self {
            child,
            address,
            spool: None,
            lines,
        }
    }

    /// The lines the process wrote so far (stdout and stderr, as they came).
    pub fn output(&self) -> Vec<String> {
        self.lines
            .lock()
            .map(|lines| lines.clone())
            .unwrap_or_default()
    }

    /// Starts `command`, which listens on `address` without saying so, and waits until a
    /// connection succeeds.
    fn when_listening(mut command: Command, address: SocketAddr) -> Self {
        command.stdin(Stdio::null()).stdout(Stdio::null());
        let mut child = command.spawn().expect("start the server");
        let started = std::time::Instant::now();
        while TcpStream::connect(address).is_err() {
            if started.elapsed() > START_TIMEOUT || matches!(child.try_wait(), Ok(Some(_))) {
                let _ = child.kill();
                panic!("nothing listens on {address} within {START_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            child,
            address,
            spool: None,
            lines: Default::default(),
        }
    }

    /// Starts a DNS server at `address` and waits until it answers a query over UDP;
    /// `None` if it exits first.
    fn when_answering_dns(mut command: Command, address: SocketAddr) -> Option<Self> {
        command.stdin(Stdio::null()).stdout(Stdio::null());
        let mut child = command.spawn().expect("start the DNS server");
        let probe = std::net::UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
        probe
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("set a timeout");
        // A query for `test. SOA`: any answer means the server is up.
        let query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x04test\x00\x00\x06\x00\x01";
        let started = std::time::Instant::now();
        loop {
            let _ = probe.send_to(query, address);
            if probe.recv(&mut [0; 512]).is_ok() {
                break;
            }
            if matches!(child.try_wait(), Ok(Some(_))) {
                return None;
            }
            if started.elapsed() > START_TIMEOUT {
                let _ = child.kill();
                panic!("no DNS answers from {address} within {START_TIMEOUT:?}");
            }
        }
        Some(Self {
            child,
            address,
            spool: None,
            lines: Default::default(),
        })
    }

    /// The messages delivered to `local_part@domain`, in the order of their names.
    pub fn mailbox(&self, domain: &str, local_part: &str) -> Vec<Vec<u8>> {
        let new = self
            .spool
            .as_ref()
            .expect("a server with a spool")
            .join("mail")
            .join(domain)
            .join(local_part)
            .join("new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&new)
            .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|file| std::fs::read(file).expect("read a delivered message"))
            .collect()
    }

    /// Opens an SMTP dialogue and reads the greeting.
    pub fn smtp(&self) -> Dialogue {
        let stream = self.connect();
        let reader = BufReader::new(stream.try_clone().expect("clone the stream"));
        let mut dialogue = Dialogue { stream, reader };
        let greeting = dialogue.reply();
        assert!(greeting.starts_with("220 "), "{greeting}");
        dialogue
    }

    /// A TCP connection to the process, with a read timeout so a silent peer fails the
    /// test instead of hanging it.
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.address).expect("connect to the process");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set a read timeout");
        stream
    }
}

impl Running {
    /// The process's peak resident memory so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the process's status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmHWM line")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Sends one HTTP/1.1 request with `Connection: close` and reads the whole response.
/// Enough HTTP for tests of our own edge: it sends `content-length` on every response.
pub fn http_request(running: &Running, method: &str, path: &str) -> HttpResponse {
    http_send(running, method, path, &[])
}

/// An HTTP/1.1 request with a JSON body (none when `body` is empty).
pub fn http_send(running: &Running, method: &str, path: &str, body: &[u8]) -> HttpResponse {
    http_exchange(running, method, path, &[], body)
}

/// An HTTP/1.1 request with extra header fields and a JSON body (none when empty).
pub fn http_exchange(
    running: &Running,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpResponse {
    let mut stream = running.connect();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        running.address
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .expect("send the request");
    // A server may refuse before reading all of a large body; that is its answer.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a complete header section");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// A raw SMTP dialogue over TCP, for tests that need exact bytes.
#[derive(Debug)]
pub struct Dialogue {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Dialogue {
    /// Sends bytes as they are.
    pub fn send(&mut self, bytes: &str) {
        self.send_bytes(bytes.as_bytes());
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send to the server");
    }

    /// How long a reply may take before the test fails (10 s unless set).
    pub fn set_reply_timeout(&mut self, timeout: Duration) {
        self.stream
            .set_read_timeout(Some(timeout))
            .expect("set a read timeout");
    }

    /// Reads one whole reply (all its lines), CRLFs included.
    pub fn reply(&mut self) -> String {
        read_reply(&mut self.reader)
            .unwrap_or_else(|error| panic!("no complete reply from the server: {error}"))
    }

    /// Sends `command` and its CRLF, and reads the reply.
    pub fn command(&mut self, command: &str) -> String {
        self.send(&format!("{command}\r\n"));
        self.reply()
    }

    /// Whether the server closed the connection (reads to the end).
    pub fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        self.reader.read_to_end(&mut rest).is_ok() && rest.is_empty()
    }
}

/// A loopback address no one listens on now (the port is free once the probe closes).
pub fn free_loopback_address() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .expect("set the folder's permissions");
}

/// Reads one whole SMTP reply (all its lines, CRLFs included); the end of the stream
/// before its last line is `UnexpectedEof`.
pub fn read_reply(reader: &mut impl BufRead) -> std::io::Result<String> {
    let mut reply = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        reply.push_str(&line);
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok(reply);
        }
    }
}

/// The text of a zone-file TXT record (`name IN TXT ( "…" "…" )`, over one line or
/// several): its quoted strings joined, as DNS clients join them (RFC 6376 §3.6.2.2).
pub fn zone_file_text(record: &str) -> String {
    record.split('"').skip(1).step_by(2).collect()
}

/// Runs a Python script with the test tools' `python3 -c` (its packages: dkimpy,
/// checkdmarc, aiosmtpd…); its standard output, or a failed test with its standard error.
pub fn run_python(script: &str) -> Vec<u8> {
    let output = Command::new(var("WASMTP_PYTHON"))
        .args(["-c", script])
        .output()
        .expect("run python3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The reply code at the start of `reply`.
pub fn code(reply: &str) -> u16 {
    reply
        .get(..3)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// Sends one message with the core's `ClientSession` over a real TCP connection to
/// `address`, and returns what became of each recipient.
pub fn send_with_client_session(
    address: SocketAddr,
    recipients: &[&str],
    message: &[u8],
    prefer_chunking: bool,
) -> wasmtp_core::client::Outcome {
    let mut outcomes = send_over_one_connection(address, &[recipients], message, prefer_chunking);
    outcomes.pop().expect("an outcome")
}

/// Sends `message` once to each list of recipients, one after another over one real TCP
/// connection to `address` (the core's `ClientSession` keeping it open, RFC 5321 §3.3),
/// and returns each message's outcome.
pub fn send_over_one_connection(
    address: SocketAddr,
    envelopes: &[&[&str]],
    message: &[u8],
    prefer_chunking: bool,
) -> Vec<wasmtp_core::client::Outcome> {
    use wasmtp_core::client::{ClientConfig, ClientSession, Event, MessageInfo, TlsPolicy};
    use wasmtp_core::envelope::Recipient;
    use wasmtp_core::syntax::{Command, ForwardPath, MailParameters, RcptParameters, ReversePath};
    use wasmtp_core::time::UnixTime;

    let now = || {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        UnixTime::from_millis(since.as_millis() as u64)
    };
    let path = |text: &str| match Command::parse(format!("RCPT TO:<{text}>").as_bytes()) {
        Ok(Command::Rcpt { forward_path, .. }) => forward_path,
        other => panic!("{text} is not a mailbox: {other:?}"),
    };
    let ForwardPath::Mailbox(sender) = path("alice@client.test") else {
        panic!("a sender")
    };
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("set a read timeout");
    let mut buffer = vec![0; 16 * 1024];
    // Runs the session until it gives `Done` (`Some`) or `Ready` (`None`).
    let mut run = |client: &mut ClientSession| loop {
        while let Some(event) = client.next() {
            match event {
                Event::Output(bytes) => stream.write_all(&bytes).expect("send to the server"),
                Event::SendMessage => {
                    for piece in message.chunks(1000) {
                        client.message_data(piece);
                    }
                    client.message_end();
                }
                Event::StartTls => panic!("TLS was not asked for"),
                Event::Close => {
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                }
                Event::Done(outcome) => return Some(outcome),
                Event::Ready => return None,
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => client.connection_closed(),
            Ok(read) => client.receive(&buffer[..read], now()),
        }
    };
    let mut outcomes = Vec::new();
    let mut previous: Option<ClientSession> = None;
    for (number, recipients) in envelopes.iter().enumerate() {
        let mut config =
            ClientConfig::new(wasmtp_core::syntax::Domain::parse("client.test").expect("a domain"));
        config.tls = TlsPolicy::None;
        config.prefer_chunking = prefer_chunking;
        config.keep_open = number + 1 < envelopes.len();
        let mut client = ClientSession::new(
            config,
            ReversePath::Mailbox(sender.clone()),
            MailParameters::default(),
            recipients
                .iter()
                .map(|text| Recipient {
                    forward_path: path(text),
                    parameters: RcptParameters::default(),
                })
                .collect(),
            MessageInfo::of_text(message),
            now(),
        );
        if let Some(mut kept) = previous.take() {
            kept.wake(now());
            assert!(run(&mut kept).is_none(), "the kept connection is ready");
            client.continue_from(kept).expect("a ready connection");
        }
        outcomes.push(run(&mut client).expect("an outcome"));
        previous = Some(client);
    }
    // The last session, not kept, sent QUIT and closed before its outcome.
    outcomes
}

/// A TCP port free on loopback right now.
pub fn free_port() -> u16 {
    free_loopback_address().port()
}

/// Waits until `check` holds, for at most 30 s.
pub fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "gave up waiting: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The messages an aiosmtpd peer (`start_aiosmtpd_at`) stored in `store`, with their recipients. The peer writes the message,
/// then its recipients: a message counts once its recipients are there.
pub fn stored(store: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    for n in 1.. {
        let recipients =
            std::fs::read_to_string(store.join(format!("{n}.rcpt"))).unwrap_or_default();
        let Ok(message) = std::fs::read(store.join(format!("{n}.eml"))) else {
            break;
        };
        if recipients.is_empty() {
            break;
        }
        found.push((recipients, message));
    }
    found
}

/// What an in-process wasmtime host keeps per store: WASI with nothing granted (no
/// preopens, no network, no environment) and the resource table.
pub struct WasiHost {
    wasi: wasmtime_wasi::WasiCtx,
    table: wasmtime::component::ResourceTable,
}

impl Default for WasiHost {
    fn default() -> Self {
        Self {
            wasi: wasmtime_wasi::WasiCtx::builder().build(),
            table: wasmtime::component::ResourceTable::new(),
        }
    }
}

impl wasmtime_wasi::WasiView for WasiHost {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// Makes each check a test under `wasmtime serve`, and one test that runs all of them
/// under `jco serve` (which transpiles at start, too slow to repeat per check).
/// `$setup(&Environment, under_jco)` makes what every check takes by reference.
#[macro_export]
macro_rules! on_both_edge_hosts {
    ($setup:ident: $($check:ident),* $(,)?) => {
        mod wasmtime_serve {
            $(
                #[test]
                fn $check() {
                    let environment = $crate::Environment::from_env();
                    super::$check(&super::$setup(&environment, false));
                }
            )*
        }

        #[test]
        fn jco_serve_passes_every_check() {
            let environment = $crate::Environment::from_env();
            let world = $setup(&environment, true);
            $( $check(&world); )*
        }
    };
}

impl Environment {
    /// The passwd-file field `wasmtp-server.wasm --hash-password` makes for `password`.
    pub fn server_password_hash(&self, password: &str) -> String {
        let output = output_with_input(
            Command::new(&self.wasmtime)
                .arg("run")
                .arg(self.artifact("wasmtp-server.wasm"))
                .arg("--hash-password"),
            format!("{password}\n").as_bytes(),
        );
        assert!(output.status.success());
        String::from_utf8(output.stdout)
            .expect("UTF-8")
            .trim()
            .to_owned()
    }
}

impl Environment {
    /// What `wasmtp-server.wasm <args>` prints run as a command on `spool` (the key
    /// commands, `--dkim-new-key` and `--dkim-record`); it must succeed.
    pub fn server_command(&self, spool: &std::path::Path, args: &[&str]) -> String {
        let output = output_with_input(
            Command::new(&self.wasmtime)
                .arg("run")
                .arg("--dir")
                .arg(format!("{}::/spool", spool.display()))
                .arg(self.artifact("wasmtp-server.wasm"))
                .args(args),
            b"",
        );
        assert!(
            output.status.success(),
            "wasmtp-server {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    }
}

/// Runs `command` with `input` on its standard input; its output, both streams captured.
pub fn output_with_input(command: &mut Command, input: &[u8]) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("run {command:?}: {error}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write to its standard input");
    child.wait_with_output().expect("it ends")
}

/// A test certificate and its key, as PEM files, and the CA that signed it.
#[derive(Debug)]
pub struct Certificate {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The CA certificate to trust for it.
    pub ca: PathBuf,
}

/// Makes, with the openssl CLI, a CA in `dir` and a certificate it signs for `host` (a
/// DNS name, also valid for 127.0.0.1), under the name `name`.
pub fn issue_certificate(dir: &Path, name: &str, host: &str) -> Certificate {
    let openssl = |args: &[&str]| {
        let output = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("run openssl (install it, or run `cargo xtask test`)");
        assert!(
            output.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let (ca, ca_key) = (format!("{name}-ca.pem"), format!("{name}-ca.key"));
    let ca_subject = format!("/CN=wasmtp test CA {name}");
    openssl(
        &[
            &["req", "-x509"],
            &ec[..],
            &[
                "-keyout",
                &ca_key,
                "-out",
                &ca,
                "-days",
                "2",
                "-subj",
                &ca_subject,
            ],
        ]
        .concat(),
    );
    let (cert, key, request) = (
        format!("{name}.pem"),
        format!("{name}.key"),
        format!("{name}.csr"),
    );
    let subject = format!("/CN={host}");
    openssl(
        &[
            &["req"],
            &ec[..],
            &["-keyout", &key, "-out", &request, "-subj", &subject],
        ]
        .concat(),
    );
    let extensions = format!("{name}.ext");
    std::fs::write(
        dir.join(&extensions),
        format!(
            "subjectAltName=DNS:{host},IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
        ),
    )
    .expect("write the extensions file");
    openssl(&[
        "x509",
        "-req",
        "-in",
        &request,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-out",
        &cert,
        "-days",
        "2",
        "-extfile",
        &extensions,
    ]);
    Certificate {
        cert: dir.join(cert),
        key: dir.join(key),
        ca: dir.join(ca),
    }
}
