//! Any bytes given as a DNS response decode to an answer or an error, never a panic,
//! and a decoded MX or SRV answer names only hosts that are text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmtp_core::route::dns::decode;
use wasmtp_core::route::{Answer, Question, Record, RecordKind};
use wasmtp_core::syntax::Domain;

fuzz_target!(|response: &[u8]| {
    let Some(name) = Domain::parse("example.org") else {
        return;
    };
    for kind in [
        RecordKind::Mx,
        RecordKind::A,
        RecordKind::Aaaa,
        RecordKind::SmtpSrv,
    ] {
        let question = Question {
            name: name.clone(),
            kind,
        };
        let id = response
            .get(..2)
            .map_or(0, |id| u16::from_be_bytes([id[0], id[1]]));
        if let Ok(Answer::Records(records)) = decode(response, &question, id) {
            for record in records {
                match record {
                    Record::Mx { exchange: host, .. } | Record::Srv { target: host, .. } => {
                        assert!(host.is_ascii());
                    }
                    _ => {}
                }
            }
        }
    }
});
