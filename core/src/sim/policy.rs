//! What each simulated host decides as an SMTP server: who may log in, which recipients
//! it takes (its users, greylisting, full mailboxes, no open relay), and what it refuses
//! at the end of the data (mail loops, a scripted failure).

use std::collections::{BTreeMap, BTreeSet};

use crate::code;
use crate::explain::Topic;
use crate::reply::{Reply, build};
use crate::server::{Credentials, Decision, MAX_HOPS, ServerConfig, hop_count};
use crate::syntax::ForwardPath;

use super::link::{Link, address_parts};
use super::scenario::{Behaviour, Host, Role, World};

/// The submission password every simulated user has.
pub(super) const PASSWORD: &str = "correct horse";
/// How long a `greeting-delay` host holds its greeting back: postscreen's default.
pub(super) const GREETING_DELAY: core::time::Duration = core::time::Duration::from_secs(6);
/// How long greylisting holds a new (client, recipient) pair.
const GREYLIST_MS: u64 = 4 * 60 * 1000;

/// What the hosts remember between sessions.
#[derive(Debug, Default)]
pub(super) struct HostPolicy {
    /// (host, client, recipient) → first seen, for greylisting.
    greylist: BTreeMap<(usize, String, String), u64>,
    /// Hosts that already failed one message after its data.
    failed_after_data: BTreeSet<usize>,
}

impl HostPolicy {
    /// AUTH at the submission server: the sender with the simulated password.
    pub(super) fn authenticate(world: &World, host: usize, credentials: &Credentials) -> Decision {
        let is_submission = world
            .hosts
            .get(host)
            .is_some_and(|host| host.role == Role::Submission);
        if is_submission
            && credentials.username == world.sender.local_part
            && credentials.password == PASSWORD
        {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }

    /// RCPT at `link.server_host` at `clock_ms`: a submission server relays for its
    /// logged-in user; otherwise only domains the host serves are taken (no open relay,
    /// RFC 5321 §3.6.2). With the decision, the topic behind a refusal the lesson
    /// teaches (greylisting).
    pub(super) fn rcpt(
        &mut self,
        world: &World,
        clock_ms: u64,
        link: &Link,
        path: &ForwardPath,
    ) -> (Decision, Option<Topic>) {
        let decision = self.decide_rcpt(world, clock_ms, link, path);
        let greylisted = matches!(&decision, Decision::Reply(reply) if *reply == greylisted());
        (decision, greylisted.then_some(Topic::Greylisting))
    }

    fn decide_rcpt(
        &mut self,
        world: &World,
        clock_ms: u64,
        link: &Link,
        path: &ForwardPath,
    ) -> Decision {
        if link.submission {
            return Decision::Accept;
        }
        let Some(host) = world.hosts.get(link.server_host) else {
            return Decision::Reject;
        };
        let Some((local, domain)) = address_parts(path) else {
            return Decision::Accept;
        };
        if !host.serves(&domain) {
            return Decision::Reject;
        }
        if host.role == Role::Backup {
            return Decision::Accept;
        }
        if !host
            .users
            .iter()
            .any(|user| user.eq_ignore_ascii_case(&local))
        {
            return Decision::Reply(build(
                code!(550),
                (1, 1),
                &format!("{path}: no such user here"),
            ));
        }
        if host
            .full_mailboxes
            .iter()
            .any(|user| user.eq_ignore_ascii_case(&local))
        {
            return Decision::Reply(build(code!(452), (2, 2), &format!("{path}: mailbox full")));
        }
        if host.has(Behaviour::Greylisting) {
            let key = (link.server_host, link.client.clone(), path.to_string());
            let first_seen = *self.greylist.entry(key).or_insert(clock_ms);
            if clock_ms < first_seen + GREYLIST_MS {
                return Decision::Reply(greylisted());
            }
        }
        Decision::Accept
    }

    /// The end of a message's data at `host` (index `host_index`): the reply refusing
    /// it, if any.
    pub(super) fn end_of_data(
        &mut self,
        (host_index, host): (usize, &Host),
        content: &[u8],
    ) -> Option<Reply> {
        if hop_count(content) > MAX_HOPS {
            return Some(build(
                code!(554),
                (4, 6),
                "too many hops (Received fields): a mail loop",
            ));
        }
        if host.has(Behaviour::FailAtEndOfData) && self.failed_after_data.insert(host_index) {
            return Some(build(
                code!(451),
                (3, 0),
                "temporary failure after data, try again later",
            ));
        }
        None
    }
}

/// `451 4.7.1` to a (client, recipient) pair seen for the first time.
fn greylisted() -> Reply {
    build(
        code!(451),
        (7, 1),
        "greylisted: please try again in 4 minutes",
    )
}

/// The server configuration a host's behaviours give (`None` only for a host name that
/// is not an ASCII domain, which scenario checking refuses).
pub(super) fn server_config(host: &Host) -> Option<ServerConfig> {
    let mut config = ServerConfig::new(&host.name).ok()?;
    config.local_domains = host.domains.clone();
    config.extensions.pipelining = !host.has(Behaviour::NoPipelining);
    config.extensions.eight_bit_mime = !host.has(Behaviour::No8BitMime);
    config.extensions.smtputf8 = !host.has(Behaviour::NoSmtpUtf8);
    config.quirks.helo_only = host.has(Behaviour::HeloOnly);
    config.quirks.vulnerable_to_smuggling = host.has(Behaviour::SmugglingVulnerable);
    config.tls_available = host.has(Behaviour::StartTls);
    if host.has(Behaviour::GreetingDelay) {
        config.timeouts.greeting_delay = GREETING_DELAY;
    }
    if let Some(size) = host.max_size {
        config.limits.message_size = size;
    }
    Some(config)
}
