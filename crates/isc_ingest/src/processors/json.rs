//! `json`: Elasticsearch's `JsonProcessor`. Parses a JSON string into a
//! value at `target_field` (default: the field itself), or merges an object
//! into the document root (`add_to_root`, with
//! `add_to_root_conflict_strategy` `replace` or `merge`). Duplicate keys
//! fail unless `allow_duplicate_keys`; with `strict_json_parsing: false`
//! text after the first value is ignored.
//!
//! Parse errors carry serde_json's description, not Jackson's.

use std::fmt;

use isc_value::{Map, Value};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `json` processor.
#[derive(Debug)]
pub struct Json {
    field: FieldPath,
    field_name: String,
    target_field: FieldPath,
    add_to_root: bool,
    merge: bool,
    allow_duplicate_keys: bool,
    strict: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let target_field = config.optional_string("target_field")?;
    let add_to_root = config.bool_or("add_to_root", false)?;
    let strategy = config.optional_string("add_to_root_conflict_strategy")?;
    let allow_duplicate_keys = config.bool_or("allow_duplicate_keys", false)?;
    let strict = config.bool_or("strict_json_parsing", true)?;
    let merge = match strategy.as_deref().map(str::to_uppercase).as_deref() {
        None | Some("REPLACE") => false,
        Some("MERGE") => true,
        Some(_) => {
            return Err(config.error(
                "add_to_root_conflict_strategy",
                format!(
                    "conflict strategy [{}] not supported, cannot convert field.",
                    strategy.as_deref().unwrap_or_default()
                ),
            ));
        }
    };
    if add_to_root && target_field.is_some() {
        return Err(config.error(
            "target_field",
            "Cannot set a target field while also setting `add_to_root` to true",
        ));
    }
    if strategy.is_some() && !add_to_root {
        return Err(config.error(
            "add_to_root_conflict_strategy",
            "Cannot set `add_to_root_conflict_strategy` if `add_to_root` is false",
        ));
    }
    let target = target_field.unwrap_or_else(|| field.clone());
    Ok(Box::new(Json {
        field: FieldPath::new(&field),
        field_name: field,
        target_field: FieldPath::new(&target),
        add_to_root,
        merge,
        allow_duplicate_keys,
        strict,
    }))
}

impl Json {
    fn parse(&self, value: Option<&Value>) -> Result<Value, IngestError> {
        let text = match value {
            None | Some(Value::Null) => "null".to_owned(),
            Some(v) => v.to_java_string(),
        };
        parse_json(&text, self.allow_duplicate_keys, self.strict)
    }
}

impl Processor for Json {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        if self.add_to_root {
            let parsed = self.parse(doc.ctx().get(&self.field_name))?;
            let Value::Map(map) = parsed else {
                return Err(IngestError::illegal_argument(
                    "cannot add non-map fields to root of document",
                ));
            };
            let ctx = doc.ctx_mut();
            if self.merge {
                recursive_merge(ctx, map);
            } else {
                ctx.extend(map);
            }
        } else {
            let parsed = self.parse(Some(doc.get(&self.field)?))?;
            doc.set(&self.target_field, parsed)?;
        }
        Ok(Flow::Continue)
    }
}

/// `JsonProcessor.recursiveMerge`.
fn recursive_merge(target: &mut Map, from: Map) {
    for (key, value) in from {
        match (target.get_mut(&key), value) {
            (Some(Value::Map(t)), Value::Map(f)) => recursive_merge(t, f),
            (_, v) => {
                target.insert(key, v);
            }
        }
    }
}

/// Parses JSON text as the processor does (`JsonProcessor.apply`).
pub(crate) fn parse_json(
    text: &str,
    allow_duplicate_keys: bool,
    strict: bool,
) -> Result<Value, IngestError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Checked {
        allow_duplicate_keys,
    };
    let value = de::DeserializeSeed::deserialize(seed, &mut de).map_err(json_error)?;
    if strict && de.end().is_err() {
        return Err(IngestError::illegal_argument(format!(
            "The input {text} is not valid JSON and the strict_json_parsing parameter is true"
        )));
    }
    Ok(value)
}

/// Elasticsearch reports Jackson's parse errors as an
/// `x_content_parse_exception` `[line:column] message`; the message here is
/// serde_json's.
fn json_error(e: serde_json::Error) -> IngestError {
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text).to_owned();
    IngestError::new(
        "x_content_parse_exception",
        format!("[{}:{}] {message}", e.line(), e.column()),
    )
}

/// A value reader that can reject duplicate keys.
#[derive(Clone, Copy)]
struct Checked {
    allow_duplicate_keys: bool,
}

impl<'de> de::DeserializeSeed<'de> for Checked {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from_whole_number(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(match i64::try_from(n) {
            Ok(l) => Value::from_whole_number(l),
            Err(_) => Value::Double(n as f64),
        })
    }
    fn visit_f64<E>(self, d: f64) -> Result<Value, E> {
        Ok(Value::Double(d))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(self)?;
            if !self.allow_duplicate_keys && map.contains_key(&key) {
                return Err(de::Error::custom(format!("Duplicate field '{key}'")));
            }
            map.insert(key, value);
        }
        Ok(Value::Map(map))
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn parses_into_the_field_or_a_target() {
        assert_eq!(
            run(
                r#"[{"json":{"field":"m"}}]"#,
                r#"{"m":"{\"a\":[1,2.5,null]}"}"#
            )
            .unwrap(),
            r#"{"m":{"a":[1,2.5,null]}}"#
        );
        assert_eq!(
            run(
                r#"[{"json":{"field":"m","target_field":"t"}}]"#,
                r#"{"m":"\"s\""}"#
            )
            .unwrap(),
            r#"{"m":"\"s\"","t":"s"}"#
        );
    }

    #[test]
    fn add_to_root_replaces_or_merges() {
        let doc = r#"{"m":"{\"a\":{\"y\":2},\"b\":3}","a":{"x":1}}"#;
        assert_eq!(
            run(r#"[{"json":{"field":"m","add_to_root":true}}]"#, doc).unwrap(),
            r#"{"m":"{\"a\":{\"y\":2},\"b\":3}","a":{"y":2},"b":3}"#
        );
        assert_eq!(
            run(r#"[{"json":{"field":"m","add_to_root":true,"add_to_root_conflict_strategy":"merge"}}]"#, doc).unwrap(),
            r#"{"m":"{\"a\":{\"y\":2},\"b\":3}","a":{"x":1,"y":2},"b":3}"#
        );
        assert_eq!(
            run_err(
                r#"[{"json":{"field":"m","add_to_root":true}}]"#,
                r#"{"m":"[1]"}"#
            ),
            "cannot add non-map fields to root of document"
        );
    }

    #[test]
    fn duplicates_and_trailing_text() {
        assert!(
            run_err(
                r#"[{"json":{"field":"m"}}]"#,
                r#"{"m":"{\"a\":1,\"a\":2}"}"#
            )
            .contains("Duplicate field 'a'")
        );
        assert_eq!(
            run(
                r#"[{"json":{"field":"m","allow_duplicate_keys":true}}]"#,
                r#"{"m":"{\"a\":1,\"a\":2}"}"#
            )
            .unwrap(),
            r#"{"m":{"a":2}}"#
        );
        assert_eq!(
            run_err(r#"[{"json":{"field":"m"}}]"#, r#"{"m":"{} x"}"#),
            "The input {} x is not valid JSON and the strict_json_parsing parameter is true"
        );
        assert_eq!(
            run(
                r#"[{"json":{"field":"m","strict_json_parsing":false}}]"#,
                r#"{"m":"{} x"}"#
            )
            .unwrap(),
            r#"{"m":{}}"#
        );
    }

    #[test]
    fn parse_errors_are_x_content_parse_exceptions() {
        let e = run(r#"[{"json":{"field":"m"}}]"#, r#"{"m":"not json"}"#).unwrap_err();
        assert_eq!(e.kind, "x_content_parse_exception");
        assert!(e.reason.starts_with("[1:2] "));
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"json":{"field":"m","add_to_root_conflict_strategy":"merge"}}]"#),
            "[add_to_root_conflict_strategy] Cannot set `add_to_root_conflict_strategy` if `add_to_root` is false"
        );
        assert_eq!(
            config_err(
                r#"[{"json":{"field":"m","add_to_root":true,"add_to_root_conflict_strategy":"x"}}]"#
            ),
            "[add_to_root_conflict_strategy] conflict strategy [x] not supported, cannot convert field."
        );
        assert_eq!(
            config_err(r#"[{"json":{"field":"m","add_to_root":true,"target_field":"t"}}]"#),
            "[target_field] Cannot set a target field while also setting `add_to_root` to true"
        );
    }
}
