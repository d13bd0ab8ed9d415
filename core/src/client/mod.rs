//! The sending side of SMTP as a sans-I/O state machine, the mirror of
//! [`crate::server::ServerSession`].
//!
//! The host connects, then feeds every byte it reads to [`ClientSession::receive`] with
//! the current time and calls [`ClientSession::next`] until it returns `None`: it writes
//! each [`Event::Output`], streams the message when asked ([`Event::SendMessage`]: call
//! [`ClientSession::message_data`] then [`ClientSession::message_end`]), runs TLS when
//! asked ([`Event::StartTls`]), and reads the result from [`Event::Done`].
//!
//! Under [`ClientConfig::keep_open`] the connection outlives the message: the host
//! keeps the session, checks it with [`ClientSession::wake`] when another message is
//! for the same server, and hands that message's session the connection with
//! [`ClientSession::continue_from`] (RFC 5321 §3.3), or ends it with
//! [`ClientSession::quit`].

mod encoder;

use std::collections::VecDeque;
use std::time::Duration;

pub use crate::ehlo::Capabilities;
use encoder::Encoder;

use crate::code;
use crate::envelope::Recipient;
use crate::reply::{Reply, ReplyClass, ReplyCode, build};
use crate::server::BareLineEndings;
use crate::syntax::reply::{ReplyParseError, parse_reply};
use crate::syntax::{Body, Command, Domain, Host, MailParameters, ReversePath};
use crate::time::UnixTime;

/// Whether to encrypt with STARTTLS (RFC 3207).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TlsPolicy {
    /// Never.
    None,
    /// When the server offers it (the usual MTA-to-MTA behaviour).
    #[default]
    Opportunistic,
    /// Always; a server that does not offer it fails the session.
    Required,
}

/// Configuration of a client session.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The name this client gives in EHLO.
    pub hostname: Domain,
    pub tls: TlsPolicy,
    /// Username and password for AUTH PLAIN or LOGIN.
    pub credentials: Option<(String, String)>,
    /// Allow AUTH before TLS (RFC 4954 §4 forbids plaintext mechanisms without it).
    pub auth_without_tls: bool,
    /// Send with BDAT when the server offers CHUNKING (RFC 3030).
    pub prefer_chunking: bool,
    /// What to do with bare CR or LF in the message.
    pub bare_line_endings: BareLineEndings,
    /// How long each reply may take (RFC 5321 §4.5.3.2).
    pub timeouts: ClientTimeouts,
    /// After the message, keep the connection for another (RFC 5321 §3.3) instead of
    /// sending QUIT: see [`ClientSession::is_kept`].
    pub keep_open: bool,
}

impl ClientConfig {
    pub fn new(hostname: Domain) -> Self {
        Self {
            hostname,
            tls: TlsPolicy::default(),
            credentials: None,
            auth_without_tls: false,
            prefer_chunking: false,
            bare_line_endings: BareLineEndings::Normalize,
            timeouts: ClientTimeouts::default(),
            keep_open: false,
        }
    }
}

/// Reply timeouts of RFC 5321 §4.5.3.2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientTimeouts {
    /// Greeting, MAIL, RCPT and other commands: 5 minutes.
    pub command: Duration,
    /// DATA's 354: 2 minutes.
    pub data_start: Duration,
    /// The reply after the end of data: 10 minutes.
    pub data_end: Duration,
}

impl Default for ClientTimeouts {
    fn default() -> Self {
        Self {
            command: Duration::from_secs(5 * 60),
            data_start: Duration::from_secs(2 * 60),
            data_end: Duration::from_secs(10 * 60),
        }
    }
}

/// What the host knows of the message before it is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageInfo {
    /// Its size in octets, declared with SIZE.
    pub size: u64,
    /// 7BIT, 8BITMIME or BINARYMIME content.
    pub body: Body,
}

impl MessageInfo {
    /// The size and body type of text content: `8BITMIME` if any octet is non-ASCII,
    /// else `7BIT` (RFC 6152). Binary content is the host's to declare.
    pub fn of_text(content: &[u8]) -> Self {
        Self {
            size: content.len() as u64,
            body: if content.is_ascii() {
                Body::SevenBit
            } else {
                Body::EightBitMime
            },
        }
    }
}

/// What the session asks of its host.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "an ignored event stalls the session"]
pub enum Event {
    /// Bytes to send to the server.
    Output(Vec<u8>),
    /// Stream the message now, from its start: [`ClientSession::message_data`] as often as
    /// needed, then [`ClientSession::message_end`]. Asked again for each transaction a
    /// recipient limit splits the message into.
    SendMessage,
    /// The server accepted STARTTLS: run the handshake, then call
    /// [`ClientSession::tls_established`].
    StartTls,
    /// The session is over; close the connection after sending all output.
    Close,
    /// What became of every recipient. Under [`ClientConfig::keep_open`] the connection
    /// stays open after it, unless [`Event::Close`] comes too.
    Done(Outcome),
    /// A kept connection answered [`ClientSession::wake`]: it is ready for the next
    /// message ([`ClientSession::continue_from`]).
    Ready,
}

/// What became of one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
pub enum Delivery {
    /// The server took responsibility for the message (RFC 5321 §6.1).
    Delivered(Reply),
    /// Not now; try again later (a 4yz, a broken connection, a timeout).
    Temporary(Reply),
    /// Never, as it stands (a 5yz, or a check that failed before sending).
    Permanent(Reply),
}

impl Delivery {
    /// What a refusal means for a recipient: a 5yz fails it for good, anything else
    /// (a 4yz, or a reply of our own about a lookup) leaves it for a retry.
    pub fn of_refusal(reply: Reply) -> Self {
        match reply.code().class() {
            crate::reply::ReplyClass::PermanentNegative => Self::Permanent(reply),
            _ => Self::Temporary(reply),
        }
    }

    /// The reply that decided it.
    pub fn reply(&self) -> &Reply {
        match self {
            Self::Delivered(reply) | Self::Temporary(reply) | Self::Permanent(reply) => reply,
        }
    }

    /// `delivered`, `temporary` or `permanent`: the word logs and reports use.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Delivered(_) => "delivered",
            Self::Temporary(_) => "temporary",
            Self::Permanent(_) => "permanent",
        }
    }
}

/// Why a session ended early, for the host's logs and retry decisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionFailure {
    /// The connection broke or a reply did not come in time.
    Connection(String),
    /// The server broke the protocol (malformed reply, bytes after STARTTLS's 220).
    Protocol(String),
    /// The server refused the session (greeting, EHLO, AUTH).
    Policy(Reply),
    /// TLS was required and not offered, or failed.
    Tls(String),
}

/// `connection: …`, `protocol: …`, `refused: 554 …` or `tls: …`, for logs and APIs.
impl std::fmt::Display for SessionFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Connection(why) => write!(f, "connection: {why}"),
            Self::Protocol(why) => write!(f, "protocol: {why}"),
            Self::Policy(reply) => write!(f, "refused: {}", reply.to_string().trim_end()),
            Self::Tls(why) => write!(f, "tls: {why}"),
        }
    }
}

/// The result of a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub recipients: Vec<(Recipient, Delivery)>,
    pub failure: Option<SessionFailure>,
}

impl Outcome {
    /// Whether the host could not take the session at all (connection, greeting or
    /// protocol failure, not a reply to one recipient): RFC 5321 §5.1 says to try the
    /// next host for the recipients it left temporary.
    pub fn host_failed(&self) -> bool {
        matches!(
            self.failure,
            Some(
                SessionFailure::Connection(_)
                    | SessionFailure::Policy(_)
                    | SessionFailure::Protocol(_)
            )
        )
    }

    /// Each recipient's [`Delivery::kind`], in order.
    pub fn kinds(&self) -> Vec<&'static str> {
        self.recipients
            .iter()
            .map(|(_, delivery)| delivery.kind())
            .collect()
    }
}

/// The reply a command waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Awaiting {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    DataEnd,
    Chunk {
        last: bool,
    },
    Rset,
    /// RSET on a kept connection before its next message.
    Wake,
    Quit,
}

/// Where a session under [`ClientConfig::keep_open`] stands after its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kept {
    /// Its message is not done yet, or the connection is not kept.
    No,
    /// The outcome is out; the connection waits, unused.
    Parked,
    /// RSET was sent to check the connection.
    Waking,
    /// The server answered the RSET: the next message may go.
    Ready,
}

/// [`ClientSession::continue_from`] was given a session whose connection is not ready.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotReady;

impl std::fmt::Display for NotReady {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the previous session's connection is not ready for another message")
    }
}

impl std::error::Error for NotReady {}

/// Where the message stream stands.
#[derive(Debug, PartialEq, Eq)]
enum Streaming {
    /// Not asked for.
    Idle,
    /// Asked for; the host streams.
    Open,
    /// The host ended it.
    Ended,
}

/// One SMTP session on the sending side, for one envelope.
#[derive(Debug)]
pub struct ClientSession {
    config: ClientConfig,
    reverse_path: ReversePath,
    base_parameters: MailParameters,
    message: MessageInfo,
    /// Every recipient and what became of it so far (`None`: not yet known).
    recipients: Vec<(Recipient, Option<Delivery>)>,
    /// The recipients of the current transaction, by index into `recipients`.
    transaction: Vec<usize>,
    /// Of those, the ones the server accepted.
    accepted: Vec<usize>,
    capabilities: Capabilities,
    extended: bool,
    tls: bool,
    authenticated: bool,
    awaiting: VecDeque<(Awaiting, UnixTime)>,
    input: Vec<u8>,
    output: Vec<u8>,
    events: VecDeque<Event>,
    encoder: Option<Encoder>,
    streaming: Streaming,
    /// The message goes in BDAT chunks rather than after DATA.
    chunked: bool,
    /// A reply to a BDAT chunk that failed; the rest of the transaction fails with it.
    chunk_failure: Option<Reply>,
    /// Recipients of this transaction the server put off with `452`, and its reply.
    deferred: Vec<(usize, Reply)>,
    /// Why the session ended early, once known.
    failure: Option<SessionFailure>,
    /// Whether the current transaction settled any recipient.
    settled_in_transaction: bool,
    auth_step: u8,
    finished: bool,
    /// Whether [`Event::Done`] was given.
    reported: bool,
    kept: Kept,
    now: UnixTime,
}

impl ClientSession {
    /// A session that will send one message from `reverse_path` to `recipients`.
    /// `parameters` carries what the host chose (ENVID, RET); the session adds SIZE,
    /// BODY and SMTPUTF8 as the message and the server call for.
    pub fn new(
        config: ClientConfig,
        reverse_path: ReversePath,
        parameters: MailParameters,
        recipients: Vec<Recipient>,
        message: MessageInfo,
        now: UnixTime,
    ) -> Self {
        Self {
            config,
            reverse_path,
            base_parameters: parameters,
            message,
            recipients: recipients
                .into_iter()
                .map(|recipient| (recipient, None))
                .collect(),
            transaction: Vec::new(),
            accepted: Vec::new(),
            capabilities: Capabilities::default(),
            extended: false,
            tls: false,
            authenticated: false,
            awaiting: VecDeque::from([(Awaiting::Greeting, now)]),
            input: Vec::new(),
            output: Vec::new(),
            events: VecDeque::new(),
            encoder: None,
            streaming: Streaming::Idle,
            chunked: false,
            chunk_failure: None,
            deferred: Vec::new(),
            failure: None,
            settled_in_transaction: false,
            auth_step: 0,
            finished: false,
            reported: false,
            kept: Kept::No,
            now,
        }
    }

    /// Whether the message is done and the connection kept open for another
    /// ([`ClientConfig::keep_open`]). The host then either checks it with
    /// [`Self::wake`] and, on [`Event::Ready`], gives a new session's message to it with
    /// [`Self::continue_from`], or ends it with [`Self::quit`].
    pub fn is_kept(&self) -> bool {
        !self.finished && self.kept != Kept::No
    }

    /// Checks a kept connection before its next message: RSET, which also ends whatever
    /// the last transaction left open (RFC 5321 §4.1.1.5). [`Event::Ready`] follows if
    /// the server answers 250; anything else ends the session ([`Event::Close`]).
    pub fn wake(&mut self, now: UnixTime) {
        self.now = self.now.max(now);
        if !self.finished && self.kept == Kept::Parked {
            self.kept = Kept::Waking;
            self.command(&Command::Rset, Awaiting::Wake);
        }
    }

    /// Ends a kept connection politely: QUIT, then [`Event::Close`].
    pub fn quit(&mut self) {
        if self.is_kept() {
            self.kept = Kept::No;
            self.send_quit();
        }
    }

    /// Sends this session's message over the connection `previous` kept open, after its
    /// [`Event::Ready`] (RFC 5321 §3.3: a new MAIL after the last transaction). What the
    /// server offered and the TLS and AUTH state carry over; MAIL goes out at once.
    /// Anything but a ready session is refused, and this session is unchanged.
    pub fn continue_from(&mut self, previous: ClientSession) -> Result<(), NotReady> {
        if previous.finished || previous.kept != Kept::Ready {
            return Err(NotReady);
        }
        self.capabilities = previous.capabilities;
        self.extended = previous.extended;
        self.tls = previous.tls;
        self.authenticated = previous.authenticated;
        self.input = previous.input;
        self.now = self.now.max(previous.now);
        self.awaiting.clear();
        self.start_transaction();
        Ok(())
    }

    /// What the server offered in its last EHLO reply.
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// Feeds bytes read from the server at time `now`.
    pub fn receive(&mut self, bytes: &[u8], now: UnixTime) {
        self.now = self.now.max(now);
        if !self.finished {
            self.input.extend_from_slice(bytes);
        }
    }

    /// The connection closed before the session ended: everything not yet decided is a
    /// temporary failure.
    pub fn connection_closed(&mut self) {
        if !self.finished {
            self.fail(SessionFailure::Connection(
                "the server closed the connection".into(),
            ));
        }
    }

    /// The next thing for the host to do, or `None` while the session waits.
    ///
    /// Not an `Iterator`: `None` means "nothing now", not "exhausted".
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.events.pop_front() {
                return Some(event);
            }
            if self.finished || !self.read_reply() {
                self.flush();
                return self.events.pop_front();
            }
        }
    }

    /// Content of the message, after [`Event::SendMessage`].
    pub fn message_data(&mut self, content: &[u8]) {
        if self.streaming != Streaming::Open || self.finished {
            return;
        }
        let mut encoded = Vec::new();
        let Some(encoder) = self.encoder.as_mut() else {
            return;
        };
        if encoder.encode(content, &mut encoded).is_err() {
            return self.refuse_content();
        }
        self.send_content(encoded, false);
    }

    /// The end of the message.
    pub fn message_end(&mut self) {
        if self.streaming != Streaming::Open || self.finished {
            return;
        }
        self.streaming = Streaming::Ended;
        let mut encoded = Vec::new();
        if let Some(encoder) = self.encoder.as_mut() {
            let _ = encoder.finish(&mut encoded);
        }
        self.send_content(encoded, true);
    }

    /// The TLS handshake after STARTTLS succeeded: capabilities learned before are
    /// dropped and EHLO is sent again (RFC 3207 §4.2).
    pub fn tls_established(&mut self, now: UnixTime) {
        self.now = self.now.max(now);
        self.tls = true;
        self.capabilities = Capabilities::default();
        self.send_ehlo();
    }

    /// The TLS handshake failed.
    pub fn tls_failed(&mut self, reason: &str) {
        self.fail(SessionFailure::Tls(reason.to_owned()));
    }

    /// When the host should call [`Self::handle_timeout`].
    pub fn poll_timeout(&self) -> Option<UnixTime> {
        let &(awaiting, since) = self.awaiting.front()?;
        let timeouts = &self.config.timeouts;
        let limit = match awaiting {
            Awaiting::Data => timeouts.data_start,
            Awaiting::DataEnd | Awaiting::Chunk { last: true } => timeouts.data_end,
            _ => timeouts.command,
        };
        Some(since.after(limit))
    }

    /// Past the deadline of the reply awaited, the session fails as a connection error.
    pub fn handle_timeout(&mut self, now: UnixTime) {
        self.now = self.now.max(now);
        if self.poll_timeout().is_some_and(|deadline| now >= deadline) {
            self.fail(SessionFailure::Connection(
                "timed out waiting for a reply".into(),
            ));
        }
    }

    /// Reads and handles one complete reply. Returns whether it did.
    fn read_reply(&mut self) -> bool {
        let (reply, used) = match parse_reply(&self.input) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => return false,
            Err(error) => {
                self.fail(SessionFailure::Protocol(malformed(&error)));
                return true;
            }
        };
        self.input.drain(..used);
        let Some((awaiting, _)) = self.awaiting.pop_front() else {
            self.fail(SessionFailure::Protocol("a reply to no command".into()));
            return true;
        };
        self.handle(awaiting, reply);
        true
    }

    fn handle(&mut self, awaiting: Awaiting, reply: Reply) {
        let class = reply.code().class();
        let positive = class == ReplyClass::PositiveCompletion;
        match awaiting {
            Awaiting::Greeting if reply.code() == ReplyCode::SERVICE_READY => self.send_ehlo(),
            Awaiting::Greeting | Awaiting::Helo if !positive => self.refused(reply),
            Awaiting::Ehlo if positive => {
                self.extended = true;
                self.capabilities = Capabilities::from_ehlo(&reply);
                self.after_hello();
            }
            // HELO when EHLO is not understood (§4.1.1.1: 500 or 502).
            Awaiting::Ehlo if matches!(reply.code().value(), 500 | 502) => {
                self.command(&Command::Helo(self.config.hostname.clone()), Awaiting::Helo);
            }
            Awaiting::Ehlo => self.refused(reply),
            Awaiting::Helo => self.after_hello(),
            Awaiting::StartTls if reply.code() == ReplyCode::SERVICE_READY => {
                if !self.input.is_empty() {
                    // Response injection: nothing may follow 220 before the handshake.
                    self.fail(SessionFailure::Protocol(
                        "bytes after the 220 to STARTTLS".into(),
                    ));
                } else {
                    self.flush();
                    self.events.push_back(Event::StartTls);
                }
            }
            Awaiting::StartTls => match self.config.tls {
                TlsPolicy::Required => {
                    self.fail(SessionFailure::Tls(format!("STARTTLS refused: {reply}")))
                }
                _ => self.after_tls_decision(),
            },
            Awaiting::Auth => self.auth_reply(reply),
            Awaiting::Mail if positive => self.after_mail(),
            Awaiting::Mail => {
                for index in std::mem::take(&mut self.transaction) {
                    self.settle(index, &reply);
                }
                if !self.capabilities.pipelining {
                    self.next_transaction_or_quit();
                }
            }
            Awaiting::Rcpt(index) => self.rcpt_reply(index, reply),
            Awaiting::Data if reply.code() == ReplyCode::START_MAIL_INPUT => {
                if self.accepted.is_empty() {
                    // Every RCPT failed but the server still said 354 (RFC 2920 §3.1):
                    // end the data at once, without the message.
                    self.send(b".\r\n".to_vec());
                    self.expect(Awaiting::DataEnd);
                } else {
                    self.open_stream(true);
                }
            }
            Awaiting::Data => {
                for index in std::mem::take(&mut self.accepted) {
                    self.settle(index, &reply);
                }
                self.next_transaction_or_quit();
            }
            Awaiting::Chunk { last: false } => {
                if !positive && self.chunk_failure.is_none() {
                    self.chunk_failure = Some(reply);
                }
            }
            Awaiting::DataEnd | Awaiting::Chunk { last: true } => {
                let reply = self.chunk_failure.take().unwrap_or(reply);
                for index in std::mem::take(&mut self.accepted) {
                    self.settle(index, &reply);
                }
                self.transaction.clear();
                self.next_transaction_or_quit();
            }
            Awaiting::Rset => self.start_transaction(),
            Awaiting::Wake if positive => {
                self.kept = Kept::Ready;
                self.flush();
                self.events.push_back(Event::Ready);
            }
            Awaiting::Wake => {
                self.kept = Kept::No;
                self.send_quit();
            }
            Awaiting::Quit => self.finish(None),
            Awaiting::Greeting => self.refused(reply),
        }
    }

    /// After EHLO or HELO: TLS, then AUTH, then the mail.
    fn after_hello(&mut self) {
        let offered = self.capabilities.starttls;
        match self.config.tls {
            _ if self.tls => self.after_tls_decision(),
            TlsPolicy::Required if !offered => self.fail(SessionFailure::Tls(
                "TLS is required but the server does not offer STARTTLS".into(),
            )),
            TlsPolicy::Required | TlsPolicy::Opportunistic if offered => {
                self.command(&Command::StartTls, Awaiting::StartTls)
            }
            _ => self.after_tls_decision(),
        }
    }

    fn after_tls_decision(&mut self) {
        if self.config.credentials.is_some() && !self.authenticated {
            return self.start_auth();
        }
        self.start_transaction();
    }

    /// AUTH PLAIN with an initial response, or LOGIN (RFC 4954 §4, RFC 4616).
    fn start_auth(&mut self) {
        use base64::Engine as _;
        if !self.tls && !self.config.auth_without_tls {
            return self.fail(SessionFailure::Tls(
                "AUTH needs TLS, which this session does not have".into(),
            ));
        }
        let Some((username, password)) = self.config.credentials.clone() else {
            return self.start_transaction();
        };
        let engine = base64::engine::general_purpose::STANDARD;
        let offered = |mechanism: &str| {
            self.capabilities
                .auth
                .iter()
                .any(|offered| offered == mechanism)
        };
        if offered("PLAIN") {
            let response = engine.encode(format!("\0{username}\0{password}"));
            self.auth_step = 0;
            self.send_line(&format!("AUTH PLAIN {response}"), Awaiting::Auth);
        } else if offered("LOGIN") {
            self.auth_step = 1;
            self.send_line("AUTH LOGIN", Awaiting::Auth);
        } else {
            self.fail(SessionFailure::Policy(build(
                code!(530),
                (7, 0),
                "no AUTH mechanism in common",
            )));
        }
    }

    fn auth_reply(&mut self, reply: Reply) {
        use base64::Engine as _;
        let engine = base64::engine::general_purpose::STANDARD;
        match reply.code().value() {
            235 => {
                self.authenticated = true;
                self.start_transaction();
            }
            334 if (1..=2).contains(&self.auth_step) => {
                let Some((username, password)) = self.config.credentials.clone() else {
                    return self.fail(SessionFailure::Protocol("unexpected AUTH challenge".into()));
                };
                let answer = if self.auth_step == 1 {
                    username
                } else {
                    password
                };
                self.auth_step += 1;
                let line = engine.encode(answer);
                self.send_line(&line, Awaiting::Auth);
            }
            _ => self.refused(reply),
        }
    }

    /// Starts a transaction for the recipients not yet settled, or quits.
    fn start_transaction(&mut self) {
        let pending: Vec<usize> = (0..self.recipients.len())
            .filter(|&index| {
                self.recipients
                    .get(index)
                    .is_some_and(|(_, delivery)| delivery.is_none())
            })
            .collect();
        if pending.is_empty() {
            return self.end_message();
        }
        if let Some(reply) = self.unsendable() {
            for index in pending {
                self.settle(index, &reply);
            }
            return self.end_message();
        }
        let limit = self.capabilities.rcpt_max.unwrap_or(usize::MAX);
        self.transaction = pending.into_iter().take(limit).collect();
        self.accepted.clear();
        let parameters = self.mail_parameters();
        let mail = Command::Mail {
            reverse_path: self.reverse_path.clone(),
            parameters,
        };
        self.command(&mail, Awaiting::Mail);
        if self.capabilities.pipelining {
            // RFC 2920 §3: MAIL, every RCPT and DATA in one batch.
            for index in self.transaction.clone() {
                self.send_rcpt(index);
            }
            if !self.use_chunking() {
                self.command(&Command::Data, Awaiting::Data);
            }
        }
    }

    /// A reason the message cannot go to this server at all, checked before MAIL.
    fn unsendable(&self) -> Option<Reply> {
        let offered = &self.capabilities;
        let utf8_addresses = !self.reverse_path.is_ascii()
            || self
                .recipients
                .iter()
                .any(|(recipient, _)| !recipient.forward_path.is_ascii());
        if offered
            .size_limit()
            .is_some_and(|limit| self.message.size > limit)
        {
            return Some(build(
                code!(552),
                (3, 4),
                "message larger than the server's SIZE",
            ));
        }
        if utf8_addresses && !offered.smtputf8 {
            return Some(build(
                code!(553),
                (6, 7),
                "non-ASCII addresses and the server lacks SMTPUTF8",
            ));
        }
        match self.message.body {
            Body::EightBitMime if !offered.eight_bit_mime => Some(build(
                code!(554),
                (6, 3),
                "8-bit content and the server lacks 8BITMIME",
            )),
            Body::BinaryMime if !(offered.binary_mime && offered.chunking) => Some(build(
                code!(554),
                (6, 3),
                "binary content and the server lacks BINARYMIME with CHUNKING",
            )),
            _ => None,
        }
    }

    fn use_chunking(&self) -> bool {
        self.capabilities.chunking
            && (self.config.prefer_chunking || self.message.body == Body::BinaryMime)
    }

    /// The MAIL parameters: the host's, with SIZE, BODY and SMTPUTF8 as offered.
    fn mail_parameters(&self) -> MailParameters {
        let offered = &self.capabilities;
        let mut parameters = self.base_parameters.clone();
        if !offered.dsn {
            parameters.ret = None;
            parameters.envid = None;
        }
        parameters.size = offered.size.map(|_| self.message.size);
        parameters.body = match self.message.body {
            Body::SevenBit => None,
            body => Some(body),
        };
        parameters.smtputf8 = offered.smtputf8
            && (!self.reverse_path.is_ascii()
                || self
                    .recipients
                    .iter()
                    .any(|(recipient, _)| !recipient.forward_path.is_ascii()));
        parameters
    }

    fn after_mail(&mut self) {
        let first = self.transaction.first().copied();
        if let (false, Some(first)) = (self.capabilities.pipelining, first) {
            self.send_rcpt(first);
        }
    }

    fn send_rcpt(&mut self, index: usize) {
        let Some((recipient, _)) = self.recipients.get(index) else {
            return;
        };
        let mut recipient = recipient.clone();
        if !self.capabilities.dsn {
            recipient.parameters = Default::default();
        }
        let command = Command::Rcpt {
            forward_path: recipient.forward_path,
            parameters: recipient.parameters,
        };
        self.command(&command, Awaiting::Rcpt(index));
    }

    fn rcpt_reply(&mut self, index: usize, reply: Reply) {
        let too_many = reply.code().value() == 452;
        match reply.code().class() {
            ReplyClass::PositiveCompletion => self.accepted.push(index),
            // 452: too many recipients; this one waits for the next transaction
            // (§4.5.3.1.10), and so do the ones not yet sent.
            _ if too_many => self.deferred.push((index, reply)),
            _ => self.settle(index, &reply),
        }
        let next = if self.capabilities.pipelining || too_many {
            None
        } else {
            self.transaction
                .iter()
                .copied()
                .find(|&other| other > index)
        };
        let replies_pending = self
            .awaiting
            .iter()
            .any(|(awaiting, _)| matches!(awaiting, Awaiting::Rcpt(_)));
        match next {
            Some(next) => self.send_rcpt(next),
            None if replies_pending => {}
            // With DATA pipelined, its reply decides what comes next.
            None if self.capabilities.pipelining && !self.use_chunking() => {}
            None if self.accepted.is_empty() => self.next_transaction_or_quit(),
            None if self.use_chunking() => self.open_stream(false),
            None => self.command(&Command::Data, Awaiting::Data),
        }
    }

    /// Asks the host for the message: after DATA's 354 (`stuffing`), or for BDAT chunks.
    fn open_stream(&mut self, stuffing: bool) {
        self.chunked = !stuffing;
        self.encoder = Some(Encoder::new(stuffing, self.config.bare_line_endings));
        self.streaming = Streaming::Open;
        self.flush();
        self.events.push_back(Event::SendMessage);
    }

    fn send_content(&mut self, encoded: Vec<u8>, last: bool) {
        if self.chunked {
            if encoded.is_empty() && !last {
                return;
            }
            let header = format!(
                "BDAT {}{}\r\n",
                encoded.len(),
                if last { " LAST" } else { "" }
            );
            self.output.extend_from_slice(header.as_bytes());
            self.output.extend_from_slice(&encoded);
            self.expect(Awaiting::Chunk { last });
        } else {
            self.output.extend_from_slice(&encoded);
            if last {
                self.output.extend_from_slice(b".\r\n");
                self.expect(Awaiting::DataEnd);
            }
        }
    }

    /// A message with a bare line ending under the Reject policy: stop without ending the
    /// data, so the server never takes a partial message.
    fn refuse_content(&mut self) {
        let reply = build(code!(554), (6, 0), "message holds a bare CR or LF");
        for index in std::mem::take(&mut self.accepted) {
            self.settle(index, &reply);
        }
        for index in self.transaction.clone() {
            self.settle(index, &reply);
        }
        self.fail(SessionFailure::Protocol(
            "message refused before sending: bare CR or LF".into(),
        ));
    }

    fn next_transaction_or_quit(&mut self) {
        self.streaming = Streaming::Idle;
        self.encoder = None;
        self.chunked = false;
        self.transaction.clear();
        // Put-off recipients wait for another transaction only if this one settled
        // someone; a server that puts off every recipient gets no endless loop.
        let progress = std::mem::take(&mut self.settled_in_transaction);
        for (index, reply) in std::mem::take(&mut self.deferred) {
            if !progress {
                self.settle(index, &reply);
            }
        }
        self.accepted.clear();
        let more = self
            .recipients
            .iter()
            .any(|(_, delivery)| delivery.is_none());
        if more {
            self.command(&Command::Rset, Awaiting::Rset);
        } else {
            self.end_message();
        }
    }

    /// Every recipient is settled: QUIT, or keep the connection (and give the outcome
    /// now) under [`ClientConfig::keep_open`] when the session itself did not fail.
    fn end_message(&mut self) {
        if self.config.keep_open && self.failure.is_none() && self.kept == Kept::No {
            self.kept = Kept::Parked;
            let outcome = self.outcome(None);
            self.flush();
            self.events.push_back(Event::Done(outcome));
            return;
        }
        self.send_quit();
    }

    fn send_quit(&mut self) {
        if !self
            .awaiting
            .iter()
            .any(|(awaiting, _)| *awaiting == Awaiting::Quit)
        {
            self.command(&Command::Quit, Awaiting::Quit);
        }
    }

    fn send_ehlo(&mut self) {
        self.command(
            &Command::Ehlo(Host::Domain(self.config.hostname.clone())),
            Awaiting::Ehlo,
        );
    }

    /// Sends a command; one holding CR, LF or NUL in an argument is never sent.
    fn command(&mut self, command: &Command, awaiting: Awaiting) {
        self.send_line(&command.to_string(), awaiting);
    }

    fn send_line(&mut self, line: &str, awaiting: Awaiting) {
        if line.bytes().any(|byte| matches!(byte, b'\r' | b'\n' | 0)) {
            return self.fail(SessionFailure::Protocol(
                "a command argument holds CR, LF or NUL; nothing was sent".into(),
            ));
        }
        self.output.extend_from_slice(line.as_bytes());
        self.output.extend_from_slice(b"\r\n");
        self.expect(awaiting);
    }

    fn send(&mut self, bytes: Vec<u8>) {
        self.output.extend(bytes);
    }

    fn expect(&mut self, awaiting: Awaiting) {
        self.awaiting.push_back((awaiting, self.now));
    }

    /// The server refused the session (greeting, EHLO, AUTH): every recipient not yet
    /// settled takes the reply's class.
    fn refused(&mut self, reply: Reply) {
        for index in 0..self.recipients.len() {
            self.settle(index, &reply);
        }
        self.failure = Some(SessionFailure::Policy(reply));
        self.end_message();
    }

    /// Records a recipient's fate from a reply, once.
    fn settle(&mut self, index: usize, reply: &Reply) {
        let Some((_, delivery)) = self.recipients.get_mut(index) else {
            return;
        };
        if delivery.is_some() {
            return;
        }
        self.settled_in_transaction = true;
        *delivery = Some(match reply.code().class() {
            ReplyClass::PositiveCompletion => Delivery::Delivered(reply.clone()),
            ReplyClass::PermanentNegative => Delivery::Permanent(reply.clone()),
            _ => Delivery::Temporary(reply.clone()),
        });
    }

    /// Ends the session at once: everything undecided is a temporary failure, whose
    /// reply says why (it reaches logs and, if it persists, the DSN). TLS that was
    /// required and could not be had is 4.7.10, "encryption needed" (RFC 5248).
    fn fail(&mut self, failure: SessionFailure) {
        let detail = match &failure {
            SessionFailure::Tls(_) => (7, 10),
            _ => (4, 0),
        };
        let reply = build(
            code!(451),
            detail,
            &format!("session ended before delivery: {failure}"),
        );
        for index in 0..self.recipients.len() {
            self.settle(index, &reply);
        }
        self.finish(Some(failure));
    }

    fn finish(&mut self, failure: Option<SessionFailure>) {
        if self.finished {
            return;
        }
        self.finished = true;
        let failure = failure.or(self.failure.take());
        self.flush();
        self.events.push_back(Event::Close);
        // A kept session gave its outcome when its message was done.
        if !self.reported {
            let outcome = self.outcome(failure);
            self.events.push_back(Event::Done(outcome));
        }
        self.awaiting.clear();
    }

    /// What became of every recipient, given once.
    fn outcome(&mut self, failure: Option<SessionFailure>) -> Outcome {
        self.reported = true;
        let recipients = std::mem::take(&mut self.recipients)
            .into_iter()
            .map(|(recipient, delivery)| {
                let delivery = delivery.unwrap_or_else(|| {
                    Delivery::Temporary(build(code!(451), (4, 0), "session ended before delivery"))
                });
                (recipient, delivery)
            })
            .collect();
        Outcome {
            recipients,
            failure,
        }
    }

    fn flush(&mut self) {
        if !self.output.is_empty() {
            self.events
                .push_back(Event::Output(std::mem::take(&mut self.output)));
        }
    }
}

fn malformed(error: &ReplyParseError) -> String {
    format!("malformed reply: {error}")
}

#[cfg(test)]
mod tests;
