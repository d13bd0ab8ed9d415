//! The lessons: an ordered path through the simulator's built-in scenarios, each with
//! one or two "try this" changes that open it, changed, in the sandbox.

use wasmtp_core::sim::{self, DnsRecordSpec, Scenario};

/// A change to try on a lesson's scenario.
pub struct TryThis {
    pub label: &'static str,
    pub change: fn(&mut Scenario),
}

/// One lesson: a built-in scenario and what to try with it.
pub struct Lesson {
    pub id: &'static str,
    pub try_this: &'static [TryThis],
}

/// The recipient's domain (of the first recipient).
fn recipient_domain(scenario: &Scenario) -> String {
    scenario
        .message
        .to
        .first()
        .and_then(|to| to.rsplit_once('@'))
        .map(|(_, domain)| domain.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Removes the recipient domain's MX records.
fn remove_mx(scenario: &mut Scenario) {
    let domain = recipient_domain(scenario);
    scenario
        .dns
        .retain(|record| !(record.name.eq_ignore_ascii_case(&domain) && record.kind == "MX"));
}

/// Removes the MX records and gives the domain an A record: the address of its mail
/// host, which becomes the implicit MX (RFC 5321 §5.1).
fn mx_to_a_record(scenario: &mut Scenario) {
    let domain = recipient_domain(scenario);
    let mailbox_address = scenario
        .hosts
        .iter()
        .find(|host| host.role == "mailbox")
        .map(|host| host.address.clone());
    remove_mx(scenario);
    if let Some(address) = mailbox_address {
        scenario.dns.push(DnsRecordSpec {
            name: domain,
            kind: "A".into(),
            value: address,
        });
    }
}

fn unknown_recipient(scenario: &mut Scenario) {
    let domain = recipient_domain(scenario);
    scenario.message.to = vec![format!("nobody@{domain}")];
}

fn mailbox_down_an_hour(scenario: &mut Scenario) {
    for host in scenario
        .hosts
        .iter_mut()
        .filter(|host| host.role == "mailbox")
    {
        host.down_minutes = 60;
    }
}

fn primary_up(scenario: &mut Scenario) {
    for host in &mut scenario.hosts {
        host.down_minutes = 0;
    }
}

fn remove_backup_mx(scenario: &mut Scenario) {
    scenario
        .dns
        .retain(|record| !(record.kind == "MX" && record.value.contains("backup")));
}

fn remove_a_record(scenario: &mut Scenario) {
    let domain = recipient_domain(scenario);
    scenario
        .dns
        .retain(|record| !record.name.eq_ignore_ascii_case(&domain));
}

/// The mail hosts stop offering STARTTLS: the script's STARTTLS gets 502, and the
/// rest of the dialogue runs in plaintext.
fn without_starttls(scenario: &mut Scenario) {
    for host in &mut scenario.hosts {
        host.behaviours.retain(|behaviour| behaviour != "starttls");
    }
}

/// Every host greets at once: the bot's early EHLO is served like any client's.
fn without_greeting_delay(scenario: &mut Scenario) {
    for host in &mut scenario.hosts {
        host.behaviours
            .retain(|behaviour| behaviour != "greeting-delay");
    }
}

const MX_TO_A: TryThis = TryThis {
    label: "Remove the MX records and give the domain an A record",
    change: mx_to_a_record,
};
const DOWN: TryThis = TryThis {
    label: "Take the mail host down for an hour",
    change: mailbox_down_an_hour,
};

/// The path, in teaching order (the order of the built-in scenarios).
pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "first-email",
        try_this: &[
            TryThis {
                label: "Send to someone who does not exist",
                change: unknown_recipient,
            },
            MX_TO_A,
        ],
    },
    Lesson {
        id: "mx-preference",
        try_this: &[DOWN, MX_TO_A],
    },
    Lesson {
        id: "backup-mx",
        try_this: &[
            TryThis {
                label: "Bring the primary back up",
                change: primary_up,
            },
            TryThis {
                label: "Remove the backup MX",
                change: remove_backup_mx,
            },
        ],
    },
    Lesson {
        id: "equal-preferences",
        try_this: &[DOWN],
    },
    Lesson {
        id: "no-mx",
        try_this: &[TryThis {
            label: "Remove the A record too",
            change: remove_a_record,
        }],
    },
    Lesson {
        id: "null-mx",
        try_this: &[MX_TO_A],
    },
    Lesson {
        id: "greylisting",
        try_this: &[DOWN],
    },
    Lesson {
        id: "unknown-user",
        try_this: &[MX_TO_A],
    },
    Lesson {
        id: "too-large",
        try_this: &[DOWN],
    },
    Lesson {
        id: "old-server",
        try_this: &[MX_TO_A],
    },
    Lesson {
        id: "pipelining",
        try_this: &[DOWN],
    },
    Lesson {
        id: "smtputf8",
        try_this: &[DOWN],
    },
    Lesson {
        id: "smtp-smuggling",
        try_this: &[DOWN],
    },
    Lesson {
        id: "early-talker",
        try_this: &[TryThis {
            label: "Let mx.example.org greet at once, as most servers do",
            change: without_greeting_delay,
        }],
    },
    Lesson {
        id: "starttls",
        try_this: &[TryThis {
            label: "Take STARTTLS away from the mail host",
            change: without_starttls,
        }],
    },
    Lesson {
        id: "srv-routing",
        try_this: &[MX_TO_A],
    },
    Lesson {
        id: "multi-hop",
        try_this: &[DOWN],
    },
    Lesson {
        id: "before-smtp",
        try_this: &[DOWN],
    },
];

/// The lesson's scenario with its `change`th "try this" applied.
pub fn try_this(lesson: usize, change: usize) -> Option<Scenario> {
    let lesson = LESSONS.get(lesson)?;
    let change = lesson.try_this.get(change)?;
    let mut scenario = sim::built_in(lesson.id)?;
    (change.change)(&mut scenario);
    Some(scenario)
}

/// A scenario with nothing in it, for when no built-in one exists.
pub fn empty_scenario() -> Scenario {
    Scenario {
        version: sim::FORMAT_VERSION,
        id: "sandbox".into(),
        title: "Sandbox".into(),
        intro: String::new(),
        notice: Vec::new(),
        seed: 0,
        sender: sim::SenderSpec {
            address: "alice@example.net".into(),
            submission: None,
            raw_client: None,
        },
        message: sim::MessageSpec {
            to: vec!["bob@example.org".into()],
            subject: "Hello".into(),
            body: "Hi Bob".into(),
            pad_to_size: None,
        },
        srv_routing: false,
        dns: Vec::new(),
        hosts: Vec::new(),
        uucp: None,
        horizon_hours: 24,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_scenario_is_a_lesson_in_order() {
        let ids: Vec<&str> = LESSONS.iter().map(|lesson| lesson.id).collect();
        let built_in: Vec<&str> = sim::BUILT_IN.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, built_in);
    }

    #[test]
    fn every_try_this_gives_a_scenario_that_runs() {
        for (index, lesson) in LESSONS.iter().enumerate() {
            for change in 0..lesson.try_this.len() {
                let scenario = try_this(index, change).expect("a scenario");
                assert!(sim::run(&scenario).is_ok(), "{} change {change}", lesson.id);
            }
        }
    }
}
