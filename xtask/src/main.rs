//! `cargo xtask`: the developer commands of wasmtp.
//!
//! - `cargo xtask run`    install what is missing, build, serve SMTP and the web app
//! - `cargo xtask test`   install what is missing, build, run every check and test
//! - `cargo xtask build`  build every artifact into `dist/`
//! - `cargo xtask fuzz`   run a fuzz target for a while
//! - `cargo xtask doctor` list every tool, its pinned version and what is missing
//! - `cargo xtask sim`    play a simulator scenario as a transcript

mod artifacts;
mod bench;
mod fuzz;
mod layout;
mod postfix;
mod process;
mod run;
mod sim;
mod test;
mod tools;
mod web;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Errors are sentences for the user: what failed and what to do.
type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  run [--smtp ADDRESS:PORT] [--submission ADDRESS:PORT] [--http ADDRESS:PORT]
          install missing tools, build, then run the SMTP server (default 127.0.0.1:2525,
          STARTTLS with a development certificate), its implicit-TLS submission port
          (default 127.0.0.1:4650, AUTH as user dev) and the web app (default
          127.0.0.1:8080) until Ctrl-C
  test    install missing tools, build, run every check and test, print a summary
  build   build every artifact into dist/ and print its size
  fuzz <target> [--seconds N]
          run a fuzz target of core/fuzz with nightly (default 60 s)
  bench [SECTION...]
          run every benchmark against its peers (loopback) and write BENCHMARKS.md;
          with sections (criterion, load, tls, cold-start, instantiation, edge, sizes,
          memory, simulator) run only those and print them
  doctor  list the tools, their pinned versions, and what is missing
  sim --list | sim <id or file.json> [--json]
          list the simulator's built-in scenarios, or play one (or your own scenario
          file) and print its transcript, or its trace as JSON";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let toolbox = tools::Toolbox::new(&root);
    let outcome = match args.first().map(String::as_str) {
        Some("run") => {
            parse_addresses(&args[1..]).and_then(|addresses| run::run(&root, &toolbox, &addresses))
        }
        Some("test") => test::test(&root, &toolbox),
        Some("build") => artifacts::build(&root, &toolbox),
        Some("fuzz") => fuzz::parse_args(&args[1..])
            .and_then(|(target, seconds)| fuzz::fuzz(&root, &toolbox, &target, seconds)),
        Some("doctor") => toolbox.doctor(),
        Some("sim") => sim::sim(&args[1..]),
        Some("bench") => bench::bench(&root, &toolbox, &args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

fn parse_addresses(args: &[String]) -> Result<run::Addresses> {
    let mut addresses = run::Addresses::default();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs ADDRESS:PORT"))?;
        let address = value
            .parse()
            .map_err(|_| format!("{flag} {value:?}: expected ADDRESS:PORT, e.g. 127.0.0.1:2525"))?;
        match flag.as_str() {
            "--smtp" => addresses.smtp = address,
            "--http" => addresses.http = address,
            "--submission" => addresses.submission = address,
            other => return Err(format!("unknown flag {other:?} for run\n\n{USAGE}")),
        }
    }
    Ok(addresses)
}
