//! The edge endpoints that reach out, under both hosts that run the edge unchanged
//! (`wasmtime serve` and `jco serve`): route plans over DNS-over-HTTPS (`wasi:http`
//! outgoing requests to a loopback DoH stub in front of dnsmasq) and sending through a
//! relay (the core's client over `wasi:sockets` to aiosmtpd), and checks of who sent a
//! message (SPF, DKIM and DMARC over the same DoH). Loopback only.

use std::path::PathBuf;

use serde_json::{Value, json};
use wasmtp_core::test_support::rfc8463::{ED25519_KEY, ED25519_PEM, RSA_KEY, signed};
use wasmtp_tests::{
    Environment, HttpResponse, Running, http_request, http_send, run_python, stored,
};

fn json_of(response: &HttpResponse) -> Value {
    serde_json::from_slice(&response.body).expect("a JSON body")
}

/// The JSON of a `200` answer; any other status fails with the body.
fn ok_json(response: &HttpResponse) -> Value {
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    json_of(response)
}

/// A DNS zone on dnsmasq behind the DoH stub, an aiosmtpd relay, and the edge told
/// about both.
struct Outbound {
    _dns: Running,
    _doh: Running,
    relay: Running,
    /// Where the relay stores what it accepts.
    store: PathBuf,
    edge: Running,
}

fn outbound(environment: &Environment, under_jco: bool) -> Outbound {
    let zone = [
        "--mx-host=route.test,mx2.route.test,20",
        "--mx-host=route.test,mx1.route.test,10",
        "--host-record=mx1.route.test,127.0.0.2",
        "--host-record=mx2.route.test,127.0.0.3",
        "--mx-host=nullmx.test,.,0",
        "--host-record=plain.test,127.0.0.4",
    ];
    // RFC 8463's signer, with an SPF record and a DMARC policy of its own.
    let authentication = [
        format!("--txt-record=brisbane._domainkey.football.example.com,{ED25519_KEY}"),
        format!("--txt-record=test._domainkey.football.example.com,{RSA_KEY}"),
        "--txt-record=football.example.com,v=spf1 ip4:192.0.2.0/24 -all".to_owned(),
        "--txt-record=_dmarc.football.example.com,v=DMARC1; p=reject".to_owned(),
    ];
    let dns = environment.start_dnsmasq(
        &zone
            .map(str::to_owned)
            .into_iter()
            .chain(authentication)
            .collect::<Vec<_>>(),
    );
    let doh = environment.start_doh(dns.address);
    let store = environment.fresh_dir("relay");
    let relay = environment.start_aiosmtpd(&store);
    let settings = [
        (
            "WASMTP_DOH_URL",
            format!("http://{}/dns-query", doh.address),
        ),
        ("WASMTP_RELAY", relay.address.to_string()),
        // RFC 8463's Ed25519 key, whose record the zone publishes.
        ("WASMTP_DKIM_KEY", ED25519_PEM.to_owned()),
        ("WASMTP_DKIM_DOMAIN", "football.example.com".to_owned()),
        ("WASMTP_DKIM_SELECTOR", "brisbane".to_owned()),
    ];
    let edge = if under_jco {
        environment.start_edge_jco(&settings)
    } else {
        environment.start_edge_with(&settings)
    };
    Outbound {
        _dns: dns,
        _doh: doh,
        relay,
        store,
        edge,
    }
}

wasmtp_tests::on_both_edge_hosts!(
    outbound:
    route_plans_mx_hosts_by_preference_over_dns_over_https,
    route_reports_null_mx_and_missing_domains_as_failures,
    send_delivers_through_the_relay_and_reports_each_recipient,
    send_refuses_bad_addresses_and_header_injection,
    check_explains_spf_dkim_and_dmarc_step_by_step,
    send_signs_mail_of_the_keys_domain_and_dkimpy_verifies_it,
);

fn send_signs_mail_of_the_keys_domain_and_dkimpy_verifies_it(world: &Outbound) {
    let before = stored(&world.store).len();
    let request = json!({
        "from": "joe@football.example.com",
        "to": ["suzie@far.test"],
        "subject": "Signed at the edge",
        "text": "Is dinner ready?\n",
    });
    let result = ok_json(&http_send(
        &world.edge,
        "POST",
        "/api/v1/send",
        request.to_string().as_bytes(),
    ));
    assert_eq!(
        result["signed"], "d=football.example.com s=brisbane",
        "{result}"
    );
    assert_eq!(result["recipients"][0]["result"], "delivered", "{result}");
    let messages = stored(&world.store);
    assert_eq!(messages.len(), before + 1);
    let (_, message) = messages
        .iter()
        .find(|(_, message)| String::from_utf8_lossy(message).contains("Signed at the edge"))
        .expect("the signed message at the relay");
    let text = String::from_utf8_lossy(message).into_owned();
    assert!(
        text.starts_with("DKIM-Signature: v=1; a=ed25519-sha256;"),
        "{text}"
    );
    let verified = run_python(&format!(
        "import dkim\n\
         key = {ED25519_KEY:?}.encode()\n\
         message = {text:?}.encode()\n\
         print(dkim.verify(message, dnsfunc=lambda name, timeout=5: key))\n\
         print(dkim.verify(message.replace(b'dinner', b'lunch'), dnsfunc=lambda name, timeout=5: key))\n"
    ));
    assert_eq!(String::from_utf8_lossy(&verified), "True\nFalse\n");
    // The edge's own check agrees, with DNS from the zone.
    let checked = check(world, &text, "192.0.2.10", "en");
    assert_eq!(checked["dkim"][0]["result"], "pass", "{checked}");
    assert_eq!(checked["dmarc"]["result"], "pass", "{checked}");
    // Mail of another domain goes out unsigned.
    let other = ok_json(&http_send(
        &world.edge,
        "POST",
        "/api/v1/send",
        json!({"from": "ann@edge.test", "to": ["bob@far.test"], "subject": "s", "text": "t"})
            .to_string()
            .as_bytes(),
    ));
    assert_eq!(other["signed"], Value::Null, "{other}");
}

/// `POST /api/v1/check` of `message` as handed over by `client_ip`.
fn check(world: &Outbound, message: &str, client_ip: &str, language: &str) -> Value {
    let request = json!({
        "message": message,
        "client_ip": client_ip,
        "mail_from": "joe@football.example.com",
        "helo": "mail.football.example.com",
    });
    ok_json(&http_send(
        &world.edge,
        "POST",
        &format!("/api/v1/check?lang={language}"),
        request.to_string().as_bytes(),
    ))
}

fn check_explains_spf_dkim_and_dmarc_step_by_step(world: &Outbound) {
    // From an address the SPF record does not list: SPF fails, but both signatures
    // pass and are aligned with From:, so DMARC passes.
    let forwarded = check(world, &signed(), "198.51.100.7", "en");
    assert_eq!(forwarded["spf"]["result"], "fail", "{forwarded}");
    assert_eq!(forwarded["dkim"][0]["result"], "pass", "{forwarded}");
    assert_eq!(forwarded["dkim"][1]["result"], "pass", "{forwarded}");
    assert_eq!(forwarded["dmarc"]["result"], "pass", "{forwarded}");
    assert_eq!(forwarded["disposition"], "none");
    let field = forwarded["authentication_results"]
        .as_str()
        .expect("a field");
    assert!(
        field.starts_with("Authentication-Results: wasmtp-edge;"),
        "{field}"
    );
    let steps: Vec<(String, String)> = forwarded["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| {
            (
                step["text"].as_str().expect("text").to_owned(),
                step["explain"].as_str().expect("a key").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        steps[0],
        (
            "football.example.com TXT?".to_owned(),
            "topic:spf-record".to_owned()
        )
    );
    assert_eq!(steps[1].1, "topic:spf-fail");
    assert_eq!(
        forwarded["steps"][0]["answer"],
        "football.example.com TXT \"v=spf1 ip4:192.0.2.0/24 -all\""
    );
    assert_eq!(
        forwarded["steps"][0]["explanation"]["reference"],
        "RFC 7208 §4.4, §4.6.4"
    );
    let keys: Vec<&str> = steps.iter().map(|(_, key)| key.as_str()).collect();
    assert_eq!(
        keys[2..],
        [
            "topic:dkim-key",
            "topic:dkim-key",
            "topic:dkim-pass",
            "topic:dkim-pass",
            "topic:dmarc-record",
            "topic:dmarc-pass"
        ],
        "{steps:?}"
    );
    // Changed after signing, from the same address: nothing passes, and the domain's
    // policy says reject; explained in Azerbaijani.
    let changed = check(
        world,
        &signed().replace("hungry", "full"),
        "198.51.100.7",
        "az",
    );
    assert_eq!(changed["dkim"][0]["result"], "fail", "{changed}");
    assert_eq!(changed["dmarc"]["result"], "fail", "{changed}");
    assert_eq!(changed["disposition"], "reject");
    let summary = changed["steps"][0]["explanation"]["summary"]
        .as_str()
        .expect("a summary");
    assert!(summary.starts_with("SPF: qəbul edən server"), "{summary}");
    // A client address that is none gets a problem document, not a guess.
    let bad = http_send(
        &world.edge,
        "POST",
        "/api/v1/check",
        json!({"message": signed(), "client_ip": "here", "mail_from": ""})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(bad.status, 422);
    assert_eq!(bad.header("content-type"), Some("application/problem+json"));
}

fn route_plans_mx_hosts_by_preference_over_dns_over_https(world: &Outbound) {
    let plan = ok_json(&http_request(
        &world.edge,
        "GET",
        "/api/v1/route/route.test",
    ));
    assert_eq!(
        plan["targets"],
        json!([
            {"host": "mx1.route.test", "preference": 10, "address": "127.0.0.2", "port": 25},
            {"host": "mx2.route.test", "preference": 20, "address": "127.0.0.3", "port": 25},
        ]),
        "{plan}"
    );
    assert_eq!(plan["failure"], Value::Null);
    assert_eq!(plan["lookups"][0]["question"], "route.test MX?");
    let answer = plan["lookups"][0]["answer"].as_str().expect("an answer");
    assert!(
        answer.contains("route.test MX 10 mx1.route.test"),
        "{answer}"
    );
}

fn route_reports_null_mx_and_missing_domains_as_failures(world: &Outbound) {
    let edge = &world.edge;
    let null_mx = json_of(&http_request(edge, "GET", "/api/v1/route/nullmx.test"));
    assert_eq!(null_mx["failure"]["code"], 556, "{null_mx}");
    assert_eq!(null_mx["targets"], json!([]));
    let missing = json_of(&http_request(edge, "GET", "/api/v1/route/missing.test"));
    assert_eq!(missing["failure"]["code"], 550, "{missing}");
    // No MX: the domain's own address is the implicit MX (RFC 5321 §5.1).
    let implicit = json_of(&http_request(edge, "GET", "/api/v1/route/plain.test"));
    assert_eq!(implicit["targets"][0]["address"], "127.0.0.4", "{implicit}");
    let bad = http_request(edge, "GET", "/api/v1/route/not..a.domain");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.header("content-type"), Some("application/problem+json"));
}

fn send_delivers_through_the_relay_and_reports_each_recipient(world: &Outbound) {
    let (edge, relay, store) = (&world.edge, &world.relay, &world.store);
    let before = stored(store).len();
    let request = json!({
        "from": "alice@edge.test",
        "to": ["bob@far.test", "nobody@far.test"],
        "subject": "From the edge",
        "text": "Hello\n.a dot line\n",
    });
    let result = ok_json(&http_send(
        edge,
        "POST",
        "/api/v1/send",
        request.to_string().as_bytes(),
    ));
    assert_eq!(result["relay"], relay.address.to_string());
    assert_eq!(result["recipients"][0]["recipient"], "bob@far.test");
    assert_eq!(result["recipients"][0]["result"], "delivered");
    assert_eq!(result["recipients"][1]["result"], "permanent");
    assert!(
        result["recipients"][1]["reply"]
            .as_str()
            .is_some_and(|reply| reply.starts_with("550 5.1.1")),
        "{result}"
    );
    let messages = stored(store);
    assert_eq!(messages.len(), before + 1);
    let (recipients, message) = &messages[before];
    assert_eq!(recipients, "bob@far.test");
    let text = String::from_utf8_lossy(message);
    assert!(text.starts_with("From: <alice@edge.test>\r\nTo: <bob@far.test>, <nobody@far.test>\r\nSubject: From the edge\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\nHello\r\n.a dot line\r\n"), "{text}");
}

fn send_refuses_bad_addresses_and_header_injection(world: &Outbound) {
    let (edge, store) = (&world.edge, &world.store);
    let before = stored(store).len();
    for request in [
        json!({"from": "not an address", "to": ["b@far.test"], "subject": "s", "text": "t"}),
        json!({"from": "a@edge.test", "to": [], "subject": "s", "text": "t"}),
        json!({"from": "a@edge.test", "to": ["b@far.test"], "subject": "s\r\nBcc: eve@evil.test", "text": "t"}),
        json!({"from": "a@edge.test", "to": ["b@far.test"], "text": "no subject"}),
    ] {
        let response = http_send(edge, "POST", "/api/v1/send", request.to_string().as_bytes());
        assert_eq!(response.status, 422, "{request}");
        assert_eq!(
            response.header("content-type"),
            Some("application/problem+json")
        );
    }
    assert_eq!(stored(store).len(), before, "nothing reached the relay");
}

/// schemathesis (PyPI) generates requests from `wasi-component/openapi.json`, valid and
/// invalid, for every endpoint, with the edge able to reach its DoH resolver and relay,
/// and checks every response: no server error, only documented status codes, content
/// types and schemas, 405 with `Allow` for methods a path does not take.
#[test]
fn schemathesis_finds_no_server_error_or_schema_violation() {
    let environment = Environment::from_env();
    let world = outbound(&environment, false);
    let schemathesis = environment.python.with_file_name("schemathesis");
    let report = environment.output.join("schemathesis");
    std::fs::create_dir_all(&report).expect("the report folder");
    let output = std::process::Command::new(&schemathesis)
        // Its cache (`.schemathesis/`) goes beside the report, not into the source tree.
        .current_dir(&report)
        .arg("run")
        .arg(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasi-component/openapi.json"),
        )
        .arg("--url")
        .arg(format!("http://{}", world.edge.address))
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,\
             response_schema_conformance,response_headers_conformance,unsupported_method,\
             allow_header_conformance",
            "--max-examples",
            "25",
            "--seed",
            "5321",
            "--generation-deterministic",
            "--workers",
            "1",
            "--report-dir",
        ])
        .arg(&report)
        .env("NO_COLOR", "1")
        .output()
        .expect("run schemathesis");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
