//! `uppercase`: Elasticsearch's `UppercaseProcessor`; upper-cases a string with Java's `toUpperCase(Locale.ROOT)`.

use isc_value::Value;

use super::string_field::StringField;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `uppercase` processor.
#[derive(Debug)]
pub struct Uppercase {
    field: StringField,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    Ok(Box::new(Uppercase {
        field: StringField::read(config)?,
    }))
}

impl Processor for Uppercase {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        self.field
            .apply(doc, |s| Ok(Value::String(s.to_uppercase())))?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn transforms_strings_and_lists() {
        assert_eq!(
            run(r#"[{"uppercase":{"field":"a"}}]"#, r#"{"a":"a ß é"}"#).unwrap(),
            r#"{"a":"A SS É"}"#
        );
        assert_eq!(
            run(
                r#"[{"uppercase":{"field":"a","target_field":"b"}}]"#,
                r#"{"a":["a ß é"]}"#
            )
            .unwrap(),
            r#"{"a":["a ß é"],"b":["A SS É"]}"#
        );
    }

    #[test]
    fn missing_null_and_wrong_types_fail_like_elasticsearch() {
        let p = r#"[{"uppercase":{"field":"a"}}]"#;
        assert_eq!(
            run_err(p, "{}"),
            "field [a] not present as part of path [a]"
        );
        assert_eq!(
            run_err(p, r#"{"a":null}"#),
            "field [a] is null, cannot process it."
        );
        assert_eq!(
            run_err(p, r#"{"a":1}"#),
            "field [a] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        assert_eq!(
            run_err(p, r#"{"a":["x",2]}"#),
            "value [2] of type [java.lang.Integer] in list field [a] cannot be cast to [java.lang.String]"
        );
        let p = r#"[{"uppercase":{"field":"a","ignore_missing":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
        assert_eq!(run(p, r#"{"a":null}"#).unwrap(), r#"{"a":null}"#);
        assert_eq!(
            config_err(r#"[{"uppercase":{}}]"#),
            "[field] required property is missing"
        );
    }
}
