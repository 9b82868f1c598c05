//! The JSON text of golden files, byte for byte as elastic-package writes it.
//!
//! elastic-package re-encodes `{"expected": [...]}` with Go's `encoding/json`:
//! object keys sorted bytewise, four-space indent, `": "` between key and
//! value, no trailing newline (the encoder's newline is trimmed). Numbers are
//! kept as the literal text Elasticsearch answered with, which is Jackson's:
//! Java's `Integer/Long.toString` and `Double/Float.toString` (`1.0E10`).
//! Strings are escaped as Go does: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
//! other control characters as `\u00XX`, U+2028/U+2029 as `\u2028`/`\u2029`,
//! and, for packages whose `format_version` is below 2.12.0, `<`, `>` and `&`
//! as `\u003c`, `\u003e`, `\u0026`.

use isc_value::{Value, double_to_java_string, float_to_java_string};

use crate::package::SpecVersion;

/// How strings are escaped in golden files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlEscaping {
    /// `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`
    /// (packages with `format_version` below 2.12.0).
    Escaped,
    /// `<`, `>` and `&` are written as they are.
    Verbatim,
}

impl HtmlEscaping {
    /// The escaping elastic-package uses for a package `format_version`.
    pub fn for_spec_version(version: SpecVersion) -> HtmlEscaping {
        if version < SpecVersion::new(2, 12, 0) {
            HtmlEscaping::Escaped
        } else {
            HtmlEscaping::Verbatim
        }
    }
}

/// The full text of a golden file holding `documents` (dropped documents
/// as `None`, written as `null`).
pub fn golden_file_text(documents: &[Option<Value>], escaping: HtmlEscaping) -> String {
    let mut out = String::from("{\n    \"expected\": ");
    if documents.is_empty() {
        out.push_str("[]");
    } else {
        out.push_str("[\n");
        for (i, doc) in documents.iter().enumerate() {
            push_indent(&mut out, 2);
            match doc {
                Some(v) => write_value(v, 2, escaping, &mut out),
                None => out.push_str("null"),
            }
            if i + 1 < documents.len() {
                out.push(',');
            }
            out.push('\n');
        }
        push_indent(&mut out, 1);
        out.push(']');
    }
    out.push_str("\n}");
    out
}

/// One value as Go's indenting encoder prints it on its own (sorted keys,
/// four-space indent, no trailing newline): the form diffs are shown in.
pub fn pretty_value(value: &Value, escaping: HtmlEscaping) -> String {
    let mut out = String::new();
    write_value(value, 0, escaping, &mut out);
    out
}

/// A number in the form Jackson writes it for Elasticsearch.
pub fn number_literal(value: &Value) -> Option<String> {
    match value {
        Value::Int(i) => Some(i.to_string()),
        Value::Long(l) => Some(l.to_string()),
        Value::Float(f) => Some(float_to_java_string(*f)),
        Value::Double(d) => Some(double_to_java_string(*d)),
        _ => None,
    }
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

fn write_value(value: &Value, depth: usize, escaping: HtmlEscaping, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(_) | Value::Long(_) | Value::Float(_) | Value::Double(_) => {
            out.push_str(&number_literal(value).unwrap_or_default());
        }
        Value::String(s) => write_string(s, escaping, out),
        Value::List(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                push_indent(out, depth + 1);
                write_value(item, depth + 1, escaping, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(out, depth);
            out.push(']');
        }
        Value::Map(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push_str("{\n");
            for (i, key) in keys.iter().enumerate() {
                push_indent(out, depth + 1);
                write_string(key, escaping, out);
                out.push_str(": ");
                if let Some(v) = map.get(*key) {
                    write_value(v, depth + 1, escaping, out);
                }
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(out, depth);
            out.push('}');
        }
    }
}

/// Writes `s` as a JSON string the way Go's encoder escapes it.
fn write_string(s: &str, escaping: HtmlEscaping, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escaping == HtmlEscaping::Escaped => {
                out.push_str("\\u00");
                let b = c as u8;
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xf)] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xf)] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use isc_value::from_json_str;

    #[test]
    fn golden_text_sorts_keys_and_indents_four_spaces_without_trailing_newline() {
        let doc = from_json_str(r#"{"b":{"z":1,"a":[true,null]},"a":"x","c":[],"d":{}}"#).unwrap();
        let text = golden_file_text(&[Some(doc), None], HtmlEscaping::Verbatim);
        assert_eq!(
            text,
            "{\n    \"expected\": [\n        {\n            \"a\": \"x\",\n            \"b\": {\n                \"a\": [\n                    true,\n                    null\n                ],\n                \"z\": 1\n            },\n            \"c\": [],\n            \"d\": {}\n        },\n        null\n    ]\n}"
        );
    }

    #[test]
    fn empty_result_is_an_empty_list() {
        assert_eq!(
            golden_file_text(&[], HtmlEscaping::Verbatim),
            "{\n    \"expected\": []\n}"
        );
    }

    #[test]
    fn numbers_use_java_forms() {
        let doc = from_json_str(r#"{"a":1e10,"b":2.50,"c":9999999999,"d":-0.001}"#).unwrap();
        assert_eq!(
            pretty_value(&doc, HtmlEscaping::Verbatim),
            "{\n    \"a\": 1.0E10,\n    \"b\": 2.5,\n    \"c\": 9999999999,\n    \"d\": -0.001\n}"
        );
        assert_eq!(
            pretty_value(&Value::Float(1.1), HtmlEscaping::Verbatim),
            "1.1"
        );
    }

    #[test]
    fn strings_are_escaped_like_go() {
        let v = Value::String("<a&b>\"\\\n\t\r\u{8}\u{c}\u{1}\u{7f}\u{2028}é".into());
        assert_eq!(
            pretty_value(&v, HtmlEscaping::Verbatim),
            "\"<a&b>\\\"\\\\\\n\\t\\r\\b\\f\\u0001\u{7f}\\u2028é\""
        );
        assert_eq!(
            pretty_value(&Value::String("<&>".into()), HtmlEscaping::Escaped),
            "\"\\u003c\\u0026\\u003e\""
        );
    }

    #[test]
    fn html_escaping_depends_on_format_version() {
        assert_eq!(
            HtmlEscaping::for_spec_version(SpecVersion::new(2, 11, 0)),
            HtmlEscaping::Escaped
        );
        assert_eq!(
            HtmlEscaping::for_spec_version(SpecVersion::new(1, 0, 0)),
            HtmlEscaping::Escaped
        );
        assert_eq!(
            HtmlEscaping::for_spec_version(SpecVersion::new(2, 12, 0)),
            HtmlEscaping::Verbatim
        );
        assert_eq!(
            HtmlEscaping::for_spec_version(SpecVersion::new(3, 3, 2)),
            HtmlEscaping::Verbatim
        );
    }
}
