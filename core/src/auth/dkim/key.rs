//! The key record at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.1), and the
//! signature check with it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::signature::Algorithm;
use crate::auth::tags::{self, without_spaces};

/// A public key, ready to check signatures.
pub(crate) enum Key {
    Rsa(rsa::RsaPublicKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl Key {
    /// Reads a key record for a signature made with `algorithm`.
    pub(crate) fn parse(record: &[u8], algorithm: Algorithm) -> Result<Self, String> {
        let text =
            std::str::from_utf8(record).map_err(|_| "the key record is not UTF-8".to_owned())?;
        let tags = tags::parse(text).map_err(|error| error.0)?;
        let get = |name: &str| {
            tags.iter()
                .find(|tag| tag.name == name)
                .map(|tag| tag.value)
        };
        // §3.6.1: v=, when present, comes first and is DKIM1.
        if let Some(version) = get("v")
            && (version != "DKIM1" || tags.first().map(|tag| tag.name) != Some("v"))
        {
            return Err("v= is not DKIM1 first".into());
        }
        if let Some(hashes) = get("h")
            && !hashes
                .split(':')
                .any(|hash| hash.trim().eq_ignore_ascii_case("sha256"))
        {
            return Err("h= does not allow sha256".into());
        }
        let data = without_spaces(get("p").ok_or("no p= tag")?);
        if data.is_empty() {
            return Err("the key is revoked (empty p=)".into());
        }
        let bytes = STANDARD
            .decode(&data)
            .map_err(|_| "p= is not base64".to_owned())?;
        let kind = get("k").unwrap_or("rsa").to_ascii_lowercase();
        match (kind.as_str(), algorithm) {
            ("rsa", Algorithm::RsaSha256) => {
                use rsa::pkcs1::DecodeRsaPublicKey as _;
                use rsa::pkcs8::DecodePublicKey as _;
                // SubjectPublicKeyInfo as published in practice, or a bare RSAPublicKey
                // as §3.6.1 words it.
                rsa::RsaPublicKey::from_public_key_der(&bytes)
                    .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(&bytes))
                    .map(Key::Rsa)
                    .map_err(|_| "p= is not an RSA public key".into())
            }
            ("ed25519", Algorithm::Ed25519Sha256) => {
                let bytes: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| "an Ed25519 key is 32 octets".to_owned())?;
                ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                    .map(Key::Ed25519)
                    .map_err(|_| "p= is not an Ed25519 key".into())
            }
            (kind, _) => Err(format!("k={kind} does not fit the signature's algorithm")),
        }
    }

    /// Whether `signature` signs the SHA-256 `hash` of the header input.
    pub(crate) fn verifies(&self, hash: &[u8], signature: &[u8]) -> bool {
        match self {
            Key::Rsa(key) => key
                .verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), hash, signature)
                .is_ok(),
            // RFC 8463 §3: PureEdDSA over the hash.
            Key::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify_strict(hash, &signature).is_ok()),
        }
    }
}
