//! `POST /api/v1/check`: who really sent a pasted message. The core's SPF, DKIM and
//! DMARC checks ask their questions over DNS over HTTPS (as the route endpoint does),
//! and the answer is each verdict, the `Authentication-Results:` field a receiver
//! would add, and every step — each DNS question with its answer, each verdict —
//! explained in the request's language with its RFC section.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use wasmtp_core::auth::report::{self, Report};
use wasmtp_core::auth::spf;
use wasmtp_core::explain::{Explanation, Key};
use wasmtp_core::i18n::Language;
use wstd::http::StatusCode;

use crate::answer::{Answer, problem};
use crate::route::{ask, resolver};

/// What a receiving server would have known of the message.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    /// The whole message, header and body; bare LFs are taken as CR LF, as a pasted
    /// message has lost its line endings.
    message: String,
    /// The address of the host that handed the message over.
    client_ip: String,
    /// MAIL FROM (often the `Return-Path:`), `""` for a bounce.
    mail_from: String,
    /// The name the client gave in EHLO.
    #[serde(default)]
    helo: String,
}

#[derive(Serialize)]
struct Step {
    check: &'static str,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<String>,
    /// The key of `GET /api/v1/explain`'s catalog, e.g. `topic:dkim-fail`.
    explain: String,
    explanation: Explanation,
}

#[derive(Serialize)]
struct Verdict {
    result: &'static str,
    domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

#[derive(Serialize)]
struct Checked {
    authentication_results: String,
    spf: Verdict,
    dkim: Vec<Verdict>,
    dmarc: Verdict,
    /// What a receiver should do with the message under the author's policy:
    /// `none`, `quarantine` or `reject`.
    disposition: &'static str,
    steps: Vec<Step>,
}

/// The name this service checks as, the authserv-id of its `Authentication-Results:`.
const AUTHSERV_ID: &str = "wasmtp-edge";

fn checked(report: &Report, language: Language) -> Checked {
    let steps = report
        .steps()
        .into_iter()
        .map(|step| {
            let key = Key::Topic(step.topic);
            Step {
                check: step.method.name(),
                text: step.text,
                answer: step.answer,
                explain: key.to_string(),
                explanation: key.explanation_in(language),
            }
        })
        .collect();
    Checked {
        authentication_results: report.field(AUTHSERV_ID),
        spf: Verdict {
            result: report.spf.result.name(),
            domain: report.spf.domain.clone(),
            detail: report
                .spf
                .problem
                .clone()
                .or_else(|| report.spf.matched.clone()),
        },
        dkim: report
            .dkim
            .iter()
            .map(|signature| Verdict {
                result: signature.result.name(),
                domain: signature.domain.clone(),
                detail: signature.problem.clone(),
            })
            .collect(),
        dmarc: Verdict {
            result: report.dmarc.result.name(),
            domain: report.dmarc.from_domain.clone(),
            detail: report
                .dmarc
                .problem
                .clone()
                .or_else(|| report.dmarc.aligned.clone()),
        },
        disposition: report.dmarc.disposition.name(),
        steps,
    }
}

/// A pasted message with its line endings made CR LF.
fn with_crlf(message: &str) -> Vec<u8> {
    message
        .replace("\r\n", "\n")
        .replace('\n', "\r\n")
        .into_bytes()
}

pub async fn check(json: serde_json::Value, language: Language) -> Answer {
    let request: CheckRequest = match serde_json::from_value(json) {
        Ok(request) => request,
        Err(error) => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid check request",
                &error.to_string(),
            );
        }
    };
    let Ok(ip) = request.client_ip.parse::<IpAddr>() else {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid check request",
            &format!(
                "client_ip {:?} is not an IPv4 or IPv6 address",
                request.client_ip
            ),
        );
    };
    let resolver = match resolver() {
        Ok(resolver) => resolver,
        Err(answer) => return answer,
    };
    let client = spf::Client {
        ip,
        helo: request.helo,
        mail_from: request.mail_from,
        receiver: AUTHSERV_ID.to_owned(),
        now: wasmtp_wasi::clock::now().as_millis() / 1000,
    };
    // pct= (RFC 7489 §6.6.4) samples failing mail at random.
    let sample = (wasip2::random::random::get_random_u64() % 100) as u8;
    let report = report::check(&client, &with_crlf(&request.message), sample)
        .run_async(|query| {
            let resolver = &resolver;
            async move { ask(resolver, &query.name, query.kind).await }
        })
        .await;
    Answer::json(StatusCode::OK, &checked(&report, language))
}
