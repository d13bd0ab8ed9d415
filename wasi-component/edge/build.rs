//! Embeds the web app (the static site `cargo xtask build` writes to `dist/web/`) into the edge
//! component, so `wasmtp-edge.wasm` serves it with no files beside it.
//!
//! `WASMTP_WEB_DIST` names the site's folder; by default `../../dist/web`. Without a built
//! site the table is empty and the edge answers `/` with 503 saying how to build it.
//!
//! Each file is also gzipped here (kept when smaller) and given an entity tag from a
//! hash of its bytes, so the edge can answer `Accept-Encoding: gzip` and
//! `If-None-Match` without compressing or hashing at run time.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use flate2::Compression;
use flate2::write::GzEncoder;

fn main() -> std::io::Result<()> {
    println!("cargo:rerun-if-env-changed=WASMTP_WEB_DIST");
    let site = env::var_os("WASMTP_WEB_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new("../../dist/web").to_path_buf());
    println!("cargo:rerun-if-changed={}", site.display());

    let mut files = Vec::new();
    if site.is_dir() {
        collect_files(&site, &mut files);
    }
    files.sort();

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    let mut table = String::from("&[\n");
    for (index, file) in files.iter().enumerate() {
        let Ok(relative) = file.strip_prefix(&site) else {
            continue;
        };
        let url_path = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
        let absolute = fs::canonicalize(file).unwrap_or_else(|_| file.clone());
        let bytes = fs::read(file)?;
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&bytes)?;
        let gzipped = encoder.finish()?;
        let gzip = if gzipped.len() < bytes.len() {
            let path = out_dir.join(format!("asset-{index}.gz"));
            fs::write(&path, &gzipped)?;
            format!("Some(include_bytes!({:?}))", path.display().to_string())
        } else {
            "None".to_owned()
        };
        let _ = writeln!(
            table,
            "    Asset {{ path: {url_path:?}, content_type: {:?}, body: include_bytes!({:?}), gzip: {gzip}, etag: \"\\\"{:016x}\\\"\" }},",
            content_type(file),
            absolute.display().to_string(),
            fnv1a(&bytes)
        );
    }
    table.push(']');
    fs::write(out_dir.join("web_assets.rs"), table)
}

/// FNV-1a, 64 bits: a stable fingerprint for the entity tag (not a security hash).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// The media type for a file the site holds (by extension; `application/wasm` is what
/// browsers need to stream-compile the app).
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
