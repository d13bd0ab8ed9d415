//! The `DKIM-Signature:` field (RFC 6376 §3.5): its tags read and checked, and the
//! header hash input it defines (§3.7).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::canon::{self, Canon};
use super::signed_fields;
use crate::auth::message::Field;
use crate::auth::tags::{self, without_spaces};

/// The signing algorithms (`a=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    RsaSha256,
    /// RFC 8463.
    Ed25519Sha256,
}

/// A signature, read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub algorithm: Algorithm,
    pub header_canon: Canon,
    pub body_canon: Canon,
    /// `d=`, lower case.
    pub domain: String,
    /// `s=`
    pub selector: String,
    /// `h=`, lower case, in order.
    pub headers: Vec<String>,
    /// `bh=`, decoded.
    pub body_hash: Vec<u8>,
    /// `b=`, decoded.
    pub signature: Vec<u8>,
    /// `l=`: how much of the canonical body is signed.
    pub length: Option<usize>,
    /// The field as it came, with `b=`'s value removed (§3.7).
    unsigned_field: Vec<u8>,
}

impl Signature {
    /// Reads a `DKIM-Signature:` field (the whole field, name and CR LF included) at
    /// time `now`; the reason when it cannot be used (a `permerror`).
    pub fn parse(field: &[u8], now: u64) -> Result<Self, String> {
        let text = std::str::from_utf8(field).map_err(|_| "the field is not UTF-8".to_owned())?;
        let colon = text.find(':').ok_or("no colon")?;
        let value_start = colon + 1;
        let list = text.get(value_start..).unwrap_or_default();
        let tags = tags::parse(list).map_err(|error| error.0)?;
        let get = |name: &str| tags.iter().find(|tag| tag.name == name);
        let required = |name: &str| {
            get(name)
                .map(|tag| tag.value)
                .ok_or(format!("no {name}= tag"))
        };
        if required("v")? != "1" {
            return Err("v= is not 1".into());
        }
        let algorithm = match required("a")?.to_ascii_lowercase().as_str() {
            "rsa-sha256" => Algorithm::RsaSha256,
            "ed25519-sha256" => Algorithm::Ed25519Sha256,
            // rsa-sha1 is historic (RFC 8301 §3.1: verifiers must not accept it).
            other => {
                return Err(format!(
                    "a={other} is not an algorithm this verifier accepts"
                ));
            }
        };
        let (header_canon, body_canon) = match get("c").map(|tag| tag.value.to_ascii_lowercase()) {
            None => (Canon::Simple, Canon::Simple),
            Some(value) => {
                let mut halves = value.splitn(2, '/');
                let header = canon_named(halves.next().unwrap_or_default())?;
                let body = halves.next().map_or(Ok(Canon::Simple), canon_named)?;
                (header, body)
            }
        };
        let domain = required("d")?.to_ascii_lowercase();
        let selector = required("s")?.to_owned();
        let headers: Vec<String> = required("h")?
            .split(':')
            .map(|name| {
                name.trim_matches(|c: char| c.is_ascii_whitespace())
                    .to_ascii_lowercase()
            })
            .collect();
        // §5.4: From must be signed.
        if !headers.iter().any(|name| name == "from") {
            return Err("h= does not include From".into());
        }
        let decode = |name: &str| -> Result<Vec<u8>, String> {
            STANDARD
                .decode(without_spaces(required(name)?))
                .map_err(|_| format!("{name}= is not base64"))
        };
        let body_hash = decode("bh")?;
        let signature = decode("b")?;
        // §3.5: i= must be d= or within it.
        if let Some(identity) = get("i") {
            let identity_domain = identity
                .value
                .rsplit_once('@')
                .map_or("", |(_, domain)| domain)
                .to_ascii_lowercase();
            if identity_domain != domain && !identity_domain.ends_with(&format!(".{domain}")) {
                return Err(format!("i={} is not within d={domain}", identity.value));
            }
        }
        let length = match get("l") {
            Some(tag) => Some(
                tag.value
                    .parse::<usize>()
                    .map_err(|_| "l= is not a number".to_owned())?,
            ),
            None => None,
        };
        if let Some(expires) = get("x") {
            let expires: u64 = expires
                .value
                .parse()
                .map_err(|_| "x= is not a number".to_owned())?;
            if expires < now {
                return Err(format!("the signature expired at {expires}"));
            }
        }
        let b = get("b").ok_or("no b= tag")?;
        let mut unsigned_field = field.to_vec();
        let (start, end) = (value_start + b.span.start, value_start + b.span.end);
        unsigned_field.drain(start..end.min(unsigned_field.len()));
        Ok(Self {
            algorithm,
            header_canon,
            body_canon,
            domain,
            selector,
            headers,
            body_hash,
            signature,
            length,
            unsigned_field,
        })
    }

    /// What the signature signs (§3.7): the fields `h=` names, canonicalised, then this
    /// field with `b=` empty, canonicalised, without its final CR LF.
    pub(crate) fn header_input(&self, fields: &[Field<'_>]) -> Vec<u8> {
        let mut input = Vec::new();
        for field in signed_fields(fields, &self.headers) {
            input.extend(canon::header(field.raw, self.header_canon));
        }
        let mut own = canon::header(&self.unsigned_field, self.header_canon);
        if own.ends_with(b"\r\n") {
            own.truncate(own.len() - 2);
        }
        input.extend(own);
        input
    }
}

fn canon_named(name: &str) -> Result<Canon, String> {
    match name {
        "simple" => Ok(Canon::Simple),
        "relaxed" => Ok(Canon::Relaxed),
        other => Err(format!("c= names {other:?}")),
    }
}
