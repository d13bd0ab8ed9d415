//! `wasmtp.wasm`: the library component. It exports the `wasmtp:smtp` WIT package
//! (`wit/smtp.wit`) and implements it with `wasmtp-core`, so any component host —
//! wasmtime, jco in Node, wasmCloud, Spin — can call the SMTP core in any language.

// The bindings generator emits `unsafe` glue for the canonical ABI; our own code has none.
#![allow(unsafe_code)]

wit_bindgen::generate!({
    world: "library",
    path: "wit",
});

use exports::wasmtp::smtp::explain::{ExplainError, Explanation, Guest as Explain};
use wasmtp_core::{explain, reply::ReplyCode};

struct Library;

impl Explain for Library {
    fn explain_reply(code: u16) -> Result<Explanation, ExplainError> {
        let code = ReplyCode::new(code).ok_or(ExplainError::InvalidReplyCode(code))?;
        let explanation = explain::reply_code(code);
        Ok(Explanation {
            summary: explanation.summary.to_owned(),
            reference: explanation.reference.to_owned(),
        })
    }
}

export!(Library);
