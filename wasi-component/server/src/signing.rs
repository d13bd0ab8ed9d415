//! DKIM signing keys (RFC 6376): one PEM file per domain, `<spool>/dkim/<domain>/
//! <selector>.pem`, read at start. Mail this server relays for its authenticated and
//! trusted clients, and the bounces it sends, are signed with the key of the author's
//! domain (or the nearest parent domain that has one, which DMARC's relaxed alignment
//! accepts), by [`SigningKey`].
//!
//! Also the two commands: `--dkim-new-key DOMAIN` writes a new key and prints its DNS
//! record; `--dkim-record DOMAIN` prints the record of the key there.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::Ed25519KeyPair;
use wasmtp_core::auth::message::{author_domain, split};
use wasmtp_wasi::dkim_key::{SigningKey, zone_line};

/// The algorithm of a new key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKey {
    /// RSA, 2048 bits (RFC 8301 §3.2: at least 1024, 2048 advised): what every
    /// verifier checks.
    Rsa,
    /// Ed25519 (RFC 8463): small, but not yet checked by every large provider; sign
    /// with an RSA key too if it matters.
    Ed25519,
}

const RSA_BITS: usize = 2048;

/// The keys found under the spool.
pub struct SigningKeys {
    selector: String,
    keys: HashMap<String, SigningKey>,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut domains: Vec<&String> = self.keys.keys().collect();
        domains.sort();
        f.debug_struct("SigningKeys")
            .field("selector", &self.selector)
            .field("domains", &domains)
            .finish()
    }
}

fn key_path(spool: &Path, domain: &str, selector: &str) -> PathBuf {
    spool
        .join("dkim")
        .join(domain)
        .join(format!("{selector}.pem"))
}

impl SigningKeys {
    /// Every `<spool>/dkim/<domain>/<selector>.pem`; a key that cannot be read stops the
    /// start with its path.
    pub fn load(spool: &Path, selector: &str) -> Result<Self, String> {
        let mut keys = HashMap::new();
        let Ok(domains) = fs::read_dir(spool.join("dkim")) else {
            return Ok(Self {
                selector: selector.to_owned(),
                keys,
            });
        };
        for entry in domains.flatten() {
            let domain = entry.file_name().to_string_lossy().to_ascii_lowercase();
            let path = key_path(spool, &domain, selector);
            let Ok(pem) = fs::read(&path) else {
                continue;
            };
            let key = SigningKey::read(&pem)
                .map_err(|error| format!("DKIM key {}: {error}", path.display()))?;
            keys.insert(domain, key);
        }
        Ok(Self {
            selector: selector.to_owned(),
            keys,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The domains that have a key, for the start-up log.
    pub fn domains(&self) -> Vec<String> {
        let mut domains: Vec<String> = self.keys.keys().cloned().collect();
        domains.sort();
        domains
    }

    /// The `DKIM-Signature:` field for `message`, signed at `now` with the key of its
    /// author's domain or the nearest parent with one; `None` when no key applies.
    pub fn sign(&self, message: &[u8], now: u64) -> Option<Result<(String, String), String>> {
        let author = author_domain(&split(message).0).ok()?;
        let labels: Vec<&str> = author.split('.').collect();
        let (domain, key) = (0..labels.len().saturating_sub(1)).find_map(|skip| {
            let domain = labels.get(skip..)?.join(".");
            self.keys.get(&domain).map(|key| (domain, key))
        })?;
        Some(
            key.sign_message(message, &domain, &self.selector, now)
                .map(|field| (field, domain)),
        )
    }
}

/// The DNS record to publish for the key of `domain`, as a zone-file line.
pub fn record(spool: &Path, domain: &str, selector: &str) -> Result<String, String> {
    let path = key_path(spool, domain, selector);
    let pem =
        fs::read(&path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let key = SigningKey::read(&pem).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(zone_line(domain, selector, &key.record()))
}

/// Makes a new key for `domain` and writes it (never over an existing one, and
/// readable by its owner only where the host allows); returns its record.
pub fn new_key(
    spool: &Path,
    domain: &str,
    selector: &str,
    algorithm: NewKey,
) -> Result<String, String> {
    let path = key_path(spool, domain, selector);
    if path.exists() {
        return Err(format!(
            "{} exists; pick another --dkim-selector to rotate keys",
            path.display()
        ));
    }
    let pkcs8 = match algorithm {
        NewKey::Ed25519 => Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| "no randomness for a new key".to_owned())?
            .as_ref()
            .to_vec(),
        NewKey::Rsa => {
            use rsa::pkcs8::EncodePrivateKey as _;
            let key = rsa::RsaPrivateKey::new(&mut HostRandom, RSA_BITS)
                .map_err(|error| format!("RSA key generation: {error}"))?;
            key.to_pkcs8_der()
                .map_err(|error| format!("RSA key encoding: {error}"))?
                .as_bytes()
                .to_vec()
        }
    };
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
    for line in STANDARD.encode(&pkcs8).as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    fs::write(&path, pem).map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    record(spool, domain, selector)
}

/// The host's randomness (`wasi:random`, through ring) for RSA key generation, which
/// wants a `rand_core` source. Key generation runs once, on the operator's command;
/// signing is ring's.
struct HostRandom;

impl rand_core::RngCore for HostRandom {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0; 4];
        self.fill_bytes(&mut bytes);
        u32::from_le_bytes(bytes)
    }

    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0; 8];
        self.fill_bytes(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // A host without randomness cannot make keys at all; zeros would be worse.
        if self.try_fill_bytes(dest).is_err() {
            std::process::abort();
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        use ring::rand::SecureRandom as _;
        SystemRandom::new()
            .fill(dest)
            .map_err(|_| rand_core::Error::new("wasi:random failed"))
    }
}

impl rand_core::CryptoRng for HostRandom {}
