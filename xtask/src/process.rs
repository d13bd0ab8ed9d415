//! Running commands: every failure names the command, so a broken step says what broke.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::Result;
use crate::layout;

/// A command with the project's tools first on `PATH`.
pub fn command(program: impl AsRef<OsStr>, root: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(root)
        .env("PATH", layout::search_path(root));
    command
}

/// Whether this process runs as root (the first `Uid:` of /proc/self/status is 0).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().next())
            == Some("0")
    })
}

/// Describes a command the way a user would type it.
pub fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    words.join(" ")
}

/// Runs `command` with inherited output; an unsuccessful exit is an error.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .map_err(|error| format!("cannot start `{}`: {error}", describe(command)))?;
    succeeded(command, status)
}

fn succeeded(command: &Command, status: std::process::ExitStatus) -> Result<()> {
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Runs `command` with `input` on its standard input and returns its standard output;
/// an unsuccessful exit is an error.
pub fn run_with_input(command: &mut Command, input: &str) -> Result<String> {
    use std::io::Write as _;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start `{}`: {error}", describe(command)))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .map_err(|error| format!("cannot write to `{}`: {error}", describe(command)))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|error| format!("`{}` did not finish: {error}", describe(command)))?;
    succeeded(command, output.status)?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs `command` quietly and returns its standard output, or `None` if it cannot run or
/// fails. For probing whether a tool is there.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Counts from the `test result:` lines of a cargo test run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl TestCounts {
    pub fn add(&mut self, other: Self) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }

    /// Reads `test result: ok. 16 passed; 0 failed; 0 ignored; …`.
    fn parse_result_line(line: &str) -> Option<Self> {
        let rest = line.trim().strip_prefix("test result: ")?;
        let count = |label: &str| -> u64 {
            rest.split(';')
                .find_map(|part| {
                    part.trim()
                        .strip_suffix(label)?
                        .trim()
                        .rsplit(' ')
                        .next()?
                        .parse()
                        .ok()
                })
                .unwrap_or(0)
        };
        Some(Self {
            passed: count("passed"),
            failed: count("failed"),
            ignored: count("ignored"),
        })
    }
}

/// Runs a `cargo test` command, echoing its output, and sums the counts it reports.
/// A failing run is an error that carries the counts seen so far.
pub fn run_tests(command: &mut Command) -> std::result::Result<TestCounts, (TestCounts, String)> {
    let mut counts = TestCounts::default();
    let mut child = match command.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(error) => {
            return Err((
                counts,
                format!("cannot start `{}`: {error}", describe(command)),
            ));
        }
    };
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::io::Result::ok)
        {
            println!("{line}");
            if let Some(found) = TestCounts::parse_result_line(&line) {
                counts.add(found);
            }
        }
    }
    match child.wait() {
        Ok(status) if status.success() => Ok(counts),
        Ok(status) => Err((counts, format!("`{}` failed ({status})", describe(command)))),
        Err(error) => Err((counts, format!("`{}`: {error}", describe(command)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_from_a_cargo_test_result_line() {
        let line = "test result: FAILED. 15 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.02s";
        assert_eq!(
            TestCounts::parse_result_line(line),
            Some(TestCounts {
                passed: 15,
                failed: 2,
                ignored: 1
            })
        );
        assert_eq!(TestCounts::parse_result_line("running 3 tests"), None);
    }
}
