//! `remove`: Elasticsearch's `RemoveProcessor`. Removes fields (`field`: one
//! template or a list), or everything except some (`keep`). `_index`,
//! `_version` and `_version_type` cannot be removed.

use isc_value::{Map, Value};

use crate::config::ProcessorConfig;
use crate::document::{Document, is_metadata_key};
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::PathTemplate;

/// The `remove` processor.
#[derive(Debug)]
pub struct Remove {
    fields: Vec<PathTemplate>,
    keep: Vec<PathTemplate>,
    ignore_missing: bool,
}

fn read_templates(
    config: &mut ProcessorConfig,
    name: &str,
) -> Result<Vec<PathTemplate>, ConfigError> {
    let names = match config.take(name) {
        None => return Ok(Vec::new()),
        Some(Value::String(s)) => vec![s],
        Some(Value::List(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => s,
                other => other.to_java_string(),
            })
            .collect(),
        Some(other) => vec![other.to_java_string()],
    };
    names
        .iter()
        .map(|n| config.compile_template(name, n).map(PathTemplate::new))
        .collect()
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let fields = read_templates(config, "field")?;
    let keep = read_templates(config, "keep")?;
    if fields.is_empty() && keep.is_empty() {
        return Err(config.error("keep", "or [field] must be specified"));
    }
    if !fields.is_empty() && !keep.is_empty() {
        return Err(config.error(
            "keep",
            "and [field] cannot both be used in the same processor",
        ));
    }
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    Ok(Box::new(Remove {
        fields,
        keep,
        ignore_missing,
    }))
}

impl Remove {
    fn remove_field(&self, doc: &mut Document, template: &PathTemplate) -> Result<(), IngestError> {
        let path = template.resolve(doc);
        let path_text = path.as_str().to_owned();
        if path_text.is_empty() || !doc.has(&path)? {
            if self.ignore_missing {
                return Ok(());
            }
            if path_text.is_empty() {
                return Err(IngestError::illegal_argument(
                    "field path cannot be null nor empty",
                ));
            }
            return Err(IngestError::illegal_argument(format!(
                "field [{path_text}] doesn't exist"
            )));
        }
        if matches!(path_text.as_str(), "_index" | "_version" | "_version_type") {
            return Err(IngestError::illegal_argument(format!(
                "cannot remove metadata field [{path_text}]"
            )));
        }
        if path_text == "_id" {
            if let Some(Value::String(vt)) = doc.ctx().get("_version_type") {
                if vt != "internal" {
                    let version = doc
                        .ctx()
                        .get("_version")
                        .map(Value::to_java_string)
                        .unwrap_or_default();
                    return Err(IngestError::illegal_argument(format!(
                        "cannot remove metadata field [_id] when specifying external version for the document, version: {version}, version_type: {vt}"
                    )));
                }
            }
        }
        doc.remove(&path, false)?;
        Ok(())
    }

    fn keep_only(&self, doc: &mut Document) -> Result<(), IngestError> {
        let keep: Vec<String> = self
            .keep
            .iter()
            .map(|t| t.resolve(doc).as_str().to_owned())
            .collect();
        let mut all = Vec::new();
        collect_fields(doc.ctx(), "", &mut all);
        for field in all {
            if is_metadata_key(&field) {
                continue;
            }
            let kept = keep.iter().any(|k| {
                field == *k
                    || field.starts_with(&format!("{k}."))
                    || k.starts_with(&format!("{field}."))
            });
            if !kept {
                let _ = doc.remove(&FieldPath::new(&field), true);
            }
        }
        Ok(())
    }
}

/// `IngestDocument.getAllFields`: every key path through nested maps.
fn collect_fields(map: &Map, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in map {
        let path = format!("{prefix}{k}");
        if let Value::Map(inner) = v {
            out.push(path.clone());
            collect_fields(inner, &format!("{path}."), out);
        } else {
            out.push(path);
        }
    }
}

impl Processor for Remove {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        if self.keep.is_empty() {
            for field in &self.fields {
                self.remove_field(doc, field)?;
            }
        } else {
            self.keep_only(doc)?;
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn removes_one_or_many_fields() {
        assert_eq!(
            run(r#"[{"remove":{"field":"a.b"}}]"#, r#"{"a":{"b":1,"c":2}}"#).unwrap(),
            r#"{"a":{"c":2}}"#
        );
        assert_eq!(
            run(
                r#"[{"remove":{"field":["a","{{n}}"]}}]"#,
                r#"{"a":1,"b":2,"n":"b"}"#
            )
            .unwrap(),
            r#"{"n":"b"}"#
        );
    }

    #[test]
    fn missing_fields_fail_unless_ignored() {
        assert_eq!(
            run_err(r#"[{"remove":{"field":"x"}}]"#, "{}"),
            "field [x] doesn't exist"
        );
        assert_eq!(
            run(r#"[{"remove":{"field":"x","ignore_missing":true}}]"#, "{}").unwrap(),
            "{}"
        );
    }

    #[test]
    fn keep_removes_everything_else() {
        assert_eq!(
            run(
                r#"[{"remove":{"keep":["a.b","c"]}}]"#,
                r#"{"a":{"b":1,"x":2},"c":{"d":3},"e":4}"#
            )
            .unwrap(),
            r#"{"a":{"b":1},"c":{"d":3}}"#
        );
    }

    #[test]
    fn metadata_fields_are_protected() {
        assert_eq!(
            run_err(r#"[{"remove":{"field":"_index"}}]"#, "{}"),
            "cannot remove metadata field [_index]"
        );
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"remove":{}}]"#),
            "[keep] or [field] must be specified"
        );
        assert_eq!(
            config_err(r#"[{"remove":{"field":"a","keep":"b"}}]"#),
            "[keep] and [field] cannot both be used in the same processor"
        );
    }
}
