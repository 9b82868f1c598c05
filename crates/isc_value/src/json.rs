//! JSON in and out, typing numbers as Jackson does for Elasticsearch:
//! `Integer` when a whole number fits 32 bits, `Long` when it fits 64,
//! `Double` for fractions and exponents.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::Value;

/// A JSON text that could not be read, with serde_json's line and column.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JsonError(#[from] serde_json::Error);

impl JsonError {
    /// 1-based line of the problem.
    pub fn line(&self) -> usize {
        self.0.line()
    }
    /// 1-based column of the problem.
    pub fn column(&self) -> usize {
        self.0.column()
    }
}

/// Parses a JSON text into a [`Value`]. Duplicate keys keep the last value.
pub fn from_json_str(text: &str) -> Result<Value, JsonError> {
    Ok(serde_json::from_str(text)?)
}

/// Parses JSON bytes into a [`Value`].
pub fn from_json_bytes(bytes: &[u8]) -> Result<Value, JsonError> {
    Ok(serde_json::from_slice(bytes)?)
}

/// Compact JSON.
pub fn to_json_string(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// Pretty JSON with two-space indent.
pub fn to_json_string_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned())
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i32(*i),
            Value::Long(l) => s.serialize_i64(*l),
            Value::Float(f) => s.serialize_f32(*f),
            Value::Double(d) => s.serialize_f64(*d),
            Value::String(st) => s.serialize_str(st),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        with_pending_entries(|pending| {
            ValueBuilder {
                allow_duplicate_keys: true,
                pending,
            }
            .deserialize(d)
        })
    }
}

/// Extra room in the map of an outermost object.
const ROOT_OBJECT_ROOM: usize = 16;

/// Object entries read but not yet put in their map (see [`ValueBuilder`]).
pub(crate) type PendingEntries = RefCell<Vec<(String, Value)>>;

thread_local! {
    /// The entry stack of the last parse on this thread, kept for its
    /// capacity.
    static SPARE_ENTRIES: RefCell<Vec<(String, Value)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `parse` with an empty entry stack, reusing this thread's spare one.
pub(crate) fn with_pending_entries<R>(parse: impl FnOnce(&PendingEntries) -> R) -> R {
    let pending = RefCell::new(SPARE_ENTRIES.with(RefCell::take));
    let result = parse(&pending);
    let mut spare = pending.into_inner();
    spare.clear();
    SPARE_ENTRIES.with(|s| s.replace(spare));
    result
}

/// Builds a [`Value`] from any serde deserializer: serves `Deserialize for
/// Value` (a repeated key keeps the last value) and the Jackson reader's
/// fast path (which may reject repeated keys).
///
/// The entries of an object wait on a stack shared by the whole parse
/// until the object ends, so that its map is allocated once at its final
/// size instead of growing entry by entry.
#[derive(Clone, Copy)]
pub(crate) struct ValueBuilder<'p> {
    /// False: a repeated key is an error (`duplicate field`).
    pub(crate) allow_duplicate_keys: bool,
    /// Entries of the objects being read, innermost last.
    pub(crate) pending: &'p PendingEntries,
}

impl<'de> DeserializeSeed<'de> for ValueBuilder<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueBuilder<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from_whole_number(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        // Jackson gives a BigInteger beyond Long.MAX_VALUE; we keep the
        // magnitude as a double (listed in DESIGN.md as a difference).
        Ok(match i64::try_from(n) {
            Ok(l) => Value::from_whole_number(l),
            Err(_) => Value::Double(n as f64),
        })
    }
    fn visit_f64<E>(self, d: f64) -> Result<Value, E> {
        // serde_json reads the integer literal `-0` as -0.0 where Jackson reads
        // Integer 0; listed in DESIGN.md as a known difference.
        Ok(Value::Double(d))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let base = self.pending.borrow().len();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(self)?;
            self.pending.borrow_mut().push((key, value));
        }
        let mut pending = self.pending.borrow_mut();
        let mut capacity = pending.len().saturating_sub(base);
        if base == 0 {
            // The outermost object is usually a document that metadata
            // and processors add fields to: room for them up front.
            capacity += ROOT_OBJECT_ROOM;
        }
        let mut map = crate::map_with_capacity(capacity);
        for (key, value) in pending.drain(base..) {
            if !self.allow_duplicate_keys && map.contains_key(&key) {
                return Err(de::Error::custom("duplicate field"));
            }
            map.insert(key, value);
        }
        Ok(Value::Map(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_typed_like_jackson() {
        let v = from_json_str(r#"[1, 2147483648, 1.0, 1e2, -7, 18446744073709551615]"#).unwrap();
        let items = v.as_list().unwrap();
        assert_eq!(items[0], Value::Int(1));
        assert_eq!(items[1], Value::Long(2147483648));
        assert_eq!(items[2], Value::Double(1.0));
        assert_eq!(items[3], Value::Double(100.0));
        assert_eq!(items[4], Value::Int(-7));
        assert!(matches!(items[5], Value::Double(_)));
    }

    #[test]
    fn round_trips_through_json() {
        let text = r#"{"a":{"b":[1,2.5,"x",null,true]},"c":9999999999}"#;
        assert_eq!(to_json_string(&from_json_str(text).unwrap()), text);
    }

    #[test]
    fn compact_output_is_what_serde_json_writes() {
        let mut text = String::from("{\"k\\u0001\":[");
        for b in 0u8..0x80 {
            text.push_str(&format!("\"x{}y\\\"\\\\\\u{:04x}long tail é 𝄞\",", b, b));
        }
        text.push_str("-0.0,1e300,1.5,-2147483648,2147483648,-9223372036854775808,");
        text.push_str("\"\",\"short\",true,false,null,{},[],{\"\":0}]}");
        let value = from_json_str(&text).unwrap();
        let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            to_json_string(&value),
            serde_json::to_string(&reference).unwrap()
        );
        let floats = Value::List(vec![
            Value::Float(1.1),
            Value::Float(f32::NAN),
            Value::Double(f64::INFINITY),
            Value::Double(1e-7),
            Value::Float(3e10),
        ]);
        assert_eq!(
            to_json_string(&floats),
            serde_json::to_string(&(1.1f32, None::<f32>, None::<f64>, 1e-7f64, 3e10f32)).unwrap()
        );
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them_at_any_offset() {
        // Bytes just above escaped ones (0x21, 0x23, 0x5d) stay as they are.
        for offset in 0..17 {
            for escaped in ['\u{0}', '\u{1f}', '"', '\\', '\n'] {
                let mut text = "a".repeat(offset);
                text.push(escaped);
                text.push_str("!#]\u{0}é€𝄞 tail of some length");
                let expected = serde_json::to_string(&text).unwrap();
                assert_eq!(to_json_string(&Value::String(text)), expected);
            }
        }
    }

    #[test]
    fn bad_json_reports_position() {
        let err = from_json_str("{\n  \"a\": }").unwrap_err();
        assert_eq!(err.line(), 2);
    }
}
