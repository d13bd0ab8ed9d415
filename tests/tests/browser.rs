//! The teaching simulator, served by `wasmtp-edge.wasm` under `wasmtime serve`, driven
//! in real headless Chromium through Playwright (`tests/js/browser.cjs`): a lesson to
//! its end, the keyboard, the terminal, the sandbox and its share link, the reference,
//! a phone-sized screen. Timings are printed, not asserted (they are benchmarks).

use serde_json::{Value, json};
use wasmtp_tests::Environment;

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn the_simulator_teaches_in_a_real_browser() {
    let environment = Environment::from_env();
    let edge = environment.start_edge();
    let output = environment
        .node()
        .arg(environment.script("browser.cjs"))
        .arg(format!("http://{}/", edge.address))
        .arg(&environment.chromium)
        .arg(&environment.output)
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page: Value = serde_json::from_slice(&output.stdout).expect("JSON from node");
    in_azerbaijani(&page);

    assert_eq!(page["errors"], json!([]), "console errors");
    // The first view rendered ahead of time, before (without) the engine: one language
    // kept, the reader's, and its links already addresses.
    assert_eq!(
        page["beforeEngine"],
        json!({
            "views": ["az"],
            "language": "az",
            "lessons": wasmtp_core::sim::BUILT_IN.len(),
            "title": "Dərslər",
            "address": "#/lessons/backup-mx/1",
        })
    );
    assert_eq!(page["lessons"], wasmtp_core::sim::BUILT_IN.len());
    // The first screen: the whole journey, each part a way into its lesson.
    assert_eq!(
        page["journey"],
        json!([
            "MUA",
            "MSA, port 587",
            "MX records",
            "MX, an MTA",
            "backup MX",
            "MDA, Maildir",
            "POP3 or IMAP"
        ])
    );
    assert!(
        page["journeyOpened"]
            .as_str()
            .is_some_and(|title| title.contains("Backup MX")),
        "{}",
        page["journeyOpened"]
    );
    // Offline after the first visit, reload included.
    assert_eq!(page["serviceWorker"], true);
    assert_eq!(
        page["lessonsAfterOfflineReload"],
        wasmtp_core::sim::BUILT_IN.len()
    );
    // The backup-MX lesson to its end: refused at the primary, through the backup.
    let steps = wasmtp_core::sim::built_in("backup-mx")
        .and_then(|scenario| wasmtp_core::sim::run(&scenario).ok())
        .map_or(0, |trace| trace.steps.len());
    assert_eq!(page["lessonSteps"], format!("Step {steps} of {steps}"));
    assert!(
        strings(&page["failedToPrimary"]).contains(&"smtp.example.net"),
        "{}",
        page["failedToPrimary"]
    );
    assert_eq!(page["dataToBackup"], 1);
    assert_eq!(page["delivered"], json!(["mx.example.org"]));
    // The IMAP lesson plays to its end: tagged commands, each explained, and the
    // message left on the server.
    let imap_steps = wasmtp_core::sim::built_in("imap")
        .and_then(|scenario| wasmtp_core::sim::run(&scenario).ok())
        .map_or(0, |trace| trace.steps.len());
    assert_eq!(
        page["imapSteps"],
        format!("Step {imap_steps} of {imap_steps}")
    );
    assert_eq!(
        page["imapCommands"],
        json!(["a1 LOGIN", "a2 SELECT", "a3 FETCH", "a4 LOGOUT"])
    );
    let imap_labels = strings(&page["imapLabels"]);
    for label in ["imap login", "imap select", "imap fetch", "imap logout"] {
        assert!(imap_labels.contains(&label), "{label}: {imap_labels:?}");
    }
    assert!(
        page["imapLast"]
            .as_str()
            .is_some_and(|text| text.contains("1 kept on the server")),
        "{}",
        page["imapLast"]
    );
    // Exercises: asked at their step, answered wrong then right, scored by first tries,
    // and the score kept for a fresh page.
    assert_eq!(
        page["questionNow"], "0",
        "the greylisted RCPT's question is the current one"
    );
    assert!(
        page["askedAtBytes"]
            .as_str()
            .is_some_and(|text| text.starts_with("RCPT TO:<bob@example.org>")),
        "{}",
        page["askedAtBytes"]
    );
    assert!(
        page["afterWrong"]
            .as_str()
            .is_some_and(|text| text.starts_with("Not this one")),
        "{}",
        page["afterWrong"]
    );
    assert!(
        page["afterRight"]
            .as_str()
            .is_some_and(|text| text.starts_with("Right")),
        "{}",
        page["afterRight"]
    );
    assert_eq!(page["score"], "Right at the first try: 1 of 3");
    assert_eq!(page["scoreInFreshPage"], page["score"]);
    // A challenge met by the engine's run.
    assert!(
        page["challengeAtStart"]
            .as_str()
            .is_some_and(|text| text.contains("Not yet")),
        "{}",
        page["challengeAtStart"]
    );
    assert!(
        page["challengeAfterRun"]
            .as_str()
            .is_some_and(|text| text.contains("Goal met!")),
        "{}",
        page["challengeAfterRun"]
    );
    assert_eq!(page["challengesDone"], json!(["bounce-5-1-1"]));
    // The greylisting 451: the topic first, then RFC 3463's 4.7.1, then the code.
    assert_eq!(
        page["greylistedLabels"],
        json!(["greylisting", "4.7.1", "451"]),
        "{}",
        page["greylistedExplanation"]
    );
    let greylisted = page["greylistedExplanation"].as_str().unwrap_or_default();
    assert!(
        greylisted.to_lowercase().contains("greylist"),
        "{greylisted}"
    );
    assert!(
        page["distinctExplanations"].as_u64().unwrap_or(0) > 10,
        "the explanation changes per step: {}",
        page["distinctExplanations"]
    );
    assert!(
        page["outcome"]
            .as_str()
            .is_some_and(|text| text.starts_with("Delivered: bob@example.org.")),
        "{}",
        page["outcome"]
    );
    assert_eq!(strings(&page["hops"]).len(), 3, "{}", page["hops"]);
    assert_eq!(page["hostsOnMap"], 3);
    assert_eq!(
        page["hostsCutOff"],
        json!([]),
        "every host of the map in view"
    );
    assert_eq!(
        page["laneNamesInView"],
        json!([true, true]),
        "sticky lane names"
    );
    // The keyboard.
    let at = |step: usize| format!("Step {step} of {steps}");
    assert_eq!(page["keyboardBack"], json!([at(steps), at(steps - 2)]));
    assert_eq!(page["keyboardForward"], at(steps - 1));
    assert_eq!(page["arrowByKeyboard"], at(4));
    assert_eq!(page["playingAfterSpace"], true);
    // The terminal: greeting, EHLO, MAIL, RCPT, DATA, end of data, QUIT; then FROB.
    assert_eq!(
        page["terminalCodes"],
        json!([220, 250, 250, 250, 354, 250, 221])
    );
    assert_eq!(page["terminalClosed"], true);
    assert_eq!(page["malformedCodes"], json!([220, 500]));
    // The sandbox: without the MX record the A record is the route, and the shared link
    // plays the same trace in a fresh page.
    let trace = strings(&page["sandboxTrace"]);
    assert!(trace.contains(&"example.org: no MX records"), "{trace:?}");
    assert!(trace.contains(&"example.org A 192.0.2.25"), "{trace:?}");
    assert_eq!(page["sharedTrace"], page["sandboxTrace"]);
    // The sandbox's forms: choices as selects and boxes, a problem in plain words in
    // the field it concerns, which is marked invalid.
    assert_eq!(
        page["problem"], "\"not an address\" is not an IPv4 address",
        "{}",
        page["problem"]
    );
    assert_eq!(page["problemInvalid"], "true");
    assert!(
        page["problemNextTo"]
            .as_str()
            .is_some_and(|label| label.starts_with("Value")),
        "{}",
        page["problemNextTo"]
    );
    assert_eq!(
        page["recordTypes"],
        json!(["MX", "A", "AAAA", "CNAME", "SRV", "NXDOMAIN", "SERVFAIL"])
    );
    assert_eq!(page["behaviourBoxes"], 13);
    assert_eq!(strings(&page["referenceHits"]).first(), Some(&"x.1.1"));
    for (query, label) in [
        ("5.1.1", "x.1.1"),
        ("550", "550"),
        ("DSN", "DSN"),
        ("RCPT", "RCPT"),
    ] {
        let hits = strings(&page["searches"][query]);
        assert!(hits.contains(&label), "{query} finds {label}: {hits:?}");
    }
    let [after_click, after_arrow] = &strings(&page["arrowAfterNext"])[..] else {
        panic!("{}", page["arrowAfterNext"]);
    };
    let number = |text: &str| -> u64 {
        text.split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    assert_eq!(
        number(after_arrow),
        number(after_click) + 1,
        "{after_click} → {after_arrow}"
    );
    // Chapter marks: one per connection; the second is the relay's first connection.
    let chapters = strings(&page["chapters"]);
    assert!(chapters.len() >= 4, "{chapters:?}");
    let after_chapter = strings(&page["afterChapter"]);
    assert!(
        after_chapter
            .get(1)
            .is_some_and(|detail| detail.contains("→")),
        "{after_chapter:?}"
    );
    // Print and embed.
    let first_email = wasmtp_core::sim::built_in("first-email")
        .and_then(|scenario| wasmtp_core::sim::run(&scenario).ok())
        .map_or(0, |trace| trace.steps.len());
    assert_eq!(page["printed"], json!(["block", "none", first_email]));
    assert_eq!(page["embedded"][0], true, "{}", page["embedded"]);
    assert_eq!(
        page["embedded"][2],
        format!("Step 5 of {steps}"),
        "{}",
        page["embedded"]
    );
    // At the end of the backup-MX lesson the queue panel is up to date.
    let queue = page["queueAtEnd"].as_str().unwrap_or_default();
    assert!(
        queue.contains("delivered") && !queue.contains("pending"),
        "{queue}"
    );
    assert_eq!(page["openedAt"], json!([0, "lesson-title"]));
    // The terminal: the message as stored, with a queue id a real server would give;
    // and a hint of what to type first.
    let stored = page["storedMessage"].as_str().unwrap_or_default();
    assert!(
        stored.starts_with("Return-Path: <alice@client.example>")
            && stored.contains(" id 7f3a9c2e51b4.1"),
        "{stored}"
    );
    assert_eq!(page["terminalHint"], "Next, try: EHLO client.example");
    // Try this: the lesson's own changes, and what the first did to its run.
    assert_eq!(
        page["tryThis"],
        json!(["Turn greylisting off", "Send to Carol as well"])
    );
    let changed = page["whatChanged"].as_str().unwrap_or_default();
    assert!(
        changed.contains("The runs part at step") && changed.contains("Outcome before"),
        "{changed}"
    );
    // Addresses: the step's URL names it and a fresh page opens it; Back is the list.
    let step_url = page["stepUrl"].as_str().unwrap_or_default();
    assert!(step_url.contains("#/lessons/greylisting/"), "{step_url}");
    assert_eq!(page["stepInFreshPage"], page["stepAtUrl"]);
    assert!(
        page["lessonTitleInFreshPage"]
            .as_str()
            .is_some_and(|title| title.contains("Greylisting")),
        "{}",
        page["lessonTitleInFreshPage"]
    );
    assert!(
        page["backShowsList"]
            .as_str()
            .is_some_and(|url| url.ends_with("#/lessons")),
        "{}",
        page["backShowsList"]
    );
    let badges = strings(&page["lineEndBadges"]);
    assert!(
        !badges.is_empty() && badges.iter().all(|badge| *badge == "CR LF"),
        "{badges:?}"
    );
    assert_eq!(
        page["narrowOverflow"], 0,
        "nothing wider than a 360 px screen"
    );
    // Where the first explanation ends, against the window's height.
    for (name, size) in [
        ("explainedOnPhone", "360×740"),
        ("explainedAt1280", "1280×800"),
    ] {
        let (bottom, height) = (page[name][0].as_i64(), page[name][1].as_i64());
        assert!(
            bottom
                .zip(height)
                .is_some_and(|(bottom, height)| bottom <= height),
            "the explanation in view at {size}: {}",
            page[name]
        );
    }
    for screenshot in strings(&page["screenshots"]) {
        let size = std::fs::metadata(screenshot).map_or(0, |meta| meta.len());
        assert!(size > 1000, "screenshot missing or empty: {screenshot}");
    }
    // The largest built-in scenario by steps, and how long opening it took.
    let (largest, steps) = page["stepsOf"]
        .as_object()
        .and_then(|steps| steps.iter().max_by_key(|(_, count)| count.as_u64()))
        .map(|(id, count)| (id.clone(), count.clone()))
        .unwrap_or_default();
    assert_eq!(
        page["openMs"].as_object().map(serde_json::Map::len),
        Some(wasmtp_core::sim::BUILT_IN.len()),
        "every lesson opens offline"
    );
    // The first view is the page alone: no engine, no script needed to paint it.
    assert_eq!(
        strings(&page["firstViewFiles"])
            .iter()
            .filter(|file| file.ends_with(".wasm"))
            .count(),
        0,
        "{}",
        page["firstViewFiles"]
    );
    eprintln!(
        "measured: first view {} bytes over the wire ({}), first render {} ms; the app \
         {} bytes, running after {} ms; open the largest lesson ({largest}, {steps} steps: \
         run + render) {:.1} ms, one step median {:.1} ms (max {:.1} ms); screenshots: {}",
        page["firstViewBytes"],
        strings(&page["firstViewFiles"]).join(" "),
        page["firstRenderMs"],
        page["appBytes"],
        page["appReadyMs"],
        page["openMs"][&largest].as_f64().unwrap_or(0.0),
        page["stepMedianMs"].as_f64().unwrap_or(0.0),
        page["stepMaxMs"].as_f64().unwrap_or(0.0),
        strings(&page["screenshots"]).join(", ")
    );
}

/// The Azerbaijani pass: the switcher, the lesson text and the explanations of the
/// moment in Azerbaijani (from the core's catalogs), kept over a reload, and the
/// browser's own language as the default.
fn in_azerbaijani(page: &Value) {
    use wasmtp_core::explain::lookup_in;
    use wasmtp_core::i18n::Language;
    assert_eq!(page["azLessonsTitle"], "Dərslər");
    assert_eq!(page["azHtmlLang"], "az");
    let title = wasmtp_core::sim::built_in("greylisting")
        .map(|scenario| scenario.text_in(Language::Az).title)
        .unwrap_or_default();
    assert!(
        page["azLessonTitle"]
            .as_str()
            .is_some_and(|shown| shown.ends_with(&title)),
        "{}",
        page["azLessonTitle"]
    );
    assert_eq!(
        page["azGreylistedLabels"],
        json!(["boz siyahı", "4.7.1", "451"]),
        "{}",
        page["azGreylistedExplanation"]
    );
    let explanation = page["azGreylistedExplanation"].as_str().unwrap_or_default();
    for key in ["topic:greylisting", "enhanced:4.7.1", "reply:451"] {
        let summary = lookup_in(key, Language::Az)
            .map(|found| found.summary)
            .unwrap_or_default();
        assert!(explanation.contains(&summary), "{key}: {explanation}");
    }
    assert!(
        page["azAfterReload"][0]
            .as_str()
            .is_some_and(|shown| shown.ends_with(&title)),
        "{}",
        page["azAfterReload"]
    );
    assert_eq!(page["azAfterReload"][1], "az");
    assert_eq!(page["azProblem"], "«not an address» IPv4 ünvanı deyil");
    assert_eq!(page["azReferenceTitle"], "Məlumat kitabçası");
    assert_eq!(page["backInEnglish"], "Reference");
    assert_eq!(page["azByBrowser"], "Dərslər");
}
