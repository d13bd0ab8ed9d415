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

/// How a run of the client against the peer stopped.
#[derive(Debug)]
enum Stop {
    Done(Outcome),
    Ready,
    Closed,
}

/// A server session whose host refuses recipients starting with "no" (550) or "later"
/// (451), and what it saw.
struct Peer {
    server: ServerSession,
    log: ServerLog,
    body: Vec<u8>,
}

impl Peer {
    fn new(configure: impl FnOnce(&mut ServerConfig)) -> Self {
        let mut config = ServerConfig::new("mx.example").unwrap();
        configure(&mut config);
        Self {
            server: ServerSession::new(config, ConnectionInfo::default(), T0),
            log: ServerLog::default(),
            body: Vec::new(),
        }
    }

    /// Runs `client` against the server, streaming `message` when asked, until the
    /// client gives its outcome, reports a kept connection ready, or closes.
    fn run(&mut self, client: &mut ClientSession, message: &[u8]) -> Stop {
        for _ in 0..10_000 {
            let (mut to_server, mut closed) = (Vec::new(), false);
            while let Some(event) = client.next() {
                match event {
                    Event::Output(bytes) => to_server.extend(bytes),
                    Event::SendMessage => {
                        for piece in message.chunks(7) {
                            client.message_data(piece);
                        }
                        client.message_end();
                    }
                    Event::StartTls => {}
                    Event::Close => closed = true,
                    Event::Done(outcome) => {
                        self.exchange(&to_server);
                        return Stop::Done(outcome);
                    }
                    Event::Ready => return Stop::Ready,
                }
            }
            if closed {
                self.exchange(&to_server);
                return Stop::Closed;
            }
            let to_client = self.exchange(&to_server);
            if to_client.is_empty() && to_server.is_empty() {
                client.connection_closed();
            }
            client.receive(&to_client, T0);
        }
        panic!("the conversation did not end");
    }

    /// Gives the server what the client sent; returns the server's answer.
    fn exchange(&mut self, to_server: &[u8]) -> Vec<u8> {
        if !to_server.is_empty() {
            self.log
                .batches
                .push(String::from_utf8_lossy(to_server).into_owned());
        }
        let server = &mut self.server;
        server.receive(to_server, T0);
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
                ServerEvent::MessageData(bytes) => self.body.extend(bytes),
                ServerEvent::MessageEnd(envelope) => {
                    let to = envelope
                        .recipients
                        .iter()
                        .map(|recipient| recipient.forward_path.to_string())
                        .collect();
                    self.log.messages.push((to, std::mem::take(&mut self.body)));
                    server.decide(Decision::Accept).unwrap();
                }
                ServerEvent::MessageAborted => self.body.clear(),
                ServerEvent::Mail { .. } | ServerEvent::Authenticate(_) => {
                    server.decide(Decision::Accept).unwrap()
                }
                ServerEvent::Close | ServerEvent::StartTls => {}
            }
        }
        to_client
    }
}

/// Runs `client` against a [`Peer`] configured by `configure` until the client is done.
fn converse(
    mut client: ClientSession,
    message: &[u8],
    configure: impl FnOnce(&mut ServerConfig),
) -> (Outcome, ServerLog) {
    let mut peer = Peer::new(configure);
    match peer.run(&mut client, message) {
        Stop::Done(outcome) => (outcome, peer.log),
        stop => panic!("the session stopped without an outcome: {stop:?}"),
    }
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

fn kept(recipients: &[&str]) -> ClientSession {
    client(recipients, MESSAGE, |config| config.keep_open = true)
}

/// How many lines the client sent that start with `command`.
fn sent(log: &ServerLog, command: &str) -> usize {
    log.batches
        .iter()
        .flat_map(|batch| batch.split("\r\n"))
        .filter(|line| line.starts_with(command))
        .count()
}

#[test]
fn a_kept_connection_carries_the_next_message_without_a_new_greeting() {
    // RFC 5321 §3.3: after a transaction, a new MAIL starts the next one.
    let mut peer = Peer::new(|_| {});
    let mut first = kept(&["bob@mx.example", "nobody@mx.example"]);
    let Stop::Done(outcome) = peer.run(&mut first, MESSAGE) else {
        panic!("no outcome");
    };
    assert_eq!(outcome.kinds(), ["delivered", "permanent"]);
    assert!(first.is_kept());
    assert_eq!(sent(&peer.log, "QUIT"), 0);

    first.wake(T0);
    assert!(matches!(peer.run(&mut first, MESSAGE), Stop::Ready));
    let mut second = client(&["carol@mx.example"], MESSAGE, |_| {});
    second.continue_from(first).unwrap();
    let Stop::Done(outcome) = peer.run(&mut second, MESSAGE) else {
        panic!("no outcome");
    };
    assert_eq!(outcome.kinds(), ["delivered"]);
    assert!(!second.is_kept());
    let to: Vec<&[String]> = peer.log.messages.iter().map(|(to, _)| &to[..]).collect();
    assert_eq!(
        to,
        [
            &["<bob@mx.example>".to_owned()][..],
            &["<carol@mx.example>".to_owned()]
        ]
    );
    assert_eq!(stored_body(&peer.log.messages[1].1), MESSAGE);
    assert_eq!(sent(&peer.log, "EHLO"), 1);
    assert_eq!(sent(&peer.log, "RSET"), 1);
    assert_eq!(sent(&peer.log, "QUIT"), 1);
}

#[test]
fn a_kept_connection_the_server_closed_is_not_ready() {
    let mut peer = Peer::new(|_| {});
    let mut first = kept(&["bob@mx.example"]);
    assert!(matches!(peer.run(&mut first, MESSAGE), Stop::Done(_)));
    // The server went away while the connection waited.
    first.connection_closed();
    assert!(!first.is_kept());
    first.wake(T0);
    assert!(matches!(first.next(), Some(Event::Close)));
    assert_eq!(first.next(), None);
    let mut second = client(&["carol@mx.example"], MESSAGE, |_| {});
    assert_eq!(second.continue_from(first), Err(NotReady));
}

#[test]
fn a_refused_rset_on_a_kept_connection_ends_it_with_quit() {
    let mut session = kept(&["bob@mx.example"]);
    session.receive(b"220 mx.example\r\n", T0);
    let _ = session.next();
    session.receive(b"250 mx.example\r\n", T0);
    let _ = session.next();
    session.receive(b"250 ok\r\n250 ok\r\n354 go\r\n", T0);
    while let Some(event) = session.next() {
        if event == Event::SendMessage {
            session.message_data(MESSAGE);
            session.message_end();
        }
    }
    session.receive(b"250 2.0.0 queued\r\n", T0);
    assert!(
        matches!(session.next(), Some(Event::Done(outcome)) if outcome.kinds() == ["delivered"])
    );
    session.wake(T0);
    assert_eq!(session.next(), Some(Event::Output(b"RSET\r\n".to_vec())));
    session.receive(b"421 4.4.2 closing\r\n", T0);
    assert_eq!(session.next(), Some(Event::Output(b"QUIT\r\n".to_vec())));
    session.receive(b"221 bye\r\n", T0);
    assert_eq!(session.next(), Some(Event::Close));
    assert_eq!(session.next(), None);
}

#[test]
fn a_session_that_failed_is_never_kept() {
    let mut session = kept(&["bob@mx.example"]);
    session.receive(b"554 go away\r\n", T0);
    let events: Vec<Event> = std::iter::from_fn(|| session.next()).collect();
    assert!(matches!(&events[..], [Event::Output(quit), ..] if quit == b"QUIT\r\n"));
    assert!(!session.is_kept());
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
fn a_parameter_the_host_chose_and_the_session_adds_is_sent_once() {
    // The host asked for SMTPUTF8 and BODY=8BITMIME; the non-ASCII address and content
    // call for them too. Unlike smtplib, the session never repeats a parameter.
    let message = "Subject: caf\u{e9}\r\n\r\nna\u{ef}ve\r\n".as_bytes();
    let mut session = ClientSession::new(
        ClientConfig {
            tls: TlsPolicy::None,
            ..ClientConfig::new(Domain::parse("client.example").unwrap())
        },
        ReversePath::Mailbox(mailbox("jos\u{e9}@client.example")),
        MailParameters {
            smtputf8: true,
            body: Some(Body::EightBitMime),
            ..MailParameters::default()
        },
        vec![recipient("bob@mx.example")],
        MessageInfo::of_text(message),
        T0,
    );
    let mut peer = Peer::new(|_| {});
    assert!(
        matches!(peer.run(&mut session, message), Stop::Done(outcome) if outcome.kinds() == ["delivered"])
    );
    let mail = peer
        .log
        .batches
        .iter()
        .flat_map(|batch| batch.split("\r\n"))
        .find(|line| line.starts_with("MAIL FROM:"))
        .unwrap()
        .to_owned();
    assert_eq!(mail.matches("SMTPUTF8").count(), 1, "{mail}");
    assert_eq!(mail.matches("BODY=").count(), 1, "{mail}");
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

        /// Messages sent one after another over one kept connection each get the
        /// outcomes the server decided, after one greeting and one EHLO.
        #[test]
        fn a_kept_connection_serves_each_message(
            envelopes in proptest::collection::vec(proptest::collection::vec(0u8..3, 1..5), 1..5),
            pipelining in any::<bool>(),
            limit in 1usize..4,
        ) {
            let mut peer = Peer::new(|server| {
                server.extensions.pipelining = pipelining;
                server.limits.recipients = limit;
                // Refused recipients add up over the connection; none is an error here.
                server.limits.errors = usize::MAX;
            });
            let mut previous: Option<ClientSession> = None;
            for (number, kinds_wanted) in envelopes.iter().enumerate() {
                let names: Vec<String> = kinds_wanted
                    .iter()
                    .enumerate()
                    .map(|(n, kind)| format!("{}{number}x{n}@mx.example", ["ok", "no", "later"][usize::from(*kind)]))
                    .collect();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let mut session = kept(&names);
                if let Some(mut kept) = previous.take() {
                    kept.wake(T0);
                    prop_assert!(matches!(peer.run(&mut kept, MESSAGE), Stop::Ready));
                    prop_assert!(session.continue_from(kept).is_ok());
                }
                let Stop::Done(outcome) = peer.run(&mut session, MESSAGE) else {
                    return Err(TestCaseError::fail("no outcome"));
                };
                let expected: Vec<&str> = kinds_wanted
                    .iter()
                    .map(|kind| ["delivered", "permanent", "temporary"][usize::from(*kind)])
                    .collect();
                prop_assert_eq!(outcome.kinds(), expected);
                prop_assert!(session.is_kept());
                previous = Some(session);
            }
            let delivered: usize = peer.log.messages.iter().map(|(to, _)| to.len()).sum();
            let wanted = envelopes.iter().flatten().filter(|kind| **kind == 0).count();
            prop_assert_eq!(delivered, wanted);
            prop_assert_eq!(sent(&peer.log, "EHLO"), 1);
        }
    }
}
