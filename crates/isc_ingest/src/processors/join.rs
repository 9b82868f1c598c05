//! `join`: Elasticsearch's `JoinProcessor`. Joins the elements of a list
//! (their Java `toString`) with a separator.

use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::{Document, cannot_cast};
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `join` processor.
#[derive(Debug)]
pub struct Join {
    field: FieldPath,
    separator: String,
    target_field: FieldPath,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let separator = config.required_string("separator")?;
    let target_field = config.string_or("target_field", &field)?;
    Ok(Box::new(Join {
        field: FieldPath::new(&field),
        separator,
        target_field: FieldPath::new(&target_field),
    }))
}

impl Processor for Join {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let joined = match doc.get(&self.field)? {
            Value::Null => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{}] is null, cannot join.",
                    self.field
                )));
            }
            Value::List(items) => items
                .iter()
                .map(Value::to_java_string)
                .collect::<Vec<_>>()
                .join(&self.separator),
            other => return Err(cannot_cast(self.field.as_str(), other, "java.util.List")),
        };
        doc.set(&self.target_field, Value::String(joined))?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn joins_java_strings() {
        assert_eq!(
            run(
                r#"[{"join":{"field":"l","separator":"-","target_field":"j"}}]"#,
                r#"{"l":["a",1,2.0,true]}"#
            )
            .unwrap(),
            r#"{"l":["a",1,2.0,true],"j":"a-1-2.0-true"}"#
        );
    }

    #[test]
    fn errors_match_elasticsearch() {
        let p = r#"[{"join":{"field":"l","separator":"-"}}]"#;
        assert_eq!(
            run_err(p, r#"{"l":"s"}"#),
            "field [l] of type [java.lang.String] cannot be cast to [java.util.List]"
        );
        assert_eq!(
            run_err(p, r#"{"l":null}"#),
            "field [l] is null, cannot join."
        );
        assert_eq!(
            config_err(r#"[{"join":{"field":"l"}}]"#),
            "[separator] required property is missing"
        );
    }
}
