//! The app shell: navigation, the page of the current view, and the effects that tie
//! the reducer to the browser (the play timer, keyboard shortcuts, saved progress, the
//! address: a route per view, lesson and step, or a shared scenario).

use std::collections::BTreeSet;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_storage::{LocalStorage, Storage as _};
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast as _;
use yew::prelude::*;

use wasmtp_core::i18n::Language;

use crate::i18n::{self, Words};
use crate::route::Route;
use crate::share;
use crate::state::{Action, AppState, View};
use crate::views::{lessons, reference, sandbox, terminal};

/// Where the lessons done are kept between visits.
const PROGRESS_KEY: &str = "wasmtp.lessons-done";
/// Where the answers to the lessons' questions are kept.
const ANSWERS_KEY: &str = "wasmtp.answers";
/// Where the challenges met are kept.
const CHALLENGES_KEY: &str = "wasmtp.challenges-met";

/// Whether the key belongs to the focused element rather than to the player: typing in
/// a text field, a list box or the step slider (which steps with the arrows itself),
/// or space on a button or box, which presses it. → right after clicking Next steps.
fn meant_for_the_field(event: &KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let kind = element.get_attribute("type").unwrap_or_default();
    match element.tag_name().to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => match kind.as_str() {
            "checkbox" | "radio" | "button" | "submit" | "reset" => event.key() == " ",
            _ => true,
        },
        "button" | "a" => event.key() == " ",
        _ => element.has_attribute("contenteditable"),
    }
}

/// Opens what the address names: a shared scenario (`#scenario=…`) or a route (`#/…`).
fn go_where_the_address_says(dispatcher: &UseReducerDispatcher<AppState>) {
    let hash = web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default();
    if let Some(scenario) = share::decode(&hash) {
        dispatcher.dispatch(Action::OpenScenario(scenario));
    } else if let Some(route) = Route::parse(&hash) {
        dispatcher.dispatch(Action::Navigate(route));
    }
}

/// Whether the page was opened to be embedded: `?embed` in its address.
fn embedded() -> bool {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .is_some_and(|query| {
            query
                .trim_start_matches('?')
                .split('&')
                .any(|pair| pair == "embed" || pair.starts_with("embed="))
        })
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let dispatcher = state.dispatcher();
    let language = use_state(i18n::initial_language);
    use_effect_with(*language, |language| i18n::choose(*language));

    // Once: progress from storage, and a scenario shared in the address.
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            if let Ok(done) = LocalStorage::get::<BTreeSet<String>>(PROGRESS_KEY) {
                dispatcher.dispatch(Action::RestoreProgress(done));
            }
            dispatcher.dispatch(Action::RestoreScores {
                answers: LocalStorage::get(ANSWERS_KEY).unwrap_or_default(),
                challenges_met: LocalStorage::get(CHALLENGES_KEY).unwrap_or_default(),
            });
            go_where_the_address_says(&dispatcher);
        });
    }
    // Progress is saved whenever it grows.
    use_effect_with(state.done.clone(), |done| {
        if !done.is_empty() {
            let _ = LocalStorage::set(PROGRESS_KEY, done);
        }
    });
    use_effect_with(state.answers.clone(), |answers| {
        if !answers.is_empty() {
            let _ = LocalStorage::set(ANSWERS_KEY, answers);
        }
    });
    use_effect_with(state.challenges_met.clone(), |met| {
        if !met.is_empty() {
            let _ = LocalStorage::set(CHALLENGES_KEY, met);
        }
    });
    // The play timer runs while the current playback plays.
    {
        let dispatcher = dispatcher.clone();
        let playing = state.playback().is_some_and(|playback| playback.playing);
        use_effect_with((playing, state.speed_ms), move |(playing, speed)| {
            let timer =
                playing.then(|| Interval::new(*speed, move || dispatcher.dispatch(Action::Tick)));
            move || drop(timer)
        });
    }
    // The address follows the state: a new view or lesson is a history entry, a step
    // within a lesson only rewrites the address. A shared scenario keeps its fragment
    // while the sandbox shows it.
    {
        let route = state.route();
        use_effect_with(route, move |route| {
            if let Some(window) = web_sys::window() {
                let current = window.location().hash().unwrap_or_default();
                let sharing = *route == Route::Sandbox && share::decode(&current).is_some();
                let fragment = route.fragment();
                if !sharing
                    && current != fragment
                    && let Ok(history) = window.history()
                {
                    let new_place = Route::parse(&current)
                        .is_some_and(|previous| previous.is_new_place(route))
                        || share::decode(&current).is_some();
                    let (state, url) = (wasm_bindgen::JsValue::NULL, Some(fragment.as_str()));
                    // A refused history call leaves the address as it was; nothing more.
                    let _ = if new_place {
                        history.push_state_with_url(&state, "", url)
                    } else {
                        history.replace_state_with_url(&state, "", url)
                    };
                }
            }
        });
    }
    // Back and Forward: go where the address now says.
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "popstate", move |_| {
                    go_where_the_address_says(&dispatcher)
                })
            });
            move || drop(listener)
        });
    }
    // ← and → step, space plays and pauses, unless the learner is typing.
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            let listener = gloo_utils::document().body().map(|body| {
                // Not passive: space must not scroll the page while it plays.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&body, "keydown", options, move |event| {
                    let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if meant_for_the_field(event) || event.ctrl_key() || event.meta_key() {
                        return;
                    }
                    let action = match event.key().as_str() {
                        "ArrowRight" => Action::Next,
                        "ArrowLeft" => Action::Previous,
                        " " => Action::TogglePlay,
                        _ => return,
                    };
                    event.prevent_default();
                    dispatcher.dispatch(action);
                })
            });
            move || drop(listener)
        });
    }

    let dispatch: Callback<Action> = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |action| dispatcher.dispatch(action))
    };
    let words = Words(*language);
    let page = match state.view {
        View::Lessons => {
            html! { <lessons::LessonList done={state.done.clone()} answers={state.answers.clone()} dispatch={dispatch.clone()} /> }
        }
        View::Lesson(index) => html! {
            <lessons::LessonPage
                index={index}
                playback={state.lesson.clone()}
                answers={state.answers.clone()}
                show_crlf={state.show_crlf}
                speed_ms={state.speed_ms}
                dispatch={dispatch.clone()}
            />
        },
        View::Sandbox => html! {
            <sandbox::SandboxPage
                sandbox={state.sandbox.clone()}
                challenges_met={state.challenges_met.clone()}
                show_crlf={state.show_crlf}
                speed_ms={state.speed_ms}
                dispatch={dispatch.clone()}
            />
        },
        View::Terminal => {
            html! { <terminal::TerminalPage terminal={state.terminal.clone()} dispatch={dispatch.clone()} /> }
        }
        View::Reference => {
            html! { <reference::ReferencePage query={state.query.clone()} dispatch={dispatch.clone()} /> }
        }
    };
    // `?embed` (e.g. `/?embed#/lessons/backup-mx`): the player alone, for a teacher's page.
    if embedded() {
        return html! {
            <ContextProvider<Words> context={words}>
                <main class="embedded">{ page }</main>
            </ContextProvider<Words>>
        };
    }
    let on_language = Callback::from(move |choice| language.set(choice));
    html! {
        <ContextProvider<Words> context={words}>
            <Frame view={state.view} {on_language} {dispatch}>{ page }</Frame>
        </ContextProvider<Words>>
    }
}

#[derive(Properties, PartialEq)]
pub struct FrameProps {
    /// The view shown, for the tab marked current.
    pub view: View,
    pub on_language: Callback<Language>,
    pub dispatch: Callback<Action>,
    /// The page of the view.
    pub children: Html,
}

/// The title, the language switcher and the tabs around the page. Tabs and languages
/// are links (`#/sandbox`, `?lang=az`) that the app handles itself once it runs, and
/// that the browser follows before it does, from the first view rendered ahead of time.
#[component]
pub fn Frame(props: &FrameProps) -> Html {
    let words = i18n::use_words();
    let tab = |label: &'static str, route: Route, action: Action, current: bool| {
        let dispatch = props.dispatch.clone();
        html! {
            <li>
                <a
                    class={classes!("tab", current.then_some("current"))}
                    href={route.fragment()}
                    data-tab={label}
                    aria-current={current.then_some("page")}
                    onclick={move |event: MouseEvent| {
                        event.prevent_default();
                        dispatch.emit(action.clone());
                    }}
                >{ words.get(label) }</a>
            </li>
        }
    };
    let switcher = Language::ALL.into_iter().map(|choice| {
        let on_language = props.on_language.clone();
        let current = words.language() == choice;
        html! {
            <a
                class={classes!("language", current.then_some("current"))}
                href={format!("?lang={}", choice.code())}
                lang={choice.code()}
                aria-current={current.then_some("true")}
                data-language={choice.code()}
                onclick={move |event: MouseEvent| {
                    event.prevent_default();
                    on_language.emit(choice);
                }}
            >{ choice.native_name() }</a>
        }
    });
    let lessons = matches!(props.view, View::Lessons | View::Lesson(_));
    html! {
        <>
            <header>
                <h1>{ words.get("app-title") }</h1>
                <p>{ words.get("app-tagline") }</p>
                <div class="languages" role="group" aria-label={words.get("language-label")}>{ for switcher }</div>
                <nav aria-label={words.get("nav-sections")}>
                    <ul class="tabs">
                        { tab("tab-lessons", Route::Lessons, Action::ShowLessons, lessons) }
                        { tab("tab-sandbox", Route::Sandbox, Action::ShowSandbox, props.view == View::Sandbox) }
                        { tab("tab-terminal", Route::Terminal, Action::ShowTerminal, props.view == View::Terminal) }
                        { tab("tab-reference", Route::Reference, Action::ShowReference, props.view == View::Reference) }
                    </ul>
                </nav>
            </header>
            <main>{ props.children.clone() }</main>
        </>
    }
}

/// The first view as the app opens it with nothing yet played: the frame around the
/// journey and the lesson list, in `language` (rendered ahead of time by `cargo xtask
/// build`, see `crate::first_view`).
#[cfg(feature = "prerender")]
#[derive(Properties, PartialEq)]
pub struct FirstViewProps {
    pub language: Language,
}

#[cfg(feature = "prerender")]
#[component]
pub fn FirstView(props: &FirstViewProps) -> Html {
    let nothing = Callback::noop();
    html! {
        <ContextProvider<Words> context={Words(props.language)}>
            <Frame view={View::Lessons} on_language={Callback::noop()} dispatch={nothing.clone()}>
                <lessons::LessonList done={BTreeSet::new()} answers={std::collections::BTreeMap::new()} dispatch={nothing} />
            </Frame>
        </ContextProvider<Words>>
    }
}
