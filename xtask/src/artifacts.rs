//! `cargo xtask build`: every artifact into `dist/`, with its size raw and gzipped.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::Result;
use crate::process;
use crate::tools::{Need, Toolbox};
use crate::web;

/// The WASI components, by the name cargo gives their `.wasm` file.
pub const COMPONENTS: &[&str] = &["wasmtp-server", "wasmtp-edge", "wasmtp"];

/// The component packages, grouped by the core features they enable.
const PACKAGES_BY_FEATURES: &[&[&str]] = &[&["wasmtp-server"], &["wasmtp-edge", "wasmtp-library"]];

/// Where the artifacts go, relative to the workspace root.
pub const DIST: &str = "dist";

/// Builds the web app, then the components (the edge embeds the web app), into `dist/`.
pub fn build(root: &Path, toolbox: &Toolbox) -> Result<()> {
    toolbox.ensure(Need::Build)?;
    let dist = root.join(DIST);
    let web_dist = dist.join("web");

    web::build(root, toolbox, &web_dist)?;

    // One cargo run per set of core features: built together, cargo would unify them
    // and give the server the simulator it never uses.
    for packages in PACKAGES_BY_FEATURES {
        let mut command = process::command("cargo", root);
        command
            .args(["build", "--release", "--target", "wasm32-wasip2"])
            .env("WASMTP_WEB_DIST", &web_dist);
        for package in *packages {
            command.args(["--package", package]);
        }
        process::run(&mut command)?;
    }
    let built = root.join("target/wasm32-wasip2/release");
    for name in COMPONENTS {
        let file = format!("{name}.wasm");
        fs::copy(built.join(&file), dist.join(&file))
            .map_err(|error| format!("cannot copy {file} into {}: {error}", dist.display()))?;
    }
    print_sizes(&dist)
}

/// Prints each artifact's size raw and gzipped (level 9, as a CDN would serve it).
fn print_sizes(dist: &Path) -> Result<()> {
    println!("\n{:<40} {:>11} {:>11}", "artifact", "raw", "gzip");
    let mut rows: Vec<(String, PathBuf)> = COMPONENTS
        .iter()
        .map(|name| (format!("{name}.wasm"), dist.join(format!("{name}.wasm"))))
        .collect();
    let mut web_files = Vec::new();
    collect_files(&dist.join("web"), &mut web_files);
    web_files.sort();
    rows.extend(web_files.into_iter().filter_map(|file| {
        let name = file.strip_prefix(dist).ok()?.display().to_string();
        Some((name, file))
    }));
    for (name, file) in rows {
        let bytes =
            fs::read(&file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        println!(
            "{name:<40} {:>11} {:>11}",
            kib(bytes.len()),
            kib(gzipped_len(&bytes)?)
        );
    }
    println!();
    Ok(())
}

pub fn gzipped_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .map_err(|error| error.to_string())?;
    Ok(encoder.finish().map_err(|error| error.to_string())?.len())
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

pub fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
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
