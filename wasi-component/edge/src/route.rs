//! `GET /api/v1/route/{domain}`: where mail for a domain would go right now. The core's
//! route planner asks its questions through DNS over HTTPS (RFC 8484) to the resolver
//! at `WASMTP_DOH_URL`, with `wasi:http` outgoing requests, so it works on edge
//! runtimes that allow no sockets.

use std::cell::RefCell;

use serde::Serialize;
use wasmtp_core::route::dns::{decode_name, query_name};
use wasmtp_core::route::zone::describe;
use wasmtp_core::route::{Answer, RecordKind, RouteOptions, RoutePlanner};
use wasmtp_core::syntax::Host;
use wstd::http::{Client, Request, StatusCode};

use crate::answer::{Answer as HttpAnswer, problem};

/// The environment variable naming the DoH resolver, e.g. `https://dns.example/dns-query`.
pub const DOH_URL: &str = "WASMTP_DOH_URL";
/// How long one DNS question may take.
const LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Serialize)]
struct Lookup {
    question: String,
    answer: String,
}

#[derive(Serialize)]
struct Target {
    host: String,
    preference: u16,
    address: String,
    port: u16,
}

#[derive(Serialize)]
struct Failure {
    code: u16,
    text: String,
}

#[derive(Serialize)]
struct Plan {
    destination: String,
    resolver: String,
    lookups: Vec<Lookup>,
    /// The hosts to try, in order; empty when `failure` says why there are none.
    targets: Vec<Target>,
    failure: Option<Failure>,
}

/// One question over DoH: the wire query in a POST, the wire answer back (RFC 8484
/// §4.1: the id is 0 so that answers cache well). Anything but a usable answer is a
/// failed lookup, which the planner treats as temporary.
pub async fn ask(resolver: &str, owner: &str, kind: RecordKind) -> Answer {
    let Ok(bytes) = query_name(owner, kind, 0) else {
        return Answer::Failure;
    };
    let Ok(request) = Request::post(resolver)
        .header("content-type", "application/dns-message")
        .header("accept", "application/dns-message")
        // A length rather than chunks: DoH servers expect one (RFC 8484 §4.1).
        .header("content-length", bytes.len())
        .body(bytes)
    else {
        return Answer::Failure;
    };
    let mut client = Client::new();
    client.set_connect_timeout(LOOKUP_TIMEOUT);
    client.set_first_byte_timeout(LOOKUP_TIMEOUT);
    let Ok(response) = client.send(request).await else {
        return Answer::Failure;
    };
    if response.status() != StatusCode::OK {
        return Answer::Failure;
    }
    let mut body = response.into_body();
    match body.contents().await {
        Ok(wire) => decode_name(wire, owner, kind, 0).unwrap_or(Answer::Failure),
        Err(_) => Answer::Failure,
    }
}

/// The DoH resolver's URL, or the `503` that says how to configure one.
pub fn resolver() -> Result<String, HttpAnswer> {
    std::env::var(DOH_URL)
        .ok()
        .filter(|url| !url.is_empty())
        .ok_or_else(|| {
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "No DNS resolver configured",
                &format!(
                    "set {DOH_URL} to a DNS-over-HTTPS endpoint, e.g. \
                     `wasmtime serve --env {DOH_URL}=https://dns.example/dns-query …`"
                ),
            )
        })
}

pub async fn plan(destination: &str) -> HttpAnswer {
    let resolver = match resolver() {
        Ok(resolver) => resolver,
        Err(answer) => return answer,
    };
    let Some(host) = Host::parse(destination) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Not a mail domain",
            &format!("{destination:?} is not a domain name or an address literal"),
        );
    };
    let options = RouteOptions {
        seed: wasip2::random::random::get_random_u64(),
        ..RouteOptions::default()
    };
    let lookups = RefCell::new(Vec::new());
    let planned = RoutePlanner::new(&host, &options)
        .run_async(|question| {
            let (resolver, lookups) = (&resolver, &lookups);
            async move {
                let answer = ask(resolver, &question.owner_name(), question.kind).await;
                lookups.borrow_mut().push(Lookup {
                    question: question.to_string(),
                    answer: describe(&question, &answer),
                });
                answer
            }
        })
        .await;
    let (targets, failure) = match planned {
        Ok(targets) => (
            targets
                .into_iter()
                .map(|target| Target {
                    host: target.host,
                    preference: target.preference,
                    address: target.address.to_string(),
                    port: target.port,
                })
                .collect(),
            None,
        ),
        Err(reply) => (
            Vec::new(),
            Some(Failure {
                code: reply.code().value(),
                text: reply.to_string().trim_end().to_owned(),
            }),
        ),
    };
    HttpAnswer::json(
        StatusCode::OK,
        &Plan {
            destination: destination.to_owned(),
            resolver,
            lookups: lookups.into_inner(),
            targets,
            failure,
        },
    )
}
