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

/// The bytes, with CR LF shown as `␍␊` when asked.
fn bytes_view(text: &str, show_crlf: bool) -> Html {
    if !show_crlf {
        return html! { <pre class="bytes">{ text }</pre> };
    }
    let mut parts = Vec::new();
    for (index, line) in text.split("\r\n").enumerate() {
        if index > 0 {
            parts.push(html! { <><span class="crlf" title="CR LF: the two bytes that end every SMTP line">{ "␍␊" }</span>{ "\n" }</> });
        }
        parts.push(html! { { line } });
    }
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
    let explanation = step.explain.as_deref().and_then(explain::lookup);
    let reference = step
        .reference
        .as_deref()
        .or(explanation.map(|explanation| explanation.reference));
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
                <p class="explanation">
                    { explanation.map(|explanation| explanation.summary).unwrap_or("") }
                    if let Some(reference) = reference {
                        { " " }
                        if let Some(href) = rfc_link(reference) {
                            <a class="rfc" href={href} target="_blank" rel="noopener">{ reference }</a>
                        } else {
                            <cite>{ reference }</cite>
                        }
                    }
                </p>
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
