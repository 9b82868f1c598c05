//! `append`: Elasticsearch's `AppendProcessor`. Appends one value or a list
//! of values (templates) to a field, turning a scalar into a list;
//! `allow_duplicates: false` skips values already present.

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::{Encoding, PathTemplate, ValueSource};

/// The `append` processor.
#[derive(Debug)]
pub struct Append {
    field: PathTemplate,
    value: ValueSource,
    allow_duplicates: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let raw = config.required_value("value")?;
    let allow_duplicates = config.bool_or("allow_duplicates", true)?;
    let media_type = config.string_or("media_type", "application/json")?;
    let encoding = Encoding::from_media_type(&media_type).ok_or_else(|| {
        config.error(
            "media_type",
            format!("property does not contain a supported media type [{media_type}]"),
        )
    })?;
    let value =
        ValueSource::new(raw, encoding).map_err(|e| config.error("value", e.to_string()))?;
    let field = PathTemplate::new(config.compile_template("field", &field)?);
    Ok(Box::new(Append {
        field,
        value,
        allow_duplicates,
    }))
}

impl Processor for Append {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let value = self.value.resolve(doc);
        let path = self.field.resolve(doc);
        doc.append(&path, value, self.allow_duplicates)?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn appends_to_missing_scalar_and_list_fields() {
        let p = r#"[{"append":{"field":"a","value":["{{b}}","y"]}}]"#;
        assert_eq!(
            run(p, r#"{"b":"x"}"#).unwrap(),
            r#"{"b":"x","a":["x","y"]}"#
        );
        assert_eq!(
            run(p, r#"{"a":1,"b":"x"}"#).unwrap(),
            r#"{"a":[1,"x","y"],"b":"x"}"#
        );
        assert_eq!(
            run(p, r#"{"a":["x"],"b":"x"}"#).unwrap(),
            r#"{"a":["x","x","y"],"b":"x"}"#
        );
    }

    #[test]
    fn allow_duplicates_false_skips_present_values() {
        let p = r#"[{"append":{"field":"a","value":["x","y"],"allow_duplicates":false}}]"#;
        assert_eq!(run(p, r#"{"a":["x"]}"#).unwrap(), r#"{"a":["x","y"]}"#);
        let p = r#"[{"append":{"field":"a","value":"x","allow_duplicates":false}}]"#;
        assert_eq!(run(p, r#"{"a":"x"}"#).unwrap(), r#"{"a":"x"}"#);
    }

    #[test]
    fn errors_match_elasticsearch() {
        assert_eq!(
            config_err(r#"[{"append":{"field":"a"}}]"#),
            "[value] required property is missing"
        );
        assert_eq!(
            run_err(r#"[{"append":{"field":"a.b","value":1}}]"#, r#"{"a":"s"}"#),
            "cannot set [b] with parent object of type [java.lang.String] as part of path [a.b]"
        );
    }
}
