//! Scenarios: a small world described in JSON (version 1) — the DNS zone, the hosts and
//! how they behave, the message to send. [`Scenario::from_json`] checks everything and
//! returns every problem with its path, never a panic.

use std::collections::BTreeSet;
use std::net::IpAddr;

use core::fmt;
use serde::{Deserialize, Serialize};

use crate::route::zone::{Zone, ZoneEntry};
use crate::syntax::{Domain, ForwardPath, Mailbox};

use super::exercises::ExerciseSpec;
use super::trace::Phrase;
use crate::i18n::Language;

/// The scenario format this code reads.
pub const FORMAT_VERSION: u32 = 1;

/// A world and a message, as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// Short name, letters, digits and `-`: `greylisting`.
    pub id: String,
    pub title: String,
    /// One paragraph: what happens and why it matters.
    pub intro: String,
    /// What a learner should notice.
    #[serde(default)]
    pub notice: Vec<String>,
    /// Orders equal MX preferences and SRV weights (the same seed, the same trace).
    #[serde(default)]
    pub seed: u64,
    pub sender: SenderSpec,
    pub message: MessageSpec,
    /// Ask for SRV records before MX (RFC 2782), as Exim can.
    #[serde(default)]
    pub srv_routing: bool,
    /// The DNS zone, one record per entry.
    #[serde(default)]
    pub dns: Vec<DnsRecordSpec>,
    pub hosts: Vec<HostSpec>,
    /// The same message sent the UUCP way first, for contrast.
    #[serde(default)]
    pub uucp: Option<UucpSpec>,
    /// How long the simulation may run in virtual time before it stops.
    #[serde(default = "default_horizon_hours")]
    pub horizon_hours: u64,
    /// "What happens next?" questions, answered by the run (see [`crate::sim::questions`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exercises: Vec<ExerciseSpec>,
}

fn default_horizon_hours() -> u64 {
    24
}

/// Who sends, and how: through a submission server, or (`raw_client`) by writing the
/// SMTP dialogue itself straight to each recipient domain's mail host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenderSpec {
    pub address: String,
    /// The name of the host (role `submission`) the sender's mail client submits to.
    #[serde(default)]
    pub submission: Option<String>,
    /// A client that sends the message body byte for byte as written (bare LFs
    /// included; `{rcpt}` stands for the recipient), as an attacker's script would.
    #[serde(default)]
    pub raw_client: Option<RawClientSpec>,
}

/// A client host that writes SMTP by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClientSpec {
    pub name: String,
    pub address: String,
    /// What it writes, one flight after each reply of the server, byte for byte;
    /// `{name}`, `{sender}`, `{rcpt}` and `{body}` stand for its name, the sender, the
    /// recipient and the message body. Empty: EHLO, MAIL, RCPT, DATA, the body and its
    /// dot, QUIT.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<String>,
}

/// A UUCP network for the history lesson: hosts that call their neighbours every few
/// hours, and a bang path naming every hop (RFC 976).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UucpSpec {
    /// The sender's host.
    pub origin: String,
    /// `hostA!hostB!user`: every host on the way, then the user.
    pub path: String,
    /// Pairs of hosts that call each other.
    pub links: Vec<[String; 2]>,
    /// How often each link is called.
    pub poll_hours: u64,
}

/// The message: its recipients and content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSpec {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
    /// Pad the body with lines of text up to about this many octets.
    #[serde(default)]
    pub pad_to_size: Option<u64>,
}

/// One DNS record, zone-file style: `{"name": "example.org", "type": "MX", "value": "10
/// mx1.example.org"}`. Types: MX, A, AAAA, CNAME, SRV (`priority weight port target`,
/// at `_smtp._tcp.<domain>`), and NXDOMAIN or SERVFAIL (no value) to make the name fail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsRecordSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub value: String,
}

/// A host of the world.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSpec {
    pub name: String,
    pub address: String,
    /// `submission` (takes the sender's mail and queues it), `mailbox` (the final
    /// server of its domains), `backup` (a backup MX that queues and relays on).
    pub role: String,
    /// The mail domains the host serves (mailbox, submission) or backs up (backup).
    #[serde(default)]
    pub domains: Vec<String>,
    /// Local parts with a mailbox here.
    #[serde(default)]
    pub users: Vec<String>,
    /// Local parts whose mailbox is full (`452 4.2.2`).
    #[serde(default)]
    pub full_mailboxes: Vec<String>,
    /// See [`Behaviour`]: `down`, `unreachable`, `greylisting`, `helo-only`,
    /// `no-pipelining`, `no-8bitmime`, `no-smtputf8`, `fail-at-end-of-data`, `slow`,
    /// `imap`, ….
    #[serde(default)]
    pub behaviours: Vec<String>,
    /// Largest message accepted (SIZE, RFC 1870).
    #[serde(default)]
    pub max_size: Option<u64>,
    /// Down (connections refused) for this many minutes from the start.
    #[serde(default)]
    pub down_minutes: u64,
    /// One-way network latency to this host.
    #[serde(default = "default_latency_ms")]
    pub latency_ms: u64,
}

fn default_latency_ms() -> u64 {
    20
}

/// A problem in a scenario, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// `hosts[2].behaviours[0]`, or empty for the whole document.
    pub path: String,
    /// In English, the language of the APIs.
    pub message: String,
    /// The same in words of the core's catalog (`problem-*`), for the other languages.
    #[serde(skip)]
    pub phrase: Phrase,
}

impl ScenarioError {
    fn new(path: &str, phrase: Phrase) -> Self {
        Self {
            path: path.to_owned(),
            message: phrase.text_in(Language::En),
            phrase,
        }
    }

    /// A document that is not a scenario: what serde found, and where when it knows
    /// (once: the position is taken out of serde's own text).
    pub fn not_a_scenario(error: &serde_json::Error) -> Self {
        let (line, column) = (error.line(), error.column());
        let detail = json_error_detail(error);
        let phrase = if line == 0 {
            Phrase::new("problem-json", [("detail", detail.into())])
        } else {
            Phrase::new(
                "problem-json-at",
                [
                    ("detail", detail.into()),
                    ("line", line.into()),
                    ("column", column.into()),
                ],
            )
        };
        Self::new("", phrase)
    }

    /// The problem in `language`, without its path (a form shows it beside the field).
    pub fn message_in(&self, language: Language) -> String {
        self.phrase.text_in(language)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// What serde says of JSON it could not read, without the position its text ends with
/// (`expected value`, not `expected value at line 2 column 9`).
pub fn json_error_detail(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&position).unwrap_or(&text).to_owned()
}

/// What a host does, beyond answering correctly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Behaviour {
    /// Connections are refused.
    Down,
    /// Connections time out (no answer at all).
    Unreachable,
    /// `451 4.7.1` to a new (client, recipient) pair; accepted after 4 minutes.
    Greylisting,
    /// A pre-ESMTP server: EHLO is answered `502`.
    HeloOnly,
    NoPipelining,
    No8BitMime,
    NoSmtpUtf8,
    /// `451 4.3.0` after the first message's data; accepted on the next attempt.
    FailAtEndOfData,
    /// Replies take 1.5 seconds.
    Slow,
    /// A bare LF ends lines and `<LF>.<LF>` ends the data: SMTP smuggling works here.
    SmugglingVulnerable,
    /// Offers STARTTLS (RFC 3207); the handshake is simulated.
    StartTls,
    /// Holds its greeting back 6 seconds and refuses a client that talks first
    /// (`554 5.5.0`), as Postfix's postscreen does (RFC 5321 §3.1).
    GreetingDelay,
    /// Its users read their mail with IMAP (RFC 9051), which leaves it on the server,
    /// instead of downloading it with POP3.
    Imap,
}

impl Behaviour {
    const ALL: [(&'static str, Self); 13] = [
        ("down", Self::Down),
        ("unreachable", Self::Unreachable),
        ("greylisting", Self::Greylisting),
        ("helo-only", Self::HeloOnly),
        ("no-pipelining", Self::NoPipelining),
        ("no-8bitmime", Self::No8BitMime),
        ("no-smtputf8", Self::NoSmtpUtf8),
        ("fail-at-end-of-data", Self::FailAtEndOfData),
        ("slow", Self::Slow),
        ("smuggling-vulnerable", Self::SmugglingVulnerable),
        ("starttls", Self::StartTls),
        ("greeting-delay", Self::GreetingDelay),
        ("imap", Self::Imap),
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, behaviour)| *behaviour)
    }

    /// Every behaviour's name, as a scenario writes it (`greylisting`, `helo-only`).
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|(name, _)| *name)
    }
}

/// The record types a scenario's zone may hold (`NXDOMAIN` and `SERVFAIL` stand for a
/// name that does not exist and a server that fails).
pub const RECORD_KINDS: [&str; 7] = ["MX", "A", "AAAA", "CNAME", "SRV", "NXDOMAIN", "SERVFAIL"];

/// The roles a host may have: see [`HostSpec::role`].
pub const ROLES: [&str; 3] = ["submission", "mailbox", "backup"];

/// What a host is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Submission,
    Mailbox,
    Backup,
}

/// A host, checked.
#[derive(Clone, Debug)]
pub struct Host {
    pub name: String,
    pub address: IpAddr,
    pub role: Role,
    pub domains: Vec<Domain>,
    pub users: Vec<String>,
    pub full_mailboxes: Vec<String>,
    pub behaviours: BTreeSet<Behaviour>,
    pub max_size: Option<u64>,
    pub down_minutes: u64,
    pub latency_ms: u64,
}

impl Host {
    pub fn has(&self, behaviour: Behaviour) -> bool {
        self.behaviours.contains(&behaviour)
    }

    /// Whether mail for `domain` ends here (or, for a backup, is kept here).
    pub fn serves(&self, domain: &Domain) -> bool {
        self.domains
            .iter()
            .any(|served| served.eq_ignore_case(domain.as_str()))
    }
}

/// How the message leaves the sender.
#[derive(Clone, Debug)]
pub enum Submission {
    /// Through the submission server at this host index.
    Server(usize),
    /// Written by hand from this host, as `script` says (empty: the usual dialogue).
    Raw {
        name: String,
        address: IpAddr,
        script: Vec<String>,
    },
}

/// A scenario, checked: the typed world the engine runs.
#[derive(Clone, Debug)]
pub struct World {
    pub sender: Mailbox,
    pub submission: Submission,
    pub recipients: Vec<ForwardPath>,
    pub hosts: Vec<Host>,
    pub zone: Zone,
}

impl Scenario {
    /// Reads and checks a scenario; every problem is returned, each with its path.
    pub fn from_json(text: &str) -> Result<Self, Vec<ScenarioError>> {
        let scenario: Self = serde_json::from_str(text)
            .map_err(|error| vec![ScenarioError::not_a_scenario(&error)])?;
        scenario.world()?;
        Ok(scenario)
    }

    /// The typed world, or every problem found.
    pub fn world(&self) -> Result<World, Vec<ScenarioError>> {
        let mut problems = Problems::default();
        if self.version != FORMAT_VERSION {
            problems.add(
                "version",
                Phrase::new(
                    "problem-version",
                    [
                        ("version", u64::from(self.version).into()),
                        ("supported", u64::from(FORMAT_VERSION).into()),
                    ],
                ),
            );
        }
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.add("id", Phrase::new("problem-id", []));
        }
        let hosts: Vec<Host> = self
            .hosts
            .iter()
            .enumerate()
            .filter_map(|(index, host)| host.check(&format!("hosts[{index}]"), &mut problems))
            .collect();
        for (index, host) in self.hosts.iter().enumerate() {
            if self
                .hosts
                .iter()
                .take(index)
                .any(|other| other.name == host.name)
            {
                problems.add(
                    &format!("hosts[{index}].name"),
                    Phrase::new("problem-named-twice", [("name", host.name.as_str().into())]),
                );
            }
        }
        let sender = match Mailbox::parse(&self.sender.address) {
            Some(mailbox) => Some(mailbox),
            None => {
                problems.add(
                    "sender.address",
                    Phrase::new(
                        "problem-not-mailbox",
                        [("value", self.sender.address.as_str().into())],
                    ),
                );
                None
            }
        };
        let submission = match (&self.sender.submission, &self.sender.raw_client) {
            (Some(name), None) => {
                let index = hosts
                    .iter()
                    .position(|host| host.name == *name && host.role == Role::Submission);
                if index.is_none() {
                    problems.add(
                        "sender.submission",
                        Phrase::new(
                            "problem-no-submission-host",
                            [("name", name.as_str().into())],
                        ),
                    );
                }
                index.map(Submission::Server)
            }
            (None, Some(raw)) => match (domain(&raw.name), raw.address.parse::<IpAddr>()) {
                (Some(_), Ok(address)) => Some(Submission::Raw {
                    name: raw.name.to_ascii_lowercase(),
                    address,
                    script: raw.script.clone(),
                }),
                _ => {
                    problems.add("sender.raw_client", Phrase::new("problem-raw-client", []));
                    None
                }
            },
            _ => {
                problems.add("sender", Phrase::new("problem-sender-kind", []));
                None
            }
        };
        self.check_limits(&mut problems);
        if let Some(uucp) = &self.uucp {
            if uucp.path.split('!').count() < 2 {
                problems.add(
                    "uucp.path",
                    Phrase::new(
                        "problem-not-bang-path",
                        [("value", uucp.path.as_str().into())],
                    ),
                );
            }
            if uucp.poll_hours == 0 {
                problems.add("uucp.poll_hours", Phrase::new("problem-at-least-one", []));
            }
        }
        if self.message.to.is_empty() {
            problems.add("message.to", Phrase::new("problem-no-recipient", []));
        }
        if !crate::compose::is_header_safe(&self.message.subject) {
            problems.add(
                "message.subject",
                Phrase::new("problem-subject-control", []),
            );
        }
        let recipients: Vec<ForwardPath> = self
            .message
            .to
            .iter()
            .enumerate()
            .filter_map(|(index, to)| {
                let parsed = Mailbox::parse(to).map(ForwardPath::Mailbox);
                if parsed.is_none() {
                    problems.add(
                        &format!("message.to[{index}]"),
                        Phrase::new("problem-not-mailbox", [("value", to.as_str().into())]),
                    );
                }
                parsed
            })
            .collect();
        let zone = Zone(
            self.dns
                .iter()
                .enumerate()
                .filter_map(|(index, record)| record.check(&format!("dns[{index}]"), &mut problems))
                .collect(),
        );
        match (problems.0.is_empty(), sender, submission) {
            (true, Some(sender), Some(submission)) => Ok(World {
                sender,
                submission,
                recipients,
                hosts,
                zone,
            }),
            _ => Err(problems.0),
        }
    }
}

/// Bounds that keep any scenario, however hostile, small and quick to run.
pub const MAX_HOSTS: usize = 64;
pub const MAX_DNS_RECORDS: usize = 512;
pub const MAX_RECIPIENTS: usize = 32;
pub const MAX_MESSAGE_SIZE: u64 = 1_000_000;
pub const MAX_HORIZON_HOURS: u64 = 24 * 30;
pub const MAX_UUCP_HOPS: usize = 32;

impl Scenario {
    fn check_limits(&self, problems: &mut Problems) {
        let mut over = |path: &str, count: u64, limit: u64| {
            if count > limit {
                problems.add(
                    path,
                    Phrase::new(
                        "problem-over-limit",
                        [("count", count.into()), ("limit", limit.into())],
                    ),
                );
            }
        };
        over("hosts", self.hosts.len() as u64, MAX_HOSTS as u64);
        over("dns", self.dns.len() as u64, MAX_DNS_RECORDS as u64);
        over(
            "message.to",
            self.message.to.len() as u64,
            MAX_RECIPIENTS as u64,
        );
        let size = (self.message.body.len() as u64).max(self.message.pad_to_size.unwrap_or(0));
        over("message.pad_to_size", size, MAX_MESSAGE_SIZE);
        over("horizon_hours", self.horizon_hours, MAX_HORIZON_HOURS);
        if let Some(uucp) = &self.uucp {
            over(
                "uucp.path",
                uucp.path.split('!').count() as u64,
                MAX_UUCP_HOPS as u64,
            );
            over("uucp.poll_hours", uucp.poll_hours, MAX_HORIZON_HOURS);
        }
        for (index, host) in self.hosts.iter().enumerate() {
            over(
                &format!("hosts[{index}].latency_ms"),
                host.latency_ms,
                60_000,
            );
            over(
                &format!("hosts[{index}].down_minutes"),
                host.down_minutes,
                MAX_HORIZON_HOURS * 60,
            );
        }
    }
}

/// Problems found so far.
#[derive(Default)]
struct Problems(Vec<ScenarioError>);

impl Problems {
    fn add(&mut self, path: &str, phrase: Phrase) {
        self.0.push(ScenarioError::new(path, phrase));
    }
}

fn domain(text: &str) -> Option<Domain> {
    Domain::parse(text.trim_end_matches('.'))
}

impl HostSpec {
    fn check(&self, path: &str, problems: &mut Problems) -> Option<Host> {
        let before = problems.0.len();
        if !domain(&self.name).is_some_and(|name| name.is_ascii()) {
            problems.add(
                &format!("{path}.name"),
                Phrase::new(
                    "problem-not-host-name",
                    [("value", self.name.as_str().into())],
                ),
            );
        }
        let address = self.address.parse::<IpAddr>().ok();
        if address.is_none() {
            problems.add(
                &format!("{path}.address"),
                Phrase::new("problem-not-ip", [("value", self.address.as_str().into())]),
            );
        }
        let role = match self.role.as_str() {
            "submission" => Some(Role::Submission),
            "mailbox" => Some(Role::Mailbox),
            "backup" => Some(Role::Backup),
            other => {
                problems.add(
                    &format!("{path}.role"),
                    Phrase::new("problem-unknown-role", [("value", other.into())]),
                );
                None
            }
        };
        let domains: Vec<Domain> = self
            .domains
            .iter()
            .enumerate()
            .filter_map(|(index, name)| {
                let parsed = domain(name);
                if parsed.is_none() {
                    problems.add(
                        &format!("{path}.domains[{index}]"),
                        Phrase::new("problem-not-domain", [("value", name.as_str().into())]),
                    );
                }
                parsed
            })
            .collect();
        let behaviours = self
            .behaviours
            .iter()
            .enumerate()
            .filter_map(|(index, name)| {
                let parsed = Behaviour::parse(name);
                if parsed.is_none() {
                    let known: Vec<&str> = Behaviour::ALL.iter().map(|(name, _)| *name).collect();
                    problems.add(
                        &format!("{path}.behaviours[{index}]"),
                        Phrase::new(
                            "problem-unknown-behaviour",
                            [
                                ("value", name.as_str().into()),
                                ("known", known.join(", ").into()),
                            ],
                        ),
                    );
                }
                parsed
            })
            .collect();
        if problems.0.len() != before {
            return None;
        }
        Some(Host {
            name: self.name.to_ascii_lowercase(),
            address: address?,
            role: role?,
            domains,
            users: self.users.clone(),
            full_mailboxes: self.full_mailboxes.clone(),
            behaviours,
            max_size: self.max_size,
            down_minutes: self.down_minutes,
            latency_ms: self.latency_ms,
        })
    }
}

impl DnsRecordSpec {
    fn check(&self, path: &str, problems: &mut Problems) -> Option<ZoneEntry> {
        use crate::route::{Record, RecordKind};
        let owner = self.name.trim_end_matches('.').to_ascii_lowercase();
        let value = self.value.trim();
        let bad_value = |problems: &mut Problems, phrase: &str| {
            problems.add(
                &format!("{path}.value"),
                Phrase::new(phrase, [("value", value.into())]),
            );
            None
        };
        let (kind, record) = match self.kind.to_ascii_uppercase().as_str() {
            "NXDOMAIN" => return Some(ZoneEntry::NxDomain(owner)),
            "SERVFAIL" => return Some(ZoneEntry::ServFail(owner)),
            "MX" => match value.split_once(' ') {
                Some((preference, exchange)) if preference.parse::<u16>().is_ok() => (
                    RecordKind::Mx,
                    Record::Mx {
                        preference: preference.parse().unwrap_or_default(),
                        exchange: exchange.trim().to_owned(),
                    },
                ),
                _ => return bad_value(problems, "problem-not-mx"),
            },
            "A" => match value.parse::<std::net::Ipv4Addr>() {
                Ok(address) => (RecordKind::A, Record::Address(address.into())),
                Err(_) => return bad_value(problems, "problem-not-ipv4"),
            },
            "AAAA" => match value.parse::<std::net::Ipv6Addr>() {
                Ok(address) => (RecordKind::Aaaa, Record::Address(address.into())),
                Err(_) => return bad_value(problems, "problem-not-ipv6"),
            },
            "CNAME" => match domain(value) {
                // An alias stands for every type; the engine answers any question with it.
                Some(target) => (RecordKind::Mx, Record::Cname(target)),
                None => return bad_value(problems, "problem-not-domain"),
            },
            "SRV" => {
                let fields: Vec<&str> = value.split_whitespace().collect();
                let number = |index: usize| fields.get(index).and_then(|f| f.parse::<u16>().ok());
                match (number(0), number(1), number(2), fields.get(3), fields.len()) {
                    (Some(priority), Some(weight), Some(port), Some(target), 4) => (
                        RecordKind::SmtpSrv,
                        Record::Srv {
                            priority,
                            weight,
                            port,
                            target: (*target).to_owned(),
                        },
                    ),
                    _ => return bad_value(problems, "problem-not-srv"),
                }
            }
            other => {
                problems.add(
                    &format!("{path}.type"),
                    Phrase::new("problem-unknown-record-type", [("value", other.into())]),
                );
                return None;
            }
        };
        Some(ZoneEntry::Record {
            owner,
            record,
            kind,
        })
    }
}
