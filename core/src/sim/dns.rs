//! Route planning on the simulated network: the core's [`RoutePlanner`] asks the
//! scenario's zone, and every question and answer becomes a step.

use crate::explain::{Key, Topic};
use crate::reply::Reply;
use crate::route::zone::Zone;
use crate::route::{Answer, Question, RecordKind, RouteOptions, RoutePlanner, Target, zone};
use crate::syntax::Host as Destination;

use super::recorder::{Draft, Recorder, Said, one_line};
use super::trace::{Phrase, Snapshot, StepKind};

/// How long a DNS question takes to be answered.
const DNS_MS: u64 = 4;

/// Plans routes; equal MX preferences are shuffled from the scenario's seed, a new
/// shuffle per plan, so a run is deterministic.
#[derive(Debug)]
pub(super) struct Resolver {
    seed: u64,
    planned: u64,
    /// Look for SRV records first (RFC 6186 style), as the scenario asks.
    srv: bool,
}

impl Resolver {
    pub(super) fn new(seed: u64, srv: bool) -> Self {
        Self {
            seed,
            planned: 0,
            srv,
        }
    }

    /// Plans the route from `holder_name` to `destination`, asking `zone`.
    pub(super) fn route(
        &mut self,
        trace: &mut Recorder,
        zone: &Zone,
        holder_name: &str,
        destination: &Destination,
    ) -> Result<Vec<Target>, Reply> {
        self.planned += 1;
        let options = RouteOptions {
            local_names: vec![holder_name.to_owned()],
            seed: self.seed.wrapping_add(self.planned),
            max_addresses: 10,
            srv: self.srv,
        };
        let planner = RoutePlanner::new(destination, &options);
        let planned = planner.run(|question| {
            let topic = match question.kind {
                RecordKind::Mx => Topic::DnsMx,
                RecordKind::SmtpSrv => Topic::DnsSrv,
                RecordKind::A | RecordKind::Aaaa | RecordKind::Txt | RecordKind::Ptr => {
                    Topic::DnsAddress
                }
            };
            trace.step(Draft {
                kind: StepKind::DnsQuery,
                from: holder_name,
                to: "DNS",
                text: question.to_string().into(),
                explain: Some(Key::Topic(topic)),
                snapshot: None,
            });
            trace.clock_ms += DNS_MS;
            let answer = zone.answer(question);
            trace.step(Draft {
                kind: StepKind::DnsAnswer,
                from: "DNS",
                to: holder_name,
                text: answer_said(question, &answer),
                explain: Some(Key::Topic(Topic::DnsAnswer)),
                snapshot: None,
            });
            answer
        });
        match &planned {
            Ok(targets) => {
                let listed = targets
                    .iter()
                    .map(|target| {
                        format!(
                            "{} ({}:{}, preference {})",
                            target.host, target.address, target.port, target.preference
                        )
                    })
                    .collect();
                let snapshot = Snapshot::Route {
                    domain: destination.to_string(),
                    targets: listed,
                };
                trace.step(Draft {
                    kind: StepKind::Note,
                    from: holder_name,
                    to: holder_name,
                    text: Phrase::new(
                        "step-route",
                        [
                            ("count", targets.len().into()),
                            ("destination", destination.to_string().into()),
                        ],
                    )
                    .into(),
                    explain: Some(Key::Topic(Topic::Route)),
                    snapshot: Some(snapshot),
                });
            }
            Err(reply) => {
                trace.note(
                    holder_name,
                    holder_name,
                    Phrase::new(
                        "step-no-route",
                        [
                            ("destination", destination.to_string().into()),
                            ("reply", one_line(reply).into()),
                        ],
                    ),
                    Some(Key::Topic(Topic::NoRoute)),
                );
            }
        }
        planned
    }
}

/// A DNS answer as a step shows it: the records in zone-file notation, or why there
/// are none, in words.
fn answer_said(question: &Question, answer: &Answer) -> Said {
    let owner = || ("owner", question.owner_name().into());
    match answer {
        Answer::NxDomain => Phrase::new("step-dns-nxdomain", [owner()]).into(),
        Answer::NoData => Phrase::new(
            "step-dns-no-records",
            [owner(), ("kind", question.kind.name().into())],
        )
        .into(),
        Answer::Failure => Phrase::new("step-dns-servfail", [owner()]).into(),
        Answer::Records(_) => zone::describe(question, answer).into(),
    }
}
