//! DKIM (RFC 6376; Ed25519 per RFC 8463): signing ([`sign()`]), and verification: each `DKIM-Signature:` field of a
//! message checked against the key its domain publishes at
//! `<selector>._domainkey.<domain>`, asked of the host as SPF asks ([`Lookup`]).
//!
//! The steps of §6.1, in order: the signature's tags (required ones present, `h=`
//! covering From, `i=` within `d=`, not expired); the body canonicalised, cut to `l=`,
//! hashed and compared with `bh=`; the key record (`p=` empty means revoked, `k=` and
//! `h=` must allow the algorithm); the signed header fields taken bottom-up, the
//! signature field itself with `b=` emptied, hashed, and the signature checked:
//! rsa-sha256 (RSASSA-PKCS1-v1_5) or ed25519-sha256 (PureEdDSA over the SHA-256 hash).

pub mod canon;
mod key;
mod sign;
mod signature;
#[cfg(test)]
mod tests;

use std::fmt;

use sha2::{Digest as _, Sha256};

use super::lookup::Asker;
use super::message::{Field, split};
use super::{Lookup, Query};
use crate::route::{Answer, Record, RecordKind};
pub use sign::{SIGNED_FIELDS, Signer, sign};
pub use signature::{Algorithm, Signature};

/// At most this many signatures of a message are checked (§4.2: verifiers may limit).
pub const MAX_SIGNATURES: usize = 5;

/// The results of a signature check (RFC 8601 §2.7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DkimResult {
    /// The message has no signature.
    None,
    Pass,
    /// The signature or the body hash does not verify.
    Fail,
    /// The key could not be had for now.
    TempError,
    /// The signature or its key record is broken, or the key is revoked.
    PermError,
}

impl DkimResult {
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

impl fmt::Display for DkimResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome for one signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DkimVerdict {
    pub result: DkimResult,
    /// `d=`: the signing domain (empty when the field could not be read).
    pub domain: String,
    /// `s=`
    pub selector: String,
    /// What failed, for `fail`, `temperror` and `permerror`.
    pub problem: Option<String>,
}

impl DkimVerdict {
    /// This result as an `Authentication-Results:` resinfo (RFC 8601 §2.7.1), e.g.
    /// `dkim=pass header.d=example.com header.s=mail`.
    pub fn resinfo(&self) -> String {
        let mut resinfo = format!("dkim={}", self.result);
        if let Some(problem) = &self.problem {
            resinfo.push_str(&format!(" ({})", super::results::comment(problem)));
        }
        if !self.domain.is_empty() {
            resinfo.push_str(&format!(" header.d={}", self.domain));
        }
        if !self.selector.is_empty()
            && self
                .selector
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b".-_".contains(&byte))
        {
            resinfo.push_str(&format!(" header.s={}", self.selector));
        }
        resinfo
    }

    /// The verdict of a check that took longer than the host would wait.
    pub fn timed_out(waited: std::time::Duration) -> Self {
        Self {
            result: DkimResult::TempError,
            domain: String::new(),
            selector: String::new(),
            problem: Some(format!("no verdict within {} s", waited.as_secs())),
        }
    }
}

/// Checks every `DKIM-Signature:` of `message` (at most [`MAX_SIGNATURES`]) at time
/// `now` (seconds since the epoch). A message without one gives a single `none`.
pub fn verify(message: &[u8], now: u64) -> Lookup<Vec<DkimVerdict>> {
    let message = message.to_vec();
    let asker = Asker::default();
    let check = asker.clone();
    Lookup::start(asker, async move {
        let (fields, body) = split(&message);
        let signatures: Vec<&Field<'_>> = fields
            .iter()
            .filter(|field| field.name.eq_ignore_ascii_case("DKIM-Signature"))
            .take(MAX_SIGNATURES)
            .collect();
        if signatures.is_empty() {
            return vec![DkimVerdict {
                result: DkimResult::None,
                domain: String::new(),
                selector: String::new(),
                problem: None,
            }];
        }
        let mut verdicts = Vec::new();
        for field in signatures {
            verdicts.push(verify_one(&check, &fields, body, field, now).await);
        }
        verdicts
    })
}

async fn verify_one(
    asker: &Asker,
    fields: &[Field<'_>],
    body: &[u8],
    field: &Field<'_>,
    now: u64,
) -> DkimVerdict {
    let signature = match Signature::parse(field.raw, now) {
        Ok(signature) => signature,
        Err(problem) => {
            return DkimVerdict {
                result: DkimResult::PermError,
                domain: String::new(),
                selector: String::new(),
                problem: Some(problem),
            };
        }
    };
    let verdict = |result, problem: Option<String>| DkimVerdict {
        result,
        domain: signature.domain.clone(),
        selector: signature.selector.clone(),
        problem,
    };
    // §3.7: the body hash first; it needs no DNS.
    let mut canonical = canon::body(body, signature.body_canon);
    if let Some(length) = signature.length {
        if length > canonical.len() {
            return verdict(
                DkimResult::PermError,
                Some("l= is longer than the body".into()),
            );
        }
        canonical.truncate(length);
    }
    if Sha256::digest(&canonical).as_slice() != signature.body_hash.as_slice() {
        return verdict(
            DkimResult::Fail,
            Some("the body hash does not match bh=".into()),
        );
    }
    let name = format!("{}._domainkey.{}", signature.selector, signature.domain);
    let answer = asker
        .ask(Query {
            name: name.to_ascii_lowercase(),
            kind: RecordKind::Txt,
        })
        .await;
    let records = match answer {
        Answer::Records(records) => records,
        Answer::Failure => {
            return verdict(
                DkimResult::TempError,
                Some(format!("DNS lookup of {name} TXT failed")),
            );
        }
        Answer::NxDomain | Answer::NoData => {
            return verdict(DkimResult::PermError, Some(format!("no key at {name}")));
        }
    };
    let Some(text) = records.into_iter().find_map(|record| match record {
        Record::Txt(text) => Some(text),
        _ => None,
    }) else {
        return verdict(DkimResult::PermError, Some(format!("no key at {name}")));
    };
    let key = match key::Key::parse(&text, signature.algorithm) {
        Ok(key) => key,
        Err(problem) => return verdict(DkimResult::PermError, Some(format!("{name}: {problem}"))),
    };
    let hashed = Sha256::digest(signature.header_input(fields));
    if key.verifies(&hashed, &signature.signature) {
        verdict(DkimResult::Pass, None)
    } else {
        verdict(
            DkimResult::Fail,
            Some("the signature does not verify".into()),
        )
    }
}

/// The fields `h=` names, in its order, each taken bottom-up (§5.4.2): the last field
/// of a name is used first, a name with no field left contributes nothing.
pub(crate) fn signed_fields<'a>(fields: &'a [Field<'a>], names: &[String]) -> Vec<&'a Field<'a>> {
    let mut used = vec![false; fields.len()];
    let mut picked = Vec::new();
    for name in names {
        let found = fields
            .iter()
            .enumerate()
            .rev()
            .find(|(index, field)| {
                !used.get(*index).copied().unwrap_or(true) && field.name.eq_ignore_ascii_case(name)
            })
            .map(|(index, _)| index);
        if let Some(index) = found {
            if let Some(slot) = used.get_mut(index) {
                *slot = true;
            }
            if let Some(field) = fields.get(index) {
                picked.push(field);
            }
        }
    }
    picked
}
