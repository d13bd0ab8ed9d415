//! Sender Policy Framework (RFC 7208): may this client send mail for the domain of the
//! MAIL FROM address (or, for a bounce, of the HELO name)?
//!
//! [`check_mail_from`] and [`check_helo`] return a [`Lookup`]: it asks its DNS questions
//! (`example.org TXT?`, then whatever the record's `include:`, `a`, `mx`, `ptr`,
//! `exists` and `redirect=` need) one at a time, and ends in a [`Verdict`]. The rules
//! kept: the record is parsed whole before it is evaluated (§4.6); at most 10 terms that
//! ask DNS, 2 lookups that find nothing, 10 MX or PTR names each (§4.6.4); a DNS failure
//! is `temperror`, never a guess; macros (§7) with `%{p}` validated and the explanation
//! of a `fail` (`exp=`, §6.2). The time (`%{t}`) comes from the caller.

mod eval;
pub mod macros;
pub mod record;
#[cfg(test)]
mod tests;

use std::cell::{Cell, RefCell};
use std::fmt;
use std::net::IpAddr;
use std::rc::Rc;

use super::Lookup;
use super::lookup::Asker;
use eval::{Abort, Check};

pub use eval::{MAX_DNS_TERMS, MAX_NAMES, MAX_VOID_LOOKUPS, is_checkable};

/// The results of a check (RFC 7208 §2.6), named as `Authentication-Results` and
/// `Received-SPF` name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpfResult {
    /// No policy published (or no domain to check).
    None,
    /// The domain says nothing about this client.
    Neutral,
    Pass,
    Fail,
    /// Probably not authorised; accept, perhaps mark.
    SoftFail,
    /// A DNS failure: the same check may pass later.
    TempError,
    /// The domain's policy is broken.
    PermError,
}

impl SpfResult {
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Neutral => "neutral",
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::SoftFail => "softfail",
            Self::TempError => "temperror",
            Self::PermError => "permerror",
        }
    }
}

impl fmt::Display for SpfResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub result: SpfResult,
    /// The domain whose policy was checked.
    pub domain: String,
    /// The directive that decided, as written (`-all`, `ip4:192.0.2.0/24`).
    pub matched: Option<String>,
    /// For `fail`: the domain's own explanation (`exp=`), if it gave one.
    pub explanation: Option<String>,
    /// For `temperror` and `permerror`: what went wrong.
    pub problem: Option<String>,
}

/// What the receiving server knows of the mail when it checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// The client's address; an IPv4-mapped IPv6 address counts as IPv4.
    pub ip: IpAddr,
    /// The HELO or EHLO name.
    pub helo: String,
    /// The MAIL FROM address, `local@domain`; empty for the null reverse-path.
    pub mail_from: String,
    /// This server's name, for `%{r}`.
    pub receiver: String,
    /// Seconds since the epoch, for `%{t}`.
    pub now: u64,
}

/// Checks the MAIL FROM identity (§2.4): the sender's domain, or for the null
/// reverse-path `postmaster@<helo>`.
pub fn check_mail_from(client: &Client) -> Lookup<Verdict> {
    let sender = if client.mail_from.is_empty() {
        format!("postmaster@{}", client.helo)
    } else {
        client.mail_from.clone()
    };
    check(client, &sender)
}

/// Checks the HELO identity (§2.3): `postmaster@<helo>`.
pub fn check_helo(client: &Client) -> Lookup<Verdict> {
    check(client, &format!("postmaster@{}", client.helo))
}

fn check(client: &Client, sender: &str) -> Lookup<Verdict> {
    let (local, domain) = match sender.rsplit_once('@') {
        Some((local, domain)) => (local, domain),
        None => ("postmaster", sender),
    };
    // §4.3: an empty local part is `postmaster`.
    let local = if local.is_empty() {
        "postmaster"
    } else {
        local
    };
    let ip = match client.ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(client.ip, IpAddr::V4),
        v4 => v4,
    };
    let asker = Asker::default();
    let check = Rc::new(Check {
        ip,
        sender: format!("{local}@{domain}"),
        local: local.to_owned(),
        sender_domain: domain.to_owned(),
        helo: client.helo.clone(),
        receiver: client.receiver.clone(),
        now: client.now,
        asker: asker.clone(),
        dns_terms: Cell::new(0),
        voids: Cell::new(0),
        validated: RefCell::new(None),
    });
    let domain = domain.to_owned();
    Lookup::start(asker, async move {
        let found = check.host(domain.clone(), true).await;
        let (result, matched, explanation, problem) = match found {
            Ok(found) => (found.result, found.matched, found.explanation, None),
            Err(Abort::Temp(problem)) => (SpfResult::TempError, None, None, Some(problem)),
            Err(Abort::Perm(problem)) => (SpfResult::PermError, None, None, Some(problem)),
        };
        Verdict {
            result,
            domain,
            matched,
            explanation,
            problem,
        }
    })
}
