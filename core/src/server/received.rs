//! The `Received:` trace header a server adds to every message it takes (RFC 5321 §4.4,
//! with the `with` keywords of RFC 3848 and RFC 6531 §3.7.3, and the `tls` clause of
//! RFC 8314 §4.3).

use std::net::IpAddr;

use super::{Recipient, TlsSummary};
use crate::syntax::{Domain, ForwardPath, Host};
use crate::time::UnixTime;

/// What the header records.
#[derive(Debug)]
pub struct Trace<'a> {
    pub client: Option<&'a Host>,
    pub client_ip: Option<IpAddr>,
    pub hostname: &'a Domain,
    pub extended: bool,
    pub smtputf8: bool,
    pub tls: bool,
    pub tls_summary: Option<&'a TlsSummary>,
    pub authenticated: bool,
    pub id: &'a str,
    pub recipients: &'a [Recipient],
    pub time: UnixTime,
}

/// `Received: from <helo> ([ip]) by <host> with <protocol> id <id> [for <rcpt>]
/// [tls <cipher suite> (<version>)]; <date>`, folded over lines with a tab. `for` is
/// given only for a single recipient, so one copy never reveals the other recipients.
/// The `tls` clause is RFC 8314's registered clause, its value the IANA cipher suite
/// name; the version, which it does not carry, goes in a comment (as Postfix's
/// `using TLSv1.3` does).
pub fn header(trace: &Trace<'_>) -> String {
    let mut header = String::from("Received:");
    if let Some(client) = trace.client {
        header.push_str(&format!(" from {client}"));
        if let Some(ip) = trace.client_ip {
            let literal = match ip {
                IpAddr::V4(v4) => format!("[{v4}]"),
                IpAddr::V6(v6) => format!("[IPv6:{v6}]"),
            };
            header.push_str(&format!(" ({literal})"));
        }
        header.push_str("\r\n\t");
    } else {
        header.push(' ');
    }
    header.push_str(&format!(
        "by {} (wasmtp) with {} id {}",
        trace.hostname,
        protocol(trace),
        trace.id
    ));
    if let [single] = trace.recipients {
        let path = match &single.forward_path {
            ForwardPath::Postmaster => "<Postmaster>".to_owned(),
            ForwardPath::Mailbox(mailbox) => format!("<{mailbox}>"),
        };
        header.push_str(&format!("\r\n\tfor {path}"));
    }
    if let Some(summary) = trace.tls_summary {
        header.push_str(&format!(
            "\r\n\ttls {} ({})",
            summary.cipher_suite, summary.version
        ));
    }
    header.push_str(&format!(";\r\n\t{}\r\n", trace.time.rfc5322()));
    header
}

/// `SMTP`, `ESMTP` or `UTF8SMTP`, with `S` for TLS and `A` for authentication
/// (RFC 3848 §2, RFC 6531 §3.7.3).
/// Received fields in the header section of `message`: its hop count. RFC 5321 §6.3
/// suggests treating a count of about 100 as a mail loop; [`MAX_HOPS`] is Postfix's 50.
pub fn hop_count(message: &[u8]) -> usize {
    let mut count = 0;
    for line in message.split(|&byte| byte == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.len() >= 9
            && line
                .get(..9)
                .is_some_and(|name| name.eq_ignore_ascii_case(b"received:"))
        {
            count += 1;
        }
    }
    count
}

/// More hops than this is a loop (RFC 5321 §6.3).
pub const MAX_HOPS: usize = 50;

fn protocol(trace: &Trace<'_>) -> String {
    if !trace.extended {
        return "SMTP".to_owned();
    }
    let base = if trace.smtputf8 { "UTF8SMTP" } else { "ESMTP" };
    format!(
        "{base}{}{}",
        if trace.tls { "S" } else { "" },
        if trace.authenticated { "A" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::RcptParameters;
    use crate::syntax::address::Mailbox;

    #[test]
    fn header_names_client_server_protocol_and_single_recipient() {
        let hostname = Domain::parse("mx.example").unwrap();
        let client = Host::Domain(Domain::parse("client.example").unwrap());
        let recipient = Recipient {
            forward_path: ForwardPath::Mailbox(Mailbox {
                local_part: "user".into(),
                host: Host::Domain(Domain::parse("example.org").unwrap()),
            }),
            parameters: RcptParameters::default(),
        };
        let header = header(&Trace {
            client: Some(&client),
            client_ip: Some("192.0.2.1".parse().unwrap()),
            hostname: &hostname,
            extended: true,
            smtputf8: false,
            tls: true,
            tls_summary: Some(&TlsSummary {
                version: "TLSv1.3".into(),
                cipher_suite: "TLS_AES_256_GCM_SHA384".into(),
            }),
            authenticated: true,
            id: "abc.1",
            recipients: std::slice::from_ref(&recipient),
            time: UnixTime::from_millis(1_795_860_000_000),
        });
        assert_eq!(
            header,
            "Received: from client.example ([192.0.2.1])\r\n\tby mx.example (wasmtp) with ESMTPSA id abc.1\r\n\tfor <user@example.org>\r\n\ttls TLS_AES_256_GCM_SHA384 (TLSv1.3);\r\n\tSat, 28 Nov 2026 10:00:00 +0000\r\n"
        );
    }
}

#[cfg(test)]
mod hop_tests {
    use super::*;

    #[test]
    fn hops_are_counted_in_the_header_section_only() {
        let message = b"Received: a\r\n\tcontinued\r\nRECEIVED: b\r\nSubject: x\r\n\r\nReceived: in the body\r\n";
        assert_eq!(hop_count(message), 2);
        assert_eq!(hop_count(b""), 0);
    }
}
