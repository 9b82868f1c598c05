//! `java.util.List`, `Set` and `Collection` (including map views),
//! `Iterator`, and the static helpers of `Collections` and `Arrays`.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

use super::collections::{items, key_of};
use super::{Method, Recv, Static, arg, int_arg, read_only, str_arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown, ops};
use crate::types::Base;
use crate::value::{IterObj, ListRef, MapObj, Val, ViewKind, java_equals};

/// List, Set, Collection and Iterator methods.
pub(crate) fn methods() -> Vec<Method> {
    let l = |name, arity, f| Method {
        recv: Recv::List,
        name,
        arity,
        f,
    };
    let s = |name, arity, f| Method {
        recv: Recv::Set,
        name,
        arity,
        f,
    };
    let c = |name, arity, f| Method {
        recv: Recv::Collection,
        name,
        arity,
        f,
    };
    let i = |name, arity, f| Method {
        recv: Recv::Iterator,
        name,
        arity,
        f,
    };
    vec![
        l("add", 2, list_insert),
        l("get", 1, list_get),
        l("set", 2, list_set),
        l("remove", 1, list_remove_at),
        l("indexOf", 1, list_index_of),
        l("lastIndexOf", 1, list_last_index_of),
        l("sort", 1, list_sort),
        l("subList", 2, list_sub_list),
        l("getLength", 0, size),
        l("replaceAll", 1, list_replace_all),
        l("getByPath", 1, |_, r, a| {
            super::collections::get_by_path(r, str_arg(a, 0)?, None)
        }),
        l("getByPath", 2, |_, r, a| {
            super::collections::get_by_path(r, str_arg(a, 0)?, Some(arg(a, 1)?))
        }),
        s("remove", 1, set_remove),
        c("add", 1, add),
        c("addAll", 1, add_all),
        c("size", 0, size),
        c("isEmpty", 0, is_empty),
        c("contains", 1, contains),
        c("containsAll", 1, contains_all),
        c("removeIf", 1, remove_if),
        c("removeAll", 1, remove_all),
        c("retainAll", 1, retain_all),
        c("collect", 1, collect),
        c("find", 1, find),
        c("findAll", 1, find_all),
        c("each", 1, for_each),
        c("sum", 0, sum),
        c("clear", 0, clear),
        c("iterator", 0, iterator),
        c("stream", 0, stream),
        c("forEach", 1, for_each),
        c("join", 1, join),
        c("any", 1, any),
        c("every", 1, every),
        i("hasNext", 0, has_next),
        i("next", 0, next),
        i("remove", 0, iterator_remove),
    ]
}

/// `Collections` and `Arrays` statics.
pub(crate) fn statics() -> Vec<Static> {
    let c = |name, arity, f| Static {
        class: Base::Collections,
        name,
        arity,
        f,
    };
    let a = |name, arity, f| Static {
        class: Base::Arrays,
        name,
        arity,
        f,
    };
    vec![
        c("sort", 1, collections_sort),
        c("sort", 2, collections_sort),
        c("reverse", 1, collections_reverse),
        c("emptyList", 0, |_, _| Ok(Val::new_list(Vec::new()))),
        c("emptyMap", 0, |_, _| Ok(Val::new_map(MapObj::new()))),
        c("singletonList", 1, |_, args| Ok(Val::new_list(args))),
        c("max", 1, collections_max),
        c("min", 1, collections_min),
        c("frequency", 2, collections_frequency),
        c("reverseOrder", 0, reverse_order),
        c("swap", 3, collections_swap),
        c("nCopies", 2, collections_n_copies),
        c("binarySearch", 2, collections_binary_search),
        Static {
            class: Base::Comparator,
            name: "reverseOrder",
            arity: 0,
            f: reverse_order,
        },
        Static {
            class: Base::Comparator,
            name: "naturalOrder",
            arity: 0,
            f: natural_order_comparator,
        },
        a("asList", 1, arrays_as_list),
    ]
}

fn list_rc<'v, 'a>(v: &'v Val<'a>) -> R<&'v ListRef<'a>> {
    match v {
        Val::List(l) => Ok(l),
        _ => Err(read_only()),
    }
}

fn bounds(i: i32, len: usize) -> Thrown {
    Thrown::new(
        ExceptionKind::IndexOutOfBounds,
        format!("Index {i} out of bounds for length {len}"),
    )
}

fn list_insert<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let l = list_rc(recv)?;
    let v = args.pop().unwrap_or_default();
    let i = int_arg(args, 0)?;
    let mut l = l.borrow_mut();
    if i < 0 || i as usize > l.len() {
        return Err(bounds(i, l.len()));
    }
    l.insert(i as usize, v);
    Ok(Val::Null)
}

fn list_get<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let i = int_arg(args, 0)?;
    match recv {
        Val::List(l) => {
            let l = l.borrow();
            l.get(usize::try_from(i).unwrap_or(usize::MAX))
                .cloned()
                .ok_or_else(|| bounds(i, l.len()))
        }
        Val::DocList(l) => l
            .get(usize::try_from(i).unwrap_or(usize::MAX))
            .map(Val::from_doc)
            .ok_or_else(|| bounds(i, l.len())),
        _ => Ok(Val::Null),
    }
}

fn list_set<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let l = list_rc(recv)?;
    let v = args.pop().unwrap_or_default();
    let i = int_arg(args, 0)?;
    let mut l = l.borrow_mut();
    let len = l.len();
    match l.get_mut(usize::try_from(i).unwrap_or(usize::MAX)) {
        Some(slot) => Ok(std::mem::replace(slot, v)),
        None => Err(bounds(i, len)),
    }
}

fn list_remove_at<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let l = list_rc(recv)?;
    let i = int_arg(args, 0)?;
    let mut l = l.borrow_mut();
    if i < 0 || i as usize >= l.len() {
        return Err(bounds(i, l.len()));
    }
    Ok(l.remove(i as usize))
}

fn set_remove<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let map = match recv {
        Val::Set(s) | Val::View(s, ViewKind::Keys) => s,
        _ => return Err(read_only()),
    };
    super::writable(map)?;
    Ok(Val::Bool(match arg(args, 0)?.to_key() {
        Some(k) => map.borrow_mut().remove(&k).is_some(),
        None => false,
    }))
}

fn list_index_of<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let target = arg(args, 0)?;
    let xs = items(recv)?;
    Ok(Val::Int(
        xs.iter()
            .position(|x| java_equals(x, target))
            .map_or(-1, |i| i as i32),
    ))
}

fn list_last_index_of<'a>(
    _: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    let target = arg(args, 0)?;
    let xs = items(recv)?;
    Ok(Val::Int(
        xs.iter()
            .rposition(|x| java_equals(x, target))
            .map_or(-1, |i| i as i32),
    ))
}

fn list_sub_list<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let xs = items(recv)?;
    let (from, to) = (int_arg(args, 0)?, int_arg(args, 1)?);
    if from < 0 || to as usize > xs.len() || from > to {
        return Err(Thrown::new(
            ExceptionKind::IndexOutOfBounds,
            format!("fromIndex: {from}, toIndex: {to}, size: {}", xs.len()),
        ));
    }
    Ok(Val::new_list(xs[from as usize..to as usize].to_vec()))
}

/// Java's natural ordering (`Comparable.compareTo`).
pub(crate) fn natural_order(a: &Val<'_>, b: &Val<'_>) -> R<Ordering> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Ok(x.as_str().encode_utf16().cmp(y.as_str().encode_utf16())),
        (Val::Bool(x), Val::Bool(y)) => Ok(x.cmp(y)),
        (Val::Null, _) | (_, Val::Null) => {
            Err(Thrown::new(ExceptionKind::NullPointer, String::new()))
        }
        _ if a.class_name() == b.class_name() => {
            let (Some(x), Some(y)) = (ops::num(a), ops::num(b)) else {
                return Err(not_comparable(a, b));
            };
            Ok(match ops::promote(x, y) {
                (ops::Num::I(p), ops::Num::I(q)) => p.cmp(&q),
                (ops::Num::L(p), ops::Num::L(q)) => p.cmp(&q),
                (p, q) => p.as_f64().total_cmp(&q.as_f64()),
            })
        }
        _ => Err(not_comparable(a, b)),
    }
}

fn not_comparable(a: &Val<'_>, b: &Val<'_>) -> Thrown {
    Thrown::new(
        ExceptionKind::ClassCast,
        format!(
            "class {} cannot be cast to class {} ({} and {} are in module java.base of loader 'bootstrap')",
            a.class_name(),
            b.class_name(),
            a.class_name(),
            b.class_name()
        ),
    )
}

/// A stable merge sort with a fallible comparator (a user comparator may
/// throw or be inconsistent; neither may panic).
pub(crate) fn sort_values<'a>(
    rt: &mut Runtime<'a>,
    xs: Vec<Val<'a>>,
    cmp: &Val<'a>,
) -> R<Vec<Val<'a>>> {
    if xs.len() <= 1 {
        return Ok(xs);
    }
    let mut xs = xs;
    let right = xs.split_off(xs.len() / 2);
    let left = sort_values(rt, xs, cmp)?;
    let right = sort_values(rt, right, cmp)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
        let ord = if cmp.is_null() {
            natural_order(a, b)?
        } else {
            let v = rt.call_func(cmp, vec![a.clone(), b.clone()])?;
            match ops::num(&v) {
                Some(n) => n.as_i64().cmp(&0),
                None => return Err(super::cast_error(&v, "java.lang.Integer")),
            }
        };
        if ord == Ordering::Greater {
            out.extend(r.next());
        } else {
            out.extend(l.next());
        }
    }
    out.extend(l);
    out.extend(r);
    Ok(out)
}

fn list_sort<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let l = list_rc(recv)?;
    let xs = l.borrow().clone();
    let sorted = sort_values(rt, xs, arg(args, 0)?)?;
    *l.borrow_mut() = sorted;
    Ok(Val::Null)
}

fn add<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let v = args.pop().unwrap_or_default();
    match recv {
        Val::List(l) => {
            l.borrow_mut().push(v);
            Ok(Val::Bool(true))
        }
        Val::Set(s) => {
            let k = key_of(&v)?;
            Ok(Val::Bool(s.borrow_mut().insert(k, Val::Null).is_none()))
        }
        Val::View(..) => Err(Thrown::new(
            ExceptionKind::UnsupportedOperation,
            String::new(),
        )),
        _ => Err(read_only()),
    }
}

fn add_all<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let src = arg(args, 0)?;
    if src.is_null() {
        return Err(Thrown::new(ExceptionKind::NullPointer, String::new()));
    }
    let xs = items(src)?;
    let current = match recv {
        Val::List(l) => l.borrow().len(),
        Val::Set(s) => s.borrow().entries.len(),
        _ => 0,
    };
    if xs.len() + current > crate::interp::MAX_ELEMENTS {
        return Err(crate::interp::out_of_memory());
    }
    let changed = !xs.is_empty();
    for x in xs {
        add(rt, recv, &mut vec![x])?;
    }
    Ok(Val::Bool(changed))
}

fn size<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Int(match recv {
        Val::List(l) => crate::value::list_len(l) as i32,
        Val::DocList(l) => l.len() as i32,
        Val::Set(s) | Val::View(s, _) => crate::value::map_len(s) as i32,
        Val::DocView(m, _) => m.len() as i32,
        _ => 0,
    }))
}

fn is_empty<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Bool(matches!(size(rt, recv, args)?, Val::Int(0))))
}

fn contains<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let target = arg(args, 0)?;
    Ok(Val::Bool(match recv {
        Val::Set(s) | Val::View(s, ViewKind::Keys) => target
            .to_key()
            .is_some_and(|k| s.borrow().entries.contains_key(&k)),
        Val::DocView(m, ViewKind::Keys) => {
            matches!(target, Val::Str(s) if m.contains_key(s.as_str()))
        }
        Val::List(l) => l.borrow().iter().any(|x| java_equals(x, target)),
        // Compare against the document in place: no copy per call.
        Val::DocList(l) => l.iter().any(|x| java_equals(&Val::from_doc(x), target)),
        _ => items(recv)?.iter().any(|x| java_equals(x, target)),
    }))
}

fn contains_all<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    for x in items(arg(args, 0)?)? {
        if matches!(contains(rt, recv, &mut vec![x])?, Val::Bool(false)) {
            return Ok(Val::Bool(false));
        }
    }
    Ok(Val::Bool(true))
}

fn remove_if<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let pred = arg(args, 0)?;
    match recv {
        Val::List(l) => {
            let xs = l.borrow().clone();
            let mut keep = Vec::with_capacity(xs.len());
            let mut removed = false;
            for x in xs {
                let r = rt.call_func(pred, vec![x.clone()])?;
                if ops::to_bool(&r)? {
                    removed = true;
                } else {
                    keep.push(x);
                }
            }
            *l.borrow_mut() = keep;
            Ok(Val::Bool(removed))
        }
        Val::Set(s) => super::map::retain_entries(rt, s, ViewKind::Keys, pred).map(Val::Bool),
        Val::View(m, kind) => super::map::retain_entries(rt, m, *kind, pred).map(Val::Bool),
        _ => Err(read_only()),
    }
}

fn clear<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    match recv {
        Val::List(l) => l.borrow_mut().clear(),
        Val::Set(s) | Val::View(s, _) => {
            super::writable(s)?;
            let mut s = s.borrow_mut();
            s.mods += 1;
            s.entries.clear();
        }
        _ => return Err(read_only()),
    }
    Ok(Val::Null)
}

fn iterator<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let source = matches!(
        recv,
        Val::List(_) | Val::Set(_) | Val::View(..) | Val::DocList(_) | Val::DocView(..)
    )
    .then(|| recv.clone());
    let keys = match recv {
        Val::View(m, ViewKind::Values) => items(&Val::View(m.clone(), ViewKind::Keys))?,
        _ => Vec::new(),
    };
    Ok(Val::Iter(Rc::new(RefCell::new(IterObj {
        items: items(recv)?,
        pos: 0,
        source,
        keys,
        removed: 0,
        can_remove: false,
    }))))
}

/// `Iterator.remove()`: takes the item `next()` returned last out of the
/// list, set or map it came from (`IllegalStateException` before a
/// `next()` or twice for one item).
fn iterator_remove<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Iter(it) = recv else {
        return Ok(Val::Null);
    };
    let mut it = it.borrow_mut();
    if !it.can_remove {
        return Err(Thrown::new(ExceptionKind::IllegalState, String::new()));
    }
    let current = it.pos - 1;
    let key_of_item = |v: &Val<'a>| match v {
        Val::Entry(e) => e.key.to_key(),
        other => other.to_key(),
    };
    match it.source.clone() {
        Some(Val::List(l)) => {
            let index = current - it.removed;
            let mut l = l.borrow_mut();
            if index < l.len() {
                l.remove(index);
            }
            it.removed += 1;
        }
        Some(Val::Set(m) | Val::View(m, ViewKind::Keys | ViewKind::Entries)) => {
            super::writable(&m)?;
            if let Some(k) = it.items.get(current).and_then(key_of_item) {
                m.borrow_mut().remove(&k);
            }
        }
        Some(Val::View(m, ViewKind::Values)) => {
            super::writable(&m)?;
            if let Some(k) = it.keys.get(current).and_then(Val::to_key) {
                m.borrow_mut().remove(&k);
            }
        }
        // A condition's read-only document refuses.
        Some(Val::DocList(_) | Val::DocView(..)) => return Err(read_only()),
        // Other iterators (streams) have no `remove`.
        _ => {
            return Err(Thrown::new(
                ExceptionKind::UnsupportedOperation,
                "remove".to_owned(),
            ));
        }
    }
    it.can_remove = false;
    Ok(Val::Null)
}

fn stream<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Stream(crate::shared::Shared::new(items(recv)?)))
}

fn for_each<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    for x in items(recv)? {
        rt.call_func(arg(args, 0)?, vec![x])?;
    }
    Ok(Val::Null)
}

fn join<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let sep = str_arg(args, 0)?;
    let parts: Vec<String> = items(recv)?.iter().map(Val::to_java_string).collect();
    Ok(Val::string(parts.join(sep)))
}

fn any<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    for x in items(recv)? {
        if ops::to_bool(&rt.call_func(arg(args, 0)?, vec![x])?)? {
            return Ok(Val::Bool(true));
        }
    }
    Ok(Val::Bool(false))
}

fn every<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    for x in items(recv)? {
        if !ops::to_bool(&rt.call_func(arg(args, 0)?, vec![x])?)? {
            return Ok(Val::Bool(false));
        }
    }
    Ok(Val::Bool(true))
}

fn list_replace_all<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    let l = list_rc(recv)?;
    let xs = l.borrow().clone();
    let mut out = Vec::with_capacity(xs.len());
    for x in xs {
        out.push(rt.call_func(arg(args, 0)?, vec![x])?);
    }
    *l.borrow_mut() = out;
    Ok(Val::Null)
}

fn remove_matching<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    other: &Val<'a>,
    keep_matching: bool,
) -> R<Val<'a>> {
    let others = super::collections::collection_items(other)?;
    let _ = rt;
    let hit = |x: &Val<'a>| others.iter().any(|o| java_equals(o, x));
    match recv {
        Val::List(l) => {
            let before = l.borrow().len();
            l.borrow_mut().retain(|x| hit(x) == keep_matching);
            Ok(Val::Bool(l.borrow().len() != before))
        }
        Val::Set(s) | Val::View(s, ViewKind::Keys) => {
            super::writable(s)?;
            let keys: Vec<_> = s.borrow().entries.keys().cloned().collect();
            let mut changed = false;
            for k in keys {
                if hit(&k.to_val()) != keep_matching {
                    s.borrow_mut().remove(&k);
                    changed = true;
                }
            }
            Ok(Val::Bool(changed))
        }
        _ => Err(read_only()),
    }
}

fn remove_all<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    remove_matching(rt, recv, arg(args, 0)?, false)
}

fn retain_all<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    remove_matching(rt, recv, arg(args, 0)?, true)
}

fn collect<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut out = Vec::new();
    for x in items(recv)? {
        out.push(rt.call_func(arg(args, 0)?, vec![x])?);
    }
    Ok(Val::new_list(out))
}

fn find<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    for x in items(recv)? {
        if ops::to_bool(&rt.call_func(arg(args, 0)?, vec![x.clone()])?)? {
            return Ok(x);
        }
    }
    Ok(Val::Null)
}

fn find_all<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut out = Vec::new();
    for x in items(recv)? {
        if ops::to_bool(&rt.call_func(arg(args, 0)?, vec![x.clone()])?)? {
            out.push(x);
        }
    }
    Ok(Val::new_list(out))
}

/// Painless's `Iterable.sum()`: the items' `doubleValue()` summed.
fn sum<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut total = 0.0;
    for x in items(recv)? {
        match ops::num(&x) {
            Some(n) => total += n.as_f64(),
            None => return Err(super::cast_error(&x, "java.lang.Number")),
        }
    }
    Ok(Val::Double(total))
}

fn has_next<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Iter(it) = recv else {
        return Ok(Val::Bool(false));
    };
    let it = it.borrow();
    Ok(Val::Bool(it.pos < it.items.len()))
}

fn next<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Iter(it) = recv else {
        return Ok(Val::Null);
    };
    let mut it = it.borrow_mut();
    let pos = it.pos;
    match it.items.get(pos).cloned() {
        Some(v) => {
            it.pos += 1;
            it.can_remove = true;
            Ok(v)
        }
        None => Err(Thrown::new(ExceptionKind::NoSuchElement, String::new())),
    }
}

fn collections_sort<'a>(rt: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let list = arg(&args, 0)?.clone();
    if list.is_null() {
        return Err(Thrown::new(ExceptionKind::NullPointer, String::new()));
    }
    // `Collections.sort(list)` is `list.sort(null)`: the natural order.
    let comparator = args.get(1).cloned().unwrap_or(Val::Null);
    list_sort(rt, &list, &mut vec![comparator])
}

/// `Collections.reverseOrder()` / `Comparator.reverseOrder()`: natural
/// order reversed, as a comparator.
fn reverse_order<'a>(_: &mut Runtime<'a>, _: Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Func(Rc::new(crate::value::FuncObj::Builtin(
        |_, args: Vec<Val<'_>>| {
            natural_order(arg(&args, 1)?, arg(&args, 0)?).map(|o| Val::Int(o as i32))
        },
    ))))
}

/// `Comparator.naturalOrder()`.
fn natural_order_comparator<'a>(_: &mut Runtime<'a>, _: Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Func(Rc::new(crate::value::FuncObj::Builtin(
        |_, args: Vec<Val<'_>>| {
            natural_order(arg(&args, 0)?, arg(&args, 1)?).map(|o| Val::Int(o as i32))
        },
    ))))
}

/// `Collections.swap(list, i, j)`: `l.set(i, l.set(j, l.get(i)))`, so an
/// index out of range fails as `get`/`set` do.
fn collections_swap<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let l = list_rc(arg(&args, 0)?)?;
    let (i, j) = (int_arg(&args, 1)?, int_arg(&args, 2)?);
    let mut l = l.borrow_mut();
    let len = l.len();
    let index = |n: i32| {
        usize::try_from(n)
            .ok()
            .filter(|&u| u < len)
            .ok_or_else(|| bounds(n, len))
    };
    let (a, b) = (index(i)?, index(j)?);
    l.swap(a, b);
    Ok(Val::Null)
}

/// `Collections.nCopies(n, o)` (a growable list here; Java's is
/// immutable).
fn collections_n_copies<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let n = int_arg(&args, 0)?;
    let Ok(n) = usize::try_from(n) else {
        return Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            format!("List length = {n}"),
        ));
    };
    if n > crate::interp::MAX_ELEMENTS {
        return Err(crate::interp::out_of_memory());
    }
    Ok(Val::new_list(vec![arg(&args, 1)?.clone(); n]))
}

/// `Collections.binarySearch(list, key)` in natural order: the index, or
/// `-(insertion point) - 1`.
fn collections_binary_search<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let xs = items(arg(&args, 0)?)?;
    let key = arg(&args, 1)?;
    let (mut low, mut high) = (0i64, xs.len() as i64 - 1);
    while low <= high {
        let mid = (low + high) / 2;
        match natural_order(&xs[mid as usize], key)? {
            Ordering::Less => low = mid + 1,
            Ordering::Greater => high = mid - 1,
            Ordering::Equal => return Ok(Val::Int(mid as i32)),
        }
    }
    Ok(Val::Int(-(low as i32) - 1))
}

fn collections_reverse<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    list_rc(arg(&args, 0)?)?.borrow_mut().reverse();
    Ok(Val::Null)
}

fn extreme<'a>(args: &[Val<'a>], want: Ordering) -> R<Val<'a>> {
    let xs = items(arg(args, 0)?)?;
    let mut best: Option<Val<'a>> = None;
    for x in xs {
        best = Some(match best {
            Some(b) if natural_order(&x, &b)? != want => b,
            _ => x,
        });
    }
    best.ok_or_else(|| Thrown::new(ExceptionKind::NoSuchElement, String::new()))
}

fn collections_max<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    extreme(&args, Ordering::Greater)
}

fn collections_min<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    extreme(&args, Ordering::Less)
}

fn collections_frequency<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let target = arg(&args, 1)?;
    let xs = items(arg(&args, 0)?)?;
    Ok(Val::Int(
        xs.iter().filter(|x| java_equals(x, target)).count() as i32,
    ))
}

fn arrays_as_list<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    match arg(&args, 0)? {
        Val::Array(a, _) => Ok(Val::new_list(a.borrow().clone())),
        other => Ok(Val::new_list(vec![other.clone()])),
    }
}
