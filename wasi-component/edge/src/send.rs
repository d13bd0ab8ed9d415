//! `POST /api/v1/send`: one message through the relay at `WASMTP_RELAY`, with the core's
//! client over `wasi:sockets` (run with `-S inherit-network`). Off unless configured;
//! credentials come from the environment, never from the request. Signed with DKIM when
//! a key is configured. The answer gives what became of each recipient, as the relay
//! said it.

use std::net::{SocketAddr, ToSocketAddrs as _};

use serde::{Deserialize, Serialize};
use wasmtp_core::auth::message::{author_domain, split};
use wasmtp_core::client::{ClientConfig, Delivery, Outcome, SessionFailure};
use wasmtp_core::compose::TextMessage;
use wasmtp_core::envelope::Recipient;
use wasmtp_core::queue::attempt::{Attempt, Need, Routing};
use wasmtp_core::queue::{QueuedMessage, RecipientState, RetrySchedule};
use wasmtp_core::route::Target;
use wasmtp_core::syntax::{
    Domain, ForwardPath, MailParameters, Mailbox, RcptParameters, ReversePath,
};
use wstd::http::StatusCode;

use crate::answer::{Answer, problem};
use wasmtp_wasi::clock::now;
use wasmtp_wasi::dkim_key::SigningKey;
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
/// DKIM signing (RFC 6376): the private key as PEM text (RSA of 2048 bits or more, or
/// Ed25519), the domain it signs for (`d=`), and its selector (`s=`, default `wasmtp`).
const DKIM_KEY: &str = "WASMTP_DKIM_KEY";
const DKIM_DOMAIN: &str = "WASMTP_DKIM_DOMAIN";
const DKIM_SELECTOR: &str = "WASMTP_DKIM_SELECTOR";
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
    /// `d=` and `s=` of the DKIM signature put on the message, if one was.
    signed: Option<String>,
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
    let (content, signed) = match sign(content.into_bytes()) {
        Ok(signed) => signed,
        Err(answer) => return answer,
    };
    let mut config = ClientConfig::new(domain);
    config.tls = tls_policy;
    config.credentials = env(RELAY_USER).zip(env(RELAY_PASSWORD));
    let message = QueuedMessage::new(
        "edge".into(),
        ReversePath::Mailbox(sender),
        &MailParameters::default(),
        recipients,
        now(),
    );
    let tls = (
        &tls_config,
        relay_host.trim_start_matches('[').trim_end_matches(']'),
    );
    let sent = deliver(message, config, &relay, tls, &content).await;
    let (message, failure) = match sent {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let recipients = message
        .recipients
        .iter()
        .map(|queued| {
            let (result, reply) = match &queued.record.state {
                RecipientState::Delivered { outcome } | RecipientState::Failed { outcome } => {
                    (outcome.kind(), Some(outcome.reply()))
                }
                RecipientState::Pending { .. } => (
                    "temporary",
                    queued.record.last_failure.as_ref().map(Delivery::reply),
                ),
            };
            RecipientResult {
                recipient: match &queued.recipient.forward_path {
                    ForwardPath::Mailbox(mailbox) => mailbox.to_string(),
                    ForwardPath::Postmaster => "Postmaster".to_owned(),
                },
                result,
                reply: reply
                    .map_or_else(String::new, |reply| reply.to_string().trim_end().to_owned()),
            }
        })
        .collect();
    Answer::json(
        StatusCode::OK,
        &SendResult {
            relay,
            signed,
            recipients,
            failure,
        },
    )
}

/// The message with a `DKIM-Signature:` field on top when a key is configured for its
/// author's domain or a parent of it (which DMARC's relaxed alignment accepts), and the
/// signature's `d=`/`s=`; unchanged otherwise. A key that cannot be read is a `503`.
fn sign(content: Vec<u8>) -> Result<(Vec<u8>, Option<String>), Answer> {
    let (pem, domain) = match (env(DKIM_KEY), env(DKIM_DOMAIN)) {
        (None, None) => return Ok((content, None)),
        (Some(pem), Some(domain)) => (pem, domain),
        _ => {
            return Err(misconfigured(&format!(
                "set both {DKIM_KEY} and {DKIM_DOMAIN}"
            )));
        }
    };
    let domain = domain.to_ascii_lowercase();
    let selector = env(DKIM_SELECTOR).unwrap_or_else(|| "wasmtp".to_owned());
    let key = SigningKey::read(pem.as_bytes())
        .map_err(|error| misconfigured(&format!("{DKIM_KEY}: {error}")))?;
    let covered = author_domain(&split(&content).0)
        .is_ok_and(|author| author == domain || author.ends_with(&format!(".{domain}")));
    if !covered {
        return Ok((content, None));
    }
    let field = key
        .sign_message(&content, &domain, &selector, now().as_millis() / 1000)
        .map_err(|error| invalid(&error))?;
    Ok((
        [field.as_bytes(), &content].concat(),
        Some(format!("d={domain} s={selector}")),
    ))
}

/// One delivery attempt of the core to the relay's addresses: the records, and why the
/// session ended early if it did; a problem answer if no address took a connection.
async fn deliver(
    message: QueuedMessage,
    config: ClientConfig,
    relay: &str,
    tls: smtp_send::TlsCheck<'_>,
    content: &[u8],
) -> Result<(QueuedMessage, Option<String>), Answer> {
    let unreachable =
        |detail: String| problem(StatusCode::BAD_GATEWAY, "Relay unreachable", &detail);
    let addresses: Vec<SocketAddr> = match relay.to_socket_addrs() {
        Ok(addresses) => addresses.collect(),
        Err(error) => return Err(unreachable(format!("cannot resolve {relay}: {error}"))),
    };
    let host = tls.1;
    let targets = addresses
        .iter()
        .map(|address| Target {
            host: host.to_owned(),
            preference: 0,
            address: address.ip(),
            port: address.port(),
        })
        .collect();
    // The edge keeps no queue: a temporary failure is the answer, not a retry.
    let mut attempt =
        Attempt::new(message, config, RetrySchedule::postfix(), content, now()).through(targets);
    let (mut transport, mut failure, mut connected) = (None, None, false);
    let mut last_error = String::new();
    loop {
        let answered = match attempt.step() {
            // Never asked: the relay is the route.
            Need::Route { .. } => attempt.routed(Routing::Targets(Vec::new()), now()),
            Need::Connect(target) => {
                let address = SocketAddr::new(target.address, target.port);
                let result = match smtp_send::connect(address, CONNECT_TIMEOUT).await {
                    Ok(opened) => {
                        transport = Some(opened);
                        connected = true;
                        Ok(())
                    }
                    Err(failure) => {
                        last_error = failure.to_string();
                        Err(failure)
                    }
                };
                attempt.connected(result, now())
            }
            Need::Session { session, .. } => {
                let mut client = *session;
                let outcome = match transport.take() {
                    Some(mut transport) => {
                        smtp_send::converse(&mut transport, tls, &mut client, |client| {
                            client.message_data(content);
                            client.message_end();
                            Ok(())
                        })
                        .await
                        .unwrap_or_else(|error| Outcome {
                            recipients: Vec::new(),
                            failure: Some(SessionFailure::Connection(error)),
                        })
                    }
                    None => Outcome {
                        recipients: Vec::new(),
                        failure: Some(SessionFailure::Connection("no connection".into())),
                    },
                };
                failure = outcome.failure.as_ref().map(ToString::to_string);
                attempt.session_ended(outcome, now())
            }
            Need::Done => break,
        };
        if let Err(error) = answered {
            return Err(problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Delivery stopped",
                &error.to_string(),
            ));
        }
    }
    if !connected {
        return Err(unreachable(format!(
            "cannot connect to {relay}: {last_error}"
        )));
    }
    Ok((attempt.finish().0, failure))
}
