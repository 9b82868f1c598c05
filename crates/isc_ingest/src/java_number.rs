//! Java's number parsing (`Integer.parseInt`, `Long.decode`,
//! `Double.parseDouble`, ...) with its `NumberFormatException` messages,
//! which reach users as `_ingest.on_failure_message`.

use isc_value::java_number;

use crate::error::IngestError;

/// Java's `NumberFormatException`, as the cause of a processor error.
pub fn number_format(message: impl Into<String>) -> IngestError {
    IngestError::new("number_format_exception", message)
}

/// `Long.parseLong(s)` ([`isc_value::java_number::parse_long`]).
pub fn parse_long(s: &str) -> Result<i64, IngestError> {
    java_number::parse_long(s).map_err(number_format)
}

/// `Integer.parseInt(s)` ([`isc_value::java_number::parse_int`]).
pub fn parse_int(s: &str) -> Result<i32, IngestError> {
    java_number::parse_int(s).map_err(number_format)
}

/// `Long.decode(s)` ([`isc_value::java_number::decode`]): hexadecimal
/// `0x..`, `-0x..`, `#..`, octal `0..`, decimal otherwise.
pub fn decode_long(s: &str) -> Result<i64, IngestError> {
    java_number::decode(s, i64::MIN, i64::MAX).map_err(number_format)
}

/// `Integer.decode(s)`.
pub fn decode_int(s: &str) -> Result<i32, IngestError> {
    java_number::decode(s, i32::MIN.into(), i32::MAX.into())
        .map(|n| n as i32)
        .map_err(number_format)
}

/// `Double.parseDouble(s)` ([`isc_value::java_number::parse_double`]):
/// whitespace, sign, `NaN`, `Infinity`, decimal and hexadecimal literals,
/// `f`/`d` suffixes.
pub fn parse_double(s: &str) -> Result<f64, IngestError> {
    java_number::parse_double(s).map_err(number_format)
}

/// `Float.parseFloat(s)` ([`isc_value::java_number::parse_float`]).
pub fn parse_float(s: &str) -> Result<f32, IngestError> {
    java_number::parse_float(s).map_err(number_format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_parsing_accepts_signs_only() {
        assert_eq!(parse_int("+1").ok(), Some(1));
        assert_eq!(parse_int("-1").ok(), Some(-1));
        assert_eq!(parse_int("1a").ok(), None);
        assert_eq!(parse_int("99999999999").ok(), None);
    }

    #[test]
    fn integers_parse_like_java() {
        assert_eq!(parse_int("+12").unwrap(), 12);
        assert_eq!(
            parse_int("2147483648").unwrap_err().reason,
            "For input string: \"2147483648\""
        );
        assert_eq!(
            parse_long(" 1").unwrap_err().reason,
            "For input string: \" 1\""
        );
        assert_eq!(decode_int("0x1F").unwrap(), 31);
        assert_eq!(decode_int("-0x10").unwrap(), -16);
        assert_eq!(
            decode_long("0xZZ").unwrap_err().reason,
            "For input string: \"ZZ\" under radix 16"
        );
        // Out of range, the JDK's retry names the digits with their sign.
        assert_eq!(
            decode_int("0x80000000").unwrap_err().reason,
            "For input string: \"80000000\" under radix 16"
        );
        assert_eq!(decode_int("-0x80000000").unwrap(), i32::MIN);
        assert_eq!(
            decode_long("-0x8000000000000001").unwrap_err().reason,
            "For input string: \"-8000000000000001\" under radix 16"
        );
    }

    #[test]
    fn doubles_parse_like_java() {
        assert_eq!(parse_double(" 1.5 ").unwrap(), 1.5);
        assert_eq!(parse_double("1e3").unwrap(), 1000.0);
        assert_eq!(parse_double("2f").unwrap(), 2.0);
        assert_eq!(parse_double(".5").unwrap(), 0.5);
        assert!(parse_double("NaN").unwrap().is_nan());
        assert_eq!(parse_double("-Infinity").unwrap(), f64::NEG_INFINITY);
        assert_eq!(
            parse_double("inf").unwrap_err().reason,
            "For input string: \"inf\""
        );
        assert_eq!(parse_double("").unwrap_err().reason, "empty String");
        assert_eq!(parse_float("0.1").unwrap(), 0.1f32);
        // Java reads hexadecimal floating literals too (`convert` to double).
        assert_eq!(parse_double("0x1p3").unwrap(), 8.0);
    }
}
