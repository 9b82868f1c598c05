//! `lowercase`: Elasticsearch's `LowercaseProcessor`; lower-cases a string with Java's `toLowerCase(Locale.ROOT)`.

use isc_value::Value;

use super::string_field::StringField;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `lowercase` processor.
#[derive(Debug)]
pub struct Lowercase {
    field: StringField,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    Ok(Box::new(Lowercase {
        field: StringField::read(config)?,
    }))
}

impl Processor for Lowercase {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        self.field
            .apply(doc, |s| Ok(Value::String(s.to_lowercase())))?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn transforms_strings_and_lists() {
        assert_eq!(
            run(r#"[{"lowercase":{"field":"a"}}]"#, r#"{"a":"A Ä ΣΑΣ"}"#).unwrap(),
            r#"{"a":"a ä σας"}"#
        );
        assert_eq!(
            run(
                r#"[{"lowercase":{"field":"a","target_field":"b"}}]"#,
                r#"{"a":["A Ä ΣΑΣ"]}"#
            )
            .unwrap(),
            r#"{"a":["A Ä ΣΑΣ"],"b":["a ä σας"]}"#
        );
    }

    #[test]
    fn missing_null_and_wrong_types_fail_like_elasticsearch() {
        let p = r#"[{"lowercase":{"field":"a"}}]"#;
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
        let p = r#"[{"lowercase":{"field":"a","ignore_missing":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
        assert_eq!(run(p, r#"{"a":null}"#).unwrap(), r#"{"a":null}"#);
        assert_eq!(
            config_err(r#"[{"lowercase":{}}]"#),
            "[field] required property is missing"
        );
    }
}
