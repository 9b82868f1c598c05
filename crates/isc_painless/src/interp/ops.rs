//! Operators with Painless `def` semantics (Elasticsearch's `DefMath`):
//! binary numeric promotion, wrapping overflow, integer division, string
//! concatenation, and the exceptions Java raises for bad operand types.

use crate::ast::{BinOp, UnaryOp};
use crate::error::ExceptionKind;
use crate::interp::{R, Thrown};
use crate::types::{Base, Ty};
use crate::value::{Str, Val, java_equals};

/// A number after unary promotion.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Num {
    I(i32),
    L(i64),
    F(f32),
    D(f64),
}

pub(crate) fn num(v: &Val<'_>) -> Option<Num> {
    Some(match *v {
        Val::Byte(b) => Num::I(i32::from(b)),
        Val::Short(s) => Num::I(i32::from(s)),
        Val::Char(c) => Num::I(i32::from(c)),
        Val::Int(i) => Num::I(i),
        Val::Long(l) => Num::L(l),
        Val::Float(f) => Num::F(f),
        Val::Double(d) => Num::D(d),
        _ => return None,
    })
}

impl Num {
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Num::I(i) => f64::from(i),
            Num::L(l) => l as f64,
            Num::F(f) => f64::from(f),
            Num::D(d) => d,
        }
    }
    pub(crate) fn as_f32(self) -> f32 {
        match self {
            Num::I(i) => i as f32,
            Num::L(l) => l as f32,
            Num::F(f) => f,
            Num::D(d) => d as f32,
        }
    }
    pub(crate) fn as_i64(self) -> i64 {
        match self {
            Num::I(i) => i64::from(i),
            Num::L(l) => l,
            Num::F(f) => f as i64,
            Num::D(d) => d as i64,
        }
    }
    pub(crate) fn as_i32(self) -> i32 {
        match self {
            Num::I(i) => i,
            Num::L(l) => l as i32,
            // Java's (int) of a float/double saturates like Rust's `as`.
            Num::F(f) => f as i32,
            Num::D(d) => d as i32,
        }
    }
}

/// The NullPointerException Java 17's helpful messages give when a
/// `DefMath` operator calls `getClass()` on a null operand.
pub(crate) fn null_operand(left: bool) -> Thrown {
    Thrown::new(
        ExceptionKind::NullPointer,
        format!(
            "Cannot invoke \"Object.getClass()\" because \"{}\" is null",
            if left { "leftObject" } else { "rightObject" }
        ),
    )
}

fn cannot_apply(op: &str, l: &Val<'_>, r: &Val<'_>) -> Thrown {
    if l.is_null() {
        return null_operand(true);
    }
    if r.is_null() {
        return null_operand(false);
    }
    Thrown::new(
        ExceptionKind::ClassCast,
        format!(
            "Cannot apply [{op}] operation to types [{}] and [{}].",
            l.class_name(),
            r.class_name()
        ),
    )
}

/// Evaluates a binary operator (not `&&`/`||`).
pub(crate) fn binary<'a>(op: BinOp, l: &Val<'a>, r: &Val<'a>) -> R<Val<'a>> {
    use BinOp::*;
    match op {
        Add => {
            if matches!(l, Val::Str(_)) || matches!(r, Val::Str(_)) {
                let mut s = l.to_java_string();
                r.write_java_string(&mut s);
                if s.len() > crate::interp::MAX_VALUE_SIZE {
                    return Err(crate::interp::out_of_memory());
                }
                return Ok(Val::string(s));
            }
            arith(op, l, r)
        }
        Sub | Mul | Div | Rem => arith(op, l, r),
        Shl | Shr | UShr => shift(op, l, r),
        BitAnd | BitOr | Xor => bitwise(op, l, r),
        Lt | Le | Gt | Ge => compare(op, l, r).map(Val::Bool),
        Eq => Ok(Val::Bool(painless_eq(l, r))),
        Ne => Ok(Val::Bool(!painless_eq(l, r))),
        RefEq => Ok(Val::Bool(ref_eq(l, r))),
        RefNe => Ok(Val::Bool(!ref_eq(l, r))),
        Find | Match => Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            "regex operators need a regex on the right".to_owned(),
        )),
    }
}

fn arith<'a>(op: BinOp, l: &Val<'a>, r: &Val<'a>) -> R<Val<'a>> {
    let (Some(a), Some(b)) = (num(l), num(r)) else {
        return Err(cannot_apply(op.symbol(), l, r));
    };
    let zero = || Thrown::new(ExceptionKind::Arithmetic, "/ by zero".to_owned());
    // `/` and `%` on int and long throw on a zero divisor (float and double
    // give NaN or infinity).
    let integer_division = !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul);
    Ok(match promote(a, b) {
        (Num::D(x), Num::D(y)) => Val::Double(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => x / y,
            _ => java_fmod(x, y),
        }),
        (Num::F(x), Num::F(y)) => Val::Float(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => x / y,
            _ => java_fmod(f64::from(x), f64::from(y)) as f32,
        }),
        (Num::L(_), Num::L(0)) if integer_division => return Err(zero()),
        (Num::L(x), Num::L(y)) => Val::Long(match op {
            BinOp::Add => x.wrapping_add(y),
            BinOp::Sub => x.wrapping_sub(y),
            BinOp::Mul => x.wrapping_mul(y),
            BinOp::Div => x.wrapping_div(y),
            _ => x.wrapping_rem(y),
        }),
        (Num::I(_), Num::I(0)) if integer_division => return Err(zero()),
        (Num::I(x), Num::I(y)) => Val::Int(match op {
            BinOp::Add => x.wrapping_add(y),
            BinOp::Sub => x.wrapping_sub(y),
            BinOp::Mul => x.wrapping_mul(y),
            BinOp::Div => x.wrapping_div(y),
            _ => x.wrapping_rem(y),
        }),
        _ => return Err(cannot_apply(op.symbol(), l, r)),
    })
}

/// Java's `%` on doubles (sign of the dividend).
fn java_fmod(x: f64, y: f64) -> f64 {
    x % y
}

/// Binary numeric promotion: both operands to the wider type.
pub(crate) fn promote(a: Num, b: Num) -> (Num, Num) {
    match (a, b) {
        (Num::D(_), _) | (_, Num::D(_)) => (Num::D(a.as_f64()), Num::D(b.as_f64())),
        (Num::F(_), _) | (_, Num::F(_)) => (Num::F(a.as_f32()), Num::F(b.as_f32())),
        (Num::L(_), _) | (_, Num::L(_)) => (Num::L(a.as_i64()), Num::L(b.as_i64())),
        _ => (a, b),
    }
}

fn shift<'a>(op: BinOp, l: &Val<'a>, r: &Val<'a>) -> R<Val<'a>> {
    let (Some(a), Some(b)) = (num(l), num(r)) else {
        return Err(cannot_apply(op.symbol(), l, r));
    };
    let dist = match b {
        Num::I(i) => i64::from(i),
        Num::L(l) => l,
        _ => return Err(cannot_apply(op.symbol(), l, r)),
    };
    Ok(match a {
        Num::I(x) => {
            let d = (dist & 31) as u32;
            Val::Int(match op {
                BinOp::Shl => x.wrapping_shl(d),
                BinOp::Shr => x.wrapping_shr(d),
                _ => ((x as u32) >> d) as i32,
            })
        }
        Num::L(x) => {
            let d = (dist & 63) as u32;
            Val::Long(match op {
                BinOp::Shl => x.wrapping_shl(d),
                BinOp::Shr => x.wrapping_shr(d),
                _ => ((x as u64) >> d) as i64,
            })
        }
        _ => return Err(cannot_apply(op.symbol(), l, r)),
    })
}

fn bitwise<'a>(op: BinOp, l: &Val<'a>, r: &Val<'a>) -> R<Val<'a>> {
    if let (Val::Bool(a), Val::Bool(b)) = (l, r) {
        return Ok(Val::Bool(match op {
            BinOp::BitAnd => a & b,
            BinOp::BitOr => a | b,
            _ => a ^ b,
        }));
    }
    let (Some(a), Some(b)) = (num(l), num(r)) else {
        return Err(cannot_apply(op.symbol(), l, r));
    };
    Ok(match promote(a, b) {
        (Num::I(x), Num::I(y)) => Val::Int(match op {
            BinOp::BitAnd => x & y,
            BinOp::BitOr => x | y,
            _ => x ^ y,
        }),
        (Num::L(x), Num::L(y)) => Val::Long(match op {
            BinOp::BitAnd => x & y,
            BinOp::BitOr => x | y,
            _ => x ^ y,
        }),
        _ => return Err(cannot_apply(op.symbol(), l, r)),
    })
}

fn compare(op: BinOp, l: &Val<'_>, r: &Val<'_>) -> R<bool> {
    let (Some(a), Some(b)) = (num(l), num(r)) else {
        return Err(cannot_apply(op.symbol(), l, r));
    };
    let ord = match promote(a, b) {
        (Num::I(x), Num::I(y)) => x.partial_cmp(&y),
        (Num::L(x), Num::L(y)) => x.partial_cmp(&y),
        (x, y) => x.as_f64().partial_cmp(&y.as_f64()),
    };
    use std::cmp::Ordering::*;
    Ok(match (op, ord) {
        (_, None) => false,
        (BinOp::Lt, Some(o)) => o == Less,
        (BinOp::Le, Some(o)) => o != Greater,
        (BinOp::Gt, Some(o)) => o == Greater,
        _ => ord != Some(Less),
    })
}

/// Painless `==`: numbers compare by value across types, everything else
/// by `equals`.
pub(crate) fn painless_eq<'a>(l: &Val<'a>, r: &Val<'a>) -> bool {
    if let (Some(a), Some(b)) = (num(l), num(r)) {
        return match promote(a, b) {
            (Num::I(x), Num::I(y)) => x == y,
            (Num::L(x), Num::L(y)) => x == y,
            (x, y) => x.as_f64() == y.as_f64(),
        };
    }
    java_equals(l, r)
}

fn ref_eq<'a>(l: &Val<'a>, r: &Val<'a>) -> bool {
    match (l, r) {
        (Val::Map(a), Val::Map(b)) | (Val::Set(a), Val::Set(b)) => {
            crate::shared::Shared::ptr_eq(a, b)
        }
        (Val::List(a), Val::List(b)) => crate::shared::Shared::ptr_eq(a, b),
        (Val::DocMap(a), Val::DocMap(b)) => std::ptr::eq(*a, *b),
        _ => painless_eq(l, r) && l.class_name() == r.class_name(),
    }
}

/// Unary operators.
pub(crate) fn unary<'a>(op: UnaryOp, v: &Val<'a>) -> R<Val<'a>> {
    match op {
        UnaryOp::Not => Ok(Val::Bool(!to_bool(v)?)),
        UnaryOp::Neg | UnaryOp::Plus | UnaryOp::BitNot => {
            let Some(n) = num(v) else {
                if v.is_null() {
                    return Err(Thrown::new(
                        ExceptionKind::NullPointer,
                        "Cannot invoke \"Object.getClass()\" because \"unary\" is null".to_owned(),
                    ));
                }
                let sym = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Plus => "+",
                    _ => "~",
                };
                return Err(Thrown::new(
                    ExceptionKind::ClassCast,
                    format!(
                        "Cannot apply [{sym}] operation to type [{}].",
                        v.class_name()
                    ),
                ));
            };
            Ok(match (op, n) {
                (UnaryOp::Neg, Num::I(i)) => Val::Int(i.wrapping_neg()),
                (UnaryOp::Neg, Num::L(l)) => Val::Long(l.wrapping_neg()),
                (UnaryOp::Neg, Num::F(f)) => Val::Float(-f),
                (UnaryOp::Neg, Num::D(d)) => Val::Double(-d),
                (UnaryOp::Plus, Num::I(i)) => Val::Int(i),
                (UnaryOp::Plus, Num::L(l)) => Val::Long(l),
                (UnaryOp::Plus, Num::F(f)) => Val::Float(f),
                (UnaryOp::Plus, Num::D(d)) => Val::Double(d),
                (_, Num::I(i)) => Val::Int(!i),
                (_, Num::L(l)) => Val::Long(!l),
                _ => {
                    return Err(Thrown::new(
                        ExceptionKind::ClassCast,
                        format!("Cannot apply [~] operation to type [{}].", v.class_name()),
                    ));
                }
            })
        }
    }
}

/// `def` to `boolean` (conditions, `!`, `&&`, `||`).
pub(crate) fn to_bool(v: &Val<'_>) -> R<bool> {
    match v {
        Val::Bool(b) => Ok(*b),
        Val::Null => Err(null_value()),
        other => Err(Thrown::new(
            ExceptionKind::ClassCast,
            format!("cannot cast def [{}] to boolean", other.unboxed_name()),
        )),
    }
}

fn null_value() -> Thrown {
    Thrown::new(
        ExceptionKind::NullPointer,
        "Cannot invoke \"Object.getClass()\" because \"value\" is null".to_owned(),
    )
}

/// `x + 1` / `x - 1` for `++`/`--`, keeping the type.
pub(crate) fn step<'a>(v: &Val<'a>, increment: bool) -> R<Val<'a>> {
    let d: i32 = if increment { 1 } else { -1 };
    Ok(match *v {
        Val::Byte(b) => Val::Byte(b.wrapping_add(d as i8)),
        Val::Short(s) => Val::Short(s.wrapping_add(d as i16)),
        Val::Char(c) => Val::Char(c.wrapping_add(d as u16)),
        Val::Int(i) => Val::Int(i.wrapping_add(d)),
        Val::Long(l) => Val::Long(l.wrapping_add(i64::from(d))),
        Val::Float(f) => Val::Float(f + d as f32),
        Val::Double(x) => Val::Double(x + f64::from(d)),
        _ => {
            return binary(
                if increment { BinOp::Add } else { BinOp::Sub },
                v,
                &Val::Int(1),
            );
        }
    })
}

fn java_cast_message(v: &Val<'_>, target: &str) -> Thrown {
    let from = v.class_name();
    Thrown::new(
        ExceptionKind::ClassCast,
        format!(
            "class {from} cannot be cast to class {target} ({from} and {target} are in module java.base of loader 'bootstrap')"
        ),
    )
}

/// Whether `v` is an instance of `ty` (Java `instanceof`; false for null).
pub(crate) fn instance_of(v: &Val<'_>, ty: Ty) -> bool {
    use Base as B;
    if v.is_null() {
        return false;
    }
    if ty.dims > 0 {
        return matches!(v, Val::Array(_, b) if ty.dims == 1 && (*b == ty.base || ty.base == B::Object || ty.base == B::Def));
    }
    let is_list = matches!(v, Val::List(_) | Val::DocList(_));
    let is_set = matches!(v, Val::Set(_) | Val::View(..) | Val::DocView(..));
    match ty.base {
        B::Def | B::Object => true,
        B::String | B::CharSequence => {
            matches!(v, Val::Str(_)) || (ty.base == B::CharSequence && matches!(v, Val::Builder(_)))
        }
        B::Map => matches!(v, Val::Map(_) | Val::DocMap(_)),
        B::HashMap => matches!(v, Val::Map(m) if m.is_pending() || !m.borrow().sorted),
        B::LinkedHashMap => matches!(v, Val::Map(m) if m.borrow().linked),
        B::LinkedHashSet => matches!(v, Val::Set(s) if s.borrow().linked),
        B::TreeMap => matches!(v, Val::Map(m) if !m.is_pending() && m.borrow().sorted),
        B::TreeSet => matches!(v, Val::Set(s) if s.borrow().sorted),
        B::List => is_list,
        B::ArrayList => matches!(v, Val::List(_)),
        B::Set => {
            is_set
                && !matches!(
                    v,
                    Val::View(_, crate::value::ViewKind::Values)
                        | Val::DocView(_, crate::value::ViewKind::Values)
                )
        }
        B::HashSet => matches!(v, Val::Set(s) if !s.borrow().sorted),
        B::Collection | B::Iterable => is_list || is_set,
        // The classes the script's containers are: `ArrayList`, `HashMap`
        // (and `ctx`, a `CtxMap`), `HashSet` and the key, entry and value
        // views of maps all extend these; a condition's read-only document
        // (`UnmodifiableIngestData`/`List`) and the unmodifiable `params`
        // map implement the interfaces only. No value here is a linked list
        // or a queue.
        B::AbstractList => matches!(v, Val::List(_)),
        // Only `params` is frozen, and it is never left in document form:
        // a map still in that form is not opened to ask.
        B::AbstractMap => matches!(v, Val::Map(m) if m.is_pending() || !m.borrow().frozen),
        B::AbstractSet => {
            matches!(v, Val::Set(_))
                || matches!(v, Val::View(_, kind) if *kind != crate::value::ViewKind::Values)
        }
        B::AbstractCollection => matches!(v, Val::List(_) | Val::Set(_) | Val::View(..)),
        B::AbstractSequentialList | B::AbstractQueue => false,
        B::Cidr => matches!(v, Val::Cidr(_)),
        B::Instant | B::ZonedDateTime | B::ZoneId | B::ZoneOffset | B::Duration | B::ChronoUnit => {
            matches!(v, Val::Time(t) if t.is_a(ty.base))
        }
        B::Number => v.is_number(),
        B::Int | B::BoxedInteger => matches!(v, Val::Int(_)),
        B::Long | B::BoxedLong => matches!(v, Val::Long(_)),
        B::Double | B::BoxedDouble => matches!(v, Val::Double(_)),
        B::Float | B::BoxedFloat => matches!(v, Val::Float(_)),
        B::Short | B::BoxedShort => matches!(v, Val::Short(_)),
        B::Byte | B::BoxedByte => matches!(v, Val::Byte(_)),
        B::Boolean | B::BoxedBoolean => matches!(v, Val::Bool(_)),
        B::Char | B::BoxedCharacter => matches!(v, Val::Char(_)),
        B::StringBuilder => matches!(v, Val::Builder(_)),
        B::StringTokenizer => matches!(v, Val::Tokenizer(_)),
        B::Pattern => matches!(v, Val::Pattern(_)),
        B::Matcher => matches!(v, Val::Matcher(_)),
        B::MapEntry => matches!(v, Val::Entry(_)),
        B::Iterator => matches!(v, Val::Iter(_)),
        B::Stream => matches!(v, Val::Stream(_)),
        B::Exception(k) => matches!(v, Val::Exception(e) if e.0.caught_by(k)),
        _ => false,
    }
}

/// Converts for a store into a variable of type `ty` (implicit: widening
/// only) or for a cast (explicit: narrowing allowed).
pub(crate) fn convert<'a>(v: Val<'a>, ty: Ty, explicit: bool) -> R<Val<'a>> {
    if already(&v, ty) {
        return Ok(v);
    }
    convert_checked(v, ty, explicit)
}

/// [`convert`] without the shortcut for values already of the type.
fn convert_checked<'a>(v: Val<'a>, ty: Ty, explicit: bool) -> R<Val<'a>> {
    use Base as B;
    if ty.is_def() {
        return Ok(v);
    }
    if ty.dims == 0 && ty.base.is_primitive() {
        if v.is_null() {
            return Err(null_value());
        }
        let how = if explicit {
            "explicitly "
        } else {
            "implicitly "
        };
        let fail = |v: &Val<'_>| {
            Thrown::new(
                ExceptionKind::ClassCast,
                if ty.base == B::Boolean {
                    format!("cannot cast def [{}] to boolean", v.unboxed_name())
                } else {
                    format!(
                        "cannot {how}cast def [{}] to {}",
                        v.unboxed_name(),
                        ty.base.canonical_name()
                    )
                },
            )
        };
        if ty.base == B::Boolean {
            return match v {
                Val::Bool(_) => Ok(v),
                _ => Err(fail(&v)),
            };
        }
        if ty.base == B::Char {
            if let Val::Str(s) = &v {
                let units: Vec<u16> = s.as_str().encode_utf16().collect();
                if explicit && units.len() == 1 {
                    return Ok(Val::Char(units[0]));
                }
                return Err(fail(&v));
            }
        }
        let Some(n) = num(&v) else {
            return Err(fail(&v));
        };
        // Implicit conversions only widen.
        if !explicit {
            let rank = |b: B| match b {
                B::Byte => 1,
                B::Short | B::Char => 2,
                B::Int => 3,
                B::Long => 4,
                B::Float => 5,
                _ => 6,
            };
            let from = match v {
                Val::Byte(_) => B::Byte,
                Val::Short(_) => B::Short,
                Val::Char(_) => B::Char,
                Val::Int(_) => B::Int,
                Val::Long(_) => B::Long,
                Val::Float(_) => B::Float,
                _ => B::Double,
            };
            let ok = if from == ty.base {
                true
            } else if ty.base == B::Char || from == B::Char && ty.base == B::Short {
                false
            } else {
                rank(from) < rank(ty.base) && !(ty.base == B::Short && from != B::Byte)
            };
            if !ok {
                return Err(fail(&v));
            }
        }
        return Ok(match ty.base {
            B::Byte => Val::Byte(n.as_i32() as i8),
            B::Short => Val::Short(n.as_i32() as i16),
            B::Char => Val::Char(n.as_i32() as u16),
            B::Int => Val::Int(n.as_i32()),
            B::Long => Val::Long(n.as_i64()),
            B::Float => Val::Float(n.as_f32()),
            _ => Val::Double(n.as_f64()),
        });
    }
    if v.is_null() {
        return Ok(v);
    }
    // Boxed targets accept their primitive (and, implicitly, narrower ints).
    let boxed = match ty.base {
        B::BoxedInteger => Some(B::Int),
        B::BoxedLong => Some(B::Long),
        B::BoxedDouble => Some(B::Double),
        B::BoxedFloat => Some(B::Float),
        B::BoxedShort => Some(B::Short),
        B::BoxedByte => Some(B::Byte),
        B::BoxedBoolean => Some(B::Boolean),
        B::BoxedCharacter => Some(B::Char),
        _ => None,
    };
    if let (Some(p), 0) = (boxed, ty.dims) {
        if instance_of(&v, Ty::of(p)) {
            return Ok(v);
        }
        return Err(java_cast_message(&v, ty.base.canonical_name()));
    }
    if instance_of(&v, ty) {
        return Ok(v);
    }
    if ty.base == B::String && ty.dims == 0 {
        if let Val::Char(c) = v {
            return Ok(Val::Str(Str::Owned(std::rc::Rc::from(
                crate::value::char_string(c).as_str(),
            ))));
        }
    }
    Err(java_cast_message(&v, ty.base.canonical_name()))
}

/// Whether `v` is already of type `ty` in the common cases (`def`, a
/// primitive of its own type, a string for `String`), where the full
/// conversion gives it back unchanged.
fn already(v: &Val<'_>, ty: Ty) -> bool {
    use Base as B;
    ty.is_def()
        || ty.dims == 0
            && matches!(
                (v, ty.base),
                (Val::Int(_), B::Int)
                    | (Val::Long(_), B::Long)
                    | (Val::Double(_), B::Double)
                    | (Val::Bool(_), B::Boolean)
                    | (Val::Str(_), B::String)
            )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_already_of_the_type_convert_to_themselves() {
        let cases = [
            (Val::Int(-3), Base::Int),
            (Val::Long(1 << 40), Base::Long),
            (Val::Double(-0.0), Base::Double),
            (Val::Double(f64::NAN), Base::Double),
            (Val::Bool(true), Base::Boolean),
            (Val::str("x"), Base::String),
            (Val::Long(7), Base::Def),
        ];
        for (v, base) in cases {
            assert!(already(&v, Ty::of(base)));
            for explicit in [false, true] {
                // The shortcut skips what the full conversion would give.
                let converted = convert_checked(v.clone(), Ty::of(base), explicit).unwrap();
                assert_eq!(converted.to_value(), v.to_value());
                assert_eq!(converted.class_name(), v.class_name());
            }
        }
        assert!(!already(&Val::Int(1), Ty::of(Base::Long)));
        assert!(!already(
            &Val::str("x"),
            Ty {
                base: Base::String,
                dims: 1
            }
        ));
    }

    #[test]
    fn int_overflow_wraps_and_division_truncates() {
        let v = binary(BinOp::Add, &Val::Int(i32::MAX), &Val::Int(1)).unwrap();
        assert!(matches!(v, Val::Int(i32::MIN)));
        let v = binary(BinOp::Div, &Val::Int(7), &Val::Int(2)).unwrap();
        assert!(matches!(v, Val::Int(3)));
        let v = binary(BinOp::Div, &Val::Int(-7), &Val::Int(2)).unwrap();
        assert!(matches!(v, Val::Int(-3)));
    }

    #[test]
    fn division_by_zero_is_arithmetic_exception() {
        let e = binary(BinOp::Rem, &Val::Long(1), &Val::Int(0)).unwrap_err();
        assert_eq!(e.kind, ExceptionKind::Arithmetic);
        assert_eq!(e.message, "/ by zero");
        let e = binary(BinOp::Div, &Val::Int(1), &Val::Int(0)).unwrap_err();
        assert_eq!(e.kind, ExceptionKind::Arithmetic);
        assert!(matches!(
            binary(BinOp::Mul, &Val::Int(3), &Val::Int(0)).unwrap(),
            Val::Int(0)
        ));
        assert!(
            matches!(binary(BinOp::Div, &Val::Double(1.0), &Val::Int(0)).unwrap(), Val::Double(d) if d.is_infinite())
        );
    }

    #[test]
    fn equality_promotes_numbers() {
        assert!(painless_eq(&Val::Int(1), &Val::Long(1)));
        assert!(painless_eq(&Val::Int(1), &Val::Double(1.0)));
        assert!(!painless_eq(&Val::Int(1), &Val::str("1")));
    }

    #[test]
    fn implicit_conversion_only_widens() {
        assert!(matches!(
            convert(Val::Int(1), Ty::of(Base::Double), false).unwrap(),
            Val::Double(_)
        ));
        let e = convert(Val::Long(1), Ty::of(Base::Int), false).unwrap_err();
        assert_eq!(e.message, "cannot implicitly cast def [long] to int");
        assert!(matches!(
            convert(Val::Long(1), Ty::of(Base::Int), true).unwrap(),
            Val::Int(1)
        ));
    }
}
