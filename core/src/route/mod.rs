//! Next-hop selection for a recipient domain (RFC 5321 §5.1), as a sans-I/O state
//! machine: it asks DNS questions as [`Step::Lookup`] and takes the answers with
//! [`RoutePlanner::answer`], so the server component, the edge and the simulator can
//! each answer from their own resolver (or a simulated zone).
//!
//! The rules: MX records sorted by preference, equal preferences in an unbiased random
//! order from the caller's seed; no MX → the domain's own addresses (implicit MX); a null
//! MX (RFC 7505) → permanent failure without any connection; a lookup that fails is a
//! temporary failure, never an implicit MX; CNAMEs followed to a bounded depth; when this
//! host is an MX, only more-preferred hosts are tried.
//!
//! With [`RouteOptions::srv`] (off by default, as in Exim's `check_srv`), the planner first
//! asks for the SRV records of `_smtp._tcp.<domain>` (RFC 2782): targets by priority, equal
//! priorities in weighted random order, each with its own port. A domain without SRV
//! records falls back to MX routing.

pub mod dns;
mod random;
pub mod zone;

use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::task::{Context, Poll, Waker};

pub use random::SplitMix64;

use crate::reply::{Reply, build};

use crate::code;
use crate::syntax::{AddressLiteral, Domain, Host};

/// Longest CNAME chain followed (RFC 1034 §3.6.2 asks resolvers to bound them).
pub const MAX_CNAME_DEPTH: usize = 8;

/// The SMTP port (RFC 5321 §4.5.4.2 and the IANA registry), for MX and implicit-MX targets.
pub const SMTP_PORT: u16 = 25;

/// A DNS question the planner needs answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub name: Domain,
    pub kind: RecordKind,
}

/// `example.org MX?`, as traces and plans show a question.
impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}?", self.owner_name(), self.kind.name())
    }
}

impl Question {
    /// The name as it goes on the wire: for [`RecordKind::SmtpSrv`] the service label
    /// `_smtp._tcp.` comes first (RFC 2782), which is not a host name and so not a [`Domain`].
    pub fn owner_name(&self) -> String {
        match self.kind {
            RecordKind::SmtpSrv => format!("_smtp._tcp.{}", self.name.as_str()),
            _ => self.name.as_str().to_owned(),
        }
    }
}

/// The record types routing and mail authentication ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Mx,
    A,
    Aaaa,
    /// The SRV records of the SMTP service of the name (`_smtp._tcp.<name>`, RFC 2782).
    SmtpSrv,
    /// Text: SPF policies (RFC 7208 §3), and later DKIM keys and DMARC policies.
    Txt,
    /// The names of an address (`….in-addr.arpa`, `….ip6.arpa`; RFC 1035 §3.5).
    Ptr,
}

impl RecordKind {
    /// The record type's name in DNS: `MX`, `A`, `AAAA`, `SRV`, `TXT`, `PTR`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Mx => "MX",
            Self::A => "A",
            Self::Aaaa => "AAAA",
            Self::SmtpSrv => "SRV",
            Self::Txt => "TXT",
            Self::Ptr => "PTR",
        }
    }
}

/// One record of an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// `preference exchange`; an exchange of "." (the root) is a null MX.
    Mx {
        preference: u16,
        exchange: String,
    },
    Address(IpAddr),
    /// The name is an alias of `target`.
    Cname(Domain),
    /// `priority weight port target` (RFC 2782); a target of "." means no service.
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: String,
    },
    /// One TXT record: its character-strings joined with nothing between them (as SPF,
    /// DKIM and DMARC read them, RFC 7208 §3.3), as bytes: DNS does not promise text.
    Txt(Vec<u8>),
    /// A name the address is known by (no trailing dot).
    Ptr(String),
}

/// What the resolver said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Records(Vec<Record>),
    /// The name exists but has no records of the type asked for.
    NoData,
    /// The name does not exist.
    NxDomain,
    /// The lookup failed (timeout, SERVFAIL): try again later.
    Failure,
}

/// A host to connect to, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The MX host (or the domain itself for an implicit MX, or an SRV target).
    pub host: String,
    /// The MX preference, or the SRV priority.
    pub preference: u16,
    pub address: IpAddr,
    /// [`SMTP_PORT`], unless an SRV record named another.
    pub port: u16,
}

/// How to plan a route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteOptions {
    /// Names this host is known by; an MX naming one cuts the list (§5.1).
    pub local_names: Vec<String>,
    /// Orders equal preferences: the same seed, the same order.
    pub seed: u64,
    /// At most this many targets are returned (§5.1 asks for a limit).
    pub max_addresses: usize,
    /// Ask for SRV records before MX (RFC 2782); off by default.
    pub srv: bool,
}

impl Default for RouteOptions {
    fn default() -> Self {
        Self {
            local_names: Vec::new(),
            seed: 0,
            max_addresses: 10,
            srv: false,
        }
    }
}

/// What the planner asks of its host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Answer this question with [`RoutePlanner::answer`].
    Lookup(Question),
    /// The hosts to try, in order.
    Route(Vec<Target>),
    /// No route: the reply to report for every recipient of the domain.
    Fail(Reply),
}

/// An MX host (or SRV target) waiting for its addresses.
#[derive(Clone, Debug)]
struct Exchange {
    host: String,
    preference: u16,
    port: u16,
}

#[derive(Debug)]
enum State {
    /// Asking for the SMTP SRV records of `name`.
    Srv {
        name: Domain,
    },
    /// Asking for MX records of `name` (after `depth` CNAMEs).
    Mx {
        name: Domain,
        depth: usize,
    },
    /// Asking for the addresses of `exchanges[index]`, `kind` first AAAA then A.
    Addresses {
        exchanges: Vec<Exchange>,
        index: usize,
        kind: RecordKind,
        depth: usize,
        name: Domain,
    },
    Done,
}

/// Plans the route to one domain.
#[derive(Debug)]
pub struct RoutePlanner {
    state: State,
    targets: Vec<Target>,
    /// Names this host is known by; an MX naming it cuts the list (§5.1).
    local_names: Vec<String>,
    max_addresses: usize,
    random: SplitMix64,
    pending: Option<Step>,
    /// Set when an MX host's lookup failed, so an empty route is temporary.
    lookup_failed: bool,
}

impl RoutePlanner {
    /// Plans the route to `destination`.
    pub fn new(destination: &Host, options: &RouteOptions) -> Self {
        let mut planner = Self {
            state: State::Done,
            targets: Vec::new(),
            local_names: options
                .local_names
                .iter()
                .map(|name| name.to_ascii_lowercase())
                .collect(),
            max_addresses: options.max_addresses,
            random: SplitMix64::new(options.seed),
            pending: None,
            lookup_failed: false,
        };
        match destination {
            // An address literal needs no DNS (§5.1: it is the address to use).
            Host::Literal(literal) => {
                let address = match literal {
                    AddressLiteral::Ipv4(v4) => Some(IpAddr::V4(*v4)),
                    AddressLiteral::Ipv6(v6) => Some(IpAddr::V6(*v6)),
                    AddressLiteral::General { .. } => None,
                };
                planner.pending = Some(match address {
                    Some(address) => Step::Route(vec![Target {
                        host: literal.to_string(),
                        preference: 0,
                        address,
                        port: SMTP_PORT,
                    }]),
                    None => Step::Fail(build(
                        code!(550),
                        (1, 2),
                        "address literal of an unknown kind",
                    )),
                });
            }
            Host::Domain(domain) if options.srv => planner.ask(
                State::Srv {
                    name: domain.clone(),
                },
                domain.clone(),
                RecordKind::SmtpSrv,
            ),
            Host::Domain(domain) => planner.ask_mx(domain.clone(), 0),
        }
        planner
    }

    /// Runs the plan to its end, asking `resolve` each question: the hosts to try, or
    /// the reply for every recipient of the domain.
    pub fn run(self, mut resolve: impl FnMut(&Question) -> Answer) -> Result<Vec<Target>, Reply> {
        // Every answer is ready at once, so one poll finishes the plan.
        let plan = self.run_async(|question| core::future::ready(resolve(&question)));
        match core::pin::pin!(plan).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(planned) => planned,
            Poll::Pending => Err(build(code!(451), (4, 4), "routing stopped")),
        }
    }

    /// [`RoutePlanner::run`] with a resolver that answers asynchronously (DNS over UDP,
    /// DNS over HTTPS).
    pub async fn run_async<F: Future<Output = Answer>>(
        mut self,
        mut resolve: impl FnMut(Question) -> F,
    ) -> Result<Vec<Target>, Reply> {
        loop {
            match self.pending.take() {
                Some(Step::Lookup(question)) => {
                    let answer = resolve(question.clone()).await;
                    self.pending = Some(Step::Lookup(question));
                    self.answer(answer);
                }
                Some(Step::Route(targets)) => return Ok(targets),
                Some(Step::Fail(reply)) => return Err(reply),
                None => return Err(build(code!(451), (4, 4), "routing stopped")),
            }
        }
    }

    /// What to do next. `Lookup` steps repeat until answered.
    pub fn step(&self) -> Option<&Step> {
        self.pending.as_ref()
    }

    /// The answer to the question of the last [`Step::Lookup`].
    pub fn answer(&mut self, answer: Answer) {
        let state = std::mem::replace(&mut self.state, State::Done);
        match state {
            State::Srv { name } => self.srv_answer(name, answer),
            State::Mx { name, depth } => self.mx_answer(name, depth, answer),
            State::Addresses {
                exchanges,
                index,
                kind,
                depth,
                name,
            } => self.address_answer(exchanges, index, kind, depth, name, answer),
            State::Done => {}
        }
    }

    fn mx_answer(&mut self, name: Domain, depth: usize, answer: Answer) {
        let records = match answer {
            // §5.1: a failed lookup is not "no MX"; the mail waits.
            Answer::Failure => {
                return self.fail(build(
                    code!(451),
                    (4, 3),
                    "DNS lookup of MX failed; will retry",
                ));
            }
            Answer::NxDomain => {
                return self.fail(build(
                    code!(550),
                    (1, 2),
                    "the recipient's domain does not exist",
                ));
            }
            // No MX: the domain itself is the mail server (implicit MX, §5.1).
            Answer::NoData => Vec::new(),
            Answer::Records(records) => records,
        };
        if let Some(target) = records.iter().find_map(|record| match record {
            Record::Cname(target) => Some(target.clone()),
            _ => None,
        }) {
            if depth >= MAX_CNAME_DEPTH {
                return self.fail(build(code!(451), (4, 4), "CNAME chain too long"));
            }
            return self.ask_mx(target, depth + 1);
        }
        let mut exchanges: Vec<Exchange> = records
            .into_iter()
            .filter_map(|record| match record {
                Record::Mx {
                    preference,
                    exchange,
                } => Some(Exchange {
                    host: exchange.trim_end_matches('.').to_ascii_lowercase(),
                    preference,
                    port: SMTP_PORT,
                }),
                _ => None,
            })
            .collect();
        // RFC 7505: a single MX of "." at preference 0 says the domain takes no mail.
        if let [only] = exchanges.as_slice()
            && only.host.is_empty()
            && only.preference == 0
        {
            return self.fail(build(
                code!(556),
                (1, 10),
                "the recipient's domain accepts no mail (null MX)",
            ));
        }
        exchanges.retain(|exchange| !exchange.host.is_empty());
        if exchanges.is_empty() {
            exchanges.push(Exchange {
                host: name.as_str().to_ascii_lowercase(),
                preference: 0,
                port: SMTP_PORT,
            });
            return self.next_exchange(exchanges, 0, name, depth);
        }
        self.order(&mut exchanges);
        self.route_through(exchanges, name, depth);
    }

    /// RFC 2782: SRV records by priority, equal priorities in weighted random order. No
    /// SRV records at all means the domain does not use them: route by MX instead.
    fn srv_answer(&mut self, name: Domain, answer: Answer) {
        let records = match answer {
            Answer::Failure => {
                return self.fail(build(
                    code!(451),
                    (4, 3),
                    "DNS lookup of SRV failed; will retry",
                ));
            }
            Answer::NxDomain | Answer::NoData => Vec::new(),
            Answer::Records(records) => records,
        };
        let mut exchanges: Vec<(Exchange, u16)> = records
            .into_iter()
            .filter_map(|record| match record {
                Record::Srv {
                    priority,
                    weight,
                    port,
                    target,
                } => Some((
                    Exchange {
                        host: target.trim_end_matches('.').to_ascii_lowercase(),
                        preference: priority,
                        port,
                    },
                    weight,
                )),
                _ => None,
            })
            .collect();
        if exchanges.is_empty() {
            return self.ask_mx(name, 0);
        }
        // RFC 2782: a single record with target "." says the service is decidedly not
        // available at this domain.
        if let [(only, _)] = exchanges.as_slice()
            && only.host.is_empty()
        {
            return self.fail(build(
                code!(550),
                (4, 4),
                "the recipient's domain offers no SMTP service (SRV target \".\")",
            ));
        }
        exchanges.retain(|(exchange, _)| !exchange.host.is_empty());
        let ordered = self.order_by_weight(exchanges);
        self.route_through(ordered, name, 0);
    }

    /// §5.1: if this host is one of the hosts, only more preferred hosts may be tried;
    /// then the addresses of each host are asked for in turn.
    fn route_through(&mut self, mut exchanges: Vec<Exchange>, name: Domain, depth: usize) {
        if let Some(own) = exchanges
            .iter()
            .filter(|exchange| self.local_names.contains(&exchange.host))
            .map(|exchange| exchange.preference)
            .min()
        {
            exchanges.retain(|exchange| exchange.preference < own);
            if exchanges.is_empty() {
                return self.fail(build(
                    code!(554),
                    (4, 6),
                    "mail loops back to this host (it is the best MX)",
                ));
            }
        }
        self.next_exchange(exchanges, 0, name, depth);
    }

    /// RFC 2782's selection: within each priority, put weight-0 records first, draw a
    /// number in `0..=sum of weights`, take the first record whose running sum reaches
    /// it, and repeat with the rest. A record's chance to come first is its share of the
    /// weight.
    fn order_by_weight(&mut self, mut records: Vec<(Exchange, u16)>) -> Vec<Exchange> {
        records.sort_by_key(|(exchange, weight)| (exchange.preference, *weight != 0));
        let mut ordered = Vec::with_capacity(records.len());
        while let Some(priority) = records.first().map(|(exchange, _)| exchange.preference) {
            let group_len = records
                .iter()
                .take_while(|(exchange, _)| exchange.preference == priority)
                .count();
            let mut group: Vec<(Exchange, u16)> = records.drain(..group_len).collect();
            while !group.is_empty() {
                let total: u64 = group.iter().map(|(_, weight)| u64::from(*weight)).sum();
                let draw = self.random.below(total + 1);
                let mut running = 0;
                let chosen = group
                    .iter()
                    .position(|(_, weight)| {
                        running += u64::from(*weight);
                        running >= draw
                    })
                    .unwrap_or(0);
                ordered.push(group.remove(chosen).0);
            }
        }
        ordered
    }

    /// Sorts by preference, shuffling each group of equal preference (Fisher-Yates with
    /// an unbiased bounded draw, so every order is equally likely).
    fn order(&mut self, exchanges: &mut [Exchange]) {
        exchanges.sort_by_key(|exchange| exchange.preference);
        let mut start = 0;
        while start < exchanges.len() {
            let preference = exchanges
                .get(start)
                .map_or(0, |exchange| exchange.preference);
            let end = exchanges
                .iter()
                .skip(start)
                .position(|exchange| exchange.preference != preference)
                .map_or(exchanges.len(), |offset| start + offset);
            if let Some(group) = exchanges.get_mut(start..end) {
                for i in (1..group.len()).rev() {
                    let j = self.random.below(i as u64 + 1) as usize;
                    group.swap(i, j);
                }
            }
            start = end;
        }
    }

    fn next_exchange(
        &mut self,
        exchanges: Vec<Exchange>,
        index: usize,
        name: Domain,
        depth: usize,
    ) {
        if self.targets.len() >= self.max_addresses {
            return self.finish();
        }
        let Some(exchange) = exchanges.get(index) else {
            return self.finish();
        };
        match Domain::parse(&exchange.host) {
            Some(host) => self.ask(
                State::Addresses {
                    exchanges,
                    index,
                    kind: RecordKind::Aaaa,
                    depth,
                    name,
                },
                host,
                RecordKind::Aaaa,
            ),
            // An MX naming something that is not a host name is skipped.
            None => self.next_exchange(exchanges, index + 1, name, depth),
        }
    }

    fn address_answer(
        &mut self,
        exchanges: Vec<Exchange>,
        index: usize,
        kind: RecordKind,
        depth: usize,
        name: Domain,
        answer: Answer,
    ) {
        let Some(exchange) = exchanges.get(index).cloned() else {
            return self.finish();
        };
        match answer {
            Answer::Records(records) => {
                for record in records {
                    if let Record::Address(address) = record
                        && self.targets.len() < self.max_addresses
                    {
                        self.targets.push(Target {
                            host: exchange.host.clone(),
                            preference: exchange.preference,
                            address,
                            port: exchange.port,
                        });
                    }
                }
            }
            Answer::Failure => self.lookup_failed = true,
            Answer::NoData | Answer::NxDomain => {}
        }
        if kind == RecordKind::Aaaa
            && let Some(host) = Domain::parse(&exchange.host)
        {
            return self.ask(
                State::Addresses {
                    exchanges,
                    index,
                    kind: RecordKind::A,
                    depth,
                    name,
                },
                host,
                RecordKind::A,
            );
        }
        self.next_exchange(exchanges, index + 1, name, depth);
    }

    fn ask_mx(&mut self, name: Domain, depth: usize) {
        self.ask(
            State::Mx {
                name: name.clone(),
                depth,
            },
            name,
            RecordKind::Mx,
        );
    }

    fn ask(&mut self, state: State, name: Domain, kind: RecordKind) {
        self.state = state;
        self.pending = Some(Step::Lookup(Question { name, kind }));
    }

    fn finish(&mut self) {
        self.state = State::Done;
        self.pending = Some(if !self.targets.is_empty() {
            Step::Route(std::mem::take(&mut self.targets))
        } else if self.lookup_failed {
            Step::Fail(build(
                code!(451),
                (4, 3),
                "DNS lookup of the mail hosts failed; will retry",
            ))
        } else {
            Step::Fail(build(
                code!(550),
                (4, 4),
                "no address for any mail host of the domain",
            ))
        });
    }

    fn fail(&mut self, reply: Reply) {
        self.state = State::Done;
        self.pending = Some(Step::Fail(reply));
    }
}

#[cfg(test)]
mod tests;
