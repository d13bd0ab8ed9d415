//! Enhanced mail system status codes `class.subject.detail` (RFC 3463, and the codes the
//! IANA registry of RFC 5248 added since).

use super::Source;
use crate::reply::EnhancedCode;

/// Subject and detail, what they mean, and where they are defined.
const KNOWN_CODES: &[(u16, u16, &str)] = &[
    (0, 0, "RFC 3463 §3.1"),
    (1, 0, "RFC 3463 §3.2"),
    (1, 1, "RFC 3463 §3.2"),
    (1, 2, "RFC 3463 §3.2"),
    (1, 3, "RFC 3463 §3.2"),
    (1, 4, "RFC 3463 §3.2"),
    (1, 5, "RFC 3463 §3.2"),
    (1, 6, "RFC 3463 §3.2"),
    (1, 7, "RFC 3463 §3.2"),
    (1, 8, "RFC 3463 §3.2"),
    (1, 9, "RFC 3886 §3.1"),
    (1, 10, "RFC 7505 §4.2"),
    (2, 0, "RFC 3463 §3.3"),
    (2, 1, "RFC 3463 §3.3"),
    (2, 2, "RFC 3463 §3.3"),
    (2, 3, "RFC 3463 §3.3"),
    (2, 4, "RFC 3463 §3.3"),
    (3, 0, "RFC 3463 §3.4"),
    (3, 1, "RFC 3463 §3.4"),
    (3, 2, "RFC 3463 §3.4"),
    (3, 3, "RFC 3463 §3.4"),
    (3, 4, "RFC 3463 §3.4"),
    (3, 5, "RFC 3463 §3.4"),
    (4, 0, "RFC 3463 §3.5"),
    (4, 1, "RFC 3463 §3.5"),
    (4, 2, "RFC 3463 §3.5"),
    (4, 3, "RFC 3463 §3.5"),
    (4, 4, "RFC 3463 §3.5"),
    (4, 5, "RFC 3463 §3.5"),
    (4, 6, "RFC 3463 §3.5"),
    (4, 7, "RFC 3463 §3.5"),
    (5, 0, "RFC 3463 §3.6"),
    (5, 1, "RFC 3463 §3.6"),
    (5, 2, "RFC 3463 §3.6"),
    (5, 3, "RFC 3463 §3.6"),
    (5, 4, "RFC 3463 §3.6"),
    (5, 5, "RFC 3463 §3.6"),
    (5, 6, "RFC 4954 §6"),
    (6, 0, "RFC 3463 §3.7"),
    (6, 1, "RFC 3463 §3.7"),
    (6, 2, "RFC 3463 §3.7"),
    (6, 3, "RFC 3463 §3.7"),
    (6, 4, "RFC 3463 §3.7"),
    (6, 5, "RFC 3463 §3.7"),
    (6, 6, "RFC 4468 §5"),
    (6, 7, "RFC 6531 §3.6"),
    (6, 8, "RFC 6531 §3.6"),
    (6, 9, "RFC 6531 §3.6"),
    (7, 0, "RFC 3463 §3.8"),
    (7, 1, "RFC 3463 §3.8"),
    (7, 2, "RFC 3463 §3.8"),
    (7, 3, "RFC 3463 §3.8"),
    (7, 4, "RFC 3463 §3.8"),
    (7, 5, "RFC 3463 §3.8"),
    (7, 6, "RFC 3463 §3.8"),
    (7, 7, "RFC 3463 §3.8"),
    (7, 8, "RFC 4954 §6"),
    (7, 9, "RFC 4954 §6"),
    (7, 10, "RFC 5248 §2.4"),
    (7, 11, "RFC 4954 §6"),
    (7, 12, "RFC 4954 §6"),
    (7, 13, "RFC 5248 §2.4"),
    (7, 14, "RFC 5248 §2.4"),
    (7, 15, "RFC 6710 §5"),
    (7, 16, "RFC 6710 §5"),
    (7, 17, "RFC 7293 §5"),
    (7, 18, "RFC 7293 §5"),
    (7, 19, "RFC 7293 §5"),
    (7, 20, "RFC 7372 §3.1"),
    (7, 21, "RFC 7372 §3.1"),
    (7, 22, "RFC 7372 §3.1"),
    (7, 23, "RFC 7372 §3.2"),
    (7, 24, "RFC 7372 §3.2"),
    (7, 25, "RFC 7372 §3.3"),
    (7, 26, "RFC 7372 §3.4"),
    (7, 27, "RFC 7505 §4.2"),
    (7, 29, "RFC 8617 §5.2.3"),
    (7, 30, "RFC 8689 §5"),
];

/// What the class of an enhanced code says (RFC 3463 §3.1).
/// Explains an enhanced status code by its subject and detail (`enhanced-<subject>-<detail>`
/// in the catalog); a detail no standard defines is explained by its subject
/// (`X.subject.0`), an undefined subject by its class (`enhanced-class-<class>`). The
/// class is in the reply code's explanation already, so this one speaks of the subject
/// and detail.
pub(super) fn enhanced_code(code: EnhancedCode) -> Source {
    let known = |subject: u16, detail: u16| {
        KNOWN_CODES
            .iter()
            .find(|(s, d, _)| *s == subject && *d == detail)
            .map(|&(_, _, reference)| {
                Source::new(format!("enhanced-{subject}-{detail}"), reference)
            })
    };
    known(code.subject(), code.detail())
        .or_else(|| known(code.subject(), 0))
        .unwrap_or_else(|| Source::new(format!("enhanced-class-{}", code.class()), "RFC 3463 §3.1"))
}

/// Every defined subject and detail, in the registry's order.
pub fn defined() -> impl Iterator<Item = (u16, u16)> {
    KNOWN_CODES
        .iter()
        .map(|&(subject, detail, _)| (subject, detail))
}

/// Whether the subject and detail of `code` are defined.
pub fn is_known(code: EnhancedCode) -> bool {
    KNOWN_CODES
        .iter()
        .any(|(subject, detail, _)| *subject == code.subject() && *detail == code.detail())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Key;

    #[test]
    fn every_code_is_listed_once_and_valid() {
        for (index, (subject, detail, _)) in KNOWN_CODES.iter().enumerate() {
            assert!(EnhancedCode::new(5, *subject, *detail).is_some());
            assert!(
                KNOWN_CODES[index + 1..]
                    .iter()
                    .all(|(s, d, _)| (s, d) != (subject, detail)),
                "{subject}.{detail} listed twice"
            );
        }
    }

    #[test]
    fn unknown_detail_falls_back_to_its_subject() {
        let explain = |class, subject, detail| {
            Key::Enhanced(EnhancedCode::new(class, subject, detail).unwrap()).explanation()
        };
        assert_eq!(explain(5, 1, 99), explain(5, 1, 0));
        assert!(!is_known(EnhancedCode::new(5, 1, 99).unwrap()));
        assert!(explain(4, 9, 9).summary.starts_with("Persistent"));
    }
}
