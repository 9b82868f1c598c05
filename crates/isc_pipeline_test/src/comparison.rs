//! Comparing produced documents with golden ones, as elastic-package does:
//! dynamic fields removed from both sides, key order irrelevant, numbers
//! equal when their literals are equal or their values are (`1` equals
//! `1.0`), list order significant. `event.ingested` is also removed: it
//! holds the ingest time, which an offline run cannot reproduce.

use isc_value::{Map, Value};
use similar::TextDiff;

use crate::golden_json::{HtmlEscaping, number_literal, pretty_value};
use crate::test_case::delete_dotted;

/// Field always left out of comparisons.
pub const INGEST_TIME_FIELD: &str = "event.ingested";

/// One golden document that differs from the produced one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentDiff {
    /// Position of the document in the case.
    pub index: usize,
    /// The golden document as pretty JSON (`None` when absent).
    pub expected: Option<String>,
    /// The produced document as pretty JSON (`None` when absent).
    pub actual: Option<String>,
}

impl DocumentDiff {
    /// A unified diff (3 lines of context) from the golden to the produced
    /// document, with headers naming the case and the document index.
    pub fn unified(&self, case_name: &str) -> String {
        let expected = with_final_newline(self.expected.as_deref().unwrap_or(""));
        let actual = with_final_newline(self.actual.as_deref().unwrap_or(""));
        TextDiff::from_lines(&expected, &actual)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("{case_name}-expected.json [{}] (want)", self.index),
                &format!("{case_name} [{}] (got)", self.index),
            )
            .to_string()
    }
}

fn with_final_newline(s: &str) -> String {
    if s.is_empty() || s.ends_with('\n') {
        s.to_owned()
    } else {
        format!("{s}\n")
    }
}

/// A document with the dynamic fields and `event.ingested` removed.
pub fn without_ignored_fields<'a>(
    document: &Option<Value>,
    dynamic_fields: impl Iterator<Item = &'a String>,
) -> Option<Value> {
    let mut doc = document.clone()?;
    if let Value::Map(map) = &mut doc {
        for key in dynamic_fields {
            delete_dotted(map, key);
        }
        delete_dotted(map, INGEST_TIME_FIELD);
    }
    Some(doc)
}

/// The documents that differ, pairwise by position.
pub fn diff_documents(
    expected: &[Option<Value>],
    actual: &[Option<Value>],
    escaping: HtmlEscaping,
) -> Vec<DocumentDiff> {
    let render = |d: Option<&Option<Value>>| -> Option<String> {
        d.map(|d| match d {
            Some(v) => pretty_value(v, escaping),
            None => "null".to_owned(),
        })
    };
    let mut diffs = Vec::new();
    for index in 0..expected.len().max(actual.len()) {
        let e = expected.get(index);
        let a = actual.get(index);
        let same = match (e, a) {
            (Some(Some(x)), Some(Some(y))) => json_equal(x, y),
            (Some(None), Some(None)) => true,
            _ => false,
        };
        if !same {
            diffs.push(DocumentDiff {
                index,
                expected: render(e),
                actual: render(a),
            });
        }
    }
    diffs
}

/// JSON equality with elastic-package's number rule and unordered keys.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (x, y) if x.is_number() && y.is_number() => numbers_equal(x, y),
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => maps_equal(x, y),
        _ => false,
    }
}

fn maps_equal(x: &Map, y: &Map) -> bool {
    x.len() == y.len()
        && x.iter()
            .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
}

/// Equal literals, or equal integers, or equal as `float64`.
fn numbers_equal(a: &Value, b: &Value) -> bool {
    if number_literal(a) == number_literal(b) {
        return true;
    }
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x == y,
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isc_value::from_json_str;

    fn v(s: &str) -> Value {
        from_json_str(s).unwrap()
    }

    #[test]
    fn numbers_compare_by_value_and_keys_by_name() {
        assert!(json_equal(
            &v(r#"{"a":1,"b":[2.0]}"#),
            &v(r#"{"b":[2],"a":1.0}"#)
        ));
        assert!(json_equal(&Value::Float(1.1), &v("1.1")));
        assert!(!json_equal(&v("[1,2]"), &v("[2,1]")));
        assert!(!json_equal(&v(r#"{"a":"1"}"#), &v(r#"{"a":1}"#)));
    }

    #[test]
    fn dynamic_fields_and_ingest_time_are_ignored() {
        let doc = Some(v(
            r#"{"event":{"ingested":"now","kind":"event"},"x":{"id":"r1"}}"#,
        ));
        let keys = ["x.id".to_owned()];
        let cleaned = without_ignored_fields(&doc, keys.iter()).unwrap();
        assert!(json_equal(
            &cleaned,
            &v(r#"{"event":{"kind":"event"},"x":{}}"#)
        ));
    }

    #[test]
    fn diff_names_case_and_index() {
        let diffs = diff_documents(
            &[Some(v(r#"{"a":1,"b":"x"}"#)), Some(v(r#"{"c":1}"#))],
            &[Some(v(r#"{"a":1,"b":"y"}"#)), Some(v(r#"{"c":1.0}"#))],
            HtmlEscaping::Verbatim,
        );
        assert_eq!(diffs.len(), 1);
        insta::assert_snapshot!(diffs[0].unified("test-a.log"));
    }
}
