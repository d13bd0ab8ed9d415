//! `POST /api/v1/send`: one message through the relay at `WASMTP_RELAY`, with the core's
//! client over `wasi:sockets` (run with `-S inherit-network`). Off unless configured;
//! credentials come from the environment, never from the request. The answer gives
//! what became of each recipient, as the relay said it.

use serde::{Deserialize, Serialize};
use wasmtp_core::client::{ClientConfig, ClientSession, MessageInfo};
use wasmtp_core::compose::TextMessage;
use wasmtp_core::envelope::Recipient;
use wasmtp_core::syntax::{
    Domain, ForwardPath, MailParameters, Mailbox, RcptParameters, ReversePath,
};
use wstd::future::FutureExt as _;
use wstd::http::StatusCode;
use wstd::net::TcpStream;

use crate::api::{Answer, problem};
use wasmtp_wasi::clock::now;
use wasmtp_wasi::smtp_send;
use wasmtp_wasi::tls;

/// `host:port` of the relay that takes the mail, e.g. `127.0.0.1:587`.
pub const RELAY: &str = "WASMTP_RELAY";
/// AUTH username and password for the relay (RFC 4954), if it wants them.
const RELAY_USER: &str = "WASMTP_RELAY_USER";
const RELAY_PASSWORD: &str = "WASMTP_RELAY_PASSWORD";
/// STARTTLS to the relay: `none`, `opportunistic` (default) or `required` (the relay's
/// certificate checked against the bundled web PKI roots, or `WASMTP_RELAY_CA`).
const RELAY_TLS: &str = "WASMTP_RELAY_TLS";
/// PEM CA certificates to check the relay against instead (the text, not a file: the
/// edge has no filesystem).
const RELAY_CA: &str = "WASMTP_RELAY_CA";
/// The name the edge gives in EHLO (default `localhost`).
const HOSTNAME: &str = "WASMTP_EDGE_HOSTNAME";
/// At most this many recipients per request (RFC 5321 §4.5.3.1.8's minimum).
const MAX_RECIPIENTS: usize = 100;
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SendRequest {
    from: String,
    to: Vec<String>,
    /// With `text`: the edge writes the header (From, To, Subject, Date, Message-ID).
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    text: Option<String>,
    /// Instead of `subject` and `text`: a complete message, header and body.
    #[serde(default)]
    message: Option<String>,
}

#[derive(Serialize)]
struct RecipientResult {
    recipient: String,
    /// `delivered` (the relay took responsibility), `temporary` or `permanent`.
    result: &'static str,
    reply: String,
}

#[derive(Serialize)]
struct SendResult {
    relay: String,
    recipients: Vec<RecipientResult>,
    /// Why the session ended early, if it did.
    failure: Option<String>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

fn misconfigured(detail: &str) -> Answer {
    problem(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sending is misconfigured",
        detail,
    )
}

fn invalid(detail: &str) -> Answer {
    problem(StatusCode::UNPROCESSABLE_ENTITY, "Invalid message", detail)
}

pub async fn send(json: serde_json::Value) -> Answer {
    let Some(relay) = env(RELAY) else {
        return problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "Sending is not configured",
            &format!(
                "set {RELAY}=host:port (and {RELAY_USER}, {RELAY_PASSWORD} if the relay \
                 wants AUTH), and run with `-S inherit-network`"
            ),
        );
    };
    let tls_policy = match tls::policy(env(RELAY_TLS).as_deref()) {
        Ok(policy) => policy,
        Err(error) => return misconfigured(&format!("{RELAY_TLS}: {error}")),
    };
    let tls_config =
        match tls::client_config(tls_policy, env(RELAY_CA).as_deref().map(str::as_bytes)) {
            Ok(config) => config,
            Err(error) => return misconfigured(&format!("{RELAY_CA}: {error}")),
        };
    let relay_host = relay
        .rsplit_once(':')
        .map_or(relay.as_str(), |(host, _)| host);
    let request: SendRequest = match serde_json::from_value(json) {
        Ok(request) => request,
        Err(error) => return invalid(&error.to_string()),
    };
    let Some(sender) = Mailbox::parse(&request.from) else {
        return invalid(&format!("from: {:?} is not a mailbox", request.from));
    };
    if request.to.is_empty() || request.to.len() > MAX_RECIPIENTS {
        return invalid(&format!("to: name 1 to {MAX_RECIPIENTS} recipients"));
    }
    let mut recipients = Vec::new();
    for to in &request.to {
        let Some(mailbox) = Mailbox::parse(to) else {
            return invalid(&format!("to: {to:?} is not a mailbox"));
        };
        recipients.push(Recipient {
            forward_path: ForwardPath::Mailbox(mailbox),
            parameters: RcptParameters::default(),
        });
    }
    let hostname = env(HOSTNAME).unwrap_or_else(|| "localhost".to_owned());
    let Some(domain) = Domain::parse(&hostname) else {
        return problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Bad configuration",
            &format!("{HOSTNAME}: {hostname:?} is not a domain name"),
        );
    };
    let content = match (&request.message, &request.subject, &request.text) {
        (Some(message), None, None) => message.replace("\r\n", "\n").replace('\n', "\r\n"),
        (None, Some(subject), Some(text)) => {
            let message_id = format!(
                "{:016x}.edge@{hostname}",
                wasip2::random::random::get_random_u64()
            );
            let composed = TextMessage {
                from: &request.from,
                to: &request.to,
                subject,
                date: now(),
                message_id: &message_id,
                body: text,
            }
            .to_bytes();
            match composed.map(String::from_utf8) {
                Some(Ok(text)) => text,
                _ => {
                    return invalid("subject: control characters such as CR or LF are not allowed");
                }
            }
        }
        _ => return invalid("give either `subject` and `text`, or a complete `message`"),
    };
    let mut config = ClientConfig::new(domain);
    config.tls = tls_policy;
    config.credentials = env(RELAY_USER).zip(env(RELAY_PASSWORD));
    let content = content.into_bytes();
    let mut client = ClientSession::new(
        config,
        ReversePath::Mailbox(sender),
        MailParameters::default(),
        recipients,
        MessageInfo::of_text(&content),
        now(),
    );
    let stream = match TcpStream::connect(relay.as_str())
        .timeout(wstd::time::Duration::from(CONNECT_TIMEOUT))
        .await
    {
        Ok(Ok(stream)) => stream,
        Ok(Err(error)) => {
            return problem(
                StatusCode::BAD_GATEWAY,
                "Relay unreachable",
                &format!("cannot connect to {relay}: {error}"),
            );
        }
        Err(_) => {
            return problem(
                StatusCode::GATEWAY_TIMEOUT,
                "Relay unreachable",
                &format!("connecting to {relay} timed out"),
            );
        }
    };
    let tls = (
        &tls_config,
        relay_host.trim_start_matches('[').trim_end_matches(']'),
    );
    let outcome = smtp_send::converse(&stream, tls, &mut client, |client| {
        client.message_data(&content);
        client.message_end();
        Ok(())
    })
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => return problem(StatusCode::BAD_GATEWAY, "Relay session failed", &error),
    };
    let recipients = outcome
        .recipients
        .iter()
        .map(|(recipient, delivery)| RecipientResult {
            recipient: match &recipient.forward_path {
                ForwardPath::Mailbox(mailbox) => mailbox.to_string(),
                ForwardPath::Postmaster => "Postmaster".to_owned(),
            },
            result: delivery.kind(),
            reply: delivery.reply().to_string().trim_end().to_owned(),
        })
        .collect();
    let failure = outcome.failure.map(|failure| failure.to_string());
    Answer::json(
        StatusCode::OK,
        &SendResult {
            relay,
            recipients,
            failure,
        },
    )
}
