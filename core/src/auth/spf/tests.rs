use std::net::IpAddr;

use super::*;
use crate::route::{Answer, Record, RecordKind};

/// The RFC 7208 §7.4 examples' mail: strong-bad@email.example.com from 192.0.2.3.
fn client(ip: &str) -> Client {
    Client {
        ip: ip.parse().unwrap(),
        helo: "mx.example.org".to_owned(),
        mail_from: "strong-bad@email.example.com".to_owned(),
        receiver: "mx.example.net".to_owned(),
        now: 1_700_000_000,
    }
}

fn txt(text: &str) -> Answer {
    Answer::Records(vec![Record::Txt(text.as_bytes().to_vec())])
}

/// The name the `exists:` term of `email.example.com`'s record asks for.
fn expanded(macro_string: &str, ip: &str) -> String {
    let record = format!("v=spf1 exists:{macro_string} -all");
    let mut check = check_mail_from(&client(ip));
    assert_eq!(
        check.question().map(|query| query.to_string()),
        Some("email.example.com TXT?".to_owned())
    );
    check.answer(txt(&record));
    let query = check.question().expect("the exists lookup");
    assert_eq!(query.kind, RecordKind::A);
    query.name
}

#[test]
fn macros_expand_as_the_rfc_examples_show() {
    // RFC 7208 §7.4, each example with its expansion.
    for (macro_string, expansion) in [
        ("%{s}.x.example", "strong-bad@email.example.com.x.example"),
        ("%{o}", "email.example.com"),
        ("%{d}", "email.example.com"),
        ("%{d4}", "email.example.com"),
        ("%{d3}", "email.example.com"),
        ("%{d2}", "example.com"),
        ("%{d1}", "com"),
        ("%{dr}", "com.example.email"),
        ("%{d2r}", "example.email"),
        ("%{l}.x.example", "strong-bad.x.example"),
        ("%{l-}.x.example", "strong.bad.x.example"),
        ("%{lr}.x.example", "strong-bad.x.example"),
        ("%{lr-}.x.example", "bad.strong.x.example"),
        ("%{l1r-}.x.example", "strong.x.example"),
        (
            "%{ir}.%{v}._spf.%{d2}",
            "3.2.0.192.in-addr._spf.example.com",
        ),
        ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
        (
            "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
            "bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
        ),
        (
            "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
            "3.2.0.192.in-addr.strong.lp._spf.example.com",
        ),
        (
            "%{d2}.trusted-domains.example.net",
            "example.com.trusted-domains.example.net",
        ),
        // Upper case asks for URL escaping (§7.3): `@` is not unreserved.
        ("%{S}.x.example", "strong-bad%40email.example.com.x.example"),
    ] {
        assert_eq!(
            expanded(macro_string, "192.0.2.3"),
            expansion,
            "{macro_string}"
        );
    }
    assert_eq!(
        expanded("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01"),
        "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
    );
}

/// Runs a check of the §7.4 mail against `zone`: `(name, kind, answer)` triples,
/// anything else not existing. Returns the verdict and the questions asked.
fn run(ip: &str, zone: &[(&str, RecordKind, Answer)]) -> (Verdict, Vec<String>) {
    let mut asked = Vec::new();
    let verdict = check_mail_from(&client(ip)).run(|query| {
        asked.push(query.to_string());
        zone.iter()
            .find(|(name, kind, _)| *name == query.name && *kind == query.kind)
            .map_or(Answer::NxDomain, |(_, _, answer)| answer.clone())
    });
    (verdict, asked)
}

fn address(ip: &str) -> Answer {
    Answer::Records(vec![Record::Address(ip.parse::<IpAddr>().unwrap())])
}

#[test]
fn an_include_asks_its_own_record_and_its_pass_is_the_match() {
    let zone = [
        (
            "email.example.com",
            RecordKind::Txt,
            txt("v=spf1 include:_spf.example.net -all"),
        ),
        (
            "_spf.example.net",
            RecordKind::Txt,
            txt("v=spf1 ip4:192.0.2.0/24 -all"),
        ),
    ];
    let (verdict, asked) = run("192.0.2.3", &zone);
    assert_eq!(verdict.result, SpfResult::Pass);
    assert_eq!(verdict.matched.as_deref(), Some("include:_spf.example.net"));
    assert_eq!(asked, ["email.example.com TXT?", "_spf.example.net TXT?"]);
    // Another client: the include does not match, the record's -all fails it.
    let (verdict, _) = run("198.51.100.7", &zone);
    assert_eq!(verdict.result, SpfResult::Fail);
    assert_eq!(verdict.matched.as_deref(), Some("-all"));
}

#[test]
fn a_and_mx_compare_the_client_with_their_networks() {
    let zone = [
        (
            "email.example.com",
            RecordKind::Txt,
            txt("v=spf1 a/24 mx:example.com -all"),
        ),
        ("email.example.com", RecordKind::A, address("192.0.2.200")),
        (
            "example.com",
            RecordKind::Mx,
            Answer::Records(vec![Record::Mx {
                preference: 10,
                exchange: "mx.example.com.".to_owned(),
            }]),
        ),
        ("mx.example.com", RecordKind::A, address("198.51.100.7")),
    ];
    assert_eq!(run("192.0.2.3", &zone).0.matched.as_deref(), Some("a/24"));
    assert_eq!(
        run("198.51.100.7", &zone).0.matched.as_deref(),
        Some("mx:example.com")
    );
    assert_eq!(run("203.0.113.1", &zone).0.result, SpfResult::Fail);
}

#[test]
fn a_dns_failure_is_a_temperror_never_a_guess() {
    let zone = [
        (
            "email.example.com",
            RecordKind::Txt,
            txt("v=spf1 a:down.example.net -all"),
        ),
        ("down.example.net", RecordKind::A, Answer::Failure),
    ];
    let (verdict, _) = run("192.0.2.3", &zone);
    assert_eq!(verdict.result, SpfResult::TempError);
    assert!(verdict.problem.unwrap().contains("down.example.net"));
    let (verdict, _) = run(
        "192.0.2.3",
        &[("email.example.com", RecordKind::Txt, Answer::Failure)],
    );
    assert_eq!(verdict.result, SpfResult::TempError);
}

#[test]
fn more_than_ten_dns_terms_is_a_permerror() {
    // Each domain includes the next: the eleventh include is one too many (§4.6.4).
    let names: Vec<String> = (0..12).map(|n| format!("i{n}.example.net")).collect();
    let mut zone = vec![(
        "email.example.com",
        RecordKind::Txt,
        txt("v=spf1 include:i0.example.net -all"),
    )];
    let records: Vec<String> = (0..12)
        .map(|n| format!("v=spf1 include:i{}.example.net -all", n + 1))
        .collect();
    for (name, record) in names.iter().zip(&records) {
        zone.push((name.as_str(), RecordKind::Txt, txt(record)));
    }
    let (verdict, asked) = run("192.0.2.3", &zone);
    assert_eq!(verdict.result, SpfResult::PermError);
    assert!(verdict.problem.unwrap().contains("more than 10"));
    // The record and the ten includes allowed: no question after the limit.
    assert_eq!(asked.len(), 11);
}

#[test]
fn a_third_lookup_that_finds_nothing_is_a_permerror() {
    let zone = [(
        "email.example.com",
        RecordKind::Txt,
        txt("v=spf1 a:n1.example.net a:n2.example.net a:n3.example.net +all"),
    )];
    let (verdict, _) = run("192.0.2.3", &zone);
    assert_eq!(verdict.result, SpfResult::PermError);
    let zone = [(
        "email.example.com",
        RecordKind::Txt,
        txt("v=spf1 a:n1.example.net a:n2.example.net +all"),
    )];
    assert_eq!(run("192.0.2.3", &zone).0.result, SpfResult::Pass);
}

#[test]
fn a_syntax_error_anywhere_stops_before_any_lookup() {
    // §4.6: the whole record is parsed first; the `a` before the error is never asked.
    for record in [
        "v=spf1 a:example.net -all foo:bar",
        "v=spf1 ip4:192.0.2.300",
        "v=spf1 ip4:192.0.2.0/33",
        "v=spf1 a//129",
        "v=spf1 exists:%{x}.example.net",
        "v=spf1 redirect=a.example.net redirect=b.example.net",
        "v=spf1 a:museum",
    ] {
        let (verdict, asked) = run(
            "192.0.2.3",
            &[("email.example.com", RecordKind::Txt, txt(record))],
        );
        assert_eq!(verdict.result, SpfResult::PermError, "{record}");
        assert_eq!(asked.len(), 1, "{record}");
    }
}

#[test]
fn a_fail_carries_the_domains_explanation_with_its_macros() {
    let zone = [
        (
            "email.example.com",
            RecordKind::Txt,
            txt("v=spf1 -all exp=why.%{d}"),
        ),
        (
            "why.email.example.com",
            RecordKind::Txt,
            txt("%{c} may not send for %{o}; see %{r} at %{t}"),
        ),
    ];
    let (verdict, _) = run("192.0.2.3", &zone);
    assert_eq!(verdict.result, SpfResult::Fail);
    assert_eq!(
        verdict.explanation.as_deref(),
        Some("192.0.2.3 may not send for email.example.com; see mx.example.net at 1700000000")
    );
}

#[test]
fn a_null_sender_is_checked_as_postmaster_at_the_helo_name() {
    let mut bounce = client("192.0.2.3");
    bounce.mail_from = String::new();
    let mut check = check_mail_from(&bounce);
    assert_eq!(check.question().unwrap().name, "mx.example.org");
    check.answer(txt("v=spf1 exists:%{l}.%{d} -all"));
    assert_eq!(check.question().unwrap().name, "postmaster.mx.example.org");
    check.answer(Answer::NxDomain);
    assert_eq!(
        check.outcome().map(|verdict| verdict.result),
        Some(SpfResult::Fail)
    );
    assert_eq!(check.question(), None);
}

#[test]
fn a_fail_is_refused_only_when_asked_and_recorded_always() {
    let zone = [
        (
            "email.example.com",
            RecordKind::Txt,
            txt("v=spf1 -all exp=why.example.com"),
        ),
        ("why.example.com", RecordKind::Txt, txt("Not from %{i}")),
    ];
    let (verdict, _) = run("192.0.2.3", &zone);
    assert_eq!(verdict.refusal(SpfPolicy::Record), None);
    assert_eq!(
        verdict
            .refusal(SpfPolicy::RefuseFail)
            .map(|reply| reply.to_string()),
        Some(
            "550 5.7.23 SPF: strong-bad@email.example.com may not send for email.example.com: \
             Not from 192.0.2.3\r\n"
                .to_owned()
        )
    );
    assert_eq!(
        verdict.resinfo(),
        "spf=fail (email.example.com: matched -all) smtp.mailfrom=strong-bad@email.example.com"
    );
    // A temperror is accepted whatever the policy, and says why.
    let (verdict, _) = run(
        "192.0.2.3",
        &[("email.example.com", RecordKind::Txt, Answer::Failure)],
    );
    assert_eq!(verdict.refusal(SpfPolicy::RefuseFail), None);
    assert_eq!(
        verdict.resinfo(),
        "spf=temperror (email.example.com: DNS lookup of email.example.com TXT failed) \
         smtp.mailfrom=strong-bad@email.example.com"
    );
}

#[test]
fn helo_is_checked_apart_only_when_mail_from_does_not_check_it_already() {
    let with = |helo: &str, mail_from: &str| Client {
        helo: helo.to_owned(),
        mail_from: mail_from.to_owned(),
        ..client("192.0.2.3")
    };
    assert!(helo_checked_apart(&with(
        "mx.example.org",
        "strong-bad@email.example.com"
    )));
    // The null reverse-path's check is of postmaster@<helo> already (§2.4).
    assert!(!helo_checked_apart(&with("mx.example.org", "")));
    // The same domain: the same record.
    assert!(!helo_checked_apart(&with(
        "EMAIL.example.com.",
        "strong-bad@email.example.com"
    )));
    // Not a domain SPF can check (§4.3): an address literal, a single label.
    assert!(!helo_checked_apart(&with(
        "[192.0.2.3]",
        "strong-bad@email.example.com"
    )));
    assert!(!helo_checked_apart(&with(
        "localhost",
        "strong-bad@email.example.com"
    )));
    let helo = check_helo(&with("mx.example.org", "strong-bad@email.example.com"))
        .run(|_| txt("v=spf1 -all"));
    assert_eq!(
        helo.resinfo(),
        "spf=fail (mx.example.org: matched -all) smtp.helo=mx.example.org"
    );
    let late = timed_out(
        &client("192.0.2.3"),
        Identity::Helo,
        std::time::Duration::from_secs(20),
    );
    assert_eq!(
        (late.result, late.sender.as_str()),
        (SpfResult::TempError, "postmaster@mx.example.org")
    );
}
