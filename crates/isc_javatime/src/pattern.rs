//! Compiling `DateTimeFormatter` pattern strings (`yyyy-MM-dd'T'HH:mm`)
//! into printer-parser elements, as `DateTimeFormatterBuilder.appendPattern`
//! does, including its error messages and adjacent value parsing.

use crate::TimeError;

/// A date-time field a pattern letter reads or prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Field {
    Era,
    YearOfEra,
    Year,
    QuarterOfYear,
    MonthOfYear,
    DayOfMonth,
    DayOfYear,
    DayOfWeek,
    WeekBasedYear,
    WeekOfWeekBasedYear,
    AmPmOfDay,
    HourOfDay,
    ClockHourOfDay,
    HourOfAmPm,
    ClockHourOfAmPm,
    MinuteOfHour,
    SecondOfMinute,
    NanoOfSecond,
    MilliOfDay,
    NanoOfDay,
}

impl Field {
    /// Every field, in declaration order (`field as usize` indexes it).
    pub(crate) const ALL: [Field; 20] = [
        Field::Era,
        Field::YearOfEra,
        Field::Year,
        Field::QuarterOfYear,
        Field::MonthOfYear,
        Field::DayOfMonth,
        Field::DayOfYear,
        Field::DayOfWeek,
        Field::WeekBasedYear,
        Field::WeekOfWeekBasedYear,
        Field::AmPmOfDay,
        Field::HourOfDay,
        Field::ClockHourOfDay,
        Field::HourOfAmPm,
        Field::ClockHourOfAmPm,
        Field::MinuteOfHour,
        Field::SecondOfMinute,
        Field::NanoOfSecond,
        Field::MilliOfDay,
        Field::NanoOfDay,
    ];

    /// Java's field name, for conflict messages.
    pub(crate) fn java_name(self) -> &'static str {
        match self {
            Field::Era => "Era",
            Field::YearOfEra => "YearOfEra",
            Field::Year => "Year",
            Field::QuarterOfYear => "QuarterOfYear",
            Field::MonthOfYear => "MonthOfYear",
            Field::DayOfMonth => "DayOfMonth",
            Field::DayOfYear => "DayOfYear",
            Field::DayOfWeek => "DayOfWeek",
            Field::WeekBasedYear => "WeekBasedYear[WeekFields[MONDAY,4]]",
            Field::WeekOfWeekBasedYear => "WeekOfWeekBasedYear[WeekFields[MONDAY,4]]",
            Field::AmPmOfDay => "AmPmOfDay",
            Field::HourOfDay => "HourOfDay",
            Field::ClockHourOfDay => "ClockHourOfDay",
            Field::HourOfAmPm => "HourOfAmPm",
            Field::ClockHourOfAmPm => "ClockHourOfAmPm",
            Field::MinuteOfHour => "MinuteOfHour",
            Field::SecondOfMinute => "SecondOfMinute",
            Field::NanoOfSecond => "NanoOfSecond",
            Field::MilliOfDay => "MilliOfDay",
            Field::NanoOfDay => "NanoOfDay",
        }
    }

    /// The valid range Java checks in strict resolution.
    pub(crate) fn range(self) -> (i64, i64) {
        match self {
            Field::Era => (0, 1),
            Field::YearOfEra => (1, 1_000_000_000),
            Field::Year => (-999_999_999, 999_999_999),
            Field::QuarterOfYear => (1, 4),
            Field::MonthOfYear => (1, 12),
            Field::DayOfMonth => (1, 31),
            Field::DayOfYear => (1, 366),
            Field::DayOfWeek => (1, 7),
            Field::WeekBasedYear => (-999_999_999, 999_999_999),
            Field::WeekOfWeekBasedYear => (1, 53),
            Field::AmPmOfDay => (0, 1),
            Field::HourOfDay => (0, 23),
            Field::ClockHourOfDay => (1, 24),
            Field::HourOfAmPm => (0, 11),
            Field::ClockHourOfAmPm => (1, 12),
            Field::MinuteOfHour => (0, 59),
            Field::SecondOfMinute => (0, 59),
            Field::NanoOfSecond => (0, 999_999_999),
            Field::MilliOfDay => (0, 86_400_000 - 1),
            Field::NanoOfDay => (0, 86_400_000_000_000 - 1),
        }
    }
}

/// How a number's sign is printed and parsed (`java.time.format.SignStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignStyle {
    Normal,
    NotNegative,
    ExceedsPad,
}

/// Text width of names (`TextStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextStyle {
    Short,
    Full,
    Narrow,
}

/// Presence of a part of an offset pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Absent,
    Optional,
    Required,
}

/// An offset pattern such as `+HH:MM:ss`, with the text for zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OffsetPattern {
    pub(crate) colon: bool,
    pub(crate) minutes: Part,
    pub(crate) seconds: Part,
    pub(crate) no_offset_text: String,
}

impl OffsetPattern {
    /// `appendOffset(pattern, noOffsetText)`.
    pub(crate) fn new(pattern: &str, no_offset_text: &str) -> OffsetPattern {
        let colon = pattern.contains(':');
        let body: String = pattern.chars().filter(|c| *c != ':' && *c != '+').collect();
        let part = |upper: &str, lower: &str| {
            if body.contains(upper) {
                Part::Required
            } else if body.contains(lower) {
                Part::Optional
            } else {
                Part::Absent
            }
        };
        OffsetPattern {
            colon,
            minutes: part("MM", "mm"),
            seconds: part("SS", "ss"),
            no_offset_text: no_offset_text.to_owned(),
        }
    }
}

/// One printer-parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Element {
    Literal(String),
    Number {
        field: Field,
        min: usize,
        max: usize,
        sign: SignStyle,
        /// Width reserved for the fixed-width numbers right after this one;
        /// `-1` marks "parse as fixed width" (Java's adjacent value parsing).
        subsequent: i32,
    },
    /// Two-digit year relative to 2000 (`yy`, `uu`).
    Reduced {
        field: Field,
    },
    Fraction {
        min: usize,
        max: usize,
        decimal_point: bool,
    },
    Text {
        field: Field,
        style: TextStyle,
    },
    Offset(OffsetPattern),
    /// `O` / `ZZZZ`: `GMT+1` (short) or `GMT+01:00` (full).
    LocalizedOffset {
        full: bool,
    },
    /// `VV`: a zone ID.
    ZoneId,
    /// `z`: a zone name.
    ZoneText,
    /// `appendZoneOrOffsetId`, used by the ISO parsers.
    ZoneOrOffsetId,
    Optional(Vec<Element>),
}

/// The deepest nesting of optional sections (`[…]`) a pattern may have.
/// Java builds any depth, then overflows its stack parsing or printing
/// with it, as this crate's recursive parser, printer and drop would:
/// deeper patterns are refused. Real patterns nest one or two.
const MAX_OPTIONAL_DEPTH: usize = 100;

/// Compiles a pattern string.
pub(crate) fn compile(pattern: &str) -> Result<Vec<Element>, TimeError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut stack: Vec<Vec<Element>> = vec![Vec::new()];
    let mut pos = 0;
    let err = |m: String| TimeError::InvalidPattern(m);
    while pos < chars.len() {
        let cur = chars[pos];
        let top = stack.len() - 1;
        if cur.is_ascii_alphabetic() {
            let start = pos;
            pos += 1;
            while pos < chars.len() && chars[pos] == cur {
                pos += 1;
            }
            let count = pos - start;
            // 'p' padding is not supported by this implementation.
            if cur == 'p' {
                return Err(err(
                    "Pattern letter 'p' (padding) is not supported".to_owned()
                ));
            }
            letter(&mut stack[top], cur, count)?;
        } else if cur == '\'' {
            let start = pos;
            pos += 1;
            while pos < chars.len() {
                if chars[pos] == '\'' {
                    if pos + 1 < chars.len() && chars[pos + 1] == '\'' {
                        pos += 1;
                    } else {
                        break;
                    }
                }
                pos += 1;
            }
            if pos >= chars.len() {
                return Err(err(format!(
                    "Pattern ends with an incomplete string literal: {pattern}"
                )));
            }
            let literal: String = chars[start + 1..pos].iter().collect();
            if literal.is_empty() {
                push_literal(&mut stack[top], "'");
            } else {
                push_literal(&mut stack[top], &literal.replace("''", "'"));
            }
            pos += 1;
        } else if cur == '[' {
            if stack.len() > MAX_OPTIONAL_DEPTH {
                return Err(err(format!(
                    "Pattern nests optional sections deeper than {MAX_OPTIONAL_DEPTH} levels"
                )));
            }
            stack.push(Vec::new());
            pos += 1;
        } else if cur == ']' {
            if stack.len() == 1 {
                return Err(err(
                    "Pattern invalid as it contains ] without previous [".to_owned()
                ));
            }
            let inner = stack.pop().unwrap_or_default();
            let top = stack.len() - 1;
            stack[top].push(Element::Optional(inner));
            pos += 1;
        } else if cur == '{' || cur == '}' || cur == '#' {
            return Err(err(format!("Pattern includes reserved character: '{cur}'")));
        } else {
            push_literal(&mut stack[top], &cur.to_string());
            pos += 1;
        }
    }
    while stack.len() > 1 {
        let inner = stack.pop().unwrap_or_default();
        let top = stack.len() - 1;
        stack[top].push(Element::Optional(inner));
    }
    let mut elements = stack.pop().unwrap_or_default();
    link_adjacent_values(&mut elements);
    Ok(elements)
}

fn push_literal(out: &mut Vec<Element>, text: &str) {
    if let Some(Element::Literal(prev)) = out.last_mut() {
        prev.push_str(text);
    } else {
        out.push(Element::Literal(text.to_owned()));
    }
}

fn number(field: Field, min: usize, max: usize, sign: SignStyle) -> Element {
    Element::Number {
        field,
        min,
        max,
        sign,
        subsequent: 0,
    }
}

fn value(field: Field, count: usize, cur: char, max_count: usize) -> Result<Element, TimeError> {
    match count {
        1 => Ok(number(field, 1, 19, SignStyle::Normal)),
        2 if max_count >= 2 => Ok(number(field, 2, 2, SignStyle::NotNegative)),
        _ => Err(TimeError::InvalidPattern(format!(
            "Too many pattern letters: {cur}"
        ))),
    }
}

fn text_style(count: usize) -> TextStyle {
    match count {
        4 => TextStyle::Full,
        5 => TextStyle::Narrow,
        _ => TextStyle::Short,
    }
}

/// One run of a pattern letter.
fn letter(out: &mut Vec<Element>, cur: char, count: usize) -> Result<(), TimeError> {
    let too_many = || TimeError::InvalidPattern(format!("Too many pattern letters: {cur}"));
    let element = match cur {
        'G' => match count {
            1..=5 => Element::Text {
                field: Field::Era,
                style: text_style(count),
            },
            _ => return Err(too_many()),
        },
        'y' | 'u' => {
            let field = if cur == 'y' {
                Field::YearOfEra
            } else {
                Field::Year
            };
            match count {
                2 => Element::Reduced { field },
                1 | 3 => number(field, count, 19, SignStyle::Normal),
                _ => number(field, count, 19, SignStyle::ExceedsPad),
            }
        }
        'Q' | 'q' => match count {
            1 => number(Field::QuarterOfYear, 1, 19, SignStyle::Normal),
            2 => number(Field::QuarterOfYear, 2, 2, SignStyle::NotNegative),
            _ => {
                return Err(TimeError::InvalidPattern(
                    "Quarter text is not supported".to_owned(),
                ));
            }
        },
        'M' | 'L' => match count {
            1 => number(Field::MonthOfYear, 1, 19, SignStyle::Normal),
            2 => number(Field::MonthOfYear, 2, 2, SignStyle::NotNegative),
            3..=5 => Element::Text {
                field: Field::MonthOfYear,
                style: text_style(count),
            },
            _ => return Err(too_many()),
        },
        'd' => value(Field::DayOfMonth, count, cur, 2)?,
        'D' => match count {
            1 => number(Field::DayOfYear, 1, 19, SignStyle::Normal),
            2 => number(Field::DayOfYear, 2, 3, SignStyle::NotNegative),
            3 => number(Field::DayOfYear, 3, 3, SignStyle::NotNegative),
            _ => return Err(too_many()),
        },
        'E' => match count {
            1..=5 => Element::Text {
                field: Field::DayOfWeek,
                style: text_style(count),
            },
            _ => return Err(too_many()),
        },
        'a' => match count {
            1 => Element::Text {
                field: Field::AmPmOfDay,
                style: TextStyle::Short,
            },
            _ => return Err(too_many()),
        },
        'H' => value(Field::HourOfDay, count, cur, 2)?,
        'k' => value(Field::ClockHourOfDay, count, cur, 2)?,
        'K' => value(Field::HourOfAmPm, count, cur, 2)?,
        'h' => value(Field::ClockHourOfAmPm, count, cur, 2)?,
        'm' => value(Field::MinuteOfHour, count, cur, 2)?,
        's' => value(Field::SecondOfMinute, count, cur, 2)?,
        'S' => Element::Fraction {
            min: count,
            max: count,
            decimal_point: false,
        },
        'n' => match count {
            1 => number(Field::NanoOfSecond, 1, 19, SignStyle::Normal),
            _ => number(Field::NanoOfSecond, count, 19, SignStyle::NotNegative),
        },
        'A' => match count {
            1 => number(Field::MilliOfDay, 1, 19, SignStyle::Normal),
            _ => number(Field::MilliOfDay, count, 19, SignStyle::NotNegative),
        },
        'N' => match count {
            1 => number(Field::NanoOfDay, 1, 19, SignStyle::Normal),
            _ => number(Field::NanoOfDay, count, 19, SignStyle::NotNegative),
        },
        'V' => {
            if count != 2 {
                return Err(TimeError::InvalidPattern(format!(
                    "Pattern letter count must be 2: {cur}"
                )));
            }
            Element::ZoneId
        }
        'z' => match count {
            1..=4 => Element::ZoneText,
            _ => return Err(too_many()),
        },
        'O' => match count {
            1 => Element::LocalizedOffset { full: false },
            4 => Element::LocalizedOffset { full: true },
            _ => {
                return Err(TimeError::InvalidPattern(format!(
                    "Pattern letter count must be 1 or 4: {cur}"
                )));
            }
        },
        'X' | 'x' => {
            let patterns = ["+HHmm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss"];
            let zeros = ["+00", "+0000", "+00:00", "+0000", "+00:00"];
            if count > 5 {
                return Err(too_many());
            }
            let no_offset = if cur == 'X' { "Z" } else { zeros[count - 1] };
            let pattern = if cur == 'x' && count == 1 {
                "+HHmm"
            } else {
                patterns[count - 1]
            };
            Element::Offset(OffsetPattern::new(pattern, no_offset))
        }
        'Z' => match count {
            1..=3 => Element::Offset(OffsetPattern::new("+HHMM", "+0000")),
            4 => Element::LocalizedOffset { full: true },
            5 => Element::Offset(OffsetPattern::new("+HH:MM:ss", "Z")),
            _ => return Err(too_many()),
        },
        'Y' => match count {
            2 => Element::Reduced {
                field: Field::WeekBasedYear,
            },
            1 | 3 => number(Field::WeekBasedYear, count, 19, SignStyle::Normal),
            _ => number(Field::WeekBasedYear, count, 19, SignStyle::ExceedsPad),
        },
        'w' => value(Field::WeekOfWeekBasedYear, count, cur, 2)?,
        'B' | 'e' | 'c' | 'F' | 'W' | 'g' => {
            return Err(TimeError::InvalidPattern(format!(
                "Pattern letter '{cur}' (week-based and localized fields) is not supported"
            )));
        }
        _ => {
            return Err(TimeError::InvalidPattern(format!(
                "Unknown pattern letter: {cur}"
            )));
        }
    };
    out.push(element);
    Ok(())
}

/// Java's adjacent value parsing: a number followed directly by fixed-width
/// numbers reserves their width so `yyyyMMdd` splits correctly.
pub(crate) fn link_adjacent_values(elements: &mut [Element]) {
    let mut active: Option<usize> = None;
    for i in 0..elements.len() {
        if let Element::Optional(inner) = &mut elements[i] {
            link_adjacent_values(inner);
            active = None;
            continue;
        }
        let (is_value, fixed) = match &elements[i] {
            Element::Number { min, max, sign, .. } => {
                (true, min == max && *sign == SignStyle::NotNegative)
            }
            Element::Reduced { .. } => (true, true),
            Element::Fraction {
                min,
                max,
                decimal_point,
            } => (min == max && !decimal_point, true),
            _ => (false, false),
        };
        if !is_value {
            active = None;
            continue;
        }
        match active {
            Some(base) if fixed => {
                let width = match &elements[i] {
                    Element::Number { max, .. } | Element::Fraction { max, .. } => *max as i32,
                    _ => 2,
                };
                if let Element::Number { subsequent, .. } = &mut elements[base] {
                    *subsequent = (*subsequent).max(0) + width;
                }
            }
            Some(base) => {
                if let Element::Number { subsequent, .. } = &mut elements[base] {
                    *subsequent = -1;
                }
                active = Some(i);
            }
            None => active = Some(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(p: &str) -> String {
        compile(p).err().map(|e| e.to_string()).unwrap_or_default()
    }

    /// 100 000 nested optional sections once overflowed the stack (while
    /// linking, parsing or freeing them); they are refused.
    #[test]
    fn optional_sections_nest_at_most_the_limit() {
        let nested = |n: usize| format!("{}yyyy{}", "[".repeat(n), "]".repeat(n));
        assert!(compile(&nested(MAX_OPTIONAL_DEPTH)).is_ok());
        for n in [MAX_OPTIONAL_DEPTH + 1, 100_000] {
            assert_eq!(
                err(&nested(n)),
                "Pattern nests optional sections deeper than 100 levels"
            );
        }
    }

    #[test]
    fn all_fields_are_listed_at_their_index() {
        for (i, field) in Field::ALL.iter().enumerate() {
            assert_eq!(*field as usize, i);
        }
    }

    #[test]
    fn pattern_errors_match_java() {
        assert_eq!(err("yyyy-MM-ddd"), "Too many pattern letters: d");
        assert_eq!(
            err("'T"),
            "Pattern ends with an incomplete string literal: 'T"
        );
        assert_eq!(
            err("HH]"),
            "Pattern invalid as it contains ] without previous ["
        );
        assert_eq!(err("#"), "Pattern includes reserved character: '#'");
        assert_eq!(err("j"), "Unknown pattern letter: j");
        assert_eq!(err("V"), "Pattern letter count must be 2: V");
    }

    #[test]
    fn literals_and_sections_compile() {
        let elements = compile("yyyy-MM-dd'T'HH[:mm]''").unwrap_or_default();
        assert_eq!(elements.len(), 9);
        assert!(matches!(elements[7], Element::Optional(_)));
        assert_eq!(elements[8], Element::Literal("'".into()));
    }

    #[test]
    fn adjacent_fixed_widths_are_reserved() {
        let elements = compile("yyyyMMdd").unwrap_or_default();
        assert!(matches!(elements[0], Element::Number { subsequent: 4, .. }));
    }
}
