//! The `auth` interface: the core's SPF, DKIM and DMARC checks answered from the
//! caller's zone, and DKIM signing with the caller's key.

use std::net::IpAddr;

use wasmtp_core::auth::dkim::{DkimResult, DkimVerdict as CoreDkim};
use wasmtp_core::auth::dmarc::{DmarcResult, DmarcVerdict as CoreDmarc, Policy};
use wasmtp_core::auth::report;
use wasmtp_core::auth::spf::{self, SpfResult, Verdict as CoreSpf};
use wasmtp_wasi::dkim_key::SigningKey;

use crate::Library;
use crate::exports::wasmtp::smtp::auth::{
    CheckError, Client, DkimResult as WitDkimResult, DkimVerdict, DmarcPolicy,
    DmarcResult as WitDmarcResult, DmarcVerdict, Guest, Report, SignError, Signer,
    SpfResult as WitSpfResult, SpfVerdict,
};
use crate::exports::wasmtp::smtp::route::{Lookup, Zone};
use crate::exports::wasmtp::smtp::types::Timestamp;
use crate::route::core_zone;

fn spf_to_wit(verdict: CoreSpf) -> SpfVerdict {
    SpfVerdict {
        result: match verdict.result {
            SpfResult::None => WitSpfResult::None,
            SpfResult::Neutral => WitSpfResult::Neutral,
            SpfResult::Pass => WitSpfResult::Pass,
            SpfResult::Fail => WitSpfResult::Fail,
            SpfResult::SoftFail => WitSpfResult::Softfail,
            SpfResult::TempError => WitSpfResult::Temperror,
            SpfResult::PermError => WitSpfResult::Permerror,
        },
        sender: verdict.sender,
        domain: verdict.domain,
        matched: verdict.matched,
        explanation: verdict.explanation,
        problem: verdict.problem,
    }
}

fn dkim_to_wit(verdict: CoreDkim) -> DkimVerdict {
    DkimVerdict {
        result: match verdict.result {
            DkimResult::None => WitDkimResult::None,
            DkimResult::Pass => WitDkimResult::Pass,
            DkimResult::Fail => WitDkimResult::Fail,
            DkimResult::TempError => WitDkimResult::Temperror,
            DkimResult::PermError => WitDkimResult::Permerror,
        },
        domain: verdict.domain,
        selector: verdict.selector,
        problem: verdict.problem,
    }
}

fn policy_to_wit(policy: Policy) -> DmarcPolicy {
    match policy {
        Policy::None => DmarcPolicy::None,
        Policy::Quarantine => DmarcPolicy::Quarantine,
        Policy::Reject => DmarcPolicy::Reject,
    }
}

fn dmarc_to_wit(verdict: CoreDmarc) -> DmarcVerdict {
    DmarcVerdict {
        result: match verdict.result {
            DmarcResult::None => WitDmarcResult::None,
            DmarcResult::Pass => WitDmarcResult::Pass,
            DmarcResult::Fail => WitDmarcResult::Fail,
            DmarcResult::TempError => WitDmarcResult::Temperror,
            DmarcResult::PermError => WitDmarcResult::Permerror,
        },
        from_domain: verdict.from_domain,
        policy: verdict.policy.map(policy_to_wit),
        disposition: policy_to_wit(verdict.disposition),
        aligned: verdict.aligned,
        problem: verdict.problem,
    }
}

fn key(pem: &str) -> Result<SigningKey, SignError> {
    SigningKey::read(pem.as_bytes()).map_err(SignError::InvalidKey)
}

impl Guest for Library {
    fn check(
        message: Vec<u8>,
        client: Client,
        zone: Zone,
        now: Timestamp,
        sample: u8,
    ) -> Result<Report, CheckError> {
        let ip: IpAddr = client
            .ip
            .parse()
            .map_err(|_| CheckError::InvalidClientIp(client.ip.clone()))?;
        let zone = core_zone(zone).map_err(CheckError::InvalidRecord)?;
        let client = spf::Client {
            ip,
            helo: client.helo,
            mail_from: client.mail_from,
            receiver: client.receiver,
            now: now / 1000,
        };
        let found = report::check(&client, &message, sample)
            .run(|query| zone.answer_name(&query.name, query.kind));
        let authentication_results = found.field(&client.receiver);
        Ok(Report {
            spf: spf_to_wit(found.spf),
            dkim: found.dkim.into_iter().map(dkim_to_wit).collect(),
            dmarc: dmarc_to_wit(found.dmarc),
            authentication_results,
            lookups: found
                .asked
                .into_iter()
                .map(|asked| Lookup {
                    question: asked.question,
                    answer: asked.answer,
                })
                .collect(),
        })
    }

    fn sign(message: Vec<u8>, signer: Signer, now: Timestamp) -> Result<String, SignError> {
        key(&signer.private_key)?
            .sign_message(&message, &signer.domain, &signer.selector, now / 1000)
            .map_err(SignError::Unsignable)
    }

    fn key_record(private_key: String) -> Result<String, SignError> {
        Ok(key(&private_key)?.record())
    }
}
