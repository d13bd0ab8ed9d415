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

pub mod dns;
mod random;

use std::net::IpAddr;

pub use random::SplitMix64;

use crate::reply::{Reply, build};
use crate::syntax::{AddressLiteral, Domain, Host};

/// Longest CNAME chain followed (RFC 1034 §3.6.2 asks resolvers to bound them).
pub const MAX_CNAME_DEPTH: usize = 8;

/// A DNS question the planner needs answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub name: Domain,
    pub kind: RecordKind,
}

/// The record types routing asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Mx,
    A,
    Aaaa,
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
    /// The MX host (or the domain itself for an implicit MX).
    pub host: String,
    pub preference: u16,
    pub address: IpAddr,
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

/// An MX host waiting for its addresses.
#[derive(Clone, Debug)]
struct Exchange {
    host: String,
    preference: u16,
}

#[derive(Debug)]
enum State {
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
    /// Plans the route to `destination`. `local_names` are this host's names, `seed`
    /// orders equal preferences (the same seed, the same order), and at most
    /// `max_addresses` targets are returned.
    pub fn new(destination: &Host, local_names: &[&str], seed: u64, max_addresses: usize) -> Self {
        let mut planner = Self {
            state: State::Done,
            targets: Vec::new(),
            local_names: local_names
                .iter()
                .map(|name| name.to_ascii_lowercase())
                .collect(),
            max_addresses,
            random: SplitMix64::new(seed),
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
                    }]),
                    None => Step::Fail(build(550, (1, 2), "address literal of an unknown kind")),
                });
            }
            Host::Domain(domain) => {
                planner.state = State::Mx {
                    name: domain.clone(),
                    depth: 0,
                };
                planner.pending = Some(Step::Lookup(Question {
                    name: domain.clone(),
                    kind: RecordKind::Mx,
                }));
            }
        }
        planner
    }

    /// What to do next. `Lookup` steps repeat until answered.
    pub fn step(&self) -> Option<&Step> {
        self.pending.as_ref()
    }

    /// The answer to the question of the last [`Step::Lookup`].
    pub fn answer(&mut self, answer: Answer) {
        let state = std::mem::replace(&mut self.state, State::Done);
        match state {
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
                return self.fail(build(451, (4, 3), "DNS lookup of MX failed; will retry"));
            }
            Answer::NxDomain => {
                return self.fail(build(550, (1, 2), "the recipient's domain does not exist"));
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
                return self.fail(build(451, (4, 4), "CNAME chain too long"));
            }
            return self.ask(
                State::Mx {
                    name: target.clone(),
                    depth: depth + 1,
                },
                target,
                RecordKind::Mx,
            );
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
                556,
                (1, 10),
                "the recipient's domain accepts no mail (null MX)",
            ));
        }
        exchanges.retain(|exchange| !exchange.host.is_empty());
        if exchanges.is_empty() {
            exchanges.push(Exchange {
                host: name.as_str().to_ascii_lowercase(),
                preference: 0,
            });
        } else {
            self.order(&mut exchanges);
            // §5.1: if this host is an MX, only more preferred hosts may be tried.
            if let Some(own) = exchanges
                .iter()
                .filter(|exchange| self.local_names.contains(&exchange.host))
                .map(|exchange| exchange.preference)
                .min()
            {
                exchanges.retain(|exchange| exchange.preference < own);
                if exchanges.is_empty() {
                    return self.fail(build(
                        554,
                        (4, 6),
                        "mail loops back to this host (it is the best MX)",
                    ));
                }
            }
        }
        self.next_exchange(exchanges, 0, name, depth);
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
                451,
                (4, 3),
                "DNS lookup of the mail hosts failed; will retry",
            ))
        } else {
            Step::Fail(build(
                550,
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
