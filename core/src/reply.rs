//! SMTP replies (RFC 5321 §4.2) with optional enhanced status codes (RFC 3463, RFC 2034).
//!
//! A [`Reply`] that exists can always be written to the wire: its code is a valid
//! three-digit reply code and its text holds only the characters §4.2 allows, so a host
//! name or other text from outside can never inject a line into the dialogue.

use core::fmt;

/// A reply code, `Reply-code = %x32-35 %x30-35 %x30-39` (RFC 5321 §4.2).
///
/// The first digit says whether the command succeeded (2), needs more input (3), failed
/// temporarily (4) or failed permanently (5); the second names the category of the reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReplyCode(u16);

impl ReplyCode {
    /// `211 System status, or system help reply` (§4.2.2).
    pub const SYSTEM_STATUS: Self = Self(211);
    /// `220 <domain> Service ready` (§4.2.2, §4.3.1).
    pub const SERVICE_READY: Self = Self(220);
    /// `221 <domain> Service closing transmission channel` (§4.2.2).
    pub const CLOSING: Self = Self(221);
    /// `250 Requested mail action okay, completed` (§4.2.2).
    pub const OK: Self = Self(250);
    /// `354 Start mail input; end with <CRLF>.<CRLF>` (§4.2.2).
    pub const START_MAIL_INPUT: Self = Self(354);
    /// `421 <domain> Service not available, closing transmission channel` (§4.2.2).
    pub const SERVICE_NOT_AVAILABLE: Self = Self(421);
    /// `500 Syntax error, command unrecognized` (§4.2.2).
    pub const SYNTAX_ERROR: Self = Self(500);
    /// `501 Syntax error in parameters or arguments` (§4.2.2).
    pub const PARAMETER_SYNTAX_ERROR: Self = Self(501);
    /// `502 Command not implemented` (§4.2.2).
    pub const NOT_IMPLEMENTED: Self = Self(502);
    /// `503 Bad sequence of commands` (§4.2.2).
    pub const BAD_SEQUENCE: Self = Self(503);
    /// `554 Transaction failed` (§4.2.2).
    pub const TRANSACTION_FAILED: Self = Self(554);

    /// The code, if `value` is a valid reply code per §4.2.
    pub const fn new(value: u16) -> Option<Self> {
        let (first, second) = (value / 100, value / 10 % 10);
        if first >= 2 && first <= 5 && second <= 5 {
            Some(Self(value))
        } else {
            None
        }
    }

    /// The code `value`, checked when the program is compiled: use it through
    /// [`code!`](crate::code), whose `const` block turns an invalid literal into a
    /// compile error rather than a reply nobody meant.
    #[doc(hidden)]
    #[allow(clippy::panic)] // evaluated only at compile time, inside `code!`
    pub const fn checked(value: u16) -> Self {
        match Self::new(value) {
            Some(code) => code,
            None => panic!("not a reply code (RFC 5321 §4.2: 2yz to 5yz, second digit 0 to 5)"),
        }
    }

    /// The code a reply line starts with: `Reply-code` is its first three characters
    /// (RFC 5321 §4.2).
    pub fn of_reply_line(line: &[u8]) -> Option<Self> {
        let digits = line.get(..3)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let value = digits
            .iter()
            .fold(0u16, |value, digit| value * 10 + u16::from(digit - b'0'));
        Self::new(value)
    }

    /// The numeric value, e.g. `250`.
    pub const fn value(self) -> u16 {
        self.0
    }

    /// The outcome the first digit announces (§4.2.1).
    pub const fn class(self) -> ReplyClass {
        match self.0 / 100 {
            2 => ReplyClass::PositiveCompletion,
            3 => ReplyClass::PositiveIntermediate,
            4 => ReplyClass::TransientNegative,
            _ => ReplyClass::PermanentNegative,
        }
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The first digit of a reply code (RFC 5321 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReplyClass {
    /// `2yz`: the requested action has been completed.
    PositiveCompletion,
    /// `3yz`: accepted, but the server waits for more information.
    PositiveIntermediate,
    /// `4yz`: not accepted now; the same command may succeed later.
    TransientNegative,
    /// `5yz`: not accepted, and repeating it unchanged will fail again.
    PermanentNegative,
}

/// An enhanced mail system status code, `class "." subject "." detail` (RFC 3463 §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnhancedCode {
    class: u8,
    subject: u16,
    detail: u16,
}

impl EnhancedCode {
    /// The code, if it is valid: class 2, 4 or 5; subject and detail of at most three
    /// digits (RFC 3463 §2).
    pub const fn new(class: u8, subject: u16, detail: u16) -> Option<Self> {
        if matches!(class, 2 | 4 | 5) && subject <= 999 && detail <= 999 {
            Some(Self {
                class,
                subject,
                detail,
            })
        } else {
            None
        }
    }

    /// `2`, `4` or `5`: success, persistent transient failure, permanent failure.
    pub const fn class(self) -> u8 {
        self.class
    }

    /// What the code is about: 1 address, 2 mailbox, 3 mail system, 4 network and
    /// routing, 5 protocol, 6 content, 7 security or policy (RFC 3463 §3).
    pub const fn subject(self) -> u16 {
        self.subject
    }

    /// The detail within the subject.
    pub const fn detail(self) -> u16 {
        self.detail
    }

    /// The same subject and detail with another class, so one code serves as `4.x.y` and
    /// `5.x.y` (RFC 3463 §2: the class must agree with the reply code's first digit).
    pub const fn with_class_of(self, code: ReplyCode) -> Self {
        Self {
            class: (code.value() / 100) as u8,
            ..self
        }
    }
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// Why a reply could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyError {
    /// The text holds a character outside `textstring` (RFC 5321 §4.2): only HT and
    /// printable US-ASCII are allowed, which also keeps CR and LF out.
    InvalidText {
        /// The offending character.
        character: char,
    },
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidText { character } => write!(
                f,
                "reply text may hold only HT and printable US-ASCII (RFC 5321 §4.2), not {character:?}"
            ),
        }
    }
}

impl std::error::Error for ReplyError {}

/// A complete reply: code, optional enhanced code and one or more lines of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    lines: Vec<String>,
}

impl Reply {
    /// A reply of one or more lines. Every line is checked against `textstring`
    /// (RFC 5321 §4.2); an empty `lines` gives one empty line.
    pub fn new<I, S>(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        lines: I,
    ) -> Result<Self, ReplyError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut checked = Vec::new();
        for line in lines {
            let line = line.into();
            if let Some(character) = line.chars().find(|&c| !is_text_char(c)) {
                return Err(ReplyError::InvalidText { character });
            }
            checked.push(line);
        }
        if checked.is_empty() {
            checked.push(String::new());
        }
        Ok(Self {
            code,
            enhanced,
            lines: checked,
        })
    }

    /// `220 <domain> ESMTP …`, the greeting that opens a session (RFC 5321 §4.3.1).
    /// `domain` must already be valid reply text (see [`Reply::new`]).
    pub fn service_ready(domain: &str) -> Result<Self, ReplyError> {
        Self::new(
            ReplyCode::SERVICE_READY,
            None,
            [format!("{domain} ESMTP wasmtp")],
        )
    }

    /// The same reply without its enhanced code, for clients that were not told of
    /// ENHANCEDSTATUSCODES (RFC 2034 §4).
    pub fn without_enhanced_code(self) -> Self {
        Self {
            enhanced: None,
            ..self
        }
    }

    /// The reply code.
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The enhanced status code, if the reply carries one.
    pub fn enhanced(&self) -> Option<EnhancedCode> {
        self.enhanced
    }

    /// The lines of text, without code and enhanced code.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Appends the reply in wire form (RFC 5321 §4.2):
    /// `*( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF`.
    /// The enhanced code, if any, starts the text of every line (RFC 2034 §4).
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let last = self.lines.len() - 1;
        for (index, line) in self.lines.iter().enumerate() {
            out.extend_from_slice(self.code.to_string().as_bytes());
            let text = match self.enhanced {
                Some(enhanced) if line.is_empty() => enhanced.to_string(),
                Some(enhanced) => format!("{enhanced} {line}"),
                None => line.clone(),
            };
            if index != last {
                out.push(b'-');
            } else if !text.is_empty() || self.code.value() == 334 {
                // RFC 4954 §4: `continue-req = "334" SP [base64] CRLF` keeps its SP even
                // for an empty challenge.
                out.push(b' ');
            }
            out.extend_from_slice(text.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }

    /// The reply in wire form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out);
        out
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

/// A [`ReplyCode`] from a literal, checked at compile time: `code!(451)`. A code
/// outside RFC 5321 §4.2 does not compile:
///
/// ```compile_fail
/// let _ = wasmtp_core::code!(600);
/// ```
#[macro_export]
macro_rules! code {
    ($value:literal) => {
        const { $crate::reply::ReplyCode::checked($value) }
    };
}

/// A one-line reply from `code`, the enhanced code's subject and detail (its class
/// follows the code, RFC 3463 §2), and text, of which only `textstring` characters are
/// kept. For replies written in code (`build(code!(250), (0, 0), "OK")`); text from
/// outside goes through [`Reply::new`].
pub fn build(code: ReplyCode, (subject, detail): (u16, u16), text: &str) -> Reply {
    let class = (code.value() / 100) as u8;
    Reply {
        code,
        enhanced: EnhancedCode::new(class, subject, detail),
        lines: vec![text.chars().filter(|&c| is_text_char(c)).collect()],
    }
}

/// `textstring = 1*(%d09 / %d32-126)` (RFC 5321 §4.2).
fn is_text_char(c: char) -> bool {
    c == '\t' || (' '..='~').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codes_follow_the_three_digit_grammar() {
        // RFC 5321 §4.2: first digit 2-5, second 0-5, third 0-9.
        assert!(ReplyCode::new(250).is_some());
        assert!(ReplyCode::new(559).is_some());
        assert!(ReplyCode::new(199).is_none());
        assert!(ReplyCode::new(600).is_none());
        assert!(ReplyCode::new(260).is_none());
        assert_eq!(
            ReplyCode::new(451).map(ReplyCode::class),
            Some(ReplyClass::TransientNegative)
        );
    }

    #[test]
    fn code_is_read_from_the_start_of_a_reply_line() {
        assert_eq!(
            ReplyCode::of_reply_line(b"250-PIPELINING"),
            Some(ReplyCode::OK)
        );
        assert_eq!(ReplyCode::of_reply_line(b"25"), None);
        assert_eq!(ReplyCode::of_reply_line(b"2x0 ok"), None);
        assert_eq!(ReplyCode::of_reply_line(b"999 no"), None);
    }

    #[test]
    fn single_line_reply_with_enhanced_code() {
        assert_eq!(
            build(code!(502), (5, 1), "Command not implemented").to_bytes(),
            b"502 5.5.1 Command not implemented\r\n"
        );
    }

    #[test]
    fn multiline_reply_uses_hyphen_on_all_but_the_last_line() {
        let reply = Reply::new(
            ReplyCode::OK,
            None,
            ["mx.example", "PIPELINING", "SIZE 1000"],
        )
        .unwrap();
        assert_eq!(
            reply.to_bytes(),
            b"250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n"
        );
    }

    #[test]
    fn text_with_crlf_cannot_become_a_reply() {
        // A host name from outside must never smuggle a second reply line.
        assert_eq!(
            Reply::service_ready("evil\r\n250 ok"),
            Err(ReplyError::InvalidText { character: '\r' })
        );
    }

    #[test]
    fn empty_text_gives_a_bare_code() {
        let reply = Reply::new(ReplyCode::OK, None, Vec::<String>::new()).unwrap();
        assert_eq!(reply.to_bytes(), b"250\r\n");
    }

    #[test]
    fn enhanced_code_takes_the_class_of_the_reply() {
        let code = ReplyCode::new(451).unwrap();
        assert_eq!(
            EnhancedCode::new(5, 5, 2)
                .unwrap()
                .with_class_of(code)
                .to_string(),
            "4.5.2"
        );
        assert!(EnhancedCode::new(3, 0, 0).is_none());
    }
}
