//! The lessons: an ordered path through the simulator's built-in scenarios, each with
//! one or two "try this" changes that open it, changed, in the sandbox.

use wasmtp_core::sim::{self, DnsRecordSpec, Scenario};

/// A change to try on a lesson's scenario.
pub struct TryThis {
    /// What it does, as the catalog's `try-…` message.
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
    without_behaviour(scenario, "starttls");
}

/// Every host greets at once: the bot's early EHLO is served like any client's.
fn without_greeting_delay(scenario: &mut Scenario) {
    without_behaviour(scenario, "greeting-delay");
}

/// The recipient domain's MX records.
fn mx_records(scenario: &mut Scenario) -> impl Iterator<Item = &mut DnsRecordSpec> {
    let domain = recipient_domain(scenario);
    scenario
        .dns
        .iter_mut()
        .filter(move |record| record.kind == "MX" && record.name.eq_ignore_ascii_case(&domain))
}

/// An MX record's preference and host.
fn preference_and_host(record: &DnsRecordSpec) -> (u16, String) {
    let (preference, host) = record.value.split_once(' ').unwrap_or(("0", &record.value));
    (preference.parse().unwrap_or(0), host.to_owned())
}

fn preferred_mx_down(scenario: &mut Scenario) {
    let preferred = mx_records(scenario)
        .map(|record| preference_and_host(record))
        .min()
        .map(|(_, host)| host);
    for host in &mut scenario.hosts {
        if Some(&host.name) == preferred.as_ref() {
            host.down_minutes = 60;
        }
    }
}

/// The most preferred MX becomes the least, and the other way round.
fn swap_mx_preferences(scenario: &mut Scenario) {
    let mut records: Vec<&mut DnsRecordSpec> = mx_records(scenario).collect();
    records.sort_by_key(|record| preference_and_host(record));
    let preferences: Vec<u16> = records
        .iter()
        .map(|record| preference_and_host(record).0)
        .collect();
    for (record, preference) in records.into_iter().zip(preferences.into_iter().rev()) {
        let (_, host) = preference_and_host(record);
        record.value = format!("{preference} {host}");
    }
}

fn another_seed(scenario: &mut Scenario) {
    scenario.seed = scenario.seed.wrapping_add(1);
}

fn one_mx_preferred(scenario: &mut Scenario) {
    if let Some(record) = mx_records(scenario).nth(1) {
        let (_, host) = preference_and_host(record);
        record.value = format!("5 {host}");
    }
}

/// The domain gets an MX record naming the host of its A record.
fn add_mx(scenario: &mut Scenario) {
    let domain = recipient_domain(scenario);
    scenario.dns.push(DnsRecordSpec {
        name: domain.clone(),
        kind: "MX".into(),
        value: format!("10 {domain}"),
    });
}

/// The null MX becomes an MX whose host has no address: a temporary failure, retried.
fn null_mx_to_a_missing_host(scenario: &mut Scenario) {
    let domain = recipient_domain(scenario);
    for record in mx_records(scenario) {
        record.value = format!("10 mx.{domain}");
    }
}

fn without_behaviour(scenario: &mut Scenario, behaviour: &str) {
    for host in &mut scenario.hosts {
        host.behaviours.retain(|known| known != behaviour);
    }
}

fn on_every_mailbox_host(scenario: &mut Scenario, behaviour: &str) {
    for host in scenario
        .hosts
        .iter_mut()
        .filter(|host| host.role == "mailbox")
    {
        if !host.behaviours.iter().any(|known| known == behaviour) {
            host.behaviours.push(behaviour.into());
        }
    }
}

/// Every mailbox host offers POP3 only: the client downloads and deletes.
fn read_with_pop3(scenario: &mut Scenario) {
    without_behaviour(scenario, "imap");
}

fn greylisting_off(scenario: &mut Scenario) {
    without_behaviour(scenario, "greylisting");
}

fn also_to_carol(scenario: &mut Scenario) {
    let domain = recipient_domain(scenario);
    scenario.message.to.push(format!("carol@{domain}"));
}

fn give_nobody_a_mailbox(scenario: &mut Scenario) {
    for host in scenario
        .hosts
        .iter_mut()
        .filter(|host| host.role == "mailbox")
    {
        host.users.push("nobody".into());
    }
}

fn fill_bobs_mailbox(scenario: &mut Scenario) {
    for host in scenario
        .hosts
        .iter_mut()
        .filter(|host| host.role == "mailbox")
    {
        host.full_mailboxes.push("bob".into());
    }
}

fn no_size_limit(scenario: &mut Scenario) {
    for host in &mut scenario.hosts {
        host.max_size = None;
    }
}

fn smaller_message(scenario: &mut Scenario) {
    scenario.message.pad_to_size = None;
}

fn esmtp_again(scenario: &mut Scenario) {
    without_behaviour(scenario, "helo-only");
}

fn eight_bit_body(scenario: &mut Scenario) {
    scenario.message.body.push_str("\r\nGrüße aus Köln!");
}

fn pipelining_nowhere(scenario: &mut Scenario) {
    on_every_mailbox_host(scenario, "no-pipelining");
}

fn pipelining_everywhere(scenario: &mut Scenario) {
    without_behaviour(scenario, "no-pipelining");
}

fn smtputf8_on(scenario: &mut Scenario) {
    without_behaviour(scenario, "no-smtputf8");
}

/// The recipient spelled in ASCII, as people did before SMTPUTF8.
fn ascii_recipient(scenario: &mut Scenario) {
    let domain = recipient_domain(scenario);
    scenario.message.to = vec![format!("juergen@{domain}")];
    for host in scenario
        .hosts
        .iter_mut()
        .filter(|host| host.role == "mailbox")
    {
        host.users.push("juergen".into());
    }
}

fn strict_everywhere(scenario: &mut Scenario) {
    without_behaviour(scenario, "smuggling-vulnerable");
}

fn lax_everywhere(scenario: &mut Scenario) {
    on_every_mailbox_host(scenario, "smuggling-vulnerable");
}

fn greeting_delay_everywhere(scenario: &mut Scenario) {
    on_every_mailbox_host(scenario, "greeting-delay");
}

/// The client waits for STARTTLS's 220 instead of pushing commands behind it.
fn honest_starttls_client(scenario: &mut Scenario) {
    if let Some(client) = scenario.sender.raw_client.as_mut() {
        for flight in &mut client.script {
            if flight.starts_with("STARTTLS\r\n") {
                *flight = "STARTTLS\r\n".into();
            }
        }
    }
}

fn srv_off(scenario: &mut Scenario) {
    scenario.srv_routing = false;
}

fn remove_srv_records(scenario: &mut Scenario) {
    scenario.dns.retain(|record| record.kind != "SRV");
}

/// The last UUCP link of the path is cut.
fn break_last_uucp_link(scenario: &mut Scenario) {
    if let Some(uucp) = scenario.uucp.as_mut() {
        uucp.links.pop();
    }
}

fn uucp_calls_every_hour(scenario: &mut Scenario) {
    if let Some(uucp) = scenario.uucp.as_mut() {
        uucp.poll_hours = 1;
    }
}

const fn change(label: &'static str, change: fn(&mut Scenario)) -> TryThis {
    TryThis { label, change }
}

const MX_TO_A: TryThis = change("try-mx-to-a", mx_to_a_record);
const DOWN: TryThis = change("try-mailbox-down", mailbox_down_an_hour);
const NO_BACKUP: TryThis = change("try-no-backup", remove_backup_mx);

/// The path, in teaching order (the order of the built-in scenarios), each lesson with
/// changes about its own topic.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "first-email",
        try_this: &[change("try-unknown-recipient", unknown_recipient), MX_TO_A],
    },
    Lesson {
        id: "imap",
        try_this: &[
            change("try-read-with-pop3", read_with_pop3),
            change("try-also-to-carol", also_to_carol),
        ],
    },
    Lesson {
        id: "mx-preference",
        try_this: &[
            change("try-preferred-mx-down", preferred_mx_down),
            change("try-swap-mx-preferences", swap_mx_preferences),
        ],
    },
    Lesson {
        id: "backup-mx",
        try_this: &[change("try-primary-up", primary_up), NO_BACKUP],
    },
    Lesson {
        id: "equal-preferences",
        try_this: &[
            change("try-another-seed", another_seed),
            change("try-one-mx-preferred", one_mx_preferred),
        ],
    },
    Lesson {
        id: "no-mx",
        try_this: &[
            change("try-remove-a-record", remove_a_record),
            change("try-add-mx", add_mx),
        ],
    },
    Lesson {
        id: "null-mx",
        try_this: &[
            change("try-remove-null-mx", remove_mx),
            change("try-null-mx-to-missing-host", null_mx_to_a_missing_host),
        ],
    },
    Lesson {
        id: "greylisting",
        try_this: &[
            change("try-greylisting-off", greylisting_off),
            change("try-also-to-carol", also_to_carol),
        ],
    },
    Lesson {
        id: "unknown-user",
        try_this: &[
            change("try-give-nobody-a-mailbox", give_nobody_a_mailbox),
            change("try-fill-bobs-mailbox", fill_bobs_mailbox),
        ],
    },
    Lesson {
        id: "too-large",
        try_this: &[
            change("try-no-size-limit", no_size_limit),
            change("try-smaller-message", smaller_message),
        ],
    },
    Lesson {
        id: "old-server",
        try_this: &[
            change("try-esmtp-again", esmtp_again),
            change("try-eight-bit-body", eight_bit_body),
        ],
    },
    Lesson {
        id: "pipelining",
        try_this: &[
            change("try-pipelining-nowhere", pipelining_nowhere),
            change("try-pipelining-everywhere", pipelining_everywhere),
        ],
    },
    Lesson {
        id: "smtputf8",
        try_this: &[
            change("try-smtputf8-on", smtputf8_on),
            change("try-ascii-recipient", ascii_recipient),
        ],
    },
    Lesson {
        id: "smtp-smuggling",
        try_this: &[
            change("try-strict-everywhere", strict_everywhere),
            change("try-lax-everywhere", lax_everywhere),
        ],
    },
    Lesson {
        id: "early-talker",
        try_this: &[
            change("try-greet-at-once", without_greeting_delay),
            change("try-greeting-delay-everywhere", greeting_delay_everywhere),
        ],
    },
    Lesson {
        id: "starttls",
        try_this: &[
            change("try-without-starttls", without_starttls),
            change("try-honest-starttls-client", honest_starttls_client),
        ],
    },
    Lesson {
        id: "srv-routing",
        try_this: &[
            change("try-srv-off", srv_off),
            change("try-remove-srv-records", remove_srv_records),
        ],
    },
    Lesson {
        id: "multi-hop",
        try_this: &[DOWN, NO_BACKUP],
    },
    Lesson {
        id: "before-smtp",
        try_this: &[
            change("try-break-last-uucp-link", break_last_uucp_link),
            change("try-uucp-every-hour", uucp_calls_every_hour),
        ],
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
        exercises: Vec::new(),
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
    fn every_lesson_has_two_changes_that_each_change_its_run() {
        for (index, lesson) in LESSONS.iter().enumerate() {
            assert!(lesson.try_this.len() >= 2, "{}", lesson.id);
            let original = sim::built_in(lesson.id)
                .and_then(|scenario| sim::run(&scenario).ok())
                .expect("the lesson runs");
            for change in 0..lesson.try_this.len() {
                let scenario = try_this(index, change).expect("a scenario");
                let changed = sim::run(&scenario).unwrap_or_else(|problems| {
                    panic!("{} change {change}: {problems:?}", lesson.id)
                });
                let what = original.compare(&changed);
                assert!(
                    what.first_difference.is_some(),
                    "{} change {change} changes nothing",
                    lesson.id
                );
            }
        }
    }
}
