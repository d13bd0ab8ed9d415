//! The JSON API under `/api/v1/` (described by `wasi-component/openapi.json`): the
//! simulator's scenarios and traces, dialogues with the server session, explanations,
//! live route plans, checks of who sent a message, and sending. Errors are RFC 9457 problem documents.

use serde::Serialize;
use wasmtp_core::explain;
use wasmtp_core::i18n::Language;
use wasmtp_core::sim::{self, Scenario, ScenarioError};
use wstd::http::{Body, Request, StatusCode};

use crate::answer::{Answer, problem, problem_with};

/// The API's OpenAPI 3.1 description, served at `/api/v1/openapi.json`.
const OPENAPI: &str = include_str!("../../openapi.json");

/// Largest request body taken, in octets (a scenario is a few KiB).
pub const MAX_BODY: usize = 256 * 1024;

fn method_not_allowed(allow: &'static str) -> Answer {
    let mut answer = problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        &format!("this path takes {allow}"),
    );
    answer.allow = Some(allow);
    answer
}

/// One entry of `GET /api/v1/scenarios`.
#[derive(Serialize)]
struct ScenarioSummary {
    id: String,
    title: String,
    intro: String,
    notice: Vec<String>,
}

/// The language of a request's answer: `lang=az` in its query, else its
/// `Accept-Language`, else English. Explanations, lesson texts and dialogues follow it.
pub fn language(query: Option<&str>, accept_language: &str) -> Language {
    let asked = query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Language::from_tag);
    asked
        .or_else(|| Language::from_accept_language(accept_language))
        .unwrap_or_default()
}

/// Answers a request for a path under `/api/v1/`, its texts in `language`.
pub async fn handle(request: Request<Body>, path: &str, language: Language) -> Answer {
    let method = request.method().as_str().to_owned();
    let get = method == "GET" || method == "HEAD";
    match path.strip_prefix("/api/v1/").unwrap_or_default() {
        "scenarios" if get => {
            let list: Vec<ScenarioSummary> = sim::BUILT_IN
                .iter()
                .filter_map(|(id, _)| sim::built_in(id))
                .map(|scenario| {
                    let text = scenario.text_in(language);
                    ScenarioSummary {
                        id: scenario.id,
                        title: text.title,
                        intro: text.intro,
                        notice: text.notice,
                    }
                })
                .collect();
            Answer::json(StatusCode::OK, &list)
        }
        "scenarios" => method_not_allowed("GET, HEAD"),
        "simulate" if method == "POST" => match read_body(request).await {
            Ok(json) => simulate(json),
            Err(answer) => answer,
        },
        "simulate" => method_not_allowed("POST"),
        "dialogue" if method == "POST" => match read_body(request).await {
            Ok(json) => crate::dialogue::run(json, language),
            Err(answer) => answer,
        },
        "dialogue" => method_not_allowed("POST"),
        "send" if method == "POST" => match read_body(request).await {
            Ok(json) => crate::send::send(json).await,
            Err(answer) => answer,
        },
        "send" => method_not_allowed("POST"),
        "check" if method == "POST" => match read_body(request).await {
            Ok(json) => crate::check::check(json, language).await,
            Err(answer) => answer,
        },
        "check" => method_not_allowed("POST"),
        "openapi.json" if get => Answer {
            status: StatusCode::OK,
            content_type: "application/json",
            body: OPENAPI.as_bytes().to_vec(),
            allow: None,
            language: None,
        },
        "openapi.json" => method_not_allowed("GET, HEAD"),
        rest => match rest.split_once('/') {
            Some(("scenarios", id)) if get => match sim::built_in(id) {
                Some(scenario) => Answer::json(StatusCode::OK, &scenario),
                None => problem(
                    StatusCode::NOT_FOUND,
                    "No such scenario",
                    &format!("no built-in scenario {id:?}; GET /api/v1/scenarios lists them"),
                ),
            },
            Some(("explain", key)) if get => explain_key(key, language),
            Some(("route", domain)) if get => crate::route::plan(domain).await,
            Some(("scenarios" | "explain" | "route", _)) => method_not_allowed("GET, HEAD"),
            _ => problem(
                StatusCode::NOT_FOUND,
                "Not found",
                &format!("no API endpoint {path}"),
            ),
        },
    }
}

/// The request body as JSON: size-limited (413), UTF-8 and well-formed (400 with the
/// position of the problem). Parsed once; the endpoints read their types from the value.
async fn read_body(request: Request<Body>) -> Result<serde_json::Value, Answer> {
    let declared = request
        .headers()
        .get("content-length")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY) {
        return Err(too_large());
    }
    let mut body = request.into_body();
    let bytes = body.contents().await.map_err(|error| {
        problem(
            StatusCode::BAD_REQUEST,
            "Unreadable body",
            &error.to_string(),
        )
    })?;
    if bytes.len() > MAX_BODY {
        return Err(too_large());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        problem(
            StatusCode::BAD_REQUEST,
            "Malformed JSON",
            "the body is not UTF-8",
        )
    })?;
    serde_json::from_str(text).map_err(|error| {
        let detail = format!(
            "{} (line {}, column {})",
            sim::json_error_detail(&error),
            error.line(),
            error.column()
        );
        problem(StatusCode::BAD_REQUEST, "Malformed JSON", &detail)
    })
}

/// `POST /api/v1/simulate`: a scenario (JSON) in, its trace out. The scenario's checks
/// run in `sim::run`, which reports every problem with its path.
fn simulate(json: serde_json::Value) -> Answer {
    let scenario: Scenario = match serde_json::from_value(json) {
        Ok(scenario) => scenario,
        Err(error) => {
            let errors = [ScenarioError::not_a_scenario(&error)];
            return problem_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid scenario",
                "1 problem(s); see errors",
                Some(&errors),
            );
        }
    };
    match sim::run(&scenario) {
        Ok(trace) => Answer::json(StatusCode::OK, &trace),
        Err(errors) => {
            let detail = format!("{} problem(s); see errors", errors.len());
            problem_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid scenario",
                &detail,
                Some(&errors),
            )
        }
    }
}

fn too_large() -> Answer {
    problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Request body too large",
        &format!("send at most {MAX_BODY} octets"),
    )
}

/// `GET /api/v1/explain/{key}`: `250` (reply code), `5.1.1` (enhanced code) or `EHLO`,
/// in the request's language.
fn explain_key(key: &str, language: Language) -> Answer {
    let lookup_key = if key.len() == 3 && key.bytes().all(|b| b.is_ascii_digit()) {
        format!("reply:{key}")
    } else if key.contains('.') {
        format!("enhanced:{key}")
    } else {
        format!("command:{}", key.to_ascii_uppercase())
    };
    match explain::lookup_in(&lookup_key, language) {
        Some(explanation) => Answer::json(StatusCode::OK, &explanation),
        None => problem(
            StatusCode::NOT_FOUND,
            "Nothing to explain",
            &format!(
                "{key:?} is not a reply code (250), an enhanced status code (5.1.1) or a command (EHLO)"
            ),
        ),
    }
}
