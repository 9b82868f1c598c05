//! `java.lang.StringBuilder`.

use super::{Method, Recv, arg, int_arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::value::Val;

/// StringBuilder methods.
pub(crate) fn methods() -> Vec<Method> {
    let b = |name, arity, f| Method {
        recv: Recv::Builder,
        name,
        arity,
        f,
    };
    vec![
        b("append", 1, append),
        b("length", 0, |_, r, _| match r {
            Val::Builder(s) => Ok(Val::Int(s.borrow().encode_utf16().count() as i32)),
            _ => Ok(Val::Int(0)),
        }),
        b("setLength", 1, set_length),
        b("reverse", 0, |_, r, _| {
            if let Val::Builder(s) = r {
                let rev: String = s.borrow().chars().rev().collect();
                *s.borrow_mut() = rev;
            }
            Ok(r.clone())
        }),
        b("insert", 2, |_, r, a| {
            if let Val::Builder(s) = r {
                let at = int_arg(a, 0)?.max(0) as usize;
                let units: Vec<u16> = s.borrow().encode_utf16().collect();
                let at = at.min(units.len());
                let inserted = arg(a, 1)?.to_java_string();
                if units.len() + inserted.len() > crate::interp::MAX_VALUE_SIZE {
                    return Err(crate::interp::out_of_memory());
                }
                let text = format!(
                    "{}{}{}",
                    String::from_utf16_lossy(&units[..at]),
                    inserted,
                    String::from_utf16_lossy(&units[at..])
                );
                *s.borrow_mut() = text;
            }
            Ok(r.clone())
        }),
    ]
}

fn append<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    if let Val::Builder(s) = recv {
        let text = arg(args, 0)?.to_java_string();
        if s.borrow().len() + text.len() > crate::interp::MAX_VALUE_SIZE {
            return Err(crate::interp::out_of_memory());
        }
        s.borrow_mut().push_str(&text);
    }
    Ok(recv.clone())
}

fn set_length<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    if let Val::Builder(s) = recv {
        let n = int_arg(args, 0)?;
        if n < 0 {
            // `new StringIndexOutOfBoundsException(newLength)`, as
            // `AbstractStringBuilder.setLength` throws it.
            return Err(Thrown::new(
                ExceptionKind::StringIndexOutOfBounds,
                format!("String index out of range: {n}"),
            ));
        }
        let n = n as usize;
        if n > crate::interp::MAX_VALUE_SIZE {
            return Err(crate::interp::out_of_memory());
        }
        let mut units: Vec<u16> = s.borrow().encode_utf16().collect();
        units.resize(n, 0);
        *s.borrow_mut() = String::from_utf16_lossy(&units);
    }
    Ok(Val::Null)
}
