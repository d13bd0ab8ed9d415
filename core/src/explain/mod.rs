//! Teaching text: what every command, reply code and enhanced status code means, each
//! with the RFC section that defines it.
//!
//! The simulator, the edge API and the library component all explain SMTP with these
//! words, so a learner reads the same explanation wherever they meet wasmtp. The words
//! are messages of the core's catalogs (`core/locales/<language>/explain.ftl`, see
//! [`crate::i18n`]); the references, which no translation changes, are kept here.

mod answers;
mod commands;
mod enhanced;
mod keywords;
mod replies;
mod topics;

pub use answers::{Answering, has_answer};
pub use enhanced::is_known as is_known_enhanced_code;
pub use keywords::keyword;
pub use topics::Topic;

use crate::i18n::{Language, core_catalog};

/// Where an explanation comes from: its message in the catalogs and its reference.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Source {
    id: String,
    reference: &'static str,
}

impl Source {
    fn new(id: String, reference: &'static str) -> Self {
        Self { id, reference }
    }

    /// Its explanation in `language`; in English when the catalog lacks it (the
    /// completeness test keeps that from happening).
    fn explanation(&self, language: Language) -> Explanation {
        let summary = core_catalog(language)
            .text(&self.id)
            .or_else(|| core_catalog(Language::En).text(&self.id))
            .unwrap_or_default();
        Explanation {
            summary,
            reference: self.reference,
        }
    }
}

/// What a step or an entry is explained by: a command, a reply code, a reply in its
/// place, an enhanced status code, an EHLO keyword or a topic. Its text form, the key
/// of [`lookup`] and of a trace step, is `command:EHLO`, `reply:250`,
/// `answer:RCPT:250`, `enhanced:5.1.1`, `keyword:PIPELINING` or `topic:retry`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Command(crate::syntax::Verb),
    Reply(crate::reply::ReplyCode),
    /// A reply whose meaning depends on what it answers (see [`has_answer`]).
    Answer(Answering, crate::reply::ReplyCode),
    Enhanced(crate::reply::EnhancedCode),
    /// An EHLO keyword, upper-case, one of [`keyword`]'s.
    Keyword(&'static str),
    Topic(Topic),
}

impl core::fmt::Display for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Command(verb) => write!(f, "command:{}", verb.as_str()),
            Self::Reply(code) => write!(f, "reply:{code}"),
            Self::Answer(answering, code) => write!(f, "answer:{}:{code}", answering.name()),
            Self::Enhanced(code) => write!(f, "enhanced:{code}"),
            Self::Keyword(keyword) => write!(f, "keyword:{keyword}"),
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
            "answer" => {
                let (answering, code) = name.rsplit_once(':')?;
                let answering = Answering::parse(answering)?;
                let code = crate::reply::ReplyCode::new(code.parse().ok()?)?;
                has_answer(answering, code.value()).then_some(Self::Answer(answering, code))
            }
            "keyword" => keyword(name).map(Self::Keyword),
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

    /// Its short name, as a reader meets it: `EHLO`, `250`, `250 to RCPT`, `4.7.1`,
    /// `PIPELINING`, `greylisting`.
    pub fn label(self) -> String {
        self.label_in(Language::En)
    }

    /// Its short name in `language` (codes and keywords read the same in every one).
    pub fn label_in(self, language: Language) -> String {
        let catalog = core_catalog(language);
        match self {
            Self::Command(verb) => verb.as_str().to_owned(),
            Self::Reply(code) => code.to_string(),
            Self::Answer(answering, code) => {
                let answering = match answering {
                    Answering::Command(verb) => verb.as_str().to_owned(),
                    _ => catalog
                        .text(&format!("answering-{}", answering.name()))
                        .unwrap_or_else(|| answering.name().replace('-', " ")),
                };
                let code = code.to_string();
                catalog
                    .format(
                        "answer-label",
                        &[("code", (&code).into()), ("answering", (&answering).into())],
                    )
                    .unwrap_or_else(|| format!("{code} to {answering}"))
            }
            Self::Enhanced(code) => code.to_string(),
            Self::Keyword(keyword) => keyword.to_owned(),
            Self::Topic(topic) => catalog
                .text(&format!("topic-{}.label", topic.name()))
                .unwrap_or_else(|| topic.name().replace('-', " ")),
        }
    }

    /// What it means, in English.
    pub fn explanation(self) -> Explanation {
        self.explanation_in(Language::En)
    }

    /// What it means, in `language`.
    pub fn explanation_in(self, language: Language) -> Explanation {
        self.source().explanation(language)
    }

    fn source(self) -> Source {
        match self {
            Self::Command(verb) => commands::command(verb),
            Self::Reply(code) => replies::reply_code(code),
            Self::Answer(answering, code) => answers::answer(answering, code.value())
                .unwrap_or_else(|| replies::reply_code(code)),
            Self::Enhanced(code) => enhanced::enhanced_code(code),
            Self::Keyword(name) => keywords::keyword_source(name),
            Self::Topic(topic) => topic.source(),
        }
    }
}

/// What something means, and where the standard says so.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Explanation {
    /// One or two sentences for a reader who is learning SMTP.
    pub summary: String,
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

impl Entry {
    /// Whether a reader's search finds this entry: its label, or words of its summary
    /// or reference, case aside. An enhanced code typed as a reply shows it (`5.1.1`,
    /// `4.7.1`) finds its entry, labelled by subject and detail (`x.1.1`).
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return true;
        }
        let as_enhanced = query
            .strip_prefix(['2', '4', '5'])
            .filter(|rest| rest.starts_with('.'))
            .map(|rest| format!("x{rest}"));
        if as_enhanced.as_deref() == Some(self.label.as_str()) {
            return true;
        }
        [
            self.label.as_str(),
            self.explanation.summary.as_str(),
            self.explanation.reference,
        ]
        .iter()
        .any(|text| text.to_lowercase().contains(&query))
    }
}

/// Everything there is to look up, in English.
pub fn reference() -> Vec<Entry> {
    reference_in(Language::En)
}

/// Everything there is to look up, in `language`: every command, every reply code with
/// an explanation of its own, every reply with a meaning of its own in its place, every
/// defined enhanced status code (labelled `x.subject.detail`, since the class only says
/// success or failure), every EHLO keyword and every topic.
pub fn reference_in(language: Language) -> Vec<Entry> {
    let commands = crate::syntax::Verb::ALL.into_iter().map(Key::Command);
    let replies = (200..=559)
        .filter_map(crate::reply::ReplyCode::new)
        .filter(|code| is_known_reply_code(*code))
        .map(Key::Reply);
    let answers = answers::ANSWERS.iter().filter_map(|(answering, value, _)| {
        crate::reply::ReplyCode::new(*value).map(|code| Key::Answer(*answering, code))
    });
    let enhanced = enhanced::defined()
        .filter_map(|(subject, detail)| crate::reply::EnhancedCode::new(5, subject, detail))
        .map(Key::Enhanced);
    let keywords = keywords::KEYWORDS
        .iter()
        .map(|(name, _)| Key::Keyword(name));
    let topics = topics::TOPICS.iter().map(|(topic, _)| Key::Topic(*topic));
    commands
        .chain(replies)
        .chain(answers)
        .chain(enhanced)
        .chain(keywords)
        .chain(topics)
        .map(|key| Entry {
            key: key.to_string(),
            label: match key {
                Key::Enhanced(code) => format!("x.{}.{}", code.subject(), code.detail()),
                _ => key.label_in(language),
            },
            explanation: key.explanation_in(language),
        })
        .collect()
}

/// Whether `code` has an explanation of its own (not only its class's).
pub fn is_known_reply_code(code: crate::reply::ReplyCode) -> bool {
    replies::KNOWN_CODES
        .iter()
        .any(|(value, _)| *value == code.value())
}

/// The explanation a key names: `command:EHLO`, `reply:250`, `enhanced:5.1.1` or
/// `topic:retry` (the keys the simulator's steps carry).
pub fn lookup(key: &str) -> Option<Explanation> {
    lookup_in(key, Language::En)
}

/// The explanation a key names, in `language`.
pub fn lookup_in(key: &str, language: Language) -> Option<Explanation> {
    Key::parse(key).map(|key| key.explanation_in(language))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_entry_is_a_key_that_resolves() {
        let entries = reference();
        assert!(entries.len() > 100, "{}", entries.len());
        for entry in &entries {
            assert_eq!(
                lookup(&entry.key).as_ref(),
                Some(&entry.explanation),
                "{}",
                entry.key
            );
        }
        for label in ["EHLO", "550", "x.1.1", "no route"] {
            assert!(entries.iter().any(|entry| entry.label == label), "{label}");
        }
    }

    #[test]
    fn a_search_finds_codes_as_they_are_typed() {
        let entries = reference();
        let found = |query: &str| -> Vec<String> {
            entries
                .iter()
                .filter(|entry| entry.matches(query))
                .map(|entry| entry.label.clone())
                .collect()
        };
        for (query, label) in [
            ("5.1.1", "x.1.1"),
            ("4.7.1", "x.7.1"),
            ("550", "550"),
            ("DSN", "DSN"),
            ("dsn", "DSN"),
            ("RCPT", "RCPT"),
            ("pipelining", "PIPELINING"),
            ("250 to RCPT", "250 to RCPT"),
        ] {
            assert!(
                found(query).contains(&label.to_owned()),
                "{query}: {:?}",
                found(query)
            );
        }
        assert_eq!(found("").len(), entries.len());
        assert!(found("zzz-nothing").is_empty());
    }

    #[test]
    fn keys_of_every_kind_resolve_and_unknown_ones_do_not() {
        for key in [
            "command:EHLO",
            "reply:250",
            "answer:RCPT:250",
            "answer:end-of-data:250",
            "answer:greeting:220",
            "enhanced:5.1.1",
            "keyword:PIPELINING",
            "topic:retry",
        ] {
            assert!(lookup(key).is_some(), "{key}");
        }
        for key in [
            "command:FROB",
            "reply:999",
            "enhanced:5.1",
            "topic:nope",
            "answer:RCPT:550",
            "answer:FROB:250",
            "keyword:XFROB",
            "retry",
        ] {
            assert!(lookup(key).is_none(), "{key}");
        }
    }

    #[test]
    fn explanations_and_labels_read_in_azerbaijani() {
        let english = lookup("answer:RCPT:250").unwrap();
        let azerbaijani = lookup_in("answer:RCPT:250", Language::Az).unwrap();
        assert!(
            azerbaijani.summary.contains("alıcı"),
            "{}",
            azerbaijani.summary
        );
        assert_ne!(azerbaijani.summary, english.summary);
        assert_eq!(azerbaijani.reference, english.reference);
        let key = Key::parse("answer:end-of-data:250").unwrap();
        assert_eq!(key.label(), "250 to end of data");
        assert_eq!(key.label_in(Language::Az), "məlumatın sonu üçün 250");
        let entries = reference_in(Language::Az);
        assert_eq!(entries.len(), reference().len());
        for (query, label) in [
            ("5.1.1", "x.1.1"),
            ("boz siyahı", "boz siyahı"),
            ("DSN", "DSN"),
        ] {
            assert!(
                entries
                    .iter()
                    .any(|entry| entry.matches(query) && entry.label == label),
                "{query}"
            );
        }
    }
}
