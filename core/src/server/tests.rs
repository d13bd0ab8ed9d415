//! Behaviour of the server session, each test citing the RFC rule it pins.

use super::*;
use crate::code;

const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);

/// Drives a session like a host that accepts every decision (or refuses recipients
/// whose local part starts with "unknown").
struct Host {
    session: ServerSession,
    output: String,
    message: Vec<u8>,
    delivered: Vec<(Envelope, Vec<u8>)>,
    aborted: usize,
    closed: bool,
    starttls: bool,
    credentials: Vec<Credentials>,
}

impl Host {
    fn with(configure: impl FnOnce(&mut ServerConfig)) -> Self {
        let mut config = ServerConfig::new("mx.example").unwrap();
        configure(&mut config);
        let connection = ConnectionInfo {
            client_ip: Some("192.0.2.1".parse().unwrap()),
            session_id: "s1".into(),
            ..ConnectionInfo::default()
        };
        let mut host = Self {
            session: ServerSession::new(config, connection, T0),
            output: String::new(),
            message: Vec::new(),
            delivered: Vec::new(),
            aborted: 0,
            closed: false,
            starttls: false,
            credentials: Vec::new(),
        };
        host.run();
        host
    }

    fn new() -> Self {
        Self::with(|_| {})
    }

    /// Sends `input` and returns what the server answered.
    fn send(&mut self, input: &str) -> String {
        self.send_bytes(input.as_bytes())
    }

    fn send_bytes(&mut self, input: &[u8]) -> String {
        self.output.clear();
        self.session.receive(input, T0);
        self.run();
        std::mem::take(&mut self.output)
    }

    fn run(&mut self) {
        while let Some(event) = self.session.next() {
            match event {
                Event::Output(bytes) => self.output.push_str(&String::from_utf8(bytes).unwrap()),
                Event::Close => self.closed = true,
                Event::Mail { .. } => self.session.decide(Decision::Accept).unwrap(),
                Event::Rcpt { forward_path, .. } => {
                    let unknown = matches!(&forward_path, ForwardPath::Mailbox(m) if m.local_part.starts_with("unknown"));
                    self.session
                        .decide(if unknown {
                            Decision::Reply(crate::reply::build(code!(550), (1, 1), "No such user"))
                        } else {
                            Decision::Accept
                        })
                        .unwrap();
                }
                Event::Authenticate(credentials) => {
                    let good = credentials.password == "secret";
                    self.credentials.push(credentials);
                    self.session
                        .decide(if good {
                            Decision::Accept
                        } else {
                            Decision::Reject
                        })
                        .unwrap();
                }
                Event::MessageData(bytes) => self.message.extend(bytes),
                Event::MessageEnd(envelope) => {
                    self.delivered
                        .push((envelope, std::mem::take(&mut self.message)));
                    self.session.decide(Decision::Accept).unwrap();
                }
                Event::MessageAborted => {
                    self.aborted += 1;
                    self.message.clear();
                }
                Event::StartTls => self.starttls = true,
            }
        }
    }

    /// The body of the last delivered message, without its Received header.
    fn last_body(&self) -> Vec<u8> {
        let (_, message) = self.delivered.last().expect("a delivered message");
        let text = String::from_utf8_lossy(message);
        let header_end = text.find("+0000\r\n").expect("a Received header") + 7;
        message[header_end..].to_vec()
    }
}

fn codes(output: &str) -> Vec<u16> {
    output
        .split("\r\n")
        .filter(|line| line.len() >= 4 && line.as_bytes()[3] == b' ')
        .map(|line| line[..3].parse().unwrap())
        .collect()
}

#[test]
fn greeting_is_220_with_the_hostname() {
    // RFC 5321 §4.3.1.
    assert_eq!(Host::new().output, "220 mx.example ESMTP wasmtp\r\n");
}

#[test]
fn ehlo_lists_the_configured_extensions_without_enhanced_code() {
    // RFC 5321 §4.1.1.1; RFC 2034 §4: no enhanced code on the EHLO reply.
    let mut host = Host::new();
    let reply = host.send("EHLO client.example\r\n");
    assert!(
        reply.starts_with("250-mx.example greets client.example\r\n"),
        "{reply}"
    );
    for keyword in [
        "PIPELINING",
        "SIZE 26214400",
        "8BITMIME",
        "SMTPUTF8",
        "ENHANCEDSTATUSCODES",
        "CHUNKING",
        "BINARYMIME",
        "DSN",
        "LIMITS RCPTMAX=100",
    ] {
        assert!(
            reply.contains(&format!("250-{keyword}\r\n"))
                || reply.contains(&format!("250 {keyword}\r\n")),
            "{keyword}: {reply}"
        );
    }
    assert!(!reply.contains("STARTTLS"));
    assert!(!reply.contains("AUTH"));
}

#[test]
fn a_whole_transaction_delivers_the_unstuffed_message() {
    // RFC 5321 §3.3, §4.5.2.
    let mut host = Host::new();
    host.send("EHLO client.example\r\n");
    assert_eq!(
        host.send("MAIL FROM:<a@client.example>\r\n"),
        "250 2.1.0 Sender OK\r\n"
    );
    assert_eq!(
        host.send("RCPT TO:<b@mx.example>\r\n"),
        "250 2.1.5 Recipient OK\r\n"
    );
    assert_eq!(
        host.send("DATA\r\n"),
        "354 Start mail input; end with <CRLF>.<CRLF>\r\n"
    );
    assert_eq!(
        host.send("Subject: hi\r\n\r\n..dot\r\n.\r\n"),
        "250 2.0.0 OK: queued as s1.1\r\n"
    );
    assert_eq!(host.last_body(), b"Subject: hi\r\n\r\n.dot\r\n");
    let (envelope, message) = &host.delivered[0];
    assert_eq!(envelope.recipients.len(), 1);
    assert!(String::from_utf8_lossy(message).starts_with(
        "Received: from client.example ([192.0.2.1])\r\n\tby mx.example (wasmtp) with ESMTP id s1.1\r\n\tfor <b@mx.example>;\r\n\tSat, 28 Nov 2026 10:00:00 +0000\r\n"
    ));
}

#[test]
fn pipelined_batch_is_answered_in_order_in_one_output() {
    // RFC 2920 §3.
    let mut host = Host::new();
    host.send("EHLO c.example\r\n");
    let batch = "MAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nRCPT TO:<unknown@mx.example>\r\nRCPT TO:<c@mx.example>\r\nDATA\r\n";
    host.session.receive(batch.as_bytes(), T0);
    let mut outputs = Vec::new();
    while let Some(event) = host.session.next() {
        match event {
            Event::Output(bytes) => outputs.push(String::from_utf8(bytes).unwrap()),
            Event::Rcpt { forward_path, .. } => host
                .session
                .decide(
                    if matches!(&forward_path, ForwardPath::Mailbox(m) if m.local_part == "unknown")
                    {
                        Decision::Reject
                    } else {
                        Decision::Accept
                    },
                )
                .unwrap(),
            Event::Mail { .. } => host.session.decide(Decision::Accept).unwrap(),
            _ => {}
        }
    }
    assert_eq!(outputs.len(), 1, "{outputs:?}");
    assert_eq!(codes(&outputs[0]), [250, 250, 550, 250, 354]);
}

#[test]
fn commands_out_of_sequence_get_503() {
    // RFC 5321 §4.1.4 and §3.3.
    let mut host = Host::new();
    assert_eq!(codes(&host.send("MAIL FROM:<a@b.example>\r\n")), [503]);
    host.send("EHLO c.example\r\n");
    assert_eq!(
        host.send("RCPT TO:<b@mx.example>\r\n"),
        "503 5.5.1 Need MAIL before RCPT\r\n"
    );
    assert_eq!(codes(&host.send("DATA\r\n")), [503]);
    host.send("MAIL FROM:<a@c.example>\r\n");
    assert_eq!(codes(&host.send("MAIL FROM:<a@c.example>\r\n")), [503]);
    assert_eq!(codes(&host.send("DATA\r\n")), [503]);
}

#[test]
fn rset_and_ehlo_reset_the_transaction() {
    // RFC 5321 §4.1.1.5 and §4.1.4.
    let mut host = Host::new();
    host.send("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\n");
    assert_eq!(host.send("RSET\r\n"), "250 2.0.0 OK\r\n");
    assert_eq!(codes(&host.send("RCPT TO:<b@mx.example>\r\n")), [503]);
    host.send("MAIL FROM:<a@c.example>\r\n");
    host.send("EHLO c.example\r\n");
    assert_eq!(codes(&host.send("DATA\r\n")), [503]);
}

#[test]
fn vrfy_expn_help_noop_quit() {
    // RFC 5321 §3.5.3 and §7.3 (VRFY 252), §4.1.1.7-10.
    let mut host = Host::new();
    host.send("EHLO c.example\r\n");
    assert_eq!(codes(&host.send("VRFY postmaster\r\n")), [252]);
    assert_eq!(codes(&host.send("EXPN staff\r\n")), [502]);
    assert_eq!(codes(&host.send("HELP\r\n")), [214]);
    assert_eq!(codes(&host.send("NOOP\r\n")), [250]);
    assert_eq!(
        host.send("QUIT\r\nNOOP\r\n"),
        "221 2.0.0 mx.example closing connection\r\n"
    );
    assert!(host.closed);
}

#[test]
fn enhanced_codes_only_after_ehlo_advertised_them() {
    // RFC 2034 §4.
    let mut host = Host::new();
    assert_eq!(host.send("NOOP\r\n"), "250 OK\r\n");
    host.send("HELO c.example\r\n");
    assert_eq!(host.send("NOOP\r\n"), "250 OK\r\n");
    host.send("EHLO c.example\r\n");
    assert_eq!(host.send("NOOP\r\n"), "250 2.0.0 OK\r\n");
}

#[test]
fn recipient_past_the_limit_gets_452() {
    // RFC 5321 §4.5.3.1.10: 452 too many recipients.
    let mut host = Host::new();
    host.send("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\n");
    for n in 0..100 {
        assert_eq!(
            codes(&host.send(&format!("RCPT TO:<u{n}@mx.example>\r\n"))),
            [250]
        );
    }
    assert_eq!(
        host.send("RCPT TO:<u100@mx.example>\r\n"),
        "452 4.5.3 Too many recipients\r\n"
    );
    host.send("DATA\r\nx\r\n.\r\n");
    assert_eq!(host.delivered[0].0.recipients.len(), 100);
}

#[test]
fn size_limits_at_mail_and_after_data() {
    // RFC 1870 §6: 552 5.3.4, also for a SIZE that overflows.
    let mut host = Host::with(|config| config.limits.message_size = 100);
    host.send("EHLO c.example\r\n");
    assert_eq!(
        codes(&host.send("MAIL FROM:<a@c.example> SIZE=101\r\n")),
        [552]
    );
    assert_eq!(
        codes(&host.send("MAIL FROM:<a@c.example> SIZE=99999999999999999999999\r\n")),
        [501]
    );
    assert_eq!(
        codes(&host.send("MAIL FROM:<a@c.example> SIZE=18446744073709551616\r\n")),
        [552]
    );
    host.send("MAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n");
    let big = format!("{}\r\n.\r\nNOOP\r\n", "x".repeat(200));
    assert_eq!(codes(&host.send(&big)), [552, 250]);
    assert_eq!(host.aborted, 1);
    assert!(host.delivered.is_empty());
}

#[test]
fn overlong_command_is_answered_once_and_the_session_resynchronises() {
    // RFC 5321 §4.5.3.1.4.
    let mut host = Host::new();
    assert_eq!(host.send(&"A".repeat(5000)), "");
    assert_eq!(
        host.send(&format!("{}\r\nNOOP\r\n", "A".repeat(5000))),
        "500 Line too long\r\n250 OK\r\n"
    );
    assert!(host.session.input.len() < 600, "the excess was not kept");
}

#[test]
fn bare_line_endings_are_refused_after_the_end_of_data() {
    // The smuggling defence: only CRLF.CRLF ends the data, and a message with bare LF is
    // refused as a whole, so nothing after "\n.\n" is taken as a command.
    let mut host = Host::new();
    host.send("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n");
    let reply = host.send(
        "hi\n.\nMAIL FROM:<evil@x.example>\r\nRCPT TO:<v@mx.example>\r\nDATA\r\nforged\r\n.\r\n",
    );
    assert_eq!(codes(&reply), [554]);
    assert!(reply.contains("bare LF"));
    assert!(host.delivered.is_empty());
    assert_eq!(host.aborted, 1);
}

#[test]
fn the_vulnerable_quirk_lets_a_smuggled_message_through() {
    // The same bytes as above against the demonstration quirk: two messages.
    let mut host = Host::with(|config| config.quirks.vulnerable_to_smuggling = true);
    host.send("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n");
    let reply = host.send(
        "hi\n.\nMAIL FROM:<evil@x.example>\r\nRCPT TO:<v@mx.example>\r\nDATA\r\nforged\r\n.\r\n",
    );
    assert_eq!(codes(&reply), [250, 250, 250, 354, 250]);
    assert_eq!(host.delivered.len(), 2);
}

#[test]
fn helo_only_quirk_answers_ehlo_with_502_and_takes_helo() {
    let mut host = Host::with(|config| config.quirks.helo_only = true);
    assert_eq!(codes(&host.send("EHLO c.example\r\n")), [502]);
    assert_eq!(codes(&host.send("HELO c.example\r\n")), [250]);
}

#[test]
fn normalize_option_accepts_bare_line_endings_as_crlf() {
    let mut host =
        Host::with(|config| config.quirks.bare_line_endings = BareLineEndings::Normalize);
    host.send("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n");
    assert_eq!(codes(&host.send("a\nb\r\n.\r\n")), [250]);
    assert_eq!(host.last_body(), b"a\r\nb\r\n");
}

#[test]
fn control_characters_in_commands_are_syntax_errors() {
    let mut host = Host::new();
    assert_eq!(codes(&host.send("NO\0OP\r\n")), [500]);
    assert_eq!(codes(&host.send("NOOP\rQUIT\r\n")), [500]);
    assert!(!host.closed);
}

#[test]
fn a_command_ended_by_a_bare_lf_is_answered_at_once() {
    // RFC 5321 §2.3.8: only CRLF ends a line; waiting for one would leave the client
    // with nothing to debug by.
    let mut host = Host::new();
    assert_eq!(
        host.send("NOOP\n"),
        "500 Line must end with CRLF, not a bare LF (RFC 5321 section 2.3.8)\r\n"
    );
    // The next line is a command of its own: the session stays in step.
    assert_eq!(codes(&host.send("EHLO c.example\nNOOP\r\n")), [500, 250]);
    assert!(!host.closed);
}

#[test]
fn normalize_option_takes_a_bare_lf_as_the_end_of_a_command() {
    let mut host =
        Host::with(|config| config.quirks.bare_line_endings = BareLineEndings::Normalize);
    assert_eq!(codes(&host.send("NOOP\nNOOP\r\n")), [250, 250]);
}

#[test]
fn unknown_and_unadvertised_parameters_get_555() {
    // RFC 5321 §4.1.1.11.
    let mut host = Host::with(|config| config.extensions.dsn = false);
    host.send("EHLO c.example\r\n");
    assert_eq!(
        codes(&host.send("MAIL FROM:<a@c.example> X-FOO=1\r\n")),
        [555]
    );
    assert_eq!(
        codes(&host.send("MAIL FROM:<a@c.example> RET=FULL\r\n")),
        [555]
    );
    assert_eq!(
        codes(&host.send("MAIL FROM:<a@c.example> REQUIRETLS\r\n")),
        [555]
    );
    let mut helo = Host::new();
    helo.send("HELO c.example\r\n");
    assert_eq!(
        codes(&helo.send("MAIL FROM:<a@c.example> BODY=8BITMIME\r\n")),
        [555]
    );
}

#[test]
fn utf8_addresses_need_smtputf8() {
    // RFC 6531 §3.4, §3.7.4.1.
    let mut host = Host::new();
    host.send("EHLO c.example\r\n");
    assert_eq!(codes(&host.send("MAIL FROM:<用户@例子.广告>\r\n")), [553]);
    assert_eq!(codes(&host.send("MAIL FROM:<a@c.example>\r\n")), [250]);
    assert_eq!(codes(&host.send("RCPT TO:<用户@例子.广告>\r\n")), [553]);
    host.send("RSET\r\n");
    assert_eq!(
        codes(&host.send(
            "MAIL FROM:<用户@例子.广告> SMTPUTF8\r\nRCPT TO:<b@mx.example>\r\nDATA\r\nx\r\n.\r\n"
        )),
        [250, 250, 354, 250]
    );
    let (_, message) = host.delivered.last().unwrap();
    assert!(String::from_utf8_lossy(message).contains("with UTF8SMTP id"));
}

#[test]
fn relay_is_refused_unless_trusted_or_authenticated() {
    let mut host = Host::with(|config| {
        config.local_domains = vec![crate::syntax::Domain::parse("mx.example").unwrap()]
    });
    host.send("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\n");
    assert_eq!(codes(&host.send("RCPT TO:<b@MX.example>\r\n")), [250]);
    assert_eq!(
        host.send("RCPT TO:<b@elsewhere.example>\r\n"),
        "554 5.7.1 Relay access denied\r\n"
    );
    assert_eq!(codes(&host.send("RCPT TO:<Postmaster>\r\n")), [250]);
}

#[test]
fn starttls_without_tls_is_454_and_loses_nothing_after_it() {
    // RFC 3207 §4; the injection test of issue 3 with TLS not offered.
    let mut host = Host::new();
    let reply = host.send("EHLO c.example\r\nSTARTTLS\r\nNOOP\r\n");
    assert!(
        reply.ends_with("454 4.7.0 TLS not available\r\n250 2.0.0 OK\r\n"),
        "{reply}"
    );
}

#[test]
fn starttls_discards_plaintext_sent_after_it_and_requires_ehlo_again() {
    // RFC 3207 §4.2; CVE-2011-0411.
    let mut host = Host::with(|config| config.tls_available = true);
    let reply = host.send("EHLO c.example\r\nSTARTTLS\r\nMAIL FROM:<evil@x.example>\r\n");
    assert!(reply.contains("STARTTLS\r\n"));
    assert!(
        reply.ends_with("220 2.0.0 Ready to start TLS\r\n"),
        "{reply}"
    );
    assert!(host.starttls);
    host.session.tls_established(T0, None);
    assert_eq!(codes(&host.send("MAIL FROM:<a@c.example>\r\n")), [503]);
    let reply = host.send("EHLO c.example\r\n");
    assert!(!reply.contains("STARTTLS"));
}

#[test]
fn auth_needs_tls_unless_allowed_and_decodes_credentials() {
    // RFC 4954 §4 and §6.
    let mut host = Host::with(|config| {
        config.extensions.auth_mechanisms = vec!["PLAIN".into(), "LOGIN".into()]
    });
    host.send("EHLO c.example\r\n");
    assert_eq!(codes(&host.send("AUTH PLAIN AHVzZXIAc2VjcmV0\r\n")), [538]);

    let mut host = Host::with(|config| {
        config.extensions.auth_mechanisms = vec!["PLAIN".into(), "LOGIN".into()];
        config.quirks.auth_without_tls = true;
    });
    assert!(
        host.send("EHLO c.example\r\n")
            .contains("250 AUTH PLAIN LOGIN\r\n")
    );
    assert_eq!(codes(&host.send("AUTH PLAIN AHVzZXIAd3Jvbmc=\r\n")), [535]);
    assert_eq!(host.send("AUTH PLAIN\r\n"), "334 \r\n");
    assert_eq!(codes(&host.send("*\r\n")), [501]);
    assert_eq!(host.send("AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    assert_eq!(host.send("dXNlcg==\r\n"), "334 UGFzc3dvcmQ6\r\n");
    assert_eq!(
        host.send("c2VjcmV0\r\n"),
        "235 2.7.0 Authentication successful\r\n"
    );
    assert_eq!(
        host.credentials.last().map(|c| c.username.as_str()),
        Some("user")
    );
    assert_eq!(codes(&host.send("AUTH PLAIN AHVzZXIAc2VjcmV0\r\n")), [503]);
    host.send("MAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\nx\r\n.\r\n");
    let (_, message) = host.delivered.last().unwrap();
    assert!(String::from_utf8_lossy(message).contains("with ESMTPA id"));
}

#[test]
fn submission_requires_auth_before_mail() {
    // RFC 4954 §6: 530 5.7.0 until the client has authenticated.
    let mut host = Host::with(|config| {
        config.extensions.auth_mechanisms = vec!["PLAIN".into()];
        config.quirks.auth_without_tls = true;
        config.require_auth = true;
    });
    host.send("EHLO c.example\r\n");
    assert_eq!(
        host.send("MAIL FROM:<a@c.example>\r\n"),
        "530 5.7.0 Authentication required\r\n"
    );
    assert_eq!(codes(&host.send("AUTH PLAIN AHVzZXIAc2VjcmV0\r\n")), [235]);
    assert_eq!(codes(&host.send("MAIL FROM:<a@c.example>\r\n")), [250]);
}

#[test]
fn repeated_auth_failures_end_the_connection() {
    // 535 5.7.8 each time (RFC 4954 §6); the third closes with 421 4.7.0.
    let mut host = Host::with(|config| {
        config.extensions.auth_mechanisms = vec!["PLAIN".into()];
        config.quirks.auth_without_tls = true;
    });
    host.send("EHLO c.example\r\n");
    let wrong = "AUTH PLAIN AHVzZXIAd3Jvbmc=\r\n";
    assert_eq!(
        host.send(wrong),
        "535 5.7.8 Authentication credentials invalid\r\n"
    );
    assert_eq!(codes(&host.send(wrong)), [535]);
    assert_eq!(codes(&host.send(wrong)), [535, 421]);
    assert!(host.closed);
}

#[test]
fn bdat_chunks_make_one_message_with_exact_byte_counts() {
    // RFC 3030 §2: no dot handling, LAST ends the message.
    let mut host = Host::new();
    host.send("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\n");
    assert_eq!(
        host.send("BDAT 5\r\n.\r\nab"),
        "250 2.0.0 5 octets received\r\n"
    );
    assert_eq!(
        host.send("BDAT 5 LAST\r\nc\r\n\r\nNOOP\r\n"),
        "250 2.0.0 OK: queued as s1.1\r\n250 2.0.0 OK\r\n"
    );
    assert_eq!(host.last_body(), b".\r\nabc\r\n\r\n");
}

#[test]
fn bdat_without_recipients_is_read_then_refused() {
    // RFC 3030 §2: the chunk's octets are read, so they are never taken as commands.
    let mut host = Host::new();
    host.send("EHLO c.example\r\n");
    assert_eq!(
        codes(&host.send("BDAT 6 LAST\r\nQUIT\r\nNOOP\r\n")),
        [503, 250]
    );
    assert!(!host.closed);
}

#[test]
fn http_request_closes_the_connection() {
    let mut host = Host::new();
    assert_eq!(codes(&host.send("GET / HTTP/1.1\r\nHost: x\r\n")), [421]);
    assert!(host.closed);
}

#[test]
fn too_many_errors_end_the_session() {
    let mut host = Host::new();
    let reply = host.send(&"FOO\r\n".repeat(12));
    assert_eq!(codes(&reply).last(), Some(&421));
    assert_eq!(codes(&reply).len(), 11);
    assert!(host.closed);
}

#[test]
fn talking_before_a_delayed_greeting_is_refused() {
    // RFC 5321 §4.3.1: the client waits for the greeting.
    let mut config = ServerConfig::new("mx.example").unwrap();
    config.timeouts.greeting_delay = core::time::Duration::from_secs(2);
    let mut session = ServerSession::new(config.clone(), ConnectionInfo::default(), T0);
    assert_eq!(session.next(), None);
    assert_eq!(
        session.poll_timeout(),
        Some(T0.after(core::time::Duration::from_secs(2)))
    );
    session.receive(b"EHLO early\r\n", T0);
    assert!(matches!(session.next(), Some(Event::Output(bytes)) if bytes.starts_with(b"554 ")));
    assert_eq!(session.next(), Some(Event::Close));

    let mut patient = ServerSession::new(config, ConnectionInfo::default(), T0);
    patient.handle_timeout(T0.after(core::time::Duration::from_secs(2)));
    assert!(matches!(patient.next(), Some(Event::Output(bytes)) if bytes.starts_with(b"220 ")));
}

#[test]
fn idle_client_times_out_with_421() {
    // RFC 5321 §4.5.3.2.7: at least 5 minutes for the next command.
    let mut host = Host::new();
    let deadline = host.session.poll_timeout().unwrap();
    assert_eq!(deadline, T0.after(core::time::Duration::from_secs(300)));
    host.session.handle_timeout(deadline);
    host.run();
    assert!(host.closed);
}

#[test]
fn a_slow_drip_of_data_is_cut_off() {
    let mut host = Host::new();
    host.send("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n");
    let mut now = T0;
    for _ in 0..100 {
        now = now.after(core::time::Duration::from_secs(60));
        host.session.receive(b"x", now);
        host.session.handle_timeout(now);
        host.run();
        if host.closed {
            break;
        }
    }
    assert!(host.closed);
    assert_eq!(host.aborted, 1);
}

#[test]
fn a_decision_nobody_asked_for_comes_back_and_changes_nothing() {
    let mut host = Host::new();
    host.send("EHLO c.example\r\n");
    let decision = Decision::Reply(crate::reply::build(code!(550), (7, 1), "no"));
    assert_eq!(
        host.session.decide(decision.clone()),
        Err(super::NoDecisionPending(decision))
    );
    assert!(host.session.next().is_none(), "no reply was sent");
    assert!(host.send("MAIL FROM:<a@c.example>\r\n").starts_with("250 "));
}
