//! Languages and their message catalogs, in Project Fluent's format (`.ftl`).
//!
//! wasmtp teaches in English and Azerbaijani. Every text a learner reads — an
//! explanation, a lesson, a label of the web app — is a message in a catalog, one file
//! per language and part; a test fails when a message is missing in either language.
//! The core's catalogs hold the explanations (`explain.ftl`) and the built-in lessons'
//! Azerbaijani text (`lessons.ftl`; their English is the scenario files' own).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

/// A language wasmtp speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    En,
    /// Azerbaijani, in Latin script.
    Az,
}

impl Language {
    pub const ALL: [Self; 2] = [Self::En, Self::Az];

    /// Its BCP 47 tag: `en`, `az`.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Az => "az",
        }
    }

    /// Its name in itself, for a language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Az => "Azərbaycanca",
        }
    }

    /// The language a BCP 47 tag names by its primary subtag (`az-Latn-AZ` → `Az`),
    /// case aside; `None` for one wasmtp does not speak.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Self::ALL
            .into_iter()
            .find(|language| primary.eq_ignore_ascii_case(language.code()))
    }

    /// The first of a reader's preferred languages (a browser's `navigator.languages`,
    /// an HTTP `Accept-Language` list without weights) that wasmtp speaks; English when
    /// none is.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Self {
        tags.into_iter()
            .find_map(Self::from_tag)
            .unwrap_or_default()
    }

    /// The language an HTTP `Accept-Language` field prefers (RFC 9110 §12.5.4): the
    /// spoken one of highest weight, the earlier of equal weights; `None` when it
    /// names none wasmtp speaks (or refuses them with `q=0`).
    pub fn from_accept_language(field: &str) -> Option<Self> {
        let mut best: Option<(Self, u16)> = None;
        for range in field.split(',') {
            let mut parts = range.split(';');
            let Some(language) = parts.next().and_then(Self::from_tag) else {
                continue;
            };
            let weight = parts
                .find_map(|parameter| parameter.trim().strip_prefix("q="))
                .map_or(Some(1000), weight_in_thousandths);
            if let Some(weight) = weight.filter(|&weight| weight > 0)
                && best.is_none_or(|(_, best)| weight > best)
            {
                best = Some((language, weight));
            }
        }
        best.map(|(language, _)| language)
    }
}

/// A `q` value (`0`, `0.5`, `1.000`) in thousandths; `None` when it is not one.
fn weight_in_thousandths(value: &str) -> Option<u16> {
    let (whole, fraction) = value.trim().split_once('.').unwrap_or((value.trim(), ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// A value to put into a message (`{ $count }`).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Self::Text(text)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Self::Text(text)
    }
}

impl From<usize> for Arg<'_> {
    fn from(number: usize) -> Self {
        // Counts in a lesson are small; f64 holds them exactly.
        Self::Number(number as f64)
    }
}

/// The messages of one language, from one or more `.ftl` sources.
pub struct Catalog {
    language: Language,
    bundle: FluentBundle<FluentResource>,
}

impl core::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Catalog")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Catalog {
    /// A catalog of `sources` in `language`. A source with syntax errors keeps the
    /// messages that parse (the completeness test reports the others); a message
    /// defined twice keeps its first definition.
    pub fn new(language: Language, sources: &[&str]) -> Self {
        let tag = language
            .code()
            .parse()
            .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
        let mut bundle = FluentBundle::new_concurrent(vec![tag]);
        // Plain text for terminals, JSON and the DOM: no Unicode isolation marks
        // around placeables.
        bundle.set_use_isolating(false);
        for source in sources {
            let resource = FluentResource::try_new((*source).to_owned())
                .unwrap_or_else(|(partial, _errors)| partial);
            bundle.add_resource_overriding(resource);
        }
        Self { language, bundle }
    }

    /// The text of message `id` (or `id.attribute`), if the catalog has it.
    pub fn text(&self, id: &str) -> Option<String> {
        self.format(id, &[])
    }

    /// The text of message `id` (or `id.attribute`) with `args` put in.
    pub fn format(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        let (message, attribute) = match id.split_once('.') {
            Some((message, attribute)) => (message, Some(attribute)),
            None => (id, None),
        };
        let message = self.bundle.get_message(message)?;
        let pattern = match attribute {
            Some(attribute) => message.get_attribute(attribute)?.value(),
            None => message.value()?,
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Text(text) => FluentValue::from(*text),
                Arg::Number(number) => FluentValue::from(*number),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some(text.into_owned())
    }
}

/// The messages (`id`) and attributes (`id.attribute`) that `source` defines, each with
/// the variables it uses, for the completeness tests of every catalog; or its syntax
/// errors.
pub fn messages(source: &str) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((_, errors)) => return Err(format!("{errors:?}")),
    };
    let mut found = BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let id = message.id.name;
            if let Some(value) = &message.value {
                found.insert(id.to_owned(), variables(value));
            }
            for attribute in &message.attributes {
                found.insert(
                    format!("{id}.{}", attribute.id.name),
                    variables(&attribute.value),
                );
            }
        }
    }
    Ok(found)
}

/// The ids of [`messages`].
pub fn message_ids(source: &str) -> Result<BTreeSet<String>, String> {
    Ok(messages(source)?.into_keys().collect())
}

/// The `$variables` a pattern uses, selectors and variants included.
fn variables(pattern: &ast::Pattern<&str>) -> BTreeSet<String> {
    fn inline(expression: &ast::InlineExpression<&str>, found: &mut BTreeSet<String>) {
        match expression {
            ast::InlineExpression::VariableReference { id } => {
                found.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => block(expression, found),
            _ => {}
        }
    }
    fn block(expression: &ast::Expression<&str>, found: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Inline(expression) => inline(expression, found),
            ast::Expression::Select { selector, variants } => {
                inline(selector, found);
                for variant in variants {
                    found.extend(variables(&variant.value));
                }
            }
        }
    }
    let mut found = BTreeSet::new();
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            block(expression, &mut found);
        }
    }
    found
}

/// How a translation's source differs from the reference language's: the messages it
/// lacks or whose variables differ (`id`, or `id ($a, $b)` with the reference's
/// variables), and the messages only it has. Both empty when the two match.
pub fn compare_catalogs(
    reference: &str,
    translation: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let reference = messages(reference)?;
    let translation = messages(translation)?;
    let missing = reference
        .iter()
        .filter_map(|(id, variables)| match translation.get(id) {
            None => Some(id.clone()),
            Some(theirs) if theirs != variables => Some(format!(
                "{id} ({})",
                variables
                    .iter()
                    .map(|variable| format!("${variable}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Some(_) => None,
        })
        .collect();
    let extra = translation
        .keys()
        .filter(|id| !reference.contains_key(*id))
        .cloned()
        .collect();
    Ok((missing, extra))
}

/// The core's sources for each language. The lessons' English is their scenarios' own
/// text, so only the other languages have a `lessons.ftl`.
pub(crate) fn core_sources(language: Language) -> &'static [&'static str] {
    match language {
        Language::En => &[include_str!("../locales/en/explain.ftl")],
        Language::Az => &[
            include_str!("../locales/az/explain.ftl"),
            include_str!("../locales/az/lessons.ftl"),
        ],
    }
}

/// The core's catalog (explanations, lessons) in `language`, built once.
pub fn core_catalog(language: Language) -> &'static Catalog {
    static ENGLISH: OnceLock<Catalog> = OnceLock::new();
    static AZERBAIJANI: OnceLock<Catalog> = OnceLock::new();
    let slot = match language {
        Language::En => &ENGLISH,
        Language::Az => &AZERBAIJANI,
    };
    slot.get_or_init(|| Catalog::new(language, core_sources(language)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_languages_by_their_primary_subtag() {
        assert_eq!(Language::from_tag("az-Latn-AZ"), Some(Language::Az));
        assert_eq!(Language::from_tag("AZ"), Some(Language::Az));
        assert_eq!(Language::from_tag("en_GB"), Some(Language::En));
        assert_eq!(Language::from_tag("de"), None);
        assert_eq!(Language::preferred(["de-DE", "az", "en"]), Language::Az);
        assert_eq!(Language::preferred(["fr"]), Language::En);
        assert_eq!(Language::preferred([]), Language::En);
    }

    #[test]
    fn accept_language_is_read_by_weight() {
        let from = Language::from_accept_language;
        assert_eq!(from("az-AZ,az;q=0.9,en;q=0.8"), Some(Language::Az));
        assert_eq!(from("en;q=0.5, az;q=0.7"), Some(Language::Az));
        assert_eq!(from("de, en;q=0.3, az;q=0.3"), Some(Language::En));
        assert_eq!(from("az;q=0, en;q=0.1"), Some(Language::En));
        assert_eq!(from("az;q=2, en;q=0.100"), Some(Language::En));
        assert_eq!(from("fr, *;q=0.1"), None);
        assert_eq!(from(""), None);
    }

    #[test]
    fn a_catalog_formats_values_attributes_and_plurals() {
        let source = "greeting = Salam, { $name }!\n    .title = Salam\n\
                      messages = { $count ->\n    [one] one message\n   *[other] { $count } messages\n}\n";
        let catalog = Catalog::new(Language::En, &[source]);
        assert_eq!(
            catalog
                .format("greeting", &[("name", "Aysel".into())])
                .as_deref(),
            Some("Salam, Aysel!")
        );
        assert_eq!(catalog.text("greeting.title").as_deref(), Some("Salam"));
        assert_eq!(
            catalog
                .format("messages", &[("count", 1.into())])
                .as_deref(),
            Some("one message")
        );
        assert_eq!(
            catalog
                .format("messages", &[("count", 3.into())])
                .as_deref(),
            Some("3 messages")
        );
        assert_eq!(catalog.text("missing"), None);
        assert_eq!(catalog.text("greeting.missing"), None);
    }

    #[test]
    fn a_translation_that_drops_a_variable_is_reported() {
        let english = "greeting = Hello, { $name }!\nbye = Bye\n";
        let (missing, extra) = compare_catalogs(english, "greeting = Salam!\nextra = x\n").unwrap();
        assert_eq!(missing, ["bye", "greeting ($name)"]);
        assert_eq!(extra, ["extra"]);
        assert!(compare_catalogs(english, "greeting = { $oops").is_err());
    }

    #[test]
    fn the_core_catalogs_parse_and_define_the_same_messages_in_both_languages() {
        for language in Language::ALL {
            for source in core_sources(language) {
                message_ids(source).unwrap_or_else(|error| panic!("{}: {error}", language.code()));
            }
        }
        let english = include_str!("../locales/en/explain.ftl");
        let azerbaijani = include_str!("../locales/az/explain.ftl");
        let (missing, extra) = compare_catalogs(english, azerbaijani).unwrap();
        assert!(missing.is_empty(), "missing in az/explain.ftl: {missing:?}");
        assert!(extra.is_empty(), "only in az/explain.ftl: {extra:?}");
    }
}
