//! `wasmtp-edge.wasm` under both hosts that run it unchanged, fetched over HTTP on
//! loopback: the real `wasmtime serve` (a process per test) and `jco serve` in Node (one
//! process for every check, since it transpiles the component when it starts).

use wasmtp_tests::{Environment, Running, http_exchange, http_request, http_send};

/// The edge under `wasmtime serve` or `jco serve`, with nothing configured.
fn edge(environment: &Environment, under_jco: bool) -> Running {
    if under_jco {
        environment.start_edge_jco(&[])
    } else {
        environment.start_edge()
    }
}

fn json_of(response: &wasmtp_tests::HttpResponse) -> serde_json::Value {
    serde_json::from_slice(&response.body).expect("a JSON body")
}

fn healthz_answers_ok_as_json(edge: &Running) {
    let response = http_request(edge, "GET", "/healthz");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let health: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON body");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["service"], "wasmtp-edge");
}

fn root_serves_the_embedded_web_app_and_its_files(edge: &Running) {
    let index = http_request(edge, "GET", "/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = String::from_utf8_lossy(&index.body);
    assert!(html.contains("<title>wasmtp"), "{html}");

    // Every file the page loads is served with its media type; the app is wasm.
    let mut wasm_files = 0;
    for reference in html
        .split(['"', '\''])
        .filter(|part| part.starts_with('/') && part.contains('.'))
    {
        let response = http_request(edge, "GET", reference);
        assert_eq!(response.status, 200, "{reference}");
        if reference.ends_with(".wasm") {
            wasm_files += 1;
            assert_eq!(response.header("content-type"), Some("application/wasm"));
            assert_eq!(&response.body[..4], b"\0asm");
        }
    }
    assert!(wasm_files >= 1, "index.html loads no .wasm: {html}");
}

fn files_are_gzipped_when_asked_tagged_and_cached_by_their_hash(edge: &Running) {
    use std::io::Read as _;
    let plain = http_request(edge, "GET", "/");
    assert_eq!(plain.header("cache-control"), Some("no-cache"));
    assert_eq!(plain.header("content-encoding"), None);
    let gzipped = http_exchange(
        edge,
        "GET",
        "/",
        &[("Accept-Encoding", "br, gzip;q=0.8")],
        &[],
    );
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert_eq!(gzipped.header("vary"), Some("accept-encoding"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(gzipped.body.as_slice())
        .read_to_end(&mut unzipped)
        .expect("gzip");
    assert_eq!(unzipped, plain.body);
    // RFC 9110 §13.1.2: a matching If-None-Match gets 304 and no body.
    let etag = plain.header("etag").expect("an ETag").to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let again = http_exchange(edge, "GET", "/", &[("If-None-Match", &etag)], &[]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // The app's files carry their hash in their names: cached for good.
    let html = String::from_utf8_lossy(&plain.body);
    let wasm = html
        .split(['"', '\''])
        .find(|part| part.starts_with('/') && part.ends_with(".wasm"))
        .expect("a .wasm file");
    let response = http_request(edge, "GET", wasm);
    assert_eq!(
        response.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

fn unknown_path_is_404_and_post_is_405(edge: &Running) {
    assert_eq!(http_request(edge, "GET", "/no-such-file").status, 404);
    let post = http_request(edge, "POST", "/healthz");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

fn head_has_the_headers_of_get_and_no_body(edge: &Running) {
    let get = http_request(edge, "GET", "/healthz");
    let head = http_request(edge, "HEAD", "/healthz");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-type"), get.header("content-type"));
    assert_eq!(head.header("cache-control"), get.header("cache-control"));
}

fn route_and_send_without_configuration_say_what_to_set(edge: &Running) {
    let route = http_request(edge, "GET", "/api/v1/route/example.org");
    assert_eq!(route.status, 503);
    assert!(
        json_of(&route)["detail"]
            .as_str()
            .is_some_and(|d| d.contains("WASMTP_DOH_URL"))
    );
    let send = http_send(
        edge,
        "POST",
        "/api/v1/send",
        br#"{"from":"a@example.org","to":["b@example.org"],"subject":"s","text":"t"}"#,
    );
    assert_eq!(send.status, 503);
    assert!(
        json_of(&send)["detail"]
            .as_str()
            .is_some_and(|d| d.contains("WASMTP_RELAY"))
    );
    let check = http_send(
        edge,
        "POST",
        "/api/v1/check",
        br#"{"message":"From: a@example.org\r\n\r\nHi\r\n","client_ip":"192.0.2.1","mail_from":"a@example.org"}"#,
    );
    assert_eq!(check.status, 503);
    assert!(
        json_of(&check)["detail"]
            .as_str()
            .is_some_and(|d| d.contains("WASMTP_DOH_URL"))
    );
}

mod api {
    //! The JSON API under `/api/v1/`.

    use wasmtp_tests::{HttpResponse, Running, http_exchange, http_request, http_send};

    fn json(response: &HttpResponse) -> serde_json::Value {
        serde_json::from_slice(&response.body).expect("a JSON body")
    }

    fn assert_problem(response: &HttpResponse, status: u16, title: &str) -> serde_json::Value {
        assert_eq!(
            response.status,
            status,
            "{}",
            String::from_utf8_lossy(&response.body)
        );
        assert_eq!(
            response.header("content-type"),
            Some("application/problem+json")
        );
        let problem = json(response);
        assert_eq!(problem["status"], status);
        assert_eq!(problem["title"], title);
        problem
    }

    pub(super) fn scenarios_are_listed_and_each_can_be_fetched(edge: &Running) {
        let list = json(&http_request(edge, "GET", "/api/v1/scenarios"));
        let ids: Vec<&str> = list
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|entry| entry["id"].as_str())
            .collect();
        assert_eq!(ids.len(), wasmtp_core::sim::BUILT_IN.len());
        assert_eq!(ids[0], "first-email");
        let scenario = json(&http_request(edge, "GET", "/api/v1/scenarios/null-mx"));
        assert_eq!(scenario["id"], "null-mx");
        assert_problem(
            &http_request(edge, "GET", "/api/v1/scenarios/nope"),
            404,
            "No such scenario",
        );
    }

    pub(super) fn a_simulation_in_the_component_gives_the_native_trace_byte_for_byte(
        edge: &Running,
    ) {
        for id in ["greylisting", "smtp-smuggling", "before-smtp"] {
            let scenario = http_request(edge, "GET", &format!("/api/v1/scenarios/{id}")).body;
            let response = http_send(edge, "POST", "/api/v1/simulate", &scenario);
            assert_eq!(
                response.status,
                200,
                "{}",
                String::from_utf8_lossy(&response.body)
            );
            let native =
                wasmtp_core::sim::run(&wasmtp_core::sim::built_in(id).expect("a scenario"))
                    .expect("a trace");
            assert_eq!(
                response.body,
                serde_json::to_vec(&native).expect("JSON"),
                "{id}: the wasm trace equals the native one"
            );
        }
    }

    pub(super) fn bad_requests_get_problem_documents(edge: &Running) {
        let problem = assert_problem(
            &http_send(
                edge,
                "POST",
                "/api/v1/simulate",
                b"{\"version\": 1,\n  \"id\": }",
            ),
            400,
            "Malformed JSON",
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("line 2, column"),
            "{problem}"
        );
        let mut scenario: serde_json::Value =
            serde_json::from_str(wasmtp_core::sim::BUILT_IN[0].1).expect("JSON");
        scenario["hosts"][0]["behaviours"] = serde_json::json!(["sleepy"]);
        let body = serde_json::to_vec(&scenario).expect("JSON");
        let problem = assert_problem(
            &http_send(edge, "POST", "/api/v1/simulate", &body),
            422,
            "Invalid scenario",
        );
        assert_eq!(problem["errors"][0]["path"], "hosts[0].behaviours[0]");
        let huge = vec![b' '; 300 * 1024];
        assert_problem(
            &http_send(edge, "POST", "/api/v1/simulate", &huge),
            413,
            "Request body too large",
        );
        let wrong = http_request(edge, "GET", "/api/v1/simulate");
        assert_problem(&wrong, 405, "Method not allowed");
        assert_eq!(wrong.header("allow"), Some("POST"));
        assert_problem(
            &http_request(edge, "GET", "/api/v1/nothing"),
            404,
            "Not found",
        );
    }

    pub(super) fn codes_and_commands_are_explained_with_their_rfc_section(edge: &Running) {
        for (key, reference) in [
            ("250", "RFC 5321"),
            ("5.1.1", "RFC 3463"),
            ("ehlo", "RFC 5321"),
        ] {
            let response = http_request(edge, "GET", &format!("/api/v1/explain/{key}"));
            assert_eq!(response.status, 200, "{key}");
            let explanation = json(&response);
            assert!(
                explanation["reference"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(reference),
                "{key}: {explanation}"
            );
            assert!(
                !explanation["summary"]
                    .as_str()
                    .unwrap_or_default()
                    .is_empty()
            );
        }
        assert_problem(
            &http_request(edge, "GET", "/api/v1/explain/999"),
            404,
            "Nothing to explain",
        );
    }

    pub(super) fn explanations_and_lessons_come_in_the_language_asked_for(edge: &Running) {
        let english = http_request(edge, "GET", "/api/v1/explain/5.1.1");
        assert_eq!(english.header("content-language"), Some("en"));
        let by_query = http_request(edge, "GET", "/api/v1/explain/5.1.1?lang=az");
        assert_eq!(by_query.header("content-language"), Some("az"));
        let by_header = http_exchange(
            edge,
            "GET",
            "/api/v1/explain/5.1.1",
            &[("Accept-Language", "de-DE, az;q=0.8, en;q=0.5")],
            &[],
        );
        assert_eq!(by_header.header("content-language"), Some("az"));
        assert_eq!(by_header.header("vary"), Some("accept-language"));
        let (english, azerbaijani) = (json(&english), json(&by_query));
        assert_eq!(azerbaijani, json(&by_header));
        assert_eq!(azerbaijani["reference"], english["reference"]);
        assert!(
            azerbaijani["summary"]
                .as_str()
                .unwrap_or_default()
                .contains("poçt qutusu"),
            "{azerbaijani}"
        );
        let lessons = json(&http_request(edge, "GET", "/api/v1/scenarios?lang=az"));
        let greylisting = lessons
            .as_array()
            .and_then(|lessons| lessons.iter().find(|lesson| lesson["id"] == "greylisting"))
            .expect("the greylisting lesson");
        assert_eq!(
            greylisting["title"],
            "Boz siyahı: bir az sonra yenidən cəhd edin"
        );
        let body = serde_json::json!({ "lines": ["EHLO me.example"] }).to_string();
        let played = json(&http_send(
            edge,
            "POST",
            "/api/v1/dialogue?lang=az",
            body.as_bytes(),
        ));
        assert_eq!(played["hint"], "MAIL FROM:<alice@client.example>");
        let ehlo = played["exchanges"][0]["replies"][0]["explanation"]["summary"]
            .as_str()
            .unwrap_or_default();
        assert!(ehlo.contains("genişlənmə"), "{ehlo}");
    }

    fn dialogue(edge: &Running, profile: &str, lines: &[&str]) -> serde_json::Value {
        let body = serde_json::json!({ "profile": profile, "lines": lines }).to_string();
        let response = http_send(edge, "POST", "/api/v1/dialogue", body.as_bytes());
        assert_eq!(
            response.status,
            200,
            "{}",
            String::from_utf8_lossy(&response.body)
        );
        json(&response)
    }

    /// The reply codes of each exchange, in order.
    fn codes(dialogue: &serde_json::Value) -> Vec<Vec<u64>> {
        dialogue["exchanges"]
            .as_array()
            .expect("exchanges")
            .iter()
            .map(|exchange| {
                exchange["replies"]
                    .as_array()
                    .expect("replies")
                    .iter()
                    .filter_map(|reply| reply["code"].as_u64())
                    .collect()
            })
            .collect()
    }

    pub(super) fn a_dialogue_is_played_against_the_real_server_session_and_explained(
        edge: &Running,
    ) {
        let strict = dialogue(
            edge,
            "strict",
            &[
                "EHLO client.example",
                "MAIL FROM:<alice@client.example>",
                "RCPT TO:<bob@example.org>",
                "RCPT TO:<eve@elsewhere.example>",
                "DATA",
                "Subject: hi",
                "",
                "hello",
                ".",
                "QUIT",
            ],
        );
        assert_eq!(strict["greeting"][0]["code"], 220);
        assert_eq!(
            codes(&strict),
            [
                vec![250],
                vec![250],
                vec![250],
                vec![554],
                vec![354],
                vec![],
                vec![],
                vec![],
                vec![250],
                vec![221]
            ]
        );
        assert_eq!(strict["closed"], true);
        let refused = &strict["exchanges"][3]["replies"][0];
        assert!(
            refused["text"]
                .as_str()
                .unwrap_or_default()
                .starts_with("554 5.7.1")
        );
        // Most specific first: RFC 3463's 5.7.1, then RFC 5321's 554.
        let references: Vec<&str> = refused["explanations"]
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|one| one["reference"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(refused["explanation"]["reference"], references[0]);
        assert!(references[0].starts_with("RFC 3463"), "{references:?}");
        assert!(references[1].starts_with("RFC 5321"), "{references:?}");
        // Before ESMTP: EHLO is not understood, HELO is.
        let old = dialogue(
            edge,
            "helo-only",
            &["EHLO client.example", "HELO client.example"],
        );
        assert_eq!(codes(&old), [vec![502], vec![250]]);
        // A bare LF in the message: refused by the strict profile, taken by the lax one.
        let message = [
            "EHLO c.example",
            "MAIL FROM:<a@c.example>",
            "RCPT TO:<bob@example.org>",
            "DATA",
            "one\ntwo",
            ".",
        ];
        assert_eq!(codes(&dialogue(edge, "strict", &message))[5], [554]);
        assert_eq!(codes(&dialogue(edge, "lax", &message))[5], [250]);
        let body = serde_json::json!({ "profile": "sleepy", "lines": [] }).to_string();
        assert_problem(
            &http_send(edge, "POST", "/api/v1/dialogue", body.as_bytes()),
            422,
            "Invalid dialogue",
        );
    }
}

use api::{
    a_dialogue_is_played_against_the_real_server_session_and_explained,
    a_simulation_in_the_component_gives_the_native_trace_byte_for_byte,
    bad_requests_get_problem_documents, codes_and_commands_are_explained_with_their_rfc_section,
    explanations_and_lessons_come_in_the_language_asked_for,
    scenarios_are_listed_and_each_can_be_fetched,
};

wasmtp_tests::on_both_edge_hosts!(
    edge:
    healthz_answers_ok_as_json,
    root_serves_the_embedded_web_app_and_its_files,
    files_are_gzipped_when_asked_tagged_and_cached_by_their_hash,
    unknown_path_is_404_and_post_is_405,
    head_has_the_headers_of_get_and_no_body,
    route_and_send_without_configuration_say_what_to_set,
    scenarios_are_listed_and_each_can_be_fetched,
    a_simulation_in_the_component_gives_the_native_trace_byte_for_byte,
    bad_requests_get_problem_documents,
    codes_and_commands_are_explained_with_their_rfc_section,
    a_dialogue_is_played_against_the_real_server_session_and_explained,
    explanations_and_lessons_come_in_the_language_asked_for,
);
