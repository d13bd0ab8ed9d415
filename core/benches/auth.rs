//! Mail authentication with every DNS answer in memory: SPF's evaluation of a record
//! with ten mechanisms (the client matched by the last), and DKIM's check of a 5 KB
//! message signed with a 2048-bit RSA key and with Ed25519, alone and with SPF and DMARC
//! as `auth::report::check` runs them. The signed message and its key records are
//! written to `target/bench-inputs/` for `cargo xtask bench`, which
//! times dkimpy's `dkim.verify` on the same bytes.
//!
//! `cargo bench -p wasmtp-core --bench auth`

// Benchmarks run natively; on wasm targets (checked by clippy) this is an empty program.
#[cfg(target_family = "wasm")]
fn main() {}

#[cfg(not(target_family = "wasm"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_family = "wasm"))]
mod native {
    use std::hint::black_box;
    use std::net::IpAddr;

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use criterion::{Criterion, criterion_group};
    use wasmtp_core::auth::dkim::{self, Algorithm, DkimResult, Signer};
    use wasmtp_core::auth::report;
    use wasmtp_core::auth::spf::{self, SpfResult};
    use wasmtp_core::route::{Answer, Record};
    use wasmtp_core::test_support::rfc8463::{ED25519_KEY, ED25519_SECRET};

    const NOW: u64 = 1_796_000_000;

    /// Ten mechanisms, four of them asking DNS; 203.0.113.5 matches only the last.
    const SPF_RECORD: &str = "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ip6:2001:db8::/32 \
        a mx include:_spf1.example.com include:_spf2.example.com ip4:192.0.2.128/25 \
        ip6:2001:db8:1::/48 ip4:203.0.113.5 -all";

    fn txt(text: &str) -> Answer {
        Answer::Records(vec![Record::Txt(text.as_bytes().to_vec())])
    }

    fn spf_zone(name: &str) -> Answer {
        match name {
            "example.com" => txt(SPF_RECORD),
            "_spf1.example.com" => txt("v=spf1 ip4:10.0.0.0/8 -all"),
            "_spf2.example.com" => txt("v=spf1 ip4:172.16.0.0/12 -all"),
            "mx.example.com" => Answer::Records(vec![Record::Address(
                "192.0.2.25".parse().unwrap_or_else(|_| unreachable!()),
            )]),
            _ => Answer::NoData,
        }
    }

    fn spf(c: &mut Criterion) {
        let client = spf::Client {
            ip: IpAddr::from([203, 0, 113, 5]),
            helo: "mail.example.com".into(),
            mail_from: "alice@example.com".into(),
            receiver: "mx.example.org".into(),
            now: NOW,
        };
        let check = || spf::check_mail_from(&client).run(|query| spf_zone(&query.name));
        assert_eq!(check().result, SpfResult::Pass);
        c.bench_function("auth/SPF, 10 mechanisms", |b| b.iter(|| black_box(check())));
    }

    /// A 5 KB plain-text message.
    fn message() -> Vec<u8> {
        let mut message = String::from(
            "From: Alice <alice@example.com>\r\nTo: Bob <bob@example.org>\r\n\
             Subject: the quarterly figures\r\nDate: Thu, 03 Dec 2026 15:00:00 +0000\r\n\
             Message-ID: <q4@example.com>\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n",
        );
        let mut line = 0;
        while message.len() < 5 * 1024 {
            message.push_str(&format!(
                "Line {line}: the figures  for this quarter are in,\tas promised.  \r\n"
            ));
            line += 1;
        }
        message.into_bytes()
    }

    fn rsa_key() -> rsa::RsaPrivateKey {
        use rsa::pkcs8::DecodePrivateKey as _;
        let base64: String = include_str!("keys/rsa2048.pem")
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        let der = STANDARD.decode(base64).unwrap_or_else(|_| unreachable!());
        rsa::RsaPrivateKey::from_pkcs8_der(&der).unwrap_or_else(|_| unreachable!())
    }

    fn signed(
        message: &[u8],
        algorithm: Algorithm,
        selector: &str,
        key: &rsa::RsaPrivateKey,
    ) -> Vec<u8> {
        let signer = Signer {
            domain: "example.com".into(),
            selector: selector.into(),
            algorithm,
        };
        let field = dkim::sign(message, &signer, NOW, |data| {
            use sha2::Digest as _;
            Ok(match algorithm {
                Algorithm::RsaSha256 => key
                    .sign(
                        rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                        &sha2::Sha256::digest(data),
                    )
                    .unwrap_or_else(|_| unreachable!()),
                Algorithm::Ed25519Sha256 => {
                    use ed25519_dalek::Signer as _;
                    let secret: [u8; 32] = STANDARD
                        .decode(ED25519_SECRET)
                        .ok()
                        .and_then(|secret| secret.try_into().ok())
                        .unwrap_or_else(|| unreachable!());
                    ed25519_dalek::SigningKey::from_bytes(&secret)
                        .sign(data)
                        .to_bytes()
                        .to_vec()
                }
            })
        })
        .unwrap_or_else(|_| unreachable!());
        [field.as_bytes(), message].concat()
    }

    fn dkim(c: &mut Criterion) {
        use rsa::pkcs8::EncodePublicKey as _;
        let key = rsa_key();
        let rsa_record = format!(
            "v=DKIM1; k=rsa; p={}",
            STANDARD.encode(
                key.to_public_key()
                    .to_public_key_der()
                    .unwrap_or_else(|_| unreachable!())
                    .as_bytes()
            )
        );
        let message = message();
        let inputs =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-inputs");
        let _ = std::fs::create_dir_all(&inputs);
        for (algorithm, selector, record, name) in [
            (
                Algorithm::RsaSha256,
                "rsa",
                rsa_record.as_str(),
                "rsa-sha256 (2048 bits)",
            ),
            (
                Algorithm::Ed25519Sha256,
                "ed",
                ED25519_KEY,
                "ed25519-sha256",
            ),
        ] {
            let signed = signed(&message, algorithm, selector, &key);
            let _ = std::fs::write(inputs.join(format!("dkim-5k-{selector}.eml")), &signed);
            let _ = std::fs::write(inputs.join(format!("dkim-5k-{selector}.txt")), record);
            let verify = || dkim::verify(&signed, NOW).run(|_| txt(record));
            assert_eq!(verify()[0].result, DkimResult::Pass);
            c.bench_function(&format!("auth/DKIM verify 5 KB, {name}"), |b| {
                b.iter(|| black_box(verify()))
            });
            // All three checks, as the library's `auth.check` runs them (the wasmtime
            // bench in wasmtp-tests calls that on the same message and zone).
            let client = spf::Client {
                ip: IpAddr::from([192, 0, 2, 10]),
                helo: "mail.example.com".into(),
                mail_from: "alice@example.com".into(),
                receiver: "mx.example.org".into(),
                now: NOW,
            };
            let key_name = format!("{selector}._domainkey.example.com");
            let check = || {
                report::check(&client, &signed, 0).run(|query| {
                    if query.name == key_name {
                        txt(record)
                    } else {
                        Answer::NxDomain
                    }
                })
            };
            assert_eq!(check().dkim[0].result, DkimResult::Pass);
            c.bench_function(&format!("auth/check 5 KB, {name}"), |b| {
                b.iter(|| black_box(check()))
            });
        }
    }

    criterion_group!(benches, spf, dkim);
}
