//! Relaying in the real `wasmtime run`: a trusted client hands `wasmtp-server.wasm` mail
//! for other domains; the server looks up their MX records in a real DNS server
//! (dnsmasq on loopback) and delivers to aiosmtpd peers listening on 127.0.0.x, retrying
//! and bouncing as RFC 5321 §5.1 and RFC 3464 say. Only loopback addresses are used.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use wasmtp_tests::{Environment, Running, code, eventually, free_port, stored};

const MESSAGE: &str = "From: <alice@wasmtp.test>\r\nSubject: relayed\r\n\r\n.dot line\r\nbody\r\n";

/// A DNS zone on dnsmasq, MX hosts on 127.0.0.2 and 127.0.0.3 (one port for all, as the
/// server's `--relay-port`), and the server trusting loopback clients to relay.
struct World {
    _dns: Running,
    _mx: Vec<Running>,
    server: Running,
    /// Where each MX host stores what it accepts: 127.0.0.2, then 127.0.0.3.
    stores: Vec<PathBuf>,
    port: u16,
}

fn world(environment: &Environment, records: &[&str]) -> World {
    let dns = environment.start_dnsmasq(
        &records
            .iter()
            .map(|record| (*record).to_owned())
            .collect::<Vec<_>>(),
    );
    let port = free_port();
    let mut mx = Vec::new();
    let mut stores = Vec::new();
    for host in ["127.0.0.2", "127.0.0.3"] {
        let store = environment.fresh_dir("mx");
        let address: SocketAddr = format!("{host}:{port}").parse().expect("an address");
        mx.push(environment.start_aiosmtpd_at(&store, Some(address)));
        stores.push(store);
    }
    let server = start_relay(
        environment,
        &environment.fresh_dir("spool"),
        dns.address,
        port,
    );
    World {
        _dns: dns,
        _mx: mx,
        server,
        stores,
        port,
    }
}

fn start_relay(
    environment: &Environment,
    spool: &Path,
    resolver: SocketAddr,
    port: u16,
) -> Running {
    environment.start_server_on(
        spool,
        &[
            "--trusted",
            "127.0.0.0/8",
            "--resolver",
            &resolver.to_string(),
            "--relay-port",
            &port.to_string(),
            "--first-retry-seconds",
            "1",
        ],
    )
}

/// One transaction; the replies to each RCPT and to the end of data.
fn send(server: &Running, recipients: &[&str]) -> Vec<u16> {
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    assert_eq!(code(&smtp.command("MAIL FROM:<alice@wasmtp.test>")), 250);
    let mut codes: Vec<u16> = recipients
        .iter()
        .map(|recipient| code(&smtp.command(&format!("RCPT TO:<{recipient}>"))))
        .collect();
    assert_eq!(code(&smtp.command("DATA")), 354);
    // Dot-stuffed on the wire (RFC 5321 §4.5.2), then the end of data.
    smtp.send(&format!("{}.\r\n", MESSAGE.replace("\r\n.", "\r\n..")));
    codes.push(code(&smtp.reply()));
    smtp.command("QUIT");
    codes
}

fn assert_relayed(message: &[u8]) {
    let text = String::from_utf8_lossy(message);
    assert!(text.starts_with("Received: from client.test"), "{text}");
    assert!(
        text.contains("by mx.wasmtp.test (wasmtp) with ESMTP"),
        "{text}"
    );
    assert!(
        text.ends_with(MESSAGE),
        "byte for byte after the trace field: {text}"
    );
}

#[test]
fn mx_preference_wins_and_a_down_primary_falls_back_to_the_next_mx() {
    let environment = Environment::from_env();
    let world = world(
        &environment,
        &[
            "--mx-host=pref.test,mx2.pref.test,20",
            "--mx-host=pref.test,mx1.pref.test,10",
            "--host-record=mx1.pref.test,127.0.0.2",
            "--host-record=mx2.pref.test,127.0.0.3",
            // down.test's primary is 127.0.0.4, where nothing listens.
            "--mx-host=down.test,dead.down.test,10",
            "--mx-host=down.test,up.down.test,20",
            "--host-record=dead.down.test,127.0.0.4",
            "--host-record=up.down.test,127.0.0.3",
        ],
    );
    assert_eq!(send(&world.server, &["bob@pref.test"]), [250, 250]);
    assert_eq!(send(&world.server, &["carol@down.test"]), [250, 250]);
    let (recipients, message) = eventually("bob's copy at mx1", || stored(&world.stores[0]).pop());
    assert_eq!(recipients, "bob@pref.test");
    assert_relayed(&message);
    let (recipients, message) = eventually("carol's copy at the backup", || {
        stored(&world.stores[1]).pop()
    });
    assert_eq!(recipients, "carol@down.test");
    assert_relayed(&message);
    assert_eq!(
        stored(&world.stores[0]).len(),
        1,
        "the primary of pref.test took only bob's"
    );
    let _ = world.port;
}

#[test]
fn without_mx_the_a_record_is_the_implicit_mx() {
    let environment = Environment::from_env();
    let world = world(&environment, &["--host-record=plain.test,127.0.0.2"]);
    assert_eq!(send(&world.server, &["dana@plain.test"]), [250, 250]);
    let (recipients, message) = eventually("dana's copy", || stored(&world.stores[0]).pop());
    assert_eq!(recipients, "dana@plain.test");
    assert_relayed(&message);
}

#[test]
fn a_temporary_failure_is_retried_until_delivered() {
    let environment = Environment::from_env();
    let world = world(
        &environment,
        &[
            "--mx-host=pref.test,mx1.pref.test,10",
            "--host-record=mx1.pref.test,127.0.0.2",
        ],
    );
    // The peer answers 451 to "later…" the first time.
    assert_eq!(send(&world.server, &["later@pref.test"]), [250, 250]);
    let (recipients, _) = eventually("the retried copy", || stored(&world.stores[0]).pop());
    assert_eq!(recipients, "later@pref.test");
}

/// The DSNs delivered to alice@wasmtp.test, the local sender.
fn bounces(server: &Running) -> Vec<String> {
    server
        .mailbox("wasmtp.test", "alice")
        .iter()
        .map(|message| String::from_utf8_lossy(message).into_owned())
        .collect()
}

#[test]
fn null_mx_and_an_unknown_user_at_the_far_end_bounce_to_the_sender() {
    let environment = Environment::from_env();
    let world = world(
        &environment,
        &[
            "--mx-host=nullmx.test,.,0",
            "--mx-host=pref.test,mx1.pref.test,10",
            "--host-record=mx1.pref.test,127.0.0.2",
        ],
    );
    assert_eq!(send(&world.server, &["erin@nullmx.test"]), [250, 250]);
    let dsn = eventually("the null MX bounce", || bounces(&world.server).pop());
    assert!(dsn.starts_with("Return-Path: <>\r\n"), "{dsn}");
    assert!(
        dsn.contains("Content-Type: multipart/report; report-type=delivery-status"),
        "{dsn}"
    );
    assert!(
        dsn.contains("Final-Recipient: rfc822; erin@nullmx.test\r\n"),
        "{dsn}"
    );
    assert!(dsn.contains("Status: 5.1.10\r\n"), "{dsn}");
    assert!(dsn.contains("Diagnostic-Code: smtp; 556 5.1.10"), "{dsn}");
    assert_eq!(send(&world.server, &["nobody@pref.test"]), [250, 250]);
    let dsn = eventually("the unknown-user bounce", || {
        bounces(&world.server).get(1).cloned()
    });
    assert!(
        dsn.contains("Final-Recipient: rfc822; nobody@pref.test\r\n"),
        "{dsn}"
    );
    assert!(dsn.contains("Status: 5.1.1\r\n"), "{dsn}");
    assert!(dsn.contains("Remote-MTA: dns; mx1.pref.test\r\n"), "{dsn}");
    assert!(
        dsn.contains("Diagnostic-Code: smtp; 550 5.1.1 No such user"),
        "{dsn}"
    );
}

#[test]
fn queued_mail_survives_a_restart_and_is_delivered_when_the_mx_is_back() {
    let environment = Environment::from_env();
    let dns = environment.start_dnsmasq(&[
        "--mx-host=later.test,mx.later.test,10".to_owned(),
        "--host-record=mx.later.test,127.0.0.2".to_owned(),
    ]);
    let port = free_port();
    let spool = environment.fresh_dir("spool");
    let server = start_relay(&environment, &spool, dns.address, port);
    assert_eq!(send(&server, &["frank@later.test"]), [250, 250]);
    // The MX is not up yet: the message waits in the queue. Stop the server hard.
    drop(server);
    let queued = std::fs::read_dir(spool.join("queue"))
        .expect("the queue")
        .count();
    assert_eq!(queued, 2, "the message and its state file");
    let store = environment.fresh_dir("mx");
    let _mx = environment.start_aiosmtpd_at(
        &store,
        Some(format!("127.0.0.2:{port}").parse().expect("an address")),
    );
    let _restarted = start_relay(&environment, &spool, dns.address, port);
    let (recipients, message) = eventually("delivery after the restart", || stored(&store).pop());
    assert_eq!(recipients, "frank@later.test");
    assert_relayed(&message);
    eventually("the queue emptied", || {
        (std::fs::read_dir(spool.join("queue"))
            .map(|entries| entries.count())
            .unwrap_or(1)
            == 0)
            .then_some(())
    });
}

#[test]
fn an_untrusted_client_cannot_relay_by_any_address_trick() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut smtp = server.smtp();
    smtp.command("EHLO client.test");
    smtp.command("MAIL FROM:<mallory@client.test>");
    for (recipient, reply) in [
        ("<victim@example.com>", "554 5.7.1"),
        // The % hack, a bang path and a quoted @ in a local domain's local part.
        ("<victim%example.com@wasmtp.test>", "550 5.7.1"),
        ("<example.com!victim@wasmtp.test>", "550 5.7.1"),
        ("<\"victim@example.com\"@wasmtp.test>", "550 5.7.1"),
        // A source route through this host: the route is dropped, the target is foreign.
        ("<@mx.wasmtp.test:victim@example.com>", "554 5.7.1"),
        // An address literal of another host.
        ("<victim@[192.0.2.1]>", "554 5.7.1"),
        ("<victim@[IPv6:2001:db8::1]>", "554 5.7.1"),
    ] {
        let answer = smtp.command(&format!("RCPT TO:{recipient}"));
        assert!(answer.starts_with(reply), "{recipient}: {answer}");
    }
    assert_eq!(code(&smtp.command("RCPT TO:<postmaster@wasmtp.test>")), 250);
    // Nothing was queued for relay.
    let queue = server.spool.as_ref().expect("a spool").join("queue");
    assert_eq!(std::fs::read_dir(queue).expect("the queue").count(), 0);
}
