//! Mail authentication, sans-I/O as routing is: the checks ask DNS questions, the host
//! answers them from its own resolver (or a simulated zone), and the time comes in as
//! an argument.
//!
//! - [`spf`]: Sender Policy Framework (RFC 7208), whether the client may send for the
//!   domain of MAIL FROM or HELO.

mod lookup;
pub mod spf;

pub use lookup::{Lookup, Query};
