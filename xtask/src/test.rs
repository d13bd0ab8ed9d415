//! `cargo xtask test`: everything CI checks, in order, with a summary at the end.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::Result;
use crate::artifacts::{self, DIST};
use crate::fuzz;
use crate::process::{self, TestCounts};
use crate::tools::{Need, Toolbox};

/// The targets each crate builds for; clippy checks every pair (`--all-targets`).
const CLIPPY_RUNS: &[(&str, &[&str])] = &[
    (
        "x86_64 (host)",
        &["wasmtp-core", "wasmtp-web", "wasmtp-tests", "xtask"],
    ),
    (
        "wasm32-wasip2",
        &[
            "wasmtp-core",
            "wasmtp-wasi",
            "wasmtp-server",
            "wasmtp-edge",
            "wasmtp-library",
        ],
    ),
    ("wasm32-unknown-unknown", &["wasmtp-core", "wasmtp-web"]),
];

/// The end-to-end test files of `tests/`, and which step runs them.
const END_TO_END_TESTS: &[&str] = &[
    "server",
    "client",
    "relay",
    "tls",
    "dovecot",
    "load",
    "crash",
    "edge",
    "edge_outbound",
    "library",
    "auth",
    "signing",
    "dmarc",
];
const BROWSER_TESTS: &[&str] = &["browser"];

struct StepResult {
    name: String,
    elapsed: Duration,
    counts: Option<TestCounts>,
    error: Option<String>,
}

/// Runs the steps, stopping early only where later steps depend on a failed one.
pub fn test(root: &Path, toolbox: &Toolbox) -> Result<()> {
    let mut results = Vec::new();
    let mut step = |name: &str,
                    action: &mut dyn FnMut() -> std::result::Result<
        Option<TestCounts>,
        (Option<TestCounts>, String),
    >| {
        println!("\n==> {name}");
        let started = Instant::now();
        let outcome = action();
        let (counts, error) = match outcome {
            Ok(counts) => (counts, None),
            Err((counts, error)) => {
                eprintln!("xtask: {name} failed: {error}");
                (counts, Some(error))
            }
        };
        let ok = error.is_none();
        results.push(StepResult {
            name: name.to_owned(),
            elapsed: started.elapsed(),
            counts,
            error,
        });
        ok
    };
    let plain = |result: Result<()>| result.map(|()| None).map_err(|error| (None, error));
    let tests = |command: &mut Command| {
        process::run_tests(command)
            .map(Some)
            .map_err(|(counts, error)| (Some(counts), error))
    };

    let ready = step("bootstrap tools", &mut || plain(toolbox.ensure(Need::Test)));
    if ready {
        step("cargo fmt --check", &mut || {
            plain(process::run(
                process::command("cargo", root).args(["fmt", "--all", "--check"]),
            ))
        });
        for (target, packages) in CLIPPY_RUNS {
            step(&format!("clippy {target}"), &mut || {
                plain(clippy(root, target, packages))
            });
        }
        step("cargo doc (core, warnings denied)", &mut || {
            plain(process::run(
                process::command("cargo", root)
                    .args([
                        "doc",
                        "--no-deps",
                        "--package",
                        "wasmtp-core",
                        "--all-features",
                    ])
                    .env("RUSTDOCFLAGS", "-D warnings"),
            ))
        });
        step("unit tests (native)", &mut || {
            tests(process::command("cargo", root).args([
                "test",
                "--package",
                "wasmtp-core",
                "--package",
                "wasmtp-web",
                "--package",
                "xtask",
            ]))
        });
        step("unit tests (core in wasmtime, wasm32-wasip2)", &mut || {
            // The core's folder is visible at its own path, so the simulator's transcript
            // snapshots are checked inside wasm too (the same trace on every target).
            let core = root.join("core");
            let runner = format!(
                "{} run --dir {}::{}",
                toolbox.executable("wasmtime").display(),
                core.display(),
                core.display()
            );
            tests(
                process::command("cargo", root)
                    .args([
                        "test",
                        "--package",
                        "wasmtp-core",
                        "--target",
                        "wasm32-wasip2",
                    ])
                    .env("CARGO_TARGET_WASM32_WASIP2_RUNNER", runner),
            )
        });
        step("unit tests (server component in wasmtime)", &mut || {
            tests(
                process::command("cargo", root)
                    .args(["test", "--package", "wasmtp-server"])
                    .args(["--target", "wasm32-wasip2"])
                    .env(
                        "CARGO_TARGET_WASM32_WASIP2_RUNNER",
                        format!("{} run", toolbox.executable("wasmtime").display()),
                    ),
            )
        });
        for target in fuzz::TARGETS {
            step(
                &format!("fuzz {target} ({} s)", fuzz::SMOKE_SECONDS),
                &mut || plain(fuzz::fuzz(root, toolbox, target, fuzz::SMOKE_SECONDS)),
            );
        }
        let built = step("build artifacts", &mut || {
            plain(artifacts::build(root, toolbox))
        });
        if built {
            step("end-to-end tests", &mut || {
                tests(&mut end_to_end(root, toolbox, END_TO_END_TESTS))
            });
            step("browser tests", &mut || {
                tests(&mut end_to_end(root, toolbox, BROWSER_TESTS))
            });
        }
    }
    summarize(&results)
}

fn clippy(root: &Path, target: &str, packages: &[&str]) -> Result<()> {
    let mut command = process::command("cargo", root);
    command.args(["clippy", "--all-targets"]);
    if target.contains("host") {
        // The web crate's first view, rendered natively at build time.
        command.args(["--features", "wasmtp-web/prerender"]);
    } else {
        command.args(["--target", target]);
    }
    for package in packages {
        command.args(["--package", package]);
    }
    process::run(command.args(["--", "-D", "warnings"]))
}

/// `cargo test` of the given files of `tests/`, told where the artifacts and tools are.
fn end_to_end(root: &Path, toolbox: &Toolbox, files: &[&str]) -> Command {
    let mut command = process::command("cargo", root);
    command.args(["test", "--no-fail-fast", "--package", "wasmtp-tests"]);
    for file in files {
        command.args(["--test", file]);
    }
    command
        .env("WASMTP_DIST", root.join(DIST))
        .env("WASMTP_WASMTIME", toolbox.executable("wasmtime"))
        .env("WASMTP_NODE_MODULES", toolbox.node_modules())
        .env("WASMTP_CHROMIUM", "/usr/bin/chromium")
        .env("WASMTP_PYTHON", toolbox.python())
        .env("WASMTP_SMTP_SINK", "/usr/sbin/smtp-sink")
        .env("WASMTP_DNSMASQ", "/usr/sbin/dnsmasq")
        .env("WASMTP_DOVECOT", "/usr/sbin/dovecot")
        .env("WASMTP_OPENDKIM_TOOLS", "/usr/sbin")
        .env("WASMTP_TEST_OUTPUT", root.join("target/e2e"));
    command
}

fn summarize(results: &[StepResult]) -> Result<()> {
    println!("\n{:<46} {:>8} {:>9}  tests", "step", "result", "time");
    let mut total = TestCounts::default();
    for result in results {
        let counts = result.counts.map_or(String::new(), |counts| {
            total.add(counts);
            format!("{} passed, {} failed", counts.passed, counts.failed)
        });
        println!(
            "{:<46} {:>8} {:>8.1}s  {counts}",
            result.name,
            if result.error.is_some() {
                "FAILED"
            } else {
                "ok"
            },
            result.elapsed.as_secs_f64()
        );
    }
    let failed_steps: Vec<&str> = results
        .iter()
        .filter(|result| result.error.is_some())
        .map(|result| result.name.as_str())
        .collect();
    let elapsed: f64 = results
        .iter()
        .map(|result| result.elapsed.as_secs_f64())
        .sum();
    println!("\ntotal time {elapsed:.1}s");
    println!(
        "tests: {} passed, {} failed, {} ignored",
        total.passed, total.failed, total.ignored
    );
    if failed_steps.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed_steps.join(", ")))
    }
}
