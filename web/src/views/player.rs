//! The step-through player: controls, the sequence diagram, the network map, and the
//! current step's bytes, explanation, RFC section, queue and clock.

use std::rc::Rc;

use wasmtp_core::explain;
use wasmtp_core::sim::{Scenario, Snapshot, Step, StepKind, Summary};
use yew::prelude::*;

use super::message::MessageView;
use super::network::NetworkMap;
use super::sequence::SequenceDiagram;
use super::{Dispatch, clock, host_name, rfc_link};
use crate::i18n::{Words, use_words};
use crate::state::{Action, Playback};

#[derive(Properties, PartialEq)]
pub struct PlayerProps {
    pub playback: Playback,
    pub scenario: Rc<Scenario>,
    pub show_crlf: bool,
    pub speed_ms: u32,
    pub dispatch: Dispatch,
}

/// The step's kind in words (`kind-<label>` in the catalog).
pub fn kind_label(words: Words, kind: StepKind) -> String {
    words.get(&format!("kind-{}", kind.label()))
}

/// The bytes, with each line end shown as a badge when asked.
fn bytes_view(words: Words, text: &str, show_crlf: bool) -> Html {
    if !show_crlf {
        return html! { <pre class="bytes">{ text }</pre> };
    }
    // Drawn as text badges, never as a font's control-picture glyphs (which fonts such
    // as DejaVu lack); a bare LF or CR, the smuggler's tool, gets a badge of its own.
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n']) {
        let (line, ending) = rest.split_at(at);
        parts.push(html! { { line } });
        let (badge, title, bare, used) = if ending.starts_with("\r\n") {
            ("CR LF", "crlf-title", false, 2)
        } else if ending.starts_with('\n') {
            ("LF", "crlf-bare-lf-title", true, 1)
        } else {
            ("CR", "crlf-bare-cr-title", true, 1)
        };
        let title = words.get(title);
        parts.push(html! {
            <><span class={classes!("crlf", bare.then_some("bare"))} title={title}>{ badge }</span>{ "\n" }</>
        });
        rest = ending.get(used..).unwrap_or_default();
    }
    parts.push(html! { { rest } });
    html! { <pre class="bytes">{ for parts }</pre> }
}

/// The latest queue snapshot at or before the current step.
fn queue_state(steps: &[Step], current: usize) -> Option<&Snapshot> {
    steps
        .get(..=current)?
        .iter()
        .rev()
        .filter_map(|step| step.snapshot.as_ref())
        .find(|snapshot| matches!(snapshot, Snapshot::Queue { .. }))
}

/// A chapter's title (`a → b`) with its hosts named as the learner reads them.
fn chapter_title(words: Words, title: &str) -> String {
    title
        .split(" → ")
        .map(|name| host_name(words, name))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// A lesson longer than this many steps gets chapter marks (one per connection).
const CHAPTERS_FROM: usize = 60;

#[component]
pub fn Player(props: &PlayerProps) -> Html {
    let words = use_words();
    let language = words.language();
    let playback = &props.playback;
    let steps = &playback.trace.steps;
    let Some(step) = steps.get(playback.step) else {
        return html! { <p>{ words.get("player-no-steps") }</p> };
    };
    let last = steps.len().saturating_sub(1);
    let send = |action: Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(action.clone()))
    };
    let toggle_crlf = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: Event| dispatch.emit(Action::ToggleCrlf))
    };
    let on_jump = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(step) = input.value().parse() {
                dispatch.emit(Action::JumpTo(step));
            }
        })
    };
    let on_speed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            if let Ok(ms) = select.value().parse() {
                dispatch.emit(Action::SetSpeed(ms));
            }
        })
    };
    // Most specific first: the topic, the reply in its place, its enhanced code, each
    // EHLO keyword, the code.
    let explained: Vec<(String, explain::Explanation)> = step
        .explains
        .iter()
        .chain(
            step.explains
                .is_empty()
                .then_some(step.explain.as_ref())
                .flatten(),
        )
        .filter_map(|key| explain::Key::parse(key))
        .map(|key| (key.label_in(language), key.explanation_in(language)))
        .collect();
    let queue = queue_state(steps, playback.step);
    html! {
        <section class="player" aria-label={words.get("player-label")}>
            <div class="controls" role="group" aria-label={words.get("player-controls")}>
                <button class="previous" onclick={send(Action::Previous)} disabled={playback.step == 0} aria-label={words.get("player-previous-label")}>{ words.get("player-previous") }</button>
                <button class="play" onclick={send(Action::TogglePlay)} aria-label={words.get(if playback.playing { "player-pause-label" } else { "player-play-label" })}>
                    { words.get(if playback.playing { "player-pause" } else { "player-play" }) }
                </button>
                <button class="next" onclick={send(Action::Next)} disabled={playback.at_end()} aria-label={words.get("player-next-label")}>{ words.get("player-next") }</button>
                <label class="jump">
                    <span>{ words.with("player-step", &[("step", (playback.step + 1).into()), ("total", steps.len().into())]) }</span>
                    <input type="range" min="0" max={last.to_string()} value={playback.step.to_string()} oninput={on_jump} aria-label={words.get("player-jump")} />
                </label>
                <label>
                    { words.get("player-speed") }{ " " }
                    <select onchange={on_speed} aria-label={words.get("player-speed-label")}>
                        { for [(1500, "speed-slow"), (700, "speed-normal"), (250, "speed-fast"), (60, "speed-very-fast")].iter().map(|(ms, name)| html! {
                            <option value={ms.to_string()} selected={props.speed_ms == *ms}>{ words.get(name) }</option>
                        }) }
                    </select>
                </label>
                <label class="toggle">
                    <input type="checkbox" checked={props.show_crlf} onchange={toggle_crlf} />
                    { " " }{ words.get("player-show-crlf") }
                </label>
            </div>
            // The step itself first: its bytes and what explains it stay in view beside
            // the controls; the diagrams follow.
            <article class="step-detail" aria-live="polite">
                <h3>
                    <span class={classes!("kind", format!("kind-{}", step.kind.label()))}>{ kind_label(words, step.kind) }</span>
                    { format!(" {} → {}", host_name(words, &step.from), host_name(words, &step.to)) }
                    <span class="clock" title={words.get("player-clock")}>{ clock(step.at_ms) }</span>
                </h3>
                { bytes_view(words, &step.text_in(language), props.show_crlf) }
                <div class="explanation">
                    { for explained.iter().map(|(label, explanation)| html! {
                        <p>
                            <b class="explained">{ label.as_str() }</b>
                            { " " }{ explanation.summary.clone() }{ " " }
                            if let Some(href) = rfc_link(explanation.reference) {
                                <a class="rfc" href={href} target="_blank" rel="noopener">{ explanation.reference }</a>
                            } else {
                                <cite>{ explanation.reference }</cite>
                            }
                        </p>
                    }) }
                </div>
                if let Some(Snapshot::Queue { host, message, recipients, states }) = queue {
                    <div class="queue">
                        <h4>{ words.with("player-queue", &[("host", host.into()), ("message", message.into())]) }</h4>
                        <ul>{ for recipients.iter().enumerate().map(|(index, recipient)| html! {
                            <li>{ states.get(index).map_or_else(|| recipient.clone(), |state| state.text_in(language)) }</li>
                        }) }</ul>
                    </div>
                }
            </article>
            <div class="stage">
                <SequenceDiagram trace={playback.trace.clone()} current={playback.step} dispatch={props.dispatch.clone()} />
                <NetworkMap scenario={props.scenario.clone()} trace={playback.trace.clone()} current={playback.step} />
            </div>
            if steps.len() > CHAPTERS_FROM {
                <nav class="chapters" aria-label={words.get("player-chapters")}>
                    <ol>
                        { for playback.trace.chapters().into_iter().map(|chapter| {
                            let dispatch = props.dispatch.clone();
                            let current = playback.step >= chapter.step;
                            html! {
                                <li>
                                    <button class={classes!("chapter", current.then_some("reached"))} onclick={move |_| dispatch.emit(Action::JumpTo(chapter.step))}>
                                        { words.with("player-chapter", &[("title", (&chapter_title(words, &chapter.title)).into()), ("step", (chapter.step + 1).into())]) }
                                    </button>
                                </li>
                            }
                        }) }
                    </ol>
                </nav>
            }
            if playback.at_end() {
                <section class="summary" aria-label={words.get("player-outcome")}>
                    <h3>{ words.get("player-outcome") }</h3>
                    <p>{ outcome_text(words, &playback.trace.summary) }</p>
                </section>
            }
            <MessageView trace={playback.trace.clone()} current={playback.step} />
        </section>
    }
}

/// The names of `items`, or "none".
pub fn list(words: Words, items: &[String]) -> String {
    if items.is_empty() {
        words.get("list-none")
    } else {
        items.join(", ")
    }
}

/// How a run ended, in one sentence.
fn outcome_text(words: Words, summary: &Summary) -> String {
    let (delivered, failed, pending) = (
        list(words, &summary.delivered),
        list(words, &summary.failed),
        list(words, &summary.pending),
    );
    let duration = clock(summary.duration_ms);
    words.with(
        "player-outcome-text",
        &[
            ("delivered", (&delivered).into()),
            ("failed", (&failed).into()),
            ("pending", (&pending).into()),
            ("round_trips", (summary.round_trips as usize).into()),
            ("duration", (&duration).into()),
        ],
    )
}
