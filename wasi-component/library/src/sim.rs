//! The `sim` interface: the network simulator, with typed validation errors.

use wasmtp_core::sim::{self, Scenario, StepKind};

use crate::Library;
use crate::exports::wasmtp::smtp::sim::{
    Guest, ScenarioError, ScenarioInfo, ScenarioProblem, Summary, Trace,
};
use crate::exports::wasmtp::smtp::types::{StepKind as WitStepKind, TraceStep};

fn kind_to_wit(kind: StepKind) -> WitStepKind {
    match kind {
        StepKind::DnsQuery => WitStepKind::DnsQuery,
        StepKind::DnsAnswer => WitStepKind::DnsAnswer,
        StepKind::Connect => WitStepKind::Connect,
        StepKind::ConnectFailed => WitStepKind::ConnectFailed,
        StepKind::Command => WitStepKind::Command,
        StepKind::Reply => WitStepKind::Reply,
        StepKind::Data => WitStepKind::Data,
        StepKind::Tls => WitStepKind::Tls,
        StepKind::Queue => WitStepKind::Queue,
        StepKind::RetryScheduled => WitStepKind::RetryScheduled,
        StepKind::Deliver => WitStepKind::Deliver,
        StepKind::Bounce => WitStepKind::Bounce,
        StepKind::Fetch => WitStepKind::Fetch,
        StepKind::Uucp => WitStepKind::Uucp,
        StepKind::Note => WitStepKind::Note,
    }
}

fn play(scenario: &Scenario) -> Result<Trace, ScenarioError> {
    let trace = sim::run(scenario).map_err(|problems| {
        ScenarioError::Invalid(
            problems
                .into_iter()
                .map(|problem| ScenarioProblem {
                    path: problem.path,
                    message: problem.message,
                })
                .collect(),
        )
    })?;
    Ok(Trace {
        scenario: trace.scenario,
        title: trace.title,
        steps: trace
            .steps
            .into_iter()
            .map(|step| TraceStep {
                at: step.at_ms,
                kind: kind_to_wit(step.kind),
                sender: step.from,
                receiver: step.to,
                text: step.text,
                explain: step.explain,
                explains: step.explains,
                reference: step.reference,
            })
            .collect(),
        summary: Summary {
            delivered: trace.summary.delivered,
            failed: trace.summary.failed,
            pending: trace.summary.pending,
            round_trips: trace.summary.round_trips,
            duration: trace.summary.duration_ms,
        },
    })
}

fn built_in(id: &str) -> Result<Scenario, ScenarioError> {
    sim::built_in(id).ok_or_else(|| ScenarioError::UnknownScenario(id.to_owned()))
}

impl Guest for Library {
    fn list_scenarios() -> Vec<ScenarioInfo> {
        sim::BUILT_IN
            .iter()
            .filter_map(|(id, _)| sim::built_in(id))
            .map(|scenario| ScenarioInfo {
                id: scenario.id,
                title: scenario.title,
            })
            .collect()
    }

    fn scenario_json(id: String) -> Result<String, ScenarioError> {
        serde_json::to_string_pretty(&built_in(&id)?)
            .map_err(|error| ScenarioError::Malformed(error.to_string()))
    }

    fn run_builtin(id: String) -> Result<Trace, ScenarioError> {
        play(&built_in(&id)?)
    }

    fn run(scenario: String) -> Result<Trace, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(&scenario).map_err(|error| {
            ScenarioError::Malformed(format!(
                "{error} (line {}, column {})",
                error.line(),
                error.column()
            ))
        })?;
        play(&scenario)
    }
}
