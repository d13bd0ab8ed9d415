//! The sequence diagram (SVG): a lane per host, an arrow per DNS message, command,
//! reply and event, the current one highlighted. Clicking an arrow jumps to its step.

use std::rc::Rc;

use wasmtp_core::sim::Trace;
use yew::prelude::*;

use super::{Dispatch, host_name};
use crate::state::Action;

const LANE_WIDTH: usize = 150;
const ROW_HEIGHT: usize = 26;
/// Where the first row starts, in the scrolled figure (below the lane names).
const TOP: usize = 40;
/// The lane names' band: a sticky header, so the names stay in view as the diagram
/// scrolls down.
const NAMES_HEIGHT: usize = 24;
/// Where the first row starts in the arrows' own drawing, under the band.
const ROWS_TOP: usize = TOP - NAMES_HEIGHT;

#[derive(Properties, PartialEq)]
pub struct SequenceProps {
    pub trace: Rc<Trace>,
    pub current: usize,
    pub dispatch: Dispatch,
}

/// The lanes: every host in the order it first appears.
pub fn lanes(trace: &Trace) -> Vec<String> {
    let mut lanes: Vec<String> = Vec::new();
    for step in &trace.steps {
        for name in [&step.from, &step.to] {
            if !lanes.contains(name) {
                lanes.push(name.clone());
            }
        }
    }
    lanes
}

/// The first line of `text`, cut to `width` characters.
fn label(text: &str, width: usize) -> String {
    let first = text.lines().next().unwrap_or_default();
    if first.chars().count() > width {
        format!("{}…", first.chars().take(width - 1).collect::<String>())
    } else {
        first.to_owned()
    }
}

#[component]
pub fn SequenceDiagram(props: &SequenceProps) -> Html {
    let words = crate::i18n::use_words();
    let lanes = lanes(&props.trace);
    let x = |name: &str| {
        lanes.iter().position(|lane| lane == name).unwrap_or(0) * LANE_WIDTH + LANE_WIDTH / 2
    };
    // Keep the current arrow in view as the learner steps, down and across (a POP3
    // arrow to the far lane would otherwise be cut off).
    let figure = use_node_ref();
    {
        let figure = figure.clone();
        let middle = props
            .trace
            .steps
            .get(props.current)
            .map_or(0, |step| (x(&step.from) + x(&step.to)) / 2);
        use_effect_with((props.current, middle), move |(current, middle)| {
            if let Some(figure) = figure.cast::<web_sys::Element>() {
                let y = TOP + current * ROW_HEIGHT;
                let top = i32::try_from(y).unwrap_or(i32::MAX) - figure.client_height() / 2;
                figure.set_scroll_top(top.max(0));
                let left = i32::try_from(*middle).unwrap_or(i32::MAX) - figure.client_width() / 2;
                figure.set_scroll_left(left.max(0));
            }
        });
    }
    let width = lanes.len().max(1) * LANE_WIDTH;
    let height = ROWS_TOP + props.trace.steps.len() * ROW_HEIGHT + 10;
    let arrows = props.trace.steps.iter().enumerate().map(|(index, step)| {
        let y = ROWS_TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2;
        let (from, to) = (x(&step.from), x(&step.to));
        let current = index == props.current;
        let class = classes!(
            "arrow",
            format!("kind-{}", step.kind.label()),
            current.then_some("current"),
            (index > props.current).then_some("future"),
        );
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |_| dispatch.emit(Action::JumpTo(index)));
        // Reachable by keyboard: Tab to an arrow, Enter jumps there (space stays play).
        let dispatch = props.dispatch.clone();
        let onkeydown = Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                dispatch.emit(Action::JumpTo(index));
            }
        });
        let name = format!("{}: {} → {}", index + 1, host_name(words, &step.from), host_name(words, &step.to));
        let shape = if from == to {
            html! { <rect x={(from - 6).to_string()} y={(y - 7).to_string()} width="12" height="14" rx="3" /> }
        } else {
            let tip = if to > from { to - 4 } else { to + 4 };
            html! { <line x1={from.to_string()} y1={y.to_string()} x2={tip.to_string()} y2={y.to_string()} marker-end="url(#head)" /> }
        };
        let text_x = if from == to { from + 10 } else { from.min(to) + 6 };
        html! {
            <g class={class} data-step={index.to_string()} data-from={step.from.clone()} data-to={step.to.clone()} onclick={onclick} onkeydown={onkeydown} tabindex="0" role="button" aria-label={name.clone()}>
                <title>{ name }</title>
                { shape }
                <text x={text_x.to_string()} y={(y - 4).to_string()}>{ label(&step.text_in(words.language()), 34) }</text>
            </g>
        }
    });
    html! {
        <figure class="sequence" aria-label="Sequence diagram" ref={figure}>
            <svg class="lane-names" width={width.to_string()} height={NAMES_HEIGHT.to_string()} viewBox={format!("0 0 {width} {NAMES_HEIGHT}")} aria-hidden="true">
                { for lanes.iter().enumerate().map(|(index, name)| html! {
                    <text class="lane-name" x={(index * LANE_WIDTH + LANE_WIDTH / 2).to_string()} y="16" text-anchor="middle">{ label(&host_name(words, name), 21) }</text>
                }) }
            </svg>
            <svg width={width.to_string()} height={height.to_string()} viewBox={format!("0 0 {width} {height}")} role="img" aria-label={words.get("sequence-label")}>
                <defs>
                    <marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                { for lanes.iter().enumerate().map(|(index, name)| {
                    let center = index * LANE_WIDTH + LANE_WIDTH / 2;
                    html! {
                        <g class="lane">
                            <title>{ host_name(words, name) }</title>
                            <line x1={center.to_string()} y1="0" x2={center.to_string()} y2={height.to_string()} />
                        </g>
                    }
                }) }
                { for arrows }
            </svg>
        </figure>
    }
}
