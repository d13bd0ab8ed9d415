//! Mail authentication on the server, end to end: dnsmasq serves the domain's SPF
//! record over real DNS, Python smtplib sends with `send_message` from an address the
//! record lists (127.0.0.1) and from one it does not (127.0.0.5, a spoofer), and the
//! stored message's `Authentication-Results:` field says what the server found; with
//! `--spf refuse-fail` the spoofer hears `550 5.7.23` with the domain's explanation.
//! A resolver that does not answer gives `temperror`, and the mail is still taken.
//! RFC 8463's example message, signed with Ed25519 and RSA, verifies against the keys
//! dnsmasq publishes, and fails once its body is changed; so does a message signed by
//! dkimpy's `dkimsign` with keys from its `dknewkey`, as a mail admin would make them,
//! and one signed by OpenDKIM's filter with a key from its `opendkim-genkey`.
//! DMARC: spf.test publishes `p=reject`; the spoofer's mail gets `dmarc=fail` in its
//! stored field, is refused with `550 5.7.1` under `--dmarc enforce` and filed in the
//! mailbox's `.Junk` folder under `--dmarc quarantine`.

use std::path::Path;
use std::process::{Command, Stdio};

use wasmtp_tests::{Environment, Running, run_python, zone_file_text};

const MESSAGE: &str = "From: Alice <alice@spf.test>\r\nTo: Bob <bob@wasmtp.test>\r\nSubject: who sent this?\r\n\r\nHello.\r\n";

/// dnsmasq with spf.test's record and its explanation (RFC 7208 §6.2).
fn dns(environment: &Environment) -> Running {
    environment.start_dnsmasq(&[
        "--txt-record=spf.test,v=spf1 ip4:127.0.0.1 -all exp=why.spf.test".to_owned(),
        "--txt-record=mx.spf.test,v=spf1 ip4:127.0.0.1 -all".to_owned(),
        "--txt-record=why.spf.test,%{i} is not a mail server of %{d}".to_owned(),
        "--txt-record=_dmarc.spf.test,v=DMARC1; p=reject; rua=mailto:dmarc@spf.test".to_owned(),
    ])
}

/// smtplib's `send_message` from `source`: `sent` when the server took it, else the
/// code and text of the refusal.
fn send_from(server: &Running, source: &str) -> String {
    send_message_from(server, source, "localhost", MESSAGE)
}

/// [`send_from`] with another EHLO name (`localhost` is one SPF does not check) and
/// message.
fn send_message_from(server: &Running, source: &str, helo: &str, message: &str) -> String {
    let printed = run_python(&format!(
        "import smtplib\n\
         from email import message_from_bytes, policy\n\
         message = message_from_bytes({message:?}.encode(), policy=policy.SMTP)\n\
         try:\n\
         \x20   with smtplib.SMTP('{}', {}, timeout=30, source_address=('{source}', 0), local_hostname='{helo}') as client:\n\
         \x20       client.send_message(message, 'alice@spf.test', ['bob@wasmtp.test'])\n\
         \x20   print('sent')\n\
         except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as refused:\n\
         \x20   print(refused.smtp_code, refused.smtp_error.decode())\n",
        server.address.ip(),
        server.address.port()
    ));
    String::from_utf8_lossy(&printed).trim().to_owned()
}

/// The `Authentication-Results:` field of each stored copy for bob, unfolded.
fn results(server: &Running) -> Vec<String> {
    server
        .mailbox("wasmtp.test", "bob")
        .iter()
        .map(|message| {
            let text = String::from_utf8_lossy(message);
            let start = text.find("Authentication-Results: ").unwrap_or(text.len());
            let field = text[start..]
                .split("\r\nReceived: ")
                .next()
                .unwrap_or_default();
            field.replace("\r\n\t", " ")
        })
        .collect()
}

#[test]
fn spf_results_are_recorded_for_the_listed_client_and_the_spoofer() {
    let environment = Environment::from_env();
    let dns = dns(&environment);
    let resolver = dns.address.to_string();
    let server = environment.start_server(&["--spf", "record", "--resolver", &resolver]);
    assert_eq!(send_from(&server, "127.0.0.1"), "sent");
    // The spoofer also claims this server's verdict; the claim is removed (RFC 8601 §5).
    let forged = format!(
        "Authentication-Results: mx.wasmtp.test; spf=pass smtp.mailfrom=alice@spf.test\r\n{MESSAGE}"
    );
    assert_eq!(
        send_message_from(&server, "127.0.0.5", "localhost", &forged),
        "sent",
        "recorded, not refused, by default"
    );
    let stored = server.mailbox("wasmtp.test", "bob");
    assert!(
        stored.iter().all(|message| {
            String::from_utf8_lossy(message)
                .matches("Authentication-Results:")
                .count()
                == 1
        }),
        "one field in each copy, this server's own"
    );
    let mut found = results(&server);
    found.sort();
    assert_eq!(
        found,
        [
            "Authentication-Results: mx.wasmtp.test; spf=fail (spf.test: matched -all) smtp.mailfrom=alice@spf.test; dkim=none",
            "Authentication-Results: mx.wasmtp.test; spf=pass (spf.test: matched ip4:127.0.0.1) smtp.mailfrom=alice@spf.test; dkim=none",
        ]
    );
}

#[test]
fn refuse_fail_tells_the_spoofer_why_and_takes_the_listed_client() {
    let environment = Environment::from_env();
    let dns = dns(&environment);
    let resolver = dns.address.to_string();
    let server = environment.start_server(&["--spf", "refuse-fail", "--resolver", &resolver]);
    assert_eq!(
        send_from(&server, "127.0.0.5"),
        "550 5.7.23 SPF: alice@spf.test may not send for spf.test: 127.0.0.5 is not a mail server of spf.test"
    );
    assert_eq!(send_from(&server, "127.0.0.1"), "sent");
    assert_eq!(server.mailbox("wasmtp.test", "bob").len(), 1);
}

#[test]
fn the_helo_name_is_checked_on_its_own() {
    let environment = Environment::from_env();
    let dns = dns(&environment);
    let resolver = dns.address.to_string();
    let server = environment.start_server(&["--spf", "refuse-fail", "--resolver", &resolver]);
    assert_eq!(
        send_message_from(&server, "127.0.0.1", "mx.spf.test", MESSAGE),
        "sent"
    );
    assert_eq!(
        results(&server),
        ["Authentication-Results: mx.wasmtp.test; \
          spf=pass (mx.spf.test: matched ip4:127.0.0.1) smtp.helo=mx.spf.test; \
          spf=pass (spf.test: matched ip4:127.0.0.1) smtp.mailfrom=alice@spf.test; dkim=none"]
    );
    // A spoofer that names a host of the domain in EHLO is refused on that name alone.
    assert_eq!(
        send_message_from(&server, "127.0.0.5", "mx.spf.test", MESSAGE),
        "550 5.7.23 SPF: postmaster@mx.spf.test may not send for mx.spf.test: \
         the domain's SPF record does not list this client"
    );
}

#[test]
fn a_resolver_that_does_not_answer_is_a_temperror_and_the_mail_is_taken() {
    let environment = Environment::from_env();
    // Nothing listens on this port: every lookup fails.
    let silent = wasmtp_tests::free_loopback_address().to_string();
    let server = environment.start_server(&["--spf", "refuse-fail", "--resolver", &silent]);
    assert_eq!(send_from(&server, "127.0.0.5"), "sent");
    let found = results(&server);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(
            "Authentication-Results: mx.wasmtp.test; spf=temperror (spf.test: DNS lookup of spf.test TXT failed)"
        ),
        "{found:?}"
    );
}

#[test]
fn dmarc_fails_the_spoofer_and_the_operator_chooses_record_refuse_or_junk() {
    let environment = Environment::from_env();
    let dns = dns(&environment);
    let resolver = dns.address.to_string();
    let server = environment.start_server(&[
        "--spf",
        "record",
        "--dmarc",
        "record",
        "--resolver",
        &resolver,
    ]);
    assert_eq!(send_from(&server, "127.0.0.1"), "sent");
    assert_eq!(
        send_from(&server, "127.0.0.5"),
        "sent",
        "recorded, not refused, by default"
    );
    let mut found = results(&server);
    found.sort();
    assert_eq!(
        found,
        [
            "Authentication-Results: mx.wasmtp.test; spf=fail (spf.test: matched -all) smtp.mailfrom=alice@spf.test; \
             dkim=none; dmarc=fail (p=reject dis=reject; neither SPF nor DKIM passed) header.from=spf.test",
            "Authentication-Results: mx.wasmtp.test; spf=pass (spf.test: matched ip4:127.0.0.1) smtp.mailfrom=alice@spf.test; \
             dkim=none; dmarc=pass (p=reject dis=none; aligned: spf spf.test) header.from=spf.test",
        ]
    );
    let enforcing = environment.start_server(&[
        "--spf",
        "record",
        "--dmarc",
        "enforce",
        "--resolver",
        &resolver,
    ]);
    assert_eq!(
        send_from(&enforcing, "127.0.0.5"),
        "550 5.7.1 DMARC: spf.test asks receivers to reject mail that neither SPF nor DKIM authenticates for it"
    );
    assert_eq!(send_from(&enforcing, "127.0.0.1"), "sent");
    assert_eq!(enforcing.mailbox("wasmtp.test", "bob").len(), 1);
    let quarantining = environment.start_server(&[
        "--spf",
        "record",
        "--dmarc",
        "quarantine",
        "--resolver",
        &resolver,
    ]);
    assert_eq!(send_from(&quarantining, "127.0.0.5"), "sent");
    assert_eq!(send_from(&quarantining, "127.0.0.1"), "sent");
    assert_eq!(
        quarantining.mailbox("wasmtp.test", "bob").len(),
        1,
        "the listed client's, in the inbox"
    );
    let junk = quarantining
        .spool
        .as_ref()
        .unwrap()
        .join("mail/wasmtp.test/bob/.Junk/new");
    let filed: Vec<_> = std::fs::read_dir(&junk).unwrap().flatten().collect();
    assert_eq!(filed.len(), 1, "the spoofer's, in {}", junk.display());
    let text = std::fs::read_to_string(filed[0].path()).unwrap();
    assert!(text.contains("dmarc=fail (p=reject dis=reject;"), "{text}");
}

/// smtplib's `sendmail` with the bytes as they are (`send_message` would re-fold the
/// signature fields, as a mail program does before signing, not after).
fn send_raw(server: &Running, message: &str) -> String {
    let printed = run_python(&format!(
        "import smtplib\n\
         with smtplib.SMTP('{}', {}, timeout=30, local_hostname='localhost') as client:\n\
         \x20   print(client.sendmail('joe@football.example.com', ['bob@wasmtp.test'], {message:?}.encode()))\n",
        server.address.ip(),
        server.address.port()
    ));
    String::from_utf8_lossy(&printed).trim().to_owned()
}

#[test]
fn rfc8463s_signed_message_verifies_and_a_changed_body_fails() {
    use wasmtp_core::test_support::rfc8463::{ED25519_KEY, RSA_KEY, signed};
    let environment = Environment::from_env();
    let dns = environment.start_dnsmasq(&[
        "--local=/football.example.com/".to_owned(),
        format!("--txt-record=brisbane._domainkey.football.example.com,{ED25519_KEY}"),
        format!("--txt-record=test._domainkey.football.example.com,{RSA_KEY}"),
    ]);
    let resolver = dns.address.to_string();
    let server = environment.start_server(&["--spf", "record", "--resolver", &resolver]);
    assert_eq!(send_raw(&server, &signed()), "{}");
    assert_eq!(
        results(&server),
        ["Authentication-Results: mx.wasmtp.test; \
          spf=none (football.example.com: no SPF record) smtp.mailfrom=joe@football.example.com; \
          dkim=pass header.d=football.example.com header.s=brisbane; \
          dkim=pass header.d=football.example.com header.s=test"]
    );
    assert_eq!(
        send_raw(&server, &signed().replace("hungry", "hungrz")),
        "{}"
    );
    let mut found = results(&server);
    found.sort();
    assert!(
        found[0].contains("dkim=fail (the body hash does not match bh=) header.d=football.example.com header.s=brisbane; dkim=fail"),
        "{found:?}"
    );
}

/// A dkimpy command of the test venv (`dkimsign`, `dknewkey`), run in `dir`, with
/// `input` on its standard input; its standard output.
fn dkimpy(
    environment: &Environment,
    dir: &Path,
    command: &str,
    args: &[&str],
    input: &[u8],
) -> Vec<u8> {
    use std::io::Write as _;
    let program = environment.python.with_file_name(command);
    let mut child = Command::new(&program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{}: {error}", program.display()));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{command} {args:?} failed");
    output.stdout
}

/// dnsmasq's `--txt-record` for `text` at `name`, in strings of 200 octets (a 2048-bit
/// RSA key is longer than one 255-octet string; DKIM joins them).
fn txt_record(name: &str, text: &str) -> String {
    let chunks: Vec<String> = text
        .trim()
        .as_bytes()
        .chunks(200)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect();
    format!("--txt-record={name},{}", chunks.join(","))
}

/// The key record dknewkey wrote for `key`, as dnsmasq publishes it.
fn published(dir: &Path, selector: &str, key: &str) -> String {
    let record = std::fs::read_to_string(dir.join(format!("{key}.dns"))).unwrap();
    txt_record(&format!("{selector}._domainkey.signed.test"), &record)
}

#[test]
fn dkimpys_rsa_and_ed25519_signatures_verify_and_a_changed_subject_fails() {
    let environment = Environment::from_env();
    let keys = environment.fresh_dir("dkim-keys");
    dkimpy(
        &environment,
        &keys,
        "dknewkey",
        &["--ktype", "rsa", "rsakey"],
        b"",
    );
    dkimpy(
        &environment,
        &keys,
        "dknewkey",
        &["--ktype", "ed25519", "edkey"],
        b"",
    );
    let message = "From: Ann <ann@signed.test>\r\nTo: Bob <bob@wasmtp.test>\r\n\
        Subject: signed by dkimpy\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\n\
        Message-ID: <1@signed.test>\r\n\r\nHello  there.\r\n\r\n";
    let signed = dkimpy(
        &environment,
        &keys,
        "dkimsign",
        &["sel1", "signed.test", "rsakey.key"],
        message.as_bytes(),
    );
    let signed = dkimpy(
        &environment,
        &keys,
        "dkimsign",
        &[
            "--signalg",
            "ed25519-sha256",
            "sel2",
            "signed.test",
            "edkey.key",
        ],
        &signed,
    );
    let signed = String::from_utf8(signed).unwrap();
    let dns = environment.start_dnsmasq(&[
        "--local=/signed.test/".to_owned(),
        published(&keys, "sel1", "rsakey"),
        published(&keys, "sel2", "edkey"),
    ]);
    let resolver = dns.address.to_string();
    let server = environment.start_server(&["--spf", "record", "--resolver", &resolver]);
    assert_eq!(send_raw(&server, &signed), "{}");
    let found = results(&server);
    assert!(
        found[0].ends_with("dkim=pass header.d=signed.test header.s=sel2; dkim=pass header.d=signed.test header.s=sel1"),
        "{found:?}"
    );
    assert_eq!(
        send_raw(
            &server,
            &signed.replace("signed by dkimpy", "signed by nobody")
        ),
        "{}"
    );
    let found = results(&server);
    assert_eq!(
        found
            .iter()
            .filter(|field| field.ends_with(
                "dkim=fail (the signature does not verify) header.d=signed.test header.s=sel2; \
                 dkim=fail (the signature does not verify) header.d=signed.test header.s=sel1"
            ))
            .count(),
        1,
        "{found:?}"
    );
}

/// The `DKIM-Signature:` field OpenDKIM printed it would add (its folded lines end in
/// LF there; on the wire they end in CR LF).
fn opendkim_signature(printed: &str) -> String {
    let value = printed
        .split("hname='DKIM-Signature' hvalue='")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no signature in {printed}"));
    format!("DKIM-Signature: {}\r\n", value.replace('\n', "\r\n"))
}

#[test]
fn opendkims_signature_verifies_and_a_changed_body_fails() {
    let environment = Environment::from_env();
    let keys = environment.fresh_dir("opendkim-keys");
    let generated = Command::new(environment.opendkim_tools.join("opendkim-genkey"))
        .args(["-b", "2048", "-d", "od.test", "-s", "mail", "-D"])
        .arg(&keys)
        .output()
        .expect("run opendkim-genkey");
    assert!(generated.status.success(), "{generated:?}");
    let message = "From: Ann <ann@od.test>\r\nTo: Bob <bob@wasmtp.test>\r\n\
        Subject: signed by OpenDKIM\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\n\
        Message-ID: <1@od.test>\r\n\r\nHello  there.\r\n";
    let printed = environment.opendkim(
        &format!(
            "Mode s\nDomain od.test\nSelector mail\nKeyFile {}\n\
             Canonicalization relaxed/relaxed\nSignatureAlgorithm rsa-sha256\nRequireSafeKeys no",
            keys.join("mail.private").display()
        ),
        message.as_bytes(),
    );
    let signed = format!("{}{message}", opendkim_signature(&printed));
    let record = zone_file_text(&std::fs::read_to_string(keys.join("mail.txt")).unwrap());
    let dns = environment.start_dnsmasq(&[
        "--local=/od.test/".to_owned(),
        txt_record("mail._domainkey.od.test", &record),
    ]);
    let resolver = dns.address.to_string();
    let server = environment.start_server(&["--spf", "record", "--resolver", &resolver]);
    assert_eq!(send_raw(&server, &signed), "{}");
    assert_eq!(
        send_raw(&server, &signed.replace("Hello  there", "Hello there!")),
        "{}"
    );
    let mut found = results(&server);
    found.sort();
    assert_eq!(found.len(), 2);
    assert!(
        found[0].ends_with(
            "dkim=fail (the body hash does not match bh=) header.d=od.test header.s=mail"
        ),
        "{found:?}"
    );
    assert!(
        found[1].ends_with("dkim=pass header.d=od.test header.s=mail"),
        "{found:?}"
    );
}
