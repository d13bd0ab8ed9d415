//! The delivered message with its `Received:` chain read hop by hop, newest first as in
//! the header (RFC 5321 §4.4), and any bounce (DSN) explained.

use std::rc::Rc;

use wasmtp_core::sim::{StepKind, Trace};
use yew::prelude::*;

use crate::i18n::{Words, use_words};

#[derive(Properties, PartialEq)]
pub struct MessageProps {
    pub trace: Rc<Trace>,
    pub current: usize,
}

/// The header fields of a message, unfolded (RFC 5322 §2.2.3).
fn header_fields(message: &str) -> Vec<String> {
    let header = message.split("\r\n\r\n").next().unwrap_or_default();
    let mut fields: Vec<String> = Vec::new();
    for line in header.split("\r\n") {
        match fields.last_mut() {
            Some(field) if line.starts_with([' ', '\t']) => {
                field.push(' ');
                field.push_str(line.trim());
            }
            _ => fields.push(line.to_owned()),
        }
    }
    fields
}

/// `from X by Y with PROTOCOL id ID; date` → a sentence.
fn hop(text: Words, received: &str) -> String {
    let value = received
        .split_once(':')
        .map_or(received, |(_, value)| value)
        .trim();
    let (clauses, date) = value.rsplit_once(';').unwrap_or((value, ""));
    let words: Vec<&str> = clauses.split_whitespace().collect();
    let after = |keyword: &str| {
        words
            .iter()
            .position(|word| word.eq_ignore_ascii_case(keyword))
            .and_then(|index| words.get(index + 1))
            .copied()
            .unwrap_or("?")
    };
    let meaning = match after("with") {
        "ESMTPSA" => "protocol-esmtpsa",
        "ESMTPS" => "protocol-esmtps",
        "ESMTPA" => "protocol-esmtpa",
        "ESMTP" => "protocol-esmtp",
        "SMTP" => "protocol-smtp",
        _ => "protocol-other",
    };
    text.with(
        "message-hop",
        &[
            ("from", after("from").into()),
            ("by", after("by").into()),
            ("with", after("with").into()),
            ("meaning", (&text.get(meaning)).into()),
            ("date", date.trim().into()),
        ],
    )
}

#[component]
pub fn MessageView(props: &MessageProps) -> Html {
    let shown = props.trace.steps.get(..=props.current).unwrap_or_default();
    let delivered = shown
        .iter()
        .rev()
        .find(|step| step.kind == StepKind::Deliver);
    let bounce = shown
        .iter()
        .rev()
        .find(|step| step.kind == StepKind::Bounce);
    let words = use_words();
    if delivered.is_none() && bounce.is_none() {
        return html! {};
    }
    html! {
        <section class="message" aria-label={words.get("message-label")}>
            if let Some(step) = delivered {
                <h3>{ words.with("message-delivered", &[("mailbox", (&step.to).into())]) }</h3>
                <p>{ words.get("message-path") }</p>
                <ol class="hops" reversed=true>
                    { for header_fields(&step.text).iter().filter(|field| field.to_ascii_lowercase().starts_with("received:")).map(|field| html! {
                        <li><span class="hop">{ hop(words, field) }</span><pre class="bytes">{ field.clone() }</pre></li>
                    }) }
                </ol>
                <details>
                    <summary>{ words.get("message-whole") }</summary>
                    <pre class="bytes">{ step.text.clone() }</pre>
                </details>
            }
            if let Some(step) = bounce {
                <h3>{ words.get("message-bounce") }</h3>
                <p>{ words.get("message-bounce-text") }</p>
                <pre class="bytes">{ step.text.clone() }</pre>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtp_core::i18n::Language;

    #[test]
    fn folded_received_fields_read_as_a_hop() {
        let message = "Return-Path: <a@x>\r\nReceived: from a.example ([192.0.2.1])\r\n\tby b.example (wasmtp) with ESMTPS id s1.1\r\n\tfor <bob@example.org>;\r\n\tMon, 05 Jan 2026 09:00:00 +0000\r\nSubject: x\r\n\r\nbody\r\n";
        let fields = header_fields(message);
        assert_eq!(fields.len(), 3);
        assert_eq!(
            hop(Words(Language::En), &fields[1]),
            "a.example handed it to b.example over ESMTPS (ESMTP, encrypted), at Mon, 05 Jan 2026 09:00:00 +0000"
        );
        assert_eq!(
            hop(Words(Language::Az), &fields[1]),
            "a.example onu ESMTPS (ESMTP, şifrəli) ilə b.example serverinə təhvil verdi, vaxt: Mon, 05 Jan 2026 09:00:00 +0000"
        );
    }
}
