//! Support for tests and fuzz targets outside this crate (feature `test-support`): a host
//! that replays bytes into a server session and records everything it did.

use crate::server::driver::{self, Policy};
use crate::server::{
    ConnectionInfo, Credentials, Decision, Envelope, Event, ServerConfig, ServerSession,
};
use crate::syntax::{ForwardPath, MailParameters, RcptParameters, ReversePath};
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
    driver::drain(&mut session, &mut transcript, &mut message);
    for chunk in chunks {
        session.receive(chunk, T0);
        driver::drain(&mut session, &mut transcript, &mut message);
    }
    transcript
}

/// The replaying host: everything recorded, the recipient `no` refused.
impl Policy for Transcript {
    fn output(&mut self, bytes: Vec<u8>) {
        self.output.extend(bytes);
    }

    fn mail(&mut self, reverse_path: &ReversePath, parameters: &MailParameters) -> Decision {
        self.events.push(Event::Mail {
            reverse_path: reverse_path.clone(),
            parameters: parameters.clone(),
        });
        Decision::Accept
    }

    fn rcpt(&mut self, forward_path: &ForwardPath, parameters: &RcptParameters) -> Decision {
        self.events.push(Event::Rcpt {
            forward_path: forward_path.clone(),
            parameters: parameters.clone(),
        });
        match forward_path {
            ForwardPath::Mailbox(mailbox) if mailbox.local_part == "no" => Decision::Reject,
            _ => Decision::Accept,
        }
    }

    fn authenticate(&mut self, credentials: &Credentials) -> Decision {
        self.events.push(Event::Authenticate(credentials.clone()));
        Decision::Accept
    }

    fn message(&mut self, envelope: Envelope, content: Vec<u8>) -> Decision {
        self.events.push(Event::MessageData(content));
        self.events.push(Event::MessageEnd(envelope));
        Decision::Accept
    }

    fn aborted(&mut self, partial: Vec<u8>) {
        self.events.push(Event::MessageData(partial));
        self.events.push(Event::MessageAborted);
    }

    fn close(&mut self) {
        self.events.push(Event::Close);
    }

    fn start_tls(&mut self, _: &mut ServerSession) {
        self.events.push(Event::StartTls);
    }
}
