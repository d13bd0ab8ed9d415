//! The `server` interface: the core's receiving session as a WIT resource.

use std::cell::RefCell;
use std::net::IpAddr;

use wasmtp_core::server::{
    BareLineEndings, ConnectionInfo, Decision, Event, ServerConfig, ServerSession,
};
use wasmtp_core::syntax::Domain;

use super::convert::{forward_path_text, reply_from_wit, reverse_path_text, time};
use crate::Library;
use crate::exports::wasmtp::smtp::server::{
    Config, ConfigError, Connection, Credentials, DecideError, Decision as WitDecision,
    Event as WitEvent, Guest, GuestSession, Session,
};
use crate::exports::wasmtp::smtp::types::{Envelope, Timestamp};

impl Guest for Library {
    type Session = ServerResource;
}

/// A [`ServerSession`] behind the resource handle; WIT methods take `&self`.
pub struct ServerResource(RefCell<ServerSession>);

fn server_config(config: Config) -> Result<ServerConfig, ConfigError> {
    let mut server = ServerConfig::new(&config.hostname)
        .map_err(|_| ConfigError::InvalidHostname(config.hostname.clone()))?;
    server.local_domains = config
        .local_domains
        .iter()
        .map(|text| Domain::parse(text).ok_or_else(|| ConfigError::InvalidDomain(text.clone())))
        .collect::<Result<_, _>>()?;
    if config.max_message_size > 0 {
        server.limits.message_size = config.max_message_size;
    }
    if config.accept_bare_line_endings {
        server.quirks.bare_line_endings = BareLineEndings::Normalize;
    }
    server.quirks.helo_only = config.helo_only;
    server.tls_available = config.offer_starttls;
    server.extensions.auth_mechanisms = config
        .auth_mechanisms
        .iter()
        .map(|mechanism| mechanism.to_ascii_uppercase())
        .collect();
    if let Some(unknown) = (server.extensions.auth_mechanisms.iter())
        .find(|mechanism| !matches!(mechanism.as_str(), "PLAIN" | "LOGIN"))
    {
        return Err(ConfigError::UnknownMechanism(unknown.clone()));
    }
    server.require_auth = config.require_auth;
    Ok(server)
}

fn event_to_wit(event: Event) -> WitEvent {
    match event {
        Event::Output(bytes) => WitEvent::Output(bytes),
        Event::Close => WitEvent::Close,
        Event::Mail { reverse_path, .. } => WitEvent::Mail(reverse_path_text(&reverse_path)),
        Event::Rcpt { forward_path, .. } => WitEvent::Rcpt(forward_path_text(&forward_path)),
        Event::Authenticate(credentials) => WitEvent::Authenticate(Credentials {
            authorization_identity: credentials.authorization_id.unwrap_or_default(),
            username: credentials.username,
            password: credentials.password,
        }),
        Event::MessageData(bytes) => WitEvent::MessageData(bytes),
        Event::MessageEnd(envelope) => WitEvent::MessageEnd(Envelope {
            id: envelope.id,
            reverse_path: reverse_path_text(&envelope.reverse_path),
            recipients: envelope
                .recipients
                .iter()
                .map(|recipient| forward_path_text(&recipient.forward_path))
                .collect(),
        }),
        Event::MessageAborted => WitEvent::MessageAborted,
        Event::StartTls => WitEvent::StartTls,
    }
}

impl GuestSession for ServerResource {
    fn open(
        config: Config,
        connection: Connection,
        now: Timestamp,
    ) -> Result<Session, ConfigError> {
        let server = server_config(config)?;
        let client_ip = connection
            .client_ip
            .map(|text| {
                text.parse::<IpAddr>()
                    .map_err(|_| ConfigError::InvalidClientIp(text))
            })
            .transpose()?;
        let info = ConnectionInfo {
            client_ip,
            trusted: connection.trusted,
            tls: connection.tls,
            tls_summary: None,
            session_id: connection.session_id,
        };
        let session = ServerSession::new(server, info, time(now));
        Ok(Session::new(Self(RefCell::new(session))))
    }

    fn receive(&self, bytes: Vec<u8>, now: Timestamp) {
        self.0.borrow_mut().receive(&bytes, time(now));
    }

    fn next_event(&self) -> Option<WitEvent> {
        self.0.borrow_mut().next().map(event_to_wit)
    }

    fn decide(&self, decision: WitDecision) -> Result<(), DecideError> {
        let decision = match decision {
            WitDecision::Accept => Decision::Accept,
            WitDecision::Reject => Decision::Reject,
            WitDecision::Reply(reply) => Decision::Reply(reply_from_wit(reply)),
        };
        self.0
            .borrow_mut()
            .decide(decision)
            .map_err(|_| DecideError::NothingPending)
    }

    fn poll_timeout(&self) -> Option<Timestamp> {
        self.0.borrow().poll_timeout().map(|at| at.as_millis())
    }

    fn handle_timeout(&self, now: Timestamp) {
        self.0.borrow_mut().handle_timeout(time(now));
    }

    fn tls_established(&self, now: Timestamp) {
        // The host runs TLS and does not say what it agreed on.
        self.0.borrow_mut().tls_established(time(now), None);
    }
}
