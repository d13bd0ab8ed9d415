//! The web app, served by `wasmtp-edge.wasm` under `wasmtime serve`, loaded in real
//! headless Chromium through Playwright.

use wasmtp_tests::Environment;

#[test]
fn page_renders_a_transcript_made_by_the_core_without_console_errors() {
    let environment = Environment::from_env();
    let edge = environment.start_edge();
    let screenshot = environment.output.join("web-app.png");
    let _ = std::fs::remove_file(&screenshot);
    let output = environment
        .node()
        .arg(environment.script("browser.cjs"))
        .arg(format!("http://{}/", edge.address))
        .arg(&environment.chromium)
        .arg(&screenshot)
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON from node");

    assert_eq!(page["errors"], serde_json::json!([]), "console errors");
    assert!(
        page["title"]
            .as_str()
            .is_some_and(|title| title.starts_with("wasmtp"))
    );
    let lines: Vec<&str> = page["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(|line| line.as_str())
        .collect();
    // The core's server session answered in the page: greeting first, 221 last.
    assert!(
        lines
            .first()
            .is_some_and(|line| line.starts_with("220 mx.example ESMTP")),
        "{lines:?}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|line| line.starts_with("221 2.0.0")),
        "{lines:?}"
    );
    let explanations = page["explanations"].as_array().expect("explanations");
    assert!(
        explanations
            .iter()
            .any(|text| text.as_str().is_some_and(|text| text.contains("RFC 5321")))
    );
    let size = std::fs::metadata(&screenshot)
        .map(|meta| meta.len())
        .unwrap_or(0);
    assert!(
        size > 1000,
        "screenshot missing or empty: {}",
        screenshot.display()
    );
}
