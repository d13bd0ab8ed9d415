//! Mail authentication, sans-I/O as routing is: the checks ask DNS questions, the host
//! answers them from its own resolver (or a simulated zone), and the time comes in as
//! an argument.
//!
//! - [`spf`]: Sender Policy Framework (RFC 7208), whether the client may send for the
//!   domain of MAIL FROM or HELO.
//! - [`results`]: the `Authentication-Results:` header field (RFC 8601) that records
//!   what was found.

mod lookup;
pub mod results;
pub mod spf;

pub use lookup::{Lookup, Query};
