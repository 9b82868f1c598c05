//! `dot_expander`: Elasticsearch's `DotExpanderProcessor`. Turns a key with
//! dots (`"a.b": 1`) into nested objects (`"a": {"b": 1}`), one named key or
//! every dotted key (`*`), at the root or inside `path`; an existing value
//! at the target is appended to unless `override`.

use isc_value::{Map, Value};

use crate::config::ProcessorConfig;
use crate::document::{Document, cannot_cast};
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `dot_expander` processor.
#[derive(Debug)]
pub struct DotExpander {
    field: String,
    path: Option<FieldPath>,
    override_existing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    // Elasticsearch reports these with the processor type "tag".
    let invalid = |reason: &str| ConfigError::new(Some("tag"), config.tag(), Some("field"), reason);
    if !field.contains('.') && field != "*" {
        return Err(invalid(
            "field does not contain a dot and is not a wildcard",
        ));
    }
    if field.starts_with('.') || field.ends_with('.') {
        return Err(invalid("Field can't start or end with a dot"));
    }
    if field.contains("..") {
        return Err(invalid("No space between dots"));
    }
    let path = config.optional_string("path")?;
    let override_existing = config.bool_or("override", false)?;
    Ok(Box::new(DotExpander {
        field,
        path: path.map(|p| FieldPath::new(&p)),
        override_existing,
    }))
}

impl DotExpander {
    fn container<'a>(&self, doc: &'a mut Document) -> Result<&'a mut Map, IngestError> {
        match &self.path {
            None => Ok(doc.ctx_mut()),
            Some(path) => match doc.get_mut(path)? {
                Value::Map(m) => Ok(m),
                other => Err(cannot_cast(path.as_str(), other, "java.util.Map")),
            },
        }
    }

    fn expand(&self, doc: &mut Document, key: &str) -> Result<(), IngestError> {
        let full = match &self.path {
            Some(p) => format!("{}.{key}", p.as_str()),
            None => key.to_owned(),
        };
        let Some(value) = self.container(doc)?.shift_remove(key) else {
            return Ok(());
        };
        let target = FieldPath::new(&full);
        if doc.has(&target)? {
            if self.override_existing {
                doc.set(&target, value)
            } else {
                doc.append(&target, value, true)
            }
        } else {
            for (i, _) in full.match_indices('.') {
                let partial = FieldPath::new(&full[..i]);
                if !doc.has(&partial)? {
                    break;
                }
                if !matches!(doc.get(&partial)?, Value::Map(_)) {
                    return Err(IngestError::illegal_argument(format!(
                        "cannot expand [{full}], because [{}] is not an object field, but a value field",
                        &full[..i]
                    )));
                }
            }
            doc.set(&target, value)
        }
    }
}

impl Processor for DotExpander {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        if self.field == "*" {
            let keys: Vec<String> = self
                .container(doc)?
                .keys()
                .filter(|k| k.find('.').is_some_and(|i| i > 0))
                .cloned()
                .collect();
            for key in keys {
                self.expand(doc, &key)?;
            }
        } else {
            let exists = self.container(doc)?.contains_key(&self.field);
            if exists {
                self.expand(doc, &self.field.clone())?;
            }
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn expands_one_key_or_all() {
        assert_eq!(
            run(
                r#"[{"dot_expander":{"field":"a.b"}}]"#,
                r#"{"a.b":1,"c.d":2}"#
            )
            .unwrap(),
            r#"{"c.d":2,"a":{"b":1}}"#
        );
        assert_eq!(
            run(
                r#"[{"dot_expander":{"field":"*"}}]"#,
                r#"{"a.b":1,"c.d":2,"e":3}"#
            )
            .unwrap(),
            r#"{"e":3,"a":{"b":1},"c":{"d":2}}"#
        );
    }

    #[test]
    fn existing_values_are_appended_unless_override() {
        assert_eq!(
            run(
                r#"[{"dot_expander":{"field":"a.b"}}]"#,
                r#"{"a.b":1,"a":{"b":2}}"#
            )
            .unwrap(),
            r#"{"a":{"b":[2,1]}}"#
        );
        assert_eq!(
            run(
                r#"[{"dot_expander":{"field":"a.b","override":true}}]"#,
                r#"{"a.b":1,"a":{"b":2}}"#
            )
            .unwrap(),
            r#"{"a":{"b":1}}"#
        );
    }

    #[test]
    fn path_expands_inside_an_object() {
        assert_eq!(
            run(
                r#"[{"dot_expander":{"field":"x.y","path":"o"}}]"#,
                r#"{"o":{"x.y":1}}"#
            )
            .unwrap(),
            r#"{"o":{"x":{"y":1}}}"#
        );
    }

    #[test]
    fn errors_match_elasticsearch() {
        assert_eq!(
            run_err(
                r#"[{"dot_expander":{"field":"a.b"}}]"#,
                r#"{"a.b":1,"a":"s"}"#
            ),
            "cannot expand [a.b], because [a] is not an object field, but a value field"
        );
        assert_eq!(
            config_err(r#"[{"dot_expander":{"field":"ab"}}]"#),
            "[field] field does not contain a dot and is not a wildcard"
        );
        assert_eq!(
            config_err(r#"[{"dot_expander":{"field":"a."}}]"#),
            "[field] Field can't start or end with a dot"
        );
        assert_eq!(
            config_err(r#"[{"dot_expander":{"field":"a..b"}}]"#),
            "[field] No space between dots"
        );
    }

    /// A key from the data with 100 000 parts once overflowed the stack
    /// when the nested result was written out; it now fails cleanly.
    #[test]
    fn keys_deeper_than_the_path_limit_fail() {
        let key = vec!["a"; 100_000].join(".");
        assert_eq!(
            run_err(
                r#"[{"dot_expander":{"field":"*"}}]"#,
                &format!(r#"{{"{key}":1}}"#)
            ),
            "path with 100000 parts is too deep: a field path has at most 2000 parts"
        );
    }
}
