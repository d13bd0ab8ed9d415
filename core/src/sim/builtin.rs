//! The built-in scenarios, in teaching order. Each is a JSON file beside this one, in
//! the same format a learner can edit.

use super::scenario::Scenario;

/// `(id, JSON)` of every built-in scenario.
pub const BUILT_IN: &[(&str, &str)] =
    &[("first-email", include_str!("scenarios/first-email.json"))];

/// The built-in scenario `id`.
pub fn built_in(id: &str) -> Option<Scenario> {
    BUILT_IN
        .iter()
        .find(|(known, _)| *known == id)
        .and_then(|(_, json)| Scenario::from_json(json).ok())
}
