//! Who talks to whom on the simulated network, and the address parts its hosts decide by.

use crate::syntax::{Domain, ForwardPath};

/// Who is talking to whom.
pub(super) struct Link {
    pub client: String,
    pub server: String,
    /// The server's host, by index, which makes its decisions.
    pub server_host: usize,
    /// One-way latency, and the server's extra thinking time per reply.
    pub latency_ms: u64,
    pub reply_delay_ms: u64,
    /// A mail client submitting (RFC 6409) rather than one MTA relaying to another.
    pub submission: bool,
}

/// The local part and domain of a recipient, lowercased domain.
pub(super) fn address_parts(path: &ForwardPath) -> Option<(String, Domain)> {
    match path {
        ForwardPath::Mailbox(mailbox) => mailbox
            .domain()
            .map(|domain| (mailbox.local_part.clone(), domain.clone())),
        ForwardPath::Postmaster => None,
    }
}
