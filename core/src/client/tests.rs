//! The client session against the real server session, in memory (a unit test's peer),
//! and against scripted replies for what a well-behaved server never says.

use super::*;
use crate::code;
use crate::server::{ConnectionInfo, Decision, Event as ServerEvent, ServerConfig, ServerSession};
use crate::syntax::{ForwardPath, Mailbox, RcptParameters};

const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);

fn mailbox(text: &str) -> Mailbox {
    let (local_part, domain) = text.split_once('@').unwrap();
    Mailbox {
        local_part: local_part.into(),
        host: Host::Domain(Domain::parse(domain).unwrap()),
    }
}

fn recipient(text: &str) -> Recipient {
    Recipient {
        forward_path: ForwardPath::Mailbox(mailbox(text)),
        parameters: RcptParameters::default(),
    }
}

fn client(
    recipients: &[&str],
    message: &[u8],
    configure: impl FnOnce(&mut ClientConfig),
) -> ClientSession {
    let mut config = ClientConfig::new(Domain::parse("client.example").unwrap());
    config.tls = TlsPolicy::None;
    configure(&mut config);
    ClientSession::new(
        config,
        ReversePath::Mailbox(mailbox("alice@client.example")),
        MailParameters::default(),
        recipients.iter().map(|text| recipient(text)).collect(),
        MessageInfo::of_text(message),
        T0,
    )
}

/// What the server side saw and kept.
#[derive(Debug, Default)]
struct ServerLog {
    messages: Vec<(Vec<String>, Vec<u8>)>,
    batches: Vec<String>,
}

/// Runs `client` against a server session configured by `configure`, whose host refuses
/// recipients starting with "no" (550) or "later" (451), until the client is done.
fn converse(
    mut client: ClientSession,
    message: &[u8],
    configure: impl FnOnce(&mut ServerConfig),
) -> (Outcome, ServerLog) {
    let mut config = ServerConfig::new("mx.example").unwrap();
    configure(&mut config);
    let mut server = ServerSession::new(config, ConnectionInfo::default(), T0);
    let mut log = ServerLog::default();
    let mut body = Vec::new();
    for _ in 0..10_000 {
        let mut to_server = Vec::new();
        while let Some(event) = client.next() {
            match event {
                Event::Output(bytes) => to_server.extend(bytes),
                Event::SendMessage => {
                    for piece in message.chunks(7) {
                        client.message_data(piece);
                    }
                    client.message_end();
                }
                Event::StartTls | Event::Close => {}
                Event::Done(outcome) => return (outcome, log),
            }
        }
        if !to_server.is_empty() {
            log.batches
                .push(String::from_utf8_lossy(&to_server).into_owned());
        }
        server.receive(&to_server, T0);
        let mut to_client = Vec::new();
        while let Some(event) = server.next() {
            match event {
                ServerEvent::Output(bytes) => to_client.extend(bytes),
                ServerEvent::Rcpt { forward_path, .. } => {
                    let local = match &forward_path {
                        ForwardPath::Mailbox(mailbox) => mailbox.local_part.clone(),
                        ForwardPath::Postmaster => "postmaster".into(),
                    };
                    server
                        .decide(if local.starts_with("no") {
                            Decision::Reply(build(code!(550), (1, 1), "no such user"))
                        } else if local.starts_with("later") {
                            Decision::Reply(build(code!(451), (3, 0), "try later"))
                        } else {
                            Decision::Accept
                        })
                        .unwrap();
                }
                ServerEvent::MessageData(bytes) => body.extend(bytes),
                ServerEvent::MessageEnd(envelope) => {
                    let to = envelope
                        .recipients
                        .iter()
                        .map(|recipient| recipient.forward_path.to_string())
                        .collect();
                    log.messages.push((to, std::mem::take(&mut body)));
                    server.decide(Decision::Accept).unwrap();
                }
                ServerEvent::MessageAborted => body.clear(),
                ServerEvent::Mail { .. } | ServerEvent::Authenticate(_) => {
                    server.decide(Decision::Accept).unwrap()
                }
                ServerEvent::Close | ServerEvent::StartTls => {}
            }
        }
        if to_client.is_empty() && to_server.is_empty() {
            client.connection_closed();
        }
        client.receive(&to_client, T0);
    }
    panic!("the conversation did not end");
}

/// The message as the server stored it, after its Received header.
fn stored_body(stored: &[u8]) -> &[u8] {
    let end = stored.windows(7).position(|w| w == b"+0000\r\n").unwrap() + 7;
    &stored[end..]
}

const MESSAGE: &[u8] = b"Subject: test\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n";

#[test]
fn pipelined_transaction_delivers_the_message_unchanged() {
    let (outcome, log) = converse(
        client(&["bob@mx.example"], MESSAGE, |_| {}),
        MESSAGE,
        |_| {},
    );
    assert_eq!(outcome.kinds(), ["delivered"]);
    assert_eq!(outcome.failure, None);
    assert_eq!(stored_body(&log.messages[0].1), MESSAGE);
    // RFC 2920 §3: MAIL, RCPT and DATA went in one batch.
    assert!(
        log.batches
            .iter()
            .any(|batch| batch.starts_with("MAIL FROM:") && batch.ends_with("DATA\r\n"))
    );
}

#[test]
fn without_pipelining_commands_go_one_at_a_time() {
    let (outcome, log) = converse(
        client(&["bob@mx.example", "carol@mx.example"], MESSAGE, |_| {}),
        MESSAGE,
        |server| {
            server.extensions.pipelining = false;
        },
    );
    assert_eq!(outcome.kinds(), ["delivered", "delivered"]);
    assert!(
        log.batches
            .iter()
            .all(|batch| batch.matches("\r\n").count() == 1 || !batch.starts_with("RCPT"))
    );
    assert_eq!(stored_body(&log.messages[0].1), MESSAGE);
}

#[test]
fn per_recipient_outcomes_follow_the_servers_replies() {
    let (outcome, log) = converse(
        client(
            &["bob@mx.example", "nobody@mx.example", "later@mx.example"],
            MESSAGE,
            |_| {},
        ),
        MESSAGE,
        |_| {},
    );
    assert_eq!(outcome.kinds(), ["delivered", "permanent", "temporary"]);
    assert_eq!(log.messages.len(), 1);
    assert_eq!(log.messages[0].0, ["<bob@mx.example>"]);
}

#[test]
fn every_recipient_refused_ends_the_data_at_once_after_354() {
    // RFC 2920 §3.1: the server may still say 354; the client sends no message.
    let (outcome, log) = converse(
        client(&["nobody@mx.example"], MESSAGE, |_| {}),
        MESSAGE,
        |_| {},
    );
    assert_eq!(outcome.kinds(), ["permanent"]);
    assert!(log.messages.is_empty());
}

#[test]
fn recipients_past_the_servers_limit_go_in_a_second_transaction() {
    // §4.5.3.1.10: 452 puts off the rest to a new transaction.
    let recipients: Vec<String> = (0..5).map(|n| format!("user{n}@mx.example")).collect();
    let names: Vec<&str> = recipients.iter().map(String::as_str).collect();
    let (outcome, log) = converse(client(&names, MESSAGE, |_| {}), MESSAGE, |server| {
        server.limits.recipients = 3
    });
    assert_eq!(outcome.kinds(), ["delivered"; 5]);
    assert_eq!(log.messages.len(), 2);
    assert_eq!(log.messages[0].0.len(), 3);
    assert_eq!(log.messages[1].0.len(), 2);
    assert_eq!(stored_body(&log.messages[1].1), MESSAGE);
}

#[test]
fn bdat_is_used_when_chunking_is_offered_and_chosen() {
    let (outcome, log) = converse(
        client(&["bob@mx.example"], MESSAGE, |config| {
            config.prefer_chunking = true
        }),
        MESSAGE,
        |_| {},
    );
    assert_eq!(outcome.kinds(), ["delivered"]);
    assert!(log.batches.iter().any(|batch| batch.starts_with("BDAT ")));
    assert_eq!(stored_body(&log.messages[0].1), MESSAGE);
}

#[test]
fn a_message_larger_than_the_servers_size_fails_before_data() {
    let (outcome, log) = converse(
        client(&["bob@mx.example"], MESSAGE, |_| {}),
        MESSAGE,
        |server| {
            server.limits.message_size = 10;
        },
    );
    assert_eq!(outcome.kinds(), ["permanent"]);
    assert!(log.batches.iter().all(|batch| !batch.contains("MAIL FROM")));
}

#[test]
fn eight_bit_content_needs_8bitmime() {
    let message = "Subject: caf\u{e9}\r\n\r\nna\u{ef}ve\r\n".as_bytes();
    let (outcome, _) = converse(
        client(&["bob@mx.example"], message, |_| {}),
        message,
        |server| {
            server.extensions.eight_bit_mime = false;
        },
    );
    assert_eq!(outcome.kinds(), ["permanent"]);
    let (outcome, log) = converse(
        client(&["bob@mx.example"], message, |_| {}),
        message,
        |_| {},
    );
    assert_eq!(outcome.kinds(), ["delivered"]);
    assert!(log.batches[1].contains("BODY=8BITMIME"));
}

#[test]
fn helo_is_used_when_ehlo_is_not_understood() {
    let mut client = client(&["bob@mx.example"], MESSAGE, |_| {});
    client.receive(b"220 old.example\r\n", T0);
    assert_eq!(
        client.next(),
        Some(Event::Output(b"EHLO client.example\r\n".to_vec()))
    );
    client.receive(b"502 command not implemented\r\n", T0);
    assert_eq!(
        client.next(),
        Some(Event::Output(b"HELO client.example\r\n".to_vec()))
    );
    client.receive(b"250 old.example\r\n", T0);
    assert_eq!(
        client.next(),
        Some(Event::Output(
            b"MAIL FROM:<alice@client.example>\r\n".to_vec()
        ))
    );
}

#[test]
fn a_554_greeting_fails_every_recipient_permanently() {
    // RFC 5321 §3.1: 554 in the greeting means no SMTP service here.
    let mut client = client(&["bob@mx.example"], MESSAGE, |_| {});
    client.receive(b"554 no service here\r\n", T0);
    assert_eq!(client.next(), Some(Event::Output(b"QUIT\r\n".to_vec())));
    client.receive(b"221 bye\r\n", T0);
    assert_eq!(client.next(), Some(Event::Close));
    let Some(Event::Done(outcome)) = client.next() else {
        panic!("no outcome")
    };
    assert_eq!(outcome.kinds(), ["permanent"]);
    assert!(matches!(outcome.failure, Some(SessionFailure::Policy(_))));
}

#[test]
fn bytes_after_the_220_to_starttls_abort_the_session() {
    // Response injection (the 2021 "NO STARTTLS" study).
    let mut client = client(&["bob@mx.example"], MESSAGE, |config| {
        config.tls = TlsPolicy::Opportunistic
    });
    client.receive(b"220 mx\r\n", T0);
    let _ehlo = client.next();
    client.receive(b"250-mx\r\n250 STARTTLS\r\n", T0);
    assert_eq!(client.next(), Some(Event::Output(b"STARTTLS\r\n".to_vec())));
    client.receive(b"220 go ahead\r\n250 injected\r\n", T0);
    let events: Vec<Event> = std::iter::from_fn(|| client.next()).collect();
    assert!(!events.contains(&Event::StartTls));
    let Some(Event::Done(outcome)) = events.last() else {
        panic!("{events:?}")
    };
    assert!(matches!(outcome.failure, Some(SessionFailure::Protocol(_))));
    assert_eq!(outcome.kinds(), ["temporary"]);
}

#[test]
fn tls_required_and_not_offered_fails_without_sending_mail() {
    let mut client = client(&["bob@mx.example"], MESSAGE, |config| {
        config.tls = TlsPolicy::Required
    });
    client.receive(b"220 mx\r\n", T0);
    let _ehlo = client.next();
    client.receive(b"250 mx\r\n", T0);
    let events: Vec<Event> = std::iter::from_fn(|| client.next()).collect();
    assert!(
        events
            .iter()
            .all(|event| !matches!(event, Event::Output(bytes) if bytes.starts_with(b"MAIL")))
    );
    assert!(matches!(
        events.last(),
        Some(Event::Done(Outcome {
            failure: Some(SessionFailure::Tls(_)),
            ..
        }))
    ));
}

#[test]
fn auth_plain_is_sent_when_credentials_are_given() {
    let (outcome, log) = converse(
        client(&["bob@mx.example"], MESSAGE, |config| {
            config.credentials = Some(("user".into(), "secret".into()));
            config.auth_without_tls = true;
        }),
        MESSAGE,
        |server| {
            server.extensions.auth_mechanisms = vec!["PLAIN".into()];
            server.quirks.auth_without_tls = true;
        },
    );
    assert_eq!(outcome.kinds(), ["delivered"]);
    assert!(
        log.batches
            .iter()
            .any(|batch| batch.starts_with("AUTH PLAIN "))
    );
}

#[test]
fn a_malformed_reply_is_a_protocol_failure() {
    let mut client = client(&["bob@mx.example"], MESSAGE, |_| {});
    client.receive(b"hello there\r\n", T0);
    let events: Vec<Event> = std::iter::from_fn(|| client.next()).collect();
    assert!(matches!(
        events.last(),
        Some(Event::Done(Outcome {
            failure: Some(SessionFailure::Protocol(_)),
            ..
        }))
    ));
}

#[test]
fn a_silent_server_times_out() {
    let mut client = client(&["bob@mx.example"], MESSAGE, |_| {});
    let deadline = client.poll_timeout().unwrap();
    assert_eq!(deadline, T0.after(Duration::from_secs(300)));
    client.handle_timeout(deadline);
    let events: Vec<Event> = std::iter::from_fn(|| client.next()).collect();
    assert!(matches!(
        events.last(),
        Some(Event::Done(Outcome {
            failure: Some(SessionFailure::Connection(_)),
            ..
        }))
    ));
}

#[test]
fn a_command_argument_with_crlf_is_never_sent() {
    let mut client = client(&["bob@mx.example"], MESSAGE, |_| {});
    client.reverse_path = ReversePath::Mailbox(Mailbox {
        local_part: "x\r\nRCPT TO:<victim@x>".into(),
        host: Host::Domain(Domain::parse("client.example").unwrap()),
    });
    client.receive(b"220 mx\r\n", T0);
    let _ehlo = client.next();
    client.receive(b"250 mx\r\n", T0);
    let events: Vec<Event> = std::iter::from_fn(|| client.next()).collect();
    assert!(events.iter().all(
        |event| !matches!(event, Event::Output(bytes) if bytes.windows(4).any(|w| w == b"RCPT"))
    ));
}

#[cfg(not(target_family = "wasm"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn message() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec("\\.{0,2}[ -~]{0,30}", 0..12).prop_map(|lines| {
            lines
                .iter()
                .map(|line| format!("{line}\r\n"))
                .collect::<String>()
                .into_bytes()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Whatever the extensions, the message arrives unchanged and each recipient's
        /// outcome is what the server decided for it.
        #[test]
        fn client_and_server_agree(
            message in message(),
            kinds_wanted in proptest::collection::vec(0u8..3, 1..8),
            pipelining in any::<bool>(),
            chunking in any::<bool>(),
            limit in 1usize..6,
        ) {
            let names: Vec<String> = kinds_wanted
                .iter()
                .enumerate()
                .map(|(n, kind)| format!("{}{n}@mx.example", ["ok", "no", "later"][usize::from(*kind)]))
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let client = client(&names, &message, |config| config.prefer_chunking = chunking);
            let (outcome, log) = converse(client, &message, |server| {
                server.extensions.pipelining = pipelining;
                server.limits.recipients = limit;
            });
            let expected: Vec<&str> = kinds_wanted
                .iter()
                .map(|kind| ["delivered", "permanent", "temporary"][usize::from(*kind)])
                .collect();
            prop_assert_eq!(outcome.kinds(), expected);
            for (_, stored) in &log.messages {
                prop_assert_eq!(stored_body(stored), &message[..]);
            }
            let delivered: usize = log.messages.iter().map(|(to, _)| to.len()).sum();
            prop_assert_eq!(delivered, kinds_wanted.iter().filter(|kind| **kind == 0).count());
        }
    }
}
