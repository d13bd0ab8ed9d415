//! `POST /api/v1/dialogue`: a learner's SMTP lines played against the real server
//! session, each reply explained. `{"profile": "strict", "lines": ["EHLO me.example", …]}`;
//! every line is sent with CRLF, message lines after DATA included.

use serde::{Deserialize, Serialize};
use wasmtp_core::explain::{self, Explanation};
use wasmtp_core::server::{ConnectionInfo, Decision, Event, ServerConfig, ServerSession};
use wasmtp_core::syntax::{Domain, ForwardPath, Host};
use wasmtp_core::time::UnixTime;
use wstd::http::StatusCode;

use crate::api::{Answer, problem};

/// At most this many lines per dialogue.
const MAX_LINES: usize = 500;

/// The simulated server's clock: the dialogue's replies do not depend on the real one.
const NOW: UnixTime = UnixTime::from_millis(1_767_603_600_000);

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
    "strict".to_owned()
}

#[derive(Serialize)]
struct Exchange {
    sent: String,
    replies: Vec<ExplainedReply>,
}

#[derive(Serialize)]
struct ExplainedReply {
    text: String,
    code: u16,
    explanation: Option<Explanation>,
}

#[derive(Serialize)]
struct Dialogue {
    profile: String,
    /// The greeting, before any line.
    greeting: Vec<ExplainedReply>,
    exchanges: Vec<Exchange>,
    /// The server closed the connection (after QUIT, or on its own).
    closed: bool,
}

pub fn run(json: serde_json::Value) -> Answer {
    let request: DialogueRequest = match serde_json::from_value(json) {
        Ok(request) => request,
        Err(error) => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid dialogue",
                &error.to_string(),
            );
        }
    };
    if request.lines.len() > MAX_LINES {
        let detail = format!("at most {MAX_LINES} lines, not {}", request.lines.len());
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid dialogue",
            &detail,
        );
    }
    let Ok(mut config) = ServerConfig::new("mx.example.org") else {
        return problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error",
            "no server configuration",
        );
    };
    config.local_domains = Domain::parse("example.org").into_iter().collect();
    match request.profile.as_str() {
        "strict" => {}
        "lax" => config.quirks.bare_line_endings = wasmtp_core::server::BareLineEndings::Normalize,
        "helo-only" => config.quirks.helo_only = true,
        other => {
            let detail =
                format!("unknown profile {other:?}; use \"strict\", \"lax\" or \"helo-only\"");
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid dialogue",
                &detail,
            );
        }
    }
    let mut session = ServerSession::new(config, ConnectionInfo::default(), NOW);
    let mut closed = false;
    let greeting = explained(&drain(&mut session, &mut closed));
    let mut exchanges = Vec::new();
    for line in request.lines {
        if closed {
            break;
        }
        session.receive(format!("{line}\r\n").as_bytes(), NOW);
        let replies = explained(&drain(&mut session, &mut closed));
        exchanges.push(Exchange {
            sent: line,
            replies,
        });
    }
    Answer::json(
        StatusCode::OK,
        &Dialogue {
            profile: request.profile,
            greeting,
            exchanges,
            closed,
        },
    )
}

/// Runs the session's events: mail for example.org is taken, other domains refused
/// (no relay), messages accepted; returns what the server said.
fn drain(session: &mut ServerSession, closed: &mut bool) -> Vec<u8> {
    let mut output = Vec::new();
    while let Some(event) = session.next() {
        match event {
            Event::Output(bytes) => output.extend(bytes),
            Event::Close => *closed = true,
            Event::Rcpt { forward_path, .. } => {
                let local = match &forward_path {
                    ForwardPath::Postmaster => true,
                    ForwardPath::Mailbox(mailbox) => {
                        matches!(&mailbox.host, Host::Domain(domain) if domain.eq_ignore_case("example.org"))
                    }
                };
                session.decide(if local {
                    Decision::Accept
                } else {
                    Decision::Reject
                });
            }
            Event::Authenticate(_) => session.decide(Decision::Reject),
            Event::Mail { .. } | Event::MessageEnd(_) => session.decide(Decision::Accept),
            Event::MessageData(_) | Event::MessageAborted | Event::StartTls => {}
        }
    }
    output
}

/// Splits output into replies (a multi-line reply is one) and explains each code.
fn explained(output: &[u8]) -> Vec<ExplainedReply> {
    let text = String::from_utf8_lossy(output);
    let mut replies = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive("\r\n") {
        current.push_str(line);
        if line.as_bytes().get(3) != Some(&b'-') {
            let code = current
                .get(..3)
                .and_then(|code| code.parse().ok())
                .unwrap_or(0);
            let explanation = explain::lookup(&format!("reply:{code}"));
            replies.push(ExplainedReply {
                text: std::mem::take(&mut current),
                code,
                explanation,
            });
        }
    }
    replies
}
