//! A subset of `java.time`: `Instant`, `ZonedDateTime`, `ZoneId`,
//! `ZoneOffset`, `Duration` and `ChronoUnit` (from nanoseconds to weeks),
//! with the parsing, arithmetic and getters ingest scripts use
//! (`ZonedDateTime.parse(s).plusNanos(n)`,
//! `ZonedDateTime.ofInstant(Instant.parse(s), ZoneOffset.UTC)`,
//! `Duration.between(start, end).toNanos()`,
//! `ChronoUnit.NANOS.between(start, end)`, …).
//!
//! Not here: `LocalDate`/`LocalDateTime`, `DateTimeFormatter`, months and
//! longer units, and calendar arithmetic (`plusDays`, `plus(n, unit)`),
//! whose daylight-saving rules differ from the instant arithmetic kept
//! here.
//! Instants are limited to about ±262,000 years (Java's reach ±10⁹).

use std::rc::Rc;
use std::sync::Arc;

use chrono::{Datelike, NaiveDateTime, Timelike};
use isc_javatime::{Zone, ZonedDateTime};

use super::{Method, Recv, Static, arg, long_arg};
use crate::ast::ExprKind;
use crate::error::ExceptionKind;
use crate::interp::{R, Thrown};
use crate::types::Base;
use crate::value::Val;

/// A `java.time` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeObj {
    /// `java.time.Instant`: seconds from the epoch and the nanosecond.
    Instant { seconds: i64, nanos: u32 },
    /// `java.time.ZonedDateTime`.
    Zoned(ZonedDateTime),
    /// `java.time.ZoneId` (a `ZoneOffset` when fixed).
    Zone(Zone),
    /// `java.time.Duration`: seconds and a nanosecond adjustment (0 to
    /// 999,999,999), as Java keeps it.
    Duration { seconds: i64, nanos: u32 },
    /// `java.time.temporal.ChronoUnit`.
    Unit(Unit),
}

/// The `ChronoUnit`s supported: the time-based ones, days and weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Nanos,
    Micros,
    Millis,
    Seconds,
    Minutes,
    Hours,
    HalfDays,
    Days,
    Weeks,
}

impl Unit {
    /// `toString()`.
    fn name(self) -> &'static str {
        match self {
            Unit::Nanos => "Nanos",
            Unit::Micros => "Micros",
            Unit::Millis => "Millis",
            Unit::Seconds => "Seconds",
            Unit::Minutes => "Minutes",
            Unit::Hours => "Hours",
            Unit::HalfDays => "HalfDays",
            Unit::Days => "Days",
            Unit::Weeks => "Weeks",
        }
    }

    /// The length of a time-based unit in nanoseconds.
    fn nanos(self) -> Option<i128> {
        Some(match self {
            Unit::Nanos => 1,
            Unit::Micros => 1_000,
            Unit::Millis => 1_000_000,
            Unit::Seconds => 1_000_000_000,
            Unit::Minutes => 60_000_000_000,
            Unit::Hours => 3_600_000_000_000,
            Unit::HalfDays => 43_200_000_000_000,
            Unit::Days | Unit::Weeks => return None,
        })
    }
}

impl TimeObj {
    /// The Java class name.
    pub(crate) fn class_name(&self) -> &'static str {
        match self {
            TimeObj::Instant { .. } => "java.time.Instant",
            TimeObj::Zoned(_) => "java.time.ZonedDateTime",
            TimeObj::Zone(Zone::Offset(_)) => "java.time.ZoneOffset",
            TimeObj::Zone(_) => "java.time.ZoneRegion",
            TimeObj::Duration { .. } => "java.time.Duration",
            TimeObj::Unit(_) => "java.time.temporal.ChronoUnit",
        }
    }

    /// `toString()`.
    pub(crate) fn java_string(&self) -> String {
        match self {
            TimeObj::Instant { seconds, nanos } => {
                isc_javatime::instant_to_string(*seconds, *nanos).unwrap_or_default()
            }
            TimeObj::Zoned(dt) => isc_javatime::zoned_to_string(dt),
            TimeObj::Zone(z) => z.id(),
            TimeObj::Duration { seconds, nanos } => duration_string(*seconds, *nanos),
            TimeObj::Unit(u) => u.name().to_owned(),
        }
    }

    /// The text Elasticsearch writes for the value in a document's JSON
    /// (`XContentElasticsearchExtension`: `strict_date_optional_time_nanos`,
    /// an instant in UTC); a zone, which it cannot write, as its ID.
    pub(crate) fn document_text(&self) -> String {
        let dt = match self {
            TimeObj::Instant { seconds, nanos } => {
                match instant_at(*seconds, *nanos, Zone::Offset(0)) {
                    Ok(dt) => dt,
                    Err(_) => return self.java_string(),
                }
            }
            TimeObj::Zoned(dt) => *dt,
            // `Duration` is written with its `toString()`.
            TimeObj::Zone(_) | TimeObj::Duration { .. } | TimeObj::Unit(_) => {
                return self.java_string();
            }
        };
        document_formatter()
            .format(&dt)
            .unwrap_or_else(|_| self.java_string())
    }

    /// Whether the value is of `ty` (`instanceof`).
    pub(crate) fn is_a(&self, ty: Base) -> bool {
        matches!(
            (ty, self),
            (Base::Instant, TimeObj::Instant { .. })
                | (Base::ZonedDateTime, TimeObj::Zoned(_))
                | (Base::ZoneId, TimeObj::Zone(_))
                | (Base::ZoneOffset, TimeObj::Zone(Zone::Offset(_)))
                | (Base::Duration, TimeObj::Duration { .. })
                | (Base::ChronoUnit, TimeObj::Unit(_))
        )
    }
}

/// `java.time` instance methods.
pub(crate) fn methods() -> Vec<Method> {
    let d = |name, arity, f| Method {
        recv: Recv::Duration,
        name,
        arity,
        f,
    };
    let i = |name, arity, f| Method {
        recv: Recv::Instant,
        name,
        arity,
        f,
    };
    let z = |name, arity, f| Method {
        recv: Recv::ZonedDateTime,
        name,
        arity,
        f,
    };
    vec![
        Method {
            recv: Recv::ChronoUnit,
            name: "between",
            arity: 2,
            f: |_, r, a| {
                let Val::Time(t) = r else {
                    return Ok(Val::Null);
                };
                let TimeObj::Unit(unit) = **t else {
                    return Ok(Val::Null);
                };
                let start = required(a, 0, "temporal1Inclusive")?;
                let end = required(a, 1, "temporal2Exclusive")?;
                until(start, end, unit)
            },
        },
        i("until", 2, |_, r, a| {
            let end = required(a, 0, "endExclusive")?;
            until(r, end, unit_arg(a, 1)?)
        }),
        z("until", 2, |_, r, a| {
            let end = required(a, 0, "endExclusive")?;
            until(r, end, unit_arg(a, 1)?)
        }),
        d("toNanos", 0, |_, r, _| {
            let (seconds, nanos) = duration_of(r);
            i64::try_from(i128::from(seconds) * i128::from(NANOS) + i128::from(nanos))
                .map(Val::Long)
                .map_err(|_| long_overflow())
        }),
        // Truncated toward zero (`Instant.toEpochMilli` floors).
        d("toMillis", 0, |_, r, _| {
            let (seconds, nanos) = duration_of(r);
            let total = i128::from(seconds) * i128::from(NANOS) + i128::from(nanos);
            i64::try_from(total / 1_000_000)
                .map(Val::Long)
                .map_err(|_| long_overflow())
        }),
        d("getSeconds", 0, |_, r, _| Ok(Val::Long(duration_of(r).0))),
        d("getNano", 0, |_, r, _| {
            Ok(Val::Int(duration_of(r).1 as i32))
        }),
        d("isNegative", 0, |_, r, _| {
            Ok(Val::Bool(duration_of(r).0 < 0))
        }),
        d("isZero", 0, |_, r, _| {
            Ok(Val::Bool(duration_of(r) == (0, 0)))
        }),
        i("plusNanos", 1, |_, r, a| instant_plus(r, a, 1, 1)),
        i("minusNanos", 1, |_, r, a| instant_plus(r, a, 1, -1)),
        i("plusMillis", 1, |_, r, a| instant_plus(r, a, 1_000_000, 1)),
        i("minusMillis", 1, |_, r, a| {
            instant_plus(r, a, 1_000_000, -1)
        }),
        i("plusSeconds", 1, |_, r, a| instant_plus(r, a, NANOS, 1)),
        i("minusSeconds", 1, |_, r, a| instant_plus(r, a, NANOS, -1)),
        i("toEpochMilli", 0, |_, r, _| {
            let (seconds, nanos) = instant_of(r);
            seconds
                .checked_mul(1000)
                .and_then(|ms| ms.checked_add(i64::from(nanos / 1_000_000)))
                .map(Val::Long)
                .ok_or_else(long_overflow)
        }),
        i("getEpochSecond", 0, |_, r, _| {
            Ok(Val::Long(instant_of(r).0))
        }),
        i("getNano", 0, |_, r, _| Ok(Val::Int(instant_of(r).1 as i32))),
        i("atZone", 1, |_, r, a| {
            let (seconds, nanos) = instant_of(r);
            let zone = zone_arg(a, 0, "zone")?;
            Ok(zoned(instant_at(seconds, nanos, zone)?))
        }),
        i("isBefore", 1, |_, r, a| {
            Ok(Val::Bool(
                instant_of(r) < instant_arg(a, 0, "otherInstant")?,
            ))
        }),
        i("isAfter", 1, |_, r, a| {
            Ok(Val::Bool(
                instant_of(r) > instant_arg(a, 0, "otherInstant")?,
            ))
        }),
        i("compareTo", 1, |_, r, a| {
            Ok(Val::Int(
                instant_of(r).cmp(&instant_arg(a, 0, "otherInstant")?) as i32,
            ))
        }),
        z("plusNanos", 1, |_, r, a| zoned_plus(r, a, 1, 1)),
        z("minusNanos", 1, |_, r, a| zoned_plus(r, a, 1, -1)),
        z("plusSeconds", 1, |_, r, a| zoned_plus(r, a, NANOS, 1)),
        z("minusSeconds", 1, |_, r, a| zoned_plus(r, a, NANOS, -1)),
        z("plusMinutes", 1, |_, r, a| zoned_plus(r, a, 60 * NANOS, 1)),
        z("minusMinutes", 1, |_, r, a| {
            zoned_plus(r, a, 60 * NANOS, -1)
        }),
        z("plusHours", 1, |_, r, a| zoned_plus(r, a, 3600 * NANOS, 1)),
        z("minusHours", 1, |_, r, a| {
            zoned_plus(r, a, 3600 * NANOS, -1)
        }),
        z("getYear", 0, |_, r, _| Ok(Val::Int(local_of(r).year()))),
        z("getMonthValue", 0, |_, r, _| {
            Ok(Val::Int(local_of(r).month() as i32))
        }),
        z("getDayOfMonth", 0, |_, r, _| {
            Ok(Val::Int(local_of(r).day() as i32))
        }),
        z("getDayOfYear", 0, |_, r, _| {
            Ok(Val::Int(local_of(r).ordinal() as i32))
        }),
        z("getHour", 0, |_, r, _| {
            Ok(Val::Int(local_of(r).hour() as i32))
        }),
        z("getMinute", 0, |_, r, _| {
            Ok(Val::Int(local_of(r).minute() as i32))
        }),
        z("getSecond", 0, |_, r, _| {
            Ok(Val::Int(local_of(r).second() as i32))
        }),
        z("getNano", 0, |_, r, _| {
            Ok(Val::Int(zoned_of(r).nano() as i32))
        }),
        z("getZone", 0, |_, r, _| {
            Ok(time(TimeObj::Zone(zoned_of(r).zone())))
        }),
        z("getOffset", 0, |_, r, _| {
            Ok(time(TimeObj::Zone(Zone::Offset(
                zoned_of(r).offset_seconds(),
            ))))
        }),
        z("toInstant", 0, |_, r, _| {
            let (seconds, nanos) = zoned_instant(&zoned_of(r));
            Ok(time(TimeObj::Instant { seconds, nanos }))
        }),
        z("toEpochSecond", 0, |_, r, _| {
            Ok(Val::Long(zoned_instant(&zoned_of(r)).0))
        }),
        z("withZoneSameInstant", 1, |_, r, a| {
            let zone = zone_arg(a, 0, "zone")?;
            Ok(zoned(zoned_of(r).with_zone_same_instant(zone)))
        }),
        z("isBefore", 1, |_, r, a| {
            Ok(Val::Bool(
                zoned_instant(&zoned_of(r)) < zoned_arg_instant(a)?,
            ))
        }),
        z("isAfter", 1, |_, r, a| {
            Ok(Val::Bool(
                zoned_instant(&zoned_of(r)) > zoned_arg_instant(a)?,
            ))
        }),
        z("isEqual", 1, |_, r, a| {
            Ok(Val::Bool(
                zoned_instant(&zoned_of(r)) == zoned_arg_instant(a)?,
            ))
        }),
    ]
}

/// `java.time` statics.
pub(crate) fn statics() -> Vec<Static> {
    let s = |class, name, arity, f| Static {
        class,
        name,
        arity,
        f,
    };
    vec![
        s(Base::Instant, "parse", 1, |_, a| {
            let text = text_arg(&a, "text")?;
            let (seconds, nanos) =
                isc_javatime::parse_instant(text).map_err(|e| parse_error(text, e))?;
            Ok(time(TimeObj::Instant { seconds, nanos }))
        }),
        s(Base::Instant, "ofEpochMilli", 1, |_, a| {
            let millis = long_arg(&a, 0)?;
            instant(
                millis.div_euclid(1000),
                (millis.rem_euclid(1000) * 1_000_000) as u32,
            )
        }),
        s(Base::Instant, "ofEpochSecond", 1, |_, a| {
            instant(long_arg(&a, 0)?, 0)
        }),
        s(Base::Instant, "ofEpochSecond", 2, |_, a| {
            let adjustment = long_arg(&a, 1)?;
            let seconds = long_arg(&a, 0)?
                .checked_add(adjustment.div_euclid(NANOS))
                .ok_or_else(long_overflow)?;
            instant(seconds, adjustment.rem_euclid(NANOS) as u32)
        }),
        s(Base::ZonedDateTime, "parse", 1, |_, a| {
            let text = text_arg(&a, "text")?;
            isc_javatime::parse_zoned_date_time(text)
                .map(zoned)
                .map_err(|e| parse_error(text, e))
        }),
        s(Base::ZonedDateTime, "ofInstant", 2, |_, a| {
            let (seconds, nanos) = instant_arg(&a, 0, "instant")?;
            let zone = zone_arg(&a, 1, "zone")?;
            Ok(zoned(instant_at(seconds, nanos, zone)?))
        }),
        // `Duration.ofNanos(start.until(end, NANOS))`, the seconds kept
        // when the nanoseconds overflow a `long`.
        s(Base::Duration, "between", 2, |_, a| {
            let start = required(&a, 0, "startInclusive")?;
            let end = required(&a, 1, "endExclusive")?;
            duration(amount_until(start, end, Unit::Nanos)?)
        }),
        s(Base::Duration, "ofSeconds", 1, |_, a| {
            duration(i128::from(long_arg(&a, 0)?) * i128::from(NANOS))
        }),
        s(Base::Duration, "ofMillis", 1, |_, a| {
            duration(i128::from(long_arg(&a, 0)?) * 1_000_000)
        }),
        s(Base::Duration, "ofNanos", 1, |_, a| {
            duration(i128::from(long_arg(&a, 0)?))
        }),
        s(Base::ZoneId, "of", 1, |_, a| {
            let id = text_arg(&a, "zoneId")?;
            Zone::of(id)
                .map(|z| time(TimeObj::Zone(z)))
                .map_err(zone_error)
        }),
    ]
}

/// `ZoneOffset.UTC` and `Instant.EPOCH`, as zero-argument statics.
pub(crate) fn static_field(class: Base, name: &str) -> Option<ExprKind> {
    if class == Base::ChronoUnit {
        return chrono_unit_field(name);
    }
    let (display, f): (&str, super::StaticFn) = match (class, name) {
        (Base::ZoneOffset, "UTC") => ("ZoneOffset.UTC", |_, _| {
            Ok(time(TimeObj::Zone(Zone::Offset(0))))
        }),
        (Base::Instant, "EPOCH") => ("Instant.EPOCH", |_, _| {
            Ok(time(TimeObj::Instant {
                seconds: 0,
                nanos: 0,
            }))
        }),
        _ => return None,
    };
    Some(ExprKind::StaticCall {
        name: Arc::from(display),
        f,
        args: Vec::new(),
    })
}

/// `ChronoUnit.NANOS` … `ChronoUnit.WEEKS`.
fn chrono_unit_field(name: &str) -> Option<ExprKind> {
    let (display, f): (&str, super::StaticFn) = match name {
        "NANOS" => ("ChronoUnit.NANOS", |_, _| {
            Ok(time(TimeObj::Unit(Unit::Nanos)))
        }),
        "MICROS" => ("ChronoUnit.MICROS", |_, _| {
            Ok(time(TimeObj::Unit(Unit::Micros)))
        }),
        "MILLIS" => ("ChronoUnit.MILLIS", |_, _| {
            Ok(time(TimeObj::Unit(Unit::Millis)))
        }),
        "SECONDS" => ("ChronoUnit.SECONDS", |_, _| {
            Ok(time(TimeObj::Unit(Unit::Seconds)))
        }),
        "MINUTES" => ("ChronoUnit.MINUTES", |_, _| {
            Ok(time(TimeObj::Unit(Unit::Minutes)))
        }),
        "HOURS" => ("ChronoUnit.HOURS", |_, _| {
            Ok(time(TimeObj::Unit(Unit::Hours)))
        }),
        "HALF_DAYS" => ("ChronoUnit.HALF_DAYS", |_, _| {
            Ok(time(TimeObj::Unit(Unit::HalfDays)))
        }),
        "DAYS" => ("ChronoUnit.DAYS", |_, _| {
            Ok(time(TimeObj::Unit(Unit::Days)))
        }),
        "WEEKS" => ("ChronoUnit.WEEKS", |_, _| {
            Ok(time(TimeObj::Unit(Unit::Weeks)))
        }),
        _ => return None,
    };
    Some(ExprKind::StaticCall {
        name: Arc::from(display),
        f,
        args: Vec::new(),
    })
}

/// `start.until(end, unit)`, as `Instant.until` and `ZonedDateTime.until`
/// compute it (and `unit.between(start, end)`).
fn until<'a>(start: &Val<'a>, end: &Val<'a>, unit: Unit) -> R<Val<'a>> {
    i64::try_from(amount_until(start, end, unit)?)
        .map(Val::Long)
        .map_err(|_| long_overflow())
}

/// The amount of `unit` from `start` to `end` before it is narrowed to a
/// `long`: an `Instant` or `ZonedDateTime` start, and an end converted to
/// the start's type (a `ZonedDateTime` cannot be had from an `Instant`).
fn amount_until<'a>(start: &Val<'a>, end: &Val<'a>, unit: Unit) -> R<i128> {
    let kind = |v: &Val<'a>| match v {
        Val::Time(t) => match **t {
            TimeObj::Instant { seconds, nanos } => Some((None, (seconds, nanos))),
            TimeObj::Zoned(dt) => Some((Some(dt), zoned_instant(&dt))),
            _ => None,
        },
        _ => None,
    };
    let (Some((start_zoned, from)), Some((end_zoned, to))) = (kind(start), kind(end)) else {
        let bad = if kind(start).is_none() { start } else { end };
        return Err(super::cast_error(bad, "java.time.temporal.Temporal"));
    };
    let secs = i128::from(to.0) - i128::from(from.0);
    let nano_diff = i128::from(to.1) - i128::from(from.1);
    let amount: i128 = match start_zoned {
        None => match unit {
            // `Instant.until`: each unit from the seconds and the
            // nanosecond difference.
            Unit::Nanos => secs * 1_000_000_000 + nano_diff,
            Unit::Micros => secs * 1_000_000 + nano_diff / 1_000,
            Unit::Millis => secs * 1_000 + nano_diff / 1_000_000,
            Unit::Weeks => {
                return Err(Thrown::new(
                    ExceptionKind::UnsupportedTemporalType,
                    "Unsupported unit: Weeks".to_owned(),
                ));
            }
            other => {
                let mut seconds = secs;
                if seconds > 0 && nano_diff < 0 {
                    seconds -= 1;
                } else if seconds < 0 && nano_diff > 0 {
                    seconds += 1;
                }
                let per = match other {
                    Unit::Minutes => 60,
                    Unit::Hours => 3600,
                    Unit::HalfDays => 43_200,
                    Unit::Days => 86_400,
                    _ => 1,
                };
                seconds / per
            }
        },
        Some(start_dt) => {
            if end_zoned.is_none() {
                return Err(Thrown::new(
                    ExceptionKind::DateTime,
                    format!(
                        "Unable to obtain ZonedDateTime from TemporalAccessor: {} of type java.time.Instant",
                        end.to_java_string()
                    ),
                ));
            }
            match unit.nanos() {
                // Time units: the difference along the time line.
                Some(per) => (secs * 1_000_000_000 + nano_diff) / per,
                // Days and weeks: local dates in the start's zone, the last
                // day counted only once its time of day is reached.
                None => {
                    let end_local = instant_at(to.0, to.1, start_dt.zone())?.local();
                    let start_local = start_dt.local();
                    let mut days = i128::from((end_local.date() - start_local.date()).num_days());
                    if days > 0 && end_local.time() < start_local.time() {
                        days -= 1;
                    } else if days < 0 && end_local.time() > start_local.time() {
                        days += 1;
                    }
                    if unit == Unit::Weeks { days / 7 } else { days }
                }
            }
        }
    };
    Ok(amount)
}

const NANOS: i64 = 1_000_000_000;

fn time<'a>(t: TimeObj) -> Val<'a> {
    Val::Time(Rc::new(t))
}

fn zoned<'a>(dt: ZonedDateTime) -> Val<'a> {
    time(TimeObj::Zoned(dt))
}

/// An instant within the range this library represents, or Java's error.
fn instant<'a>(seconds: i64, nanos: u32) -> R<Val<'a>> {
    instant_at(seconds, nanos, Zone::Offset(0))?;
    Ok(time(TimeObj::Instant { seconds, nanos }))
}

fn instant_at(seconds: i64, nanos: u32, zone: Zone) -> R<ZonedDateTime> {
    let utc = chrono::DateTime::from_timestamp(seconds, nanos)
        .ok_or_else(|| {
            Thrown::new(
                ExceptionKind::DateTime,
                "Instant exceeds minimum or maximum instant".to_owned(),
            )
        })?
        .naive_utc();
    Ok(ZonedDateTime::of_utc(utc, zone))
}

/// The instant of a date-time: epoch seconds and nanosecond.
fn zoned_instant(dt: &ZonedDateTime) -> (i64, u32) {
    let utc: NaiveDateTime = dt.utc();
    (utc.and_utc().timestamp(), dt.nano())
}

fn instant_of(v: &Val<'_>) -> (i64, u32) {
    match v {
        Val::Time(t) => match **t {
            TimeObj::Instant { seconds, nanos } => (seconds, nanos),
            TimeObj::Zoned(dt) => zoned_instant(&dt),
            TimeObj::Zone(_) | TimeObj::Duration { .. } | TimeObj::Unit(_) => (0, 0),
        },
        _ => (0, 0),
    }
}

fn zoned_of(v: &Val<'_>) -> ZonedDateTime {
    match v {
        Val::Time(t) => match **t {
            TimeObj::Zoned(dt) => dt,
            _ => ZonedDateTime::of_utc(NaiveDateTime::default(), Zone::Offset(0)),
        },
        _ => ZonedDateTime::of_utc(NaiveDateTime::default(), Zone::Offset(0)),
    }
}

fn local_of(v: &Val<'_>) -> NaiveDateTime {
    zoned_of(v).local()
}

/// `this` moved by `amount × unit_nanos × sign` nanoseconds.
fn instant_plus<'a>(r: &Val<'a>, a: &[Val<'a>], unit_nanos: i64, sign: i64) -> R<Val<'a>> {
    let (seconds, nanos) = instant_of(r);
    let (seconds, nanos) = shifted(seconds, nanos, long_arg(a, 0)?, unit_nanos, sign)?;
    instant(seconds, nanos)
}

/// A date-time moved along the time line (its zone then gives the offset).
fn zoned_plus<'a>(r: &Val<'a>, a: &[Val<'a>], unit_nanos: i64, sign: i64) -> R<Val<'a>> {
    let dt = zoned_of(r);
    let (seconds, nanos) = zoned_instant(&dt);
    let (seconds, nanos) = shifted(seconds, nanos, long_arg(a, 0)?, unit_nanos, sign)?;
    Ok(zoned(instant_at(seconds, nanos, dt.zone())?))
}

fn shifted(seconds: i64, nanos: u32, amount: i64, unit_nanos: i64, sign: i64) -> R<(i64, u32)> {
    let total = i128::from(amount) * i128::from(unit_nanos) * i128::from(sign)
        + i128::from(seconds) * i128::from(NANOS)
        + i128::from(nanos);
    let seconds =
        i64::try_from(total.div_euclid(i128::from(NANOS))).map_err(|_| long_overflow())?;
    Ok((seconds, total.rem_euclid(i128::from(NANOS)) as u32))
}

/// A duration of `total` nanoseconds, within Java's range (a `long` of
/// seconds).
fn duration<'a>(total: i128) -> R<Val<'a>> {
    let seconds =
        i64::try_from(total.div_euclid(i128::from(NANOS))).map_err(|_| long_overflow())?;
    let nanos = total.rem_euclid(i128::from(NANOS)) as u32;
    Ok(time(TimeObj::Duration { seconds, nanos }))
}

fn duration_of(v: &Val<'_>) -> (i64, u32) {
    match v {
        Val::Time(t) => match **t {
            TimeObj::Duration { seconds, nanos } => (seconds, nanos),
            _ => (0, 0),
        },
        _ => (0, 0),
    }
}

/// `Duration.toString()`: `PT` then hours, minutes and seconds (with the
/// fraction's trailing zeros dropped), `PT0S` for zero.
fn duration_string(seconds: i64, nanos: u32) -> String {
    if seconds == 0 && nanos == 0 {
        return "PT0S".to_owned();
    }
    let effective = if seconds < 0 && nanos > 0 {
        seconds + 1
    } else {
        seconds
    };
    let hours = effective / 3600;
    let minutes = (effective % 3600) / 60;
    let secs = effective % 60;
    let mut out = String::from("PT");
    if hours != 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes != 0 {
        out.push_str(&format!("{minutes}M"));
    }
    if secs == 0 && nanos == 0 && out.len() > 2 {
        return out;
    }
    if seconds < 0 && nanos > 0 && secs == 0 {
        out.push_str("-0");
    } else {
        out.push_str(&secs.to_string());
    }
    if nanos > 0 {
        let fraction = if seconds < 0 {
            2 * NANOS - i64::from(nanos)
        } else {
            i64::from(nanos) + NANOS
        };
        // The digits after the leading 1, trailing zeros dropped.
        let digits = fraction.to_string();
        out.push('.');
        out.push_str(digits[1..].trim_end_matches('0'));
    }
    out.push('S');
    out
}

fn long_overflow() -> Thrown {
    Thrown::new(ExceptionKind::Arithmetic, "long overflow".to_owned())
}

/// A required argument, null refused as `Objects.requireNonNull(x, name)`.
fn required<'v, 'a>(a: &'v [Val<'a>], i: usize, name: &str) -> R<&'v Val<'a>> {
    match arg(a, i)? {
        Val::Null => Err(Thrown::new(ExceptionKind::NullPointer, name.to_owned())),
        v => Ok(v),
    }
}

fn text_arg<'v>(a: &'v [Val<'_>], name: &str) -> R<&'v str> {
    match required(a, 0, name)? {
        Val::Str(s) => Ok(s.as_str()),
        other => Err(super::cast_error(other, "java.lang.CharSequence")),
    }
}

/// A required `java.time` argument of the kind `pick` accepts; anything
/// else is Java's `ClassCastException` to `class`.
fn time_arg<T>(
    a: &[Val<'_>],
    i: usize,
    name: &str,
    class: &str,
    pick: impl Fn(TimeObj) -> Option<T>,
) -> R<T> {
    let v = required(a, i, name)?;
    match v {
        Val::Time(t) => pick(**t),
        _ => None,
    }
    .ok_or_else(|| super::cast_error(v, class))
}

fn unit_arg(a: &[Val<'_>], i: usize) -> R<Unit> {
    time_arg(
        a,
        i,
        "unit",
        "java.time.temporal.TemporalUnit",
        |t| match t {
            TimeObj::Unit(u) => Some(u),
            _ => None,
        },
    )
}

fn instant_arg(a: &[Val<'_>], i: usize, name: &str) -> R<(i64, u32)> {
    time_arg(a, i, name, "java.time.Instant", |t| match t {
        TimeObj::Instant { seconds, nanos } => Some((seconds, nanos)),
        _ => None,
    })
}

/// The instant of a `ZonedDateTime` argument (`isBefore`, `isAfter`,
/// `isEqual` compare instants).
fn zoned_arg_instant(a: &[Val<'_>]) -> R<(i64, u32)> {
    let class = "java.time.chrono.ChronoZonedDateTime";
    time_arg(a, 0, "other", class, |t| match t {
        TimeObj::Zoned(dt) => Some(zoned_instant(&dt)),
        _ => None,
    })
}

fn zone_arg(a: &[Val<'_>], i: usize, name: &str) -> R<Zone> {
    time_arg(a, i, name, "java.time.ZoneId", |t| match t {
        TimeObj::Zone(z) => Some(z),
        _ => None,
    })
}

/// A `DateTimeParseException`: java.time's message, with the cause's text
/// after "could not be parsed: " when the fields themselves are invalid.
fn parse_error(text: &str, e: isc_javatime::TimeError) -> Thrown {
    use isc_javatime::TimeError;
    let message = match e {
        TimeError::Unparseable { .. } | TimeError::Unparsed { .. } => e.to_string(),
        other => format!("Text '{text}' could not be parsed: {other}"),
    };
    Thrown::new(ExceptionKind::DateTimeParse, message)
}

/// `ZoneId.of`'s errors: `ZoneRulesException` for an unknown region,
/// `DateTimeException` for a malformed ID.
fn zone_error(e: isc_javatime::TimeError) -> Thrown {
    let kind = match e {
        isc_javatime::TimeError::UnknownZone(_) => ExceptionKind::ZoneRules,
        _ => ExceptionKind::DateTime,
    };
    Thrown::new(kind, e.to_string())
}

/// The formatter Elasticsearch writes date values with.
fn document_formatter() -> &'static isc_javatime::DateFormatter {
    static FORMATTER: std::sync::OnceLock<isc_javatime::DateFormatter> = std::sync::OnceLock::new();
    FORMATTER.get_or_init(|| {
        isc_javatime::DateFormatter::for_pattern("strict_date_optional_time_nanos")
            .expect("a built-in format name")
    })
}
