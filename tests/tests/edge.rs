//! `wasmtp-edge.wasm` under the real `wasmtime serve`, fetched over HTTP on loopback.

use wasmtp_tests::{Environment, http_request};

#[test]
fn healthz_answers_ok_as_json() {
    let environment = Environment::from_env();
    let edge = environment.start_edge();
    let response = http_request(&edge, "GET", "/healthz");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let health: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON body");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["service"], "wasmtp-edge");
}

#[test]
fn root_serves_the_embedded_web_app_and_its_files() {
    let environment = Environment::from_env();
    let edge = environment.start_edge();
    let index = http_request(&edge, "GET", "/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = String::from_utf8_lossy(&index.body);
    assert!(html.contains("<title>wasmtp"), "{html}");

    // Every file the page loads is served with its media type; the app is wasm.
    let mut wasm_files = 0;
    for reference in html
        .split(['"', '\''])
        .filter(|part| part.starts_with('/') && part.contains('.'))
    {
        let response = http_request(&edge, "GET", reference);
        assert_eq!(response.status, 200, "{reference}");
        if reference.ends_with(".wasm") {
            wasm_files += 1;
            assert_eq!(response.header("content-type"), Some("application/wasm"));
            assert_eq!(&response.body[..4], b"\0asm");
        }
    }
    assert!(wasm_files >= 1, "index.html loads no .wasm: {html}");
}

#[test]
fn unknown_path_is_404_and_post_is_405() {
    let environment = Environment::from_env();
    let edge = environment.start_edge();
    assert_eq!(http_request(&edge, "GET", "/no-such-file").status, 404);
    let post = http_request(&edge, "POST", "/healthz");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[test]
fn head_has_the_headers_of_get_and_no_body() {
    let environment = Environment::from_env();
    let edge = environment.start_edge();
    let get = http_request(&edge, "GET", "/healthz");
    let head = http_request(&edge, "HEAD", "/healthz");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), get.header("content-length"));
}
