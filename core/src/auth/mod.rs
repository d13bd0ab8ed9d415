//! Mail authentication, sans-I/O as routing is: the checks ask DNS questions, the host
//! answers them from its own resolver (or a simulated zone), and the time comes in as
//! an argument.
//!
//! - [`spf`]: Sender Policy Framework (RFC 7208), whether the client may send for the
//!   domain of MAIL FROM or HELO.
//! - `dkim` (feature `dkim`): DKIM signatures (RFC 6376, RFC 8463) checked against the
//!   signing domain's key.
//! - [`dmarc`]: DMARC (RFC 7489), whether a pass of SPF or DKIM is for the domain of the
//!   author (`From:`), and what that domain asks receivers to do when none is.
//! - `report` (feature `dkim`): the three checks of a received message in order.
//! - [`results`]: the `Authentication-Results:` header field (RFC 8601) that records
//!   what was found.

#[cfg(feature = "dkim")]
pub mod dkim;
pub mod dmarc;
mod lookup;
pub mod message;
#[cfg(feature = "dkim")]
pub mod report;
pub mod results;
pub mod spf;
pub mod tags;

pub use lookup::{Lookup, Query};
