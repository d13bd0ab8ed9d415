//! The terminal: the learner types SMTP to the real server session (with a chosen
//! profile); every reply appears with its explanation. DATA mode, pipelined lines
//! (paste several) and malformed input behave as the server makes them.

use wasmtp_core::dialogue::{self, ExplainedReply, Profile};
use yew::prelude::*;

use super::{Dispatch, rfc_link};
use crate::i18n::{Words, use_words};
use crate::state::{Action, Terminal};

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub terminal: Terminal,
    pub dispatch: Dispatch,
}

fn reply_view(reply: &ExplainedReply) -> Html {
    let failure = reply.code >= 400;
    html! {
        <li class={classes!("server", failure.then_some("failure"))}>
            <span class="who">{ "S:" }</span>
            <pre class="wire" data-code={reply.code.to_string()}>{ reply.text.trim_end() }</pre>
            { for reply.explanations.iter().map(|explanation| html! {
                <p class="explain">
                    { explanation.summary.clone() }{ " " }
                    if let Some(href) = rfc_link(explanation.reference) {
                        <a href={href} target="_blank" rel="noopener">{ explanation.reference }</a>
                    } else {
                        <cite>{ explanation.reference }</cite>
                    }
                </p>
            }) }
        </li>
    }
}

/// The parts of the `Received:` field the server wrote (RFC 5321 §4.4), in its order,
/// each with its meaning's message (`received-<part>`).
const RECEIVED_PARTS: &[(&str, &str)] = &[
    ("from", "received-from"),
    ("by", "received-by"),
    ("with", "received-with"),
    ("id", "received-id"),
    ("for", "received-for"),
    ("; date", "received-date"),
];

/// The message as the server stored it, with its trace fields explained.
fn stored_view(words: Words, stored: &str) -> Html {
    html! {
        <section class="stored" aria-label={words.get("stored-label")}>
            <h3>{ words.get("stored-title") }</h3>
            <pre class="bytes">{ stored }</pre>
            <p>{ words.get("stored-intro") }</p>
            <dl>
                { for RECEIVED_PARTS.iter().map(|(part, meaning)| html! {
                    <><dt><code>{ *part }</code></dt><dd>{ words.get(meaning) }</dd></>
                }) }
            </dl>
        </section>
    }
}

#[component]
pub fn TerminalPage(props: &TerminalProps) -> Html {
    let words = use_words();
    let input = use_node_ref();
    let played = dialogue::play_in(
        props.terminal.profile,
        &props.terminal.lines,
        words.language(),
    );
    // After a 354 and until the lone dot, lines are message content.
    let in_data = played
        .exchanges
        .iter()
        .rev()
        .find(|exchange| !exchange.replies.is_empty())
        .is_some_and(|exchange| exchange.replies.iter().any(|reply| reply.code == 354));
    let onsubmit = {
        let dispatch = props.dispatch.clone();
        let input = input.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(field) = input.cast::<web_sys::HtmlInputElement>() {
                // Several lines pasted at once are pipelined, as a client may (RFC 2920).
                for line in field.value().split('\n') {
                    dispatch.emit(Action::TypeLine(line.trim_end_matches('\r').to_owned()));
                }
                field.set_value("");
            }
        })
    };
    let on_profile = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            if let Some(profile) = Profile::from_name(&select.value()) {
                dispatch.emit(Action::SetProfile(profile));
            }
        })
    };
    let clear = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::ClearTerminal))
    };
    html! {
        <section class="terminal" aria-labelledby="terminal-title">
            <h2 id="terminal-title">{ words.get("terminal-title") }</h2>
            <p>{ words.with("terminal-intro", &[("server", dialogue::SERVER_NAME.into()), ("domain", dialogue::LOCAL_DOMAIN.into())]) }</p>
            <div class="terminal-options">
                <label>
                    { words.get("terminal-profile") }{ " " }
                    <select onchange={on_profile}>
                        { for Profile::ALL.iter().map(|profile| html! {
                            <option value={profile.name()} selected={*profile == props.terminal.profile}>{ profile.name() }</option>
                        }) }
                    </select>
                </label>
                <button onclick={clear}>{ words.get("terminal-start-over") }</button>
            </div>
            <ol class="transcript" aria-live="polite">
                { for played.greeting.iter().map(reply_view) }
                { for played.exchanges.iter().map(|exchange| html! {
                    <>
                        <li class="client">
                            <span class="who">{ "C:" }</span>
                            <pre class="wire">{ exchange.sent.clone() }<span class="crlf" title={words.get("crlf-title")}>{ "CR LF" }</span></pre>
                        </li>
                        { for exchange.replies.iter().map(reply_view) }
                    </>
                }) }
            </ol>
            if let Some(stored) = &played.stored {
                { stored_view(words, stored) }
            }
            if played.closed {
                <p class="closed">{ words.get("terminal-closed") }</p>
            } else {
                <form class="prompt" onsubmit={onsubmit}>
                    <label for="terminal-input">{ words.get(if in_data { "terminal-message-line" } else { "terminal-command" }) }</label>
                    <input id="terminal-input" ref={input} autocomplete="off" spellcheck="false" placeholder={played.hint.clone().unwrap_or_default()} />
                    <button type="submit">{ words.get("terminal-send") }</button>
                    if let Some(hint) = played.hint {
                        <p class="hint">{ words.get("terminal-next") }{ " " }<code>{ hint }</code></p>
                    }
                </form>
            }
        </section>
    }
}
