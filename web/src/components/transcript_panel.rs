//! A session transcript: who said what, CR LF made visible, each reply explained.

use std::rc::Rc;

use yew::prelude::*;

use crate::transcript::{Line, Speaker};

#[derive(Properties, PartialEq)]
pub struct TranscriptPanelProps {
    pub lines: Rc<Vec<Line>>,
}

#[component]
pub fn TranscriptPanel(props: &TranscriptPanelProps) -> Html {
    html! {
        <section class="panel" aria-labelledby="transcript-title">
            <h2 id="transcript-title">{ "Transcript" }</h2>
            <ol class="transcript">
                { for props.lines.iter().map(line_view) }
            </ol>
        </section>
    }
}

fn line_view(line: &Line) -> Html {
    let (who, class) = match line.speaker {
        Speaker::Client => ("Client", "client"),
        Speaker::Server => ("Server", "server"),
    };
    html! {
        <li class={classes!(line.failure.then_some("failure"))}>
            <span class={classes!("who", class)}>{ who }</span>
            <span class="wire">{ &line.text }<span class="crlf" title="CR LF: every SMTP line ends with these two bytes">{ "\\r\\n" }</span></span>
            if let Some(explanation) = line.explanation {
                <span class="explain">
                    { explanation.summary }{ " " }<cite>{ explanation.reference }</cite>
                </span>
            }
        </li>
    }
}
