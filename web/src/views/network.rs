//! The network map (SVG): the hosts of the world, the recipient domain's MX records with
//! their preferences, the host being talked to now, and the hosts that are down.

use std::rc::Rc;

use wasmtp_core::sim::{Scenario, Trace};
use yew::prelude::*;

const NODE_WIDTH: usize = 150;
const NODE_HEIGHT: usize = 64;
const GAP: usize = 24;
/// Hosts per row: two fit beside the sequence diagram at 1280 px, and on a phone.
const COLUMNS: usize = 2;
const HOSTS_TOP: usize = 120;

#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    pub scenario: Rc<Scenario>,
    pub trace: Rc<Trace>,
    pub current: usize,
}

/// Whether `host` is down at `at_ms` on the virtual clock.
fn is_down(host: &wasmtp_core::sim::HostSpec, at_ms: u64) -> bool {
    host.behaviours
        .iter()
        .any(|behaviour| behaviour == "down" || behaviour == "unreachable")
        || at_ms < host.down_minutes.saturating_mul(60_000)
}

/// The host a step name refers to ("alice@example.net (mail client)" is no host).
fn matches(name: &str, host: &str) -> bool {
    name.eq_ignore_ascii_case(host)
}

/// A host's role in words; one the simulator does not know (typed into the JSON) as
/// written.
fn role_name(words: crate::i18n::Words, role: &str) -> String {
    if wasmtp_core::sim::ROLES.contains(&role) {
        words.get(&format!("role-{role}"))
    } else {
        role.to_owned()
    }
}

#[component]
pub fn NetworkMap(props: &NetworkProps) -> Html {
    let words = crate::i18n::use_words();
    let scenario = &props.scenario;
    let step = props.trace.steps.get(props.current);
    let at_ms = step.map_or(0, |step| step.at_ms);
    let active =
        |name: &str| step.is_some_and(|step| matches(&step.from, name) || matches(&step.to, name));
    let domain = scenario
        .message
        .to
        .first()
        .and_then(|to| to.rsplit_once('@'))
        .map(|(_, domain)| domain.to_ascii_lowercase())
        .unwrap_or_default();
    let mx: Vec<(String, String)> = scenario
        .dns
        .iter()
        .filter(|record| {
            record.kind.eq_ignore_ascii_case("MX")
                && record
                    .name
                    .trim_end_matches('.')
                    .eq_ignore_ascii_case(&domain)
        })
        .filter_map(|record| {
            let (preference, exchange) = record.value.split_once(' ')?;
            Some((
                preference.to_owned(),
                exchange.trim().trim_end_matches('.').to_owned(),
            ))
        })
        .collect();
    let hosts = &scenario.hosts;
    let width = COLUMNS * (NODE_WIDTH + GAP) + GAP;
    let node_x = |index: usize| GAP + index % COLUMNS * (NODE_WIDTH + GAP);
    let node_y = |index: usize| HOSTS_TOP + index / COLUMNS * (NODE_HEIGHT + GAP);
    let height = node_y(hosts.len().max(1) - 1) + NODE_HEIGHT + 10;
    let dns_active = active("DNS");
    html! {
        <figure class="network" aria-label="Network map">
            <svg width={width.to_string()} height={height.to_string()} viewBox={format!("0 0 {width} {height}")} role="img" aria-label={words.get("network-label")}>
                <g class={classes!("node", "dns", dns_active.then_some("active"))}>
                    <rect x={GAP.to_string()} y="10" width={NODE_WIDTH.to_string()} height="44" rx="8" />
                    <text x={(GAP + 10).to_string()} y="30">{ "DNS" }</text>
                    <text class="small" x={(GAP + 10).to_string()} y="46">{ format!("{domain}: {} MX", mx.len()) }</text>
                </g>
                { for mx.iter().map(|(preference, exchange)| {
                    let index = hosts.iter().position(|host| matches(&host.name, exchange));
                    match index {
                        Some(index) => {
                            let (x, y) = (node_x(index) + NODE_WIDTH / 2, node_y(index));
                            html! {
                                <g class="mx-edge">
                                    <line x1={(GAP + NODE_WIDTH / 2).to_string()} y1="54" x2={x.to_string()} y2={y.to_string()} />
                                    <text x={(x + 6).to_string()} y={(y - 10).to_string()}>{ format!("MX {preference}") }</text>
                                </g>
                            }
                        }
                        None => html! {},
                    }
                }) }
                { for hosts.iter().enumerate().map(|(index, host)| {
                    let (x, host_y) = (node_x(index), node_y(index));
                    let down = is_down(host, at_ms);
                    let class = classes!(
                        "node",
                        format!("role-{}", host.role),
                        active(&host.name).then_some("active"),
                        down.then_some("down"),
                    );
                    html! {
                        <g class={class} data-host={host.name.clone()}>
                            <rect x={x.to_string()} y={host_y.to_string()} width={NODE_WIDTH.to_string()} height={NODE_HEIGHT.to_string()} rx="8" />
                            <text x={(x + 8).to_string()} y={(host_y + 18).to_string()}>{ host.name.clone() }</text>
                            <text class="small" x={(x + 8).to_string()} y={(host_y + 36).to_string()}>{ format!("{} · {}", role_name(words, &host.role), host.address) }</text>
                            <text class="small state" x={(x + 8).to_string()} y={(host_y + 54).to_string()}>{ words.get(if down { "host-down" } else { "host-up" }) }</text>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}
