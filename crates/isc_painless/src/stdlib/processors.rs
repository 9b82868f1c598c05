//! The ingest helpers Elasticsearch whitelists for Painless in ingest
//! scripts: `Processors.lowercase/uppercase/json/urlDecode/bytes`.

use super::{Static, arg, str_arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::types::Base;
use crate::value::Val;

/// Processors statics.
pub(crate) fn statics() -> Vec<Static> {
    let s = |name, arity, f| Static {
        class: Base::Processors,
        name,
        arity,
        f,
    };
    vec![
        s("lowercase", 1, |_, a| {
            Ok(Val::string(super::string::java_lower(str_arg(&a, 0)?)))
        }),
        s("uppercase", 1, |_, a| {
            Ok(Val::string(super::string::java_upper(str_arg(&a, 0)?)))
        }),
        s("json", 1, |_, a| json(&a, true)),
        s("jsonLenient", 1, |_, a| json(&a, false)),
        s("json", 2, |_, a| json_into(&a, true)),
        s("jsonLenient", 2, |_, a| json_into(&a, false)),
        s("urlDecode", 1, url_decode),
        s("bytes", 1, bytes),
    ]
}

/// `Processors.json(value)` (`strict`) and `jsonLenient(value)`: parse
/// `String.valueOf(value)` as the `json` processor does.
fn json<'a>(a: &[Val<'a>], strict: bool) -> R<Val<'a>> {
    parse_as_json_processor(&arg(a, 0)?.to_java_string(), strict)
}

/// `JsonProcessor.apply(value, false, strict)`: Jackson's reading, with its
/// error text; lenient parsing ignores what follows the first value. Elasticsearch chains the Jackson exception under an
/// `XContentParseException`; the script error here carries the innermost
/// message (what `_ingest.on_failure_message` shows) as an
/// `IllegalArgumentException`.
fn parse_as_json_processor<'a>(text: &str, strict: bool) -> R<Val<'a>> {
    use isc_value::jackson::{self, Trailing};
    let parsed = jackson::parse(text, false, strict)
        .map_err(|e| Thrown::new(ExceptionKind::IllegalArgument, e.message()))?;
    match parsed.trailing {
        Trailing::NotRead | Trailing::End => Ok(Val::from_value(parsed.value)),
        Trailing::Error(e) => Err(Thrown::new(ExceptionKind::IllegalArgument, e.message())),
        Trailing::Token => Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            format!(
                "The input {text} is not valid JSON and the strict_json_parsing parameter is true"
            ),
        )),
    }
}

/// `Processors.json(map, field)` (`strict`) and `jsonLenient(map, field)`:
/// parse the JSON object in `map[field]` and add its entries to `map` (the
/// `json` processor's `add_to_root`).
fn json_into<'a>(a: &[Val<'a>], strict: bool) -> R<Val<'a>> {
    let Val::Map(m) = arg(a, 0)? else {
        return Err(super::cast_error(arg(a, 0)?, "java.util.Map"));
    };
    super::writable(m)?;
    let field = str_arg(a, 1)?;
    let text = m
        .borrow()
        .entries
        .get(&crate::value::Key::from_str(field))
        .map(Val::to_java_string)
        .unwrap_or_else(|| "null".to_owned());
    match &parse_as_json_processor(&text, strict)? {
        Val::Map(parsed) => {
            let parsed = parsed.borrow().entries.clone();
            let mut target = m.borrow_mut();
            for (k, v) in parsed {
                target.insert(k, v);
            }
            Ok(Val::Null)
        }
        _ => Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            "cannot add non-map fields to root of document".to_owned(),
        )),
    }
}

/// `URLDecoder.decode(s, UTF-8)`: `+` is a space, `%XX` bytes.
fn url_decode<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    let s = str_arg(&a, 0)?;
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => {
                        return Err(Thrown::new(
                            ExceptionKind::IllegalArgument,
                            "URLDecoder: Illegal hex characters in escape (%) pattern".to_owned(),
                        ));
                    }
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    Ok(Val::string(String::from_utf8_lossy(&out).into_owned()))
}

/// `ByteSizeValue.parseBytesSizeValue(s, "Processors.bytes").getBytes()`.
fn bytes<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    isc_value::byte_size::parse_byte_size(str_arg(&a, 0)?, "Processors.bytes")
        .map(Val::Long)
        .map_err(|e| Thrown::new(ExceptionKind::Parse, e.message))
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (`Base64.getEncoder()`).
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 decoding (`Base64.getDecoder()`); `None` on bad input.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let trimmed = text.trim_end_matches('=');
    if text.len() % 4 == 1 || text.len() - trimmed.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in trimmed.bytes() {
        let v = BASE64.iter().position(|&b| b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("a"), None);
    }

    #[test]
    fn byte_sizes_parse_like_elasticsearch() {
        let mut rt_program = crate::parser::parse_program("1").unwrap();
        let _ = &mut rt_program;
        let mut rt = crate::interp::Runtime::new(&rt_program);
        let v = bytes(&mut rt, vec![Val::str("1kb")]).unwrap();
        assert!(matches!(v, Val::Long(1024)));
        assert!(bytes(&mut rt, vec![Val::str("12")]).is_err());
    }
}
