//! The DMARC policy record at `_dmarc.<domain>` (RFC 7489 §6.3): a tag list starting
//! with `v=DMARC1`.

use std::fmt;

use crate::auth::tags;

/// What a domain asks receivers to do with mail that fails (`p=`, `sp=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }

    fn named(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }

    /// The next less strict policy, for mail `pct=` leaves out (§6.6.4).
    pub fn milder(self) -> Self {
        match self {
            Policy::Reject => Policy::Quarantine,
            Policy::Quarantine | Policy::None => Policy::None,
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How closely an authenticated domain must match the author's (`adkim=`, `aspf=`,
/// §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alignment {
    /// The same Organizational Domain (the default).
    Relaxed,
    /// The same domain.
    Strict,
}

/// A policy record, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub policy: Policy,
    /// `sp=`: for subdomains of the domain that published the record.
    pub subdomain_policy: Option<Policy>,
    pub dkim: Alignment,
    pub spf: Alignment,
    /// `pct=`: the percentage of failing mail the policy is applied to.
    pub percent: u8,
}

/// What the text of a TXT record at `_dmarc.<domain>` is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Not a DMARC record (it does not start with `v=DMARC1`): ignored (§6.6.3).
    Other,
    Record(Record),
    /// A DMARC record that cannot be used, and why.
    Broken(String),
}

/// Reads a TXT record's text (§6.3, §6.6.3). A missing or unknown `p=` with a `rua=`
/// reads as `p=none` (the domain wants reports); without one the record is broken.
pub fn parse(text: &[u8]) -> Parsed {
    let Ok(text) = std::str::from_utf8(text) else {
        return Parsed::Other;
    };
    let tags = match tags::parse(text) {
        Ok(tags) => tags,
        Err(_) if !text.trim_start().starts_with("v=DMARC1") => return Parsed::Other,
        Err(error) => return Parsed::Broken(error.0),
    };
    // §6.4: v= is first, and exactly DMARC1.
    if tags
        .first()
        .is_none_or(|tag| tag.name != "v" || tag.value != "DMARC1")
    {
        return Parsed::Other;
    }
    let get = |name: &str| {
        tags.iter()
            .find(|tag| tag.name == name)
            .map(|tag| tag.value)
    };
    let wants_reports = get("rua").is_some_and(|uris| uris.contains(':'));
    let policy = match get("p").map(|value| (value, Policy::named(value))) {
        Some((_, Some(policy))) => policy,
        _ if wants_reports => Policy::None,
        Some((value, None)) => return Parsed::Broken(format!("p={value} is not a policy")),
        None => return Parsed::Broken("no p= tag".into()),
    };
    let subdomain_policy = match get("sp").map(|value| (value, Policy::named(value))) {
        None => None,
        Some((_, Some(policy))) => Some(policy),
        Some(_) if wants_reports => Some(Policy::None),
        Some((value, None)) => return Parsed::Broken(format!("sp={value} is not a policy")),
    };
    let alignment = |name: &str| match get(name).map(str::to_ascii_lowercase).as_deref() {
        None | Some("r") => Ok(Alignment::Relaxed),
        Some("s") => Ok(Alignment::Strict),
        Some(other) => Err(format!("{name}={other} is neither r nor s")),
    };
    let (dkim, spf) = match (alignment("adkim"), alignment("aspf")) {
        (Ok(dkim), Ok(spf)) => (dkim, spf),
        (Err(problem), _) | (_, Err(problem)) => return Parsed::Broken(problem),
    };
    let percent = match get("pct") {
        None => 100,
        Some(value) => match value.parse::<u8>() {
            Ok(percent) if percent <= 100 => percent,
            _ => return Parsed::Broken(format!("pct={value} is not 0 to 100")),
        },
    };
    Parsed::Record(Record {
        policy,
        subdomain_policy,
        dkim,
        spf,
        percent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> Record {
        match parse(text.as_bytes()) {
            Parsed::Record(record) => record,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn records_read_with_their_defaults() {
        assert_eq!(
            record("v=DMARC1; p=reject"),
            Record {
                policy: Policy::Reject,
                subdomain_policy: None,
                dkim: Alignment::Relaxed,
                spf: Alignment::Relaxed,
                percent: 100,
            }
        );
        let record = record(
            "v=DMARC1;p=quarantine; sp=none; adkim=s; aspf=r; pct=20; rua=mailto:d@example.com",
        );
        assert_eq!(record.subdomain_policy, Some(Policy::None));
        assert_eq!((record.dkim, record.percent), (Alignment::Strict, 20));
        // §6.6.3: a broken policy with a report address is p=none.
        assert_eq!(
            self::record("v=DMARC1; p=block; rua=mailto:d@example.com").policy,
            Policy::None
        );
    }

    #[test]
    fn other_texts_are_ignored_and_broken_records_say_why() {
        for other in [
            "v=spf1 -all",
            "some text",
            "v=DMARC2; p=reject",
            " p=reject; v=DMARC1",
        ] {
            assert_eq!(parse(other.as_bytes()), Parsed::Other, "{other}");
        }
        for (broken, why) in [
            ("v=DMARC1; p=block", "p=block"),
            ("v=DMARC1", "no p="),
            ("v=DMARC1; p=none; pct=101", "pct=101"),
            ("v=DMARC1; p=none; adkim=x", "adkim=x"),
            ("v=DMARC1; p=none; p=reject", "twice"),
        ] {
            match parse(broken.as_bytes()) {
                Parsed::Broken(problem) => assert!(problem.contains(why), "{broken}: {problem}"),
                other => panic!("{broken}: {other:?}"),
            }
        }
    }
}
