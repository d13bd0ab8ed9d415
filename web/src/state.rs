//! The app's state in one reducer with named actions (as in Yew's `function_todomvc`):
//! every change a learner can make is an [`Action`], so all of it is testable without a
//! browser.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasmtp_core::i18n::Language;
use wasmtp_core::sim::{self, CHALLENGES, Scenario, ScenarioError, Trace};
use yew::Reducible;

use crate::lessons::{self, LESSONS};
use crate::route::Route;
use wasmtp_core::dialogue::Profile;

/// Which page is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Lessons,
    /// The lesson at this index of [`LESSONS`].
    Lesson(usize),
    Sandbox,
    Terminal,
    Reference,
}

/// A trace being stepped through.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    pub trace: Rc<Trace>,
    /// The current step, always a valid index while the trace has steps.
    pub step: usize,
    pub playing: bool,
}

impl Playback {
    fn new(trace: Trace) -> Self {
        Self {
            trace: Rc::new(trace),
            step: 0,
            playing: false,
        }
    }

    fn last(&self) -> usize {
        self.trace.steps.len().saturating_sub(1)
    }

    pub fn at_end(&self) -> bool {
        self.step >= self.last()
    }
}

/// The sandbox: a scenario being edited, and what its last run said.
#[derive(Clone, Debug, PartialEq)]
pub struct Sandbox {
    pub scenario: Scenario,
    /// The JSON view's text; it may be mid-edit and not parse.
    pub json: String,
    /// A JSON syntax error of the text, with its position.
    pub malformed: Option<ScenarioError>,
    /// The problems of the last run, each with its path (`dns[2].value`).
    pub problems: Vec<ScenarioError>,
    pub playback: Option<Playback>,
    /// The run of the lesson a "try this" changed, to say what the change did.
    pub baseline: Option<Rc<Trace>>,
    /// The challenge being worked on (an index of [`CHALLENGES`]).
    pub challenge: Option<usize>,
}

impl Sandbox {
    fn of(scenario: Scenario) -> Self {
        Self {
            json: to_json(&scenario),
            scenario,
            malformed: None,
            problems: Vec::new(),
            playback: None,
            baseline: None,
            challenge: None,
        }
    }

    /// Whether the last run meets the challenge being worked on.
    pub fn challenge_met(&self) -> bool {
        match (
            self.challenge.and_then(|index| CHALLENGES.get(index)),
            &self.playback,
        ) {
            (Some(challenge), Some(playback)) => challenge.is_met(&self.scenario, &playback.trace),
            _ => false,
        }
    }
}

/// How a learner has answered one question (kept in localStorage by the app).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// The first answer was right: this is what the score counts.
    pub first_right: bool,
    /// Answered right at some try.
    pub solved: bool,
    /// The last choice made.
    pub last: String,
}

/// How many of `lesson`'s `total` questions were answered right at the first try, and
/// how many were answered at all.
pub fn score(answers: &BTreeMap<String, Attempt>, lesson: &str, total: usize) -> (usize, usize) {
    (0..total)
        .filter_map(|question| answers.get(&question_key(lesson, question)))
        .fold((0, 0), |(right, answered), attempt| {
            (right + usize::from(attempt.first_right), answered + 1)
        })
}

/// The key of a lesson's question in [`AppState::answers`]: `greylisting/0`.
pub fn question_key(lesson: &str, question: usize) -> String {
    format!("{lesson}/{question}")
}

fn to_json(scenario: &Scenario) -> String {
    serde_json::to_string_pretty(scenario).unwrap_or_default()
}

/// The terminal: the lines typed so far, replayed against a fresh server session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Terminal {
    pub profile: Profile,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub view: View,
    /// The lesson's playback (lesson views).
    pub lesson: Option<Playback>,
    pub sandbox: Sandbox,
    pub terminal: Terminal,
    /// Milliseconds between steps while playing.
    pub speed_ms: u32,
    /// Show CR LF as `\r\n` in the bytes.
    pub show_crlf: bool,
    /// Lessons played to their end (kept in localStorage by the app).
    pub done: BTreeSet<String>,
    /// The reference's search text.
    pub query: String,
    /// Every question answered, by [`question_key`].
    pub answers: BTreeMap<String, Attempt>,
    /// The challenges whose goal a run has met, by id.
    pub challenges_met: BTreeSet<String>,
}

impl Default for AppState {
    fn default() -> Self {
        let first = sim::built_in("first-email")
            .or_else(|| sim::BUILT_IN.first().and_then(|(id, _)| sim::built_in(id)));
        Self {
            view: View::Lessons,
            lesson: None,
            sandbox: Sandbox::of(first.unwrap_or_else(lessons::empty_scenario)),
            terminal: Terminal::default(),
            speed_ms: 700,
            show_crlf: true,
            done: BTreeSet::new(),
            query: String::new(),
            answers: BTreeMap::new(),
            challenges_met: BTreeSet::new(),
        }
    }
}

/// Everything that changes the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    ShowLessons,
    OpenLesson(usize),
    /// Opens the sandbox with the lesson's scenario, changed by its "try this" number.
    TryThis {
        lesson: usize,
        change: usize,
    },
    /// Opens the sandbox with this scenario (a shared URL).
    OpenScenario(Scenario),
    ShowSandbox,
    ShowTerminal,
    ShowReference,
    Next,
    Previous,
    JumpTo(usize),
    TogglePlay,
    /// The play timer fired: one step on, stopping at the end.
    Tick,
    SetSpeed(u32),
    ToggleCrlf,
    /// The sandbox's scenario, changed through its form.
    EditScenario(Scenario),
    /// The sandbox's JSON text, as typed.
    EditJson(String),
    RunScenario,
    SetProfile(Profile),
    TypeLine(String),
    ClearTerminal,
    Search(String),
    /// Lessons done, read back from storage.
    RestoreProgress(BTreeSet<String>),
    /// The current lesson's question `question` answered with `choice`.
    Answer {
        question: usize,
        choice: String,
    },
    /// Answers and challenges met, read back from storage.
    RestoreScores {
        answers: BTreeMap<String, Attempt>,
        challenges_met: BTreeSet<String>,
    },
    /// Opens the sandbox on the challenge's starting world.
    StartChallenge(usize),
    /// Go where an address says (a link, Back or Forward).
    Navigate(Route),
}

impl AppState {
    /// Where the app is, as an address names it.
    pub fn route(&self) -> Route {
        match self.view {
            View::Lessons => Route::Lessons,
            View::Lesson(index) => Route::Lesson {
                index,
                step: self.lesson.as_ref().map_or(0, |playback| playback.step),
            },
            View::Sandbox => Route::Sandbox,
            View::Terminal => Route::Terminal,
            View::Reference => Route::Reference,
        }
    }

    /// The playback the current view shows, if any.
    pub fn playback(&self) -> Option<&Playback> {
        match self.view {
            View::Lesson(_) => self.lesson.as_ref(),
            View::Sandbox => self.sandbox.playback.as_ref(),
            _ => None,
        }
    }

    fn playback_mut(&mut self) -> Option<&mut Playback> {
        match self.view {
            View::Lesson(_) => self.lesson.as_mut(),
            View::Sandbox => self.sandbox.playback.as_mut(),
            _ => None,
        }
    }

    /// Moves the current playback; a lesson played to its end counts as done.
    fn step(&mut self, to: impl FnOnce(&Playback) -> usize) {
        let Some(playback) = self.playback_mut() else {
            return;
        };
        playback.step = to(playback).min(playback.last());
        if playback.at_end() {
            playback.playing = false;
        }
        let finished = playback.at_end();
        if let (View::Lesson(index), true) = (self.view, finished)
            && let Some(lesson) = LESSONS.get(index)
        {
            self.done.insert(lesson.id.to_owned());
        }
    }

    fn open_sandbox(&mut self, scenario: Scenario) {
        self.sandbox = Sandbox::of(scenario);
        self.view = View::Sandbox;
        self.run_sandbox();
    }

    fn run_sandbox(&mut self) {
        let sandbox = &mut self.sandbox;
        match sim::run(&sandbox.scenario) {
            Ok(trace) => {
                sandbox.problems.clear();
                sandbox.playback = Some(Playback::new(trace));
            }
            Err(problems) => {
                sandbox.problems = problems;
                sandbox.playback = None;
            }
        }
        if sandbox.challenge_met()
            && let Some(challenge) = sandbox.challenge.and_then(|index| CHALLENGES.get(index))
        {
            self.challenges_met.insert(challenge.id.to_owned());
        }
    }

    /// Records an answer to the current lesson's question, checked against its run.
    fn answer(&mut self, question: usize, choice: String) {
        let (View::Lesson(index), Some(playback)) = (self.view, &self.lesson) else {
            return;
        };
        let Some(lesson) = LESSONS.get(index) else {
            return;
        };
        let Some(scenario) = sim::built_in(lesson.id) else {
            return;
        };
        // The answer does not depend on the language the question is read in.
        let questions = sim::questions(&scenario, &playback.trace, Language::En);
        let Some(posed) = questions.get(question) else {
            return;
        };
        let right = posed.is_right(&choice);
        let attempt = self
            .answers
            .entry(question_key(lesson.id, question))
            .or_insert(Attempt {
                first_right: right,
                solved: false,
                last: String::new(),
            });
        attempt.solved |= right;
        attempt.last = choice;
    }

    /// The next state after `action`.
    pub fn apply(mut self, action: Action) -> Self {
        match action {
            Action::ShowLessons => self.view = View::Lessons,
            Action::OpenLesson(index) => {
                if let Some(trace) = LESSONS
                    .get(index)
                    .and_then(|lesson| sim::built_in(lesson.id))
                    .and_then(|scenario| sim::run(&scenario).ok())
                {
                    self.lesson = Some(Playback::new(trace));
                    self.view = View::Lesson(index);
                }
            }
            Action::TryThis { lesson, change } => {
                if let Some(scenario) = lessons::try_this(lesson, change) {
                    let baseline = LESSONS
                        .get(lesson)
                        .and_then(|lesson| sim::built_in(lesson.id))
                        .and_then(|original| sim::run(&original).ok());
                    self.open_sandbox(scenario);
                    self.sandbox.baseline = baseline.map(Rc::new);
                }
            }
            Action::OpenScenario(scenario) => self.open_sandbox(scenario),
            Action::ShowSandbox => self.view = View::Sandbox,
            Action::ShowTerminal => self.view = View::Terminal,
            Action::ShowReference => self.view = View::Reference,
            Action::Next => self.step(|playback| playback.step + 1),
            Action::Previous => self.step(|playback| playback.step.saturating_sub(1)),
            Action::JumpTo(step) => self.step(|_| step),
            Action::TogglePlay => {
                if let Some(playback) = self.playback_mut() {
                    if playback.at_end() {
                        playback.step = 0;
                    }
                    playback.playing = !playback.playing;
                }
            }
            Action::Tick => {
                if self.playback().is_some_and(|playback| playback.playing) {
                    self.step(|playback| playback.step + 1);
                }
            }
            Action::SetSpeed(ms) => self.speed_ms = ms.clamp(50, 5000),
            Action::ToggleCrlf => self.show_crlf = !self.show_crlf,
            Action::EditScenario(scenario) => {
                self.sandbox.json = to_json(&scenario);
                self.sandbox.scenario = scenario;
                self.sandbox.malformed = None;
            }
            Action::EditJson(text) => {
                match serde_json::from_str::<Scenario>(&text) {
                    Ok(scenario) => {
                        self.sandbox.scenario = scenario;
                        self.sandbox.malformed = None;
                    }
                    Err(error) => {
                        self.sandbox.malformed = Some(ScenarioError::not_a_scenario(&error));
                    }
                }
                self.sandbox.json = text;
            }
            Action::RunScenario => {
                if self.sandbox.malformed.is_none() {
                    self.run_sandbox();
                }
            }
            Action::SetProfile(profile) => {
                self.terminal = Terminal {
                    profile,
                    lines: Vec::new(),
                }
            }
            Action::TypeLine(line) => self.terminal.lines.push(line),
            Action::ClearTerminal => self.terminal.lines.clear(),
            Action::Search(query) => self.query = query,
            Action::RestoreProgress(done) => self.done.extend(done),
            Action::Answer { question, choice } => self.answer(question, choice),
            Action::RestoreScores {
                answers,
                challenges_met,
            } => {
                // What was answered in this visit stands over what was stored.
                for (key, attempt) in answers {
                    self.answers.entry(key).or_insert(attempt);
                }
                self.challenges_met.extend(challenges_met);
            }
            Action::StartChallenge(index) => {
                if let Some(start) = CHALLENGES
                    .get(index)
                    .and_then(|challenge| sim::built_in(challenge.start))
                {
                    self.open_sandbox(start);
                    self.sandbox.challenge = Some(index);
                }
            }
            Action::Navigate(route) => return self.navigate(route),
        }
        self
    }

    fn navigate(self, route: Route) -> Self {
        match route {
            Route::Lessons => self.apply(Action::ShowLessons),
            Route::Lesson { index, step } => {
                let same_lesson = self.view == View::Lesson(index) && self.lesson.is_some();
                let state = if same_lesson {
                    self
                } else {
                    self.apply(Action::OpenLesson(index))
                };
                state.apply(Action::JumpTo(step))
            }
            Route::Sandbox => self.apply(Action::ShowSandbox),
            Route::Terminal => self.apply(Action::ShowTerminal),
            Route::Reference => self.apply(Action::ShowReference),
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(id: &str) -> usize {
        LESSONS
            .iter()
            .position(|lesson| lesson.id == id)
            .expect("a lesson")
    }

    fn played(state: AppState, actions: impl IntoIterator<Item = Action>) -> AppState {
        actions.into_iter().fold(state, AppState::apply)
    }

    #[test]
    fn a_lesson_steps_forward_and_back_within_its_trace() {
        let state = played(
            AppState::default(),
            [Action::OpenLesson(lesson("backup-mx"))],
        );
        assert_eq!(state.view, View::Lesson(lesson("backup-mx")));
        assert_eq!(state.playback().map(|playback| playback.step), Some(0));
        let state = played(state, [Action::Previous, Action::Next, Action::Next]);
        assert_eq!(state.playback().map(|playback| playback.step), Some(2));
        let state = played(state, [Action::JumpTo(usize::MAX)]);
        let playback = state.playback().expect("a playback");
        assert!(playback.at_end());
        assert_eq!(playback.step, playback.trace.steps.len() - 1);
    }

    #[test]
    fn playing_to_the_end_stops_and_marks_the_lesson_done() {
        let index = lesson("first-email");
        let mut state = played(
            AppState::default(),
            [Action::OpenLesson(index), Action::TogglePlay],
        );
        assert!(state.playback().is_some_and(|playback| playback.playing));
        assert!(!state.done.contains("first-email"));
        for _ in 0..10_000 {
            state = state.apply(Action::Tick);
        }
        let playback = state.playback().expect("a playback");
        assert!(playback.at_end() && !playback.playing);
        assert!(state.done.contains("first-email"));
        // Play again from the end starts over.
        let state = state.apply(Action::TogglePlay);
        assert_eq!(state.playback().map(|playback| playback.step), Some(0));
    }

    #[test]
    fn ticks_do_nothing_when_paused() {
        let state = played(
            AppState::default(),
            [Action::OpenLesson(0), Action::Tick, Action::Tick],
        );
        assert_eq!(state.playback().map(|playback| playback.step), Some(0));
    }

    #[test]
    fn a_broken_json_edit_is_reported_and_not_run() {
        let state = played(AppState::default(), [Action::ShowSandbox]);
        let before = state.sandbox.scenario.clone();
        let state = played(
            state,
            [
                Action::EditJson("{ \"version\": ".into()),
                Action::RunScenario,
            ],
        );
        assert!(
            state
                .sandbox
                .malformed
                .as_ref()
                .is_some_and(|m| m.message.ends_with("(line 1, column 13)")
                    && m.message.matches("line").count() == 1)
        );
        assert_eq!(state.sandbox.scenario, before);
    }

    #[test]
    fn an_invalid_scenario_lists_its_problems_by_path() {
        let mut scenario = AppState::default().sandbox.scenario;
        scenario.message.to = vec!["not an address".into()];
        let state = played(
            AppState::default(),
            [Action::EditScenario(scenario), Action::RunScenario],
        );
        assert!(state.sandbox.playback.is_none());
        assert!(
            state
                .sandbox
                .problems
                .iter()
                .any(|problem| problem.path == "message.to[0]"),
            "{:?}",
            state.sandbox.problems
        );
    }

    #[test]
    fn removing_the_mx_records_routes_by_the_a_record() {
        let index = lesson("first-email");
        let state = played(
            AppState::default(),
            [Action::TryThis {
                lesson: index,
                change: 1,
            }],
        );
        assert_eq!(state.view, View::Sandbox);
        let trace = &state.sandbox.playback.as_ref().expect("a run").trace;
        let transcript = trace.transcript();
        assert!(
            transcript.contains("example.org: no MX records"),
            "{transcript}"
        );
        assert!(transcript.contains("example.org A?"), "{transcript}");
        assert_eq!(trace.summary.delivered, ["bob@example.org"]);
    }

    #[test]
    fn an_address_opens_its_lesson_at_its_step_and_the_state_names_it_again() {
        let route = Route::parse("#/lessons/backup-mx/36").expect("a route");
        let state = played(AppState::default(), [Action::Navigate(route.clone())]);
        assert_eq!(state.view, View::Lesson(lesson("backup-mx")));
        assert_eq!(state.playback().map(|playback| playback.step), Some(35));
        assert_eq!(state.route(), route);
        assert_eq!(state.route().fragment(), "#/lessons/backup-mx/36");
        // Back to the list, and forward again to the same step.
        let state = played(state, [Action::Navigate(Route::Lessons)]);
        assert_eq!(state.view, View::Lessons);
        let state = played(state, [Action::Navigate(route)]);
        assert_eq!(state.playback().map(|playback| playback.step), Some(35));
    }

    #[test]
    fn a_try_this_keeps_the_lessons_run_to_say_what_changed() {
        let index = lesson("greylisting");
        let state = played(
            AppState::default(),
            [Action::TryThis {
                lesson: index,
                change: 0,
            }],
        );
        let baseline = state.sandbox.baseline.clone().expect("the lesson's run");
        let changed = &state.sandbox.playback.as_ref().expect("a run").trace;
        let what = baseline.compare(changed);
        assert!(what.first_difference.is_some());
        assert!(what.outcome_before.duration_ms > what.outcome_after.duration_ms);
        // A scenario opened from a link has nothing to compare with.
        let scenario = state.sandbox.scenario.clone();
        let state = played(state, [Action::OpenScenario(scenario)]);
        assert!(state.sandbox.baseline.is_none());
    }

    #[test]
    fn an_answer_is_checked_against_the_run_and_the_first_try_is_what_counts() {
        let index = lesson("greylisting");
        let state = played(AppState::default(), [Action::OpenLesson(index)]);
        let answer = |choice: &str| Action::Answer {
            question: 0,
            choice: choice.into(),
        };
        // Wrong first (the first RCPT is greylisted: 451), then right.
        let state = played(state, [answer("250"), answer("451")]);
        let attempt = state.answers.get("greylisting/0").expect("recorded");
        assert!(!attempt.first_right && attempt.solved);
        assert_eq!(attempt.last, "451");
        // Right at once on the second question (the retry's RCPT is taken: 250).
        let state = played(
            state,
            [Action::Answer {
                question: 1,
                choice: "250".into(),
            }],
        );
        assert_eq!(score(&state.answers, "greylisting", 3), (1, 2));
        // A question that does not exist, or an answer outside a lesson, changes nothing.
        let before = state.answers.clone();
        let state = played(
            state,
            [
                Action::Answer {
                    question: 9,
                    choice: "250".into(),
                },
                Action::ShowSandbox,
                answer("451"),
            ],
        );
        assert_eq!(state.answers, before);
    }

    #[test]
    fn a_challenge_is_met_by_a_run_that_reaches_its_goal_and_stays_met() {
        let index = CHALLENGES
            .iter()
            .position(|challenge| challenge.id == "bounce-5-1-1")
            .expect("a challenge");
        let state = played(AppState::default(), [Action::StartChallenge(index)]);
        assert_eq!(state.view, View::Sandbox);
        assert!(!state.sandbox.challenge_met());
        let mut scenario = state.sandbox.scenario.clone();
        scenario.message.to = vec!["nobody@example.org".into()];
        let state = played(state, [Action::EditScenario(scenario), Action::RunScenario]);
        assert!(state.sandbox.challenge_met());
        assert!(state.challenges_met.contains("bounce-5-1-1"));
        // Another world, and the goal is no longer met by the run; it stays met.
        let state = played(
            state,
            [Action::TryThis {
                lesson: 0,
                change: 0,
            }],
        );
        assert!(!state.sandbox.challenge_met());
        assert!(state.challenges_met.contains("bounce-5-1-1"));
    }

    #[test]
    fn the_terminal_restarts_with_a_new_profile() {
        let state = played(
            AppState::default(),
            [
                Action::TypeLine("EHLO me".into()),
                Action::SetProfile(Profile::HeloOnly),
            ],
        );
        assert!(state.terminal.lines.is_empty());
        assert_eq!(state.terminal.profile, Profile::HeloOnly);
    }
}
