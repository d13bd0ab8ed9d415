//! DKIM signing keys (RFC 6376 §3.3; Ed25519 per RFC 8463), shared by the server (its
//! keys in the spool) and the library (a key its host passes): PEM in, the
//! `DKIM-Signature:` field and the DNS record out. The core builds the field; ring
//! makes the signature (constant-time RSA, and Ed25519).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{self as ring_signature, Ed25519KeyPair, KeyPair as _, RsaKeyPair};
use rustls::pki_types::{PrivateKeyDer, pem::PemObject as _};
use wasmtp_core::auth::dkim::{self, Algorithm, Signer};

/// A private key, ready to sign.
pub struct SigningKey(Pair);

/// The key's algorithm only: a private key is never printed.
impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SigningKey")
            .field(&self.algorithm())
            .finish()
    }
}

enum Pair {
    Rsa(RsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl SigningKey {
    /// Reads a PEM private key: PKCS #8 (`PRIVATE KEY`, RSA or Ed25519) or PKCS #1
    /// (`RSA PRIVATE KEY`, as `openssl genrsa` and `opendkim-genkey` write it).
    pub fn read(pem: &[u8]) -> Result<Self, String> {
        let der = PrivateKeyDer::from_pem_slice(pem)
            .map_err(|error| format!("not a PEM private key: {error}"))?;
        let rejected = |error: ring::error::KeyRejected| match error.to_string().as_str() {
            // RFC 8301 §3.2 allows 1024 bits but advises 2048; ring signs with no less.
            "TooSmall" => "an RSA key of fewer than 2048 bits: make a new one of 2048".to_owned(),
            _ => format!("not an RSA or Ed25519 key: {error}"),
        };
        match der {
            PrivateKeyDer::Pkcs1(der) => RsaKeyPair::from_der(der.secret_pkcs1_der())
                .map(|pair| SigningKey(Pair::Rsa(pair)))
                .map_err(rejected),
            PrivateKeyDer::Pkcs8(der) => {
                let der = der.secret_pkcs8_der();
                RsaKeyPair::from_pkcs8(der)
                    .map(|pair| SigningKey(Pair::Rsa(pair)))
                    .or_else(|_| {
                        Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                            .map(|pair| SigningKey(Pair::Ed25519(pair)))
                    })
                    .map_err(rejected)
            }
            _ => Err("an EC (SEC1) key; DKIM signs with RSA or Ed25519".into()),
        }
    }

    pub fn algorithm(&self) -> Algorithm {
        match &self.0 {
            Pair::Rsa(_) => Algorithm::RsaSha256,
            Pair::Ed25519(_) => Algorithm::Ed25519Sha256,
        }
    }

    /// Signs what the core hands over (see [`dkim::sign`]).
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, String> {
        match &self.0 {
            Pair::Rsa(pair) => {
                let mut signature = vec![0; pair.public().modulus_len()];
                pair.sign(
                    &ring_signature::RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    data,
                    &mut signature,
                )
                .map_err(|_| "RSA signing failed".to_owned())?;
                Ok(signature)
            }
            Pair::Ed25519(pair) => Ok(pair.sign(data).as_ref().to_vec()),
        }
    }

    /// The TXT record's text (RFC 6376 §3.6.1): `p=` is the SubjectPublicKeyInfo for
    /// RSA, as verifiers read it, and the bare 32 octets for Ed25519 (RFC 8463 §4.2).
    pub fn record(&self) -> String {
        match &self.0 {
            Pair::Rsa(pair) => format!(
                "v=DKIM1; k=rsa; p={}",
                STANDARD.encode(rsa_subject_public_key_info(pair.public_key().as_ref()))
            ),
            Pair::Ed25519(pair) => format!(
                "v=DKIM1; k=ed25519; p={}",
                STANDARD.encode(pair.public_key().as_ref())
            ),
        }
    }

    /// The `DKIM-Signature:` field (with its CR LF) for `message`, signed at `now`
    /// (seconds since the epoch) as `selector` of `domain`.
    pub fn sign_message(
        &self,
        message: &[u8],
        domain: &str,
        selector: &str,
        now: u64,
    ) -> Result<String, String> {
        let signer = Signer {
            domain: domain.to_owned(),
            selector: selector.to_owned(),
            algorithm: self.algorithm(),
        };
        dkim::sign(message, &signer, now, |data| self.sign(data))
    }
}

/// The record of `text` for `selector` of `domain` as a zone-file line: the name, and
/// the text in quoted strings of at most 255 octets (RFC 1035 §3.3.14).
pub fn zone_line(domain: &str, selector: &str, text: &str) -> String {
    let strings: Vec<String> = text
        .as_bytes()
        .chunks(255)
        .map(|chunk| format!("\"{}\"", String::from_utf8_lossy(chunk)))
        .collect();
    format!(
        "{selector}._domainkey.{domain}. IN TXT ( {} )",
        strings.join(" ")
    )
}

/// An RSAPublicKey (PKCS #1) wrapped as a SubjectPublicKeyInfo (RFC 5280 §4.1): the
/// rsaEncryption algorithm identifier and the key as a BIT STRING. DER framing only.
fn rsa_subject_public_key_info(rsa_public_key: &[u8]) -> Vec<u8> {
    // SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }
    const ALGORITHM: &[u8] = &[
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let mut bit_string = vec![0x00];
    bit_string.extend_from_slice(rsa_public_key);
    let bit_string = der(0x03, &bit_string);
    der(0x30, &[ALGORITHM, &bit_string].concat())
}

/// A DER tag-length-value.
fn der(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let length = value.len();
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let octets: Vec<u8> = length
            .to_be_bytes()
            .into_iter()
            .skip_while(|&octet| octet == 0)
            .collect();
        out.push(0x80 | octets.len() as u8);
        out.extend(octets);
    }
    out.extend_from_slice(value);
    out
}
