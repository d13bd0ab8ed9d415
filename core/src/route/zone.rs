//! A fixed DNS zone that answers the planner's questions as a recursive resolver would:
//! the simulator's world, the library's `route.plan`, and tests use it.

use std::net::IpAddr;

use super::{Answer, Question, Record, RecordKind};
use crate::syntax::Domain;

/// One entry of a zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZoneEntry {
    /// A record at `owner` (lower case, no trailing dot).
    Record {
        owner: String,
        record: Record,
        kind: RecordKind,
    },
    /// The name does not exist, whatever else is listed for it.
    NxDomain(String),
    /// Lookups of the name fail (SERVFAIL, timeout).
    ServFail(String),
}

/// A zone: its entries, answered in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Zone(pub Vec<ZoneEntry>);

impl Zone {
    /// The answer to `question`: the records of its type; a CNAME as resolvers give it;
    /// NODATA when the name has only other records; NXDOMAIN when it has none.
    pub fn answer(&self, question: &Question) -> Answer {
        self.answer_name(&question.owner_name(), question.kind)
    }

    /// [`Zone::answer`] for any owner name, such as mail authentication's
    /// `_dmarc.example.org` or `sel._domainkey.example.org`, which are not host names.
    pub fn answer_name(&self, owner: &str, kind: RecordKind) -> Answer {
        let owner = owner.to_ascii_lowercase();
        let mut exists = false;
        let mut records = Vec::new();
        for entry in &self.0 {
            match entry {
                ZoneEntry::NxDomain(name) if *name == owner => return Answer::NxDomain,
                ZoneEntry::ServFail(name) if *name == owner => return Answer::Failure,
                ZoneEntry::Record {
                    owner: name,
                    record,
                    kind: entry_kind,
                } if *name == owner => {
                    exists = true;
                    if let Record::Cname(target) = record {
                        return self.follow_alias(kind, target);
                    }
                    if *entry_kind == kind {
                        records.push(record.clone());
                    }
                }
                _ => {}
            }
        }
        match (records.is_empty(), exists) {
            (false, _) => Answer::Records(records),
            (true, true) => Answer::NoData,
            (true, false) => Answer::NxDomain,
        }
    }

    /// A CNAME: an MX question gets the alias (the planner asks again); an address
    /// question gets the alias with the target's addresses, as resolvers return them.
    fn follow_alias(&self, kind: RecordKind, target: &Domain) -> Answer {
        let alias = Record::Cname(target.clone());
        if kind != RecordKind::A && kind != RecordKind::Aaaa {
            return Answer::Records(vec![alias]);
        }
        let mut records = vec![alias];
        if let Answer::Records(found) = self.answer_name(target.as_str(), kind) {
            records.extend(found);
        }
        Answer::Records(records)
    }
}

/// An answer in zone-file words: `example.org MX 10 mx1.example.org`, one record a line,
/// or `example.org: NXDOMAIN (no such name)`.
pub fn describe(question: &Question, answer: &Answer) -> String {
    describe_name(&question.owner_name(), question.kind, answer)
}

/// [`describe`] for any owner name.
pub fn describe_name(owner: &str, kind: RecordKind, answer: &Answer) -> String {
    match answer {
        Answer::NxDomain => format!("{owner}: NXDOMAIN (no such name)"),
        Answer::NoData => format!("{owner}: no {} records", kind.name()),
        Answer::Failure => format!("{owner}: SERVFAIL (lookup failed)"),
        Answer::Records(records) => records
            .iter()
            .map(|record| match record {
                Record::Mx {
                    preference,
                    exchange,
                } => format!("{owner} MX {preference} {exchange}"),
                Record::Address(IpAddr::V4(address)) => format!("{owner} A {address}"),
                Record::Address(IpAddr::V6(address)) => format!("{owner} AAAA {address}"),
                Record::Cname(target) => format!("{owner} CNAME {target}"),
                Record::Srv {
                    priority,
                    weight,
                    port,
                    target,
                } => format!("{owner} SRV {priority} {weight} {port} {target}"),
                Record::Txt(text) => format!("{owner} TXT {:?}", String::from_utf8_lossy(text)),
                Record::Ptr(name) => format!("{owner} PTR {name}"),
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
