//! `split`: Elasticsearch's `SplitProcessor`. Splits a string on a Java
//! regular expression (`String.split`), dropping trailing empty parts
//! unless `preserve_trailing`.

use fancy_regex::Regex;
use isc_value::Value;

use super::java_regex;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `split` processor.
#[derive(Debug)]
pub struct Split {
    field: FieldPath,
    /// The compiled separator, or the compile error: Elasticsearch compiles
    /// it per document (`String.split`), so a bad pattern fails documents,
    /// not the pipeline.
    separator: Result<Regex, String>,
    target_field: FieldPath,
    ignore_missing: bool,
    preserve_trailing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let separator_text = config.required_string("separator")?;
    let separator = java_regex::compile(&separator_text);
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let preserve_trailing = config.bool_or("preserve_trailing", false)?;
    let target_field = config.string_or("target_field", &field)?;
    Ok(Box::new(Split {
        field: FieldPath::new(&field),
        separator,
        target_field: FieldPath::new(&target_field),
        ignore_missing,
        preserve_trailing,
    }))
}

impl Processor for Split {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let text = match doc.get_string(&self.field, self.ignore_missing)? {
            Some(s) => s.to_owned(),
            None if self.ignore_missing => return Ok(Flow::Continue),
            None => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{}] is null, cannot split.",
                    self.field
                )));
            }
        };
        let separator = self
            .separator
            .as_ref()
            .map_err(|e| IngestError::new("pattern_syntax_exception", e.clone()))?;
        let parts = java_regex::split(separator, &text, self.preserve_trailing)?;
        doc.set(
            &self.target_field,
            Value::List(parts.into_iter().map(Value::String).collect()),
        )?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{run, run_err};

    #[test]
    fn splits_on_a_regex() {
        assert_eq!(
            run(
                r#"[{"split":{"field":"a","separator":"\\s*,\\s*"}}]"#,
                r#"{"a":"x , y,z,,"}"#
            )
            .unwrap(),
            r#"{"a":["x","y","z"]}"#
        );
        assert_eq!(
            run(r#"[{"split":{"field":"a","separator":",","preserve_trailing":true,"target_field":"b"}}]"#, r#"{"a":"x,"}"#)
                .unwrap(),
            r#"{"a":"x,","b":["x",""]}"#
        );
    }

    #[test]
    fn errors_match_elasticsearch() {
        let p = r#"[{"split":{"field":"a","separator":","}}]"#;
        assert_eq!(
            run_err(p, r#"{"a":null}"#),
            "field [a] is null, cannot split."
        );
        assert_eq!(
            run_err(p, r#"{"a":1}"#),
            "field [a] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        assert_eq!(
            run_err(p, "{}"),
            "field [a] not present as part of path [a]"
        );
        assert_eq!(
            run(
                r#"[{"split":{"field":"a","separator":",","ignore_missing":true}}]"#,
                "{}"
            )
            .unwrap(),
            "{}"
        );
    }

    #[test]
    fn a_bad_separator_fails_documents_not_the_pipeline() {
        let e = run(
            r#"[{"split":{"field":"a","separator":"("}}]"#,
            r#"{"a":"x"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, "pattern_syntax_exception");
    }
}
