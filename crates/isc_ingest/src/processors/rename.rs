//! `rename`: Elasticsearch's `RenameProcessor`. Moves a field to
//! `target_field` (both templates); an existing target fails unless
//! `override`; a missing source fails unless `ignore_missing`.

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::{FieldPath, PutFailure};
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
    /// Both paths are constant, valid, not metadata and in different
    /// top-level fields: the move walks each path once.
    single_pass: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_path_template("field")?;
    let target_field = config.required_path_template("target_field")?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let override_existing = config.bool_or("override", false)?;
    let single_pass = match (field.as_constant(), target_field.as_constant()) {
        (Some(source), Some(target)) => {
            source.is_disjoint_from(target)
                && !Document::is_governed(source)
                && !Document::is_governed(target)
        }
        _ => false,
    };
    Ok(Box::new(Rename {
        field,
        target_field,
        ignore_missing,
        override_existing,
        single_pass,
    }))
}

impl Processor for Rename {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        if self.single_pass
            && let (Some(path), Some(target)) =
                (self.field.as_constant(), self.target_field.as_constant())
        {
            return self.move_single_pass(doc, path, target);
        }
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

impl Rename {
    /// The move for disjoint constant paths: the source is taken in the
    /// walk that checks it, the target checked in the walk that writes it.
    /// Errors and results are those of the general path: a target refused
    /// by its check gets the source back in its place (nothing happened),
    /// a target that fails the write gets it back as `setFieldValue` puts it.
    fn move_single_pass(
        &self,
        doc: &mut Document,
        path: &FieldPath,
        target: &FieldPath,
    ) -> Result<Flow, IngestError> {
        let Some((value, index)) = doc.take(path)? else {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            return Err(IngestError::illegal_argument(format!(
                "field [{}] doesn't exist",
                path.as_str()
            )));
        };
        let Err(failure) = doc.put_checked(target, value, self.override_existing) else {
            return Ok(Flow::Continue);
        };
        let (failure, value) = *failure;
        match failure {
            PutFailure::Exists => {
                doc.put_back(path, value, index)?;
                Err(IngestError::illegal_argument(format!(
                    "field [{}] already exists",
                    target.as_str()
                )))
            }
            PutFailure::Check(error) => {
                doc.put_back(path, value, index)?;
                Err(error)
            }
            PutFailure::Write(error) => {
                doc.set(path, value)?;
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

    /// Constant paths take the single-pass move; the same paths given as
    /// templates take the general one. Both must leave the same document
    /// and give the same error in every case.
    #[test]
    fn single_pass_moves_match_the_general_path() {
        let cases: [(&str, &str, &str); 14] = [
            ("a", "b", r#"{"a":1,"z":2,"b":3}"#),
            ("x.a", "y.b", r#"{"x":{"a":1,"c":2},"y":{"b":1,"d":2}}"#),
            ("x.a", "y.b", r#"{"x":{"a":1,"c":2},"y":{"d":2}}"#),
            ("x.a", "s.x", r#"{"x":{"a":1,"c":2},"s":"str","e":1}"#),
            ("a", "s.x.y", r#"{"a":1,"s":"str","e":1}"#),
            ("l.0", "m.5", r#"{"l":[1,2],"m":[1]}"#),
            ("l.0", "m.k", r#"{"l":[1,2],"m":[1]}"#),
            ("l.0", "m.0", r#"{"l":[1,2],"m":[7,8]}"#),
            ("l.5", "b", r#"{"l":[1]}"#),
            ("l.x", "b", r#"{"l":[1]}"#),
            ("a", "n.b.c", r#"{"a":1,"n":null,"e":1}"#),
            ("a", "n.b", r#"{"a":1,"n":null,"e":1}"#),
            ("q.r", "b", r#"{"b":1}"#),
            ("a", "_ingest.x", r#"{"a":1,"e":2}"#),
        ];
        for (source, target, doc) in cases {
            for options in [
                "",
                r#","override":true"#,
                r#","ignore_missing":true"#,
                r#","ignore_failure":true"#,
                r#","override":true,"ignore_failure":true"#,
            ] {
                let constant = format!(
                    r#"[{{"rename":{{"field":"{source}","target_field":"{target}"{options}}}}}]"#
                );
                let templated = format!(
                    r#"[{{"rename":{{"field":"{{{{{{zf}}}}}}","target_field":"{{{{{{zt}}}}}}"{options}}}}}]"#
                );
                let templated_doc = format!(
                    r#"{{"zf":"{source}","zt":"{target}",{}"#,
                    doc.strip_prefix('{').unwrap_or(doc)
                );
                let fast = run(&constant, &templated_doc).map_err(|e| e.reason);
                let general = run(&templated, &templated_doc).map_err(|e| e.reason);
                assert_eq!(
                    fast, general,
                    "{source} -> {target} on {doc} with [{options}]"
                );
            }
        }
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
