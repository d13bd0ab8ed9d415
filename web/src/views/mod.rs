//! The pages and their parts. Each takes what it shows as properties and reports what
//! the learner does as actions for the reducer.

pub mod challenges;
pub mod exercises;
pub mod lessons;
pub mod message;
pub mod network;
pub mod player;
pub mod reference;
pub mod sandbox;
pub mod sequence;
pub mod terminal;

use yew::Callback;

use crate::state::Action;

/// A host's name as the learner reads it: the engine names a mail client after its
/// owner, `alice@example.net (mail client)`; the words in brackets are the reader's.
pub fn host_name(words: crate::i18n::Words, name: &str) -> String {
    match name.strip_suffix(" (mail client)") {
        Some(owner) => words.with("host-mail-client", &[("owner", owner.into())]),
        None => name.to_owned(),
    }
}

/// How a view asks for a change.
pub type Dispatch = Callback<Action>;

/// `+hh:mm:ss.mmm` on the simulation's virtual clock.
pub fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    format!(
        "+{:02}:{:02}:{:02}.{:03}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        ms % 1000
    )
}

/// A link to the RFC section a reference names ("RFC 5321 §4.1.1.4" → rfc-editor.org),
/// for the first RFC it names; `None` when it names none.
pub fn rfc_link(reference: &str) -> Option<String> {
    let rest = reference.split("RFC ").nth(1)?;
    let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if number.is_empty() {
        return None;
    }
    let section = rest
        .split('§')
        .nth(1)
        .map(|section| {
            section
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>()
        })
        .map(|section| section.trim_end_matches('.').to_owned())
        .filter(|section| !section.is_empty());
    Some(match section {
        Some(section) => format!("https://www.rfc-editor.org/rfc/rfc{number}#section-{section}"),
        None => format!("https://www.rfc-editor.org/rfc/rfc{number}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_hours_minutes_seconds() {
        assert_eq!(clock(0), "+00:00:00.000");
        assert_eq!(clock(2_101_188), "+00:35:01.188");
    }

    #[test]
    fn rfc_references_become_links_to_their_section() {
        assert_eq!(
            rfc_link("RFC 5321 §4.1.1.4").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.4")
        );
        assert_eq!(
            rfc_link("RFC 6409 §3; RFC 8314 §3").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc6409#section-3")
        );
        assert_eq!(
            rfc_link("RFC 7505").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc7505")
        );
        assert_eq!(rfc_link("the Postfix documentation"), None);
    }
}
