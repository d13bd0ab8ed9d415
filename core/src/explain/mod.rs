//! Teaching text: what every command, reply code and enhanced status code means, each
//! with the RFC section that defines it.
//!
//! The simulator, the edge API and the library component all explain SMTP with these
//! words, so a learner reads the same explanation wherever they meet wasmtp.

mod commands;
mod enhanced;
mod replies;
mod topics;

pub use commands::command;
pub use enhanced::{enhanced_code, is_known as is_known_enhanced_code};
pub use replies::{reply_class, reply_code};
pub use topics::topic;

/// What something means, and where the standard says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Explanation {
    /// One or two sentences for a reader who is learning SMTP.
    pub summary: &'static str,
    /// The defining document and section, e.g. `RFC 5321 §4.2.2`.
    pub reference: &'static str,
}

/// Whether `code` has an explanation of its own (not only its class's).
pub fn is_known_reply_code(code: crate::reply::ReplyCode) -> bool {
    replies::KNOWN_CODES
        .iter()
        .any(|(value, _, _)| *value == code.value())
}

/// The explanation a key names: `command:EHLO`, `reply:250`, `enhanced:5.1.1` or
/// `topic:retry` (the keys the simulator's steps carry).
pub fn lookup(key: &str) -> Option<Explanation> {
    let (kind, name) = key.split_once(':')?;
    match kind {
        "command" => crate::syntax::Verb::ALL
            .into_iter()
            .find(|verb| verb.as_str() == name)
            .map(command),
        "reply" => name
            .parse()
            .ok()
            .and_then(crate::reply::ReplyCode::new)
            .map(reply_code),
        "enhanced" => {
            let mut parts = name.split('.').map(str::parse::<u16>);
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(Ok(class)), Some(Ok(subject)), Some(Ok(detail)), None) => {
                    crate::reply::EnhancedCode::new(u8::try_from(class).ok()?, subject, detail)
                        .map(enhanced_code)
                }
                _ => None,
            }
        }
        "topic" => topic(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_every_kind_resolve_and_unknown_ones_do_not() {
        for key in ["command:EHLO", "reply:250", "enhanced:5.1.1", "topic:retry"] {
            assert!(lookup(key).is_some(), "{key}");
        }
        for key in [
            "command:FROB",
            "reply:999",
            "enhanced:5.1",
            "topic:nope",
            "retry",
        ] {
            assert!(lookup(key).is_none(), "{key}");
        }
    }
}
