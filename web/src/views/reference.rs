//! The reference: every command, reply code (alone and in its place), enhanced status
//! code, EHLO keyword and topic the simulator explains, searchable.

use wasmtp_core::explain;
use yew::prelude::*;

use super::{Dispatch, rfc_link};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ReferenceProps {
    pub query: String,
    pub dispatch: Dispatch,
}

#[component]
pub fn ReferencePage(props: &ReferenceProps) -> Html {
    let entries = use_memo((), |_| explain::reference());
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            dispatch.emit(Action::Search(input.value()));
        })
    };
    let shown: Vec<&explain::Entry> = entries
        .iter()
        .filter(|entry| entry.matches(&props.query))
        .collect();
    html! {
        <section class="reference" aria-labelledby="reference-title">
            <h2 id="reference-title">{ "Reference" }</h2>
            <label class="search">
                { "Search " }
                <input type="search" value={props.query.clone()} oninput={oninput} placeholder="550, 5.1.1, EHLO, greylisting…" />
            </label>
            <p class="count">{ format!("{} of {} entries", shown.len(), entries.len()) }</p>
            <dl class="entries">
                { for shown.iter().map(|entry| html! {
                    <>
                        <dt data-key={entry.key.clone()}>{ entry.label.clone() }</dt>
                        <dd>
                            { entry.explanation.summary }{ " " }
                            if let Some(href) = rfc_link(entry.explanation.reference) {
                                <a href={href} target="_blank" rel="noopener">{ entry.explanation.reference }</a>
                            } else {
                                <cite>{ entry.explanation.reference }</cite>
                            }
                        </dd>
                    </>
                }) }
            </dl>
        </section>
    }
}
