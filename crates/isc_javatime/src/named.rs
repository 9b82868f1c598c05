//! Elasticsearch's built-in date formats (`strict_date_optional_time`,
//! `iso8601`, `epoch_millis`, `basic_date_time`, ...), expressed as the
//! same printer-parser elements as patterns.

use crate::pattern::{Element, Field, OffsetPattern, SignStyle, compile, link_adjacent_values};

/// How a named format parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NamedParser {
    Elements(Vec<Element>),
    /// Elasticsearch's fast ISO parser, then the elements.
    IsoThenElements(Vec<Element>),
    EpochMillis,
    EpochSecond,
}

/// A named format: its parser and its printer.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub(crate) parser: NamedParser,
    pub(crate) printer: Vec<Element>,
}

fn num(field: Field, min: usize, max: usize, sign: SignStyle) -> Element {
    Element::Number {
        field,
        min,
        max,
        sign,
        subsequent: 0,
    }
}

fn lit(s: &str) -> Element {
    Element::Literal(s.to_owned())
}

fn opt(elements: Vec<Element>) -> Element {
    Element::Optional(elements)
}

/// Widths of the numeric fields: strict (fixed) or lenient (1 to n).
#[derive(Clone, Copy)]
struct Widths {
    strict: bool,
}

impl Widths {
    fn year(self) -> Element {
        if self.strict {
            num(Field::Year, 4, 10, SignStyle::ExceedsPad)
        } else {
            num(Field::Year, 1, 5, SignStyle::Normal)
        }
    }
    fn two(self, field: Field) -> Element {
        if self.strict {
            num(field, 2, 2, SignStyle::NotNegative)
        } else {
            num(field, 1, 2, SignStyle::NotNegative)
        }
    }
}

/// The zone part of the ISO formats: a zone or offset ID, or `+HHmm`.
fn iso_zone() -> Vec<Element> {
    vec![
        opt(vec![Element::ZoneOrOffsetId]),
        opt(vec![Element::Offset(OffsetPattern::new("+HHmm", "Z"))]),
    ]
}

/// `yyyy[-MM[-dd]][T[HH[:mm[:ss[.S][,S]]]][zone]]`.
fn date_optional_time(w: Widths) -> Vec<Element> {
    let fraction = vec![
        opt(vec![Element::Fraction {
            min: 1,
            max: 9,
            decimal_point: true,
        }]),
        opt(vec![
            lit(","),
            Element::Fraction {
                min: 1,
                max: 9,
                decimal_point: false,
            },
        ]),
    ];
    let seconds = {
        let mut v = vec![lit(":"), w.two(Field::SecondOfMinute)];
        v.extend(fraction);
        v
    };
    let minutes = vec![lit(":"), w.two(Field::MinuteOfHour), opt(seconds)];
    let hours = vec![w.two(Field::HourOfDay), opt(minutes)];
    let mut time = vec![lit("T"), opt(hours)];
    time.extend(iso_zone());
    vec![
        w.year(),
        opt(vec![
            lit("-"),
            w.two(Field::MonthOfYear),
            opt(vec![lit("-"), w.two(Field::DayOfMonth)]),
        ]),
        opt(time),
    ]
}

/// The printer of `strict_date_optional_time`: `uuuu-MM-dd'T'HH:mm:ss.SSS`
/// with 3 to 9 fraction digits and an offset ID.
fn iso_printer() -> Vec<Element> {
    vec![
        num(Field::Year, 4, 10, SignStyle::ExceedsPad),
        lit("-"),
        num(Field::MonthOfYear, 2, 2, SignStyle::NotNegative),
        lit("-"),
        num(Field::DayOfMonth, 2, 2, SignStyle::NotNegative),
        lit("T"),
        num(Field::HourOfDay, 2, 2, SignStyle::NotNegative),
        lit(":"),
        num(Field::MinuteOfHour, 2, 2, SignStyle::NotNegative),
        lit(":"),
        num(Field::SecondOfMinute, 2, 2, SignStyle::NotNegative),
        Element::Fraction {
            min: 3,
            max: 9,
            decimal_point: true,
        },
        Element::Offset(OffsetPattern::new("+HH:MM:ss", "Z")),
    ]
}

/// A named format given by an equivalent pattern plus an optional zone.
fn pattern_format(pattern: &str, with_zone: bool) -> Option<Named> {
    let mut elements = compile(pattern).ok()?;
    let printer = {
        let mut p = elements.clone();
        if with_zone {
            p.push(Element::Offset(OffsetPattern::new("+HH:MM", "Z")));
        }
        p
    };
    if with_zone {
        elements.push(Element::Offset(OffsetPattern::new("+HH:MM", "Z")));
    }
    link_adjacent_values(&mut elements);
    Some(Named {
        parser: NamedParser::Elements(elements),
        printer,
    })
}

/// Looks up an Elasticsearch format name (snake case or the deprecated
/// camel case).
pub(crate) fn lookup(name: &str) -> Option<Named> {
    let snake = camel_to_snake(name);
    let key = snake.strip_prefix("strict_").unwrap_or(&snake);
    let strict = snake.starts_with("strict_") || snake == "iso8601";
    let w = Widths { strict };
    let elements = |mut e: Vec<Element>| {
        link_adjacent_values(&mut e);
        e
    };
    let named = match key {
        "iso8601" | "date_optional_time" | "date_optional_time_nanos" => Named {
            parser: if strict {
                NamedParser::IsoThenElements(elements(date_optional_time(w)))
            } else {
                NamedParser::Elements(elements(date_optional_time(w)))
            },
            printer: iso_printer(),
        },
        "epoch_millis" => Named {
            parser: NamedParser::EpochMillis,
            printer: Vec::new(),
        },
        "epoch_second" => Named {
            parser: NamedParser::EpochSecond,
            printer: Vec::new(),
        },
        "basic_date" => pattern_format("uuuuMMdd", false)?,
        "basic_date_time" => pattern_format("uuuuMMdd'T'HHmmss.SSS", true)?,
        "basic_date_time_no_millis" => pattern_format("uuuuMMdd'T'HHmmss", true)?,
        "basic_time" => pattern_format("HHmmss.SSS", true)?,
        "basic_time_no_millis" => pattern_format("HHmmss", true)?,
        "basic_t_time" => pattern_format("'T'HHmmss.SSS", true)?,
        "basic_t_time_no_millis" => pattern_format("'T'HHmmss", true)?,
        "basic_ordinal_date" => pattern_format("uuuuDDD", false)?,
        "basic_ordinal_date_time" => pattern_format("uuuuDDD'T'HHmmss.SSS", true)?,
        "basic_ordinal_date_time_no_millis" => pattern_format("uuuuDDD'T'HHmmss", true)?,
        "date" | "year_month_day" => pattern_format("uuuu-MM-dd", false)?,
        "date_hour" => pattern_format("uuuu-MM-dd'T'HH", false)?,
        "date_hour_minute" => pattern_format("uuuu-MM-dd'T'HH:mm", false)?,
        "date_hour_minute_second" => pattern_format("uuuu-MM-dd'T'HH:mm:ss", false)?,
        "date_hour_minute_second_fraction" | "date_hour_minute_second_millis" => {
            pattern_format("uuuu-MM-dd'T'HH:mm:ss.SSS", false)?
        }
        "date_time" => pattern_format("uuuu-MM-dd'T'HH:mm:ss.SSS", true)?,
        "date_time_no_millis" => pattern_format("uuuu-MM-dd'T'HH:mm:ss", true)?,
        "hour" => pattern_format("HH", false)?,
        "hour_minute" => pattern_format("HH:mm", false)?,
        "hour_minute_second" => pattern_format("HH:mm:ss", false)?,
        "hour_minute_second_fraction" | "hour_minute_second_millis" => {
            pattern_format("HH:mm:ss.SSS", false)?
        }
        "ordinal_date" => pattern_format("uuuu-DDD", false)?,
        "ordinal_date_time" => pattern_format("uuuu-DDD'T'HH:mm:ss.SSS", true)?,
        "ordinal_date_time_no_millis" => pattern_format("uuuu-DDD'T'HH:mm:ss", true)?,
        "time" => pattern_format("HH:mm:ss.SSS", true)?,
        "time_no_millis" => pattern_format("HH:mm:ss", true)?,
        "t_time" => pattern_format("'T'HH:mm:ss.SSS", true)?,
        "t_time_no_millis" => pattern_format("'T'HH:mm:ss", true)?,
        "year" => pattern_format("uuuu", false)?,
        "year_month" => pattern_format("uuuu-MM", false)?,
        _ => return None,
    };
    Some(named)
}

/// `strictDateOptionalTime` → `strict_date_optional_time`.
fn camel_to_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
