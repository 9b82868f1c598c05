//! Go's `fmt` forms of decoded JSON values, for messages that must read
//! exactly like elastic-package's.
//!
//! elastic-package validates documents decoded by `encoding/json` into
//! `interface{}`: every number is a `float64`, lists are `[]interface {}`,
//! objects `map[string]interface {}`. Its messages print them with `%v`,
//! `%T` and `%q`.

use isc_value::Value;

/// `%T` of the decoded value: `string`, `float64`, `bool`, `<nil>`,
/// `[]interface {}`, `map[string]interface {}`.
pub fn go_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Long(_) | Value::Float(_) | Value::Double(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

/// `%v` of the decoded value: `3`, `1.5`, `1e+07`, `true`, `<nil>`,
/// `[a b]`, `map[k:v]` (map keys sorted, as `fmt` prints maps).
pub fn go_value(value: &Value) -> String {
    let mut out = String::new();
    write_go_value(value, &mut out);
    out
}

/// `%q` of the decoded value: a Go-quoted string for strings, and
/// `%!q(float64=3)` style for other types, as `fmt` prints a bad verb.
pub fn go_quote_value(value: &Value) -> String {
    match value {
        Value::String(s) => go_quote(s),
        Value::Null => "%!q(<nil>)".to_owned(),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(go_quote_value).collect();
            format!("[{}]", parts.join(" "))
        }
        other => format!("%!q({}={})", go_type_name(other), go_value(other)),
    }
}

/// Go's `strconv.Quote`: double quotes, backslash escapes for quotes,
/// backslashes and control characters.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                if (c as u32) <= 0xffff {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `%q` of a list of strings: `["a" "b"]`.
pub fn go_quote_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", parts.join(" "))
}

/// `%v` of a `float64`, as `strconv.FormatFloat(f, 'g', -1, 64)`: the
/// shortest digits that round-trip, in exponent form (`1e+06`, `1e-05`)
/// when the decimal exponent is below -4 or at least 6.
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let (negative, digits, point) = shortest_digits(f);
    format_go_float_parts(negative, &digits, point)
}

/// Formats significant `digits` with the decimal point after `point` digits
/// (value = 0.digits × 10^point) in Go's shortest `'g'` layout.
fn format_go_float_parts(negative: bool, digits: &str, point: i32) -> String {
    let sign = if negative { "-" } else { "" };
    let exp = point - 1;
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first}.{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{mantissa}e{esign}{:02}", exp.abs());
    }
    if point <= 0 {
        format!("{sign}0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!(
            "{sign}{}{}",
            digits,
            "0".repeat(point as usize - digits.len())
        )
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{sign}{a}.{b}")
    }
}

/// Sign, shortest round-trip significant digits and decimal point position
/// of a finite, non-zero `f`.
fn shortest_digits(f: f64) -> (bool, String, i32) {
    // `{:e}` prints the shortest round-trip digits as `d.ddde±x`.
    let text = format!("{:e}", f.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    (f.is_sign_negative(), digits.to_owned(), exp + 1)
}

fn write_go_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::String(s) => out.push_str(s),
        Value::Int(_) | Value::Long(_) | Value::Float(_) | Value::Double(_) => {
            out.push_str(&go_float(value.as_f64().unwrap_or_default()));
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_go_value(item, out);
            }
            out.push(']');
        }
        Value::Map(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push_str("map[");
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                if let Some(v) = map.get(*k) {
                    write_go_value(v, out);
                }
            }
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isc_value::from_json_str;

    #[test]
    fn floats_print_like_go_v_verb() {
        assert_eq!(go_float(3.0), "3");
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(-0.25), "-0.25");
        assert_eq!(go_float(1234567.0), "1.234567e+06");
        assert_eq!(go_float(100000.0), "100000");
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(0.0001), "0.0001");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(123456789.0), "1.23456789e+08");
    }

    #[test]
    fn values_print_like_go() {
        let v = from_json_str(r#"{"b":[1,"x",null],"a":true}"#).unwrap();
        assert_eq!(go_value(&v), "map[a:true b:[1 x <nil>]]");
        assert_eq!(go_type_name(&v), "map[string]interface {}");
        assert_eq!(go_quote_value(&Value::Int(3)), "%!q(float64=3)");
        assert_eq!(go_quote_value(&Value::from("a\"b")), "\"a\\\"b\"");
        assert_eq!(go_quote_list(&["a".into(), "b".into()]), "[\"a\" \"b\"]");
    }
}
