//! Document values as Elasticsearch's ingest layer sees them.
//!
//! Elasticsearch parses a document's `_source` with Jackson into Java objects:
//! `Integer` for whole numbers that fit 32 bits, `Long` for larger ones,
//! `Double` for anything with a fraction or exponent, `String`, `Boolean`,
//! `List` and `Map`. Processors and Painless then see those Java types, and
//! several observable behaviours depend on them (integer overflow, `equals`
//! between `Integer` and `Long`, `Double.toString` in string conversions).
//! [`Value`] keeps exactly that distinction, plus `Float` which the `convert`
//! processor and Painless can produce.

pub mod byte_size;
mod ip_literal;
pub mod jackson;
mod java_format;
mod java_hash;
pub mod java_number;
mod json;

pub use ip_literal::{
    NotAnIpLiteral, format_host_address, format_network_address, parse_ip_literal,
};
pub use java_format::{double_to_java_string, float_to_java_string};
pub use java_hash::{
    java_bucket_order, java_hashmap_order, java_hashmap_order_with_capacity, java_string_hash,
    java_table_capacity,
};
pub use json::{JsonError, from_json_bytes, from_json_str, to_json_string, to_json_string_pretty};

/// A JSON object with the keys in insertion order.
///
/// Elasticsearch keeps `_source` objects in Java `HashMap`s; code that needs
/// Java's iteration order (Painless `keySet()`, `Map.toString()`) asks
/// [`java_hashmap_order`] for it. Insertion order is what we print.
///
/// Keys hash with `foldhash` rather than SipHash: documents are not an
/// attack surface here and key hashing is a large share of pipeline time.
/// Create maps with `Map::default()` or [`map_with_capacity`].
pub type Map = indexmap::IndexMap<String, Value, MapHasher>;

/// The most levels of objects and lists a document may nest below its
/// root. Elasticsearch sets no such limit, but it cannot write out a
/// document nested that deep (Java overflows its stack on `_source`, as
/// our recursive serializer would): ingest writes and Painless scripts
/// that would go deeper fail instead.
pub const MAX_DOCUMENT_DEPTH: usize = 2000;

/// The hasher of [`Map`].
pub type MapHasher = foldhash::fast::RandomState;

/// An empty [`Map`] with room for `n` entries.
pub fn map_with_capacity(n: usize) -> Map {
    Map::with_capacity_and_hasher(n, MapHasher::default())
}

/// One value of a document, typed as Elasticsearch's Java code sees it.
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// JSON `null` (Java `null`).
    #[default]
    Null,
    /// `java.lang.Boolean`.
    Bool(bool),
    /// `java.lang.Integer`: JSON whole numbers in 32-bit range.
    Int(i32),
    /// `java.lang.Long`: JSON whole numbers beyond 32 bits.
    Long(i64),
    /// `java.lang.Float`: produced by `convert` and Painless, never by JSON.
    Float(f32),
    /// `java.lang.Double`: JSON numbers with a fraction or exponent.
    Double(f64),
    /// `java.lang.String`.
    String(String),
    /// `java.util.List`.
    List(Vec<Value>),
    /// `java.util.Map` with string keys.
    Map(Map),
}

impl Value {
    /// The Java class name Elasticsearch prints in error messages, such as
    /// `java.lang.Integer`; `null` for [`Value::Null`].
    pub fn java_type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "java.lang.Boolean",
            Value::Int(_) => "java.lang.Integer",
            Value::Long(_) => "java.lang.Long",
            Value::Float(_) => "java.lang.Float",
            Value::Double(_) => "java.lang.Double",
            Value::String(_) => "java.lang.String",
            Value::List(_) => "java.util.ArrayList",
            Value::Map(_) => "java.util.HashMap",
        }
    }

    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True for the four number variants.
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Long(_) | Value::Float(_) | Value::Double(_)
        )
    }

    /// The string, if this is a [`Value::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The map, if this is a [`Value::Map`].
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The map, mutably, if this is a [`Value::Map`].
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list, if this is a [`Value::List`].
    pub fn as_list(&self) -> Option<&Vec<Value>> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The list, mutably, if this is a [`Value::List`].
    pub fn as_list_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The value as an `f64` when it is a number (Java `Number.doubleValue()`).
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Int(i) => Some(f64::from(i)),
            Value::Long(l) => Some(l as f64),
            Value::Float(f) => Some(f64::from(f)),
            Value::Double(d) => Some(d),
            _ => None,
        }
    }

    /// The value as an `i64` when it is an `Int` or a `Long`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Int(i) => Some(i64::from(i)),
            Value::Long(l) => Some(l),
            _ => None,
        }
    }

    /// Java's `String.valueOf(value)`: what string concatenation, the
    /// `convert` processor's `string` type and mustache print.
    ///
    /// Numbers follow `Integer/Long/Float/Double.toString` (`1.0E10`), lists
    /// print as `[a, b]`, maps as `{k=v, k2=v2}` in Java `HashMap` order.
    pub fn to_java_string(&self) -> String {
        let mut out = String::new();
        java_format::write_java_string(self, &mut out);
        out
    }

    /// A whole number as Java would box it: `Int` when it fits 32 bits,
    /// `Long` otherwise.
    pub fn from_whole_number(n: i64) -> Value {
        match i32::try_from(n) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Long(n),
        }
    }
}

/// Java `Objects.equals`: values of different Java classes are never equal,
/// so `Int(1) != Long(1)` and `Double(1.0) != Float(1.0)`. Doubles compare as
/// `Double.equals` does (`NaN` equals `NaN`, `0.0` differs from `-0.0`).
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Long(a), Value::Long(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => {
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
            }
            (Value::Double(a), Value::Double(b)) => {
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
            }
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k) == Some(v))
            }
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::Int(i)
    }
}

impl From<i64> for Value {
    fn from(l: i64) -> Value {
        Value::Long(l)
    }
}

impl From<f64> for Value {
    fn from(d: f64) -> Value {
        Value::Double(d)
    }
}

impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Value {
        Value::List(l)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Map(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_follows_java_classes() {
        assert_ne!(Value::Int(1), Value::Long(1));
        assert_ne!(Value::Double(1.0), Value::Float(1.0));
        assert_eq!(Value::Double(f64::NAN), Value::Double(f64::NAN));
        assert_ne!(Value::Double(0.0), Value::Double(-0.0));
    }

    #[test]
    fn map_equality_ignores_key_order() {
        let a = from_json_str(r#"{"a":1,"b":2}"#).unwrap();
        let b = from_json_str(r#"{"b":2,"a":1}"#).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn whole_numbers_box_like_java() {
        assert_eq!(Value::from_whole_number(5), Value::Int(5));
        assert_eq!(Value::from_whole_number(1 << 40), Value::Long(1 << 40));
    }
}
