//! `dissect`: Elasticsearch's `DissectProcessor`. Splits a string field by
//! the delimiters of a pattern and sets the keys. Options: `field`,
//! `pattern`, `append_separator` (default empty), `ignore_missing`.

use isc_grok::{DissectError, DissectParser};
use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `dissect` processor.
#[derive(Debug)]
pub struct Dissect {
    field: FieldPath,
    parser: DissectParser,
    ignore_missing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let pattern = config.required_string("pattern")?;
    let append_separator = config.string_or("append_separator", "")?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let parser = DissectParser::new(&pattern, &append_separator)
        .map_err(|e| config.general_error(e.to_string()))?;
    Ok(Box::new(Dissect {
        field: FieldPath::new(&field),
        parser,
        ignore_missing,
    }))
}

impl Processor for Dissect {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let result = {
            let Some(input) = doc.string_to_process(&self.field, self.ignore_missing)? else {
                return Ok(Flow::Continue);
            };
            self.parser.parse(input).map_err(|e| match e {
                DissectError::FindMatch { .. }
                | DissectError::PatternParse { .. }
                | DissectError::KeyParse { .. } => {
                    IngestError::new("dissect_exception", e.to_string())
                }
                DissectError::Number(m) => crate::java_number::number_format(m),
                other => IngestError::illegal_argument(other.to_string()),
            })?
        };
        for (key, value) in result {
            let value = value.map_or(Value::Null, Value::String);
            doc.set(&FieldPath::new(&key), value)?;
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn documented_example() {
        let out = run(
            r#"[{"dissect":{"field":"message","pattern":"%{clientip} %{ident} %{auth} [%{@timestamp}] \"%{verb} %{request} HTTP/%{httpversion}\" %{status} %{size}"}}]"#,
            r#"{"message":"1.2.3.4 - - [30/Apr/1998:22:00:52 +0000] \"GET /english/venues/cities/images/montpellier/18.gif HTTP/1.0\" 200 3171"}"#,
        )
        .unwrap();
        for expected in [
            r#""clientip":"1.2.3.4""#,
            r#""@timestamp":"30/Apr/1998:22:00:52 +0000""#,
            r#""verb":"GET""#,
            r#""httpversion":"1.0""#,
            r#""size":"3171""#,
        ] {
            assert!(out.contains(expected), "{out}");
        }
    }

    #[test]
    fn append_separator_and_nested_keys() {
        assert_eq!(
            run(
                r#"[{"dissect":{"field":"m","pattern":"%{+name} %{+name} %{a.b}","append_separator":" "}}]"#,
                r#"{"m":"john smith x"}"#
            )
            .unwrap(),
            r#"{"m":"john smith x","a":{"b":"x"},"name":"john smith"}"#
        );
    }

    #[test]
    fn failures_have_elasticsearch_messages() {
        assert_eq!(
            run_err(
                r#"[{"dissect":{"field":"m","pattern":"%{a} %{b}"}}]"#,
                r#"{"m":"nospace"}"#
            ),
            "Unable to find match for dissect pattern: %{a} %{b} against source: nospace"
        );
        assert_eq!(
            run_err(
                r#"[{"dissect":{"field":"m","pattern":"%{a}"}}]"#,
                r#"{"m":3}"#
            ),
            "field [m] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        assert_eq!(
            run(
                r#"[{"dissect":{"field":"m","pattern":"%{a}","ignore_missing":true}}]"#,
                r#"{}"#
            )
            .unwrap(),
            "{}"
        );
        assert_eq!(
            config_err(r#"[{"dissect":{"field":"m","pattern":"nokeys"}}]"#),
            "Unable to parse pattern: nokeys Reason: Unable to find any keys or delimiters."
        );
    }
}
