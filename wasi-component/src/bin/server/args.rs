//! Command-line flags of `wasmtp-server`.

pub const USAGE: &str = "\
usage: wasmtp-server [--listen ADDRESS:PORT] [--hostname NAME]

  --listen ADDRESS:PORT  where to accept SMTP connections (default 127.0.0.1:2525;
                         port 0 picks a free port, printed at start)
  --hostname NAME        the name the server gives in its 220 greeting (default localhost)
  --help                 print this text

Run it with: wasmtime run -S inherit-network wasmtp-server.wasm [flags]";

#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    pub listen: String,
    pub hostname: String,
    pub help: bool,
}

impl Args {
    /// Parses the flags (without the program name). An unknown flag or a missing value
    /// is an error naming it.
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut parsed = Self {
            listen: "127.0.0.1:2525".to_owned(),
            hostname: "localhost".to_owned(),
            help: false,
        };
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--listen" => parsed.listen = value()?,
                "--hostname" => parsed.hostname = value()?,
                "--help" | "-h" => parsed.help = true,
                other => return Err(format!("unknown flag {other:?}")),
            }
        }
        Ok(parsed)
    }
}
