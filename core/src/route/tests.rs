//! Routing rules of RFC 5321 §5.1, RFC 7505 and RFC 2782, each pinned by a table of DNS
//! answers.

use std::collections::HashMap;

use super::*;

type Zone<'a> = [(&'a str, RecordKind, Answer)];

/// Plans with this host known as `local` and equal preferences ordered by `seed`.
fn plan(destination: &str, zone: &Zone, local: &[&str], seed: u64) -> (Step, Vec<Question>) {
    let options = RouteOptions {
        local_names: local.iter().map(|name| name.to_string()).collect(),
        seed,
        ..RouteOptions::default()
    };
    plan_with(destination, zone, &options)
}

/// Plans with SRV lookups on.
fn plan_srv(destination: &str, zone: &Zone, seed: u64) -> (Step, Vec<Question>) {
    let options = RouteOptions {
        seed,
        srv: true,
        ..RouteOptions::default()
    };
    plan_with(destination, zone, &options)
}

/// A zone: (name, kind) → answer; anything not listed is NoData.
fn plan_with(destination: &str, zone: &Zone, options: &RouteOptions) -> (Step, Vec<Question>) {
    let zone: HashMap<(String, RecordKind), Answer> = zone
        .iter()
        .map(|(name, kind, answer)| ((name.to_string(), *kind), answer.clone()))
        .collect();
    let host = Host::Domain(Domain::parse(destination).unwrap());
    let mut planner = RoutePlanner::new(&host, options);
    let mut questions = Vec::new();
    loop {
        match planner.step().cloned().unwrap() {
            Step::Lookup(question) => {
                let answer = zone
                    .get(&(question.name.as_str().to_string(), question.kind))
                    .cloned()
                    .unwrap_or(Answer::NoData);
                questions.push(question);
                planner.answer(answer);
            }
            done => return (done, questions),
        }
    }
}

fn mx(preference: u16, exchange: &str) -> Record {
    Record::Mx {
        preference,
        exchange: exchange.into(),
    }
}

fn address(text: &str) -> Answer {
    Answer::Records(vec![Record::Address(text.parse().unwrap())])
}

fn hosts(step: &Step) -> Vec<String> {
    match step {
        Step::Route(targets) => targets
            .iter()
            .map(|target| format!("{} {}", target.host, target.address))
            .collect(),
        other => panic!("no route: {other:?}"),
    }
}

fn failure(step: &Step) -> String {
    match step {
        Step::Fail(reply) => format!(
            "{} {}",
            reply.code(),
            reply.enhanced().map(|e| e.to_string()).unwrap_or_default()
        ),
        other => panic!("a route: {other:?}"),
    }
}

#[test]
fn mx_hosts_are_tried_in_preference_order() {
    // RFC 5321 §5.1: lower preference first.
    let zone = [
        (
            "example.org",
            RecordKind::Mx,
            Answer::Records(vec![
                mx(20, "backup.example.org."),
                mx(10, "mx1.example.org."),
            ]),
        ),
        ("mx1.example.org", RecordKind::A, address("127.0.0.2")),
        ("backup.example.org", RecordKind::Aaaa, address("::1")),
        ("backup.example.org", RecordKind::A, address("127.0.0.3")),
    ];
    let (step, _) = plan("example.org", &zone, &[], 1);
    assert_eq!(
        hosts(&step),
        [
            "mx1.example.org 127.0.0.2",
            "backup.example.org ::1",
            "backup.example.org 127.0.0.3"
        ]
    );
}

#[test]
fn no_mx_means_the_domain_itself_is_the_implicit_mx() {
    // RFC 5321 §5.1: with no MX, the domain's own address records.
    let zone = [("example.org", RecordKind::A, address("127.0.0.9"))];
    let (step, questions) = plan("example.org", &zone, &[], 1);
    assert_eq!(hosts(&step), ["example.org 127.0.0.9"]);
    assert_eq!(questions[0].kind, RecordKind::Mx);
}

#[test]
fn a_failed_mx_lookup_is_temporary_never_an_implicit_mx() {
    let zone = [
        ("example.org", RecordKind::Mx, Answer::Failure),
        ("example.org", RecordKind::A, address("127.0.0.9")),
    ];
    let (step, questions) = plan("example.org", &zone, &[], 1);
    assert_eq!(failure(&step), "451 4.4.3");
    assert_eq!(
        questions.len(),
        1,
        "no address lookup after a failed MX lookup"
    );
}

#[test]
fn null_mx_fails_permanently_without_any_lookup_of_hosts() {
    // RFC 7505 §3: "MX 0 ." means the domain takes no mail; 556 5.1.10.
    let zone = [(
        "nomail.example",
        RecordKind::Mx,
        Answer::Records(vec![mx(0, ".")]),
    )];
    let (step, questions) = plan("nomail.example", &zone, &[], 1);
    assert_eq!(failure(&step), "556 5.1.10");
    assert_eq!(questions.len(), 1);
}

#[test]
fn nxdomain_is_permanent() {
    let zone = [("gone.example", RecordKind::Mx, Answer::NxDomain)];
    assert_eq!(failure(&plan("gone.example", &zone, &[], 1).0), "550 5.1.2");
}

#[test]
fn cnames_are_followed_to_a_bounded_depth() {
    let zone = [
        (
            "alias.example",
            RecordKind::Mx,
            Answer::Records(vec![Record::Cname(Domain::parse("real.example").unwrap())]),
        ),
        (
            "real.example",
            RecordKind::Mx,
            Answer::Records(vec![mx(5, "mx.real.example")]),
        ),
        ("mx.real.example", RecordKind::A, address("127.0.0.4")),
        (
            "loop.example",
            RecordKind::Mx,
            Answer::Records(vec![Record::Cname(Domain::parse("loop.example").unwrap())]),
        ),
    ];
    assert_eq!(
        hosts(&plan("alias.example", &zone, &[], 1).0),
        ["mx.real.example 127.0.0.4"]
    );
    assert_eq!(failure(&plan("loop.example", &zone, &[], 1).0), "451 4.4.4");
}

#[test]
fn when_this_host_is_an_mx_only_more_preferred_hosts_are_tried() {
    // RFC 5321 §5.1; as the best MX, the mail would loop: 5.4.6.
    let zone = [
        (
            "example.org",
            RecordKind::Mx,
            Answer::Records(vec![
                mx(10, "primary.example.org"),
                mx(20, "me.example.net"),
                mx(30, "last.example.org"),
            ]),
        ),
        ("primary.example.org", RecordKind::A, address("127.0.0.5")),
        ("last.example.org", RecordKind::A, address("127.0.0.6")),
        (
            "best.example",
            RecordKind::Mx,
            Answer::Records(vec![mx(10, "me.example.net"), mx(20, "other.example")]),
        ),
    ];
    assert_eq!(
        hosts(&plan("example.org", &zone, &["me.example.net"], 1).0),
        ["primary.example.org 127.0.0.5"]
    );
    assert_eq!(
        failure(&plan("best.example", &zone, &["ME.example.net"], 1).0),
        "554 5.4.6"
    );
}

#[test]
fn address_literals_need_no_dns() {
    let host = Host::Literal(AddressLiteral::Ipv4("127.0.0.7".parse().unwrap()));
    let planner = RoutePlanner::new(&host, &RouteOptions::default());
    assert!(matches!(planner.step(), Some(Step::Route(targets)) if targets.len() == 1));
}

#[test]
fn hosts_without_addresses_are_skipped_and_the_address_count_is_capped() {
    let records: Vec<Record> = (0..20)
        .map(|n| mx(n, &format!("mx{n}.example.org")))
        .collect();
    let mut zone = vec![("example.org", RecordKind::Mx, Answer::Records(records))];
    let names: Vec<String> = (1..20).map(|n| format!("mx{n}.example.org")).collect();
    for name in &names {
        zone.push((name.as_str(), RecordKind::A, address("127.0.0.8")));
    }
    let (step, _) = plan("example.org", &zone, &[], 1);
    let Step::Route(targets) = step else { panic!() };
    assert_eq!(targets.len(), 10);
    assert_eq!(targets[0].host, "mx1.example.org", "mx0 has no address");
}

#[test]
fn equal_preferences_are_shuffled_uniformly_and_reproducibly() {
    // Three hosts at one preference: each of the 6 orders should come up about 1/6 of
    // the time over many seeds (a chi-square test at a generous threshold).
    let zone_records = Answer::Records(vec![
        mx(10, "a.example"),
        mx(10, "b.example"),
        mx(10, "c.example"),
    ]);
    let zone = [
        ("example.org", RecordKind::Mx, zone_records),
        ("a.example", RecordKind::A, address("127.0.0.1")),
        ("b.example", RecordKind::A, address("127.0.0.2")),
        ("c.example", RecordKind::A, address("127.0.0.3")),
    ];
    let mut counts: HashMap<Vec<String>, u32> = HashMap::new();
    let trials = 6000;
    for seed in 0..trials {
        *counts
            .entry(hosts(&plan("example.org", &zone, &[], seed).0))
            .or_default() += 1;
    }
    assert_eq!(counts.len(), 6);
    let expected = f64::from(trials as u32) / 6.0;
    let chi_square: f64 = counts
        .values()
        .map(|&n| (f64::from(n) - expected).powi(2) / expected)
        .sum();
    // 5 degrees of freedom: p = 0.001 at 20.5.
    assert!(chi_square < 20.5, "orders are not uniform: {counts:?}");
    assert_eq!(
        plan("example.org", &zone, &[], 42).0,
        plan("example.org", &zone, &[], 42).0
    );
}

fn srv(priority: u16, weight: u16, port: u16, target: &str) -> Record {
    Record::Srv {
        priority,
        weight,
        port,
        target: target.into(),
    }
}

/// `host:port` of each target, in order.
fn endpoints(step: &Step) -> Vec<String> {
    match step {
        Step::Route(targets) => targets
            .iter()
            .map(|target| format!("{}:{}", target.host, target.port))
            .collect(),
        other => panic!("no route: {other:?}"),
    }
}

#[test]
fn srv_is_off_by_default() {
    let zone = [
        (
            "example.org",
            RecordKind::SmtpSrv,
            Answer::Records(vec![srv(0, 0, 2525, "srv.example.org")]),
        ),
        ("example.org", RecordKind::A, address("127.0.0.9")),
    ];
    let (step, questions) = plan("example.org", &zone, &[], 1);
    assert_eq!(endpoints(&step), ["example.org:25"]);
    assert!(questions.iter().all(|q| q.kind != RecordKind::SmtpSrv));
}

#[test]
fn srv_targets_go_by_priority_with_their_own_ports() {
    // RFC 2782: lowest priority first; the port comes from the record.
    let zone = [
        (
            "example.org",
            RecordKind::SmtpSrv,
            Answer::Records(vec![
                srv(20, 0, 25, "backup.example.org."),
                srv(10, 0, 2525, "primary.example.org."),
            ]),
        ),
        ("primary.example.org", RecordKind::A, address("127.0.0.2")),
        ("backup.example.org", RecordKind::A, address("127.0.0.3")),
    ];
    let (step, questions) = plan_srv("example.org", &zone, 1);
    assert_eq!(
        endpoints(&step),
        ["primary.example.org:2525", "backup.example.org:25"]
    );
    assert_eq!(questions[0].owner_name(), "_smtp._tcp.example.org");
    assert!(questions.iter().all(|q| q.kind != RecordKind::Mx));
}

#[test]
fn without_srv_records_routing_falls_back_to_mx() {
    let zone = [
        ("example.org", RecordKind::SmtpSrv, Answer::NxDomain),
        (
            "example.org",
            RecordKind::Mx,
            Answer::Records(vec![mx(10, "mx.example.org")]),
        ),
        ("mx.example.org", RecordKind::A, address("127.0.0.2")),
    ];
    let (step, questions) = plan_srv("example.org", &zone, 1);
    assert_eq!(endpoints(&step), ["mx.example.org:25"]);
    let kinds: Vec<RecordKind> = questions.iter().map(|q| q.kind).collect();
    assert_eq!(kinds[..2], [RecordKind::SmtpSrv, RecordKind::Mx]);
}

#[test]
fn srv_dot_target_means_no_service_and_a_failed_srv_lookup_is_temporary() {
    // RFC 2782: a lone "." target: "the service is decidedly not available".
    let zone = [(
        "none.example",
        RecordKind::SmtpSrv,
        Answer::Records(vec![srv(0, 0, 0, ".")]),
    )];
    let (step, questions) = plan_srv("none.example", &zone, 1);
    assert_eq!(failure(&step), "550 5.4.4");
    assert_eq!(questions.len(), 1);
    let zone = [("flaky.example", RecordKind::SmtpSrv, Answer::Failure)];
    assert_eq!(failure(&plan_srv("flaky.example", &zone, 1).0), "451 4.4.3");
}

#[test]
fn equal_srv_priorities_follow_the_weights() {
    // RFC 2782: a record is chosen first with probability weight / sum of weights, and
    // a weight-0 record only rarely (1 in sum + 1 draws) when others weigh more.
    let zone = [
        (
            "example.org",
            RecordKind::SmtpSrv,
            Answer::Records(vec![
                srv(10, 1, 25, "light.example"),
                srv(10, 3, 25, "heavy.example"),
                srv(10, 0, 25, "zero.example"),
            ]),
        ),
        ("light.example", RecordKind::A, address("127.0.0.1")),
        ("heavy.example", RecordKind::A, address("127.0.0.2")),
        ("zero.example", RecordKind::A, address("127.0.0.3")),
    ];
    let trials = 5000;
    let mut first: HashMap<String, u32> = HashMap::new();
    for seed in 0..trials {
        let order = endpoints(&plan_srv("example.org", &zone, seed).0);
        assert_eq!(order.len(), 3, "every target is kept");
        *first.entry(order[0].clone()).or_default() += 1;
    }
    // Draws are 0..=4: zero takes 0, light 1, heavy 2..=4.
    let expected = [
        ("zero.example:25", 1.0 / 5.0),
        ("light.example:25", 1.0 / 5.0),
        ("heavy.example:25", 3.0 / 5.0),
    ];
    let chi_square: f64 = expected
        .iter()
        .map(|(host, share)| {
            let expected = share * f64::from(trials as u32);
            let seen = f64::from(first.get(*host).copied().unwrap_or(0));
            (seen - expected).powi(2) / expected
        })
        .sum();
    // 2 degrees of freedom: p = 0.001 at 13.8.
    assert!(
        chi_square < 13.8,
        "not weighted as RFC 2782 says: {first:?}"
    );
}

/// A question other than example.org's MX, for the DNS decoder's tests.
pub(super) fn other_question() -> Question {
    Question {
        name: Domain::parse("other.example").unwrap(),
        kind: RecordKind::Mx,
    }
}
