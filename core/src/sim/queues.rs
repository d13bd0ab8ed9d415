//! Every host's queued mail, and the agenda of delivery attempts in time order (ties
//! keep their order of insertion, so a run is deterministic).

use std::collections::BTreeSet;

use crate::queue::{QueuedMessage, RetrySchedule};

/// A message in some host's queue.
#[derive(Debug)]
pub(super) struct Queued {
    pub holder: usize,
    pub content: Vec<u8>,
    pub message: QueuedMessage,
}

/// Every host's queued mail, and the attempts to make.
#[derive(Debug)]
pub(super) struct Queues {
    pub entries: Vec<Queued>,
    /// (when, insertion order, queue index): attempts to make.
    agenda: BTreeSet<(u64, usize, usize)>,
    schedule: RetrySchedule,
}

impl Default for Queues {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            agenda: BTreeSet::new(),
            schedule: RetrySchedule::postfix(),
        }
    }
}

impl Queues {
    /// Puts an attempt for entry `queued` on the agenda at `at_ms`. Its order among
    /// attempts at the same time counts the trace's `steps` so far, so it comes after
    /// whatever was planned before.
    pub(super) fn plan(&mut self, at_ms: u64, queued: usize, steps: usize) {
        let order = self.agenda.len() + steps;
        self.agenda.insert((at_ms, order, queued));
    }

    /// When temporary failures are tried again.
    pub(super) fn retry_schedule(&self) -> &RetrySchedule {
        &self.schedule
    }

    /// The earliest attempt due by `horizon_ms`, taken off the agenda: its time and the
    /// queue index.
    pub(super) fn next_due(&mut self, horizon_ms: u64) -> Option<(u64, usize)> {
        let &(at_ms, order, queued) = self.agenda.first()?;
        if at_ms > horizon_ms {
            return None;
        }
        self.agenda.remove(&(at_ms, order, queued));
        Some((at_ms, queued))
    }
}
