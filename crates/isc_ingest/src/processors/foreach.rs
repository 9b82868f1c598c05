//! `foreach`: Elasticsearch's `ForEachProcessor`. Runs one processor on each
//! element of a list (or each entry of a map) with the element in
//! `_ingest._value` (and the key in `_ingest._key`), then stores the
//! updated elements back.

use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{CompiledProcessor, FactoryContext, Flow, Processor, Run};

/// The `foreach` processor.
#[derive(Debug)]
pub struct ForEach {
    field: FieldPath,
    processor: Box<CompiledProcessor>,
    ignore_missing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let definition = config.required_map("processor")?;
    if definition.len() != 1 {
        return Err(config.error("processor", "Must specify exactly one processor type"));
    }
    let processor = ctx.compile_processor(&definition)?;
    Ok(Box::new(ForEach {
        field: FieldPath::new(&field),
        processor: Box::new(processor),
        ignore_missing,
    }))
}

impl ForEach {
    /// `_ingest.<key> = value`, returning the previous value; like Java's
    /// `HashMap.put`, the key stays (possibly with null) afterwards.
    fn put_ingest(doc: &mut Document, key: &str, value: Value) -> Value {
        doc.ingest_metadata_mut()
            .insert(key.to_owned(), value)
            .unwrap_or_default()
    }
}

impl Processor for ForEach {
    fn process(&self, doc: &mut Document, run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let value = match doc.get(&self.field) {
            Ok(v) => v.clone(),
            Err(_) if self.ignore_missing => return Ok(Flow::Continue),
            Err(e) => return Err(e),
        };
        match value {
            Value::Null if self.ignore_missing => Ok(Flow::Continue),
            Value::Null => Err(IngestError::illegal_argument(format!(
                "field [{}] is null, cannot loop over its elements.",
                self.field
            ))),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let previous = ForEach::put_ingest(doc, "_value", item);
                    let result = self.processor.execute(doc, run);
                    out.push(ForEach::put_ingest(doc, "_value", previous));
                    match result? {
                        Flow::Continue => {}
                        Flow::Drop => return Ok(Flow::Drop),
                    }
                }
                doc.set(&self.field, Value::List(out))?;
                Ok(Flow::Continue)
            }
            Value::Map(entries) => {
                let mut out = isc_value::map_with_capacity(entries.len());
                for (key, item) in entries {
                    let previous_key = ForEach::put_ingest(doc, "_key", Value::String(key));
                    let previous_value = ForEach::put_ingest(doc, "_value", item);
                    let result = self.processor.execute(doc, run);
                    // A blank `_key` drops the entry (and leaves `_value` as set).
                    let new_key = match doc.ingest_metadata().get("_key") {
                        Some(Value::String(k)) if k.chars().any(|c| !c.is_whitespace()) => {
                            Some(k.clone())
                        }
                        _ => None,
                    };
                    if let Some(new_key) = new_key {
                        let new_value = ForEach::put_ingest(doc, "_value", previous_value);
                        out.insert(new_key, new_value);
                    }
                    ForEach::put_ingest(doc, "_key", previous_key);
                    match result? {
                        Flow::Continue => {}
                        Flow::Drop => return Ok(Flow::Drop),
                    }
                }
                doc.set(&self.field, Value::Map(out))?;
                Ok(Flow::Continue)
            }
            other => Err(IngestError::illegal_argument(format!(
                "field [{}] of type [{}] cannot be cast to a list or map",
                self.field,
                other.java_type_name()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn runs_the_processor_on_each_list_element() {
        let p =
            r#"[{"foreach":{"field":"l","processor":{"uppercase":{"field":"_ingest._value"}}}}]"#;
        assert_eq!(run(p, r#"{"l":["a","b"]}"#).unwrap(), r#"{"l":["A","B"]}"#);
    }

    #[test]
    fn map_entries_expose_key_and_value() {
        let p = r#"[{"foreach":{"field":"m","processor":{"set":{"field":"_ingest._value","value":"{{_ingest._key}}!"}}}}]"#;
        assert_eq!(
            run(p, r#"{"m":{"x":1,"y":2}}"#).unwrap(),
            r#"{"m":{"x":"x!","y":"y!"}}"#
        );
    }

    #[test]
    fn map_keys_can_be_renamed_or_dropped() {
        let p = r#"[{"foreach":{"field":"m","processor":{"set":{"field":"_ingest._key","value":"{{_ingest._key}}{{_ingest._value}}"}}}}]"#;
        assert_eq!(run(p, r#"{"m":{"x":1}}"#).unwrap(), r#"{"m":{"x1":1}}"#);
        let p = r#"[{"foreach":{"field":"m","processor":{"set":{"field":"_ingest._key","value":" "}}}}]"#;
        assert_eq!(run(p, r#"{"m":{"x":1}}"#).unwrap(), r#"{"m":{}}"#);
    }

    #[test]
    fn value_key_stays_as_null_in_ingest_metadata() {
        let set = crate::processors::test_support::pipeline(
            r#"[{"foreach":{"field":"l","processor":{"set":{"field":"_ingest._value","value":1}}}}]"#,
        )
        .unwrap();
        let Some(crate::pipeline::Outcome::Document(d)) =
            set.run("test", crate::processors::test_support::doc(r#"{"l":[0]}"#))
        else {
            panic!("expected a document")
        };
        assert_eq!(
            d.ingest_metadata().get("_value"),
            Some(&isc_value::Value::Null)
        );
    }

    #[test]
    fn inner_failures_are_reported_as_foreach() {
        let p = r#"[{"foreach":{"field":"l","tag":"fe","processor":{"uppercase":{"field":"_ingest._value"}}}}]"#;
        let e = run(p, r#"{"l":[1]}"#).unwrap_err();
        assert_eq!(
            e.reason,
            "field [_ingest._value] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        assert_eq!(e.processor_type(), Some("foreach"));
        assert_eq!(e.processor_tag(), Some("fe"));
    }

    #[test]
    fn missing_null_and_wrong_types() {
        let p = r#"[{"foreach":{"field":"l","processor":{"drop":{}}}}]"#;
        assert_eq!(
            run_err(p, "{}"),
            "field [l] not present as part of path [l]"
        );
        assert_eq!(
            run_err(p, r#"{"l":null}"#),
            "field [l] is null, cannot loop over its elements."
        );
        assert_eq!(
            run_err(p, r#"{"l":"s"}"#),
            "field [l] of type [java.lang.String] cannot be cast to a list or map"
        );
        let p = r#"[{"foreach":{"field":"l","ignore_missing":true,"processor":{"drop":{}}}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
        assert_eq!(
            config_err(r#"[{"foreach":{"field":"l"}}]"#),
            "[processor] required property is missing"
        );
    }
}
