//! A client session fed arbitrary server replies never panics, never sends a bare LF
//! or a line with CR LF or NUL inside, and, when it ends, reports each recipient once.
//! With the connection kept open, a second message goes over it once the first is done
//! and the kept connection answers its RSET: that one reports its recipients once too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmtp_core::client::{ClientConfig, ClientSession, Event, MessageInfo, Outcome, TlsPolicy};
use wasmtp_core::envelope::Recipient;
use wasmtp_core::syntax::{
    Domain, ForwardPath, Host, MailParameters, Mailbox, RcptParameters, ReversePath,
};
use wasmtp_core::time::UnixTime;

const MESSAGE: &[u8] = b"Subject: x\r\n\r\n.dot\nbare\r\n";

fn session(domain: &Domain, config: &ClientConfig, locals: &[&str]) -> ClientSession {
    let recipient = |local: &&str| Recipient {
        forward_path: ForwardPath::Mailbox(Mailbox {
            local_part: (*local).into(),
            host: Host::Domain(domain.clone()),
        }),
        parameters: RcptParameters::default(),
    };
    ClientSession::new(
        config.clone(),
        ReversePath::Null,
        MailParameters::default(),
        locals.iter().map(recipient).collect(),
        MessageInfo::of_text(MESSAGE),
        UnixTime::from_millis(0),
    )
}

fuzz_target!(|replies: &[u8]| {
    let Some(domain) = Domain::parse("client.example") else {
        return;
    };
    let mut config = ClientConfig::new(domain.clone());
    config.tls = TlsPolicy::None;
    let first = replies.first().copied().unwrap_or(0);
    config.prefer_chunking = first % 2 == 0;
    config.keep_open = first & 2 != 0;
    let mut client = session(&domain, &config, &["a", "b", "c"]);
    let mut sent = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut second_started = false;
    let drain = |client: &mut ClientSession, outcomes: &mut Vec<Outcome>, sent: &mut Vec<u8>| {
        let mut ready = false;
        while let Some(event) = client.next() {
            match event {
                Event::Output(bytes) => sent.extend(bytes),
                Event::SendMessage => {
                    client.message_data(MESSAGE);
                    client.message_end();
                }
                Event::Done(outcome) => outcomes.push(outcome),
                Event::Ready => ready = true,
                Event::StartTls | Event::Close => {}
            }
        }
        ready
    };
    for chunk in replies.chunks(13).chain(std::iter::once(&[][..])) {
        let mut ready = drain(&mut client, &mut outcomes, &mut sent);
        if client.is_kept() && !second_started && !ready {
            // A no-op once woken.
            client.wake(UnixTime::from_millis(0));
            ready = drain(&mut client, &mut outcomes, &mut sent);
        }
        if ready && !second_started {
            let mut second = session(&domain, &config, &["d", "e"]);
            let previous = std::mem::replace(&mut client, session(&domain, &config, &[]));
            assert!(
                second.continue_from(previous).is_ok(),
                "a ready session hands its connection on"
            );
            client = second;
            second_started = true;
            drain(&mut client, &mut outcomes, &mut sent);
        }
        if chunk.is_empty() {
            client.connection_closed();
        } else {
            client.receive(chunk, UnixTime::from_millis(0));
        }
    }
    drain(&mut client, &mut outcomes, &mut sent);
    let first = outcomes
        .first()
        .expect("a closed connection always ends the first message");
    assert_eq!(first.recipients.len(), 3);
    if second_started {
        assert_eq!(
            outcomes.len(),
            2,
            "the second message ends once: {outcomes:?}"
        );
        assert_eq!(outcomes[1].recipients.len(), 2);
    } else {
        assert_eq!(outcomes.len(), 1);
    }
    // Every LF the client sent is part of CRLF.
    for (index, byte) in sent.iter().enumerate() {
        if *byte == b'\n' {
            assert_eq!(index.checked_sub(1).and_then(|i| sent.get(i)), Some(&b'\r'));
        }
    }
});
