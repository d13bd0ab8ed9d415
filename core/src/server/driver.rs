//! One way to drive a [`ServerSession`] to the end of its events: each decision is
//! answered by a [`Policy`], the message's content is gathered for it, and the rest
//! (output, close, STARTTLS) is handed to the host. The simulator, the learner's
//! dialogue and the replaying test host all drive sessions this way; the server
//! component, whose decisions wait on disk and network, answers events itself.

use super::{Credentials, Decision, Envelope, Event, ServerSession};
use crate::syntax::{ForwardPath, MailParameters, RcptParameters, ReversePath};

/// What a host decides, and what it does with the session's output.
pub trait Policy {
    /// Bytes for the client.
    fn output(&mut self, bytes: Vec<u8>);

    /// MAIL FROM: may this sender send (RFC 5321 §4.1.1.2)? Accepted by default.
    fn mail(&mut self, _reverse_path: &ReversePath, _parameters: &MailParameters) -> Decision {
        Decision::Accept
    }

    /// RCPT TO: is this recipient taken (RFC 5321 §4.1.1.3)?
    fn rcpt(&mut self, forward_path: &ForwardPath, parameters: &RcptParameters) -> Decision;

    /// AUTH: are these credentials good (RFC 4954)? Refused by default.
    fn authenticate(&mut self, _credentials: &Credentials) -> Decision {
        Decision::Reject
    }

    /// The end of a message and its content: stored? Accepted by default.
    fn message(&mut self, _envelope: Envelope, _content: Vec<u8>) -> Decision {
        Decision::Accept
    }

    /// The session refused the message it was receiving; `partial` is what came.
    fn aborted(&mut self, _partial: Vec<u8>) {}

    /// The session is over: close the connection after the output.
    fn close(&mut self) {}

    /// STARTTLS was answered `220`: run the handshake, then call
    /// [`ServerSession::tls_established`].
    fn start_tls(&mut self, _session: &mut ServerSession) {}
}

/// Runs `session`'s events until it waits for input. Content of a message still
/// arriving stays in `received` for the next call.
pub fn drain(session: &mut ServerSession, policy: &mut impl Policy, received: &mut Vec<u8>) {
    while let Some(event) = session.next() {
        let decision = match event {
            Event::Output(bytes) => {
                policy.output(bytes);
                continue;
            }
            Event::Close => {
                policy.close();
                continue;
            }
            Event::StartTls => {
                policy.start_tls(session);
                continue;
            }
            Event::MessageData(bytes) => {
                received.extend(bytes);
                continue;
            }
            Event::MessageAborted => {
                policy.aborted(std::mem::take(received));
                continue;
            }
            Event::Mail {
                reverse_path,
                parameters,
            } => policy.mail(&reverse_path, &parameters),
            Event::Rcpt {
                forward_path,
                parameters,
            } => policy.rcpt(&forward_path, &parameters),
            Event::Authenticate(credentials) => policy.authenticate(&credentials),
            Event::MessageEnd(envelope) => policy.message(envelope, std::mem::take(received)),
        };
        // The event just taken asked for this decision, so one is pending.
        let _answered = session.decide(decision);
    }
}
