//! SMTP commands (RFC 5321 §4.1.1) and the extension commands STARTTLS (RFC 3207),
//! AUTH (RFC 4954) and BDAT (RFC 3030): typed, parsed from a line, rendered back.

use crate::code;
use core::fmt;

use nom::branch::alt;
use nom::bytes::complete::take_while_m_n;
use nom::character::complete::char;
use nom::combinator::{all_consuming, map, opt, verify};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::address::{
    AddressLiteral, Domain, ForwardPath, Host, ReversePath, address_literal, domain, forward_path,
    reverse_path, string,
};
use super::parameters::{MailParameters, ParameterError, RcptParameters, esmtp_params};
use super::{ascii_tag_no_case, take_while1};
use crate::reply::{Reply, build};

/// A command from the client.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Command {
    /// `EHLO` with the client's domain or address literal (§4.1.1.1).
    Ehlo(Host),
    /// `HELO` with the client's domain (§4.1.1.1).
    Helo(Domain),
    /// `MAIL FROM:` (§4.1.1.2).
    Mail {
        reverse_path: ReversePath,
        parameters: MailParameters,
    },
    /// `RCPT TO:` (§4.1.1.3).
    Rcpt {
        forward_path: ForwardPath,
        parameters: RcptParameters,
    },
    /// `DATA` (§4.1.1.4).
    Data,
    /// `BDAT` chunk of `size` octets, the last one if `last` (RFC 3030 §2).
    Bdat { size: u64, last: bool },
    /// `RSET` (§4.1.1.5).
    Rset,
    /// `VRFY` (§4.1.1.6).
    Vrfy(String),
    /// `EXPN` (§4.1.1.7).
    Expn(String),
    /// `HELP` with an optional topic (§4.1.1.8).
    Help(Option<String>),
    /// `NOOP` with an optional, ignored argument (§4.1.1.9).
    Noop(Option<String>),
    /// `QUIT` (§4.1.1.10).
    Quit,
    /// `STARTTLS` (RFC 3207 §4).
    StartTls,
    /// `AUTH` mechanism with an optional initial response (RFC 4954 §4).
    Auth {
        /// Upper-cased SASL mechanism name, e.g. `PLAIN`.
        mechanism: String,
        initial_response: Option<InitialResponse>,
    },
}

/// The initial response of AUTH: base64 text, or `=` for an empty one (RFC 4954 §4).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum InitialResponse {
    Empty,
    Base64(String),
}

/// The verb of a command, for replies and explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verb {
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Vrfy,
    Expn,
    Help,
    Noop,
    Quit,
    StartTls,
    Auth,
}

impl Verb {
    /// Every verb, in the order of RFC 5321 §4.1.1 then the extensions.
    pub const ALL: [Verb; 14] = [
        Self::Ehlo,
        Self::Helo,
        Self::Mail,
        Self::Rcpt,
        Self::Data,
        Self::Rset,
        Self::Vrfy,
        Self::Expn,
        Self::Help,
        Self::Noop,
        Self::Quit,
        Self::StartTls,
        Self::Auth,
        Self::Bdat,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ehlo => "EHLO",
            Self::Helo => "HELO",
            Self::Mail => "MAIL",
            Self::Rcpt => "RCPT",
            Self::Data => "DATA",
            Self::Bdat => "BDAT",
            Self::Rset => "RSET",
            Self::Vrfy => "VRFY",
            Self::Expn => "EXPN",
            Self::Help => "HELP",
            Self::Noop => "NOOP",
            Self::Quit => "QUIT",
            Self::StartTls => "STARTTLS",
            Self::Auth => "AUTH",
        }
    }

    fn from_word(word: &str) -> Option<Self> {
        // Upper-case into a small buffer once, then match whole words.
        let mut upper = [0u8; 8];
        let bytes = word.as_bytes();
        upper.get_mut(..bytes.len())?.copy_from_slice(bytes);
        upper.make_ascii_uppercase();
        Some(match upper.get(..bytes.len())? {
            b"EHLO" => Self::Ehlo,
            b"HELO" => Self::Helo,
            b"MAIL" => Self::Mail,
            b"RCPT" => Self::Rcpt,
            b"DATA" => Self::Data,
            b"BDAT" => Self::Bdat,
            b"RSET" => Self::Rset,
            b"VRFY" => Self::Vrfy,
            b"EXPN" => Self::Expn,
            b"HELP" => Self::Help,
            b"NOOP" => Self::Noop,
            b"QUIT" => Self::Quit,
            b"STARTTLS" => Self::StartTls,
            b"AUTH" => Self::Auth,
            _ => return None,
        })
    }
}

impl Command {
    pub fn verb(&self) -> Verb {
        match self {
            Self::Ehlo(_) => Verb::Ehlo,
            Self::Helo(_) => Verb::Helo,
            Self::Mail { .. } => Verb::Mail,
            Self::Rcpt { .. } => Verb::Rcpt,
            Self::Data => Verb::Data,
            Self::Bdat { .. } => Verb::Bdat,
            Self::Rset => Verb::Rset,
            Self::Vrfy(_) => Verb::Vrfy,
            Self::Expn(_) => Verb::Expn,
            Self::Help(_) => Verb::Help,
            Self::Noop(_) => Verb::Noop,
            Self::Quit => Verb::Quit,
            Self::StartTls => Verb::StartTls,
            Self::Auth { .. } => Verb::Auth,
        }
    }

    /// Parses one command line, without its CRLF.
    pub fn parse(line: &[u8]) -> Result<Self, CommandError> {
        // Lines end only with CRLF; a CR, LF or NUL inside one is never valid (§2.3.8).
        // Command lines are short: a plain loop beats memchr's set-up here.
        if line.iter().any(|&octet| matches!(octet, b'\r' | b'\n' | 0)) {
            return Err(CommandError::InvalidCharacters);
        }
        let line = core::str::from_utf8(line).map_err(|_| CommandError::InvalidCharacters)?;
        let word_end = line
            .bytes()
            .position(|octet| octet == b' ' || octet == b':')
            .unwrap_or(line.len());
        let (word, arguments) = line.split_at_checked(word_end).unwrap_or((line, ""));
        let verb = Verb::from_word(word).ok_or(CommandError::Unknown)?;
        let whole = |parsed: Option<Self>| parsed.ok_or(CommandError::Syntax(verb));
        match verb {
            Verb::Ehlo => whole(whole_of(arguments, preceded(char(' '), host)).map(Self::Ehlo)),
            Verb::Helo => whole(whole_of(arguments, preceded(char(' '), domain)).map(Self::Helo)),
            Verb::Mail => mail(arguments),
            Verb::Rcpt => rcpt(arguments),
            Verb::Data => no_argument(arguments, Self::Data, verb),
            Verb::Rset => no_argument(arguments, Self::Rset, verb),
            Verb::Quit => no_argument(arguments, Self::Quit, verb),
            Verb::StartTls => no_argument(arguments, Self::StartTls, verb),
            Verb::Vrfy => whole(whole_of(arguments, preceded(char(' '), string)).map(Self::Vrfy)),
            Verb::Expn => whole(whole_of(arguments, preceded(char(' '), string)).map(Self::Expn)),
            Verb::Help => {
                whole(whole_of(arguments, opt(preceded(char(' '), string))).map(Self::Help))
            }
            Verb::Noop => {
                whole(whole_of(arguments, opt(preceded(char(' '), string))).map(Self::Noop))
            }
            Verb::Auth => whole(whole_of(arguments, auth)),
            Verb::Bdat => whole(whole_of(arguments, bdat)),
        }
    }

    /// The command in wire form, CRLF included.
    pub fn to_line(&self) -> String {
        format!("{self}\r\n")
    }
}

impl fmt::Display for Command {
    /// The command without CRLF, in the canonical form of RFC 5321.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ehlo(host) => write!(f, "EHLO {host}"),
            Self::Helo(domain) => write!(f, "HELO {domain}"),
            Self::Mail {
                reverse_path,
                parameters,
            } => write!(f, "MAIL FROM:{reverse_path}{parameters}"),
            Self::Rcpt {
                forward_path,
                parameters,
            } => write!(f, "RCPT TO:{forward_path}{parameters}"),
            Self::Data => f.write_str("DATA"),
            Self::Bdat { size, last } => {
                write!(f, "BDAT {size}{}", if *last { " LAST" } else { "" })
            }
            Self::Rset => f.write_str("RSET"),
            Self::Vrfy(text) => write!(f, "VRFY {}", string_form(text)),
            Self::Expn(text) => write!(f, "EXPN {}", string_form(text)),
            Self::Help(topic) | Self::Noop(topic) => {
                f.write_str(self.verb().as_str())?;
                match topic {
                    Some(topic) => write!(f, " {}", string_form(topic)),
                    None => Ok(()),
                }
            }
            Self::Quit => f.write_str("QUIT"),
            Self::StartTls => f.write_str("STARTTLS"),
            Self::Auth {
                mechanism,
                initial_response,
            } => {
                write!(f, "AUTH {mechanism}")?;
                match initial_response {
                    Some(InitialResponse::Empty) => f.write_str(" ="),
                    Some(InitialResponse::Base64(text)) => write!(f, " {text}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// `String = Atom / Quoted-string`: an Atom when it is one, else quoted.
fn string_form(text: &str) -> String {
    match string(text) {
        Ok(("", _)) if !text.starts_with('"') => text.to_owned(),
        _ => {
            let escaped: String = text
                .chars()
                .flat_map(|c| {
                    let escape = (c == '"' || c == '\\').then_some('\\');
                    escape.into_iter().chain([c])
                })
                .collect();
            format!("\"{escaped}\"")
        }
    }
}

/// Runs `parser` over all of `input`.
fn whole_of<'a, T>(
    input: &'a str,
    parser: impl Parser<&'a str, Output = T, Error = nom::error::Error<&'a str>>,
) -> Option<T> {
    all_consuming(parser)
        .parse(input)
        .ok()
        .map(|(_, value)| value)
}

/// A command that takes no argument: `command` when nothing follows the verb.
fn no_argument(arguments: &str, command: Command, verb: Verb) -> Result<Command, CommandError> {
    if arguments.is_empty() {
        Ok(command)
    } else {
        Err(CommandError::Syntax(verb))
    }
}

/// `( Domain / address-literal )` of `ehlo`.
fn host(input: &str) -> IResult<&str, Host> {
    alt((
        map(domain, Host::Domain),
        map(address_literal, |literal: AddressLiteral| {
            Host::Literal(literal)
        }),
    ))
    .parse(input)
}

/// `mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF`
fn mail(arguments: &str) -> Result<Command, CommandError> {
    let (reverse_path, parameters) = path_command(
        arguments,
        (" FROM:", Verb::Mail),
        (reverse_path, CommandError::BadSender),
        MailParameters::from_params,
    )?;
    Ok(Command::Mail {
        reverse_path,
        parameters,
    })
}

/// `rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path )
/// [SP Rcpt-parameters] CRLF`
fn rcpt(arguments: &str) -> Result<Command, CommandError> {
    let (forward_path, parameters) = path_command(
        arguments,
        (" TO:", Verb::Rcpt),
        (forward_path, CommandError::BadRecipient),
        RcptParameters::from_params,
    )?;
    Ok(Command::Rcpt {
        forward_path,
        parameters,
    })
}

/// A parser of `Reverse-path` or `Forward-path`.
type PathParser<P> = fn(&str) -> IResult<&str, P>;

/// The shared shape of MAIL and RCPT: the keyword and colon (`" FROM:"`, `" TO:"`, no
/// space after the colon), a path, then optional parameters.
fn path_command<P, T: Default>(
    arguments: &str,
    (keyword, verb): (&str, Verb),
    (path, bad_path): (PathParser<P>, CommandError),
    type_parameters: impl Fn(&[(&str, Option<&str>)]) -> Result<T, ParameterError>,
) -> Result<(P, T), CommandError> {
    let path_and_parameters = arguments
        .split_at_checked(keyword.len())
        .filter(|(head, _)| head.eq_ignore_ascii_case(keyword))
        .map(|(_, rest)| rest)
        .ok_or(CommandError::Syntax(verb))?;
    let (rest, path) = path(path_and_parameters).map_err(|_| bad_path)?;
    Ok((path, parameters(rest, type_parameters)?))
}

/// `[SP Mail-parameters]` / `[SP Rcpt-parameters]`, typed by `type_them`.
fn parameters<T: Default>(
    rest: &str,
    type_them: impl Fn(&[(&str, Option<&str>)]) -> Result<T, ParameterError>,
) -> Result<T, CommandError> {
    if rest.is_empty() {
        return Ok(T::default());
    }
    let list = whole_of(rest, preceded(char(' '), esmtp_params)).ok_or(CommandError::Parameter(
        ParameterError::Invalid("parameters"),
    ))?;
    type_them(&list).map_err(CommandError::Parameter)
}

/// `auth = "AUTH" SP sasl-mech [SP initial-response]`,
/// `sasl-mech = 1*20(UPPER-ALPHA / DIGIT / "-" / "_")` (RFC 4422 §3.1, case-insensitive
/// on the wire), `initial-response = base64 / "="` (RFC 4954 §4).
fn auth(input: &str) -> IResult<&str, Command> {
    map(
        (
            preceded(
                char(' '),
                take_while_m_n(1, 20, |c: char| {
                    c.is_ascii_alphanumeric() || c == '-' || c == '_'
                }),
            ),
            opt(preceded(
                char(' '),
                alt((
                    map(char('='), |_| InitialResponse::Empty),
                    map(base64, |text: &str| {
                        InitialResponse::Base64(text.to_owned())
                    }),
                )),
            )),
        ),
        |(mechanism, initial_response): (&str, _)| Command::Auth {
            mechanism: mechanism.to_ascii_uppercase(),
            initial_response,
        },
    )
    .parse(input)
}

/// `base64 = base64-terminal / ( 1*(4base64-char) [base64-terminal] )` (RFC 4954 §4):
/// groups of four, with `=` padding only at the end.
pub fn base64(input: &str) -> IResult<&str, &str> {
    verify(
        take_while1(|c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='),
        |text: &str| {
            let padding = text.len() - text.trim_end_matches('=').len();
            text.len().is_multiple_of(4)
                && padding <= 2
                && !text.trim_end_matches('=').contains('=')
        },
    )
    .parse(input)
}

/// `bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]`, `chunk-size = 1*DIGIT`,
/// `end-marker = "LAST"` (RFC 3030 §2). A size past `u64::MAX` is a syntax error.
fn bdat(input: &str) -> IResult<&str, Command> {
    map(
        (
            preceded(
                char(' '),
                nom::combinator::map_res(
                    take_while1(|c: char| c.is_ascii_digit()),
                    str::parse::<u64>,
                ),
            ),
            opt(preceded(char(' '), ascii_tag_no_case("LAST"))),
        ),
        |(size, last)| Command::Bdat {
            size,
            last: last.is_some(),
        },
    )
    .parse(input)
}

/// Why a command line was refused; each maps to the reply RFC 5321 names for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    /// CR, LF or NUL inside the line, or bytes that are not UTF-8.
    InvalidCharacters,
    /// No command of SMTP or our extensions starts this way.
    Unknown,
    /// A known command with arguments outside its grammar.
    Syntax(Verb),
    /// MAIL FROM with a reverse path outside the grammar.
    BadSender,
    /// RCPT TO with a forward path outside the grammar.
    BadRecipient,
    /// MAIL or RCPT parameters refused.
    Parameter(ParameterError),
}

/// The text of the reply it maps to, e.g. `Syntax error in the sender address`.
impl core::fmt::Display for CommandError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.reply().lines().join(" "))
    }
}

impl std::error::Error for CommandError {}

impl CommandError {
    /// The reply for this error (RFC 5321 §4.2.2 and §4.2.4; RFC 3463; RFC 1870 §6).
    pub fn reply(&self) -> Reply {
        let (code, enhanced, text): (crate::reply::ReplyCode, (u16, u16), String) = match self {
            Self::InvalidCharacters => (
                code!(500),
                (5, 2),
                "Syntax error: CR, LF and NUL are not allowed in a command".into(),
            ),
            Self::Unknown => (
                code!(500),
                (5, 1),
                "Syntax error, command unrecognized".into(),
            ),
            Self::Syntax(verb) => (
                code!(501),
                (5, 2),
                format!("Syntax error in arguments of {}", verb.as_str()),
            ),
            Self::BadSender => (
                code!(501),
                (1, 7),
                "Syntax error in the sender address".into(),
            ),
            Self::BadRecipient => (
                code!(501),
                (1, 3),
                "Syntax error in the recipient address".into(),
            ),
            Self::Parameter(ParameterError::Unknown(keyword)) => (
                code!(555),
                (5, 4),
                format!("MAIL FROM/RCPT TO parameter {keyword} not recognized"),
            ),
            Self::Parameter(ParameterError::SizeTooLarge) => (
                code!(552),
                (3, 4),
                "Message size exceeds fixed maximum message size".into(),
            ),
            Self::Parameter(error) => (
                code!(501),
                (5, 4),
                format!("Syntax error in parameters: {error}"),
            ),
        };
        build(code, enhanced, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::address::Mailbox;

    fn parse(line: &str) -> Result<Command, CommandError> {
        Command::parse(line.as_bytes())
    }

    fn code(line: &str) -> u16 {
        parse(line).unwrap_err().reply().code().value()
    }

    #[test]
    fn every_command_of_section_4_1_1_parses() {
        assert!(matches!(
            parse("EHLO client.example"),
            Ok(Command::Ehlo(Host::Domain(_)))
        ));
        assert!(matches!(
            parse("EHLO [192.0.2.1]"),
            Ok(Command::Ehlo(Host::Literal(_)))
        ));
        assert!(matches!(parse("HELO client.example"), Ok(Command::Helo(_))));
        assert!(matches!(
            parse("MAIL FROM:<a@b.example>"),
            Ok(Command::Mail { .. })
        ));
        assert!(matches!(
            parse("MAIL FROM:<>"),
            Ok(Command::Mail {
                reverse_path: ReversePath::Null,
                ..
            })
        ));
        assert!(matches!(
            parse("RCPT TO:<a@b.example>"),
            Ok(Command::Rcpt { .. })
        ));
        assert_eq!(parse("DATA"), Ok(Command::Data));
        assert_eq!(parse("RSET"), Ok(Command::Rset));
        assert_eq!(
            parse("VRFY postmaster"),
            Ok(Command::Vrfy("postmaster".into()))
        );
        assert_eq!(
            parse("EXPN \"list name\""),
            Ok(Command::Expn("list name".into()))
        );
        assert_eq!(parse("HELP"), Ok(Command::Help(None)));
        assert_eq!(parse("HELP MAIL"), Ok(Command::Help(Some("MAIL".into()))));
        assert_eq!(parse("NOOP"), Ok(Command::Noop(None)));
        assert_eq!(parse("QUIT"), Ok(Command::Quit));
        assert_eq!(parse("STARTTLS"), Ok(Command::StartTls));
        assert_eq!(
            parse("BDAT 1000 LAST"),
            Ok(Command::Bdat {
                size: 1000,
                last: true
            })
        );
        assert_eq!(
            parse("BDAT 0"),
            Ok(Command::Bdat {
                size: 0,
                last: false
            })
        );
    }

    #[test]
    fn every_verb_is_recognised_by_its_name() {
        for verb in Verb::ALL {
            assert_eq!(Verb::from_word(verb.as_str()), Some(verb));
            assert_eq!(Verb::from_word(&verb.as_str().to_lowercase()), Some(verb));
        }
        assert_eq!(Verb::from_word("STARTTLSX"), None);
        assert_eq!(Verb::from_word(""), None);
    }

    #[test]
    fn verbs_are_case_insensitive() {
        // RFC 5321 §2.4.
        assert_eq!(parse("quit"), Ok(Command::Quit));
        assert!(matches!(
            parse("mail from:<a@b.example>"),
            Ok(Command::Mail { .. })
        ));
        assert!(matches!(
            parse("rcpt To:<postmaster>"),
            Ok(Command::Rcpt {
                forward_path: ForwardPath::Postmaster,
                ..
            })
        ));
    }

    #[test]
    fn auth_takes_a_mechanism_and_an_optional_initial_response() {
        // RFC 4954 §4.
        assert_eq!(
            parse("AUTH plain AHVzZXIAcGFzcw=="),
            Ok(Command::Auth {
                mechanism: "PLAIN".into(),
                initial_response: Some(InitialResponse::Base64("AHVzZXIAcGFzcw==".into()))
            })
        );
        assert_eq!(
            parse("AUTH PLAIN ="),
            Ok(Command::Auth {
                mechanism: "PLAIN".into(),
                initial_response: Some(InitialResponse::Empty)
            })
        );
        assert!(matches!(
            parse("AUTH LOGIN"),
            Ok(Command::Auth {
                initial_response: None,
                ..
            })
        ));
        assert_eq!(code("AUTH PLAIN abc"), 501);
        assert_eq!(code("AUTH"), 501);
    }

    #[test]
    fn errors_map_to_the_replies_the_rfc_names() {
        assert_eq!(code("FOO"), 500);
        assert_eq!(code("GET / HTTP/1.1"), 500);
        assert_eq!(code("DATA now"), 501);
        assert_eq!(code("MAIL FROM: <a@b.example>"), 501);
        assert_eq!(code("MAIL FROM:a@b.example"), 501);
        assert_eq!(code("RCPT TO:<>"), 501);
        assert_eq!(code("MAIL FROM:<a@b.example> X-UNKNOWN=1"), 555);
        assert_eq!(
            code("MAIL FROM:<a@b.example> SIZE=99999999999999999999"),
            552
        );
        assert_eq!(code("BDAT 99999999999999999999"), 501);
        assert_eq!(code("HELO [192.0.2.1]"), 501);
    }

    #[test]
    fn control_characters_in_a_command_are_a_syntax_error() {
        for line in [&b"NOOP\rx"[..], b"NOOP\nx", b"NO\0OP", b"NOOP \xff"] {
            assert_eq!(Command::parse(line), Err(CommandError::InvalidCharacters));
        }
    }

    #[test]
    fn commands_render_to_lines_that_parse_back_equal() {
        let commands = [
            "EHLO [IPv6:2001:db8::1]",
            "MAIL FROM:<\"john doe\"@example.org> SIZE=100 BODY=8BITMIME",
            "RCPT TO:<Postmaster> NOTIFY=SUCCESS,FAILURE",
            "VRFY \"a \\\"quoted\\\" name\"",
            "AUTH LOGIN dXNlcg==",
            "BDAT 42 LAST",
        ];
        for line in commands {
            let command = parse(line).unwrap();
            assert_eq!(parse(&command.to_string()), Ok(command.clone()), "{line}");
        }
        let rcpt = Command::Rcpt {
            forward_path: ForwardPath::Mailbox(Mailbox {
                local_part: "user".into(),
                host: Host::Domain(Domain::parse("example.org").unwrap()),
            }),
            parameters: RcptParameters::default(),
        };
        assert_eq!(rcpt.to_line(), "RCPT TO:<user@example.org>\r\n");
    }
}
