use crate::code;
use core::time::Duration;

use super::*;
use crate::client::SessionFailure;
use crate::queue::RecipientState;
use crate::syntax::{Domain, MailParameters, Mailbox, ReversePath};

const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);

fn recipient(address: &str) -> Recipient {
    Recipient {
        forward_path: ForwardPath::Mailbox(Mailbox::parse(address).expect("a mailbox")),
        parameters: Default::default(),
    }
}

fn attempt(recipients: &[&str]) -> Attempt {
    let sender = ReversePath::Mailbox(Mailbox::parse("alice@a.test").expect("a mailbox"));
    let message = QueuedMessage::new(
        "q1".into(),
        sender,
        &MailParameters::default(),
        recipients
            .iter()
            .map(|address| recipient(address))
            .collect(),
        T0,
    );
    let client = ClientConfig::new(Domain::parse("mx.a.test").expect("a domain"));
    Attempt::new(
        message,
        client,
        RetrySchedule::postfix(),
        b"Subject: t\r\n\r\nt\r\n",
        T0,
    )
}

fn target(host: &str, last_octet: u8, preference: u16) -> Target {
    Target {
        host: host.into(),
        preference,
        address: [192, 0, 2, last_octet].into(),
        port: 25,
    }
}

/// An attempt for `recipients` of b.test, routed to its two MXs (mx1 preferred).
fn routed_to_two_mxs(recipients: &[&str]) -> Attempt {
    let mut attempt = attempt(recipients);
    let _ = attempt.step();
    let targets = vec![target("mx1.b.test", 1, 10), target("mx2.b.test", 2, 20)];
    attempt
        .routed(Routing::Targets(targets), T0)
        .expect("asked");
    attempt
}

fn outcome(deliveries: Vec<Delivery>, failure: Option<SessionFailure>) -> Outcome {
    Outcome {
        recipients: deliveries
            .into_iter()
            .map(|delivery| (recipient("x@b.test"), delivery))
            .collect(),
        failure,
    }
}

fn ok() -> Delivery {
    Delivery::Delivered(build(code!(250), (0, 0), "OK"))
}

fn states(attempt: Attempt) -> Vec<&'static str> {
    let (message, _) = attempt.finish();
    message
        .recipients
        .iter()
        .map(|queued| queued.record.describe())
        .collect()
}

#[test]
fn a_recipient_given_twice_is_recorded_at_each_position() {
    let mut attempt = attempt(&["bob@b.test", "bob@b.test"]);
    let Need::Route { recipients, .. } = attempt.step() else {
        panic!("a route first");
    };
    assert_eq!(recipients.len(), 2, "both positions travel");
    attempt
        .routed(Routing::Targets(vec![target("mx.b.test", 1, 10)]), T0)
        .expect("asked");
    assert!(matches!(attempt.step(), Need::Connect(_)));
    attempt.connected(Ok(()), T0).expect("asked");
    assert!(matches!(attempt.step(), Need::Session { .. }));
    let later = Delivery::Temporary(build(code!(452), (2, 2), "mailbox full"));
    attempt
        .session_ended(outcome(vec![ok(), later], None), T0)
        .expect("asked");
    assert!(matches!(attempt.step(), Need::Done));
    let (message, recorded) = attempt.finish();
    assert_eq!(recorded, [0, 1]);
    assert_eq!(message.recipients[0].record.describe(), "delivered");
    assert_eq!(message.recipients[1].record.describe(), "deferred");
    assert_eq!(
        message.recipients[0].record.remote.as_deref(),
        Some("mx.b.test")
    );
}

/// RFC 5321 §5.1: a host that cannot be reached sends the mail to the next MX.
#[test]
fn a_refused_primary_falls_back_to_the_backup() {
    let mut attempt = routed_to_two_mxs(&["carol@b.test"]);
    let Need::Connect(first) = attempt.step() else {
        panic!("connect to the primary");
    };
    assert_eq!(first.host, "mx1.b.test");
    attempt
        .connected(Err(ConnectFailure::Refused), T0)
        .expect("asked");
    let Need::Connect(second) = attempt.step() else {
        panic!("connect to the backup");
    };
    assert_eq!(second.host, "mx2.b.test");
    attempt.connected(Ok(()), T0).expect("asked");
    let _ = attempt.step();
    attempt
        .session_ended(outcome(vec![ok()], None), T0)
        .expect("asked");
    let (message, _) = attempt.finish();
    let record = &message.recipients[0].record;
    assert_eq!(record.describe(), "delivered");
    assert_eq!(record.remote.as_deref(), Some("mx2.b.test"));
}

#[test]
fn a_refused_greeting_moves_on_but_a_refused_recipient_does_not() {
    let mut attempt = routed_to_two_mxs(&["dana@b.test", "erin@b.test"]);
    let _ = attempt.step();
    attempt.connected(Ok(()), T0).expect("asked");
    let _ = attempt.step();
    let busy = build(code!(421), (3, 2), "busy");
    let temporary = Delivery::Temporary(busy.clone());
    attempt
        .session_ended(
            outcome(
                vec![temporary.clone(), temporary],
                Some(SessionFailure::Policy(busy)),
            ),
            T0,
        )
        .expect("asked");
    let Need::Connect(second) = attempt.step() else {
        panic!("the next MX");
    };
    assert_eq!(second.host, "mx2.b.test");
    attempt.connected(Ok(()), T0).expect("asked");
    let _ = attempt.step();
    let unknown = Delivery::Permanent(build(code!(550), (1, 1), "no such user"));
    attempt
        .session_ended(outcome(vec![unknown, ok()], None), T0)
        .expect("asked");
    assert!(matches!(attempt.step(), Need::Done));
    assert_eq!(states(attempt), ["failed", "delivered"]);
}

#[test]
fn when_no_target_answers_the_recipients_wait_with_the_last_failure() {
    let mut attempt = routed_to_two_mxs(&["fred@b.test"]);
    let _ = attempt.step();
    attempt
        .connected(Err(ConnectFailure::Refused), T0)
        .expect("asked");
    let _ = attempt.step();
    let later = T0.after(Duration::from_secs(30));
    attempt
        .connected(Err(ConnectFailure::TimedOut), later)
        .expect("asked");
    assert!(matches!(attempt.step(), Need::Done));
    let (message, _) = attempt.finish();
    let record = &message.recipients[0].record;
    assert_eq!(
        record
            .last_failure
            .as_ref()
            .map(|failure| failure.reply().to_string()),
        Some("451 4.4.1 connection to mx2.b.test (192.0.2.2:25) timed out\r\n".into())
    );
    assert_eq!(record.remote, None, "no remote host decided it");
    // The schedule counts from the time of the outcome (RFC 5321 §4.5.4.1).
    assert_eq!(
        record.state,
        RecipientState::Pending {
            next_attempt: later.after(Duration::from_secs(300))
        }
    );
}

#[test]
fn a_failed_route_settles_each_recipient_of_its_domain_by_its_class() {
    let mut attempt = attempt(&["gina@null.test", "hank@c.test"]);
    let Need::Route { destination, .. } = attempt.step() else {
        panic!("a route");
    };
    assert_eq!(destination.to_string(), "c.test");
    let servfail = build(code!(451), (4, 4), "DNS lookup failed");
    attempt
        .routed(Routing::Failed(servfail), T0)
        .expect("asked");
    let Need::Route { destination, .. } = attempt.step() else {
        panic!("a route");
    };
    assert_eq!(destination.to_string(), "null.test");
    let null_mx = build(code!(556), (1, 10), "null MX: accepts no mail");
    attempt.routed(Routing::Failed(null_mx), T0).expect("asked");
    assert!(matches!(attempt.step(), Need::Done));
    assert_eq!(states(attempt), ["failed", "deferred"]);
}

#[test]
fn a_local_domain_is_delivered_by_the_host_in_order() {
    let mut attempt = attempt(&["ivy@a.test", "jack@a.test"]);
    let _ = attempt.step();
    let full = Delivery::Temporary(build(code!(452), (2, 2), "mailbox full"));
    attempt
        .routed(Routing::Local(vec![ok(), full]), T0)
        .expect("asked");
    assert!(matches!(attempt.step(), Need::Done));
    assert_eq!(states(attempt), ["delivered", "deferred"]);
}

#[test]
fn an_answer_not_asked_for_is_an_error_and_changes_nothing() {
    let mut attempt = attempt(&["kim@b.test"]);
    assert_eq!(
        attempt.connected(Ok(()), T0),
        Err(NotAsked {
            expected: "nothing (call `step`)"
        })
    );
    let _ = attempt.step();
    let error = attempt
        .session_ended(outcome(vec![ok()], None), T0)
        .expect_err("a route is awaited");
    assert_eq!(error.expected, "a route");
    assert!(error.to_string().contains("waits for a route"));
    assert!(matches!(attempt.step(), Need::Route { .. }), "still asked");
}

#[test]
fn only_due_recipients_are_attempted() {
    let mut attempt = attempt(&["lee@b.test"]);
    let _ = attempt.step();
    attempt
        .routed(Routing::Failed(build(code!(451), (4, 4), "later")), T0)
        .expect("asked");
    assert!(matches!(attempt.step(), Need::Done));
    let (message, _) = attempt.finish();
    let client = ClientConfig::new(Domain::parse("mx.a.test").expect("a domain"));
    let mut again = Attempt::new(message, client, RetrySchedule::postfix(), b"", T0);
    assert!(matches!(again.step(), Need::Done), "not due for 5 minutes");
}

#[test]
fn the_session_need_repeats_until_its_outcome_comes() {
    let mut attempt = attempt(&["max@b.test"]);
    let _ = attempt.step();
    attempt
        .routed(Routing::Targets(vec![target("mx.b.test", 1, 10)]), T0)
        .expect("asked");
    let _ = attempt.step();
    attempt.connected(Ok(()), T0).expect("asked");
    let first = attempt.step();
    let second = attempt.step();
    let (Need::Session { target: a, .. }, Need::Session { target: b, .. }) = (first, second) else {
        panic!("the session, twice");
    };
    assert_eq!(a, b);
}

#[test]
fn through_a_smarthost_every_domain_goes_in_one_session() {
    let mut attempt =
        attempt(&["nina@b.test", "omar@c.test", "pia@b.test"]).through(vec![target("relay", 9, 0)]);
    let Need::Connect(relay) = attempt.step() else {
        panic!("no routing: straight to the smarthost");
    };
    assert_eq!(relay.host, "relay");
    attempt.connected(Ok(()), T0).expect("asked");
    assert!(matches!(attempt.step(), Need::Session { .. }));
    let unknown = Delivery::Permanent(build(code!(550), (1, 1), "no such user"));
    attempt
        .session_ended(outcome(vec![ok(), unknown, ok()], None), T0)
        .expect("asked");
    assert!(matches!(attempt.step(), Need::Done));
    assert_eq!(states(attempt), ["delivered", "failed", "delivered"]);
}

#[test]
fn through_no_host_at_all_every_recipient_waits() {
    let mut attempt = attempt(&["quinn@b.test"]).through(Vec::new());
    assert!(matches!(attempt.step(), Need::Done));
    assert_eq!(states(attempt), ["deferred"]);
}
