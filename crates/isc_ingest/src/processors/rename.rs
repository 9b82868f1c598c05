//! `rename`: Elasticsearch's `RenameProcessor`. Moves a field to
//! `target_field` (both templates); an existing target fails unless
//! `override`; a missing source fails unless `ignore_missing`.

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::PathTemplate;
use isc_value::Value;

/// The `rename` processor.
#[derive(Debug)]
pub struct Rename {
    field: PathTemplate,
    target_field: PathTemplate,
    ignore_missing: bool,
    override_existing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_path_template("field")?;
    let target_field = config.required_path_template("target_field")?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let override_existing = config.bool_or("override", false)?;
    Ok(Box::new(Rename {
        field,
        target_field,
        ignore_missing,
        override_existing,
    }))
}

impl Processor for Rename {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let path = self.field.resolve(doc);
        if !doc.has_strict(&path)? {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            return Err(IngestError::illegal_argument(format!(
                "field [{}] doesn't exist",
                path.as_str()
            )));
        }
        let target = self.target_field.resolve(doc);
        if doc.has_strict(&target)? && !self.override_existing {
            return Err(IngestError::illegal_argument(format!(
                "field [{}] already exists",
                target.as_str()
            )));
        }
        // Moved, not copied: the value goes back to `field` if `target_field`
        // cannot take it, as Elasticsearch restores it.
        let value = doc.remove(&path, false)?.unwrap_or(Value::Null);
        match doc.set_or_return(&target, value) {
            Ok(()) => Ok(Flow::Continue),
            Err(failure) => {
                let (error, value) = *failure;
                doc.set(&path, value)?;
                Err(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{run, run_err};

    #[test]
    fn moves_values_including_into_new_objects() {
        assert_eq!(
            run(
                r#"[{"rename":{"field":"a","target_field":"b.c"}}]"#,
                r#"{"a":[1]}"#
            )
            .unwrap(),
            r#"{"b":{"c":[1]}}"#
        );
    }

    #[test]
    fn existing_targets_fail_unless_override() {
        let p = r#"[{"rename":{"field":"a","target_field":"b"}}]"#;
        assert_eq!(run_err(p, r#"{"a":1,"b":2}"#), "field [b] already exists");
        let p = r#"[{"rename":{"field":"a","target_field":"b","override":true}}]"#;
        assert_eq!(run(p, r#"{"a":1,"b":2}"#).unwrap(), r#"{"b":1}"#);
    }

    #[test]
    fn missing_sources_fail_unless_ignored() {
        let p = r#"[{"rename":{"field":"a","target_field":"b"}}]"#;
        assert_eq!(run_err(p, "{}"), "field [a] doesn't exist");
        let p = r#"[{"rename":{"field":"a","target_field":"b","ignore_missing":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
    }

    #[test]
    fn failed_set_restores_the_source() {
        let p = r#"[{"rename":{"field":"a","target_field":"s.x"}}]"#;
        assert_eq!(
            run_err(p, r#"{"a":1,"s":"str"}"#),
            "cannot set [x] with parent object of type [java.lang.String] as part of path [s.x]"
        );
    }

    #[test]
    fn list_index_out_of_range_fails() {
        assert_eq!(
            run_err(
                r#"[{"rename":{"field":"l.5","target_field":"b"}}]"#,
                r#"{"l":[1]}"#
            ),
            "[5] is out of bounds for array with length [1] as part of path [l.5]"
        );
    }
}
