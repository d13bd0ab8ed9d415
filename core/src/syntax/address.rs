//! Domains, address literals, mailboxes and paths (RFC 5321 §4.1.2, §4.1.3; RFC 6531 §3.3).
//!
//! The parsers accept UTF-8 local parts and U-label domains everywhere; whether they are
//! allowed depends on SMTPUTF8 having been advertised and requested, which the session
//! checks with [`Mailbox::is_ascii`] (RFC 6531 §3.4).

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use nom::branch::alt;
use nom::bytes::complete::tag;

use super::{ascii_tag_no_case, take_while1};
use nom::character::complete::char;
use nom::combinator::{map, map_res, opt, verify};
use nom::multi::{many0, separated_list1};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

/// Longest domain, in octets (RFC 5321 §4.5.3.1.2).
pub const MAX_DOMAIN: usize = 255;
/// Longest label of a domain, in octets (RFC 1035 §2.3.4).
pub const MAX_LABEL: usize = 63;
/// Longest local part, in octets (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_PART: usize = 64;
/// Longest path, angle brackets included, in octets (RFC 5321 §4.5.3.1.3).
pub const MAX_PATH: usize = 256;

/// A domain name as the client wrote it. Compare with [`Domain::eq_ignore_case`]:
/// domains are case-insensitive (RFC 5321 §2.4).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Domain(String);

impl Domain {
    /// A domain, if `text` is one (RFC 5321 `Domain`, or with U-labels, RFC 6531).
    pub fn parse(text: &str) -> Option<Self> {
        match domain(text) {
            Ok(("", parsed)) => Some(parsed),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether every label is ASCII (an A-label or LDH label, not a U-label).
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }

    /// Domains compare without regard to ASCII case (RFC 5321 §2.4).
    pub fn eq_ignore_case(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An address literal: a host named by its address instead of a domain (§4.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AddressLiteral {
    /// `[192.0.2.1]`
    Ipv4(Ipv4Addr),
    /// `[IPv6:2001:db8::1]`
    Ipv6(Ipv6Addr),
    /// `[tag:content]`, for address types registered later (`General-address-literal`).
    General { tag: String, content: String },
}

impl fmt::Display for AddressLiteral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ipv4(address) => write!(f, "[{address}]"),
            Self::Ipv6(address) => write!(f, "[IPv6:{address}]"),
            Self::General { tag, content } => write!(f, "[{tag}:{content}]"),
        }
    }
}

/// What follows the `@` of a mailbox, and what EHLO names: a domain or an address literal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Host {
    Domain(Domain),
    Literal(AddressLiteral),
}

impl Host {
    /// A domain (a trailing dot allowed) or an address literal such as `[192.0.2.1]`.
    pub fn parse(text: &str) -> Option<Self> {
        if text.starts_with('[') {
            match address_literal(text) {
                Ok(("", literal)) => Some(Self::Literal(literal)),
                _ => None,
            }
        } else {
            Domain::parse(text.strip_suffix('.').unwrap_or(text)).map(Self::Domain)
        }
    }

    pub fn is_ascii(&self) -> bool {
        match self {
            Self::Domain(domain) => domain.is_ascii(),
            Self::Literal(_) => true,
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Domain(domain) => domain.fmt(f),
            Self::Literal(literal) => literal.fmt(f),
        }
    }
}

/// A mailbox, `Local-part "@" ( Domain / address-literal )`. The local part is kept
/// decoded: `"john doe"@example.org` holds `john doe`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mailbox {
    pub local_part: String,
    pub host: Host,
}

impl Mailbox {
    /// `local@domain` as written between `<` and `>`; `None` unless all of it is one.
    pub fn parse(text: &str) -> Option<Self> {
        match ReversePath::parse(text)? {
            ReversePath::Mailbox(mailbox) => Some(mailbox),
            ReversePath::Null => None,
        }
    }

    /// Whether the mailbox needs no SMTPUTF8 (RFC 6531 §3.3).
    pub fn is_ascii(&self) -> bool {
        self.local_part.is_ascii() && self.host.is_ascii()
    }

    /// `Postmaster` is case-insensitive (RFC 5321 §4.1.1.3, §4.5.1).
    pub fn is_postmaster(&self) -> bool {
        self.local_part.eq_ignore_ascii_case("postmaster")
    }

    /// The domain of the mailbox, if it is not an address literal.
    pub fn domain(&self) -> Option<&Domain> {
        match &self.host {
            Host::Domain(domain) => Some(domain),
            Host::Literal(_) => None,
        }
    }
}

impl fmt::Display for Mailbox {
    /// The local part as a Dot-string when it is one, else as a Quoted-string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_dot_string(&self.local_part) {
            f.write_str(&self.local_part)?;
        } else {
            f.write_str("\"")?;
            for c in self.local_part.chars() {
                if c == '"' || c == '\\' {
                    f.write_str("\\")?;
                }
                write!(f, "{c}")?;
            }
            f.write_str("\"")?;
        }
        write!(f, "@{}", self.host)
    }
}

/// The sender of MAIL FROM: a mailbox, or the null path `<>` of bounces (§4.5.5).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ReversePath {
    Null,
    Mailbox(Mailbox),
}

impl ReversePath {
    /// A reverse path as written between `<` and `>`: empty for the null path.
    pub fn parse(text: &str) -> Option<Self> {
        match reverse_path(&format!("<{text}>")) {
            Ok(("", path)) => Some(path),
            _ => None,
        }
    }

    pub fn is_ascii(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Mailbox(mailbox) => mailbox.is_ascii(),
        }
    }
}

impl fmt::Display for ReversePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("<>"),
            Self::Mailbox(mailbox) => write!(f, "<{mailbox}>"),
        }
    }
}

/// The recipient of RCPT TO: a mailbox, or the bare `<Postmaster>` every server must
/// accept without a domain (§4.1.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ForwardPath {
    Postmaster,
    Mailbox(Mailbox),
}

impl ForwardPath {
    /// A forward path as written between `<` and `>`: `Postmaster` or a mailbox.
    pub fn parse(text: &str) -> Option<Self> {
        match forward_path(&format!("<{text}>")) {
            Ok(("", path)) => Some(path),
            _ => None,
        }
    }

    pub fn is_ascii(&self) -> bool {
        match self {
            Self::Postmaster => true,
            Self::Mailbox(mailbox) => mailbox.is_ascii(),
        }
    }
}

impl fmt::Display for ForwardPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Postmaster => f.write_str("<Postmaster>"),
            Self::Mailbox(mailbox) => write!(f, "<{mailbox}>"),
        }
    }
}

/// `Let-dig = ALPHA / DIGIT`, or under SMTPUTF8 any non-ASCII letter or digit of a U-label.
fn is_let_dig(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

/// `sub-domain = Let-dig [Ldh-str]`, `Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig`
/// (or a U-label, RFC 6531 §3.3), at most [`MAX_LABEL`] octets.
pub fn sub_domain(input: &str) -> IResult<&str, &str> {
    verify(
        take_while1(|c: char| is_let_dig(c) || c == '-'),
        |label: &str| label.len() <= MAX_LABEL && !label.starts_with('-') && !label.ends_with('-'),
    )
    .parse(input)
}

/// `Domain = sub-domain *("." sub-domain)`, at most [`MAX_DOMAIN`] octets.
pub fn domain(input: &str) -> IResult<&str, Domain> {
    map(
        verify(
            |input| match ascii_dot_separated(input, is_ldh_octet, is_ldh_label) {
                Some(length) => recognized(input, length),
                None => dot_separated(input, sub_domain),
            },
            |text: &str| text.len() <= MAX_DOMAIN,
        ),
        |text: &str| Domain(text.to_owned()),
    )
    .parse(input)
}

/// `ALPHA / DIGIT / "-"`, the octets of an LDH label.
fn is_ldh_octet(octet: u8) -> bool {
    octet.is_ascii_alphanumeric() || octet == b'-'
}

/// An LDH `sub-domain`: no hyphen at either end, at most [`MAX_LABEL`] octets.
fn is_ldh_label(label: &[u8]) -> bool {
    label.len() <= MAX_LABEL && label.first() != Some(&b'-') && label.last() != Some(&b'-')
}

/// [`dot_separated`] for the all-ASCII case, octet by octet, which is what nearly every
/// line holds; the character-level parsers cost 2–3 times more. Returns the length
/// recognised (`None` inside when there is no first item), or `None` when a non-ASCII
/// octet stops the scan and the character-level rules (U-labels, UTF-8 local parts,
/// RFC 6531) must decide.
fn ascii_dot_separated(
    input: &str,
    is_item_octet: fn(u8) -> bool,
    is_valid_item: fn(&[u8]) -> bool,
) -> Option<Option<usize>> {
    let bytes = input.as_bytes();
    let mut recognized = None;
    let mut start = 0;
    loop {
        let item = bytes.get(start..)?;
        let length = item
            .iter()
            .take_while(|&&octet| is_item_octet(octet))
            .count();
        if item.get(length).is_some_and(|octet| !octet.is_ascii()) {
            return None;
        }
        let valid = item
            .get(..length)
            .is_some_and(|item| length > 0 && is_valid_item(item));
        if !valid {
            return Some(recognized);
        }
        let end = start + length;
        recognized = Some(end);
        if bytes.get(end) != Some(&b'.') {
            return Some(recognized);
        }
        start = end + 1;
    }
}

/// The first `length` octets of `input` as recognised text, or an error without them.
fn recognized(input: &str, length: Option<usize>) -> IResult<&str, &str> {
    match length.and_then(|length| input.split_at_checked(length)) {
        Some((recognized, rest)) => Ok((rest, recognized)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Many0,
        ))),
    }
}

/// `item *("." item)`, recognised: the longest run of items joined by dots. A dot not
/// followed by an item is left unconsumed, as nom's `many0` would. Written out because
/// the combinator version cost more than the items themselves.
fn dot_separated<'a>(
    input: &'a str,
    item: impl Fn(&'a str) -> IResult<&'a str, &'a str>,
) -> IResult<&'a str, &'a str> {
    let (mut rest, _) = item(input)?;
    while let Some(after_dot) = rest.strip_prefix('.') {
        match item(after_dot) {
            Ok((after, _)) => rest = after,
            Err(_) => break,
        }
    }
    recognized(input, Some(input.len() - rest.len()))
}

/// `Snum = 1*3DIGIT` with a value from 0 to 255.
fn snum(input: &str) -> IResult<&str, u8> {
    map_res(
        verify(take_while1(|c: char| c.is_ascii_digit()), |digits: &str| {
            digits.len() <= 3
        }),
        str::parse::<u8>,
    )
    .parse(input)
}

/// `IPv4-address-literal = Snum 3("." Snum)`
pub fn ipv4_address_literal(input: &str) -> IResult<&str, Ipv4Addr> {
    map(
        (
            snum,
            preceded(char('.'), snum),
            preceded(char('.'), snum),
            preceded(char('.'), snum),
        ),
        |(a, b, c, d)| Ipv4Addr::new(a, b, c, d),
    )
    .parse(input)
}

/// `IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp`:
/// eight groups, or at most six around `::`; with a trailing IPv4 address, six groups,
/// or at most four around `::` (§4.1.3; stricter than RFC 4291, which allows seven).
pub fn ipv6_addr(input: &str) -> IResult<&str, Ipv6Addr> {
    map_res(
        take_while1(|c: char| c.is_ascii_hexdigit() || c == ':' || c == '.'),
        |text: &str| parse_ipv6(text).ok_or(()),
    )
    .parse(input)
}

fn parse_ipv6(text: &str) -> Option<Ipv6Addr> {
    // An IPv4 tail counts as two groups: count with "0:0" in its place.
    let counted = match text.rsplit_once(':') {
        Some((head, last)) if last.contains('.') => match ipv4_address_literal(last) {
            Ok(("", _)) => format!("{head}:0:0"),
            _ => return None,
        },
        _ => text.to_owned(),
    };
    let groups = |part: &str| -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let hex_group = |group: &str| {
            (1..=4).contains(&group.len()) && group.chars().all(|c| c.is_ascii_hexdigit())
        };
        part.split(':')
            .all(hex_group)
            .then(|| part.split(':').count())
    };
    let valid = match counted.split_once("::") {
        Some((left, right)) => !right.contains("::") && groups(left)? + groups(right)? <= 6,
        None => groups(&counted)? == 8,
    };
    if valid { text.parse().ok() } else { None }
}

/// `address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
/// General-address-literal ) "]"`
pub fn address_literal(input: &str) -> IResult<&str, AddressLiteral> {
    delimited(
        char('['),
        alt((
            map(ipv4_address_literal, AddressLiteral::Ipv4),
            // IPv6-address-literal = "IPv6:" IPv6-addr
            map(
                preceded(ascii_tag_no_case("IPv6:"), ipv6_addr),
                AddressLiteral::Ipv6,
            ),
            general_address_literal,
        )),
        char(']'),
    )
    .parse(input)
}

/// `General-address-literal = Standardized-tag ":" 1*dcontent`,
/// `dcontent = %d33-90 / %d94-126`. The tag `IPv6` is reserved for [`ipv6_addr`].
fn general_address_literal(input: &str) -> IResult<&str, AddressLiteral> {
    map(
        (
            verify(
                take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-'),
                |tag: &str| !tag.eq_ignore_ascii_case("IPv6") && !tag.ends_with('-'),
            ),
            char(':'),
            take_while1(|c: char| matches!(c, '!'..='Z' | '^'..='~')),
        ),
        |(tag, _, content): (&str, char, &str)| AddressLiteral::General {
            tag: tag.to_owned(),
            content: content.to_owned(),
        },
    )
    .parse(input)
}

/// `atext` (RFC 5322 §3.2.3), and UTF8-non-ascii under SMTPUTF8 (RFC 6531 §3.3).
fn is_atext(c: char) -> bool {
    matches!(c, 'a'..='z' | 'A'..='Z' | '0'..='9' | '!' | '#'..='\'' | '*' | '+' | '-' | '/' | '=' | '?' | '^'..='`' | '{'..='~')
        || !c.is_ascii()
}

/// `Dot-string = Atom *("." Atom)`, `Atom = 1*atext`
fn dot_string(input: &str) -> IResult<&str, &str> {
    match ascii_dot_separated(
        input,
        |octet| octet.is_ascii() && is_atext(char::from(octet)),
        |_| true,
    ) {
        Some(length) => recognized(input, length),
        None => dot_separated(input, take_while1(is_atext)),
    }
}

fn is_dot_string(text: &str) -> bool {
    matches!(dot_string(text), Ok(("", _)))
}

/// `Quoted-string = DQUOTE *QcontentSMTP DQUOTE`,
/// `QcontentSMTP = qtextSMTP / quoted-pairSMTP`, `quoted-pairSMTP = %d92 %d32-126`,
/// `qtextSMTP = %d32-33 / %d35-91 / %d93-126` (and UTF8-non-ascii, RFC 6531).
/// Returns the content with quoted pairs decoded.
pub fn quoted_string(input: &str) -> IResult<&str, String> {
    let qtext = |c: char| matches!(c, ' ' | '!' | '#'..='[' | ']'..='~') || !c.is_ascii();
    let quoted_pair = preceded(
        char('\\'),
        nom::character::complete::satisfy(|c| matches!(c, ' '..='~')),
    );
    delimited(
        char('"'),
        map(
            many0(alt((
                map(take_while1(qtext), str::to_owned),
                map(quoted_pair, String::from),
            ))),
            |parts| parts.concat(),
        ),
        char('"'),
    )
    .parse(input)
}

/// `Local-part = Dot-string / Quoted-string`, at most [`MAX_LOCAL_PART`] octets.
pub fn local_part(input: &str) -> IResult<&str, String> {
    verify(
        alt((map(dot_string, str::to_owned), quoted_string)),
        |local: &String| local.len() <= MAX_LOCAL_PART,
    )
    .parse(input)
}

/// `Mailbox = Local-part "@" ( Domain / address-literal )`
pub fn mailbox(input: &str) -> IResult<&str, Mailbox> {
    map(
        (
            local_part,
            char('@'),
            alt((
                map(domain, Host::Domain),
                map(address_literal, Host::Literal),
            )),
        ),
        |(local_part, _, host)| Mailbox { local_part, host },
    )
    .parse(input)
}

/// `A-d-l = At-domain *( "," At-domain )`, `At-domain = "@" Domain`: a source route,
/// which receivers accept and ignore (§4.1.2, §C).
fn a_d_l(input: &str) -> IResult<&str, ()> {
    map(
        separated_list1(char(','), preceded(char('@'), domain)),
        |_| (),
    )
    .parse(input)
}

/// `Path = "<" [ A-d-l ":" ] Mailbox ">"`, at most [`MAX_PATH`] octets.
pub fn path(input: &str) -> IResult<&str, Mailbox> {
    let start = input;
    let (rest, mailbox) = delimited(
        char('<'),
        preceded(opt(terminated(a_d_l, char(':'))), mailbox),
        char('>'),
    )
    .parse(input)?;
    if start.len() - rest.len() > MAX_PATH {
        return Err(nom::Err::Error(nom::error::Error::new(
            start,
            nom::error::ErrorKind::TooLarge,
        )));
    }
    Ok((rest, mailbox))
}

/// `Reverse-path = Path / "<>"`
pub fn reverse_path(input: &str) -> IResult<&str, ReversePath> {
    alt((
        map(tag("<>"), |_| ReversePath::Null),
        map(path, ReversePath::Mailbox),
    ))
    .parse(input)
}

/// `( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path )` of `rcpt`
/// (§4.1.1.3); `Forward-path = Path`. `<Postmaster@domain>` is an ordinary mailbox.
pub fn forward_path(input: &str) -> IResult<&str, ForwardPath> {
    alt((
        map(ascii_tag_no_case("<Postmaster>"), |_| {
            ForwardPath::Postmaster
        }),
        map(path, ForwardPath::Mailbox),
    ))
    .parse(input)
}

/// `String = Atom / Quoted-string`, the argument of VRFY, EXPN and HELP.
pub fn string(input: &str) -> IResult<&str, String> {
    alt((map(take_while1(is_atext), str::to_owned), quoted_string)).parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full<T>(parser: impl Fn(&str) -> IResult<&str, T>, text: &str) -> Option<T> {
        match parser(text) {
            Ok(("", value)) => Some(value),
            _ => None,
        }
    }

    #[test]
    fn domains_follow_ldh_rules_and_length_limits() {
        // RFC 5321 §4.1.2 and §4.5.3.1.2.
        assert!(full(domain, "mail.example.org").is_some());
        assert!(full(domain, "a-b.example").is_some());
        assert!(full(domain, "-a.example").is_none());
        assert!(full(domain, "a-.example").is_none());
        assert!(full(domain, "a..example").is_none());
        assert!(full(domain, "example.").is_none());
        assert!(full(domain, &"a".repeat(63)).is_some());
        assert!(full(domain, &"a".repeat(64)).is_none());
        let long = vec!["abcdefghi"; 26].join(".");
        assert!(long.len() > MAX_DOMAIN);
        assert!(full(domain, &long).is_none());
    }

    #[test]
    fn ipv4_literals_have_octets_up_to_255() {
        // RFC 5321 §4.1.3: Snum is 0 through 255.
        assert_eq!(
            full(address_literal, "[192.0.2.255]"),
            Some(AddressLiteral::Ipv4(Ipv4Addr::new(192, 0, 2, 255)))
        );
        assert!(full(address_literal, "[192.0.2.256]").is_none());
        assert!(full(address_literal, "[192.0.2]").is_none());
        assert!(full(address_literal, "[1.2.3.4.5]").is_none());
    }

    #[test]
    fn every_ipv6_form_of_section_4_1_3() {
        let v6 = |text: &str| full(address_literal, &format!("[IPv6:{text}]"));
        // IPv6-full, IPv6-comp, IPv6v4-full, IPv6v4-comp.
        assert!(v6("2001:db8:0:0:0:0:0:1").is_some());
        assert!(v6("2001:db8::1").is_some());
        assert!(v6("::1").is_some());
        assert!(v6("::").is_some());
        assert!(v6("0:0:0:0:0:ffff:192.0.2.1").is_some());
        assert!(v6("::ffff:192.0.2.1").is_some());
        assert!(v6("1:2:3:4::192.0.2.1").is_some());
        assert_eq!(
            v6("2001:DB8::1"),
            Some(AddressLiteral::Ipv6("2001:db8::1".parse().unwrap()))
        );
        // Seven groups around "::" are more than §4.1.3 allows (six).
        assert!(v6("1:2:3:4:5:6::7").is_none());
        assert!(v6("1:2:3:4:5::192.0.2.1").is_none());
        assert!(v6("1:2:3:4:5:6:7").is_none());
        assert!(v6("1::2::3").is_none());
        assert!(v6("12345::1").is_none());
        assert!(v6("::ffff:192.0.2.256").is_none());
    }

    #[test]
    fn general_address_literal_keeps_tag_and_content() {
        assert_eq!(
            full(address_literal, "[x-tag:abc]"),
            Some(AddressLiteral::General {
                tag: "x-tag".into(),
                content: "abc".into()
            })
        );
        assert!(full(address_literal, "[IPv6:nonsense]").is_none());
    }

    #[test]
    fn quoted_local_parts_are_decoded_and_rendered_back() {
        let mailbox = full(mailbox, r#""john \"jd\" doe"@example.org"#).unwrap();
        assert_eq!(mailbox.local_part, r#"john "jd" doe"#);
        assert_eq!(mailbox.to_string(), r#""john \"jd\" doe"@example.org"#);
        // A quoted local part that is a Dot-string renders unquoted: same mailbox.
        assert_eq!(
            full(super::mailbox, r#""abc"@x.org"#).unwrap().to_string(),
            "abc@x.org"
        );
    }

    #[test]
    fn local_part_is_limited_to_64_octets() {
        // RFC 5321 §4.5.3.1.1.
        assert!(full(mailbox, &format!("{}@x.org", "a".repeat(64))).is_some());
        assert!(full(mailbox, &format!("{}@x.org", "a".repeat(65))).is_none());
    }

    #[test]
    fn source_routes_are_accepted_and_dropped() {
        // RFC 5321 §4.1.2 and Appendix C.
        let path = full(reverse_path, "<@a.example,@b.example:user@c.example>").unwrap();
        assert_eq!(path.to_string(), "<user@c.example>");
    }

    #[test]
    fn bare_postmaster_is_distinct_from_null_and_from_postmaster_at_domain() {
        assert_eq!(
            full(forward_path, "<postMASTER>"),
            Some(ForwardPath::Postmaster)
        );
        let with_domain = full(forward_path, "<Postmaster@example.org>").unwrap();
        assert!(matches!(&with_domain, ForwardPath::Mailbox(m) if m.is_postmaster()));
        assert!(full(forward_path, "<>").is_none());
        assert_eq!(full(reverse_path, "<>"), Some(ReversePath::Null));
    }

    #[test]
    fn utf8_addresses_parse_and_say_they_need_smtputf8() {
        // RFC 6531 §3.3.
        let mailbox = full(mailbox, "用户@例子.广告").unwrap();
        assert!(!mailbox.is_ascii());
        assert!(full(super::mailbox, "user@example.org").unwrap().is_ascii());
    }

    #[test]
    fn paths_need_angle_brackets() {
        assert!(full(reverse_path, "user@example.org").is_none());
        assert!(full(reverse_path, "<user@example.org").is_none());
        assert!(full(reverse_path, "<user>").is_none());
    }
}
