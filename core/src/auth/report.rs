//! All three checks of a received message in their order — SPF of the client, DKIM of
//! the signatures, DMARC of the author over both — and the `Authentication-Results:`
//! field that records them (RFC 8601 §2.7): what the library's `auth.check` and the
//! edge's check endpoint answer, and what the server writes on checked mail.

use std::cell::RefCell;
use std::rc::Rc;

use super::dkim::{self, DkimResult, DkimVerdict};
use super::dmarc::{self, DmarcResult, DmarcVerdict, Evidence};
use super::lookup::Asker;
use super::message::{author_domain, split};
use super::spf::{self, SpfResult, Verdict};
use super::{Lookup, Query, results};
use crate::explain::Topic;
use crate::route::zone::describe_name;

/// The three checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Spf,
    Dkim,
    Dmarc,
}

impl Method {
    /// Its name in `Authentication-Results:` (RFC 8601 §2.7).
    pub fn name(self) -> &'static str {
        match self {
            Self::Spf => "spf",
            Self::Dkim => "dkim",
            Self::Dmarc => "dmarc",
        }
    }
}

/// A DNS question a check asked, and the answer it got, in zone-file words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    pub method: Method,
    pub question: String,
    pub answer: String,
}

/// What the checks found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub spf: Verdict,
    /// One verdict a signature, or one `none` for a message without any.
    pub dkim: Vec<DkimVerdict>,
    pub dmarc: DmarcVerdict,
    /// Every question, in the order asked.
    pub asked: Vec<Asked>,
}

/// One step of the checks, for a reader: a DNS question and its answer, or a verdict
/// (as its `Authentication-Results:` resinfo), with the topic that explains it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub method: Method,
    /// The question (`_dmarc.example.org TXT?`) or the verdict (`dmarc=pass …`).
    pub text: String,
    /// The answer, for a question.
    pub answer: Option<String>,
    pub topic: Topic,
}

fn spf_topic(result: SpfResult) -> Topic {
    match result {
        SpfResult::Pass => Topic::SpfPass,
        SpfResult::Fail => Topic::SpfFail,
        SpfResult::SoftFail => Topic::SpfSoftfail,
        SpfResult::Neutral => Topic::SpfNeutral,
        SpfResult::None => Topic::SpfNone,
        SpfResult::TempError | SpfResult::PermError => Topic::SpfError,
    }
}

fn dkim_topic(result: DkimResult) -> Topic {
    match result {
        DkimResult::Pass => Topic::DkimPass,
        DkimResult::Fail => Topic::DkimFail,
        DkimResult::None => Topic::DkimNone,
        DkimResult::TempError | DkimResult::PermError => Topic::DkimError,
    }
}

fn dmarc_topic(result: DmarcResult) -> Topic {
    match result {
        DmarcResult::Pass => Topic::DmarcPass,
        DmarcResult::Fail => Topic::DmarcFail,
        DmarcResult::None => Topic::DmarcNone,
        DmarcResult::TempError | DmarcResult::PermError => Topic::DmarcError,
    }
}

impl Report {
    /// The `Authentication-Results:` field (with its CR LF) of a receiver named
    /// `authserv_id`.
    pub fn field(&self, authserv_id: &str) -> String {
        field(
            authserv_id,
            std::slice::from_ref(&self.spf),
            &self.dkim,
            Some(&self.dmarc),
        )
    }

    /// The checks step by step: each check's questions, then its verdicts.
    pub fn steps(&self) -> Vec<Step> {
        let questions = |method: Method, topic: Topic| {
            self.asked
                .iter()
                .filter(move |asked| asked.method == method)
                .map(move |asked| Step {
                    method,
                    text: asked.question.clone(),
                    answer: Some(asked.answer.clone()),
                    topic,
                })
        };
        let verdict = |method: Method, text: String, topic: Topic| Step {
            method,
            text,
            answer: None,
            topic,
        };
        questions(Method::Spf, Topic::SpfRecord)
            .chain([verdict(
                Method::Spf,
                self.spf.resinfo(),
                spf_topic(self.spf.result),
            )])
            .chain(questions(Method::Dkim, Topic::DkimKey))
            .chain(self.dkim.iter().map(|signature| {
                verdict(
                    Method::Dkim,
                    signature.resinfo(),
                    dkim_topic(signature.result),
                )
            }))
            .chain(questions(Method::Dmarc, Topic::DmarcRecord))
            .chain([verdict(
                Method::Dmarc,
                self.dmarc.resinfo(),
                dmarc_topic(self.dmarc.result),
            )])
            .collect()
    }
}

/// The `Authentication-Results:` field of the checks a receiver ran (none, or `None`:
/// not run): SPF (HELO's, then MAIL FROM's), then each signature, then DMARC.
pub fn field(
    authserv_id: &str,
    spf: &[Verdict],
    dkim: &[DkimVerdict],
    dmarc: Option<&DmarcVerdict>,
) -> String {
    let resinfos: Vec<String> = spf
        .iter()
        .map(Verdict::resinfo)
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
    let asked = Rc::new(RefCell::new(Vec::new()));
    Lookup::start(asker, async move {
        // Each check's questions go to the host, and are noted with their answers.
        let through = |method: Method| {
            let (ask, asked) = (ask.clone(), asked.clone());
            move |query: Query| {
                let (ask, asked) = (ask.clone(), asked.clone());
                async move {
                    let answer = ask.ask(query.clone()).await;
                    asked.borrow_mut().push(Asked {
                        method,
                        question: query.to_string(),
                        answer: describe_name(&query.name, query.kind, &answer),
                    });
                    answer
                }
            }
        };
        let spf = spf_check.run_async(through(Method::Spf)).await;
        let dkim = dkim_check.run_async(through(Method::Dkim)).await;
        let evidence = Evidence::of(Some(&spf), &dkim);
        let dmarc = dmarc::check(author, &evidence, sample)
            .run_async(through(Method::Dmarc))
            .await;
        let asked = asked.take();
        Report {
            spf,
            dkim,
            dmarc,
            asked,
        }
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
        let steps: Vec<(Method, String, Topic)> = elsewhere
            .steps()
            .into_iter()
            .map(|step| (step.method, step.text, step.topic))
            .collect();
        let topics: Vec<Topic> = steps.iter().map(|(_, _, topic)| *topic).collect();
        assert_eq!(
            topics,
            [
                Topic::SpfRecord,
                Topic::SpfFail,
                Topic::DkimKey,
                Topic::DkimKey,
                Topic::DkimPass,
                Topic::DkimPass,
                Topic::DmarcRecord,
                Topic::DmarcPass,
            ],
            "{steps:?}"
        );
        assert_eq!(steps[6].1, "_dmarc.football.example.com TXT?");
        assert!(
            field.contains("dmarc=pass (p=reject dis=none; aligned: dkim football.example.com)"),
            "{field}"
        );
    }
}
