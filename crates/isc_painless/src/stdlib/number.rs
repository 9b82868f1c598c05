//! `Number`, `Integer`, `Long`, `Double`, `Float`, `Boolean`, `Character`:
//! instance methods, parsing statics and constants.

use super::{Method, Recv, Static, arg, int_arg, str_arg};
use crate::ast::ExprKind;
use crate::error::ExceptionKind;
use crate::interp::{R, Thrown, ops};
use crate::types::Base;
use crate::value::Val;

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
            let radix = int_arg(&a, 1)?;
            parse_int(&a, radix as u32).map(Val::Int)
        }),
        s(BoxedInteger, "valueOf", 1, |_, a| match arg(&a, 0)? {
            Val::Str(_) => parse_int(&a, 10).map(Val::Int),
            _ => int_arg(&a, 0).map(Val::Int),
        }),
        s(BoxedInteger, "toString", 1, |_, a| {
            Ok(Val::string(int_arg(&a, 0)?.to_string()))
        }),
        s(BoxedInteger, "toHexString", 1, |_, a| {
            Ok(Val::string(format!("{:x}", int_arg(&a, 0)? as u32)))
        }),
        s(BoxedInteger, "compare", 2, |_, a| {
            Ok(Val::Int(int_arg(&a, 0)?.cmp(&int_arg(&a, 1)?) as i32))
        }),
        s(BoxedLong, "parseLong", 1, |_, a| {
            parse_long(&a).map(Val::Long)
        }),
        s(BoxedLong, "valueOf", 1, |_, a| match arg(&a, 0)? {
            Val::Str(_) => parse_long(&a).map(Val::Long),
            v => long_of(v).map(Val::Long),
        }),
        s(BoxedLong, "toString", 1, |_, a| {
            Ok(Val::string(long_of(arg(&a, 0)?)?.to_string()))
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

fn long_of(v: &Val<'_>) -> R<i64> {
    match ops::num(v) {
        Some(ops::Num::I(i)) => Ok(i64::from(i)),
        Some(ops::Num::L(l)) => Ok(l),
        _ => Err(super::cast_error(v, "java.lang.Long")),
    }
}

fn number_format(s: Option<&str>, radix: u32) -> Thrown {
    let msg = match s {
        None => "Cannot parse null string: null".to_owned(),
        Some(s) if radix == 10 => format!("For input string: \"{s}\""),
        Some(s) => format!("For input string: \"{s}\" under radix {radix}"),
    };
    Thrown::new(ExceptionKind::NumberFormat, msg)
}

fn java_int_text(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty()
}

fn parse_int(a: &[Val<'_>], radix: u32) -> R<i32> {
    let s = super::opt_str(a, 0)?;
    let Some(text) = s else {
        return Err(number_format(None, radix));
    };
    if !(2..=36).contains(&radix) || !java_int_text(text) {
        return Err(number_format(Some(text), radix));
    }
    i32::from_str_radix(text, radix).map_err(|_| number_format(Some(text), radix))
}

fn parse_long(a: &[Val<'_>]) -> R<i64> {
    let s = super::opt_str(a, 0)?;
    let Some(text) = s else {
        return Err(number_format(None, 10));
    };
    if !java_int_text(text) {
        return Err(number_format(Some(text), 10));
    }
    text.parse::<i64>()
        .map_err(|_| number_format(Some(text), 10))
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
