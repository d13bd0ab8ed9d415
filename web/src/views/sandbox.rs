//! The sandbox: the world of a scenario (DNS records, hosts, envelope, message) edited
//! with forms or as JSON, run with the real engine, problems shown next to the field
//! they concern, and the whole scenario shareable as a link.

use std::collections::BTreeSet;
use std::rc::Rc;

use wasmtp_core::i18n::Language;
use wasmtp_core::sim::{
    Behaviour, Change, DnsRecordSpec, RECORD_KINDS, ROLES, Scenario, ScenarioError, Summary,
};
use yew::prelude::*;

use super::Dispatch;
use super::challenges::Challenges;
use super::player::{Player, list as names};
use crate::i18n::{Words, use_words};
use crate::share;
use crate::state::{Action, Sandbox};

#[derive(Properties, PartialEq)]
pub struct SandboxProps {
    pub sandbox: Sandbox,
    /// The challenges met so far, by id.
    pub challenges_met: BTreeSet<String>,
    pub show_crlf: bool,
    pub speed_ms: u32,
    pub dispatch: Dispatch,
}

/// What the last run found wrong, and the language to say it in.
#[derive(Clone, Copy)]
struct Problems<'a> {
    found: &'a [ScenarioError],
    language: Language,
}

/// The problems found at `path` or one of its items (`message.to[1]`), in plain words
/// (the field they concern shows them beside it, so the path is not repeated).
fn problems_at(problems: Problems<'_>, path: &str) -> Vec<String> {
    problems
        .found
        .iter()
        .filter(|problem| problem.path == path || problem.path.starts_with(&format!("{path}[")))
        .map(|problem| problem.message_in(problems.language))
        .collect()
}

/// Whether a form field shows the problems at `path`; the others are listed above the
/// forms, with their path.
fn shown_at_a_field(path: &str) -> bool {
    let item = |prefix: &str, fields: &[&str]| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.split_once(']'))
            .is_some_and(|(index, rest)| {
                index.parse::<usize>().is_ok()
                    && (rest.is_empty()
                        || fields.iter().any(|field| {
                            rest.strip_prefix('.').is_some_and(|name| {
                                name == *field || name.starts_with(&format!("{field}["))
                            })
                        }))
            })
    };
    matches!(path, "sender.address" | "message.subject" | "message.to")
        || path.starts_with("message.to[")
        || item("dns[", &["name", "type", "value"])
        || item(
            "hosts[",
            &["name", "address", "role", "down_minutes", "behaviours"],
        )
}

/// The problems of `path`, each in a paragraph with an id the field points to.
fn problem_notes(path: &str, found: &[String]) -> Html {
    html! {
        { for found.iter().map(|message| html! {
            <p class="problem" id={format!("problem-{path}")} role="alert">{ message.clone() }</p>
        }) }
    }
}

/// The scenario with one edit made by a form control.
fn edited<F: Fn(&mut Scenario, String) + 'static>(
    scenario: &Scenario,
    dispatch: &Dispatch,
    edit: F,
) -> impl Fn(String) + use<F> {
    let scenario = scenario.clone();
    let dispatch = dispatch.clone();
    move |value| {
        let mut changed = scenario.clone();
        edit(&mut changed, value);
        dispatch.emit(Action::EditScenario(changed));
    }
}

/// Where a field is, and what the last run found wrong with it.
struct At<'a> {
    path: String,
    problems: Problems<'a>,
}

impl At<'_> {
    fn of(path: String, problems: Problems<'_>) -> At<'_> {
        At { path, problems }
    }
}

/// A form control with its label; marked invalid, with the problem beside it, when the
/// last run found one at its place. `control` gets whether it is invalid.
fn labelled(label: &str, at: &At<'_>, control: impl FnOnce(bool, String) -> Html) -> Html {
    let found = problems_at(at.problems, &at.path);
    let invalid = !found.is_empty();
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span>{ label.to_owned() }</span>
            { control(invalid, format!("problem-{}", at.path)) }
            { problem_notes(&at.path, &found) }
        </label>
    }
}

/// The sandbox's forms: every control edits the scenario through the dispatcher.
#[derive(Clone, Copy)]
struct Form<'a> {
    scenario: &'a Scenario,
    dispatch: &'a Dispatch,
}

impl Form<'_> {
    /// A change handler: `value_of` reads the control's new value, `edit` applies it.
    fn on_change<E: wasm_bindgen::JsCast + AsRef<web_sys::EventTarget> + 'static>(
        &self,
        value_of: fn(&E) -> String,
        edit: impl Fn(&mut Scenario, String) + 'static,
    ) -> Callback<Event> {
        let apply = edited(self.scenario, self.dispatch, edit);
        Callback::from(move |event: Event| apply(value_of(&event.target_unchecked_into::<E>())))
    }

    /// A text input that edits one field of the scenario.
    fn field(
        &self,
        label: &str,
        value: &str,
        at: &At<'_>,
        edit: impl Fn(&mut Scenario, String) + 'static,
    ) -> Html {
        let onchange = self.on_change(web_sys::HtmlInputElement::value, edit);
        labelled(label, at, |invalid, problem| {
            html! {
                <input
                    value={value.to_owned()}
                    onchange={onchange}
                    aria-invalid={invalid.to_string()}
                    aria-describedby={invalid.then_some(problem)}
                />
            }
        })
    }

    /// A choice among known values, as a select.
    fn choice(
        &self,
        label: &str,
        value: &str,
        options: &[&'static str],
        at: &At<'_>,
        edit: impl Fn(&mut Scenario, String) + 'static,
    ) -> Html {
        let onchange = self.on_change(web_sys::HtmlSelectElement::value, edit);
        // A value the list does not know (typed into the JSON) stays visible and chosen.
        let unknown = (!options.contains(&value)).then(|| value.to_owned());
        labelled(label, at, |invalid, problem| {
            html! {
                <select onchange={onchange} aria-invalid={invalid.to_string()} aria-describedby={invalid.then_some(problem)}>
                    { for options.iter().map(|option| html! {
                        <option value={*option} selected={*option == value}>{ *option }</option>
                    }) }
                    if let Some(unknown) = unknown {
                        <option value={unknown.clone()} selected=true>{ unknown }</option>
                    }
                </select>
            }
        })
    }
}

/// What the change did to the lesson's run: where the runs part, and each outcome.
fn what_changed(words: Words, change: &Change) -> Html {
    let outcome = |summary: &Summary| {
        let (delivered, failed, pending) = (
            names(words, &summary.delivered),
            names(words, &summary.failed),
            names(words, &summary.pending),
        );
        let seconds = format!("{:.1}", summary.duration_ms as f64 / 1000.0);
        words.with(
            "changed-outcome",
            &[
                ("delivered", (&delivered).into()),
                ("failed", (&failed).into()),
                ("pending", (&pending).into()),
                ("round_trips", (summary.round_trips as usize).into()),
                ("seconds", (&seconds).into()),
            ],
        )
    };
    html! {
        <section class="what-changed" aria-label={words.get("changed-title")}>
            <h3>{ words.get("changed-title") }</h3>
            if let Some(index) = change.first_difference {
                <p>{ words.with("changed-part", &[("step", (index + 1).into())]) }</p>
                <dl>
                    <dt>{ words.get("changed-before") }</dt><dd><code>{ change.before.clone().unwrap_or_else(|| words.get("changed-had-ended")) }</code></dd>
                    <dt>{ words.get("changed-now") }</dt><dd><code>{ change.after.clone().unwrap_or_else(|| words.get("changed-has-ended")) }</code></dd>
                </dl>
            } else {
                <p>{ words.get("changed-nothing") }</p>
            }
            <dl>
                <dt>{ words.get("changed-outcome-before") }</dt><dd>{ outcome(&change.outcome_before) }</dd>
                <dt>{ words.get("changed-outcome-now") }</dt><dd>{ outcome(&change.outcome_after) }</dd>
            </dl>
        </section>
    }
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn SandboxPage(props: &SandboxProps) -> Html {
    let words = use_words();
    let sandbox = &props.sandbox;
    let scenario = &sandbox.scenario;
    let dispatch = &props.dispatch;
    let problems = Problems {
        found: &sandbox.problems,
        language: words.language(),
    };
    let form = Form { scenario, dispatch };
    let json_view = use_state(|| false);
    let shared = use_state(|| None::<String>);
    let run = {
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch.emit(Action::RunScenario))
    };
    let share_link = {
        let scenario = scenario.clone();
        let shared = shared.clone();
        Callback::from(move |_| {
            let fragment = share::encode(&scenario);
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash(&fragment);
                shared.set(window.location().href().ok());
            }
        })
    };
    let toggle_json = {
        let json_view = json_view.clone();
        Callback::from(move |_| json_view.set(!*json_view))
    };
    let on_json = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            dispatch.emit(Action::EditJson(area.value()));
        })
    };
    let dns_rows = scenario.dns.iter().enumerate().map(|(index, record)| {
        let path = format!("dns[{index}]");
        let remove = {
            let dispatch = dispatch.clone();
            let mut changed = scenario.clone();
            changed.dns.remove(index);
            Callback::from(move |_| dispatch.emit(Action::EditScenario(changed.clone())))
        };
        let at = |field: &str| At::of(format!("{path}.{field}"), problems);
        html! {
            <li class="dns-record" data-record={format!("{} {} {}", record.name, record.kind, record.value)}>
                { form.field(&words.get("field-name"), &record.name, &at("name"), move |scenario, value| {
                    if let Some(record) = scenario.dns.get_mut(index) { record.name = value; }
                }) }
                { form.choice(&words.get("field-type"), &record.kind, &RECORD_KINDS, &at("type"), move |scenario, value| {
                    if let Some(record) = scenario.dns.get_mut(index) { record.kind = value; }
                }) }
                { form.field(&words.get("field-value"), &record.value, &at("value"), move |scenario, value| {
                    if let Some(record) = scenario.dns.get_mut(index) { record.value = value; }
                }) }
                <button class="remove" onclick={remove} aria-label={words.with("sandbox-remove-label", &[("record", (&format!("{} {} {}", record.name, record.kind, record.value)).into())])}>{ words.get("sandbox-remove") }</button>
                { problem_notes(&path, &problems_at(problems, &path)) }
            </li>
        }
    });
    let add_record = {
        let dispatch = dispatch.clone();
        let mut changed = scenario.clone();
        changed.dns.push(DnsRecordSpec {
            name: String::new(),
            kind: "A".into(),
            value: String::new(),
        });
        Callback::from(move |_| dispatch.emit(Action::EditScenario(changed.clone())))
    };
    let host_rows = scenario.hosts.iter().enumerate().map(|(index, host)| {
        let path = format!("hosts[{index}]");
        let at = |field: &str| At::of(format!("{path}.{field}"), problems);
        let behaviours = Behaviour::names().map(|name| {
            let on = host.behaviours.iter().any(|known| known == name);
            let apply = edited(scenario, dispatch, move |scenario, checked| {
                if let Some(host) = scenario.hosts.get_mut(index) {
                    host.behaviours.retain(|known| known != name);
                    if checked == "on" {
                        host.behaviours.push(name.to_owned());
                    }
                }
            });
            let onchange = Callback::from(move |event: Event| {
                let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                apply(if input.checked() { "on" } else { "off" }.to_owned());
            });
            html! {
                <label class="behaviour"><input type="checkbox" checked={on} onchange={onchange} />{ " " }{ name }</label>
            }
        });
        html! {
            <li class="host" data-host={host.name.clone()}>
                { form.field(&words.get("field-name"), &host.name, &at("name"), move |scenario, value| {
                    if let Some(host) = scenario.hosts.get_mut(index) { host.name = value; }
                }) }
                { form.field(&words.get("field-address"), &host.address, &at("address"), move |scenario, value| {
                    if let Some(host) = scenario.hosts.get_mut(index) { host.address = value; }
                }) }
                { form.choice(&words.get("field-role"), &host.role, &ROLES, &at("role"), move |scenario, value| {
                    if let Some(host) = scenario.hosts.get_mut(index) { host.role = value; }
                }) }
                { form.field(&words.get("field-down-minutes"), &host.down_minutes.to_string(), &at("down_minutes"), move |scenario, value| {
                    if let Some(host) = scenario.hosts.get_mut(index) { host.down_minutes = value.trim().parse().unwrap_or(0); }
                }) }
                <fieldset class="behaviours">
                    <legend>{ words.get("field-behaviours") }</legend>
                    { for behaviours }
                    { problem_notes(&at("behaviours").path, &problems_at(problems, &at("behaviours").path)) }
                </fieldset>
                { problem_notes(&path, &problems_at(problems, &path)) }
            </li>
        }
    });
    html! {
        <section class="sandbox" aria-labelledby="sandbox-title">
            <h2 id="sandbox-title">{ words.with("sandbox-title", &[("title", (&scenario.text_in(words.language()).title).into())]) }</h2>
            <p>{ words.get("sandbox-intro") }</p>
            <div class="sandbox-actions">
                <button class="run" onclick={run} disabled={sandbox.malformed.is_some()}>{ words.get("sandbox-run") }</button>
                <button onclick={toggle_json}>{ words.get(if *json_view { "sandbox-show-forms" } else { "sandbox-show-json" }) }</button>
                <button class="share" onclick={share_link}>{ words.get("sandbox-share") }</button>
                if let Some(url) = (*shared).clone() {
                    <label class="share-url">{ words.get("sandbox-link") }{ " " }<input readonly=true value={url} /></label>
                }
            </div>
            <Challenges
                current={sandbox.challenge}
                met_now={sandbox.challenge_met()}
                met={props.challenges_met.clone()}
                dispatch={dispatch.clone()}
            />
            <ul class="problems">
                { for problems.found.iter().filter(|problem| *json_view || !shown_at_a_field(&problem.path)).map(|problem| html! {
                    <li class="problem" role="alert">
                        if !problem.path.is_empty() { <code class="path">{ problem.path.clone() }</code>{ ": " } }
                        { problem.message_in(problems.language) }
                    </li>
                }) }
            </ul>
            if *json_view {
                <label class="json">
                    <span>{ words.get("sandbox-json") }</span>
                    <textarea rows="24" spellcheck="false" value={sandbox.json.clone()} oninput={on_json} />
                </label>
                if let Some(malformed) = &sandbox.malformed {
                    <p class="problem" role="alert">{ malformed.message_in(problems.language) }</p>
                }
            } else {
                <fieldset>
                    <legend>{ words.get("sandbox-envelope") }</legend>
                    { form.field(&words.get("sandbox-sender"), &scenario.sender.address, &At::of("sender.address".into(), problems), |scenario, value| scenario.sender.address = value) }
                    { form.field(&words.get("sandbox-recipients"), &scenario.message.to.join(", "), &At::of("message.to".into(), problems), |scenario, value| scenario.message.to = list(&value)) }
                    { form.field(&words.get("sandbox-subject"), &scenario.message.subject, &At::of("message.subject".into(), problems), |scenario, value| scenario.message.subject = value) }
                </fieldset>
                <fieldset>
                    <legend>{ words.get("sandbox-dns") }</legend>
                    <ul class="dns-records">{ for dns_rows }</ul>
                    <button class="add-record" onclick={add_record}>{ words.get("sandbox-add-record") }</button>
                </fieldset>
                <fieldset>
                    <legend>{ words.get("sandbox-hosts") }</legend>
                    <ul class="hosts">{ for host_rows }</ul>
                </fieldset>
            }
            if let (Some(baseline), Some(playback)) = (&sandbox.baseline, &sandbox.playback) {
                { what_changed(words, &baseline.compare(&playback.trace)) }
            }
            if let Some(playback) = sandbox.playback.clone() {
                <Player
                    playback={playback}
                    scenario={Rc::new(scenario.clone())}
                    show_crlf={props.show_crlf}
                    speed_ms={props.speed_ms}
                    dispatch={dispatch.clone()}
                />
            }
        </section>
    }
}
