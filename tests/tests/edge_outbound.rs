//! The edge endpoints that reach out, under the real `wasmtime serve`: route plans over
//! DNS-over-HTTPS (`wasi:http` outgoing requests to a loopback DoH stub in front of
//! dnsmasq) and sending through a relay (the core's client over `wasi:sockets` to
//! aiosmtpd). Loopback only.

use serde_json::{Value, json};
use wasmtp_tests::{Environment, Running, http_request, http_send, stored};

fn json_of(response: &wasmtp_tests::HttpResponse) -> Value {
    serde_json::from_slice(&response.body).expect("a JSON body")
}

/// dnsmasq with the zone, the DoH stub in front of it, and the edge asking the stub.
fn edge_with_doh(environment: &Environment, zone: &[&str]) -> (Running, Running, Running) {
    let dns = environment.start_dnsmasq(&zone.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>());
    let doh = environment.start_doh(dns.address);
    let edge = environment.start_edge_with(&[(
        "WASMTP_DOH_URL",
        format!("http://{}/dns-query", doh.address),
    )]);
    (dns, doh, edge)
}

#[test]
fn route_plans_mx_hosts_by_preference_over_dns_over_https() {
    let environment = Environment::from_env();
    let (_dns, _doh, edge) = edge_with_doh(
        &environment,
        &[
            "--mx-host=route.test,mx2.route.test,20",
            "--mx-host=route.test,mx1.route.test,10",
            "--host-record=mx1.route.test,127.0.0.2",
            "--host-record=mx2.route.test,127.0.0.3",
        ],
    );
    let response = http_request(&edge, "GET", "/api/v1/route/route.test");
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    let plan = json_of(&response);
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

#[test]
fn route_reports_null_mx_and_missing_domains_as_failures() {
    let environment = Environment::from_env();
    let (_dns, _doh, edge) = edge_with_doh(
        &environment,
        &[
            "--mx-host=nullmx.test,.,0",
            "--host-record=plain.test,127.0.0.4",
        ],
    );
    let null_mx = json_of(&http_request(&edge, "GET", "/api/v1/route/nullmx.test"));
    assert_eq!(null_mx["failure"]["code"], 556, "{null_mx}");
    assert_eq!(null_mx["targets"], json!([]));
    let missing = json_of(&http_request(&edge, "GET", "/api/v1/route/missing.test"));
    assert_eq!(missing["failure"]["code"], 550, "{missing}");
    // No MX: the domain's own address is the implicit MX (RFC 5321 §5.1).
    let implicit = json_of(&http_request(&edge, "GET", "/api/v1/route/plain.test"));
    assert_eq!(implicit["targets"][0]["address"], "127.0.0.4", "{implicit}");
    let bad = http_request(&edge, "GET", "/api/v1/route/not..a.domain");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.header("content-type"), Some("application/problem+json"));
}

#[test]
fn route_and_send_without_configuration_say_what_to_set() {
    let environment = Environment::from_env();
    let edge = environment.start_edge();
    let route = http_request(&edge, "GET", "/api/v1/route/example.org");
    assert_eq!(route.status, 503);
    assert!(
        json_of(&route)["detail"]
            .as_str()
            .is_some_and(|d| d.contains("WASMTP_DOH_URL"))
    );
    let send = http_send(
        &edge,
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
}

#[test]
fn send_delivers_through_the_relay_and_reports_each_recipient() {
    let environment = Environment::from_env();
    let store = environment.fresh_dir("relay");
    let relay = environment.start_aiosmtpd(&store);
    let edge = environment.start_edge_with(&[("WASMTP_RELAY", relay.address.to_string())]);
    let request = json!({
        "from": "alice@edge.test",
        "to": ["bob@far.test", "nobody@far.test"],
        "subject": "From the edge",
        "text": "Hello\n.a dot line\n",
    });
    let response = http_send(
        &edge,
        "POST",
        "/api/v1/send",
        request.to_string().as_bytes(),
    );
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    let result = json_of(&response);
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
    let messages = stored(&store);
    assert_eq!(messages.len(), 1);
    let (recipients, message) = &messages[0];
    assert_eq!(recipients, "bob@far.test");
    let text = String::from_utf8_lossy(message);
    assert!(text.starts_with("From: <alice@edge.test>\r\nTo: <bob@far.test>, <nobody@far.test>\r\nSubject: From the edge\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\nHello\r\n.a dot line\r\n"), "{text}");
}

#[test]
fn send_refuses_bad_addresses_and_header_injection() {
    let environment = Environment::from_env();
    let store = environment.fresh_dir("relay");
    let relay = environment.start_aiosmtpd(&store);
    let edge = environment.start_edge_with(&[("WASMTP_RELAY", relay.address.to_string())]);
    for request in [
        json!({"from": "not an address", "to": ["b@far.test"], "subject": "s", "text": "t"}),
        json!({"from": "a@edge.test", "to": [], "subject": "s", "text": "t"}),
        json!({"from": "a@edge.test", "to": ["b@far.test"], "subject": "s\r\nBcc: eve@evil.test", "text": "t"}),
        json!({"from": "a@edge.test", "to": ["b@far.test"], "text": "no subject"}),
    ] {
        let response = http_send(
            &edge,
            "POST",
            "/api/v1/send",
            request.to_string().as_bytes(),
        );
        assert_eq!(response.status, 422, "{request}");
        assert_eq!(
            response.header("content-type"),
            Some("application/problem+json")
        );
    }
    assert!(stored(&store).is_empty(), "nothing reached the relay");
}
