//! Reports are parsed back with a MIME parser (mail-parser) and checked field by field
//! against RFC 3464 and RFC 3461.

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use super::*;
use crate::code;
use crate::reply::build;
use crate::syntax::Command;

const ARRIVAL: UnixTime = UnixTime::from_millis(1_795_860_000_000);
const NOW: UnixTime = UnixTime::from_millis(1_795_863_600_000);
const ORIGINAL: &[u8] =
    b"From: Ann <ann@example.net>\r\nTo: bob@example.org\r\nSubject: Lunch\r\n\r\nAt noon?\r\n";

fn recipient(rcpt: &str) -> Recipient {
    match Command::parse(format!("RCPT TO:{rcpt}").as_bytes()) {
        Ok(Command::Rcpt {
            forward_path,
            parameters,
        }) => Recipient {
            forward_path,
            parameters,
        },
        other => panic!("not a RCPT: {other:?}"),
    }
}

fn mail(from: &str) -> (ReversePath, MailParameters) {
    match Command::parse(format!("MAIL FROM:{from}").as_bytes()) {
        Ok(Command::Mail {
            reverse_path,
            parameters,
        }) => (reverse_path, parameters),
        other => panic!("not a MAIL: {other:?}"),
    }
}

fn report(rcpt: &str, action: Action, reply: Reply) -> RecipientReport {
    RecipientReport {
        recipient: recipient(rcpt),
        action,
        reply,
        remote_mta: Some("mx.example.org".into()),
        last_attempt: NOW,
        will_retry_until: None,
    }
}

fn dsn(from: &str, recipients: &[RecipientReport], message: &[u8]) -> Option<Dsn> {
    let (reverse_path, parameters) = mail(from);
    Report {
        reporting_mta: "mx.wasmtp.test",
        queue_id: "Q1a2b3",
        reverse_path: &reverse_path,
        parameters: &parameters,
        arrival: ARRIVAL,
        now: NOW,
        recipients,
        message,
    }
    .build()
}

/// The three parts of a report, after checking the outer structure (RFC 6522 §3).
struct Parsed<'a> {
    message: Message<'a>,
}

impl<'a> Parsed<'a> {
    fn new(content: &'a [u8]) -> Self {
        let message = MessageParser::default()
            .parse(content)
            .expect("a MIME message");
        let content_type = message.root_part().content_type().expect("Content-Type");
        assert_eq!(content_type.ctype(), "multipart");
        assert_eq!(content_type.subtype(), Some("report"));
        assert_eq!(
            content_type.attribute("report-type"),
            Some("delivery-status")
        );
        assert_eq!(
            message.root_part().sub_parts().map(<[u32]>::len),
            Some(3),
            "human-readable, delivery-status, returned content"
        );
        Self { message }
    }

    fn part(&self, index: usize) -> &mail_parser::MessagePart<'a> {
        let ids = self.message.root_part().sub_parts().unwrap();
        self.message.part(ids[index]).unwrap()
    }

    fn part_type(&self, index: usize) -> String {
        let content_type = self.part(index).content_type().unwrap();
        format!(
            "{}/{}",
            content_type.ctype(),
            content_type.subtype().unwrap_or_default()
        )
    }

    /// The delivery-status body as blocks of (field, value), per-message block first
    /// (RFC 3464 §2.1: blocks separated by empty lines, each parsed as header fields).
    fn status_blocks(&self) -> Vec<Vec<(String, String)>> {
        let body = self.part(1).contents();
        let text = std::str::from_utf8(body).unwrap();
        text.split("\r\n\r\n")
            .filter(|block| !block.trim().is_empty())
            .map(|block| {
                let headers = format!("{}\r\n\r\n", block.trim_end());
                let parsed = MessageParser::default()
                    .parse_headers(headers.as_bytes())
                    .unwrap();
                parsed
                    .headers_raw()
                    .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
                    .collect()
            })
            .collect()
    }
}

fn field<'b>(block: &'b [(String, String)], name: &str) -> Option<&'b str> {
    block
        .iter()
        .find(|(field, _)| field.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

#[test]
fn a_failure_reports_each_field_of_rfc_3464_and_returns_the_message() {
    let recipients = [
        report(
            "<bob@example.org> ORCPT=rfc822;bob@example.org",
            Action::Failed,
            build(code!(550), (1, 1), "no such user"),
        ),
        // No NOTIFY: a success is not reported (RFC 3461 §4.1).
        report(
            "<carol@example.org>",
            Action::Delivered,
            build(code!(250), (0, 0), "ok"),
        ),
    ];
    let dsn = dsn("<ann@example.net> ENVID=lunch-42", &recipients, ORIGINAL).unwrap();
    assert_eq!(dsn.recipient.to_string(), "<ann@example.net>");
    assert!(!dsn.eight_bit && !dsn.smtputf8);
    let parsed = Parsed::new(&dsn.content);
    let message = &parsed.message;
    assert_eq!(
        message.subject(),
        Some("Undelivered Mail Returned to Sender")
    );
    assert_eq!(
        message
            .to()
            .and_then(|to| to.first())
            .and_then(|a| a.address()),
        Some("ann@example.net")
    );
    assert_eq!(
        message.header_raw("Auto-Submitted").map(str::trim),
        Some("auto-replied")
    );
    assert_eq!(parsed.part_type(0), "text/plain");
    let human = parsed.part(0).text_contents().unwrap();
    assert!(human.contains("<bob@example.org> could not be delivered"));
    assert!(!human.contains("carol"));
    assert_eq!(parsed.part_type(1), "message/delivery-status");
    let blocks = parsed.status_blocks();
    assert_eq!(blocks.len(), 2, "per-message block and one recipient");
    let per_message = &blocks[0];
    assert_eq!(
        field(per_message, "Reporting-MTA"),
        Some("dns; mx.wasmtp.test")
    );
    assert_eq!(field(per_message, "Original-Envelope-Id"), Some("lunch-42"));
    assert_eq!(
        field(per_message, "Arrival-Date"),
        Some(ARRIVAL.rfc5322().to_string().as_str())
    );
    let bob = &blocks[1];
    assert_eq!(
        field(bob, "Original-Recipient"),
        Some("rfc822; bob@example.org")
    );
    assert_eq!(
        field(bob, "Final-Recipient"),
        Some("rfc822; bob@example.org")
    );
    assert_eq!(field(bob, "Action"), Some("failed"));
    assert_eq!(field(bob, "Status"), Some("5.1.1"));
    assert_eq!(field(bob, "Remote-MTA"), Some("dns; mx.example.org"));
    assert_eq!(
        field(bob, "Diagnostic-Code"),
        Some("smtp; 550 5.1.1 no such user")
    );
    assert_eq!(
        field(bob, "Last-Attempt-Date"),
        Some(NOW.rfc5322().to_string().as_str())
    );
    assert_eq!(field(bob, "Will-Retry-Until"), None);
    assert_eq!(parsed.part_type(2), "message/rfc822");
    let PartType::Message(returned) = &parsed.part(2).body else {
        panic!("the original message is returned whole");
    };
    assert_eq!(returned.subject(), Some("Lunch"));
    assert_eq!(
        returned.body_text(0).as_deref().map(str::trim_end),
        Some("At noon?")
    );
}

#[test]
fn no_report_for_the_null_reverse_path_or_notify_never() {
    let failed = |rcpt| {
        report(
            rcpt,
            Action::Failed,
            build(code!(550), (1, 1), "no such user"),
        )
    };
    // RFC 5321 §4.5.5 and RFC 3461 §5.2.7: a bounce is never bounced.
    assert_eq!(dsn("<>", &[failed("<bob@example.org>")], ORIGINAL), None);
    assert_eq!(
        dsn(
            "<ann@example.net>",
            &[failed("<bob@example.org> NOTIFY=NEVER")],
            ORIGINAL
        ),
        None
    );
    // NOTIFY=SUCCESS alone does not ask for failure reports.
    assert_eq!(
        dsn(
            "<ann@example.net>",
            &[failed("<bob@example.org> NOTIFY=SUCCESS")],
            ORIGINAL
        ),
        None
    );
}

#[test]
fn success_is_reported_only_when_asked_and_returns_headers_only() {
    let delivered = |rcpt| {
        report(
            rcpt,
            Action::Delivered,
            build(code!(250), (0, 0), "queued as 7"),
        )
    };
    assert_eq!(
        dsn(
            "<ann@example.net>",
            &[delivered("<bob@example.org>")],
            ORIGINAL
        ),
        None
    );
    let dsn = dsn(
        "<ann@example.net> RET=FULL",
        &[delivered("<bob@example.org> NOTIFY=SUCCESS,FAILURE")],
        ORIGINAL,
    )
    .unwrap();
    let parsed = Parsed::new(&dsn.content);
    assert_eq!(
        parsed.message.subject(),
        Some("Successful Mail Delivery Report")
    );
    let blocks = parsed.status_blocks();
    assert_eq!(field(&blocks[1], "Action"), Some("delivered"));
    assert_eq!(field(&blocks[1], "Status"), Some("2.0.0"));
    // RFC 3461 §4.3: with no failure, only the headers come back, even with RET=FULL.
    assert_eq!(parsed.part_type(2), "text/rfc822-headers");
    let headers = parsed.part(2).text_contents().unwrap();
    assert!(headers.contains("Subject: Lunch"));
    assert!(!headers.contains("At noon?"));
}

#[test]
fn ret_hdrs_and_oversized_messages_return_headers_only() {
    let failed = [report(
        "<bob@example.org>",
        Action::Failed,
        build(code!(552), (3, 4), "too big"),
    )];
    let headers_only = dsn("<ann@example.net> RET=HDRS", &failed, ORIGINAL).unwrap();
    let parsed = Parsed::new(&headers_only.content);
    assert_eq!(parsed.part_type(2), "text/rfc822-headers");
    let mut large = ORIGINAL.to_vec();
    large.extend(std::iter::repeat_n(b"0123456789\r\n".as_slice(), 5000).flatten());
    let truncated = dsn("<ann@example.net>", &failed, &large).unwrap();
    assert!(truncated.content.len() < RETURNED_CONTENT_LIMIT);
    let parsed = Parsed::new(&truncated.content);
    assert_eq!(parsed.part_type(2), "text/rfc822-headers");
    assert!(
        parsed
            .part(0)
            .text_contents()
            .unwrap()
            .contains("only its headers are returned")
    );
}

#[test]
fn delays_are_reported_with_the_retry_deadline_unless_notify_excludes_them() {
    let until = NOW.after(core::time::Duration::from_secs(4 * 86_400));
    let mut delayed = report(
        "<bob@example.org>",
        Action::Delayed,
        build(code!(451), (4, 1), "greylisted"),
    );
    delayed.will_retry_until = Some(until);
    let dsn_of = |delayed: &RecipientReport| {
        dsn("<ann@example.net>", std::slice::from_ref(delayed), ORIGINAL)
    };
    let report = dsn_of(&delayed).unwrap();
    let parsed = Parsed::new(&report.content);
    assert_eq!(
        parsed.message.subject(),
        Some("Delayed Mail (still being retried)")
    );
    let blocks = parsed.status_blocks();
    assert_eq!(field(&blocks[1], "Action"), Some("delayed"));
    assert_eq!(field(&blocks[1], "Status"), Some("4.4.1"));
    assert_eq!(
        field(&blocks[1], "Will-Retry-Until"),
        Some(until.rfc5322().to_string().as_str())
    );
    assert_eq!(parsed.part_type(2), "text/rfc822-headers");
    delayed.recipient = recipient("<bob@example.org> NOTIFY=FAILURE");
    assert_eq!(dsn_of(&delayed), None);
}

#[test]
fn status_follows_the_action_when_the_reply_disagrees() {
    // Temporary failures until the lifetime ran out: 5.4.7 (RFC 3463 §3.5).
    let expired = report(
        "<bob@example.org>",
        Action::Failed,
        build(code!(421), (4, 2), "try later"),
    );
    // A reply without an enhanced code gets the class's generic status.
    let bare = report(
        "<carol@example.org>",
        Action::Failed,
        build(code!(550), (1, 1), "nope").without_enhanced_code(),
    );
    let dsn = dsn("<ann@example.net>", &[expired, bare], ORIGINAL).unwrap();
    let blocks = Parsed::new(&dsn.content).status_blocks();
    assert_eq!(field(&blocks[1], "Status"), Some("5.4.7"));
    assert_eq!(field(&blocks[2], "Status"), Some("5.0.0"));
}

#[test]
fn internationalised_addresses_make_a_global_report() {
    // RFC 6533: utf-8 address type and message/global-delivery-status.
    let failed = [report(
        "<jürgen@bücher.example>",
        Action::Failed,
        build(code!(550), (1, 1), "no such user"),
    )];
    let dsn = dsn("<ann@example.net> SMTPUTF8", &failed, ORIGINAL).unwrap();
    assert!(dsn.smtputf8 && dsn.eight_bit);
    let parsed = Parsed::new(&dsn.content);
    assert_eq!(parsed.part_type(1), "message/global-delivery-status");
    assert_eq!(parsed.part_type(2), "message/global");
    let body = std::str::from_utf8(parsed.part(1).contents()).unwrap();
    assert!(body.contains("Final-Recipient: utf-8; jürgen@bücher.example\r\n"));
}

#[test]
fn the_boundary_never_occurs_in_the_returned_message_and_diagnostics_stay_on_one_line() {
    let mut hostile = ORIGINAL.to_vec();
    hostile.extend_from_slice(b"--=_wasmtp_dsn_Q1a2b3_0\r\n");
    let failed = [report(
        "<bob@example.org>",
        Action::Failed,
        build(code!(550), (1, 1), "bad\tthing\u{7}"),
    )];
    let dsn = dsn("<ann@example.net>", &failed, &hostile).unwrap();
    let parsed = Parsed::new(&dsn.content);
    let boundary = parsed
        .message
        .root_part()
        .content_type()
        .and_then(|ct| ct.attribute("boundary"))
        .unwrap();
    assert_eq!(boundary, "=_wasmtp_dsn_Q1a2b3_1");
    let blocks = parsed.status_blocks();
    assert_eq!(
        field(&blocks[1], "Diagnostic-Code"),
        Some("smtp; 550 5.1.1 bad thing")
    );
}
