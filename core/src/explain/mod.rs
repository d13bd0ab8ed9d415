//! Teaching text: what every command, reply code and enhanced status code means, each
//! with the RFC section that defines it.
//!
//! The simulator, the edge API and the library component all explain SMTP with these
//! words, so a learner reads the same explanation wherever they meet wasmtp.

mod commands;
mod enhanced;
mod replies;

pub use commands::command;
pub use enhanced::{enhanced_code, is_known as is_known_enhanced_code};
pub use replies::{reply_class, reply_code};

/// What something means, and where the standard says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Explanation {
    /// One or two sentences for a reader who is learning SMTP.
    pub summary: &'static str,
    /// The defining document and section, e.g. `RFC 5321 §4.2.2`.
    pub reference: &'static str,
}

/// Whether `code` has an explanation of its own (not only its class's).
pub fn is_known_reply_code(code: crate::reply::ReplyCode) -> bool {
    replies::KNOWN_CODES
        .iter()
        .any(|(value, _, _)| *value == code.value())
}
