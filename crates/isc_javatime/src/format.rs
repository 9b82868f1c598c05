//! Printing a [`ZonedDateTime`] with compiled elements.

use chrono::{Datelike, Timelike};

use crate::names;
use crate::pattern::{Element, Field, OffsetPattern, Part, SignStyle};
use crate::{TimeError, ZonedDateTime};

/// Prints `dt` with `elements`.
pub(crate) fn format(elements: &[Element], dt: &ZonedDateTime) -> Result<String, TimeError> {
    let mut out = String::with_capacity(32);
    format_into(elements, dt, &mut out)?;
    Ok(out)
}

/// [`crate::DEFAULT_OUTPUT_FORMAT`] (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`)
/// printed directly, for years 1 to 9999 and offsets in whole minutes
/// (the texts that need no sign, no year-of-era mapping and no offset
/// seconds); `None` otherwise.
pub(crate) fn format_default_output(dt: &ZonedDateTime) -> Option<String> {
    let local = dt.local();
    let year = local.year();
    let offset = dt.offset_seconds();
    if !(1..=9999).contains(&year) || offset % 60 != 0 {
        return None;
    }
    let mut b = [0u8; 29];
    let mut put = |at: usize, value: u32, width: usize| {
        let mut v = value;
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year as u32, 4);
    put(5, local.month(), 2);
    put(8, local.day(), 2);
    put(11, local.hour(), 2);
    put(14, local.minute(), 2);
    put(17, local.second(), 2);
    put(20, dt.nano() / 1_000_000, 3);
    let len = if offset == 0 {
        b[23] = b'Z';
        24
    } else {
        let abs = offset.unsigned_abs() / 60;
        put(24, abs / 60, 2);
        put(27, abs % 60, 2);
        b[23] = if offset < 0 { b'-' } else { b'+' };
        b[26] = b':';
        29
    };
    b[4] = b'-';
    b[7] = b'-';
    b[10] = b'T';
    b[13] = b':';
    b[16] = b':';
    b[19] = b'.';
    std::str::from_utf8(&b[..len]).ok().map(str::to_owned)
}

fn field_value(field: Field, dt: &ZonedDateTime) -> i64 {
    let local = dt.local();
    let year = i64::from(local.year());
    let hour = i64::from(local.hour());
    match field {
        Field::Era => i64::from(year > 0),
        Field::YearOfEra => {
            if year > 0 {
                year
            } else {
                1 - year
            }
        }
        Field::Year => year,
        Field::QuarterOfYear => i64::from((local.month() - 1) / 3 + 1),
        Field::MonthOfYear => i64::from(local.month()),
        Field::DayOfMonth => i64::from(local.day()),
        Field::DayOfYear => i64::from(local.ordinal()),
        Field::DayOfWeek => i64::from(local.weekday().number_from_monday()),
        Field::WeekBasedYear => i64::from(local.iso_week().year()),
        Field::WeekOfWeekBasedYear => i64::from(local.iso_week().week()),
        Field::AmPmOfDay => hour / 12,
        Field::HourOfDay => hour,
        Field::ClockHourOfDay => {
            if hour == 0 {
                24
            } else {
                hour
            }
        }
        Field::HourOfAmPm => hour % 12,
        Field::ClockHourOfAmPm => {
            if hour % 12 == 0 {
                12
            } else {
                hour % 12
            }
        }
        Field::MinuteOfHour => i64::from(local.minute()),
        Field::SecondOfMinute => i64::from(local.second()),
        Field::NanoOfSecond => i64::from(dt.nano()),
        Field::MilliOfDay => {
            i64::from(local.num_seconds_from_midnight()) * 1000 + i64::from(dt.nano() / 1_000_000)
        }
        Field::NanoOfDay => {
            i64::from(local.num_seconds_from_midnight()) * 1_000_000_000 + i64::from(dt.nano())
        }
    }
}

fn format_into(
    elements: &[Element],
    dt: &ZonedDateTime,
    out: &mut String,
) -> Result<(), TimeError> {
    for element in elements {
        match element {
            Element::Literal(s) => out.push_str(s),
            Element::Optional(inner) => format_into(inner, dt, out)?,
            Element::Number {
                field,
                min,
                max,
                sign,
                ..
            } => {
                let value = field_value(*field, dt);
                let mut buffer = [0u8; 20];
                let digits = decimal_digits(value.unsigned_abs(), &mut buffer);
                if digits.len() > *max {
                    return Err(TimeError::Format(format!(
                        "Field {} cannot be printed as the value {value} exceeds the maximum print width of {max}",
                        field.java_name()
                    )));
                }
                match sign {
                    SignStyle::ExceedsPad if value >= 0 && *min < 19 && digits.len() > *min => {
                        out.push('+')
                    }
                    SignStyle::NotNegative if value < 0 => {
                        return Err(TimeError::Format(format!(
                            "Field {} cannot be printed as the value {value} cannot be negative according to the SignStyle",
                            field.java_name()
                        )));
                    }
                    _ if value < 0 => out.push('-'),
                    _ => {}
                }
                for _ in digits.len()..*min {
                    out.push('0');
                }
                out.push_str(digits);
            }
            Element::Reduced { field } => {
                let value = field_value(*field, dt).rem_euclid(100);
                push_two_digits(out, value.unsigned_abs());
            }
            Element::Fraction {
                min,
                max,
                decimal_point,
            } => {
                let nanos = dt.nano();
                let mut buffer = [0u8; 20];
                let significant = decimal_digits(u64::from(nanos), &mut buffer);
                let mut digits = [b'0'; 9];
                let start = 9usize.saturating_sub(significant.len());
                for (slot, b) in digits[start..].iter_mut().zip(significant.bytes()) {
                    *slot = b;
                }
                let mut len = 9;
                while len > *min && digits[len - 1] == b'0' {
                    len -= 1;
                }
                len = len.min(*max);
                if nanos == 0 && *min == 0 {
                    continue;
                }
                if *decimal_point {
                    out.push('.');
                }
                out.extend(digits[..len].iter().map(|&b| char::from(b)));
            }
            Element::Text { field, style } => {
                let value = field_value(*field, dt);
                match names::name(*field, *style, value) {
                    Some(name) => out.push_str(name),
                    None => out.push_str(&value.to_string()),
                }
            }
            Element::Offset(pattern) => format_offset(pattern, dt.offset_seconds(), out),
            Element::LocalizedOffset { full } => {
                format_localized_offset(*full, dt.offset_seconds(), out)
            }
            Element::ZoneId | Element::ZoneOrOffsetId => out.push_str(&dt.zone().id()),
            Element::ZoneText => out.push_str(&dt.zone().short_name(&dt.utc())),
        }
    }
    Ok(())
}

/// `OffsetIdPrinterParser.format`.
pub(crate) fn format_offset(pattern: &OffsetPattern, seconds: i32, out: &mut String) {
    if seconds == 0 {
        out.push_str(&pattern.no_offset_text);
        return;
    }
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    out.push(if seconds < 0 { '-' } else { '+' });
    push_two_digits(out, u64::from(h));
    let print_minutes = pattern.minutes == Part::Required
        || (pattern.minutes == Part::Optional
            && (m > 0 || (pattern.seconds != Part::Absent && s > 0)));
    if print_minutes {
        if pattern.colon {
            out.push(':');
        }
        push_two_digits(out, u64::from(m));
        let print_seconds =
            pattern.seconds == Part::Required || (pattern.seconds == Part::Optional && s > 0);
        if print_seconds {
            if pattern.colon {
                out.push(':');
            }
            push_two_digits(out, u64::from(s));
        }
    }
}

/// The decimal digits of `n`, written at the end of `buffer`.
fn decimal_digits(mut n: u64, buffer: &mut [u8; 20]) -> &str {
    let mut pos = buffer.len();
    loop {
        pos -= 1;
        buffer[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[pos..]).unwrap_or_default()
}

/// `n` (below 100 where callers use it) with at least two digits.
fn push_two_digits(out: &mut String, n: u64) {
    if n < 10 {
        out.push('0');
    }
    let mut buffer = [0u8; 20];
    out.push_str(decimal_digits(n, &mut buffer));
}

fn format_localized_offset(full: bool, seconds: i32, out: &mut String) {
    out.push_str("GMT");
    if seconds == 0 {
        return;
    }
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    out.push(if seconds < 0 { '-' } else { '+' });
    if full {
        out.push_str(&format!("{h:02}:{m:02}"));
        if s > 0 {
            out.push_str(&format!(":{s:02}"));
        }
    } else {
        out.push_str(&h.to_string());
        if m > 0 || s > 0 {
            out.push_str(&format!(":{m:02}"));
            if s > 0 {
                out.push_str(&format!(":{s:02}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::Zone;
    use chrono::NaiveDate;

    #[test]
    fn default_output_prints_what_its_pattern_prints() {
        let elements = crate::pattern::compile(crate::DEFAULT_OUTPUT_FORMAT).expect("pattern");
        let zones = [
            Zone::Offset(0),
            Zone::Offset(19800),
            Zone::Offset(-28800),
            Zone::Offset(-(18 * 3600)),
            Zone::Offset(3661),
            Zone::of("Europe/Paris").expect("zone"),
        ];
        let dates = [
            (1, 1, 1),
            (999, 12, 31),
            (2024, 2, 29),
            (9999, 12, 31),
            (0, 6, 1),
        ];
        for (y, m, d) in dates {
            for nanos in [0, 1, 999_999, 1_000_000, 123_456_789, 999_999_999] {
                let local = NaiveDate::from_ymd_opt(y, m, d)
                    .and_then(|date| date.and_hms_nano_opt(23, 59, 7, nanos))
                    .expect("date");
                for zone in zones {
                    let dt = ZonedDateTime::of_local(local, zone);
                    let general = format(&elements, &dt).expect("format");
                    match format_default_output(&dt) {
                        Some(fast) => assert_eq!(fast, general, "{local} {zone:?}"),
                        None => assert!(y == 0 || dt.offset_seconds() % 60 != 0, "{general}"),
                    }
                }
            }
        }
    }
}
