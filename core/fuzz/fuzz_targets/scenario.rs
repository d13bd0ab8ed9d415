//! Scenarios, hostile or broken, are refused with problems or run to the end: no panic.
//! The input overwrites a window of a built-in scenario's JSON, so most inputs are
//! nearly valid documents with odd values in them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmtp_core::sim::{BUILT_IN, Scenario, run};

fuzz_target!(|data: &[u8]| {
    let [pick, at_high, at_low, patch @ ..] = data else {
        return;
    };
    let Some((_, base)) = BUILT_IN.get(usize::from(*pick) % BUILT_IN.len()) else {
        return;
    };
    let at = usize::from(u16::from_be_bytes([*at_high, *at_low])) % base.len();
    let mut bytes = base.as_bytes().to_vec();
    for (offset, byte) in patch.iter().enumerate() {
        match bytes.get_mut(at + offset) {
            Some(slot) => *slot = *byte,
            None => bytes.push(*byte),
        }
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return;
    };
    if let Ok(scenario) = Scenario::from_json(text) {
        let trace = run(&scenario).expect("a checked scenario runs");
        assert!(!trace.steps.is_empty());
    }
});
