//! Java regular expressions for `gsub` and `split`, on fancy-regex
//! (backreferences, lookaround), with Java's replacement syntax (`$1`,
//! `${name}`, `\$`) and `String.split` semantics.

use fancy_regex::Regex;

use crate::error::IngestError;

/// Compiles a Java pattern; the error text is the engine's.
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| e.to_string())
}

/// Translates a Java replacement string (`Matcher.replaceAll`) into
/// fancy-regex's syntax.
pub(crate) fn replacement(java: &str) -> Result<String, IngestError> {
    let mut out = String::with_capacity(java.len());
    let mut chars = java.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('$') => out.push_str("$$"),
                Some(other) => out.push(other),
                None => {
                    return Err(IngestError::illegal_argument(
                        "character to be escaped is missing",
                    ));
                }
            },
            '$' => match chars.peek() {
                Some('{') => {
                    chars.next();
                    let mut name = String::new();
                    for n in chars.by_ref() {
                        if n == '}' {
                            break;
                        }
                        name.push(n);
                    }
                    out.push_str(&format!("${{{name}}}"));
                }
                Some(d) if d.is_ascii_digit() => {
                    let mut num = String::new();
                    while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                        num.push(d);
                        chars.next();
                    }
                    out.push_str(&format!("${{{num}}}"));
                }
                _ => return Err(IngestError::illegal_argument("Illegal group reference")),
            },
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `Matcher.replaceAll`.
pub(crate) fn replace_all(
    re: &Regex,
    text: &str,
    replacement: &str,
) -> Result<String, IngestError> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for caps in re.captures_iter(text) {
        let caps = caps.map_err(|e| IngestError::illegal_argument(e.to_string()))?;
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&text[last..m.start()]);
        caps.expand(replacement, &mut out);
        last = m.end();
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// `String.split(regex, limit)` with limit 0 (trailing empty strings
/// removed) or -1 (kept). A zero-width match at the start yields no
/// leading empty string.
pub(crate) fn split(
    re: &Regex,
    text: &str,
    keep_trailing: bool,
) -> Result<Vec<String>, IngestError> {
    let mut parts = Vec::new();
    let mut last = 0;
    for m in re.find_iter(text) {
        let m = m.map_err(|e| IngestError::illegal_argument(e.to_string()))?;
        if m.end() == 0 {
            continue;
        }
        parts.push(text[last..m.start()].to_owned());
        last = m.end();
    }
    parts.push(text[last..].to_owned());
    if !keep_trailing {
        while parts.len() > 1 && parts.last().is_some_and(String::is_empty) {
            parts.pop();
        }
        if parts.len() == 1 && parts[0].is_empty() && !text.is_empty() {
            parts.clear();
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_syntax_is_translated() {
        assert_eq!(replacement("$1-${name}\\$x").unwrap(), "${1}-${name}$$x");
        assert!(replacement("$").is_err());
    }

    #[test]
    fn split_drops_trailing_empties_like_java() {
        let re = compile(",").unwrap();
        assert_eq!(split(&re, "a,b,,", false).unwrap(), ["a", "b"]);
        assert_eq!(split(&re, "a,b,,", true).unwrap(), ["a", "b", "", ""]);
        assert_eq!(split(&re, ",a", false).unwrap(), ["", "a"]);
        assert_eq!(split(&re, "", false).unwrap(), [""]);
        let re = compile("").unwrap();
        assert_eq!(split(&re, "ab", false).unwrap(), ["a", "b"]);
    }
}
