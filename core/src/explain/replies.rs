//! Reply codes (RFC 5321 §4.2 and the extensions' codes).

use super::Source;
use crate::reply::{ReplyClass, ReplyCode};

/// Every reply code the SMTP standards define, with what it tells the client.
/// RFC 5321 §4.2.2 lists the base codes; the extensions add theirs.
pub(super) const KNOWN_CODES: &[(u16, &str)] = &[
    (211, "RFC 5321 §4.2.2"),
    (214, "RFC 5321 §4.2.2"),
    (220, "RFC 5321 §4.3.1"),
    (221, "RFC 5321 §4.1.1.10"),
    (235, "RFC 4954 §6"),
    (250, "RFC 5321 §4.2.2"),
    (251, "RFC 5321 §3.4"),
    (252, "RFC 5321 §3.5.3"),
    (334, "RFC 4954 §4"),
    (354, "RFC 5321 §4.1.1.4"),
    (421, "RFC 5321 §3.8"),
    (432, "RFC 4954 §6"),
    (450, "RFC 5321 §4.2.2"),
    (451, "RFC 5321 §4.2.2"),
    (452, "RFC 5321 §4.5.3.1.10"),
    (454, "RFC 4954 §6"),
    (455, "RFC 5321 §4.2.2"),
    (500, "RFC 5321 §4.2.2"),
    (501, "RFC 5321 §4.2.2"),
    (502, "RFC 5321 §4.2.4"),
    (503, "RFC 5321 §4.3.2"),
    (504, "RFC 5321 §4.2.2"),
    (521, "RFC 7504 §3"),
    (523, "RFC 5248 §2.4"),
    (530, "RFC 4954 §6"),
    (534, "RFC 4954 §6"),
    (535, "RFC 4954 §6"),
    (538, "RFC 4954 §6"),
    (550, "RFC 5321 §4.2.2"),
    (551, "RFC 5321 §3.4"),
    (552, "RFC 5321 §4.2.2"),
    (553, "RFC 5321 §4.2.2"),
    (554, "RFC 5321 §3.1"),
    (555, "RFC 5321 §4.2.2"),
    (556, "RFC 7504 §3"),
];

/// Explains a reply code: `reply-<code>` in the catalog. Codes no standard defines are
/// explained by their first digit (RFC 5321 §4.2.1), which is what a client must act on
/// anyway.
pub(super) fn reply_code(code: ReplyCode) -> Source {
    KNOWN_CODES
        .iter()
        .find(|(value, _)| *value == code.value())
        .map(|&(value, reference)| Source::new(format!("reply-{value}"), reference))
        .unwrap_or_else(|| reply_class(code.class()))
}

/// What the first digit of a reply tells the client: `reply-class-<digit>`.
fn reply_class(class: ReplyClass) -> Source {
    let digit = match class {
        ReplyClass::PositiveCompletion => 2,
        ReplyClass::PositiveIntermediate => 3,
        ReplyClass::TransientNegative => 4,
        ReplyClass::PermanentNegative => 5,
    };
    Source::new(format!("reply-class-{digit}"), "RFC 5321 §4.2.1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Key;

    #[test]
    fn every_known_code_is_a_valid_reply_code_listed_once() {
        for (index, (value, _)) in KNOWN_CODES.iter().enumerate() {
            assert!(
                ReplyCode::new(*value).is_some(),
                "{value} is not a reply code"
            );
            assert!(
                KNOWN_CODES[index + 1..]
                    .iter()
                    .all(|(other, _)| other != value),
                "{value} listed twice"
            );
        }
    }

    #[test]
    fn known_code_has_its_own_explanation() {
        let explanation = Key::Reply(ReplyCode::START_MAIL_INPUT).explanation();
        assert!(explanation.summary.contains("<CRLF>.<CRLF>"));
        assert_eq!(explanation.reference, "RFC 5321 §4.1.1.4");
    }

    #[test]
    fn unknown_code_is_explained_by_its_class() {
        // 459 is not defined anywhere; a client treats it as any 4yz (§4.2.1).
        let explanation = Key::Reply(ReplyCode::new(459).unwrap()).explanation();
        assert!(explanation.summary.starts_with("Temporary failure"));
        assert_eq!(explanation.reference, "RFC 5321 §4.2.1");
    }
}
