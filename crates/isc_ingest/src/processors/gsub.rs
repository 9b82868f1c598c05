//! `gsub`: Elasticsearch's `GsubProcessor`. Replaces every match of a Java
//! regular expression in a string (or list of strings), with Java's
//! replacement syntax.

use fancy_regex::Regex;
use isc_value::Value;

use super::java_regex;
use super::string_field::StringField;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `gsub` processor.
#[derive(Debug)]
pub struct Gsub {
    field: StringField,
    pattern: Regex,
    replacement: String,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = StringField::read(config)?;
    let pattern_text = config.required_string("pattern")?;
    let pattern = java_regex::compile(&pattern_text)
        .map_err(|e| config.error("pattern", format!("Invalid regex pattern. {e}")))?;
    let replacement_text = config.required_string("replacement")?;
    let replacement = java_regex::replacement(&replacement_text)
        .map_err(|e| config.error("replacement", e.reason))?;
    Ok(Box::new(Gsub {
        field,
        pattern,
        replacement,
    }))
}

impl Processor for Gsub {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        self.field.apply(doc, |s| {
            java_regex::replace_all(&self.pattern, s, &self.replacement).map(Value::String)
        })?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn replaces_with_groups_and_lookaround() {
        assert_eq!(
            run(
                r#"[{"gsub":{"field":"a","pattern":"(\\d+)-(\\d+)","replacement":"$2:$1"}}]"#,
                r#"{"a":"1-2 3-4"}"#
            )
            .unwrap(),
            r#"{"a":"2:1 4:3"}"#
        );
        assert_eq!(
            run(
                r#"[{"gsub":{"field":"a","pattern":"(?<=a)b","replacement":"\\$"}}]"#,
                r#"{"a":"abab"}"#
            )
            .unwrap(),
            r#"{"a":"a$a$"}"#
        );
        assert_eq!(
            run(
                r#"[{"gsub":{"field":"a","pattern":"\\.","replacement":"-","target_field":"b"}}]"#,
                r#"{"a":["x.y"]}"#
            )
            .unwrap(),
            r#"{"a":["x.y"],"b":["x-y"]}"#
        );
    }

    #[test]
    fn errors_match_elasticsearch() {
        assert_eq!(
            run_err(
                r#"[{"gsub":{"field":"a","pattern":"x","replacement":"y"}}]"#,
                r#"{"a":1}"#
            ),
            "field [a] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        assert_eq!(
            config_err(r#"[{"gsub":{"field":"a","replacement":"y"}}]"#),
            "[pattern] required property is missing"
        );
        assert!(
            config_err(r#"[{"gsub":{"field":"a","pattern":"(","replacement":"y"}}]"#)
                .starts_with("[pattern] Invalid regex pattern.")
        );
    }
}
