//! A private Postfix instance with its real queue, as a benchmark peer: its own
//! configuration and queue directories under `target/`, listening on one loopback
//! address, every message accepted into the queue (written and fsynced by `cleanup`
//! before the `250`, as Postfix always does) and then delivered by the `discard`
//! transport. The system's Postfix configuration is never touched.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::Result;

const POSTFIX: &str = "/usr/sbin/postfix";

/// A running instance; stopped when dropped.
pub struct Postfix {
    config: PathBuf,
    master: Child,
}

impl Postfix {
    /// Starts Postfix in `dir` (created afresh), its smtpd on `listen` (`127.0.0.1:port`).
    /// Needs root: `master` starts as root and its daemons run as the `postfix` user.
    pub fn start(dir: &Path, listen: &str) -> Result<Self> {
        if !Path::new(POSTFIX).exists() {
            return Err(format!("{POSTFIX} is not installed"));
        }
        let _ = fs::remove_dir_all(dir);
        let config = dir.join("conf");
        let queue = dir.join("queue");
        let data = dir.join("data");
        for directory in [&config, &queue, &data] {
            fs::create_dir_all(directory)
                .map_err(|error| format!("{}: {error}", directory.display()))?;
        }
        let main_cf = format!(
            "compatibility_level = 3.6\n\
             queue_directory = {queue}\n\
             data_directory = {data}\n\
             mail_owner = postfix\n\
             setgid_group = postdrop\n\
             inet_interfaces = 127.0.0.1\n\
             inet_protocols = ipv4\n\
             myhostname = postfix.bench.test\n\
             mydestination =\n\
             mynetworks = 127.0.0.0/8\n\
             smtpd_relay_restrictions = permit_mynetworks, reject\n\
             default_transport = discard:benchmark\n\
             relay_transport = discard:benchmark\n\
             local_transport = discard:benchmark\n\
             alias_maps =\n\
             alias_database =\n\
             local_recipient_maps =\n\
             smtputf8_enable = no\n\
             biff = no\n\
             default_process_limit = 100\n\
             maillog_file = /dev/stdout\n",
            queue = queue.display(),
            data = data.display(),
        );
        // Debian's master.cf, with smtpd on our address and no chroot (a chroot needs
        // copies of /etc files inside the queue directory).
        let master_cf = fs::read_to_string("/etc/postfix/master.cf")
            .map_err(|error| format!("/etc/postfix/master.cf: {error}"))?
            .lines()
            .map(|line| master_cf_line(line, listen))
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(config.join("main.cf"), main_cf)
            .and_then(|()| fs::write(config.join("master.cf"), master_cf + "\n"))
            .map_err(|error| format!("postfix configuration: {error}"))?;
        // Postfix's daemons write their data directory as the `postfix` user; `check`
        // creates the queue directories with their owners and modes.
        let owned = Command::new("chown")
            .arg("postfix")
            .arg(&data)
            .status()
            .is_ok_and(|status| status.success());
        if !owned {
            return Err(
                "cannot give target/bench/postfix/data to the postfix user (needs root)".to_owned(),
            );
        }
        postfix(&config, "check")?;
        let master = Command::new(POSTFIX)
            .arg("-c")
            .arg(&config)
            .arg("start-fg")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start postfix: {error}"))?;
        Ok(Self { config, master })
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let _ = postfix(&self.config, "stop");
        let _ = self.master.kill();
        let _ = self.master.wait();
    }
}

/// Runs `postfix -c <config> <verb>`.
fn postfix(config: &Path, verb: &str) -> Result<()> {
    let output = Command::new(POSTFIX)
        .arg("-c")
        .arg(config)
        .arg(verb)
        .output()
        .map_err(|error| format!("cannot run postfix {verb}: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "postfix {verb} failed: {}",
            String::from_utf8_lossy(&output.stdout).trim()
        ))
    }
}

/// One line of master.cf: the `smtp inet` service moved to `listen`, chroot off.
fn master_cf_line(line: &str, listen: &str) -> String {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let is_service = !line.starts_with([' ', '\t', '#']) && fields.len() >= 8;
    if !is_service {
        return line.to_owned();
    }
    let mut fields: Vec<String> = fields.into_iter().map(str::to_owned).collect();
    if fields[0] == "smtp" && fields[1] == "inet" {
        fields[0] = listen.to_owned();
    }
    fields[4] = "n".to_owned();
    fields.join(" ")
}
