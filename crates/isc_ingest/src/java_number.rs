//! Java's number parsing (`Integer.parseInt`, `Long.decode`,
//! `Double.parseDouble`, ...) with its `NumberFormatException` messages,
//! which reach users as `_ingest.on_failure_message`.

use crate::error::IngestError;

/// Java's `NumberFormatException`, as the cause of a processor error.
pub fn number_format(message: impl Into<String>) -> IngestError {
    IngestError::new("number_format_exception", message)
}

fn for_input(s: &str) -> IngestError {
    number_format(format!("For input string: \"{s}\""))
}

/// `Long.parseLong(s)`.
pub fn parse_long(s: &str) -> Result<i64, IngestError> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(for_input(s));
    }
    s.parse().map_err(|_| for_input(s))
}

/// `Integer.parseInt(s)`.
pub fn parse_int(s: &str) -> Result<i32, IngestError> {
    let v = parse_long(s)?;
    i32::try_from(v).map_err(|_| for_input(s))
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

/// `Double.parseDouble(s)`: surrounding whitespace, optional sign,
/// `NaN`, `Infinity`, decimal digits with optional fraction and exponent,
/// and a trailing `f`/`d` type suffix. (Hexadecimal floating literals are
/// not accepted.)
pub fn parse_double(s: &str) -> Result<f64, IngestError> {
    let cleaned = java_float_literal(s)?;
    cleaned.parse::<f64>().map_err(|_| for_input(s))
}

/// `Float.parseFloat(s)`, rounding once to the nearest `float`.
pub fn parse_float(s: &str) -> Result<f32, IngestError> {
    let cleaned = java_float_literal(s)?;
    cleaned.parse::<f32>().map_err(|_| for_input(s))
}

/// Validates Java's floating literal grammar and returns the text Rust's
/// parser should read.
fn java_float_literal(s: &str) -> Result<String, IngestError> {
    let t = s.trim_matches(|c: char| c <= ' ');
    if t.is_empty() {
        return Err(number_format("empty String"));
    }
    let (sign, body) = match t.as_bytes()[0] {
        b'-' => ("-", &t[1..]),
        b'+' => ("", &t[1..]),
        _ => ("", t),
    };
    if body == "NaN" {
        return Ok("NaN".to_owned());
    }
    if body == "Infinity" {
        return Ok(format!("{sign}inf"));
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return Err(for_input(s));
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(for_input(s));
        }
    }
    if i != bytes.len() {
        return Err(for_input(s));
    }
    Ok(format!("{sign}{body}"))
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
    }
}
