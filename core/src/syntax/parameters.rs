//! ESMTP parameters of MAIL and RCPT, typed (RFC 5321 §4.1.2 and the extensions that
//! define each keyword).
//!
//! Parsing checks each value's own grammar; whether a keyword may be used at all (was
//! the extension advertised?) is the session's decision.

use core::fmt;

use super::take_while1;
use nom::character::complete::char;
use nom::combinator::opt;
use nom::multi::separated_list1;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::address::{Mailbox, ReversePath, mailbox};

/// Longest ENVID, in characters (RFC 3461 §4.4).
pub const MAX_ENVID: usize = 100;
/// Longest ORCPT address, in characters (RFC 3461 §4.2).
pub const MAX_ORCPT: usize = 500;

/// Why the parameters of a MAIL or RCPT command were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParameterError {
    /// A keyword no extension of ours defines (`555 5.5.4`, RFC 5321 §4.1.1.11).
    Unknown(String),
    /// A DSN or AUTH parameter twice: RFC 3461 §4 allows each DSN parameter at most
    /// once, and a second AUTH= could only confuse who sent the message.
    Duplicate(String),
    /// The same keyword twice with different values (`BODY=7BIT BODY=8BITMIME`): which
    /// one the client meant cannot be known. Identical repeats of SIZE, BODY, SMTPUTF8
    /// and REQUIRETLS are taken as one, as Postfix and aiosmtpd take them (Python's
    /// smtplib repeats the options it adds to the caller's).
    Conflicting(String),
    /// A known keyword with a value outside its grammar.
    Invalid(&'static str),
    /// SIZE larger than any number we can hold; certainly over any limit (RFC 1870 §6).
    SizeTooLarge,
}

impl fmt::Display for ParameterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(keyword) => write!(f, "parameter {keyword} is not recognized"),
            Self::Duplicate(keyword) => write!(f, "parameter {keyword} given twice"),
            Self::Conflicting(keyword) => {
                write!(f, "parameter {keyword} given twice with different values")
            }
            Self::Invalid(keyword) => write!(f, "invalid value for {keyword}"),
            Self::SizeTooLarge => f.write_str("declared SIZE is too large"),
        }
    }
}

impl std::error::Error for ParameterError {}

/// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")`
fn esmtp_keyword(input: &str) -> IResult<&str, &str> {
    nom::combinator::verify(
        take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-'),
        |keyword: &str| !keyword.starts_with('-'),
    )
    .parse(input)
}

/// `esmtp-value = 1*(%d33-60 / %d62-126)`, and UTF8-non-ascii under SMTPUTF8
/// (RFC 6531 §3.3).
fn esmtp_value(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| matches!(c, '!'..='<' | '>'..='~') || !c.is_ascii()).parse(input)
}

/// `esmtp-param = esmtp-keyword ["=" esmtp-value]`
fn esmtp_param(input: &str) -> IResult<&str, (&str, Option<&str>)> {
    (esmtp_keyword, opt(preceded(char('='), esmtp_value))).parse(input)
}

/// `Mail-parameters = esmtp-param *(SP esmtp-param)` (and `Rcpt-parameters` alike).
pub fn esmtp_params(input: &str) -> IResult<&str, Vec<(&str, Option<&str>)>> {
    separated_list1(char(' '), esmtp_param).parse(input)
}

/// `BODY=` of MAIL: the content's transfer encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Body {
    /// `7BIT` (RFC 6152 §2).
    SevenBit,
    /// `8BITMIME` (RFC 6152 §2).
    EightBitMime,
    /// `BINARYMIME`, only with BDAT (RFC 3030 §3).
    BinaryMime,
}

impl Body {
    fn keyword(self) -> &'static str {
        match self {
            Self::SevenBit => "7BIT",
            Self::EightBitMime => "8BITMIME",
            Self::BinaryMime => "BINARYMIME",
        }
    }
}

/// `RET=` of MAIL: what a failure DSN returns (RFC 3461 §4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Ret {
    Full,
    Headers,
}

/// `NOTIFY=` of RCPT (RFC 3461 §4.1): `"NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" )`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Notify {
    Never,
    On {
        success: bool,
        failure: bool,
        delay: bool,
    },
}

/// `ORCPT=` of RCPT: the original recipient, `addr-type ";" xtext` (RFC 3461 §4.2), with
/// the `utf-8` address type of RFC 6533 decoded too.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OriginalRecipient {
    /// `rfc822` or `utf-8`, as given (compare case-insensitively).
    pub address_type: String,
    /// The address, decoded.
    pub address: String,
}

/// The parameters of MAIL FROM.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MailParameters {
    /// `SIZE=` declared message size in octets (RFC 1870).
    pub size: Option<u64>,
    /// `BODY=` (RFC 6152, RFC 3030).
    pub body: Option<Body>,
    /// `SMTPUTF8` (RFC 6531 §3.4).
    pub smtputf8: bool,
    /// `RET=` (RFC 3461 §4.3).
    pub ret: Option<Ret>,
    /// `ENVID=` envelope identifier, xtext-decoded (RFC 3461 §4.4).
    pub envid: Option<String>,
    /// `AUTH=` the authenticated sender, or `<>` for none (RFC 4954 §5). Boxed: it is
    /// rare, and every command moved through the parser would otherwise carry its size.
    pub auth: Option<Box<ReversePath>>,
    /// `REQUIRETLS` (RFC 8689 §4.1).
    pub requiretls: bool,
}

/// The parameters of RCPT TO.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RcptParameters {
    /// `NOTIFY=` (RFC 3461 §4.1).
    pub notify: Option<Notify>,
    /// `ORCPT=` (RFC 3461 §4.2).
    pub orcpt: Option<OriginalRecipient>,
}

/// The upper-case form of `word` among `known` (matched without regard to ASCII case),
/// or `""` when it is none of them; parameters are case-insensitive (RFC 5321 §2.4).
fn known_keyword(word: &str, known: &[&'static str]) -> &'static str {
    known
        .iter()
        .find(|candidate| candidate.eq_ignore_ascii_case(word))
        .copied()
        .unwrap_or("")
}

/// Sets `slot` once; a second value for the same keyword is an error (DSN, AUTH).
fn set_once<T>(slot: &mut Option<T>, value: T, keyword: &str) -> Result<(), ParameterError> {
    if slot.replace(value).is_some() {
        return Err(ParameterError::Duplicate(keyword.to_ascii_uppercase()));
    }
    Ok(())
}

/// Sets `slot`; the same value again is taken as one, a different one is an error.
fn set_consistent<T: PartialEq>(
    slot: &mut Option<T>,
    value: T,
    keyword: &str,
) -> Result<(), ParameterError> {
    match slot {
        Some(earlier) if *earlier != value => {
            Err(ParameterError::Conflicting(keyword.to_ascii_uppercase()))
        }
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

/// A keyword without a value (SMTPUTF8, REQUIRETLS); given twice, it is still on.
fn set_flag(
    flag: &mut bool,
    value: Option<&str>,
    keyword: &'static str,
) -> Result<(), ParameterError> {
    if value.is_some() {
        return Err(ParameterError::Invalid(keyword));
    }
    *flag = true;
    Ok(())
}

fn required<'a>(value: Option<&'a str>, keyword: &'static str) -> Result<&'a str, ParameterError> {
    value.ok_or(ParameterError::Invalid(keyword))
}

impl MailParameters {
    /// Types the parameters of a MAIL command (keywords are case-insensitive).
    pub fn from_params(params: &[(&str, Option<&str>)]) -> Result<Self, ParameterError> {
        let mut parsed = Self::default();
        for &(keyword, value) in params {
            match known_keyword(
                keyword,
                &[
                    "SIZE",
                    "BODY",
                    "SMTPUTF8",
                    "REQUIRETLS",
                    "RET",
                    "ENVID",
                    "AUTH",
                ],
            ) {
                "SIZE" => set_consistent(
                    &mut parsed.size,
                    size_value(required(value, "SIZE")?)?,
                    keyword,
                )?,
                "BODY" => {
                    let body = match known_keyword(
                        required(value, "BODY")?,
                        &["7BIT", "8BITMIME", "BINARYMIME"],
                    ) {
                        "7BIT" => Body::SevenBit,
                        "8BITMIME" => Body::EightBitMime,
                        "BINARYMIME" => Body::BinaryMime,
                        _ => return Err(ParameterError::Invalid("BODY")),
                    };
                    set_consistent(&mut parsed.body, body, keyword)?;
                }
                "SMTPUTF8" => set_flag(&mut parsed.smtputf8, value, "SMTPUTF8")?,
                "REQUIRETLS" => set_flag(&mut parsed.requiretls, value, "REQUIRETLS")?,
                "RET" => {
                    let ret = match known_keyword(required(value, "RET")?, &["FULL", "HDRS"]) {
                        "FULL" => Ret::Full,
                        "HDRS" => Ret::Headers,
                        _ => return Err(ParameterError::Invalid("RET")),
                    };
                    set_once(&mut parsed.ret, ret, keyword)?;
                }
                "ENVID" => {
                    let envid = xtext_decode(required(value, "ENVID")?)
                        .filter(|envid| envid.chars().count() <= MAX_ENVID)
                        .ok_or(ParameterError::Invalid("ENVID"))?;
                    set_once(&mut parsed.envid, envid, keyword)?;
                }
                "AUTH" => {
                    let sender = auth_value(required(value, "AUTH")?)
                        .ok_or(ParameterError::Invalid("AUTH"))?;
                    set_once(&mut parsed.auth, Box::new(sender), keyword)?;
                }
                _ => return Err(ParameterError::Unknown(keyword.to_owned())),
            }
        }
        Ok(parsed)
    }
}

impl fmt::Display for MailParameters {
    /// The parameters as they follow the path, each with a leading space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(size) = self.size {
            write!(f, " SIZE={size}")?;
        }
        if let Some(body) = self.body {
            write!(f, " BODY={}", body.keyword())?;
        }
        if self.smtputf8 {
            f.write_str(" SMTPUTF8")?;
        }
        if let Some(ret) = self.ret {
            f.write_str(match ret {
                Ret::Full => " RET=FULL",
                Ret::Headers => " RET=HDRS",
            })?;
        }
        if let Some(envid) = &self.envid {
            write!(f, " ENVID={}", xtext_encode(envid))?;
        }
        if let Some(auth) = &self.auth {
            let sender = match auth.as_ref() {
                ReversePath::Null => "<>".to_owned(),
                ReversePath::Mailbox(mailbox) => mailbox.to_string(),
            };
            write!(f, " AUTH={}", xtext_encode(&sender))?;
        }
        if self.requiretls {
            f.write_str(" REQUIRETLS")?;
        }
        Ok(())
    }
}

impl RcptParameters {
    /// Types the parameters of a RCPT command (keywords are case-insensitive).
    pub fn from_params(params: &[(&str, Option<&str>)]) -> Result<Self, ParameterError> {
        let mut parsed = Self::default();
        for &(keyword, value) in params {
            match known_keyword(keyword, &["NOTIFY", "ORCPT"]) {
                "NOTIFY" => {
                    let notify = notify_value(required(value, "NOTIFY")?)
                        .ok_or(ParameterError::Invalid("NOTIFY"))?;
                    set_once(&mut parsed.notify, notify, keyword)?;
                }
                "ORCPT" => {
                    let orcpt = orcpt_value(required(value, "ORCPT")?)
                        .ok_or(ParameterError::Invalid("ORCPT"))?;
                    set_once(&mut parsed.orcpt, orcpt, keyword)?;
                }
                _ => return Err(ParameterError::Unknown(keyword.to_owned())),
            }
        }
        Ok(parsed)
    }
}

impl fmt::Display for RcptParameters {
    /// The parameters as they follow the path, each with a leading space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.notify {
            Some(Notify::Never) => f.write_str(" NOTIFY=NEVER")?,
            Some(Notify::On {
                success,
                failure,
                delay,
            }) => {
                let names: Vec<&str> =
                    [(success, "SUCCESS"), (failure, "FAILURE"), (delay, "DELAY")]
                        .into_iter()
                        .filter_map(|(on, name)| on.then_some(name))
                        .collect();
                write!(f, " NOTIFY={}", names.join(","))?;
            }
            None => {}
        }
        if let Some(orcpt) = &self.orcpt {
            let encoded = if orcpt.address_type.eq_ignore_ascii_case("utf-8") {
                utf8_addr_encode(&orcpt.address)
            } else {
                xtext_encode(&orcpt.address)
            };
            write!(f, " ORCPT={};{encoded}", orcpt.address_type)?;
        }
        Ok(())
    }
}

/// `size-value = 1*20DIGIT` (RFC 1870 §3). A value past `u64::MAX` is
/// [`ParameterError::SizeTooLarge`], never a wrapped smaller number.
fn size_value(text: &str) -> Result<u64, ParameterError> {
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParameterError::Invalid("SIZE"));
    }
    text.bytes()
        .try_fold(0u64, |total, digit| {
            total.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
        })
        .ok_or(ParameterError::SizeTooLarge)
}

/// `"NEVER" / 1#notify-list-element` with each element at most once (RFC 3461 §4.1).
fn notify_value(text: &str) -> Option<Notify> {
    if text.eq_ignore_ascii_case("NEVER") {
        return Some(Notify::Never);
    }
    let (mut success, mut failure, mut delay) = (false, false, false);
    for element in text.split(',') {
        let slot = match known_keyword(element, &["SUCCESS", "FAILURE", "DELAY"]) {
            "SUCCESS" => &mut success,
            "FAILURE" => &mut failure,
            "DELAY" => &mut delay,
            _ => return None,
        };
        if std::mem::replace(slot, true) {
            return None;
        }
    }
    Some(Notify::On {
        success,
        failure,
        delay,
    })
}

/// `original-recipient-address = addr-type ";" xtext` (RFC 3461 §4.2); for the `utf-8`
/// type, `utf-8-addr-xtext` or `utf-8-addr-unitext` (RFC 6533 §3).
fn orcpt_value(text: &str) -> Option<OriginalRecipient> {
    let (address_type, encoded) = text.split_once(';')?;
    let is_atom = !address_type.is_empty()
        && address_type
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c));
    if !is_atom || encoded.is_empty() {
        return None;
    }
    let address = if address_type.eq_ignore_ascii_case("utf-8") {
        utf8_addr_decode(encoded)?
    } else {
        xtext_decode(encoded)?
    };
    (address.chars().count() <= MAX_ORCPT).then(|| OriginalRecipient {
        address_type: address_type.to_owned(),
        address,
    })
}

/// `AUTH=` value: xtext of a mailbox, or `<>` (RFC 4954 §5).
fn auth_value(text: &str) -> Option<ReversePath> {
    let decoded = xtext_decode(text)?;
    if decoded == "<>" {
        return Some(ReversePath::Null);
    }
    match mailbox(&decoded) {
        Ok(("", parsed)) => Some(ReversePath::Mailbox(parsed)),
        _ => None,
    }
}

/// `xtext = *( xchar / hexchar )`, `xchar` = `!`..=`~` but `+` and `=`,
/// `hexchar = "+" 2(%x30-39 / %x41-46)` (RFC 3461 §4: upper-case hex only).
/// Returns `None` for malformed xtext or a decoded value that is not UTF-8.
pub fn xtext_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut chars = text.bytes();
    while let Some(byte) = chars.next() {
        match byte {
            b'+' => {
                let hex = |b: u8| match b {
                    b'0'..=b'9' => Some(b - b'0'),
                    b'A'..=b'F' => Some(b - b'A' + 10),
                    _ => None,
                };
                let high = hex(chars.next()?)?;
                let low = hex(chars.next()?)?;
                bytes.push(high << 4 | low);
            }
            b'!'..=b'~' if byte != b'=' => bytes.push(byte),
            _ => return None,
        }
    }
    String::from_utf8(bytes).ok()
}

/// Encodes `text` as xtext: `+`, `=`, controls, space and non-ASCII as `+HH`.
pub fn xtext_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if matches!(byte, b'!'..=b'~') && byte != b'+' && byte != b'=' {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("+{byte:02X}"));
        }
    }
    encoded
}

/// `utf-8-addr-xtext = 1*(QCHAR / EmbeddedUnicodeChar)` or `utf-8-addr-unitext`
/// (RFC 6533 §3): `QCHAR` is printable ASCII but `+`, `=` and `\`;
/// `EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"`; unitext also allows raw UTF-8.
fn utf8_addr_decode(text: &str) -> Option<String> {
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(escape) = rest.strip_prefix("\\x{") {
            let (hex, after) = escape.split_once('}')?;
            if !(1..=6).contains(&hex.len()) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            decoded.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
            rest = after;
            continue;
        }
        let allowed = (matches!(c, '!'..='~') && !matches!(c, '+' | '=' | '\\')) || !c.is_ascii();
        if !allowed {
            return None;
        }
        decoded.push(c);
        rest = &rest[c.len_utf8()..];
    }
    (!decoded.is_empty()).then_some(decoded)
}

/// Encodes as `utf-8-addr-xtext`: everything outside `QCHAR` as `\x{HEX}`.
fn utf8_addr_encode(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '!'..='~') && !matches!(c, '+' | '=' | '\\') {
                c.to_string()
            } else {
                format!("\\x{{{:X}}}", u32::from(c))
            }
        })
        .collect()
}

/// The authenticated sender of `AUTH=`, as a mailbox if there is one.
impl MailParameters {
    pub fn auth_mailbox(&self) -> Option<&Mailbox> {
        match self.auth.as_deref() {
            Some(ReversePath::Mailbox(mailbox)) => Some(mailbox),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(text: &str) -> Result<MailParameters, ParameterError> {
        let (rest, params) = esmtp_params(text).unwrap();
        assert_eq!(rest, "");
        MailParameters::from_params(&params)
    }

    fn rcpt(text: &str) -> Result<RcptParameters, ParameterError> {
        let (rest, params) = esmtp_params(text).unwrap();
        assert_eq!(rest, "");
        RcptParameters::from_params(&params)
    }

    #[test]
    fn size_that_overflows_is_an_error_never_a_smaller_number() {
        // RFC 1870: 1*20DIGIT; u64::MAX is 18446744073709551615.
        assert_eq!(
            mail("SIZE=18446744073709551615").unwrap().size,
            Some(u64::MAX)
        );
        assert_eq!(
            mail("SIZE=18446744073709551616"),
            Err(ParameterError::SizeTooLarge)
        );
        assert_eq!(
            mail("SIZE=99999999999999999999"),
            Err(ParameterError::SizeTooLarge)
        );
        assert_eq!(
            mail("SIZE=123456789012345678901"),
            Err(ParameterError::Invalid("SIZE"))
        );
        assert_eq!(mail("SIZE=-1"), Err(ParameterError::Invalid("SIZE")));
        assert_eq!(mail("SIZE"), Err(ParameterError::Invalid("SIZE")));
    }

    #[test]
    fn keywords_and_enumerated_values_are_case_insensitive() {
        let parsed = mail("size=10 body=8bitmime smtputf8 ret=hdrs").unwrap();
        assert_eq!(parsed.size, Some(10));
        assert_eq!(parsed.body, Some(Body::EightBitMime));
        assert!(parsed.smtputf8);
        assert_eq!(parsed.ret, Some(Ret::Headers));
    }

    #[test]
    fn identical_repeats_are_taken_as_one() {
        // What smtplib sends for send_message(mail_options=["SMTPUTF8", "BODY=8BITMIME"]).
        let parsed = mail("size=170 SMTPUTF8 BODY=8BITMIME SMTPUTF8 BODY=8BITMIME").unwrap();
        assert_eq!(parsed, mail("SIZE=170 SMTPUTF8 BODY=8BITMIME").unwrap());
        assert_eq!(parsed.to_string(), " SIZE=170 BODY=8BITMIME SMTPUTF8");
        assert!(
            mail("REQUIRETLS requiretls SIZE=5 SIZE=05")
                .unwrap()
                .requiretls
        );
    }

    #[test]
    fn unknown_and_duplicate_parameters_are_refused() {
        assert_eq!(
            mail("X-FOO=1"),
            Err(ParameterError::Unknown("X-FOO".into()))
        );
        assert_eq!(
            mail("SIZE=1 SIZE=2"),
            Err(ParameterError::Conflicting("SIZE".into()))
        );
        assert_eq!(
            mail("body=7BIT BODY=8bitmime"),
            Err(ParameterError::Conflicting("BODY".into()))
        );
        // RFC 3461 §4: each DSN parameter at most once, even with the same value.
        for repeated in ["RET=HDRS RET=HDRS", "ENVID=a ENVID=a", "AUTH=<> AUTH=<>"] {
            let keyword = repeated.split('=').next().unwrap();
            assert_eq!(
                mail(repeated),
                Err(ParameterError::Duplicate(keyword.into()))
            );
        }
        for repeated in [
            "NOTIFY=NEVER NOTIFY=NEVER",
            "ORCPT=rfc822;a@b ORCPT=rfc822;a@b",
        ] {
            let keyword = repeated.split('=').next().unwrap();
            assert_eq!(
                rcpt(repeated),
                Err(ParameterError::Duplicate(keyword.into()))
            );
        }
        assert_eq!(
            mail("SMTPUTF8=yes"),
            Err(ParameterError::Invalid("SMTPUTF8"))
        );
        assert_eq!(rcpt("SIZE=1"), Err(ParameterError::Unknown("SIZE".into())));
    }

    #[test]
    fn notify_never_stands_alone() {
        // RFC 3461 §4.1.
        assert_eq!(rcpt("NOTIFY=NEVER").unwrap().notify, Some(Notify::Never));
        assert_eq!(
            rcpt("NOTIFY=SUCCESS,DELAY").unwrap().notify,
            Some(Notify::On {
                success: true,
                failure: false,
                delay: true
            })
        );
        assert_eq!(
            rcpt("NOTIFY=NEVER,SUCCESS"),
            Err(ParameterError::Invalid("NOTIFY"))
        );
        assert_eq!(
            rcpt("NOTIFY=FAILURE,FAILURE"),
            Err(ParameterError::Invalid("NOTIFY"))
        );
    }

    #[test]
    fn xtext_decodes_hexchars_and_refuses_lowercase_hex() {
        // RFC 3461 §4.
        assert_eq!(xtext_decode("a+2Bb+3Dc").as_deref(), Some("a+b=c"));
        assert_eq!(xtext_decode("a+2b"), None);
        assert_eq!(xtext_decode("a=b"), None);
        assert_eq!(xtext_decode("a+2"), None);
        assert_eq!(xtext_encode("a+b=c d"), "a+2Bb+3Dc+20d");
    }

    #[test]
    fn orcpt_decodes_rfc822_and_utf8_address_types() {
        let orcpt = rcpt("ORCPT=rfc822;user+40example.org")
            .unwrap()
            .orcpt
            .unwrap();
        assert_eq!(orcpt.address, "user@example.org");
        // RFC 6533 §3: utf-8-addr-xtext with an embedded code point.
        let orcpt = rcpt("ORCPT=utf-8;j\\x{E4}rvi@example.org")
            .unwrap()
            .orcpt
            .unwrap();
        assert_eq!(orcpt.address, "järvi@example.org");
        assert_eq!(rcpt("ORCPT=rfc822"), Err(ParameterError::Invalid("ORCPT")));
    }

    #[test]
    fn envid_is_limited_to_100_characters() {
        assert!(mail(&format!("ENVID={}", "a".repeat(100))).is_ok());
        assert_eq!(
            mail(&format!("ENVID={}", "a".repeat(101))),
            Err(ParameterError::Invalid("ENVID"))
        );
    }

    #[test]
    fn auth_parameter_is_a_mailbox_or_null() {
        // RFC 4954 §5.
        assert_eq!(
            mail("AUTH=<>").unwrap().auth,
            Some(Box::new(ReversePath::Null))
        );
        let parsed = mail("AUTH=user+40example.org").unwrap();
        assert_eq!(
            parsed.auth_mailbox().map(ToString::to_string).as_deref(),
            Some("user@example.org")
        );
        assert_eq!(mail("AUTH=nobody"), Err(ParameterError::Invalid("AUTH")));
    }

    #[test]
    fn parameters_render_back_to_what_parses_to_the_same() {
        let parsed =
            mail("SIZE=5 BODY=BINARYMIME SMTPUTF8 RET=FULL ENVID=x+2By AUTH=<> REQUIRETLS")
                .unwrap();
        assert_eq!(mail(parsed.to_string().trim_start()), Ok(parsed));
        let parsed = rcpt("NOTIFY=FAILURE ORCPT=utf-8;j\\x{E4}rvi@example.org").unwrap();
        assert_eq!(rcpt(parsed.to_string().trim_start()), Ok(parsed));
    }
}
