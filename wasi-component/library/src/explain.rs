//! The `explain` interface: teaching text with its RFC section.

use wasmtp_core::explain;
use wasmtp_core::reply::ReplyCode;

use crate::Library;
use crate::exports::wasmtp::smtp::explain::{ExplainError, Explanation, Guest};

fn to_wit(explanation: explain::Explanation) -> Explanation {
    Explanation {
        summary: explanation.summary.to_owned(),
        reference: explanation.reference.to_owned(),
    }
}

impl Guest for Library {
    fn explain_reply(code: u16) -> Result<Explanation, ExplainError> {
        let code = ReplyCode::new(code).ok_or(ExplainError::InvalidReplyCode(code))?;
        Ok(to_wit(explain::reply_code(code)))
    }

    fn lookup(key: String) -> Option<Explanation> {
        explain::lookup(&key).map(to_wit)
    }
}
