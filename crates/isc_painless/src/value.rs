//! Runtime values: what a Painless `def` can hold while a script runs.
//!
//! Containers are shared ([`Shared`], an `Rc<RefCell<…>>`) so that aliasing
//! works as in Java: `def m = ctx.a; m.put('x', 1)` changes the document;
//! those made from the document convert when the script first opens them. For conditions
//! the document is read in place through the `Doc*` variants, which refuse
//! every mutation as Elasticsearch's unmodifiable ingest view does.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use isc_value::{Value, java_string_hash};

use crate::doc_source::{ListSource, MapSource};
use crate::error::ExceptionKind;
use crate::regex::CompiledRegex;
use crate::shared::{Expand, Shared};
use crate::types::Base;

/// A string: borrowed from the document or the script, or owned.
#[derive(Debug, Clone)]
pub(crate) enum Str<'a> {
    Borrowed(&'a str),
    Owned(Rc<str>),
    /// Moved out of the document or built by the script: it keeps its
    /// buffer, so it goes into the document without a copy.
    Moved(Rc<String>),
}

impl Str<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Owned(s) => s,
            Str::Moved(s) => s,
        }
    }

    /// The string as a document string; a moved string nobody else holds
    /// gives its buffer back.
    pub(crate) fn into_string(self) -> String {
        match self {
            Str::Moved(s) => Rc::try_unwrap(s).unwrap_or_else(|s| (*s).clone()),
            other => other.as_str().to_owned(),
        }
    }
}

/// A hashable map key / set element (Java `equals`/`hashCode` semantics).
#[derive(Debug, Clone)]
pub(crate) enum Key<'a> {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Char(u16),
    Double(u64),
    Str(Str<'a>),
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Key::Null, Key::Null) => true,
            (Key::Bool(a), Key::Bool(b)) => a == b,
            (Key::Int(a), Key::Int(b)) => a == b,
            (Key::Long(a), Key::Long(b)) => a == b,
            (Key::Char(a), Key::Char(b)) => a == b,
            (Key::Double(a), Key::Double(b)) => a == b,
            (Key::Str(a), Key::Str(b)) => a.as_str() == b.as_str(),
            _ => false,
        }
    }
}

impl Eq for Key<'_> {}

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Key::Str(s) => s.as_str().hash(state),
            other => other.java_hash().hash(state),
        }
    }
}

impl<'a> Key<'a> {
    /// Java `hashCode()`.
    pub(crate) fn java_hash(&self) -> i32 {
        match self {
            Key::Null => 0,
            Key::Bool(b) => {
                if *b {
                    1231
                } else {
                    1237
                }
            }
            Key::Int(i) => *i,
            Key::Long(l) => (*l ^ ((*l as u64) >> 32) as i64) as i32,
            Key::Char(c) => i32::from(*c),
            Key::Double(bits) => (*bits ^ (*bits >> 32)) as i32,
            Key::Str(s) => java_string_hash(s.as_str()),
        }
    }

    pub(crate) fn to_val(&self) -> Val<'a> {
        match self {
            Key::Null => Val::Null,
            Key::Bool(b) => Val::Bool(*b),
            Key::Int(i) => Val::Int(*i),
            Key::Long(l) => Val::Long(*l),
            Key::Char(c) => Val::Char(*c),
            Key::Double(bits) => Val::Double(f64::from_bits(*bits)),
            Key::Str(s) => Val::Str(s.clone()),
        }
    }

    pub(crate) fn from_str(s: &str) -> Key<'a> {
        Key::Str(Str::Owned(Rc::from(s)))
    }
}

/// The entries of a [`MapObj`] in insertion order. Keys hash with the
/// document model's fast hasher: Java's iteration order is computed from
/// [`Key::java_hash`], never from this table.
pub(crate) type Entries<'a> = IndexMap<Key<'a>, Val<'a>, isc_value::MapHasher>;

/// A `java.util.HashMap` (or `HashSet` when values are unused): insertion
/// order kept for writing back; Java's iteration order computed on demand.
#[derive(Debug, Clone, Default)]
pub(crate) struct MapObj<'a> {
    pub(crate) entries: Entries<'a>,
    /// The Java table capacity (it only grows).
    pub(crate) capacity: usize,
    /// Structural modifications, for `ConcurrentModificationException`.
    pub(crate) mods: u64,
    /// A `LinkedHashMap`/`LinkedHashSet`: iterates in insertion order.
    pub(crate) linked: bool,
    /// A `TreeMap`/`TreeSet`: iterates in the keys' natural order.
    pub(crate) sorted: bool,
    /// Refuses changes (`Collections.unmodifiableMap`, as `params` is).
    pub(crate) frozen: bool,
    /// The Java iteration order last computed, kept while the key set is
    /// unchanged.
    pub(crate) order: OrderCache,
}

/// A map's Java iteration order, remembered with the state it was computed
/// for: the modification count, size and table capacity. Every change of
/// the key set changes one of them (new keys and removals count as
/// modifications or change the size; growth changes the capacity; the
/// linked flag is part of it too), so a
/// remembered order whose state still matches is the order Java uses.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrderCache(RefCell<Option<CachedOrder>>);

#[derive(Debug, Clone)]
struct CachedOrder {
    mods: u64,
    len: usize,
    capacity: usize,
    linked: bool,
    sorted: bool,
    order: Rc<[usize]>,
}

impl<'a> MapObj<'a> {
    pub(crate) fn new() -> MapObj<'a> {
        MapObj {
            entries: Entries::default(),
            capacity: 16,
            mods: 0,
            linked: false,
            sorted: false,
            frozen: false,
            order: OrderCache::default(),
        }
    }

    /// The table `new HashMap(m)` starts with for `n` entries:
    /// `tableSizeFor((int) (n / 0.75f + 1))`, or the default 16 when empty.
    pub(crate) fn for_map_copy(n: usize) -> MapObj<'a> {
        let wanted = if n == 0 {
            16
        } else {
            (n as f32 / 0.75 + 1.0) as usize
        };
        Self::with_capacity_at_least(wanted)
    }

    /// The table `new HashSet(c)` starts with for `n` elements: at least 16.
    pub(crate) fn for_set_copy(n: usize) -> MapObj<'a> {
        Self::with_capacity_at_least(((n as f32 / 0.75) as usize + 1).max(16))
    }

    fn with_capacity_at_least(wanted: usize) -> MapObj<'a> {
        MapObj {
            entries: Entries::default(),
            capacity: wanted.next_power_of_two(),
            mods: 0,
            linked: false,
            sorted: false,
            frozen: false,
            order: OrderCache::default(),
        }
    }

    pub(crate) fn insert(&mut self, k: Key<'a>, v: Val<'a>) -> Option<Val<'a>> {
        let old = self.entries.insert(k, v);
        if old.is_none() {
            self.mods += 1;
        }
        self.capacity = isc_value::java_table_capacity(self.capacity, self.entries.len());
        old
    }

    pub(crate) fn remove(&mut self, k: &Key<'a>) -> Option<Val<'a>> {
        let old = self.entries.shift_remove(k);
        if old.is_some() {
            self.mods += 1;
        }
        old
    }

    /// Indices in Java iteration order (bucket order for `HashMap`,
    /// insertion order for `LinkedHashMap`).
    /// Computed once per key set (see [`OrderCache`]).
    pub(crate) fn java_order(&self) -> Rc<[usize]> {
        let len = self.entries.len();
        let mut cached = self.order.0.borrow_mut();
        if let Some(c) = cached.as_ref()
            && c.mods == self.mods
            && c.len == len
            && c.capacity == self.capacity
            && c.linked == self.linked
            && c.sorted == self.sorted
        {
            return c.order.clone();
        }
        let order: Rc<[usize]> = if self.sorted {
            let mut indices: Vec<usize> = (0..len).collect();
            let keys: Vec<&Key<'a>> = self.entries.keys().collect();
            indices.sort_by(|&a, &b| natural_key_order(keys[a], keys[b]));
            indices.into()
        } else if self.linked {
            (0..len).collect()
        } else {
            isc_value::java_bucket_order(self.entries.keys().map(Key::java_hash), self.capacity)
        };
        *cached = Some(CachedOrder {
            mods: self.mods,
            len,
            capacity: self.capacity,
            linked: self.linked,
            sorted: self.sorted,
            order: order.clone(),
        });
        order
    }

    /// The entries in Java iteration order (see [`MapObj::java_order`]).
    pub(crate) fn iter_java(&self) -> impl Iterator<Item = (&Key<'a>, &Val<'a>)> {
        let order = self.java_order();
        (0..order.len()).filter_map(move |n| self.entries.get_index(order[n]))
    }
}

/// The natural order of `TreeMap`/`TreeSet` keys: `compareTo`, as
/// [`natural_order`](crate::stdlib::list::natural_order) gives it. Keys
/// it cannot compare (null, or of different types, which Java refuses on
/// insertion) are kept apart by type.
fn natural_key_order(a: &Key<'_>, b: &Key<'_>) -> std::cmp::Ordering {
    let rank = |k: &Key<'_>| match k {
        Key::Null => 0,
        Key::Bool(_) => 1,
        Key::Int(_) => 2,
        Key::Long(_) => 3,
        Key::Char(_) => 4,
        Key::Double(_) => 5,
        Key::Str(_) => 6,
    };
    crate::stdlib::list::natural_order(&a.to_val(), &b.to_val())
        .unwrap_or_else(|_| rank(a).cmp(&rank(b)))
}

/// Runs `step`, one level deeper into a value, on a stack with room for
/// it. A script can nest lists and maps far deeper than the thread's stack
/// allows the recursive walks of `toString`, `equals`, `hashCode` and
/// conversions; past the red zone the walk continues on a new segment
/// instead of overflowing (`stacker`, as rustc does for deep syntax
/// trees). Elasticsearch's JVM stack gives out at a few thousand levels
/// (`stack_overflow_error`); see DESIGN.md's known differences.
pub(crate) fn deeper<T>(step: impl FnOnce() -> T) -> T {
    const RED_ZONE: usize = 64 * 1024;
    const SEGMENT: usize = 1024 * 1024;
    stacker::maybe_grow(RED_ZONE, SEGMENT, step)
}

/// A regex matcher over one input.
#[derive(Debug)]
pub(crate) struct MatcherObj {
    pub(crate) regex: Arc<CompiledRegex>,
    pub(crate) input: Rc<str>,
    /// Byte offset where the next `find()` starts.
    pub(crate) next: usize,
    /// Group byte ranges of the last match.
    pub(crate) groups: Option<Vec<Option<(usize, usize)>>>,
    pub(crate) names: Vec<Option<String>>,
}

/// A callable: a lambda with captured values, or a method reference.
#[derive(Debug)]
pub(crate) enum FuncObj<'a> {
    Lambda {
        index: u32,
        captures: Vec<Val<'a>>,
    },
    Ref(&'a crate::ast::FuncRef, Option<Val<'a>>),
    /// A function of the standard library (`Comparator.reverseOrder()`).
    Builtin(crate::stdlib::StaticFn),
}

/// A `Map.Entry`.
#[derive(Debug)]
pub(crate) struct EntryObj<'a> {
    pub(crate) key: Val<'a>,
    pub(crate) value: RefCell<Val<'a>>,
    /// The map the entry belongs to, for `setValue`.
    pub(crate) map: Option<MapRef<'a>>,
}

/// Iteration state of an `Iterator`: a snapshot of the items, and what
/// `remove()` needs to take the last one out of its collection.
#[derive(Debug)]
pub(crate) struct IterObj<'a> {
    pub(crate) items: Vec<Val<'a>>,
    pub(crate) pos: usize,
    /// The list, set or map view iterated (`None`: `remove()` unsupported).
    pub(crate) source: Option<Val<'a>>,
    /// For a `values()` view, the key of each item.
    pub(crate) keys: Vec<Val<'a>>,
    /// Items removed so far (list positions shift by as many).
    pub(crate) removed: usize,
    /// `next()` returned an item that `remove()` has not removed yet.
    pub(crate) can_remove: bool,
}

/// `Collectors.*` results understood by `Stream.collect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CollectorKind {
    ToList,
    ToSet,
    Joining,
}

/// A value while a script runs.
#[derive(Debug, Clone, Default)]
pub(crate) enum Val<'a> {
    #[default]
    Null,
    Bool(bool),
    Byte(i8),
    Short(i16),
    Char(u16),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Str(Str<'a>),
    Map(MapRef<'a>),
    List(ListRef<'a>),
    Set(MapRef<'a>),
    /// A Java array with its element type.
    Array(ListRef<'a>, Base),
    /// A read-only document map (conditions, params).
    DocMap(&'a isc_value::Map),
    /// A read-only document list (conditions, params).
    DocList(&'a [Value]),
    Builder(Rc<RefCell<String>>),
    /// A `java.util.StringTokenizer`.
    Tokenizer(Rc<RefCell<crate::stdlib::tokenizer::TokenizerObj>>),
    Pattern(Arc<CompiledRegex>),
    Matcher(Rc<RefCell<MatcherObj>>),
    Entry(Rc<EntryObj<'a>>),
    Iter(Rc<RefCell<IterObj<'a>>>),
    Stream(ListRef<'a>),
    Collector(CollectorKind, Option<Rc<str>>),
    Func(Rc<FuncObj<'a>>),
    Exception(Rc<(ExceptionKind, String)>),
    /// `keySet()`, `values()`, `entrySet()` of a map: live views.
    View(MapRef<'a>, ViewKind),
    /// The same views over a read-only document map.
    DocView(&'a isc_value::Map, ViewKind),
    /// A `java.time` value (`Instant`, `ZonedDateTime`, `ZoneId`,
    /// `Duration`, `ChronoUnit`).
    Time(Rc<crate::stdlib::time::TimeObj>),
    /// An `org.elasticsearch.painless.api.CIDR`.
    Cidr(Rc<crate::stdlib::cidr::Cidr>),
}

/// A shared map or set (Java object identity), possibly still in
/// document form.
pub(crate) type MapRef<'a> = Shared<MapObj<'a>>;

/// A shared list, array or stream, possibly still in document form.
pub(crate) type ListRef<'a> = Shared<Vec<Val<'a>>>;

/// Which view of a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ViewKind {
    Keys,
    Values,
    Entries,
}

impl<'a> Val<'a> {
    pub(crate) fn str(s: &str) -> Val<'a> {
        Val::Str(Str::Owned(Rc::from(s)))
    }

    /// A string the script built: it keeps its buffer (no copy now, none
    /// when it goes into the document).
    pub(crate) fn string(s: String) -> Val<'a> {
        Val::Str(Str::Moved(Rc::new(s)))
    }

    pub(crate) fn new_list(items: Vec<Val<'a>>) -> Val<'a> {
        Val::List(Shared::new(items))
    }

    pub(crate) fn new_map(m: MapObj<'a>) -> Val<'a> {
        Val::Map(Shared::new(m))
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub(crate) fn is_number(&self) -> bool {
        matches!(
            self,
            Val::Byte(_)
                | Val::Short(_)
                | Val::Int(_)
                | Val::Long(_)
                | Val::Float(_)
                | Val::Double(_)
        )
    }

    /// Wraps a borrowed document value without copying containers.
    pub(crate) fn from_doc(v: &'a Value) -> Val<'a> {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(i) => Val::Int(*i),
            Value::Long(l) => Val::Long(*l),
            Value::Float(f) => Val::Float(*f),
            Value::Double(d) => Val::Double(*d),
            Value::String(s) => Val::Str(Str::Borrowed(s)),
            Value::List(l) => Val::DocList(l),
            Value::Map(m) => Val::DocMap(m),
        }
    }

    /// Takes a document value into shared, mutable containers, converted
    /// when the script first opens them.
    pub(crate) fn from_value(v: Value) -> Val<'a> {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(b),
            Value::Int(i) => Val::Int(i),
            Value::Long(l) => Val::Long(l),
            Value::Float(f) => Val::Float(f),
            Value::Double(d) => Val::Double(d),
            Value::String(s) => Val::Str(Str::Moved(Rc::new(s))),
            Value::List(l) => Val::List(Shared::lazy(ListSource::Owned(l))),
            Value::Map(m) => Val::Map(Shared::lazy(MapSource::owned(m))),
        }
    }

    /// A copy of a document scalar (containers are taken, never copied,
    /// by [`crate::doc_source`]).
    pub(crate) fn copy_of(v: &Value) -> Val<'a> {
        match v {
            Value::String(s) => Val::str(s),
            other => Val::from_value(other.clone()),
        }
    }

    /// A borrowed document value as shared, mutable containers: each is
    /// copied when the script first opens it, so the original never
    /// changes.
    pub(crate) fn from_borrowed(v: &'a Value) -> Val<'a> {
        match v {
            Value::List(l) => Val::List(Shared::lazy(ListSource::Borrowed(l))),
            Value::Map(m) => Val::Map(Shared::lazy(MapSource::borrowed(m))),
            other => Val::from_doc(other),
        }
    }

    /// Converts back into a document value (after `execute`).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Byte(b) => Value::Int(i32::from(*b)),
            Val::Short(s) => Value::Int(i32::from(*s)),
            Val::Char(c) => Value::String(char_string(*c)),
            Val::Int(i) => Value::Int(*i),
            Val::Long(l) => Value::Long(*l),
            Val::Float(f) => Value::Float(*f),
            Val::Double(d) => Value::Double(*d),
            Val::Str(s) => Value::String(s.as_str().to_owned()),
            Val::Map(m) => Value::Map(match m.source() {
                Some(source) => source.to_map(),
                None => m.borrow().to_doc(),
            }),
            Val::List(l) | Val::Array(l, _) | Val::Stream(l) => Value::List(match l.source() {
                Some(source) => source.items().to_vec(),
                None => l.borrow().iter().map(|v| deeper(|| v.to_value())).collect(),
            }),
            Val::Set(s) => {
                let s = s.borrow();
                let keys: Vec<&Key<'a>> = s.iter_java().map(|(k, _)| k).collect();
                let order: Vec<usize> = deep_copied_set_order(&keys);
                Value::List(
                    order
                        .into_iter()
                        .map(|i| keys[i].to_val().to_value())
                        .collect(),
                )
            }
            Val::DocMap(m) => Value::Map((*m).clone()),
            Val::DocList(l) => Value::List(l.to_vec()),
            Val::Entry(e) => {
                let mut m = isc_value::Map::default();
                m.insert(
                    e.key.to_java_string(),
                    deeper(|| e.value.borrow().to_value()),
                );
                Value::Map(m)
            }
            Val::Time(t) => Value::String(t.document_text()),
            other => Value::String(other.to_java_string()),
        }
    }

    /// Converts the value back into a document value once the run is
    /// over: a container only this value holds gives up its contents, so
    /// document parts the script never opened move back without a copy.
    pub(crate) fn into_value(mut self) -> Value {
        match &mut self {
            Val::Str(s) => Value::String(std::mem::replace(s, Str::Borrowed("")).into_string()),
            Val::Map(m) => Value::Map(map_into_doc(m)),
            Val::List(l) | Val::Array(l, _) | Val::Stream(l) => {
                if let Some(source) = l.take_unique_source() {
                    return Value::List(source.into_list());
                }
                if l.strong_count() == 1 {
                    let items = std::mem::take(&mut *l.borrow_mut());
                    return Value::List(items.into_iter().map(Val::into_value).collect());
                }
                self.to_value()
            }
            _ => self.to_value(),
        }
    }

    /// The key form of this value, when it can be a map key.
    pub(crate) fn to_key(&self) -> Option<Key<'a>> {
        Some(match self {
            Val::Null => Key::Null,
            Val::Bool(b) => Key::Bool(*b),
            Val::Int(i) => Key::Int(*i),
            Val::Byte(b) => Key::Int(i32::from(*b)),
            Val::Short(s) => Key::Int(i32::from(*s)),
            Val::Long(l) => Key::Long(*l),
            Val::Char(c) => Key::Char(*c),
            Val::Double(d) => Key::Double(d.to_bits()),
            Val::Float(f) => Key::Double(f64::from(*f).to_bits()),
            Val::Str(s) => Key::Str(s.clone()),
            _ => return None,
        })
    }

    /// The Java class name (`java.lang.Integer`) for messages.
    pub(crate) fn class_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "java.lang.Boolean",
            Val::Byte(_) => "java.lang.Byte",
            Val::Short(_) => "java.lang.Short",
            Val::Char(_) => "java.lang.Character",
            Val::Int(_) => "java.lang.Integer",
            Val::Long(_) => "java.lang.Long",
            Val::Float(_) => "java.lang.Float",
            Val::Double(_) => "java.lang.Double",
            Val::Str(_) => "java.lang.String",
            Val::Map(m) if !m.is_pending() && m.borrow().linked => "java.util.LinkedHashMap",
            Val::Map(m) if !m.is_pending() && m.borrow().sorted => "java.util.TreeMap",
            Val::Map(_) => "java.util.HashMap",
            Val::DocMap(_) => {
                "org.elasticsearch.ingest.ConditionalProcessor.UnmodifiableIngestData"
            }
            Val::List(_) => "java.util.ArrayList",
            Val::DocList(_) => {
                "org.elasticsearch.ingest.ConditionalProcessor.UnmodifiableIngestList"
            }
            Val::Set(s) if s.borrow().linked => "java.util.LinkedHashSet",
            Val::Set(s) if s.borrow().sorted => "java.util.TreeSet",
            Val::Set(_) => "java.util.HashSet",
            Val::Array(_, b) => match b {
                Base::String => "java.lang.String[]",
                Base::Int => "int[]",
                Base::Long => "long[]",
                Base::Double => "double[]",
                Base::Float => "float[]",
                Base::Boolean => "boolean[]",
                Base::Char => "char[]",
                Base::Byte => "byte[]",
                Base::Short => "short[]",
                _ => "java.lang.Object[]",
            },
            Val::Builder(_) => "java.lang.StringBuilder",
            Val::Tokenizer(_) => "java.util.StringTokenizer",
            Val::Pattern(_) => "java.util.regex.Pattern",
            Val::Matcher(_) => "java.util.regex.Matcher",
            Val::Entry(_) => "java.util.HashMap.Node",
            Val::Iter(_) => "java.util.Iterator",
            Val::Stream(_) => "java.util.stream.ReferencePipeline",
            Val::Collector(..) => "java.util.stream.Collector",
            Val::Func(_) => "java.util.function.Function",
            Val::Exception(e) => e.0.java_name(),
            Val::View(_, ViewKind::Keys) | Val::DocView(_, ViewKind::Keys) => {
                "java.util.HashMap.KeySet"
            }
            Val::View(_, ViewKind::Values) | Val::DocView(_, ViewKind::Values) => {
                "java.util.HashMap.Values"
            }
            Val::View(_, ViewKind::Entries) | Val::DocView(_, ViewKind::Entries) => {
                "java.util.HashMap.EntrySet"
            }
            Val::Time(t) => t.class_name(),
            Val::Cidr(_) => "org.elasticsearch.painless.api.CIDR",
        }
    }

    /// The name Painless's cast messages use: primitives for boxed numbers
    /// (`typeToUnboxedType`), canonical names otherwise.
    pub(crate) fn unboxed_name(&self) -> &'static str {
        match self {
            Val::Bool(_) => "boolean",
            Val::Byte(_) => "byte",
            Val::Short(_) => "short",
            Val::Char(_) => "char",
            Val::Int(_) => "int",
            Val::Long(_) => "long",
            Val::Float(_) => "float",
            Val::Double(_) => "double",
            other => other.class_name(),
        }
    }

    /// Java `String.valueOf(this)`. A container's text stops growing once
    /// it passes [`crate::interp::MAX_VALUE_SIZE`] (lists holding one list
    /// many times over print exponentially long): a method or static that
    /// returns it then fails (`stdlib::within_heap`), and code that keeps
    /// it otherwise checks its size ([`Val::to_java_text`]).
    pub(crate) fn to_java_string(&self) -> String {
        let mut out = String::new();
        self.write_java_string(&mut out);
        out
    }

    /// [`Val::to_java_string`], failing as Java runs out of heap
    /// (`OutOfMemoryError`) when the text would pass
    /// [`crate::interp::MAX_VALUE_SIZE`].
    pub(crate) fn to_java_text(&self) -> Result<String, crate::interp::Thrown> {
        let text = self.to_java_string();
        if text.len() > crate::interp::MAX_VALUE_SIZE {
            return Err(crate::interp::out_of_memory());
        }
        Ok(text)
    }

    pub(crate) fn write_java_string(&self, out: &mut String) {
        match self {
            Val::Null => out.push_str("null"),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Byte(b) => out.push_str(&b.to_string()),
            Val::Short(s) => out.push_str(&s.to_string()),
            Val::Char(c) => out.push_str(&char_string(*c)),
            Val::Int(i) => out.push_str(&i.to_string()),
            Val::Long(l) => out.push_str(&l.to_string()),
            Val::Float(f) => out.push_str(&isc_value::float_to_java_string(*f)),
            Val::Double(d) => out.push_str(&isc_value::double_to_java_string(*d)),
            Val::Str(s) => out.push_str(s.as_str()),
            Val::Map(m) => {
                let m = m.borrow();
                out.push('{');
                for (n, (k, v)) in m.iter_java().enumerate() {
                    if out.len() > crate::interp::MAX_VALUE_SIZE {
                        return;
                    }
                    if n > 0 {
                        out.push_str(", ");
                    }
                    k.to_val().write_java_string(out);
                    out.push('=');
                    deeper(|| v.write_java_string(out));
                }
                out.push('}');
            }
            Val::DocMap(m) => out.push_str(&Value::Map((*m).clone()).to_java_string()),
            Val::DocList(l) => out.push_str(&Value::List(l.to_vec()).to_java_string()),
            Val::List(l) | Val::Stream(l) => write_seq(l.borrow().iter(), out),
            Val::Set(s) => {
                let s = s.borrow();
                let items: Vec<Val<'_>> = s.iter_java().map(|(k, _)| k.to_val()).collect();
                write_seq(items.iter(), out);
            }
            Val::Array(l, _) => out.push_str(&format!(
                "[{}@{:x}",
                self.class_name(),
                l.addr() & 0xfff_ffff
            )),
            Val::Builder(b) => out.push_str(&b.borrow()),
            Val::Pattern(p) => out.push_str(&p.pattern),
            Val::Entry(e) => {
                e.key.write_java_string(out);
                out.push('=');
                deeper(|| e.value.borrow().write_java_string(out));
            }
            Val::Exception(e) => {
                out.push_str("java.lang.");
                out.push_str(e.0.java_name());
                if !e.1.is_empty() {
                    out.push_str(": ");
                    out.push_str(&e.1);
                }
            }
            Val::Time(t) => out.push_str(&t.java_string()),
            other => out.push_str(other.class_name()),
        }
    }
}

/// The order in which Elasticsearch writes a set's elements (given in
/// the set's own iteration order) into a document's JSON: the simulate API,
/// and so pipeline tests, print `IngestDocument.deepCopy` of the document,
/// which copies every set into `Sets.newHashSetWithExpectedSize(n)` (a
/// table of the power of two at or above `n < 2 ? n + 1 : n / 0.75 + 1`
/// buckets), so the elements come out in that new table's bucket order.
fn deep_copied_set_order(keys: &[&Key<'_>]) -> Vec<usize> {
    let n = keys.len();
    let expected = if n < 2 {
        n + 1
    } else {
        (n as f64 / 0.75 + 1.0) as usize
    };
    let capacity = isc_value::java_table_capacity(expected, n);
    isc_value::java_bucket_order(keys.iter().map(|k| k.java_hash()), capacity)
}

fn write_seq<'v, 'a: 'v>(items: impl Iterator<Item = &'v Val<'a>>, out: &mut String) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if out.len() > crate::interp::MAX_VALUE_SIZE {
            return;
        }
        if i > 0 {
            out.push_str(", ");
        }
        deeper(|| item.write_java_string(out));
    }
    out.push(']');
}

/// A UTF-16 unit as a string (lone surrogates become U+FFFD).
pub(crate) fn char_string(c: u16) -> String {
    String::from_utf16_lossy(&[c])
}

impl<'a> MapObj<'a> {
    pub(crate) fn to_doc(&self) -> isc_value::Map {
        self.entries
            .iter()
            .map(|(k, v)| (key_string(k), deeper(|| v.to_value())))
            .collect()
    }
}

/// `map.get(key)`. A map still in document form is read without opening
/// it: a container found is taken out once (later reads and the opened map
/// see that same object), anything else is copied.
pub(crate) fn map_get<'a>(m: &MapRef<'a>, key: &Key<'_>) -> Option<Val<'a>> {
    if let Some(mut source) = m.source_mut() {
        return match key {
            Key::Str(s) => source.get(s.as_str()),
            // Document maps have text keys only.
            _ => None,
        };
    }
    m.borrow().entries.get(key).cloned()
}

/// `map.size()`, read from a map in document form without opening it.
pub(crate) fn map_len(m: &MapRef<'_>) -> usize {
    if let Some(source) = m.source() {
        return source.len();
    }
    m.borrow().entries.len()
}

/// `list.size()`, read from a list in document form without opening it.
pub(crate) fn list_len(l: &ListRef<'_>) -> usize {
    if let Some(source) = l.source() {
        return source.items().len();
    }
    l.borrow().len()
}

/// `map.containsKey(key)` (a map in document form is not opened: it has
/// text keys only).
pub(crate) fn map_contains_key(m: &MapRef<'_>, key: &Key<'_>) -> bool {
    if let Some(source) = m.source() {
        return matches!(key, Key::Str(s) if source.contains_key(s.as_str()));
    }
    m.borrow().entries.contains_key(key)
}

/// The text keys of `m`, in insertion order.
pub(crate) fn map_string_keys(m: &MapRef<'_>) -> Vec<String> {
    if let Some(source) = m.source() {
        return source.keys().map(str::to_owned).collect();
    }
    m.borrow()
        .entries
        .keys()
        .filter_map(|k| match k {
            Key::Str(s) => Some(s.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// `map.put(key, v)`, returning the old value. A map still in document
/// form takes a text key without being opened (see [`map_get`]).
pub(crate) fn map_put<'a>(m: &MapRef<'a>, k: Key<'a>, v: Val<'a>) -> Option<Val<'a>> {
    let v = match (m.source_mut(), &k) {
        (Some(mut source), Key::Str(s)) => match source.put(s.as_str(), v) {
            Ok(old) => return old,
            Err(v) => v,
        },
        _ => v,
    };
    m.borrow_mut().insert(k, v)
}

/// A map key as a document key.
fn key_string(k: &Key<'_>) -> String {
    match k {
        Key::Str(s) => s.as_str().to_owned(),
        other => other.to_val().to_java_string(),
    }
}

/// A map key as a document key, reusing a moved string's buffer.
pub(crate) fn key_into_string(k: Key<'_>) -> String {
    match k {
        Key::Str(s) => s.into_string(),
        other => other.to_val().to_java_string(),
    }
}

/// A map as a document map once the run is over (see [`Val::into_value`]).
pub(crate) fn map_into_doc(m: &MapRef<'_>) -> isc_value::Map {
    if let Some(source) = m.take_unique_source() {
        return source.into_map();
    }
    if m.strong_count() == 1 {
        let entries = std::mem::take(&mut m.borrow_mut().entries);
        return entries
            .into_iter()
            .map(|(k, v)| (key_into_string(k), v.into_value()))
            .collect();
    }
    m.borrow().to_doc()
}

/// Java `Objects.equals(a, b)`: classes must match (`1` is not `1L`).
pub(crate) fn java_equals<'a>(a: &Val<'a>, b: &Val<'a>) -> bool {
    use Val::*;
    match (a, b) {
        (Null, Null) => true,
        (Bool(x), Bool(y)) => x == y,
        (Byte(x), Byte(y)) => x == y,
        (Short(x), Short(y)) => x == y,
        (Char(x), Char(y)) => x == y,
        (Int(x), Int(y)) => x == y,
        (Long(x), Long(y)) => x == y,
        (Float(x), Float(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        (Double(x), Double(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        (Str(x), Str(y)) => x.as_str() == y.as_str(),
        (Time(x), Time(y)) => x == y,
        (Builder(x), Builder(y)) => Rc::ptr_eq(x, y),
        (Tokenizer(x), Tokenizer(y)) => Rc::ptr_eq(x, y),
        (Entry(x), Entry(y)) => {
            java_equals(&x.key, &y.key)
                && deeper(|| java_equals(&x.value.borrow(), &y.value.borrow()))
        }
        (Null, _) | (_, Null) => false,
        _ => {
            let is_list = |v: &Val<'_>| matches!(v, List(_) | DocList(_));
            let is_map = |v: &Val<'_>| matches!(v, Map(_) | DocMap(_));
            if is_list(a) != is_list(b) || is_map(a) != is_map(b) {
                return false;
            }
            if let (DocList(x), DocList(y)) = (a, b) {
                return x == y;
            }
            if let (DocMap(x), DocMap(y)) = (a, b) {
                return x.len() == y.len() && x.iter().all(|(k, v)| y.get(k) == Some(v));
            }
            if let (Some(x), Some(y)) = (seq_items(a), seq_items(b)) {
                return x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|(p, q)| deeper(|| java_equals(p, q)));
            }
            if let (Some(x), Some(y)) = (map_entries(a), map_entries(b)) {
                return x.len() == y.len()
                    && x.iter().all(|(k, v)| {
                        y.iter()
                            .any(|(k2, v2)| java_equals(k, k2) && deeper(|| java_equals(v, v2)))
                    });
            }
            if let (Set(x), Set(y)) = (a, b) {
                let (x, y) = (x.borrow(), y.borrow());
                return x.entries.len() == y.entries.len()
                    && x.entries.keys().all(|k| y.entries.contains_key(k));
            }
            match (a, b) {
                (Array(x, _), Array(y, _)) => Shared::ptr_eq(x, y),
                (Map(x), Map(y)) => Shared::ptr_eq(x, y),
                _ => false,
            }
        }
    }
}

/// The items of a `List` (owned or document), copied out.
pub(crate) fn seq_items<'a>(v: &Val<'a>) -> Option<Vec<Val<'a>>> {
    match v {
        Val::List(l) => Some(l.borrow().clone()),
        Val::DocList(l) => Some(l.iter().map(Val::from_doc).collect()),
        _ => None,
    }
}

/// The entries of a `Map` (owned or document), copied out in insertion order.
pub(crate) fn map_entries<'a>(v: &Val<'a>) -> Option<Vec<(Val<'a>, Val<'a>)>> {
    match v {
        Val::Map(m) => Some(
            m.borrow()
                .entries
                .iter()
                .map(|(k, v)| (k.to_val(), v.clone()))
                .collect(),
        ),
        Val::DocMap(m) => Some(
            m.iter()
                .map(|(k, v)| (Val::Str(Str::Borrowed(k.as_str())), Val::from_doc(v)))
                .collect(),
        ),
        _ => None,
    }
}

/// A map's entries in Java iteration order (`HashMap` bucket order, or
/// insertion order for a `LinkedHashMap`), as the map methods `forEach`,
/// `count` and `collect` and `Json.dump` see them; empty for anything else.
pub(crate) fn ordered_entries<'a>(v: &Val<'a>) -> Vec<(Val<'a>, Val<'a>)> {
    match v {
        Val::Map(m) => {
            let m = m.borrow();
            m.iter_java()
                .map(|(k, v)| (k.to_val(), v.clone()))
                .collect()
        }
        Val::DocMap(m) => isc_value::java_hashmap_order(m)
            .into_iter()
            .filter_map(|i| m.get_index(i))
            .map(|(k, v)| (Val::Str(Str::Borrowed(k.as_str())), Val::from_doc(v)))
            .collect(),
        _ => Vec::new(),
    }
}

impl Val<'_> {
    /// A map, set, view, list, array or stream: a value that owns others.
    pub(crate) fn is_container(&self) -> bool {
        matches!(
            self,
            Val::Map(_)
                | Val::Set(_)
                | Val::View(..)
                | Val::List(_)
                | Val::Array(..)
                | Val::Stream(_)
        )
    }
}

/// Moves the container children of `v` (when `v` is their last owner) to
/// `out`, leaving nulls behind: how a deeply nested container is freed
/// without recursing once per level (see `shared.rs`).
pub(crate) fn take_children<'a>(v: &mut Val<'a>, out: &mut Vec<Val<'a>>) {
    match v {
        Val::Map(rc) | Val::Set(rc) | Val::View(rc, _) if rc.strong_count() == 1 => {
            if let Some(mut m) = rc.loaded_mut() {
                m.take_containers(out);
            }
        }
        Val::List(rc) | Val::Array(rc, _) | Val::Stream(rc) if rc.strong_count() == 1 => {
            if let Some(mut l) = rc.loaded_mut() {
                l.take_containers(out);
            }
        }
        _ => {}
    }
}

/// Whether `v`, put under a top-level key of `ctx` (one level down),
/// would nest the document deeper than [`isc_value::MAX_DOCUMENT_DEPTH`].
pub(crate) fn too_deep_under_ctx(v: &Val<'_>) -> bool {
    nests_deeper_than(v, isc_value::MAX_DOCUMENT_DEPTH - 1)
}

/// Whether containers nest deeper than `limit` below `root` (checked
/// without recursion, before values are converted recursively). Document parts the script
/// never opened are measured where they are.
pub(crate) fn nests_deeper_than(root: &Val<'_>, limit: usize) -> bool {
    // Only containers go on the work list: scalars cannot nest.
    let mut stack: Vec<(Val<'_>, usize)> = vec![(root.clone(), 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        match &v {
            Val::Map(m) | Val::Set(m) => {
                if let Some(source) = m.source() {
                    if doc_nests_deeper_than(source.untaken_values(), depth + 1, limit) {
                        return true;
                    }
                    stack.extend(source.taken().map(|c| (c.clone(), depth + 1)));
                    continue;
                }
                let m = m.borrow();
                stack.extend(
                    m.entries
                        .values()
                        .filter(|c| c.is_container())
                        .map(|c| (c.clone(), depth + 1)),
                );
            }
            Val::List(l) | Val::Array(l, _) | Val::Stream(l) => {
                if let Some(source) = l.source() {
                    if doc_nests_deeper_than(source.items().iter(), depth + 1, limit) {
                        return true;
                    }
                    continue;
                }
                let l = l.borrow();
                stack.extend(
                    l.iter()
                        .filter(|c| c.is_container())
                        .map(|c| (c.clone(), depth + 1)),
                );
            }
            _ => {}
        }
    }
    false
}

/// Whether document values at `depth` nest deeper than `limit`.
pub(crate) fn doc_nests_deeper_than<'v>(
    values: impl Iterator<Item = &'v Value>,
    depth: usize,
    limit: usize,
) -> bool {
    let mut stack = Vec::new();
    push_doc_containers(values, depth, &mut stack);
    while let Some((v, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        match v {
            Value::Map(m) => push_doc_containers(m.values(), depth + 1, &mut stack),
            Value::List(l) => push_doc_containers(l.iter(), depth + 1, &mut stack),
            _ => {}
        }
    }
    false
}

fn push_doc_containers<'v>(
    values: impl Iterator<Item = &'v Value>,
    depth: usize,
    stack: &mut Vec<(&'v Value, usize)>,
) {
    stack.extend(
        values
            .filter(|v| matches!(v, Value::Map(_) | Value::List(_)))
            .map(|v| (v, depth)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_hash_like_java() {
        assert_eq!(Key::Int(5).java_hash(), 5);
        assert_eq!(Key::Bool(true).java_hash(), 1231);
        assert_eq!(Key::from_str("a").java_hash(), 97);
        assert_eq!(Key::Long(1 << 32).java_hash(), 1);
        for text in ["", "event.outcome", "é", "a\u{1F600}b", "Zürich"] {
            assert_eq!(Key::from_str(text).java_hash(), java_string_hash(text));
        }
    }

    #[test]
    fn equality_is_class_strict() {
        assert!(!java_equals(&Val::Int(1), &Val::Long(1)));
        assert!(java_equals(&Val::str("a"), &Val::Str(Str::Borrowed("a"))));
    }

    /// The order computed from scratch, bypassing the remembered one.
    fn fresh_order(m: &MapObj<'_>) -> Rc<[usize]> {
        isc_value::java_bucket_order(m.entries.keys().map(Key::java_hash), m.capacity)
    }

    #[test]
    fn remembered_order_follows_every_key_change() {
        let mut m = MapObj::new();
        for k in ["b", "a", "zz", "q"] {
            m.insert(Key::from_str(k), Val::Int(1));
        }
        assert_eq!(*m.java_order(), *fresh_order(&m));
        // A new value for an existing key keeps the order.
        m.insert(Key::from_str("a"), Val::Int(2));
        assert_eq!(*m.java_order(), *fresh_order(&m));
        // Removal, then a different key: same size, new key set.
        m.remove(&Key::from_str("b"));
        assert_eq!(*m.java_order(), *fresh_order(&m));
        m.insert(Key::from_str("c"), Val::Int(3));
        assert_eq!(*m.java_order(), *fresh_order(&m));
        // Growth of the table reorders the buckets.
        for i in 0..20 {
            m.insert(Key::Int(i * 16), Val::Null);
            assert_eq!(*m.java_order(), *fresh_order(&m));
        }
        // A map turned linked iterates in insertion order.
        m.linked = true;
        assert_eq!(*m.java_order(), *(0..m.entries.len()).collect::<Vec<_>>());
    }

    #[test]
    fn copied_maps_start_with_javas_table_size() {
        assert_eq!(MapObj::for_map_copy(3).capacity, 8);
        assert_eq!(MapObj::for_map_copy(6).capacity, 16);
        assert_eq!(MapObj::for_map_copy(12).capacity, 32);
        assert_eq!(MapObj::for_map_copy(0).capacity, 16);
        assert_eq!(MapObj::for_set_copy(3).capacity, 16);
    }

    #[test]
    fn maps_print_in_hash_order() {
        let mut m = MapObj::new();
        m.insert(Key::from_str("b"), Val::Int(1));
        m.insert(Key::from_str("a"), Val::Int(2));
        assert_eq!(Val::new_map(m).to_java_string(), "{a=2, b=1}");
    }
}
