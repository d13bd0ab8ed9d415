//! The core's `ClientSession`, natively over real loopback sockets, sending to real
//! servers: aiosmtpd (Python), Postfix's smtp-sink and `wasmtp-server.wasm` in wasmtime.
//! Each received message is compared byte for byte where the server keeps it.

use std::net::SocketAddr;
use std::path::Path;

use wasmtp_tests::{Environment, send_over_one_connection, send_with_client_session};

/// Dot-leading lines exercise stuffing; the lone dot line must not end the data.
const MESSAGE: &[u8] =
    b"From: alice@client.test\r\nSubject: interop\r\n\r\n.one\r\n..two\r\n.\r\nend\r\n";

#[test]
fn client_session_delivers_to_aiosmtpd_byte_for_byte() {
    let environment = Environment::from_env();
    let store = environment.fresh_dir("aiosmtpd");
    let server = environment.start_aiosmtpd(&store);
    for (round, chunking) in [(1, false), (2, true)] {
        // aiosmtpd offers no CHUNKING, so the client falls back to DATA either way.
        let outcome = send_with_client_session(
            server.address,
            &["bob@example.test", "nobody@example.test"],
            MESSAGE,
            chunking,
        );
        assert_eq!(outcome.kinds(), ["delivered", "permanent"], "{outcome:?}");
        assert_eq!(outcome.failure, None);
        let stored = std::fs::read(store.join(format!("{round}.eml"))).expect("a stored message");
        assert_eq!(stored, MESSAGE);
        let recipients =
            std::fs::read_to_string(store.join(format!("{round}.rcpt"))).expect("recipients");
        assert_eq!(recipients, "bob@example.test");
    }
}

/// Sends the three envelopes over one connection: every recipient is delivered but the
/// first of the second message, refused for good.
fn assert_three_messages_delivered(address: SocketAddr, envelopes: &[&[&str]], chunking: bool) {
    let outcomes = send_over_one_connection(address, envelopes, MESSAGE, chunking);
    let kinds: Vec<Vec<&str>> = outcomes.iter().map(|outcome| outcome.kinds()).collect();
    let expected = [
        ["delivered"].as_slice(),
        &["permanent", "delivered"],
        &["delivered"],
    ];
    assert_eq!(kinds, expected);
}

/// RFC 5321 §3.3: after a transaction, the next MAIL starts another on the same
/// connection. aiosmtpd and wasmtp-server take three messages over one connection, the
/// second of them with a refused recipient.
#[test]
fn client_session_sends_several_messages_over_one_connection() {
    let environment = Environment::from_env();
    let envelopes: [&[&str]; 3] = [
        &["bob@example.test"],
        &["nobody@example.test", "carol@example.test"],
        &["dave@example.test"],
    ];
    let store = environment.fresh_dir("aiosmtpd");
    let aiosmtpd = environment.start_aiosmtpd(&store);
    assert_three_messages_delivered(aiosmtpd.address, &envelopes, false);
    let peers: std::collections::BTreeSet<String> = (1..=3)
        .map(|n| std::fs::read_to_string(store.join(format!("{n}.peer"))).expect("the peer"))
        .collect();
    assert_eq!(peers.len(), 1, "one connection: {peers:?}");
    for n in 1..=3 {
        assert_eq!(
            std::fs::read(store.join(format!("{n}.eml"))).expect("stored"),
            MESSAGE
        );
    }

    let server = environment.start_server(&[]);
    let envelopes: [&[&str]; 3] = [
        &["bob@wasmtp.test"],
        &["eve@elsewhere.test", "carol@wasmtp.test"],
        &["bob@wasmtp.test"],
    ];
    // The server does not relay: elsewhere.test is refused with 554 5.7.1.
    for chunking in [false, true] {
        assert_three_messages_delivered(server.address, &envelopes, chunking);
    }
    assert_eq!(server.mailbox("wasmtp.test", "bob").len(), 4);
    assert_eq!(server.mailbox("wasmtp.test", "carol").len(), 2);
}

#[test]
fn client_session_delivers_to_wasmtp_server_with_data_and_with_bdat() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    for chunking in [false, true] {
        let outcome = send_with_client_session(
            server.address,
            &["bob@wasmtp.test", "carol@wasmtp.test", "eve@elsewhere.test"],
            MESSAGE,
            chunking,
        );
        // The server does not relay: elsewhere.test is refused with 554 5.7.1.
        assert_eq!(
            outcome.kinds(),
            ["delivered", "delivered", "permanent"],
            "{outcome:?}"
        );
    }
    for user in ["bob", "carol"] {
        let delivered = server.mailbox("wasmtp.test", user);
        assert_eq!(delivered.len(), 2, "{user}: one by DATA, one by BDAT");
        for message in delivered {
            assert!(
                message.ends_with(MESSAGE),
                "{}",
                String::from_utf8_lossy(&message)
            );
        }
    }
}

/// One transaction as smtp-sink's `-d` dump keeps it: the envelope as `X-` fields, a
/// `Received:` field of its own, then the message with LF line endings and one empty
/// line after it (the dump's separator, as in an mbox).
#[derive(Debug)]
struct SinkDump {
    protocol: String,
    mail_args: String,
    rcpt_args: Vec<String>,
    message: Vec<u8>,
}

fn sink_dumps(dir: &Path) -> Vec<SinkDump> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the dump folder")
        .map(|entry| entry.expect("a dump").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = std::fs::read(file).expect("a dump file");
            let mut dump = SinkDump {
                protocol: String::new(),
                mail_args: String::new(),
                rcpt_args: Vec::new(),
                message: Vec::new(),
            };
            let mut rest: &[u8] = &text;
            let mut in_received = false;
            while let Some(end) = rest.iter().position(|&b| b == b'\n') {
                let line = String::from_utf8_lossy(&rest[..end]).into_owned();
                let value = |name: &str| line.strip_prefix(name).map(str::to_owned);
                if let Some(protocol) = value("X-Client-Proto: ") {
                    dump.protocol = protocol;
                } else if let Some(args) = value("X-Mail-Args: ") {
                    dump.mail_args = args;
                } else if let Some(args) = value("X-Rcpt-Args: ") {
                    dump.rcpt_args.push(args);
                } else if line.starts_with("X-") {
                } else if line.starts_with("Received: ") {
                    in_received = true;
                } else if !(in_received && line.starts_with('\t')) {
                    break;
                }
                rest = &rest[end + 1..];
            }
            dump.message = rest.strip_suffix(b"\n").unwrap_or(rest).to_vec();
            dump
        })
        .collect()
}

/// The message as smtp-sink writes it: CRLF turned into LF.
fn with_lf_endings(message: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(message)
        .replace("\r\n", "\n")
        .into_bytes()
}

#[test]
fn client_session_pipelines_to_postfix_smtp_sink() {
    let environment = Environment::from_env();
    let dump = environment.fresh_dir("smtp-sink");
    let sink = environment.start_smtp_sink(&dump, &[]);
    let outcome = send_with_client_session(
        sink.address,
        &["bob@example.test", "carol@example.test"],
        MESSAGE,
        false,
    );
    assert_eq!(outcome.kinds(), ["delivered", "delivered"], "{outcome:?}");
    assert_eq!(outcome.failure, None);
    drop(sink);
    let dumps = sink_dumps(&dump);
    assert_eq!(dumps.len(), 1, "{dumps:?}");
    let transaction = &dumps[0];
    assert_eq!(transaction.protocol, "ESMTP");
    // smtp-sink offers no SIZE, and a 7-bit message needs no BODY parameter.
    assert_eq!(transaction.mail_args, "<alice@client.test>");
    assert_eq!(
        transaction.rcpt_args,
        ["<bob@example.test>", "<carol@example.test>"]
    );
    assert_eq!(transaction.message, with_lf_endings(MESSAGE));
}

#[test]
fn client_session_falls_back_to_helo_and_works_without_pipelining() {
    let environment = Environment::from_env();
    // -e: no ESMTP (EHLO is refused with 500, RFC 5321 §4.1.4 says fall back to HELO);
    // -p: ESMTP without PIPELINING, so every command waits for its reply.
    for (flag, protocol) in [("-e", "SMTP"), ("-p", "ESMTP")] {
        let dump = environment.fresh_dir("smtp-sink");
        let sink = environment.start_smtp_sink(&dump, &[flag]);
        let outcome = send_with_client_session(sink.address, &["bob@example.test"], MESSAGE, true);
        assert_eq!(outcome.kinds(), ["delivered"], "{flag}: {outcome:?}");
        drop(sink);
        let dumps = sink_dumps(&dump);
        assert_eq!(dumps.len(), 1, "{flag}: {dumps:?}");
        assert_eq!(dumps[0].protocol, protocol);
        assert_eq!(dumps[0].message, with_lf_endings(MESSAGE), "{flag}");
    }
}

#[test]
fn client_session_reports_smtp_sink_refusals_per_recipient() {
    let environment = Environment::from_env();
    // -r rcpt: every RCPT gets a 4yz, so both recipients stay queued (temporary) and
    // no message is sent; -f data: DATA gets a 5yz, a permanent failure for both.
    for (flag, kind) in [("rcpt", "temporary"), ("data", "permanent")] {
        let option = if kind == "temporary" { "-r" } else { "-f" };
        let dump = environment.fresh_dir("smtp-sink");
        let sink = environment.start_smtp_sink(&dump, &[option, flag]);
        let outcome = send_with_client_session(
            sink.address,
            &["bob@example.test", "carol@example.test"],
            MESSAGE,
            false,
        );
        assert_eq!(
            outcome.kinds(),
            [kind, kind],
            "{option} {flag}: {outcome:?}"
        );
        drop(sink);
        assert!(sink_dumps(&dump).iter().all(|d| d.message.is_empty()));
    }
}
