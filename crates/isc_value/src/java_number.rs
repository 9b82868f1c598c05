//! Java's `Integer.parseInt`, `Long.parseLong`, `Float.parseFloat`,
//! `Double.parseDouble` and `Boolean.parseBoolean`, with the messages of the
//! `NumberFormatException`s they throw.
//!
//! One implementation for every caller: grok's typed captures
//! (`%{NUMBER:n:int}`) and the ingest engine's `convert`, field paths and
//! processors; errors are the exception's message, which callers wrap in
//! their own error type.

/// The message of a `NumberFormatException` for `input`.
fn for_input_string(input: &str) -> String {
    format!("For input string: \"{input}\"")
}

/// `Integer.parseInt(s)`: an optional sign then ASCII digits, in 32 bits.
pub fn parse_int(s: &str) -> Result<i32, String> {
    parse_radix(s, 10, i32::MIN.into(), i32::MAX.into()).map(|n| n as i32)
}

/// `Long.parseLong(s)`: an optional sign then ASCII digits, in 64 bits.
pub fn parse_long(s: &str) -> Result<i64, String> {
    parse_radix(s, 10, i64::MIN, i64::MAX)
}

/// `Integer.parseInt(s, radix)` / `Long.parseLong(s, radix)` for values in
/// `min..=max`: the radix checked first, then an optional sign and at least
/// one digit of the radix (ASCII digits and letters; Java's
/// `Character.digit` also takes other Unicode decimal digits). Every other
/// failure names the whole text, with the radix when it is not 10.
pub fn parse_radix(s: &str, radix: i32, min: i64, max: i64) -> Result<i64, String> {
    if radix < 2 {
        return Err(format!("radix {radix} less than Character.MIN_RADIX"));
    }
    if radix > 36 {
        return Err(format!("radix {radix} greater than Character.MAX_RADIX"));
    }
    let fail = || {
        if radix == 10 {
            for_input_string(s)
        } else {
            format!("For input string: \"{s}\" under radix {radix}")
        }
    };
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(fail());
    }
    // The magnitude, stopped as soon as it cannot fit.
    let bound = i128::from(max) + 1;
    let mut magnitude: i128 = 0;
    for c in digits.chars() {
        let digit = c.to_digit(radix as u32).ok_or_else(fail)?;
        magnitude = magnitude * i128::from(radix) + i128::from(digit);
        if magnitude > bound {
            return Err(fail());
        }
    }
    let value = if negative { -magnitude } else { magnitude };
    if value < i128::from(min) || value > i128::from(max) {
        return Err(fail());
    }
    Ok(value as i64)
}

/// `Long.decode(s)` / `Integer.decode(s)` for values in `min..=max`: an
/// optional sign, then `0x`, `0X` or `#` for hexadecimal or a leading `0`
/// (with more after it) for octal, then the digits. A number that does not
/// parse reports the digits with the sign put back, as the JDK's retry for
/// `MIN_VALUE` does.
pub fn decode(s: &str, min: i64, max: i64) -> Result<i64, String> {
    if s.is_empty() {
        return Err("Zero length string".to_owned());
    }
    let (negative, rest) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x").or(rest.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = rest.strip_prefix('#') {
        (16, d)
    } else if rest.len() > 1 && rest.starts_with('0') {
        (8, &rest[1..])
    } else {
        (10, rest)
    };
    if digits.starts_with(['-', '+']) {
        return Err("Sign character in wrong position".to_owned());
    }
    let constant = if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    parse_radix(&constant, radix, min, max)
}

/// `Float.parseFloat(s)`.
pub fn parse_float(s: &str) -> Result<f32, String> {
    let text = java_float_text(s)?;
    match text {
        JavaFloat::NaN => Ok(f32::NAN),
        JavaFloat::Infinite(negative) => Ok(if negative {
            f32::NEG_INFINITY
        } else {
            f32::INFINITY
        }),
        JavaFloat::Decimal(d) => d.parse::<f32>().map_err(|_| for_input_string(s)),
        JavaFloat::Hex(v) => Ok(v as f32),
    }
}

/// `Double.parseDouble(s)`.
pub fn parse_double(s: &str) -> Result<f64, String> {
    let text = java_float_text(s)?;
    match text {
        JavaFloat::NaN => Ok(f64::NAN),
        JavaFloat::Infinite(negative) => Ok(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }),
        JavaFloat::Decimal(d) => d.parse::<f64>().map_err(|_| for_input_string(s)),
        JavaFloat::Hex(v) => Ok(v),
    }
}

/// `Boolean.parseBoolean(s)`: `true` ignoring case, anything else `false`.
pub fn parse_boolean(s: &str) -> bool {
    s.eq_ignore_ascii_case("true")
}

/// A floating-point literal as Java's `FloatingDecimal` reads it.
enum JavaFloat {
    NaN,
    Infinite(bool),
    /// A decimal literal Rust's parser reads the same way (sign, digits,
    /// fraction, exponent; the type suffix removed).
    Decimal(String),
    /// A hexadecimal literal, already evaluated.
    Hex(f64),
}

/// Validates `s` as Java's floating-point grammar: surrounding characters up
/// to U+0020 trimmed, optional sign, `NaN`, `Infinity`, decimal digits with
/// optional fraction and exponent, or a hexadecimal significand with a binary
/// exponent, each optionally followed by `f`, `F`, `d` or `D`.
fn java_float_text(s: &str) -> Result<JavaFloat, String> {
    let trimmed = s.trim_matches(|c: char| c <= ' ');
    if trimmed.is_empty() {
        return Err("empty String".to_owned());
    }
    let error = || for_input_string(s);
    let (negative, body) = match trimmed.as_bytes()[0] {
        b'-' => (true, &trimmed[1..]),
        b'+' => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if body == "NaN" {
        return Ok(JavaFloat::NaN);
    }
    if body == "Infinity" {
        return Ok(JavaFloat::Infinite(negative));
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        let value = parse_hex_float(hex).ok_or_else(error)?;
        return Ok(JavaFloat::Hex(if negative { -value } else { value }));
    }
    let bytes = body.as_bytes();
    let mut i = 0;
    let int_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        frac_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return Err(error());
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let exp_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp_digits == 0 {
            return Err(error());
        }
        i += exp_digits;
    }
    if i != bytes.len() {
        return Err(error());
    }
    let mut decimal = String::with_capacity(body.len() + 1);
    if negative {
        decimal.push('-');
    }
    decimal.push_str(body);
    Ok(JavaFloat::Decimal(decimal))
}

/// Evaluates `hexdigits[.hexdigits]p[+-]digits` (the part after `0x`).
fn parse_hex_float(text: &str) -> Option<f64> {
    let (mantissa, exponent) = text.split_once(['p', 'P'])?;
    let exponent: i32 = {
        let (neg, digits) = match exponent.as_bytes().first()? {
            b'-' => (true, &exponent[1..]),
            b'+' => (false, &exponent[1..]),
            _ => (false, exponent),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: i32 = digits.parse().unwrap_or(i32::MAX);
        if neg { -v } else { v }
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in int_part.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * 2f64.powi(exponent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_java_rules_and_messages() {
        assert_eq!(parse_int("+42"), Ok(42));
        assert_eq!(parse_int("-2147483648"), Ok(i32::MIN));
        assert_eq!(
            parse_int("2147483648"),
            Err("For input string: \"2147483648\"".into())
        );
        assert_eq!(parse_int("1.5"), Err("For input string: \"1.5\"".into()));
        assert_eq!(parse_int(""), Err("For input string: \"\"".into()));
        assert_eq!(parse_long("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(parse_long("-"), Err("For input string: \"-\"".into()));
    }

    #[test]
    fn floats_follow_java_grammar() {
        assert_eq!(parse_float(" 1.5 "), Ok(1.5));
        assert_eq!(parse_double("1e3d"), Ok(1000.0));
        assert_eq!(parse_double(".5"), Ok(0.5));
        assert_eq!(parse_double("5."), Ok(5.0));
        assert!(parse_double("NaN").is_ok_and(f64::is_nan));
        assert_eq!(parse_double("-Infinity"), Ok(f64::NEG_INFINITY));
        assert_eq!(parse_double("0x1.8p1"), Ok(3.0));
        assert_eq!(parse_double("inf"), Err("For input string: \"inf\"".into()));
        assert_eq!(parse_double("  "), Err("empty String".into()));
        assert_eq!(parse_double("1e"), Err("For input string: \"1e\"".into()));
    }

    #[test]
    fn booleans_are_true_only_for_true() {
        assert!(parse_boolean("TRUE"));
        assert!(!parse_boolean("yes"));
    }
}
