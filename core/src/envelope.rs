//! The envelope: who a message is from and for, apart from its content (RFC 5321 §2.3.1).

use crate::syntax::{ForwardPath, RcptParameters};

/// One recipient of a message, with its DSN parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Recipient {
    pub forward_path: ForwardPath,
    pub parameters: RcptParameters,
}
