use super::*;

/// The zone of these tests: example.com rejects (relaxed), its subdomains are only
/// quarantined; strict.example requires exact domains; sampled.example applies its
/// policy to a quarter of failing mail; broken and double records; a DNS failure.
fn zone(name: &str) -> Answer {
    let txt = |texts: &[&str]| {
        Answer::Records(
            texts
                .iter()
                .map(|text| DnsRecord::Txt(text.as_bytes().to_vec()))
                .collect(),
        )
    };
    match name {
        "_dmarc.example.com" => txt(&["v=spf1 -all", "v=DMARC1; p=reject; sp=quarantine"]),
        "_dmarc.strict.example" => txt(&["v=DMARC1; p=reject; adkim=s; aspf=s"]),
        "_dmarc.sampled.example" => txt(&["v=DMARC1; p=reject; pct=25"]),
        "_dmarc.broken.example" => txt(&["v=DMARC1; p=block"]),
        "_dmarc.double.example" => txt(&["v=DMARC1; p=reject", "v=DMARC1; p=none"]),
        "_dmarc.failing.example" => Answer::Failure,
        _ => Answer::NxDomain,
    }
}

fn evidence(spf: Option<&str>, dkim: &[&str]) -> Evidence {
    Evidence {
        spf: spf.map(str::to_owned),
        dkim: dkim.iter().map(|domain| (*domain).to_owned()).collect(),
    }
}

fn run(from: &str, evidence: &Evidence, sample: u8) -> (DmarcVerdict, Vec<String>) {
    let mut asked = Vec::new();
    let verdict = check(Ok(from.to_owned()), evidence, sample).run(|query| {
        asked.push(query.to_string());
        zone(&query.name)
    });
    (verdict, asked)
}

#[test]
fn an_aligned_pass_of_either_passes_relaxed_by_default() {
    for evidence in [
        evidence(None, &["example.com"]),
        evidence(None, &["mail.example.com"]),
        evidence(Some("bounces.example.com"), &[]),
        evidence(Some("elsewhere.example"), &["example.com"]),
    ] {
        let (verdict, asked) = run("example.com", &evidence, 0);
        assert_eq!(verdict.result, DmarcResult::Pass, "{evidence:?}");
        assert_eq!(verdict.disposition, Policy::None);
        assert_eq!(asked, ["_dmarc.example.com TXT?"]);
    }
    let (verdict, _) = run("example.com", &evidence(None, &["mail.example.com"]), 0);
    assert_eq!(
        verdict.resinfo(),
        "dmarc=pass (p=reject dis=none; aligned: dkim mail.example.com) header.from=example.com"
    );
}

#[test]
fn a_spoofer_fails_with_the_policy_of_the_domain_or_its_parent() {
    // Passing SPF and DKIM for the spoofer's own domain proves nothing for the author's.
    let spoofer = evidence(Some("spoofer.example"), &["spoofer.example"]);
    let (verdict, asked) = run("example.com", &spoofer, 0);
    assert_eq!(
        (verdict.result, verdict.policy, verdict.disposition),
        (DmarcResult::Fail, Some(Policy::Reject), Policy::Reject)
    );
    assert_eq!(
        verdict.resinfo(),
        "dmarc=fail (p=reject dis=reject; dkim spoofer.example, spf spoofer.example passed, \
         not aligned with example.com) header.from=example.com"
    );
    assert_eq!(asked, ["_dmarc.example.com TXT?"]);
    // A subdomain without a record of its own: the organisation's, with sp=.
    let (verdict, asked) = run("news.example.com", &evidence(None, &[]), 0);
    assert_eq!(
        (verdict.result, verdict.disposition),
        (DmarcResult::Fail, Policy::Quarantine)
    );
    assert_eq!(
        asked,
        ["_dmarc.news.example.com TXT?", "_dmarc.example.com TXT?"]
    );
}

#[test]
fn strict_alignment_wants_the_very_domain() {
    let (verdict, _) = run(
        "strict.example",
        &evidence(Some("mail.strict.example"), &["mail.strict.example"]),
        0,
    );
    assert_eq!(verdict.result, DmarcResult::Fail);
    let (verdict, _) = run("strict.example", &evidence(None, &["strict.example"]), 0);
    assert_eq!(verdict.result, DmarcResult::Pass);
}

#[test]
fn pct_applies_the_policy_to_a_sample_and_the_milder_one_to_the_rest() {
    let none = evidence(None, &[]);
    assert_eq!(
        run("sampled.example", &none, 24).0.disposition,
        Policy::Reject
    );
    assert_eq!(
        run("sampled.example", &none, 25).0.disposition,
        Policy::Quarantine
    );
}

#[test]
fn no_record_two_records_a_broken_one_and_dns_failures_are_told_apart() {
    let none = evidence(None, &[]);
    for (from, result) in [
        ("unpublished.example", DmarcResult::None),
        ("double.example", DmarcResult::None),
        ("broken.example", DmarcResult::PermError),
        ("failing.example", DmarcResult::TempError),
    ] {
        let (verdict, _) = run(from, &none, 0);
        assert_eq!(verdict.result, result, "{from}: {verdict:?}");
        assert_eq!(verdict.disposition, Policy::None, "{from}");
    }
    let verdict = check(Err("two From: fields".into()), &none, 0).run(|_| unreachable!());
    assert_eq!(verdict.result, DmarcResult::PermError);
    assert_eq!(verdict.resinfo(), "dmarc=permerror (two From: fields)");
}

#[test]
fn the_operator_decides_what_a_failing_policy_does() {
    let spoofed = run("example.com", &evidence(None, &[]), 0).0;
    let quarantined = run("news.example.com", &evidence(None, &[]), 0).0;
    let passed = run("example.com", &evidence(None, &["example.com"]), 0).0;
    let refusal = spoofed.refusal(DmarcPolicy::Enforce).unwrap();
    assert_eq!(refusal.code().to_string(), "550");
    assert!(refusal.to_string().contains("5.7.1"), "{refusal}");
    for policy in [
        DmarcPolicy::Off,
        DmarcPolicy::Record,
        DmarcPolicy::Quarantine,
    ] {
        assert_eq!(spoofed.refusal(policy), None, "{policy:?}");
    }
    assert_eq!(quarantined.refusal(DmarcPolicy::Enforce), None);
    let junk = |verdict: &DmarcVerdict| {
        [
            DmarcPolicy::Off,
            DmarcPolicy::Record,
            DmarcPolicy::Quarantine,
            DmarcPolicy::Enforce,
        ]
        .map(|policy| verdict.quarantines(policy))
    };
    assert_eq!(junk(&spoofed), [false, false, true, false]);
    assert_eq!(junk(&quarantined), [false, false, true, true]);
    assert_eq!(junk(&passed), [false; 4]);
}
