//! Enhanced mail system status codes `class.subject.detail` (RFC 3463, and the codes the
//! IANA registry of RFC 5248 added since).

use super::Explanation;
use crate::reply::EnhancedCode;

/// Subject and detail, what they mean, and where they are defined.
const KNOWN_CODES: &[(u16, u16, &str, &str)] = &[
    (
        0,
        0,
        "Other or undefined status: the reply says no more than its class.",
        "RFC 3463 §3.1",
    ),
    (
        1,
        0,
        "Something about an address, not covered by a more specific code.",
        "RFC 3463 §3.2",
    ),
    (
        1,
        1,
        "The mailbox does not exist at the destination: the user is unknown.",
        "RFC 3463 §3.2",
    ),
    (
        1,
        2,
        "The destination system (the part after @) does not exist or takes no mail.",
        "RFC 3463 §3.2",
    ),
    (
        1,
        3,
        "The recipient address is not valid syntax.",
        "RFC 3463 §3.2",
    ),
    (
        1,
        4,
        "The recipient address is ambiguous: it matches several mailboxes.",
        "RFC 3463 §3.2",
    ),
    (
        1,
        5,
        "The recipient address is valid (a success code).",
        "RFC 3463 §3.2",
    ),
    (
        1,
        6,
        "The mailbox has moved and there is no forwarding address.",
        "RFC 3463 §3.2",
    ),
    (
        1,
        7,
        "The sender address is not valid syntax.",
        "RFC 3463 §3.2",
    ),
    (
        1,
        8,
        "The sender's system is not valid or takes no replies.",
        "RFC 3463 §3.2",
    ),
    (
        1,
        9,
        "The message was relayed to a system that does not send delivery reports.",
        "RFC 3886 §3.1",
    ),
    (
        1,
        10,
        "The recipient's domain publishes a null MX: it accepts no mail at all.",
        "RFC 7505 §4.2",
    ),
    (
        2,
        0,
        "Something about the mailbox, not covered by a more specific code.",
        "RFC 3463 §3.3",
    ),
    (
        2,
        1,
        "The mailbox exists but is disabled and takes no messages.",
        "RFC 3463 §3.3",
    ),
    (2, 2, "The mailbox is full.", "RFC 3463 §3.3"),
    (
        2,
        3,
        "The message is longer than this mailbox accepts.",
        "RFC 3463 §3.3",
    ),
    (
        2,
        4,
        "A mailing list could not be expanded.",
        "RFC 3463 §3.3",
    ),
    (
        3,
        0,
        "Something about the receiving mail system, not covered by a more specific code.",
        "RFC 3463 §3.4",
    ),
    (3, 1, "The mail system's storage is full.", "RFC 3463 §3.4"),
    (
        3,
        2,
        "The system is not taking messages now (e.g. shutting down).",
        "RFC 3463 §3.4",
    ),
    (
        3,
        3,
        "The system lacks a feature the message needs.",
        "RFC 3463 §3.4",
    ),
    (
        3,
        4,
        "The message is larger than the system accepts.",
        "RFC 3463 §3.4",
    ),
    (3, 5, "The system is configured wrongly.", "RFC 3463 §3.4"),
    (
        4,
        0,
        "Something about the network or routing, not covered by a more specific code.",
        "RFC 3463 §3.5",
    ),
    (
        4,
        1,
        "No answer from the host: the connection could not be made.",
        "RFC 3463 §3.5",
    ),
    (
        4,
        2,
        "The connection was made but broke or timed out.",
        "RFC 3463 §3.5",
    ),
    (
        4,
        3,
        "A directory server (such as DNS) failed.",
        "RFC 3463 §3.5",
    ),
    (
        4,
        4,
        "No route to the destination: e.g. no MX and no address for the domain.",
        "RFC 3463 §3.5",
    ),
    (
        4,
        5,
        "The mail system is congested; try later.",
        "RFC 3463 §3.5",
    ),
    (
        4,
        6,
        "A routing loop: the message passed the same hosts too often.",
        "RFC 3463 §3.5",
    ),
    (
        4,
        7,
        "The message stayed in the queue too long and expired.",
        "RFC 3463 §3.5",
    ),
    (
        5,
        0,
        "Something about the SMTP protocol, not covered by a more specific code.",
        "RFC 3463 §3.6",
    ),
    (
        5,
        1,
        "The command is not valid here, or not implemented.",
        "RFC 3463 §3.6",
    ),
    (
        5,
        2,
        "The command could not be parsed: a syntax error.",
        "RFC 3463 §3.6",
    ),
    (
        5,
        3,
        "Too many recipients for one message.",
        "RFC 3463 §3.6",
    ),
    (
        5,
        4,
        "The command's arguments or parameters are not valid.",
        "RFC 3463 §3.6",
    ),
    (
        5,
        5,
        "The protocol versions of client and server do not match.",
        "RFC 3463 §3.6",
    ),
    (
        5,
        6,
        "A line of the authentication exchange is too long.",
        "RFC 4954 §6",
    ),
    (
        6,
        0,
        "Something about the message content, not covered by a more specific code.",
        "RFC 3463 §3.7",
    ),
    (
        6,
        1,
        "A media type in the message is not supported.",
        "RFC 3463 §3.7",
    ),
    (
        6,
        2,
        "The content would need converting, which is prohibited.",
        "RFC 3463 §3.7",
    ),
    (
        6,
        3,
        "The content would need converting, which is not supported.",
        "RFC 3463 §3.7",
    ),
    (
        6,
        4,
        "The content was converted with loss.",
        "RFC 3463 §3.7",
    ),
    (6, 5, "Converting the content failed.", "RFC 3463 §3.7"),
    (
        6,
        6,
        "The message content is not available (e.g. for BURL).",
        "RFC 4468 §5",
    ),
    (
        6,
        7,
        "A non-ASCII address is not allowed for this sender or recipient (SMTPUTF8 missing).",
        "RFC 6531 §3.6",
    ),
    (
        6,
        8,
        "A UTF-8 reply is needed but the client does not accept it.",
        "RFC 6531 §3.6",
    ),
    (
        6,
        9,
        "A message with UTF-8 headers cannot go to one or more recipients.",
        "RFC 6531 §3.6",
    ),
    (
        7,
        0,
        "Something about security or policy, not covered by a more specific code.",
        "RFC 3463 §3.8",
    ),
    (
        7,
        1,
        "Delivery is not authorized: refused by policy, e.g. relaying denied.",
        "RFC 3463 §3.8",
    ),
    (
        7,
        2,
        "Expanding the mailing list is not allowed.",
        "RFC 3463 §3.8",
    ),
    (
        7,
        3,
        "A security conversion is required but not possible.",
        "RFC 3463 §3.8",
    ),
    (
        7,
        4,
        "The security features the message needs are not supported.",
        "RFC 3463 §3.8",
    ),
    (7, 5, "A cryptographic operation failed.", "RFC 3463 §3.8"),
    (
        7,
        6,
        "The cryptographic algorithm is not supported.",
        "RFC 3463 §3.8",
    ),
    (
        7,
        7,
        "The message failed an integrity check.",
        "RFC 3463 §3.8",
    ),
    (
        7,
        8,
        "The authentication credentials are invalid.",
        "RFC 4954 §6",
    ),
    (
        7,
        9,
        "The authentication mechanism is too weak.",
        "RFC 4954 §6",
    ),
    (7, 10, "Encryption is needed for this.", "RFC 5248 §2.4"),
    (
        7,
        11,
        "The authentication mechanism needs an encrypted connection: use STARTTLS first.",
        "RFC 4954 §6",
    ),
    (7, 12, "A password transition is needed.", "RFC 4954 §6"),
    (7, 13, "The user account is disabled.", "RFC 5248 §2.4"),
    (7, 14, "A trust relationship is required.", "RFC 5248 §2.4"),
    (
        7,
        15,
        "The message's priority level is too low.",
        "RFC 6710 §5",
    ),
    (
        7,
        16,
        "The message is too big for its priority.",
        "RFC 6710 §5",
    ),
    (
        7,
        17,
        "The mailbox has a new owner since the sender last checked.",
        "RFC 7293 §5",
    ),
    (
        7,
        18,
        "The domain has a new owner since the sender last checked.",
        "RFC 7293 §5",
    ),
    (
        7,
        19,
        "The required-recipient-valid-since test cannot be completed.",
        "RFC 7293 §5",
    ),
    (
        7,
        20,
        "No passing DKIM signature was found.",
        "RFC 7372 §3.1",
    ),
    (
        7,
        21,
        "No acceptable DKIM signature was found.",
        "RFC 7372 §3.1",
    ),
    (
        7,
        22,
        "No valid DKIM signature matching the author was found.",
        "RFC 7372 §3.1",
    ),
    (7, 23, "The sender's SPF check failed.", "RFC 7372 §3.2"),
    (
        7,
        24,
        "The SPF check could not be completed.",
        "RFC 7372 §3.2",
    ),
    (
        7,
        25,
        "The client's reverse DNS check failed.",
        "RFC 7372 §3.3",
    ),
    (
        7,
        26,
        "Several authentication checks failed.",
        "RFC 7372 §3.4",
    ),
    (
        7,
        27,
        "The sender's domain publishes a null MX, so it can receive no replies.",
        "RFC 7505 §4.2",
    ),
    (
        7,
        29,
        "The message failed ARC validation.",
        "RFC 8617 §5.2.3",
    ),
    (
        7,
        30,
        "The message requires TLS all the way (REQUIRETLS), which cannot be met.",
        "RFC 8689 §5",
    ),
];

/// What the class of an enhanced code says (RFC 3463 §3.1).
fn class_meaning(class: u8) -> &'static str {
    match class {
        2 => "Success",
        4 => "Persistent transient failure: it may work later",
        _ => "Permanent failure: it will not work unchanged",
    }
}

/// Explains an enhanced status code by its subject and detail; a detail no standard
/// defines is explained by its subject (`X.subject.0`). The class is in the summary of
/// [`super::reply_code`] already, so the explanation speaks of the subject and detail.
pub fn enhanced_code(code: EnhancedCode) -> Explanation {
    let lookup = |subject: u16, detail: u16| {
        KNOWN_CODES
            .iter()
            .find(|(s, d, _, _)| *s == subject && *d == detail)
            .map(|&(_, _, summary, reference)| Explanation { summary, reference })
    };
    lookup(code.subject(), code.detail())
        .or_else(|| lookup(code.subject(), 0))
        .unwrap_or(Explanation {
            summary: class_meaning(code.class()),
            reference: "RFC 3463 §3.1",
        })
}

/// Every defined subject and detail, in the registry's order.
pub fn defined() -> impl Iterator<Item = (u16, u16)> {
    KNOWN_CODES
        .iter()
        .map(|&(subject, detail, _, _)| (subject, detail))
}

/// Whether the subject and detail of `code` are defined.
pub fn is_known(code: EnhancedCode) -> bool {
    KNOWN_CODES
        .iter()
        .any(|(subject, detail, _, _)| *subject == code.subject() && *detail == code.detail())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_valid() {
        for (index, (subject, detail, _, _)) in KNOWN_CODES.iter().enumerate() {
            assert!(EnhancedCode::new(5, *subject, *detail).is_some());
            assert!(
                KNOWN_CODES[index + 1..]
                    .iter()
                    .all(|(s, d, _, _)| (s, d) != (subject, detail)),
                "{subject}.{detail} listed twice"
            );
        }
    }

    #[test]
    fn unknown_detail_falls_back_to_its_subject() {
        let explanation = enhanced_code(EnhancedCode::new(5, 1, 99).unwrap());
        assert_eq!(
            explanation.summary,
            enhanced_code(EnhancedCode::new(5, 1, 0).unwrap()).summary
        );
        assert!(!is_known(EnhancedCode::new(5, 1, 99).unwrap()));
        assert!(
            enhanced_code(EnhancedCode::new(4, 9, 9).unwrap())
                .summary
                .starts_with("Persistent")
        );
    }
}
