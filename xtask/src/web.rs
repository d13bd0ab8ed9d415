//! The web app's static site, `dist/web/`: the Yew app compiled for
//! `wasm32-unknown-unknown`, bound to JavaScript by the wasm-bindgen CLI, shrunk by
//! binaryen's `wasm-opt -Oz`, and its files named by a hash of their contents so that
//! browsers and the service worker may keep them for good.
//!
//! These are the steps a bundler such as trunk would run; doing them here keeps a
//! fresh machine from compiling a bundler (about nine minutes on 2 cores) for four
//! commands and a rename.

use std::fs;
use std::path::Path;

use crate::Result;
use crate::process;
use crate::tools::Toolbox;

/// The web crate's binary, and the name its bound files get (`wasmtp-web.js`).
const APP: &str = "wasmtp-web";
/// Small for the browser, with the symbols wasm-bindgen reads (see `Cargo.toml`).
const PROFILE: &str = "web-release";

/// Builds the site into `out` (emptied first).
pub fn build(root: &Path, toolbox: &Toolbox, out: &Path) -> Result<()> {
    let web = root.join("web");
    process::run(process::command("cargo", root).args([
        "build",
        "--package",
        APP,
        "--bin",
        APP,
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        PROFILE,
    ]))?;
    let compiled = root
        .join("target/wasm32-unknown-unknown")
        .join(PROFILE)
        .join(format!("{APP}.wasm"));

    let staging = root.join("target/web-site");
    recreate(&staging)?;
    process::run(
        process::command(toolbox.executable("wasm-bindgen"), root)
            .arg(&compiled)
            .arg("--out-dir")
            .arg(&staging)
            .args(["--out-name", APP, "--target", "web", "--no-typescript"]),
    )?;
    let bound = staging.join(format!("{APP}_bg.wasm"));
    let optimized = staging.join(format!("{APP}_opt.wasm"));
    process::run(
        process::command(toolbox.node_modules().join(".bin/wasm-opt"), root)
            .arg("-Oz")
            .arg(&bound)
            .arg("-o")
            .arg(&optimized),
    )?;

    recreate(out)?;
    let script = hashed(
        &staging.join(format!("{APP}.js")),
        out,
        &format!("{APP}.js"),
    )?;
    let wasm = hashed(&optimized, out, &format!("{APP}_bg.wasm"))?;
    let style = hashed(&web.join("style.css"), out, "style.css")?;
    let icon = hashed(&web.join("favicon.svg"), out, "favicon.svg")?;
    copy(&web.join("sw.js"), &out.join("sw.js"))?;

    // The page names each file by its hashed name; the service worker reads the same
    // names from it to keep the app offline. It carries the first view in every
    // language, rendered ahead of time, for the learner to read while the engine loads.
    let page = read(&web.join("index.html"))?
        .replace(FIRST_VIEW, &first_views(root)?)
        .replace("/favicon.svg", &format!("/{icon}"))
        .replace("/style.css", &format!("/{style}"))
        .replace(&format!("/{APP}.js"), &format!("/{script}"))
        .replace(&format!("/{APP}_bg.wasm"), &format!("/{wasm}"));
    fs::write(out.join("index.html"), page)
        .map_err(|error| format!("cannot write {}: {error}", out.display()))
}

/// Where `web/index.html` takes the first views.
const FIRST_VIEW: &str = "<!-- first view -->";

/// The app's first view in each of its languages, rendered natively by the web crate's
/// `prerender` binary from the same components the app draws it with.
fn first_views(root: &Path) -> Result<String> {
    process::run_with_input(
        process::command("cargo", root).args([
            "run",
            "--quiet",
            "--package",
            APP,
            "--features",
            "prerender",
            "--bin",
            "prerender",
        ]),
        "",
    )
}

/// Copies `file` into `dir` as `name` with a hash of its bytes before the extension
/// (`style-0123456789abcdef.css`, `wasmtp-web-0123456789abcdef_bg.wasm`); returns that
/// name.
fn hashed(file: &Path, dir: &Path, name: &str) -> Result<String> {
    let bytes =
        fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    let split = name.find(['_', '.']).unwrap_or(name.len());
    let (stem, rest) = name.split_at(split);
    let named = format!("{stem}-{:016x}{rest}", fnv1a(&bytes));
    fs::write(dir.join(&named), bytes)
        .map_err(|error| format!("cannot write {named} into {}: {error}", dir.display()))?;
    Ok(named)
}

/// FNV-1a, 64 bits: enough to tell versions of a file apart (not a security check).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn recreate(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)
            .map_err(|error| format!("cannot empty {}: {error}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))
}

fn read(file: &Path) -> Result<String> {
    fs::read_to_string(file).map_err(|error| format!("cannot read {}: {error}", file.display()))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to).map(|_| ()).map_err(|error| {
        format!(
            "cannot copy {} to {}: {error}",
            from.display(),
            to.display()
        )
    })
}
