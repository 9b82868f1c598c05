//! The standard library: one receiver type per file, one registry.
//!
//! Instance methods are looked up by name and arity when the script is
//! compiled (no match at all is a compile error, `unsupported: …`) and by
//! receiver type when the call runs, as Painless's `def` dispatch does.
//! Static methods, static fields and constructors resolve fully at compile
//! time.

pub(crate) mod builder;
pub(crate) mod cidr;
pub(crate) mod collections;
pub(crate) mod json;
pub(crate) mod list;
pub(crate) mod map;
pub(crate) mod matcher;
pub(crate) mod math;
pub(crate) mod number;
pub(crate) mod object;
pub(crate) mod processors;
pub(crate) mod stream;
pub(crate) mod string;
pub(crate) mod time;
pub(crate) mod tokenizer;

use std::sync::OnceLock;

use crate::ast::ExprKind;
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::types::Base;
use crate::value::{Val, ViewKind};

/// An instance method implementation.
pub(crate) type MethodFn = for<'a> fn(&mut Runtime<'a>, &Val<'a>, &mut Vec<Val<'a>>) -> R<Val<'a>>;

/// A static method (or constructor) implementation.
pub type StaticFn = for<'a> fn(&mut Runtime<'a>, Vec<Val<'a>>) -> R<Val<'a>>;

/// A constructor: a static function building a new object.
pub type Constructor = StaticFn;

/// Receiver types methods are declared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recv {
    Object,
    String,
    Map,
    List,
    Set,
    Collection,
    Number,
    Boolean,
    Char,
    Builder,
    Tokenizer,
    Pattern,
    Matcher,
    Entry,
    Iterator,
    Stream,
    Exception,
    Instant,
    ZonedDateTime,
    Duration,
    Cidr,
    ChronoUnit,
}

impl Recv {
    fn accepts(self, v: &Val<'_>) -> bool {
        match self {
            Recv::Object => !v.is_null(),
            Recv::String => matches!(v, Val::Str(_)),
            Recv::Map => matches!(v, Val::Map(_) | Val::DocMap(_)),
            Recv::List => matches!(v, Val::List(_) | Val::DocList(_)),
            Recv::Set => matches!(
                v,
                Val::Set(_)
                    | Val::View(_, ViewKind::Keys | ViewKind::Entries)
                    | Val::DocView(_, ViewKind::Keys | ViewKind::Entries)
            ),
            Recv::Collection => matches!(
                v,
                Val::List(_) | Val::DocList(_) | Val::Set(_) | Val::View(..) | Val::DocView(..)
            ),
            Recv::Number => v.is_number(),
            Recv::Boolean => matches!(v, Val::Bool(_)),
            Recv::Char => matches!(v, Val::Char(_)),
            Recv::Builder => matches!(v, Val::Builder(_)),
            Recv::Tokenizer => matches!(v, Val::Tokenizer(_)),
            Recv::Pattern => matches!(v, Val::Pattern(_)),
            Recv::Matcher => matches!(v, Val::Matcher(_)),
            Recv::Entry => matches!(v, Val::Entry(_)),
            Recv::Iterator => matches!(v, Val::Iter(_)),
            Recv::Stream => matches!(v, Val::Stream(_)),
            Recv::Exception => matches!(v, Val::Exception(_)),
            Recv::Instant => {
                matches!(v, Val::Time(t) if matches!(**t, time::TimeObj::Instant { .. }))
            }
            Recv::ZonedDateTime => {
                matches!(v, Val::Time(t) if matches!(**t, time::TimeObj::Zoned(_)))
            }
            Recv::Cidr => matches!(v, Val::Cidr(_)),
            Recv::ChronoUnit => {
                matches!(v, Val::Time(t) if matches!(**t, time::TimeObj::Unit(_)))
            }
            Recv::Duration => {
                matches!(v, Val::Time(t) if matches!(**t, time::TimeObj::Duration { .. }))
            }
        }
    }
}

/// One instance method.
pub(crate) struct Method {
    pub(crate) recv: Recv,
    pub(crate) name: &'static str,
    pub(crate) arity: u8,
    pub(crate) f: MethodFn,
}

/// One static method.
pub(crate) struct Static {
    pub(crate) class: Base,
    pub(crate) name: &'static str,
    pub(crate) arity: u8,
    pub(crate) f: StaticFn,
}

/// Every instance method, more specific receivers first.
fn registry() -> &'static [Method] {
    static ALL: OnceLock<Vec<Method>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = Vec::new();
        all.extend(string::methods());
        all.extend(map::methods());
        all.extend(list::methods());
        all.extend(number::methods());
        all.extend(builder::methods());
        all.extend(tokenizer::methods());
        all.extend(matcher::methods());
        all.extend(stream::methods());
        all.extend(time::methods());
        all.extend(cidr::methods());
        all.extend(object::methods());
        all
    })
}

fn statics() -> &'static [Static] {
    static ALL: OnceLock<Vec<Static>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = Vec::new();
        all.extend(string::statics());
        all.extend(number::statics());
        all.extend(math::statics());
        all.extend(list::statics());
        all.extend(object::statics());
        all.extend(processors::statics());
        all.extend(json::statics());
        all.extend(stream::statics());
        all.extend(time::statics());
        all
    })
}

/// Registry indices of the methods called `name` with `arity` arguments.
pub(crate) fn method_candidates(name: &str, arity: usize) -> Vec<u16> {
    registry()
        .iter()
        .enumerate()
        .filter(|(_, m)| m.name == name && usize::from(m.arity) == arity)
        .map(|(i, _)| i as u16)
        .collect()
}

/// Java methods Painless does not whitelist on any class scripts meet
/// (`String.split`, `String.matches`, …). A call compiles, as it does in
/// Painless for a `def` receiver, and fails when it runs with Painless's
/// `dynamic method [..] not found`.
pub(crate) fn not_whitelisted(name: &str, arity: usize) -> bool {
    matches!(
        (name, arity),
        ("split", 1 | 2)
            | ("matches", 1)
            | (
                "strip" | "stripLeading" | "stripTrailing" | "isBlank" | "lines" | "getClass",
                0
            )
            | ("repeat", 1)
            | ("replaceAll" | "replaceFirst", 2)
            | ("toList", 0)
    )
}

/// The static method `class.name` taking `arity` arguments.
pub(crate) fn static_method(class: Base, name: &str, arity: usize) -> Option<StaticFn> {
    statics()
        .iter()
        .find(|s| s.class == class && s.name == name && usize::from(s.arity) == arity)
        .map(|s| s.f)
}

/// A static field's constant value.
pub(crate) fn static_field(class: Base, name: &str) -> Option<ExprKind> {
    number::static_field(class, name)
        .or_else(|| math::static_field(class, name))
        .or_else(|| time::static_field(class, name))
}

/// The constructor `new class(…arity args)`.
pub(crate) fn constructor(class: Base, arity: usize) -> Option<Constructor> {
    collections::constructor(class, arity)
        .or_else(|| object::constructor(class, arity))
        .or_else(|| tokenizer::constructor(class, arity))
        .or_else(|| cidr::constructor(class, arity))
}

/// Calls the first candidate whose receiver type accepts `recv`.
pub(crate) fn call_method<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    name: &str,
    candidates: &[u16],
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    let reg = registry();
    for &i in candidates {
        if let Some(m) = reg.get(usize::from(i)) {
            if m.recv.accepts(recv) {
                return within_heap((m.f)(rt, recv, args));
            }
        }
    }
    Err(Thrown::new(
        ExceptionKind::IllegalArgument,
        format!(
            "dynamic method [{}, {name}/{}] not found",
            recv.class_name(),
            args.len()
        ),
    ))
}

/// A method's, static's or constructor's result, failing as Java runs out
/// of heap when it is a string over [`crate::interp::MAX_VALUE_SIZE`]
/// (`concat`, `replace`, `join` and the like can double a string per
/// call): the script's strings stay within the heap it is allowed.
pub(crate) fn within_heap<'a>(result: R<Val<'a>>) -> R<Val<'a>> {
    match result {
        Ok(Val::Str(s)) if s.as_str().len() > crate::interp::MAX_VALUE_SIZE => {
            Err(crate::interp::out_of_memory())
        }
        other => other,
    }
}

/// Calls the getter a field shortcut names (`x.empty` is `x.isEmpty()`,
/// `e.key` is `e.getKey()`): `get<Field>` first, then `is<Field>`, with
/// no arguments. `None` when the receiver has neither.
pub(crate) fn call_getter<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    field: &str,
) -> Option<R<Val<'a>>> {
    let reg = registry();
    let m = ["get", "is"].into_iter().find_map(|prefix| {
        reg.iter()
            .find(|m| m.arity == 0 && names_getter(m.name, prefix, field) && m.recv.accepts(recv))
    })?;
    Some(within_heap((m.f)(rt, recv, &mut Vec::new())))
}

/// Whether `method` is `prefix` followed by `field` with its first letter
/// upper-cased (compared in place: a field read allocates nothing).
fn names_getter(method: &str, prefix: &str, field: &str) -> bool {
    let Some(rest) = method.strip_prefix(prefix) else {
        return false;
    };
    let mut rest = rest.chars();
    let mut field = field.chars();
    if let Some(first) = field.next() {
        if !first.to_uppercase().all(|u| rest.next() == Some(u)) {
            return false;
        }
    }
    rest.as_str() == field.as_str()
}

// ----- argument helpers shared by the receiver files -----

/// Java's `MethodHandle.asType` message for a wrong argument type.
pub(crate) fn cast_error(v: &Val<'_>, target: &str) -> Thrown {
    Thrown::new(
        ExceptionKind::ClassCast,
        format!("Cannot cast {} to {target}", v.class_name()),
    )
}

/// Argument `i`. The registry only calls an implementation with the
/// arity it declares, so a missing argument is an internal error.
pub(crate) fn arg<'v, 'a>(args: &'v [Val<'a>], i: usize) -> R<&'v Val<'a>> {
    args.get(i).ok_or_else(|| {
        Thrown::new(
            ExceptionKind::IllegalArgument,
            format!("missing argument {i}"),
        )
    })
}

/// A `String` argument (`null` passes as `None`).
pub(crate) fn opt_str<'v>(args: &'v [Val<'_>], i: usize) -> R<Option<&'v str>> {
    match arg(args, i)? {
        Val::Null => Ok(None),
        Val::Str(s) => Ok(Some(s.as_str())),
        other => Err(cast_error(other, "java.lang.String")),
    }
}

/// A non-null `String` argument; null raises Java's NPE.
pub(crate) fn str_arg<'v>(args: &'v [Val<'_>], i: usize) -> R<&'v str> {
    opt_str(args, i)?.ok_or_else(|| {
        Thrown::new(
            ExceptionKind::NullPointer,
            "Cannot invoke \"String.length()\" because \"str\" is null".to_owned(),
        )
    })
}

/// A `long` argument (byte, short, char, int and long convert; others do
/// not).
pub(crate) fn long_arg(args: &[Val<'_>], i: usize) -> R<i64> {
    match *arg(args, i)? {
        Val::Long(n) => Ok(n),
        Val::Null => Err(Thrown::new(ExceptionKind::NullPointer, String::new())),
        _ => int_arg(args, i)
            .map(i64::from)
            .map_err(|_| cast_error(&args[i], "java.lang.Long")),
    }
}

/// An `int` argument (byte, short, char and int convert; others do not).
pub(crate) fn int_arg(args: &[Val<'_>], i: usize) -> R<i32> {
    match *arg(args, i)? {
        Val::Int(n) => Ok(n),
        Val::Short(n) => Ok(i32::from(n)),
        Val::Byte(n) => Ok(i32::from(n)),
        Val::Char(n) => Ok(i32::from(n)),
        Val::Null => Err(Thrown::new(ExceptionKind::NullPointer, String::new())),
        ref other => Err(cast_error(other, "java.lang.Integer")),
    }
}

/// A numeric argument as `f64` (`double` parameters).
pub(crate) fn f64_arg(args: &[Val<'_>], i: usize) -> R<f64> {
    let v = arg(args, i)?;
    match crate::interp::ops::num(v) {
        Some(n) => Ok(n.as_f64()),
        None if v.is_null() => Err(Thrown::new(ExceptionKind::NullPointer, String::new())),
        None => Err(cast_error(v, "java.lang.Double")),
    }
}

/// Fails when `map` is frozen (the top level of `params`, which
/// Elasticsearch hands scripts as an unmodifiable map).
pub(crate) fn writable(map: &crate::value::MapRef<'_>) -> R<()> {
    // Only `params` is frozen, and it is never left in document form.
    if !map.is_pending() && map.borrow().frozen {
        return Err(Thrown::new(
            ExceptionKind::UnsupportedOperation,
            String::new(),
        ));
    }
    Ok(())
}

/// The message conditions raise on any write.
pub(crate) fn read_only() -> Thrown {
    Thrown::new(
        ExceptionKind::UnsupportedOperation,
        "Mutating ingest documents in conditionals is not supported".to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getter_names_capitalise_the_field_after_the_prefix() {
        assert!(names_getter("getKey", "get", "key"));
        assert!(names_getter("isEmpty", "is", "empty"));
        assert!(!names_getter("isEmpty", "get", "empty"));
        assert!(!names_getter("getKeys", "get", "key"));
        assert!(!names_getter("getkey", "get", "key"));
        assert!(!names_getter("getKey", "get", "Key2"));
    }

    #[test]
    fn every_static_and_method_is_unique_per_receiver() {
        let reg = registry();
        for (i, a) in reg.iter().enumerate() {
            for b in &reg[i + 1..] {
                assert!(
                    !(a.recv == b.recv && a.name == b.name && a.arity == b.arity),
                    "duplicate {}/{}",
                    a.name,
                    a.arity
                );
            }
        }
    }

    #[test]
    fn candidates_find_string_length() {
        assert!(!method_candidates("length", 0).is_empty());
        assert!(method_candidates("noSuchMethod", 0).is_empty());
    }
}
