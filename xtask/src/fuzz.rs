//! `cargo xtask fuzz <target> --seconds N`: run a cargo-fuzz target of `core/fuzz` with
//! nightly for a bounded time. `cargo xtask test` runs each target briefly.

use std::path::Path;

use crate::Result;
use crate::process;
use crate::tools::{Need, Toolbox};

/// The fuzz targets of `core/fuzz/fuzz_targets`.
pub const TARGETS: &[&str] = &[
    "command_roundtrip",
    "server_session",
    "client_session",
    "dns_decode",
    "scenario",
    "spf",
];

/// Seconds per target in the smoke run of `cargo xtask test` (six targets: 90 s in all).
pub const SMOKE_SECONDS: u32 = 15;

/// Runs `target` for `seconds`; a crash fails with the path of the crashing input.
pub fn fuzz(root: &Path, toolbox: &Toolbox, target: &str, seconds: u32) -> Result<()> {
    if !TARGETS.contains(&target) {
        return Err(format!(
            "unknown fuzz target {target:?}; the targets are: {}",
            TARGETS.join(", ")
        ));
    }
    toolbox.ensure(Need::Test)?;
    process::run(
        process::command("cargo", root)
            .current_dir(root.join("core"))
            .args(["+nightly", "fuzz", "run", target, "--"])
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!(
                "-dict={}",
                root.join("core/fuzz/smtp.dict").display()
            ))
            // Keep the run quiet but for findings and the final statistics.
            .arg("-print_final_stats=1"),
    )
}

/// Parses `<target> [--seconds N]`.
pub fn parse_args(args: &[String]) -> Result<(String, u32)> {
    let mut args = args.iter();
    let target = args
        .next()
        .ok_or_else(|| format!("name a fuzz target: {}", TARGETS.join(", ")))?
        .clone();
    let mut seconds = 60;
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|value| value.parse().ok())
                    .ok_or("--seconds needs a whole number")?;
            }
            other => return Err(format!("unknown flag {other:?} for fuzz")),
        }
    }
    Ok((target, seconds))
}
