//! The date processor's formats: `ISO8601`, `UNIX`, `UNIX_MS`, `TAI64N`,
//! and anything else as an Elasticsearch date format.

use crate::formatter::{DateFormatter, instant};
use crate::resolve;
use crate::zone::Zone;
use crate::{Locale, TimeError, ZonedDateTime};

/// One entry of the date processor's `formats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateFormat {
    /// `ISO8601`: Elasticsearch's `iso8601` parser.
    Iso8601,
    /// `UNIX`: seconds since the epoch, with a fraction.
    Unix,
    /// `UNIX_MS`: milliseconds since the epoch.
    UnixMs,
    /// `TAI64N`: a TAI64N label (`@4000000050d506482dbdf024`).
    Tai64n,
    /// A Java pattern or Elasticsearch format name.
    Java(String),
}

impl DateFormat {
    /// Elasticsearch's `DateFormat.fromString`.
    pub fn from_name(format: &str) -> DateFormat {
        match format {
            "ISO8601" => DateFormat::Iso8601,
            "UNIX" => DateFormat::Unix,
            "UNIX_MS" => DateFormat::UnixMs,
            "TAI64N" => DateFormat::Tai64n,
            other => DateFormat::Java(other.to_owned()),
        }
    }

    /// Builds the parsing function for a zone and locale, as Elasticsearch's
    /// `getFunction` (a bad pattern fails here).
    pub fn parser(&self, zone: Zone, locale: Locale) -> Result<DateParser, TimeError> {
        let kind = match self {
            DateFormat::Iso8601 => ParserKind::Iso8601(DateFormatter::for_pattern("iso8601")?),
            DateFormat::Unix => ParserKind::Unix,
            DateFormat::UnixMs => ParserKind::UnixMs,
            DateFormat::Tai64n => ParserKind::Tai64n,
            DateFormat::Java(format) => {
                let format = format.strip_prefix('8').unwrap_or(format);
                ParserKind::Java(DateFormatter::for_pattern(format)?)
            }
        };
        Ok(DateParser { kind, zone, locale })
    }
}

#[derive(Debug, Clone)]
enum ParserKind {
    Iso8601(DateFormatter),
    Unix,
    UnixMs,
    Tai64n,
    Java(DateFormatter),
}

/// A ready parsing function for one format, zone and locale.
#[derive(Debug, Clone)]
pub struct DateParser {
    kind: ParserKind,
    zone: Zone,
    locale: Locale,
}

impl DateParser {
    /// The locale this parser was built for.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// Parses `text`; `current_year` fills in patterns without a year.
    pub fn parse(&self, text: &str, current_year: i32) -> Result<ZonedDateTime, TimeError> {
        let zone = self.zone;
        match &self.kind {
            ParserKind::Iso8601(f) => Ok(f.parse_zoned(text, zone)?.with_zone_same_instant(zone)),
            ParserKind::Unix => {
                let seconds = parse_java_double(text)?;
                let millis = (seconds * 1000.0) as i64;
                epoch_millis(millis, zone, text)
            }
            ParserKind::UnixMs => {
                let millis = parse_java_long(text, 10)?;
                epoch_millis(millis, zone, text)
            }
            ParserKind::Tai64n => {
                let label = text.strip_prefix('@').unwrap_or(text);
                let base = parse_java_long(java_substring(label, 1, 16)?, 16)?;
                let rest = parse_java_long(java_substring(label, 16, 24)?, 16)?;
                let millis = base
                    .wrapping_mul(1000)
                    .wrapping_sub(10000)
                    .wrapping_add(rest / 1_000_000);
                epoch_millis(millis, zone, text)
            }
            ParserKind::Java(f) => match f.parse_resolved(text)? {
                Ok(resolved) => {
                    let dt = match resolve::without_year(&resolved, zone, current_year) {
                        Some(dt) => dt,
                        None => resolve::es_from(&resolved, zone)?,
                    };
                    Ok(dt.with_zone_same_instant(zone))
                }
                Err((seconds, nanos)) => {
                    Ok(instant(seconds, nanos, zone, text)?.with_zone_same_instant(zone))
                }
            },
        }
    }
}

fn epoch_millis(millis: i64, zone: Zone, text: &str) -> Result<ZonedDateTime, TimeError> {
    ZonedDateTime::of_epoch_millis(millis, zone).ok_or_else(|| {
        TimeError::Invalid(format!(
            "Instant exceeds minimum or maximum instant: {text}"
        ))
    })
}

/// Java's `String.substring(begin, end)` on ASCII-sized text.
fn java_substring(text: &str, begin: usize, end: usize) -> Result<&str, TimeError> {
    text.get(begin..end).ok_or_else(|| {
        TimeError::Invalid(format!(
            "begin {begin}, end {end}, length {}",
            text.encode_utf16().count()
        ))
    })
}

/// `Long.parseLong(s, radix)` ([`isc_value::java_number::parse_radix`]).
fn parse_java_long(s: &str, radix: u32) -> Result<i64, TimeError> {
    isc_value::java_number::parse_radix(s, radix as i32, i64::MIN, i64::MAX)
        .map_err(TimeError::Invalid)
}

/// `Double.parseDouble(s)` for decimal text.
fn parse_java_double(s: &str) -> Result<f64, TimeError> {
    let fail = || TimeError::Invalid(format!("For input string: \"{s}\""));
    let t = s.trim_matches(|c: char| c <= ' ');
    if t.is_empty() {
        return Err(TimeError::Invalid("empty String".to_owned()));
    }
    let (sign, body) = match t.as_bytes()[0] {
        b'-' => (-1.0, &t[1..]),
        b'+' => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    match body {
        "NaN" => return Ok(f64::NAN),
        "Infinity" => return Ok(sign * f64::INFINITY),
        _ => {}
    }
    let body = body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body);
    let valid = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && body
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.');
    if !valid {
        return Err(fail());
    }
    body.parse::<f64>().map(|v| sign * v).map_err(|_| fail())
}
