//! Field paths (`a.b.0.c`) compiled once, and the five operations
//! Elasticsearch's `IngestDocument` performs with them: get, has, set,
//! append and remove, with its exact error messages.
//!
//! Paths follow the default ("classic") access pattern: a path starting with
//! `_ingest.` addresses the ingest metadata, a `_source.` prefix is dropped,
//! the rest splits on dots; a part addresses a map key, or a list index when
//! the value there is a list (`Integer.parseInt` of the part).

use std::hash::BuildHasher;

use indexmap::map::raw_entry_v1::{RawEntryApiV1, RawEntryMut};
use isc_value::{MAX_DOCUMENT_DEPTH, Map, MapHasher, Value};

use crate::error::IngestError;
use crate::java_number::parse_int;

/// A compiled field path. Invalid paths compile too and report their error
/// (`path cannot be null nor empty`, `fieldName cannot be empty`) each time
/// they are used, as Elasticsearch does at execution time.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    raw: String,
    ingest: bool,
    parts: Result<Vec<Part>, String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Part {
    name: String,
    /// `Integer.parseInt(name)`, used when the part meets a list.
    index: Option<i32>,
}

impl FieldPath {
    /// Compiles `path`.
    pub fn new(path: &str) -> FieldPath {
        let (ingest, rest) = if let Some(rest) = path.strip_prefix("_ingest.") {
            (true, rest)
        } else {
            (false, path.strip_prefix("_source.").unwrap_or(path))
        };
        FieldPath {
            raw: path.to_owned(),
            ingest,
            parts: parse_parts(path, rest),
        }
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// True when the path addresses `_ingest` metadata.
    pub fn is_ingest(&self) -> bool {
        self.ingest
    }

    /// The error Elasticsearch gives for this path when it is invalid.
    pub fn validate(&self) -> Result<(), IngestError> {
        self.parts().map(|_| ())
    }

    fn parts(&self) -> Result<&[Part], IngestError> {
        match &self.parts {
            Ok(p) => Ok(p),
            Err(msg) => Err(IngestError::illegal_argument(msg.clone())),
        }
    }

    /// `getFieldValue`: the value at the path (which may be `Null`).
    pub fn get<'a>(&self, root: &'a Map) -> Result<&'a Value, IngestError> {
        let parts = self.parts()?;
        let (first, rest) = split_first(parts)?;
        let mut current = match root.get(&first.name) {
            Some(v) => v,
            None => return Err(not_present(&self.raw, &first.name)),
        };
        for part in rest {
            current = step(&self.raw, current, part)?;
        }
        Ok(current)
    }

    /// The value at the path, or `None` whenever [`FieldPath::get`] would
    /// fail: the same walk without building an error message.
    pub fn find<'a>(&self, root: &'a Map) -> Option<&'a Value> {
        let parts = self.parts.as_ref().ok()?;
        let (first, rest) = parts.split_first()?;
        let mut current = root.get(&first.name)?;
        for part in rest {
            current = match current {
                Value::Map(m) => m.get(&part.name)?,
                Value::List(l) => list_get(l, part.index?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// The value at the path, mutably (same errors as [`FieldPath::get`]).
    pub fn get_mut<'a>(&self, root: &'a mut Map) -> Result<&'a mut Value, IngestError> {
        let parts = self.parts()?;
        let (first, rest) = split_first(parts)?;
        let mut current = match root.get_mut(&first.name) {
            Some(v) => v,
            None => return Err(not_present(&self.raw, &first.name)),
        };
        for part in rest {
            current = step_mut(&self.raw, current, part)?;
        }
        Ok(current)
    }

    /// `hasField(path, failOutOfRange)`.
    pub fn has(&self, root: &Map, fail_out_of_range: bool) -> Result<bool, IngestError> {
        let parts = self.parts()?;
        let (leaf, containers) = split_last(parts)?;
        let mut current: Option<&Value> = None;
        for (i, part) in containers.iter().enumerate() {
            let next = if i == 0 {
                root.get(&part.name)
            } else {
                match current {
                    None | Some(Value::Null) => return Ok(false),
                    Some(Value::Map(m)) => m.get(&part.name),
                    Some(Value::List(l)) => match part.index {
                        None => return Ok(false),
                        Some(idx) => match list_get(l, idx) {
                            Some(v) => Some(v),
                            None if fail_out_of_range => {
                                return Err(out_of_bounds(&self.raw, idx, l.len()));
                            }
                            None => return Ok(false),
                        },
                    },
                    Some(_) => return Ok(false),
                }
            };
            current = next;
            if current.is_none() {
                return Ok(false);
            }
        }
        if containers.is_empty() {
            return Ok(root.contains_key(&leaf.name));
        }
        Ok(match current {
            Some(Value::Map(m)) => m.contains_key(&leaf.name),
            Some(Value::List(l)) => match leaf.index {
                None => false,
                Some(idx) if idx >= 0 && (idx as usize) < l.len() => true,
                Some(idx) if fail_out_of_range => {
                    return Err(out_of_bounds(&self.raw, idx, l.len()));
                }
                Some(_) => false,
            },
            _ => false,
        })
    }

    /// `setFieldValue`: creates missing maps on the way; a list index as
    /// the last part replaces that element.
    pub fn set(&self, root: &mut Map, value: Value) -> Result<(), IngestError> {
        self.set_within(root, value, usize::MAX)
    }

    /// [`FieldPath::set`] for a value known to nest at most `levels` levels
    /// of objects and lists (a parsed JSON text): the depth check only walks
    /// it when that many levels could pass [`MAX_DOCUMENT_DEPTH`].
    pub fn set_within(
        &self,
        root: &mut Map,
        value: Value,
        levels: usize,
    ) -> Result<(), IngestError> {
        self.write(root, value, None, levels)
    }

    /// `appendFieldValue`: turns a scalar into a list, adds list values one
    /// by one, skips values already present unless `allow_duplicates`.
    pub fn append(
        &self,
        root: &mut Map,
        value: Value,
        allow_duplicates: bool,
    ) -> Result<(), IngestError> {
        self.write(root, value, Some(allow_duplicates), usize::MAX)
    }

    /// `removeField(path, ignoreMissing)`; returns the removed value.
    pub fn remove(
        &self,
        root: &mut Map,
        ignore_missing: bool,
    ) -> Result<Option<Value>, IngestError> {
        let parts = self.parts()?;
        let (leaf, containers) = split_last(parts)?;
        if containers.is_empty() {
            return match root.shift_remove(&leaf.name) {
                Some(v) => Ok(Some(v)),
                None if ignore_missing => Ok(None),
                None => Err(not_present(&self.raw, &leaf.name)),
            };
        }
        let (first, rest) = split_first(containers)?;
        let mut current = match root.get_mut(&first.name) {
            Some(v) => v,
            None if ignore_missing => return Ok(None),
            None => return Err(not_present(&self.raw, &first.name)),
        };
        for part in rest {
            current = match step_mut(&self.raw, current, part) {
                Ok(v) => v,
                Err(_) if ignore_missing => return Ok(None),
                Err(e) => return Err(e),
            };
        }
        match current {
            Value::Null if ignore_missing => Ok(None),
            Value::Null => Err(IngestError::illegal_argument(format!(
                "cannot remove [{}] from null as part of path [{}]",
                leaf.name, self.raw
            ))),
            Value::Map(m) => match m.shift_remove(&leaf.name) {
                Some(v) => Ok(Some(v)),
                None if ignore_missing => Ok(None),
                None => Err(not_present(&self.raw, &leaf.name)),
            },
            Value::List(l) => match leaf.index {
                None if ignore_missing => Ok(None),
                None => Err(not_integer_with_cause(&self.raw, &leaf.name)),
                Some(idx) if idx >= 0 && (idx as usize) < l.len() => {
                    Ok(Some(l.remove(idx as usize)))
                }
                Some(_) if ignore_missing => Ok(None),
                Some(idx) => Err(out_of_bounds(&self.raw, idx, l.len())),
            },
            _ if ignore_missing => Ok(None),
            other => Err(IngestError::illegal_argument(format!(
                "cannot remove [{}] from object of type [{}] as part of path [{}]",
                leaf.name,
                other.java_type_name(),
                self.raw
            ))),
        }
    }

    /// Like [`FieldPath::set`], giving the value back with the error when it
    /// cannot be written, so that a caller can put it elsewhere without
    /// having cloned it first (`rename`).
    pub fn set_or_return(
        &self,
        root: &mut Map,
        value: Value,
    ) -> Result<(), Box<(IngestError, Value)>> {
        self.write_back(root, value, None, usize::MAX)
    }

    fn write(
        &self,
        root: &mut Map,
        value: Value,
        append: Option<bool>,
        levels: usize,
    ) -> Result<(), IngestError> {
        self.write_back(root, value, append, levels)
            .map_err(|failure| failure.0)
    }

    /// Writes `value`, which nests at most `levels` levels; every failure
    /// happens before the value is consumed and returns it.
    fn write_back(
        &self,
        root: &mut Map,
        value: Value,
        append: Option<bool>,
        levels: usize,
    ) -> Result<(), Box<(IngestError, Value)>> {
        let parts = match self.parts().and_then(split_last) {
            Ok(parts) => parts,
            Err(e) => return Err(Box::new((e, value))),
        };
        if let Err(e) = self.check_depth(parts.1.len() + 1, &value, levels) {
            return Err(Box::new((e, value)));
        }
        let (leaf, containers) = parts;
        let Some((first, rest)) = containers.split_first() else {
            write_into_map(root, &leaf.name, value, append);
            return Ok(());
        };
        let current = match self.write_parent(root, first, rest) {
            Ok(parent) => parent,
            Err(WalkError::OutOfBounds(e) | WalkError::Other(e)) => {
                return Err(Box::new((e, value)));
            }
        };
        let error = match current {
            Value::Map(m) => {
                write_into_map(m, &leaf.name, value, append);
                return Ok(());
            }
            Value::List(l) => {
                let len = l.len();
                let slot = match leaf.index {
                    None => Err(not_integer_with_cause(&self.raw, &leaf.name)),
                    Some(idx) => {
                        list_get_mut(l, idx).ok_or_else(|| out_of_bounds(&self.raw, idx, len))
                    }
                };
                match slot {
                    Ok(slot) => {
                        match append {
                            None => *slot = value,
                            Some(allow_duplicates) => append_values(slot, value, allow_duplicates),
                        }
                        return Ok(());
                    }
                    Err(e) => e,
                }
            }
            other => cannot_set(&self.raw, &leaf.name, other),
        };
        Err(Box::new((error, value)))
    }

    /// True when both paths are valid and address different top-level
    /// fields (or different roots): taking a value from one then cannot
    /// change what the other resolves to.
    pub fn is_disjoint_from(&self, other: &FieldPath) -> bool {
        match (&self.parts, &other.parts) {
            (Ok(a), Ok(b)) => match (a.first(), b.first()) {
                (Some(x), Some(y)) => self.ingest != other.ingest || x.name != y.name,
                _ => false,
            },
            _ => false,
        }
    }

    /// `hasField(path, true)` then `removeField(path)` in one walk: the
    /// value and its position in its container when the field exists,
    /// `None` where `hasField` answers false, and `hasField`'s error.
    pub fn take(&self, root: &mut Map) -> Result<Option<(Value, usize)>, IngestError> {
        let parts = self.parts()?;
        let (leaf, containers) = split_last(parts)?;
        let Some((first, rest)) = containers.split_first() else {
            return Ok(root
                .shift_remove_full(&leaf.name)
                .map(|(index, _, value)| (value, index)));
        };
        let mut current = match root.get_mut(&first.name) {
            Some(v) => v,
            None => return Ok(None),
        };
        for part in rest {
            current = match current {
                Value::Map(m) => match m.get_mut(&part.name) {
                    Some(v) => v,
                    None => return Ok(None),
                },
                Value::List(l) => {
                    let len = l.len();
                    let Some(idx) = part.index else {
                        return Ok(None);
                    };
                    match list_get_mut(l, idx) {
                        Some(v) => v,
                        None => return Err(out_of_bounds(&self.raw, idx, len)),
                    }
                }
                _ => return Ok(None),
            };
        }
        match current {
            Value::Map(m) => Ok(m
                .shift_remove_full(&leaf.name)
                .map(|(index, _, value)| (value, index))),
            Value::List(l) => match leaf.index {
                None => Ok(None),
                Some(idx) if idx >= 0 && (idx as usize) < l.len() => {
                    Ok(Some((l.remove(idx as usize), idx as usize)))
                }
                Some(idx) => Err(out_of_bounds(&self.raw, idx, l.len())),
            },
            _ => Ok(None),
        }
    }

    /// Puts a value taken by [`FieldPath::take`] back where it was, as if it
    /// had never been taken.
    pub fn put_back(&self, root: &mut Map, value: Value, index: usize) -> Result<(), IngestError> {
        let parts = self.parts()?;
        let (leaf, containers) = split_last(parts)?;
        let container = match containers.split_first() {
            None => {
                shift_insert_at(root, index, &leaf.name, value);
                return Ok(());
            }
            Some((first, rest)) => {
                let mut current = match root.get_mut(&first.name) {
                    Some(v) => v,
                    None => return Err(not_present(&self.raw, &first.name)),
                };
                for part in rest {
                    current = step_mut(&self.raw, current, part)?;
                }
                current
            }
        };
        match container {
            Value::Map(m) => shift_insert_at(m, index, &leaf.name, value),
            Value::List(l) if index <= l.len() => l.insert(index, value),
            other => return Err(cannot_set(&self.raw, &leaf.name, other)),
        }
        Ok(())
    }

    /// `hasField(path, true)` then, unless the field exists and `replace`
    /// is false, `setFieldValue(path, value)`, in one walk. A failure gives
    /// the value back and tells whether it came from the check (nothing was
    /// changed) or from the write.
    pub fn put_checked(
        &self,
        root: &mut Map,
        value: Value,
        replace: bool,
    ) -> Result<(), Box<(PutFailure, Value)>> {
        let (leaf, containers) = match self.parts().and_then(split_last) {
            Ok(parts) => parts,
            Err(e) => return Err(Box::new((PutFailure::Check(e), value))),
        };
        if let Err(e) = self.check_depth(containers.len() + 1, &value, usize::MAX) {
            return Err(Box::new((PutFailure::Check(e), value)));
        }
        let Some((first, rest)) = containers.split_first() else {
            return put_into_map(root, &leaf.name, value, replace);
        };
        let current = match self.write_parent(root, first, rest) {
            Ok(parent) => parent,
            Err(WalkError::OutOfBounds(e)) => return Err(Box::new((PutFailure::Check(e), value))),
            Err(WalkError::Other(e)) => return Err(Box::new((PutFailure::Write(e), value))),
        };
        let failure = match current {
            Value::Map(m) => return put_into_map(m, &leaf.name, value, replace),
            Value::List(l) => {
                let len = l.len();
                match leaf.index {
                    None => PutFailure::Write(not_integer_with_cause(&self.raw, &leaf.name)),
                    Some(idx) => match list_get_mut(l, idx) {
                        Some(_) if !replace => PutFailure::Exists,
                        Some(slot) => {
                            *slot = value;
                            return Ok(());
                        }
                        None => PutFailure::Check(out_of_bounds(&self.raw, idx, len)),
                    },
                }
            }
            other => PutFailure::Write(cannot_set(&self.raw, &leaf.name, other)),
        };
        Err(Box::new((failure, value)))
    }

    /// Refuses a write of `value` at a path of `parts` parts that would nest
    /// containers more than [`MAX_DOCUMENT_DEPTH`] levels below the root:
    /// the value lands at level `parts`. Scalars, and values whose known
    /// bound of `levels` fits, pass without a walk.
    #[inline]
    fn check_depth(&self, parts: usize, value: &Value, levels: usize) -> Result<(), IngestError> {
        let room = (MAX_DOCUMENT_DEPTH + 1).saturating_sub(parts);
        if matches!(value, Value::Map(_) | Value::List(_))
            && levels > room
            && container_levels_exceed(value, room)
        {
            return Err(self.too_deep());
        }
        Ok(())
    }

    #[cold]
    fn too_deep(&self) -> IngestError {
        IngestError::illegal_argument(format!(
            "cannot set [{}]: the document would nest objects and lists more than {MAX_DOCUMENT_DEPTH} levels deep",
            self.raw
        ))
    }

    /// Walks from `root` through `first` and `rest` to the value that holds
    /// a written leaf, creating missing maps on the way (`setFieldValue`).
    fn write_parent<'a>(
        &self,
        root: &'a mut Map,
        first: &Part,
        rest: &[Part],
    ) -> Result<&'a mut Value, WalkError> {
        let mut current = map_slot(root, &first.name);
        for part in rest {
            current = match current {
                Value::Map(m) => map_slot(m, &part.name),
                Value::List(l) => {
                    let len = l.len();
                    let Some(idx) = part.index else {
                        let e = not_integer_with_cause(&self.raw, &part.name);
                        return Err(WalkError::Other(e));
                    };
                    match list_get_mut(l, idx) {
                        Some(v) => v,
                        None => {
                            return Err(WalkError::OutOfBounds(out_of_bounds(&self.raw, idx, len)));
                        }
                    }
                }
                other => {
                    return Err(WalkError::Other(cannot_resolve(
                        &self.raw, &part.name, other,
                    )));
                }
            };
        }
        Ok(current)
    }
}

/// How a write's walk to the leaf's parent failed: an index out of range
/// (which `hasField(path, true)` reports too) or any other problem.
enum WalkError {
    OutOfBounds(IngestError),
    Other(IngestError),
}

/// Why [`FieldPath::put_checked`] did not write its value.
#[derive(Debug)]
pub enum PutFailure {
    /// The field exists and was not to be replaced; nothing changed.
    Exists,
    /// `hasField(path, true)` failed; nothing changed.
    Check(IngestError),
    /// `setFieldValue` failed.
    Write(IngestError),
}

fn put_into_map(
    m: &mut Map,
    key: &str,
    value: Value,
    replace: bool,
) -> Result<(), Box<(PutFailure, Value)>> {
    match map_entry(m, key) {
        (_, RawEntryMut::Occupied(_)) if !replace => Err(Box::new((PutFailure::Exists, value))),
        (_, RawEntryMut::Occupied(mut entry)) => {
            *entry.get_mut() = value;
            Ok(())
        }
        (hash, RawEntryMut::Vacant(entry)) => {
            entry.insert_hashed_nocheck(hash, key.to_owned(), value);
            Ok(())
        }
    }
}

/// Inserts `key` at `index` (at the end when `index` is past it).
fn shift_insert_at(m: &mut Map, index: usize, key: &str, value: Value) {
    let index = index.min(m.len());
    m.shift_insert(index, key.to_owned(), value);
}

fn cannot_set(path: &str, key: &str, parent: &Value) -> IngestError {
    if parent.is_null() {
        return IngestError::illegal_argument(format!(
            "cannot set [{key}] with null parent as part of path [{path}]"
        ));
    }
    IngestError::illegal_argument(format!(
        "cannot set [{key}] with parent object of type [{}] as part of path [{path}]",
        parent.java_type_name()
    ))
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.raw)
    }
}

/// The most parts a field path may have: as many as a document may nest
/// levels ([`MAX_DOCUMENT_DEPTH`]), for paths written in a pipeline and
/// paths built from data (`kv` keys, `dot_expander`) alike.
pub const MAX_PATH_PARTS: usize = MAX_DOCUMENT_DEPTH;

/// Whether `value` has more than `room` levels of containers (a flat map or
/// list is one level; a scalar none). The recursion goes at most `room`
/// levels deep, which [`MAX_DOCUMENT_DEPTH`] bounds.
fn container_levels_exceed(value: &Value, room: usize) -> bool {
    let exceeds = |c: &Value| container_levels_exceed(c, room - 1);
    match value {
        Value::Map(_) | Value::List(_) if room == 0 => true,
        Value::Map(m) => m.values().any(exceeds),
        Value::List(l) => l.iter().any(exceeds),
        _ => false,
    }
}

/// `java.lang.String.split("\\.")` semantics plus Elasticsearch's checks.
fn parse_parts(full: &str, rest: &str) -> Result<Vec<Part>, String> {
    if full.is_empty() {
        return Err("path cannot be null nor empty".to_owned());
    }
    let mut pieces: Vec<&str> = rest.split('.').collect();
    if pieces.len() == 1 && pieces[0].is_empty() {
        return Err(format!("path [{full}] is not valid"));
    }
    while pieces.last().is_some_and(|p| p.is_empty()) {
        pieces.pop();
    }
    if pieces.is_empty() {
        return Err(format!("path [{full}] is not valid"));
    }
    if pieces.len() > MAX_PATH_PARTS {
        return Err(format!(
            "path with {} parts is too deep: a field path has at most {MAX_PATH_PARTS} parts",
            pieces.len()
        ));
    }
    pieces
        .into_iter()
        .map(|p| {
            if p.is_empty() {
                Err("fieldName cannot be empty".to_owned())
            } else {
                Ok(Part {
                    name: p.to_owned(),
                    index: parse_int(p).ok(),
                })
            }
        })
        .collect()
}

fn split_first(parts: &[Part]) -> Result<(&Part, &[Part]), IngestError> {
    parts
        .split_first()
        .ok_or_else(|| IngestError::illegal_argument("path cannot be null nor empty"))
}

fn split_last(parts: &[Part]) -> Result<(&Part, &[Part]), IngestError> {
    parts
        .split_last()
        .ok_or_else(|| IngestError::illegal_argument("path cannot be null nor empty"))
}

fn step<'a>(path: &str, current: &'a Value, part: &Part) -> Result<&'a Value, IngestError> {
    match current {
        Value::Map(m) => m
            .get(&part.name)
            .ok_or_else(|| not_present(path, &part.name)),
        Value::List(l) => {
            let idx = part.index.ok_or_else(|| not_integer(path, &part.name))?;
            list_get(l, idx).ok_or_else(|| out_of_bounds(path, idx, l.len()))
        }
        other => Err(cannot_resolve(path, &part.name, other)),
    }
}

fn step_mut<'a>(
    path: &str,
    current: &'a mut Value,
    part: &Part,
) -> Result<&'a mut Value, IngestError> {
    match current {
        Value::Map(m) => m
            .get_mut(&part.name)
            .ok_or_else(|| not_present(path, &part.name)),
        Value::List(l) => {
            let len = l.len();
            let idx = part.index.ok_or_else(|| not_integer(path, &part.name))?;
            list_get_mut(l, idx).ok_or_else(|| out_of_bounds(path, idx, len))
        }
        other => Err(cannot_resolve(path, &part.name, other)),
    }
}

fn list_get(l: &[Value], idx: i32) -> Option<&Value> {
    usize::try_from(idx).ok().and_then(|i| l.get(i))
}

fn list_get_mut(l: &mut [Value], idx: i32) -> Option<&mut Value> {
    usize::try_from(idx).ok().and_then(|i| l.get_mut(i))
}

/// The initial capacity of a map that a write creates on its path.
const NEW_MAP_CAPACITY: usize = 8;

/// The value at `key`, created as an empty map when absent; the key is
/// copied only when it is new.
fn map_slot<'a>(m: &'a mut Map, key: &str) -> &'a mut Value {
    let hash = m.hasher().hash_one(key);
    match m.raw_entry_mut_v1().from_key_hashed_nocheck(hash, key) {
        RawEntryMut::Occupied(entry) => entry.into_mut(),
        RawEntryMut::Vacant(entry) => {
            // Room for a few fields: a map created on the way usually
            // receives several (`event.kind`, `event.id`, ...).
            let fresh = isc_value::map_with_capacity(NEW_MAP_CAPACITY);
            entry
                .insert_hashed_nocheck(hash, key.to_owned(), Value::Map(fresh))
                .1
        }
    }
}

/// The entry of `key` in `m`, found with one hash and one probe; a vacant
/// entry inserts with the same hash.
fn map_entry<'a>(m: &'a mut Map, key: &str) -> (u64, RawEntryMut<'a, String, Value, MapHasher>) {
    let hash = m.hasher().hash_one(key);
    (
        hash,
        m.raw_entry_mut_v1().from_key_hashed_nocheck(hash, key),
    )
}

fn write_into_map(m: &mut Map, key: &str, value: Value, append: Option<bool>) {
    match (map_entry(m, key), append) {
        ((_, RawEntryMut::Occupied(mut entry)), None) => *entry.get_mut() = value,
        ((_, RawEntryMut::Occupied(mut entry)), Some(allow_duplicates)) => {
            append_values(entry.get_mut(), value, allow_duplicates)
        }
        ((hash, RawEntryMut::Vacant(entry)), None) => {
            entry.insert_hashed_nocheck(hash, key.to_owned(), value);
        }
        ((hash, RawEntryMut::Vacant(entry)), Some(_)) => {
            let list = match value {
                Value::List(items) => items,
                single => vec![single],
            };
            entry.insert_hashed_nocheck(hash, key.to_owned(), Value::List(list));
        }
    }
}

/// `IngestDocument.appendValues`: the slot becomes a list holding its old
/// value(s) followed by the new one(s); without duplicates, values already
/// present are skipped and a slot that gains nothing is left untouched.
fn append_values(slot: &mut Value, value: Value, allow_duplicates: bool) {
    let new_items = match value {
        Value::List(items) => items,
        single => vec![single],
    };
    if !allow_duplicates {
        let mut existing: Vec<Value> = match &*slot {
            Value::List(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut appended = false;
        for item in new_items {
            if !existing.contains(&item) {
                existing.push(item);
                appended = true;
            }
        }
        if appended {
            *slot = Value::List(existing);
        }
        return;
    }
    match slot {
        Value::List(items) => items.extend(new_items),
        other => {
            let mut list = vec![std::mem::take(other)];
            list.extend(new_items);
            *other = Value::List(list);
        }
    }
}

fn not_present(path: &str, key: &str) -> IngestError {
    IngestError::illegal_argument(format!(
        "field [{key}] not present as part of path [{path}]"
    ))
}

fn not_integer(path: &str, key: &str) -> IngestError {
    IngestError::illegal_argument(format!(
        "[{key}] is not an integer, cannot be used as an index as part of path [{path}]"
    ))
}

/// The set/remove variant, which keeps Java's `NumberFormatException` as the
/// cause (its message becomes `_ingest.on_failure_message`).
fn not_integer_with_cause(path: &str, key: &str) -> IngestError {
    not_integer(path, key).with_cause(crate::java_number::number_format(format!(
        "For input string: \"{key}\""
    )))
}

fn out_of_bounds(path: &str, index: i32, len: usize) -> IngestError {
    IngestError::illegal_argument(format!(
        "[{index}] is out of bounds for array with length [{len}] as part of path [{path}]"
    ))
}

fn cannot_resolve(path: &str, key: &str, value: &Value) -> IngestError {
    if value.is_null() {
        IngestError::illegal_argument(format!(
            "cannot resolve [{key}] from null as part of path [{path}]"
        ))
    } else {
        IngestError::illegal_argument(format!(
            "cannot resolve [{key}] from object of type [{}] as part of path [{path}]",
            value.java_type_name()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isc_value::from_json_str;

    fn doc(json: &str) -> Map {
        match from_json_str(json).unwrap() {
            Value::Map(m) => m,
            _ => panic!("not an object"),
        }
    }

    fn err(r: Result<impl std::fmt::Debug, IngestError>) -> String {
        r.unwrap_err().reason
    }

    #[test]
    fn get_walks_maps_and_list_indices() {
        let d = doc(r#"{"a":{"b":[{"c":1},{"c":2}]}}"#);
        assert_eq!(FieldPath::new("a.b.1.c").get(&d).unwrap(), &Value::Int(2));
        assert_eq!(
            FieldPath::new("_source.a.b.0.c").get(&d).unwrap(),
            &Value::Int(1)
        );
    }

    #[test]
    fn get_reports_elasticsearch_messages() {
        let d = doc(r#"{"a":{"s":"x","l":[1],"n":null}}"#);
        assert_eq!(
            err(FieldPath::new("a.x").get(&d)),
            "field [x] not present as part of path [a.x]"
        );
        assert_eq!(
            err(FieldPath::new("q.x").get(&d)),
            "field [q] not present as part of path [q.x]"
        );
        assert_eq!(
            err(FieldPath::new("a.s.x").get(&d)),
            "cannot resolve [x] from object of type [java.lang.String] as part of path [a.s.x]"
        );
        assert_eq!(
            err(FieldPath::new("a.l.x").get(&d)),
            "[x] is not an integer, cannot be used as an index as part of path [a.l.x]"
        );
        assert_eq!(
            err(FieldPath::new("a.l.1").get(&d)),
            "[1] is out of bounds for array with length [1] as part of path [a.l.1]"
        );
        assert_eq!(
            err(FieldPath::new("a.n.x").get(&d)),
            "cannot resolve [x] from null as part of path [a.n.x]"
        );
    }

    #[test]
    fn invalid_paths_fail_when_used() {
        let d = doc("{}");
        assert_eq!(
            err(FieldPath::new("").get(&d)),
            "path cannot be null nor empty"
        );
        assert_eq!(
            err(FieldPath::new("a..b").get(&d)),
            "fieldName cannot be empty"
        );
        assert_eq!(
            err(FieldPath::new("_ingest.").get(&d)),
            "path [_ingest.] is not valid"
        );
        // Java's split drops trailing empty strings.
        let d = doc(r#"{"a":1}"#);
        assert_eq!(FieldPath::new("a.").get(&d).unwrap(), &Value::Int(1));
    }

    #[test]
    fn paths_deeper_than_the_limit_are_invalid() {
        let deepest = vec!["a"; MAX_PATH_PARTS].join(".");
        let mut d = doc("{}");
        FieldPath::new(&deepest).set(&mut d, Value::Int(1)).unwrap();
        let too_deep = format!("{deepest}.a.");
        assert_eq!(
            err(FieldPath::new(&too_deep).validate()),
            "path with 2001 parts is too deep: a field path has at most 2000 parts"
        );
        assert_eq!(
            err(FieldPath::new(&too_deep).set(&mut doc("{}"), Value::Int(1))),
            "path with 2001 parts is too deep: a field path has at most 2000 parts"
        );
    }

    /// Copying a deep subtree under a deep path over and over once built a
    /// document too deep to write out; such writes now fail before
    /// changing anything, and give the value back.
    #[test]
    fn writes_nesting_deeper_than_the_document_limit_fail() {
        let at_limit = FieldPath::new(&vec!["a"; MAX_PATH_PARTS].join("."));
        let flat = from_json_str(r#"{"k":1}"#).unwrap();
        let nested = from_json_str(r#"{"k":[1]}"#).unwrap();
        let mut d = doc("{}");
        at_limit.set(&mut d, flat).unwrap();
        let message = format!(
            "cannot set [{}]: the document would nest objects and lists more than 2000 levels deep",
            at_limit.as_str()
        );
        assert_eq!(err(at_limit.set(&mut d, nested.clone())), message);
        assert_eq!(err(at_limit.set_within(&mut d, nested.clone(), 2)), message);
        let Err(failure) = at_limit.put_checked(&mut d, nested.clone(), true) else {
            panic!("the write was not refused");
        };
        let (PutFailure::Check(e), given_back) = *failure else {
            panic!("not refused by the check");
        };
        assert_eq!((e.reason, &given_back), (message, &nested));
        // The refused writes left the flat value in place.
        assert_eq!(
            at_limit.get(&d).unwrap(),
            &from_json_str(r#"{"k":1}"#).unwrap()
        );
        // One part up, the nested value fits.
        let below = FieldPath::new(&vec!["b"; MAX_PATH_PARTS - 1].join("."));
        below.set(&mut d, nested).unwrap();
    }

    #[test]
    fn has_is_false_for_missing_and_wrong_types() {
        let d = doc(r#"{"a":{"b":null,"l":[1,2]},"s":"x"}"#);
        assert!(FieldPath::new("a.b").has(&d, false).unwrap());
        assert!(!FieldPath::new("a.b.c").has(&d, false).unwrap());
        assert!(FieldPath::new("a.l.1").has(&d, false).unwrap());
        assert!(!FieldPath::new("a.l.2").has(&d, false).unwrap());
        assert!(!FieldPath::new("s.x").has(&d, false).unwrap());
        assert_eq!(
            err(FieldPath::new("a.l.5").has(&d, true)),
            "[5] is out of bounds for array with length [2] as part of path [a.l.5]"
        );
    }

    #[test]
    fn set_creates_maps_and_replaces_list_elements() {
        let mut d = doc(r#"{"l":[1,2]}"#);
        FieldPath::new("a.b.c").set(&mut d, Value::Int(1)).unwrap();
        FieldPath::new("l.1").set(&mut d, Value::Int(9)).unwrap();
        assert_eq!(
            isc_value::to_json_string(&Value::Map(d)),
            r#"{"l":[1,9],"a":{"b":{"c":1}}}"#
        );
    }

    #[test]
    fn set_errors_match_elasticsearch() {
        let mut d = doc(r#"{"s":"x","n":null,"l":[1]}"#);
        assert_eq!(
            err(FieldPath::new("s.x").set(&mut d, Value::Null)),
            "cannot set [x] with parent object of type [java.lang.String] as part of path [s.x]"
        );
        assert_eq!(
            err(FieldPath::new("n.x").set(&mut d, Value::Null)),
            "cannot set [x] with null parent as part of path [n.x]"
        );
        let e = FieldPath::new("l.x").set(&mut d, Value::Null).unwrap_err();
        assert_eq!(
            e.reason,
            "[x] is not an integer, cannot be used as an index as part of path [l.x]"
        );
        assert_eq!(e.root_cause().reason, "For input string: \"x\"");
        assert_eq!(
            err(FieldPath::new("s.x.y").set(&mut d, Value::Null)),
            "cannot resolve [x] from object of type [java.lang.String] as part of path [s.x.y]"
        );
    }

    #[test]
    fn append_follows_append_values() {
        let mut d = doc(r#"{"s":"a","l":["a"]}"#);
        FieldPath::new("s")
            .append(&mut d, Value::from("b"), true)
            .unwrap();
        FieldPath::new("l")
            .append(&mut d, from_json_str(r#"["a","b"]"#).unwrap(), false)
            .unwrap();
        FieldPath::new("new")
            .append(&mut d, from_json_str(r#"[1,2]"#).unwrap(), true)
            .unwrap();
        FieldPath::new("one")
            .append(&mut d, Value::Int(1), false)
            .unwrap();
        assert_eq!(
            isc_value::to_json_string(&Value::Map(d)),
            r#"{"s":["a","b"],"l":["a","b"],"new":[1,2],"one":[1]}"#
        );
    }

    #[test]
    fn append_without_duplicates_leaves_scalar_when_nothing_new() {
        let mut d = doc(r#"{"s":"a"}"#);
        FieldPath::new("s")
            .append(&mut d, Value::from("a"), false)
            .unwrap();
        assert_eq!(d["s"], Value::from("a"));
    }

    #[test]
    fn remove_reports_and_ignores_missing() {
        let mut d = doc(r#"{"a":{"b":1},"l":[1,2],"s":"x","n":null}"#);
        assert_eq!(
            FieldPath::new("a.b").remove(&mut d, false).unwrap(),
            Some(Value::Int(1))
        );
        assert_eq!(
            err(FieldPath::new("a.b").remove(&mut d, false)),
            "field [b] not present as part of path [a.b]"
        );
        assert_eq!(FieldPath::new("a.b").remove(&mut d, true).unwrap(), None);
        assert_eq!(
            FieldPath::new("l.0").remove(&mut d, false).unwrap(),
            Some(Value::Int(1))
        );
        assert_eq!(
            err(FieldPath::new("s.x").remove(&mut d, false)),
            "cannot remove [x] from object of type [java.lang.String] as part of path [s.x]"
        );
        assert_eq!(
            err(FieldPath::new("n.x").remove(&mut d, false)),
            "cannot remove [x] from null as part of path [n.x]"
        );
        assert_eq!(
            err(FieldPath::new("zz").remove(&mut d, false)),
            "field [zz] not present as part of path [zz]"
        );
    }
}
