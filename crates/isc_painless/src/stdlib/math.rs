//! `java.lang.Math` statics and constants.

use super::{Static, arg, f64_arg};
use crate::ast::ExprKind;
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown, ops};
use crate::types::Base;
use crate::value::Val;

/// Math statics.
pub(crate) fn statics() -> Vec<Static> {
    let s = |name, arity, f| Static {
        class: Base::Math,
        name,
        arity,
        f,
    };
    vec![
        s("abs", 1, abs),
        s("max", 2, max),
        s("min", 2, min),
        s("pow", 2, |_, a| {
            Ok(Val::Double(f64_arg(&a, 0)?.powf(f64_arg(&a, 1)?)))
        }),
        s("sqrt", 1, |_, a| Ok(Val::Double(f64_arg(&a, 0)?.sqrt()))),
        s("cbrt", 1, |_, a| Ok(Val::Double(f64_arg(&a, 0)?.cbrt()))),
        s("floor", 1, |_, a| Ok(Val::Double(f64_arg(&a, 0)?.floor()))),
        s("ceil", 1, |_, a| Ok(Val::Double(f64_arg(&a, 0)?.ceil()))),
        s("round", 1, round),
        s("log", 1, |_, a| Ok(Val::Double(f64_arg(&a, 0)?.ln()))),
        s("log10", 1, |_, a| Ok(Val::Double(f64_arg(&a, 0)?.log10()))),
        s("exp", 1, |_, a| Ok(Val::Double(f64_arg(&a, 0)?.exp()))),
        s("signum", 1, |_, a| {
            let d = f64_arg(&a, 0)?;
            Ok(Val::Double(if d == 0.0 || d.is_nan() {
                d
            } else {
                d.signum()
            }))
        }),
        s("floorDiv", 2, floor_div),
        s("floorMod", 2, floor_mod),
    ]
}

fn abs<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(match ops::num(arg(&a, 0)?) {
        Some(ops::Num::I(i)) => Val::Int(i.wrapping_abs()),
        Some(ops::Num::L(l)) => Val::Long(l.wrapping_abs()),
        Some(ops::Num::F(f)) => Val::Float(f.abs()),
        _ => Val::Double(f64_arg(&a, 0)?.abs()),
    })
}

fn pick<'a>(a: &[Val<'a>], want_max: bool) -> R<Val<'a>> {
    let (Some(x), Some(y)) = (ops::num(arg(a, 0)?), ops::num(arg(a, 1)?)) else {
        return Err(Thrown::new(ExceptionKind::NullPointer, String::new()));
    };
    Ok(match ops::promote(x, y) {
        (ops::Num::I(p), ops::Num::I(q)) => Val::Int(if want_max { p.max(q) } else { p.min(q) }),
        (ops::Num::L(p), ops::Num::L(q)) => Val::Long(if want_max { p.max(q) } else { p.min(q) }),
        (ops::Num::F(p), ops::Num::F(q)) => {
            Val::Float(java_pick(f64::from(p), f64::from(q), want_max) as f32)
        }
        (p, q) => Val::Double(java_pick(p.as_f64(), q.as_f64(), want_max)),
    })
}

/// `Math.max`/`min` on doubles: NaN wins, `-0.0 < 0.0`.
fn java_pick(p: f64, q: f64, want_max: bool) -> f64 {
    if p.is_nan() || q.is_nan() {
        return f64::NAN;
    }
    if p == q {
        return if want_max == p.is_sign_negative() {
            q
        } else {
            p
        };
    }
    if (p > q) == want_max { p } else { q }
}

fn max<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    pick(&a, true)
}

fn min<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    pick(&a, false)
}

fn round<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(match ops::num(arg(&a, 0)?) {
        Some(ops::Num::F(f)) => Val::Int((f64::from(f) + 0.5).floor() as i32),
        _ => {
            let d = f64_arg(&a, 0)?;
            Val::Long(if d.is_nan() {
                0
            } else {
                (d + 0.5).floor() as i64
            })
        }
    })
}

/// `Math.floorDiv(x, y)`: the quotient rounded towards negative infinity.
fn floor_div<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    // Wrapping, as Java's `long` division: floorDiv(Long.MIN_VALUE, -1) is
    // Long.MIN_VALUE, where Rust's `/` and `%` would panic on the overflow.
    floor_op(&a, |x, y| {
        x.wrapping_div(y) - i64::from((x.wrapping_rem(y) != 0) && ((x < 0) != (y < 0)))
    })
}

/// `Math.floorMod(x, y)`: the remainder with the sign of `y`.
fn floor_mod<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    floor_op(&a, |x, y| {
        let rem = x.wrapping_rem(y);
        if rem != 0 && ((rem ^ y) < 0) {
            rem + y
        } else {
            rem
        }
    })
}

/// What `floorDiv` and `floorMod` share: both operands as `long`, `/ by zero`
/// for a zero divisor, an `int` result unless an operand was a `long`.
fn floor_op<'a>(a: &[Val<'a>], op: fn(i64, i64) -> i64) -> R<Val<'a>> {
    let (Some(x), Some(y)) = (ops::num(arg(a, 0)?), ops::num(arg(a, 1)?)) else {
        return Err(Thrown::new(ExceptionKind::NullPointer, String::new()));
    };
    let long = matches!(x, ops::Num::L(_)) || matches!(y, ops::Num::L(_));
    let (x, y) = (x.as_i64(), y.as_i64());
    if y == 0 {
        return Err(Thrown::new(
            ExceptionKind::Arithmetic,
            "/ by zero".to_owned(),
        ));
    }
    let result = op(x, y);
    Ok(if long {
        Val::Long(result)
    } else {
        Val::Int(result as i32)
    })
}

/// `Math.PI`, `Math.E`.
pub(crate) fn static_field(class: Base, name: &str) -> Option<ExprKind> {
    match (class, name) {
        (Base::Math, "PI") => Some(ExprKind::Double(std::f64::consts::PI)),
        (Base::Math, "E") => Some(ExprKind::Double(std::f64::consts::E)),
        _ => None,
    }
}
