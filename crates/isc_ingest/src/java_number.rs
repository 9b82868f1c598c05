//! Java's number parsing (`Integer.parseInt`, `Long.decode`,
//! `Double.parseDouble`, ...) with its `NumberFormatException` messages,
//! which reach users as `_ingest.on_failure_message`.

use isc_value::java_number;

use crate::error::IngestError;

/// Java's `NumberFormatException`, as the cause of a processor error.
pub fn number_format(message: impl Into<String>) -> IngestError {
    IngestError::new("number_format_exception", message)
}

fn for_input(s: &str) -> IngestError {
    number_format(format!("For input string: \"{s}\""))
}

/// `Long.parseLong(s)` ([`isc_value::java_number::parse_long`]).
pub fn parse_long(s: &str) -> Result<i64, IngestError> {
    java_number::parse_long(s).map_err(number_format)
}

/// `Integer.parseInt(s)` ([`isc_value::java_number::parse_int`]).
pub fn parse_int(s: &str) -> Result<i32, IngestError> {
    java_number::parse_int(s).map_err(number_format)
}

/// `Long.decode(s)` for the hexadecimal forms `0x..`, `-0x..`, `#..`, and
/// octal `0..`; decimal otherwise.
pub fn decode_long(s: &str) -> Result<i64, IngestError> {
    if s.is_empty() {
        return Err(number_format("Zero length string"));
    }
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, h)
        } else if let Some(h) = body.strip_prefix('#') {
            (16, h)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.starts_with(['-', '+']) {
        return Err(number_format("Sign character in wrong position"));
    }
    let magnitude = i128::from_str_radix(digits, radix).map_err(|_| {
        if radix == 10 {
            for_input(digits)
        } else {
            number_format(format!(
                "For input string: \"{digits}\" under radix {radix}"
            ))
        }
    })?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).map_err(|_| for_input(if negative { s } else { digits }))
}

/// `Integer.decode(s)`.
pub fn decode_int(s: &str) -> Result<i32, IngestError> {
    let v = decode_long(s)?;
    i32::try_from(v).map_err(|_| for_input(s))
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
