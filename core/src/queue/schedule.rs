//! Retry schedules as data. RFC 5321 §4.5.4.1 asks for at least 30 minutes between
//! tries and 4–5 days before giving up; MTAs differ in the curve between.

use core::time::Duration;

use crate::time::UnixTime;

/// One stretch of an Exim-style schedule, applying while the message is younger than
/// `until`.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// Retry every `interval` (Exim's `F`).
    Fixed { until: Duration, interval: Duration },
    /// Retry after `first`, each wait `factor` times the last (Exim's `G`).
    Geometric {
        until: Duration,
        first: Duration,
        factor: f64,
    },
}

impl Rule {
    fn until(&self) -> Duration {
        match self {
            Self::Fixed { until, .. } | Self::Geometric { until, .. } => *until,
        }
    }
}

/// When to try a temporarily failed delivery again.
#[derive(Clone, Debug, PartialEq)]
pub enum RetrySchedule {
    /// Wait `first`, doubling each time up to `max`; give up once the message is older
    /// than `lifetime` (Postfix's minimal/maximal backoff and queue lifetime).
    Backoff {
        first: Duration,
        max: Duration,
        lifetime: Duration,
    },
    /// Exim's rules, in order; past the last rule's `until`, give up.
    Rules(Vec<Rule>),
    /// Tries at these ages of the message, then give up.
    Custom(Vec<Duration>),
}

impl RetrySchedule {
    /// Postfix-like: 5 minutes, doubling, at most about an hour apart, 5 days in all.
    pub fn postfix() -> Self {
        Self::Backoff {
            first: Duration::from_secs(5 * 60),
            max: Duration::from_secs(4000),
            lifetime: Duration::from_secs(5 * 86_400),
        }
    }

    /// Exim's default: every 15 minutes for 2 hours, then from 1 hour growing by 1.5
    /// up to 16 hours, then every 6 hours up to 4 days.
    pub fn exim() -> Self {
        let hours = |h: u64| Duration::from_secs(h * 3600);
        Self::Rules(vec![
            Rule::Fixed {
                until: hours(2),
                interval: Duration::from_secs(15 * 60),
            },
            Rule::Geometric {
                until: hours(16),
                first: hours(1),
                factor: 1.5,
            },
            Rule::Fixed {
                until: hours(4 * 24),
                interval: hours(6),
            },
        ])
    }

    /// The next attempt for a message queued at `queued` that just failed at `now`, or
    /// `None` when it is time to give up.
    pub fn next_attempt(&self, queued: UnixTime, now: UnixTime) -> Option<UnixTime> {
        let age = now.since(queued);
        let wait = match self {
            Self::Backoff {
                first,
                max,
                lifetime,
            } => {
                if age >= *lifetime {
                    return None;
                }
                // The wait doubles with every attempt: first, 2·first, 4·first, … ≤ max.
                // (At least a second, so a zero in a configuration cannot stall the loop.)
                let mut wait = (*first).max(Duration::from_secs(1));
                let mut elapsed = wait;
                while elapsed <= age && wait < *max {
                    wait = (wait * 2).min(*max);
                    elapsed += wait;
                }
                wait
            }
            Self::Rules(rules) => {
                let rule = rules.iter().find(|rule| age < rule.until())?;
                match rule {
                    Rule::Fixed { interval, .. } => *interval,
                    Rule::Geometric { first, factor, .. } => {
                        let start = rules
                            .iter()
                            .take_while(|other| !core::ptr::eq(*other, rule))
                            .map(Rule::until)
                            .max()
                            .unwrap_or_default();
                        let second = Duration::from_secs(1);
                        let mut wait = (*first).max(second);
                        let mut elapsed = start + wait;
                        while elapsed <= age {
                            wait = wait.mul_f64(*factor).max(second);
                            elapsed += wait;
                        }
                        wait
                    }
                }
            }
            Self::Custom(ages) => {
                return ages
                    .iter()
                    .find(|&&at| at > age)
                    .map(|&at| queued.after(at));
            }
        };
        Some(now.after(wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);

    fn minutes(m: u64) -> Duration {
        Duration::from_secs(m * 60)
    }

    /// The waits a schedule gives for a message that fails on every attempt.
    fn waits(schedule: &RetrySchedule, count: usize) -> Vec<u64> {
        let mut now = T0;
        let mut waits = Vec::new();
        for _ in 0..count {
            let Some(next) = schedule.next_attempt(T0, now) else {
                break;
            };
            waits.push(next.since(now).as_secs() / 60);
            now = next;
        }
        waits
    }

    #[test]
    fn postfix_backoff_doubles_from_five_minutes_and_is_capped() {
        assert_eq!(
            waits(&RetrySchedule::postfix(), 7),
            [5, 10, 20, 40, 66, 66, 66]
        );
    }

    #[test]
    fn postfix_gives_up_after_five_days() {
        let schedule = RetrySchedule::postfix();
        assert!(
            schedule
                .next_attempt(T0, T0.after(Duration::from_secs(5 * 86_400 - 1)))
                .is_some()
        );
        assert_eq!(
            schedule.next_attempt(T0, T0.after(Duration::from_secs(5 * 86_400))),
            None
        );
    }

    #[test]
    fn exim_default_is_fixed_then_geometric_then_fixed() {
        let schedule = RetrySchedule::exim();
        let waits = waits(&schedule, 40);
        assert_eq!(&waits[..8], [15; 8]);
        assert_eq!(waits[8], 60);
        assert_eq!(waits[9], 90);
        assert!(waits.contains(&360));
        assert_eq!(
            schedule.next_attempt(T0, T0.after(Duration::from_secs(4 * 86_400))),
            None
        );
    }

    #[test]
    fn zero_waits_in_a_configuration_do_not_stall() {
        let schedule = RetrySchedule::Backoff {
            first: Duration::ZERO,
            max: Duration::ZERO,
            lifetime: Duration::from_secs(3600),
        };
        assert!(schedule.next_attempt(T0, T0.after(minutes(30))).is_some());
        let geometric = RetrySchedule::Rules(vec![Rule::Geometric {
            until: Duration::from_secs(3600),
            first: Duration::ZERO,
            factor: 0.0,
        }]);
        assert!(geometric.next_attempt(T0, T0.after(minutes(30))).is_some());
    }

    #[test]
    fn custom_schedule_tries_at_the_given_ages() {
        let schedule = RetrySchedule::Custom(vec![minutes(1), minutes(10)]);
        assert_eq!(schedule.next_attempt(T0, T0), Some(T0.after(minutes(1))));
        assert_eq!(
            schedule.next_attempt(T0, T0.after(minutes(1))),
            Some(T0.after(minutes(10)))
        );
        assert_eq!(schedule.next_attempt(T0, T0.after(minutes(10))), None);
    }
}
