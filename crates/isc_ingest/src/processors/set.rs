//! `set`: Elasticsearch's `SetProcessor`. Sets a field to a value (a
//! template) or to a copy of another field (`copy_from`); `override: false`
//! only fills a missing or null field; `ignore_empty_value` skips null and
//! empty-string values; `media_type` picks the template escaping.

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::{Encoding, PathTemplate, ValueSource};

/// The `set` processor's options, compiled.
#[derive(Debug)]
pub struct Set {
    field: PathTemplate,
    value: SetValue,
    override_existing: bool,
    ignore_empty_value: bool,
}

#[derive(Debug)]
enum SetValue {
    Value(ValueSource),
    CopyFrom(FieldPath),
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let copy_from = config.optional_string("copy_from")?;
    let media_type = config.string_or("media_type", "application/json")?;
    let encoding = Encoding::from_media_type(&media_type).ok_or_else(|| {
        config.error(
            "media_type",
            format!("property does not contain a supported media type [{media_type}]"),
        )
    })?;
    let value = match copy_from {
        None => {
            let raw = config.required_value("value")?;
            SetValue::Value(
                ValueSource::new(raw, encoding)
                    .map_err(|e| config.error("value", e.to_string()))?,
            )
        }
        Some(from) => {
            if config.take("value").is_some() {
                return Err(config.error(
                    "copy_from",
                    "cannot set both `copy_from` and `value` in the same processor",
                ));
            }
            SetValue::CopyFrom(FieldPath::new(&from))
        }
    };
    let override_existing = config.bool_or("override", true)?;
    let field = PathTemplate::new(config.compile_template("field", &field)?);
    let ignore_empty_value = config.bool_or("ignore_empty_value", false)?;
    Ok(Box::new(Set {
        field,
        value,
        override_existing,
        ignore_empty_value,
    }))
}

impl Processor for Set {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let path = self.field.resolve(doc);
        let may_write = self.override_existing
            || !doc.has(&path)?
            || doc
                .get(&path)
                .map(isc_value::Value::is_null)
                .unwrap_or(true);
        if !may_write {
            return Ok(Flow::Continue);
        }
        let value = match &self.value {
            SetValue::Value(source) => {
                let v = source.resolve(doc);
                if self.ignore_empty_value
                    && source.is_template()
                    && v.as_str().is_some_and(str::is_empty)
                {
                    return Ok(Flow::Continue);
                }
                v
            }
            SetValue::CopyFrom(from) => {
                let v = if self.ignore_empty_value {
                    doc.get_opt(from).cloned().unwrap_or_default()
                } else {
                    doc.get(from)?.clone()
                };
                if self.ignore_empty_value && (v.is_null() || v.as_str().is_some_and(str::is_empty))
                {
                    return Ok(Flow::Continue);
                }
                v
            }
        };
        doc.set(&path, value)?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn sets_a_templated_value_on_a_templated_field() {
        assert_eq!(
            run(
                r#"[{"set":{"field":"{{k}}.x","value":"<{{v}}>"}}]"#,
                r#"{"k":"a","v":"b"}"#
            )
            .unwrap(),
            r#"{"k":"a","v":"b","a":{"x":"<b>"}}"#
        );
    }

    #[test]
    fn keeps_non_string_values_typed() {
        assert_eq!(
            run(
                r#"[{"set":{"field":"n","value":[1,true,{"a":2.5}]}}]"#,
                "{}"
            )
            .unwrap(),
            r#"{"n":[1,true,{"a":2.5}]}"#
        );
    }

    #[test]
    fn override_false_only_fills_missing_or_null() {
        let p = r#"[{"set":{"field":"a","value":"new","override":false}}]"#;
        assert_eq!(run(p, r#"{"a":"old"}"#).unwrap(), r#"{"a":"old"}"#);
        assert_eq!(run(p, r#"{"a":null}"#).unwrap(), r#"{"a":"new"}"#);
        assert_eq!(run(p, "{}").unwrap(), r#"{"a":"new"}"#);
    }

    #[test]
    fn ignore_empty_value_skips_empty_renders() {
        let p = r#"[{"set":{"field":"a","value":"{{missing}}","ignore_empty_value":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
    }

    #[test]
    fn copy_from_copies_any_value_and_fails_when_missing() {
        let p = r#"[{"set":{"field":"b","copy_from":"a"}}]"#;
        assert_eq!(
            run(p, r#"{"a":{"x":[1]}}"#).unwrap(),
            r#"{"a":{"x":[1]},"b":{"x":[1]}}"#
        );
        assert_eq!(
            run_err(p, "{}"),
            "field [a] not present as part of path [a]"
        );
        let p = r#"[{"set":{"field":"b","copy_from":"a","ignore_empty_value":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"set":{"value":1}}]"#),
            "[field] required property is missing"
        );
        assert_eq!(
            config_err(r#"[{"set":{"field":"a"}}]"#),
            "[value] required property is missing"
        );
        assert_eq!(
            config_err(r#"[{"set":{"field":"a","copy_from":"b","value":1}}]"#),
            "[copy_from] cannot set both `copy_from` and `value` in the same processor"
        );
        assert_eq!(
            config_err(r#"[{"set":{"field":"a","value":1,"foo":2}}]"#),
            "processor [set] doesn't support one or more provided configuration parameters [foo]"
        );
        assert_eq!(
            config_err(r#"[{"set":{"field":1,"value":1}}]"#),
            "[field] property isn't a string, but of type [java.lang.Integer]"
        );
        assert_eq!(
            config_err(r#"[{"set":{"field":"a","value":1,"media_type":"x/y"}}]"#),
            "[media_type] property does not contain a supported media type [x/y]"
        );
    }

    #[test]
    fn failures_in_set_paths_use_elasticsearch_text() {
        assert_eq!(
            run_err(r#"[{"set":{"field":"a.b","value":1}}]"#, r#"{"a":"s"}"#),
            "cannot set [b] with parent object of type [java.lang.String] as part of path [a.b]"
        );
    }
}
