//! Support for tests and fuzz targets outside this crate (feature `test-support`): a host
//! that replays bytes into a server session and records everything it did.

use crate::server::{ConnectionInfo, Decision, Event, ServerConfig, ServerSession};
use crate::syntax::ForwardPath;
use crate::time::UnixTime;

const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);

/// Everything a session said and asked. Outputs are joined, because their batching
/// depends on how the input arrived while their bytes must not; message content is
/// joined per message for the same reason.
#[derive(Debug, PartialEq, Eq)]
pub struct Transcript {
    pub output: Vec<u8>,
    pub events: Vec<Event>,
}

/// Feeds `chunks` one after another to a server session with AUTH, small limits and a
/// host that accepts everything except the recipient local part `no`.
pub fn replay(chunks: &[&[u8]]) -> Transcript {
    let mut config = ServerConfig::new("mx.example").unwrap_or_else(|_| unreachable!());
    config.extensions.auth_mechanisms = vec!["PLAIN".into(), "LOGIN".into()];
    config.quirks.auth_without_tls = true;
    config.limits.message_size = 300;
    let mut session = ServerSession::new(config, ConnectionInfo::default(), T0);
    let mut transcript = Transcript {
        output: Vec::new(),
        events: Vec::new(),
    };
    let mut message = Vec::new();
    drain(&mut session, &mut transcript, &mut message);
    for chunk in chunks {
        session.receive(chunk, T0);
        drain(&mut session, &mut transcript, &mut message);
    }
    transcript
}

fn drain(session: &mut ServerSession, transcript: &mut Transcript, message: &mut Vec<u8>) {
    while let Some(event) = session.next() {
        match event {
            Event::Output(bytes) => transcript.output.extend(bytes),
            Event::MessageData(bytes) => message.extend(bytes),
            other => {
                let decision = match &other {
                    Event::Rcpt {
                        forward_path: ForwardPath::Mailbox(mailbox),
                        ..
                    } if mailbox.local_part == "no" => Some(Decision::Reject),
                    Event::Mail { .. }
                    | Event::Rcpt { .. }
                    | Event::Authenticate(_)
                    | Event::MessageEnd(_) => Some(Decision::Accept),
                    _ => None,
                };
                if matches!(other, Event::MessageEnd(_) | Event::MessageAborted) {
                    transcript
                        .events
                        .push(Event::MessageData(std::mem::take(message)));
                }
                transcript.events.push(other);
                if let Some(decision) = decision {
                    session.decide(decision);
                }
            }
        }
    }
}
