//! `bytes`: Elasticsearch's `BytesProcessor`. Parses a human-readable size
//! (`1kb`, `2.5 MB`) into a number of bytes as `ByteSizeValue` does.

use isc_value::Value;

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
        self.field
            .apply(doc, |s| parse_byte_size(s, &self.name).map(Value::Long))?;
        Ok(Flow::Continue)
    }
}

/// `ByteSizeValue.parseBytesSizeValue(value, settingName).getBytes()`.
pub(crate) fn parse_byte_size(value: &str, setting: &str) -> Result<i64, IngestError> {
    match value {
        "0" | "0b" | "0B" => return Ok(0),
        "1b" | "1B" => return Ok(1),
        "-1" | "-1b" | "-1B" => return Ok(-1),
        _ => {}
    }
    let lower = value.to_lowercase();
    let lower = lower.trim_matches(|c: char| c <= ' ');
    const UNITS: [(&str, i64); 10] = [
        ("k", 1 << 10),
        ("kb", 1 << 10),
        ("m", 1 << 20),
        ("mb", 1 << 20),
        ("g", 1 << 30),
        ("gb", 1 << 30),
        ("t", 1 << 40),
        ("tb", 1 << 40),
        ("p", 1 << 50),
        ("pb", 1 << 50),
    ];
    let parse_err = |msg: String| IngestError::new(PARSE_EXCEPTION, msg);
    let plain = || {
        parse_err(format!(
            "failed to parse setting [{setting}] with value [{value}]"
        ))
    };
    for (suffix, unit) in UNITS {
        if let Some(number) = lower.strip_suffix(suffix) {
            let number = number.trim_matches(|c: char| c <= ' ');
            if let Ok(n) = crate::java_number::parse_long(number) {
                if n < -1 {
                    return Err(parse_err(format!(
                        "failed to parse setting [{setting}] with value [{value}] as a size in bytes"
                    )));
                }
                return Ok(n.saturating_mul(unit));
            }
            return parse_decimal_bytes(number, unit).ok_or_else(|| {
                if number.contains('.') && number.split('.').nth(1).is_some_and(|f| f.len() > 2) {
                    parse_err(format!(
                        "failed to parse setting [{setting}] with more than two decimals in value [{value}]"
                    ))
                } else {
                    plain()
                }
            });
        }
    }
    if let Some(number) = lower.strip_suffix('b') {
        let number = number.trim_matches(|c: char| c <= ' ');
        return match crate::java_number::parse_long(number) {
            Ok(n) if n >= -1 => Ok(n),
            Ok(_) => Err(parse_err(format!(
                "failed to parse setting [{setting}] with value [{value}] as a size in bytes"
            ))),
            Err(_) => Err(plain()),
        };
    }
    Err(parse_err(format!(
        "failed to parse setting [{setting}] with value [{value}] as a size in bytes: unit is missing or unrecognized"
    )))
}

/// A non-negative decimal with at most two fraction digits times `unit`,
/// rounded up.
fn parse_decimal_bytes(number: &str, unit: i64) -> Option<i64> {
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if frac_part.len() > 2
        || (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let scale = 10i128.pow(frac_part.len() as u32);
    let int: i128 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().ok()?
    };
    let frac: i128 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().ok()?
    };
    let hundredths = int * scale + frac;
    let bytes = (hundredths * i128::from(unit) + scale - 1) / scale;
    i64::try_from(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::parse_byte_size;
    use crate::processors::test_support::{run, run_err};

    #[test]
    fn sizes_parse_like_byte_size_value() {
        assert_eq!(parse_byte_size("1kb", "f").unwrap(), 1024);
        assert_eq!(parse_byte_size("1 KB", "f").unwrap(), 1024);
        assert_eq!(parse_byte_size("2g", "f").unwrap(), 2 << 30);
        assert_eq!(parse_byte_size("1.1kb", "f").unwrap(), 1127);
        assert_eq!(parse_byte_size("12b", "f").unwrap(), 12);
        assert_eq!(
            parse_byte_size("12", "f").unwrap_err().reason,
            "failed to parse setting [f] with value [12] as a size in bytes: unit is missing or unrecognized"
        );
        assert_eq!(
            parse_byte_size("1.1b", "f").unwrap_err().reason,
            "failed to parse setting [f] with value [1.1b]"
        );
        assert_eq!(
            parse_byte_size("1.234kb", "f").unwrap_err().reason,
            "failed to parse setting [f] with more than two decimals in value [1.234kb]"
        );
    }

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
