//! `java.util.stream.Stream` basics and `Collectors`.

use std::rc::Rc;

use super::collections::key_of;
use super::{Method, Recv, Static, arg, str_arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown, ops};
use crate::types::Base;
use crate::value::{CollectorKind, MapObj, Val, java_equals};

/// Stream methods.
pub(crate) fn methods() -> Vec<Method> {
    let s = |name, arity, f| Method {
        recv: Recv::Stream,
        name,
        arity,
        f,
    };
    vec![
        s("filter", 1, filter),
        s("map", 1, map),
        s("collect", 1, collect),
        s("forEach", 1, for_each),
        s("count", 0, |_, r, _| Ok(Val::Long(items(r).len() as i64))),
        s("anyMatch", 1, |rt, r, a| matching(rt, r, a, Some(true))),
        s("allMatch", 1, |rt, r, a| matching(rt, r, a, Some(false))),
        s("noneMatch", 1, |rt, r, a| matching(rt, r, a, None)),
        s("sorted", 0, sorted),
        s("sorted", 1, sorted),
        s("distinct", 0, distinct),
        s("limit", 1, limit),
        s("skip", 1, skip),
        s("reduce", 2, reduce),
        s("toArray", 0, |_, r, _| {
            Ok(Val::Array(
                crate::shared::Shared::new(items(r)),
                Base::Object,
            ))
        }),
    ]
}

/// `Collectors.toList()`, `toSet()`, `joining(…)`.
pub(crate) fn statics() -> Vec<Static> {
    let c = |name, arity, f| Static {
        class: Base::Collectors,
        name,
        arity,
        f,
    };
    vec![
        c("toList", 0, |_, _| {
            Ok(Val::Collector(CollectorKind::ToList, None))
        }),
        c("toSet", 0, |_, _| {
            Ok(Val::Collector(CollectorKind::ToSet, None))
        }),
        c("joining", 0, |_, _| {
            Ok(Val::Collector(CollectorKind::Joining, None))
        }),
        c("joining", 1, |_, a| {
            Ok(Val::Collector(
                CollectorKind::Joining,
                Some(Rc::from(str_arg(&a, 0)?)),
            ))
        }),
    ]
}

fn items<'a>(v: &Val<'a>) -> Vec<Val<'a>> {
    match v {
        Val::Stream(s) => s.borrow().clone(),
        _ => Vec::new(),
    }
}

fn stream_of<'a>(xs: Vec<Val<'a>>) -> Val<'a> {
    Val::Stream(crate::shared::Shared::new(xs))
}

fn filter<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut out = Vec::new();
    for x in items(recv) {
        if ops::to_bool(&rt.call_func(arg(args, 0)?, vec![x.clone()])?)? {
            out.push(x);
        }
    }
    Ok(stream_of(out))
}

fn map<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut out = Vec::new();
    for x in items(recv) {
        out.push(rt.call_func(arg(args, 0)?, vec![x])?);
    }
    Ok(stream_of(out))
}

fn for_each<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    for x in items(recv) {
        rt.call_func(arg(args, 0)?, vec![x])?;
    }
    Ok(Val::Null)
}

fn matching<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &[Val<'a>],
    mode: Option<bool>,
) -> R<Val<'a>> {
    for x in items(recv) {
        let hit = ops::to_bool(&rt.call_func(arg(args, 0)?, vec![x])?)?;
        match mode {
            Some(true) if hit => return Ok(Val::Bool(true)),
            Some(false) if !hit => return Ok(Val::Bool(false)),
            None if hit => return Ok(Val::Bool(false)),
            _ => {}
        }
    }
    Ok(Val::Bool(mode != Some(true)))
}

fn sorted<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let xs = super::list::sort_values(rt, items(recv), arg(args, 0)?)?;
    Ok(stream_of(xs))
}

fn distinct<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut out: Vec<Val<'a>> = Vec::new();
    for x in items(recv) {
        if !out.iter().any(|y| java_equals(y, &x)) {
            out.push(x);
        }
    }
    Ok(stream_of(out))
}

fn limit<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let n = count_arg(args)?;
    Ok(stream_of(items(recv).into_iter().take(n).collect()))
}

fn skip<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let n = count_arg(args)?;
    Ok(stream_of(items(recv).into_iter().skip(n).collect()))
}

/// The `long` count of `limit(n)` and `skip(n)`; a negative one is an
/// `IllegalArgumentException` naming it.
fn count_arg(args: &[Val<'_>]) -> R<usize> {
    let n = match ops::num(arg(args, 0)?) {
        Some(n) => n.as_i64(),
        None => return Err(super::cast_error(arg(args, 0)?, "java.lang.Long")),
    };
    usize::try_from(n).map_err(|_| Thrown::new(ExceptionKind::IllegalArgument, n.to_string()))
}

fn reduce<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut acc = arg(args, 0)?.clone();
    for x in items(recv) {
        acc = rt.call_func(arg(args, 1)?, vec![acc, x])?;
    }
    Ok(acc)
}

fn collect<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let xs = items(recv);
    match arg(args, 0)? {
        Val::Collector(CollectorKind::ToList, _) => Ok(Val::new_list(xs)),
        Val::Collector(CollectorKind::ToSet, _) => {
            let mut s = MapObj::new();
            for x in xs {
                s.insert(key_of(&x)?, Val::Null);
            }
            Ok(Val::Set(crate::shared::Shared::new(s)))
        }
        Val::Collector(CollectorKind::Joining, sep) => {
            let mut out = String::new();
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep.as_deref().unwrap_or(""));
                }
                match x {
                    Val::Str(s) => out.push_str(s.as_str()),
                    other => return Err(super::cast_error(other, "java.lang.CharSequence")),
                }
            }
            Ok(Val::string(out))
        }
        other => Err(super::cast_error(other, "java.util.stream.Collector")),
    }
}
