//! Command-line flags of `wasmtp-server`.

pub const USAGE: &str = "\
usage: wasmtp-server [--listen ADDRESS:PORT] [--hostname NAME] [--domain DOMAIN]... [--maildir DIR]

  --listen ADDRESS:PORT  where to accept SMTP connections (default 127.0.0.1:2525;
                         port 0 picks a free port, printed at start)
  --hostname NAME        the server's domain, given in its greeting and Received headers
                         (default localhost)
  --domain DOMAIN        a domain whose mail is delivered here; repeat for more
                         (default: localhost and example.test). Mail for other domains
                         is refused with 554 5.7.1.
  --maildir DIR          where mailboxes live: DIR/<domain>/<local-part>/{tmp,new,cur}
                         (default /spool/mail; preopen it, see below)
  --help                 print this text

Run it with:
  wasmtime run -S inherit-network --dir ./var/spool::/spool wasmtp-server.wasm [flags]";

#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    pub listen: String,
    pub hostname: String,
    pub domains: Vec<String>,
    pub maildir: String,
    pub help: bool,
}

impl Args {
    /// Parses the flags (without the program name). An unknown flag or a missing value
    /// is an error naming it.
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut parsed = Self {
            listen: "127.0.0.1:2525".to_owned(),
            hostname: "localhost".to_owned(),
            domains: Vec::new(),
            maildir: "/spool/mail".to_owned(),
            help: false,
        };
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--listen" => parsed.listen = value()?,
                "--hostname" => parsed.hostname = value()?,
                "--domain" => parsed.domains.push(value()?),
                "--maildir" => parsed.maildir = value()?,
                "--help" | "-h" => parsed.help = true,
                other => return Err(format!("unknown flag {other:?}")),
            }
        }
        if parsed.domains.is_empty() {
            parsed.domains = vec!["localhost".to_owned(), "example.test".to_owned()];
        }
        Ok(parsed)
    }
}
