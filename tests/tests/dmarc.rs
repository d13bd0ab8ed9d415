//! DMARC (RFC 7489) against checkdmarc, the DMARC checker of PyPI: for the same names
//! both must find the same Organizational Domain (both read the Public Suffix List),
//! and for the same zone, served by dnsmasq over real DNS, checkdmarc's record location
//! and policy must be what the server applies to a spoofed message of each domain, as
//! its stored `Authentication-Results:` field says.

use wasmtp_core::auth::dmarc::organizational_domain;
use wasmtp_tests::{Environment, Running, run_python};

/// Names where the list's wildcard (`*.kawasaki.jp`), exception (`!city.kawasaki.jp`),
/// private-section (`github.io`) and multi-label (`co.uk`) rules decide.
const NAMES: &[&str] = &[
    "example.com",
    "mail.example.com",
    "a.b.example.co.uk",
    "co.uk",
    "uk",
    "shop.example.com.au",
    "city.kawasaki.jp",
    "mail.city.kawasaki.jp",
    "a.b.kawasaki.jp",
    "www.ck",
    "mail.www.ck",
    "foo.bar.ck",
    "alice.github.io",
    "www.alice.github.io",
    "bucket.s3.amazonaws.com",
    "mx.example.test",
    "xn--55qx5d.cn",
    "shop.xn--55qx5d.cn",
    "mail.example.org.",
];

#[test]
fn organizational_domains_match_checkdmarcs() {
    let printed = run_python(&format!(
        "from checkdmarc.dmarc import get_base_domain\n\
         for name in {NAMES:?}:\n\
         \x20   print(get_base_domain(name.rstrip('.')))\n"
    ));
    let theirs: Vec<String> = String::from_utf8_lossy(&printed)
        .lines()
        .map(str::to_owned)
        .collect();
    let ours: Vec<String> = NAMES
        .iter()
        .map(|name| organizational_domain(name))
        .collect();
    assert_eq!(ours, theirs, "for {NAMES:?}");
}

/// The zone: each domain's `_dmarc` TXT records.
const ZONE: &[(&str, &str)] = &[
    ("reject.test", "v=DMARC1; p=reject; sp=quarantine"),
    ("own.reject.test", "v=DMARC1; p=none"),
    ("strict.test", "v=DMARC1; p=quarantine; adkim=s; aspf=s"),
    ("broken.test", "v=DMARC1; p=block"),
];

/// The From domains mail is spoofed for.
const FROM: &[&str] = &[
    "reject.test",
    "news.reject.test",
    "own.reject.test",
    "strict.test",
    "mail.strict.test",
    "broken.test",
    "unpublished.test",
];

/// checkdmarc's view of `domain` through the DNS server at `dns`: the policy it
/// applies (`p=` where the record is the domain's own, `sp=` where it is the
/// Organizational Domain's), or `none` without a record, `error` for a broken one.
fn checkdmarc(dns: &Running) -> Vec<String> {
    let printed = run_python(&format!(
        "import dns.resolver\n\
         from checkdmarc.dmarc import check_dmarc\n\
         resolver = dns.resolver.Resolver(configure=False)\n\
         resolver.nameservers = ['{}']\n\
         resolver.port = {}\n\
         for domain in {FROM:?}:\n\
         \x20   found = check_dmarc(domain, resolver=resolver)\n\
         \x20   if 'error' in found:\n\
         \x20       print('none' if 'not exist' in found['error'] or 'does not have' in found['error'] else 'error')\n\
         \x20       continue\n\
         \x20   tags = found['tags']\n\
         \x20   own = found['location'] == domain\n\
         \x20   print(tags['p' if own else 'sp']['value'])\n",
        dns.address.ip(),
        dns.address.port(),
    ));
    String::from_utf8_lossy(&printed)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The server's view: the policy in the `dmarc=` result of a message spoofed for each
/// domain from 127.0.0.5 (which no SPF record lists), `none` or `error` likewise.
fn server(environment: &Environment, dns: &Running) -> Vec<String> {
    let server = environment.start_server(&[
        "--spf",
        "record",
        "--dmarc",
        "record",
        "--resolver",
        &dns.address.to_string(),
    ]);
    let mut verdicts = Vec::new();
    for domain in FROM {
        let message = format!(
            "From: <ceo@{domain}>\r\nTo: <bob@wasmtp.test>\r\nSubject: pay this\r\n\r\nNow.\r\n"
        );
        let printed = run_python(&format!(
            "import smtplib\n\
             with smtplib.SMTP('{}', {}, timeout=30, source_address=('127.0.0.5', 0), local_hostname='localhost') as client:\n\
             \x20   print(client.sendmail('ceo@{domain}', ['bob@wasmtp.test'], {message:?}.encode()))\n",
            server.address.ip(),
            server.address.port()
        ));
        assert_eq!(String::from_utf8_lossy(&printed).trim(), "{}");
        // Maildir names do not sort by arrival: find this domain's copy.
        let text = server
            .mailbox("wasmtp.test", "bob")
            .iter()
            .map(|message| String::from_utf8_lossy(message).replace("\r\n\t", " "))
            .find(|text| text.contains(&format!("From: <ceo@{domain}>\r\n")))
            .expect("stored");
        let dmarc = text
            .split("dmarc=")
            .nth(1)
            .expect("a dmarc result")
            .to_owned();
        verdicts.push(match dmarc.split(' ').next() {
            Some("none") => "none".to_owned(),
            Some("permerror") => "error".to_owned(),
            Some("fail") => dmarc
                .split("(p=")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .unwrap_or("?")
                .to_owned(),
            other => format!("{other:?} in {text}"),
        });
    }
    verdicts
}

#[test]
fn the_server_applies_the_policy_checkdmarc_finds() {
    let environment = Environment::from_env();
    // Every From domain exists (checkdmarc reports a name with no records at all as
    // nonexistent before it looks for a policy).
    let records: Vec<String> = ZONE
        .iter()
        .map(|(domain, record)| format!("--txt-record=_dmarc.{domain},{record}"))
        .chain(
            FROM.iter()
                .map(|domain| format!("--host-record={domain},192.0.2.1")),
        )
        .collect();
    let dns = environment.start_dnsmasq(&records);
    let theirs = checkdmarc(&dns);
    assert_eq!(
        theirs,
        [
            "reject",
            "quarantine",
            "none",
            "quarantine",
            "quarantine",
            "error",
            "none"
        ],
        "checkdmarc"
    );
    assert_eq!(server(&environment, &dns), theirs, "for {FROM:?}");
}
