//! The step-through player: controls, the sequence diagram, the network map, and the
//! current step's bytes, explanation, RFC section, queue and clock.

use std::rc::Rc;

use wasmtp_core::explain;
use wasmtp_core::sim::{Scenario, Snapshot, Step, StepKind};
use yew::prelude::*;

use super::message::MessageView;
use super::network::NetworkMap;
use super::sequence::SequenceDiagram;
use super::{Dispatch, clock, rfc_link};
use crate::state::{Action, Playback};

#[derive(Properties, PartialEq)]
pub struct PlayerProps {
    pub playback: Playback,
    pub scenario: Rc<Scenario>,
    pub show_crlf: bool,
    pub speed_ms: u32,
    pub dispatch: Dispatch,
}

/// The step's kind in words.
pub fn kind_label(kind: StepKind) -> &'static str {
    match kind {
        StepKind::DnsQuery => "DNS question",
        StepKind::DnsAnswer => "DNS answer",
        StepKind::Connect => "connection",
        StepKind::ConnectFailed => "connection failed",
        StepKind::Command => "command",
        StepKind::Reply => "reply",
        StepKind::Data => "message data",
        StepKind::Tls => "TLS",
        StepKind::Queue => "queue",
        StepKind::RetryScheduled => "retry scheduled",
        StepKind::Deliver => "delivery",
        StepKind::Bounce => "bounce",
        StepKind::Fetch => "POP3",
        StepKind::Uucp => "UUCP",
        StepKind::Note => "note",
    }
}

/// The bytes, with each line end shown as a badge when asked.
fn bytes_view(text: &str, show_crlf: bool) -> Html {
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
            (
                "CR LF",
                "CR LF: the two bytes that end every SMTP line",
                false,
                2,
            )
        } else if ending.starts_with('\n') {
            (
                "LF",
                "a bare LF: not a line end in SMTP (RFC 5321 §2.3.8)",
                true,
                1,
            )
        } else {
            (
                "CR",
                "a bare CR: not a line end in SMTP (RFC 5321 §2.3.8)",
                true,
                1,
            )
        };
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

/// A lesson longer than this many steps gets chapter marks (one per connection).
const CHAPTERS_FROM: usize = 60;

#[component]
pub fn Player(props: &PlayerProps) -> Html {
    let playback = &props.playback;
    let steps = &playback.trace.steps;
    let Some(step) = steps.get(playback.step) else {
        return html! { <p>{ "This trace has no steps." }</p> };
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
        .map(|key| (key.label(), key.explanation()))
        .collect();
    let queue = queue_state(steps, playback.step);
    html! {
        <section class="player" aria-label="Step-through player">
            <div class="controls" role="group" aria-label="Playback">
                <button onclick={send(Action::Previous)} disabled={playback.step == 0} aria-label="Previous step (←)">{ "◀ Back" }</button>
                <button class="play" onclick={send(Action::TogglePlay)} aria-label={if playback.playing { "Pause (space)" } else { "Play (space)" }}>
                    { if playback.playing { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <button onclick={send(Action::Next)} disabled={playback.at_end()} aria-label="Next step (→)">{ "Next ▶" }</button>
                <label class="jump">
                    <span>{ format!("Step {} of {}", playback.step + 1, steps.len()) }</span>
                    <input type="range" min="0" max={last.to_string()} value={playback.step.to_string()} oninput={on_jump} aria-label="Jump to step" />
                </label>
                <label>
                    { "Speed " }
                    <select onchange={on_speed} aria-label="Playback speed">
                        { for [(1500, "slow"), (700, "normal"), (250, "fast"), (60, "very fast")].iter().map(|(ms, name)| html! {
                            <option value={ms.to_string()} selected={props.speed_ms == *ms}>{ *name }</option>
                        }) }
                    </select>
                </label>
                <label class="toggle">
                    <input type="checkbox" checked={props.show_crlf} onchange={toggle_crlf} />
                    { " show CR LF" }
                </label>
            </div>
            if steps.len() > CHAPTERS_FROM {
                <nav class="chapters" aria-label="Chapters">
                    <ol>
                        { for playback.trace.chapters().into_iter().map(|chapter| {
                            let dispatch = props.dispatch.clone();
                            let current = playback.step >= chapter.step;
                            html! {
                                <li>
                                    <button class={classes!("chapter", current.then_some("reached"))} onclick={move |_| dispatch.emit(Action::JumpTo(chapter.step))}>
                                        { format!("{} · step {}", chapter.title, chapter.step + 1) }
                                    </button>
                                </li>
                            }
                        }) }
                    </ol>
                </nav>
            }
            <div class="stage">
                <SequenceDiagram trace={playback.trace.clone()} current={playback.step} dispatch={props.dispatch.clone()} />
                <NetworkMap scenario={props.scenario.clone()} trace={playback.trace.clone()} current={playback.step} />
            </div>
            <article class="step-detail" aria-live="polite">
                <h3>
                    <span class={classes!("kind", format!("kind-{}", step.kind.label()))}>{ kind_label(step.kind) }</span>
                    { format!(" {} → {}", step.from, step.to) }
                    <span class="clock" title="virtual clock">{ clock(step.at_ms) }</span>
                </h3>
                { bytes_view(&step.text, props.show_crlf) }
                <div class="explanation">
                    { for explained.iter().map(|(label, explanation)| html! {
                        <p>
                            <b class="explained">{ label.as_str() }</b>
                            { " " }{ explanation.summary }{ " " }
                            if let Some(href) = rfc_link(explanation.reference) {
                                <a class="rfc" href={href} target="_blank" rel="noopener">{ explanation.reference }</a>
                            } else {
                                <cite>{ explanation.reference }</cite>
                            }
                        </p>
                    }) }
                </div>
                if let Some(Snapshot::Queue { host, message, recipients }) = queue {
                    <div class="queue">
                        <h4>{ format!("Queue of {host}: message {message}") }</h4>
                        <ul>{ for recipients.iter().map(|recipient| html! { <li>{ recipient }</li> }) }</ul>
                    </div>
                }
            </article>
            if playback.at_end() {
                <section class="summary" aria-label="Outcome">
                    <h3>{ "Outcome" }</h3>
                    <p>{ format!(
                        "Delivered: {}. Failed: {}. Pending: {}. {} SMTP round trips, {} of virtual time.",
                        list(&playback.trace.summary.delivered),
                        list(&playback.trace.summary.failed),
                        list(&playback.trace.summary.pending),
                        playback.trace.summary.round_trips,
                        clock(playback.trace.summary.duration_ms),
                    ) }</p>
                </section>
            }
            <MessageView trace={playback.trace.clone()} current={playback.step} />
        </section>
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}
