//! The history lesson: the same message the UUCP way (RFC 976). Hosts call their
//! neighbours every few hours; the sender writes every hop of the route in a bang path,
//! and a hop without a link is a dead end no one can route around.

use super::recorder::{Draft, Recorder};
use super::scenario::UucpSpec;
use super::trace::{Phrase, StepKind};
use crate::explain::{Key, Topic};

/// Forwards the message hop by hop along `spec.path`, each hop at its link's next call:
/// where it was delivered, or where it got stuck.
pub(super) fn forward(trace: &mut Recorder, spec: &UucpSpec) -> Result<String, String> {
    let mut hops: Vec<&str> = spec.path.split('!').collect();
    let Some(user) = hops.pop() else {
        return Err(format!("{}: no user in the bang path", spec.path));
    };
    let origin = spec.origin.as_str();
    let phrase = Phrase::new("step-uucp-path", [("path", spec.path.as_str().into())]);
    trace.note(origin, origin, phrase, Some(Key::Topic(Topic::Uucp)));
    let poll_ms = spec.poll_hours.saturating_mul(3_600_000).max(1);
    let mut current = origin;
    for (index, hop) in hops.iter().enumerate() {
        let linked = spec.links.iter().any(|[a, b]| {
            (a.as_str() == current && b.as_str() == *hop)
                || (a.as_str() == *hop && b.as_str() == current)
        });
        if !linked {
            let phrase = Phrase::new(
                "step-uucp-no-link",
                [("from", current.into()), ("to", (*hop).into())],
            );
            trace.note(current, hop, phrase, Some(Key::Topic(Topic::Uucp)));
            return Err(format!("{}: no link from {current} to {hop}", spec.path));
        }
        // The next scheduled call on this link.
        trace.clock_ms = (trace.clock_ms / poll_ms + 1) * poll_ms;
        let rest: Vec<&str> = hops.iter().skip(index + 1).copied().chain([user]).collect();
        let text = Phrase::new(
            "step-uucp-call",
            [
                ("from", current.into()),
                ("to", (*hop).into()),
                ("rest", rest.join("!").into()),
            ],
        );
        trace.step(Draft {
            kind: StepKind::Uucp,
            from: current,
            to: hop,
            text: text.into(),
            explain: Some(Key::Topic(Topic::Uucp)),
            snapshot: None,
        });
        current = hop;
    }
    let text = Phrase::new(
        "step-uucp-delivered",
        [("user", user.into()), ("host", current.into())],
    );
    trace.step(Draft {
        kind: StepKind::Deliver,
        from: current,
        to: user,
        text: text.into(),
        explain: Some(Key::Topic(Topic::Uucp)),
        snapshot: None,
    });
    Ok(format!("{user} on {current} (UUCP)"))
}
