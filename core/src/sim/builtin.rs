//! The built-in scenarios, in teaching order. Each is a JSON file beside this one, in
//! the same format a learner can edit.

use super::scenario::Scenario;

/// `(id, JSON)` of every built-in scenario.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("first-email", include_str!("scenarios/first-email.json")),
    (
        "mx-preference",
        include_str!("scenarios/mx-preference.json"),
    ),
    ("backup-mx", include_str!("scenarios/backup-mx.json")),
    (
        "equal-preferences",
        include_str!("scenarios/equal-preferences.json"),
    ),
    ("no-mx", include_str!("scenarios/no-mx.json")),
    ("null-mx", include_str!("scenarios/null-mx.json")),
    ("greylisting", include_str!("scenarios/greylisting.json")),
    ("unknown-user", include_str!("scenarios/unknown-user.json")),
    ("too-large", include_str!("scenarios/too-large.json")),
    ("old-server", include_str!("scenarios/old-server.json")),
    ("pipelining", include_str!("scenarios/pipelining.json")),
    ("smtputf8", include_str!("scenarios/smtputf8.json")),
    (
        "smtp-smuggling",
        include_str!("scenarios/smtp-smuggling.json"),
    ),
    ("early-talker", include_str!("scenarios/early-talker.json")),
    ("starttls", include_str!("scenarios/starttls.json")),
    ("srv-routing", include_str!("scenarios/srv-routing.json")),
    ("multi-hop", include_str!("scenarios/multi-hop.json")),
    ("before-smtp", include_str!("scenarios/before-smtp.json")),
];

/// The built-in scenario `id`.
pub fn built_in(id: &str) -> Option<Scenario> {
    BUILT_IN
        .iter()
        .find(|(known, _)| *known == id)
        .and_then(|(_, json)| Scenario::from_json(json).ok())
}
