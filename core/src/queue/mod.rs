//! Delivery bookkeeping across attempts: the queued message and each recipient's record
//! (what a host persists), when to try again and when to give up, the delivery attempt
//! itself ([`attempt::Attempt`]) and the bounce that reports failures (RFC 3464).
//! The clock is passed in ([`UnixTime`]), so a simulation can run days in a moment.

pub mod attempt;
pub mod dsn;
mod schedule;

pub use schedule::{RetrySchedule, Rule};

use crate::client::Delivery;
use crate::envelope::Recipient;
use crate::syntax::{MailParameters, ReversePath};
use crate::time::UnixTime;
use dsn::{Action, Dsn, RecipientReport, Report};

/// Where one recipient of a queued message stands.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
pub enum RecipientState {
    /// Waiting for an attempt at or after this time.
    Pending { next_attempt: UnixTime },
    /// Delivered; the reply that took it.
    Delivered { outcome: Delivery },
    /// Given up: a permanent failure, or temporary ones past the schedule's lifetime.
    Failed { outcome: Delivery },
}

/// A recipient's history in the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RecipientRecord {
    pub state: RecipientState,
    /// When the message was queued for this recipient.
    pub queued: UnixTime,
    /// Attempts made so far.
    pub attempts: u32,
    /// The last temporary failure, for delay reports and the final bounce.
    pub last_failure: Option<Delivery>,
    /// The host whose reply decided the last attempt (none: this host decided).
    pub remote: Option<String>,
    /// A failure already reported to the sender in a DSN.
    pub reported: bool,
}

impl RecipientRecord {
    /// A recipient queued at `now`, to be tried at once.
    pub fn new(now: UnixTime) -> Self {
        Self {
            state: RecipientState::Pending { next_attempt: now },
            queued: now,
            attempts: 0,
            last_failure: None,
            remote: None,
            reported: false,
        }
    }

    /// Records the outcome of an attempt made at `now`, decided by `remote`.
    pub fn record(
        &mut self,
        outcome: Delivery,
        remote: Option<String>,
        now: UnixTime,
        schedule: &RetrySchedule,
    ) {
        self.attempts += 1;
        self.remote = remote;
        self.state = match outcome {
            Delivery::Delivered(_) => RecipientState::Delivered { outcome },
            Delivery::Permanent(_) => RecipientState::Failed { outcome },
            Delivery::Temporary(_) => match schedule.next_attempt(self.queued, now) {
                Some(next_attempt) => {
                    self.last_failure = Some(outcome);
                    RecipientState::Pending { next_attempt }
                }
                None => RecipientState::Failed { outcome },
            },
        };
    }

    /// Whether an attempt is due at `now`.
    pub fn due(&self, now: UnixTime) -> bool {
        matches!(self.state, RecipientState::Pending { next_attempt } if next_attempt <= now)
    }

    /// When the next attempt is due, while one is.
    pub fn next_attempt(&self) -> Option<UnixTime> {
        match self.state {
            RecipientState::Pending { next_attempt } => Some(next_attempt),
            _ => None,
        }
    }

    /// `pending`, `delivered`, `failed`, or `expired` (failed after only temporary
    /// failures, past the schedule's lifetime): the word logs use.
    pub fn describe(&self) -> &'static str {
        match &self.state {
            RecipientState::Pending { .. } => "deferred",
            RecipientState::Delivered { .. } => "delivered",
            RecipientState::Failed {
                outcome: Delivery::Temporary(_),
            } => "expired",
            RecipientState::Failed { .. } => "failed",
        }
    }
}

/// One recipient of a queued message and its record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QueuedRecipient {
    pub recipient: Recipient,
    pub record: RecipientRecord,
}

/// A message waiting for delivery: its envelope and each recipient's record, in the
/// envelope's order (a recipient given twice is two positions, each delivered once).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QueuedMessage {
    pub id: String,
    pub reverse_path: ReversePath,
    /// ENVID and RET (RFC 3461), for the DSNs; nothing else of MAIL's parameters is kept.
    pub parameters: MailParameters,
    pub arrival: UnixTime,
    pub recipients: Vec<QueuedRecipient>,
}

/// The failures of a queued message not yet reported, and the report to send for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounce {
    positions: Vec<usize>,
    /// The DSN to the sender; `None` when nobody is to get one (the null reverse path,
    /// RFC 5321 §6.1, or no recipient's NOTIFY asks for it, RFC 3461 §4.1).
    pub dsn: Option<Dsn>,
}

impl QueuedMessage {
    /// A message for `recipients` from `reverse_path`, queued at `now`.
    pub fn new(
        id: String,
        reverse_path: ReversePath,
        parameters: &MailParameters,
        recipients: Vec<Recipient>,
        now: UnixTime,
    ) -> Self {
        Self {
            id,
            reverse_path,
            parameters: MailParameters {
                ret: parameters.ret,
                envid: parameters.envid.clone(),
                ..MailParameters::default()
            },
            arrival: now,
            recipients: recipients
                .into_iter()
                .map(|recipient| QueuedRecipient {
                    recipient,
                    record: RecipientRecord::new(now),
                })
                .collect(),
        }
    }

    /// The earliest attempt still to make.
    pub fn next_attempt(&self) -> Option<UnixTime> {
        self.recipients
            .iter()
            .filter_map(|queued| queued.record.next_attempt())
            .min()
    }

    /// Nothing is left to do: no recipient pending, every failure reported.
    pub fn is_finished(&self) -> bool {
        self.recipients
            .iter()
            .all(|queued| match queued.record.state {
                RecipientState::Pending { .. } => false,
                RecipientState::Delivered { .. } => true,
                RecipientState::Failed { .. } => queued.record.reported,
            })
    }

    /// Whether a failure waits to be reported: a host reads the content for
    /// [`QueuedMessage::bounce`] only then.
    pub fn has_unreported_failures(&self) -> bool {
        self.recipients.iter().any(|queued| {
            matches!(queued.record.state, RecipientState::Failed { .. }) && !queued.record.reported
        })
    }

    /// The report of the failures not yet reported, or `None` when there are none.
    /// `content` is the message as queued (its header goes into the report); mark the
    /// failures reported with [`QueuedMessage::reported`] once the DSN is stored.
    pub fn bounce(&self, reporting_mta: &str, content: &[u8], now: UnixTime) -> Option<Bounce> {
        if !self.has_unreported_failures() {
            return None;
        }
        let mut positions = Vec::new();
        let mut reports = Vec::new();
        for (position, queued) in self.recipients.iter().enumerate() {
            if let RecipientState::Failed { outcome } = &queued.record.state
                && !queued.record.reported
            {
                positions.push(position);
                reports.push(RecipientReport {
                    recipient: queued.recipient.clone(),
                    action: Action::Failed,
                    reply: outcome.reply().clone(),
                    remote_mta: queued.record.remote.clone(),
                    last_attempt: now,
                    will_retry_until: None,
                });
            }
        }
        let dsn = Report {
            reporting_mta,
            queue_id: &self.id,
            reverse_path: &self.reverse_path,
            parameters: &self.parameters,
            arrival: self.arrival,
            now,
            recipients: &reports,
            message: content,
        }
        .build();
        Some(Bounce { positions, dsn })
    }

    /// Marks the failures of `bounce` reported, so no second DSN is made for them.
    pub fn reported(&mut self, bounce: &Bounce) {
        for &position in &bounce.positions {
            if let Some(queued) = self.recipients.get_mut(position) {
                queued.record.reported = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code;
    use crate::reply::build;
    use core::time::Duration;

    const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);

    #[test]
    fn temporary_failures_retry_until_the_lifetime_then_fail() {
        let schedule = RetrySchedule::postfix();
        let mut record = RecipientRecord::new(T0);
        assert!(record.due(T0));
        let temporary = Delivery::Temporary(build(code!(451), (3, 0), "later"));
        record.record(temporary.clone(), None, T0, &schedule);
        assert_eq!(
            record.state,
            RecipientState::Pending {
                next_attempt: T0.after(Duration::from_secs(300))
            }
        );
        assert!(!record.due(T0.after(Duration::from_secs(299))));
        let six_days = T0.after(Duration::from_secs(6 * 86_400));
        record.record(temporary.clone(), None, six_days, &schedule);
        assert_eq!(record.describe(), "expired");
        assert_eq!(record.state, RecipientState::Failed { outcome: temporary });
        assert_eq!(record.attempts, 2);
    }

    #[test]
    fn permanent_failure_and_delivery_end_at_once() {
        let schedule = RetrySchedule::postfix();
        let mut record = RecipientRecord::new(T0);
        let permanent = Delivery::Permanent(build(code!(550), (1, 1), "no such user"));
        record.record(permanent.clone(), Some("mx".into()), T0, &schedule);
        assert_eq!(record.state, RecipientState::Failed { outcome: permanent });
        assert_eq!(record.remote.as_deref(), Some("mx"));
        let mut record = RecipientRecord::new(T0);
        let delivered = Delivery::Delivered(build(code!(250), (0, 0), "ok"));
        record.record(delivered.clone(), None, T0, &schedule);
        assert_eq!(
            record.state,
            RecipientState::Delivered { outcome: delivered }
        );
    }

    fn message(recipients: &[&str]) -> QueuedMessage {
        let recipients = recipients
            .iter()
            .filter_map(|address| crate::syntax::Mailbox::parse(address))
            .map(|mailbox| Recipient {
                forward_path: crate::syntax::ForwardPath::Mailbox(mailbox),
                parameters: Default::default(),
            })
            .collect();
        let sender = crate::syntax::Mailbox::parse("alice@a.test").map(ReversePath::Mailbox);
        QueuedMessage::new(
            "q1".into(),
            sender.unwrap_or(ReversePath::Null),
            &MailParameters::default(),
            recipients,
            T0,
        )
    }

    #[test]
    fn a_failure_is_bounced_once_and_then_the_message_is_finished() {
        let mut queued = message(&["bob@b.test", "carol@c.test"]);
        let schedule = RetrySchedule::postfix();
        let failed = Delivery::Permanent(build(code!(550), (1, 1), "no such user"));
        let delivered = Delivery::Delivered(build(code!(250), (0, 0), "ok"));
        queued.recipients[0]
            .record
            .record(failed, None, T0, &schedule);
        assert!(!queued.is_finished(), "carol is pending");
        let bounce = queued.bounce("mx.a.test", b"Subject: hi\r\n\r\nhi\r\n", T0);
        let bounce = bounce.expect("bob's failure to report");
        let dsn = bounce.dsn.as_ref().expect("a DSN to alice");
        assert!(String::from_utf8_lossy(&dsn.content).contains("bob@b.test"));
        queued.reported(&bounce);
        assert_eq!(queued.bounce("mx.a.test", b"", T0), None, "reported once");
        queued.recipients[1]
            .record
            .record(delivered, None, T0, &schedule);
        assert!(queued.is_finished());
        assert_eq!(queued.next_attempt(), None);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_queued_message_survives_a_json_round_trip() {
        let mut queued = message(&["bob@b.test", "bob@b.test"]);
        let schedule = RetrySchedule::postfix();
        let later = Delivery::Temporary(build(code!(451), (4, 1), "connection to mx refused"));
        queued.recipients[1]
            .record
            .record(later, Some("mx.b.test".into()), T0, &schedule);
        let json = serde_json::to_string(&queued).expect("serializable");
        let back: QueuedMessage = serde_json::from_str(&json).expect("readable");
        assert_eq!(back, queued);
    }
}
