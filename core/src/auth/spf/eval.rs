//! `check_host()` (RFC 7208 §4): the record of a domain evaluated against the client's
//! address, term by term, with `include:` and `redirect=` as recursive checks and every
//! DNS question asked through the [`Asker`].

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use super::SpfResult;
use super::macros::{Context, Letter, MacroString, Piece, transform};
use super::record::{Mechanism, Policy, Prefixes, Qualifier, is_spf};
use crate::auth::Query;
use crate::auth::lookup::Asker;
use crate::route::{Answer, Record, RecordKind};

/// Terms that ask DNS, at most (§4.6.4).
pub const MAX_DNS_TERMS: u32 = 10;
/// Lookups that find nothing (NXDOMAIN or no records), at most (§4.6.4).
pub const MAX_VOID_LOOKUPS: u32 = 2;
/// MX records an `mx` term may look at; and PTR names a `ptr` term or `%{p}` looks at
/// (§4.6.4).
pub const MAX_NAMES: usize = 10;
/// Longest name asked (§7.3: longer expansions lose labels on the left).
const MAX_NAME: usize = 253;

/// What the check knows about the mail (§4.1).
#[derive(Debug)]
pub struct Check {
    pub ip: IpAddr,
    /// `<sender>`: `local@domain`, with `postmaster` for an empty local part.
    pub sender: String,
    pub local: String,
    pub sender_domain: String,
    pub helo: String,
    /// `%{r}`: this host's name.
    pub receiver: String,
    /// `%{t}`: seconds since the epoch.
    pub now: u64,
    pub asker: Asker,
    pub dns_terms: Cell<u32>,
    pub voids: Cell<u32>,
    /// The client's validated names, once looked up: `ptr` terms and `%{p}` macros
    /// share one lookup, so a record full of them cannot multiply the questions.
    pub validated: RefCell<Option<Vec<String>>>,
}

/// Why evaluation stopped early: `temperror` or `permerror`, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Abort {
    Temp(String),
    Perm(String),
}

/// A domain's result, before it is reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub result: SpfResult,
    /// The directive that matched, as written.
    pub matched: Option<String>,
    /// The domain's explanation of a `fail` (`exp=`, §6.2).
    pub explanation: Option<String>,
}

impl Found {
    fn none() -> Self {
        Self {
            result: SpfResult::None,
            matched: None,
            explanation: None,
        }
    }
}

type Evaluation<'a> = Pin<Box<dyn Future<Output = Result<Found, Abort>> + 'a>>;

impl Check {
    /// `check_host(<ip>, <domain>, <sender>)`; `explain` is false inside `include:`,
    /// whose explanation is never used (§6.2).
    pub fn host<'a>(&'a self, domain: String, explain: bool) -> Evaluation<'a> {
        Box::pin(async move {
            // §4.3: a malformed or single-label domain has no policy to find.
            if !is_checkable(&domain) {
                return Ok(Found::none());
            }
            let Some(policy) = self.policy(&domain).await? else {
                return Ok(Found::none());
            };
            for directive in &policy.directives {
                if directive.mechanism.asks_dns() {
                    self.count_dns_term()?;
                }
                if self.matches(&domain, &directive.mechanism).await? {
                    let result = match directive.qualifier {
                        Qualifier::Pass => SpfResult::Pass,
                        Qualifier::Fail => SpfResult::Fail,
                        Qualifier::SoftFail => SpfResult::SoftFail,
                        Qualifier::Neutral => SpfResult::Neutral,
                    };
                    let explanation = match (&policy.explanation, result, explain) {
                        (Some(spec), SpfResult::Fail, true) => {
                            self.explanation(&domain, spec).await
                        }
                        _ => None,
                    };
                    return Ok(Found {
                        result,
                        matched: Some(directive.text.clone()),
                        explanation,
                    });
                }
            }
            // §6.1: nothing matched; the policy may live at another domain.
            if let Some(redirect) = &policy.redirect {
                self.count_dns_term()?;
                let target = self.expand_name(&domain, redirect).await?;
                let found = self.host(target.clone(), explain).await?;
                if found.result == SpfResult::None {
                    return Err(Abort::Perm(format!("redirect={target} has no SPF record")));
                }
                return Ok(found);
            }
            // §4.7: the default result.
            Ok(Found {
                result: SpfResult::Neutral,
                matched: None,
                explanation: None,
            })
        })
    }

    fn count_dns_term(&self) -> Result<(), Abort> {
        let count = self.dns_terms.get() + 1;
        self.dns_terms.set(count);
        if count > MAX_DNS_TERMS {
            return Err(Abort::Perm(format!(
                "more than {MAX_DNS_TERMS} terms that ask DNS"
            )));
        }
        Ok(())
    }

    /// The domain's SPF record (§4.4, §4.5): none when it has none.
    async fn policy(&self, domain: &str) -> Result<Option<Policy>, Abort> {
        let records = match self.ask(domain, RecordKind::Txt).await {
            Answer::Records(records) => records,
            Answer::NxDomain | Answer::NoData => return Ok(None),
            Answer::Failure => {
                return Err(Abort::Temp(format!("DNS lookup of {domain} TXT failed")));
            }
        };
        let spf: Vec<&Vec<u8>> = records
            .iter()
            .filter_map(|record| match record {
                Record::Txt(text) if is_spf(text) => Some(text),
                _ => None,
            })
            .collect();
        let record = match spf.as_slice() {
            [] => return Ok(None),
            [record] => *record,
            _ => {
                return Err(Abort::Perm(format!(
                    "{domain} has more than one SPF record"
                )));
            }
        };
        Policy::parse(record)
            .map(Some)
            .map_err(|error| Abort::Perm(format!("{domain}: {error}")))
    }

    /// Asks DNS; a name no DNS name can be (an empty label, one over 63 octets, §4.8)
    /// does not exist, and is not asked.
    async fn ask(&self, name: &str, kind: RecordKind) -> Answer {
        if !is_dns_name(name) {
            return Answer::NxDomain;
        }
        self.asker
            .ask(Query {
                name: name.to_ascii_lowercase(),
                kind,
            })
            .await
    }

    /// A lookup for a mechanism: a failure is a `temperror` (§5), and finding nothing
    /// counts as a void lookup (§4.6.4).
    async fn lookup(&self, name: &str, kind: RecordKind) -> Result<Vec<Record>, Abort> {
        match self.ask(name, kind).await {
            Answer::Records(records) => Ok(records),
            Answer::Failure => Err(Abort::Temp(format!(
                "DNS lookup of {name} {} failed",
                kind.name()
            ))),
            Answer::NxDomain | Answer::NoData => {
                let voids = self.voids.get() + 1;
                self.voids.set(voids);
                if voids > MAX_VOID_LOOKUPS {
                    return Err(Abort::Perm(format!(
                        "more than {MAX_VOID_LOOKUPS} lookups found nothing"
                    )));
                }
                Ok(Vec::new())
            }
        }
    }

    /// The addresses of `name` of the client's family (A for IPv4, AAAA for IPv6).
    async fn addresses(&self, name: &str) -> Result<Vec<IpAddr>, Abort> {
        let kind = self.address_kind();
        Ok(addresses_in(self.lookup(name, kind).await?))
    }

    fn address_kind(&self) -> RecordKind {
        match self.ip {
            IpAddr::V4(_) => RecordKind::A,
            IpAddr::V6(_) => RecordKind::Aaaa,
        }
    }

    async fn matches(&self, domain: &str, mechanism: &Mechanism) -> Result<bool, Abort> {
        let target = async |spec: &Option<MacroString>| match spec {
            Some(spec) => self.expand_name(domain, spec).await,
            None => Ok(domain.to_owned()),
        };
        Ok(match mechanism {
            Mechanism::All => true,
            Mechanism::Include(spec) => {
                let target = self.expand_name(domain, spec).await?;
                let found = self.host(target.clone(), false).await?;
                // §5.2: an included domain without a policy is an error.
                match found.result {
                    SpfResult::Pass => true,
                    SpfResult::None => {
                        return Err(Abort::Perm(format!("include:{target} has no SPF record")));
                    }
                    _ => false,
                }
            }
            Mechanism::A {
                domain: spec,
                prefixes,
            } => {
                let target = target(spec).await?;
                self.addresses(&target)
                    .await?
                    .into_iter()
                    .any(|address| in_network(self.ip, address, *prefixes))
            }
            Mechanism::Mx {
                domain: spec,
                prefixes,
            } => {
                let target = target(spec).await?;
                let exchanges: Vec<String> = self
                    .lookup(&target, RecordKind::Mx)
                    .await?
                    .into_iter()
                    .filter_map(|record| match record {
                        Record::Mx { exchange, .. } => {
                            Some(exchange.trim_end_matches('.').to_owned())
                        }
                        _ => None,
                    })
                    .collect();
                if exchanges.len() > MAX_NAMES {
                    return Err(Abort::Perm(format!(
                        "{target} has more than {MAX_NAMES} MX records"
                    )));
                }
                for exchange in exchanges.iter().filter(|exchange| !exchange.is_empty()) {
                    let addresses =
                        addresses_in(match self.ask(exchange, self.address_kind()).await {
                            Answer::Records(records) => records,
                            Answer::Failure => {
                                return Err(Abort::Temp(format!(
                                    "DNS lookup of {exchange} failed"
                                )));
                            }
                            Answer::NxDomain | Answer::NoData => Vec::new(),
                        });
                    if addresses
                        .into_iter()
                        .any(|address| in_network(self.ip, address, *prefixes))
                    {
                        return Ok(true);
                    }
                }
                false
            }
            Mechanism::Ptr(spec) => {
                let target = target(spec).await?;
                self.validated_names()
                    .await
                    .iter()
                    .any(|name| is_within(name, &target))
            }
            Mechanism::Ip4 { network, prefix } => match self.ip {
                IpAddr::V4(ip) => prefix_match(
                    u32::from(ip).into(),
                    u32::from(*network).into(),
                    *prefix,
                    32,
                ),
                IpAddr::V6(_) => false,
            },
            Mechanism::Ip6 { network, prefix } => match self.ip {
                IpAddr::V6(ip) => prefix_match(ip.into(), (*network).into(), *prefix, 128),
                IpAddr::V4(_) => false,
            },
            Mechanism::Exists(spec) => {
                let target = self.expand_name(domain, spec).await?;
                // §5.7: an A lookup whatever the client's family.
                !addresses_in(self.lookup(&target, RecordKind::A).await?).is_empty()
            }
        })
    }

    /// The client's names that lead back to its address (§5.5): at most
    /// [`MAX_NAMES`] PTR names are tried; a lookup that fails is a name not validated.
    async fn validated_names(&self) -> Vec<String> {
        if let Some(validated) = &*self.validated.borrow() {
            return validated.clone();
        }
        let names: Vec<String> = match self.ask(&reverse_name(self.ip), RecordKind::Ptr).await {
            Answer::Records(records) => records
                .into_iter()
                .filter_map(|record| match record {
                    Record::Ptr(name) => Some(name),
                    _ => None,
                })
                .take(MAX_NAMES)
                .collect(),
            _ => Vec::new(),
        };
        let mut validated = Vec::new();
        for name in names {
            if let Answer::Records(records) = self.ask(&name, self.address_kind()).await
                && addresses_in(records).contains(&self.ip)
            {
                validated.push(name);
            }
        }
        *self.validated.borrow_mut() = Some(validated.clone());
        validated
    }

    /// `exp=`: the explanation TXT record, expanded (§6.2); none when anything about it
    /// is wrong.
    async fn explanation(&self, domain: &str, spec: &MacroString) -> Option<String> {
        let target = self.expand_name(domain, spec).await.ok()?;
        let Answer::Records(records) = self.ask(&target, RecordKind::Txt).await else {
            return None;
        };
        let mut texts = records.into_iter().filter_map(|record| match record {
            Record::Txt(text) => Some(text),
            _ => None,
        });
        let (Some(text), None) = (texts.next(), texts.next()) else {
            return None;
        };
        let text = String::from_utf8(text)
            .ok()
            .filter(|text| text.is_ascii())?;
        let parsed = MacroString::parse(&text, Context::Explanation).ok()?;
        self.expand(domain, &parsed).await.ok()
    }

    /// A domain-spec expanded into the name to ask (§7.3: trailing dot dropped, labels
    /// dropped on the left beyond 253 characters).
    async fn expand_name(&self, domain: &str, spec: &MacroString) -> Result<String, Abort> {
        let expanded = self.expand(domain, spec).await?;
        let mut name = expanded.strip_suffix('.').unwrap_or(&expanded);
        while name.len() > MAX_NAME {
            match name.split_once('.') {
                Some((_, rest)) => name = rest,
                None => break,
            }
        }
        Ok(name.to_ascii_lowercase())
    }

    async fn expand(&self, domain: &str, spec: &MacroString) -> Result<String, Abort> {
        let mut out = String::new();
        for piece in &spec.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Macro {
                    letter,
                    url_escape,
                    keep,
                    reverse,
                    delimiters,
                } => {
                    let value = self.value(*letter, domain).await;
                    out.push_str(&transform(&value, *keep, *reverse, delimiters, *url_escape));
                }
            }
        }
        Ok(out)
    }

    async fn value(&self, letter: Letter, domain: &str) -> String {
        match letter {
            Letter::Sender => self.sender.clone(),
            Letter::Local => self.local.clone(),
            Letter::SenderDomain => self.sender_domain.clone(),
            Letter::Domain => domain.to_owned(),
            Letter::Ip => dotted(self.ip),
            Letter::ValidatedName => {
                // §7.3: the name equal to the domain, else one within it, else any.
                let names = self.validated_names().await;
                let domain = domain.to_ascii_lowercase();
                names
                    .iter()
                    .find(|name| name.eq_ignore_ascii_case(&domain))
                    .or_else(|| names.iter().find(|name| is_within(name, &domain)))
                    .or_else(|| names.first())
                    .cloned()
                    .unwrap_or_else(|| "unknown".to_owned())
            }
            Letter::IpVersion => match self.ip {
                IpAddr::V4(_) => "in-addr".to_owned(),
                IpAddr::V6(_) => "ip6".to_owned(),
            },
            Letter::Helo => self.helo.clone(),
            Letter::ClientIp => self.ip.to_string(),
            Letter::Receiver => self.receiver.clone(),
            Letter::Timestamp => self.now.to_string(),
        }
    }
}

/// §4.3: a domain SPF can be checked for: a DNS name of at least two labels, not an
/// address literal.
pub fn is_checkable(domain: &str) -> bool {
    let name = domain.strip_suffix('.').unwrap_or(domain);
    is_dns_name(name) && name.contains('.') && !name.starts_with('[')
}

/// Whether `name` can be asked: labels of 1 to 63 octets, at most 253 in all.
fn is_dns_name(name: &str) -> bool {
    name.len() <= MAX_NAME
        && name
            .split('.')
            .all(|label| !label.is_empty() && label.len() <= 63)
}

fn addresses_in(records: Vec<Record>) -> Vec<IpAddr> {
    records
        .into_iter()
        .filter_map(|record| match record {
            Record::Address(address) => Some(address),
            _ => None,
        })
        .collect()
}

/// Whether `name` is `domain` or a name within it.
fn is_within(name: &str, domain: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    name == domain || name.ends_with(&format!(".{domain}"))
}

fn in_network(ip: IpAddr, address: IpAddr, prefixes: Prefixes) -> bool {
    match (ip, address) {
        (IpAddr::V4(ip), IpAddr::V4(address)) => prefix_match(
            u32::from(ip).into(),
            u32::from(address).into(),
            prefixes.v4,
            32,
        ),
        (IpAddr::V6(ip), IpAddr::V6(address)) => {
            prefix_match(ip.into(), address.into(), prefixes.v6, 128)
        }
        _ => false,
    }
}

/// Whether the first `prefix` of `bits` bits of `a` and `b` agree.
fn prefix_match(a: u128, b: u128, prefix: u8, bits: u32) -> bool {
    let shift = bits - u32::from(prefix).min(bits);
    a.checked_shr(shift).unwrap_or(0) == b.checked_shr(shift).unwrap_or(0)
}

/// `%{i}`: IPv4 dotted, IPv6 as 32 dotted nibbles (§7.3).
fn dotted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => nibbles(ip.octets()).join("."),
    }
}

fn nibbles(octets: [u8; 16]) -> Vec<String> {
    octets
        .iter()
        .flat_map(|octet| [octet >> 4, octet & 0xf])
        .map(|nibble| format!("{nibble:x}"))
        .collect()
}

/// The PTR name of an address (RFC 1035 §3.5, RFC 3596 §2.5).
fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => {
            let [a, b, c, d] = ip.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa")
        }
        IpAddr::V6(ip) => {
            let mut parts = nibbles(ip.octets());
            parts.reverse();
            format!("{}.ip6.arpa", parts.join("."))
        }
    }
}
