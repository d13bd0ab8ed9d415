//! DKIM signing (RFC 6376 §5): the `DKIM-Signature:` field a signer adds, built here
//! and made with the same code that checks it ([`Signature::parse`] and its header
//! input), so that what this signs is what a verifier hashes. The private key stays
//! with the caller: it signs the octets it is handed.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest as _, Sha256};

use super::canon::{self, Canon};
use super::signature::{Algorithm, Signature};
use crate::auth::message::{Field, split};

/// The fields signed when the message has them (RFC 6376 §5.4.1's list of those that
/// carry what a reader sees and replies to; never `Received:` or `Return-Path:`, which
/// change in transit).
pub const SIGNED_FIELDS: &[&str] = &[
    "from",
    "reply-to",
    "subject",
    "date",
    "to",
    "cc",
    "message-id",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "list-id",
    "list-unsubscribe",
    "list-unsubscribe-post",
];

/// Who signs: `d=`, `s=` and the algorithm of the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signer {
    pub domain: String,
    pub selector: String,
    pub algorithm: Algorithm,
}

impl Algorithm {
    /// The name `a=` gives it.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::RsaSha256 => "rsa-sha256",
            Algorithm::Ed25519Sha256 => "ed25519-sha256",
        }
    }
}

/// The `DKIM-Signature:` field (name to final CR LF) to put above `message`'s header,
/// signed at `now` (seconds since the epoch) with `c=relaxed/relaxed`. Each field of
/// [`SIGNED_FIELDS`] present is named once more than it occurs (§8.15: a field added
/// later, a second `From:` above all, breaks the signature).
///
/// `sign` gets the octets the algorithm signs and returns the signature: for
/// rsa-sha256, RSASSA-PKCS1-v1_5 with SHA-256 over them (§3.3.1); for ed25519-sha256,
/// Ed25519 over them, which are already the SHA-256 hash (RFC 8463 §3).
pub fn sign(
    message: &[u8],
    signer: &Signer,
    now: u64,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, String>,
) -> Result<String, String> {
    let (fields, body) = split(message);
    let mut names = Vec::new();
    for name in SIGNED_FIELDS {
        let count = fields
            .iter()
            .filter(|field| field.name.eq_ignore_ascii_case(name))
            .count();
        if count > 0 {
            names.extend(std::iter::repeat_n(*name, count + 1));
        }
    }
    if !names.contains(&"from") {
        return Err("the message has no From: field to sign (RFC 6376 §5.4)".into());
    }
    let body_hash = STANDARD.encode(Sha256::digest(canon::body(body, Canon::Relaxed)));
    let template = format!(
        "DKIM-Signature: v=1; a={}; c=relaxed/relaxed;\r\n\td={}; s={}; t={now};\r\n\th={};\r\n\tbh={body_hash};\r\n\tb=\r\n",
        signer.algorithm.name(),
        signer.domain,
        signer.selector,
        folded_names(&names),
    );
    complete(&template, &fields, now, sign)
}

/// `h=`'s names, folded so that no line of the field runs much past 78 characters.
fn folded_names(names: &[&str]) -> String {
    let mut folded = String::new();
    let mut line = "\th=".len();
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            folded.push(':');
            line += 1;
            if line + name.len() > 76 {
                folded.push_str("\r\n\t");
                line = 1;
            }
        }
        folded.push_str(name);
        line += name.len();
    }
    folded
}

/// Signs `template`, a whole `DKIM-Signature:` field whose `b=` is empty, over the
/// message's `fields`, and returns it with `b=` filled in (folded, §3.5).
pub(crate) fn complete(
    template: &str,
    fields: &[Field<'_>],
    now: u64,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, String>,
) -> Result<String, String> {
    let signature = Signature::parse(template.as_bytes(), now)?;
    if !signature.signature.is_empty() {
        return Err("the template's b= is not empty".into());
    }
    let input = signature.header_input(fields);
    let signed = match signature.algorithm {
        Algorithm::RsaSha256 => sign(&input)?,
        Algorithm::Ed25519Sha256 => sign(&Sha256::digest(&input))?,
    };
    let encoded = STANDARD.encode(signed);
    let mut value = String::with_capacity(encoded.len() + encoded.len() / 64 * 3);
    for (index, chunk) in encoded.as_bytes().chunks(64).enumerate() {
        if index > 0 {
            value.push_str("\r\n\t ");
        }
        // Base64 is ASCII, so every chunk is text.
        value.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    let at = template
        .rfind("b=")
        .map(|at| at + 2)
        .ok_or("the template has no b=")?;
    let (head, tail) = template.split_at(at);
    Ok(format!("{head}{value}{tail}"))
}
