//! TLS and AUTH in the real `wasmtime run`: STARTTLS (RFC 3207) and implicit TLS on the
//! submission listener (RFC 8314) with rustls inside the component, AUTH PLAIN and LOGIN
//! (RFC 4954) against a Dovecot passwd-file, checked with real clients (swaks, Python's
//! smtplib and ssl, `openssl s_client`), the STARTTLS injection cases, and the relay's
//! STARTTLS to an aiosmtpd peer with a certificate it must (or must not) trust.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use wasmtp_tests::{
    Certificate, Environment, Running, eventually, free_port, issue_certificate, output_with_input,
    run_python, stored,
};

/// The host name the server's certificate is issued for.
const HOST: &str = "mx.wasmtp.test";
const PASSWORD: &str = "correct horse battery";
const BOB_PASSWORD: &str = "bob's own";

/// A server with a certificate, a users file (alice, hashed by Dovecot's `doveadm pw`)
/// and a submission listener.
struct Secured {
    server: Running,
    submission: SocketAddr,
    certificate: Certificate,
}

fn doveadm_hash(password: &str) -> String {
    let output = Command::new("doveadm")
        .args(["pw", "-s", "SHA512-CRYPT", "-p", password])
        .output()
        .expect("run doveadm (Dovecot)");
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .expect("a UTF-8 hash")
        .trim()
        .to_owned()
}

fn secured(environment: &Environment) -> Secured {
    let spool = environment.fresh_dir("spool");
    let tls = spool.join("tls");
    std::fs::create_dir_all(&tls).expect("create spool/tls");
    let certificate = issue_certificate(&tls, "server", HOST);
    std::fs::write(
        spool.join("users"),
        format!(
            "# alice's hash made by doveadm, bob's by the server\nalice:{}\nbob@wasmtp.test:{}::::\n",
            doveadm_hash(PASSWORD),
            environment.server_password_hash(BOB_PASSWORD),
        ),
    )
    .expect("write the users file");
    let submission: SocketAddr = format!("127.0.0.1:{}", free_port())
        .parse()
        .expect("an address");
    let submission_text = submission.to_string();
    let flags = [
        "--tls-cert",
        "/spool/tls/server.pem",
        "--tls-key",
        "/spool/tls/server.key",
        "--users-file",
        "/spool/users",
        "--submission",
        &submission_text,
    ];
    let server = environment.start_server_on(&spool, &flags);
    Secured {
        server,
        submission,
        certificate,
    }
}

fn swaks(args: &[&str]) -> (bool, String) {
    let output = Command::new("swaks")
        .args(["--from", "sender@client.test", "--to", "bob@wasmtp.test"])
        .args(["--timeout", "20"])
        .args(args)
        .output()
        .expect("run swaks");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.success(), text)
}

/// Runs Python `code` against `secured` and returns what it prints. The code starts
/// with `smtplib`, `socket` and `ssl` imported, `context` (TLS, trusting the server's CA),
/// `SMTP` and `SUBMISSION` (the two ports), `HOST` and `PASSWORD` (alice's).
fn python(secured: &Secured, code: &str) -> String {
    let prelude = format!(
        "import smtplib, socket, ssl\n\
         context = ssl.create_default_context(cafile={ca})\n\
         SMTP, SUBMISSION = {smtp}, {submission}\n\
         HOST, PASSWORD = {HOST:?}, {PASSWORD:?}\n",
        ca = python_string(&secured.certificate.ca),
        smtp = secured.server.address.port(),
        submission = secured.submission.port(),
    );
    String::from_utf8(run_python(&(prelude + code))).expect("UTF-8 output")
}

fn python_string(path: &Path) -> String {
    format!("{:?}", path.display().to_string())
}

#[test]
fn swaks_starttls_then_auth_plain_delivers_with_esmtpsa() {
    let environment = Environment::from_env();
    let secured = secured(&environment);
    let server = secured.server.address.to_string();
    let (ok, transcript) = swaks(&[
        "--server",
        &server,
        "--tls",
        "--auth",
        "PLAIN",
        "--auth-user",
        "alice",
        "--auth-password",
        PASSWORD,
    ]);
    assert!(ok, "{transcript}");
    assert!(
        transcript.contains("=== TLS started with cipher TLSv1.3"),
        "{transcript}"
    );
    assert!(transcript.contains("<~  235 2.7.0"), "{transcript}");
    let delivered = secured.server.mailbox("wasmtp.test", "bob");
    assert_eq!(delivered.len(), 1);
    let text = String::from_utf8_lossy(&delivered[0]);
    assert!(
        text.contains(&format!("by {HOST} (wasmtp) with ESMTPSA id")),
        "{text}"
    );
    // swaks says `TLSv1.3:TLS_AES_256_GCM_SHA384:256`; Received names the same (RFC 8314
    // §4.3: the registered `tls` clause, the version in a comment).
    let agreed = transcript
        .split("=== TLS started with cipher ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .expect("the cipher swaks used");
    let [version, cipher, ..] = agreed.split(':').collect::<Vec<_>>()[..] else {
        panic!("version:cipher:bits, not {agreed}");
    };
    assert!(
        text.contains(&format!("\r\n\ttls {cipher} ({version});")),
        "{text}"
    );
}

#[test]
fn swaks_on_the_submission_port_needs_auth_login() {
    let environment = Environment::from_env();
    let secured = secured(&environment);
    let submission = secured.submission.to_string();
    // RFC 8314: TLS from the first byte; RFC 4954 §6: 530 5.7.0 without AUTH.
    let (ok, transcript) = swaks(&["--server", &submission, "--tlsc"]);
    assert!(!ok);
    assert!(
        transcript.contains("530 5.7.0 Authentication required"),
        "{transcript}"
    );
    let (ok, transcript) = swaks(&[
        "--server",
        &submission,
        "--tlsc",
        "--auth",
        "LOGIN",
        "--auth-user",
        "alice",
        "--auth-password",
        PASSWORD,
    ]);
    assert!(ok, "{transcript}");
    assert!(transcript.contains("<~  334 VXNlcm5hbWU6"), "{transcript}");
    assert_eq!(secured.server.mailbox("wasmtp.test", "bob").len(), 1);
}

#[test]
fn smtplib_starttls_login_and_smtp_ssl_with_a_verified_certificate() {
    let environment = Environment::from_env();
    let secured = secured(&environment);
    let output = python(
        &secured,
        r#"
with smtplib.SMTP("127.0.0.1", SMTP, local_hostname="client.test") as smtp:
    smtp.ehlo()
    assert not smtp.has_extn("auth"), "AUTH offered before TLS"
    code, _ = smtp.docmd("AUTH", "PLAIN AGFsaWNlAHNlY3JldA==")
    print("plain-auth", code)
    smtp.starttls(context=context)
    smtp.ehlo()
    print("after-starttls", smtp.has_extn("starttls"), smtp.esmtp_features.get("auth"))
    smtp.login("alice", PASSWORD)
    smtp.sendmail("alice@client.test", ["bob@wasmtp.test"], b"Subject: one\r\n\r\nover STARTTLS\r\n")
    print("agreed", smtp.sock.cipher()[0], smtp.sock.version())
with smtplib.SMTP_SSL("127.0.0.1", SUBMISSION, context=context) as smtp:
    smtp.login("alice", PASSWORD)
    smtp.sendmail("alice@client.test", ["bob@wasmtp.test"], b"Subject: two\r\n\r\nimplicit TLS\r\n")
    print("ssl-cipher", smtp.sock.version())
    print("agreed", smtp.sock.cipher()[0], smtp.sock.version())
"#,
    );
    // What Python's ssl agreed on, as Received should name it (RFC 8314 §4.3).
    let agreed: Vec<String> = output
        .lines()
        .filter_map(|line| line.strip_prefix("agreed "))
        .map(|agreed| {
            let (cipher, version) = agreed.split_once(' ').expect("cipher and version");
            format!("\r\n\ttls {cipher} ({version});")
        })
        .collect();
    assert_eq!(agreed.len(), 2, "{output}");
    // RFC 4954 §6: 538 5.7.11 for AUTH before TLS; STARTTLS not offered again after.
    assert!(output.contains("plain-auth 538"), "{output}");
    assert!(
        output.contains("after-starttls False  PLAIN LOGIN"),
        "{output}"
    );
    assert!(output.contains("ssl-cipher TLSv1.3"), "{output}");
    let delivered = secured.server.mailbox("wasmtp.test", "bob");
    assert_eq!(delivered.len(), 2);
    assert!(
        delivered
            .iter()
            .all(|message| String::from_utf8_lossy(message).contains("with ESMTPSA"))
    );
    // One over STARTTLS, one over implicit TLS, in the order they were sent.
    for (message, clause) in delivered.iter().zip(&agreed) {
        let text = String::from_utf8_lossy(message);
        assert!(text.contains(clause.as_str()), "{clause:?} in {text}");
        assert!(clause.contains("(TLSv1.3)"), "{clause}");
    }
}

/// A client whose TLS handshake fails (plaintext on the implicit-TLS port, garbage after
/// STARTTLS's 220) ends its session in one log line that says why.
#[test]
fn a_failed_tls_handshake_is_one_log_line() {
    let environment = Environment::from_env();
    let secured = secured(&environment);
    python(
        &secured,
        r#"
s = socket.create_connection(("127.0.0.1", SUBMISSION))
s.sendall(b"EHLO plaintext.test\r\n")
s.recv(4096)
s.close()
s = socket.create_connection(("127.0.0.1", SMTP))
s.recv(4096)
s.sendall(b"EHLO client.test\r\n")
s.recv(4096)
s.sendall(b"STARTTLS\r\n")
s.recv(4096)
s.sendall(b"not a TLS record at all\r\n")
s.recv(4096)
s.close()
"#,
    );
    let ends = eventually("both sessions ended", || {
        let ends: Vec<String> = secured
            .server
            .output()
            .into_iter()
            .filter(|line| line.starts_with("disconnect "))
            .collect();
        (ends.len() == 2).then_some(ends)
    });
    assert!(
        ends[0].contains("error=\"TLS handshake with 127.0.0.1: "),
        "{ends:?}"
    );
    assert!(ends[1].contains("error=\"STARTTLS handshake: "), "{ends:?}");
    assert!(
        !secured
            .server
            .output()
            .iter()
            .any(|line| line.starts_with("tls-error")),
        "one line per session"
    );
}

#[test]
fn openssl_s_client_starttls_smtp_verifies_the_chain() {
    let environment = Environment::from_env();
    let secured = secured(&environment);
    let output = output_with_input(
        Command::new("openssl")
            .args([
                "s_client",
                "-starttls",
                "smtp",
                "-brief",
                "-crlf",
                "-ign_eof",
            ])
            .args(["-connect", &secured.server.address.to_string()])
            .args(["-servername", HOST, "-verify_return_error", "-CAfile"])
            .arg(&secured.certificate.ca),
        b"EHLO client.test\nQUIT\n",
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("Verification: OK"), "{text}");
    assert!(text.contains("Protocol version: TLSv1.3"), "{text}");
    // After the handshake the session starts over: EHLO works, and no STARTTLS again.
    assert!(text.contains(&format!("250-{HOST} greets")), "{text}");
    assert!(!text.contains("250-STARTTLS"), "{text}");
    assert!(text.contains("221 2.0.0"), "{text}");
}

#[test]
fn injected_commands_after_starttls_are_never_answered() {
    // CVE-2011-0411: "STARTTLS\r\nEHLO evil\r\n" in one segment. The server answers 220
    // and nothing else; after the handshake the session needs a fresh EHLO, and the
    // first reply in TLS is the one to the client's own command.
    let environment = Environment::from_env();
    let secured = secured(&environment);
    let output = python(
        &secured,
        r#"
raw = socket.create_connection(("127.0.0.1", SMTP), timeout=10)
reader = raw.makefile("rb")
def replies(stream):
    lines = []
    while True:
        line = stream.readline()
        lines.append(line)
        if line[3:4] != b"-":
            return b"".join(lines)
print(replies(reader))
raw.sendall(b"EHLO client.test\r\n"); replies(reader)
raw.sendall(b"STARTTLS\r\nEHLO evil.test\r\nMAIL FROM:<evil@evil.test>\r\n")
print("starttls", replies(reader))
raw.settimeout(1.0)
try:
    extra = raw.recv(1, socket.MSG_PEEK)
except socket.timeout:
    extra = b""
print("extra-plaintext", extra)
raw.settimeout(10)
tls = context.wrap_socket(raw, server_hostname=HOST)
stream = tls.makefile("rb")
tls.sendall(b"MAIL FROM:<alice@client.test>\r\n")
print("mail-before-ehlo", replies(stream))
tls.sendall(b"EHLO client.test\r\n")
print("ehlo", replies(stream)[:40])
"#,
    );
    assert!(
        output.contains("starttls b'220 2.0.0 Ready to start TLS\\r\\n'"),
        "{output}"
    );
    assert!(output.contains("extra-plaintext b''"), "{output}");
    // The injected EHLO was thrown away: MAIL is out of sequence until a new EHLO.
    assert!(output.contains("mail-before-ehlo b'503"), "{output}");
    assert!(
        output.contains(&format!("ehlo b'250-{HOST} greets client.test")),
        "{output}"
    );
}

#[test]
fn wrong_passwords_get_535_and_the_third_ends_the_connection() {
    let environment = Environment::from_env();
    let secured = secured(&environment);
    let output = python(
        &secured,
        r#"
smtp = smtplib.SMTP_SSL("127.0.0.1", SUBMISSION, context=context)
smtp.ehlo()
for attempt in range(3):
    code, text = smtp.docmd("AUTH", "PLAIN AGFsaWNlAHdyb25n")
    print(attempt, code, text)
try:
    print("after", smtp.docmd("NOOP"))
except smtplib.SMTPServerDisconnected:
    print("after disconnected")
"#,
    );
    assert!(
        output.contains("0 535 b'5.7.8 Authentication credentials invalid'"),
        "{output}"
    );
    assert!(output.contains("1 535"), "{output}");
    // smtplib reads the 535 of the third attempt; the 421 follows and the server closes.
    assert!(output.contains("2 535"), "{output}");
    assert!(
        output.contains("after (421") || output.contains("after disconnected"),
        "{output}"
    );
}

#[test]
fn hash_password_writes_what_dovecot_verifies() {
    let environment = Environment::from_env();
    let field = environment.server_password_hash(PASSWORD);
    assert!(field.starts_with("{SHA512-CRYPT}$6$"), "{field}");
    let verified = |password: &str| {
        Command::new("doveadm")
            .args(["pw", "-t", &field, "-p", password])
            .output()
            .expect("run doveadm")
            .status
            .success()
    };
    assert!(verified(PASSWORD));
    assert!(!verified("wrong"));
}

#[test]
fn one_passwd_file_serves_smtp_auth_and_dovecot_imap() {
    // alice authenticates to the submission port with the hash doveadm made; bob reads
    // her message over IMAP from Dovecot, which checks the hash the server made, in the
    // very file the server uses.
    let environment = Environment::from_env();
    let secured = secured(&environment);
    let submission = secured.submission.to_string();
    let (ok, transcript) = swaks(&[
        "--server",
        &submission,
        "--tlsc",
        "--auth",
        "PLAIN",
        "--auth-user",
        "alice",
        "--auth-password",
        PASSWORD,
        "--header",
        "Subject: for Dovecot",
    ]);
    assert!(ok, "{transcript}");
    let spool = secured.server.spool.as_ref().expect("a spool");
    let dovecot = environment.start_dovecot_with(&spool.join("mail"), Some(&spool.join("users")));
    let output = python(
        &secured,
        &format!(
            r#"
import imaplib
imap = imaplib.IMAP4("{ip}", {port})
try:
    imap.login("bob@wasmtp.test", "wrong")
except imaplib.IMAP4.error as error:
    print("wrong password refused")
imap = imaplib.IMAP4("{ip}", {port})
imap.login("bob@wasmtp.test", {password:?})
imap.select("INBOX")
kind, data = imap.fetch("1", "(RFC822)")
print(data[0][1].decode())
"#,
            ip = dovecot.imap.ip(),
            port = dovecot.imap.port(),
            password = BOB_PASSWORD,
        ),
    );
    assert!(output.contains("wrong password refused"), "{output}");
    assert!(output.contains("Subject: for Dovecot"), "{output}");
    assert!(output.contains("with ESMTPSA"), "{output}");
}

/// An MX host for `far.test` on 127.0.0.2, offering STARTTLS with `certificate`, and a
/// server relaying to it under `policy`, trusting `ca`.
struct Relay {
    _dns: Running,
    _mx: Running,
    server: Running,
    store: PathBuf,
}

fn relay(
    environment: &Environment,
    policy: &str,
    mx_certificate: &Certificate,
    ca: &Path,
) -> Relay {
    let dns = environment.start_dnsmasq(&[
        "--mx-host=far.test,mx.far.test,10".to_owned(),
        "--host-record=mx.far.test,127.0.0.2".to_owned(),
    ]);
    let port = free_port();
    let store = environment.fresh_dir("mx");
    let mx = environment.start_aiosmtpd_tls(
        &store,
        format!("127.0.0.2:{port}").parse().expect("an address"),
        mx_certificate,
    );
    let spool = environment.fresh_dir("spool");
    std::fs::copy(ca, spool.join("relay-ca.pem")).expect("copy the CA");
    let server = environment.start_server_on(
        &spool,
        &[
            "--trusted",
            "127.0.0.0/8",
            "--resolver",
            &dns.address.to_string(),
            "--relay-port",
            &port.to_string(),
            "--first-retry-seconds",
            "1",
            "--relay-tls",
            policy,
            "--relay-ca",
            "/spool/relay-ca.pem",
        ],
    );
    Relay {
        _dns: dns,
        _mx: mx,
        server,
        store,
    }
}

fn hand_over(server: &Running) {
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    for command in [
        "MAIL FROM:<alice@wasmtp.test>",
        "RCPT TO:<carol@far.test>",
        "DATA",
    ] {
        let reply = smtp.command(command);
        assert!(
            reply.starts_with('2') || reply.starts_with('3'),
            "{command}: {reply}"
        );
    }
    let reply = smtp.command("Subject: relayed over TLS\r\n\r\nsecret body\r\n.");
    assert!(reply.starts_with("250"), "{reply}");
}

#[test]
fn the_relay_delivers_over_starttls_to_a_verified_peer() {
    let environment = Environment::from_env();
    let tls = environment.fresh_dir("tls");
    let certificate = issue_certificate(&tls, "mx", "mx.far.test");
    let relay = relay(&environment, "required", &certificate, &certificate.ca);
    hand_over(&relay.server);
    let messages = eventually("the MX stores the message", || {
        let messages = stored(&relay.store);
        (!messages.is_empty()).then_some(messages)
    });
    assert!(String::from_utf8_lossy(&messages[0].1).contains("secret body"));
    let cipher = std::fs::read_to_string(relay.store.join("1.tls")).expect("the TLS record");
    assert!(cipher.contains("TLSv1.3"), "{cipher}");
}

#[test]
fn the_relay_refuses_an_untrusted_certificate_when_tls_is_required() {
    let environment = Environment::from_env();
    let tls = environment.fresh_dir("tls");
    let trusted = issue_certificate(&tls, "trusted", "mx.far.test");
    let impostor = issue_certificate(&tls, "impostor", "mx.far.test");
    let relay = relay(&environment, "required", &impostor, &trusted.ca);
    hand_over(&relay.server);
    let queue = relay.server.spool.as_ref().expect("a spool").join("queue");
    let attempt = eventually("the relay records its failed attempt", || {
        std::fs::read_dir(&queue)
            .ok()?
            .flatten()
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "json"))
            .find_map(|entry| {
                let text = std::fs::read_to_string(entry.path()).ok()?;
                text.contains("UnknownIssuer").then_some(text)
            })
    });
    assert!(attempt.contains("451 4.7.10"), "{attempt}");
    assert!(
        stored(&relay.store).is_empty(),
        "nothing reaches the impostor"
    );
}

#[test]
fn the_client_aborts_when_a_server_injects_bytes_after_its_220() {
    // The client side of CVE-2011-0411: a reply after STARTTLS's 220, in the same
    // segment, would be read as if it came through TLS. The edge's send endpoint (the
    // same client as the relay queue) must give up without a handshake or a MAIL.
    let environment = Environment::from_env();
    let log = environment.fresh_dir("fake").join("heard");
    let port = free_port();
    let script = format!(
        r#"
import socket
listener = socket.create_server(("127.0.0.1", {port}))
print("fake listening on 127.0.0.1:{port}", flush=True)
connection, _ = listener.accept()
connection.settimeout(10)
heard = b""
connection.sendall(b"220 fake.test ESMTP\r\n")
while b"STARTTLS\r\n" not in heard:
    heard += connection.recv(4096)
    if heard.endswith(b"\r\n") and heard.split(b"\r\n")[-2].upper().startswith(b"EHLO"):
        connection.sendall(b"250-fake.test\r\n250 STARTTLS\r\n")
connection.sendall(b"220 2.0.0 go ahead\r\n250 2.0.0 injected\r\n")
try:
    while True:
        more = connection.recv(4096)
        if not more:
            break
        heard += more
except OSError:
    pass
open({log:?}, "wb").write(heard)
"#,
        log = log.display().to_string(),
    );
    let mut fake = Command::new(&environment.python)
        .args(["-c", &script])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the fake server");
    let mut first_line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(fake.stdout.take().expect("stdout")),
        &mut first_line,
    )
    .expect("the fake says it listens");
    let edge = environment.start_edge_with(&[("WASMTP_RELAY", format!("127.0.0.1:{port}"))]);
    let request = r#"{"from":"alice@edge.test","to":["bob@far.test"],"subject":"s","text":"t"}"#;
    let response = wasmtp_tests::http_send(&edge, "POST", "/api/v1/send", request.as_bytes());
    let body = String::from_utf8_lossy(&response.body).into_owned();
    assert!(body.contains("bytes after the 220 to STARTTLS"), "{body}");
    assert!(body.contains(r#""result":"temporary""#), "{body}");
    let status = fake.wait().expect("the fake ends");
    assert!(status.success());
    let heard = std::fs::read(&log).expect("what the fake heard");
    // Nothing after STARTTLS: no ClientHello (0x16), no MAIL.
    assert!(
        heard.ends_with(b"STARTTLS\r\n"),
        "{:?}",
        String::from_utf8_lossy(&heard)
    );
}

#[test]
fn the_edge_sends_over_starttls_and_checks_the_relay_certificate() {
    // POST /api/v1/send under wasmtime serve, STARTTLS required: delivered when the
    // relay's certificate chains to WASMTP_RELAY_CA, refused when it does not.
    let environment = Environment::from_env();
    let tls = environment.fresh_dir("tls");
    let relay_certificate = issue_certificate(&tls, "relay", "relay.test");
    let other = issue_certificate(&tls, "other", "relay.test");
    let store = environment.fresh_dir("relay");
    let relay = environment.start_aiosmtpd_tls(
        &store,
        format!("127.0.0.1:{}", free_port())
            .parse()
            .expect("an address"),
        &relay_certificate,
    );
    let send = |ca: &Certificate| {
        let edge = environment.start_edge_with(&[
            ("WASMTP_RELAY", relay.address.to_string()),
            ("WASMTP_RELAY_TLS", "required".to_owned()),
            (
                "WASMTP_RELAY_CA",
                std::fs::read_to_string(&ca.ca).expect("the CA"),
            ),
        ]);
        let request =
            r#"{"from":"alice@edge.test","to":["bob@far.test"],"subject":"s","text":"over TLS"}"#;
        let response = wasmtp_tests::http_send(&edge, "POST", "/api/v1/send", request.as_bytes());
        String::from_utf8_lossy(&response.body).into_owned()
    };
    let refused = send(&other);
    assert!(refused.contains("UnknownIssuer"), "{refused}");
    assert!(stored(&store).is_empty());
    let delivered = send(&relay_certificate);
    assert!(delivered.contains(r#""result":"delivered""#), "{delivered}");
    assert_eq!(stored(&store).len(), 1);
    let cipher = std::fs::read_to_string(store.join("1.tls")).expect("the TLS record");
    assert!(cipher.contains("TLSv1.3"), "{cipher}");
}

#[test]
fn a_large_message_crosses_tls_byte_for_byte() {
    // 3 MB through TLS records: many full 16 KiB records arrive per socket read, which
    // the stream must hand to rustls without overfilling its plaintext buffer.
    let environment = Environment::from_env();
    let secured = secured(&environment);
    let sent = environment.fresh_dir("big").join("sent.eml");
    python(
        &secured,
        &format!(
            r#"
line = b"0123456789abcdefghijklmnopqrstuvwxyz.ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n"
body = b"Subject: big\r\n\r\n" + line * (3 * 1024 * 1024 // len(line))
with smtplib.SMTP_SSL("127.0.0.1", SUBMISSION, context=context) as smtp:
    smtp.login("alice", PASSWORD)
    smtp.sendmail("alice@client.test", ["bob@wasmtp.test"], body)
open({sent}, "wb").write(body)
"#,
            sent = python_string(&sent),
        ),
    );
    let sent = std::fs::read(&sent).expect("the message sent");
    let delivered = secured.server.mailbox("wasmtp.test", "bob");
    assert_eq!(delivered.len(), 1);
    // The stored copy starts with Return-Path and Received; the message follows them.
    assert!(
        delivered[0].ends_with(&sent),
        "{} octets stored",
        delivered[0].len()
    );
}
