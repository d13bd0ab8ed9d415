//! `wasmtp-server.wasm` in the real `wasmtime run`: real SMTP clients (Python smtplib,
//! curl, swaks) complete transactions, and raw-socket dialogues pin exact behaviour.
//! Every test talks only to 127.0.0.1.

use std::process::Command;

use std::io::Write as _;

use wasmtp_tests::{Environment, code, eventually, run_python};

/// The message every client sends: a body with dot-leading lines (RFC 5321 §4.5.2).
const MESSAGE: &str = "From: Alice <alice@client.test>\r\nTo: Bob <bob@wasmtp.test>\r\nSubject: dots\r\n\r\n.one dot\r\n..two dots\r\n.\r\nlast line\r\n";

/// What the Maildir file must hold: the Return-Path and Received headers the server adds
/// (RFC 5321 §4.4), then the message byte for byte.
fn assert_delivered(delivered: &[u8], reverse_path: &str, body: &[u8]) {
    let text = String::from_utf8_lossy(delivered);
    let return_path = format!("Return-Path: <{reverse_path}>\r\n");
    assert!(text.starts_with(&return_path), "{text}");
    assert!(
        text[return_path.len()..].starts_with("Received: from "),
        "{text}"
    );
    assert!(
        text.contains("\r\n\tby mx.wasmtp.test (wasmtp) with ESMTP id "),
        "{text}"
    );
    let header_end = text.find(" +0000\r\n").expect("a dated Received header") + 8;
    assert_eq!(&delivered[header_end..], body, "{text}");
}

fn python(script: &str) -> String {
    String::from_utf8_lossy(&run_python(script)).into_owned()
}

#[test]
fn python_smtplib_sends_a_message_that_lands_in_maildir() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let printed = python(&format!(
        "import smtplib\n\
         from email import message_from_bytes, policy\n\
         raw = {MESSAGE:?}.encode()\n\
         message = message_from_bytes(raw, policy=policy.SMTP)\n\
         with smtplib.SMTP('{}', {}, timeout=10) as client:\n\
         \x20   print(client.ehlo()[0])\n\
         \x20   print(client.send_message(message, 'alice@client.test', ['bob@wasmtp.test']))\n",
        server.address.ip(),
        server.address.port()
    ));
    assert_eq!(printed, "250\n{}\n");
    let delivered = server.mailbox("wasmtp.test", "bob");
    assert_eq!(delivered.len(), 1);
    assert_delivered(&delivered[0], "alice@client.test", MESSAGE.as_bytes());
}

/// smtplib's usual way with an internationalised message: `send_message` with
/// `mail_options=["SMTPUTF8", "BODY=8BITMIME"]`, to which it adds the same options again
/// for a non-ASCII sender. The repeats are taken as one, and the message is stored byte
/// for byte as smtplib sent it.
#[test]
fn python_smtplib_send_message_with_smtputf8_options_is_stored_byte_for_byte() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let printed = run_python(&format!(
        "import io, smtplib, sys\n\
         from email import generator, message_from_bytes, policy\n\
         raw = 'From: Jösé <jösé@client.test>\\r\\nTo: <bob@wasmtp.test>\\r\\nSubject: olá\\r\\n\\\n\
         Content-Type: text/plain; charset=utf-8\\r\\nContent-Transfer-Encoding: 8bit\\r\\n\\r\\n\\\n\
         Café ☕\\r\\n.dot line\\r\\n'.encode()\n\
         message = message_from_bytes(raw, policy=policy.SMTPUTF8)\n\
         with smtplib.SMTP('{}', {}, timeout=10) as client:\n\
         \x20   refused = client.send_message(message, mail_options=['SMTPUTF8', 'BODY=8BITMIME'])\n\
         \x20   assert not refused, refused\n\
         sent = io.BytesIO()\n\
         generator.BytesGenerator(sent, policy=message.policy.clone(utf8=True)).flatten(message, linesep='\\r\\n')\n\
         sys.stdout.buffer.write(sent.getvalue())\n",
        server.address.ip(),
        server.address.port()
    ));
    let delivered = server.mailbox("wasmtp.test", "bob");
    assert_eq!(delivered.len(), 1);
    let text = String::from_utf8_lossy(&delivered[0]);
    assert!(
        text.starts_with("Return-Path: <jösé@client.test>\r\n"),
        "{text}"
    );
    assert!(
        text.contains(" with UTF8SMTP id "),
        "RFC 6531 §3.7.3: {text}"
    );
    let header_end = text.find(" +0000\r\n").expect("a dated Received header") + 8;
    assert_eq!(&delivered[0][header_end..], &printed[..], "{text}");
}

/// RFC 3461 §4: each DSN parameter at most once; two different values for one keyword
/// leave the server no way to know which was meant. Both are `501 5.5.4` naming it; an
/// identical repeat is taken as one.
#[test]
fn repeated_mail_and_rcpt_parameters_are_taken_once_or_refused_by_name() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    for (command, expected) in [
        (
            "MAIL FROM:<a@client.test> BODY=7BIT BODY=8BITMIME",
            "501 5.5.4 Syntax error in parameters: parameter BODY given twice with different values",
        ),
        (
            "MAIL FROM:<a@client.test> SIZE=10 SIZE=20",
            "501 5.5.4 Syntax error in parameters: parameter SIZE given twice with different values",
        ),
        (
            "MAIL FROM:<a@client.test> RET=HDRS RET=HDRS",
            "501 5.5.4 Syntax error in parameters: parameter RET given twice",
        ),
        (
            "MAIL FROM:<a@client.test> ENVID=x ENVID=y",
            "501 5.5.4 Syntax error in parameters: parameter ENVID given twice",
        ),
    ] {
        assert_eq!(smtp.command(command).trim_end(), expected, "{command}");
    }
    assert_eq!(
        code(&smtp.command("MAIL FROM:<a@client.test> SIZE=10 SIZE=10 SMTPUTF8 SMTPUTF8")),
        250
    );
    assert_eq!(
        smtp.command("RCPT TO:<bob@wasmtp.test> NOTIFY=NEVER NOTIFY=NEVER")
            .trim_end(),
        "501 5.5.4 Syntax error in parameters: parameter NOTIFY given twice"
    );
    assert_eq!(
        code(&smtp.command("RCPT TO:<bob@wasmtp.test> ORCPT=rfc822;b@x ORCPT=rfc822;b@x")),
        501
    );
    assert_eq!(
        code(&smtp.command("RCPT TO:<bob@wasmtp.test> NOTIFY=NEVER")),
        250
    );
}

/// A command ended by a bare LF gets an answer at once, not the command timeout's
/// silence, and the next command is answered as usual (RFC 5321 §2.3.8).
#[test]
fn a_command_ended_by_a_bare_lf_is_answered_within_a_second() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.set_reply_timeout(std::time::Duration::from_secs(1));
    smtp.send("NOOP\n");
    assert_eq!(
        smtp.reply(),
        "500 Line must end with CRLF, not a bare LF (RFC 5321 section 2.3.8)\r\n"
    );
    assert_eq!(code(&smtp.command("EHLO client.test")), 250);
    smtp.send("NOOP\nNOOP\r\n");
    assert_eq!(code(&smtp.reply()), 500);
    assert_eq!(smtp.reply(), "250 2.0.0 OK\r\n");
}

/// Postfix's pregreet test: with `--greeting-delay-ms`, a client that talks before the
/// greeting (RFC 5321 §3.1 says it must wait) is refused with 554 5.5.0 and the
/// connection closed, and the refusal is logged; one that waits is served. Without the
/// option the greeting comes at once.
#[test]
fn an_early_talker_is_refused_when_the_greeting_is_delayed() {
    let environment = Environment::from_env();
    let server = environment.start_server(&["--greeting-delay-ms", "1500"]);
    let mut early = server.connect();
    early
        .write_all(b"EHLO spammer.test\r\n")
        .expect("talk first");
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut early, &mut answer).expect("the refusal, then the close");
    assert_eq!(
        answer,
        // No enhanced code: the client was never told of ENHANCEDSTATUSCODES.
        "554 mx.wasmtp.test protocol error: client sent data before the greeting\r\n"
    );
    let mut patient = server.smtp();
    assert_eq!(code(&patient.command("EHLO client.test")), 250);
    assert!(
        server
            .output()
            .iter()
            .any(|line| line.starts_with("disconnect ") && line.contains("reply=\"554 5.5.0")),
        "{:?}",
        server.output()
    );

    let at_once = environment.start_server(&[]);
    let mut eager = at_once.connect();
    eager
        .write_all(b"EHLO eager.test\r\n")
        .expect("talk at once");
    let mut reader = std::io::BufReader::new(eager);
    let greeting = wasmtp_tests::read_reply(&mut reader).expect("the greeting");
    assert!(greeting.starts_with("220 "), "{greeting}");
    let ehlo = wasmtp_tests::read_reply(&mut reader).expect("the EHLO reply");
    assert!(ehlo.starts_with("250-"), "{ehlo}");
}

/// With `RUST_BACKTRACE=1` in wasmtime's environment (common on developer machines), a
/// client that resets its connection is one line in the log, not a host backtrace.
#[test]
fn a_reset_connection_is_one_log_line_whatever_rust_backtrace_says() {
    let environment = Environment::from_env();
    let server = environment.start_server_with(
        &environment.fresh_dir("spool"),
        &[],
        &[("RUST_BACKTRACE", "1")],
    );
    run_python(&format!(
        "import socket, struct, time\n\
         for _ in range(3):\n\
         \x20   s = socket.create_connection(('{}', {}))\n\
         \x20   s.recv(512)\n\
         \x20   s.sendall(b'EHLO reset.test\\r\\nMAIL FROM:<a@reset.test>\\r\\n')\n\
         \x20   time.sleep(0.1)\n\
         \x20   s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\n\
         \x20   s.close()\n",
        server.address.ip(),
        server.address.port()
    ));
    let output = eventually("three disconnects logged", || {
        let output = server.output();
        let ends = output
            .iter()
            .filter(|line| line.starts_with("disconnect "))
            .count();
        (ends == 3).then_some(output)
    });
    let text = output.join("\n");
    assert!(!text.contains("backtrace"), "{text}");
    assert!(!text.contains("wasmtime"), "{text}");
    let resets: Vec<&String> = output
        .iter()
        .filter(|line| line.starts_with("disconnect ") && line.contains("error=\"connection reset"))
        .collect();
    assert_eq!(resets.len(), 3, "{text}");
}

#[test]
fn python_smtplib_pipelines_a_transaction_with_its_low_level_calls() {
    // smtplib's send_message never pipelines; its send()/getreply() can (RFC 2920 §3):
    // MAIL, RCPT and DATA in one write, then the three replies in order.
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let printed = python(&format!(
        "import smtplib\n\
         client = smtplib.SMTP('{}', {}, timeout=10)\n\
         client.ehlo('client.test')\n\
         assert client.has_extn('pipelining')\n\
         client.send(b'MAIL FROM:<alice@client.test>\\r\\nRCPT TO:<bob@wasmtp.test>\\r\\nDATA\\r\\n')\n\
         print([client.getreply()[0] for _ in range(3)])\n\
         client.send(smtplib.quotedata({MESSAGE:?}).encode() + b'.\\r\\n')\n\
         print(client.getreply()[0])\n\
         client.quit()\n",
        server.address.ip(),
        server.address.port()
    ));
    assert_eq!(printed, "[250, 250, 354]\n250\n");
    let delivered = server.mailbox("wasmtp.test", "bob");
    assert_eq!(delivered.len(), 1);
    assert_delivered(&delivered[0], "alice@client.test", MESSAGE.as_bytes());
}

#[test]
fn curl_uploads_a_message() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let file = environment.fresh_dir("curl").join("message.eml");
    std::fs::write(&file, MESSAGE).expect("write the message");
    let output = Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "20"])
        .arg(format!("smtp://{}/client.test", server.address))
        .args([
            "--mail-from",
            "alice@client.test",
            "--mail-rcpt",
            "bob@wasmtp.test",
            "--mail-rcpt",
            "carol@wasmtp.test",
        ])
        .arg("--upload-file")
        .arg(&file)
        .output()
        .expect("run curl");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for user in ["bob", "carol"] {
        let delivered = server.mailbox("wasmtp.test", user);
        assert_eq!(delivered.len(), 1, "{user}");
        assert_delivered(&delivered[0], "alice@client.test", MESSAGE.as_bytes());
    }
}

#[test]
fn swaks_pipelines_a_message_with_dot_lines() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let body = "Subject: swaks\r\n\r\n.starts with a dot\r\n..two\r\nend\r\n";
    let output = Command::new("swaks")
        .args([
            "--server",
            &server.address.ip().to_string(),
            "--port",
            &server.address.port().to_string(),
        ])
        .args([
            "--from",
            "alice@client.test",
            "--to",
            "bob@wasmtp.test",
            "--helo",
            "client.test",
        ])
        .args(["--pipeline", "--timeout", "20", "--data", body])
        .output()
        .expect("run swaks");
    let transcript = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{transcript}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(transcript.contains("PIPELINING"), "{transcript}");
    let delivered = server.mailbox("wasmtp.test", "bob");
    assert_eq!(delivered.len(), 1, "{transcript}");
    let text = String::from_utf8_lossy(&delivered[0]);
    // swaks ends the data with one more CRLF of its own.
    assert!(
        text.ends_with("\r\n\r\n.starts with a dot\r\n..two\r\nend\r\n\r\n"),
        "{text}"
    );
}

#[test]
fn greets_with_220_and_answers_quit_with_221_then_closes() {
    // RFC 5321 §4.3.1 (greeting) and §4.1.1.10 (QUIT: 221, then close).
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    assert_eq!(
        smtp.command("QUIT"),
        "221 mx.wasmtp.test closing connection\r\n"
    );
    assert!(smtp.closed(), "nothing may follow 221");
}

#[test]
fn pipelined_batch_is_answered_in_order() {
    // RFC 2920 §3: the replies come back in the order of the commands.
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    assert!(smtp.command("EHLO client.test").contains("250-PIPELINING"));
    smtp.send("MAIL FROM:<alice@client.test>\r\nRCPT TO:<bob@wasmtp.test>\r\nRCPT TO:<x@elsewhere.test>\r\nRCPT TO:<carol@wasmtp.test>\r\nDATA\r\n");
    let codes: Vec<u16> = (0..5).map(|_| code(&smtp.reply())).collect();
    assert_eq!(codes, [250, 250, 554, 250, 354]);
    smtp.send("Subject: batch\r\n\r\nhello\r\n.\r\nQUIT\r\n");
    assert_eq!(code(&smtp.reply()), 250);
    assert_eq!(code(&smtp.reply()), 221);
    assert_eq!(server.mailbox("wasmtp.test", "carol").len(), 1);
}

#[test]
fn bare_lf_end_of_data_attempts_smuggle_nothing() {
    // SMTP smuggling: <LF>.<LF> and <CR><LF>.<LF> must not end the data, and the
    // message holding them is refused whole (RFC 5321 §2.3.8, §4.1.1.4).
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    for ending in ["\n.\n", "\r\n.\n", "\n.\r\n"] {
        let mut smtp = server.smtp();
        smtp.command("EHLO client.test");
        smtp.command("MAIL FROM:<alice@client.test>");
        smtp.command("RCPT TO:<bob@wasmtp.test>");
        assert_eq!(code(&smtp.command("DATA")), 354);
        smtp.send(&format!(
            "Subject: real{ending}MAIL FROM:<admin@wasmtp.test>\r\nRCPT TO:<victim@wasmtp.test>\r\nDATA\r\nSubject: forged\r\n\r\n.\r\n"
        ));
        let reply = smtp.reply();
        assert_eq!(code(&reply), 554, "{ending:?}: {reply}");
        assert_eq!(
            code(&smtp.command("NOOP")),
            250,
            "{ending:?}: the session is in sync"
        );
    }
    assert!(server.mailbox("wasmtp.test", "victim").is_empty());
    assert!(server.mailbox("wasmtp.test", "bob").is_empty());
}

#[test]
fn the_101st_recipient_gets_452() {
    // RFC 5321 §4.5.3.1.8 (at least 100) and §4.5.3.1.10 (452 past the limit).
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    smtp.command("MAIL FROM:<alice@client.test>");
    let batch: String = (1..=101)
        .map(|n| format!("RCPT TO:<user{n}@wasmtp.test>\r\n"))
        .collect();
    smtp.send(&batch);
    let replies: Vec<String> = (1..=101).map(|_| smtp.reply()).collect();
    assert!(replies[..100].iter().all(|reply| code(reply) == 250));
    assert_eq!(replies[100], "452 4.5.3 Too many recipients\r\n");
}

#[test]
fn size_over_the_limit_or_overflowing_is_552() {
    // RFC 1870 §6: a SIZE that does not fit is too large, never a small number.
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    assert_eq!(
        code(&smtp.command("MAIL FROM:<a@client.test> SIZE=18446744073709551616")),
        552
    );
    assert_eq!(
        code(&smtp.command("MAIL FROM:<a@client.test> SIZE=26214401")),
        552
    );
    assert_eq!(
        code(&smtp.command("MAIL FROM:<a@client.test> SIZE=1000")),
        250
    );
}

#[test]
fn overlong_command_line_is_500_and_the_session_goes_on() {
    // RFC 5321 §4.5.3.1.4: 512 octets including CRLF.
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.send(&format!("NOOP {}\r\n", "x".repeat(100_000)));
    assert_eq!(code(&smtp.reply()), 500);
    assert_eq!(code(&smtp.command("NOOP")), 250);
}

#[test]
fn starttls_injection_is_not_misread() {
    // TLS is not offered yet: STARTTLS is answered "not available" and the command
    // pipelined after it is processed as a command, in order.
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    let ehlo = smtp.command("EHLO client.test");
    assert!(!ehlo.contains("STARTTLS"), "{ehlo}");
    smtp.send("STARTTLS\r\nEHLO evil.test\r\n");
    assert_eq!(smtp.reply(), "454 4.7.0 TLS not available\r\n");
    assert!(
        smtp.reply()
            .starts_with("250-mx.wasmtp.test greets evil.test\r\n")
    );
}

#[test]
fn vrfy_is_252_and_rset_ends_the_transaction() {
    // RFC 5321 §3.5.3 and §7.3 (VRFY), §4.1.1.5 (RSET).
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    assert_eq!(code(&smtp.command("VRFY bob")), 252);
    smtp.command("MAIL FROM:<alice@client.test>");
    smtp.command("RCPT TO:<bob@wasmtp.test>");
    assert_eq!(smtp.command("RSET"), "250 2.0.0 OK\r\n");
    assert_eq!(code(&smtp.command("DATA")), 503);
    assert_eq!(code(&smtp.command("MAIL FROM:<alice@client.test>")), 250);
}

#[test]
fn relaying_to_other_domains_is_refused() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    smtp.command("MAIL FROM:<alice@client.test>");
    assert_eq!(
        smtp.command("RCPT TO:<someone@example.com>"),
        "554 5.7.1 Relay access denied\r\n"
    );
}

#[test]
fn a_silent_client_does_not_hold_up_another() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let _silent = server.smtp();
    let mut second = server.smtp();
    assert_eq!(code(&second.command("QUIT")), 221);
}

#[test]
fn bad_flag_stops_the_start_with_a_message_naming_it() {
    let environment = Environment::from_env();
    let output = Command::new(&environment.wasmtime)
        .args(["run", "-S", "inherit-network"])
        .arg(environment.artifact("wasmtp-server.wasm"))
        .arg("--lisen")
        .output()
        .expect("run wasmtime");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown flag \"--lisen\""));
}

#[test]
fn hostname_that_would_inject_a_reply_line_is_refused() {
    let environment = Environment::from_env();
    let output = Command::new(&environment.wasmtime)
        .args(["run", "-S", "inherit-network"])
        .arg(environment.artifact("wasmtp-server.wasm"))
        .args(["--hostname", "evil\r\n250 ok"])
        .output()
        .expect("run wasmtime");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("wasmtp-server: hostname: \"evil\\r\\n250 ok\" is not a domain name"),
        "{stderr}"
    );
}

#[test]
fn a_config_file_sets_the_users_and_postmaster_always_exists() {
    let environment = Environment::from_env();
    let spool = environment.fresh_dir("spool");
    std::fs::write(
        spool.join("wasmtp.toml"),
        "hostname = \"mx.wasmtp.test\"\ndomains = [\"wasmtp.test\"]\nusers = [\"bob\"]\n\n[limits]\nrecipients = 2\n",
    )
    .expect("write the config");
    let server = environment.start_server_on(&spool, &["--config", "/spool/wasmtp.toml"]);
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    smtp.command("MAIL FROM:<alice@client.test>");
    assert_eq!(code(&smtp.command("RCPT TO:<Bob@wasmtp.test>")), 250);
    assert_eq!(
        smtp.command("RCPT TO:<carol@wasmtp.test>"),
        "550 5.1.1 <carol@wasmtp.test>: no such user here\r\n"
    );
    assert_eq!(code(&smtp.command("RCPT TO:<postmaster@wasmtp.test>")), 250);
    // limits.recipients = 2: the third accepted one is over the limit (RFC 5321 §4.5.3.1.8).
    assert_eq!(code(&smtp.command("RCPT TO:<bob@wasmtp.test>")), 452);
}

#[test]
fn a_bad_config_file_stops_the_start_naming_the_field() {
    let environment = Environment::from_env();
    let spool = environment.fresh_dir("spool");
    for (config, expected) in [
        (
            "[limits]\nmessage_sise = 5\n",
            "unknown field `message_sise`",
        ),
        (
            "domains = [\"ok.test\", \"not a domain\"]\n",
            "domains[1]: \"not a domain\" is not a domain name",
        ),
        (
            "trusted_networks = [\"10.0.0.0/33\"]\n",
            "trusted_networks[0]: \"10.0.0.0/33\"",
        ),
        (
            "log_format = \"xml\"\n",
            "log_format: unknown value \"xml\"",
        ),
        (
            "[limits]\ncommand_line = 100\n",
            "limits.command_line: RFC 5321",
        ),
        (
            "[limits]\ngreeting_delay_ms = 300000\n",
            "limits.greeting_delay_ms: must be under 300000",
        ),
    ] {
        std::fs::write(spool.join("bad.toml"), config).expect("write the config");
        let output = Command::new(&environment.wasmtime)
            .args(["run", "-S", "inherit-network", "--dir"])
            .arg(format!("{}::/spool", spool.display()))
            .arg(environment.artifact("wasmtp-server.wasm"))
            .args(["--config", "/spool/bad.toml"])
            .output()
            .expect("run wasmtime");
        assert_eq!(output.status.code(), Some(1), "{config}");
        // The error and one line pointing at --help; not the whole usage text.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{config}: {stderr}");
        assert!(lines[0].starts_with("wasmtp-server: "), "{stderr}");
        assert!(lines[0].contains(expected), "{config}: {stderr}");
        assert!(lines[1].contains("--help"), "{stderr}");
    }
}

#[test]
fn without_a_writable_spool_the_start_says_how_to_preopen_one() {
    let environment = Environment::from_env();
    let output = Command::new(&environment.wasmtime)
        .args(["run", "-S", "inherit-network"])
        .arg(environment.artifact("wasmtp-server.wasm"))
        .output()
        .expect("run wasmtime");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--dir"));
}

#[test]
fn a_message_with_more_than_fifty_received_fields_is_a_loop() {
    // RFC 5321 §6.3: the server adds one more; 50 arriving make 51.
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    smtp.command("MAIL FROM:<alice@client.test>");
    smtp.command("RCPT TO:<bob@wasmtp.test>");
    assert_eq!(code(&smtp.command("DATA")), 354);
    let hops = "Received: from a.test by b.test; Sat, 28 Nov 2026 10:00:00 +0000\r\n".repeat(50);
    smtp.send(&format!(
        "{hops}Subject: loop\r\n\r\nround and round\r\n.\r\n"
    ));
    assert!(smtp.reply().starts_with("554 5.4.6"));
    smtp.command("MAIL FROM:<alice@client.test>");
    smtp.command("RCPT TO:<bob@wasmtp.test>");
    smtp.command("DATA");
    let hops = "Received: from a.test by b.test; Sat, 28 Nov 2026 10:00:00 +0000\r\n".repeat(49);
    smtp.send(&format!("{hops}Subject: fine\r\n\r\nonce\r\n.\r\n"));
    assert_eq!(code(&smtp.reply()), 250);
    assert_eq!(server.mailbox("wasmtp.test", "bob").len(), 1);
}
