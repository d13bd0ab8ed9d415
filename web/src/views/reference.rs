//! The reference: every command, reply code (alone and in its place), enhanced status
//! code, EHLO keyword and topic the simulator explains, searchable.

use wasmtp_core::explain;
use yew::prelude::*;

use super::{Dispatch, rfc_link};
use crate::i18n::use_words;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ReferenceProps {
    pub query: String,
    pub dispatch: Dispatch,
}

#[component]
pub fn ReferencePage(props: &ReferenceProps) -> Html {
    let words = use_words();
    let entries = use_memo(words.language(), |language| {
        explain::reference_in(*language)
    });
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
            <h2 id="reference-title">{ words.get("reference-title") }</h2>
            <label class="search">
                { words.get("reference-search") }{ " " }
                <input type="search" value={props.query.clone()} oninput={oninput} placeholder={words.get("reference-placeholder")} />
            </label>
            <p class="count">{ words.with("reference-count", &[("shown", shown.len().into()), ("total", entries.len().into())]) }</p>
            <dl class="entries">
                { for shown.iter().map(|entry| html! {
                    <>
                        <dt data-key={entry.key.clone()}>{ entry.label.clone() }</dt>
                        <dd>
                            { entry.explanation.summary.clone() }{ " " }
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
