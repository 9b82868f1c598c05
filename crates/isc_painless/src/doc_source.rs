//! The document forms lazily converted containers stand for (see
//! [`crate::shared`]): a map or list moved out of the document (`ctx`, JSON
//! a script parses) or borrowed from it (`params`, copied on first use so
//! a run never changes it).
//!
//! A map in document form answers `get` without being opened: a container
//! it holds is *taken* out once, converted, and remembered by position, so
//! every later read, the opened map and the write-back all see that one
//! object while the map's other entries stay as they are.

use std::rc::Rc;

use isc_value::Value;

use crate::shared::Expand;
use crate::value::{Entries, Key, MapObj, Str, Val};

/// A map's document form and the containers taken out of it.
#[derive(Debug)]
pub(crate) struct MapSource<'a> {
    doc: DocMap<'a>,
    /// Containers read out of `doc` before the map was opened, by entry
    /// index (in an owned map their slot holds a null meanwhile).
    taken: Vec<(usize, Val<'a>)>,
}

#[derive(Debug)]
enum DocMap<'a> {
    Owned(isc_value::Map),
    Borrowed(&'a isc_value::Map),
}

/// A list's document form.
#[derive(Debug)]
pub(crate) enum ListSource<'a> {
    Owned(Vec<Value>),
    Borrowed(&'a [Value]),
}

impl<'a> MapSource<'a> {
    /// A map moved out of the document.
    pub(crate) fn owned(m: isc_value::Map) -> MapSource<'a> {
        MapSource {
            doc: DocMap::Owned(m),
            taken: Vec::new(),
        }
    }

    /// A map lent by the document (copied as it is opened).
    pub(crate) fn borrowed(m: &'a isc_value::Map) -> MapSource<'a> {
        MapSource {
            doc: DocMap::Borrowed(m),
            taken: Vec::new(),
        }
    }

    /// The value under `key`, without converting the other entries.
    pub(crate) fn get(&mut self, key: &str) -> Option<Val<'a>> {
        let index = self.map().get_index_of(key)?;
        self.value_at(index)
    }

    /// Whether the map has `key` (keys put while unopened included).
    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.map().contains_key(key)
    }

    /// The keys in insertion order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.map().keys().map(String::as_str)
    }

    /// Number of entries (keys put while unopened included).
    pub(crate) fn len(&self) -> usize {
        self.map().len()
    }

    /// Entry indices in the order a Java `HashMap` filled with the keys one
    /// at a time iterates them: the order the opened map has too.
    pub(crate) fn java_order(&self) -> Rc<[usize]> {
        let hashes = self.map().keys().map(|k| isc_value::java_string_hash(k));
        isc_value::java_bucket_order(hashes, isc_value::java_table_capacity(16, self.len()))
    }

    /// The key of entry `index` as a script string.
    pub(crate) fn key_at(&self, index: usize) -> Option<Val<'a>> {
        match &self.doc {
            DocMap::Owned(m) => m.get_index(index).map(|(k, _)| Val::str(k)),
            DocMap::Borrowed(m) => {
                let m: &'a isc_value::Map = m;
                m.get_index(index)
                    .map(|(k, _)| Val::Str(Str::Borrowed(k.as_str())))
            }
        }
    }

    /// The value of entry `index`, as [`MapSource::get`] gives it: a
    /// container is taken out once and remembered, a scalar is copied.
    pub(crate) fn value_at(&mut self, index: usize) -> Option<Val<'a>> {
        if let Some(v) = self.taken_at(index) {
            return Some(v.clone());
        }
        let v = match &mut self.doc {
            DocMap::Owned(m) => {
                let (_, slot) = m.get_index_mut(index)?;
                if !is_container(slot) {
                    return Some(Val::copy_of(slot));
                }
                Val::from_value(std::mem::take(slot))
            }
            DocMap::Borrowed(m) => {
                let m: &'a isc_value::Map = m;
                let (_, slot) = m.get_index(index)?;
                if !is_container(slot) {
                    return Some(Val::from_doc(slot));
                }
                Val::from_borrowed(slot)
            }
        };
        self.taken.push((index, v.clone()));
        Some(v)
    }

    /// `put(key, v)` without converting the other entries: the new value
    /// is kept by position like a taken container (a new key is appended,
    /// as `HashMap` appends it to the insertion order). Returns the old
    /// value, or gives `v` back when the map has to be opened instead (a
    /// borrowed map gaining a key).
    pub(crate) fn put(&mut self, key: &str, v: Val<'a>) -> Result<Option<Val<'a>>, Val<'a>> {
        let Some(index) = self.map().get_index_of(key) else {
            let DocMap::Owned(m) = &mut self.doc else {
                return Err(v);
            };
            m.insert(key.to_owned(), Value::Null);
            self.taken.push((m.len() - 1, v));
            return Ok(None);
        };
        let old = match self.take_at(index) {
            Some(taken) => taken,
            None => match &mut self.doc {
                DocMap::Owned(m) => match m.get_index_mut(index) {
                    Some((_, slot)) => Val::from_value(std::mem::take(slot)),
                    None => return Err(v),
                },
                DocMap::Borrowed(m) => {
                    let m: &'a isc_value::Map = m;
                    match m.get_index(index) {
                        Some((_, slot)) => Val::from_borrowed(slot),
                        None => return Err(v),
                    }
                }
            },
        };
        self.taken.push((index, v));
        Ok(Some(old))
    }

    /// How many containers were taken out (each later lookup scans them).
    pub(crate) fn taken_count(&self) -> usize {
        self.taken.len()
    }

    /// Document values still in place (not taken), for depth checks.
    pub(crate) fn untaken_values(&self) -> impl Iterator<Item = &Value> {
        self.map()
            .values()
            .enumerate()
            .filter(|(i, _)| self.taken_at(*i).is_none())
            .map(|(_, v)| v)
    }

    /// The containers taken out so far.
    pub(crate) fn taken(&self) -> impl Iterator<Item = &Val<'a>> {
        self.taken.iter().map(|(_, v)| v)
    }

    /// A copy as a document map (the run goes on).
    pub(crate) fn to_map(&self) -> isc_value::Map {
        let mut m = self.map().clone();
        for (i, v) in &self.taken {
            if let Some((_, slot)) = m.get_index_mut(*i) {
                *slot = v.to_value();
            }
        }
        m
    }

    /// The document map once the run is over (see [`Val::into_value`]).
    pub(crate) fn into_map(self) -> isc_value::Map {
        let mut m = match self.doc {
            DocMap::Owned(m) => m,
            DocMap::Borrowed(m) => m.clone(),
        };
        for (i, v) in self.taken {
            if let Some((_, slot)) = m.get_index_mut(i) {
                *slot = v.into_value();
            }
        }
        m
    }

    fn map(&self) -> &isc_value::Map {
        match &self.doc {
            DocMap::Owned(m) => m,
            DocMap::Borrowed(m) => m,
        }
    }

    fn taken_at(&self, index: usize) -> Option<&Val<'a>> {
        self.taken.iter().find(|(i, _)| *i == index).map(|(_, v)| v)
    }

    fn take_at(&mut self, index: usize) -> Option<Val<'a>> {
        let at = self.taken.iter().position(|(i, _)| *i == index)?;
        Some(self.taken.swap_remove(at).1)
    }
}

impl<'a> ListSource<'a> {
    /// The document items.
    pub(crate) fn items(&self) -> &[Value] {
        match self {
            ListSource::Owned(l) => l,
            ListSource::Borrowed(l) => l,
        }
    }

    /// The document list once the run is over.
    pub(crate) fn into_list(self) -> Vec<Value> {
        match self {
            ListSource::Owned(l) => l,
            ListSource::Borrowed(l) => l.to_vec(),
        }
    }
}

impl<'a> Expand for MapObj<'a> {
    type Source = MapSource<'a>;
    type Part = Val<'a>;

    fn take_containers(&mut self, out: &mut Vec<Val<'a>>) {
        take_containers_of(self.entries.values_mut(), out);
    }

    fn take_part_containers(part: &mut Val<'a>, out: &mut Vec<Val<'a>>) {
        crate::value::take_children(part, out);
    }

    /// A `HashMap` filled by inserting the document's keys in order.
    fn expand(mut source: MapSource<'a>) -> MapObj<'a> {
        let len = source.map().len();
        let mut entries = Entries::with_capacity_and_hasher(len, Default::default());
        let doc = std::mem::replace(&mut source.doc, DocMap::Owned(isc_value::Map::default()));
        match doc {
            DocMap::Owned(m) => {
                for (i, (k, v)) in m.into_iter().enumerate() {
                    let v = match source.take_at(i) {
                        Some(taken) => taken,
                        None => Val::from_value(v),
                    };
                    entries.insert(Key::Str(Str::Moved(Rc::new(k))), v);
                }
            }
            DocMap::Borrowed(m) => {
                for (i, (k, v)) in m.iter().enumerate() {
                    let v = match source.take_at(i) {
                        Some(taken) => taken,
                        None => Val::from_borrowed(v),
                    };
                    entries.insert(Key::Str(Str::Borrowed(k)), v);
                }
            }
        }
        MapObj {
            entries,
            capacity: isc_value::java_table_capacity(16, len),
            mods: 0,
            linked: false,
            sorted: false,
            frozen: false,
            order: Default::default(),
        }
    }
}

impl<'a> Expand for Vec<Val<'a>> {
    type Source = ListSource<'a>;
    type Part = Val<'a>;

    fn take_containers(&mut self, out: &mut Vec<Val<'a>>) {
        take_containers_of(self.iter_mut(), out);
    }

    fn take_part_containers(part: &mut Val<'a>, out: &mut Vec<Val<'a>>) {
        crate::value::take_children(part, out);
    }

    fn expand(source: ListSource<'a>) -> Vec<Val<'a>> {
        match source {
            ListSource::Owned(l) => l.into_iter().map(Val::from_value).collect(),
            ListSource::Borrowed(l) => l.iter().map(Val::from_borrowed).collect(),
        }
    }
}

/// Moves the containers among `values` to `out`, leaving nulls behind.
fn take_containers_of<'v, 'a: 'v>(
    values: impl Iterator<Item = &'v mut Val<'a>>,
    out: &mut Vec<Val<'a>>,
) {
    out.extend(values.filter(|v| v.is_container()).map(std::mem::take));
}

fn is_container(v: &Value) -> bool {
    matches!(v, Value::Map(_) | Value::List(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::Shared;
    use crate::value::{map_get, map_put};

    fn doc(json: &str) -> isc_value::Map {
        match isc_value::from_json_str(json) {
            Ok(Value::Map(m)) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_container_read_before_opening_is_the_one_the_opened_map_holds() {
        let m: Shared<MapObj<'_>> =
            Shared::lazy(MapSource::owned(doc(r#"{"a":1,"b":{"c":2},"d":"x"}"#)));
        let key = Key::from_str("b");
        let b = map_get(&m, &key).unwrap();
        assert!(m.is_pending());
        assert!(matches!(
            map_get(&m, &Key::from_str("a")),
            Some(Val::Int(1))
        ));
        let Val::Map(inner) = &b else { panic!() };
        inner.borrow_mut().insert(Key::from_str("e"), Val::Int(3));
        let opened = m.borrow().entries.get(&key).cloned().unwrap();
        let Val::Map(again) = &opened else { panic!() };
        assert!(Shared::ptr_eq(inner, again));
        drop((b, opened));
        assert_eq!(
            isc_value::to_json_string(&Value::Map(crate::value::map_into_doc(&m))),
            r#"{"a":1,"b":{"c":2,"e":3},"d":"x"}"#
        );
    }

    #[test]
    fn an_unopened_map_goes_back_with_its_taken_containers_in_place() {
        let m: Shared<MapObj<'_>> =
            Shared::lazy(MapSource::owned(doc(r#"{"a":[1],"b":{"c":2},"d":"x"}"#)));
        let a = map_get(&m, &Key::from_str("a")).unwrap();
        let Val::List(items) = &a else { panic!() };
        items.borrow_mut().push(Val::Int(2));
        drop(a);
        assert!(m.is_pending());
        assert_eq!(
            isc_value::to_json_string(&Value::Map(crate::value::map_into_doc(&m))),
            r#"{"a":[1,2],"b":{"c":2},"d":"x"}"#
        );
    }

    #[test]
    fn puts_into_an_unopened_map_keep_the_insertion_order() {
        let m: Shared<MapObj<'_>> = Shared::lazy(MapSource::owned(doc(r#"{"a":1,"b":{"c":2}}"#)));
        let old = map_put(&m, Key::from_str("a"), Val::Int(5));
        assert!(matches!(old, Some(Val::Int(1))));
        assert!(map_put(&m, Key::from_str("z"), Val::str("new")).is_none());
        assert!(matches!(
            map_get(&m, &Key::from_str("z")),
            Some(Val::Str(_))
        ));
        assert!(m.is_pending());
        let copy: Shared<MapObj<'_>> =
            Shared::lazy(MapSource::owned(doc(r#"{"a":1,"b":{"c":2}}"#)));
        copy.borrow_mut().insert(Key::from_str("a"), Val::Int(5));
        copy.borrow_mut()
            .insert(Key::from_str("z"), Val::str("new"));
        assert_eq!(m.borrow().capacity, copy.borrow().capacity);
        assert_eq!(
            isc_value::to_json_string(&Value::Map(crate::value::map_into_doc(&m))),
            r#"{"a":5,"b":{"c":2},"z":"new"}"#
        );
    }

    #[test]
    fn a_borrowed_map_is_never_changed() {
        let original = doc(r#"{"t":{"k":[1]}}"#);
        let m: Shared<MapObj<'_>> = Shared::lazy(MapSource::borrowed(&original));
        let t = map_get(&m, &Key::from_str("t")).unwrap();
        let Val::Map(t) = &t else { panic!() };
        t.borrow_mut().insert(Key::from_str("n"), Val::Null);
        assert!(map_put(t, Key::from_str("m"), Val::Int(1)).is_none());
        assert!(map_put(&m, Key::from_str("new"), Val::Int(1)).is_none());
        assert!(!m.is_pending());
        assert_eq!(
            isc_value::to_json_string(&Value::Map(original.clone())),
            r#"{"t":{"k":[1]}}"#
        );
    }
}
