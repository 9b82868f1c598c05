//! Java's `toString` forms of values: `Double.toString`, `Float.toString`,
//! and `String.valueOf` for lists and maps.

use crate::{Value, java_hashmap_order};

/// Java's `Double.toString(d)` (JDK 19 and later: the shortest digits that
/// round-trip): `1.0`, `0.001`, `1.0E7`, `1.2345E-5`, `NaN`, `-Infinity`.
pub fn double_to_java_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".to_owned();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let mut buf = ryu::Buffer::new();
    java_form(
        buf.format_finite(d),
        d.is_sign_negative(),
        d.abs() >= 1e-3 && d.abs() < 1e7,
        d == 0.0,
    )
}

/// Java's `Float.toString(f)`, the `f32` counterpart of
/// [`double_to_java_string`].
pub fn float_to_java_string(f: f32) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let mut buf = ryu::Buffer::new();
    java_form(
        buf.format_finite(f),
        f.is_sign_negative(),
        f.abs() >= 1e-3 && f.abs() < 1e7,
        f == 0.0,
    )
}

/// Appends `String.valueOf(value)` to `out`.
pub(crate) fn write_java_string(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Long(l) => out.push_str(&l.to_string()),
        Value::Float(f) => out.push_str(&float_to_java_string(*f)),
        Value::Double(d) => out.push_str(&double_to_java_string(*d)),
        Value::String(s) => out.push_str(s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_java_string(item, out);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (n, i) in java_hashmap_order(map).into_iter().enumerate() {
                if let Some((k, v)) = map.get_index(i) {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push('=');
                    write_java_string(v, out);
                }
            }
            out.push('}');
        }
    }
}

/// Rewrites ryu's shortest representation (`1e10`, `1.5e-5`, `123.45`,
/// `0.001`) into Java's layout.
fn java_form(ryu: &str, negative: bool, plain: bool, zero: bool) -> String {
    let sign = if negative { "-" } else { "" };
    if zero {
        return format!("{sign}0.0");
    }
    let unsigned = ryu.trim_start_matches('-');
    // Split into significant digits and the decimal exponent of the first one.
    let (mantissa, exp) = match unsigned.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = format!("{int_part}{frac_part}");
    let leading_zeros = all_digits.len() - all_digits.trim_start_matches('0').len();
    let digits = all_digits.trim_start_matches('0').trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    // value = 0.<all_digits> * 10^(int_len + exp); first significant digit at:
    let point = int_part.len() as i32 + exp - leading_zeros as i32; // digits before the point
    let sci_exp = point - 1;
    if plain {
        if point <= 0 {
            format!("{sign}0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!(
                "{sign}{}{}.0",
                digits,
                "0".repeat(point as usize - digits.len())
            )
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{sci_exp}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_like_java() {
        let cases = [
            (1.0, "1.0"),
            (-1.5, "-1.5"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (100.0, "100.0"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1234567.0, "1234567.0"),
            (1.0e7, "1.0E7"),
            (1.0e10, "1.0E10"),
            (12345678.9, "1.23456789E7"),
            (1.2345e-5, "1.2345E-5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::MAX, "1.7976931348623157E308"),
            (f64::MIN_POSITIVE, "2.2250738585072014E-308"),
            (9.223372036854776e18, "9.223372036854776E18"),
        ];
        for (d, want) in cases {
            assert_eq!(double_to_java_string(d), want, "{d:?}");
        }
    }

    #[test]
    fn floats_print_like_java() {
        assert_eq!(float_to_java_string(1.1), "1.1");
        assert_eq!(float_to_java_string(3.0), "3.0");
        assert_eq!(float_to_java_string(1.0e10), "1.0E10");
        assert_eq!(float_to_java_string(0.33333334), "0.33333334");
    }

    #[test]
    fn collections_print_like_java() {
        let v = crate::from_json_str(r#"{"b":[1,2.5,"x",null],"a":true}"#).unwrap();
        assert_eq!(v.to_java_string(), "{a=true, b=[1, 2.5, x, null]}");
    }
}
