//! The sandbox's challenges: a goal, a world to start from, and whether the engine's
//! last run reached it. Goals met are kept (in localStorage, by the app).

use std::collections::BTreeSet;

use wasmtp_core::sim::CHALLENGES;
use yew::prelude::*;

use super::Dispatch;
use crate::i18n::use_words;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ChallengesProps {
    /// The challenge being worked on, and whether the last run meets it.
    pub current: Option<usize>,
    pub met_now: bool,
    /// Every challenge met so far, by id.
    pub met: BTreeSet<String>,
    pub dispatch: Dispatch,
}

#[component]
pub fn Challenges(props: &ChallengesProps) -> Html {
    let words = use_words();
    let met = CHALLENGES
        .iter()
        .filter(|challenge| props.met.contains(challenge.id))
        .count();
    html! {
        <section class="challenges" aria-labelledby="challenges-title">
            <h3 id="challenges-title">{ words.get("challenges-title") }</h3>
            <p>{ words.get("challenges-intro") }</p>
            <p class="progress">{ words.with("challenges-progress", &[("met", met.into()), ("total", CHALLENGES.len().into())]) }</p>
            if let Some(challenge) = props.current.and_then(|index| CHALLENGES.get(index)) {
                <p class={classes!("goal", props.met_now.then_some("met"))} role="status">
                    <b>{ words.get("challenge-current") }</b>{ " " }
                    { words.get(&format!("challenge-{}", challenge.id)) }{ " " }
                    { words.get(if props.met_now { "challenge-met" } else { "challenge-not-yet" }) }
                </p>
            }
            <ol>
                { for CHALLENGES.iter().enumerate().map(|(index, challenge)| {
                    let dispatch = props.dispatch.clone();
                    let done = props.met.contains(challenge.id);
                    html! {
                        <li class={classes!("challenge", done.then_some("done"))} data-challenge={challenge.id}>
                            { words.get(&format!("challenge-{}", challenge.id)) }{ " " }
                            <button class="start" onclick={move |_| dispatch.emit(Action::StartChallenge(index))}>{ words.get("challenge-start") }</button>
                            if done { <span class="done-mark" aria-label={words.get("challenge-done")}>{ " ✓" }</span> }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
