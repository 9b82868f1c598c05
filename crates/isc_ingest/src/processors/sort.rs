//! `sort`: Elasticsearch's `SortProcessor`. Sorts a list ascending or
//! descending with Java's natural ordering; mixed element types fail as
//! Java's `Collections.sort` does.

use std::cmp::Ordering;

use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::{Document, cannot_cast};
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `sort` processor.
#[derive(Debug)]
pub struct Sort {
    field: FieldPath,
    descending: bool,
    target_field: FieldPath,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let order = config.string_or("order", "asc")?;
    let descending = match order.as_str() {
        "asc" => false,
        "desc" => true,
        _ => {
            return Err(config.error(
                "order",
                format!("Sort direction [{order}] not recognized. Valid values are: [asc, desc]"),
            ));
        }
    };
    let target_field = config.string_or("target_field", &field)?;
    Ok(Box::new(Sort {
        field: FieldPath::new(&field),
        descending,
        target_field: FieldPath::new(&target_field),
    }))
}

/// Java's `compareTo` between two values of the same class.
fn natural_order(a: &Value, b: &Value) -> Result<Ordering, IngestError> {
    Ok(match (a, b) {
        (Value::String(x), Value::String(y)) => x.encode_utf16().cmp(y.encode_utf16()),
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Long(x), Value::Long(y)) => x.cmp(y),
        (Value::Double(x), Value::Double(y)) => x.total_cmp(y),
        (Value::Float(x), Value::Float(y)) => x.total_cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (x, y) => {
            return Err(IngestError::new(
                "class_cast_exception",
                format!(
                    "class {} cannot be cast to class {} ({} and {} are in module java.base of loader 'bootstrap')",
                    x.java_type_name(),
                    y.java_type_name(),
                    x.java_type_name(),
                    y.java_type_name()
                ),
            ));
        }
    })
}

impl Processor for Sort {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let mut items = match doc.get(&self.field)? {
            Value::Null => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{}] is null, cannot sort.",
                    self.field
                )));
            }
            Value::List(items) => items.clone(),
            other => return Err(cannot_cast(self.field.as_str(), other, "java.util.List")),
        };
        if items.len() > 1 {
            let mut failure = None;
            items.sort_by(|a, b| match natural_order(a, b) {
                Ok(o) => o,
                Err(e) => {
                    failure.get_or_insert(e);
                    Ordering::Equal
                }
            });
            if let Some(e) = failure {
                return Err(e);
            }
            if self.descending {
                items.reverse();
            }
        }
        doc.set(&self.target_field, Value::List(items))?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn sorts_naturally_both_ways() {
        assert_eq!(
            run(r#"[{"sort":{"field":"l"}}]"#, r#"{"l":[3,1,2]}"#).unwrap(),
            r#"{"l":[1,2,3]}"#
        );
        assert_eq!(
            run(
                r#"[{"sort":{"field":"l","order":"desc"}}]"#,
                r#"{"l":["b","a","c"]}"#
            )
            .unwrap(),
            r#"{"l":["c","b","a"]}"#
        );
    }

    #[test]
    fn errors_match_elasticsearch() {
        assert_eq!(
            run_err(r#"[{"sort":{"field":"l"}}]"#, r#"{"l":null}"#),
            "field [l] is null, cannot sort."
        );
        assert_eq!(
            run_err(r#"[{"sort":{"field":"l"}}]"#, r#"{"l":1}"#),
            "field [l] of type [java.lang.Integer] cannot be cast to [java.util.List]"
        );
        assert_eq!(
            config_err(r#"[{"sort":{"field":"l","order":"DESC"}}]"#),
            "[order] Sort direction [DESC] not recognized. Valid values are: [asc, desc]"
        );
        assert_eq!(
            config_err(r#"[{"sort":{"field":"l","order":"up"}}]"#),
            "[order] Sort direction [up] not recognized. Valid values are: [asc, desc]"
        );
        assert!(
            run_err(r#"[{"sort":{"field":"l"}}]"#, r#"{"l":[1,"a"]}"#)
                .starts_with("class java.lang.")
        );
    }
}
