//! `wasmtp-edge.wasm`: the HTTP edge service as a `wasi:http` proxy component.
//!
//! ```text
//! wasmtime serve -S cli --addr 127.0.0.1:8080 dist/wasmtp-edge.wasm
//! ```
//!
//! It serves the web app (embedded at build time) at `/` and a health check at
//! `/healthz`. `-S cli` is needed because Rust's std imports `wasi:cli/environment`.

mod assets;

use wstd::http::{Body, Request, Response, StatusCode};

#[wstd::http_server]
async fn main(request: Request<Body>) -> Result<Response<Body>, wstd::http::Error> {
    let method = request.method().as_str();
    if method != "GET" && method != "HEAD" {
        return Ok(Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header("allow", "GET, HEAD")
            .body(Body::from("only GET and HEAD are served here\n"))?);
    }
    let head_only = method == "HEAD";
    match request.uri().path() {
        "/healthz" => respond(
            StatusCode::OK,
            "application/json",
            concat!(
                r#"{"status":"ok","service":"wasmtp-edge","version":""#,
                env!("CARGO_PKG_VERSION"),
                "\"}\n"
            )
            .as_bytes(),
            head_only,
        ),
        path => match assets::find(path) {
            Some(asset) => respond(StatusCode::OK, asset.content_type, asset.body, head_only),
            None if path == "/" => respond(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain; charset=utf-8",
                b"the web app was not built into this component; build it with `cargo xtask build`\n",
                head_only,
            ),
            None => respond(
                StatusCode::NOT_FOUND,
                "text/plain; charset=utf-8",
                b"not found\n",
                head_only,
            ),
        },
    }
}

fn respond(
    status: StatusCode,
    content_type: &str,
    body: &'static [u8],
    head_only: bool,
) -> Result<Response<Body>, wstd::http::Error> {
    let builder = Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("content-length", body.len())
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "no-cache");
    let body = if head_only {
        Body::empty()
    } else {
        Body::from(body)
    };
    Ok(builder.body(body)?)
}
