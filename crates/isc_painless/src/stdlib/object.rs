//! Methods every object has (`equals`, `hashCode`, `toString`), exceptions
//! (`new IllegalArgumentException(msg)`, `getMessage()`), `StringBuilder`
//! construction and the `Objects` statics.

use std::cell::RefCell;
use std::rc::Rc;

use super::{Constructor, Method, Recv, Static, arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::types::Base;
use crate::value::{Val, java_equals};

/// Object and exception methods.
pub(crate) fn methods() -> Vec<Method> {
    let o = |name, arity, f| Method {
        recv: Recv::Object,
        name,
        arity,
        f,
    };
    let e = |name, arity, f| Method {
        recv: Recv::Exception,
        name,
        arity,
        f,
    };
    vec![
        e("getMessage", 0, message),
        e("getLocalizedMessage", 0, message),
        o("equals", 1, |_, r, a| {
            Ok(Val::Bool(java_equals(r, arg(a, 0)?)))
        }),
        o("toString", 0, |_, r, _| Ok(Val::string(r.to_java_string()))),
        o("hashCode", 0, |_, r, _| Ok(Val::Int(hash_code(r)))),
    ]
}

fn message<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    match recv {
        Val::Exception(e) if !e.1.is_empty() => Ok(Val::str(&e.1)),
        _ => Ok(Val::Null),
    }
}

/// Java `hashCode()` for the values that have a well-defined one.
fn hash_code(v: &Val<'_>) -> i32 {
    if let Some(k) = v.to_key() {
        return k.java_hash();
    }
    match v {
        Val::List(_) | Val::DocList(_) => crate::value::seq_items(v)
            .unwrap_or_default()
            .iter()
            .fold(1i32, |h, x| {
                h.wrapping_mul(31)
                    .wrapping_add(crate::value::deeper(|| hash_code(x)))
            }),
        _ => 0,
    }
}

/// `Objects` statics.
pub(crate) fn statics() -> Vec<Static> {
    let s = |name, arity, f| Static {
        class: Base::Objects,
        name,
        arity,
        f,
    };
    vec![
        s("equals", 2, |_, a| {
            Ok(Val::Bool(java_equals(arg(&a, 0)?, arg(&a, 1)?)))
        }),
        s("isNull", 1, |_, a| Ok(Val::Bool(arg(&a, 0)?.is_null()))),
        s("nonNull", 1, |_, a| Ok(Val::Bool(!arg(&a, 0)?.is_null()))),
        s("toString", 1, |_, a| {
            Ok(Val::string(arg(&a, 0)?.to_java_string()))
        }),
        s("toString", 2, |_, a| {
            Ok(if arg(&a, 0)?.is_null() {
                Val::string(arg(&a, 1)?.to_java_string())
            } else {
                Val::string(arg(&a, 0)?.to_java_string())
            })
        }),
        s("requireNonNull", 1, |_, a| {
            if arg(&a, 0)?.is_null() {
                return Err(Thrown::new(ExceptionKind::NullPointer, String::new()));
            }
            Ok(arg(&a, 0)?.clone())
        }),
        s("hashCode", 1, |_, a| {
            Ok(Val::Int(if arg(&a, 0)?.is_null() {
                0
            } else {
                hash_code(arg(&a, 0)?)
            }))
        }),
    ]
}

fn new_builder<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let init = match args.first() {
        None | Some(Val::Int(_)) => String::new(),
        Some(v) => v.to_java_text()?,
    };
    Ok(Val::Builder(Rc::new(RefCell::new(init))))
}

macro_rules! exception_ctor {
    ($name:ident, $kind:expr) => {
        fn $name<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
            let msg = match args.first() {
                None | Some(Val::Null) => String::new(),
                Some(v) => v.to_java_text()?,
            };
            Ok(Val::Exception(Rc::new(($kind, msg))))
        }
    };
}

exception_ctor!(new_iae, ExceptionKind::IllegalArgument);
exception_ctor!(new_ise, ExceptionKind::IllegalState);
exception_ctor!(new_exception, ExceptionKind::Exception);
exception_ctor!(new_runtime, ExceptionKind::Runtime);
exception_ctor!(new_uoe, ExceptionKind::UnsupportedOperation);
exception_ctor!(new_npe, ExceptionKind::NullPointer);

/// `new StringBuilder(…)` and `new XxxException(msg)`.
pub(crate) fn constructor(class: Base, arity: usize) -> Option<Constructor> {
    if arity > 1 {
        return None;
    }
    Some(match class {
        Base::StringBuilder => new_builder,
        Base::Exception(k) => match k {
            ExceptionKind::IllegalArgument => new_iae,
            ExceptionKind::IllegalState => new_ise,
            ExceptionKind::Exception => new_exception,
            ExceptionKind::Runtime => new_runtime,
            ExceptionKind::UnsupportedOperation => new_uoe,
            ExceptionKind::NullPointer => new_npe,
            _ => return None,
        },
        _ => return None,
    })
}
