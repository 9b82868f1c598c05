//! `convert`: Elasticsearch's `ConvertProcessor`. Converts a value (or each
//! value of a list) to `integer`, `long`, `float`, `double`, `boolean`,
//! `ip`, `string`, or `auto` (boolean, then integer, long, float, double,
//! else the string unchanged).

use std::net::IpAddr;

use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::java_number;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The target type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Ip,
    String,
    Auto,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Integer => "integer",
            Target::Long => "long",
            Target::Float => "float",
            Target::Double => "double",
            Target::Boolean => "boolean",
            Target::Ip => "ip",
            Target::String => "string",
            Target::Auto => "auto",
        }
    }

    fn parse(name: &str) -> Option<Target> {
        Some(match name.to_uppercase().as_str() {
            "INTEGER" => Target::Integer,
            "LONG" => Target::Long,
            "FLOAT" => Target::Float,
            "DOUBLE" => Target::Double,
            "BOOLEAN" => Target::Boolean,
            "IP" => Target::Ip,
            "STRING" => Target::String,
            "AUTO" => Target::Auto,
            _ => return None,
        })
    }

    /// `ConvertProcessor.Type.convert`.
    fn convert(self, value: &Value) -> Result<Value, IngestError> {
        let text = || value.to_java_string();
        let unable = |what: &str, cause: IngestError| {
            IngestError::illegal_argument(format!("unable to convert [{}] to {what}", text()))
                .with_cause(cause)
        };
        match self {
            Target::Integer => {
                let s = text();
                let r = if s.starts_with("0x") || s.starts_with("-0x") {
                    java_number::decode_int(&s)
                } else {
                    java_number::parse_int(&s)
                };
                r.map(Value::Int).map_err(|e| unable("integer", e))
            }
            Target::Long => {
                let s = text();
                let r = if s.starts_with("0x") || s.starts_with("-0x") {
                    java_number::decode_long(&s)
                } else {
                    java_number::parse_long(&s)
                };
                r.map(Value::Long).map_err(|e| unable("long", e))
            }
            Target::Float => java_number::parse_float(&text())
                .map(Value::Float)
                .map_err(|e| unable("float", e)),
            Target::Double => java_number::parse_double(&text())
                .map(Value::Double)
                .map_err(|e| unable("double", e)),
            Target::Boolean => {
                let s = text();
                if s.eq_ignore_ascii_case("true") {
                    Ok(Value::Bool(true))
                } else if s.eq_ignore_ascii_case("false") {
                    Ok(Value::Bool(false))
                } else {
                    Err(IngestError::illegal_argument(format!(
                        "[{s}] is not a boolean value, cannot convert to boolean"
                    )))
                }
            }
            Target::Ip => match value {
                Value::String(s) if is_inet_address(s) => Ok(value.clone()),
                Value::String(s) => Err(IngestError::illegal_argument(format!(
                    "'{s}' is not an IP string literal."
                ))),
                other => Err(IngestError::new(
                    "class_cast_exception",
                    format!(
                        "class {0} cannot be cast to class java.lang.String ({0} and java.lang.String are in module java.base of loader 'bootstrap')",
                        other.java_type_name()
                    ),
                )),
            },
            Target::String => Ok(Value::String(text())),
            Target::Auto => {
                if !matches!(value, Value::String(_)) {
                    return Ok(value.clone());
                }
                for t in [
                    Target::Boolean,
                    Target::Integer,
                    Target::Long,
                    Target::Float,
                    Target::Double,
                ] {
                    if let Ok(v) = t.convert(value) {
                        return Ok(v);
                    }
                }
                Ok(value.clone())
            }
        }
    }
}

/// `InetAddresses.isInetAddress`: dotted-quad IPv4 or IPv6 (optionally
/// with an embedded IPv4 tail or a `%scope`).
fn is_inet_address(s: &str) -> bool {
    let addr = s.split_once('%').map_or(s, |(a, _)| a);
    addr.parse::<IpAddr>().is_ok()
}

/// The `convert` processor.
#[derive(Debug)]
pub struct Convert {
    field: FieldPath,
    target_field: FieldPath,
    target: Target,
    ignore_missing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let type_name = config.required_string("type")?;
    let target_field = config.string_or("target_field", &field)?;
    let target = Target::parse(&type_name).ok_or_else(|| {
        config.error(
            "type",
            format!("type [{type_name}] not supported, cannot convert field."),
        )
    })?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    Ok(Box::new(Convert {
        field: FieldPath::new(&field),
        target_field: FieldPath::new(&target_field),
        target,
        ignore_missing,
    }))
}

impl Processor for Convert {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let value = if self.ignore_missing {
            match doc.get_opt(&self.field) {
                Some(v) => v,
                None => return Ok(Flow::Continue),
            }
        } else {
            doc.get(&self.field)?
        };
        let converted = match value {
            Value::Null if self.ignore_missing => return Ok(Flow::Continue),
            Value::Null => {
                return Err(IngestError::illegal_argument(format!(
                    "Field [{}] is null, cannot be converted to type [{}]",
                    self.field,
                    self.target.name()
                )));
            }
            Value::List(items) => Value::List(
                items
                    .iter()
                    .map(|v| self.target.convert(v))
                    .collect::<Result<_, _>>()?,
            ),
            other => self.target.convert(other)?,
        };
        doc.set(&self.target_field, converted)?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    fn convert(kind: &str, value: &str) -> Result<String, String> {
        run(
            &format!(r#"[{{"convert":{{"field":"a","type":"{kind}"}}}}]"#),
            &format!(r#"{{"a":{value}}}"#),
        )
        .map_err(|e| e.reason)
    }

    #[test]
    fn numbers_follow_java_parsing() {
        assert_eq!(convert("integer", r#""12""#).unwrap(), r#"{"a":12}"#);
        assert_eq!(convert("integer", r#""0x1F""#).unwrap(), r#"{"a":31}"#);
        assert_eq!(convert("long", r#""-0x10""#).unwrap(), r#"{"a":-16}"#);
        assert_eq!(
            convert("integer", r#""1.5""#).unwrap_err(),
            "unable to convert [1.5] to integer"
        );
        assert_eq!(convert("double", r#""1e3""#).unwrap(), r#"{"a":1000.0}"#);
        assert_eq!(convert("float", r#"" 2.5 ""#).unwrap(), r#"{"a":2.5}"#);
        assert_eq!(
            convert("double", r#""x""#).unwrap_err(),
            "unable to convert [x] to double"
        );
        assert_eq!(
            convert("integer", "[\"1\",\"2\"]").unwrap(),
            r#"{"a":[1,2]}"#
        );
    }

    #[test]
    fn failure_root_cause_is_java_number_format_message() {
        let e = run(
            r#"[{"convert":{"field":"a","type":"integer"}}]"#,
            r#"{"a":"x"}"#,
        )
        .unwrap_err();
        assert_eq!(e.root_cause().reason, "For input string: \"x\"");
    }

    #[test]
    fn booleans_strings_ips_and_auto() {
        assert_eq!(convert("boolean", r#""TRUE""#).unwrap(), r#"{"a":true}"#);
        assert_eq!(
            convert("boolean", r#""yes""#).unwrap_err(),
            "[yes] is not a boolean value, cannot convert to boolean"
        );
        assert_eq!(convert("string", "1.0").unwrap(), r#"{"a":"1.0"}"#);
        assert_eq!(
            convert("string", "10000000000.0").unwrap(),
            r#"{"a":"1.0E10"}"#
        );
        assert_eq!(convert("ip", r#""::1""#).unwrap(), r#"{"a":"::1"}"#);
        assert_eq!(
            convert("ip", r#""1.2.3""#).unwrap_err(),
            "'1.2.3' is not an IP string literal."
        );
        assert_eq!(convert("auto", r#""true""#).unwrap(), r#"{"a":true}"#);
        assert_eq!(
            convert("auto", r#""5000000000""#).unwrap(),
            r#"{"a":5000000000}"#
        );
        assert_eq!(convert("auto", r#""1.5""#).unwrap(), r#"{"a":1.5}"#);
        assert_eq!(convert("auto", r#""abc""#).unwrap(), r#"{"a":"abc"}"#);
        assert_eq!(convert("auto", "7").unwrap(), r#"{"a":7}"#);
    }

    #[test]
    fn null_missing_and_bad_type() {
        assert_eq!(
            convert("integer", "null").unwrap_err(),
            "Field [a] is null, cannot be converted to type [integer]"
        );
        assert_eq!(
            run_err(r#"[{"convert":{"field":"a","type":"integer"}}]"#, "{}"),
            "field [a] not present as part of path [a]"
        );
        assert_eq!(
            run(
                r#"[{"convert":{"field":"a","type":"integer","ignore_missing":true}}]"#,
                "{}"
            )
            .unwrap(),
            "{}"
        );
        assert_eq!(
            config_err(r#"[{"convert":{"field":"a","type":"int"}}]"#),
            "[type] type [int] not supported, cannot convert field."
        );
    }
}
