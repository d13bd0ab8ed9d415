//! Tag lists (RFC 6376 §3.2): `v=1; a=rsa-sha256; d=example.com`, as DKIM's signature
//! field and key record and DMARC's policy record (RFC 7489 §6.4) write them.

/// One `name=value` of a tag list, the value with its surrounding white space trimmed,
/// and where the value lies in the text (the verifier empties `b=` in place, §3.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// The value's byte range in the list.
    pub span: std::ops::Range<usize>,
}

/// Why a tag list is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadTags(pub String);

/// Parses a tag list; a tag given twice, or a name that is not `ALPHA *(ALPHA / DIGIT
/// / "_")`, makes the whole list invalid (§3.2).
pub fn parse(list: &str) -> Result<Vec<Tag<'_>>, BadTags> {
    let mut tags: Vec<Tag<'_>> = Vec::new();
    let mut offset = 0;
    for spec in list.split(';') {
        let start = offset;
        offset += spec.len() + 1;
        if spec.trim_matches(is_fws).is_empty() {
            // The list may end with a `;` (and white space).
            continue;
        }
        let Some((name, value)) = spec.split_once('=') else {
            return Err(BadTags(format!("{:?} is not name=value", spec.trim())));
        };
        let name = name.trim_matches(is_fws);
        let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            return Err(BadTags(format!("{name:?} is not a tag name")));
        }
        if tags.iter().any(|tag| tag.name == name) {
            return Err(BadTags(format!("{name}= is given twice")));
        }
        let value_start = start + spec.len() - value.len();
        let leading = value.len() - value.trim_start_matches(is_fws).len();
        let trimmed = value.trim_matches(is_fws);
        tags.push(Tag {
            name,
            value: trimmed,
            span: value_start + leading..value_start + leading + trimmed.len(),
        });
    }
    Ok(tags)
}

/// Folding white space: spaces, tabs and the CR LF of a fold.
fn is_fws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// A value with all white space removed: base64 values (`b=`, `bh=`, `p=`) may be
/// folded anywhere (§3.5).
pub fn without_spaces(value: &str) -> String {
    value.chars().filter(|c| !is_fws(*c)).collect()
}
