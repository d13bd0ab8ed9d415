//! SPF records (RFC 7208 §4.5, §4.6, §12): which TXT record is the policy, and its
//! terms, parsed whole before anything is evaluated (a syntax error anywhere is a
//! `permerror`, §4.6).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::macros::{Context, MacroString};

/// What a directive gives when its mechanism matches (§4.6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    /// `+`, the default.
    Pass,
    /// `-`
    Fail,
    /// `~`
    SoftFail,
    /// `?`
    Neutral,
}

/// A mechanism (§5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mechanism {
    All,
    Include(MacroString),
    /// `a[:domain][/ip4-prefix][//ip6-prefix]`
    A {
        domain: Option<MacroString>,
        prefixes: Prefixes,
    },
    Mx {
        domain: Option<MacroString>,
        prefixes: Prefixes,
    },
    Ptr(Option<MacroString>),
    Ip4 {
        network: Ipv4Addr,
        prefix: u8,
    },
    Ip6 {
        network: Ipv6Addr,
        prefix: u8,
    },
    Exists(MacroString),
}

impl Mechanism {
    /// Whether evaluating it asks DNS, and so counts against the limit of 10 (§4.6.4).
    pub fn asks_dns(&self) -> bool {
        !matches!(self, Self::All | Self::Ip4 { .. } | Self::Ip6 { .. })
    }
}

/// The network sizes of `a` and `mx` (`dual-cidr-length`): the whole address when not
/// given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefixes {
    pub v4: u8,
    pub v6: u8,
}

impl Default for Prefixes {
    fn default() -> Self {
        Self { v4: 32, v6: 128 }
    }
}

/// A qualifier and a mechanism, as written (for the verdict's "matched" term).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub qualifier: Qualifier,
    pub mechanism: Mechanism,
    pub text: String,
}

/// A parsed SPF record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub directives: Vec<Directive>,
    /// `redirect=`: the policy of another domain when nothing matched (§6.1).
    pub redirect: Option<MacroString>,
    /// `exp=`: where the explanation of a `fail` is (§6.2).
    pub explanation: Option<MacroString>,
}

/// Why a record is a `permerror`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError(pub String);

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a TXT record is an SPF record: `v=spf1` alone or followed by a space
/// (§4.5), in any case.
pub fn is_spf(text: &[u8]) -> bool {
    const VERSION: &[u8] = b"v=spf1";
    text.get(..VERSION.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(VERSION))
        && matches!(text.get(VERSION.len()), None | Some(b' '))
}

impl Policy {
    /// Parses an SPF record (one that [`is_spf`]).
    pub fn parse(record: &[u8]) -> Result<Self, SyntaxError> {
        // §3.1: SPF records are 7-bit ASCII; §4.6.1: terms are separated by spaces only.
        let text = std::str::from_utf8(record)
            .ok()
            .filter(|text| text.is_ascii())
            .ok_or_else(|| SyntaxError("the record is not ASCII".to_owned()))?;
        let mut policy = Self::default();
        for term in text.split(' ').skip(1).filter(|term| !term.is_empty()) {
            policy.add(term)?;
        }
        Ok(policy)
    }

    fn add(&mut self, term: &str) -> Result<(), SyntaxError> {
        let name_end = term
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
            .unwrap_or(term.len());
        let starts_with_letter = term.starts_with(|c: char| c.is_ascii_alphabetic());
        if starts_with_letter && term[name_end..].starts_with('=') {
            return self.modifier(&term[..name_end], &term[name_end + 1..]);
        }
        let (qualifier, body) = match term.as_bytes().first() {
            Some(b'+') => (Qualifier::Pass, &term[1..]),
            Some(b'-') => (Qualifier::Fail, &term[1..]),
            Some(b'~') => (Qualifier::SoftFail, &term[1..]),
            Some(b'?') => (Qualifier::Neutral, &term[1..]),
            _ => (Qualifier::Pass, term),
        };
        let mechanism =
            mechanism(body).map_err(|reason| SyntaxError(format!("{term:?}: {reason}")))?;
        self.directives.push(Directive {
            qualifier,
            mechanism,
            text: term.to_owned(),
        });
        Ok(())
    }

    fn modifier(&mut self, name: &str, value: &str) -> Result<(), SyntaxError> {
        let bad = |reason: &str| SyntaxError(format!("{name}={value}: {reason}"));
        let spec = || {
            MacroString::parse(value, Context::DomainSpec)
                .ok()
                .filter(MacroString::is_domain_spec)
                .ok_or_else(|| bad("not a domain"))
        };
        let slot = if name.eq_ignore_ascii_case("redirect") {
            &mut self.redirect
        } else if name.eq_ignore_ascii_case("exp") {
            &mut self.explanation
        } else {
            // §6: unknown modifiers are ignored, but must still be macro strings.
            MacroString::parse(value, Context::DomainSpec).map_err(|error| bad(&error.0))?;
            return Ok(());
        };
        // §6: redirect and exp at most once each.
        if slot.is_some() {
            return Err(bad("given twice"));
        }
        *slot = Some(spec()?);
        Ok(())
    }
}

/// A mechanism and its arguments (§5, §12).
fn mechanism(body: &str) -> Result<Mechanism, String> {
    let name_end = body.find([':', '/']).unwrap_or(body.len());
    let (name, rest) = body.split_at(name_end);
    let domain = |spec: &str| -> Result<MacroString, String> {
        MacroString::parse(spec, Context::DomainSpec)
            .map_err(|error| error.0)
            .and_then(|parsed| {
                if parsed.is_domain_spec() {
                    Ok(parsed)
                } else {
                    Err(format!("{spec:?} is not a domain"))
                }
            })
    };
    // `:domain` required (include, exists) or optional (a, mx, ptr).
    let required = |rest: &str| match rest.strip_prefix(':') {
        Some(spec) => domain(spec),
        None => Err("needs a domain".to_owned()),
    };
    let optional = |rest: &str| -> Result<Option<MacroString>, String> {
        match rest.strip_prefix(':') {
            Some(spec) => domain(spec).map(Some),
            None if rest.is_empty() => Ok(None),
            None => Err(format!("unexpected {rest:?}")),
        }
    };
    match name.to_ascii_lowercase().as_str() {
        "all" if rest.is_empty() => Ok(Mechanism::All),
        "include" => required(rest).map(Mechanism::Include),
        "exists" => required(rest).map(Mechanism::Exists),
        "ptr" => optional(rest).map(Mechanism::Ptr),
        "a" | "mx" => {
            let (spec, prefixes) = dual_cidr(rest)?;
            let domain = optional(spec)?;
            Ok(if name.eq_ignore_ascii_case("a") {
                Mechanism::A { domain, prefixes }
            } else {
                Mechanism::Mx { domain, prefixes }
            })
        }
        "ip4" => {
            network(rest, 32, "IPv4").map(|(network, prefix)| Mechanism::Ip4 { network, prefix })
        }
        "ip6" => {
            network(rest, 128, "IPv6").map(|(network, prefix)| Mechanism::Ip6 { network, prefix })
        }
        _ => Err("unknown mechanism".to_owned()),
    }
}

/// `:address[/prefix]` of `ip4` and `ip6`: the address of the family (`bits` long, for
/// the default prefix) and the prefix length.
fn network<A: std::str::FromStr>(rest: &str, bits: u8, family: &str) -> Result<(A, u8), String> {
    let value = rest.strip_prefix(':').ok_or("needs an address")?;
    let (address, prefix) = match value.split_once('/') {
        Some((address, prefix)) => (address, cidr(prefix, bits)?),
        None => (value, bits),
    };
    let network = address
        .parse::<A>()
        .map_err(|_| format!("{address:?} is not an {family} address"))?;
    Ok((network, prefix))
}

/// Splits `[:domain][/n][//m]` into the domain part and the prefixes.
fn dual_cidr(rest: &str) -> Result<(&str, Prefixes), String> {
    let mut prefixes = Prefixes::default();
    let mut spec = rest;
    if let Some((before, v6)) = spec.rsplit_once("//")
        && v6.bytes().all(|b| b.is_ascii_digit())
    {
        prefixes.v6 = cidr(v6, 128)?;
        spec = before;
    }
    if let Some((before, v4)) = spec.rsplit_once('/')
        && v4.bytes().all(|b| b.is_ascii_digit())
    {
        prefixes.v4 = cidr(v4, 32)?;
        spec = before;
    }
    Ok((spec, prefixes))
}

/// A prefix length: decimal without leading zeros, at most `max` (§12).
fn cidr(digits: &str, max: u8) -> Result<u8, String> {
    let valid = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    digits
        .parse::<u8>()
        .ok()
        .filter(|length| valid && *length <= max)
        .ok_or_else(|| format!("/{digits} is not a prefix length of at most {max}"))
}
