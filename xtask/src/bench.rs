//! `cargo xtask bench`: every benchmark of issue 9 in one run, written to
//! `BENCHMARKS.md`. This machine is shared and noisy, so each figure that is compared
//! with a peer is a ratio measured in the same run, peers alternating (A B A B …), and
//! each is the median of several runs with their range.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;
use crate::artifacts::{self, DIST};
use crate::postfix::Postfix;
use crate::process;
use crate::tools::{Need, Toolbox};

/// Runs per server and workload, alternating servers.
const ROUNDS: usize = 3;
/// Cold starts measured per variant.
const STARTS: usize = 10;

/// One measured quantity: the median of its samples, with their range.
struct Figure {
    median: f64,
    min: f64,
    max: f64,
}

impl Figure {
    fn of(mut samples: Vec<f64>) -> Option<Self> {
        samples.retain(|sample| sample.is_finite());
        samples.sort_by(f64::total_cmp);
        Some(Self {
            median: *samples.get(samples.len() / 2)?,
            min: *samples.first()?,
            max: *samples.last()?,
        })
    }

    fn show(&self, decimals: usize) -> String {
        format!(
            "{:.decimals$} ({:.decimals$}–{:.decimals$})",
            self.median, self.min, self.max
        )
    }
}

/// A process the benchmark started; killed when dropped.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_address() -> Result<SocketAddr> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|error| format!("no free loopback port: {error}"))
}

/// Waits until something accepts connections at `address`.
fn wait_for(address: SocketAddr, what: &str) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if TcpStream::connect(address).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(format!("{what} did not listen on {address} within 30 s"))
}

fn spawn(command: &mut Command, what: &str) -> Result<Started> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(Started)
        .map_err(|error| format!("cannot start {what}: {error}"))
}

struct Bench<'a> {
    root: &'a Path,
    toolbox: &'a Toolbox,
    scratch: PathBuf,
    report: String,
    /// Headline ratios, for the summary and the README.
    headlines: Vec<String>,
}

/// One part of the run, by the name `cargo xtask bench <name>` selects it with.
type Section<'a> = fn(&mut Bench<'a>) -> Result<()>;

pub fn bench<'a>(root: &'a Path, toolbox: &'a Toolbox, only: &[String]) -> Result<()> {
    toolbox.ensure(Need::Test)?;
    artifacts::build(root, toolbox)?;
    let scratch = root.join("target/bench");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).map_err(|error| format!("cannot create target/bench: {error}"))?;
    let mut bench = Bench {
        root,
        toolbox,
        scratch,
        report: String::new(),
        headlines: Vec::new(),
    };
    let sections: [(&str, Section<'a>); 10] = [
        ("criterion", Bench::criterion),
        ("auth", Bench::mail_authentication),
        ("load", Bench::load),
        ("tls", Bench::tls_handshake),
        ("cold-start", Bench::cold_start),
        ("instantiation", Bench::instantiation),
        ("edge", Bench::edge_latency),
        ("sizes", Bench::sizes),
        ("memory", Bench::idle_memory),
        ("simulator", Bench::simulator_in_chromium),
    ];
    if let Some(unknown) = only
        .iter()
        .find(|name| !sections.iter().any(|(section, _)| section == name))
    {
        return Err(format!("no benchmark section {unknown:?}"));
    }
    bench.machine();
    for (name, run) in sections {
        if only.is_empty() || only.iter().any(|wanted| wanted == name) {
            run(&mut bench)?;
        }
    }
    if !only.is_empty() {
        println!("\n{}", bench.headlines.join("\n"));
        println!("\n{}", bench.report);
        return Ok(());
    }
    let mut document = String::from(
        "# Benchmarks\n\nWritten by `cargo xtask bench` (issue 9). Every comparison is a ratio \
         measured in the same run on the same machine; figures are medians with the range of \
         the runs in parentheses. The machine is shared and noisy: compare ratios, not raw \
         numbers across runs.\n\n## Headlines\n\n",
    );
    for line in &bench.headlines {
        let _ = writeln!(document, "- {line}");
    }
    document.push('\n');
    document.push_str(&bench.report);
    fs::write(root.join("BENCHMARKS.md"), &document)
        .map_err(|error| format!("cannot write BENCHMARKS.md: {error}"))?;
    println!("\n{document}");
    Ok(())
}

impl Bench<'_> {
    fn section(&mut self, title: &str, text: &str) {
        let _ = write!(self.report, "## {title}\n\n{text}\n\n");
    }

    fn version(&self, program: &Path, args: &[&str]) -> String {
        process::output(process::command(program, self.root).args(args))
            .and_then(|text| text.lines().next().map(str::to_owned))
            .unwrap_or_else(|| "unknown".to_owned())
    }

    fn machine(&mut self) {
        let cpu = fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|line| line.starts_with("model name"))
                    .and_then(|line| line.split(':').nth(1))
                    .map(|name| name.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let wasmtime = self.version(&self.toolbox.executable("wasmtime"), &["--version"]);
        let rustc = self.version(Path::new("rustc"), &["--version"]);
        let postfix = self.version(Path::new("/usr/sbin/postconf"), &["-d", "mail_version"]);
        let python = self.toolbox.python();
        let aiosmtpd = self.version(
            &python,
            &["-c", "import aiosmtpd; print(aiosmtpd.__version__)"],
        );
        let text = format!(
            "| | |\n|---|---|\n| CPU | {cpu}, {cores} cores |\n| wasmtime | {wasmtime} |\n\
             | rustc | {rustc} |\n| Postfix (smtp-source, smtp-sink) | {postfix} |\n| aiosmtpd | {aiosmtpd} |"
        );
        self.section("Machine", &text);
    }

    /// SPF and DKIM in the core (criterion, answers in memory) and dkimpy's
    /// `dkim.verify` on the same signed messages, in the same run.
    fn mail_authentication(&mut self) -> Result<()> {
        process::run(
            process::command("cargo", self.root)
                .args(["bench", "-p", "wasmtp-core", "--bench", "auth"])
                .args(["--", "--noplot"]),
        )?;
        let mut text = String::from(
            "`cargo bench -p wasmtp-core --bench auth` (criterion, every DNS answer in \
             memory) beside dkimpy's `dkim.verify` on the same messages with the same key \
             records (`timeit`, best of 5 runs of 200, the DNS a dictionary).\n\n\
             | check | wasmtp-core (µs) | dkimpy (µs) | ratio |\n|---|---|---|---|\n",
        );
        let spf = criterion_estimate(self.root, "auth/SPF, 10 mechanisms")?;
        let _ = writeln!(
            text,
            "| SPF, 10 mechanisms, 4 asking DNS | {} | | |",
            spf.show(2)
        );
        let inputs = self.root.join("target/bench-inputs");
        for (selector, name) in [("rsa", "rsa-sha256 (2048 bits)"), ("ed", "ed25519-sha256")] {
            let ours = criterion_estimate(self.root, &format!("auth/DKIM verify 5 KB, {name}"))?;
            let script = format!(
                "import dkim, pathlib, timeit\n\
                 message = pathlib.Path({message:?}).read_bytes()\n\
                 record = pathlib.Path({record:?}).read_bytes()\n\
                 dns = lambda name, timeout=5: record\n\
                 assert dkim.verify(message, dnsfunc=dns)\n\
                 print(min(timeit.repeat(lambda: dkim.verify(message, dnsfunc=dns), number=200, repeat=5)) / 200 * 1e6)\n",
                message = inputs
                    .join(format!("dkim-5k-{selector}.eml"))
                    .display()
                    .to_string(),
                record = inputs
                    .join(format!("dkim-5k-{selector}.txt"))
                    .display()
                    .to_string(),
            );
            let dkimpy: f64 = process::output(
                process::command(self.toolbox.python(), self.root).args(["-c", &script]),
            )
            .ok_or("dkimpy's dkim.verify did not run")?
            .trim()
            .parse()
            .map_err(|_| "dkimpy's timing is not a number".to_owned())?;
            let ratio = dkimpy / ours.median;
            let _ = writeln!(
                text,
                "| DKIM verify, 5 KB, {name} | {} | {dkimpy:.1} | **{ratio:.1}×** |",
                ours.show(1)
            );
            self.headlines.push(format!(
                "DKIM verification of 5 KB ({name}): {ratio:.1}× dkimpy."
            ));
        }
        process::run(
            process::command("cargo", self.root)
                .args(["bench", "-p", "wasmtp-tests", "--bench", "auth_wasmtime"])
                .args(["--", "--noplot"])
                .env("WASMTP_DIST", self.root.join(DIST)),
        )?;
        text.push_str(
            "\nAll three checks (SPF, DKIM, DMARC, answers in memory): the core natively \
             (`auth::report::check`), and the library component's `auth.check` in wasmtime \
             in-process (`cargo bench -p wasmtp-tests --bench auth_wasmtime`; the \
             component is built for size, `opt-level = \"z\"`).\n\n\
             | check | native (µs) | wasmtime (µs) | wasmtime / native |\n|---|---|---|---|\n",
        );
        for name in ["rsa-sha256 (2048 bits)", "ed25519-sha256"] {
            let native = criterion_estimate(self.root, &format!("auth/check 5 KB, {name}"))?;
            let wasm = criterion_estimate(self.root, &format!("wasmtime/auth.check 5 KB, {name}"))?;
            let _ = writeln!(
                text,
                "| SPF + DKIM + DMARC, 5 KB, {name} | {} | {} | {:.1}× |",
                native.show(1),
                wasm.show(1),
                wasm.median / native.median
            );
        }
        self.section("Mail authentication", &text);
        Ok(())
    }

    /// The core's criterion benchmarks: parser and DATA framing against their peers,
    /// and the simulator.
    fn criterion(&mut self) -> Result<()> {
        process::run(
            process::command("cargo", self.root)
                .args([
                    "bench",
                    "-p",
                    "wasmtp-core",
                    "--bench",
                    "parse",
                    "--bench",
                    "data",
                    "--bench",
                    "sim",
                ])
                .args(["--", "--noplot"]),
        )?;
        let mut text = String::from(
            "`cargo bench -p wasmtp-core --bench parse --bench data --bench sim` (criterion; \
             median per iteration with its 95 % confidence interval).\n\n| benchmark | time (µs) |\n|---|---|\n",
        );
        let ids = [
            "command parsing/wasmtp-core",
            "command parsing/smtp-proto",
            "DATA framing/wasmtp-core session",
            "DATA framing/memchr scan-and-copy baseline",
            "simulator/all built-in scenarios",
        ];
        let mut figures = Vec::new();
        for id in ids {
            let figure = criterion_estimate(self.root, id)?;
            let _ = writeln!(text, "| {id} | {} |", figure.show(2));
            figures.push(figure.median);
        }
        // Criterion measures the two parsers one after the other, so a burst of load on
        // this shared machine can land on one alone: the ratio is the median of ROUNDS
        // runs of the pair.
        let mut ratios = vec![figures[1] / figures[0]];
        for _ in 1..ROUNDS {
            process::run(
                process::command("cargo", self.root)
                    .args(["bench", "-p", "wasmtp-core", "--bench", "parse"])
                    .args(["--", "--noplot", "command parsing"]),
            )?;
            let wasmtp = criterion_estimate(self.root, ids[0])?;
            let smtp_proto = criterion_estimate(self.root, ids[1])?;
            ratios.push(smtp_proto.median / wasmtp.median);
        }
        let parser = Figure::of(ratios).map_or(0.0, |figure| figure.median);
        let framing = figures[3] / figures[2];
        let _ = write!(
            text,
            "\nParser: wasmtp-core runs at **{parser:.2}×** the speed of smtp-proto on the same \
             corpus (median of {ROUNDS} runs of the pair; the table shows the first; target \
             ≥ 1×). DATA framing: **{framing:.2}×** the memchr scan-and-copy baseline, the \
             practical limit."
        );
        self.headlines.push(format!(
            "Command parsing: {parser:.2}× smtp-proto (target ≥ 1×)."
        ));
        self.headlines.push(format!(
            "DATA framing: {framing:.2}× a memchr scan-and-copy baseline."
        ));
        self.section("Parser, DATA framing, simulator (native)", &text);
        Ok(())
    }

    /// The server under Postfix's smtp-source, against peers on loopback.
    fn load(&mut self) -> Result<()> {
        let workloads: [(&str, &[&str], usize); 3] = [
            (
                "5 KB, 20 sessions, connections reused",
                &["-d", "-l", "5120"],
                2000,
            ),
            (
                "5 KB, 20 sessions, a connection per message",
                &["-l", "5120"],
                1000,
            ),
            (
                "1 MB, 20 sessions, connections reused",
                &["-d", "-l", "1048576"],
                100,
            ),
        ];
        let servers = [
            "wasmtp discard",
            "wasmtp Maildir",
            "smtp-sink",
            "aiosmtpd no-op",
            "Postfix queue",
        ];
        let mut text = String::from(
            "Postfix's `smtp-source -s 20 -m N -l SIZE [-d] -f bench@client.test -t bob@example.test` \
             on loopback; messages per second, median of the alternating rounds (range).\n\n\
             `wasmtp discard`: `wasmtp-server.wasm --discard` (every message read and checked, then \
             dropped); `wasmtp Maildir`: the default, each message fsynced into Maildir before `250`; \
             `smtp-sink`: Postfix's test sink; `aiosmtpd no-op`: aiosmtpd 1.4.6 with its `Sink` \
             handler; `Postfix queue`: Postfix itself, a private instance under `target/bench/postfix` \
             (its smtpd on loopback, each message written and fsynced into its queue by \
             `cleanup` before `250`, then delivered by the `discard` transport; needs root).\n\n",
        );
        let _ = writeln!(text, "| workload | {} |", servers.join(" | "));
        let _ = writeln!(text, "|---|{}", "---|".repeat(servers.len()));
        let mut postfix_note = None;
        for (name, flags, messages) in workloads {
            let mut samples: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
            for _ in 0..ROUNDS {
                for (index, server) in servers.iter().enumerate() {
                    match self.one_load_run(server, flags, messages) {
                        Ok(rate) => samples[index].push(rate),
                        Err(why) => {
                            if *server == "Postfix queue" {
                                postfix_note = Some(why);
                            } else {
                                return Err(why);
                            }
                        }
                    }
                }
            }
            let figures: Vec<Option<Figure>> = samples.into_iter().map(Figure::of).collect();
            let cells: Vec<String> = figures
                .iter()
                .map(|figure| figure.as_ref().map_or("not run".to_owned(), |f| f.show(0)))
                .collect();
            let _ = writeln!(text, "| {name} | {} |", cells.join(" | "));
            let median = |index: usize| figures[index].as_ref().map(|figure| figure.median);
            if let (Some(discard), Some(sink), Some(aiosmtpd)) = (median(0), median(2), median(3)) {
                let line = format!(
                    "{name}: wasmtp discard {:.2}× aiosmtpd (target ≥ 2×), {:.2}× smtp-sink (target ≥ 0.5×)",
                    discard / aiosmtpd,
                    discard / sink
                );
                let durable = match (median(1), median(4)) {
                    (Some(maildir), Some(postfix)) => format!(
                        "; wasmtp Maildir {:.2}× Postfix's queue (target ≥ 1×)",
                        maildir / postfix
                    ),
                    _ => String::new(),
                };
                self.headlines.push(format!("{line}{durable}."));
            }
        }
        if let Some(why) = postfix_note {
            let _ = write!(
                text,
                "\nPostfix with its real queue was not measured: {why}"
            );
        }
        self.section("Server load", &text);
        Ok(())
    }

    /// Starts `server`, runs smtp-source against it, returns messages per second.
    fn one_load_run(&self, server: &str, flags: &[&str], messages: usize) -> Result<f64> {
        let address = free_address()?;
        let spool = self.scratch.join("spool");
        let _ = fs::remove_dir_all(&spool);
        fs::create_dir_all(&spool).map_err(|error| format!("spool: {error}"))?;
        let listen = address.to_string();
        let wasmtime = self.toolbox.executable("wasmtime");
        let server_wasm = self.root.join(DIST).join("wasmtp-server.wasm");
        let preopen = format!("{}::/spool", spool.display());
        let _running: Box<dyn std::any::Any> = match server {
            "wasmtp discard" | "wasmtp Maildir" => {
                let mut command = Command::new(&wasmtime);
                command
                    .args(["run", "-S", "inherit-network", "--dir", &preopen])
                    .arg(&server_wasm)
                    .args(["--listen", &listen, "--domain", "example.test"])
                    // The peers check no SPF either.
                    .args(["--spf", "off"]);
                if server == "wasmtp discard" {
                    command.arg("--discard");
                }
                Box::new(spawn(&mut command, server)?)
            }
            "smtp-sink" => {
                let mut command = Command::new("/usr/sbin/smtp-sink");
                // smtp-sink will not run as root without a user to become.
                if process::is_root() {
                    command.args(["-u", "nobody"]);
                }
                Box::new(spawn(command.args([&listen, "1024"]), server)?)
            }
            "aiosmtpd no-op" => Box::new(spawn(
                Command::new(self.toolbox.python()).args([
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    &listen,
                    "-c",
                    "aiosmtpd.handlers.Sink",
                ]),
                server,
            )?),
            _ => Box::new(Postfix::start(&self.scratch.join("postfix"), &listen)?),
        };
        wait_for(address, server)?;
        let started = Instant::now();
        let status = Command::new("/usr/sbin/smtp-source")
            .args(["-s", "20", "-m", &messages.to_string()])
            .args(flags)
            .args(["-f", "bench@client.test", "-t", "bob@example.test", &listen])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|error| format!("cannot run smtp-source: {error}"))?;
        let elapsed = started.elapsed().as_secs_f64();
        if !status.success() {
            return Err(format!("smtp-source against {server} failed: {status}"));
        }
        Ok(messages as f64 / elapsed)
    }

    /// STARTTLS handshakes, wasmtp-server (rustls and ring inside the component) against
    /// aiosmtpd (Python's ssl, OpenSSL), timed by the same Python client.
    fn tls_handshake(&mut self) -> Result<()> {
        const HANDSHAKES: &str = "100";
        let tls = self.scratch.join("spool/tls");
        let _ = fs::remove_dir_all(self.scratch.join("spool"));
        fs::create_dir_all(&tls).map_err(|error| format!("{}: {error}", tls.display()))?;
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .map_err(|error| format!("cannot make a certificate: {error}"))?;
        let (cert, key) = (tls.join("cert.pem"), tls.join("key.pem"));
        fs::write(&cert, certified.cert.pem())
            .and_then(|()| fs::write(&key, certified.key_pair.serialize_pem()))
            .map_err(|error| format!("cannot write the certificate: {error}"))?;
        let script = self.root.join("xtask/bench/handshake.py");
        let servers = ["wasmtp-server", "aiosmtpd"];
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
        for _ in 0..ROUNDS {
            for (index, server) in servers.iter().enumerate() {
                let address = free_address()?;
                let listen = address.to_string();
                let _running = match *server {
                    "wasmtp-server" => spawn(
                        Command::new(self.toolbox.executable("wasmtime"))
                            .args(["run", "-S", "inherit-network", "--dir"])
                            .arg(format!("{}::/spool", self.scratch.join("spool").display()))
                            .arg(self.root.join(DIST).join("wasmtp-server.wasm"))
                            .args(["--listen", &listen])
                            .args(["--tls-cert", "/spool/tls/cert.pem"])
                            .args(["--tls-key", "/spool/tls/key.pem"]),
                        server,
                    )?,
                    _ => spawn(
                        Command::new(self.toolbox.python())
                            .arg(self.root.join("tests/python/sink.py"))
                            .arg(&self.scratch)
                            .arg(address.ip().to_string())
                            .arg(address.port().to_string())
                            .env("SINK_TLS_CERT", &cert)
                            .env("SINK_TLS_KEY", &key),
                        server,
                    )?,
                };
                wait_for(address, server)?;
                let output = Command::new(self.toolbox.python())
                    .arg(&script)
                    .args([&address.ip().to_string(), &address.port().to_string()])
                    .arg(&cert)
                    .arg(HANDSHAKES)
                    .output()
                    .map_err(|error| format!("cannot run handshake.py: {error}"))?;
                if !output.status.success() {
                    return Err(format!(
                        "handshake.py against {server}: {}",
                        String::from_utf8_lossy(&output.stderr).trim()
                    ));
                }
                samples[index].extend(
                    String::from_utf8_lossy(&output.stdout)
                        .lines()
                        .filter_map(|line| line.parse::<f64>().ok()),
                );
            }
        }
        let figures: Vec<Option<Figure>> = samples.into_iter().map(Figure::of).collect();
        let mut text = format!(
            "TLS 1.3 handshake after STARTTLS, ECDSA P-256 certificate, timed by the same \
             Python client (`xtask/bench/handshake.py`, OpenSSL) from sending its ClientHello \
             to a finished handshake; {HANDSHAKES} handshakes on fresh connections per round, \
             {ROUNDS} alternating rounds (ms):\n\n| server | handshake ms |\n|---|---|\n"
        );
        for (server, figure) in servers.iter().zip(&figures) {
            let cell = figure.as_ref().map_or("not run".to_owned(), |f| f.show(2));
            let _ = writeln!(text, "| {server} | {cell} |");
        }
        if let [Some(wasmtp), Some(aiosmtpd)] = &figures[..] {
            self.headlines.push(format!(
                "STARTTLS handshake: wasmtp-server (rustls + ring in wasmtime) {:.2} ms median, \
                 {:.2}× aiosmtpd's time (Python ssl/OpenSSL, {:.2} ms).",
                wasmtp.median,
                wasmtp.median / aiosmtpd.median,
                aiosmtpd.median
            ));
        }
        self.section("TLS handshake", &text);
        Ok(())
    }

    /// Process start to the `220` greeting, plain and precompiled.
    fn cold_start(&mut self) -> Result<()> {
        let wasmtime = self.toolbox.executable("wasmtime");
        let server_wasm = self.root.join(DIST).join("wasmtp-server.wasm");
        let compiled = self.scratch.join("wasmtp-server.cwasm");
        process::run(
            process::command(&wasmtime, self.root)
                .arg("compile")
                .arg(&server_wasm)
                .arg("-o")
                .arg(&compiled),
        )?;
        let spool = self.scratch.join("cold-spool");
        fs::create_dir_all(&spool).map_err(|error| format!("spool: {error}"))?;
        let preopen = format!("{}::/spool", spool.display());
        let mut text = String::from(
            "Milliseconds from spawning `wasmtime run` to reading the server's `220` greeting \
             (the connection is retried every millisecond until the listener is up).\n\n\
             | variant | ms |\n|---|---|\n",
        );
        for (name, module, precompiled) in [
            ("plain `.wasm` (compiled at start)", &server_wasm, false),
            (
                "precompiled with `wasmtime compile` (`--allow-precompiled`)",
                &compiled,
                true,
            ),
        ] {
            let mut samples = Vec::new();
            for _ in 0..STARTS {
                let address = free_address()?;
                let mut command = Command::new(&wasmtime);
                command.arg("run");
                if precompiled {
                    command.arg("--allow-precompiled");
                }
                command
                    .args(["-S", "inherit-network", "--dir", &preopen])
                    .arg(module)
                    .args(["--listen", &address.to_string()]);
                let started = Instant::now();
                let _running = spawn(&mut command, "wasmtime run")?;
                let greeting = loop {
                    if started.elapsed() > Duration::from_secs(30) {
                        return Err("the server did not greet within 30 s".into());
                    }
                    if let Ok(stream) = TcpStream::connect(address) {
                        let mut line = String::new();
                        let _ = BufReader::new(stream).read_line(&mut line);
                        break line;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                };
                if !greeting.starts_with("220") {
                    return Err(format!("unexpected greeting {greeting:?}"));
                }
                samples.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            if let Some(figure) = Figure::of(samples) {
                let _ = writeln!(text, "| {name} | {} |", figure.show(1));
                if precompiled {
                    self.headlines.push(format!(
                        "Precompiled server to its first greeting: {:.1} ms (target ≤ 30 ms).",
                        figure.median
                    ));
                }
            }
        }
        self.section("Cold start", &text);
        Ok(())
    }

    /// In-process instantiation with `InstancePre` (criterion, in the tests crate).
    fn instantiation(&mut self) -> Result<()> {
        process::run(
            process::command("cargo", self.root)
                .args([
                    "bench",
                    "-p",
                    "wasmtp-tests",
                    "--bench",
                    "instantiate",
                    "--",
                    "--noplot",
                ])
                .env("WASMTP_DIST", self.root.join(DIST)),
        )?;
        let mut text = String::from(
            "`cargo bench -p wasmtp-tests --bench instantiate`: `InstancePre::instantiate` with a \
             fresh `Store` (criterion median, µs, with its 95 % confidence interval).\n\n\
             | component, allocator | µs |\n|---|---|\n",
        );
        for artifact in ["wasmtp.wasm", "wasmtp-server.wasm"] {
            for allocator in ["on-demand", "pooling"] {
                let id = format!("{artifact} {allocator}");
                let figure = criterion_estimate(self.root, &format!("instantiation/{id}"))?;
                let _ = writeln!(text, "| {id} | {} |", figure.show(1));
                if artifact == "wasmtp-server.wasm" && allocator == "pooling" {
                    self.headlines.push(format!(
                        "In-process instantiation of the server component (pooling): {:.1} µs (target ≤ 100 µs).",
                        figure.median
                    ));
                }
            }
        }
        self.section("In-process instantiation", &text);
        Ok(())
    }

    /// The edge under `wasmtime serve`: start to first answer, then per-request latency.
    fn edge_latency(&mut self) -> Result<()> {
        let started = Instant::now();
        let (_edge, address) = self.start_edge()?;
        let first = loop {
            if started.elapsed() > Duration::from_secs(30) {
                return Err("the edge did not answer within 30 s".into());
            }
            if http(address, "GET", "/healthz", b"").is_ok_and(|status| status == 200) {
                break started.elapsed().as_secs_f64() * 1000.0;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let scenario = wasmtp_core::sim::built_in("first-email")
            .and_then(|scenario| serde_json::to_vec(&scenario).ok())
            .unwrap_or_default();
        let mut text = format!(
            "`wasmtime serve` of `wasmtp-edge.wasm` (an instance per request): {first:.0} ms \
             from spawning the process to the first `200` of `/healthz`. Per request, 200 \
             sequential requests on fresh connections (ms):\n\n| request | ms |\n|---|---|\n"
        );
        for (name, method, path, body) in [
            ("GET /healthz", "GET", "/healthz", &b""[..]),
            (
                "POST /api/v1/simulate (first-email)",
                "POST",
                "/api/v1/simulate",
                &scenario[..],
            ),
        ] {
            let mut samples = Vec::new();
            for _ in 0..200 {
                let at = Instant::now();
                let status = http(address, method, path, body)?;
                if status != 200 {
                    return Err(format!("{name} answered {status}"));
                }
                samples.push(at.elapsed().as_secs_f64() * 1000.0);
            }
            if let Some(figure) = Figure::of(samples) {
                let _ = writeln!(text, "| {name} | {} |", figure.show(2));
                if path == "/api/v1/simulate" {
                    self.headlines.push(format!(
                        "Edge `POST /api/v1/simulate` (first-email) under wasmtime serve: {:.2} ms median.",
                        figure.median
                    ));
                }
            }
        }
        self.section("Edge latency", &text);
        Ok(())
    }

    /// `wasmtime serve` of the edge on a free loopback port (not waited for).
    fn start_edge(&self) -> Result<(Started, SocketAddr)> {
        let address = free_address()?;
        let edge = spawn(
            Command::new(self.toolbox.executable("wasmtime"))
                .args(["serve", "-S", "cli", "--addr", &address.to_string()])
                .arg(self.root.join(DIST).join("wasmtp-edge.wasm")),
            "wasmtime serve",
        )?;
        Ok((edge, address))
    }

    fn sizes(&mut self) -> Result<()> {
        let dist = self.root.join(DIST);
        let mut text = String::from("| artifact | raw KiB | gzip -9 KiB |\n|---|---|---|\n");
        let (mut first_view, mut app) = (0, 0);
        let mut files: Vec<PathBuf> = artifacts::COMPONENTS
            .iter()
            .map(|name| dist.join(format!("{name}.wasm")))
            .collect();
        let mut web = Vec::new();
        artifacts::collect_files(&dist.join("web"), &mut web);
        web.sort();
        files.extend(web);
        for file in files {
            let bytes = fs::read(&file).map_err(|error| format!("{}: {error}", file.display()))?;
            let gzipped = artifacts::gzipped_len(&bytes)?;
            let name = file
                .strip_prefix(&dist)
                .unwrap_or(&file)
                .display()
                .to_string();
            // The page carries its first view, rendered ahead of time; with its style it
            // is all a first paint needs. The app (script and wasm) loads meanwhile.
            if name.starts_with("web/") {
                if [".html", ".css"].iter().any(|ext| name.ends_with(ext)) {
                    first_view += gzipped;
                } else if [".wasm", ".js"].iter().any(|ext| name.ends_with(ext)) {
                    app += gzipped;
                }
            }
            if name == "wasmtp-server.wasm" {
                self.headlines.push(format!(
                    "wasmtp-server.wasm: {:.1} KiB raw (target ≤ 400 KB).",
                    bytes.len() as f64 / 1024.0
                ));
            }
            let _ = writeln!(
                text,
                "| {name} | {:.1} | {:.1} |",
                bytes.len() as f64 / 1024.0,
                gzipped as f64 / 1024.0
            );
        }
        let (first_view, app) = (first_view as f64 / 1024.0, app as f64 / 1024.0);
        let _ = write!(
            text,
            "\nThe web app's first view (the page, both languages' first view in it, and \
             its style; gzipped): {first_view:.1} KiB (target ≤ 300 KB); the app that \
             loads behind it (wasm + JS): {app:.1} KiB."
        );
        self.headlines.push(format!(
            "Web app first view: {first_view:.1} KiB gzipped (target ≤ 300 KB); the app \
             behind it {app:.1} KiB."
        ));
        self.section("Sizes", &text);
        Ok(())
    }

    /// Peak RSS of the server holding 1,000 idle connections.
    fn idle_memory(&mut self) -> Result<()> {
        let address = free_address()?;
        let spool = self.scratch.join("idle-spool");
        fs::create_dir_all(&spool).map_err(|error| format!("spool: {error}"))?;
        // wasmtime needs a descriptor per connection, over the usual soft limit of 1024.
        let script = format!(
            "ulimit -n 8192 && exec {} run -S inherit-network --dir {}::/spool {} --listen {address}",
            self.toolbox.executable("wasmtime").display(),
            spool.display(),
            self.root.join(DIST).join("wasmtp-server.wasm").display()
        );
        let running = spawn(Command::new("sh").args(["-c", &script]), "wasmtime run")?;
        wait_for(address, "the server")?;
        let pid = running.0.id();
        let baseline = peak_rss_kib(pid);
        // A Python client raises its own descriptor limit and holds the connections open,
        // each greeted, until told to let go.
        let hold = format!(
            "import resource, socket, sys\n\
             soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n\
             resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))\n\
             held = []\n\
             for _ in range(1000):\n\
             \x20   s = socket.create_connection(('{}', {}))\n\
             \x20   s.recv(512)\n\
             \x20   held.append(s)\n\
             print(len(held), flush=True)\n\
             sys.stdin.read()\n",
            address.ip(),
            address.port()
        );
        let mut client = Command::new(self.toolbox.python())
            .args(["-c", &hold])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start the idle client: {error}"))?;
        let mut held = String::new();
        if let Some(stdout) = client.stdout.as_mut() {
            let _ = BufReader::new(stdout).read_line(&mut held);
        }
        let peak = peak_rss_kib(pid);
        drop(client.stdin.take());
        let _ = client.wait();
        let mut line = String::new();
        let _ =
            TcpStream::connect(address).map(|stream| BufReader::new(stream).read_line(&mut line));
        let text = format!(
            "`wasmtp-server.wasm` in `wasmtime run` holding {} idle, greeted connections: peak \
             RSS {:.1} MiB (before them: {:.1} MiB); a new client was still greeted: {:?}.",
            held.trim(),
            peak as f64 / 1024.0,
            baseline as f64 / 1024.0,
            line.trim_end()
        );
        self.headlines.push(format!(
            "1,000 idle connections: {:.1} MiB peak RSS (target ≤ 64 MB).",
            peak as f64 / 1024.0
        ));
        self.section("Memory", &text);
        Ok(())
    }
    /// Each built-in scenario opened as a lesson in headless Chromium (run by the engine
    /// in the page, then drawn), through the Playwright script of the browser test.
    fn simulator_in_chromium(&mut self) -> Result<()> {
        let (_edge, address) = self.start_edge()?;
        wait_for(address, "the edge")?;
        let output = process::output(
            process::command("node", self.root)
                .arg(self.root.join("tests/js/browser.cjs"))
                .arg(format!("http://{address}/"))
                .arg("/usr/bin/chromium")
                .arg(&self.scratch)
                .env("NODE_PATH", self.toolbox.node_modules()),
        )
        .ok_or("the Playwright run failed (see `cargo xtask test`'s browser test)")?;
        let page: serde_json::Value = serde_json::from_str(&output)
            .map_err(|error| format!("the Playwright run printed no JSON: {error}"))?;
        let mut text = String::from(
            "`tests/js/browser.cjs` in headless Chromium against the edge: milliseconds from \
             clicking a lesson to its first step drawn (the whole scenario run by the engine \
             in the page, then rendered). Natively, all of them together take the `simulator` time \
             above.\n\n| scenario | steps | ms |\n|---|---|---|\n",
        );
        if let Some(open) = page["openMs"].as_object() {
            for (id, ms) in open {
                let _ = writeln!(
                    text,
                    "| {id} | {} | {:.1} |",
                    page["stepsOf"][id],
                    ms.as_f64().unwrap_or(f64::NAN)
                );
            }
        }
        let _ = write!(
            text,
            "\nFirst view: {} bytes over the wire, first paint {} ms; the app running after \
             {} ms ({} bytes in all); one step {:.1} ms median ({:.1} ms max).",
            page["firstViewBytes"],
            page["firstRenderMs"],
            page["appReadyMs"],
            page["appBytes"],
            page["stepMedianMs"].as_f64().unwrap_or(f64::NAN),
            page["stepMaxMs"].as_f64().unwrap_or(f64::NAN)
        );
        self.section("Simulator in the browser", &text);
        Ok(())
    }
}

/// A criterion benchmark's median, in µs, with its 95 % confidence interval as range.
fn criterion_estimate(root: &Path, id: &str) -> Result<Figure> {
    // A group's benchmark is `<group>/<name>/`; a `bench_function` id with a slash is
    // one folder, the slash made `_`.
    let read = |folder: &str| {
        let path = root
            .join("target/criterion")
            .join(folder)
            .join("new/estimates.json");
        fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
    };
    let json = read(id)
        .or_else(|| read(&id.replace('/', "_")))
        .ok_or_else(|| format!("no criterion estimate for {id} in target/criterion"))?;
    let median = &json["median"];
    let micros = |value: &serde_json::Value| value.as_f64().unwrap_or(f64::NAN) / 1000.0;
    Ok(Figure {
        median: micros(&median["point_estimate"]),
        min: micros(&median["confidence_interval"]["lower_bound"]),
        max: micros(&median["confidence_interval"]["upper_bound"]),
    })
}

/// `VmHWM` of a process, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// One HTTP/1.1 request on a fresh connection; the status code.
fn http(address: SocketAddr, method: &str, path: &str, body: &[u8]) -> Result<u16> {
    let mut stream =
        TcpStream::connect(address).map_err(|error| format!("connect to {address}: {error}"))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|error| format!("write to {address}: {error}"))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|error| format!("read from {address}: {error}"))?;
    String::from_utf8_lossy(&response)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no HTTP status from {address}"))
}
