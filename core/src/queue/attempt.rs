//! One delivery attempt for a queued message, as a sans-I/O state machine shaped like
//! [`RoutePlanner`](crate::route::RoutePlanner): [`Attempt::step`] says what it needs,
//! the host does it and answers; the attempt keeps every delivery decision.
//!
//! The due recipients are grouped by domain. For each domain the host plans the route
//! (or delivers locally); the targets are tried in order, and only a failure of the
//! host itself (no connection, a refused greeting, a broken session) moves the
//! recipients it left on to the next target (RFC 5321 §5.1). Each recipient's outcome
//! is recorded against its position in the envelope, with the retry schedule for
//! temporary failures (RFC 5321 §4.5.4.1).
//!
//! ```
//! use wasmtp_core::client::{ClientConfig, Delivery};
//! use wasmtp_core::envelope::Recipient;
//! use wasmtp_core::queue::attempt::{Attempt, ConnectFailure, Need, Routing};
//! use wasmtp_core::queue::{QueuedMessage, RetrySchedule};
//! use wasmtp_core::route::Target;
//! use wasmtp_core::syntax::{Domain, ForwardPath, MailParameters, Mailbox, ReversePath};
//! use wasmtp_core::time::UnixTime;
//!
//! let now = UnixTime::from_millis(1_795_860_000_000);
//! let bob = Recipient {
//!     forward_path: ForwardPath::Mailbox(Mailbox::parse("bob@b.example").unwrap()),
//!     parameters: Default::default(),
//! };
//! let sender = ReversePath::Mailbox(Mailbox::parse("alice@a.example").unwrap());
//! let message =
//!     QueuedMessage::new("q1".into(), sender, &MailParameters::default(), vec![bob], now);
//! let client = ClientConfig::new(Domain::parse("mx.a.example").unwrap());
//! let content = b"Subject: hi\r\n\r\nhi\r\n";
//! let mut attempt = Attempt::new(message, client, RetrySchedule::postfix(), content, now);
//! let target = Target {
//!     host: "mx.b.example".into(),
//!     preference: 10,
//!     address: "192.0.2.25".parse().unwrap(),
//!     port: 25,
//! };
//! loop {
//!     match attempt.step() {
//!         Need::Route { .. } => attempt.routed(Routing::Targets(vec![target.clone()]), now),
//!         // Nobody answers: the recipient waits for the next try.
//!         Need::Connect(_) => attempt.connected(Err(ConnectFailure::Refused), now),
//!         Need::Session { .. } => unreachable!("never connected"),
//!         Need::Done => break,
//!     }
//!     .unwrap();
//! }
//! let (message, _) = attempt.finish();
//! let record = &message.recipients[0].record;
//! assert_eq!(record.describe(), "deferred");
//! assert_eq!(message.next_attempt(), Some(now.after(std::time::Duration::from_secs(300))));
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use crate::client::{ClientConfig, ClientSession, Delivery, MessageInfo, Outcome};
use crate::code;
use crate::envelope::Recipient;
use crate::reply::{Reply, build};
use crate::route::Target;
use crate::syntax::{ForwardPath, Host};
use crate::time::UnixTime;

use super::{QueuedMessage, RetrySchedule};

/// What the attempt asks of its host next.
#[derive(Debug)]
#[must_use = "an attempt only moves on when its need is answered"]
pub enum Need {
    /// Plan the route to `destination` (a domain or an address literal) for these
    /// recipients, with a [`RoutePlanner`](crate::route::RoutePlanner), or deliver them
    /// here; answer with [`Attempt::routed`].
    Route {
        destination: Host,
        recipients: Vec<Recipient>,
    },
    /// Open a connection to the target; answer with [`Attempt::connected`].
    Connect(Target),
    /// Run this client session over the connection just opened, streaming the message
    /// when it asks, to its outcome; answer with [`Attempt::session_ended`]. The
    /// target's host is the name a certificate must match (RFC 3207, RFC 7672).
    Session {
        target: Target,
        session: Box<ClientSession>,
    },
    /// The attempt is over: take the records with [`Attempt::finish`].
    Done,
}

/// The host's answer to [`Need::Route`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Routing {
    /// The hosts to try, in order.
    Targets(Vec<Target>),
    /// No route: this reply for every recipient of the domain.
    Failed(Reply),
    /// The domain is this host's: it delivered the recipients itself, with these
    /// outcomes, in the order asked.
    Local(Vec<Delivery>),
}

/// Why a connection could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectFailure {
    /// The peer refused it (nothing listens).
    Refused,
    /// No answer in time.
    TimedOut,
    /// Another error, in the host's words.
    Other(String),
}

/// `connection refused`, `timed out`, or the host's words, for logs.
impl fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused => f.write_str("connection refused"),
            Self::TimedOut => f.write_str("timed out"),
            Self::Other(error) => f.write_str(error),
        }
    }
}

impl ConnectFailure {
    /// The reply recorded for the recipients: RFC 3463's X.4.1, "no answer from host",
    /// covers a connection that was never established, whatever the cause (X.4.2 is
    /// for one that broke after it was).
    fn reply(&self, target: &Target) -> Reply {
        let place = format!("{} ({}:{})", target.host, target.address, target.port);
        let text = match self {
            Self::Refused => format!("connection to {place} refused"),
            Self::TimedOut => format!("connection to {place} timed out"),
            Self::Other(error) => format!("cannot connect to {place}: {error}"),
        };
        build(code!(451), (4, 1), &text)
    }
}

/// An answer that was not asked for: the attempt is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAsked {
    /// What the attempt was waiting for instead.
    pub expected: &'static str,
}

impl fmt::Display for NotAsked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "answer not asked for: the attempt waits for {}",
            self.expected
        )
    }
}

impl std::error::Error for NotAsked {}

/// Where the attempt stands.
#[derive(Debug)]
enum State {
    /// Take the next domain.
    Idle,
    /// Waiting for the route to the current domain.
    Routing,
    /// Waiting for a connection to `targets[0]`.
    Connecting,
    /// Waiting for the session with `targets[0]`, connected at this time.
    Conversing {
        since: UnixTime,
    },
    Done,
}

/// One delivery attempt for the due recipients of a queued message.
#[derive(Debug)]
pub struct Attempt {
    message: QueuedMessage,
    client: ClientConfig,
    schedule: RetrySchedule,
    info: MessageInfo,
    /// The destinations still to do, each with the positions of its due recipients.
    destinations: VecDeque<Vec<usize>>,
    /// The current destination's recipients not yet decided.
    remaining: Vec<usize>,
    /// The current domain's targets not yet tried.
    targets: VecDeque<Target>,
    /// Why the last target failed, for recipients no target took.
    last_failure: Reply,
    state: State,
    /// Positions recorded in this attempt, in order.
    recorded: Vec<usize>,
    /// When the attempt began.
    started: UnixTime,
}

impl Attempt {
    /// An attempt at `now` for `message`, whose content is `content` (for its size and
    /// body type; the host streams it), sent as `client` says and retried on `schedule`.
    pub fn new(
        message: QueuedMessage,
        client: ClientConfig,
        schedule: RetrySchedule,
        content: &[u8],
        now: UnixTime,
    ) -> Self {
        Self::with_info(
            message,
            client,
            schedule,
            MessageInfo::of_text(content),
            now,
        )
    }

    /// [`Attempt::new`] for a message whose content the host does not hold in memory:
    /// its size and body type, as the host measured them.
    pub fn with_info(
        message: QueuedMessage,
        client: ClientConfig,
        schedule: RetrySchedule,
        info: MessageInfo,
        now: UnixTime,
    ) -> Self {
        // Domains compare without case (RFC 5321 §2.4).
        let mut by_destination: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (position, queued) in message.recipients.iter().enumerate() {
            if queued.record.due(now)
                && let Some(host) = destination(&queued.recipient)
            {
                by_destination
                    .entry(host.to_string().to_ascii_lowercase())
                    .or_default()
                    .push(position);
            }
        }
        Self {
            message,
            client,
            schedule,
            info,
            destinations: by_destination.into_values().collect(),
            remaining: Vec::new(),
            targets: VecDeque::new(),
            last_failure: no_route(),
            state: State::Idle,
            recorded: Vec::new(),
            started: now,
        }
    }

    /// Every due recipient through these hosts, in one group and without routing: a
    /// smarthost (the relay a submission client or an edge hands all mail to).
    #[must_use]
    pub fn through(mut self, targets: Vec<Target>) -> Self {
        let mut positions: Vec<usize> = self.destinations.drain(..).flatten().collect();
        positions.sort_unstable();
        self.remaining = positions;
        self.targets = targets.into();
        self.state = State::Connecting;
        if self.targets.is_empty() {
            self.give_up(self.started);
        }
        self
    }

    /// What to do next. A need repeats until it is answered.
    pub fn step(&mut self) -> Need {
        match self.state {
            State::Idle => self.next_destination(),
            State::Routing => self.route_need(),
            State::Connecting => match self.targets.front() {
                Some(target) => Need::Connect(target.clone()),
                None => self.next_destination(),
            },
            // Asked again before the outcome came: the same session, afresh.
            State::Conversing { since } => match self.targets.front() {
                Some(target) => Need::Session {
                    target: target.clone(),
                    session: Box::new(self.session(since)),
                },
                None => self.next_destination(),
            },
            State::Done => Need::Done,
        }
    }

    fn next_destination(&mut self) -> Need {
        match self.destinations.pop_front() {
            Some(positions) => {
                self.remaining = positions;
                self.targets.clear();
                self.last_failure = no_route();
                self.state = State::Routing;
                self.route_need()
            }
            None => {
                self.state = State::Done;
                Need::Done
            }
        }
    }

    fn route_need(&self) -> Need {
        let recipients: Vec<Recipient> = self.remaining_recipients().cloned().collect();
        match recipients.first().and_then(destination).cloned() {
            Some(destination) => Need::Route {
                destination,
                recipients,
            },
            None => Need::Done,
        }
    }

    fn remaining_recipients(&self) -> impl Iterator<Item = &Recipient> {
        self.remaining.iter().filter_map(|&position| {
            self.message
                .recipients
                .get(position)
                .map(|queued| &queued.recipient)
        })
    }

    /// The answer to [`Need::Route`], at `now`.
    pub fn routed(&mut self, routing: Routing, now: UnixTime) -> Result<(), NotAsked> {
        self.expect(matches!(self.state, State::Routing))?;
        match routing {
            Routing::Targets(targets) => {
                self.targets = targets.into();
                self.state = State::Connecting;
                if self.targets.is_empty() {
                    self.give_up(now);
                }
            }
            Routing::Failed(reply) => {
                let outcome = Delivery::of_refusal(reply);
                for position in std::mem::take(&mut self.remaining) {
                    self.record(position, outcome.clone(), None, now);
                }
                self.state = State::Idle;
            }
            Routing::Local(outcomes) => {
                let mut outcomes = outcomes.into_iter();
                for position in std::mem::take(&mut self.remaining) {
                    let outcome = outcomes.next().unwrap_or_else(|| {
                        Delivery::Temporary(build(
                            code!(451),
                            (3, 0),
                            "local delivery gave no answer",
                        ))
                    });
                    self.record(position, outcome, None, now);
                }
                self.state = State::Idle;
            }
        }
        Ok(())
    }

    /// The answer to [`Need::Connect`], at `now`: the session follows, or the next
    /// target.
    pub fn connected(
        &mut self,
        result: Result<(), ConnectFailure>,
        now: UnixTime,
    ) -> Result<(), NotAsked> {
        self.expect(matches!(self.state, State::Connecting))?;
        match result {
            Ok(()) => self.state = State::Conversing { since: now },
            Err(failure) => {
                if let Some(target) = self.targets.pop_front() {
                    self.last_failure = failure.reply(&target);
                }
                self.next_target(now);
            }
        }
        Ok(())
    }

    /// The answer to [`Need::Session`]: the session's outcome, at `now`. Outcomes are
    /// matched to recipients by position; a host-level failure leaves the recipients
    /// it did not settle for the next target (RFC 5321 §5.1).
    pub fn session_ended(&mut self, outcome: Outcome, now: UnixTime) -> Result<(), NotAsked> {
        self.expect(matches!(self.state, State::Conversing { .. }))?;
        let host_failed = outcome.host_failed();
        let remote = self.targets.pop_front().map(|target| target.host);
        // A recipient the session gave no outcome for: the connection broke (X.4.2).
        let cause = outcome
            .failure
            .as_ref()
            .map_or_else(|| "no outcome".to_owned(), ToString::to_string);
        let unsettled = build(
            code!(451),
            (4, 2),
            &format!("the session ended early: {cause}"),
        );
        let mut outcomes = outcome.recipients.into_iter().map(|(_, delivery)| delivery);
        let mut still = Vec::new();
        for position in std::mem::take(&mut self.remaining) {
            match outcomes.next() {
                Some(Delivery::Temporary(reply)) if host_failed => {
                    self.last_failure = reply;
                    still.push(position);
                }
                Some(delivery) => self.record(position, delivery, remote.clone(), now),
                None => {
                    self.last_failure = unsettled.clone();
                    still.push(position);
                }
            }
        }
        self.remaining = still;
        self.next_target(now);
        Ok(())
    }

    /// The records as they stand, and the positions this attempt recorded, in order.
    pub fn finish(self) -> (QueuedMessage, Vec<usize>) {
        (self.message, self.recorded)
    }

    fn next_target(&mut self, now: UnixTime) {
        if self.remaining.is_empty() {
            self.state = State::Idle;
        } else if self.targets.is_empty() {
            self.give_up(now);
        } else {
            self.state = State::Connecting;
        }
    }

    /// No target took the rest: they wait, with the last target's failure.
    fn give_up(&mut self, now: UnixTime) {
        let outcome = Delivery::Temporary(self.last_failure.clone());
        for position in std::mem::take(&mut self.remaining) {
            self.record(position, outcome.clone(), None, now);
        }
        self.state = State::Idle;
    }

    fn record(
        &mut self,
        position: usize,
        outcome: Delivery,
        remote: Option<String>,
        now: UnixTime,
    ) {
        if let Some(queued) = self.message.recipients.get_mut(position) {
            queued.record.record(outcome, remote, now, &self.schedule);
            self.recorded.push(position);
        }
    }

    /// A client session for the remaining recipients.
    fn session(&self, now: UnixTime) -> ClientSession {
        ClientSession::new(
            self.client.clone(),
            self.message.reverse_path.clone(),
            self.message.parameters.clone(),
            self.remaining_recipients().cloned().collect(),
            self.info.clone(),
            now,
        )
    }

    fn expect(&self, asked: bool) -> Result<(), NotAsked> {
        if asked {
            return Ok(());
        }
        let expected = match self.state {
            State::Idle | State::Done => "nothing (call `step`)",
            State::Routing => "a route",
            State::Connecting => "a connection",
            State::Conversing { .. } => "a session's outcome",
        };
        Err(NotAsked { expected })
    }
}

/// Where a recipient's mail goes: its mailbox's domain or address literal. The bare
/// `Postmaster` is always this host's own (RFC 5321 §4.1.1.3) and never relayed.
fn destination(recipient: &Recipient) -> Option<&Host> {
    match &recipient.forward_path {
        ForwardPath::Mailbox(mailbox) => Some(&mailbox.host),
        ForwardPath::Postmaster => None,
    }
}

/// RFC 3463 X.4.4, "unable to route": the reply when a route had no hosts at all.
fn no_route() -> Reply {
    build(code!(451), (4, 4), "no mail host could be reached")
}

#[cfg(test)]
mod tests;
