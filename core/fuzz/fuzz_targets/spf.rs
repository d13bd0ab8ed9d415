//! Any bytes as a domain's SPF record (and as every TXT record the check asks for, so
//! includes and redirects recurse into it): the check ends in a verdict, never a panic,
//! after a bounded number of questions (RFC 7208 §4.6.4's limits, with `%{p}` looked up
//! once).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmtp_core::auth::spf::{Client, check_mail_from};
use wasmtp_core::route::{Answer, Record, RecordKind};

/// The record's own lookup, then 10 DNS terms of at most 11 lookups each (an `mx` and
/// its 10 exchanges), the validated names (a PTR and 10 addresses), the explanation.
const MOST_QUESTIONS: usize = 1 + 10 * 11 + 11 + 1;

fuzz_target!(|record: &[u8]| {
    let client = Client {
        ip: std::net::Ipv4Addr::new(192, 0, 2, 3).into(),
        helo: "mx.example.org".to_owned(),
        mail_from: "someone@example.com".to_owned(),
        receiver: "mx.example.net".to_owned(),
        now: 0,
    };
    let mut asked = 0;
    let verdict = check_mail_from(&client).run(|query| {
        asked += 1;
        match query.kind {
            RecordKind::Txt => Answer::Records(vec![Record::Txt(record.to_vec())]),
            RecordKind::A => Answer::Records(vec![Record::Address(client.ip)]),
            RecordKind::Mx => Answer::Records(
                (0..10)
                    .map(|preference| Record::Mx {
                        preference,
                        exchange: format!("mx{preference}.example.com"),
                    })
                    .collect(),
            ),
            RecordKind::Ptr => Answer::Records(vec![Record::Ptr("mail.example.com".to_owned())]),
            _ => Answer::NxDomain,
        }
    });
    assert!(asked <= MOST_QUESTIONS, "{asked} questions for {verdict:?}");
});
