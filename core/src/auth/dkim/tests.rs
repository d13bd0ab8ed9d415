use super::canon::{self, Canon};
use super::*;
use crate::auth::tags;

/// RFC 6376 §3.4.5's example.
const EXAMPLE_HEADER: &[&[u8]] = &[b"A: X\r\n", b"B : Y\t\r\n\tZ  \r\n"];
const EXAMPLE_BODY: &[u8] = b" C \r\nD \t E\r\n\r\n\r\n";

#[test]
fn canonicalisation_follows_the_rfc_example() {
    let relaxed: Vec<u8> = EXAMPLE_HEADER
        .iter()
        .flat_map(|field| canon::header(field, Canon::Relaxed))
        .collect();
    assert_eq!(relaxed, b"a:X\r\nb:Y Z\r\n");
    let simple: Vec<u8> = EXAMPLE_HEADER
        .iter()
        .flat_map(|field| canon::header(field, Canon::Simple))
        .collect();
    assert_eq!(simple, b"A: X\r\nB : Y\t\r\n\tZ  \r\n");
    assert_eq!(canon::body(EXAMPLE_BODY, Canon::Relaxed), b" C\r\nD E\r\n");
    assert_eq!(
        canon::body(EXAMPLE_BODY, Canon::Simple),
        b" C \r\nD \t E\r\n"
    );
    // §3.4.3 and §3.4.4: an empty body.
    assert_eq!(canon::body(b"", Canon::Simple), b"\r\n");
    assert_eq!(canon::body(b"\r\n\r\n", Canon::Relaxed), b"");
}

use crate::test_support::rfc8463::{self, BODY, ED25519_SIGNATURE, HEADER, RSA_SIGNATURE};

fn message(signatures: &str, header: &str, body: &str) -> Vec<u8> {
    format!("{signatures}{header}\r\n{body}").into_bytes()
}

/// Verifies with the RFC's keys; records the questions asked.
fn check(message: &[u8]) -> (Vec<DkimVerdict>, Vec<String>) {
    let mut asked = Vec::new();
    let verdicts = verify(message, rfc8463::TIMESTAMP).run(|query| {
        asked.push(query.to_string());
        rfc8463::answer(&query.name)
    });
    (verdicts, asked)
}

fn results(verdicts: &[DkimVerdict]) -> Vec<DkimResult> {
    verdicts.iter().map(|verdict| verdict.result).collect()
}

#[test]
fn the_rfc8463_example_verifies_with_both_algorithms() {
    let signed = message(&format!("{ED25519_SIGNATURE}{RSA_SIGNATURE}"), HEADER, BODY);
    let (verdicts, asked) = check(&signed);
    assert_eq!(
        results(&verdicts),
        [DkimResult::Pass, DkimResult::Pass],
        "{verdicts:?}"
    );
    assert_eq!(
        asked,
        [
            "brisbane._domainkey.football.example.com TXT?",
            "test._domainkey.football.example.com TXT?"
        ]
    );
    assert_eq!(verdicts[0].domain, "football.example.com");
}

#[test]
fn a_changed_body_or_signed_field_fails_and_an_unsigned_field_does_not() {
    let signatures = format!("{ED25519_SIGNATURE}{RSA_SIGNATURE}");
    let (verdicts, asked) = check(&message(
        &signatures,
        HEADER,
        &BODY.replace("hungry", "hungrz"),
    ));
    assert_eq!(results(&verdicts), [DkimResult::Fail, DkimResult::Fail]);
    assert!(
        verdicts[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("body hash")
    );
    assert!(asked.is_empty(), "a body that does not match needs no key");
    let changed = HEADER.replace("Is dinner ready?", "Is dinner cold?");
    let (verdicts, _) = check(&message(&signatures, &changed, BODY));
    assert_eq!(results(&verdicts), [DkimResult::Fail, DkimResult::Fail]);
    // A field the signature does not name may come and go (a new Received:), and
    // relaxed canonicalisation forgives re-folded white space.
    let traced = format!("Received: from x by y; Fri, 11 Jul 2003 21:01:00 -0700\r\n{signatures}");
    let refolded = HEADER.replace(
        "Subject: Is dinner ready?",
        "Subject:   Is dinner\r\n\tready?",
    );
    let (verdicts, _) = check(&message(&traced, &refolded, BODY));
    assert_eq!(results(&verdicts), [DkimResult::Pass, DkimResult::Pass]);
}

#[test]
fn missing_keys_broken_tags_and_dns_failures_are_told_apart() {
    let (verdicts, _) = check(&message("", HEADER, BODY));
    assert_eq!(results(&verdicts), [DkimResult::None]);
    let unknown = ED25519_SIGNATURE.replace("s=brisbane", "s=gone");
    assert_eq!(
        results(&check(&message(&unknown, HEADER, BODY)).0),
        [DkimResult::PermError]
    );
    for broken in [
        ED25519_SIGNATURE.replace("v=1", "v=2"),
        ED25519_SIGNATURE
            .replace("h=from : to :", "h=to :")
            .replace(": from :", ":"),
        ED25519_SIGNATURE.replace("a=ed25519-sha256", "a=rsa-sha1"),
        ED25519_SIGNATURE.replace("i=@football", "i=@elsewhere"),
        ED25519_SIGNATURE.replace("q=dns/txt;", "q=dns/txt; s=again;"),
    ] {
        let (verdicts, asked) = check(&message(&broken, HEADER, BODY));
        assert_eq!(results(&verdicts), [DkimResult::PermError], "{broken}");
        assert!(asked.is_empty(), "{broken}");
    }
    let verdicts = verify(&message(ED25519_SIGNATURE, HEADER, BODY), 0).run(|_| Answer::Failure);
    assert_eq!(results(&verdicts), [DkimResult::TempError]);
    let revoked = verify(&message(ED25519_SIGNATURE, HEADER, BODY), 0)
        .run(|_| Answer::Records(vec![Record::Txt(b"v=DKIM1; k=ed25519; p=".to_vec())]));
    assert_eq!(results(&revoked), [DkimResult::PermError]);
    assert!(revoked[0].problem.as_deref().unwrap().contains("revoked"));
}

#[test]
fn verdicts_read_as_authentication_results() {
    let signed = message(ED25519_SIGNATURE, HEADER, &BODY.replace("hungry", "hungrz"));
    let (verdicts, _) = check(&signed);
    assert_eq!(
        verdicts[0].resinfo(),
        "dkim=fail (the body hash does not match bh=) header.d=football.example.com header.s=brisbane"
    );
    let (verdicts, _) = check(&message("", HEADER, BODY));
    assert_eq!(verdicts[0].resinfo(), "dkim=none");
}

fn rfc8463_ed25519() -> ed25519_dalek::SigningKey {
    use base64::Engine as _;
    let secret = base64::engine::general_purpose::STANDARD
        .decode(crate::test_support::rfc8463::ED25519_SECRET)
        .unwrap();
    ed25519_dalek::SigningKey::from_bytes(&secret.try_into().unwrap())
}

fn rfc8463_rsa() -> rsa::RsaPrivateKey {
    use base64::Engine as _;
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    let base64: String = crate::test_support::rfc8463::RSA_SECRET
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .unwrap();
    rsa::RsaPrivateKey::from_pkcs1_der(&der).unwrap()
}

fn ed25519_signs(data: &[u8]) -> Result<Vec<u8>, String> {
    use ed25519_dalek::Signer as _;
    Ok(rfc8463_ed25519().sign(data).to_bytes().to_vec())
}

fn rsa_signs(data: &[u8]) -> Result<Vec<u8>, String> {
    use sha2::Digest as _;
    rfc8463_rsa()
        .sign(
            rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            &sha2::Sha256::digest(data),
        )
        .map_err(|error| error.to_string())
}

/// The RFC's signature field with `b=`'s value taken out.
fn without_b(signature: &str) -> String {
    let at = signature.rfind("b=").unwrap() + 2;
    format!("{}\r\n", &signature[..at])
}

fn b_value(field: &str) -> String {
    tags::without_spaces(&field[field.rfind("b=").unwrap() + 2..])
}

#[test]
fn signing_the_rfc8463_example_gives_the_rfcs_signatures() {
    // Both algorithms are deterministic (RFC 8032 §5.1.6; PKCS #1 v1.5), so signing
    // the example's own tags with its keys must give its b= values octet for octet.
    let (fields, _) = crate::auth::message::split(HEADER.as_bytes());
    for (signature, signs) in [
        (ED25519_SIGNATURE, ed25519_signs as fn(&[u8]) -> _),
        (RSA_SIGNATURE, rsa_signs),
    ] {
        let signed = sign::complete(&without_b(signature), &fields, 0, signs).unwrap();
        assert_eq!(b_value(&signed), b_value(signature));
    }
}

#[test]
fn what_this_signs_verifies_and_a_changed_body_or_added_from_fails() {
    let message = message("", HEADER, BODY);
    for (algorithm, selector, signs) in [
        (
            Algorithm::Ed25519Sha256,
            "brisbane",
            ed25519_signs as fn(&[u8]) -> _,
        ),
        (Algorithm::RsaSha256, "test", rsa_signs),
    ] {
        let signer = Signer {
            domain: "football.example.com".into(),
            selector: selector.into(),
            algorithm,
        };
        let field = sign(&message, &signer, rfc8463::TIMESTAMP, signs).unwrap();
        assert!(field.starts_with("DKIM-Signature: v=1; a="), "{field}");
        assert!(
            tags::without_spaces(&field)
                .contains("h=from:from:subject:subject:date:date:to:to:message-id:message-id;"),
            "every field present is signed once more than it occurs: {field}"
        );
        assert!(field.lines().all(|line| line.len() <= 80), "{field}");
        let signed = [field.as_bytes(), &message].concat();
        assert_eq!(results(&check(&signed).0), [DkimResult::Pass], "{field}");
        let changed = [field.as_bytes(), &message[..message.len() - 3], b"!\r\n"].concat();
        assert_eq!(results(&check(&changed).0), [DkimResult::Fail]);
        let second_from = [
            field.as_bytes(),
            b"From: Mallory <mallory@football.example.com>\r\n",
            &message,
        ]
        .concat();
        assert_eq!(results(&check(&second_from).0), [DkimResult::Fail]);
    }
    let no_from = self::message("", &HEADER.replace("From:", "Sender:"), BODY);
    let refused = sign(
        &no_from,
        &Signer {
            domain: "football.example.com".into(),
            selector: "brisbane".into(),
            algorithm: Algorithm::Ed25519Sha256,
        },
        0,
        ed25519_signs,
    );
    assert!(refused.unwrap_err().contains("no From:"));
}
