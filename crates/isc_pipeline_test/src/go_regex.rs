//! Regular expressions as elastic-package compiles them, with Go's
//! `regexp` (RE2 syntax): test configs' `multiline.first_line_pattern`,
//! `exclude_lines` and `dynamic_fields`, and field `pattern`s.
//!
//! The Rust `regex` crate reads the same syntax but for one case that real
//! configs hit: Go takes a `{` that does not start a repetition
//! (`{n}`, `{n,}`, `{n,m}`) as a literal, as in `^{` for JSON lines, where
//! `regex` refuses it. Such braces are escaped before compiling.

use regex::Regex;

/// Compiles `pattern` as Go's `regexp.Compile` reads it.
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&literal_braces_escaped(pattern))
}

/// `pattern` with every `{` outside a character class that Go would take
/// as a literal written `\{`.
fn literal_braces_escaped(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.get(i + 1) {
                    out.push(*next);
                }
                i += 2;
                continue;
            }
            '[' if in_class && chars.get(i + 1) == Some(&':') => {
                // A POSIX class such as `[:alpha:]` inside a class.
                let end = (i + 2..chars.len().saturating_sub(1))
                    .find(|&j| chars[j] == ':' && chars[j + 1] == ']')
                    .map_or(i, |j| j + 1);
                out.extend(&chars[i..=end]);
                i = end + 1;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                i += 1;
                // A `^` and then a `]` right after the opening are literal.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push(']');
                    i += 1;
                }
                continue;
            }
            ']' if in_class => in_class = false,
            '{' if !in_class && !starts_repetition(&chars[i..]) => {
                out.push_str("\\{");
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether `text` (starting at a `{`) is `{n}`, `{n,}` or `{n,m}`, as Go's
/// `parseRepeat` accepts it.
fn starts_repetition(text: &[char]) -> bool {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while text.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if text.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    text.get(i) == Some(&'}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_that_start_no_repetition_are_literal_as_in_go() {
        let re = compile("^{").unwrap();
        assert!(re.is_match("{\"a\":1}"));
        assert!(!re.is_match("x{"));
        assert!(compile("a{x}").unwrap().is_match("a{x}"));
        assert!(compile("a{,2}").unwrap().is_match("a{,2}"));
        assert!(compile("^\\d{4}-").unwrap().is_match("2024-"));
        assert!(compile("^a{2,}$").unwrap().is_match("aaa"));
        assert!(compile("[{]x").unwrap().is_match("{x"));
        assert!(compile("[[:alpha:]{]+").unwrap().is_match("a{"));
        assert!(compile("\\{").unwrap().is_match("{"));
    }

    #[test]
    fn other_syntax_errors_still_fail() {
        assert!(compile("(").is_err());
        assert!(compile("a{2").unwrap().is_match("a{2"));
        assert!(compile("[a").is_err());
    }
}
