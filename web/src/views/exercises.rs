//! "What happens next?": a lesson's questions, each asked at its step and checked
//! against the lesson's own run, with the score of first tries.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasmtp_core::sim::{self, Scenario, Trace};
use yew::prelude::*;

use super::Dispatch;
use crate::i18n::use_words;
use crate::state::{Action, Attempt, question_key, score};

#[derive(Properties, PartialEq)]
pub struct ExercisesProps {
    pub lesson: &'static str,
    pub scenario: Rc<Scenario>,
    pub trace: Rc<Trace>,
    /// The step the player shows.
    pub current: usize,
    pub answers: BTreeMap<String, Attempt>,
    pub dispatch: Dispatch,
}

#[component]
pub fn Exercises(props: &ExercisesProps) -> Html {
    let words = use_words();
    let questions = sim::questions(&props.scenario, &props.trace, words.language());
    if questions.is_empty() {
        return html! {};
    }
    let attempts: Vec<Option<&Attempt>> = (0..questions.len())
        .map(|index| props.answers.get(&question_key(props.lesson, index)))
        .collect();
    let (right, _) = score(&props.answers, props.lesson, questions.len());
    html! {
        <section class="exercises" aria-labelledby="exercises-title">
            <h3 id="exercises-title">{ words.get("exercises-title") }</h3>
            <p>{ words.get("exercises-intro") }</p>
            <p class="score" aria-live="polite">{ words.with("exercises-score", &[("right", right.into()), ("total", questions.len().into())]) }</p>
            <ol>
                { for questions.iter().zip(&attempts).enumerate().map(|(index, (question, attempt))| {
                    let now = props.current == question.asked_at;
                    let go = |step: usize| {
                        let dispatch = props.dispatch.clone();
                        Callback::from(move |_| dispatch.emit(Action::JumpTo(step)))
                    };
                    let solved = attempt.is_some_and(|attempt| attempt.solved);
                    let feedback = attempt.map(|attempt| if attempt.solved {
                        html! {
                            <p class="feedback right">
                                { words.get("exercise-right") }{ " " }
                                <button class="link show" onclick={go(question.answered_at)}>{ words.with("exercise-show", &[("step", (question.answered_at + 1).into())]) }</button>
                            </p>
                        }
                    } else {
                        html! { <p class="feedback wrong">{ words.get("exercise-wrong") }</p> }
                    });
                    html! {
                        <li class={classes!("question", now.then_some("now"))} data-question={index.to_string()}>
                            <p class="prompt">
                                <button class="link asked-at" onclick={go(question.asked_at)}>{ words.with("exercise-asked-at", &[("step", (question.asked_at + 1).into())]) }</button>
                                { " " }{ question.prompt.clone() }
                            </p>
                            <div class="choices" role="group" aria-label={question.prompt.clone()}>
                                { for question.choices.iter().map(|choice| {
                                    let dispatch = props.dispatch.clone();
                                    let value = choice.value.clone();
                                    let chosen = attempt.is_some_and(|attempt| attempt.last == choice.value);
                                    html! {
                                        <button
                                            class={classes!("choice", chosen.then_some("chosen"))}
                                            data-value={choice.value.clone()}
                                            aria-pressed={chosen.to_string()}
                                            disabled={solved}
                                            onclick={move |_| dispatch.emit(Action::Answer { question: index, choice: value.clone() })}
                                        >{ choice.label.clone() }</button>
                                    }
                                }) }
                            </div>
                            { for feedback }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
