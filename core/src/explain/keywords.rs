//! What each line of an EHLO reply offers (RFC 5321 §4.1.1.1 and the extension that
//! defines each keyword). Keys are `keyword:<KEYWORD>`, e.g. `keyword:PIPELINING`.

use super::Source;

/// Every EHLO keyword wasmtp speaks, with what it means.
pub(super) const KEYWORDS: &[(&str, &str)] = &[
    ("PIPELINING", "RFC 2920 §3"),
    ("SIZE", "RFC 1870 §4"),
    ("8BITMIME", "RFC 6152 §2"),
    ("SMTPUTF8", "RFC 6531 §3.1"),
    ("ENHANCEDSTATUSCODES", "RFC 2034 §3"),
    ("CHUNKING", "RFC 3030 §2"),
    ("BINARYMIME", "RFC 3030 §3"),
    ("DSN", "RFC 3461 §4"),
    ("STARTTLS", "RFC 3207 §4"),
    ("REQUIRETLS", "RFC 8689 §4"),
    ("AUTH", "RFC 4954 §3"),
    ("LIMITS", "RFC 9422 §3"),
];

/// The keyword's entry (its spelling and reference), case aside.
fn entry(keyword: &str) -> Option<&'static (&'static str, &'static str)> {
    KEYWORDS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(keyword))
}

/// The keyword as wasmtp spells it, if it is one wasmtp offers or knows (case aside).
pub fn keyword(keyword: &str) -> Option<&'static str> {
    entry(keyword).map(|(known, _)| *known)
}

/// What a keyword offers: `keyword-<keyword>` in the catalog.
pub(super) fn keyword_source(keyword: &str) -> Source {
    let reference = entry(keyword).map_or("RFC 5321 §4.1.1.1", |(_, reference)| *reference);
    Source::new(
        format!("keyword-{}", keyword.to_ascii_lowercase()),
        reference,
    )
}
