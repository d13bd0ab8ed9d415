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

use crate::code;
use crate::reply::{Reply, build};

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

/// Which identity a check is of (RFC 7208 §2.3, §2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    MailFrom,
    Helo,
}

impl Identity {
    /// `mailfrom` or `helo`, as RFC 8601 §2.7.2 names the properties.
    pub fn name(self) -> &'static str {
        match self {
            Self::MailFrom => "mailfrom",
            Self::Helo => "helo",
        }
    }
}

/// The outcome of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub result: SpfResult,
    pub identity: Identity,
    /// The `<sender>` checked: the MAIL FROM address, or `postmaster@<helo>`.
    pub sender: String,
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
    check(client, &mail_from_sender(client), Identity::MailFrom)
}

fn mail_from_sender(client: &Client) -> String {
    if client.mail_from.is_empty() {
        format!("postmaster@{}", client.helo)
    } else {
        client.mail_from.clone()
    }
}

/// The verdict of a check of `identity` that took longer than the host would wait: a
/// `temperror` (§4.6.4 lets a server bound the time; at least 20 s is suggested).
pub fn timed_out(client: &Client, identity: Identity, waited: std::time::Duration) -> Verdict {
    let sender = match identity {
        Identity::MailFrom => mail_from_sender(client),
        Identity::Helo => format!("postmaster@{}", client.helo),
    };
    let (local, domain) = sender_parts(&sender);
    let (sender, domain) = (format!("{local}@{domain}"), domain.to_owned());
    Verdict {
        result: SpfResult::TempError,
        identity,
        problem: Some(format!("no verdict within {} s", waited.as_secs())),
        sender,
        domain,
        matched: None,
        explanation: None,
    }
}

/// Checks the HELO identity (§2.3): `postmaster@<helo>`.
pub fn check_helo(client: &Client) -> Lookup<Verdict> {
    check(
        client,
        &format!("postmaster@{}", client.helo),
        Identity::Helo,
    )
}

/// Whether the HELO identity wants a check of its own beside MAIL FROM's (§2.3
/// recommends one): the name is a domain SPF can check, and MAIL FROM's check is not
/// already of it — the null reverse-path is checked as `postmaster@<helo>` (§2.4), and
/// a sender at the HELO domain asks for the same record.
pub fn helo_checked_apart(client: &Client) -> bool {
    let (_, mail_from_domain) = sender_parts(&client.mail_from);
    is_checkable(&client.helo)
        && !client.mail_from.is_empty()
        && !mail_from_domain.eq_ignore_ascii_case(client.helo.trim_end_matches('.'))
}

/// `<sender>`'s local part and domain; an empty or missing local part is `postmaster`
/// (§4.3).
fn sender_parts(sender: &str) -> (&str, &str) {
    let (local, domain) = sender.rsplit_once('@').unwrap_or(("", sender));
    (
        if local.is_empty() {
            "postmaster"
        } else {
            local
        },
        domain,
    )
}

fn check(client: &Client, sender: &str, identity: Identity) -> Lookup<Verdict> {
    let (local, domain) = sender_parts(sender);
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
    let sender = check.sender.clone();
    Lookup::start(asker, async move {
        let found = check.host(domain.clone(), true).await;
        let (result, matched, explanation, problem) = match found {
            Ok(found) => (found.result, found.matched, found.explanation, None),
            Err(Abort::Temp(problem)) => (SpfResult::TempError, None, None, Some(problem)),
            Err(Abort::Perm(problem)) => (SpfResult::PermError, None, None, Some(problem)),
        };
        Verdict {
            result,
            identity,
            sender,
            domain,
            matched,
            explanation,
            problem,
        }
    })
}

/// What a server does with the verdicts of its checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpfPolicy {
    /// No check.
    Off,
    /// Check, and record the result in `Authentication-Results:`; refuse nothing.
    #[default]
    Record,
    /// Also refuse a `fail` (RFC 7208 §8.4).
    RefuseFail,
}

impl Verdict {
    /// The reply refusing the mail under `policy`, if it refuses: a `fail` under
    /// [`SpfPolicy::RefuseFail`] gets `550 5.7.23` (RFC 7372 §3.2), with the domain's
    /// explanation when it gave one (§6.2). Every other result is accepted: `softfail`
    /// and `neutral` are no proof of forgery, and a `temperror` must not lose mail.
    pub fn refusal(&self, policy: SpfPolicy) -> Option<Reply> {
        if policy != SpfPolicy::RefuseFail || self.result != SpfResult::Fail {
            return None;
        }
        let explanation = self
            .explanation
            .as_deref()
            .filter(|text| text.bytes().all(|byte| (0x20..0x7f).contains(&byte)))
            .unwrap_or("the domain's SPF record does not list this client");
        Some(build(
            code!(550),
            (7, 23),
            &format!(
                "SPF: {} may not send for {}: {explanation}",
                self.sender, self.domain
            ),
        ))
    }

    /// This result as an `Authentication-Results:` resinfo (RFC 8601 §2.7.2), e.g.
    /// `spf=fail (example.com: matched -all) smtp.mailfrom=alice@example.com`.
    pub fn resinfo(&self) -> String {
        let comment = match (&self.matched, &self.problem) {
            (_, Some(problem)) => format!("{}: {problem}", self.domain),
            (Some(matched), None) => format!("{}: matched {matched}", self.domain),
            (None, None) if self.result == SpfResult::None => {
                format!("{}: no SPF record", self.domain)
            }
            (None, None) => format!("{}: no term matched", self.domain),
        };
        let property = match self.identity {
            Identity::MailFrom => format!("smtp.mailfrom={}", property_value(&self.sender)),
            Identity::Helo => format!("smtp.helo={}", property_value(&self.domain)),
        };
        format!(
            "spf={} ({}) {property}",
            self.result,
            super::results::comment(&comment)
        )
    }
}

/// A property's value (RFC 8601 §2.2: `[local-part "@"] domain-name`, or a quoted
/// string for anything else).
fn property_value(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"@.-_+=".contains(&byte));
    if plain {
        value.to_owned()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}
