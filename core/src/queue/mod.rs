//! Delivery bookkeeping across attempts: when to try again, and when to give up.
//! The clock is passed in ([`UnixTime`]), so a simulation can run days in a moment.

pub mod dsn;
mod schedule;

pub use schedule::{RetrySchedule, Rule};

use crate::client::Delivery;
use crate::time::UnixTime;

/// Where one recipient of a queued message stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecipientState {
    /// Waiting for an attempt at or after this time.
    Pending { next_attempt: UnixTime },
    /// Delivered; the reply that took it.
    Delivered(Delivery),
    /// Given up: a permanent failure, or temporary ones past the schedule's lifetime.
    Failed(Delivery),
}

/// A recipient's history in the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecipientRecord {
    pub state: RecipientState,
    /// When the message was queued for this recipient.
    pub queued: UnixTime,
    /// Attempts made so far.
    pub attempts: u32,
    /// The last temporary failure, for delay reports and the final bounce.
    pub last_failure: Option<Delivery>,
}

impl RecipientRecord {
    /// A recipient queued at `now`, to be tried at once.
    pub fn new(now: UnixTime) -> Self {
        Self {
            state: RecipientState::Pending { next_attempt: now },
            queued: now,
            attempts: 0,
            last_failure: None,
        }
    }

    /// Records the outcome of an attempt made at `now`.
    pub fn record(&mut self, outcome: Delivery, now: UnixTime, schedule: &RetrySchedule) {
        self.attempts += 1;
        self.state = match outcome {
            Delivery::Delivered(_) => RecipientState::Delivered(outcome),
            Delivery::Permanent(_) => RecipientState::Failed(outcome),
            Delivery::Temporary(_) => match schedule.next_attempt(self.queued, now) {
                Some(next_attempt) => {
                    self.last_failure = Some(outcome);
                    RecipientState::Pending { next_attempt }
                }
                None => RecipientState::Failed(outcome),
            },
        };
    }

    /// Whether an attempt is due at `now`.
    pub fn due(&self, now: UnixTime) -> bool {
        matches!(self.state, RecipientState::Pending { next_attempt } if next_attempt <= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::build;
    use core::time::Duration;

    const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);

    #[test]
    fn temporary_failures_retry_until_the_lifetime_then_fail() {
        let schedule = RetrySchedule::postfix();
        let mut record = RecipientRecord::new(T0);
        assert!(record.due(T0));
        let temporary = Delivery::Temporary(build(451, (3, 0), "later"));
        record.record(temporary.clone(), T0, &schedule);
        assert_eq!(
            record.state,
            RecipientState::Pending {
                next_attempt: T0.after(Duration::from_secs(300))
            }
        );
        assert!(!record.due(T0.after(Duration::from_secs(299))));
        let six_days = T0.after(Duration::from_secs(6 * 86_400));
        record.record(temporary.clone(), six_days, &schedule);
        assert_eq!(record.state, RecipientState::Failed(temporary));
        assert_eq!(record.attempts, 2);
    }

    #[test]
    fn permanent_failure_and_delivery_end_at_once() {
        let schedule = RetrySchedule::postfix();
        let mut record = RecipientRecord::new(T0);
        let permanent = Delivery::Permanent(build(550, (1, 1), "no such user"));
        record.record(permanent.clone(), T0, &schedule);
        assert_eq!(record.state, RecipientState::Failed(permanent));
        let mut record = RecipientRecord::new(T0);
        let delivered = Delivery::Delivered(build(250, (0, 0), "ok"));
        record.record(delivered.clone(), T0, &schedule);
        assert_eq!(record.state, RecipientState::Delivered(delivered));
    }
}
