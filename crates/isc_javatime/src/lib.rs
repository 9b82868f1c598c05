//! Java time patterns and Elasticsearch date formats, for the `date` and
//! `date_index_name` processors.
//!
//! [`DateFormatter::for_pattern`] compiles what Elasticsearch's
//! `DateFormatter.forPattern` accepts: Java `DateTimeFormatter` patterns
//! (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, optional `[sections]`, quoted
//! literals), Elasticsearch's built-in names (`strict_date_optional_time`,
//! `iso8601`, `epoch_millis`, `basic_date_time`, ...) and `||`-joined
//! alternatives. Parsing is strict and case sensitive like `java.time`'s;
//! parsed fields are resolved as Elasticsearch's `DateFormatters.from`
//! does (a date without time is the start of the day, a missing zone is
//! the default zone). [`DateFormat`] adds the date processor's `ISO8601`,
//! `UNIX`, `UNIX_MS` and `TAI64N` and its rule for patterns without a year
//! (the current year, the parsed zone dropped).
//!
//! Calendar and time-zone arithmetic uses `chrono` and `chrono-tz`; the
//! pattern compiler, parser and printer are our own.
//!
//! Week-based fields (`Y`, `w`) follow Elasticsearch's ISO week definition
//! for `Locale.ROOT` (weeks start on Monday, the first week has four days),
//! including its handling of a `YYYY` written for `yyyy`: without a real
//! year the date becomes the Monday of the week-based year's first week.
//!
//! Known differences from Java: month and weekday names are English and
//! week fields ISO for every locale; the localized week fields `e`, `c`,
//! `W`, `F` and padding (`p`) are rejected; zone names (`z`) are parsed for
//! IDs and the common North American and European abbreviations only.

mod date_format;
mod datetime;
mod error;
mod format;
mod formatter;
mod iso;
mod java_iso;
mod named;
mod names;
mod parser;
mod pattern;
mod resolve;
mod zone;

pub use date_format::{DateFormat, DateParser};
pub use datetime::ZonedDateTime;
pub use error::TimeError;
pub use formatter::DateFormatter;
pub use java_iso::{instant_to_string, parse_instant, parse_zoned_date_time, zoned_to_string};
pub use parser::Parsed;
pub use zone::{UTC, Zone, ZonePrefix, offset_id};

/// The date processor's default `output_format`.
pub const DEFAULT_OUTPUT_FORMAT: &str = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

/// A locale as Elasticsearch's `LocaleUtils.parse` reads it. Names are
/// English whatever the locale; the value is kept for validation and
/// caching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// `Locale.ROOT` (the date processor's default).
    Root,
    /// Any other valid language tag.
    Language,
}

impl Locale {
    /// `LocaleUtils.parse`: `ROOT`, or `language[_country[_variant]]` with
    /// `_` or `-`.
    pub fn parse(text: &str) -> Result<Locale, TimeError> {
        let separator = text.chars().find(|c| *c == '-' || *c == '_').unwrap_or('-');
        let parts: Vec<&str> = text.split(separator).collect();
        match parts.len() {
            1 if parts[0].eq_ignore_ascii_case("root") => return Ok(Locale::Root),
            1..=3 => {}
            n => {
                return Err(TimeError::Invalid(format!(
                    "Locales can have at most 3 parts but got {n}: [{text}]"
                )));
            }
        }
        let language = parts[0];
        let language_ok = language.is_empty()
            || ((2..=3).contains(&language.len())
                && language.chars().all(|c| c.is_ascii_alphabetic()));
        if !language_ok {
            return Err(TimeError::Invalid(format!("Unknown language: {language}")));
        }
        if let Some(country) = parts.get(1) {
            let country_ok = country.is_empty()
                || (country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()))
                || (country.len() == 3 && country.chars().all(|c| c.is_ascii_digit()));
            if !country_ok {
                return Err(TimeError::Invalid(format!("Unknown country: {country}")));
            }
        }
        Ok(Locale::Language)
    }
}

/// The current year in UTC (the date processor's default for patterns
/// without a year).
pub fn current_year_utc() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(format: &str, text: &str, zone: &str) -> String {
        parse_in_year(format, text, zone, 2024)
    }

    fn parse_in_year(format: &str, text: &str, zone: &str, year: i32) -> String {
        let zone = match Zone::of(zone) {
            Ok(z) => z,
            Err(e) => return format!("error: {e}"),
        };
        let output =
            DateFormatter::for_pattern(DEFAULT_OUTPUT_FORMAT).unwrap_or_else(|e| panic!("{e}"));
        DateFormat::from_name(format)
            .parser(zone, Locale::Root)
            .and_then(|p| p.parse(text, year))
            .and_then(|dt| output.format(&dt))
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn documented_pattern_example_with_timezone() {
        assert_eq!(
            parse(
                "dd/MM/yyyy HH:mm:ss",
                "25/04/2016 12:02:01",
                "Europe/Amsterdam"
            ),
            "2016-04-25T12:02:01.000+02:00"
        );
    }

    #[test]
    fn iso8601_variants() {
        assert_eq!(
            parse("ISO8601", "2016-10-30T12:00:00Z", "UTC"),
            "2016-10-30T12:00:00.000Z"
        );
        assert_eq!(
            parse("ISO8601", "2016-10-30T12:00:00.123456+02:00", "UTC"),
            "2016-10-30T10:00:00.123Z"
        );
        assert_eq!(
            parse("ISO8601", "2016-10-30", "UTC"),
            "2016-10-30T00:00:00.000Z"
        );
        assert_eq!(
            parse("ISO8601", "2016-10-30T12", "+01:00"),
            "2016-10-30T12:00:00.000+01:00"
        );
        assert_eq!(
            parse("ISO8601", "2016-10-30T12:00:00,5+0100", "UTC"),
            "2016-10-30T11:00:00.500Z"
        );
        assert_eq!(
            parse("ISO8601", "2016-10-30T12:00:00Europe/Paris", "UTC"),
            "2016-10-30T11:00:00.000Z"
        );
        assert!(parse("ISO8601", "2016-10-30 12:00:00", "UTC").starts_with("error"));
        assert_eq!(
            parse("ISO8601", "2016-10-30T12Z", "+01:00"),
            "2016-10-30T13:00:00.000+01:00"
        );
        assert_eq!(
            parse("ISO8601", "-0001-01-01T00:00:00Z", "UTC"),
            "0002-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn unix_formats() {
        assert_eq!(
            parse("UNIX", "1500000000.123", "UTC"),
            "2017-07-14T02:40:00.123Z"
        );
        assert_eq!(
            parse("UNIX_MS", "1500000000123", "UTC"),
            "2017-07-14T02:40:00.123Z"
        );
        assert!(parse("UNIX_MS", "15e3", "UTC").starts_with("error"));
    }

    #[test]
    fn tai64n_label() {
        assert_eq!(
            parse("TAI64N", "4000000050d506482dbdf024", "+02:00"),
            "2012-12-22T03:00:46.767+02:00"
        );
        assert_eq!(
            parse("TAI64N", "@4000000050d506482dbdf024", "UTC"),
            "2012-12-22T01:00:46.767Z"
        );
    }

    #[test]
    fn patterns_without_year_use_the_current_year() {
        assert_eq!(
            parse_in_year("MMM dd HH:mm:ss", "Nov 24 01:29:01", "UTC", 2024),
            "2024-11-24T01:29:01.000Z"
        );
        // Feb 29 in a non-leap year is clamped the way ZonedDateTime.with does.
        assert_eq!(
            parse_in_year("MMM d", "Feb 29", "UTC", 2023),
            "2023-02-28T00:00:00.000Z"
        );
        // The parsed offset is dropped for year-less patterns.
        assert_eq!(
            parse_in_year("MMM d HH:mm Z", "Jan 5 10:00 +0500", "UTC", 2024),
            "2024-01-05T10:00:00.000Z"
        );
    }

    #[test]
    fn named_formats_and_alternatives() {
        assert_eq!(
            parse(
                "strict_date_optional_time",
                "2020-01-02T03:04:05.678Z",
                "UTC"
            ),
            "2020-01-02T03:04:05.678Z"
        );
        assert_eq!(
            parse("epoch_millis", "1577934245678", "UTC"),
            "2020-01-02T03:04:05.678Z"
        );
        assert_eq!(
            parse("epoch_second", "1577934245", "UTC"),
            "2020-01-02T03:04:05.000Z"
        );
        assert_eq!(
            parse("yyyy-MM-dd||epoch_millis", "1577934245678", "UTC"),
            "2020-01-02T03:04:05.678Z"
        );
        assert_eq!(
            parse("basic_date_time", "20200102T030405.678Z", "UTC"),
            "2020-01-02T03:04:05.678Z"
        );
        assert_eq!(
            parse("8yyyy-MM-dd", "2020-01-02", "UTC"),
            "2020-01-02T00:00:00.000Z"
        );
    }

    #[test]
    fn adjacent_value_parsing_splits_compact_patterns() {
        assert_eq!(
            parse("yyyyMMddHHmmss", "20200102030405", "UTC"),
            "2020-01-02T03:04:05.000Z"
        );
        assert_eq!(
            parse("yyyyMMddHHmmssSSS", "20200102030405678", "UTC"),
            "2020-01-02T03:04:05.678Z"
        );
    }

    #[test]
    fn text_ampm_and_offsets() {
        assert_eq!(
            parse(
                "EEE, dd MMM yyyy HH:mm:ss Z",
                "Thu, 02 Jan 2020 03:04:05 -0500",
                "UTC"
            ),
            "2020-01-02T08:04:05.000Z"
        );
        assert_eq!(
            parse("MM/dd/yyyy hh:mm:ss a", "01/02/2020 03:04:05 PM", "UTC"),
            "2020-01-02T15:04:05.000Z"
        );
        assert_eq!(
            parse(
                "yyyy-MM-dd HH:mm:ss XXX",
                "2020-01-02 03:04:05 +05:30",
                "UTC"
            ),
            "2020-01-01T21:34:05.000Z"
        );
        assert_eq!(
            parse(
                "yyyy-MM-dd HH:mm:ss VV",
                "2020-07-02 03:04:05 America/New_York",
                "UTC"
            ),
            "2020-07-02T07:04:05.000Z"
        );
        assert_eq!(
            parse("yyyy-MM-dd HH:mm:ss z", "2020-07-02 03:04:05 UTC", "+01:00"),
            "2020-07-02T04:04:05.000+01:00"
        );
    }

    #[test]
    fn strict_parsing_rejects_bad_text() {
        assert!(
            parse("yyyy-MM-dd", "2020-13-01", "UTC")
                .starts_with("error: Invalid value for MonthOfYear")
        );
        assert!(parse("yyyy-MM-dd", "2020-02-30", "UTC").starts_with("error: Invalid date"));
        assert!(
            parse("yyyy-MM-dd", "2020-1-01", "UTC")
                .starts_with("error: Text '2020-1-01' could not be parsed")
        );
        assert!(parse("MMM", "jan", "UTC").starts_with("error"));
        assert!(
            parse("yyyy-MM-dd", "2020-01-01x", "UTC").contains("unparsed text found at index 10")
        );
    }

    #[test]
    fn optional_sections_and_literals() {
        assert_eq!(
            parse("yyyy-MM-dd['T'HH:mm]", "2020-01-02", "UTC"),
            "2020-01-02T00:00:00.000Z"
        );
        assert_eq!(
            parse("yyyy-MM-dd['T'HH:mm]", "2020-01-02T03:04", "UTC"),
            "2020-01-02T03:04:00.000Z"
        );
        assert_eq!(
            parse(
                "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS",
                "2020-01-02T03:04:05.123456789",
                "UTC"
            ),
            "2020-01-02T03:04:05.123Z"
        );
    }

    #[test]
    fn week_based_year_written_for_year_behaves_like_elasticsearch() {
        // "YYYY" is a week-based year: the date is the Monday of ISO week 1.
        assert_eq!(
            parse("dd/MMM/YYYY:H:m:s Z", "26/Dec/2016:16:22:13 +0000", "UTC"),
            "2016-01-04T16:22:13.000Z"
        );
        assert_eq!(
            parse("YYYY-MM-dd", "2020-05-17", "UTC"),
            "2019-12-30T00:00:00.000Z"
        );
        assert!(parse("YYYY-'W'ww-e", "2020-W20-1", "UTC").starts_with("error"));
        let dt = ZonedDateTime::of_epoch_millis(1_609_459_200_000, UTC)
            .unwrap_or_else(|| panic!("range"));
        let f = DateFormatter::for_pattern("YYYY-'W'ww").and_then(|f| f.format(&dt));
        assert_eq!(f.ok().as_deref(), Some("2020-W53"));
    }

    #[test]
    fn two_digit_years_are_2000_based() {
        assert_eq!(
            parse("dd.MM.yy", "02.01.99", "UTC"),
            "2099-01-02T00:00:00.000Z"
        );
    }

    #[test]
    fn formatting_patterns() {
        let dt = ZonedDateTime::of_epoch_millis(
            1_577_934_245_678,
            Zone::of("Europe/Paris").unwrap_or(UTC),
        );
        let dt = dt.unwrap_or_else(|| panic!("range"));
        let f = |p: &str| {
            DateFormatter::for_pattern(p)
                .and_then(|f| f.format(&dt))
                .unwrap_or_else(|e| e.to_string())
        };
        assert_eq!(f("yyyy.MM.dd"), "2020.01.02");
        assert_eq!(
            f("EEEE, MMMM d, yyyy h:mm a"),
            "Thursday, January 2, 2020 4:04 AM"
        );
        assert_eq!(
            f("xx XXX Z ZZZZZ VV z O"),
            "+0100 +01:00 +0100 +01:00 Europe/Paris CET GMT+1"
        );
        assert_eq!(f("uuuu-DDD 'week' G"), "2020-002 week AD");
        assert_eq!(
            f("strict_date_optional_time"),
            "2020-01-02T04:04:05.678+01:00"
        );
    }

    #[test]
    fn daylight_saving_gap_moves_forward() {
        assert_eq!(
            parse("yyyy-MM-dd HH:mm", "2021-03-28 02:30", "Europe/Paris"),
            "2021-03-28T03:30:00.000+02:00"
        );
    }

    #[test]
    fn locales_parse_like_locale_utils() {
        assert_eq!(Locale::parse("ROOT"), Ok(Locale::Root));
        assert_eq!(Locale::parse("en_US"), Ok(Locale::Language));
        assert!(Locale::parse("en-US-x-y").is_err());
        assert!(Locale::parse("english").is_err());
    }
}
