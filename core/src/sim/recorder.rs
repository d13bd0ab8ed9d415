//! The trace as it is written: the virtual clock, the steps taken, and the round trips
//! counted. Every part of the simulation records through one [`Recorder`].

use std::net::IpAddr;

use crate::explain::Key;
use crate::reply::Reply;
use crate::time::UnixTime;

use super::trace::{Phrase, Snapshot, Step, StepKind};
use crate::i18n::Language;

/// The virtual clock starts on Monday 2026-01-05 at 09:00 UTC.
pub(super) const START: UnixTime = UnixTime::from_millis(1_767_603_600_000);

/// A step about to be recorded: what happened, from whom to whom, and what explains it.
pub(super) struct Draft<'a> {
    pub kind: StepKind,
    pub from: &'a str,
    pub to: &'a str,
    /// The exact bytes (commands, replies, data, DNS as text), or a description.
    pub text: Said,
    pub explain: Option<Key>,
    pub snapshot: Option<Snapshot>,
}

/// What a step carries: bytes as they went over the wire, or a description in words.
pub(super) enum Said {
    Bytes(String),
    Words(Phrase),
}

impl From<String> for Said {
    fn from(bytes: String) -> Self {
        Self::Bytes(bytes)
    }
}

impl From<Phrase> for Said {
    fn from(phrase: Phrase) -> Self {
        Self::Words(phrase)
    }
}

/// The virtual clock and the steps so far.
#[derive(Debug, Default)]
pub(super) struct Recorder {
    /// Milliseconds since [`START`].
    pub clock_ms: u64,
    /// Command/reply exchanges across the network.
    pub round_trips: u32,
    steps: Vec<Step>,
}

impl Recorder {
    pub(super) fn now(&self) -> UnixTime {
        START.after(core::time::Duration::from_millis(self.clock_ms))
    }

    /// Records a step at the current virtual time.
    pub(super) fn step(&mut self, draft: Draft<'_>) {
        self.step_with(draft, &[]);
    }

    /// Records a step explained first by its draft's key, then by `more`, in order.
    pub(super) fn step_with(&mut self, draft: Draft<'_>, more: &[Key]) {
        let reference = draft
            .explain
            .map(|key| key.explanation().reference.to_owned());
        let explains = draft
            .explain
            .iter()
            .chain(more)
            .map(ToString::to_string)
            .collect();
        // A description's text is its English, the transcript's language.
        let (text, phrase) = match draft.text {
            Said::Bytes(bytes) => (bytes, None),
            Said::Words(phrase) => (phrase.text_in(Language::En), Some(phrase)),
        };
        self.steps.push(Step {
            at_ms: self.clock_ms,
            kind: draft.kind,
            from: draft.from.to_owned(),
            to: draft.to.to_owned(),
            text,
            explain: draft.explain.map(|key| key.to_string()),
            explains,
            reference,
            snapshot: draft.snapshot,
            answers: None,
            phrase,
        });
    }

    /// The last step (a reply) answers step `answered`.
    pub(super) fn answered(&mut self, answered: Option<usize>) {
        if let Some(last) = self.steps.last_mut() {
            last.answers = answered;
        }
    }

    /// Records a note: what a host did or decided, without bytes on the wire.
    pub(super) fn note(&mut self, from: &str, to: &str, phrase: Phrase, explain: Option<Key>) {
        self.step(Draft {
            kind: StepKind::Note,
            from,
            to,
            text: phrase.into(),
            explain,
            snapshot: None,
        });
    }

    /// How many steps were recorded.
    pub(super) fn len(&self) -> usize {
        self.steps.len()
    }

    pub(super) fn into_steps(self) -> Vec<Step> {
        self.steps
    }
}

/// A reply on one line, its lines joined with ` / `.
pub(super) fn one_line(reply: &Reply) -> String {
    reply.to_string().trim_end().replace("\r\n", " / ")
}

/// `+hh:mm:ss` since the start.
pub(super) fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    format!(
        "+{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// "TCP connection to `host` (`address`) port `port`".
pub(super) fn connection_phrase(host: &str, address: IpAddr, port: u16) -> Phrase {
    Phrase::new(
        "step-connect",
        [
            ("host", host.into()),
            ("address", address.to_string().into()),
            ("port", u64::from(port).into()),
        ],
    )
}
