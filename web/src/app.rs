//! The app shell: title and the transcript panel.

use yew::prelude::*;

use crate::components::transcript_panel::TranscriptPanel;
use crate::transcript;

/// The client's side of the demonstration dialogue: one message, start to end.
const DEMO_COMMANDS: &[&str] = &[
    "EHLO client.example",
    "MAIL FROM:<alice@client.example>",
    "RCPT TO:<bob@mx.example>",
    "DATA",
    "Subject: Hello",
    "",
    "Hi Bob!",
    ".",
    "QUIT",
];

#[component]
pub fn App() -> Html {
    let lines = use_memo((), |_| transcript::play("mx.example", DEMO_COMMANDS));
    html! {
        <>
            <header>
                <h1>{ "wasmtp — SMTP, step by step" }</h1>
                <p>{ "Every line below is produced by the wasmtp SMTP engine, running in this page." }</p>
            </header>
            <main>
                <TranscriptPanel lines={lines} />
            </main>
        </>
    }
}
