//! Configuration of `wasmtp-server`: embedded defaults, then an optional TOML file
//! (`--config`), then flags. Every problem names the field or flag and stops the start.

use std::net::{IpAddr, SocketAddr};

use std::sync::Arc;

use serde::Deserialize;
use wasmtp_core::auth::dmarc::DmarcPolicy;
use wasmtp_core::auth::spf::SpfPolicy;
use wasmtp_core::client::TlsPolicy;
use wasmtp_core::queue::RetrySchedule;
use wasmtp_core::server::ServerConfig;
use wasmtp_core::syntax::{Domain, ForwardPath, Host};

use crate::signing::NewKey;
use crate::tls_server;
use crate::users::Users;
use wasmtp_wasi::tls;

pub const USAGE: &str = "\
usage: wasmtp-server [--config FILE] [flags]

  --config FILE          a TOML file with any of the settings below (see README)
  --listen ADDRESS:PORT  where to accept SMTP connections; repeat for more
                         (default 127.0.0.1:2525; port 0 picks a free port, printed)
  --hostname NAME        the server's name in its greeting and Received fields
                         (default localhost)
  --domain DOMAIN        a domain whose mail is delivered here; repeat for more
                         (default: localhost and example.test)
  --user LOCAL-PART      a mailbox that exists; repeat for more. With users given,
                         others get 550 5.1.1 (postmaster always exists); without,
                         every local part of a local domain is taken
  --trusted CIDR         a network allowed to relay to other domains, e.g.
                         127.0.0.0/8; repeat for more (default: none, no relaying)
  --spool DIR            where mail lives: DIR/mail/<domain>/<user>/{tmp,new,cur} and
                         the relay queue DIR/queue (default /spool; preopen it)
  --resolver ADDRESS:PORT  the DNS server for MX lookups (default 127.0.0.1:53)
  --relay-port PORT      the port relayed mail is sent to (default 25; for tests)
  --first-retry-seconds N  wait before the first retry, doubling after (default 300)
  --max-connections N    sessions at once; more are told 421 4.3.2 (default 1000)
  --max-message-size N   octets (default 26214400)
  --greeting-delay-ms N  wait N ms before the greeting and refuse a client that talks
                         first with 554 5.5.0 (RFC 5321 §3.1; Postfix's pregreet
                         test); for port 25, e.g. 3000 (default 0: greet at once)
  --log-format FORMAT    text (default) or json: one line per event on stderr
  --tls-cert FILE        PEM certificate chain: STARTTLS is offered (RFC 3207)
  --tls-key FILE         PEM private key of --tls-cert
  --submission ADDRESS:PORT  a submission listener with implicit TLS (RFC 8314, port
                         465): AUTH required before mail (530 5.7.0); repeat for more
  --users-file FILE      a Dovecot passwd-file (user:{SHA512-CRYPT}$6$...): AUTH PLAIN
                         and LOGIN are offered over TLS; authenticated users may relay
  --relay-tls POLICY     STARTTLS when relaying: none, opportunistic (default) or
                         required (no delivery without TLS and a valid certificate)
  --relay-ca FILE        PEM CA certificates the relay trusts instead of the bundled
                         web PKI roots
  --spf POLICY           SPF (RFC 7208) of mail from clients neither trusted nor
                         authenticated: off, record (default: the result goes into an
                         Authentication-Results field) or refuse-fail (also refuse a
                         fail with 550 5.7.23); DNS through --resolver
  --dmarc POLICY         DMARC (RFC 7489) of the same mail: off, record (default),
                         quarantine (mail whose domain asks for quarantine or reject
                         goes to the mailbox's .Junk folder) or enforce (quarantine to
                         .Junk, reject refused with 550 5.7.1)
  --dkim-selector NAME   the selector of the DKIM keys mail is signed with (default
                         wasmtp): DIR/dkim/<domain>/<NAME>.pem, PEM, RSA or Ed25519
  --dkim-new-key DOMAIN  make a key for DOMAIN under the spool, print its DNS record
  --dkim-algorithm ALG   of --dkim-new-key: rsa (default, 2048 bits) or ed25519
  --dkim-record DOMAIN   print the DNS TXT record of DOMAIN's key
  --hash-password        read a password from stdin, print its passwd-file field
  --discard              accept every message and store nothing (benchmarks only:
                         mail that got 250 is thrown away)
  --help                 print this text

Run it with:
  wasmtime run -S inherit-network --dir ./var/spool::/spool wasmtp-server.wasm [flags]";

/// Everything the server runs with, checked.
#[derive(Clone, Debug)]
pub struct Settings {
    pub listen: Vec<String>,
    pub server: ServerConfig,
    /// Known local parts (lowercase); empty: every local part is taken.
    pub users: Vec<String>,
    pub trusted: Vec<Network>,
    pub spool: String,
    pub resolver: SocketAddr,
    pub relay_port: u16,
    pub max_connections: usize,
    pub retry: RetrySchedule,
    pub json_logs: bool,
    /// Accept messages and drop them: a benchmark of the protocol without storage.
    pub discard: bool,
    /// The certificate and key STARTTLS and the submission listeners use.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Implicit-TLS submission listeners (RFC 8314), where AUTH is required.
    pub submission: Vec<String>,
    /// Who may authenticate.
    pub logins: Users,
    pub relay_tls: TlsPolicy,
    /// The roots the relay checks certificates against.
    pub relay_tls_config: Arc<rustls::ClientConfig>,
    /// What SPF does for mail from clients neither trusted nor authenticated.
    pub spf: SpfPolicy,
    /// What DMARC does for the same mail.
    pub dmarc: DmarcPolicy,
    /// The selector of the signing keys.
    pub dkim_selector: String,
    /// A key command instead of serving.
    pub dkim_command: Option<DkimCommand>,
    pub hash_password: bool,
    pub help: bool,
}

/// The DKIM key commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DkimCommand {
    NewKey { domain: String, algorithm: NewKey },
    Record { domain: String },
}

/// The TOML file, as written. Every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    listen: Option<Vec<String>>,
    hostname: Option<String>,
    domains: Option<Vec<String>>,
    users: Option<Vec<String>>,
    trusted_networks: Option<Vec<String>>,
    spool: Option<String>,
    log_format: Option<String>,
    #[serde(default)]
    limits: FileLimits,
    #[serde(default)]
    relay: FileRelay,
    #[serde(default)]
    tls: FileTls,
    users_file: Option<String>,
    #[serde(default)]
    auth: FileAuth,
    #[serde(default)]
    dkim: FileDkim,
}

/// `[dkim]`: signing of outgoing mail.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDkim {
    selector: Option<String>,
}

/// `[auth]`: checks of incoming mail.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAuth {
    /// `off`, `record` or `refuse-fail`.
    spf: Option<String>,
    /// `off`, `record`, `quarantine` or `enforce`.
    dmarc: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTls {
    certificate: Option<String>,
    key: Option<String>,
    submission: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLimits {
    message_size: Option<u64>,
    recipients: Option<usize>,
    command_line: Option<usize>,
    text_line: Option<usize>,
    errors: Option<usize>,
    connections: Option<usize>,
    command_timeout_seconds: Option<u64>,
    data_timeout_seconds: Option<u64>,
    greeting_delay_ms: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRelay {
    resolver: Option<String>,
    port: Option<u16>,
    /// `postfix` (default) or `exim`.
    retry: Option<String>,
    /// Overrides the Postfix-like schedule's first wait.
    first_retry_seconds: Option<u64>,
    /// `none`, `opportunistic` (default) or `required`.
    tls: Option<String>,
    ca_file: Option<String>,
}

/// An address block, `address/prefix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address.parse().ok()?, prefix.parse().ok()?),
            None => {
                let address: IpAddr = text.parse().ok()?;
                (address, if address.is_ipv4() { 32 } else { 128 })
            }
        };
        let bits = if address.is_ipv4() { 32 } else { 128 };
        (prefix <= bits).then_some(Self { address, prefix })
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        fn bits(address: IpAddr) -> (u128, u32) {
            match address {
                IpAddr::V4(v4) => (u128::from(u32::from(v4)) << 96, 32),
                IpAddr::V6(v6) => (u128::from(v6), 128),
            }
        }
        let (network, width) = bits(self.address);
        let (candidate, candidate_width) = bits(address);
        if width != candidate_width {
            return false;
        }
        let mask = u128::MAX
            .checked_shl(128 - u32::from(self.prefix))
            .unwrap_or(0);
        network & mask == candidate & mask
    }
}

impl Settings {
    /// Defaults, then the file named by `--config`, then the other flags.
    pub fn load(args: impl Iterator<Item = String>) -> Result<Self, String> {
        let flags = Flags::parse(args)?;
        let file = match &flags.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|error| format!("--config {path}: cannot read it: {error}"))?;
                toml::from_str::<File>(&text).map_err(|error| {
                    // One line: where, and what (toml's own text draws the source).
                    let line = error.span().map_or(0, |span| {
                        text.get(..span.start)
                            .unwrap_or_default()
                            .matches('\n')
                            .count()
                            + 1
                    });
                    let message = error.message().trim_end().replace('\n', " ");
                    format!("--config {path}: line {line}: {message}")
                })?
            }
            None => File::default(),
        };
        Self::from_parts(file, flags)
    }

    fn from_parts(file: File, flags: Flags) -> Result<Self, String> {
        let pick = |flag: Vec<String>, from_file: Option<Vec<String>>| {
            if flag.is_empty() {
                from_file.unwrap_or_default()
            } else {
                flag
            }
        };
        let hostname = flags
            .hostname
            .or(file.hostname)
            .unwrap_or_else(|| "localhost".to_owned());
        let mut server =
            ServerConfig::new(&hostname).map_err(|error| format!("hostname: {error}"))?;
        let domains = pick(flags.domains, file.domains);
        let domains = if domains.is_empty() {
            vec!["localhost".to_owned(), "example.test".to_owned()]
        } else {
            domains
        };
        server.local_domains = domains
            .iter()
            .enumerate()
            .map(|(index, name)| {
                Domain::parse(name)
                    .ok_or_else(|| format!("domains[{index}]: {name:?} is not a domain name"))
            })
            .collect::<Result<_, _>>()?;
        let limits = &file.limits;
        let limit = |value: Option<u64>, name: &str| match value {
            Some(0) => Err(format!("limits.{name}: must be more than 0")),
            other => Ok(other),
        };
        if let Some(size) = limit(
            flags.max_message_size.or(limits.message_size),
            "message_size",
        )? {
            server.limits.message_size = size;
        }
        let as_u64 = |value: Option<usize>| value.map(|value| value as u64);
        if let Some(recipients) = limit(as_u64(limits.recipients), "recipients")? {
            server.limits.recipients = usize::try_from(recipients).unwrap_or(usize::MAX);
        }
        if let Some(line) = limits.command_line {
            if line < 512 {
                return Err("limits.command_line: RFC 5321 §4.5.3.1.4 needs at least 512".into());
            }
            server.limits.command_line = line;
        }
        if let Some(line) = limits.text_line {
            if line < 1000 {
                return Err("limits.text_line: RFC 5321 §4.5.3.1.6 needs at least 1000".into());
            }
            server.limits.text_line = line;
        }
        if let Some(errors) = limit(as_u64(limits.errors), "errors")? {
            server.limits.errors = usize::try_from(errors).unwrap_or(usize::MAX);
        }
        if let Some(seconds) = limit(limits.command_timeout_seconds, "command_timeout_seconds")? {
            server.timeouts.command = core::time::Duration::from_secs(seconds);
        }
        if let Some(seconds) = limit(limits.data_timeout_seconds, "data_timeout_seconds")? {
            server.timeouts.data_idle = core::time::Duration::from_secs(seconds);
        }
        if let Some(delay) = flags.greeting_delay_ms.or(limits.greeting_delay_ms) {
            // Past the client's own 5-minute wait for the greeting (§4.5.3.2.1), no
            // client is left to refuse.
            if delay >= 300_000 {
                return Err("limits.greeting_delay_ms: must be under 300000 (5 minutes)".into());
            }
            server.timeouts.greeting_delay = core::time::Duration::from_millis(delay);
        }
        let max_connections = limit(
            as_u64(flags.max_connections.or(limits.connections)),
            "connections",
        )?
        .map_or(1000, |value| usize::try_from(value).unwrap_or(usize::MAX));
        let users = pick(flags.users, file.users)
            .into_iter()
            .map(|user| user.to_ascii_lowercase())
            .collect();
        let trusted = pick(flags.trusted, file.trusted_networks)
            .iter()
            .enumerate()
            .map(|(index, text)| {
                Network::parse(text).ok_or_else(|| {
                    format!(
                        "trusted_networks[{index}]: {text:?} is not an address or address/prefix"
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let resolver_text = flags
            .resolver
            .or(file.relay.resolver)
            .unwrap_or_else(|| "127.0.0.1:53".to_owned());
        let resolver = resolver_text
            .parse()
            .map_err(|_| format!("relay.resolver: {resolver_text:?} is not an address:port"))?;
        let first_retry = flags.first_retry_seconds.or(file.relay.first_retry_seconds);
        let retry = match (file.relay.retry.as_deref(), first_retry) {
            (None | Some("postfix"), Some(seconds)) => match RetrySchedule::postfix() {
                RetrySchedule::Backoff { max, lifetime, .. } => RetrySchedule::Backoff {
                    first: core::time::Duration::from_secs(seconds.max(1)),
                    max,
                    lifetime,
                },
                other => other,
            },
            (Some("exim"), Some(_)) => {
                return Err("relay.first_retry_seconds: only for the \"postfix\" schedule".into());
            }
            (None | Some("postfix"), None) => RetrySchedule::postfix(),
            (Some("exim"), None) => RetrySchedule::exim(),
            (Some(other), _) => {
                return Err(format!(
                    "relay.retry: unknown value {other:?}; use \"postfix\" or \"exim\""
                ));
            }
        };
        let json_logs = match flags.log_format.or(file.log_format).as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                return Err(format!(
                    "log_format: unknown value {other:?}; use \"text\" or \"json\""
                ));
            }
        };
        let read = |what: &str, path: &str| {
            std::fs::read(path).map_err(|error| format!("{what} {path}: cannot read it: {error}"))
        };
        let tls = match (
            flags.tls_cert.or(file.tls.certificate),
            flags.tls_key.or(file.tls.key),
        ) {
            (Some(certificate), Some(key)) => Some(
                tls_server::server_config(
                    &read("tls.certificate", &certificate)?,
                    &read("tls.key", &key)?,
                )
                .map_err(|error| format!("tls: {error}"))?,
            ),
            (None, None) => None,
            _ => return Err("tls: give both the certificate and the key".into()),
        };
        server.tls_available = tls.is_some();
        let logins = match flags.users_file.or(file.users_file) {
            Some(path) => Users::parse(&String::from_utf8_lossy(&read("users_file", &path)?))
                .map_err(|error| format!("users_file {path}: {error}"))?,
            None => Users::default(),
        };
        if !logins.is_empty() {
            server.extensions.auth_mechanisms = vec!["PLAIN".into(), "LOGIN".into()];
        }
        let submission = pick(flags.submission, file.tls.submission);
        if !submission.is_empty() && (tls.is_none() || logins.is_empty()) {
            return Err(
                "tls.submission: a submission listener needs a certificate and key \
                 and a users_file"
                    .into(),
            );
        }
        let relay_tls = tls::policy(flags.relay_tls.or(file.relay.tls).as_deref())
            .map_err(|error| format!("relay.tls: {error}"))?;
        let relay_ca = match flags.relay_ca.or(file.relay.ca_file) {
            Some(path) => Some(read("relay.ca_file", &path)?),
            None => None,
        };
        let relay_tls_config = tls::client_config(relay_tls, relay_ca.as_deref())
            .map_err(|error| format!("relay.ca_file: {error}"))?;
        let spf = spf_policy(flags.spf.or(file.auth.spf).as_deref())
            .map_err(|error| format!("auth.spf: {error}"))?;
        let dmarc = dmarc_policy(flags.dmarc.or(file.auth.dmarc).as_deref())
            .map_err(|error| format!("auth.dmarc: {error}"))?;
        let dkim_selector = flags
            .dkim_selector
            .or(file.dkim.selector)
            .unwrap_or_else(|| "wasmtp".to_owned());
        if Domain::parse(&dkim_selector).is_none() {
            return Err(format!(
                "dkim.selector: {dkim_selector:?} is not a DNS label sequence"
            ));
        }
        let algorithm = match flags.dkim_algorithm.as_deref() {
            None | Some("rsa") => NewKey::Rsa,
            Some("ed25519") => NewKey::Ed25519,
            Some(other) => {
                return Err(format!("--dkim-algorithm: {other:?} is not rsa or ed25519"));
            }
        };
        let dkim_command = match (flags.dkim_new_key, flags.dkim_record) {
            (Some(domain), None) => Some(DkimCommand::NewKey {
                domain: key_domain(&domain)?,
                algorithm,
            }),
            (None, Some(domain)) => Some(DkimCommand::Record {
                domain: key_domain(&domain)?,
            }),
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err("--dkim-new-key and --dkim-record: one at a time".into());
            }
        };
        let listen = pick(flags.listen, file.listen);
        Ok(Self {
            listen: if listen.is_empty() {
                vec!["127.0.0.1:2525".to_owned()]
            } else {
                listen
            },
            server,
            users,
            trusted,
            spool: flags
                .spool
                .or(file.spool)
                .unwrap_or_else(|| "/spool".to_owned()),
            resolver,
            relay_port: flags.relay_port.or(file.relay.port).unwrap_or(25),
            max_connections,
            retry,
            json_logs,
            discard: flags.discard,
            tls,
            submission,
            logins,
            relay_tls,
            relay_tls_config,
            spf,
            dmarc,
            dkim_selector,
            dkim_command,
            hash_password: flags.hash_password,
            help: flags.help,
        })
    }

    /// Whether mail for `path` is delivered here (a bare `<Postmaster>` always is);
    /// anything else is relayed.
    pub fn is_local(&self, path: &ForwardPath) -> bool {
        match path {
            ForwardPath::Postmaster => true,
            ForwardPath::Mailbox(mailbox) => match &mailbox.host {
                Host::Domain(domain) => self.server.is_local(domain),
                Host::Literal(_) => false,
            },
        }
    }

    /// Whether mail of clients neither trusted nor authenticated is checked at all.
    pub fn checks_mail(&self) -> bool {
        self.spf != SpfPolicy::Off || self.dmarc != DmarcPolicy::Off
    }

    /// Whether `client` may relay to other domains.
    pub fn is_trusted(&self, client: Option<IpAddr>) -> bool {
        client.is_some_and(|address| self.trusted.iter().any(|network| network.contains(address)))
    }
}

/// The flags as given.
#[derive(Debug, Default)]
struct Flags {
    config: Option<String>,
    listen: Vec<String>,
    hostname: Option<String>,
    domains: Vec<String>,
    users: Vec<String>,
    trusted: Vec<String>,
    spool: Option<String>,
    resolver: Option<String>,
    relay_port: Option<u16>,
    first_retry_seconds: Option<u64>,
    max_connections: Option<usize>,
    max_message_size: Option<u64>,
    greeting_delay_ms: Option<u64>,
    log_format: Option<String>,
    discard: bool,
    tls_cert: Option<String>,
    tls_key: Option<String>,
    submission: Vec<String>,
    users_file: Option<String>,
    relay_tls: Option<String>,
    relay_ca: Option<String>,
    spf: Option<String>,
    dmarc: Option<String>,
    dkim_selector: Option<String>,
    dkim_new_key: Option<String>,
    dkim_algorithm: Option<String>,
    dkim_record: Option<String>,
    hash_password: bool,
    help: bool,
}

impl Flags {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut flags = Self::default();
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--config" => flags.config = Some(value()?),
                "--listen" => flags.listen.push(value()?),
                "--hostname" => flags.hostname = Some(value()?),
                "--domain" => flags.domains.push(value()?),
                "--user" => flags.users.push(value()?),
                "--trusted" => flags.trusted.push(value()?),
                "--spool" => flags.spool = Some(value()?),
                "--resolver" => flags.resolver = Some(value()?),
                "--relay-port" => flags.relay_port = Some(number(&flag, &value()?)?),
                "--first-retry-seconds" => {
                    flags.first_retry_seconds = Some(number(&flag, &value()?)?)
                }
                "--max-connections" => flags.max_connections = Some(number(&flag, &value()?)?),
                "--max-message-size" => flags.max_message_size = Some(number(&flag, &value()?)?),
                "--greeting-delay-ms" => flags.greeting_delay_ms = Some(number(&flag, &value()?)?),
                "--log-format" => flags.log_format = Some(value()?),
                "--discard" => flags.discard = true,
                "--tls-cert" => flags.tls_cert = Some(value()?),
                "--tls-key" => flags.tls_key = Some(value()?),
                "--submission" => flags.submission.push(value()?),
                "--users-file" => flags.users_file = Some(value()?),
                "--relay-tls" => flags.relay_tls = Some(value()?),
                "--relay-ca" => flags.relay_ca = Some(value()?),
                "--spf" => flags.spf = Some(value()?),
                "--dmarc" => flags.dmarc = Some(value()?),
                "--dkim-selector" => flags.dkim_selector = Some(value()?),
                "--dkim-new-key" => flags.dkim_new_key = Some(value()?),
                "--dkim-algorithm" => flags.dkim_algorithm = Some(value()?),
                "--dkim-record" => flags.dkim_record = Some(value()?),
                "--hash-password" => flags.hash_password = true,
                "--help" | "-h" => flags.help = true,
                other => return Err(format!("unknown flag {other:?}")),
            }
        }
        Ok(flags)
    }
}

/// `off`, `record` (the default) or `refuse-fail`.
fn spf_policy(text: Option<&str>) -> Result<SpfPolicy, String> {
    match text {
        None | Some("record") => Ok(SpfPolicy::Record),
        Some("off") => Ok(SpfPolicy::Off),
        Some("refuse-fail") => Ok(SpfPolicy::RefuseFail),
        Some(other) => Err(format!("{other:?} is not off, record or refuse-fail")),
    }
}

/// `off`, `record` (the default), `quarantine` or `enforce`.
fn dmarc_policy(text: Option<&str>) -> Result<DmarcPolicy, String> {
    match text {
        None | Some("record") => Ok(DmarcPolicy::Record),
        Some("off") => Ok(DmarcPolicy::Off),
        Some("quarantine") => Ok(DmarcPolicy::Quarantine),
        Some("enforce") => Ok(DmarcPolicy::Enforce),
        Some(other) => Err(format!(
            "{other:?} is not off, record, quarantine or enforce"
        )),
    }
}

/// The domain of a key command, lower case; it names a folder, so it must be a domain.
fn key_domain(text: &str) -> Result<String, String> {
    Domain::parse(text)
        .map(|domain| domain.to_string().to_ascii_lowercase())
        .ok_or_else(|| format!("{text:?} is not a domain name"))
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag}: {text:?} is not a number"))
}
