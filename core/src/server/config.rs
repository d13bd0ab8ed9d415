//! What a server session is configured with: its name, the extensions it offers, its
//! limits and timeouts, and the named leniencies (all off by default).

use core::time::Duration;

use core::fmt;

use crate::syntax::Domain;

/// Why a configuration was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The server's name must be an ASCII domain (RFC 5321 §4.1.2), so that it can stand
    /// in replies and trace headers.
    InvalidHostname(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidHostname(name) => write!(
                f,
                "{name:?} is not a domain name of letters, digits, '-' and '.' (RFC 5321 §4.1.2)"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Extensions the server advertises in its EHLO reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extensions {
    /// PIPELINING (RFC 2920).
    pub pipelining: bool,
    /// SIZE with the message size limit (RFC 1870).
    pub size: bool,
    /// 8BITMIME (RFC 6152).
    pub eight_bit_mime: bool,
    /// SMTPUTF8 (RFC 6531).
    pub smtputf8: bool,
    /// ENHANCEDSTATUSCODES (RFC 2034): once advertised, every reply carries one.
    pub enhanced_status_codes: bool,
    /// CHUNKING, the BDAT command (RFC 3030).
    pub chunking: bool,
    /// BINARYMIME (RFC 3030); needs CHUNKING.
    pub binary_mime: bool,
    /// DSN: RET, ENVID, NOTIFY, ORCPT (RFC 3461).
    pub dsn: bool,
    /// REQUIRETLS (RFC 8689); offered only over TLS.
    pub requiretls: bool,
    /// SASL mechanisms for AUTH (RFC 4954), e.g. `PLAIN`, `LOGIN`. Empty: no AUTH.
    pub auth_mechanisms: Vec<String>,
}

impl Default for Extensions {
    fn default() -> Self {
        Self {
            pipelining: true,
            size: true,
            eight_bit_mime: true,
            smtputf8: true,
            enhanced_status_codes: true,
            chunking: true,
            binary_mime: true,
            dsn: true,
            requiretls: false,
            auth_mechanisms: Vec::new(),
        }
    }
}

/// Limits, each enforced with the reply the RFC names for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest command line, CRLF included (§4.5.3.1.4: 512); `500 5.5.2` past it.
    pub command_line: usize,
    /// Longest text line of a message, CRLF included (§4.5.3.1.6: 1000).
    pub text_line: usize,
    /// Largest message in octets, advertised with SIZE; `552 5.3.4` past it.
    pub message_size: u64,
    /// Recipients per message (§4.5.3.1.8 asks for at least 100); `452 4.5.3` past it.
    pub recipients: usize,
    /// Replies of 5yz to errors before the server gives up: `421 4.7.0`.
    pub errors: usize,
    /// Commands that move no mail (NOOP, RSET, VRFY, HELP, …) before `421 4.7.0`.
    pub junk_commands: usize,
    /// Longest AUTH continuation line (RFC 4954 §4: at least 12288).
    pub auth_line: usize,
    /// Refused AUTH attempts before `421 4.7.0`: password guessing ends the connection.
    pub auth_failures: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            command_line: 512,
            text_line: 1000,
            message_size: 25 * 1024 * 1024,
            recipients: 100,
            errors: 10,
            junk_commands: 100,
            auth_line: 12288,
            auth_failures: 3,
        }
    }
}

/// Timeouts, as deadlines the host is told about (RFC 5321 §4.5.3.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Wait before greeting; a client that talks first is refused (`554`). Zero: none.
    pub greeting_delay: Duration,
    /// From being ready for a command to having all of it (§4.5.3.2.7: 5 minutes).
    pub command: Duration,
    /// Longest pause inside message data (§4.5.3.2.5 data block: 3 minutes).
    pub data_idle: Duration,
    /// Minimum average rate of message data after a grace of [`Self::data_idle`], in
    /// octets per second; a slower client is cut off with `421 4.4.2`.
    pub min_data_rate: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            greeting_delay: Duration::ZERO,
            command: Duration::from_secs(5 * 60),
            data_idle: Duration::from_secs(3 * 60),
            min_data_rate: 256,
        }
    }
}

/// What to do with a bare CR, a bare LF or NUL in message content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BareLineEndings {
    /// Reject the message after its end with a 5xx naming the problem: the defence
    /// against SMTP smuggling (SEC Consult, 2023; Postfix `smtpd_forbid_bare_newline`).
    #[default]
    Reject,
    /// Turn bare CR and bare LF into CRLF (NUL is still refused). The end of data is
    /// still only CRLF.CRLF.
    Normalize,
}

/// Named leniencies towards broken clients; every one is off unless a user turns it on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quirks {
    /// See [`BareLineEndings`].
    pub bare_line_endings: BareLineEndings,
    /// Allow AUTH before TLS (RFC 4954 §4 forbids plaintext mechanisms without it).
    pub auth_without_tls: bool,
    /// Behave like a server from before ESMTP (RFC 821): EHLO is answered `502`, so
    /// clients must fall back to HELO (RFC 5321 §3.2). For the simulator and interop
    /// tests; RFC 5321 servers must support EHLO.
    pub helo_only: bool,
    /// Vulnerable on purpose: a bare LF ends a line, so `<LF>.<LF>` ends the data and
    /// what follows is read as commands: SMTP smuggling (CVE-2023-51764/51765/51766).
    /// Exists only so the simulator can show the attack; never on a network.
    pub vulnerable_to_smuggling: bool,
}

/// Configuration of a server session.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    hostname: Domain,
    pub extensions: Extensions,
    pub limits: Limits,
    pub timeouts: Timeouts,
    pub quirks: Quirks,
    /// Domains this server takes mail for. Empty: every recipient goes to the host to
    /// decide; otherwise recipients elsewhere are refused (`554 5.7.1`) unless the
    /// client is trusted or authenticated.
    pub local_domains: Vec<Domain>,
    /// Whether the host can run TLS, so STARTTLS is offered (RFC 3207).
    pub tls_available: bool,
    /// A submission service (RFC 6409 §4.3, RFC 8314): no mail without AUTH first
    /// (`530 5.7.0`, RFC 4954 §6).
    pub require_auth: bool,
}

impl ServerConfig {
    /// A configuration with RFC defaults for a server called `hostname`, which must be a
    /// domain (RFC 5321 §4.1.3: the greeting names the server by its domain).
    pub fn new(hostname: &str) -> Result<Self, ConfigError> {
        let hostname = Domain::parse(hostname)
            .filter(Domain::is_ascii)
            .ok_or_else(|| ConfigError::InvalidHostname(hostname.to_owned()))?;
        Ok(Self {
            hostname,
            extensions: Extensions::default(),
            limits: Limits::default(),
            timeouts: Timeouts::default(),
            quirks: Quirks::default(),
            local_domains: Vec::new(),
            tls_available: false,
            require_auth: false,
        })
    }

    pub fn hostname(&self) -> &Domain {
        &self.hostname
    }

    /// Whether mail for `domain` is taken here.
    pub fn is_local(&self, domain: &Domain) -> bool {
        self.local_domains
            .iter()
            .any(|local| local.eq_ignore_case(domain.as_str()))
    }
}
