//! The `route` interface: a route plan in a zone the caller supplies.

use std::net::IpAddr;

use wasmtp_core::route::zone::{self, Zone, ZoneEntry};
use wasmtp_core::route::{Record, RecordKind, RouteOptions, RoutePlanner};
use wasmtp_core::syntax::{Domain, Host};

use super::convert::reply_to_wit;
use crate::Library;
use crate::exports::wasmtp::smtp::route::{
    Guest, Lookup, Options, Outcome, RecordData, RouteError, RoutePlan, Zone as WitZone, ZoneRecord,
};
use crate::exports::wasmtp::smtp::types::RouteTarget;

/// A name as zones store it: lower case, without the root's trailing dot.
fn owner(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn zone_entry(record: ZoneRecord) -> Result<ZoneEntry, String> {
    let invalid = |why: &str| format!("{}: {why}", record.name);
    let (kind, data) = match &record.data {
        RecordData::Mx((preference, exchange)) => (
            RecordKind::Mx,
            Record::Mx {
                preference: *preference,
                exchange: exchange.clone(),
            },
        ),
        RecordData::Address(text) => match text.parse::<IpAddr>() {
            Ok(address @ IpAddr::V4(_)) => (RecordKind::A, Record::Address(address)),
            Ok(address @ IpAddr::V6(_)) => (RecordKind::Aaaa, Record::Address(address)),
            Err(_) => return Err(invalid("not an IPv4 or IPv6 address")),
        },
        // An alias answers every type; the zone follows it whatever was asked.
        RecordData::Cname(target) => match Domain::parse(&owner(target)) {
            Some(target) => (RecordKind::Mx, Record::Cname(target)),
            None => return Err(invalid("the alias target is not a domain name")),
        },
        RecordData::Srv((priority, weight, port, target)) => (
            RecordKind::SmtpSrv,
            Record::Srv {
                priority: *priority,
                weight: *weight,
                port: *port,
                target: target.clone(),
            },
        ),
        RecordData::Txt(text) => (RecordKind::Txt, Record::Txt(text.clone().into_bytes())),
        RecordData::Ptr(name) => (RecordKind::Ptr, Record::Ptr(owner(name))),
    };
    Ok(ZoneEntry::Record {
        owner: owner(&record.name),
        record: data,
        kind,
    })
}

/// The caller's zone as the core answers from it; an unusable record is `Err` with
/// its name and why.
pub fn core_zone(zone: WitZone) -> Result<Zone, String> {
    let mut entries = zone
        .records
        .into_iter()
        .map(zone_entry)
        .collect::<Result<Vec<_>, _>>()?;
    entries.extend(
        zone.failing
            .iter()
            .map(|name| ZoneEntry::ServFail(owner(name))),
    );
    Ok(Zone(entries))
}

impl Guest for Library {
    fn plan(destination: String, zone: WitZone, options: Options) -> Result<RoutePlan, RouteError> {
        let host = Host::parse(&destination).ok_or(RouteError::InvalidDestination(destination))?;
        let zone = core_zone(zone).map_err(RouteError::InvalidRecord)?;
        let defaults = RouteOptions::default();
        let options = RouteOptions {
            local_names: options.local_names,
            seed: options.seed,
            max_addresses: match options.max_addresses {
                0 => defaults.max_addresses,
                limit => usize::try_from(limit).unwrap_or(defaults.max_addresses),
            },
            srv: options.srv,
        };
        let mut lookups = Vec::new();
        let planned = RoutePlanner::new(&host, &options).run(|question| {
            let answer = zone.answer(question);
            lookups.push(Lookup {
                question: question.to_string(),
                answer: zone::describe(question, &answer),
            });
            answer
        });
        let outcome = match planned {
            Ok(targets) => Outcome::Route(
                targets
                    .into_iter()
                    .map(|target| RouteTarget {
                        host: target.host,
                        preference: target.preference,
                        address: target.address.to_string(),
                        port: target.port,
                    })
                    .collect(),
            ),
            Err(reply) => Outcome::Fail(reply_to_wit(&reply)),
        };
        Ok(RoutePlan { lookups, outcome })
    }
}
