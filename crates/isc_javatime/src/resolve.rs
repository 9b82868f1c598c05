//! Turning parsed fields into a [`ZonedDateTime`]: `java.time`'s strict
//! resolution followed by Elasticsearch's `DateFormatters.from` defaults.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use crate::parser::Parsed;
use crate::pattern::Field;
use crate::zone::Zone;
use crate::{TimeError, ZonedDateTime};

/// The date and time `java.time` resolves from the fields.
pub(crate) struct Resolved {
    /// Elasticsearch's `LOCAL_DATE_QUERY` result (also year-of-era based).
    pub(crate) es_date: Option<NaiveDate>,
    pub(crate) time: Option<NaiveTime>,
    pub(crate) year: Option<i64>,
    pub(crate) year_of_era: Option<i64>,
    pub(crate) week_based_year: Option<i64>,
    pub(crate) month: Option<i64>,
    pub(crate) day: Option<i64>,
    pub(crate) hour_of_day: Option<i64>,
    pub(crate) nano: Option<i64>,
    pub(crate) zone: Option<Zone>,
}

fn invalid_value(field: Field, value: i64) -> TimeError {
    let (lo, hi) = field.range();
    TimeError::Invalid(format!(
        "Invalid value for {} (valid values {lo} - {hi}): {value}",
        field.java_name()
    ))
}

fn month_name(month: u32) -> &'static str {
    [
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "MAY",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ]
    .get(month.saturating_sub(1) as usize)
    .copied()
    .unwrap_or("")
}

/// `LocalDate.of(year, month, day)` with Java's messages.
fn local_date(year: i64, month: i64, day: i64) -> Result<NaiveDate, TimeError> {
    let y = i32::try_from(year).map_err(|_| invalid_value(Field::Year, year))?;
    NaiveDate::from_ymd_opt(y, month as u32, day as u32).ok_or_else(|| {
        if day == 29 && month == 2 {
            TimeError::Invalid(format!(
                "Invalid date 'February 29' as '{year}' is not a leap year"
            ))
        } else {
            TimeError::Invalid(format!("Invalid date '{} {day}'", month_name(month as u32)))
        }
    })
}

fn year_day(year: i64, doy: i64) -> Result<NaiveDate, TimeError> {
    let y = i32::try_from(year).map_err(|_| invalid_value(Field::Year, year))?;
    NaiveDate::from_yo_opt(y, doy as u32).ok_or_else(|| {
        TimeError::Invalid(format!(
            "Invalid date 'DayOfYear 366' as '{year}' is not a leap year"
        ))
    })
}

/// Strict `java.time` resolution.
pub(crate) fn resolve(parsed: &Parsed) -> Result<Resolved, TimeError> {
    for (field, value) in parsed.fields.iter() {
        let (lo, hi) = field.range();
        if value < lo || value > hi {
            return Err(invalid_value(field, value));
        }
    }
    let get = |f| parsed.get(f);
    let year_of_era = get(Field::YearOfEra);
    let mut year = get(Field::Year);
    if let (Some(era), Some(yoe)) = (get(Field::Era), year_of_era) {
        let from_era = if era == 1 { yoe } else { 1 - yoe };
        if year.is_some_and(|y| y != from_era) {
            return Err(TimeError::Invalid(
                "Conflict found: Year differs from YearOfEra".to_owned(),
            ));
        }
        year = Some(from_era);
    }
    let month = get(Field::MonthOfYear);
    let day = get(Field::DayOfMonth);
    let doy = get(Field::DayOfYear);

    let week_based_year = get(Field::WeekBasedYear);
    let java_date = match year {
        Some(y) => match (month, day, doy) {
            (Some(m), Some(d), _) => Some(local_date(y, m, d)?),
            (_, _, Some(n)) => Some(year_day(y, n)?),
            _ => None,
        },
        None => match (
            week_based_year,
            get(Field::WeekOfWeekBasedYear),
            get(Field::DayOfWeek),
        ) {
            (Some(wby), Some(week), Some(dow)) => Some(week_date(wby, week, dow)?),
            _ => None,
        },
    };
    if let (Some(date), Some(dow)) = (java_date, get(Field::DayOfWeek)) {
        let actual = i64::from(date.weekday().number_from_monday());
        if actual != dow {
            return Err(TimeError::Invalid(format!(
                "Conflict found: Field DayOfWeek {actual} differs from DayOfWeek {dow} derived from {date}"
            )));
        }
    }
    let es_date = match java_date {
        Some(d) => Some(d),
        None => match year_of_era.or(year) {
            Some(y) => match (month, day, doy) {
                (Some(m), Some(d), _) => Some(local_date(y, m, d)?),
                (_, _, Some(n)) => Some(year_day(y, n)?),
                _ => None,
            },
            None => None,
        },
    };

    // Time fields.
    let mut hour = get(Field::HourOfDay);
    if let Some(k) = get(Field::ClockHourOfDay) {
        let h = if k == 24 { 0 } else { k };
        if hour.is_some_and(|x| x != h) {
            return Err(TimeError::Invalid(
                "Conflict found: HourOfDay differs from ClockHourOfDay".to_owned(),
            ));
        }
        hour = Some(h);
    }
    let mut hour_of_ampm = get(Field::HourOfAmPm);
    if let Some(h) = get(Field::ClockHourOfAmPm) {
        hour_of_ampm = Some(if h == 12 { 0 } else { h });
    }
    let ampm = get(Field::AmPmOfDay);
    if let (Some(a), Some(h)) = (ampm, hour_of_ampm) {
        let h = a * 12 + h;
        if hour.is_some_and(|x| x != h) {
            return Err(TimeError::Invalid(
                "Conflict found: HourOfDay differs from AmPmOfDay".to_owned(),
            ));
        }
        hour = Some(h);
    } else if let (Some(a), Some(h)) = (ampm, hour) {
        if h / 12 != a {
            return Err(TimeError::Invalid(format!(
                "Conflict found: Field AmPmOfDay {} differs from AmPmOfDay {a} derived from {h:02}:00",
                h / 12
            )));
        }
    }
    let minute = get(Field::MinuteOfHour);
    let second = get(Field::SecondOfMinute);
    let nano = get(Field::NanoOfSecond);
    let mut time = None;
    if let Some(ms) = get(Field::MilliOfDay) {
        time = NaiveTime::from_num_seconds_from_midnight_opt(
            (ms / 1000) as u32,
            ((ms % 1000) * 1_000_000) as u32,
        );
    } else if let Some(ns) = get(Field::NanoOfDay) {
        time = NaiveTime::from_num_seconds_from_midnight_opt(
            (ns / 1_000_000_000) as u32,
            (ns % 1_000_000_000) as u32,
        );
    } else if let Some(h) = hour {
        let invalid = (minute.is_none() && (second.is_some() || nano.is_some()))
            || (minute.is_some() && second.is_none() && nano.is_some());
        if !invalid {
            time = NaiveTime::from_hms_nano_opt(
                h as u32,
                minute.unwrap_or(0) as u32,
                second.unwrap_or(0) as u32,
                nano.unwrap_or(0) as u32,
            );
        }
    }
    Ok(Resolved {
        week_based_year,
        es_date,
        time,
        year,
        year_of_era,
        month,
        day,
        hour_of_day: hour,
        nano,
        zone: parsed.zone,
    })
}

/// Elasticsearch's `DateFormatters.from(accessor, locale, defaultZone)`.
pub(crate) fn es_from(resolved: &Resolved, default_zone: Zone) -> Result<ZonedDateTime, TimeError> {
    let zone = resolved.zone.unwrap_or(default_zone);
    let start_of_day =
        |date: NaiveDate| ZonedDateTime::of_local(date.and_time(NaiveTime::MIN), zone);
    let es_year = resolved.year.or(resolved.year_of_era);
    match (resolved.es_date, resolved.time) {
        (Some(date), Some(time)) => Ok(ZonedDateTime::of_local(date.and_time(time), zone)),
        (Some(date), None) => Ok(start_of_day(date)),
        (None, Some(time)) => {
            let date = fallback_date(resolved)?;
            Ok(ZonedDateTime::of_local(date.and_time(time), zone))
        }
        (None, None) => {
            if let Some(year) = es_year {
                let month = resolved.month.unwrap_or(1);
                Ok(start_of_day(local_date(year, month, 1)?))
            } else if resolved.month.is_some() || resolved.week_based_year.is_some() {
                Ok(start_of_day(fallback_date(resolved)?))
            } else {
                Err(TimeError::Invalid(
                    "temporal accessor cannot be converted to zoned date time".to_owned(),
                ))
            }
        }
    }
}

/// `LocalDate` of an ISO week date (Elasticsearch's week definition for
/// `Locale.ROOT`: weeks start on Monday, the first has at least 4 days).
fn week_date(wby: i64, week: i64, dow: i64) -> Result<NaiveDate, TimeError> {
    let y = i32::try_from(wby).map_err(|_| invalid_value(Field::WeekBasedYear, wby))?;
    let weekday = chrono::Weekday::try_from((dow - 1) as u8)
        .map_err(|_| invalid_value(Field::DayOfWeek, dow))?;
    NaiveDate::from_isoywd_opt(y, week as u32, weekday)
        .ok_or_else(|| invalid_value(Field::WeekOfWeekBasedYear, week))
}

/// `getLocalDate`: with a week-based year, the Monday of its first week
/// (Elasticsearch moves 1970-01-01 into that year, then back to Monday);
/// otherwise the month (and day) in the parsed or epoch year, else
/// 1970-01-01.
fn fallback_date(resolved: &Resolved) -> Result<NaiveDate, TimeError> {
    if let Some(wby) = resolved.week_based_year {
        return week_date(wby, 1, 1);
    }
    match resolved.month {
        Some(month) => {
            let year = resolved.year.or(resolved.year_of_era).unwrap_or(1970);
            local_date(year, month, resolved.day.unwrap_or(1))
        }
        None => Ok(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()),
    }
}

/// The date processor's handling of patterns without a year: the fields
/// are laid over January 1st of `current_year` (day before month, so a day
/// beyond the month's end is clamped) and the parsed zone is replaced by
/// `zone`.
pub(crate) fn without_year(
    resolved: &Resolved,
    zone: Zone,
    current_year: i32,
) -> Option<ZonedDateTime> {
    if resolved.year.is_some()
        || resolved.year_of_era.is_some()
        || resolved.week_based_year.is_some()
    {
        return None;
    }
    let mut date = NaiveDate::from_ymd_opt(current_year, 1, 1)?;
    let mut time = NaiveTime::MIN;
    if let Some(t) = resolved.time {
        time = t;
    } else {
        if let Some(n) = resolved.nano {
            time = NaiveTime::from_hms_nano_opt(0, 0, 0, n as u32)?;
        }
        if let Some(h) = resolved.hour_of_day {
            time = NaiveTime::from_hms_nano_opt(h as u32, 0, 0, time.nanosecond_part())?;
        }
    }
    if let Some(d) = resolved.day {
        date = with_day_clamped(date, d as u32);
    }
    if let Some(m) = resolved.month {
        date = with_month_clamped(date, m as u32);
    }
    let local: NaiveDateTime = date.and_time(time);
    Some(ZonedDateTime::of_local(local, zone))
}

trait NanoPart {
    fn nanosecond_part(&self) -> u32;
}

impl NanoPart for NaiveTime {
    fn nanosecond_part(&self) -> u32 {
        chrono::Timelike::nanosecond(self)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(28, |d| d.day())
}

fn with_day_clamped(date: NaiveDate, day: u32) -> NaiveDate {
    let max = days_in_month(date.year(), date.month());
    date.with_day(day.min(max)).unwrap_or(date)
}

fn with_month_clamped(date: NaiveDate, month: u32) -> NaiveDate {
    let max = days_in_month(date.year(), month);
    NaiveDate::from_ymd_opt(date.year(), month, date.day().min(max)).unwrap_or(date)
}
