//! Elasticsearch's hand-written ISO 8601 parser (`Iso8601Parser`), which
//! `iso8601` and `strict_date_optional_time` try before their
//! `java.time` formatter: fixed-width fields, a time zone allowed after
//! any time field, `.` or `,` before the fraction.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::parser::Parsed;
use crate::pattern::Field;
use crate::zone::{Zone, offset_seconds};

fn digits(text: &[char], start: usize, end: usize) -> Option<i64> {
    let slice = text.get(start..end)?;
    let mut value = 0i64;
    for c in slice {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(c.to_digit(10)?);
    }
    Some(value)
}

fn is_zone_start(c: char) -> bool {
    c == '+' || c == '-' || c.is_ascii_alphabetic()
}

/// The zone at `pos` (the rest of the text), as `parseZoneId` reads it.
fn zone_at(text: &[char], pos: usize) -> Option<Zone> {
    let len = text.len();
    let first = *text.get(pos)?;
    if first == 'Z' && len == pos + 1 {
        return Some(Zone::Offset(0));
    }
    let negative = match first {
        '+' => false,
        '-' => true,
        _ => {
            let id: String = text[pos..].iter().collect();
            return Zone::of(&id).ok();
        }
    };
    let mut p = pos + 1;
    let hours = digits(text, p, p + 2)?;
    p += 2;
    if hours > 23 {
        return None;
    }
    if p == len {
        return offset_seconds(negative, hours as i32, 0, 0)
            .ok()
            .map(Zone::Offset);
    }
    let colon = text[p] == ':';
    if colon {
        p += 1;
    }
    let minutes = digits(text, p, p + 2)?;
    p += 2;
    if minutes > 59 {
        return None;
    }
    if p == len {
        return offset_seconds(negative, hours as i32, minutes as i32, 0)
            .ok()
            .map(Zone::Offset);
    }
    if (text[p] == ':') != colon {
        return None;
    }
    if colon {
        p += 1;
    }
    let seconds = digits(text, p, p + 2)?;
    p += 2;
    if seconds > 59 || p != len {
        return None;
    }
    offset_seconds(negative, hours as i32, minutes as i32, seconds as i32)
        .ok()
        .map(Zone::Offset)
}

/// Parses `text` (with an optional leading `-` for negative years); `None`
/// when this parser rejects it.
pub(crate) fn parse(text: &str) -> Option<Parsed> {
    let chars: Vec<char> = text.chars().collect();
    let (negative, body) = match chars.first() {
        Some('-') => (true, &chars[1..]),
        Some(_) => (false, &chars[..]),
        None => return None,
    };
    let mut parsed = parse_body(body)?;
    if negative {
        if let Some(y) = parsed.fields.get_mut(&Field::Year) {
            *y = -*y;
        }
    }
    Some(parsed)
}

/// The common shape `yyyy-MM-ddTHH:mm:ss[.fraction][Z|±HH:mm]` straight
/// to its local date-time and zone (`None` for "no zone"), for texts that
/// [`parse`] accepts and `java.time` resolves without error; `None` for
/// every other text, which then takes the general path.
pub(crate) fn parse_common(text: &str) -> Option<(NaiveDateTime, Option<Zone>)> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year = ascii_digits(b, 0, 4)?;
    let month = ascii_digits(b, 5, 7)?;
    let day = ascii_digits(b, 8, 10)?;
    let hour = ascii_digits(b, 11, 13)?;
    let minute = ascii_digits(b, 14, 16)?;
    let second = ascii_digits(b, 17, 19)?;
    let mut pos = 19;
    let mut nanos = 0u32;
    if matches!(b.get(pos), Some(b'.' | b',')) {
        pos += 1;
        let start = pos;
        while pos < b.len() && pos < start + 9 && b[pos].is_ascii_digit() {
            nanos = nanos * 10 + u32::from(b[pos] - b'0');
            pos += 1;
        }
        if pos == start {
            return None;
        }
        for _ in pos..start + 9 {
            nanos *= 10;
        }
    }
    let zone = match &b[pos..] {
        [] => None,
        [b'Z'] => Some(Zone::Offset(0)),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = ascii_digits(&[*h1, *h2], 0, 2)?;
            let minutes = ascii_digits(&[*m1, *m2], 0, 2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = offset_seconds(*sign == b'-', hours as i32, minutes as i32, 0).ok()?;
            Some(Zone::Offset(offset))
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some((date.and_time(time), zone))
}

fn ascii_digits(b: &[u8], start: usize, end: usize) -> Option<u32> {
    let mut value = 0u32;
    for &c in b.get(start..end)? {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(c - b'0');
    }
    Some(value)
}

fn parse_body(s: &[char]) -> Option<Parsed> {
    let len = s.len();
    let mut parsed = Parsed::default();
    let set = |p: &mut Parsed, f: Field, v: i64| {
        p.fields.insert(f, v);
    };
    let years = digits(s, 0, 4)?;
    set(&mut parsed, Field::Year, years);
    if len == 4 {
        return Some(parsed);
    }
    if s[4] != '-' {
        return None;
    }
    let months = digits(s, 5, 7).filter(|m| *m <= 12)?;
    set(&mut parsed, Field::MonthOfYear, months);
    if len == 7 {
        return Some(parsed);
    }
    if s[7] != '-' {
        return None;
    }
    let days = digits(s, 8, 10).filter(|d| *d <= 31)?;
    set(&mut parsed, Field::DayOfMonth, days);
    if len == 10 {
        return Some(parsed);
    }
    if s[10] != 'T' {
        return None;
    }
    if len == 11 {
        return Some(parsed);
    }
    let hours = digits(s, 11, 13).filter(|h| *h <= 23)?;
    set(&mut parsed, Field::HourOfDay, hours);
    set(&mut parsed, Field::MinuteOfHour, 0);
    set(&mut parsed, Field::SecondOfMinute, 0);
    set(&mut parsed, Field::NanoOfSecond, 0);
    let with_zone = |mut p: Parsed, pos: usize| -> Option<Parsed> {
        p.zone = Some(zone_at(s, pos)?);
        Some(p)
    };
    if len == 13 {
        return Some(parsed);
    }
    if is_zone_start(s[13]) {
        return with_zone(parsed, 13);
    }
    if s[13] != ':' {
        return None;
    }
    let minutes = digits(s, 14, 16).filter(|m| *m <= 59)?;
    set(&mut parsed, Field::MinuteOfHour, minutes);
    if len == 16 {
        return Some(parsed);
    }
    if is_zone_start(s[16]) {
        return with_zone(parsed, 16);
    }
    if s[16] != ':' {
        return None;
    }
    let seconds = digits(s, 17, 19).filter(|v| *v <= 59)?;
    set(&mut parsed, Field::SecondOfMinute, seconds);
    if len == 19 {
        return Some(parsed);
    }
    if is_zone_start(s[19]) {
        return with_zone(parsed, 19);
    }
    if s[19] != '.' && s[19] != ',' {
        return None;
    }
    let mut nanos = 0i64;
    let mut pos = 20;
    while pos < len && pos < 29 && s[pos].is_ascii_digit() {
        nanos = nanos * 10 + i64::from(s[pos].to_digit(10)?);
        pos += 1;
    }
    if pos == 20 {
        return None;
    }
    for _ in pos..29 {
        nanos *= 10;
    }
    set(&mut parsed, Field::NanoOfSecond, nanos);
    if pos == len {
        return Some(parsed);
    }
    if is_zone_start(s[pos]) {
        return with_zone(parsed, pos);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_zone_after_any_time_field() {
        for text in [
            "2020-01-02T10Z",
            "2020-01-02T10:30+01",
            "2020-01-02T10:30:00-0130",
            "2020-01-02T10:30:00.5Europe/Paris",
        ] {
            assert!(parse(text).is_some_and(|p| p.zone.is_some()), "{text}");
        }
        assert!(parse("2020-01-02T10:30:00,123456789").is_some());
    }

    #[test]
    fn common_shape_gives_what_the_general_parse_resolves_to() {
        for text in [
            "2020-01-02T10:30:00",
            "2020-01-02T10:30:00Z",
            "2020-01-02T10:30:00.5Z",
            "2020-01-02T10:30:00,123456789+05:30",
            "2020-01-02T10:30:00.123-18:00",
            "2024-02-29T23:59:59.999999Z",
        ] {
            let (local, zone) = parse_common(text).expect(text);
            let general = crate::resolve::resolve(&parse(text).expect(text))
                .and_then(|r| crate::resolve::es_from(&r, crate::UTC))
                .expect(text);
            let zone = zone.unwrap_or(crate::UTC);
            assert_eq!(
                crate::ZonedDateTime::of_local(local, zone),
                general,
                "{text}"
            );
        }
    }

    #[test]
    fn common_shape_leaves_everything_else_to_the_general_parse() {
        for text in [
            "2020-01-02",
            "2020-01-02T10:30",
            "-2020-01-02T10:30:00Z",
            "2020-00-02T10:30:00Z",
            "2020-02-30T10:30:00Z",
            "2023-02-29T10:30:00Z",
            "2020-01-02T24:00:00Z",
            "2020-01-02T10:30:00.Z",
            "2020-01-02T10:30:00.1234567891Z",
            "2020-01-02T10:30:00+19:00",
            "2020-01-02T10:30:00+0100",
            "2020-01-02T10:30:00Europe/Paris",
            "2020-01-02t10:30:00Z",
            "2020-01-02T10:30:00ZZ",
        ] {
            assert!(parse_common(text).is_none(), "{text}");
        }
    }

    #[test]
    fn rejects_what_elasticsearch_rejects() {
        for text in [
            "20-01-02",
            "2020-1-02",
            "2020-01-02 10:00",
            "2020-13-01",
            "2020-01-02T24",
            "2020-01-02T10:00:00.",
            "2020-01-02T10:00+01:00x",
            "2020-01-02T10:00+0100:00",
        ] {
            assert!(parse(text).is_none(), "{text}");
        }
    }
}
