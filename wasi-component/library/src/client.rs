//! The `client` interface: the core's sending session as a WIT resource. The resource
//! keeps the message and streams it itself when the server is ready for it.

use std::cell::RefCell;

use wasmtp_core::client::{
    ClientConfig, ClientSession, Delivery, Event, MessageInfo, Outcome, TlsPolicy,
};
use wasmtp_core::envelope::Recipient;
use wasmtp_core::syntax::{Domain, ForwardPath, MailParameters, RcptParameters, ReversePath};

use super::convert::{forward_path_text, reply_to_wit, time};
use crate::Library;
use crate::exports::wasmtp::smtp::client::{
    Config, Delivery as WitDelivery, Event as WitEvent, Guest, GuestSession, Message, MessageError,
    RecipientOutcome, Session,
};
use crate::exports::wasmtp::smtp::types::Timestamp;

impl Guest for Library {
    type Session = ClientResource;
}

/// A [`ClientSession`] and the message it sends.
pub struct ClientResource {
    session: RefCell<ClientSession>,
    content: Vec<u8>,
}

fn outcome_to_wit(outcome: Outcome) -> (Vec<RecipientOutcome>, Option<String>) {
    let recipients = outcome
        .recipients
        .into_iter()
        .map(|(recipient, delivery)| RecipientOutcome {
            recipient: forward_path_text(&recipient.forward_path),
            delivery: match delivery {
                Delivery::Delivered(reply) => WitDelivery::Delivered(reply_to_wit(&reply)),
                Delivery::Temporary(reply) => WitDelivery::Temporary(reply_to_wit(&reply)),
                Delivery::Permanent(reply) => WitDelivery::Permanent(reply_to_wit(&reply)),
            },
        })
        .collect();
    let failure = outcome.failure.map(|failure| failure.to_string());
    (recipients, failure)
}

impl GuestSession for ClientResource {
    fn open(config: Config, message: Message, now: Timestamp) -> Result<Session, MessageError> {
        let hostname = Domain::parse(&config.hostname)
            .ok_or_else(|| MessageError::InvalidHostname(config.hostname.clone()))?;
        let reverse_path = ReversePath::parse(&message.reverse_path)
            .ok_or_else(|| MessageError::InvalidReversePath(message.reverse_path.clone()))?;
        if message.recipients.is_empty() {
            return Err(MessageError::NoRecipients);
        }
        let recipients = message
            .recipients
            .iter()
            .map(|text| {
                ForwardPath::parse(text)
                    .map(|forward_path| Recipient {
                        forward_path,
                        parameters: RcptParameters::default(),
                    })
                    .ok_or_else(|| MessageError::InvalidRecipient(text.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut client = ClientConfig::new(hostname);
        client.prefer_chunking = config.prefer_chunking;
        client.tls = if config.opportunistic_tls {
            TlsPolicy::Opportunistic
        } else {
            TlsPolicy::None
        };
        let session = ClientSession::new(
            client,
            reverse_path,
            MailParameters::default(),
            recipients,
            MessageInfo::of_text(&message.content),
            time(now),
        );
        Ok(Session::new(Self {
            session: RefCell::new(session),
            content: message.content,
        }))
    }

    fn receive(&self, bytes: Vec<u8>, now: Timestamp) {
        self.session.borrow_mut().receive(&bytes, time(now));
    }

    fn connection_closed(&self) {
        self.session.borrow_mut().connection_closed();
    }

    fn next_event(&self) -> Option<WitEvent> {
        let mut session = self.session.borrow_mut();
        loop {
            return Some(match session.next()? {
                Event::Output(bytes) => WitEvent::Output(bytes),
                Event::SendMessage => {
                    session.message_data(&self.content);
                    session.message_end();
                    continue;
                }
                Event::StartTls => WitEvent::StartTls,
                Event::Close => WitEvent::Close,
                Event::Done(outcome) => WitEvent::Done(outcome_to_wit(outcome)),
                // Only a kept connection is ready for more, and this session (one
                // message, as the WIT resource promises) never keeps its connection.
                Event::Ready => continue,
            });
        }
    }

    fn poll_timeout(&self) -> Option<Timestamp> {
        self.session
            .borrow()
            .poll_timeout()
            .map(|at| at.as_millis())
    }

    fn handle_timeout(&self, now: Timestamp) {
        self.session.borrow_mut().handle_timeout(time(now));
    }

    fn tls_established(&self, now: Timestamp) {
        self.session.borrow_mut().tls_established(time(now));
    }
}
