//! A scenario in the page address: `#scenario=<base64url of its JSON>`, so a learner can
//! share exactly the world they built, and a fresh page plays the same trace.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use wasmtp_core::sim::Scenario;

const PREFIX: &str = "#scenario=";

/// The fragment (with its `#`) that carries `scenario`.
pub fn encode(scenario: &Scenario) -> String {
    let json = serde_json::to_string(scenario).unwrap_or_default();
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json))
}

/// The scenario a fragment carries, if it carries a well-formed one. Checking it is
/// the simulator's job: a scenario with problems opens in the sandbox with them shown.
pub fn decode(fragment: &str) -> Option<Scenario> {
    let encoded = fragment.strip_prefix(PREFIX)?;
    let json = URL_SAFE_NO_PAD.decode(encoded.trim()).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtp_core::sim;

    #[test]
    fn every_built_in_scenario_survives_the_round_trip() {
        for (id, _) in sim::BUILT_IN {
            let scenario = sim::built_in(id).expect("a scenario");
            let fragment = encode(&scenario);
            assert!(fragment.starts_with("#scenario="));
            assert!(
                fragment[1..]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"=-_".contains(&b)),
                "URL-safe: {fragment}"
            );
            assert_eq!(decode(&fragment), Some(scenario));
        }
    }

    #[test]
    fn the_same_fragment_plays_the_same_trace() {
        let mut scenario = sim::built_in("backup-mx").expect("a scenario");
        scenario.dns.retain(|record| record.kind != "MX");
        let decoded = decode(&encode(&scenario)).expect("decoded");
        assert_eq!(sim::run(&decoded), sim::run(&scenario));
    }

    #[test]
    fn other_fragments_and_garbage_are_ignored() {
        for fragment in ["", "#", "#lesson=3", "#scenario=!!!", "#scenario=e30"] {
            assert_eq!(decode(fragment), None, "{fragment}");
        }
    }
}
