//! The `explain` interface: teaching text with its RFC section.

use wasmtp_core::explain::{self, Key};
use wasmtp_core::i18n::Language;
use wasmtp_core::reply::ReplyCode;

use crate::Library;
use crate::exports::wasmtp::smtp::explain::{ExplainError, Explanation, Guest};

fn to_wit(explanation: explain::Explanation) -> Explanation {
    Explanation {
        summary: explanation.summary,
        reference: explanation.reference.to_owned(),
    }
}

impl Guest for Library {
    fn explain_reply(code: u16) -> Result<Explanation, ExplainError> {
        let code = ReplyCode::new(code).ok_or(ExplainError::InvalidReplyCode(code))?;
        Ok(to_wit(Key::Reply(code).explanation()))
    }

    fn lookup(key: String) -> Option<Explanation> {
        explain::lookup(&key).map(to_wit)
    }

    fn lookup_in(key: String, language: String) -> Option<Explanation> {
        let language = Language::from_tag(&language).unwrap_or_default();
        explain::lookup_in(&key, language).map(to_wit)
    }

    fn languages() -> Vec<String> {
        Language::ALL
            .iter()
            .map(|language| language.code().to_owned())
            .collect()
    }
}
