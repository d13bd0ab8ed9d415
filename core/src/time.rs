//! Time as the host gives it. The core never reads a clock: every call that depends on
//! time takes a [`UnixTime`], so a simulator can run a virtual clock and tests are exact.

use core::fmt;
use core::time::Duration;

/// Milliseconds since 1970-01-01T00:00:00Z, as the host's clock (or a simulator) says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnixTime(u64);

impl UnixTime {
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis)
    }

    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// This time plus `duration`, saturating at the end of time.
    pub fn after(self, duration: Duration) -> Self {
        let millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        Self(self.0.saturating_add(millis))
    }

    /// How long after `earlier` this is (zero if it is not after).
    pub fn since(self, earlier: Self) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }

    /// The date in RFC 5322 §3.3 form, in UTC: `Sat, 28 Nov 2026 10:00:00 +0000`.
    pub fn rfc5322(self) -> Rfc5322Date {
        Rfc5322Date(self)
    }
}

/// Displays a [`UnixTime`] as an RFC 5322 `date-time`.
#[derive(Clone, Copy, Debug)]
pub struct Rfc5322Date(UnixTime);

impl fmt::Display for Rfc5322Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let seconds = self.0.0 / 1000;
        let days = seconds / 86_400;
        let (year, month, day) = civil_from_days(days);
        let of_day = seconds % 86_400;
        write!(
            f,
            "{}, {day:02} {} {year} {:02}:{:02}:{:02} +0000",
            DAYS.get((days % 7) as usize).unwrap_or(&"Thu"),
            MONTHS
                .get(month.saturating_sub(1) as usize)
                .unwrap_or(&"Jan"),
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60
        )
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (the classic
/// era-based conversion: 400-year eras of 146097 days).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_render_in_rfc5322_form() {
        assert_eq!(
            UnixTime::from_millis(0).rfc5322().to_string(),
            "Thu, 01 Jan 1970 00:00:00 +0000"
        );
        // 2026-11-28T10:00:00Z
        assert_eq!(
            UnixTime::from_millis(1_795_860_000_000)
                .rfc5322()
                .to_string(),
            "Sat, 28 Nov 2026 10:00:00 +0000"
        );
        // Leap day.
        assert_eq!(
            UnixTime::from_millis(951_782_400_000).rfc5322().to_string(),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
    }

    #[test]
    fn arithmetic_saturates() {
        let end = UnixTime::from_millis(u64::MAX);
        assert_eq!(end.after(Duration::from_secs(1)), end);
        assert_eq!(
            UnixTime::from_millis(5).since(UnixTime::from_millis(9)),
            Duration::ZERO
        );
    }
}
