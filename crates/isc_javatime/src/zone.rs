//! Time zones as Java's `ZoneId` knows them: fixed offsets (`Z`,
//! `+05:30`), the `UTC`/`GMT`/`UT` prefixes, and tz database regions.

use chrono::{NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

use crate::TimeError;

/// A `java.time.ZoneId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A `ZoneOffset`, in seconds east of UTC (`Z` when zero).
    Offset(i32),
    /// `UTC`, `GMT` or `UT`, optionally with an offset (`UTC+01:00`): a
    /// fixed zone that keeps its ID.
    Prefixed(ZonePrefix, i32),
    /// A tz database region such as `Europe/Paris`.
    Region(Tz),
}

/// The prefix of a prefixed fixed zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZonePrefix {
    /// `UTC`.
    Utc,
    /// `GMT`.
    Gmt,
    /// `UT`.
    Ut,
}

impl ZonePrefix {
    fn as_str(self) -> &'static str {
        match self {
            ZonePrefix::Utc => "UTC",
            ZonePrefix::Gmt => "GMT",
            ZonePrefix::Ut => "UT",
        }
    }
}

/// UTC as a `ZoneOffset` (`Z`).
pub const UTC: Zone = Zone::Offset(0);

impl Zone {
    /// Java's `ZoneId.of(id)`.
    pub fn of(id: &str) -> Result<Zone, TimeError> {
        if id == "Z" {
            return Ok(UTC);
        }
        if id.starts_with('+') || id.starts_with('-') {
            return parse_offset_id(id).map(Zone::Offset);
        }
        for (prefix, kind) in [
            ("UTC", ZonePrefix::Utc),
            ("GMT", ZonePrefix::Gmt),
            ("UT", ZonePrefix::Ut),
        ] {
            if id == prefix {
                return Ok(Zone::Prefixed(kind, 0));
            }
            if let Some(rest) = id.strip_prefix(prefix)
                && (rest.starts_with('+') || rest.starts_with('-'))
            {
                let seconds = parse_offset_id(rest).map_err(|_| {
                    TimeError::Zone(format!("Invalid ID for offset-based ZoneId: {id}"))
                })?;
                return Ok(Zone::Prefixed(kind, seconds));
            }
        }
        let valid_shape = id.len() >= 2
            && id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "~/._+-".contains(c));
        if !valid_shape {
            return Err(TimeError::Zone(format!(
                "Invalid ID for region-based ZoneId, invalid format: {id}"
            )));
        }
        id.parse::<Tz>()
            .map(Zone::Region)
            .map_err(|_| TimeError::UnknownZone(id.to_owned()))
    }

    /// The offset in seconds at a UTC instant.
    pub fn offset_at_utc(&self, utc: &NaiveDateTime) -> i32 {
        match self {
            Zone::Offset(s) | Zone::Prefixed(_, s) => *s,
            Zone::Region(tz) => tz.offset_from_utc_datetime(utc).fix().local_minus_utc(),
        }
    }

    /// The offset Java's `ZonedDateTime.of(local, zone)` picks for a local
    /// date-time: the earlier offset in an overlap; in a gap, the offset
    /// before the gap (the caller then moves the time forward).
    pub fn offset_for_local(&self, local: &NaiveDateTime) -> LocalOffset {
        match self {
            Zone::Offset(s) | Zone::Prefixed(_, s) => LocalOffset::Valid(*s),
            Zone::Region(tz) => match tz.offset_from_local_datetime(local) {
                chrono::LocalResult::Single(o) => LocalOffset::Valid(o.fix().local_minus_utc()),
                chrono::LocalResult::Ambiguous(a, b) => {
                    let (a, b) = (a.fix().local_minus_utc(), b.fix().local_minus_utc());
                    LocalOffset::Valid(a.max(b))
                }
                chrono::LocalResult::None => {
                    // Offsets on either side of the gap.
                    let before = tz
                        .offset_from_utc_datetime(
                            &local
                                .checked_sub_signed(chrono::Duration::hours(26))
                                .unwrap_or(*local),
                        )
                        .fix()
                        .local_minus_utc();
                    let after = tz
                        .offset_from_utc_datetime(
                            &local
                                .checked_add_signed(chrono::Duration::hours(26))
                                .unwrap_or(*local),
                        )
                        .fix()
                        .local_minus_utc();
                    LocalOffset::Gap { before, after }
                }
            },
        }
    }

    /// Java's `ZoneId.getId()`.
    pub fn id(&self) -> String {
        match self {
            Zone::Offset(s) => offset_id(*s),
            Zone::Prefixed(p, 0) => p.as_str().to_owned(),
            Zone::Prefixed(p, s) => format!("{}{}", p.as_str(), offset_id(*s)),
            Zone::Region(tz) => tz.name().to_owned(),
        }
    }

    /// A short display name for pattern letter `z`.
    pub fn short_name(&self, utc: &NaiveDateTime) -> String {
        match self {
            Zone::Offset(_) | Zone::Prefixed(..) => self.id(),
            Zone::Region(tz) => {
                let offset = tz.offset_from_utc_datetime(utc);
                let name = offset.to_string();
                if name.starts_with('+') || name.starts_with('-') {
                    format!("GMT{}", offset_id(offset.fix().local_minus_utc()))
                } else {
                    name
                }
            }
        }
    }
}

/// How a local date-time maps onto a zone's offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalOffset {
    /// One usable offset (the earlier one in an overlap).
    Valid(i32),
    /// The local time does not exist; offsets before and after the gap.
    Gap {
        /// Offset before the transition.
        before: i32,
        /// Offset after the transition.
        after: i32,
    },
}

/// Java's `ZoneOffset.getId()`: `Z`, `+01:00`, `+01:00:30`.
pub fn offset_id(seconds: i32) -> String {
    if seconds == 0 {
        return "Z".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

/// `ZoneOffset.of`: `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`.
fn parse_offset_id(id: &str) -> Result<i32, TimeError> {
    let invalid = || TimeError::Zone(format!("Invalid ID for ZoneOffset, invalid format: {id}"));
    let negative = id.starts_with('-');
    let body = &id[1..];
    if !body.is_ascii() {
        return Err(invalid());
    }
    let digits = |s: &str| -> Option<i32> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (h, m, s) = match body.len() {
        1 if body.bytes().all(|b| b.is_ascii_digit()) => {
            (body.parse().map_err(|_| invalid())?, 0, 0)
        }
        2 => (digits(body).ok_or_else(invalid)?, 0, 0),
        4 => (
            digits(&body[..2]).ok_or_else(invalid)?,
            digits(&body[2..]).ok_or_else(invalid)?,
            0,
        ),
        5 if &body[2..3] == ":" => (
            digits(&body[..2]).ok_or_else(invalid)?,
            digits(&body[3..]).ok_or_else(invalid)?,
            0,
        ),
        6 => (
            digits(&body[..2]).ok_or_else(invalid)?,
            digits(&body[2..4]).ok_or_else(invalid)?,
            digits(&body[4..]).ok_or_else(invalid)?,
        ),
        8 if &body[2..3] == ":" && &body[5..6] == ":" => (
            digits(&body[..2]).ok_or_else(invalid)?,
            digits(&body[3..5]).ok_or_else(invalid)?,
            digits(&body[6..]).ok_or_else(invalid)?,
        ),
        _ => return Err(invalid()),
    };
    offset_seconds(negative, h, m, s)
}

/// Validates offset parts as `ZoneOffset.ofHoursMinutesSeconds` does.
pub(crate) fn offset_seconds(negative: bool, h: i32, m: i32, s: i32) -> Result<i32, TimeError> {
    if h > 18 || m > 59 || s > 59 || (h == 18 && (m > 0 || s > 0)) {
        return Err(TimeError::Zone(
            "Zone offset not in valid range: -18:00 to +18:00".to_owned(),
        ));
    }
    let total = h * 3600 + m * 60 + s;
    Ok(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_like_zone_id_of() {
        assert_eq!(Zone::of("Z"), Ok(UTC));
        assert_eq!(Zone::of("+05:30"), Ok(Zone::Offset(19800)));
        assert_eq!(Zone::of("-0800"), Ok(Zone::Offset(-28800)));
        assert_eq!(Zone::of("+2"), Ok(Zone::Offset(7200)));
        assert_eq!(Zone::of("UTC").map(|z| z.id()), Ok("UTC".to_owned()));
        assert_eq!(
            Zone::of("GMT+2").map(|z| z.id()),
            Ok("GMT+02:00".to_owned())
        );
        assert_eq!(
            Zone::of("Europe/Amsterdam").map(|z| z.id()),
            Ok("Europe/Amsterdam".to_owned())
        );
        assert_eq!(
            Zone::of("Mars/Olympus").err().map(|e| e.to_string()),
            Some("Unknown time-zone ID: Mars/Olympus".to_owned())
        );
        assert!(Zone::of("+25:00").is_err());
        assert!(Zone::of("").is_err());
        assert!(Zone::of("+1\u{e9}3").is_err());
        assert!(Zone::of("UTC+\u{e9}\u{e9}").is_err());
    }
}
