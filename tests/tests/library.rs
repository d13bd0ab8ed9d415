//! `wasmtp.wasm`, the library component, called from two real component hosts: the
//! `wasmtime` crate in-process, and Node through a jco transpilation. Both drive the
//! same steps of `tests/fixtures/library.json` (an SMTP dialogue through the
//! `server.session` resource, a built-in scenario and an invalid one through `sim`, a
//! route plan, explanations) and their reports are checked by the same function.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};
use wasmtime::component::{Component, Linker, ResourceAny};
use wasmtime::{Engine, Store};
use wasmtp_tests::{Environment, WasiHost as Host};

wasmtime::component::bindgen!({
    world: "library",
    path: "../wasi-component/wit",
});

use exports::wasmtp::smtp::auth::{Client as AuthClient, Report as AuthReport, SignError, Signer};
use exports::wasmtp::smtp::explain::ExplainError;
use exports::wasmtp::smtp::route::{Options, Outcome, RecordData, Zone as RouteZone, ZoneRecord};
use exports::wasmtp::smtp::server::{Config, Connection, Decision, Event};
use exports::wasmtp::smtp::sim::ScenarioError;

fn fixture() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/library.json");
    serde_json::from_slice(&std::fs::read(path).expect("the fixture")).expect("fixture JSON")
}

/// The engine and the compiled component, once for all tests of this file: compiling
/// is most of the time an instantiation takes.
fn compiled(environment: &Environment) -> &'static (Engine, Component) {
    static COMPILED: OnceLock<(Engine, Component)> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let engine = Engine::default();
        let component = Component::from_file(&engine, environment.artifact("wasmtp.wasm"))
            .expect("load wasmtp.wasm");
        (engine, component)
    })
}

fn instantiate(environment: &Environment) -> (Store<Host>, Library) {
    let (engine, component) = compiled(environment);
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("link WASI");
    let mut store = Store::new(engine, Host::default());
    let library = Library::instantiate(&mut store, component, &linker).expect("instantiate");
    (store, library)
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item.as_str().expect("a string").to_owned())
        .collect()
}

/// A server configuration with the RFC's defaults.
fn server_config(hostname: &str, local_domains: Vec<String>) -> Config {
    Config {
        hostname: hostname.to_owned(),
        local_domains,
        max_message_size: 0,
        accept_bare_line_endings: false,
        helo_only: false,
        offer_starttls: false,
        auth_mechanisms: Vec::new(),
        require_auth: false,
    }
}

/// An untrusted, unencrypted connection.
fn connection(client_ip: Option<&str>, session_id: &str) -> Connection {
    Connection {
        client_ip: client_ip.map(str::to_owned),
        trusted: false,
        tls: false,
        session_id: session_id.to_owned(),
    }
}

/// The code of each last reply line in one step's output.
fn reply_codes(output: &str) -> Vec<u16> {
    output
        .split("\r\n")
        .filter(|line| line.len() >= 4 && line.as_bytes()[3] == b' ')
        .filter_map(|line| line[..3].parse().ok())
        .collect()
}

/// The dialogue of the fixture through the `server.session` resource.
fn dialogue(store: &mut Store<Host>, library: &Library, spec: &Value) -> Value {
    const NOW: u64 = 1_767_603_600_000;
    let server = library.wasmtp_smtp_server().session();
    let config = server_config(
        spec["config"]["hostname"].as_str().expect("hostname"),
        strings(&spec["config"]["local_domains"]),
    );
    let connection = connection(Some("192.0.2.9"), "wasmtime");
    let session: ResourceAny = server
        .call_open(&mut *store, &config, &connection, NOW)
        .expect("call open")
        .expect("a valid configuration");
    let accepted = strings(&spec["accept_recipients"]);
    let (mut replies, mut envelope, mut content, mut closed) =
        (Vec::new(), Value::Null, String::new(), false);
    for step in spec["steps"].as_array().expect("steps") {
        let send = step["send"].as_str().expect("send");
        if !send.is_empty() {
            server
                .call_receive(&mut *store, session, send.as_bytes(), NOW)
                .expect("call receive");
        }
        let mut output = String::new();
        while let Some(event) = server
            .call_next_event(&mut *store, session)
            .expect("call next-event")
        {
            let decision = match event {
                Event::Output(bytes) => {
                    output.push_str(&String::from_utf8_lossy(&bytes));
                    None
                }
                Event::Close => {
                    closed = true;
                    None
                }
                Event::Mail(_) => Some(Decision::Accept),
                Event::Rcpt(recipient) if accepted.contains(&recipient) => Some(Decision::Accept),
                Event::Rcpt(_) => Some(Decision::Reject),
                Event::MessageData(bytes) => {
                    content.push_str(&String::from_utf8_lossy(&bytes));
                    None
                }
                Event::MessageEnd(received) => {
                    envelope = json!({
                        "reverse_path": received.reverse_path,
                        "recipients": received.recipients,
                    });
                    Some(Decision::Accept)
                }
                other => panic!("unexpected event {other:?}"),
            };
            if let Some(decision) = decision {
                server
                    .call_decide(&mut *store, session, &decision)
                    .expect("call decide")
                    .expect("a decision was pending");
            }
        }
        replies.push(reply_codes(&output));
    }
    session
        .resource_drop(&mut *store)
        .expect("drop the session");
    json!({ "replies": replies, "envelope": envelope, "content": content, "closed": closed })
}

fn scenario(store: &mut Store<Host>, library: &Library, spec: &Value) -> Value {
    let trace = library
        .wasmtp_smtp_sim()
        .call_run_builtin(&mut *store, spec["id"].as_str().expect("id"))
        .expect("call run-builtin")
        .expect("a trace");
    // The component's trace is the core's, step for step.
    let native = wasmtp_core::sim::built_in(&trace.scenario)
        .and_then(|scenario| wasmtp_core::sim::run(&scenario).ok())
        .expect("the scenario natively");
    let texts: Vec<&str> = trace.steps.iter().map(|step| step.text.as_str()).collect();
    let native_texts: Vec<&str> = native.steps.iter().map(|step| step.text.as_str()).collect();
    assert_eq!(texts, native_texts);
    json!({
        "title": trace.title,
        "steps": trace.steps.len(),
        "delivered": trace.summary.delivered,
        "round_trips": trace.summary.round_trips,
    })
}

fn invalid_scenario(store: &mut Store<Host>, library: &Library, spec: &Value) -> Value {
    let sim = library.wasmtp_smtp_sim();
    let json = sim
        .call_scenario_json(&mut *store, spec["base"].as_str().expect("base"))
        .expect("call scenario-json")
        .expect("a built-in scenario");
    let mut broken: Value = serde_json::from_str(&json).expect("scenario JSON");
    broken["sender"]["address"] = spec["sender_address"].clone();
    match sim
        .call_run(&mut *store, &broken.to_string())
        .expect("call run")
    {
        Err(ScenarioError::Invalid(problems)) => {
            json!(
                problems
                    .iter()
                    .map(|problem| &problem.path)
                    .collect::<Vec<_>>()
            )
        }
        other => json!([format!("{other:?}")]),
    }
}

fn route_plan(store: &mut Store<Host>, library: &Library, spec: &Value) -> Value {
    let records = spec["zone"]["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|record| {
            let data = &record["data"];
            let data = if let Some(mx) = data.get("mx") {
                RecordData::Mx((
                    mx[0]
                        .as_u64()
                        .and_then(|p| u16::try_from(p).ok())
                        .expect("preference"),
                    mx[1].as_str().expect("exchange").to_owned(),
                ))
            } else {
                RecordData::Address(data["address"].as_str().expect("address").to_owned())
            };
            ZoneRecord {
                name: record["name"].as_str().expect("name").to_owned(),
                data,
            }
        })
        .collect();
    let zone = RouteZone {
        records,
        failing: strings(&spec["zone"]["failing"]),
    };
    let options = Options {
        local_names: Vec::new(),
        seed: 0,
        max_addresses: 0,
        srv: false,
    };
    let plan = library
        .wasmtp_smtp_route()
        .call_plan(
            &mut *store,
            spec["destination"].as_str().expect("destination"),
            &zone,
            &options,
        )
        .expect("call plan")
        .expect("a plan");
    let targets: Vec<String> = match plan.outcome {
        Outcome::Route(targets) => targets
            .iter()
            .map(|target| format!("{} {}:{}", target.host, target.address, target.port))
            .collect(),
        Outcome::Fail(reply) => vec![format!("fail {}", reply.code)],
    };
    json!({ "targets": targets, "lookups": plan.lookups.len() })
}

/// A report's verdicts in the fixture's words: `spf pass`, `dkim pass <d> <s>`,
/// `dmarc fail reject` (result and disposition).
fn verdicts(report: &AuthReport) -> Vec<String> {
    // `SpfResult::Pass` → `pass`, as WIT names the case.
    let name = |debug: String| {
        debug
            .rsplit("::")
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let mut words = vec![format!("spf {}", name(format!("{:?}", report.spf.result)))];
    words.extend(report.dkim.iter().map(|verdict| {
        format!(
            "dkim {} {} {}",
            name(format!("{:?}", verdict.result)),
            verdict.domain,
            verdict.selector
        )
    }));
    words.push(format!(
        "dmarc {} {}",
        name(format!("{:?}", report.dmarc.result)),
        name(format!("{:?}", report.dmarc.disposition))
    ));
    words
}

/// The `auth` steps: key records, signing with both keys, and the checks of the signed
/// message from a listed client and of a changed one from an unlisted client.
fn authentication(store: &mut Store<Host>, library: &Library, spec: &Value) -> Value {
    let auth = library.wasmtp_smtp_auth();
    let now = spec["now"].as_u64().expect("now");
    let text = |value: &Value| value.as_str().expect("a string").to_owned();
    let signers = spec["signers"].as_array().expect("signers");
    let mut zone: Vec<ZoneRecord> = spec["zone"]
        .as_array()
        .expect("zone")
        .iter()
        .map(|record| ZoneRecord {
            name: text(&record["name"]),
            data: RecordData::Txt(text(&record["data"]["txt"])),
        })
        .collect();
    let mut key_records = Vec::new();
    let mut message = text(&spec["message"]);
    for signer in signers {
        let record = auth
            .call_key_record(&mut *store, &text(&signer["private_key"]))
            .expect("call key-record")
            .expect("a key record");
        zone.push(ZoneRecord {
            name: format!(
                "{}._domainkey.{}",
                text(&signer["selector"]),
                text(&signer["domain"])
            ),
            data: RecordData::Txt(record.clone()),
        });
        key_records.push(record);
        let field = auth
            .call_sign(
                &mut *store,
                message.as_bytes(),
                &Signer {
                    domain: text(&signer["domain"]),
                    selector: text(&signer["selector"]),
                    private_key: text(&signer["private_key"]),
                },
                now,
            )
            .expect("call sign")
            .expect("a signature");
        message = format!("{field}{message}");
    }
    let zone = RouteZone {
        records: zone,
        failing: Vec::new(),
    };
    let client = &spec["client"];
    let mut check = |message: &str, ip: &Value| {
        auth.call_check(
            &mut *store,
            message.as_bytes(),
            &AuthClient {
                ip: text(ip),
                helo: text(&client["helo"]),
                mail_from: text(&client["mail_from"]),
                receiver: text(&client["receiver"]),
            },
            &zone,
            now,
            0,
        )
        .expect("call check")
        .expect("a report")
    };
    let signed = check(&message, &spec["listed_ip"]);
    let tampered = check(
        &message.replace(
            spec["tampered_from"].as_str().expect("from"),
            spec["tampered_to"].as_str().expect("to"),
        ),
        &spec["unlisted_ip"],
    );
    let bad_key = match auth
        .call_key_record(&mut *store, "not a key")
        .expect("call key-record")
    {
        Err(SignError::InvalidKey(_)) => "invalid-key".to_owned(),
        other => format!("{other:?}"),
    };
    json!({
        "key_records": key_records,
        "signed": verdicts(&signed),
        "tampered": verdicts(&tampered),
        "field": signed.authentication_results,
        "lookups": signed.lookups.iter().map(|lookup| lookup.question.clone()).collect::<Vec<_>>(),
        "bad_key": bad_key,
    })
}

fn wasmtime_report(environment: &Environment, fixture: &Value) -> Value {
    let (mut store, library) = instantiate(environment);
    let explain = library.wasmtp_smtp_explain();
    let reference = explain
        .call_explain_reply(&mut store, 250)
        .expect("call explain-reply")
        .expect("250 is a reply code")
        .reference;
    let explain_error = match explain
        .call_explain_reply(&mut store, 199)
        .expect("call explain-reply")
    {
        Err(ExplainError::InvalidReplyCode(code)) => {
            json!({"tag": "invalid-reply-code", "val": code})
        }
        other => json!(format!("{other:?}")),
    };
    let lookup = explain
        .call_lookup(&mut store, "enhanced:5.1.1")
        .expect("call lookup")
        .map(|explanation| explanation.reference);
    let explain_in = &fixture["explain_in"];
    let summary_in = explain
        .call_lookup_in(
            &mut store,
            explain_in["key"].as_str().expect("key"),
            explain_in["language"].as_str().expect("language"),
        )
        .expect("call lookup-in")
        .map(|explanation| explanation.summary);
    let languages = explain.call_languages(&mut store).expect("call languages");
    json!({
        "dialogue": dialogue(&mut store, &library, &fixture["dialogue"]),
        "scenario": scenario(&mut store, &library, &fixture["scenario"]),
        "invalid_scenario": invalid_scenario(&mut store, &library, &fixture["invalid_scenario"]),
        "route": route_plan(&mut store, &library, &fixture["route"]),
        "auth": authentication(&mut store, &library, &fixture["auth"]),
        "explain": reference,
        "explain_error": explain_error,
        "lookup": lookup,
        "explain_in": {"summary": summary_in, "languages": languages},
    })
}

/// What every host must have seen.
fn check(report: &Value, fixture: &Value) {
    let dialogue = &fixture["dialogue"];
    let expected: Vec<&Value> = dialogue["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| &step["replies"])
        .collect();
    let replies: Vec<&Value> = report["dialogue"]["replies"]
        .as_array()
        .expect("replies")
        .iter()
        .collect();
    assert_eq!(replies, expected, "reply codes per step: {report}");
    assert_eq!(report["dialogue"]["envelope"], dialogue["envelope"]);
    let content = report["dialogue"]["content"].as_str().expect("content");
    assert!(
        content.starts_with("Received: from client.example"),
        "{content}"
    );
    assert!(
        content.ends_with(dialogue["content_ends_with"].as_str().expect("ending")),
        "{content}"
    );
    assert_eq!(report["dialogue"]["closed"], dialogue["closed"]);
    let scenario = &fixture["scenario"];
    for field in ["title", "steps", "delivered", "round_trips"] {
        assert_eq!(
            report["scenario"][field], scenario[field],
            "scenario {field}"
        );
    }
    assert_eq!(
        report["invalid_scenario"],
        json!([fixture["invalid_scenario"]["problem_path"]])
    );
    assert_eq!(report["route"]["targets"], fixture["route"]["targets"]);
    assert_eq!(report["route"]["lookups"], fixture["route"]["lookups"]);
    let auth = &fixture["auth"];
    for field in ["key_records", "signed", "tampered", "lookups", "bad_key"] {
        assert_eq!(report["auth"][field], auth[field], "auth {field}: {report}");
    }
    let field = report["auth"]["field"].as_str().expect("a field");
    assert!(
        field.starts_with(auth["field_starts_with"].as_str().expect("start")),
        "{field}"
    );
    assert_eq!(report["explain"], "RFC 5321 §4.2.2");
    assert_eq!(
        report["explain_error"],
        json!({"tag": "invalid-reply-code", "val": 199})
    );
    assert_eq!(report["lookup"], "RFC 3463 §3.2");
    assert_eq!(
        report["explain_in"]["summary"],
        fixture["explain_in"]["summary"]
    );
    assert_eq!(
        report["explain_in"]["languages"],
        fixture["explain_in"]["languages"]
    );
}

#[test]
fn wasmtime_host_passes_the_dialogue_and_scenario_tests() {
    let environment = Environment::from_env();
    let fixture = fixture();
    check(&wasmtime_report(&environment, &fixture), &fixture);
}

#[test]
fn node_host_passes_the_same_tests_through_jco() {
    let environment = Environment::from_env();
    let out = environment.output.join("jco");
    let module_dir = out.join("wasmtp");
    let transpile = environment
        .node()
        .arg(
            environment
                .node_modules
                .join("@bytecodealliance/jco/dist/jco.js"),
        )
        .arg("transpile")
        .arg(environment.artifact("wasmtp.wasm"))
        .arg("--out-dir")
        .arg(&module_dir)
        .output()
        .expect("run jco");
    assert!(
        transpile.status.success(),
        "{}",
        String::from_utf8_lossy(&transpile.stderr)
    );
    // ES modules resolve packages from an enclosing node_modules, never NODE_PATH.
    let link = out.join("node_modules");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&environment.node_modules, &link).expect("link node_modules");

    let run = environment
        .node()
        .arg(environment.script("library.mjs"))
        .arg(module_dir.join("wasmtp.js"))
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/library.json"))
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Value = serde_json::from_slice(&run.stdout).expect("JSON from node");
    check(&report, &fixture());
}

#[test]
fn a_host_reply_that_breaks_the_rfc_becomes_a_local_error() {
    let environment = Environment::from_env();
    let (mut store, library) = instantiate(&environment);
    let server = library.wasmtp_smtp_server().session();
    let config = server_config("mx.example.org", Vec::new());
    let connection = connection(None, "bad-reply");
    let session = server
        .call_open(&mut store, &config, &connection, 0)
        .expect("call open")
        .expect("a session");
    server
        .call_receive(
            &mut store,
            session,
            b"EHLO c.example\r\nMAIL FROM:<a@c.example>\r\n",
            0,
        )
        .expect("call receive");
    let mut output = Vec::new();
    while let Some(event) = server
        .call_next_event(&mut store, session)
        .expect("call next-event")
    {
        match event {
            Event::Output(bytes) => output.extend(bytes),
            Event::Mail(_) => {
                // A line break in the text would inject a reply line.
                let reply = exports::wasmtp::smtp::types::Reply {
                    code: 250,
                    enhanced: None,
                    lines: vec!["ok\r\n250 injected".to_owned()],
                };
                server
                    .call_decide(&mut store, session, &Decision::Reply(reply))
                    .expect("call decide")
                    .expect("a decision was pending");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let output = String::from_utf8_lossy(&output);
    assert!(
        output.ends_with("451 4.3.0 Local error in processing\r\n"),
        "{output}"
    );
    assert!(!output.contains("injected"), "{output}");
    // Answered already: a second decision comes back as a typed error.
    let again = server
        .call_decide(&mut store, session, &Decision::Accept)
        .expect("call decide");
    assert_eq!(
        again,
        Err(exports::wasmtp::smtp::server::DecideError::NothingPending)
    );
}

#[test]
fn starttls_and_auth_run_through_the_typed_interface() {
    // A submission host over the WIT: STARTTLS (the host runs the handshake, then says
    // so), AUTH only once encrypted, credentials checked by the host, 530 before AUTH.
    let environment = Environment::from_env();
    let (mut store, library) = instantiate(&environment);
    let server = library.wasmtp_smtp_server().session();
    let mut config = server_config("submit.example.org", Vec::new());
    config.offer_starttls = true;
    config.auth_mechanisms = vec!["plain".to_owned(), "LOGIN".to_owned()];
    config.require_auth = true;
    let session = server
        .call_open(&mut store, &config, &connection(None, "tls"), 0)
        .expect("call open")
        .expect("a session");
    let exchange = |store: &mut Store<Host>, send: &str| {
        server
            .call_receive(&mut *store, session, send.as_bytes(), 0)
            .expect("call receive");
        let (mut output, mut events) = (String::new(), Vec::new());
        while let Some(event) = server
            .call_next_event(&mut *store, session)
            .expect("call next-event")
        {
            match event {
                Event::Output(bytes) => output.push_str(&String::from_utf8_lossy(&bytes)),
                Event::StartTls => {
                    events.push("start-tls".to_owned());
                    server
                        .call_tls_established(&mut *store, session, 0)
                        .expect("call tls-established");
                }
                Event::Authenticate(credentials) => {
                    events.push(format!("authenticate {}", credentials.username));
                    let decision = if credentials.password == "secret" {
                        Decision::Accept
                    } else {
                        Decision::Reject
                    };
                    server
                        .call_decide(&mut *store, session, &decision)
                        .expect("call decide")
                        .expect("a decision was pending");
                }
                Event::Mail(_) => server
                    .call_decide(&mut *store, session, &Decision::Accept)
                    .expect("call decide")
                    .expect("a decision was pending"),
                other => panic!("unexpected {other:?}"),
            }
        }
        (output, events)
    };
    let (greeting_and_ehlo, _) = exchange(&mut store, "EHLO c.example\r\n");
    assert!(
        greeting_and_ehlo.contains("250 STARTTLS\r\n"),
        "{greeting_and_ehlo}"
    );
    assert!(!greeting_and_ehlo.contains("AUTH"), "{greeting_and_ehlo}");
    let (output, _) = exchange(&mut store, "AUTH PLAIN AHVzZXIAc2VjcmV0\r\n");
    assert!(output.starts_with("538 5.7.11"), "{output}");
    let (output, events) = exchange(&mut store, "STARTTLS\r\n");
    assert_eq!(output, "220 2.0.0 Ready to start TLS\r\n");
    assert_eq!(events, ["start-tls"]);
    let (output, _) = exchange(&mut store, "EHLO c.example\r\n");
    assert!(output.contains("250 AUTH PLAIN LOGIN\r\n"), "{output}");
    let (output, _) = exchange(&mut store, "MAIL FROM:<user@c.example>\r\n");
    assert_eq!(output, "530 5.7.0 Authentication required\r\n");
    // PLAIN's "\0user\0wrong", then "\0user\0secret".
    let (output, events) = exchange(&mut store, "AUTH PLAIN AHVzZXIAd3Jvbmc=\r\n");
    assert_eq!(
        (output.as_str(), events),
        (
            "535 5.7.8 Authentication credentials invalid\r\n",
            vec!["authenticate user".to_owned()]
        )
    );
    let (output, _) = exchange(&mut store, "AUTH PLAIN AHVzZXIAc2VjcmV0\r\n");
    assert_eq!(output, "235 2.7.0 Authentication successful\r\n");
    let (output, _) = exchange(&mut store, "MAIL FROM:<user@c.example>\r\n");
    assert_eq!(output, "250 2.1.0 Sender OK\r\n");
}

#[test]
fn bad_configuration_is_a_typed_error() {
    let environment = Environment::from_env();
    let (mut store, library) = instantiate(&environment);
    let mut config = server_config("submit.example.org", Vec::new());
    config.auth_mechanisms = vec!["CRAM-MD5".to_owned()];
    let outcome = library
        .wasmtp_smtp_server()
        .session()
        .call_open(&mut store, &config, &connection(None, ""), 0)
        .expect("call open");
    assert!(
        matches!(&outcome, Err(exports::wasmtp::smtp::server::ConfigError::UnknownMechanism(name)) if name == "CRAM-MD5"),
        "{:?}",
        outcome.as_ref().err()
    );
    let config = server_config("not a host name", Vec::new());
    let connection = connection(None, "");
    let outcome = library
        .wasmtp_smtp_server()
        .session()
        .call_open(&mut store, &config, &connection, 0)
        .expect("call open");
    assert!(
        matches!(&outcome, Err(exports::wasmtp::smtp::server::ConfigError::InvalidHostname(name)) if name == "not a host name"),
        "{:?}",
        outcome.as_ref().err()
    );
}

#[test]
fn wasmtime_cli_invokes_the_plain_functions() {
    let environment = Environment::from_env();
    for (call, expected) in [
        (
            "explain-reply(550)",
            "ok({summary: \"The mailbox is unavailable",
        ),
        ("lookup(\"command:EHLO\")", "some({summary: "),
        ("list-scenarios()", "[{id: \"first-email\""),
    ] {
        let output = Command::new(&environment.wasmtime)
            .args(["run", "--invoke", call])
            .arg(environment.artifact("wasmtp.wasm"))
            .output()
            .expect("run wasmtime");
        assert!(
            output.status.success(),
            "{call}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(printed.starts_with(expected), "{call}: {printed}");
    }
}

/// The interfaces a component imports and exports, as `wasm-tools component wit` reads
/// them from the built file.
fn world_of(environment: &Environment, artifact: &str) -> Vec<String> {
    let output = Command::new(environment.python.with_file_name("wasm-tools"))
        .args(["component", "wit"])
        .arg(environment.artifact(artifact))
        .output()
        .expect("run wasm-tools");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("import ") || line.starts_with("export "))
        .map(|line| {
            // `import wasi:io/poll@0.2.6;` → `import wasi:io/poll`
            let line = line.trim_end_matches(';');
            line.split('@').next().unwrap_or(line).to_owned()
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// The sandbox each component asks for: the library no files, sockets, clocks or
/// secure randomness (only what Rust's std links: cli, io, and the insecure seed its
/// `HashMap` keys its hasher with, which the explanations' Fluent formatter uses); the
/// server no HTTP; the edge no files and no UDP (its DNS goes over HTTPS).
#[test]
fn each_component_imports_only_what_its_job_needs() {
    let environment = Environment::from_env();
    let library = world_of(&environment, "wasmtp.wasm");
    for interface in [
        "types", "server", "client", "route", "auth", "sim", "explain",
    ] {
        assert!(
            library.contains(&format!("export wasmtp:smtp/{interface}")),
            "{library:?}"
        );
    }
    let imports = |world: &[String]| -> Vec<String> {
        world
            .iter()
            .filter_map(|line| line.strip_prefix("import "))
            .map(str::to_owned)
            .collect()
    };
    for import in imports(&library) {
        assert!(
            import.starts_with("wasi:cli/")
                || import.starts_with("wasi:io/")
                || import == "wasi:random/insecure-seed",
            "the library imports {import}"
        );
    }
    let server = world_of(&environment, "wasmtp-server.wasm");
    assert!(
        server.contains(&"export wasi:cli/run".to_owned()),
        "{server:?}"
    );
    assert!(
        imports(&server)
            .iter()
            .all(|import| !import.starts_with("wasi:http/")),
        "{server:?}"
    );
    let edge = world_of(&environment, "wasmtp-edge.wasm");
    assert!(
        edge.contains(&"export wasi:http/incoming-handler".to_owned()),
        "{edge:?}"
    );
    assert!(
        edge.contains(&"import wasi:http/outgoing-handler".to_owned()),
        "{edge:?}"
    );
    for forbidden in ["wasi:filesystem/", "wasi:sockets/udp"] {
        assert!(
            imports(&edge)
                .iter()
                .all(|import| !import.starts_with(forbidden)),
            "the edge imports {forbidden}: {edge:?}"
        );
    }
}
