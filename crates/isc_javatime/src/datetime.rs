//! `java.time.ZonedDateTime`: a local date-time, its offset and its zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::zone::{LocalOffset, Zone};

/// A date-time with an offset and a zone, as `java.time.ZonedDateTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZonedDateTime {
    local: NaiveDateTime,
    offset: i32,
    zone: Zone,
}

impl ZonedDateTime {
    /// `ZonedDateTime.of(local, zone)`: the earlier offset in an overlap,
    /// moved forward by the gap's length in a gap.
    pub fn of_local(local: NaiveDateTime, zone: Zone) -> ZonedDateTime {
        match zone.offset_for_local(&local) {
            LocalOffset::Valid(offset) => ZonedDateTime {
                local,
                offset,
                zone,
            },
            LocalOffset::Gap { before, after } => ZonedDateTime {
                local: shift(local, i64::from(after - before)),
                offset: after,
                zone,
            },
        }
    }

    /// The date-time at a UTC instant in `zone`.
    pub fn of_utc(utc: NaiveDateTime, zone: Zone) -> ZonedDateTime {
        let offset = zone.offset_at_utc(&utc);
        ZonedDateTime {
            local: shift(utc, i64::from(offset)),
            offset,
            zone,
        }
    }

    /// `Instant.ofEpochMilli(millis).atZone(zone)`; `None` outside the
    /// range this library represents.
    pub fn of_epoch_millis(millis: i64, zone: Zone) -> Option<ZonedDateTime> {
        let utc = DateTime::from_timestamp_millis(millis)?.naive_utc();
        Some(ZonedDateTime::of_utc(utc, zone))
    }

    /// `withZoneSameInstant`.
    pub fn with_zone_same_instant(&self, zone: Zone) -> ZonedDateTime {
        ZonedDateTime::of_utc(self.utc(), zone)
    }

    /// The local date-time.
    pub fn local(&self) -> NaiveDateTime {
        self.local
    }

    /// The UTC date-time of the same instant.
    pub fn utc(&self) -> NaiveDateTime {
        shift(self.local, -i64::from(self.offset))
    }

    /// Offset from UTC in seconds.
    pub fn offset_seconds(&self) -> i32 {
        self.offset
    }

    /// The zone.
    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// Milliseconds since the epoch.
    pub fn epoch_millis(&self) -> i64 {
        self.utc().and_utc().timestamp_millis()
    }

    /// The local date.
    pub fn date(&self) -> NaiveDate {
        self.local.date()
    }

    /// The local time.
    pub fn time(&self) -> NaiveTime {
        self.local.time()
    }

    /// Proleptic year.
    pub fn year(&self) -> i32 {
        self.local.year()
    }

    /// Nanosecond of the second.
    pub fn nano(&self) -> u32 {
        self.local.nanosecond() % 1_000_000_000
    }
}

/// `at` moved by `seconds`; at the very ends of the representable range
/// (±262,000 years) the time is left unmoved rather than overflowing.
fn shift(at: NaiveDateTime, seconds: i64) -> NaiveDateTime {
    at.checked_add_signed(Duration::seconds(seconds))
        .unwrap_or(at)
}
