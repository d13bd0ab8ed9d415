//! The wall clock, read here and handed to the core, which never reads one itself.

use std::time::{SystemTime, UNIX_EPOCH};

use wasmtp_core::time::UnixTime;

/// The wall clock as the core counts time.
pub fn now() -> UnixTime {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    UnixTime::from_millis(u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX))
}
