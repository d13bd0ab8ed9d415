//! `POST /api/v1/dialogue`: a learner's SMTP lines played against the real server
//! session (`wasmtp_core::dialogue`, which the web app's terminal uses too), each reply
//! explained. `{"profile": "strict", "lines": ["EHLO me.example", …]}`; every line is
//! sent with CRLF, message lines after DATA included.

use serde::Deserialize;
use wasmtp_core::dialogue::{self, Profile};
use wasmtp_core::i18n::Language;
use wstd::http::StatusCode;

use crate::answer::{Answer, problem};

/// At most this many lines per dialogue.
const MAX_LINES: usize = 500;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DialogueRequest {
    /// `strict` (wasmtp's defaults), `lax` (bare line endings accepted as CRLF) or
    /// `helo-only` (a server from before ESMTP).
    #[serde(default = "strict")]
    profile: String,
    lines: Vec<String>,
}

fn strict() -> String {
    Profile::Strict.name().to_owned()
}

pub fn run(json: serde_json::Value, language: Language) -> Answer {
    let invalid =
        |detail: &str| problem(StatusCode::UNPROCESSABLE_ENTITY, "Invalid dialogue", detail);
    let request: DialogueRequest = match serde_json::from_value(json) {
        Ok(request) => request,
        Err(error) => return invalid(&error.to_string()),
    };
    if request.lines.len() > MAX_LINES {
        return invalid(&format!(
            "at most {MAX_LINES} lines, not {}",
            request.lines.len()
        ));
    }
    let Some(profile) = Profile::from_name(&request.profile) else {
        return invalid(&format!(
            "unknown profile {:?}; use \"strict\", \"lax\" or \"helo-only\"",
            request.profile
        ));
    };
    Answer::json(
        StatusCode::OK,
        &dialogue::play_in(profile, &request.lines, language),
    )
}
