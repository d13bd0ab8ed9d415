//! Mail authentication on the server, end to end: dnsmasq serves the domain's SPF
//! record over real DNS, Python smtplib sends with `send_message` from an address the
//! record lists (127.0.0.1) and from one it does not (127.0.0.5, a spoofer), and the
//! stored message's `Authentication-Results:` field says what the server found; with
//! `--spf refuse-fail` the spoofer hears `550 5.7.23` with the domain's explanation.
//! A resolver that does not answer gives `temperror`, and the mail is still taken.

use wasmtp_tests::{Environment, Running, run_python};

const MESSAGE: &str = "From: Alice <alice@spf.test>\r\nTo: Bob <bob@wasmtp.test>\r\nSubject: who sent this?\r\n\r\nHello.\r\n";

/// dnsmasq with spf.test's record and its explanation (RFC 7208 §6.2).
fn dns(environment: &Environment) -> Running {
    environment.start_dnsmasq(&[
        "--txt-record=spf.test,v=spf1 ip4:127.0.0.1 -all exp=why.spf.test".to_owned(),
        "--txt-record=why.spf.test,%{i} is not a mail server of %{d}".to_owned(),
    ])
}

/// smtplib's `send_message` from `source`: `sent` when the server took it, else the
/// code and text of the refusal.
fn send_from(server: &Running, source: &str) -> String {
    let printed = run_python(&format!(
        "import smtplib\n\
         from email import message_from_bytes, policy\n\
         message = message_from_bytes({MESSAGE:?}.encode(), policy=policy.SMTP)\n\
         try:\n\
         \x20   with smtplib.SMTP('{}', {}, timeout=30, source_address=('{source}', 0)) as client:\n\
         \x20       client.send_message(message, 'alice@spf.test', ['bob@wasmtp.test'])\n\
         \x20   print('sent')\n\
         except smtplib.SMTPSenderRefused as refused:\n\
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
            "Authentication-Results: mx.wasmtp.test; spf=fail (spf.test: matched -all) smtp.mailfrom=alice@spf.test",
            "Authentication-Results: mx.wasmtp.test; spf=pass (spf.test: matched ip4:127.0.0.1) smtp.mailfrom=alice@spf.test",
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
