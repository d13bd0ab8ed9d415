//! What every endpoint answers: a status, a content type and a body; errors as RFC
//! 9457 problem documents.

use serde::Serialize;
use wasmtp_core::i18n::Language;
use wasmtp_core::sim::ScenarioError;
use wstd::http::StatusCode;

/// An answer: status, content type and body.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// For `405`: the methods the path takes.
    pub allow: Option<&'static str>,
    /// The language of its text (explanations, lessons), for `Content-Language`.
    pub language: Option<Language>,
}

impl Answer {
    pub fn json(status: StatusCode, value: &impl Serialize) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self {
                status,
                content_type: "application/json",
                body,
                allow: None,
                language: None,
            },
            Err(error) => problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                &error.to_string(),
            ),
        }
    }
}

/// RFC 9457: `type`, `title`, `status`, `detail`, plus `errors` for invalid scenarios.
#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [ScenarioError]>,
}

pub fn problem(status: StatusCode, title: &str, detail: &str) -> Answer {
    problem_with(status, title, detail, None)
}

pub fn problem_with(
    status: StatusCode,
    title: &str,
    detail: &str,
    errors: Option<&[ScenarioError]>,
) -> Answer {
    let document = Problem {
        kind: "about:blank",
        title,
        status: status.as_u16(),
        detail,
        errors,
    };
    Answer {
        status,
        content_type: "application/problem+json",
        body: serde_json::to_vec(&document).unwrap_or_default(),
        allow: None,
        language: None,
    }
}
