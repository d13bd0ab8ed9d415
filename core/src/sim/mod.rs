//! The network simulator: a scenario's world (DNS zone, hosts, links, a virtual clock)
//! in which the real [`ClientSession`](crate::client::ClientSession),
//! [`ServerSession`](crate::server::ServerSession), [`RoutePlanner`](crate::route::RoutePlanner),
//! retry schedule and DSN builder run against each other. Every step of the [`Trace`] is
//! something the engine did; nothing is scripted. The same scenario gives the same
//! trace, byte for byte.

mod answers;
mod builtin;
mod challenges;
mod conversation;
mod delivery;
mod dns;
mod engine;
mod exercises;
mod imap;
mod link;
mod mailboxes;
mod policy;
mod pop3;
mod queues;
mod recorder;
mod scenario;
mod trace;
mod uucp;

pub use builtin::{BUILT_IN, LessonText, built_in};
pub use challenges::{CHALLENGES, Challenge};
pub use engine::run;
pub use exercises::{Choice, ExerciseSpec, OUTCOMES, Question, questions};
pub use scenario::{
    Behaviour, DnsRecordSpec, FORMAT_VERSION, HostSpec, MessageSpec, RECORD_KINDS, ROLES,
    RawClientSpec, Scenario, ScenarioError, SenderSpec, UucpSpec, json_error_detail,
};
pub use trace::{Change, Chapter, Snapshot, Step, StepKind, Summary, Trace};

#[cfg(test)]
mod tests;
