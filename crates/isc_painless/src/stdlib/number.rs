//! `Number`, `Integer`, `Long`, `Double`, `Float`, `Boolean`, `Character`:
//! instance methods, parsing statics and constants.

use super::{Method, Recv, Static, arg, int_arg, long_arg, str_arg};
use crate::ast::ExprKind;
use crate::error::ExceptionKind;
use crate::interp::{R, Thrown, ops};
use crate::types::Base;
use crate::value::Val;
use isc_value::java_number;

/// Number, Boolean and Character instance methods.
pub(crate) fn methods() -> Vec<Method> {
    let n = |name, arity, f| Method {
        recv: Recv::Number,
        name,
        arity,
        f,
    };
    vec![
        n("intValue", 0, |_, r, _| Ok(Val::Int(num(r).as_i32()))),
        n("longValue", 0, |_, r, _| Ok(Val::Long(num(r).as_i64()))),
        n("doubleValue", 0, |_, r, _| Ok(Val::Double(num(r).as_f64()))),
        n("floatValue", 0, |_, r, _| Ok(Val::Float(num(r).as_f32()))),
        n("byteValue", 0, |_, r, _| {
            Ok(Val::Byte(num(r).as_i32() as i8))
        }),
        n("shortValue", 0, |_, r, _| {
            Ok(Val::Short(num(r).as_i32() as i16))
        }),
        n("compareTo", 1, |_, r, a| {
            super::list::natural_order(r, arg(a, 0)?).map(|o| Val::Int(o as i32))
        }),
        n("isNaN", 0, |_, r, _| {
            Ok(Val::Bool(num(r).as_f64().is_nan()))
        }),
        Method {
            recv: Recv::Boolean,
            name: "booleanValue",
            arity: 0,
            f: |_, r, _| Ok(r.clone()),
        },
        Method {
            recv: Recv::Char,
            name: "charValue",
            arity: 0,
            f: |_, r, _| Ok(r.clone()),
        },
    ]
}

fn num(v: &Val<'_>) -> ops::Num {
    ops::num(v).unwrap_or(ops::Num::I(0))
}

/// Parsing and conversion statics.
pub(crate) fn statics() -> Vec<Static> {
    let s = |class, name, arity, f| Static {
        class,
        name,
        arity,
        f,
    };
    use Base::*;
    vec![
        s(BoxedInteger, "parseInt", 1, |_, a| {
            parse_int(&a, 10).map(Val::Int)
        }),
        s(BoxedInteger, "parseInt", 2, |_, a| {
            parse_int(&a, int_arg(&a, 1)?).map(Val::Int)
        }),
        s(BoxedInteger, "valueOf", 1, |_, a| match arg(&a, 0)? {
            Val::Str(_) => parse_int(&a, 10).map(Val::Int),
            _ => int_arg(&a, 0).map(Val::Int),
        }),
        s(BoxedInteger, "valueOf", 2, |_, a| {
            parse_int(&a, int_arg(&a, 1)?).map(Val::Int)
        }),
        s(BoxedInteger, "decode", 1, |_, a| {
            decode_int(&a).map(Val::Int)
        }),
        s(BoxedInteger, "toString", 1, |_, a| {
            Ok(Val::string(int_arg(&a, 0)?.to_string()))
        }),
        s(BoxedInteger, "toString", 2, |_, a| {
            Ok(Val::string(to_radix_string(
                i64::from(int_arg(&a, 0)?),
                int_arg(&a, 1)?,
            )))
        }),
        s(BoxedInteger, "toHexString", 1, |_, a| {
            Ok(Val::string(format!("{:x}", int_arg(&a, 0)? as u32)))
        }),
        s(BoxedInteger, "toOctalString", 1, |_, a| {
            Ok(Val::string(format!("{:o}", int_arg(&a, 0)? as u32)))
        }),
        s(BoxedInteger, "toBinaryString", 1, |_, a| {
            Ok(Val::string(format!("{:b}", int_arg(&a, 0)? as u32)))
        }),
        s(BoxedInteger, "compare", 2, |_, a| {
            Ok(Val::Int(int_arg(&a, 0)?.cmp(&int_arg(&a, 1)?) as i32))
        }),
        s(BoxedLong, "parseLong", 1, |_, a| {
            parse_long(&a, 10).map(Val::Long)
        }),
        s(BoxedLong, "parseLong", 2, |_, a| {
            parse_long(&a, int_arg(&a, 1)?).map(Val::Long)
        }),
        s(BoxedLong, "valueOf", 1, |_, a| match arg(&a, 0)? {
            Val::Str(_) => parse_long(&a, 10).map(Val::Long),
            _ => long_arg(&a, 0).map(Val::Long),
        }),
        s(BoxedLong, "valueOf", 2, |_, a| {
            parse_long(&a, int_arg(&a, 1)?).map(Val::Long)
        }),
        s(BoxedLong, "decode", 1, |_, a| {
            decode(&a, i64::MIN, i64::MAX).map(Val::Long)
        }),
        s(BoxedLong, "toString", 1, |_, a| {
            Ok(Val::string(long_arg(&a, 0)?.to_string()))
        }),
        s(BoxedLong, "toString", 2, |_, a| {
            Ok(Val::string(to_radix_string(
                long_arg(&a, 0)?,
                int_arg(&a, 1)?,
            )))
        }),
        s(BoxedLong, "toHexString", 1, |_, a| {
            Ok(Val::string(format!("{:x}", long_arg(&a, 0)? as u64)))
        }),
        s(BoxedLong, "toOctalString", 1, |_, a| {
            Ok(Val::string(format!("{:o}", long_arg(&a, 0)? as u64)))
        }),
        s(BoxedLong, "toBinaryString", 1, |_, a| {
            Ok(Val::string(format!("{:b}", long_arg(&a, 0)? as u64)))
        }),
        s(BoxedShort, "parseShort", 1, |_, a| parse_short(&a, 10)),
        s(BoxedShort, "parseShort", 2, |_, a| {
            parse_short(&a, int_arg(&a, 1)?)
        }),
        s(BoxedShort, "valueOf", 2, |_, a| {
            parse_short(&a, int_arg(&a, 1)?)
        }),
        s(BoxedShort, "decode", 1, |_, a| {
            decode_narrow(&a, SHORT).map(|n| Val::Short(n as i16))
        }),
        s(BoxedByte, "parseByte", 1, |_, a| parse_byte(&a, 10)),
        s(BoxedByte, "parseByte", 2, |_, a| {
            parse_byte(&a, int_arg(&a, 1)?)
        }),
        s(BoxedByte, "valueOf", 2, |_, a| {
            parse_byte(&a, int_arg(&a, 1)?)
        }),
        s(BoxedByte, "decode", 1, |_, a| {
            decode_narrow(&a, BYTE).map(|n| Val::Byte(n as i8))
        }),
        s(BoxedDouble, "parseDouble", 1, |_, a| {
            parse_double(&a).map(Val::Double)
        }),
        s(BoxedDouble, "valueOf", 1, |_, a| match arg(&a, 0)? {
            Val::Str(_) => parse_double(&a).map(Val::Double),
            v => Ok(Val::Double(super::f64_arg(std::slice::from_ref(v), 0)?)),
        }),
        s(BoxedDouble, "toString", 1, |_, a| {
            Ok(Val::string(isc_value::double_to_java_string(
                super::f64_arg(&a, 0)?,
            )))
        }),
        s(BoxedDouble, "isNaN", 1, |_, a| {
            Ok(Val::Bool(super::f64_arg(&a, 0)?.is_nan()))
        }),
        s(BoxedFloat, "parseFloat", 1, |_, a| {
            parse_double(&a).map(|d| Val::Float(d as f32))
        }),
        s(BoxedBoolean, "parseBoolean", 1, |_, a| {
            Ok(Val::Bool(
                matches!(arg(&a, 0)?, Val::Str(s) if s.as_str().eq_ignore_ascii_case("true")),
            ))
        }),
        s(BoxedBoolean, "valueOf", 1, |_, a| {
            Ok(Val::Bool(match arg(&a, 0)? {
                Val::Bool(b) => *b,
                Val::Str(s) => s.as_str().eq_ignore_ascii_case("true"),
                _ => false,
            }))
        }),
        s(BoxedCharacter, "isDigit", 1, |_, a| {
            char_test(&a, |c| c.is_ascii_digit() || c.is_numeric())
        }),
        s(BoxedCharacter, "isLetter", 1, |_, a| {
            char_test(&a, char::is_alphabetic)
        }),
        s(BoxedCharacter, "isLetterOrDigit", 1, |_, a| {
            char_test(&a, char::is_alphanumeric)
        }),
        s(BoxedCharacter, "isWhitespace", 1, |_, a| {
            char_test(&a, |c| c.is_whitespace() && c != '\u{a0}')
        }),
        s(BoxedCharacter, "isUpperCase", 1, |_, a| {
            char_test(&a, char::is_uppercase)
        }),
        s(BoxedCharacter, "isLowerCase", 1, |_, a| {
            char_test(&a, char::is_lowercase)
        }),
        s(BoxedCharacter, "toLowerCase", 1, |_, a| {
            char_map(&a, |c| c.to_lowercase().next().unwrap_or(c))
        }),
        s(BoxedCharacter, "toUpperCase", 1, |_, a| {
            char_map(&a, |c| c.to_uppercase().next().unwrap_or(c))
        }),
    ]
}

fn char_of(a: &[Val<'_>]) -> R<char> {
    let unit = match arg(a, 0)? {
        Val::Char(c) => u32::from(*c),
        _ => int_arg(a, 0)? as u32,
    };
    Ok(char::from_u32(unit).unwrap_or('\u{fffd}'))
}

fn char_test<'a>(a: &[Val<'a>], f: impl Fn(char) -> bool) -> R<Val<'a>> {
    Ok(Val::Bool(f(char_of(a)?)))
}

fn char_map<'a>(a: &[Val<'a>], f: impl Fn(char) -> char) -> R<Val<'a>> {
    let c = f(char_of(a)?);
    let mut buf = [0u16; 2];
    Ok(Val::Char(c.encode_utf16(&mut buf)[0]))
}

fn number_format(message: String) -> Thrown {
    Thrown::new(ExceptionKind::NumberFormat, message)
}

/// `Integer.parseInt(s, radix)`.
fn parse_int(a: &[Val<'_>], radix: i32) -> R<i32> {
    Ok(parse_in_range(a, radix, i32::MIN.into(), i32::MAX.into())? as i32)
}

/// `Long.parseLong(s, radix)`.
fn parse_long(a: &[Val<'_>], radix: i32) -> R<i64> {
    parse_in_range(a, radix, i64::MIN, i64::MAX)
}

/// [`java_number::parse_radix`] of the string argument; a null string
/// fails as Java's does, before the radix is looked at.
fn parse_in_range(a: &[Val<'_>], radix: i32, min: i64, max: i64) -> R<i64> {
    let Some(text) = super::opt_str(a, 0)? else {
        return Err(number_format("Cannot parse null string: null".to_owned()));
    };
    java_number::parse_radix(text, radix, min, max).map_err(number_format)
}

/// The range of a `short`.
const SHORT: (i64, i64) = (i16::MIN as i64, i16::MAX as i64);
/// The range of a `byte`.
const BYTE: (i64, i64) = (i8::MIN as i64, i8::MAX as i64);

/// `Short.parseShort(s, radix)`.
fn parse_short<'a>(a: &[Val<'_>], radix: i32) -> R<Val<'a>> {
    parse_narrow(a, radix, SHORT).map(|n| Val::Short(n as i16))
}

/// `Byte.parseByte(s, radix)`.
fn parse_byte<'a>(a: &[Val<'_>], radix: i32) -> R<Val<'a>> {
    parse_narrow(a, radix, BYTE).map(|n| Val::Byte(n as i8))
}

/// `Short.parseShort(s, radix)` and `Byte.parseByte(s, radix)`: parsed as
/// an `int`, then refused outside the `(min, max)` range with their own
/// message.
fn parse_narrow(a: &[Val<'_>], radix: i32, (min, max): (i64, i64)) -> R<i64> {
    let n = i64::from(parse_int(a, radix)?);
    if n < min || n > max {
        let text = super::opt_str(a, 0)?.unwrap_or_default();
        return Err(number_format(format!(
            "Value out of range. Value:\"{text}\" Radix:{radix}"
        )));
    }
    Ok(n)
}

/// `Integer.decode(s)`.
fn decode_int(a: &[Val<'_>]) -> R<i32> {
    Ok(decode(a, i32::MIN.into(), i32::MAX.into())? as i32)
}

/// [`java_number::decode`] of the string argument (`Long.decode`,
/// `Integer.decode`); null fails on Java's first call on it.
fn decode(a: &[Val<'_>], min: i64, max: i64) -> R<i64> {
    let Some(text) = super::opt_str(a, 0)? else {
        return Err(Thrown::new(
            ExceptionKind::NullPointer,
            "Cannot invoke \"String.isEmpty()\" because \"nm\" is null".to_owned(),
        ));
    };
    java_number::decode(text, min, max).map_err(number_format)
}

/// `Short.decode` and `Byte.decode`: `Integer.decode`, then refused
/// outside the `(min, max)` range.
fn decode_narrow(a: &[Val<'_>], (min, max): (i64, i64)) -> R<i64> {
    let n = i64::from(decode_int(a)?);
    if n < min || n > max {
        let text = super::opt_str(a, 0)?.unwrap_or_default();
        return Err(number_format(format!(
            "Value {n} out of range from input {text}"
        )));
    }
    Ok(n)
}

/// `Long.toString(i, radix)`: lower-case digits, a radix outside 2..=36
/// taken as 10.
fn to_radix_string(i: i64, radix: i32) -> String {
    let radix = if (2..=36).contains(&radix) {
        radix as u32
    } else {
        10
    };
    let mut magnitude = i.unsigned_abs();
    if magnitude == 0 {
        return "0".to_owned();
    }
    let mut digits = Vec::new();
    while magnitude > 0 {
        let d = (magnitude % u64::from(radix)) as u32;
        digits.push(char::from_digit(d, radix).unwrap_or('0'));
        magnitude /= u64::from(radix);
    }
    if i < 0 {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// Java `Double.parseDouble`: surrounding whitespace allowed, `NaN`,
/// `Infinity`, and `d`/`f` suffixes.
fn parse_double(a: &[Val<'_>]) -> R<f64> {
    let text = match arg(a, 0)? {
        Val::Null => {
            return Err(Thrown::new(
                ExceptionKind::NullPointer,
                "Cannot invoke \"String.trim()\" because \"in\" is null".to_owned(),
            ));
        }
        _ => str_arg(a, 0)?,
    };
    let t = text.trim_matches(|c: char| c <= ' ');
    let body = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    let unsigned = body.strip_prefix(['+', '-']).unwrap_or(body);
    let valid = unsigned == "NaN"
        || unsigned == "Infinity"
        || (!unsigned.is_empty()
            && unsigned
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
            && unsigned.chars().any(|c| c.is_ascii_digit()));
    let parsed = if unsigned == "Infinity" {
        Some(if body.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        })
    } else if unsigned == "NaN" {
        Some(f64::NAN)
    } else if valid {
        body.parse::<f64>().ok()
    } else {
        None
    };
    parsed.ok_or_else(|| {
        Thrown::new(
            ExceptionKind::NumberFormat,
            if t.is_empty() {
                "empty String".to_owned()
            } else {
                format!("For input string: \"{text}\"")
            },
        )
    })
}

/// `Integer.MAX_VALUE` and friends.
pub(crate) fn static_field(class: Base, name: &str) -> Option<ExprKind> {
    use Base::*;
    Some(match (class, name) {
        (BoxedInteger, "MAX_VALUE") => ExprKind::Int(i32::MAX),
        (BoxedInteger, "MIN_VALUE") => ExprKind::Int(i32::MIN),
        (BoxedLong, "MAX_VALUE") => ExprKind::Long(i64::MAX),
        (BoxedLong, "MIN_VALUE") => ExprKind::Long(i64::MIN),
        (BoxedDouble, "MAX_VALUE") => ExprKind::Double(f64::MAX),
        (BoxedDouble, "MIN_VALUE") => ExprKind::Double(f64::from_bits(1)),
        (BoxedDouble, "POSITIVE_INFINITY") => ExprKind::Double(f64::INFINITY),
        (BoxedDouble, "NEGATIVE_INFINITY") => ExprKind::Double(f64::NEG_INFINITY),
        (BoxedDouble, "NaN") => ExprKind::Double(f64::NAN),
        (BoxedFloat, "MAX_VALUE") => ExprKind::Float(f32::MAX),
        _ => return None,
    })
}
