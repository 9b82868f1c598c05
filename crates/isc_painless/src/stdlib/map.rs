//! `java.util.Map` (the document's maps, `[:]` literals, `new HashMap()`),
//! its views (`keySet()`, `values()`, `entrySet()`) and `Map.Entry`.

use std::rc::Rc;

use super::collections::{copy_map, key_of};
use super::{Method, Recv, arg, read_only};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::value::{Key, MapRef, Val, ViewKind, java_equals, map_entries, ordered_entries};

/// Map and Map.Entry methods.
pub(crate) fn methods() -> Vec<Method> {
    let m = |name, arity, f| Method {
        recv: Recv::Map,
        name,
        arity,
        f,
    };
    let e = |name, arity, f| Method {
        recv: Recv::Entry,
        name,
        arity,
        f,
    };
    vec![
        m("get", 1, get),
        m("getOrDefault", 2, get_or_default),
        m("put", 2, put),
        m("putIfAbsent", 2, put_if_absent),
        m("putAll", 1, put_all),
        m("containsKey", 1, contains_key),
        m("containsValue", 1, contains_value),
        m("remove", 1, remove),
        m("keySet", 0, key_set),
        m("values", 0, values),
        m("entrySet", 0, entry_set),
        m("size", 0, size),
        m("isEmpty", 0, is_empty),
        m("clear", 0, clear),
        m("computeIfAbsent", 2, compute_if_absent),
        m("forEach", 1, for_each),
        m("each", 1, for_each),
        m("compute", 2, compute),
        m("computeIfPresent", 2, compute_if_present),
        m("merge", 3, merge),
        m("remove", 2, remove_pair),
        m("replace", 2, replace),
        m("replaceAll", 1, replace_all),
        m("count", 1, count),
        m("collect", 1, collect),
        m("getByPath", 1, |_, r, a| {
            super::collections::get_by_path(r, super::str_arg(a, 0)?, None)
        }),
        m("getByPath", 2, |_, r, a| {
            super::collections::get_by_path(r, super::str_arg(a, 0)?, Some(arg(a, 1)?))
        }),
        e("getKey", 0, entry_key),
        e("getValue", 0, entry_value),
        e("setValue", 1, entry_set_value),
    ]
}

fn lookup<'a>(map: &Val<'a>, k: &Val<'a>) -> R<Option<Val<'a>>> {
    Ok(match map {
        Val::Map(m) => crate::value::map_get(m, &key_of(k)?),
        Val::DocMap(m) => match k {
            Val::Str(s) => m.get(s.as_str()).map(Val::from_doc),
            _ => None,
        },
        _ => None,
    })
}

fn get<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(lookup(recv, arg(args, 0)?)?.unwrap_or_default())
}

fn get_or_default<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let fallback = arg(args, 1)?;
    Ok(lookup(recv, arg(args, 0)?)?.unwrap_or_else(|| fallback.clone()))
}

fn put<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let v = args.pop().unwrap_or_default();
    let k = key_of(arg(args, 0)?)?;
    if let Some(guard) = &rt.guard {
        guard.check_put(m, &k, &v)?;
    }
    Ok(crate::value::map_put(m, k, v).unwrap_or_default())
}

fn put_if_absent<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let v = args.pop().unwrap_or_default();
    let k = key_of(arg(args, 0)?)?;
    let mut m = m.borrow_mut();
    match m.entries.get(&k) {
        Some(cur) if !cur.is_null() => Ok(cur.clone()),
        _ => {
            m.insert(k, v);
            Ok(Val::Null)
        }
    }
}

fn put_all<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let src = arg(args, 0)?;
    if src.is_null() {
        return Err(Thrown::new(ExceptionKind::NullPointer, String::new()));
    }
    // Copy first: `m.putAll(m)` must not alias a borrow.
    let other = copy_map(src)?;
    let mut m = m.borrow_mut();
    for (k, v) in other.entries {
        m.insert(k, v);
    }
    Ok(Val::Null)
}

fn contains_key<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Bool(match recv {
        Val::Map(m) => match arg(args, 0)?.to_key() {
            Some(k) => crate::value::map_contains_key(m, &k),
            None => false,
        },
        Val::DocMap(m) => matches!(arg(args, 0)?, Val::Str(s) if m.contains_key(s.as_str())),
        _ => false,
    }))
}

fn contains_value<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let target = arg(args, 0)?;
    let entries = map_entries(recv).unwrap_or_default();
    Ok(Val::Bool(
        entries.iter().any(|(_, v)| java_equals(v, target)),
    ))
}

fn remove<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    Ok(match arg(args, 0)?.to_key() {
        Some(k) => {
            if let Some(guard) = &rt.guard {
                guard.check_remove(m, &k)?;
            }
            m.borrow_mut().remove(&k).unwrap_or_default()
        }
        None => Val::Null,
    })
}

fn view<'a>(recv: &Val<'a>, kind: ViewKind) -> Val<'a> {
    match recv {
        Val::Map(m) => Val::View(m.clone(), kind),
        Val::DocMap(m) => Val::DocView(m, kind),
        _ => Val::Null,
    }
}

fn key_set<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(view(recv, ViewKind::Keys))
}

fn values<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(view(recv, ViewKind::Values))
}

fn entry_set<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(view(recv, ViewKind::Entries))
}

fn size<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Int(match recv {
        Val::Map(m) => crate::value::map_len(m) as i32,
        Val::DocMap(m) => m.len() as i32,
        _ => 0,
    }))
}

fn is_empty<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Bool(matches!(size(rt, recv, args)?, Val::Int(0))))
}

fn clear<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    if let Some(guard) = &rt.guard {
        guard.check_clear(m)?;
    }
    let mut m = m.borrow_mut();
    if !m.entries.is_empty() {
        m.mods += 1;
    }
    m.entries.clear();
    Ok(Val::Null)
}

fn compute_if_absent<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let k = arg(args, 0)?.clone();
    let key = key_of(&k)?;
    if let Some(v) = present_value(m, &key) {
        return Ok(v);
    }
    let v = rt.call_func(arg(args, 1)?, vec![k])?;
    if !v.is_null() {
        m.borrow_mut().insert(key, v.clone());
    }
    Ok(v)
}

fn for_each<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    for (k, v) in ordered_entries(recv) {
        rt.call_func(arg(args, 0)?, vec![k, v])?;
    }
    Ok(Val::Null)
}

fn compute<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let k = arg(args, 0)?.clone();
    let key = key_of(&k)?;
    let old = m.borrow().entries.get(&key).cloned().unwrap_or_default();
    let v = rt.call_func(arg(args, 1)?, vec![k, old])?;
    Ok(store_computed(m, key, v))
}

fn compute_if_present<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let k = arg(args, 0)?.clone();
    let key = key_of(&k)?;
    let Some(old) = present_value(m, &key) else {
        return Ok(Val::Null);
    };
    let v = rt.call_func(arg(args, 1)?, vec![k, old])?;
    Ok(store_computed(m, key, v))
}

fn merge<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let key = key_of(arg(args, 0)?)?;
    let value = arg(args, 1)?.clone();
    if value.is_null() {
        return Err(Thrown::new(ExceptionKind::NullPointer, String::new()));
    }
    let v = match present_value(m, &key) {
        Some(old) => rt.call_func(arg(args, 2)?, vec![old, value])?,
        None => value,
    };
    Ok(store_computed(m, key, v))
}

fn remove_pair<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let expected = arg(args, 1)?;
    let m = writable_map(recv)?;
    let Some(key) = arg(args, 0)?.to_key() else {
        return Ok(Val::Bool(false));
    };
    let matches = m
        .borrow()
        .entries
        .get(&key)
        .is_some_and(|v| java_equals(v, expected));
    if matches {
        m.borrow_mut().remove(&key);
    }
    Ok(Val::Bool(matches))
}

fn replace<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let v = args.pop().unwrap_or_default();
    let key = key_of(arg(args, 0)?)?;
    let mut m = m.borrow_mut();
    match m.entries.get_mut(&key) {
        Some(slot) => Ok(std::mem::replace(slot, v)),
        None => Ok(Val::Null),
    }
}

fn replace_all<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let m = writable_map(recv)?;
    let snapshot = java_ordered_snapshot(m);
    for (k, v) in snapshot {
        let new = rt.call_func(arg(args, 0)?, vec![k.to_val(), v])?;
        if let Some(slot) = m.borrow_mut().entries.get_mut(&k) {
            *slot = new;
        }
    }
    Ok(Val::Null)
}

fn count<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut n = 0;
    for (k, v) in ordered_entries(recv) {
        if crate::interp::ops::to_bool(&rt.call_func(arg(args, 0)?, vec![k, v])?)? {
            n += 1;
        }
    }
    Ok(Val::Int(n))
}

fn collect<'a>(rt: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let mut out = Vec::new();
    for (k, v) in ordered_entries(recv) {
        out.push(rt.call_func(arg(args, 0)?, vec![k, v])?);
    }
    Ok(Val::new_list(out))
}

fn entry_key<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Entry(e) = recv else {
        return Ok(Val::Null);
    };
    Ok(e.key.clone())
}

fn entry_value<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Entry(e) = recv else {
        return Ok(Val::Null);
    };
    Ok(e.value.borrow().clone())
}

fn entry_set_value<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Entry(e) = recv else {
        return Ok(Val::Null);
    };
    let Some(map) = &e.map else {
        return Err(read_only());
    };
    super::writable(map)?;
    let v = args.pop().unwrap_or_default();
    let key = key_of(&e.key)?;
    map.borrow_mut().entries.insert(key, v.clone());
    Ok(e.value.replace(v))
}

/// The value `key` maps to unless missing or null: what `HashMap`'s
/// `compute*` and `merge` treat as present.
fn present_value<'a>(m: &MapRef<'a>, key: &Key<'a>) -> Option<Val<'a>> {
    m.borrow()
        .entries
        .get(key)
        .filter(|v| !v.is_null())
        .cloned()
}

/// The entries copied out in Java order, so a callback may change the map
/// while they are walked.
fn java_ordered_snapshot<'a>(m: &MapRef<'a>) -> Vec<(Key<'a>, Val<'a>)> {
    m.borrow()
        .iter_java()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Stores what a `compute`, `computeIfPresent` or `merge` function returned:
/// null removes the key. Returns the value.
fn store_computed<'a>(m: &MapRef<'a>, key: Key<'a>, v: Val<'a>) -> Val<'a> {
    if v.is_null() {
        m.borrow_mut().remove(&key);
    } else {
        m.borrow_mut().insert(key, v.clone());
    }
    v
}

/// The map behind `recv` when it may be changed.
fn writable_map<'v, 'a>(recv: &'v Val<'a>) -> R<&'v MapRef<'a>> {
    match recv {
        Val::Map(m) => {
            super::writable(m)?;
            Ok(m)
        }
        _ => Err(read_only()),
    }
}

/// Removes the entries of `map` for which `keep` says false (view
/// `removeIf`). Returns whether anything was removed.
pub(crate) fn retain_entries<'a>(
    rt: &mut Runtime<'a>,
    map: &MapRef<'a>,
    kind: ViewKind,
    pred: &Val<'a>,
) -> R<bool> {
    let snapshot = java_ordered_snapshot(map);
    super::writable(map)?;
    let mut removed = false;
    for (k, v) in snapshot {
        let item = match kind {
            ViewKind::Keys => k.to_val(),
            ViewKind::Values => v,
            ViewKind::Entries => Val::Entry(Rc::new(crate::value::EntryObj {
                key: k.to_val(),
                value: std::cell::RefCell::new(v),
                map: Some(map.clone()),
            })),
        };
        let r = rt.call_func(pred, vec![item])?;
        if crate::interp::ops::to_bool(&r)? {
            map.borrow_mut().remove(&k);
            removed = true;
        }
    }
    Ok(removed)
}
