//! "What happens next?": questions on a scenario whose answers are read from the
//! engine's own trace, never written beside them. A scenario names what to ask about
//! (a host's reply to a command, the next host a client tries, how it ends for a
//! recipient, what a mailbox holds at the end) and the choices to offer; the run decides
//! which choice is right, so a changed world changes the answer with it.

use serde::{Deserialize, Serialize};

use crate::i18n::{Language, core_catalog};

use super::scenario::Scenario;
use super::trace::{Snapshot, StepKind, Trace};

/// A question as a scenario writes it (`"ask": "reply"`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "ask", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ExerciseSpec {
    /// The code `host` answers to the `nth` `command` it receives (a verb, or
    /// `end-of-data` for the message's final dot), asked when the command is sent.
    Reply {
        host: String,
        command: String,
        #[serde(default = "first")]
        nth: usize,
        choices: Vec<String>,
    },
    /// The host `client` tries with its `nth` connection, asked the step before.
    Connect {
        client: String,
        #[serde(default = "first")]
        nth: usize,
        choices: Vec<String>,
    },
    /// Whether `recipient`'s mail is delivered, bounced or still queued at the end,
    /// asked at the start.
    Outcome { recipient: String },
    /// How many messages `mailbox` holds once its owner's mail client is done, asked
    /// when the client connects.
    MailboxAfter {
        mailbox: String,
        choices: Vec<String>,
    },
}

fn first() -> usize {
    1
}

/// The choices of an [`ExerciseSpec::Outcome`] question.
pub const OUTCOMES: [&str; 3] = ["delivered", "bounced", "queued"];

/// A question posed on a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    /// The step at which it is asked (what happens after it is the question).
    pub asked_at: usize,
    /// The step that shows the answer.
    pub answered_at: usize,
    pub prompt: String,
    pub choices: Vec<Choice>,
    /// The value of the right choice, as the run decided it.
    pub answer: String,
}

/// One choice: the value checked, and how it reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Question {
    /// Whether `value` is the answer the run gave.
    pub fn is_right(&self, value: &str) -> bool {
        self.answer == value
    }
}

/// The scenario's questions on its run `trace`, in `language`. A question the run
/// cannot answer (the command was never sent, after a change in the sandbox) is left
/// out, as is one whose answer is not among its choices.
pub fn questions(scenario: &Scenario, trace: &Trace, language: Language) -> Vec<Question> {
    scenario
        .exercises
        .iter()
        .filter_map(|spec| pose(spec, trace, language))
        .collect()
}

/// `spec` posed on `trace`: where it is asked, where it is answered and the answer.
fn pose(spec: &ExerciseSpec, trace: &Trace, language: Language) -> Option<Question> {
    let catalog = core_catalog(language);
    let steps = &trace.steps;
    let (asked_at, answered_at, answer, prompt, choices) = match spec {
        ExerciseSpec::Reply {
            host,
            command,
            nth,
            choices,
        } => {
            let end_of_data = command.eq_ignore_ascii_case("end-of-data");
            let sent = steps
                .iter()
                .enumerate()
                .filter(|(_, step)| step.to == *host)
                .filter(|(_, step)| match step.kind {
                    StepKind::Data => end_of_data,
                    StepKind::Command => step
                        .text
                        .split([' ', '\r', ':'])
                        .next()
                        .is_some_and(|verb| verb.eq_ignore_ascii_case(command)),
                    _ => false,
                })
                .nth(nth.checked_sub(1)?)?
                .0;
            let (reply, step) = steps
                .iter()
                .enumerate()
                .find(|(_, step)| step.answers == Some(sent))?;
            let prompt = if end_of_data {
                catalog.format("question-end-of-data", &[("host", host.into())])
            } else {
                let command = command.to_ascii_uppercase();
                catalog.format(
                    "question-reply",
                    &[("host", host.into()), ("command", (&command).into())],
                )
            };
            let code = step.text.get(..3)?.to_owned();
            (sent, reply, code, prompt?, as_they_read(choices))
        }
        ExerciseSpec::Connect {
            client,
            nth,
            choices,
        } => {
            let (attempt, step) = steps
                .iter()
                .enumerate()
                .filter(|(_, step)| step.kind == StepKind::Connect && step.from == *client)
                .nth(nth.checked_sub(1)?)?;
            let prompt = catalog.format("question-connect", &[("client", client.into())]);
            (
                attempt.saturating_sub(1),
                attempt,
                step.to.clone(),
                prompt?,
                as_they_read(choices),
            )
        }
        ExerciseSpec::Outcome { recipient } => {
            let summary = &trace.summary;
            let answer = if summary
                .failed
                .iter()
                .any(|failed| failed.starts_with(&format!("<{recipient}>")))
            {
                "bounced"
            } else if summary.pending.contains(recipient) {
                "queued"
            } else if summary.delivered.contains(recipient) {
                "delivered"
            } else {
                return None;
            };
            let prompt = catalog.format("question-outcome", &[("recipient", recipient.into())]);
            let choices = OUTCOMES
                .iter()
                .map(|outcome| Choice {
                    value: (*outcome).to_owned(),
                    label: catalog
                        .text(&format!("outcome-{outcome}"))
                        .unwrap_or_else(|| (*outcome).to_owned()),
                })
                .collect();
            (
                0,
                steps.len().saturating_sub(1),
                answer.to_owned(),
                prompt?,
                choices,
            )
        }
        ExerciseSpec::MailboxAfter { mailbox, choices } => {
            let (at, messages) =
                steps
                    .iter()
                    .enumerate()
                    .rev()
                    .find_map(|(at, step)| match &step.snapshot {
                        Some(Snapshot::Mailbox {
                            mailbox: name,
                            messages,
                            ..
                        }) if name == mailbox => Some((at, *messages)),
                        _ => None,
                    })?;
            let client = format!("{mailbox} (mail client)");
            let connected = steps
                .get(..at)?
                .iter()
                .rposition(|step| step.kind == StepKind::Connect && step.from == client)?;
            let prompt = catalog.format("question-mailbox-after", &[("mailbox", mailbox.into())]);
            (
                connected,
                at,
                messages.to_string(),
                prompt?,
                as_they_read(choices),
            )
        }
    };
    choices
        .iter()
        .any(|choice| choice.value == answer)
        .then_some(Question {
            asked_at,
            answered_at,
            prompt,
            choices,
            answer,
        })
}

/// Choices that read as written: reply codes, host names, counts.
fn as_they_read(choices: &[String]) -> Vec<Choice> {
    choices
        .iter()
        .map(|choice| Choice {
            value: choice.clone(),
            label: choice.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{BUILT_IN, built_in, run};

    #[test]
    fn every_lesson_has_two_or_three_questions_and_the_run_answers_each() {
        for (id, _) in BUILT_IN {
            let scenario = built_in(id).unwrap();
            let trace = run(&scenario).unwrap();
            assert!(
                (2..=3).contains(&scenario.exercises.len()),
                "{id}: {} questions",
                scenario.exercises.len()
            );
            for language in [Language::En, Language::Az] {
                let posed = questions(&scenario, &trace, language);
                assert_eq!(
                    posed.len(),
                    scenario.exercises.len(),
                    "{id} ({language:?}): a question the run cannot answer"
                );
                for question in &posed {
                    assert!(question.asked_at < question.answered_at || question.asked_at == 0);
                    assert!(question.answered_at < trace.steps.len());
                    assert!(!question.prompt.is_empty());
                    assert!(question.choices.len() >= 2, "{id}: {question:?}");
                }
            }
        }
    }

    fn answers(id: &str) -> Vec<String> {
        let scenario = built_in(id).unwrap();
        let trace = run(&scenario).unwrap();
        questions(&scenario, &trace, Language::En)
            .into_iter()
            .map(|question| question.answer)
            .collect()
    }

    #[test]
    fn the_answers_are_what_the_engine_did() {
        assert_eq!(answers("greylisting")[0], "451");
        assert_eq!(answers("unknown-user")[0], "550");
        assert_eq!(
            answers("backup-mx")[..2],
            ["mx.example.org", "backup.example.org"]
        );
        assert_eq!(answers("imap").last().map(String::as_str), Some("1"));
        assert_eq!(answers("first-email").last().map(String::as_str), Some("0"));
    }

    #[test]
    fn a_changed_world_changes_the_answer_and_a_question_it_cannot_answer_is_dropped() {
        let mut scenario = built_in("greylisting").unwrap();
        scenario
            .hosts
            .iter_mut()
            .for_each(|host| host.behaviours.clear());
        let trace = run(&scenario).unwrap();
        let posed = questions(&scenario, &trace, Language::En);
        assert_eq!(posed[0].answer, "250");
        assert!(posed[0].is_right("250") && !posed[0].is_right("451"));
        scenario.exercises = vec![ExerciseSpec::Reply {
            host: "nowhere.example".into(),
            command: "RCPT".into(),
            nth: 1,
            choices: vec!["250".into(), "550".into()],
        }];
        assert!(questions(&scenario, &trace, Language::En).is_empty());
    }

    #[test]
    fn questions_read_in_the_language_asked_for() {
        let scenario = built_in("greylisting").unwrap();
        let trace = run(&scenario).unwrap();
        let english = questions(&scenario, &trace, Language::En);
        let azerbaijani = questions(&scenario, &trace, Language::Az);
        assert_ne!(english[0].prompt, azerbaijani[0].prompt);
        assert_eq!(english[0].answer, azerbaijani[0].answer);
    }
}
