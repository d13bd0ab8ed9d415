//! DMARC (RFC 7489): SPF and DKIM prove who handled a message, DMARC asks whether one
//! of them proved it for the domain the reader sees, the author's (`From:`), and what
//! that domain wants done with mail where neither did.
//!
//! The steps of §6.6: the author domain (exactly one, §6.6.1); the policy record at
//! `_dmarc.<author domain>`, or failing that at `_dmarc.<its Organizational Domain>`
//! (§6.6.3, the Organizational Domain from the Public Suffix List, §3.2); then
//! alignment (§3.1): a DKIM `pass` whose `d=`, or an SPF `pass` whose domain, is the
//! author domain (strict) or has its Organizational Domain (relaxed, the default).
//! A `fail` carries the policy: `p=`, or `sp=` when the record was the parent's, made
//! milder for the mail `pct=` leaves out (§6.6.4).

mod record;
mod suffix;

use std::fmt;

use super::Lookup;
use super::Query;
use super::lookup::Asker;
use crate::code;
use crate::reply::{Reply, build};
use crate::route::{Answer, Record as DnsRecord, RecordKind};
pub use record::{Alignment, Parsed, Policy, Record, parse};
pub use suffix::organizational_domain;

/// The results of a DMARC check (RFC 8601 §2.7.4, RFC 7489 §11.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DmarcResult {
    /// The author domain publishes no policy.
    None,
    Pass,
    Fail,
    /// The policy could not be had for now.
    TempError,
    /// The policy record or the message's author is broken.
    PermError,
}

impl DmarcResult {
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::TempError => "temperror",
            Self::PermError => "permerror",
        }
    }
}

impl fmt::Display for DmarcResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What SPF and DKIM proved: the domains they passed for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The domain SPF passed for (MAIL FROM's, or HELO's for a bounce), if it passed.
    pub spf: Option<String>,
    /// The `d=` of each signature that passed.
    pub dkim: Vec<String>,
}

#[cfg(feature = "dkim")]
impl Evidence {
    /// The SPF pass (if any) of `spf` and the DKIM passes of `dkim`.
    pub fn of(spf: Option<&super::spf::Verdict>, dkim: &[super::dkim::DkimVerdict]) -> Self {
        Self {
            spf: spf
                .filter(|verdict| verdict.result == super::spf::SpfResult::Pass)
                .map(|verdict| verdict.domain.to_ascii_lowercase()),
            dkim: dkim
                .iter()
                .filter(|verdict| verdict.result == super::dkim::DkimResult::Pass)
                .map(|verdict| verdict.domain.clone())
                .collect(),
        }
    }
}

/// The outcome of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DmarcVerdict {
    pub result: DmarcResult,
    /// The author domain (empty when the message has none).
    pub from_domain: String,
    /// The policy the domain asks for mail that fails (`p=`, or `sp=` for a subdomain).
    pub policy: Option<Policy>,
    /// What to do with this message: the policy on a `fail`, made milder when `pct=`
    /// leaves it out; `none` otherwise.
    pub disposition: Policy,
    /// What aligned, for a `pass` (`dkim example.com`, `spf mail.example.com`).
    pub aligned: Option<String>,
    /// Why, for `fail`, `temperror` and `permerror`.
    pub problem: Option<String>,
}

impl DmarcVerdict {
    fn without_policy(result: DmarcResult, from_domain: &str, problem: Option<String>) -> Self {
        Self {
            result,
            from_domain: from_domain.to_owned(),
            policy: None,
            disposition: Policy::None,
            aligned: None,
            problem,
        }
    }

    /// This result as an `Authentication-Results:` resinfo (RFC 8601 §2.7.4 and RFC
    /// 7489 §11.2), e.g. `dmarc=fail (p=reject dis=reject) header.from=example.com`.
    pub fn resinfo(&self) -> String {
        let mut comment = Vec::new();
        if let Some(policy) = self.policy {
            comment.push(format!("p={policy} dis={}", self.disposition));
        }
        if let Some(aligned) = &self.aligned {
            comment.push(format!("aligned: {aligned}"));
        }
        if let Some(problem) = &self.problem {
            comment.push(problem.clone());
        }
        let mut resinfo = format!("dmarc={}", self.result);
        if !comment.is_empty() {
            resinfo.push_str(&format!(
                " ({})",
                super::results::comment(&comment.join("; "))
            ));
        }
        if !self.from_domain.is_empty() {
            resinfo.push_str(&format!(" header.from={}", self.from_domain));
        }
        resinfo
    }

    /// The verdict of a check that took longer than the host would wait.
    pub fn timed_out(from_domain: &str, waited: std::time::Duration) -> Self {
        Self::without_policy(
            DmarcResult::TempError,
            from_domain,
            Some(format!("no verdict within {} s", waited.as_secs())),
        )
    }
}

/// What a server does with the verdicts: RFC 7489 §6.7 leaves the receiver the last
/// word, so honouring `p=reject` is a choice of the operator's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DmarcPolicy {
    /// No check.
    Off,
    /// Check, and record the result in `Authentication-Results:`.
    #[default]
    Record,
    /// Also file mail whose domain asks for `quarantine` or `reject` as junk.
    Quarantine,
    /// File `quarantine` as junk, refuse `reject`.
    Enforce,
}

impl DmarcVerdict {
    /// The reply refusing the mail under `policy`: `550 5.7.1` (RFC 7489 §6.7,
    /// RFC 7372 §3.1) for a `fail` whose disposition is `reject` under
    /// [`DmarcPolicy::Enforce`].
    pub fn refusal(&self, policy: DmarcPolicy) -> Option<Reply> {
        (policy == DmarcPolicy::Enforce && self.disposition == Policy::Reject).then(|| {
            build(
                code!(550),
                (7, 1),
                &format!(
                    "DMARC: {} asks receivers to reject mail that neither SPF nor DKIM \
                     authenticates for it",
                    self.from_domain
                ),
            )
        })
    }

    /// Whether the mail goes to the junk folder under `policy`: a disposition of
    /// `quarantine`, or of `reject` where the operator does not refuse.
    pub fn quarantines(&self, policy: DmarcPolicy) -> bool {
        match policy {
            DmarcPolicy::Off | DmarcPolicy::Record => false,
            DmarcPolicy::Quarantine => self.disposition != Policy::None,
            DmarcPolicy::Enforce => self.disposition == Policy::Quarantine,
        }
    }
}

/// Checks the message whose author domain is `author` (as
/// [`author_domain`](super::message::author_domain) reads it) against what SPF and
/// DKIM proved. `sample` (0 to 99, drawn at random by the host) decides which mail a
/// `pct=` below 100 applies the policy to.
pub fn check(
    author: Result<String, String>,
    evidence: &Evidence,
    sample: u8,
) -> Lookup<DmarcVerdict> {
    let asker = Asker::default();
    let ask = asker.clone();
    let evidence = evidence.clone();
    Lookup::start(asker, async move {
        let from_domain = match author {
            Ok(domain) => domain,
            Err(problem) => {
                return DmarcVerdict::without_policy(DmarcResult::PermError, "", Some(problem));
            }
        };
        let organizational = organizational_domain(&from_domain);
        let mut found = policy_record(&ask, &from_domain).await;
        let mut for_subdomain = false;
        if matches!(found, Found::Nothing) && organizational != from_domain {
            found = policy_record(&ask, &organizational).await;
            for_subdomain = true;
        }
        let record = match found {
            Found::Record(record) => record,
            Found::Nothing => {
                return DmarcVerdict::without_policy(DmarcResult::None, &from_domain, None);
            }
            Found::Failed(problem) => {
                return DmarcVerdict::without_policy(
                    DmarcResult::TempError,
                    &from_domain,
                    Some(problem),
                );
            }
            Found::Broken(problem) => {
                return DmarcVerdict::without_policy(
                    DmarcResult::PermError,
                    &from_domain,
                    Some(problem),
                );
            }
        };
        let policy = match record.subdomain_policy {
            Some(policy) if for_subdomain => policy,
            _ => record.policy,
        };
        let aligns = |domain: &str, alignment: Alignment| match alignment {
            Alignment::Strict => domain == from_domain,
            Alignment::Relaxed => organizational_domain(domain) == organizational,
        };
        let aligned = evidence
            .dkim
            .iter()
            .find(|domain| aligns(domain, record.dkim))
            .map(|domain| format!("dkim {domain}"))
            .or_else(|| {
                (evidence.spf.as_deref())
                    .filter(|domain| aligns(domain, record.spf))
                    .map(|domain| format!("spf {domain}"))
            });
        let (result, disposition, problem) = match aligned {
            Some(_) => (DmarcResult::Pass, Policy::None, None),
            None => {
                let applied = if sample < record.percent {
                    policy
                } else {
                    policy.milder()
                };
                (
                    DmarcResult::Fail,
                    applied,
                    Some(unaligned(&evidence, &from_domain)),
                )
            }
        };
        DmarcVerdict {
            result,
            from_domain,
            policy: Some(policy),
            disposition,
            aligned,
            problem,
        }
    })
}

/// Why nothing aligned with `from_domain`.
fn unaligned(evidence: &Evidence, from_domain: &str) -> String {
    let mut passed: Vec<String> = evidence
        .dkim
        .iter()
        .map(|domain| format!("dkim {domain}"))
        .collect();
    passed.extend(evidence.spf.iter().map(|domain| format!("spf {domain}")));
    if passed.is_empty() {
        "neither SPF nor DKIM passed".to_owned()
    } else {
        format!(
            "{} passed, not aligned with {from_domain}",
            passed.join(", ")
        )
    }
}

/// What `_dmarc.<domain>` holds.
enum Found {
    Record(Record),
    Nothing,
    Failed(String),
    Broken(String),
}

/// The one DMARC record at `_dmarc.<domain>`; two of them are none (§6.6.3).
async fn policy_record(asker: &Asker, domain: &str) -> Found {
    let name = format!("_dmarc.{domain}");
    let answer = asker
        .ask(Query {
            name: name.clone(),
            kind: RecordKind::Txt,
        })
        .await;
    let records = match answer {
        Answer::Records(records) => records,
        Answer::NxDomain | Answer::NoData => return Found::Nothing,
        Answer::Failure => return Found::Failed(format!("DNS lookup of {name} TXT failed")),
    };
    let mut dmarc = records.iter().filter_map(|record| match record {
        DnsRecord::Txt(text) => match parse(text) {
            Parsed::Other => None,
            parsed => Some(parsed),
        },
        _ => None,
    });
    match (dmarc.next(), dmarc.next()) {
        (Some(Parsed::Record(record)), None) => Found::Record(record),
        (Some(Parsed::Broken(problem)), None) => Found::Broken(format!("{name}: {problem}")),
        _ => Found::Nothing,
    }
}

#[cfg(test)]
mod tests;
