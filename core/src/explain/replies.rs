//! Reply codes (RFC 5321 §4.2 and the extensions' codes).

use super::Explanation;
use crate::reply::{ReplyClass, ReplyCode};

/// Every reply code the SMTP standards define, with what it tells the client.
/// RFC 5321 §4.2.2 lists the base codes; the extensions add theirs.
pub(super) const KNOWN_CODES: &[(u16, &str, &str)] = &[
    (211, "System status or help reply.", "RFC 5321 §4.2.2"),
    (
        214,
        "Help message, meant for a human reader.",
        "RFC 5321 §4.2.2",
    ),
    (
        220,
        "The server is ready: this greeting opens every SMTP session and names the server.",
        "RFC 5321 §4.3.1",
    ),
    (
        221,
        "The server is closing the connection, normally in answer to QUIT.",
        "RFC 5321 §4.1.1.10",
    ),
    (235, "Authentication succeeded.", "RFC 4954 §6"),
    (
        250,
        "The requested action is done: the command was accepted.",
        "RFC 5321 §4.2.2",
    ),
    (
        251,
        "The user is not local; the server will forward the message.",
        "RFC 5321 §3.4",
    ),
    (
        252,
        "The server cannot verify the user, but will accept the message and try to deliver it.",
        "RFC 5321 §3.5.3",
    ),
    (
        334,
        "A challenge in an AUTH exchange: the client answers with a base64 line.",
        "RFC 4954 §4",
    ),
    (
        354,
        "Start sending the message; end it with a line holding a single dot (<CRLF>.<CRLF>).",
        "RFC 5321 §4.1.1.4",
    ),
    (
        421,
        "The service is not available and the server closes the connection; try again later.",
        "RFC 5321 §3.8",
    ),
    (
        432,
        "A password transition is needed before authenticating.",
        "RFC 4954 §6",
    ),
    (
        450,
        "The mailbox is unavailable for now (busy, or blocked by policy); try again later.",
        "RFC 5321 §4.2.2",
    ),
    (
        451,
        "The action was aborted by a local error on the server; try again later.",
        "RFC 5321 §4.2.2",
    ),
    (
        452,
        "Not enough storage on the server, or too many recipients; try again later.",
        "RFC 5321 §4.5.3.1.10",
    ),
    (
        454,
        "Temporary authentication failure, or TLS is not available for now.",
        "RFC 4954 §6",
    ),
    (
        455,
        "The server cannot accommodate these parameters now.",
        "RFC 5321 §4.2.2",
    ),
    (
        500,
        "Syntax error: the command was not recognized, or the line was too long.",
        "RFC 5321 §4.2.2",
    ),
    (
        501,
        "Syntax error in the parameters or arguments of the command.",
        "RFC 5321 §4.2.2",
    ),
    (
        502,
        "The command is valid SMTP but this server does not implement it.",
        "RFC 5321 §4.2.4",
    ),
    (
        503,
        "Bad sequence of commands: this command is not allowed at this point of the dialogue.",
        "RFC 5321 §4.3.2",
    ),
    (
        504,
        "A parameter of the command is not implemented.",
        "RFC 5321 §4.2.2",
    ),
    (521, "This host accepts no mail at all.", "RFC 7504 §3"),
    (
        523,
        "The message is larger than the server will ever accept.",
        "RFC 5248 §2.4",
    ),
    (
        530,
        "Authentication is required before this command.",
        "RFC 4954 §6",
    ),
    (
        534,
        "The chosen authentication mechanism is too weak.",
        "RFC 4954 §6",
    ),
    (
        535,
        "Authentication failed: the credentials are invalid.",
        "RFC 4954 §6",
    ),
    (
        538,
        "Encryption is required for the requested authentication mechanism.",
        "RFC 4954 §6",
    ),
    (
        550,
        "The mailbox is unavailable (unknown, or refused by policy); do not retry unchanged.",
        "RFC 5321 §4.2.2",
    ),
    (
        551,
        "The user is not local; the server names where to send instead.",
        "RFC 5321 §3.4",
    ),
    (
        552,
        "The message exceeds the storage or size the server allows.",
        "RFC 5321 §4.2.2",
    ),
    (
        553,
        "The mailbox name is not allowed (bad syntax).",
        "RFC 5321 §4.2.2",
    ),
    (
        554,
        "The transaction failed; in a greeting, the server will not talk to this client.",
        "RFC 5321 §3.1",
    ),
    (
        555,
        "A MAIL FROM or RCPT TO parameter is not recognized or not implemented.",
        "RFC 5321 §4.2.2",
    ),
    (
        556,
        "The recipient's domain accepts no mail.",
        "RFC 7504 §3",
    ),
];

/// Explains a reply code. Codes no standard defines are explained by their first digit
/// (RFC 5321 §4.2.1), which is what a client must act on anyway.
pub fn reply_code(code: ReplyCode) -> Explanation {
    KNOWN_CODES
        .iter()
        .find(|(value, _, _)| *value == code.value())
        .map(|&(_, summary, reference)| Explanation { summary, reference })
        .unwrap_or_else(|| reply_class(code.class()))
}

/// Explains what the first digit of a reply tells the client (RFC 5321 §4.2.1).
pub fn reply_class(class: ReplyClass) -> Explanation {
    let summary = match class {
        ReplyClass::PositiveCompletion => "Success: the requested action has been completed.",
        ReplyClass::PositiveIntermediate => {
            "Accepted so far: the server waits for more information."
        }
        ReplyClass::TransientNegative => {
            "Temporary failure: the action did not happen, but may succeed if tried again later."
        }
        ReplyClass::PermanentNegative => {
            "Permanent failure: the action did not happen and repeating it unchanged will fail again."
        }
    };
    Explanation {
        summary,
        reference: "RFC 5321 §4.2.1",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_code_is_a_valid_reply_code_listed_once() {
        for (index, (value, _, _)) in KNOWN_CODES.iter().enumerate() {
            assert!(
                ReplyCode::new(*value).is_some(),
                "{value} is not a reply code"
            );
            assert!(
                KNOWN_CODES[index + 1..]
                    .iter()
                    .all(|(other, _, _)| other != value),
                "{value} listed twice"
            );
        }
    }

    #[test]
    fn known_code_has_its_own_explanation() {
        let explanation = reply_code(ReplyCode::START_MAIL_INPUT);
        assert!(explanation.summary.contains("<CRLF>.<CRLF>"));
        assert_eq!(explanation.reference, "RFC 5321 §4.1.1.4");
    }

    #[test]
    fn unknown_code_is_explained_by_its_class() {
        // 459 is not defined anywhere; a client treats it as any 4yz (§4.2.1).
        let explanation = reply_code(ReplyCode::new(459).unwrap());
        assert!(explanation.summary.starts_with("Temporary failure"));
        assert_eq!(explanation.reference, "RFC 5321 §4.2.1");
    }
}
