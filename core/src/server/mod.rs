//! The receiving side of SMTP as a sans-I/O state machine.
//!
//! The host owns the socket and the clock. It passes every byte it reads to
//! [`ServerSession::receive`] with the current time, then calls [`ServerSession::next`]
//! until it returns `None`: it writes each [`Event::Output`] to the client, answers each
//! decision ([`Event::Mail`], [`Event::Rcpt`], [`Event::Authenticate`],
//! [`Event::MessageEnd`]) with [`ServerSession::decide`], stores
//! [`Event::MessageData`], and closes on [`Event::Close`]. [`ServerSession::poll_timeout`]
//! says when to call [`ServerSession::handle_timeout`].
//!
//! While a decision is pending, pipelined input waits; the replies of a pipelined batch
//! leave together when the session has no complete command left (RFC 2920 §3).

mod auth;
mod config;
mod data;
pub mod driver;
mod received;
mod replies;

use std::collections::VecDeque;
use std::fmt;
use std::net::IpAddr;

pub use config::{
    BareLineEndings, ConfigError, Extensions, Limits, Quirks, ServerConfig, Timeouts,
};

use crate::ehlo::Capabilities;
use crate::reply::{Reply, ReplyClass};
use crate::syntax::{
    Body, Command, CommandError, ForwardPath, Host, LineEnd, MailParameters, RcptParameters,
    ReversePath, Verb, split_command_line, split_line,
};
use crate::time::UnixTime;
pub use auth::Credentials;
use auth::{AuthExchange, AuthStep};
use data::{ContentDecoder, Delimiting};
pub use received::{MAX_HOPS, hop_count};

/// What the host knows about the connection when it starts.
#[derive(Clone, Debug, Default)]
pub struct ConnectionInfo {
    /// The client's address, for the `Received:` header.
    pub client_ip: Option<IpAddr>,
    /// Whether the client may relay to any domain (a trusted network).
    pub trusted: bool,
    /// Whether the connection is already encrypted (implicit TLS, RFC 8314).
    pub tls: bool,
    /// What its TLS handshake agreed on, when the host can tell.
    pub tls_summary: Option<TlsSummary>,
    /// A unique name for this session, used in message ids (e.g. random hex).
    pub session_id: String,
}

/// What a TLS handshake agreed on, recorded in the `Received:` field (RFC 8314 §4.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsSummary {
    /// The protocol version: `TLSv1.3`, `TLSv1.2`.
    pub version: String,
    /// The cipher suite as the IANA TLS Cipher Suites registry names it:
    /// `TLS_AES_256_GCM_SHA384`.
    pub cipher_suite: String,
}

pub use crate::envelope::Recipient;

/// Sender and recipients of a message (RFC 5321 §2.3.1).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Envelope {
    pub reverse_path: ReversePath,
    pub parameters: MailParameters,
    pub recipients: Vec<Recipient>,
    /// The id the message is known by in replies and the `Received:` header.
    pub id: String,
}

/// What the session asks of its host.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "an ignored event leaves the client waiting"]
pub enum Event {
    /// Bytes to send to the client, in order.
    Output(Vec<u8>),
    /// The session is over: close the connection after sending all output.
    Close,
    /// Decide: may this sender send? Accept replies `250 2.1.0`.
    Mail {
        reverse_path: ReversePath,
        parameters: MailParameters,
    },
    /// Decide: is this recipient taken? Accept replies `250 2.1.5`.
    Rcpt {
        forward_path: ForwardPath,
        parameters: RcptParameters,
    },
    /// Decide: are these credentials good? Accept replies `235 2.7.0`.
    Authenticate(Credentials),
    /// Content of the current message, unstuffed, starting with the `Received:` header.
    MessageData(Vec<u8>),
    /// Decide: the message is complete; accept replies `250` once it is stored.
    MessageEnd(Envelope),
    /// The session refused the message it was receiving: discard its content.
    MessageAborted,
    /// The client asked for TLS and was told `220`: run the handshake, then call
    /// [`ServerSession::tls_established`].
    StartTls,
}

/// The host's answer to a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Accept with the RFC's default reply.
    Accept,
    /// Refuse with the RFC's default reply for a refusal (`550 5.7.1`, `535 5.7.8`, `554`).
    Reject,
    /// Answer with this reply: a `2yz` accepts, anything else refuses.
    Reply(Reply),
}

/// A decision given when none was pending, handed back to the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoDecisionPending(pub Decision);

impl fmt::Display for NoDecisionPending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "no decision is pending: the session asks with Mail, Rcpt, Authenticate or MessageEnd",
        )
    }
}

impl std::error::Error for NoDecisionPending {}

/// Which decision is pending.
#[derive(Clone, Debug)]
enum Pending {
    Mail(ReversePath, MailParameters),
    Rcpt(Recipient),
    Auth,
    Message,
}

/// The client's greeting (§4.1.1.1).
#[derive(Clone, Debug)]
struct Greeted {
    client: Host,
    extended: bool,
}

/// The mail transaction in progress (§3.3).
#[derive(Clone, Debug)]
struct Transaction {
    reverse_path: ReversePath,
    parameters: MailParameters,
    recipients: Vec<Recipient>,
    /// BDAT was used; DATA may not follow (RFC 3030 §2).
    chunking: bool,
    /// A BDAT chunk was refused: the rest of the transaction is refused (RFC 3030 §2).
    chunk_failed: bool,
}

/// What the incoming bytes are.
#[derive(Debug)]
enum Phase {
    /// Waiting for the greeting delay to pass; a client that talks now is refused.
    Greeting {
        ready_at: UnixTime,
    },
    /// Command lines; `discarding` while skipping the rest of an over-long line.
    Command {
        discarding: bool,
    },
    /// Message content after `354`.
    Data(ContentDecoder),
    /// `remaining` octets of a BDAT chunk.
    Chunk {
        remaining: u64,
        last: bool,
        content: ChunkContent,
    },
    /// A line of a SASL exchange.
    Auth(AuthExchange),
    /// `220` to STARTTLS was sent; bytes before the handshake are discarded.
    AwaitingTls,
    Closed,
}

/// What becomes of a BDAT chunk's octets.
#[derive(Debug)]
enum ChunkContent {
    /// They are message content.
    Keep(ContentDecoder),
    /// They are read and dropped, then the chunk is answered with this reply.
    Refuse(Reply),
}

impl ChunkContent {
    fn size(&self) -> u64 {
        match self {
            Self::Keep(decoder) => decoder.size(),
            Self::Refuse(_) => 0,
        }
    }
}

/// One SMTP session on the receiving side.
#[derive(Debug)]
pub struct ServerSession {
    config: ServerConfig,
    connection: ConnectionInfo,
    phase: Phase,
    input: Vec<u8>,
    output: Vec<u8>,
    events: VecDeque<Event>,
    pending: Option<Pending>,
    greeted: Option<Greeted>,
    transaction: Option<Transaction>,
    /// A BDAT transaction's content decoder, kept across chunks.
    chunk_decoder: Option<ContentDecoder>,
    authenticated: Option<String>,
    /// Refused AUTH attempts so far.
    auth_failures: usize,
    enhanced_codes: bool,
    errors: usize,
    junk_commands: usize,
    messages: usize,
    /// When the session became ready for the current command.
    ready_since: UnixTime,
    /// For message data: when it started, and the last time bytes came.
    data_started: UnixTime,
    data_last_byte: UnixTime,
    /// The reply the session closed with, if any.
    closed_with: Option<Reply>,
    now: UnixTime,
}

impl ServerSession {
    /// Starts a session at time `now`. Its first output is the `220` greeting, at once
    /// or after the configured greeting delay.
    pub fn new(config: ServerConfig, connection: ConnectionInfo, now: UnixTime) -> Self {
        let delay = config.timeouts.greeting_delay;
        let mut session = Self {
            phase: Phase::Greeting {
                ready_at: now.after(delay),
            },
            config,
            connection,
            input: Vec::new(),
            output: Vec::new(),
            events: VecDeque::new(),
            pending: None,
            greeted: None,
            transaction: None,
            chunk_decoder: None,
            authenticated: None,
            auth_failures: 0,
            enhanced_codes: false,
            errors: 0,
            junk_commands: 0,
            messages: 0,
            ready_since: now,
            data_started: now,
            data_last_byte: now,
            closed_with: None,
            now,
        };
        if delay.is_zero() {
            session.greet();
        }
        session
    }

    /// The reply the session closed with, for the host's log: `221` after QUIT, or why
    /// the server ended it (`421 4.4.2` after a timeout, `554 5.5.0` to a client that
    /// talked before the greeting, `421 4.7.0` after too many errors). `None` while it
    /// runs, and when the client just went away.
    pub fn closed_with(&self) -> Option<&Reply> {
        self.closed_with.as_ref()
    }

    /// The name the client gave in HELO or EHLO, once it has.
    pub fn helo(&self) -> Option<&Host> {
        self.greeted.as_ref().map(|greeted| &greeted.client)
    }

    /// Feeds bytes read from the client at time `now`.
    pub fn receive(&mut self, bytes: &[u8], now: UnixTime) {
        self.now = self.now.max(now);
        match self.phase {
            Phase::Closed | Phase::AwaitingTls => {}
            Phase::Greeting { .. } if !bytes.is_empty() => {
                let reply = replies::talked_first(self.config.hostname());
                self.close_with(reply);
            }
            _ => {
                self.data_last_byte = self.now;
                self.input.extend_from_slice(bytes);
            }
        }
    }

    /// The next thing for the host to do, or `None` when the session waits: for input,
    /// for a decision, or for a deadline.
    ///
    /// Not an `Iterator`: `None` means "nothing now", not "exhausted".
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.events.pop_front() {
                return Some(event);
            }
            if self.pending.is_some() || !self.step() {
                self.flush_output();
                return self.events.pop_front();
            }
        }
    }

    /// Answers the pending decision. Without one, the decision comes back unused: the
    /// host answered an event twice, or one the session never asked about.
    pub fn decide(&mut self, decision: Decision) -> Result<(), NoDecisionPending> {
        let Some(pending) = self.pending.take() else {
            return Err(NoDecisionPending(decision));
        };
        let (default_accept, default_reject) = match &pending {
            Pending::Mail(..) => (replies::sender_ok(), replies::refused_by_policy()),
            Pending::Rcpt(..) => (replies::recipient_ok(), replies::refused_by_policy()),
            Pending::Auth => (replies::authenticated(), replies::bad_credentials()),
            Pending::Message => {
                let id = self.message_id();
                (replies::message_accepted(&id), replies::message_refused())
            }
        };
        let reply = match decision {
            Decision::Accept => default_accept,
            Decision::Reject => default_reject,
            Decision::Reply(reply) => reply,
        };
        let accepted = reply.code().class() == ReplyClass::PositiveCompletion;
        match pending {
            Pending::Mail(reverse_path, parameters) if accepted => {
                self.transaction = Some(Transaction {
                    reverse_path,
                    parameters,
                    recipients: Vec::new(),
                    chunking: false,
                    chunk_failed: false,
                });
            }
            Pending::Rcpt(recipient) if accepted => {
                if let Some(transaction) = self.transaction.as_mut() {
                    transaction.recipients.push(recipient);
                }
            }
            Pending::Auth => {
                let phase =
                    std::mem::replace(&mut self.phase, Phase::Command { discarding: false });
                if let (Phase::Auth(exchange), true) = (phase, accepted) {
                    self.authenticated = Some(exchange.username().to_owned());
                } else {
                    self.auth_failures += 1;
                    if self.auth_failures >= self.config.limits.auth_failures {
                        self.reply(reply);
                        let reply =
                            replies::too_many(self.config.hostname(), "failed AUTH attempts");
                        self.close_with(reply);
                        return Ok(());
                    }
                }
            }
            Pending::Message => {
                self.messages += 1;
                self.transaction = None;
            }
            Pending::Mail(..) | Pending::Rcpt(..) => {}
        }
        self.reply(reply);
        Ok(())
    }

    /// When the host should call [`Self::handle_timeout`], if a deadline runs.
    pub fn poll_timeout(&self) -> Option<UnixTime> {
        if self.pending.is_some() {
            return None;
        }
        let timeouts = &self.config.timeouts;
        match &self.phase {
            Phase::Greeting { ready_at } => Some(*ready_at),
            Phase::Command { .. } | Phase::Auth(_) => {
                Some(self.ready_since.after(timeouts.command))
            }
            Phase::Data(decoder) => Some(self.data_deadline(decoder.size())),
            Phase::Chunk { content, .. } => Some(self.data_deadline(content.size())),
            Phase::AwaitingTls | Phase::Closed => None,
        }
    }

    /// Tells the session the time; past a deadline it answers `421 4.4.2` and closes,
    /// or, at the end of the greeting delay, greets.
    pub fn handle_timeout(&mut self, now: UnixTime) {
        self.now = self.now.max(now);
        if matches!(self.phase, Phase::Greeting { ready_at } if now >= ready_at) {
            self.greet();
            return;
        }
        if self.poll_timeout().is_some_and(|deadline| now >= deadline) {
            let reply = replies::timeout(self.config.hostname());
            self.close_with(reply);
        }
    }

    /// The TLS handshake after STARTTLS succeeded: the session starts over, and the
    /// client must send EHLO again (RFC 3207 §4.2).
    pub fn tls_established(&mut self, now: UnixTime, summary: Option<TlsSummary>) {
        if !matches!(self.phase, Phase::AwaitingTls) {
            return;
        }
        self.now = self.now.max(now);
        self.connection.tls = true;
        self.connection.tls_summary = summary;
        self.greeted = None;
        self.transaction = None;
        self.enhanced_codes = false;
        self.input.clear();
        self.ready_since = self.now;
        self.phase = Phase::Command { discarding: false };
    }

    /// Data deadline: a pause longer than `data_idle`, or an average rate under
    /// `min_data_rate` once `data_idle` has passed.
    fn data_deadline(&self, size: u64) -> UnixTime {
        let timeouts = &self.config.timeouts;
        let idle = self.data_last_byte.after(timeouts.data_idle);
        let earned = core::time::Duration::from_millis(
            size.saturating_mul(1000) / timeouts.min_data_rate.max(1),
        );
        let rate = self.data_started.after(timeouts.data_idle).after(earned);
        idle.min(rate)
    }

    fn greet(&mut self) {
        let greeting = Reply::service_ready(self.config.hostname().as_str())
            .unwrap_or_else(|_| replies::closing(self.config.hostname()));
        self.output.extend_from_slice(&greeting.to_bytes());
        self.ready_since = self.now;
        self.phase = Phase::Command { discarding: false };
    }

    /// Does one piece of work on the buffered input. Returns whether it made progress.
    fn step(&mut self) -> bool {
        match &mut self.phase {
            Phase::Greeting { .. } | Phase::AwaitingTls | Phase::Closed => false,
            Phase::Command { .. } => self.step_command(),
            Phase::Auth(_) => self.step_auth(),
            Phase::Data(_) => self.step_data(),
            Phase::Chunk { .. } => self.step_chunk(),
        }
    }

    /// Takes one command line off the input, or resynchronises after an over-long one.
    fn step_command(&mut self) -> bool {
        let limit = self.config.limits.command_line;
        let Some((line, rest, end)) = split_command_line(&self.input) else {
            if self.input.len() >= limit {
                self.skip_overlong_line();
            }
            return false;
        };
        let line = line.to_vec();
        let used = self.input.len() - rest.len();
        self.input.drain(..used);
        let lenient = self.config.quirks.bare_line_endings == BareLineEndings::Normalize;
        if matches!(self.phase, Phase::Command { discarding: true }) || line.len() + 2 > limit {
            self.phase = Phase::Command { discarding: false };
            self.protocol_error(replies::line_too_long());
        } else if end == LineEnd::BareLf && !lenient {
            self.protocol_error(replies::bare_lf());
        } else {
            self.handle_line(&line);
        }
        self.ready_since = self.now;
        true
    }

    /// Drops a line past the limit without keeping it, remembering to answer it once its
    /// CRLF comes (§4.5.3.1.4).
    fn skip_overlong_line(&mut self) {
        let keep_cr = self.input.last() == Some(&b'\r');
        self.input.clear();
        if keep_cr {
            self.input.push(b'\r');
        }
        if let Phase::Command { discarding } = &mut self.phase {
            *discarding = true;
        }
    }

    fn handle_line(&mut self, line: &[u8]) {
        if looks_like_http_or_header(line) {
            let reply = replies::not_smtp(self.config.hostname());
            self.close_with(reply);
            return;
        }
        match Command::parse(line) {
            Ok(command) => self.handle_command(command),
            Err(error) => {
                let reply = error.reply();
                match error {
                    CommandError::Parameter(_) => self.reply(reply),
                    _ => self.protocol_error(reply),
                }
            }
        }
    }

    fn handle_command(&mut self, command: Command) {
        let verb = command.verb();
        if matches!(
            verb,
            Verb::Noop | Verb::Rset | Verb::Vrfy | Verb::Expn | Verb::Help
        ) {
            self.junk_commands += 1;
            if self.junk_commands > self.config.limits.junk_commands {
                let reply = replies::too_many(self.config.hostname(), "commands without mail");
                self.close_with(reply);
                return;
            }
        }
        match command {
            Command::Ehlo(_) if self.config.quirks.helo_only => {
                self.reply(replies::not_implemented("EHLO not implemented"));
            }
            Command::Ehlo(client) => self.hello(client, true),
            Command::Helo(domain) => self.hello(Host::Domain(domain), false),
            Command::Mail {
                reverse_path,
                parameters,
            } => self.mail(reverse_path, parameters),
            Command::Rcpt {
                forward_path,
                parameters,
            } => self.rcpt(forward_path, parameters),
            Command::Data => self.data(),
            Command::Bdat { size, last } => self.bdat(size, last),
            Command::Rset => {
                self.transaction = None;
                self.chunk_decoder = None;
                self.reply(replies::ok());
            }
            Command::Noop(_) => self.reply(replies::ok()),
            Command::Vrfy(_) => self.reply(replies::cannot_verify()),
            Command::Expn(_) => self.reply(replies::not_implemented("EXPN not available")),
            Command::Help(_) => self.reply(replies::help()),
            Command::Quit => {
                let reply = replies::closing(self.config.hostname());
                self.close_with(reply);
            }
            Command::StartTls => self.start_tls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(&mechanism, initial_response),
        }
    }

    /// EHLO and HELO (§4.1.1.1): reset any transaction and say what is offered.
    fn hello(&mut self, client: Host, extended: bool) {
        self.transaction = None;
        self.chunk_decoder = None;
        let hostname = self.config.hostname().to_string();
        let mut lines = vec![format!("{hostname} greets {client}")];
        if extended {
            lines.extend(self.ehlo_keywords());
        }
        self.enhanced_codes = extended && self.config.extensions.enhanced_status_codes;
        self.greeted = Some(Greeted { client, extended });
        // RFC 2034 §4: replies to EHLO and HELO carry no enhanced code.
        match Reply::new(crate::reply::ReplyCode::OK, None, lines) {
            Ok(reply) => self.send(&reply),
            Err(_) => self.reply(replies::ok()),
        }
    }

    /// The EHLO keywords, from the configuration and the connection's state.
    fn ehlo_keywords(&self) -> Vec<String> {
        let extensions = &self.config.extensions;
        let limits = &self.config.limits;
        let tls = self.connection.tls;
        let auth_usable = tls || self.config.quirks.auth_without_tls;
        Capabilities {
            pipelining: extensions.pipelining,
            size: extensions.size.then_some(limits.message_size),
            eight_bit_mime: extensions.eight_bit_mime,
            smtputf8: extensions.smtputf8,
            enhanced_status_codes: extensions.enhanced_status_codes,
            chunking: extensions.chunking,
            binary_mime: extensions.chunking && extensions.binary_mime,
            dsn: extensions.dsn,
            starttls: self.config.tls_available && !tls,
            requiretls: extensions.requiretls && tls,
            auth: if auth_usable {
                extensions.auth_mechanisms.clone()
            } else {
                Vec::new()
            },
            rcpt_max: Some(limits.recipients),
        }
        .keywords()
    }

    /// MAIL FROM (§4.1.1.2): checks of sequence, extensions and limits, then the host.
    fn mail(&mut self, reverse_path: ReversePath, parameters: MailParameters) {
        if self.greeted.is_none() {
            return self.protocol_error(replies::bad_sequence("Send EHLO or HELO first"));
        }
        if self.transaction.is_some() {
            return self.protocol_error(replies::bad_sequence(
                "Sender already given; send RSET first",
            ));
        }
        if self.config.require_auth && self.authenticated.is_none() {
            return self.protocol_error(replies::authentication_required());
        }
        if let Some(keyword) = self.unoffered_mail_parameter(&parameters) {
            return self.reply(replies::parameter_not_offered(keyword));
        }
        if parameters
            .size
            .is_some_and(|size| size > self.config.limits.message_size)
        {
            return self.reply(replies::message_too_big());
        }
        if !reverse_path.is_ascii() && !parameters.smtputf8 {
            return self.reply(replies::utf8_address_needs_smtputf8());
        }
        self.events.push_back(Event::Mail {
            reverse_path: reverse_path.clone(),
            parameters: parameters.clone(),
        });
        self.pending = Some(Pending::Mail(reverse_path, parameters));
    }

    /// The first parameter of an extension that was not advertised, if any.
    fn unoffered_mail_parameter(&self, parameters: &MailParameters) -> Option<&'static str> {
        let extensions = &self.config.extensions;
        let extended = self
            .greeted
            .as_ref()
            .is_some_and(|greeted| greeted.extended);
        let checks = [
            (parameters.size.is_some(), extensions.size, "SIZE"),
            (
                parameters.body == Some(Body::EightBitMime),
                extensions.eight_bit_mime,
                "BODY=8BITMIME",
            ),
            (
                parameters.body == Some(Body::BinaryMime),
                extensions.chunking && extensions.binary_mime,
                "BODY=BINARYMIME",
            ),
            (parameters.smtputf8, extensions.smtputf8, "SMTPUTF8"),
            (
                parameters.ret.is_some() || parameters.envid.is_some(),
                extensions.dsn,
                "DSN",
            ),
            (
                parameters.auth.is_some(),
                !extensions.auth_mechanisms.is_empty(),
                "AUTH",
            ),
            (
                parameters.requiretls,
                extensions.requiretls && self.connection.tls,
                "REQUIRETLS",
            ),
        ];
        let any_parameter = *parameters != MailParameters::default();
        if any_parameter && !extended {
            // After HELO no extension was advertised at all (§4.1.1.1).
            return Some("ESMTP");
        }
        checks
            .into_iter()
            .find(|(used, offered, _)| *used && !offered)
            .map(|(_, _, keyword)| keyword)
    }

    /// RCPT TO (§4.1.1.3): sequence, limits, relay, then the host.
    fn rcpt(&mut self, forward_path: ForwardPath, parameters: RcptParameters) {
        let Some(transaction) = &self.transaction else {
            return self.protocol_error(replies::bad_sequence("Need MAIL before RCPT"));
        };
        if transaction.recipients.len() >= self.config.limits.recipients {
            return self.reply(replies::too_many_recipients());
        }
        if parameters != RcptParameters::default() && !self.config.extensions.dsn {
            return self.reply(replies::parameter_not_offered("DSN"));
        }
        if !forward_path.is_ascii() && !transaction.parameters.smtputf8 {
            return self.reply(replies::utf8_address_needs_smtputf8());
        }
        if !self.may_relay_to(&forward_path) {
            return self.reply(replies::relay_denied());
        }
        let recipient = Recipient {
            forward_path,
            parameters,
        };
        self.events.push_back(Event::Rcpt {
            forward_path: recipient.forward_path.clone(),
            parameters: recipient.parameters.clone(),
        });
        self.pending = Some(Pending::Rcpt(recipient));
    }

    /// With local domains configured, other domains take trusted or authenticated
    /// clients; postmaster is always local (§4.5.1).
    fn may_relay_to(&self, forward_path: &ForwardPath) -> bool {
        if self.config.local_domains.is_empty()
            || self.connection.trusted
            || self.authenticated.is_some()
        {
            return true;
        }
        match forward_path {
            ForwardPath::Postmaster => true,
            ForwardPath::Mailbox(mailbox) => mailbox
                .domain()
                .is_some_and(|domain| self.config.is_local(domain)),
        }
    }

    /// Whether the transaction can take content now; answers `503` if not.
    fn ready_for_content(&mut self) -> bool {
        let has_recipients = self
            .transaction
            .as_ref()
            .is_some_and(|transaction| !transaction.recipients.is_empty());
        if !has_recipients {
            let text = if self.transaction.is_some() {
                "No valid recipients"
            } else {
                "Need MAIL and RCPT before message content"
            };
            self.protocol_error(replies::bad_sequence(text));
        }
        has_recipients
    }

    /// DATA (§4.1.1.4).
    fn data(&mut self) {
        if !self.ready_for_content() {
            return;
        }
        let Some(transaction) = &self.transaction else {
            return;
        };
        if transaction.chunking {
            return self.protocol_error(replies::bad_sequence("DATA cannot follow BDAT"));
        }
        if transaction.parameters.body == Some(Body::BinaryMime) {
            return self.protocol_error(replies::bad_sequence("BINARYMIME needs BDAT"));
        }
        let decoder = self.content_decoder(Delimiting::DotTerminated);
        self.reply(replies::start_mail_input());
        self.start_message();
        self.phase = Phase::Data(decoder);
    }

    /// BDAT (RFC 3030 §2): the chunk is always read, even when it is refused.
    fn bdat(&mut self, size: u64, last: bool) {
        if !self.config.extensions.chunking {
            return self.protocol_error(replies::not_implemented("BDAT not available"));
        }
        let refuse = match &self.transaction {
            Some(transaction) if transaction.chunk_failed => {
                Some(replies::bad_sequence("An earlier chunk failed; send RSET"))
            }
            Some(transaction) if !transaction.recipients.is_empty() => None,
            Some(_) => Some(replies::bad_sequence("No valid recipients")),
            None => Some(replies::bad_sequence("Need MAIL and RCPT before BDAT")),
        };
        if let Some(reply) = refuse {
            if let Some(transaction) = self.transaction.as_mut() {
                transaction.chunk_failed = true;
            }
            // Read the chunk, then answer (RFC 3030 §2); the answer counts as an error.
            self.errors += 1;
            self.phase = Phase::Chunk {
                remaining: size,
                last,
                content: ChunkContent::Refuse(reply),
            };
            return;
        }
        let decoder = match self.chunk_decoder.take() {
            Some(decoder) => decoder,
            None => {
                let binary = self.transaction.as_ref().is_some_and(|transaction| {
                    transaction.parameters.body == Some(Body::BinaryMime)
                });
                let decoder = self.content_decoder(if binary {
                    Delimiting::Binary
                } else {
                    Delimiting::Chunked
                });
                if let Some(transaction) = self.transaction.as_mut() {
                    transaction.chunking = true;
                }
                self.start_message();
                decoder
            }
        };
        self.phase = Phase::Chunk {
            remaining: size,
            last,
            content: ChunkContent::Keep(decoder),
        };
    }

    fn content_decoder(&self, delimiting: Delimiting) -> ContentDecoder {
        ContentDecoder::new(
            delimiting,
            self.config.quirks.bare_line_endings,
            self.config.limits.text_line,
            self.config.limits.message_size,
        )
        .vulnerable_to_smuggling(self.config.quirks.vulnerable_to_smuggling)
    }

    /// Opens the message's content with its `Received:` header (§4.4).
    fn start_message(&mut self) {
        self.data_started = self.now;
        self.data_last_byte = self.now;
        let Some(transaction) = &self.transaction else {
            return;
        };
        let header = received::header(&received::Trace {
            client: self.greeted.as_ref().map(|greeted| &greeted.client),
            client_ip: self.connection.client_ip,
            hostname: self.config.hostname(),
            extended: self
                .greeted
                .as_ref()
                .is_some_and(|greeted| greeted.extended),
            smtputf8: transaction.parameters.smtputf8,
            tls: self.connection.tls,
            tls_summary: self.connection.tls_summary.as_ref(),
            authenticated: self.authenticated.is_some(),
            id: &self.message_id(),
            recipients: &transaction.recipients,
            time: self.now,
        });
        self.events
            .push_back(Event::MessageData(header.into_bytes()));
    }

    fn message_id(&self) -> String {
        format!("{}.{}", self.connection.session_id, self.messages + 1)
    }

    fn step_data(&mut self) -> bool {
        let Phase::Data(decoder) = &mut self.phase else {
            return false;
        };
        if self.input.is_empty() {
            return false;
        }
        let mut content = Vec::new();
        let (used, ended) = decoder.decode(&self.input, &mut content);
        self.input.drain(..used);
        if !content.is_empty() {
            self.events.push_back(Event::MessageData(content));
        }
        if ended {
            let Phase::Data(decoder) =
                std::mem::replace(&mut self.phase, Phase::Command { discarding: false })
            else {
                return true;
            };
            self.ready_since = self.now;
            self.end_message(decoder);
        }
        true
    }

    fn step_chunk(&mut self) -> bool {
        let Phase::Chunk {
            remaining, content, ..
        } = &mut self.phase
        else {
            return false;
        };
        if *remaining > 0 {
            if self.input.is_empty() {
                return false;
            }
            let take = usize::try_from(*remaining)
                .unwrap_or(usize::MAX)
                .min(self.input.len());
            if let ChunkContent::Keep(decoder) = content {
                let mut decoded = Vec::new();
                let _ = decoder.decode(self.input.get(..take).unwrap_or_default(), &mut decoded);
                if !decoded.is_empty() {
                    self.events.push_back(Event::MessageData(decoded));
                }
            }
            self.input.drain(..take);
            *remaining -= take as u64;
            return true;
        }
        let Phase::Chunk { last, content, .. } =
            std::mem::replace(&mut self.phase, Phase::Command { discarding: false })
        else {
            return true;
        };
        self.ready_since = self.now;
        match content {
            ChunkContent::Refuse(reply) => self.reply(reply),
            ChunkContent::Keep(decoder) if last => self.end_message(decoder),
            ChunkContent::Keep(decoder) => {
                let size = decoder.size();
                self.chunk_decoder = Some(decoder);
                self.reply(replies::chunk_received(size));
            }
        }
        true
    }

    /// The message is complete: refuse it for its content, or ask the host.
    fn end_message(&mut self, decoder: ContentDecoder) {
        self.chunk_decoder = None;
        if let Some(reply) = decoder.finish() {
            self.events.push_back(Event::MessageAborted);
            self.transaction = None;
            self.reply(reply);
            return;
        }
        let Some(transaction) = &self.transaction else {
            return;
        };
        let envelope = Envelope {
            reverse_path: transaction.reverse_path.clone(),
            parameters: transaction.parameters.clone(),
            recipients: transaction.recipients.clone(),
            id: self.message_id(),
        };
        self.events.push_back(Event::MessageEnd(envelope));
        self.pending = Some(Pending::Message);
    }

    /// STARTTLS (RFC 3207 §4).
    fn start_tls(&mut self) {
        if !self.config.tls_available {
            return self.reply(replies::tls_not_available());
        }
        if self.connection.tls {
            return self.protocol_error(replies::bad_sequence("TLS already active"));
        }
        if self.greeted.is_none() {
            return self.protocol_error(replies::bad_sequence("Send EHLO first"));
        }
        self.reply(replies::ready_for_tls());
        // Anything the client sent after STARTTLS came in plaintext and must not be
        // acted on once TLS is up (RFC 3207 §4.2; CVE-2011-0411).
        self.input.clear();
        self.phase = Phase::AwaitingTls;
        self.flush_output();
        self.events.push_back(Event::StartTls);
    }

    /// AUTH (RFC 4954 §4).
    fn auth(&mut self, mechanism: &str, initial_response: Option<crate::syntax::InitialResponse>) {
        if self.config.extensions.auth_mechanisms.is_empty() {
            return self.protocol_error(replies::not_implemented("AUTH not available"));
        }
        if self.greeted.is_none() || self.authenticated.is_some() || self.transaction.is_some() {
            let text = if self.authenticated.is_some() {
                "Already authenticated"
            } else if self.transaction.is_some() {
                "AUTH not allowed during a mail transaction"
            } else {
                "Send EHLO first"
            };
            return self.protocol_error(replies::bad_sequence(text));
        }
        if !self.connection.tls && !self.config.quirks.auth_without_tls {
            return self.reply(replies::encryption_required());
        }
        let offered = self
            .config
            .extensions
            .auth_mechanisms
            .iter()
            .any(|offered| offered.eq_ignore_ascii_case(mechanism));
        let Some(exchange) = offered.then(|| AuthExchange::start(mechanism)).flatten() else {
            return self.reply(replies::unknown_mechanism());
        };
        self.phase = Phase::Auth(exchange);
        let step = match initial_response {
            Some(response) => self.auth_exchange_step(auth::Response::Initial(response)),
            None => self.auth_exchange_step(auth::Response::None),
        };
        self.apply_auth_step(step);
    }

    fn auth_exchange_step(&mut self, response: auth::Response) -> AuthStep {
        match &mut self.phase {
            Phase::Auth(exchange) => exchange.respond(response),
            _ => AuthStep::Failed(replies::bad_auth_response()),
        }
    }

    fn apply_auth_step(&mut self, step: AuthStep) {
        match step {
            AuthStep::Challenge(reply) => self.reply(reply),
            AuthStep::Done(credentials) => {
                self.events.push_back(Event::Authenticate(credentials));
                self.pending = Some(Pending::Auth);
            }
            AuthStep::Failed(reply) => {
                self.phase = Phase::Command { discarding: false };
                self.protocol_error(reply);
            }
        }
    }

    /// A line of the SASL exchange.
    fn step_auth(&mut self) -> bool {
        let limit = self.config.limits.auth_line;
        let Some((line, rest)) = split_line(&self.input) else {
            if self.input.len() >= limit {
                self.input.clear();
                self.phase = Phase::Command { discarding: true };
                self.protocol_error(replies::auth_line_too_long());
                return true;
            }
            return false;
        };
        let line = line.to_vec();
        let used = self.input.len() - rest.len();
        self.input.drain(..used);
        let step = self.auth_exchange_step(auth::Response::Line(&line));
        self.apply_auth_step(step);
        true
    }

    /// Sends a reply to the client, without its enhanced code if the client was not
    /// told of ENHANCEDSTATUSCODES.
    fn reply(&mut self, reply: Reply) {
        let reply = if self.enhanced_codes {
            reply
        } else {
            reply.without_enhanced_code()
        };
        self.send(&reply);
    }

    fn send(&mut self, reply: &Reply) {
        reply.write_to(&mut self.output);
    }

    /// A reply to a protocol error; past the error limit the session ends (`421 4.7.0`).
    fn protocol_error(&mut self, reply: Reply) {
        self.reply(reply);
        self.errors += 1;
        if self.errors >= self.config.limits.errors {
            let reply = replies::too_many(self.config.hostname(), "errors");
            self.close_with(reply);
        }
    }

    /// Sends `reply` as the last word and closes (§3.8: 421 and 221 close).
    fn close_with(&mut self, reply: Reply) {
        if matches!(self.phase, Phase::Data(_) | Phase::Chunk { .. }) {
            self.events.push_back(Event::MessageAborted);
        }
        self.closed_with = Some(reply.clone());
        self.reply(reply);
        self.flush_output();
        self.events.push_back(Event::Close);
        self.phase = Phase::Closed;
        self.input.clear();
        self.pending = None;
    }

    fn flush_output(&mut self) {
        if !self.output.is_empty() {
            self.events
                .push_back(Event::Output(std::mem::take(&mut self.output)));
        }
    }
}

/// A line that is HTTP or a message header, sent to an SMTP port: a browser, a
/// cross-protocol attack, or a client that lost track of DATA.
fn looks_like_http_or_header(line: &[u8]) -> bool {
    const HTTP_METHODS: [&[u8]; 8] = [
        b"GET ",
        b"POST ",
        b"PUT ",
        b"HEAD ",
        b"DELETE ",
        b"OPTIONS ",
        b"CONNECT ",
        b"PATCH ",
    ];
    if HTTP_METHODS.iter().any(|method| line.starts_with(method)) {
        return true;
    }
    // `Name:` at the start, as in a header field; `MAIL FROM:` has a space first.
    let name_end = line.iter().position(|&byte| byte == b':');
    name_end.is_some_and(|end| {
        end > 0
            && line
                .get(..end)
                .is_some_and(|name| name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-'))
    })
}

#[cfg(test)]
mod tests;
