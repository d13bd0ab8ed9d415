//! Macro strings (RFC 7208 §7): `%{d}`, `%{ir}.%{v}._spf.%{d2}`, `%%`, `%_`, `%-`,
//! parsed once with the record, expanded when a term is evaluated.

use std::fmt;

/// Where a macro string stands: the `c`, `r` and `t` letters belong to explanations
/// only (§7.2), and an explanation may contain spaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    DomainSpec,
    Explanation,
}

/// One piece of a macro string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    /// `%{<letter><keep><r><delimiters>}`; an upper-case letter asks for URL escaping.
    Macro {
        letter: Letter,
        url_escape: bool,
        /// The number of right-hand parts to keep; all when `None`.
        keep: Option<usize>,
        reverse: bool,
        /// The characters the value is split on; `.` when none are given.
        delimiters: String,
    },
}

/// The macro letters (§7.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Letter {
    /// `s`: the sender, `local@domain`.
    Sender,
    /// `l`: the sender's local part.
    Local,
    /// `o`: the sender's domain.
    SenderDomain,
    /// `d`: the domain being checked (changes with `include:` and `redirect=`).
    Domain,
    /// `i`: the client's address, dotted (IPv6 as 32 nibbles).
    Ip,
    /// `p`: a validated name of the client's address (§7.3), or `unknown`.
    ValidatedName,
    /// `v`: `in-addr` for IPv4, `ip6` for IPv6.
    IpVersion,
    /// `h`: the HELO or EHLO domain.
    Helo,
    /// `c`: the client's address as people write it (explanations only).
    ClientIp,
    /// `r`: the receiving host's name (explanations only).
    Receiver,
    /// `t`: the time, in seconds since the epoch (explanations only).
    Timestamp,
}

impl Letter {
    fn from_char(letter: char, context: Context) -> Option<Self> {
        let letter = match letter.to_ascii_lowercase() {
            's' => Self::Sender,
            'l' => Self::Local,
            'o' => Self::SenderDomain,
            'd' => Self::Domain,
            'i' => Self::Ip,
            'p' => Self::ValidatedName,
            'v' => Self::IpVersion,
            'h' => Self::Helo,
            'c' => Self::ClientIp,
            'r' => Self::Receiver,
            't' => Self::Timestamp,
            _ => return None,
        };
        let explanation_only = matches!(letter, Self::ClientIp | Self::Receiver | Self::Timestamp);
        (!explanation_only || context == Context::Explanation).then_some(letter)
    }
}

/// A parsed macro string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MacroString {
    pub pieces: Vec<Piece>,
    /// As written, for traces and `Received-SPF` comments.
    pub text: String,
}

impl fmt::Display for MacroString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Why a macro string is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadMacro(pub String);

/// The delimiters a macro may split on (§7.1).
const DELIMITERS: &str = ".-+,/_=";

impl MacroString {
    /// Parses `text` (ASCII, as the record is) as a macro string in `context`.
    pub fn parse(text: &str, context: Context) -> Result<Self, BadMacro> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            rest = &rest[c.len_utf8()..];
            if c != '%' {
                // macro-literal = %x21-24 / %x26-7E; an explanation also has spaces.
                let visible = ('\x21'..='\x7e').contains(&c);
                if !(visible || (c == ' ' && context == Context::Explanation)) {
                    return Err(BadMacro(format!("{c:?} cannot appear in {text:?}")));
                }
                literal.push(c);
                continue;
            }
            match rest.chars().next() {
                Some('%') => literal.push('%'),
                Some('_') => literal.push(' '),
                Some('-') => literal.push_str("%20"),
                Some('{') => {
                    let end = rest
                        .find('}')
                        .ok_or_else(|| BadMacro(format!("unclosed macro in {text:?}")))?;
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    pieces.push(parse_macro(&rest[1..end], context, text)?);
                    rest = &rest[end + 1..];
                    continue;
                }
                _ => return Err(BadMacro(format!("a lone % in {text:?}"))),
            }
            rest = &rest[1..];
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Ok(Self {
            pieces,
            text: text.to_owned(),
        })
    }

    /// Whether the string may name a domain (§7.1: `domain-end`): it ends with a macro,
    /// or with `.` and a top label (not all digits) and perhaps a final `.`.
    pub fn is_domain_spec(&self) -> bool {
        if self.text.ends_with('}')
            || ["%%", "%_", "%-"]
                .iter()
                .any(|end| self.text.ends_with(end))
        {
            return true;
        }
        let Some(Piece::Literal(tail)) = self.pieces.last() else {
            return false;
        };
        let tail = tail.strip_suffix('.').unwrap_or(tail);
        match tail.rsplit_once('.') {
            Some((_, top)) => is_top_label(top),
            None => false,
        }
    }
}

/// `toplabel` (§7.1): letters, digits and inner hyphens, not all digits.
fn is_top_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && bytes.iter().any(|b| !b.is_ascii_digit())
}

/// The inside of `%{…}`: a letter, digits, `r`, delimiters.
fn parse_macro(inside: &str, context: Context, text: &str) -> Result<Piece, BadMacro> {
    let bad = || BadMacro(format!("bad macro %{{{inside}}} in {text:?}"));
    let mut chars = inside.chars();
    let first = chars.next().ok_or_else(bad)?;
    let letter = Letter::from_char(first, context).ok_or_else(bad)?;
    let rest = chars.as_str();
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, rest) = rest.split_at(digits_end);
    let keep = if digits.is_empty() {
        None
    } else {
        // §7.3: the number of parts must not be zero.
        match digits.parse::<usize>() {
            Ok(0) | Err(_) => return Err(bad()),
            Ok(count) => Some(count),
        }
    };
    let (reverse, delimiters) = match rest.strip_prefix(['r', 'R']) {
        Some(after) => (true, after),
        None => (false, rest),
    };
    if !delimiters.chars().all(|c| DELIMITERS.contains(c)) {
        return Err(bad());
    }
    Ok(Piece::Macro {
        letter,
        url_escape: first.is_ascii_uppercase(),
        keep,
        reverse,
        delimiters: delimiters.to_owned(),
    })
}

/// A macro's value transformed (§7.3): split on its delimiters, reversed if asked,
/// the right-hand `keep` parts, joined with dots, URL-escaped for an upper-case letter.
pub fn transform(
    value: &str,
    keep: Option<usize>,
    reverse: bool,
    delimiters: &str,
    url_escape: bool,
) -> String {
    let delimiters = if delimiters.is_empty() {
        "."
    } else {
        delimiters
    };
    let mut parts: Vec<&str> = value.split(|c| delimiters.contains(c)).collect();
    if reverse {
        parts.reverse();
    }
    if let Some(keep) = keep
        && keep < parts.len()
    {
        parts.drain(..parts.len() - keep);
    }
    let joined = parts.join(".");
    if url_escape { escape(&joined) } else { joined }
}

/// URL escaping (RFC 3986 §2.3: all but the unreserved characters).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}
