//! The replies the server session sends, in one place, each with the RFC that names it.
//! Enhanced codes are given in full here; the session removes them for clients that were
//! not told of ENHANCEDSTATUSCODES.

use crate::code;
use crate::reply::Reply;
use crate::reply::build;
use crate::syntax::Domain;

/// `250 2.0.0 OK` to NOOP and RSET (§4.1.1.5, §4.1.1.9).
pub fn ok() -> Reply {
    build(code!(250), (0, 0), "OK")
}

/// `250 2.1.0` to an accepted MAIL FROM (RFC 3463 §3.2: X.1.0 other address status).
pub fn sender_ok() -> Reply {
    build(code!(250), (1, 0), "Sender OK")
}

/// `250 2.1.5` to an accepted RCPT TO (RFC 3463 §3.2: destination address valid).
pub fn recipient_ok() -> Reply {
    build(code!(250), (1, 5), "Recipient OK")
}

/// `250 2.0.0` once a message is taken (§4.1.1.4).
pub fn message_accepted(id: &str) -> Reply {
    build(code!(250), (0, 0), &format!("OK: queued as {id}"))
}

/// `250 2.0.0` to a BDAT chunk that is not the last (RFC 3030 §2).
pub fn chunk_received(size: u64) -> Reply {
    build(code!(250), (0, 0), &format!("{size} octets received"))
}

/// `252 2.5.0` to VRFY: no verification, but mail is welcome (§3.5.3, §7.3).
pub fn cannot_verify() -> Reply {
    build(
        code!(252),
        (5, 0),
        "Cannot VRFY user, but will accept message and attempt delivery",
    )
}

/// `214 2.0.0` to HELP (§4.1.1.8).
pub fn help() -> Reply {
    build(
        code!(214),
        (0, 0),
        "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET VRFY NOOP QUIT HELP STARTTLS AUTH; see RFC 5321",
    )
}

/// `354` to DATA (§4.1.1.4); a 3yz reply has no enhanced code (RFC 3463 §2).
pub fn start_mail_input() -> Reply {
    build(
        code!(354),
        (0, 0),
        "Start mail input; end with <CRLF>.<CRLF>",
    )
    .without_enhanced_code()
}

/// `503 5.5.1` for a command out of sequence (§4.3.2).
pub fn bad_sequence(text: &str) -> Reply {
    build(code!(503), (5, 1), text)
}

/// `502 5.5.1` for a command this server does not implement (§4.2.4).
pub fn not_implemented(text: &str) -> Reply {
    build(code!(502), (5, 1), text)
}

/// `452 4.5.3` for a recipient past the limit (§4.5.3.1.10, RFC 3463 §3.6).
pub fn too_many_recipients() -> Reply {
    build(code!(452), (5, 3), "Too many recipients")
}

/// `552 5.3.4` for a declared SIZE over the limit (RFC 1870 §6).
pub fn message_too_big() -> Reply {
    build(
        code!(552),
        (3, 4),
        "Message size exceeds fixed maximum message size",
    )
}

/// `555 5.5.4` for a parameter of an extension that was not advertised (§4.1.1.11).
pub fn parameter_not_offered(keyword: &str) -> Reply {
    build(
        code!(555),
        (5, 4),
        &format!("{keyword} parameter not offered by this server"),
    )
}

/// `553 5.6.7` for a UTF-8 address without SMTPUTF8 (RFC 6531 §3.7.4.1, RFC 6533).
pub fn utf8_address_needs_smtputf8() -> Reply {
    build(code!(553), (6, 7), "Non-ASCII address needs SMTPUTF8")
}

/// `554 5.7.1` for a recipient this server does not relay to (RFC 5321 §3.6.2, RFC 3463 §3.8).
pub fn relay_denied() -> Reply {
    build(code!(554), (7, 1), "Relay access denied")
}

/// `550 5.7.1` from a host that refused the sender or recipient without a reply of its own.
pub fn refused_by_policy() -> Reply {
    build(code!(550), (7, 1), "Refused by policy")
}

/// `554 5.0.0` from a host that refused a message without a reply of its own.
pub fn message_refused() -> Reply {
    build(code!(554), (0, 0), "Message refused")
}

/// `454 4.7.0` to STARTTLS when no TLS is configured (RFC 3207 §4).
pub fn tls_not_available() -> Reply {
    build(code!(454), (7, 0), "TLS not available")
}

/// `220 2.0.0` to STARTTLS: the handshake follows (RFC 3207 §4).
pub fn ready_for_tls() -> Reply {
    build(code!(220), (0, 0), "Ready to start TLS")
}

/// `538 5.7.11` to AUTH without TLS (RFC 4954 §6).
pub fn encryption_required() -> Reply {
    build(
        code!(538),
        (7, 11),
        "Encryption required for requested authentication mechanism",
    )
}

/// `504 5.5.4` to AUTH with a mechanism not offered (RFC 4954 §4).
pub fn unknown_mechanism() -> Reply {
    build(code!(504), (5, 4), "Unrecognized authentication type")
}

/// `501 5.0.0` when the client cancels AUTH with `*` (RFC 4954 §4).
pub fn auth_cancelled() -> Reply {
    build(code!(501), (0, 0), "Authentication cancelled")
}

/// `501 5.5.2` for an AUTH response that is not base64 or not the mechanism's form.
pub fn bad_auth_response() -> Reply {
    build(code!(501), (5, 2), "Invalid authentication response")
}

/// `500 5.5.6`: an AUTH line longer than allowed (RFC 4954 §4).
pub fn auth_line_too_long() -> Reply {
    build(
        code!(500),
        (5, 6),
        "Authentication exchange line is too long",
    )
}

/// `235 2.7.0` for accepted credentials (RFC 4954 §6).
pub fn authenticated() -> Reply {
    build(code!(235), (7, 0), "Authentication successful")
}

/// `530 5.7.0` to MAIL before AUTH where authentication is required (RFC 4954 §6).
pub fn authentication_required() -> Reply {
    build(code!(530), (7, 0), "Authentication required")
}

/// `535 5.7.8` for refused credentials (RFC 4954 §6).
pub fn bad_credentials() -> Reply {
    build(code!(535), (7, 8), "Authentication credentials invalid")
}

/// `334` with a base64 challenge (RFC 4954 §4); a 3yz reply has no enhanced code.
pub fn challenge(base64: &str) -> Reply {
    build(code!(334), (0, 0), base64).without_enhanced_code()
}

/// `500 5.5.2 Line too long` for a command line past the limit (§4.5.3.1.4).
pub fn line_too_long() -> Reply {
    build(code!(500), (5, 2), "Line too long")
}

/// `500 5.5.2` to a command line ended by a bare LF (§2.3.8: only CRLF ends a line).
pub fn bare_lf() -> Reply {
    build(
        code!(500),
        (5, 2),
        "Line must end with CRLF, not a bare LF (RFC 5321 section 2.3.8)",
    )
}

/// `221 2.0.0` to QUIT (§4.1.1.10).
pub fn closing(hostname: &Domain) -> Reply {
    build(
        code!(221),
        (0, 0),
        &format!("{hostname} closing connection"),
    )
}

/// `421 4.4.2` when a deadline passed (§4.5.3.2, RFC 3463 §3.5).
pub fn timeout(hostname: &Domain) -> Reply {
    build(
        code!(421),
        (4, 2),
        &format!("{hostname} timeout exceeded, closing connection"),
    )
}

/// `421 4.7.0` when a client made too many errors or idle commands (§4.2.2: 421 closes).
pub fn too_many(hostname: &Domain, what: &str) -> Reply {
    build(
        code!(421),
        (7, 0),
        &format!("{hostname} too many {what}, closing connection"),
    )
}

/// `421 4.7.0` to a client that speaks HTTP or sends header lines as commands.
pub fn not_smtp(hostname: &Domain) -> Reply {
    build(
        code!(421),
        (7, 0),
        &format!("{hostname} this is an SMTP server, closing connection"),
    )
}

/// `554 5.5.0` to a client that talked before the greeting (§4.3.1: 554 refuses service).
pub fn talked_first(hostname: &Domain) -> Reply {
    build(
        code!(554),
        (5, 0),
        &format!("{hostname} protocol error: client sent data before the greeting"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain;
    use crate::syntax::{CommandError, ParameterError, Verb};

    /// Every reply the server session can send, from this module and from the grammar's
    /// errors and the content checks.
    fn every_reply() -> Vec<Reply> {
        let host = Domain::parse("mx.example").unwrap();
        let mut all = vec![
            ok(),
            sender_ok(),
            recipient_ok(),
            message_accepted("x"),
            chunk_received(1),
            cannot_verify(),
            help(),
            start_mail_input(),
            bad_sequence("x"),
            not_implemented("x"),
            too_many_recipients(),
            message_too_big(),
            parameter_not_offered("X"),
            utf8_address_needs_smtputf8(),
            relay_denied(),
            refused_by_policy(),
            message_refused(),
            tls_not_available(),
            ready_for_tls(),
            encryption_required(),
            unknown_mechanism(),
            auth_cancelled(),
            bad_auth_response(),
            auth_line_too_long(),
            authenticated(),
            bad_credentials(),
            challenge(""),
            line_too_long(),
            closing(&host),
            timeout(&host),
            too_many(&host, "x"),
            not_smtp(&host),
            talked_first(&host),
            bare_lf(),
        ];
        let errors = [
            CommandError::InvalidCharacters,
            CommandError::Unknown,
            CommandError::Syntax(Verb::Mail),
            CommandError::BadSender,
            CommandError::BadRecipient,
            CommandError::Parameter(ParameterError::Unknown("X".into())),
            CommandError::Parameter(ParameterError::Duplicate("X".into())),
            CommandError::Parameter(ParameterError::Conflicting("X".into())),
            CommandError::Parameter(ParameterError::Invalid("X")),
            CommandError::Parameter(ParameterError::SizeTooLarge),
        ];
        all.extend(errors.iter().map(CommandError::reply));
        let verdicts = super::super::data::every_verdict();
        assert_eq!(verdicts.len(), 5, "one refusal per content problem");
        all.extend(verdicts);
        all
    }

    #[test]
    fn every_reply_the_session_can_send_has_an_explanation() {
        for reply in every_reply() {
            assert!(explain::is_known_reply_code(reply.code()), "{reply}");
            if let Some(enhanced) = reply.enhanced() {
                assert!(explain::is_known_enhanced_code(enhanced), "{reply}");
                assert_eq!(
                    u16::from(enhanced.class()),
                    reply.code().value() / 100,
                    "{reply}"
                );
            }
        }
    }
}
