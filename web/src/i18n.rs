//! The app's words in the reader's language: its own catalog (`web/locales/<language>/
//! ui.ftl`, Project Fluent), the language the reader chose (kept in the browser), and
//! a hook for the views. Explanations and lesson texts come from the core's catalogs.

use std::sync::OnceLock;

use gloo_storage::{LocalStorage, Storage as _};
use wasmtp_core::i18n::{Arg, Catalog, Language};
use yew::prelude::*;

/// Where the reader's choice of language is kept between visits.
const LANGUAGE_KEY: &str = "wasmtp.language";

/// The app's catalog source in `language`.
pub fn source(language: Language) -> &'static str {
    match language {
        Language::En => include_str!("../locales/en/ui.ftl"),
        Language::Az => include_str!("../locales/az/ui.ftl"),
    }
}

fn catalog(language: Language) -> &'static Catalog {
    static ENGLISH: OnceLock<Catalog> = OnceLock::new();
    static AZERBAIJANI: OnceLock<Catalog> = OnceLock::new();
    let slot = match language {
        Language::En => &ENGLISH,
        Language::Az => &AZERBAIJANI,
    };
    slot.get_or_init(|| Catalog::new(language, &[source(language)]))
}

/// The app's words in one language, for a view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Words(pub Language);

impl Words {
    /// Message `id`; in English when this language lacks it (the completeness test
    /// keeps that from happening), else the id itself, so nothing is ever blank.
    pub fn get(self, id: &str) -> String {
        self.with(id, &[])
    }

    /// Message `id` with `args` put in.
    pub fn with(self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        catalog(self.0)
            .format(id, args)
            .or_else(|| catalog(Language::En).format(id, args))
            .unwrap_or_else(|| id.to_owned())
    }

    pub fn language(self) -> Language {
        self.0
    }
}

/// The words of the language the app shows now (given by the app shell's context).
#[hook]
pub fn use_words() -> Words {
    use_context::<Words>().unwrap_or_default()
}

/// The language to open in: `?lang=az` in the address, else the reader's last choice,
/// else the first of the browser's languages the app speaks, else English.
pub fn initial_language() -> Language {
    let window = web_sys::window();
    let asked = window
        .as_ref()
        .and_then(|window| window.location().search().ok())
        .and_then(|query| {
            query
                .trim_start_matches('?')
                .split('&')
                .find_map(|pair| pair.strip_prefix("lang="))
                .and_then(Language::from_tag)
        });
    let kept = || {
        LocalStorage::get::<String>(LANGUAGE_KEY)
            .ok()
            .and_then(|tag| Language::from_tag(&tag))
    };
    let browser = || {
        let languages: Vec<String> = window
            .as_ref()
            .map(|window| window.navigator().languages())
            .map(|list| list.iter().filter_map(|tag| tag.as_string()).collect())
            .unwrap_or_default();
        Language::preferred(languages.iter().map(String::as_str))
    };
    asked.or_else(kept).unwrap_or_else(browser)
}

/// Keeps the reader's choice and tells the page (`<html lang>`, for screen readers,
/// hyphenation and the browser's own translation offer).
pub fn choose(language: Language) {
    let _ = LocalStorage::set(LANGUAGE_KEY, language.code());
    let document = gloo_utils::document();
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", language.code());
    }
    document.set_title(&Words(language).get("app-title"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtp_core::i18n::compare_catalogs;

    #[test]
    fn both_languages_define_the_same_messages() {
        let (missing, extra) =
            compare_catalogs(source(Language::En), source(Language::Az)).expect("both parse");
        assert!(missing.is_empty(), "missing in az/ui.ftl: {missing:?}");
        assert!(extra.is_empty(), "only in az/ui.ftl: {extra:?}");
    }

    #[test]
    fn every_message_the_app_names_is_in_the_catalog() {
        use wasmtp_core::sim::StepKind;
        let english = catalog(Language::En);
        let kinds = [
            StepKind::DnsQuery,
            StepKind::DnsAnswer,
            StepKind::Connect,
            StepKind::ConnectFailed,
            StepKind::Command,
            StepKind::Reply,
            StepKind::Data,
            StepKind::Tls,
            StepKind::Queue,
            StepKind::RetryScheduled,
            StepKind::Deliver,
            StepKind::Bounce,
            StepKind::Fetch,
            StepKind::Uucp,
            StepKind::Note,
        ];
        let named = crate::lessons::LESSONS
            .iter()
            .flat_map(|lesson| lesson.try_this.iter().map(|change| change.label.to_owned()))
            .chain(kinds.iter().map(|kind| format!("kind-{}", kind.label())))
            .chain(
                wasmtp_core::sim::ROLES
                    .iter()
                    .map(|role| format!("role-{role}")),
            );
        for id in named {
            assert!(english.text(&id).is_some(), "{id}");
        }
    }

    #[test]
    fn words_fill_in_their_arguments_in_each_language() {
        let args = [("done", 3.into()), ("total", 18.into())];
        assert_eq!(
            Words(Language::En).with("lessons-progress", &args),
            "3 of 18 played to the end"
        );
        assert_eq!(
            Words(Language::Az).with("lessons-progress", &args),
            "18 dərsdən 3 sona qədər oynadılıb"
        );
        assert_eq!(
            Words(Language::Az).get("no-such-message"),
            "no-such-message"
        );
    }
}
