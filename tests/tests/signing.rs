//! DKIM signing on the server, end to end, as a mail admin sets it up: keys made by the
//! server's own `--dkim-new-key` (RSA, and Ed25519 for a second domain) under its
//! spool, and the records it prints are what is published. Mail a trusted client hands
//! the server for another domain is relayed by MX (dnsmasq) to aiosmtpd, and dkimpy's
//! `dkim.verify` and OpenDKIM's filter, given those records as their DNS, accept each
//! signature; the same message with its body changed after signing fails. A bounce the server sends to a
//! remote sender is signed by the server's own domain.

use std::net::SocketAddr;
use std::path::Path;

use wasmtp_tests::{Environment, eventually, free_port, run_python, stored, zone_file_text};

/// dkimpy's verdict on each message, with the DNS answered from `records` (name, text).
fn dkimpy_verifies(messages: &[Vec<u8>], records: &[(String, String)]) -> Vec<bool> {
    let records: Vec<String> = records
        .iter()
        .map(|(name, text)| format!("({name:?}, {text:?})"))
        .collect();
    let messages: Vec<String> = messages
        .iter()
        .map(|message| format!("bytes({message:?})"))
        .collect();
    let printed = run_python(&format!(
        "import dkim\n\
         records = {{name.encode(): text.encode() for name, text in [{}]}}\n\
         def dns(name, timeout=5):\n\
         \x20   return records.get(name.rstrip(b'.'))\n\
         for message in [{}]:\n\
         \x20   print(dkim.verify(message, dnsfunc=dns))\n",
        records.join(", "),
        messages.join(", "),
    ));
    String::from_utf8_lossy(&printed)
        .lines()
        .map(|line| line.trim() == "True")
        .collect()
}

/// OpenDKIM's verdict on each message, its keys read from `records` (its
/// `TestPublicKeys` file: a name and its record a line).
fn opendkim_verifies(
    environment: &Environment,
    messages: &[Vec<u8>],
    records: &[(String, String)],
) -> Vec<bool> {
    let keys = environment.fresh_dir("opendkim-public-keys").join("keys");
    let lines: String = records
        .iter()
        .map(|(name, text)| format!("{name} {text}\n"))
        .collect();
    std::fs::write(&keys, lines).expect("write the keys");
    messages
        .iter()
        .map(|message| {
            let printed = environment.opendkim(
                &format!("Mode v\nTestPublicKeys {}", keys.display()),
                message,
            );
            printed.contains(") succeeded")
        })
        .collect()
}

/// smtplib's `send_message` from `sender` to `recipient`.
fn send(server: &wasmtp_tests::Running, from: &str, sender: &str, recipient: &str) {
    let message = format!(
        "From: {from}\r\nTo: <{recipient}>\r\nSubject: signed by wasmtp\r\n\
         Date: Thu, 03 Dec 2026 15:00:00 +0000\r\nMessage-ID: <{sender}>\r\n\r\n\
         Hello  there,\r\n\tsigned on the way out.\r\n"
    );
    let printed = run_python(&format!(
        "import smtplib\n\
         from email import message_from_bytes, policy\n\
         message = message_from_bytes({message:?}.encode(), policy=policy.SMTP)\n\
         with smtplib.SMTP('{}', {}, timeout=30) as client:\n\
         \x20   print(client.send_message(message, '{sender}', ['{recipient}']))\n",
        server.address.ip(),
        server.address.port()
    ));
    assert_eq!(String::from_utf8_lossy(&printed).trim(), "{}");
}

#[test]
fn relayed_mail_and_bounces_are_signed_and_dkimpy_verifies_them() {
    let environment = Environment::from_env();
    let spool = environment.fresh_dir("spool");
    let rsa = environment.server_command(&spool, &["--dkim-new-key", "wasmtp.test"]);
    let ed25519 = environment.server_command(
        &spool,
        &["--dkim-new-key", "ed.test", "--dkim-algorithm", "ed25519"],
    );
    assert!(
        rsa.starts_with("wasmtp._domainkey.wasmtp.test. IN TXT ( \"v=DKIM1; k=rsa; p="),
        "{rsa}"
    );
    assert!(
        ed25519.starts_with("wasmtp._domainkey.ed.test. IN TXT ( \"v=DKIM1; k=ed25519; p="),
        "{ed25519}"
    );
    assert!(
        Path::new(&spool)
            .join("dkim/wasmtp.test/wasmtp.pem")
            .is_file()
    );
    assert_eq!(
        environment.server_command(&spool, &["--dkim-record", "wasmtp.test"]),
        rsa,
        "the record of the key on disk is the one printed when it was made"
    );
    let records = [
        (
            "wasmtp._domainkey.wasmtp.test".to_owned(),
            zone_file_text(&rsa),
        ),
        (
            "wasmtp._domainkey.ed.test".to_owned(),
            zone_file_text(&ed25519),
        ),
    ];
    let dns = environment.start_dnsmasq(&[
        "--mx-host=peer.test,mx.peer.test,10".to_owned(),
        "--host-record=mx.peer.test,127.0.0.2".to_owned(),
    ]);
    let port = free_port();
    let store = environment.fresh_dir("mx");
    let address: SocketAddr = format!("127.0.0.2:{port}").parse().expect("an address");
    let _peer = environment.start_aiosmtpd_at(&store, Some(address));
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
        ],
    );
    send(
        &server,
        "Alice <alice@wasmtp.test>",
        "alice@wasmtp.test",
        "bob@peer.test",
    );
    send(&server, "Ann <ann@ed.test>", "ann@ed.test", "bob@peer.test");
    // The peer refuses this recipient: the bounce goes back to carol at peer.test.
    send(
        &server,
        "Carol <carol@peer.test>",
        "carol@peer.test",
        "nobody@peer.test",
    );
    let messages = eventually("two messages and a bounce at the peer", || {
        let found = stored(&store);
        (found.len() == 3).then_some(found)
    });
    let texts: Vec<String> = messages
        .iter()
        .map(|(_, message)| String::from_utf8_lossy(message).into_owned())
        .collect();
    let signed_by = |text: &str| {
        text.starts_with("DKIM-Signature: ")
            .then(|| {
                text.split("d=")
                    .nth(1)
                    .and_then(|rest| rest.split(';').next())
            })
            .flatten()
            .map(str::to_owned)
    };
    let mut domains: Vec<Option<String>> = texts.iter().map(|text| signed_by(text)).collect();
    domains.sort();
    assert_eq!(
        domains,
        [
            Some("ed.test".to_owned()),
            Some("wasmtp.test".to_owned()),
            Some("wasmtp.test".to_owned()),
        ],
        "the bounce's author is MAILER-DAEMON@mx.wasmtp.test, signed by its parent domain"
    );
    let mut checked: Vec<Vec<u8>> = messages
        .iter()
        .map(|(_, message)| message.clone())
        .collect();
    let changed: Vec<Vec<u8>> = texts
        .iter()
        .filter(|text| !text.contains("MAILER-DAEMON"))
        .map(|text| {
            text.replace("signed on the way out", "changed on the way")
                .into_bytes()
        })
        .collect();
    assert_eq!(changed.len(), 2);
    checked.extend(changed);
    assert_eq!(
        dkimpy_verifies(&checked, &records),
        [true, true, true, false, false],
        "{texts:?}"
    );
    assert_eq!(
        opendkim_verifies(&environment, &checked, &records),
        [true, true, true, false, false],
        "{texts:?}"
    );
}
