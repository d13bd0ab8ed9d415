//! `wasmtp.wasm`, the library component, called from two real component hosts: the
//! `wasmtime` crate in-process, and Node through a jco transpilation.

use std::process::Command;

use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtp_tests::Environment;

wasmtime::component::bindgen!({
    world: "library",
    path: "../wasi-component/wit",
});

use exports::wasmtp::smtp::explain::ExplainError;

struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

fn instantiate(environment: &Environment) -> (Store<Host>, Library) {
    let engine = Engine::default();
    let component = Component::from_file(&engine, environment.artifact("wasmtp.wasm"))
        .expect("load wasmtp.wasm");
    let mut linker = Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("link WASI");
    let host = Host {
        wasi: WasiCtx::builder().build(),
        table: ResourceTable::new(),
    };
    let mut store = Store::new(&engine, host);
    let library = Library::instantiate(&mut store, &component, &linker).expect("instantiate");
    (store, library)
}

#[test]
fn wasmtime_host_gets_an_explanation_with_its_rfc_section() {
    let environment = Environment::from_env();
    let (mut store, library) = instantiate(&environment);
    let explanation = library
        .wasmtp_smtp_explain()
        .call_explain_reply(&mut store, 354)
        .expect("call explain-reply")
        .expect("354 is a reply code");
    assert!(
        explanation.summary.contains("<CRLF>.<CRLF>"),
        "{}",
        explanation.summary
    );
    assert_eq!(explanation.reference, "RFC 5321 §4.1.1.4");
}

#[test]
fn wasmtime_host_gets_a_typed_error_for_an_invalid_code() {
    let environment = Environment::from_env();
    let (mut store, library) = instantiate(&environment);
    let outcome = library
        .wasmtp_smtp_explain()
        .call_explain_reply(&mut store, 199)
        .expect("call explain-reply");
    assert!(
        matches!(outcome, Err(ExplainError::InvalidReplyCode(199))),
        "{outcome:?}"
    );
}

#[test]
fn node_host_calls_the_component_transpiled_by_jco() {
    let environment = Environment::from_env();
    let out = environment.output.join("jco");
    let module_dir = out.join("wasmtp");
    let transpile = environment
        .node()
        .arg(
            environment
                .node_modules
                .join("@bytecodealliance/jco/dist/jco.js"),
        )
        .arg("transpile")
        .arg(environment.artifact("wasmtp.wasm"))
        .arg("--out-dir")
        .arg(&module_dir)
        .output()
        .expect("run jco");
    assert!(
        transpile.status.success(),
        "{}",
        String::from_utf8_lossy(&transpile.stderr)
    );
    // ES modules resolve packages from an enclosing node_modules, never NODE_PATH.
    let link = out.join("node_modules");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&environment.node_modules, &link).expect("link node_modules");

    let run = environment
        .node()
        .arg(environment.script("library.mjs"))
        .arg(module_dir.join("wasmtp.js"))
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON from node");
    assert_eq!(result["ok"]["reference"], "RFC 5321 §4.2.2");
    assert!(
        result["ok"]["summary"]
            .as_str()
            .is_some_and(|text| text.contains("accepted"))
    );
    assert_eq!(result["error"]["tag"], "invalid-reply-code");
    assert_eq!(result["error"]["val"], 199);
}

#[test]
fn wasmtime_cli_invokes_the_exported_function() {
    let environment = Environment::from_env();
    let output = Command::new(&environment.wasmtime)
        .args(["run", "--invoke", "explain-reply(550)"])
        .arg(environment.artifact("wasmtp.wasm"))
        .output()
        .expect("run wasmtime");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.starts_with("ok({summary: \"The mailbox is unavailable"),
        "{printed}"
    );
}
