//! The lessons: the list (with progress), and a lesson's page: its intro, the player,
//! what to notice, and "try this" changes that open it in the sandbox.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use wasmtp_core::sim;
use yew::prelude::*;

use super::Dispatch;
use super::exercises::Exercises;
use super::player::{Player, kind_label};
use crate::i18n::use_words;
use crate::lessons::LESSONS;
use crate::route::Route;
use crate::state::{Action, Attempt, Playback, score};

#[derive(Properties, PartialEq)]
pub struct LessonListProps {
    pub done: BTreeSet<String>,
    /// Every question answered, by key: each lesson shows its score.
    pub answers: BTreeMap<String, Attempt>,
    pub dispatch: Dispatch,
}

#[component]
pub fn LessonList(props: &LessonListProps) -> Html {
    let words = use_words();
    let finished = LESSONS
        .iter()
        .filter(|lesson| props.done.contains(lesson.id))
        .count();
    html! {
        <section class="lessons" aria-labelledby="lessons-title">
            <Journey dispatch={props.dispatch.clone()} />
            <h2 id="lessons-title">{ words.get("lessons-title") }</h2>
            <p class="progress">{ words.with("lessons-progress", &[("done", finished.into()), ("total", LESSONS.len().into())]) }</p>
            <ol class="lesson-list">
                { for LESSONS.iter().enumerate().filter_map(|(index, lesson)| {
                    let scenario = sim::built_in(lesson.id)?;
                    let text = scenario.text_in(words.language());
                    let dispatch = props.dispatch.clone();
                    let done = props.done.contains(lesson.id);
                    let total = scenario.exercises.len();
                    let (right, answered) = score(&props.answers, lesson.id, total);
                    Some(html! {
                        <li class={classes!(done.then_some("done"))}>
                            <a class="lesson-link" data-lesson={lesson.id} href={lesson_address(index)} onclick={open(dispatch, index)}>
                                { text.title }
                                if done { <span class="done-mark" aria-label={words.get("lesson-done")}>{ " ✓" }</span> }
                                if answered > 0 {
                                    <span class="lesson-score">{ words.with("lesson-score", &[("right", right.into()), ("total", total.into())]) }</span>
                                }
                            </a>
                            <p>{ text.intro }</p>
                        </li>
                    })
                }) }
            </ol>
        </section>
    }
}

/// A lesson's address, which the browser follows before the app runs (from the first
/// view rendered ahead of time).
fn lesson_address(index: usize) -> String {
    Route::Lesson { index, step: 0 }.fragment()
}

/// Opens lesson `index` in the app, instead of following its link.
fn open(dispatch: Dispatch, index: usize) -> Callback<MouseEvent> {
    Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        dispatch.emit(Action::OpenLesson(index));
    })
}

/// One part of an email's journey, and the lesson that shows it: `journey-<part>` in
/// the catalog says what it is as a newcomer would, `journey-<part>-role` its name in
/// the trade (RFC 5598's roles, the protocol).
struct Part {
    name: &'static str,
    lesson: &'static str,
}

/// An email's journey from Alice's screen to Bob's, left to right (RFC 5598 §2).
const JOURNEY: &[Part] = &[
    Part {
        name: "mua",
        lesson: "first-email",
    },
    Part {
        name: "msa",
        lesson: "first-email",
    },
    Part {
        name: "dns",
        lesson: "mx-preference",
    },
    Part {
        name: "mx",
        lesson: "unknown-user",
    },
    Part {
        name: "backup",
        lesson: "backup-mx",
    },
    Part {
        name: "mailbox",
        lesson: "first-email",
    },
    Part {
        name: "fetch",
        lesson: "imap",
    },
];

#[derive(Properties, PartialEq)]
struct JourneyProps {
    dispatch: Dispatch,
}

/// The first thing a newcomer sees: the whole journey of an email as one picture, each
/// part a way into the lesson that shows it.
#[component]
fn Journey(props: &JourneyProps) -> Html {
    let words = use_words();
    html! {
        <figure class="journey" aria-labelledby="journey-title">
            <figcaption id="journey-title">{ words.get("journey-caption") }</figcaption>
            <ol>
                { for JOURNEY.iter().filter_map(|part| {
                    let index = LESSONS.iter().position(|lesson| lesson.id == part.lesson)?;
                    let dispatch = props.dispatch.clone();
                    Some(html! {
                        <li>
                            <a class="journey-part" data-journey={part.lesson} href={lesson_address(index)} onclick={open(dispatch, index)}>
                                <span class="part-name">{ words.get(&format!("journey-{}", part.name)) }</span>
                                <span class="part-role">{ words.get(&format!("journey-{}-role", part.name)) }</span>
                            </a>
                        </li>
                    })
                }) }
            </ol>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonPageProps {
    pub index: usize,
    pub playback: Option<Playback>,
    /// Every question answered (all lessons), by key.
    pub answers: BTreeMap<String, Attempt>,
    pub show_crlf: bool,
    pub speed_ms: u32,
    pub dispatch: Dispatch,
}

#[component]
pub fn LessonPage(props: &LessonPageProps) -> Html {
    let words = use_words();
    let language = words.language();
    let Some(lesson) = LESSONS.get(props.index) else {
        return html! {};
    };
    let Some(scenario) = sim::built_in(lesson.id) else {
        return html! {};
    };
    let back = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::ShowLessons))
    };
    let next = (props.index + 1 < LESSONS.len()).then(|| {
        let dispatch = props.dispatch.clone();
        let index = props.index + 1;
        Callback::from(move |_| dispatch.emit(Action::OpenLesson(index)))
    });
    let text = scenario.text_in(language);
    let scenario = Rc::new(scenario);
    let transcript = props.playback.as_ref().map(|playback| {
        html! {
            <ol class="print-transcript" aria-hidden="true">
                { for playback.trace.steps.iter().map(|step| html! {
                    <li>
                        <span class="at">{ format!("{:>7.3} s ", step.at_ms as f64 / 1000.0) }</span>
                        <span>{ format!("{} {} → {}: {}", kind_label(words, step.kind), step.from, step.to, step.text_in(language).lines().next().unwrap_or_default().trim_end()) }</span>
                        { for step.explains.first().and_then(|key| wasmtp_core::explain::lookup_in(key, language)).map(|explanation| html! {
                            <span class="why">{ format!(" — {} ({})", explanation.summary, explanation.reference) }</span>
                        }) }
                    </li>
                }) }
            </ol>
        }
    });
    html! {
        <section class="lesson" aria-labelledby="lesson-title">
            <p class="to-list"><button class="link" onclick={back}>{ words.get("lesson-back") }</button></p>
            <LessonTitle index={props.index} title={text.title} />
            <p class="intro">{ text.intro }</p>
            if let Some(playback) = props.playback.clone() {
                <Player
                    playback={playback.clone()}
                    scenario={scenario.clone()}
                    show_crlf={props.show_crlf}
                    speed_ms={props.speed_ms}
                    dispatch={props.dispatch.clone()}
                />
                <Exercises
                    lesson={lesson.id}
                    scenario={scenario.clone()}
                    trace={playback.trace.clone()}
                    current={playback.step}
                    answers={props.answers.clone()}
                    dispatch={props.dispatch.clone()}
                />
            }
            <section class="notice" aria-label={words.get("lesson-notice")}>
                <h3>{ words.get("lesson-notice") }</h3>
                <ul>{ for text.notice.iter().map(|item| html! { <li>{ item.clone() }</li> }) }</ul>
            </section>
            <section class="try-this" aria-label={words.get("lesson-try-this")}>
                <h3>{ words.get("lesson-try-this") }</h3>
                <ul>
                    { for lesson.try_this.iter().enumerate().map(|(change, try_this)| {
                        let dispatch = props.dispatch.clone();
                        let lesson = props.index;
                        html! {
                            <li><button onclick={move |_| dispatch.emit(Action::TryThis { lesson, change })}>{ words.get(try_this.label) }</button></li>
                        }
                    }) }
                </ul>
            </section>
            if let Some(next) = next {
                <p class="next-lesson"><button onclick={next}>{ words.get("lesson-next") }</button></p>
            }
            { for transcript }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LessonTitleProps {
    index: usize,
    title: String,
}

/// The lesson's title. A lesson opens at its top, with the focus on its title (a screen
/// reader reads where the learner is), not at the list's scroll position.
#[component]
fn LessonTitle(props: &LessonTitleProps) -> Html {
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with(props.index, move |_| {
            if let Some(window) = web_sys::window() {
                window.scroll_to_with_x_and_y(0.0, 0.0);
            }
            if let Some(heading) = heading.cast::<web_sys::HtmlElement>() {
                let _ = heading.focus();
            }
        });
    }
    html! {
        <h2 id="lesson-title" tabindex="-1" ref={heading}>{ format!("{}. {}", props.index + 1, props.title) }</h2>
    }
}
