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
pub use topics::Topic;

/// What a step or an entry is explained by: a command, a reply code, an enhanced
/// status code or a topic. Its text form, the key of [`lookup`] and of a trace step,
/// is `command:EHLO`, `reply:250`, `enhanced:5.1.1` or `topic:retry`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Command(crate::syntax::Verb),
    Reply(crate::reply::ReplyCode),
    Enhanced(crate::reply::EnhancedCode),
    Topic(Topic),
}

impl core::fmt::Display for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Command(verb) => write!(f, "command:{}", verb.as_str()),
            Self::Reply(code) => write!(f, "reply:{code}"),
            Self::Enhanced(code) => write!(f, "enhanced:{code}"),
            Self::Topic(topic) => write!(f, "topic:{}", topic.name()),
        }
    }
}

impl Key {
    /// The key a text form names, if any.
    pub fn parse(key: &str) -> Option<Self> {
        let (kind, name) = key.split_once(':')?;
        match kind {
            "command" => crate::syntax::Verb::ALL
                .into_iter()
                .find(|verb| verb.as_str() == name)
                .map(Self::Command),
            "reply" => name
                .parse()
                .ok()
                .and_then(crate::reply::ReplyCode::new)
                .map(Self::Reply),
            "enhanced" => {
                let mut parts = name.split('.').map(str::parse::<u16>);
                match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some(Ok(class)), Some(Ok(subject)), Some(Ok(detail)), None) => {
                        crate::reply::EnhancedCode::new(u8::try_from(class).ok()?, subject, detail)
                            .map(Self::Enhanced)
                    }
                    _ => None,
                }
            }
            "topic" => Topic::ALL
                .into_iter()
                .find(|topic| topic.name() == name)
                .map(Self::Topic),
            _ => None,
        }
    }

    /// What it means.
    pub fn explanation(self) -> Explanation {
        match self {
            Self::Command(verb) => command(verb),
            Self::Reply(code) => reply_code(code),
            Self::Enhanced(code) => enhanced_code(code),
            Self::Topic(topic) => topic.explanation(),
        }
    }
}

/// What something means, and where the standard says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Explanation {
    /// One or two sentences for a reader who is learning SMTP.
    pub summary: &'static str,
    /// The defining document and section, e.g. `RFC 5321 §4.2.2`.
    pub reference: &'static str,
}

/// One entry of the reference: the key [`lookup`] takes, a label, and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub label: String,
    pub explanation: Explanation,
}

/// Everything there is to look up: every command, every reply code with an explanation
/// of its own, every defined enhanced status code (labelled `x.subject.detail`, since
/// the class only says success or failure), and every topic.
pub fn reference() -> Vec<Entry> {
    let commands = crate::syntax::Verb::ALL.into_iter().map(|verb| Entry {
        key: Key::Command(verb).to_string(),
        label: verb.as_str().to_owned(),
        explanation: command(verb),
    });
    let replies = (200..=559)
        .filter_map(crate::reply::ReplyCode::new)
        .filter(|code| is_known_reply_code(*code))
        .map(|code| Entry {
            key: Key::Reply(code).to_string(),
            label: code.value().to_string(),
            explanation: reply_code(code),
        });
    let enhanced = enhanced::defined().filter_map(|(subject, detail)| {
        let code = crate::reply::EnhancedCode::new(5, subject, detail)?;
        Some(Entry {
            key: Key::Enhanced(code).to_string(),
            label: format!("x.{subject}.{detail}"),
            explanation: enhanced_code(code),
        })
    });
    let topics = topics::TOPICS.iter().map(|(topic, explanation)| Entry {
        key: Key::Topic(*topic).to_string(),
        label: topic.name().replace('-', " "),
        explanation: *explanation,
    });
    commands
        .chain(replies)
        .chain(enhanced)
        .chain(topics)
        .collect()
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
    Key::parse(key).map(Key::explanation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_entry_is_a_key_that_resolves() {
        let entries = reference();
        assert!(entries.len() > 100, "{}", entries.len());
        for entry in &entries {
            assert_eq!(lookup(&entry.key), Some(entry.explanation), "{}", entry.key);
        }
        for label in ["EHLO", "550", "x.1.1", "no route"] {
            assert!(entries.iter().any(|entry| entry.label == label), "{label}");
        }
    }

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
