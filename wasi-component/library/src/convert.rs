//! Between the core's types and the WIT `types` interface.

use wasmtp_core::reply::{EnhancedCode, Reply, ReplyCode, build};

use wasmtp_core::code;
use wasmtp_core::syntax::{ForwardPath, ReversePath};
use wasmtp_core::time::UnixTime;

use crate::exports::wasmtp::smtp::types;

pub fn time(millis: types::Timestamp) -> UnixTime {
    UnixTime::from_millis(millis)
}

pub fn reply_to_wit(reply: &Reply) -> types::Reply {
    types::Reply {
        code: reply.code().value(),
        enhanced: reply.enhanced().map(|code| types::EnhancedCode {
            class: code.class(),
            subject: code.subject(),
            detail: code.detail(),
        }),
        lines: reply.lines().to_vec(),
    }
}

/// A reply a host wrote. One that breaks RFC 5321 §4.2 (a code outside 2yz–5yz, an
/// invalid enhanced code, a control character in the text) must not reach the wire:
/// it becomes `451 4.3.0`, a local error, so the client retries rather than the
/// session sending garbage.
pub fn reply_from_wit(reply: types::Reply) -> Reply {
    let enhanced = match reply.enhanced {
        None => Some(None),
        Some(code) => EnhancedCode::new(code.class, code.subject, code.detail).map(Some),
    };
    ReplyCode::new(reply.code)
        .zip(enhanced)
        .and_then(|(code, enhanced)| Reply::new(code, enhanced, reply.lines).ok())
        .unwrap_or_else(|| build(code!(451), (3, 0), "Local error in processing"))
}

/// `local@domain`, or the empty string for `<>`.
pub fn reverse_path_text(path: &ReversePath) -> String {
    match path {
        ReversePath::Null => String::new(),
        ReversePath::Mailbox(mailbox) => mailbox.to_string(),
    }
}

/// `local@domain`, or `Postmaster`.
pub fn forward_path_text(path: &ForwardPath) -> String {
    match path {
        ForwardPath::Postmaster => "Postmaster".to_owned(),
        ForwardPath::Mailbox(mailbox) => mailbox.to_string(),
    }
}
