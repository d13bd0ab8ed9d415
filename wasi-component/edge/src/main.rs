//! `wasmtp-edge.wasm`: the HTTP edge service as a `wasi:http` proxy component.
//!
//! ```text
//! wasmtime serve -S cli --addr 127.0.0.1:8080 dist/wasmtp-edge.wasm
//! ```
//!
//! It serves the web app (embedded at build time) at `/`, a health check at `/healthz`,
//! and the JSON API under `/api/v1/` (see `api.rs`). `-S cli` is needed because Rust's
//! std imports `wasi:cli/environment`.

mod answer;
mod api;
mod assets;
mod check;
mod dialogue;
mod route;
mod send;

use wasip2::exports::http::incoming_handler::Guest;
use wasip2::http::types::{IncomingRequest, ResponseOutparam};
use wstd::http::server::Responder;
use wstd::http::{Body, Request, Response, StatusCode};

/// The `wasi:http/incoming-handler` export. wstd's `http_server` macro would do, but it
/// panics when a client goes away before the response is written (a reset is outside
/// data, and ends nothing but that response here).
struct Edge;

impl Guest for Edge {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let responder = Responder::new(response_out);
        wstd::runtime::block_on(async move {
            match wstd::http::request::try_from_incoming(request) {
                Ok(request) => match answer(request).await {
                    Ok(response) => {
                        // The client may have left; there is no one to tell.
                        let _ = responder.respond(response).await;
                    }
                    Err(error) => {
                        responder.fail(error);
                    }
                },
                Err(error) => {
                    responder.fail(error);
                }
            }
        });
    }
}

wasip2::http::proxy::export!(Edge with_types_in wasip2);

/// Never run: `wasmtime serve` and other hosts call the `wasi:http` export, but a
/// binary crate needs a `main`.
fn main() {}

async fn answer(request: Request<Body>) -> Result<Response<Body>, wstd::http::Error> {
    let method = request.method().as_str().to_owned();
    let head_only = method == "HEAD";
    let path = request.uri().path().to_owned();
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (accept_encoding, if_none_match) = (header("accept-encoding"), header("if-none-match"));
    if path.starts_with("/api/") {
        let language = api::language(request.uri().query(), &header("accept-language"));
        let mut answer = api::handle(request, &path, language).await;
        answer.language = Some(language);
        return respond(answer, head_only);
    }
    if method != "GET" && method != "HEAD" {
        let mut answer = answer::problem(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method not allowed",
            "only GET and HEAD are served here",
        );
        answer.allow = Some("GET, HEAD");
        return respond(answer, head_only);
    }
    let answer = match path.as_str() {
        "/healthz" => answer::Answer {
            status: StatusCode::OK,
            content_type: "application/json",
            body: concat!(
                r#"{"status":"ok","service":"wasmtp-edge","version":""#,
                env!("CARGO_PKG_VERSION"),
                "\"}\n"
            )
            .as_bytes()
            .to_vec(),
            allow: None,
            language: None,
        },
        path => match assets::find(path) {
            Some(asset) => return serve_asset(asset, &accept_encoding, &if_none_match, head_only),
            None if path == "/" => answer::Answer {
                status: StatusCode::SERVICE_UNAVAILABLE,
                content_type: "text/plain; charset=utf-8",
                body: b"the web app was not built into this component; build it with `cargo xtask build`\n".to_vec(),
                allow: None,
                language: None,
            },
            None => answer::Answer {
                status: StatusCode::NOT_FOUND,
                content_type: "text/plain; charset=utf-8",
                body: b"not found\n".to_vec(),
                allow: None,
                language: None,
            },
        },
    };
    respond(answer, head_only)
}

/// A file of the web app: `304` when the client has it (`If-None-Match`), gzipped when
/// the client takes it, cached for good when its name carries its hash.
fn serve_asset(
    asset: &'static assets::Asset,
    accept_encoding: &str,
    if_none_match: &str,
    head_only: bool,
) -> Result<Response<Body>, wstd::http::Error> {
    let cache = if asset.is_immutable() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let builder = Response::builder()
        .header("etag", asset.etag)
        .header("cache-control", cache)
        .header("vary", "accept-encoding")
        .header("x-content-type-options", "nosniff");
    let matches = if_none_match
        .split(',')
        .any(|tag| tag.trim() == asset.etag || tag.trim() == "*");
    if matches {
        return Ok(builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())?);
    }
    let takes_gzip = accept_encoding.split(',').any(|coding| {
        coding
            .split(';')
            .next()
            .is_some_and(|name| name.trim().eq_ignore_ascii_case("gzip"))
    });
    let (body, builder) = match asset.gzip {
        Some(gzipped) if takes_gzip => (gzipped, builder.header("content-encoding", "gzip")),
        _ => (asset.body, builder),
    };
    let builder = builder
        .status(StatusCode::OK)
        .header("content-type", asset.content_type);
    finish(builder, body.to_vec(), head_only)
}

/// The response with its body and `Content-Length`, or for HEAD with neither: `wasi:http`
/// holds a body to its declared length, and RFC 9110 §9.3.2 lets HEAD leave it out.
fn finish(
    builder: wstd::http::response::Builder,
    body: Vec<u8>,
    head_only: bool,
) -> Result<Response<Body>, wstd::http::Error> {
    if head_only {
        return Ok(builder.body(Body::empty())?);
    }
    Ok(builder
        .header("content-length", body.len())
        .body(Body::from(body))?)
}

fn respond(answer: answer::Answer, head_only: bool) -> Result<Response<Body>, wstd::http::Error> {
    let mut builder = Response::builder()
        .status(answer.status)
        .header("content-type", answer.content_type)
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "no-cache");
    if let Some(allow) = answer.allow {
        builder = builder.header("allow", allow);
    }
    if let Some(language) = answer.language {
        builder = builder
            .header("content-language", language.code())
            .header("vary", "accept-language");
    }
    finish(builder, answer.body, head_only)
}
