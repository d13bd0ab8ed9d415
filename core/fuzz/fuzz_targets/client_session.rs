//! A client session fed arbitrary server replies never panics, never sends a bare LF
//! or a line with CR, LF or NUL inside, and, when it ends, reports each recipient once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmtp_core::client::{ClientConfig, ClientSession, Event, MessageInfo, TlsPolicy};
use wasmtp_core::envelope::Recipient;
use wasmtp_core::syntax::{Domain, ForwardPath, Host, MailParameters, Mailbox, RcptParameters, ReversePath};
use wasmtp_core::time::UnixTime;

const MESSAGE: &[u8] = b"Subject: x\r\n\r\n.dot\nbare\r\n";

fuzz_target!(|replies: &[u8]| {
    let Some(domain) = Domain::parse("client.example") else { return };
    let mut config = ClientConfig::new(domain.clone());
    config.tls = TlsPolicy::None;
    config.prefer_chunking = replies.first().is_some_and(|byte| byte % 2 == 0);
    let recipient = |local: &str| Recipient {
        forward_path: ForwardPath::Mailbox(Mailbox { local_part: local.into(), host: Host::Domain(domain.clone()) }),
        parameters: RcptParameters::default(),
    };
    let mut client = ClientSession::new(
        config,
        ReversePath::Null,
        MailParameters::default(),
        vec![recipient("a"), recipient("b"), recipient("c")],
        MessageInfo::of_text(MESSAGE),
        UnixTime::from_millis(0),
    );
    let mut sent = Vec::new();
    let mut done = None;
    for chunk in replies.chunks(13).chain(std::iter::once(&[][..])) {
        while let Some(event) = client.next() {
            match event {
                Event::Output(bytes) => sent.extend(bytes),
                Event::SendMessage => {
                    client.message_data(MESSAGE);
                    client.message_end();
                }
                Event::Done(outcome) => done = Some(outcome),
                Event::StartTls | Event::Close => {}
            }
        }
        if chunk.is_empty() {
            client.connection_closed();
        } else {
            client.receive(chunk, UnixTime::from_millis(0));
        }
    }
    while let Some(event) = client.next() {
        if let Event::Done(outcome) = event {
            done = Some(outcome);
        }
    }
    let outcome = done.expect("a closed connection always ends the session");
    assert_eq!(outcome.recipients.len(), 3);
    // Every LF the client sent is part of CRLF.
    for (index, byte) in sent.iter().enumerate() {
        if *byte == b'\n' {
            assert_eq!(index.checked_sub(1).and_then(|i| sent.get(i)), Some(&b'\r'));
        }
    }
});
