//! Shared plumbing for containers: field and brace access with Painless's
//! shortcuts (`map.key`, `list[-1]`, `x.empty` → `isEmpty()`), iteration
//! for `for` loops, keys, and the collection constructors.

use std::cell::RefCell;
use std::rc::Rc;

use super::{Constructor, read_only};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown, ops};
use crate::types::Base;
use crate::value::{
    EntryObj, Key, ListRef, MapObj, MapRef, Str, Val, ViewKind, map_entries, map_get, map_put,
};

/// The key form of a value; containers cannot be keys in this subset.
pub(crate) fn key_of<'a>(v: &Val<'a>) -> R<Key<'a>> {
    v.to_key().ok_or_else(|| {
        Thrown::new(
            ExceptionKind::IllegalArgument,
            format!(
                "unsupported: [{}] as a map key or set element",
                v.class_name()
            ),
        )
    })
}

/// `target.name` (Painless's def field access).
pub(crate) fn get_field<'a>(rt: &mut Runtime<'a>, target: &Val<'a>, name: &str) -> R<Val<'a>> {
    // Painless looks for a getter first (`map.empty` is `isEmpty()`), then
    // the map shortcut (`map.key`), then the list shortcut (`list.0`).
    match target {
        Val::Null => Err(Thrown::null_def_reference(name)),
        Val::Map(_) | Val::DocMap(_) if name == "empty" => getter(rt, target, name),
        Val::Map(m) => Ok(map_get(m, &Key::Str(Str::Borrowed(name))).unwrap_or_default()),
        Val::DocMap(m) => Ok(m.get(name).map(Val::from_doc).unwrap_or_default()),
        Val::Array(a, _) if name == "length" => Ok(Val::Int(a.borrow().len() as i32)),
        Val::List(_) | Val::DocList(_) if name == "empty" || name == "length" => {
            getter(rt, target, name)
        }
        Val::List(_) | Val::DocList(_) => match name.parse::<i32>() {
            Ok(i) => get_index(target, &Val::Int(i)),
            Err(_) => Err(illegal_list_shortcut(name)),
        },
        _ => getter(rt, target, name),
    }
}

fn illegal_list_shortcut(name: &str) -> Thrown {
    Thrown::new(
        ExceptionKind::IllegalArgument,
        format!("Illegal list shortcut value [{name}]."),
    )
}

/// `x.empty` → `x.isEmpty()`, `e.key` → `e.getKey()`.
fn getter<'a>(rt: &mut Runtime<'a>, target: &Val<'a>, name: &str) -> R<Val<'a>> {
    if let Some(r) = super::call_getter(rt, target, name) {
        return r;
    }
    Err(Thrown::new(
        ExceptionKind::IllegalArgument,
        format!("dynamic getter [{}, {name}] not found", target.class_name()),
    ))
}

/// `target.name = v`.
pub(crate) fn set_field<'a>(
    rt: &mut Runtime<'a>,
    target: &Val<'a>,
    name: &'a str,
    v: Val<'a>,
) -> R<()> {
    match target {
        Val::Null => Err(Thrown::null_def_reference(name)),
        Val::Map(m) => {
            super::writable(m)?;
            // The name lives as long as the script: the key borrows it.
            let key = Key::Str(Str::Borrowed(name));
            if let Some(guard) = &rt.guard {
                guard.check_put(m, &key, &v)?;
            }
            map_put(m, key, v);
            Ok(())
        }
        Val::DocMap(_) | Val::DocList(_) => Err(read_only()),
        Val::List(_) => match name.parse::<i32>() {
            Ok(i) => set_index(rt, target, &Val::Int(i), v),
            Err(_) => Err(illegal_list_shortcut(name)),
        },
        _ => Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            format!("dynamic setter [{}, {name}] not found", target.class_name()),
        )),
    }
}

fn index_value(i: &Val<'_>) -> R<i64> {
    match ops::num(i) {
        Some(ops::Num::I(n)) => Ok(i64::from(n)),
        Some(ops::Num::L(n)) => Ok(n),
        _ if i.is_null() => Err(Thrown::new(ExceptionKind::NullPointer, String::new())),
        _ => Err(Thrown::new(
            ExceptionKind::ClassCast,
            format!("Cannot cast {} to java.lang.Integer", i.class_name()),
        )),
    }
}

/// Painless's negative index normalisation, then Java's bounds check.
fn normalize(i: i64, len: usize, array: bool) -> R<usize> {
    let n = if i < 0 { i + len as i64 } else { i };
    if n < 0 || n >= len as i64 {
        return Err(Thrown::new(
            if array {
                ExceptionKind::ArrayIndexOutOfBounds
            } else {
                ExceptionKind::IndexOutOfBounds
            },
            format!("Index {i} out of bounds for length {len}"),
        ));
    }
    Ok(n as usize)
}

/// `target[index]`.
pub(crate) fn get_index<'a>(target: &Val<'a>, index: &Val<'a>) -> R<Val<'a>> {
    match target {
        Val::Null => Err(Thrown::new(
            ExceptionKind::NullPointer,
            "Cannot invoke \"Object.getClass()\" because \"receiver\" is null".to_owned(),
        )),
        Val::Map(m) => Ok(map_get(m, &key_of(index)?).unwrap_or_default()),
        Val::DocMap(m) => Ok(match index {
            Val::Str(s) => m.get(s.as_str()).map(Val::from_doc).unwrap_or_default(),
            _ => Val::Null,
        }),
        Val::List(l) => {
            let l = l.borrow();
            let i = normalize(index_value(index)?, l.len(), false)?;
            Ok(l[i].clone())
        }
        Val::Array(l, _) => {
            let l = l.borrow();
            let i = normalize(index_value(index)?, l.len(), true)?;
            Ok(l[i].clone())
        }
        Val::DocList(l) => {
            let i = normalize(index_value(index)?, l.len(), false)?;
            Ok(Val::from_doc(&l[i]))
        }
        other => Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            format!(
                "Attempting to address a non-array type [{}] as an array.",
                other.class_name()
            ),
        )),
    }
}

/// `target[index] = v`.
pub(crate) fn set_index<'a>(
    rt: &mut Runtime<'a>,
    target: &Val<'a>,
    index: &Val<'a>,
    v: Val<'a>,
) -> R<()> {
    match target {
        Val::Null => Err(Thrown::new(
            ExceptionKind::NullPointer,
            "Cannot invoke \"Object.getClass()\" because \"receiver\" is null".to_owned(),
        )),
        Val::Map(m) => {
            super::writable(m)?;
            let key = key_of(index)?;
            if let Some(guard) = &rt.guard {
                guard.check_put(m, &key, &v)?;
            }
            map_put(m, key, v);
            Ok(())
        }
        Val::DocMap(_) | Val::DocList(_) => Err(read_only()),
        Val::List(l) => {
            let mut l = l.borrow_mut();
            let i = normalize(index_value(index)?, l.len(), false)?;
            l[i] = v;
            Ok(())
        }
        Val::Array(l, base) => {
            let mut l = l.borrow_mut();
            let i = normalize(index_value(index)?, l.len(), true)?;
            l[i] = ops::convert(v, crate::types::Ty::of(*base), false)?;
            Ok(())
        }
        other => Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            format!(
                "Attempting to address a non-array type [{}] as an array.",
                other.class_name()
            ),
        )),
    }
}

/// What a `for` loop walks.
pub(crate) enum Walk<'a> {
    Items(std::vec::IntoIter<Val<'a>>),
    /// A live map view: Java order fixed at the start, modifications
    /// detected like `HashMap`'s fail-fast iterators. Keys and values of a
    /// map still in document form are read in place, so walking it does not
    /// open it; a map opened during the walk (by the script, or because many
    /// containers were taken out) goes on from the same entry indices, which
    /// opening keeps.
    MapView {
        map: MapRef<'a>,
        kind: ViewKind,
        /// Entry indices in Java order; valid while `mods` and `len` are
        /// unchanged.
        order: Rc<[usize]>,
        pos: usize,
        /// Modifications when the walk started (an opened map starts at 0).
        mods: u64,
        /// Entries when the walk started: keys put into a map still in
        /// document form count no modification but change this.
        len: usize,
    },
    /// A live `ArrayList`: like its fail-fast iterator, the walk ends when
    /// the cursor reaches the current size and fails when the list changed
    /// size in between (Java counts modifications; a size change is the
    /// part a script can observe).
    List {
        list: ListRef<'a>,
        pos: usize,
        len: usize,
    },
}

impl<'a> Walk<'a> {
    pub(crate) fn next_item(&mut self) -> R<Option<Val<'a>>> {
        match self {
            Walk::Items(it) => Ok(it.next()),
            Walk::List { list, pos, len } => {
                let l = list.borrow();
                if *pos == l.len() {
                    return Ok(None);
                }
                if l.len() != *len {
                    return Err(Thrown::new(
                        ExceptionKind::ConcurrentModification,
                        String::new(),
                    ));
                }
                let item = l.get(*pos).cloned();
                *pos += 1;
                Ok(item)
            }
            Walk::MapView {
                map,
                kind,
                order,
                pos,
                mods,
                len,
            } => {
                let Some(&i) = order.get(*pos) else {
                    return Ok(None);
                };
                *pos += 1;
                if *kind != ViewKind::Entries {
                    if let Some(mut source) = map.source_mut() {
                        if source.len() != *len {
                            return Err(concurrent_modification());
                        }
                        if source.taken_count() < MAX_TAKEN_IN_PLACE {
                            return Ok(match kind {
                                ViewKind::Keys => source.key_at(i),
                                _ => source.value_at(i),
                            });
                        }
                    }
                }
                let m = map.borrow();
                if m.mods != *mods || m.entries.len() != *len {
                    return Err(concurrent_modification());
                }
                // No structural change: the entry is still at index `i`.
                let Some((k, v)) = m.entries.get_index(i) else {
                    return Ok(None);
                };
                Ok(Some(match kind {
                    ViewKind::Keys => k.to_val(),
                    ViewKind::Values => v.clone(),
                    ViewKind::Entries => Val::Entry(Rc::new(EntryObj {
                        key: k.to_val(),
                        value: RefCell::new(v.clone()),
                        map: Some(map.clone()),
                    })),
                }))
            }
        }
    }
}

/// The items of any iterable, in Java's iteration order.
pub(crate) fn items<'a>(v: &Val<'a>) -> R<Vec<Val<'a>>> {
    let mut w = iterate(v)?;
    let mut out = Vec::new();
    while let Some(x) = w.next_item()? {
        out.push(x);
    }
    Ok(out)
}

/// Starts iterating `v` for a `for (x : v)` loop.
pub(crate) fn iterate<'a>(v: &Val<'a>) -> R<Walk<'a>> {
    let items: Vec<Val<'a>> = match v {
        Val::List(l) => {
            let len = l.borrow().len();
            return Ok(Walk::List {
                list: l.clone(),
                pos: 0,
                len,
            });
        }
        Val::Array(l, _) | Val::Stream(l) => l.borrow().clone(),
        Val::DocList(l) => l.iter().map(Val::from_doc).collect(),
        Val::Set(s) => {
            let s = s.borrow();
            s.iter_java().map(|(k, _)| k.to_val()).collect()
        }
        Val::View(m, kind) => {
            // Keys and values of a map in document form are walked in place
            // (see `Walk::MapView`); anything else walks the opened map.
            let in_place = match m.source() {
                Some(source) if *kind != ViewKind::Entries => {
                    Some((source.java_order(), source.len()))
                }
                _ => None,
            };
            let (order, mods, len) = match in_place {
                Some((order, len)) => (order, 0, len),
                None => {
                    let mb = m.borrow();
                    (mb.java_order(), mb.mods, mb.entries.len())
                }
            };
            return Ok(Walk::MapView {
                map: m.clone(),
                kind: *kind,
                order,
                pos: 0,
                mods,
                len,
            });
        }
        Val::DocView(m, kind) => {
            let order = isc_value::java_hashmap_order(m);
            order
                .into_iter()
                .filter_map(|i| m.get_index(i))
                .map(|(k, val)| match kind {
                    ViewKind::Keys => Val::Str(Str::Borrowed(k.as_str())),
                    ViewKind::Values => Val::from_doc(val),
                    ViewKind::Entries => Val::Entry(Rc::new(EntryObj {
                        key: Val::Str(Str::Borrowed(k.as_str())),
                        value: RefCell::new(Val::from_doc(val)),
                        map: None,
                    })),
                })
                .collect()
        }
        Val::Iter(it) => {
            let mut it = it.borrow_mut();
            let at = it.pos.min(it.items.len());
            let rest = it.items.split_off(at);
            it.pos = it.items.len();
            rest
        }
        Val::Null => {
            return Err(Thrown::new(
                ExceptionKind::NullPointer,
                "Cannot invoke \"Object.getClass()\" because \"receiver\" is null".to_owned(),
            ));
        }
        other => {
            return Err(Thrown::new(
                ExceptionKind::IllegalArgument,
                format!("Cannot iterate over [{}]", other.class_name()),
            ));
        }
    };
    Ok(Walk::Items(items.into_iter()))
}

/// Containers a walk takes out of a map in document form before it opens
/// the map instead (each lookup of a taken container scans them).
const MAX_TAKEN_IN_PLACE: usize = 16;

fn concurrent_modification() -> Thrown {
    Thrown::new(ExceptionKind::ConcurrentModification, String::new())
}

/// A fresh `HashMap` copying a map's entries (insertion order kept).
pub(crate) fn copy_map<'a>(v: &Val<'a>) -> R<MapObj<'a>> {
    let Some(entries) = map_entries(v) else {
        return Err(super::cast_error(v, "java.util.Map"));
    };
    let mut m = MapObj::for_map_copy(entries.len());
    for (k, val) in entries {
        m.insert(key_of(&k)?, val);
    }
    Ok(m)
}

/// The items of a `Collection` argument; other values fail the cast.
pub(crate) fn collection_items<'a>(v: &Val<'a>) -> R<Vec<Val<'a>>> {
    match v {
        Val::Null => Err(Thrown::new(ExceptionKind::NullPointer, String::new())),
        Val::List(_) | Val::DocList(_) | Val::Set(_) | Val::View(..) | Val::DocView(..) => items(v),
        other => Err(super::cast_error(other, "java.util.Collection")),
    }
}

fn new_hash_map<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    match args.first() {
        None => Ok(Val::new_map(MapObj::new())),
        Some(Val::Null) => Err(Thrown::new(ExceptionKind::NullPointer, String::new())),
        Some(v) => Ok(Val::new_map(copy_map(v)?)),
    }
}

fn new_array_list<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    match args.first() {
        None => Ok(Val::new_list(Vec::new())),
        Some(v) => Ok(Val::new_list(collection_items(v)?)),
    }
}

fn new_hash_set<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    match args.first() {
        None => Ok(Val::Set(crate::shared::Shared::new(MapObj::new()))),
        Some(v) => {
            let xs = collection_items(v)?;
            let mut s = MapObj::for_set_copy(xs.len());
            for x in xs {
                s.insert(key_of(&x)?, Val::Null);
            }
            Ok(Val::Set(crate::shared::Shared::new(s)))
        }
    }
}

fn linked<'a>(v: Val<'a>) -> Val<'a> {
    if let Val::Map(m) | Val::Set(m) = &v {
        m.borrow_mut().linked = true;
    }
    v
}

fn sorted<'a>(v: Val<'a>) -> Val<'a> {
    if let Val::Map(m) | Val::Set(m) = &v {
        m.borrow_mut().sorted = true;
    }
    v
}

fn new_tree_map<'a>(rt: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    new_hash_map(rt, args).map(sorted)
}

fn new_tree_set<'a>(rt: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    new_hash_set(rt, args).map(sorted)
}

fn new_linked_hash_map<'a>(rt: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    new_hash_map(rt, args).map(linked)
}

fn new_linked_hash_set<'a>(rt: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    new_hash_set(rt, args).map(linked)
}

/// Constructors of the collection classes (the whitelist has `()` and a
/// copy constructor for each).
pub(crate) fn constructor(class: Base, arity: usize) -> Option<Constructor> {
    match (class, arity) {
        (Base::HashMap, 0 | 1) => Some(new_hash_map),
        (Base::LinkedHashMap, 0 | 1) => Some(new_linked_hash_map),
        (Base::ArrayList, 0 | 1) => Some(new_array_list),
        (Base::HashSet, 0 | 1) => Some(new_hash_set),
        (Base::LinkedHashSet, 0 | 1) => Some(new_linked_hash_set),
        (Base::TreeMap, 0 | 1) => Some(new_tree_map),
        (Base::TreeSet, 0 | 1) => Some(new_tree_set),
        _ => None,
    }
}

/// Painless's `getByPath(path[, default])` augmentation on maps and lists:
/// dot-separated keys and list indices.
pub(crate) fn get_by_path<'a>(recv: &Val<'a>, path: &str, default: Option<&Val<'a>>) -> R<Val<'a>> {
    let illegal = |m: String| Thrown::new(ExceptionKind::IllegalArgument, m);
    if path.is_empty() {
        return Err(illegal("Missing path".to_owned()));
    }
    if path.ends_with('.') {
        return Err(illegal(format!("Trailing '.' in path [{path}]")));
    }
    let elements: Vec<&str> = path.split('.').collect();
    let joined = elements.join(".");
    let mut current = recv.clone();
    for (i, element) in elements.iter().enumerate() {
        if element.is_empty() {
            return Err(illegal(format!(
                "Extra '.' in path [{joined}] at index [{i}]"
            )));
        }
        let missing = |obj: &Val<'a>| -> R<Val<'a>> {
            let container = matches!(
                obj,
                Val::Map(_) | Val::DocMap(_) | Val::List(_) | Val::DocList(_)
            );
            if container {
                if i == elements.len() - 1 {
                    return match default {
                        Some(d) => Ok(d.clone()),
                        None => Err(illegal(format!("Could not find value at path [{path}]"))),
                    };
                }
                return Err(illegal(format!(
                    "Container does not have [{element}], for non-terminal index [{i}] in path [{joined}]"
                )));
            }
            let class = if obj.is_null() {
                "null"
            } else {
                obj.class_name()
            };
            Err(illegal(format!(
                "Non-container [{class}] at [{element}], index [{i}] in path [{joined}]"
            )))
        };
        let next = match &current {
            Val::Map(m) => m
                .borrow()
                .entries
                .get(&Key::Str(Str::Borrowed(element)))
                .cloned(),
            Val::DocMap(m) => m.get(*element).map(Val::from_doc),
            Val::List(_) | Val::DocList(_) => {
                let Ok(index) = element.parse::<i32>() else {
                    return Err(illegal(format!(
                        "Could not parse [{element}] as a int index into list at path [{joined}] and index [{i}]"
                    )));
                };
                // As Painless: an index up to the size is read (and fails
                // with Java's bounds error when equal or negative).
                let len = match &current {
                    Val::List(l) => l.borrow().len(),
                    Val::DocList(l) => l.len(),
                    _ => 0,
                };
                if i64::from(index) <= len as i64 {
                    if index < 0 || index as usize >= len {
                        return Err(Thrown::new(
                            ExceptionKind::IndexOutOfBounds,
                            format!("Index {index} out of bounds for length {len}"),
                        ));
                    }
                    get_index(&current, &Val::Int(index)).ok()
                } else {
                    None
                }
            }
            _ => None,
        };
        current = match next {
            Some(v) => v,
            None => return missing(&current),
        };
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc_source::MapSource;
    use crate::shared::Shared;

    fn document_map(json: &str) -> MapRef<'static> {
        match isc_value::from_json_str(json) {
            Ok(isc_value::Value::Map(m)) => Shared::lazy(MapSource::owned(m)),
            other => panic!("{other:?}"),
        }
    }

    fn walk<'a>(m: &MapRef<'a>, kind: ViewKind) -> Vec<Val<'a>> {
        items(&Val::View(m.clone(), kind)).unwrap()
    }

    #[test]
    fn keys_and_values_of_a_document_map_are_walked_without_opening_it() {
        let m = document_map(r#"{"b":1,"a":{"x":2},"c":"s"}"#);
        let keys = walk(&m, ViewKind::Keys);
        let values = walk(&m, ViewKind::Values);
        assert!(m.is_pending());
        let opened = document_map(r#"{"b":1,"a":{"x":2},"c":"s"}"#);
        opened.borrow();
        assert!(!opened.is_pending());
        let text = |vs: &[Val<'_>]| {
            vs.iter()
                .map(|v| v.to_value().to_java_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(text(&keys), text(&walk(&opened, ViewKind::Keys)));
        assert_eq!(text(&values), text(&walk(&opened, ViewKind::Values)));
        assert_eq!(text(&keys), ["a", "b", "c"]);
    }

    #[test]
    fn entries_of_a_document_map_are_walked_on_the_opened_map() {
        let m = document_map(r#"{"b":1,"a":2}"#);
        assert_eq!(walk(&m, ViewKind::Entries).len(), 2);
        assert!(!m.is_pending());
    }
}
