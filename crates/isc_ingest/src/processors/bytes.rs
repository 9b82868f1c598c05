//! `bytes`: Elasticsearch's `BytesProcessor`. Parses a human-readable size
//! (`1kb`, `2.5 MB`) into a number of bytes as `ByteSizeValue` does
//! ([`isc_value::byte_size`]).

use isc_value::Value;
use isc_value::byte_size::parse_byte_size;

use super::string_field::StringField;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError, PARSE_EXCEPTION};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `bytes` processor.
#[derive(Debug)]
pub struct Bytes {
    field: StringField,
    name: String,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = StringField::read(config)?;
    let name = field.name().to_owned();
    Ok(Box::new(Bytes { field, name }))
}

impl Processor for Bytes {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        self.field.apply(doc, |s| {
            parse_byte_size(s, &self.name)
                .map(Value::Long)
                .map_err(|e| IngestError::new(PARSE_EXCEPTION, e.message))
        })?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{run, run_err};

    #[test]
    fn processor_converts_field() {
        assert_eq!(
            run(r#"[{"bytes":{"field":"a"}}]"#, r#"{"a":"1mb"}"#).unwrap(),
            r#"{"a":1048576}"#
        );
        assert_eq!(
            run(r#"[{"bytes":{"field":"a"}}]"#, r#"{"a":"5tb"}"#).unwrap(),
            r#"{"a":5497558138880}"#
        );
        assert_eq!(
            run_err(r#"[{"bytes":{"field":"a"}}]"#, r#"{"a":"x"}"#),
            "failed to parse setting [a] with value [x] as a size in bytes: unit is missing or unrecognized"
        );
    }
}
