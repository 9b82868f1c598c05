//! `Json.load` / `Json.dump` (Painless's ingest JSON helpers) and the JSON
//! text of runtime values, written as Elasticsearch's Jackson writes them:
//! maps in their Java iteration order, doubles in Java's `toString` form.

use super::{Static, arg, str_arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::stdlib::collections::items;
use crate::types::Base;
use crate::value::{Val, ordered_entries};

/// `Json` statics.
pub(crate) fn statics() -> Vec<Static> {
    let s = |name, arity, f| Static {
        class: Base::Json,
        name,
        arity,
        f,
    };
    vec![
        s("load", 1, load),
        s("dump", 1, |_, a| {
            dump_text(arg(&a, 0)?, false).map(Val::string)
        }),
        s("dump", 2, |_, a| {
            let pretty = matches!(arg(&a, 1)?, Val::Bool(true));
            dump_text(arg(&a, 0)?, pretty).map(Val::string)
        }),
    ]
}

/// Parses JSON text into runtime values.
pub(crate) fn parse<'a>(text: &str) -> R<Val<'a>> {
    match isc_value::from_json_str(text) {
        Ok(v) => Ok(Val::from_value(v)),
        Err(e) => Err(Thrown::new(ExceptionKind::IllegalArgument, e.to_string())),
    }
}

fn load<'a>(_: &mut Runtime<'a>, a: Vec<Val<'a>>) -> R<Val<'a>> {
    parse(str_arg(&a, 0)?)
}

/// The JSON text of a value.
pub(crate) fn dump_text(v: &Val<'_>, pretty: bool) -> R<String> {
    let mut out = String::new();
    write(v, pretty, 0, &mut out)?;
    Ok(out)
}

fn newline(pretty: bool, depth: usize, out: &mut String) {
    if pretty {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
}

fn write(v: &Val<'_>, pretty: bool, depth: usize, out: &mut String) -> R<()> {
    // Lists holding one list many times over print exponentially long.
    if out.len() > crate::interp::MAX_VALUE_SIZE {
        return Err(crate::interp::out_of_memory());
    }
    match v {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Byte(_) | Val::Short(_) | Val::Int(_) | Val::Long(_) => {
            out.push_str(&v.to_java_string())
        }
        Val::Float(f) if !f.is_finite() => out.push_str(&format!("\"{}\"", v.to_java_string())),
        Val::Double(d) if !d.is_finite() => out.push_str(&format!("\"{}\"", v.to_java_string())),
        Val::Float(_) | Val::Double(_) => out.push_str(&v.to_java_string()),
        Val::Str(_) | Val::Char(_) | Val::Builder(_) => {
            let text = v.to_java_string();
            out.push_str(&serde_json::to_string(&text).unwrap_or_else(|_| "\"\"".to_owned()));
        }
        Val::Map(_) | Val::DocMap(_) => {
            let ordered = ordered_entries(v);
            out.push('{');
            for (i, (k, val)) in ordered.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(pretty, depth + 1, out);
                let key = k.to_java_string();
                out.push_str(&serde_json::to_string(&key).unwrap_or_else(|_| "\"\"".to_owned()));
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                crate::value::deeper(|| write(val, pretty, depth + 1, out))?;
            }
            if !ordered.is_empty() {
                newline(pretty, depth, out);
            }
            out.push('}');
        }
        other => {
            let Ok(xs) = items(other) else {
                return Err(Thrown::new(
                    ExceptionKind::IllegalArgument,
                    format!(
                        "cannot write xcontent for unknown value of type class {}",
                        other.class_name()
                    ),
                ));
            };
            out.push('[');
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(pretty, depth + 1, out);
                crate::value::deeper(|| write(x, pretty, depth + 1, out))?;
            }
            if !xs.is_empty() {
                newline(pretty, depth, out);
            }
            out.push(']');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_writes_java_number_forms_and_hash_order() {
        let v = parse(r#"{"b":1,"a":[1.0E10,"x",null]}"#).unwrap();
        assert_eq!(
            dump_text(&v, false).unwrap(),
            r#"{"a":[1.0E10,"x",null],"b":1}"#
        );
    }
}
