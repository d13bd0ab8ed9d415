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
        let (running, store) = mx_at(environment, host, port);
        mx.push(running);
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

/// An aiosmtpd MX host listening at `host` (`127.0.0.2`, `[::1]`) on `port`, and the
/// folder where it stores what it accepts.
fn mx_at(environment: &Environment, host: &str, port: u16) -> (Running, PathBuf) {
    let store = environment.fresh_dir("mx");
    let address: SocketAddr = format!("{host}:{port}").parse().expect("an address");
    (environment.start_aiosmtpd_at(&store, Some(address)), store)
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

/// An MX whose only address is IPv6 (an AAAA record, ::1 here) is reached over IPv6:
/// RFC 5321 §5.1 routes to the addresses of either family.
#[test]
fn an_mx_with_only_an_ipv6_address_is_reached_over_ipv6() {
    let environment = Environment::from_env();
    let dns = environment.start_dnsmasq(&[
        "--mx-host=v6.test,mx.v6.test,10".to_owned(),
        "--host-record=mx.v6.test,::1".to_owned(),
    ]);
    let port = free_port();
    let (_mx, store) = mx_at(&environment, "[::1]", port);
    let spool = environment.fresh_dir("spool");
    let server = start_relay(&environment, &spool, dns.address, port);
    assert_eq!(send(&server, &["ivy@v6.test"]), [250, 250]);
    let (recipients, message) = eventually("ivy's copy over IPv6", || stored(&store).pop());
    assert_eq!(recipients, "ivy@v6.test");
    assert_relayed(&message);
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

/// Where mail waited for an MX that was down, and what the test needs to go on.
struct Waiting {
    spool: PathBuf,
    dns: Running,
    port: u16,
}

/// A server that queued a message for each recipient at `domain` while its one MX
/// (127.0.0.2) was down, then was stopped hard (SIGKILL).
fn queued_while_the_mx_is_down(
    environment: &Environment,
    domain: &str,
    recipients: &[&str],
) -> Waiting {
    let dns = environment.start_dnsmasq(&[
        format!("--mx-host={domain},mx.{domain},10"),
        format!("--host-record=mx.{domain},127.0.0.2"),
    ]);
    let port = free_port();
    let spool = environment.fresh_dir("spool");
    let server = start_relay(environment, &spool, dns.address, port);
    for recipient in recipients {
        assert_eq!(send(&server, &[recipient]), [250, 250]);
    }
    drop(server);
    Waiting { spool, dns, port }
}

#[test]
fn queued_mail_survives_a_restart_and_is_delivered_when_the_mx_is_back() {
    let environment = Environment::from_env();
    let Waiting { spool, dns, port } =
        queued_while_the_mx_is_down(&environment, "later.test", &["frank@later.test"]);
    let queued = std::fs::read_dir(spool.join("queue"))
        .expect("the queue")
        .count();
    assert_eq!(queued, 2, "the message and its state file");
    let (_mx, store) = mx_at(&environment, "127.0.0.2", port);
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

/// Messages queued for one mail host go over one connection (RFC 5321 §3.3): the relay
/// keeps it after each message and checks it with RSET before the next.
#[test]
fn messages_for_one_mail_host_share_one_connection() {
    let environment = Environment::from_env();
    // Queued while the MX is down, so that all are due at once later.
    let recipients = ["ann@many.test", "ben@many.test", "cat@many.test"];
    let Waiting { spool, dns, port } =
        queued_while_the_mx_is_down(&environment, "many.test", &recipients);
    // Any first attempt was made before the kill: one retry interval later, all are due.
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    let (_mx, store) = mx_at(&environment, "127.0.0.2", port);
    let _restarted = start_relay(&environment, &spool, dns.address, port);
    let copies = eventually("all delivered", || {
        let found = stored(&store);
        (found.len() == recipients.len()).then_some(found)
    });
    let mut delivered: Vec<&str> = copies.iter().map(|(to, _)| to.as_str()).collect();
    delivered.sort_unstable();
    assert_eq!(delivered, recipients);
    let peers: std::collections::BTreeSet<String> = (1..=recipients.len())
        .map(|n| std::fs::read_to_string(store.join(format!("{n}.peer"))).expect("the peer"))
        .collect();
    assert_eq!(peers.len(), 1, "one connection for all: {peers:?}");
    eventually("the queue emptied", || queue_is_empty(&spool));
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

/// The state files of the server's relay queue.
fn queue_states(spool: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(spool.join("queue"))
        .map(|listing| {
            listing
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                .collect()
        })
        .unwrap_or_default()
}

fn queue_is_empty(spool: &Path) -> Option<()> {
    let count = std::fs::read_dir(spool.join("queue")).map_or(1, |listing| listing.count());
    (count == 0).then_some(())
}

/// RFC 5321 §4.1.1.3 lets a client name a recipient twice; the envelope, not a
/// set of addresses, says what to deliver: one transaction with both RCPTs, once.
#[test]
fn a_recipient_given_twice_is_relayed_once_with_both_rcpts() {
    let environment = Environment::from_env();
    let world = world(
        &environment,
        &[
            "--mx-host=dup.test,mx1.dup.test,10",
            "--host-record=mx1.dup.test,127.0.0.2",
        ],
    );
    assert_eq!(
        send(&world.server, &["bob@dup.test", "bob@dup.test"]),
        [250, 250, 250]
    );
    let spool = world.server.spool.clone().expect("a spool");
    eventually("the queue emptied", || queue_is_empty(&spool));
    let copies = stored(&world.stores[0]);
    assert_eq!(copies.len(), 1, "delivered once");
    assert_eq!(copies[0].0, "bob@dup.test\nbob@dup.test");
}

/// A state file that cannot be replaced must not make the relay report a failure
/// twice: the next pass works from what really happened, not from the stale file.
#[test]
fn a_failed_queue_save_after_a_bounce_sends_no_second_dsn() {
    let environment = Environment::from_env();
    let dns = environment.start_dnsmasq(&[
        "--mx-host=gone.test,mx.gone.test,10".to_owned(),
        "--host-record=mx.gone.test,127.0.0.2".to_owned(),
        // Nothing ever listens on 127.0.0.3: carol stays pending all along.
        "--mx-host=down.test,mx.down.test,10".to_owned(),
        "--host-record=mx.down.test,127.0.0.3".to_owned(),
    ]);
    let port = free_port();
    let spool = environment.fresh_dir("spool");
    let server = start_relay(&environment, &spool, dns.address, port);
    assert_eq!(
        send(&server, &["nobody@gone.test", "carol@down.test"]),
        [250, 250, 250]
    );
    // No MX answers yet. From now on the state file's replacement is a directory, so
    // every save fails (even for root).
    let state = eventually("the queued state", || queue_states(&spool).pop());
    let blocked = state.with_extension("json.tmp");
    std::fs::create_dir(&blocked).expect("a directory where the save writes");
    let (_mx, _store) = mx_at(&environment, "127.0.0.2", port);
    let dsn = eventually("the bounce for nobody", || bounces(&server).pop());
    assert!(
        dsn.contains("Final-Recipient: rfc822; nobody@gone.test\r\n"),
        "{dsn}"
    );
    // Passes with the save failing, then with it working again.
    std::thread::sleep(std::time::Duration::from_secs(3));
    std::fs::remove_dir(&blocked).expect("the directory removed");
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(bounces(&server).len(), 1, "one DSN");
    let saved = std::fs::read_to_string(&state).expect("the state file");
    assert!(
        saved.contains("\"reported\": true"),
        "saved once it could be: {saved}"
    );
}

/// The simulator's world for the test below: example.org's primary refuses
/// connections all along, its second MX greylists (451 4.7.1); example.com's only MX is
/// down for good, and the scenario runs past the queue lifetime (5 days).
const SAME_WORLD: &str = r#"{
  "version": 1, "id": "same-path", "title": "Primary down, backup greylists",
  "intro": "The relay's test world, simulated.",
  "sender": {"address": "alice@example.net", "submission": "smtp.example.net"},
  "message": {"to": ["later@example.org", "dan@example.com"], "subject": "s", "body": "b"},
  "dns": [
    {"name": "example.org", "type": "MX", "value": "10 mx1.example.org"},
    {"name": "example.org", "type": "MX", "value": "20 mx2.example.org"},
    {"name": "mx1.example.org", "type": "A", "value": "192.0.2.25"},
    {"name": "mx2.example.org", "type": "A", "value": "192.0.2.26"},
    {"name": "example.com", "type": "MX", "value": "10 mx.example.com"},
    {"name": "mx.example.com", "type": "A", "value": "192.0.2.27"}
  ],
  "hosts": [
    {"name": "smtp.example.net", "address": "198.51.100.25", "role": "submission",
     "domains": ["example.net"], "users": ["alice"]},
    {"name": "mx1.example.org", "address": "192.0.2.25", "role": "mailbox",
     "domains": ["example.org"], "users": ["later"], "behaviours": ["down"]},
    {"name": "mx2.example.org", "address": "192.0.2.26", "role": "mailbox",
     "domains": ["example.org"], "users": ["later"], "behaviours": ["greylisting"]},
    {"name": "mx.example.com", "address": "192.0.2.27", "role": "mailbox",
     "domains": ["example.com"], "users": ["dan"], "behaviours": ["down"]}
  ],
  "horizon_hours": 130
}"#;

/// `+hh:mm:ss` of a trace, in seconds.
fn trace_seconds(clock: &str) -> u64 {
    clock
        .trim_start_matches('+')
        .split(':')
        .fold(0, |total, part| {
            total * 60 + part.parse::<u64>().unwrap_or(0)
        })
}

/// The relay and the simulator drive one delivery machine: for the same world — the
/// primary MX refuses connections, the second MX puts the recipient off, another
/// domain's only MX refuses — both record the same outcome per recipient, decided by
/// the same host, with the same reply code and the same retry wait (Postfix's schedule,
/// 5 minutes first), and a refused connection is 4.4.1 in both (RFC 3463).
#[test]
fn relay_and_simulator_record_the_same_outcomes_and_retry_times() {
    let environment = Environment::from_env();
    let dns = environment.start_dnsmasq(&[
        "--mx-host=example.org,mx1.example.org,10".to_owned(),
        "--mx-host=example.org,mx2.example.org,20".to_owned(),
        "--host-record=mx1.example.org,127.0.0.4".to_owned(),
        "--host-record=mx2.example.org,127.0.0.3".to_owned(),
        "--mx-host=example.com,mx.example.com,10".to_owned(),
        "--host-record=mx.example.com,127.0.0.5".to_owned(),
    ]);
    let port = free_port();
    // aiosmtpd puts off a `later…` recipient once (451 4.7.1).
    let (_mx2, _store) = mx_at(&environment, "127.0.0.3", port);
    let spool = environment.fresh_dir("spool");
    let resolver = dns.address.to_string();
    let port_flag = port.to_string();
    let server = environment.start_server_on(
        &spool,
        &[
            "--trusted",
            "127.0.0.0/8",
            "--resolver",
            &resolver,
            "--relay-port",
            &port_flag,
        ],
    );
    assert_eq!(
        send(&server, &["later@example.org", "dan@example.com"]),
        [250, 250, 250]
    );
    let state = eventually("the first attempt recorded", || {
        let path = queue_states(&spool).pop()?;
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        let recipients = json["recipients"].as_array()?.clone();
        recipients
            .iter()
            .all(|queued| queued["record"]["attempts"] == 1)
            .then_some(recipients)
    });
    let relayed: Vec<(String, String, String, u64)> = state
        .iter()
        .map(|queued| {
            let record = &queued["record"];
            // Externally tagged: `{"temporary": "451 …"}`, `{"pending": {…}}`.
            let reply = record["last_failure"]["temporary"]
                .as_str()
                .unwrap_or_default();
            let enhanced = reply.split(' ').nth(1).unwrap_or_default().to_owned();
            let remote = record["remote"].as_str().unwrap_or("-").to_owned();
            let pending = &record["state"]["pending"];
            let wait_ms = pending["next_attempt"].as_u64().unwrap_or(0)
                - record["queued"].as_u64().unwrap_or(0);
            let state = if pending.is_object() { "pending" } else { "?" }.to_owned();
            (state, enhanced, remote, wait_ms / 1000)
        })
        .collect();

    let scenario = wasmtp_core::sim::Scenario::from_json(SAME_WORLD).expect("a valid scenario");
    let trace = wasmtp_core::sim::run(&scenario).expect("it runs");
    // The submission server's first retry step: where each recipient stands.
    let first_retry = trace
        .steps
        .iter()
        .find_map(|step| match &step.snapshot {
            Some(wasmtp_core::sim::Snapshot::Queue { recipients, .. })
                if step.text.starts_with("temporary failure") =>
            {
                Some((step.at_ms / 1000, recipients.clone()))
            }
            _ => None,
        })
        .expect("a retry scheduled");
    let greylisted = trace
        .steps
        .iter()
        .find(|step| step.text.starts_with("451 "))
        .expect("the second MX's 451");
    let (failed_at, recipients) = first_retry;
    let simulated: Vec<(String, String, String, u64)> = recipients
        .iter()
        .map(|line| {
            let at = line.rsplit(' ').next().unwrap_or_default();
            let wait = trace_seconds(at).saturating_sub(failed_at.min(trace_seconds(at)));
            let later = line.starts_with("<later@");
            // later's reply is the second MX's; dan's shows once it expires.
            let reply = if later {
                Some(greylisted.text.as_str())
            } else {
                trace
                    .summary
                    .failed
                    .iter()
                    .find_map(|failed| failed.strip_prefix("<dan@example.com>: "))
            };
            let enhanced = reply.and_then(|reply| reply.split(' ').nth(1));
            let remote = if later { greylisted.from.as_str() } else { "-" };
            let state = if line.contains(" pending") {
                "pending"
            } else {
                "?"
            };
            (
                state.to_owned(),
                enhanced.unwrap_or_default().to_owned(),
                remote.to_owned(),
                wait,
            )
        })
        .collect();
    assert_eq!(relayed[0].1, "4.7.1", "{relayed:?}");
    assert_eq!(relayed[1].1, "4.4.1", "a refused connection: {relayed:?}");
    for ((state, enhanced, remote, wait), simulated) in relayed.iter().zip(&simulated) {
        assert_eq!(
            (state, enhanced, remote),
            (&simulated.0, &simulated.1, &simulated.2)
        );
        // The same schedule from the time of the outcome; the relay's outcome comes a
        // moment after queueing, the simulator's a few virtual seconds.
        assert!(
            wait.abs_diff(simulated.3) <= 2,
            "{wait} s vs {} s",
            simulated.3
        );
    }
}
