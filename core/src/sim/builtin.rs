//! The built-in scenarios, in teaching order. Each is a JSON file beside this one, in
//! the same format a learner can edit.

use super::scenario::Scenario;
use crate::i18n::{Language, core_catalog};

/// `(id, JSON)` of every built-in scenario.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("first-email", include_str!("scenarios/first-email.json")),
    ("imap", include_str!("scenarios/imap.json")),
    (
        "mx-preference",
        include_str!("scenarios/mx-preference.json"),
    ),
    ("backup-mx", include_str!("scenarios/backup-mx.json")),
    (
        "equal-preferences",
        include_str!("scenarios/equal-preferences.json"),
    ),
    ("no-mx", include_str!("scenarios/no-mx.json")),
    ("null-mx", include_str!("scenarios/null-mx.json")),
    ("greylisting", include_str!("scenarios/greylisting.json")),
    ("unknown-user", include_str!("scenarios/unknown-user.json")),
    ("too-large", include_str!("scenarios/too-large.json")),
    ("old-server", include_str!("scenarios/old-server.json")),
    ("pipelining", include_str!("scenarios/pipelining.json")),
    ("smtputf8", include_str!("scenarios/smtputf8.json")),
    (
        "smtp-smuggling",
        include_str!("scenarios/smtp-smuggling.json"),
    ),
    ("early-talker", include_str!("scenarios/early-talker.json")),
    ("starttls", include_str!("scenarios/starttls.json")),
    ("srv-routing", include_str!("scenarios/srv-routing.json")),
    ("multi-hop", include_str!("scenarios/multi-hop.json")),
    ("before-smtp", include_str!("scenarios/before-smtp.json")),
];

/// The built-in scenario `id`.
pub fn built_in(id: &str) -> Option<Scenario> {
    BUILT_IN
        .iter()
        .find(|(known, _)| *known == id)
        .and_then(|(_, json)| Scenario::from_json(json).ok())
}

/// A scenario's text for a reader: its title, introduction and what to notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonText {
    pub title: String,
    pub intro: String,
    pub notice: Vec<String>,
}

impl Scenario {
    /// Its text in `language`: a built-in scenario's translation from the core's
    /// `lessons.ftl` (`<id>-title`, `<id>-intro`, `<id>-notice-<n>`), else the
    /// scenario's own words (English for the built-in ones; a learner's own scenario
    /// reads as they wrote it).
    pub fn text_in(&self, language: Language) -> LessonText {
        let own = LessonText {
            title: self.title.clone(),
            intro: self.intro.clone(),
            notice: self.notice.clone(),
        };
        let catalog = core_catalog(language);
        // A built-in lesson changed in the sandbox keeps its translation while its words
        // are still the original's.
        let own_words_are_the_originals = built_in(&self.id).is_some_and(|original| {
            (&original.title, &original.intro, &original.notice)
                == (&self.title, &self.intro, &self.notice)
        });
        if language == Language::En || !own_words_are_the_originals {
            return own;
        }
        let text = |part: &str, own: &str| {
            catalog
                .text(&format!("{}-{part}", self.id))
                .unwrap_or_else(|| own.to_owned())
        };
        LessonText {
            title: text("title", &own.title),
            intro: text("intro", &own.intro),
            notice: own
                .notice
                .iter()
                .enumerate()
                .map(|(index, notice)| text(&format!("notice-{}", index + 1), notice))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_lesson_is_translated_whole_and_nothing_else_is() {
        let mut expected = std::collections::BTreeSet::new();
        for (id, _) in BUILT_IN {
            let scenario = built_in(id).unwrap();
            expected.insert(format!("{id}-title"));
            expected.insert(format!("{id}-intro"));
            for number in 1..=scenario.notice.len() {
                expected.insert(format!("{id}-notice-{number}"));
            }
        }
        let translated =
            crate::i18n::message_ids(include_str!("../../locales/az/lessons.ftl")).unwrap();
        let missing: Vec<_> = expected.difference(&translated).collect();
        let extra: Vec<_> = translated.difference(&expected).collect();
        assert!(missing.is_empty(), "missing in az/lessons.ftl: {missing:?}");
        assert!(extra.is_empty(), "not a lesson's text: {extra:?}");
    }

    #[test]
    fn a_lesson_reads_in_the_chosen_language_and_a_changed_one_as_written() {
        let scenario = built_in("greylisting").unwrap();
        let azerbaijani = scenario.text_in(Language::Az);
        assert_eq!(
            azerbaijani.title,
            "Boz siyahı: bir az sonra yenidən cəhd edin"
        );
        assert_eq!(azerbaijani.notice.len(), scenario.notice.len());
        assert_eq!(scenario.text_in(Language::En).title, scenario.title);
        let mut changed = scenario.clone();
        changed.hosts.clear();
        assert_eq!(changed.text_in(Language::Az), azerbaijani);
        changed.title = "My greylisting".into();
        assert_eq!(changed.text_in(Language::Az).title, "My greylisting");
    }
}
