//! Every built-in scenario runs, ends as its intro says, matches its reviewed transcript
//! (`snapshots/<id>.txt`; `WASMTP_UPDATE_SNAPSHOTS=1` rewrites them), and replays byte
//! for byte; every explanation key resolves; bad scenarios get clear errors.

use super::*;

fn trace_of(id: &str) -> Trace {
    let scenario = built_in(id).unwrap_or_else(|| panic!("{id} is not a valid built-in scenario"));
    run(&scenario).unwrap()
}

fn summary(id: &str) -> Summary {
    trace_of(id).summary
}

#[test]
fn every_built_in_scenario_matches_its_reviewed_transcript() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim/snapshots");
    let update = std::env::var_os("WASMTP_UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for (id, _) in BUILT_IN {
        let transcript = trace_of(id).transcript();
        let path = dir.join(format!("{id}.txt"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &transcript).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(transcript.as_str()) {
            stale.push(*id);
        }
    }
    assert!(
        stale.is_empty(),
        "transcripts differ from src/sim/snapshots for {stale:?}; review and rerun with WASMTP_UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn every_scenario_replays_byte_for_byte() {
    for (id, _) in BUILT_IN {
        let first = serde_json::to_string(&trace_of(id)).unwrap();
        let second = serde_json::to_string(&trace_of(id)).unwrap();
        assert_eq!(first, second, "{id}");
    }
}

#[test]
fn every_step_is_explained_with_an_rfc_reference() {
    for (id, _) in BUILT_IN {
        for step in trace_of(id).steps {
            let key = step
                .explain
                .as_deref()
                .unwrap_or_else(|| panic!("{id}: unexplained {step:?}"));
            let explanation =
                crate::explain::lookup(key).unwrap_or_else(|| panic!("{id}: unknown key {key}"));
            assert_eq!(
                step.reference.as_deref(),
                Some(explanation.reference),
                "{id}: {key}"
            );
        }
    }
}

/// Every reply is explained for its moment, not by its code alone: its enhanced code,
/// what a 2yz/3yz means as the answer to its command, each EHLO keyword, the topic
/// behind a refusal the host decided; and every key in the list resolves.
#[test]
fn every_step_told_in_words_reads_in_each_language_and_its_english_is_the_transcripts() {
    use crate::i18n::Language;
    let mut told = 0;
    for (id, _) in BUILT_IN {
        for step in trace_of(id).steps {
            let Some(phrase) = &step.phrase else {
                continue;
            };
            told += 1;
            assert_eq!(step.text_in(Language::En), step.text, "{id}: {}", phrase.id);
            let azerbaijani = step.text_in(Language::Az);
            assert_ne!(azerbaijani, phrase.id, "{id}: {} missing in az", phrase.id);
            assert!(!azerbaijani.contains("{"), "{id}: {azerbaijani}");
        }
        for step in trace_of(id).steps {
            if let Some(Snapshot::Queue {
                recipients, states, ..
            }) = &step.snapshot
            {
                let english: Vec<String> = states
                    .iter()
                    .map(|state| state.text_in(Language::En))
                    .collect();
                assert_eq!(&english, recipients, "{id}");
                for state in states {
                    assert!(!state.text_in(Language::Az).contains("{"), "{id}");
                }
            }
        }
    }
    assert!(told > 100, "{told} steps told in words");
}

#[test]
fn every_reply_is_explained_for_its_moment() {
    let mut answers = std::collections::BTreeSet::new();
    for (id, _) in BUILT_IN {
        for step in trace_of(id).steps {
            assert_eq!(
                step.explain.as_ref(),
                step.explains.first(),
                "{id}: {step:?}"
            );
            for key in &step.explains {
                assert!(
                    crate::explain::lookup(key).is_some(),
                    "{id}: unknown key {key}"
                );
            }
            if step.kind != StepKind::Reply {
                continue;
            }
            let Ok(Some((reply, _))) = crate::syntax::reply::parse_reply(step.text.as_bytes())
            else {
                continue;
            };
            let has = |key: &str| step.explains.iter().any(|known| known == key);
            if let Some(enhanced) = reply.enhanced() {
                assert!(has(&format!("enhanced:{enhanced}")), "{id}: {step:?}");
            }
            if step.explains.len() == 1 {
                assert!(
                    reply.enhanced().is_none(),
                    "{id}: only the code for {step:?}"
                );
            }
            for answer in step
                .explains
                .iter()
                .filter(|key| key.starts_with("answer:"))
            {
                answers.insert(answer.clone());
            }
            if step.explains.iter().any(|key| key == "answer:EHLO:250") {
                let keywords = step
                    .explains
                    .iter()
                    .filter(|key| key.starts_with("keyword:"));
                assert_eq!(keywords.count(), reply.lines().len() - 1, "{id}: {step:?}");
            }
            if step.text.starts_with("451 4.7.1 greylisted") {
                assert_eq!(
                    step.explains.first().map(String::as_str),
                    Some("topic:greylisting")
                );
            }
        }
    }
    // The 250s of a transaction each have their own sentence.
    for answer in [
        "answer:MAIL:250",
        "answer:RCPT:250",
        "answer:end-of-data:250",
    ] {
        assert!(answers.contains(answer), "{answer} in {answers:?}");
    }
}

#[test]
fn the_scenarios_end_as_their_intros_say() {
    let delivered = |id| summary(id).delivered;
    for id in [
        "first-email",
        "mx-preference",
        "equal-preferences",
        "no-mx",
        "srv-routing",
    ] {
        assert_eq!(delivered(id), ["bob@example.org"], "{id}");
    }
    // Backup MX: delivered once the primary is back after 30 minutes, by the backup.
    let backup = trace_of("backup-mx");
    assert_eq!(backup.summary.delivered, ["bob@example.org"]);
    assert!(backup.summary.duration_ms > 30 * 60_000);
    assert!(
        backup
            .steps
            .iter()
            .any(|s| s.kind == StepKind::Queue && s.from == "backup.example.org")
    );
    // Null MX: nothing connects to example.org; Alice gets the bounce.
    let null_mx = trace_of("null-mx");
    assert_eq!(null_mx.summary.delivered, ["alice@example.net"]);
    assert!(null_mx.summary.failed[0].contains("556 5.1.10"));
    assert!(
        !null_mx
            .steps
            .iter()
            .any(|s| s.kind == StepKind::Connect && s.to.contains("example.org"))
    );
    // Greylisting: one retry, then delivered.
    let greylisting = trace_of("greylisting");
    assert_eq!(greylisting.summary.delivered, ["bob@example.org"]);
    assert!(
        greylisting
            .steps
            .iter()
            .any(|s| s.text.starts_with("451 4.7.1"))
    );
    assert_eq!(
        greylisting
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::RetryScheduled)
            .count(),
        1
    );
    // Unknown user: Bob gets it, nobody bounces back to Alice.
    let unknown = summary("unknown-user");
    assert_eq!(unknown.delivered, ["bob@example.org", "alice@example.net"]);
    assert!(unknown.failed[0].starts_with("<nobody@example.org>: 550 5.1.1"));
    // Too large: refused before DATA, no data step to the mail host.
    let large = trace_of("too-large");
    assert!(large.summary.failed[0].contains("552 5.3.4"));
    assert!(
        !large
            .steps
            .iter()
            .any(|s| s.kind == StepKind::Data && s.to == "mx.example.org")
    );
    // Old server: EHLO refused, HELO used.
    let old = trace_of("old-server");
    assert!(old.steps.iter().any(|s| s.text.starts_with("502")));
    assert!(
        old.steps
            .iter()
            .any(|s| s.text.starts_with("HELO smtp.example.net"))
    );
    assert_eq!(old.summary.delivered, ["bob@example.org"]);
    // Pipelining: the pipelined connection needs fewer round trips.
    let pipelining = trace_of("pipelining");
    let trips: Vec<&str> = pipelining
        .steps
        .iter()
        .filter(|s| s.text.starts_with("connection closed after"))
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(
        trips,
        [
            "connection closed after 7 round trips",
            "connection closed after 6 round trips",
            "connection closed after 4 round trips"
        ]
    );
    // SMTPUTF8: refused for lack of the extension, bounced.
    assert!(summary("smtputf8").failed[0].contains("SMTPUTF8"));
    // Smuggling: two messages at the lax server, none at the strict one.
    // The bot talks before mx.example.org's held-back greeting and is refused there;
    // mail.example.com greets at once and takes the spam.
    let early = trace_of("early-talker");
    assert_eq!(early.summary.delivered, ["carol@example.com"]);
    assert!(
        early
            .steps
            .iter()
            .any(|step| step.from == "mx.example.org" && step.text.starts_with("554 "))
    );
    let smuggling = trace_of("smtp-smuggling");
    assert_eq!(
        smuggling.summary.delivered,
        ["bob@lax.example.org", "bob@lax.example.org"]
    );
    assert!(
        smuggling
            .steps
            .iter()
            .any(|s| s.from == "mx.example.org" && s.text.starts_with("554 5.6.0"))
    );
    // SRV: the first question is for the SRV records, the targets use port 2525.
    let srv = trace_of("srv-routing");
    assert_eq!(
        srv.steps
            .iter()
            .find(|s| s.kind == StepKind::DnsQuery)
            .unwrap()
            .text,
        "_smtp._tcp.example.org SRV?"
    );
    assert!(srv.steps.iter().any(|s| s.text.contains("port 2525")));
    // Multi-hop: three Received fields in Bob's copy.
    let hops = trace_of("multi-hop");
    let delivered = hops
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Deliver)
        .unwrap();
    assert_eq!(delivered.text.matches("Received: from").count(), 3);
    // Before SMTP: UUCP takes hours and three calls; SMTP delivers too.
    let uucp = trace_of("before-smtp");
    assert_eq!(
        uucp.steps
            .iter()
            .filter(|s| s.kind == StepKind::Uucp)
            .count(),
        3
    );
    assert_eq!(
        uucp.summary.delivered,
        ["bob on bobhost (UUCP)", "bob@example.org"]
    );
}

#[test]
fn changing_the_world_changes_the_outcome() {
    // The learner's experiment: take the primary of backup-mx down for good.
    let mut scenario = built_in("backup-mx").unwrap();
    scenario.hosts[1].behaviours.push("down".into());
    scenario.horizon_hours = 2;
    let trace = run(&scenario).unwrap();
    assert_eq!(trace.summary.delivered, Vec::<String>::new());
    assert_eq!(trace.summary.pending, ["<bob@example.org>"]);
    // Another seed, another order among equal preferences.
    let orders: std::collections::BTreeSet<String> = (0..12)
        .map(|seed| {
            let mut scenario = built_in("equal-preferences").unwrap();
            scenario.seed = seed;
            let trace = run(&scenario).unwrap();
            let route = trace.steps.iter().find_map(|s| match &s.snapshot {
                Some(Snapshot::Route { targets, .. }) if s.from == "smtp.example.net" => {
                    Some(targets.join(","))
                }
                _ => None,
            });
            route.unwrap()
        })
        .collect();
    assert!(orders.len() > 1, "{orders:?}");
}

#[test]
fn malformed_scenarios_get_every_problem_with_its_path() {
    let mut json: serde_json::Value = serde_json::from_str(BUILT_IN[0].1).unwrap();
    json["version"] = 2.into();
    json["hosts"][0]["behaviours"] = serde_json::json!(["sleepy"]);
    json["hosts"][1]["address"] = "not-an-ip".into();
    json["dns"][0]["type"] = "TXT".into();
    json["dns"][1]["value"] = "300.1.1.1".into();
    json["message"]["to"] = serde_json::json!(["bob@", "carol@example.org"]);
    json["sender"]["submission"] = "nowhere.example".into();
    let problems = Scenario::from_json(&json.to_string()).unwrap_err();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "version: unsupported version 2; this is version 1",
            "hosts[0].behaviours[0]: unknown value \"sleepy\"; known: down, unreachable, greylisting, helo-only, no-pipelining, no-8bitmime, no-smtputf8, fail-at-end-of-data, slow, smuggling-vulnerable, starttls, greeting-delay, imap",
            "hosts[1].address: \"not-an-ip\" is not an IP address",
            "sender.submission: no host \"nowhere.example\" with role \"submission\"",
            "message.to[0]: \"bob@\" is not a mailbox",
            "dns[0].type: unknown value \"TXT\"; use MX, A, AAAA, CNAME, SRV, NXDOMAIN or SERVFAIL",
            "dns[1].value: \"300.1.1.1\" is not an IPv4 address",
        ]
    );
}

#[test]
fn problems_are_told_in_the_readers_language() {
    let mut json: serde_json::Value = serde_json::from_str(BUILT_IN[0].1).unwrap();
    json["hosts"][1]["address"] = "not-an-ip".into();
    let problems = Scenario::from_json(&json.to_string()).unwrap_err();
    assert_eq!(problems[0].message, "\"not-an-ip\" is not an IP address");
    assert_eq!(
        problems[0].message_in(crate::i18n::Language::Az),
        "«not-an-ip» IP ünvanı deyil"
    );
}

#[test]
fn a_json_error_gives_its_position_once() {
    let problems = Scenario::from_json("{\"version\": 1,\n  \"id\": }").unwrap_err();
    assert_eq!(
        problems[0].message,
        "not a scenario: expected value (line 2, column 9)"
    );
    assert_eq!(
        problems[0].message_in(crate::i18n::Language::Az),
        "bu, ssenari deyil: expected value (sətir 2, sütun 9)"
    );
}

#[test]
fn documents_that_are_not_scenarios_are_refused_without_panicking() {
    for text in [
        "",
        "[]",
        "{\"version\": 1}",
        "{\"version\": \"one\"}",
        "{\"id\": 5, \"unknown\": true}",
    ] {
        let problems = Scenario::from_json(text).unwrap_err();
        assert_eq!(problems.len(), 1, "{text}");
        assert!(
            problems[0].message.starts_with("not a scenario: "),
            "{}",
            problems[0]
        );
    }
    let mut json: serde_json::Value = serde_json::from_str(BUILT_IN[0].1).unwrap();
    json["sender"]["raw_client"] = serde_json::json!({"name": "x.example", "address": "192.0.2.1"});
    let problems = Scenario::from_json(&json.to_string()).unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "sender: name either \"submission\" or \"raw_client\""
    );
}

#[test]
fn a_client_that_waits_for_a_held_back_greeting_is_served() {
    // RFC 5321 §3.1: the relay's ClientSession waits; the greeting comes 6 s later.
    let mut scenario = built_in("first-email").unwrap();
    let mailbox = scenario
        .hosts
        .iter_mut()
        .find(|host| host.name == "mx.example.org")
        .unwrap();
    mailbox.behaviours.push("greeting-delay".into());
    let trace = run(&scenario).unwrap();
    assert_eq!(trace.summary.delivered, ["bob@example.org"]);
    let waited = trace
        .steps
        .iter()
        .position(|step| step.explain.as_deref() == Some("topic:pregreet"))
        .expect("the wait is explained");
    let greeting = trace.steps[waited..]
        .iter()
        .find(|step| step.from == "mx.example.org" && step.text.starts_with("220 "))
        .expect("the greeting after the wait");
    assert!(greeting.at_ms >= trace.steps[waited].at_ms + 6_000);
}

#[test]
fn a_change_is_described_by_where_the_runs_part_and_how_they_end() {
    let before = trace_of("first-email");
    assert_eq!(before.compare(&before).first_difference, None);
    let mut scenario = built_in("first-email").unwrap();
    scenario.message.to = vec!["nobody@example.org".into()];
    let after = run(&scenario).unwrap();
    let change = before.compare(&after);
    let index = change.first_difference.expect("the runs part");
    assert_eq!(before.steps[..index], after.steps[..index]);
    // The message names its recipient, so its declared SIZE is the first to differ.
    let before_line = change.before.clone().unwrap_or_default();
    assert!(before_line.contains("SIZE="), "{change:?}");
    assert_ne!(change.before, change.after);
    assert_eq!(change.outcome_before.delivered, ["bob@example.org"]);
    assert!(
        change
            .outcome_after
            .delivered
            .iter()
            .all(|to| to != "bob@example.org")
    );
}

#[test]
fn a_long_trace_has_a_chapter_per_connection() {
    let trace = trace_of("backup-mx");
    let chapters = trace.chapters();
    assert_eq!(chapters[0].step, 0);
    let connections = trace
        .steps
        .iter()
        .filter(|step| step.kind == StepKind::Connect)
        .count();
    assert!(
        chapters.len() >= connections && connections >= 3,
        "{chapters:?}"
    );
    for chapter in &chapters[1..] {
        assert_eq!(trace.steps[chapter.step].kind, StepKind::Connect);
    }
    assert!(
        chapters
            .iter()
            .any(|chapter| chapter.title == "smtp.example.net → backup.example.org"),
        "{chapters:?}"
    );
}

#[test]
fn rarer_behaviours_play_out_as_named() {
    // Unreachable first MX: a connect timeout, then the second MX; a failure after data
    // is retried; a SERVFAIL is temporary; a CNAME'd mail host is followed.
    let mut scenario = built_in("mx-preference").unwrap();
    scenario.hosts[1].behaviours.push("unreachable".into());
    scenario.hosts[2] = scenario.hosts[1].clone();
    scenario.hosts[2].name = "mx2.example.org".into();
    scenario.hosts[2].address = "192.0.2.12".into();
    scenario.hosts[2].behaviours = vec!["fail-at-end-of-data".into()];
    let trace = run(&scenario).unwrap();
    assert!(
        trace
            .steps
            .iter()
            .any(|s| s.kind == StepKind::ConnectFailed
                && s.text.starts_with("no answer within 30 s"))
    );
    assert!(trace.steps.iter().any(|s| s.text.starts_with("451 4.3.0")));
    assert_eq!(trace.summary.delivered, ["bob@example.org"]);
    let mut scenario = built_in("first-email").unwrap();
    scenario.dns[0].kind = "SERVFAIL".into();
    scenario.horizon_hours = 1;
    let trace = run(&scenario).unwrap();
    assert_eq!(trace.summary.pending, ["<bob@example.org>"]);
    let mut scenario = built_in("first-email").unwrap();
    scenario.dns[0] = DnsRecordSpec {
        name: "example.org".into(),
        kind: "CNAME".into(),
        value: "mail.example.com".into(),
    };
    scenario.dns.push(DnsRecordSpec {
        name: "mail.example.com".into(),
        kind: "MX".into(),
        value: "10 mx.example.org".into(),
    });
    scenario.hosts[1].domains.push("mail.example.com".into());
    let trace = run(&scenario).unwrap();
    assert!(
        trace
            .steps
            .iter()
            .any(|s| s.text == "example.org CNAME mail.example.com")
    );
    assert_eq!(trace.summary.delivered, ["bob@example.org"]);
}

/// RFC 5321 §4.1.1.3: a recipient named twice is two positions of the envelope; the
/// queue delivers both in one transaction and never sends the message again.
#[test]
fn a_recipient_given_twice_is_relayed_in_one_transaction() {
    let mut scenario = built_in("first-email").unwrap();
    scenario.message.to.push("bob@example.org".into());
    let trace = run(&scenario).unwrap();
    let relayed = |text: &str| {
        trace
            .steps
            .iter()
            .filter(|step| step.from == "smtp.example.net" && step.text == text)
            .count()
    };
    assert_eq!(relayed("RCPT TO:<bob@example.org>\r\n"), 2);
    assert_eq!(relayed("DATA\r\n"), 1, "the message went once");
    assert_eq!(
        trace.summary.delivered,
        ["bob@example.org", "bob@example.org"]
    );
    assert!(trace.summary.pending.is_empty());
}
