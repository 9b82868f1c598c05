//! Java `java.util.regex` classes in Rust `regex` syntax.
//!
//! Without `UNICODE_CHARACTER_CLASS`, Java's `\d`, `\w`, `\s` and `\b`
//! are ASCII-only, while the `regex` crate's are Unicode-aware. The rules
//! are rewritten so that they match what Elasticsearch matches (and
//! compile faster: the ASCII classes are small).

/// Rewrites `\d \w \s \D \W \S \b \B` to their ASCII forms, outside and
/// inside character classes; everything else is kept as written.
pub(crate) fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let in_class = class_depth > 0;
                match (next, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('w', false) => out.push_str("[0-9A-Za-z_]"),
                    ('w', true) => out.push_str("0-9A-Za-z_"),
                    ('s', false) => out.push_str(r"[\t\n\x0B\x0C\r ]"),
                    ('s', true) => out.push_str(r"\t\n\x0B\x0C\r "),
                    ('D', false) => out.push_str("[^0-9]"),
                    ('W', false) => out.push_str("[^0-9A-Za-z_]"),
                    ('S', false) => out.push_str(r"[^\t\n\x0B\x0C\r ]"),
                    ('b', false) => out.push_str(r"(?-u:\b)"),
                    ('B', false) => out.push_str(r"(?-u:\B)"),
                    (other, _) => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' => {
                class_depth += 1;
                out.push('[');
                // A `]` right after `[` or `[^` is a literal in both syntaxes.
                let mut lookahead = chars.clone();
                match lookahead.next() {
                    Some('^') => {
                        out.push('^');
                        chars.next();
                        if lookahead.next() == Some(']') {
                            out.push_str(r"\]");
                            chars.next();
                        }
                    }
                    Some(']') => {
                        out.push_str(r"\]");
                        chars.next();
                    }
                    _ => {}
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(']');
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ascii_classes;

    #[test]
    fn classes_become_ascii_outside_and_inside_brackets() {
        assert_eq!(ascii_classes(r"(\d+)\.(\w)"), r"([0-9]+)\.([0-9A-Za-z_])");
        assert_eq!(ascii_classes(r"[\d.]+"), r"[0-9.]+");
        assert_eq!(ascii_classes(r"\bBot\b"), r"(?-u:\b)Bot(?-u:\b)");
        assert_eq!(ascii_classes(r"a\\d"), r"a\\d");
        assert_eq!(ascii_classes(r"[^\]x]\d"), r"[^\]x][0-9]");
    }

    #[test]
    fn rewritten_patterns_match_like_java() {
        let re = regex::Regex::new(&ascii_classes(r"^\d+$")).unwrap();
        assert!(re.is_match("123"));
        assert!(!re.is_match("١٢٣"));
        let re = regex::Regex::new(&ascii_classes(r"\bx\b")).unwrap();
        assert!(re.is_match("a x b"));
    }
}
