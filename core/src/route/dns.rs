//! DNS messages for routing (RFC 1035): a query for a [`Question`], and the response
//! turned into an [`Answer`]. The same bytes serve DNS over UDP, TCP and HTTPS
//! (RFC 8484); sending them is the host's business. Encoding and decoding are
//! hickory-proto's, without its network features.

use core::fmt;

use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};

use super::{Answer, Question, Record, RecordKind};
use crate::syntax::Domain;

/// Why a DNS response could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsError {
    /// The bytes are not a DNS message.
    Malformed(String),
    /// The response does not answer our query (other id, question or not a response).
    Mismatch,
    /// The TC bit is set: ask again over TCP (RFC 7766).
    Truncated,
    /// The name cannot be put in a query.
    BadName,
}

impl fmt::Display for DnsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(reason) => write!(f, "malformed DNS message: {reason}"),
            Self::Mismatch => f.write_str("DNS response does not match the query"),
            Self::Truncated => f.write_str("DNS response truncated; retry over TCP"),
            Self::BadName => f.write_str("name cannot be queried"),
        }
    }
}

impl std::error::Error for DnsError {}

fn record_type(kind: RecordKind) -> RecordType {
    match kind {
        RecordKind::Mx => RecordType::MX,
        RecordKind::A => RecordType::A,
        RecordKind::Aaaa => RecordType::AAAA,
        RecordKind::SmtpSrv => RecordType::SRV,
        RecordKind::Txt => RecordType::TXT,
        RecordKind::Ptr => RecordType::PTR,
    }
}

fn name(owner: &str) -> Result<Name, DnsError> {
    // Absolute: the query is for exactly this name, no search list.
    Name::from_utf8(format!("{owner}.")).map_err(|_| DnsError::BadName)
}

/// A recursive query (RD set) for `question` with message id `id`.
pub fn query(question: &Question, id: u16) -> Result<Vec<u8>, DnsError> {
    query_name(&question.owner_name(), question.kind, id)
}

/// A recursive query for the `kind` records of `owner`, a name as it goes on the wire
/// (SPF asks for names such as `_spf.example.com`, which are no host names).
pub fn query_name(owner: &str, kind: RecordKind, id: u16) -> Result<Vec<u8>, DnsError> {
    let mut message = Message::new(id, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = true;
    message.add_query(Query::query(name(owner)?, record_type(kind)));
    message
        .to_vec()
        .map_err(|error| DnsError::Malformed(error.to_string()))
}

/// Reads the response to the query `id` for `question`. NXDOMAIN and an empty answer
/// are answers; SERVFAIL and other errors are [`Answer::Failure`] (try again later).
pub fn decode(response: &[u8], question: &Question, id: u16) -> Result<Answer, DnsError> {
    decode_name(response, &question.owner_name(), question.kind, id)
}

/// [`decode`] for a query made by [`query_name`].
pub fn decode_name(
    response: &[u8],
    owner: &str,
    kind: RecordKind,
    id: u16,
) -> Result<Answer, DnsError> {
    let message =
        Message::from_vec(response).map_err(|error| DnsError::Malformed(error.to_string()))?;
    let asked = name(owner)?;
    let matches = message.metadata.id == id
        && message.metadata.message_type == MessageType::Response
        && message
            .queries
            .iter()
            .any(|query| query.name().eq_case(&asked) && query.query_type() == record_type(kind));
    if !matches {
        return Err(DnsError::Mismatch);
    }
    if message.metadata.truncation {
        return Err(DnsError::Truncated);
    }
    match message.metadata.response_code {
        ResponseCode::NoError => {}
        ResponseCode::NXDomain => return Ok(Answer::NxDomain),
        _ => return Ok(Answer::Failure),
    }
    let records: Vec<Record> = message
        .answers
        .iter()
        .filter_map(|record| match &record.data {
            RData::MX(mx) => Some(Record::Mx {
                preference: mx.preference,
                exchange: mx.exchange.to_ascii(),
            }),
            RData::A(a) => Some(Record::Address(a.0.into())),
            RData::AAAA(aaaa) => Some(Record::Address(aaaa.0.into())),
            RData::SRV(srv) => Some(Record::Srv {
                priority: srv.priority,
                weight: srv.weight,
                port: srv.port,
                target: srv.target.to_ascii(),
            }),
            RData::TXT(txt) => Some(Record::Txt(txt.txt_data.concat())),
            RData::PTR(ptr) => Some(Record::Ptr(
                ptr.0.to_ascii().trim_end_matches('.').to_owned(),
            )),
            RData::CNAME(cname) => {
                Domain::parse(cname.0.to_ascii().trim_end_matches('.')).map(Record::Cname)
            }
            _ => None,
        })
        .collect();
    Ok(if records.is_empty() {
        Answer::NoData
    } else {
        Answer::Records(records)
    })
}

/// How long the answer in `response` may be kept (seconds): the least TTL of its
/// answers, or for a negative answer the SOA's TTL or MINIMUM, the lesser (RFC 2308
/// §5); `None` when it says nothing (no SOA with a negative answer), to keep it not at
/// all.
pub fn time_to_live(response: &[u8]) -> Option<u32> {
    let message = Message::from_vec(response).ok()?;
    if let Some(least) = message.answers.iter().map(|record| record.ttl).min() {
        return Some(least);
    }
    message
        .authorities
        .iter()
        .filter_map(|record| match &record.data {
            RData::SOA(soa) => Some(record.ttl.min(soa.minimum)),
            _ => None,
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::{A, MX, SRV};

    fn question(kind: RecordKind) -> Question {
        Question {
            name: Domain::parse("example.org").unwrap(),
            kind,
        }
    }

    /// A response as a server would send it, built from our own query.
    fn respond(query_bytes: &[u8], code: ResponseCode, answers: Vec<RData>) -> Vec<u8> {
        let query = Message::from_vec(query_bytes).unwrap();
        let mut response = Message::response(query.metadata.id, OpCode::Query);
        response.metadata.response_code = code;
        let asked = query.queries[0].name().clone();
        response.queries = query.queries.clone();
        for data in answers {
            response.answers.push(hickory_proto::rr::Record::from_rdata(
                asked.clone(),
                300,
                data,
            ));
        }
        response.to_vec().unwrap()
    }

    #[test]
    fn mx_query_and_answer_round_trip() {
        let question = question(RecordKind::Mx);
        let bytes = query(&question, 7).unwrap();
        let exchange = Name::from_ascii("mx1.example.org.").unwrap();
        let response = respond(
            &bytes,
            ResponseCode::NoError,
            vec![RData::MX(MX::new(10, exchange))],
        );
        assert_eq!(
            decode(&response, &question, 7),
            Ok(Answer::Records(vec![Record::Mx {
                preference: 10,
                exchange: "mx1.example.org.".into()
            }]))
        );
    }

    #[test]
    fn srv_query_names_the_smtp_service_and_decodes_targets() {
        let question = question(RecordKind::SmtpSrv);
        let bytes = query(&question, 11).unwrap();
        let sent = Message::from_vec(&bytes).unwrap();
        assert_eq!(sent.queries[0].name().to_ascii(), "_smtp._tcp.example.org.");
        assert_eq!(sent.queries[0].query_type(), RecordType::SRV);
        let target = Name::from_ascii("mail.example.org.").unwrap();
        let response = respond(
            &bytes,
            ResponseCode::NoError,
            vec![RData::SRV(SRV::new(5, 60, 2525, target))],
        );
        assert_eq!(
            decode(&response, &question, 11),
            Ok(Answer::Records(vec![Record::Srv {
                priority: 5,
                weight: 60,
                port: 2525,
                target: "mail.example.org.".into()
            }]))
        );
    }

    #[test]
    fn txt_strings_are_joined_and_any_name_can_be_asked() {
        use hickory_proto::rr::rdata::{PTR, TXT};
        // SPF's names need not be host names; a TXT record's strings join with nothing
        // between them (RFC 7208 §3.3).
        let bytes = query_name("_spf.example.org", RecordKind::Txt, 3).unwrap();
        let response = respond(
            &bytes,
            ResponseCode::NoError,
            vec![RData::TXT(TXT::new(vec![
                "v=spf1 ip4:192.0.2.0/24".into(),
                " -all".into(),
            ]))],
        );
        assert_eq!(
            decode_name(&response, "_spf.example.org", RecordKind::Txt, 3),
            Ok(Answer::Records(vec![Record::Txt(
                b"v=spf1 ip4:192.0.2.0/24 -all".to_vec()
            )]))
        );
        let bytes = query_name("3.2.0.192.in-addr.arpa", RecordKind::Ptr, 4).unwrap();
        let response = respond(
            &bytes,
            ResponseCode::NoError,
            vec![RData::PTR(PTR(
                Name::from_ascii("mail.example.org.").unwrap()
            ))],
        );
        assert_eq!(
            decode_name(&response, "3.2.0.192.in-addr.arpa", RecordKind::Ptr, 4),
            Ok(Answer::Records(vec![Record::Ptr(
                "mail.example.org".into()
            )]))
        );
    }

    #[test]
    fn answers_are_kept_for_their_least_ttl_and_negative_ones_by_their_soa() {
        use hickory_proto::rr::rdata::SOA;
        let question = question(RecordKind::A);
        let bytes = query(&question, 5).unwrap();
        let response = respond(
            &bytes,
            ResponseCode::NoError,
            vec![RData::A("192.0.2.1".parse().unwrap())],
        );
        assert_eq!(time_to_live(&response), Some(300));
        let empty = respond(&bytes, ResponseCode::NXDomain, vec![]);
        assert_eq!(time_to_live(&empty), None, "no SOA: not kept");
        let mut negative = Message::from_vec(&empty).unwrap();
        let zone = Name::from_ascii("example.org.").unwrap();
        negative
            .authorities
            .push(hickory_proto::rr::Record::from_rdata(
                zone.clone(),
                3600,
                RData::SOA(SOA::new(zone.clone(), zone, 1, 7200, 900, 86400, 60)),
            ));
        assert_eq!(time_to_live(&negative.to_vec().unwrap()), Some(60));
        assert_eq!(time_to_live(b"not dns"), None);
    }

    #[test]
    fn nxdomain_empty_and_servfail_are_told_apart() {
        let question = question(RecordKind::A);
        let bytes = query(&question, 9).unwrap();
        assert_eq!(
            decode(
                &respond(&bytes, ResponseCode::NXDomain, vec![]),
                &question,
                9
            ),
            Ok(Answer::NxDomain)
        );
        assert_eq!(
            decode(
                &respond(&bytes, ResponseCode::NoError, vec![]),
                &question,
                9
            ),
            Ok(Answer::NoData)
        );
        assert_eq!(
            decode(
                &respond(&bytes, ResponseCode::ServFail, vec![]),
                &question,
                9
            ),
            Ok(Answer::Failure)
        );
        let with_address = respond(
            &bytes,
            ResponseCode::NoError,
            vec![RData::A(A::new(127, 0, 0, 2))],
        );
        assert_eq!(
            decode(&with_address, &question, 9),
            Ok(Answer::Records(vec![Record::Address(
                "127.0.0.2".parse().unwrap()
            )]))
        );
    }

    #[test]
    fn a_response_to_another_query_or_garbage_is_refused() {
        let question = question(RecordKind::Mx);
        let bytes = query(&question, 1).unwrap();
        let response = respond(&bytes, ResponseCode::NoError, vec![]);
        assert_eq!(decode(&response, &question, 2), Err(DnsError::Mismatch));
        assert_eq!(
            decode(&response, &super::super::tests::other_question(), 1),
            Err(DnsError::Mismatch)
        );
        assert!(matches!(
            decode(b"\x00\x01", &question, 1),
            Err(DnsError::Malformed(_))
        ));
    }

    #[test]
    fn truncated_responses_ask_for_tcp() {
        let question = question(RecordKind::Mx);
        let bytes = query(&question, 3).unwrap();
        let mut response =
            Message::from_vec(&respond(&bytes, ResponseCode::NoError, vec![])).unwrap();
        response.metadata.truncation = true;
        assert_eq!(
            decode(&response.to_vec().unwrap(), &question, 3),
            Err(DnsError::Truncated)
        );
    }
}
