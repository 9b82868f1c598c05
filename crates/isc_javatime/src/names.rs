//! English month, weekday, AM/PM and era names (Java's `Locale.ROOT` and
//! `Locale.ENGLISH` data for the ISO calendar).

use crate::pattern::{Field, TextStyle};

const MONTHS_FULL: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_NARROW: [&str; 12] = ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"];
const DAYS_FULL: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const DAYS_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DAYS_NARROW: [&str; 7] = ["M", "T", "W", "T", "F", "S", "S"];

/// `(name, value)` pairs of a text field in a style.
pub(crate) fn names(field: Field, style: TextStyle) -> Vec<(&'static str, i64)> {
    let list: &[&str] = match (field, style) {
        (Field::MonthOfYear, TextStyle::Full) => &MONTHS_FULL,
        (Field::MonthOfYear, TextStyle::Short) => &MONTHS_SHORT,
        (Field::MonthOfYear, TextStyle::Narrow) => &MONTHS_NARROW,
        (Field::DayOfWeek, TextStyle::Full) => &DAYS_FULL,
        (Field::DayOfWeek, TextStyle::Short) => &DAYS_SHORT,
        (Field::DayOfWeek, TextStyle::Narrow) => &DAYS_NARROW,
        (Field::AmPmOfDay, _) => &["AM", "PM"],
        (Field::Era, TextStyle::Full) => &["Before Christ", "Anno Domini"],
        (Field::Era, TextStyle::Short) => &["BC", "AD"],
        (Field::Era, TextStyle::Narrow) => &["B", "A"],
        _ => &[],
    };
    let first: i64 = match field {
        Field::MonthOfYear | Field::DayOfWeek => 1,
        _ => 0,
    };
    let mut pairs: Vec<(&'static str, i64)> = list
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, first + i as i64))
        .collect();
    // Longest names first, as Java's text parser tries them.
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    pairs
}

/// The name of `value` for printing.
pub(crate) fn name(field: Field, style: TextStyle, value: i64) -> Option<&'static str> {
    names(field, style)
        .into_iter()
        .find(|(_, v)| *v == value)
        .map(|(n, _)| n)
}
