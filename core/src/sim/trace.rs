//! The trace: every step of a simulation, as the engine took it. Serialisable for the
//! edge API and the web app, and readable as a transcript for a terminal.

use core::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::i18n::{Arg, Language, core_catalog};

/// What kind of thing happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    DnsQuery,
    DnsAnswer,
    Connect,
    ConnectFailed,
    Command,
    Reply,
    Data,
    Tls,
    Queue,
    RetryScheduled,
    Deliver,
    Bounce,
    /// The recipient's mail client fetching with POP3 (RFC 1939).
    Fetch,
    /// A UUCP transfer between neighbouring hosts (before SMTP and DNS).
    Uucp,
    Note,
}

impl StepKind {
    /// Its short name, as the transcript prints it and the web app styles it:
    /// `dns-query`, `connect-failed`, `retry`.
    pub fn label(self) -> &'static str {
        match self {
            Self::DnsQuery => "dns-query",
            Self::DnsAnswer => "dns-answer",
            Self::Connect => "connect",
            Self::ConnectFailed => "connect-failed",
            Self::Command => "command",
            Self::Reply => "reply",
            Self::Data => "data",
            Self::Tls => "tls",
            Self::Queue => "queue",
            Self::RetryScheduled => "retry",
            Self::Deliver => "deliver",
            Self::Bounce => "bounce",
            Self::Fetch => "fetch",
            Self::Uucp => "uucp",
            Self::Note => "note",
        }
    }
}

/// What a step changed, for the learner's side panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Snapshot {
    /// The hosts to try for a domain, in order.
    Route {
        domain: String,
        targets: Vec<String>,
    },
    /// A queue's entry for one message: each recipient and where it stands, in
    /// English, and (`states`) the same as catalog messages for any language.
    Queue {
        host: String,
        message: String,
        recipients: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        states: Vec<Phrase>,
    },
    /// A mailbox and how many messages it holds now.
    Mailbox {
        host: String,
        mailbox: String,
        messages: usize,
    },
}

/// One step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Virtual milliseconds since the scenario started.
    pub at_ms: u64,
    pub kind: StepKind,
    pub from: String,
    pub to: String,
    /// The exact bytes sent (commands, replies, data, DNS as text), or a description.
    pub text: String,
    /// A key for [`crate::explain::lookup`]: `command:EHLO`, `reply:250`, `topic:null-mx`;
    /// the most specific of `explains`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<String>,
    /// Everything that explains the step, most specific first: for a reply, the topic
    /// that caused it, its meaning as the answer to its command, its enhanced status
    /// code, each EHLO keyword it offers, then the reply code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explains: Vec<String>,
    /// The RFC section of the explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Snapshot>,
    /// For a reply: the step it answers (the command or the message data), counted
    /// from 0; none for a greeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<usize>,
    /// For a step described in words rather than bytes: the description as a message
    /// of the core's catalog, to be read in any language (`text` is its English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<Phrase>,
}

/// A description in words: a `step-…` message of the core's catalog
/// (`core/locales/<lang>/explain.ftl`) and the values to put in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phrase {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, PhraseArg)>,
}

/// A value in a [`Phrase`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhraseArg {
    Text(String),
    Number(u64),
    /// A wait, in milliseconds, said in the reader's units (`4 min`, `4 dəq`).
    Duration(u64),
}

impl From<&str> for PhraseArg {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for PhraseArg {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<u64> for PhraseArg {
    fn from(number: u64) -> Self {
        Self::Number(number)
    }
}

impl From<usize> for PhraseArg {
    fn from(number: usize) -> Self {
        Self::Number(u64::try_from(number).unwrap_or(u64::MAX))
    }
}

impl Phrase {
    pub(super) fn new<const N: usize>(id: &str, args: [(&str, PhraseArg); N]) -> Self {
        Self {
            id: id.to_owned(),
            args: args
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }

    /// The description in `language`; its id when the catalog lacks it.
    pub fn text_in(&self, language: Language) -> String {
        let catalog = core_catalog(language);
        let durations: Vec<String> = self
            .args
            .iter()
            .map(|(_, value)| match value {
                PhraseArg::Duration(ms) => duration_in(language, *ms),
                _ => String::new(),
            })
            .collect();
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .zip(&durations)
            .map(|((name, value), duration)| {
                let value = match value {
                    PhraseArg::Text(text) => Arg::Text(text),
                    // Virtual times and counts are far below 2^53: f64 holds them exactly.
                    PhraseArg::Number(number) => Arg::Number(*number as f64),
                    PhraseArg::Duration(_) => Arg::Text(duration),
                };
                (name.as_str(), value)
            })
            .collect();
        catalog
            .format(&self.id, &args)
            .unwrap_or_else(|| self.id.clone())
    }
}

/// A wait in words: `4 min`, `1 h 30 min`, `30 s` (`duration-*` in the catalog).
fn duration_in(language: Language, ms: u64) -> String {
    let catalog = core_catalog(language);
    let minutes = ms / 60_000;
    let number = |value: u64| Arg::Number(value as f64);
    let text = if minutes >= 60 {
        catalog.format(
            "duration-hours",
            &[
                ("hours", number(minutes / 60)),
                ("minutes", number(minutes % 60)),
            ],
        )
    } else if minutes > 0 {
        catalog.format("duration-minutes", &[("minutes", number(minutes))])
    } else {
        catalog.format("duration-seconds", &[("seconds", number(ms / 1000))])
    };
    text.unwrap_or_default()
}

/// How the simulation ended.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// `user@domain` for every message delivered to a mailbox (bounces included).
    pub delivered: Vec<String>,
    /// Recipients given up on, with the final reply.
    pub failed: Vec<String>,
    /// Recipients still queued when the horizon was reached.
    pub pending: Vec<String>,
    /// Times a client waited for the server (one per flight of commands).
    pub round_trips: u32,
    pub duration_ms: u64,
}

/// A whole simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    pub scenario: String,
    pub title: String,
    pub steps: Vec<Step>,
    pub summary: Summary,
}

/// What a change to a scenario did to its run: where the two runs part, and how each
/// ended. The simulator shows it after a learner's "try this".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The first step, counted from 0, at which the runs differ (what happened, between
    /// whom, with which bytes); `None` when they take the same steps.
    pub first_difference: Option<usize>,
    /// That step of the first run and of the changed run, on one line; `None` for a run
    /// that ended before it.
    pub before: Option<String>,
    pub after: Option<String>,
    pub outcome_before: Summary,
    pub outcome_after: Summary,
}

impl Step {
    /// What the step says in `language`: a description in that language, else the
    /// bytes as they went over the wire.
    pub fn text_in(&self, language: Language) -> String {
        self.phrase
            .as_ref()
            .map_or_else(|| self.text.clone(), |phrase| phrase.text_in(language))
    }

    /// `kind from → to: first line of the text`, for a one-line account.
    pub fn one_line(&self) -> String {
        let first = self.text.lines().next().unwrap_or_default().trim_end();
        format!("{} {} → {}: {first}", self.kind.label(), self.from, self.to)
    }

    fn same_event(&self, other: &Self) -> bool {
        (self.kind, &self.from, &self.to, &self.text)
            == (other.kind, &other.from, &other.to, &other.text)
    }
}

/// Where a part of a trace begins, for a long lesson's table of contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// The first step, counted from 0.
    pub step: usize,
    pub title: String,
}

impl Trace {
    /// The trace's chapters: one per connection (`a → b`, at its first step), and the
    /// steps before the first one (DNS lookups, a UUCP history) as a chapter of their own.
    pub fn chapters(&self) -> Vec<Chapter> {
        let mut chapters = Vec::new();
        for (index, step) in self.steps.iter().enumerate() {
            let title = match step.kind {
                StepKind::Connect => format!("{} → {}", step.from, step.to),
                _ if index == 0 => format!("{}: {}", step.from, step.kind.label()),
                _ => continue,
            };
            chapters.push(Chapter { step: index, title });
        }
        chapters
    }

    /// How the `changed` run differs from this one.
    pub fn compare(&self, changed: &Trace) -> Change {
        let longest = self.steps.len().max(changed.steps.len());
        let first_difference =
            (0..longest).find(
                |&index| match (self.steps.get(index), changed.steps.get(index)) {
                    (Some(before), Some(after)) => !before.same_event(after),
                    _ => true,
                },
            );
        let line = |trace: &Trace| {
            first_difference
                .and_then(|index| trace.steps.get(index))
                .map(Step::one_line)
        };
        Change {
            first_difference,
            before: line(self),
            after: line(changed),
            outcome_before: self.summary.clone(),
            outcome_after: changed.summary.clone(),
        }
    }

    /// The trace as plain text: one step per line (continuation lines indented), then the
    /// summary.
    pub fn transcript(&self) -> String {
        let mut out = format!("# {} ({})\n", self.title, self.scenario);
        for step in &self.steps {
            let seconds = step.at_ms / 1000;
            let _ = write!(
                out,
                "{:>6}.{:03}s {:<14} {} -> {}",
                seconds,
                step.at_ms % 1000,
                step.kind.label(),
                step.from,
                step.to
            );
            if !step.explains.is_empty() {
                let _ = write!(out, "  [{}]", step.explains.join(" "));
            }
            out.push('\n');
            for line in step
                .text
                .trim_end_matches(['\r', '\n'])
                .split("\r\n")
                .flat_map(|l| l.split('\n'))
            {
                let _ = writeln!(out, "    | {line}");
            }
            match &step.snapshot {
                Some(Snapshot::Route { domain, targets }) => {
                    let _ = writeln!(out, "    = route to {domain}: {}", targets.join(", "));
                }
                Some(Snapshot::Queue {
                    host,
                    message,
                    recipients,
                    ..
                }) => {
                    let _ = writeln!(
                        out,
                        "    = queue of {host}, {message}: {}",
                        recipients.join("; ")
                    );
                }
                Some(Snapshot::Mailbox {
                    host,
                    mailbox,
                    messages,
                }) => {
                    let _ = writeln!(
                        out,
                        "    = mailbox {mailbox} on {host}: {messages} message(s)"
                    );
                }
                None => {}
            }
        }
        let summary = &self.summary;
        let _ = writeln!(
            out,
            "# delivered: {}\n# failed: {}\n# pending: {}\n# round trips: {}, virtual time: {} ms",
            summary.delivered.join(", "),
            summary.failed.join(", "),
            summary.pending.join(", "),
            summary.round_trips,
            summary.duration_ms
        );
        out
    }
}
