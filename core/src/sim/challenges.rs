//! Sandbox challenges: a built-in world to start from and a goal the engine's run
//! either meets or does not. The goal reads the run (replies, steps, outcome), never the
//! learner's edits themselves, so any way that works counts.

use super::scenario::Scenario;
use super::trace::{StepKind, Trace};

/// A goal to reach by changing a built-in scenario in the sandbox.
#[derive(Clone, Copy, Debug)]
pub struct Challenge {
    /// Its name, and its text's id in a catalog: `challenge-<id>`.
    pub id: &'static str,
    /// The built-in scenario it starts from.
    pub start: &'static str,
    goal: fn(&Scenario, &Trace) -> bool,
}

impl Challenge {
    /// Whether the run `trace` of the changed `scenario` reaches the goal.
    pub fn is_met(&self, scenario: &Scenario, trace: &Trace) -> bool {
        (self.goal)(scenario, trace)
    }
}

/// The challenges, easiest first.
pub const CHALLENGES: &[Challenge] = &[
    Challenge {
        id: "bounce-5-1-1",
        start: "first-email",
        goal: bounced_with_5_1_1,
    },
    Challenge {
        id: "greylisted-then-delivered",
        start: "first-email",
        goal: greylisted_then_delivered,
    },
    Challenge {
        id: "null-mx",
        start: "first-email",
        goal: refused_by_null_mx,
    },
    Challenge {
        id: "backup-within-ten-minutes",
        start: "backup-mx",
        goal: through_the_backup_within_ten_minutes,
    },
];

/// A recipient was given up on with RFC 3463's "bad destination mailbox address".
fn bounced_with_5_1_1(_: &Scenario, trace: &Trace) -> bool {
    failed_with(trace, " 5.1.1 ")
}

/// A server answered `451 4.7.1` (RFC 6647), and everything was delivered in the end.
fn greylisted_then_delivered(_: &Scenario, trace: &Trace) -> bool {
    let greylisted = trace
        .steps
        .iter()
        .any(|step| step.kind == StepKind::Reply && step.text.starts_with("451 4.7.1"));
    greylisted
        && trace.summary.failed.is_empty()
        && trace.summary.pending.is_empty()
        && !trace.summary.delivered.is_empty()
}

/// A recipient was refused because its domain publishes a null MX (RFC 7505 §4.2).
fn refused_by_null_mx(_: &Scenario, trace: &Trace) -> bool {
    failed_with(trace, " 556 5.1.10 ")
}

/// Whether a recipient was given up on with a final reply containing `reply`.
fn failed_with(trace: &Trace, reply: &str) -> bool {
    trace
        .summary
        .failed
        .iter()
        .any(|failed| failed.contains(reply))
}

/// The message went through a backup MX and reached every mailbox within ten minutes of
/// virtual time: the backup's retries (RFC 5321 §4.5.4.1) must find the primary up soon.
fn through_the_backup_within_ten_minutes(scenario: &Scenario, trace: &Trace) -> bool {
    let backups: Vec<&str> = scenario
        .hosts
        .iter()
        .filter(|host| host.role == "backup")
        .map(|host| host.name.as_str())
        .collect();
    let data_taken_by_a_backup = trace.steps.iter().any(|step| {
        step.kind == StepKind::Reply
            && backups.contains(&step.from.as_str())
            && step.text.starts_with("250")
            && step
                .answers
                .and_then(|answered| trace.steps.get(answered))
                .is_some_and(|answered| answered.kind == StepKind::Data)
    });
    let summary = &trace.summary;
    data_taken_by_a_backup
        && summary.failed.is_empty()
        && summary.pending.is_empty()
        && summary.duration_ms <= 10 * 60 * 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{built_in, run};

    fn challenge(id: &str) -> (Challenge, Scenario) {
        let challenge = CHALLENGES
            .iter()
            .find(|challenge| challenge.id == id)
            .copied()
            .unwrap();
        (challenge, built_in(challenge.start).unwrap())
    }

    fn met(challenge: &Challenge, scenario: &Scenario) -> bool {
        challenge.is_met(scenario, &run(scenario).unwrap())
    }

    #[test]
    fn no_challenge_is_met_by_its_starting_world() {
        for challenge in CHALLENGES {
            let start = built_in(challenge.start).unwrap();
            assert!(!met(challenge, &start), "{}", challenge.id);
        }
    }

    #[test]
    fn an_unknown_recipient_bounces_with_5_1_1() {
        let (challenge, mut scenario) = challenge("bounce-5-1-1");
        scenario.message.to = vec!["nobody@example.org".into()];
        assert!(met(&challenge, &scenario));
    }

    #[test]
    fn greylisting_on_the_mail_host_is_met_and_so_is_not_a_bounce() {
        let (challenge, mut scenario) = challenge("greylisted-then-delivered");
        for host in &mut scenario.hosts {
            if host.role == "mailbox" {
                host.behaviours.push("greylisting".into());
            }
        }
        assert!(met(&challenge, &scenario));
        scenario.message.to.push("nobody@example.org".into());
        assert!(!met(&challenge, &scenario), "a bounce is not 'delivered'");
    }

    #[test]
    fn a_null_mx_is_met() {
        let (challenge, mut scenario) = challenge("null-mx");
        for record in &mut scenario.dns {
            if record.name == "example.org" && record.kind == "MX" {
                record.value = "0 .".into();
            }
        }
        assert!(met(&challenge, &scenario));
    }

    #[test]
    fn the_backup_delivers_in_time_when_the_primary_is_back_soon_and_is_not_used_when_it_is_up() {
        let (challenge, mut scenario) = challenge("backup-within-ten-minutes");
        let primary = |scenario: &mut Scenario, minutes| {
            for host in &mut scenario.hosts {
                if host.role == "mailbox" {
                    host.down_minutes = minutes;
                }
            }
        };
        primary(&mut scenario, 3);
        assert!(met(&challenge, &scenario));
        primary(&mut scenario, 0);
        assert!(!met(&challenge, &scenario), "the primary takes it itself");
    }
}
