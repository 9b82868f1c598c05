//! `java.time`'s own ISO formats, as `Instant.parse`,
//! `ZonedDateTime.parse` and their `toString` read and print text (not
//! Elasticsearch's formats, which [`crate::DateFormatter`] handles).
//!
//! Parsing is strict: the `T` is upper case and the offset `Z`, `+HH:MM` or
//! `+HH:MM:ss` (Java also takes a lower-case `t`, and `ZonedDateTime.parse`
//! reads offsets leniently, e.g. `+01`).

use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use crate::parser::{self, Parsed};
use crate::pattern::{Element, Field, OffsetPattern, SignStyle};
use crate::resolve;
use crate::zone::{Zone, offset_id};
use crate::{TimeError, ZonedDateTime};

/// `ZonedDateTime.parse(text)` (`ISO_ZONED_DATE_TIME`): a date, `T`, a
/// time with optional seconds and fraction, an offset, and optionally a
/// zone ID in brackets, which then decides the offset at that instant.
pub fn parse_zoned_date_time(text: &str) -> Result<ZonedDateTime, TimeError> {
    static ELEMENTS: OnceLock<Vec<Element>> = OnceLock::new();
    let elements = ELEMENTS.get_or_init(|| {
        let mut elements = offset_date_time(true);
        elements.push(Element::Optional(vec![
            Element::Literal("[".to_owned()),
            Element::ZoneId,
            Element::Literal("]".to_owned()),
        ]));
        elements
    });
    let parsed = parser::parse(elements, text)?;
    let (utc, offset) = utc_and_offset(&parsed)?;
    Ok(ZonedDateTime::of_utc(
        utc,
        parsed.zone.unwrap_or(Zone::Offset(offset)),
    ))
}

/// `Instant.parse(text)` (`ISO_INSTANT`): a date, `T`, a time with seconds
/// and an optional fraction, and an offset; the epoch second and
/// nanosecond.
pub fn parse_instant(text: &str) -> Result<(i64, u32), TimeError> {
    static ELEMENTS: OnceLock<Vec<Element>> = OnceLock::new();
    let parsed = parser::parse(ELEMENTS.get_or_init(|| offset_date_time(false)), text)?;
    let (utc, _) = utc_and_offset(&parsed)?;
    Ok((utc.and_utc().timestamp(), utc.nanosecond()))
}

/// `Instant.toString()`: the UTC date-time with seconds, the fraction in
/// groups of three digits when there is one, and `Z`.
pub fn instant_to_string(seconds: i64, nanos: u32) -> Option<String> {
    let utc = chrono::DateTime::from_timestamp(seconds, nanos)?.naive_utc();
    let mut out = date_string(utc.date());
    out.push('T');
    out.push_str(&format!(
        "{:02}:{:02}:{:02}",
        utc.hour(),
        utc.minute(),
        utc.second()
    ));
    push_fraction(&mut out, nanos);
    out.push('Z');
    Some(out)
}

/// `ZonedDateTime.toString()`: the local date-time (seconds only when
/// they or the fraction are not zero), the offset, and a zone that is not
/// an offset in brackets.
pub fn zoned_to_string(dt: &ZonedDateTime) -> String {
    let local = dt.local();
    let mut out = date_string(local.date());
    out.push('T');
    out.push_str(&format!("{:02}:{:02}", local.hour(), local.minute()));
    let nanos = dt.nano();
    if local.second() > 0 || nanos > 0 {
        out.push_str(&format!(":{:02}", local.second()));
        push_fraction(&mut out, nanos);
    }
    out.push_str(&offset_id(dt.offset_seconds()));
    if !matches!(dt.zone(), Zone::Offset(_)) {
        out.push('[');
        out.push_str(&dt.zone().id());
        out.push(']');
    }
    out
}

/// `ISO_OFFSET_DATE_TIME`'s elements; `optional_seconds` as
/// `ISO_LOCAL_TIME` (the instant parser requires them).
fn offset_date_time(optional_seconds: bool) -> Vec<Element> {
    let two = |field| Element::Number {
        field,
        min: 2,
        max: 2,
        sign: SignStyle::NotNegative,
        subsequent: 0,
    };
    let lit = |s: &str| Element::Literal(s.to_owned());
    let fraction = Element::Fraction {
        min: 0,
        max: 9,
        decimal_point: true,
    };
    let mut elements = vec![
        Element::Number {
            field: Field::Year,
            min: 4,
            max: 10,
            sign: SignStyle::ExceedsPad,
            subsequent: 0,
        },
        lit("-"),
        two(Field::MonthOfYear),
        lit("-"),
        two(Field::DayOfMonth),
        lit("T"),
        two(Field::HourOfDay),
        lit(":"),
        two(Field::MinuteOfHour),
    ];
    if optional_seconds {
        elements.push(Element::Optional(vec![
            lit(":"),
            two(Field::SecondOfMinute),
            Element::Optional(vec![fraction]),
        ]));
    } else {
        elements.extend([lit(":"), two(Field::SecondOfMinute), fraction]);
    }
    elements.push(Element::Offset(OffsetPattern::new("+HH:MM:ss", "Z")));
    elements
}

/// The parsed instant as a UTC date-time, and the offset it was written
/// with, checked as java.time's strict resolver checks them.
fn utc_and_offset(parsed: &Parsed) -> Result<(NaiveDateTime, i32), TimeError> {
    let resolved = resolve::resolve(parsed)?;
    let (Some(date), Some(time), Some(offset)) = (resolved.es_date, resolved.time, parsed.offset)
    else {
        return Err(TimeError::Invalid(
            "Unable to obtain an instant from the text".to_owned(),
        ));
    };
    // Within java.time's range, but beyond chrono's once the offset is
    // taken off (years ±262,142): refused, as this library's limit.
    let utc = date
        .and_time(time)
        .checked_sub_signed(chrono::Duration::seconds(i64::from(offset)))
        .ok_or_else(|| {
            TimeError::Invalid("Instant exceeds minimum or maximum instant".to_owned())
        })?;
    Ok((utc, offset))
}

/// `LocalDate.toString()`: four-digit years, `+` beyond 9999, `-` before
/// year 0.
fn date_string(date: NaiveDate) -> String {
    use chrono::Datelike;
    let year = date.year();
    let year_text = if year > 9999 {
        format!("+{year}")
    } else if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    };
    format!("{year_text}-{:02}-{:02}", date.month(), date.day())
}

/// A fraction of a second as java.time prints it: none when zero, else
/// three, six or nine digits, the fewest that hold it.
fn push_fraction(out: &mut String, nanos: u32) {
    if nanos == 0 {
        return;
    }
    if nanos % 1_000_000 == 0 {
        out.push_str(&format!(".{:03}", nanos / 1_000_000));
    } else if nanos % 1_000 == 0 {
        out.push_str(&format!(".{:06}", nanos / 1_000));
    } else {
        out.push_str(&format!(".{nanos:09}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoned_date_times_parse_and_print_as_java_does() {
        let cases = [
            ("2024-05-05T17:51:17Z", "2024-05-05T17:51:17Z"),
            ("2024-05-05T17:51Z", "2024-05-05T17:51Z"),
            (
                "2024-05-05T17:51:00.500+02:00",
                "2024-05-05T17:51:00.500+02:00",
            ),
            (
                "2024-05-05T17:51:17.1234567-07:30",
                "2024-05-05T17:51:17.123456700-07:30",
            ),
            (
                "2024-07-01T12:00:00+02:00[Europe/Paris]",
                "2024-07-01T12:00+02:00[Europe/Paris]",
            ),
            // The bracketed zone decides the offset at the parsed instant.
            (
                "2024-01-01T12:00:00+02:00[Europe/Paris]",
                "2024-01-01T11:00+01:00[Europe/Paris]",
            ),
        ];
        for (text, printed) in cases {
            let dt = parse_zoned_date_time(text).unwrap();
            assert_eq!(zoned_to_string(&dt), printed, "{text}");
        }
    }

    #[test]
    fn bad_texts_fail_with_java_messages() {
        let message = |t: &str| parse_zoned_date_time(t).unwrap_err().to_string();
        assert_eq!(
            message("2024-05-05"),
            "Text '2024-05-05' could not be parsed at index 10"
        );
        assert_eq!(message("abc"), "Text 'abc' could not be parsed at index 0");
        assert_eq!(
            message("2024-05-05T17:51:17"),
            "Text '2024-05-05T17:51:17' could not be parsed at index 19"
        );
        assert_eq!(
            message("2024-13-05T17:51:17Z"),
            "Invalid value for MonthOfYear (valid values 1 - 12): 13"
        );
        assert_eq!(
            message("2024-05-05T17:51:17Zx"),
            "Text '2024-05-05T17:51:17Zx' could not be parsed, unparsed text found at index 20"
        );
        assert_eq!(
            parse_instant("2024-05-05T17:51Z").unwrap_err().to_string(),
            "Text '2024-05-05T17:51Z' could not be parsed at index 16"
        );
    }

    #[test]
    fn instants_past_the_supported_range_fail_instead_of_overflowing() {
        let beyond = "Instant exceeds minimum or maximum instant";
        for text in [
            "+262142-12-31T23:59:59-18:00",
            "-262143-01-01T00:00:00+18:00",
        ] {
            assert_eq!(
                parse_instant(text).unwrap_err().to_string(),
                beyond,
                "{text}"
            );
            assert_eq!(
                parse_zoned_date_time(text).unwrap_err().to_string(),
                beyond,
                "{text}"
            );
        }
        assert_eq!(
            parse_zoned_date_time("+262142-12-31T23:59:59-18:00[Europe/Paris]")
                .unwrap_err()
                .to_string(),
            beyond
        );
    }

    #[test]
    fn instants_parse_offsets_and_print_in_utc() {
        assert_eq!(
            parse_instant("2024-05-05T17:51:17Z").unwrap(),
            (1_714_931_477, 0)
        );
        assert_eq!(
            parse_instant("2024-05-05T19:51:17.25+02:00").unwrap(),
            (1_714_931_477, 250_000_000)
        );
        assert_eq!(
            instant_to_string(1_714_931_477, 0).as_deref(),
            Some("2024-05-05T17:51:17Z")
        );
        assert_eq!(
            instant_to_string(1_714_931_477, 1_000).as_deref(),
            Some("2024-05-05T17:51:17.000001Z")
        );
        assert_eq!(
            instant_to_string(0, 0).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
    }
}
