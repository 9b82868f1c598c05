//! Turning a grok expression into a regular expression: every
//! `%{PATTERN}`, `%{PATTERN:field}` or `%{PATTERN:field:type}` is replaced by
//! the pattern's definition, wrapped in a named group when a field is given,
//! and the result is expanded again until no reference is left.

use crate::{GrokError, PatternBank};

/// Elasticsearch gives up expanding after this many references.
const MAX_EXPANSIONS: usize = 100_000;

/// One `%{...}` reference found in an expression (byte offsets).
struct Reference<'a> {
    start: usize,
    end: usize,
    /// `PATTERN` or `PATTERN:subname`: the whole name part.
    name: &'a str,
    /// The pattern name alone.
    pattern: &'a str,
    /// Whether a `:subname` was given.
    has_subname: bool,
}

/// Expands `expression` against `bank` into the regular expression to
/// compile.
pub(crate) fn to_regex(bank: &PatternBank, expression: &str) -> Result<String, GrokError> {
    let mut done = String::with_capacity(expression.len() * 4);
    let mut pending = expression.to_owned();
    for _ in 0..MAX_EXPANSIONS {
        let Some(found) = find_reference(&pending) else {
            done.push_str(&pending);
            return Ok(done);
        };
        let Some(definition) = bank.get(found.pattern) else {
            return Err(GrokError::UnknownPattern(found.pattern.to_owned()));
        };
        if definition.contains(&format!("%{{{}}}", found.pattern))
            || definition.contains(&format!("%{{{}:", found.pattern))
        {
            return Err(GrokError::CircularBack(found.pattern.to_owned()));
        }
        let replacement = if found.has_subname {
            format!("(?<{}>{definition})", found.name)
        } else {
            format!("(?:{definition})")
        };
        done.push_str(&pending[..found.start]);
        let rest = &pending[found.end..];
        let mut next = String::with_capacity(replacement.len() + rest.len());
        next.push_str(&replacement);
        next.push_str(rest);
        pending = next;
    }
    Err(GrokError::TooManyExpansions)
}

/// Finds the leftmost reference matching Elasticsearch's grammar:
/// `%{` pattern (`[A-z0-9]+`), optional `:` subname
/// (`[[:alnum:]@\[\]_:.-]+`), optional `=` definition (no braces), `}`.
fn find_reference(text: &str) -> Option<Reference<'_>> {
    let mut from = 0;
    while let Some(offset) = text[from..].find("%{") {
        let start = from + offset;
        if let Some(found) = reference_at(text, start) {
            return Some(found);
        }
        from = start + 1;
    }
    None
}

/// A reference starting exactly at `start` (where `%{` is), if the grammar
/// matches there.
fn reference_at(text: &str, start: usize) -> Option<Reference<'_>> {
    let body = &text[start + 2..];
    let pattern_len = body
        .bytes()
        .take_while(|b| (b'A'..=b'z').contains(b) || b.is_ascii_digit())
        .count();
    if pattern_len == 0 {
        return None;
    }
    let mut pos = pattern_len;
    let mut has_subname = false;
    if body[pos..].starts_with(':') {
        let sub_len: usize = body[pos + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || "@[]_:.-".contains(*c))
            .map(char::len_utf8)
            .sum();
        if sub_len == 0 {
            return None;
        }
        has_subname = true;
        pos += 1 + sub_len;
    }
    let name_end = pos;
    if body[pos..].starts_with('=') {
        let def_len = body[pos + 1..]
            .bytes()
            .take_while(|b| *b != b'{' && *b != b'}')
            .count();
        if def_len == 0 {
            return None;
        }
        pos += 1 + def_len;
    }
    if !body[pos..].starts_with('}') {
        return None;
    }
    Some(Reference {
        start,
        end: start + 2 + pos + 1,
        name: &body[..name_end],
        pattern: &body[..pattern_len],
        has_subname,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    fn bank(entries: &[(&str, &str)]) -> PatternBank {
        let map: IndexMap<String, String> = entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        PatternBank::new(map).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn named_and_unnamed_references_expand() {
        let b = bank(&[("NUM", "\\d+"), ("PAIR", "%{NUM:a}-%{NUM}")]);
        assert_eq!(
            to_regex(&b, "x %{PAIR:p} %{NUM:n:int}").ok().as_deref(),
            Some("x (?<PAIR:p>(?<NUM:a>\\d+)-(?:\\d+)) (?<NUM:n:int>\\d+)")
        );
    }

    #[test]
    fn unknown_pattern_is_named() {
        let b = bank(&[("ONE", "1")]);
        assert_eq!(
            to_regex(&b, "%{NOTONE:x}")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("Unable to find pattern [NOTONE] in Grok's pattern dictionary")
        );
    }

    #[test]
    fn text_outside_the_grammar_stays_literal() {
        let b = bank(&[("ONE", "1")]);
        assert_eq!(
            to_regex(&b, "%{one two} %{").ok().as_deref(),
            Some("%{one two} %{")
        );
        assert_eq!(to_regex(&b, "%{ONE=x}").ok().as_deref(), Some("(?:1)"));
    }
}
