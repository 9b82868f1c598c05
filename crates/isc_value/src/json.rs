//! JSON in and out, typing numbers as Jackson does for Elasticsearch:
//! `Integer` when a whole number fits 32 bits, `Long` when it fits 64,
//! `Double` for fractions and exponents.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::ser::{CompactFormatter, Formatter};

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

/// Compact JSON, byte for byte what `serde_json::to_string` writes for the
/// value (same escapes, `ryu` number forms, `null` for non-finite numbers),
/// written straight into a string.
pub fn to_json_string(value: &Value) -> String {
    let mut out = String::with_capacity(1024);
    write_compact(value, &mut out);
    out
}

/// Pretty JSON with two-space indent.
pub fn to_json_string_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned())
}

fn write_compact(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => write_integer(i64::from(*i), out),
        Value::Long(l) => write_integer(*l, out),
        Value::Float(f) if f.is_finite() => write_float(out, |w| CompactFormatter.write_f32(w, *f)),
        Value::Double(d) if d.is_finite() => {
            write_float(out, |w| CompactFormatter.write_f64(w, *d))
        }
        Value::Float(_) | Value::Double(_) => out.push_str("null"),
        Value::String(s) => write_escaped(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_escaped(k, out);
                out.push(':');
                write_compact(v, out);
            }
            out.push('}');
        }
    }
}

/// A finite float in serde_json's own form (its formatter writes it).
fn write_float(out: &mut String, write: impl FnOnce(&mut &mut [u8]) -> std::io::Result<()>) {
    let mut buffer = [0u8; 64];
    let mut rest: &mut [u8] = &mut buffer;
    if write(&mut rest).is_err() {
        out.push_str("null");
        return;
    }
    let written = 64 - rest.len();
    out.push_str(std::str::from_utf8(&buffer[..written]).unwrap_or("null"));
}

fn write_integer(n: i64, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut pos = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        pos -= 1;
        digits[pos] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    out.extend(digits[pos..].iter().map(|&b| char::from(b)));
}

/// Eight copies of a byte, for testing eight bytes of a string at once.
const fn repeated(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// True when one of the eight bytes of `word` needs an escape: a control
/// character (below 0x20), `"` or `\`.
fn needs_escape(word: u64) -> bool {
    let high = repeated(0x80);
    let below_space = word.wrapping_sub(repeated(0x20)) & !word;
    let quote = word ^ repeated(b'"');
    let backslash = word ^ repeated(b'\\');
    let zero_in = |v: u64| v.wrapping_sub(repeated(0x01)) & !v;
    (below_space | zero_in(quote) | zero_in(backslash)) & high != 0
}

/// Bytes that need an escape in a JSON string: 0 for none, else the
/// letter of the short escape (`u` for `\\u00xx`).
static ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// A JSON string literal with serde_json's escapes: `\"`, `\\`, the short
/// forms `\b \t \n \f \r`, `\u00xx` (lower-case hex) for the other
/// control characters; everything else is copied.
fn write_escaped(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    loop {
        while let Some(chunk) = bytes.get(i..i + 8) {
            let Ok(word) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            if needs_escape(u64::from_ne_bytes(word)) {
                break;
            }
            i += 8;
        }
        while i < bytes.len() && ESCAPES[usize::from(bytes[i])] == 0 {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        out.push_str(&s[copied..i]);
        out.push('\\');
        match ESCAPES[usize::from(b)] {
            b'u' => {
                out.push_str("u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
            letter => out.push(char::from(letter)),
        }
        i += 1;
        copied = i;
    }
    out.push_str(&s[copied..]);
    out.push('"');
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
        assert_eq!(
            to_json_string(&value),
            serde_json::to_string(&value).unwrap()
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
            serde_json::to_string(&floats).unwrap()
        );
    }

    #[test]
    fn escapes_are_found_at_every_offset_of_a_word() {
        // A byte just above an escaped one (0x21 after 0x20 borrow, 0x23
        // after '"', 0x5d after '\\') must not be taken for an escape.
        for offset in 0..17 {
            for escaped in ['\u{0}', '\u{1f}', '"', '\\', '\n'] {
                let mut text = "a".repeat(offset);
                text.push(escaped);
                text.push_str("!#]\u{0}é€𝄞 tail of some length");
                let value = Value::String(text);
                assert_eq!(
                    to_json_string(&value),
                    serde_json::to_string(&value).unwrap()
                );
            }
        }
    }

    #[test]
    fn bad_json_reports_position() {
        let err = from_json_str("{\n  \"a\": }").unwrap_err();
        assert_eq!(err.line(), 2);
    }
}
