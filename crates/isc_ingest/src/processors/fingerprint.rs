//! `fingerprint`: Elasticsearch's `FingerprintProcessor`. Hashes the values
//! of the given fields (sorted by name) with MD5, SHA-1 (default), SHA-256,
//! SHA-512 or MurmurHash3, after an optional salt, and stores the Base64 of
//! the digest in `target_field` (default `fingerprint`).
//!
//! The bytes hashed are Elasticsearch's: for each scalar reached by a
//! depth-first walk (lists in order, maps by key), a `0` byte then the
//! value's bytes: UTF-8 for strings, little-endian for `Integer` (4 bytes),
//! `Long` (8), `Float` (4), `Double` (8), `1`/`2` for `true`/`false`, none
//! for null; a map entry contributes `0` and its key before its value.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use md5::Digest as _;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use isc_value::Value;

/// The method names Elasticsearch accepts, in its order.
const METHODS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-512", "MurmurHash3"];

/// The `fingerprint` processor's options, compiled.
#[derive(Debug)]
pub struct Fingerprint {
    /// Fields in Java natural (UTF-16) order.
    fields: Vec<FieldPath>,
    target_field: FieldPath,
    salt: Vec<u8>,
    method: Method,
    ignore_missing: bool,
}

/// A supported hash method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Md5,
    Sha1,
    Sha256,
    Sha512,
    Murmur3,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let raw_fields = config.required_list("fields")?;
    if raw_fields.is_empty() {
        return Err(config.error("fields", "must specify at least one field"));
    }
    let mut fields: Vec<String> = raw_fields.iter().map(Value::to_java_string).collect();
    fields.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    let target_field = config.string_or("target_field", "fingerprint")?;
    let salt = config.string_or("salt", "")?;
    let method_name = config.string_or("method", "SHA-1")?;
    let method = match method_name.as_str() {
        "MD5" => Method::Md5,
        "SHA-1" => Method::Sha1,
        "SHA-256" => Method::Sha256,
        "SHA-512" => Method::Sha512,
        "MurmurHash3" => Method::Murmur3,
        _ => {
            return Err(config.error(
                "method",
                format!(
                    "[{method_name}] must be one of the supported hash methods [{}]",
                    METHODS.join(",")
                ),
            ));
        }
    };
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    // `Strings.hasText`: a salt of only whitespace counts as none.
    let salt = if salt.chars().any(|c| !c.is_whitespace()) {
        salt.into_bytes()
    } else {
        Vec::new()
    };
    Ok(Box::new(Fingerprint {
        fields: fields.iter().map(|f| FieldPath::new(f)).collect(),
        target_field: FieldPath::new(&target_field),
        salt,
        method,
        ignore_missing,
    }))
}

impl Processor for Fingerprint {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let mut values = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            match doc.get_opt(field) {
                Some(value) if !value.is_null() => values.push(value),
                _ if self.ignore_missing => {}
                _ => {
                    return Err(IngestError::illegal_argument(format!(
                        "missing field [{}] when calculating fingerprint",
                        field.as_str()
                    )));
                }
            }
        }
        if values.is_empty() {
            return Ok(Flow::Continue);
        }
        let mut input = self.salt.clone();
        for value in values {
            write_value(&mut input, value);
        }
        let digest = self.method.digest(&input);
        doc.set(&self.target_field, Value::String(BASE64.encode(digest)))?;
        Ok(Flow::Continue)
    }
}

/// Appends the bytes Elasticsearch hashes for `value` and what it contains.
fn write_value(out: &mut Vec<u8>, value: &Value) {
    // An explicit stack keeps deep documents from exhausting the call stack.
    let mut stack: Vec<Item<'_>> = vec![Item::Value(value)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Entry(key, value) => {
                out.push(0);
                out.extend_from_slice(key.as_bytes());
                stack.push(Item::Value(value));
            }
            Item::Value(Value::List(items)) => {
                stack.extend(items.iter().rev().map(Item::Value));
            }
            Item::Value(Value::Map(map)) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
                stack.extend(entries.into_iter().rev().map(|(k, v)| Item::Entry(k, v)));
            }
            Item::Value(scalar) => {
                out.push(0);
                scalar_bytes(out, scalar);
            }
        }
    }
}

enum Item<'a> {
    Value(&'a Value),
    Entry(&'a str, &'a Value),
}

fn scalar_bytes(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::String(s) => out.extend_from_slice(s.as_bytes()),
        Value::Int(i) => out.extend_from_slice(&i.to_le_bytes()),
        Value::Long(l) => out.extend_from_slice(&l.to_le_bytes()),
        // Java's floatToIntBits/doubleToLongBits: one canonical NaN.
        Value::Float(f) => {
            let bits = if f.is_nan() { 0x7fc0_0000 } else { f.to_bits() };
            out.extend_from_slice(&bits.to_le_bytes());
        }
        Value::Double(d) => {
            let bits = if d.is_nan() {
                0x7ff8_0000_0000_0000
            } else {
                d.to_bits()
            };
            out.extend_from_slice(&bits.to_le_bytes());
        }
        Value::Bool(true) => out.push(1),
        Value::Bool(false) => out.push(2),
        Value::Null | Value::List(_) | Value::Map(_) => {}
    }
}

impl Method {
    fn digest(self, input: &[u8]) -> Vec<u8> {
        match self {
            Method::Md5 => md5::Md5::digest(input).to_vec(),
            Method::Sha1 => sha1::Sha1::digest(input).to_vec(),
            Method::Sha256 => sha2::Sha256::digest(input).to_vec(),
            Method::Sha512 => sha2::Sha512::digest(input).to_vec(),
            Method::Murmur3 => {
                let (h1, h2) = murmur3_x64_128(input, 0);
                let mut out = h1.to_be_bytes().to_vec();
                out.extend_from_slice(&h2.to_be_bytes());
                out
            }
        }
    }
}

/// MurmurHash3 x64 128-bit, as Elasticsearch's `MurmurHash3.hash128`:
/// the two 64-bit halves, which Elasticsearch prints big-endian.
fn murmur3_x64_128(data: &[u8], seed: u64) -> (u64, u64) {
    const C1: u64 = 0x87c3_7b91_1142_53d5;
    const C2: u64 = 0x4cf5_ad43_2745_937f;
    let (mut h1, mut h2) = (seed, seed);
    let mut blocks = data.chunks_exact(16);
    for block in &mut blocks {
        let mut k1 = u64::from_le_bytes(block[..8].try_into().unwrap_or_default());
        let mut k2 = u64::from_le_bytes(block[8..].try_into().unwrap_or_default());
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
        h1 = h1
            .rotate_left(27)
            .wrapping_add(h2)
            .wrapping_mul(5)
            .wrapping_add(0x52dc_e729);
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
        h2 = h2
            .rotate_left(31)
            .wrapping_add(h1)
            .wrapping_mul(5)
            .wrapping_add(0x3849_5ab5);
    }
    let tail = blocks.remainder();
    let (mut k1, mut k2) = (0u64, 0u64);
    for (i, &byte) in tail.iter().enumerate() {
        if i < 8 {
            k1 ^= u64::from(byte) << (8 * i);
        } else {
            k2 ^= u64::from(byte) << (8 * (i - 8));
        }
    }
    if tail.len() > 8 {
        h2 ^= k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
    }
    if !tail.is_empty() {
        h1 ^= k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
    }
    let len = data.len() as u64;
    h1 ^= len;
    h2 ^= len;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (h1, h2)
}

fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

#[cfg(test)]
mod tests {
    use super::murmur3_x64_128;
    use crate::processors::test_support::{config_err, run, run_err};

    const USER: &str = r#"{"user":{"last_name":"Smith","first_name":"John","date_of_birth":"1980-01-15","is_active":true}}"#;

    fn fingerprint_of(options: &str, source: &str) -> String {
        let out = run(&format!(r#"[{{"fingerprint":{options}}}]"#), source).unwrap();
        let doc = isc_value::from_json_str(&out).unwrap();
        doc.as_map().unwrap()["fingerprint"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn documented_example_hashes_a_map_with_sha1() {
        assert_eq!(
            fingerprint_of(r#"{"fields":["user"]}"#, USER),
            "WbSUPW4zY1PBPehh2AA/sSxiRjw="
        );
    }

    #[test]
    fn elasticsearch_vectors_for_every_method() {
        let doc = r#"{"foo":"foo","bar":"bar"}"#;
        for (method, expected) in [
            ("MD5", "b+3QyaPYdnUF1lb5IKE+1g=="),
            ("SHA-1", "SX/93t223OurJvgMUOCtSl9hcpg="),
            ("SHA-256", "zDQYTy34tBlmNedlDdn++N7NN+wBY15mCoPDINmUxXc="),
            (
                "SHA-512",
                "xNIpYyJzRmg5R0T44ZORC2tgh8N4tVtTFzD5AdBqxmdOuRUjibQQ64lgefkbuZFl8Hv9ze9U6PAmrlgJPcRPGA==",
            ),
            ("MurmurHash3", "yjfaOoy2UQ3EHZRAzFK9sw=="),
        ] {
            let options = format!(r#"{{"fields":["foo","bar"],"method":"{method}"}}"#);
            assert_eq!(fingerprint_of(&options, doc), expected, "{method}");
        }
    }

    #[test]
    fn elasticsearch_vectors_for_salt_and_missing_fields() {
        assert_eq!(
            fingerprint_of(
                r#"{"fields":["foo","bar"]}"#,
                r#"{"foo":"fooValue","bar":"barValue"}"#
            ),
            "IgxzmZVknx4+Og/eUpvIlqH9PdI="
        );
        assert_eq!(
            fingerprint_of(r#"{"fields":["foo"],"salt":"salt"}"#, r#"{"foo":"foo"}"#),
            "rWTTCYvRPQAzKXydmKwyC+//dmM="
        );
        let options = r#"{"fields":["foo","bar","baz"],"ignore_missing":true}"#;
        assert_eq!(
            fingerprint_of(options, r#"{"foo":"foo"}"#),
            "WoyqQDn9vALAGmScjA9Z2yg7sos="
        );
        assert_eq!(
            fingerprint_of(options, r#"{"foo":"foo","bar":"foo"}"#),
            "vjq2RyU5UA8vzeM5gIbfrOGir7w="
        );
        assert_eq!(
            fingerprint_of(options, r#"{"foo":"foo","bar":"foo","baz":"foo"}"#),
            "2Ozd89kaee2AnbrjU8zB6QGn9Wo="
        );
    }

    #[test]
    fn map_key_order_does_not_matter() {
        let reordered = r#"{"user":{"is_active":true,"date_of_birth":"1980-01-15","first_name":"John","last_name":"Smith"}}"#;
        assert_eq!(
            fingerprint_of(r#"{"fields":["user"]}"#, reordered),
            "WbSUPW4zY1PBPehh2AA/sSxiRjw="
        );
    }

    #[test]
    fn field_order_does_not_matter_and_salt_changes_the_hash() {
        let a = fingerprint_of(r#"{"fields":["a","b"]}"#, r#"{"a":1,"b":"x"}"#);
        let b = fingerprint_of(r#"{"fields":["b","a"]}"#, r#"{"a":1,"b":"x"}"#);
        assert_eq!(a, b);
        let salted = fingerprint_of(r#"{"fields":["a","b"],"salt":"s"}"#, r#"{"a":1,"b":"x"}"#);
        assert_ne!(a, salted);
        let blank_salt =
            fingerprint_of(r#"{"fields":["a","b"],"salt":"  "}"#, r#"{"a":1,"b":"x"}"#);
        assert_eq!(a, blank_salt);
    }

    #[test]
    fn integers_and_longs_hash_differently() {
        let int = fingerprint_of(r#"{"fields":["n"]}"#, r#"{"n":1}"#);
        let long = fingerprint_of(r#"{"fields":["n"]}"#, r#"{"n":10000000000}"#);
        assert_ne!(int, long);
    }

    #[test]
    fn every_method_gives_its_digest_length() {
        for (method, chars) in [
            ("MD5", 24),
            ("SHA-1", 28),
            ("SHA-256", 44),
            ("SHA-512", 88),
            ("MurmurHash3", 24),
        ] {
            let hash = fingerprint_of(
                &format!(r#"{{"fields":["a"],"method":"{method}"}}"#),
                r#"{"a":"x"}"#,
            );
            assert_eq!(hash.len(), chars, "{method}");
        }
    }

    #[test]
    fn murmur3_matches_reference_vectors() {
        assert_eq!(murmur3_x64_128(b"", 0), (0, 0));
        assert_eq!(
            murmur3_x64_128(b"hello", 0),
            (0xcbd8_a7b3_41bd_9b02, 0x5b1e_906a_48ae_1d19)
        );
        assert_eq!(
            murmur3_x64_128(b"The quick brown fox jumps over the lazy dog", 0),
            (0xe34b_bc7b_bc07_1b6c, 0x7a43_3ca9_c49a_9347)
        );
    }

    #[test]
    fn missing_fields_fail_unless_ignored() {
        let p = r#"[{"fingerprint":{"fields":["a","b"]}}]"#;
        assert_eq!(
            run_err(p, r#"{"a":1}"#),
            "missing field [b] when calculating fingerprint"
        );
        assert_eq!(
            run_err(p, r#"{"a":1,"b":null}"#),
            "missing field [b] when calculating fingerprint"
        );
        let p = r#"[{"fingerprint":{"fields":["a","b"],"ignore_missing":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
        assert!(run(p, r#"{"a":1}"#).unwrap().contains("fingerprint"));
    }

    #[test]
    fn target_field_is_configurable() {
        let out = run(
            r#"[{"fingerprint":{"fields":["a"],"target_field":"event.hash"}}]"#,
            r#"{"a":"x"}"#,
        )
        .unwrap();
        assert!(out.contains(r#""event":{"hash":"#), "{out}");
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"fingerprint":{}}]"#),
            "[fields] required property is missing"
        );
        assert_eq!(
            config_err(r#"[{"fingerprint":{"fields":[]}}]"#),
            "[fields] must specify at least one field"
        );
        assert_eq!(
            config_err(r#"[{"fingerprint":{"fields":["a"],"method":"sha-1"}}]"#),
            "[method] [sha-1] must be one of the supported hash methods [MD5,SHA-1,SHA-256,SHA-512,MurmurHash3]"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_input_string_panics(text in "\\PC{0,40}") {
            let s = isc_value::to_json_string(&isc_value::Value::from(text.as_str()));
            let _ = crate::processors::test_support::run(
                r#"[{"fingerprint":{"fields":["a","b"],"method":"MurmurHash3"}}]"#,
                &format!(r#"{{"a":{s},"b":[{s},{{"k":{s}}}]}}"#),
            );
        }
    }
}
