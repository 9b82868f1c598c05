//! The shape shared by the string processors (`lowercase`, `uppercase`,
//! `trim`, `urldecode`, `html_strip`, `bytes`, `gsub`): Elasticsearch's
//! `AbstractStringProcessor`. Options `field`, `target_field` (default:
//! `field`), `ignore_missing`; a string is transformed, a list of strings
//! element by element.

use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;

/// `field`, `target_field` and `ignore_missing` of a string processor.
#[derive(Debug)]
pub(crate) struct StringField {
    field: FieldPath,
    target: FieldPath,
    ignore_missing: bool,
}

impl StringField {
    /// Reads the three options.
    pub(crate) fn read(config: &mut ProcessorConfig) -> Result<StringField, ConfigError> {
        let field = config.required_string("field")?;
        let ignore_missing = config.bool_or("ignore_missing", false)?;
        let target = config.string_or("target_field", &field)?;
        Ok(StringField {
            field: FieldPath::new(&field),
            target: FieldPath::new(&target),
            ignore_missing,
        })
    }

    /// The `field` option as written.
    pub(crate) fn name(&self) -> &str {
        self.field.as_str()
    }

    /// Applies `transform` to the field's string(s) and stores the result.
    pub(crate) fn apply(
        &self,
        doc: &mut Document,
        transform: impl Fn(&str) -> Result<Value, IngestError>,
    ) -> Result<(), IngestError> {
        let field = self.field.as_str();
        let value = match doc.get(&self.field) {
            Ok(v) => v,
            Err(_) if self.ignore_missing => return Ok(()),
            Err(e) => return Err(e),
        };
        let new_value = match value {
            Value::Null if self.ignore_missing => return Ok(()),
            Value::Null => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{field}] is null, cannot process it."
                )));
            }
            Value::String(s) => transform(s)?,
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => out.push(transform(s)?),
                        other => {
                            return Err(IngestError::illegal_argument(format!(
                                "value [{}] of type [{}] in list field [{field}] cannot be cast to [java.lang.String]",
                                other.to_java_string(),
                                other.java_type_name()
                            )));
                        }
                    }
                }
                Value::List(out)
            }
            other => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{field}] of type [{}] cannot be cast to [java.lang.String]",
                    other.java_type_name()
                )));
            }
        };
        doc.set(&self.target, new_value)
    }
}
