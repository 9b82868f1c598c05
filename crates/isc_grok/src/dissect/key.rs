//! One `%{...}` key of a dissect pattern: its name and modifier.

use super::DissectError;

/// What a key's modifier asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Modifier {
    /// No modifier: a plain key.
    None,
    /// `+key/N`: append at position N.
    AppendWithOrder,
    /// `+key`: append to the other keys of that name.
    Append,
    /// `*key`: this value names the field.
    FieldName,
    /// `&key`: this value is the field's value.
    FieldValue,
    /// `?key`: match and drop.
    NamedSkip,
}

impl Modifier {
    fn from_char(c: char) -> Option<Modifier> {
        match c {
            '/' => Some(Modifier::AppendWithOrder),
            '+' => Some(Modifier::Append),
            '*' => Some(Modifier::FieldName),
            '&' => Some(Modifier::FieldValue),
            '?' => Some(Modifier::NamedSkip),
            _ => None,
        }
    }
}

/// A parsed key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DissectKey {
    pub(crate) modifier: Modifier,
    pub(crate) skip: bool,
    pub(crate) skip_right_padding: bool,
    pub(crate) append_position: i32,
    pub(crate) name: String,
}

impl DissectKey {
    /// Parses the text between `%{` and `}`.
    pub(crate) fn parse(key: &str) -> Result<DissectKey, DissectError> {
        let modifier = find_modifier(key)?;
        let mut skip = key.is_empty();
        let mut append_position = 0;
        let (name, skip_right_padding) = match modifier {
            Modifier::None => {
                let (name, padded) = strip_padding(key);
                skip = name.is_empty();
                (Some(name.to_owned()), padded)
            }
            Modifier::NamedSkip | Modifier::Append | Modifier::FieldName | Modifier::FieldValue => {
                if modifier == Modifier::NamedSkip {
                    skip = true;
                }
                match key.char_indices().find(|(_, c)| "+*&?".contains(*c)) {
                    Some((at, c)) => {
                        let (name, padded) = strip_padding(&key[at + c.len_utf8()..]);
                        (Some(name.to_owned()), padded)
                    }
                    None => (None, false),
                }
            }
            Modifier::AppendWithOrder => match append_with_order(key)? {
                Some((name, position, padded)) => {
                    append_position = position;
                    (Some(name), padded)
                }
                None => (None, false),
            },
        };
        match name {
            Some(name) if !name.is_empty() || skip => Ok(DissectKey {
                modifier,
                skip,
                skip_right_padding,
                append_position,
                name,
            }),
            _ => Err(DissectError::KeyParse {
                key: key.to_owned(),
                reason: "The key name could not be determined",
            }),
        }
    }

    /// A copy with another modifier (plain keys that join an append).
    pub(crate) fn with_modifier(&self, modifier: Modifier) -> DissectKey {
        DissectKey {
            modifier,
            ..self.clone()
        }
    }
}

/// The modifier of a key: the last modifier character, where only `+`
/// followed by `/` may appear together.
fn find_modifier(key: &str) -> Result<Modifier, DissectError> {
    let mut modifier = Modifier::None;
    let mut count = 0;
    for c in key.chars() {
        let Some(found) = Modifier::from_char(c) else {
            continue;
        };
        let prior = modifier;
        modifier = found;
        count += 1;
        if count > 1 && !(prior == Modifier::Append && modifier == Modifier::AppendWithOrder) {
            return Err(DissectError::KeyParse {
                key: key.to_owned(),
                reason: "multiple modifiers are not allowed.",
            });
        }
    }
    Ok(modifier)
}

/// Splits `name->` into the name and whether `->` was there, the way
/// Java's `(.*?)(->)?$` does (`$` also matching before a final line break).
fn strip_padding(text: &str) -> (&str, bool) {
    let body = strip_final_line_break(text);
    match body.strip_suffix("->") {
        Some(name) => (name, true),
        None => (lazy_name_before_end(text), false),
    }
}

/// The shortest prefix after which Java's `$` matches: the text without a
/// single final line terminator.
fn lazy_name_before_end(text: &str) -> &str {
    strip_final_line_break(text)
}

fn strip_final_line_break(text: &str) -> &str {
    if let Some(t) = text.strip_suffix("\r\n") {
        return t;
    }
    for terminator in ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'] {
        if let Some(t) = text.strip_suffix(terminator) {
            return t;
        }
    }
    text
}

/// `+name/N` with optional `->`: `[+](.*?)(/)([0-9]+)(->)?$`.
fn append_with_order(key: &str) -> Result<Option<(String, i32, bool)>, DissectError> {
    let Some(plus) = key.find('+') else {
        return Ok(None);
    };
    let after = &key[plus + 1..];
    let body = strip_final_line_break(after);
    let (body, padded) = match body.strip_suffix("->") {
        Some(b) => (b, true),
        None => (body, false),
    };
    let digits_len = body.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits_len == 0 {
        return Ok(None);
    }
    let digits = &body[body.len() - digits_len..];
    let Some(name) = body[..body.len() - digits_len].strip_suffix('/') else {
        return Ok(None);
    };
    let position = match digits.parse::<i64>() {
        Ok(v) if (i64::from(i16::MIN)..=i64::from(i16::MAX)).contains(&v) => v as i32,
        _ => {
            return Err(DissectError::Number(format!(
                "Value out of range. Value:\"{digits}\" Radix:10"
            )));
        }
    };
    Ok(Some((name.to_owned(), position, padded)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> DissectKey {
        DissectKey::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn plain_and_padded_keys() {
        let k = key("a->");
        assert_eq!(
            (k.name.as_str(), k.skip_right_padding, k.modifier),
            ("a", true, Modifier::None)
        );
        assert!(key("").skip);
        assert!(key("->").skip);
    }

    #[test]
    fn modifiers_are_read() {
        assert_eq!(key("+a").modifier, Modifier::Append);
        let ordered = key("+a/2");
        assert_eq!(
            (
                ordered.modifier,
                ordered.append_position,
                ordered.name.as_str()
            ),
            (Modifier::AppendWithOrder, 2, "a")
        );
        assert_eq!(key("*a").modifier, Modifier::FieldName);
        assert_eq!(key("&a").modifier, Modifier::FieldValue);
        let skipped = key("?a");
        assert!(skipped.skip && skipped.name == "a");
    }

    #[test]
    fn bad_keys_have_elasticsearch_messages() {
        let msg = |k: &str| {
            DissectKey::parse(k)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            msg("+*a"),
            "Unable to parse key: +*a Reason: multiple modifiers are not allowed."
        );
        assert_eq!(
            msg("+"),
            "Unable to parse key: + Reason: The key name could not be determined"
        );
        assert_eq!(
            msg("a/2"),
            "Unable to parse key: a/2 Reason: The key name could not be determined"
        );
    }
}
