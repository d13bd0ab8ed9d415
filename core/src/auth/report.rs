//! All three checks of a received message in their order — SPF of the client, DKIM of
//! the signatures, DMARC of the author over both — and the `Authentication-Results:`
//! field that records them (RFC 8601 §2.7): what the library's `auth.check` and the
//! edge's check endpoint answer, and what the server writes on checked mail.

use super::dkim::{self, DkimVerdict};
use super::dmarc::{self, DmarcVerdict, Evidence};
use super::lookup::Asker;
use super::message::{author_domain, split};
use super::spf::{self, Verdict};
use super::{Lookup, results};

/// What the checks found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub spf: Verdict,
    /// One verdict a signature, or one `none` for a message without any.
    pub dkim: Vec<DkimVerdict>,
    pub dmarc: DmarcVerdict,
}

impl Report {
    /// The `Authentication-Results:` field (with its CR LF) of a receiver named
    /// `authserv_id`.
    pub fn field(&self, authserv_id: &str) -> String {
        field(authserv_id, Some(&self.spf), &self.dkim, Some(&self.dmarc))
    }
}

/// The `Authentication-Results:` field of the checks a receiver ran (`None`: not run):
/// SPF, then each signature, then DMARC.
pub fn field(
    authserv_id: &str,
    spf: Option<&Verdict>,
    dkim: &[DkimVerdict],
    dmarc: Option<&DmarcVerdict>,
) -> String {
    let resinfos: Vec<String> = spf
        .map(Verdict::resinfo)
        .into_iter()
        .chain(dkim.iter().map(DkimVerdict::resinfo))
        .chain(dmarc.map(DmarcVerdict::resinfo))
        .collect();
    results::field(authserv_id, &resinfos)
}

/// Checks `message` as received from `client`: SPF of its MAIL FROM identity (HELO's
/// for a bounce, RFC 7208 §2.4), its DKIM signatures at `client.now`, and DMARC with
/// `sample` (0–99, drawn by the host) standing in for `pct=`'s random choice.
pub fn check(client: &spf::Client, message: &[u8], sample: u8) -> Lookup<Report> {
    let asker = Asker::default();
    let ask = asker.clone();
    let spf_check = spf::check_mail_from(client);
    let dkim_check = dkim::verify(message, client.now);
    let author = author_domain(&split(message).0);
    Lookup::start(asker, async move {
        let through = |query| {
            let ask = ask.clone();
            async move { ask.ask(query).await }
        };
        let spf = spf_check.run_async(through).await;
        let dkim = dkim_check.run_async(through).await;
        let evidence = Evidence::of(Some(&spf), &dkim);
        let dmarc = dmarc::check(author, &evidence, sample)
            .run_async(through)
            .await;
        Report { spf, dkim, dmarc }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::{Answer, Record};
    use crate::test_support::rfc8463;

    /// RFC 8463's signed message, from an address its SPF record lists, passes all three;
    /// the same message from elsewhere still passes DMARC by its aligned signature.
    #[test]
    fn the_rfc_8463_message_passes_spf_dkim_and_dmarc() {
        let client = |ip: &str| spf::Client {
            ip: ip.parse().expect("an address"),
            helo: "mail.football.example.com".into(),
            mail_from: "joe@football.example.com".into(),
            receiver: "mx.example.org".into(),
            now: rfc8463::TIMESTAMP,
        };
        let answer = |query: &crate::auth::Query| match query.name.as_str() {
            "football.example.com" => {
                Answer::Records(vec![Record::Txt(b"v=spf1 ip4:192.0.2.0/24 -all".to_vec())])
            }
            "_dmarc.football.example.com" => {
                Answer::Records(vec![Record::Txt(b"v=DMARC1; p=reject".to_vec())])
            }
            name => rfc8463::answer(name),
        };
        let listed = check(&client("192.0.2.10"), rfc8463::signed().as_bytes(), 0).run(answer);
        let field = listed.field("mx.example.org");
        assert!(field.contains("spf=pass"), "{field}");
        assert_eq!(field.matches("dkim=pass").count(), 2, "{field}");
        assert!(field.contains("dmarc=pass"), "{field}");
        let elsewhere = check(&client("198.51.100.7"), rfc8463::signed().as_bytes(), 0).run(answer);
        let field = elsewhere.field("mx.example.org");
        assert!(field.contains("spf=fail"), "{field}");
        assert!(
            field.contains("dmarc=pass (p=reject dis=none; aligned: dkim football.example.com)"),
            "{field}"
        );
    }
}
