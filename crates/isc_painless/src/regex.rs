//! Regex literals: Java `java.util.regex` syntax run on fancy-regex, Java
//! replacement strings, and Elasticsearch's regex limit factor.

use std::fmt;

/// Elasticsearch's default `script.painless.regex.limit-factor`.
pub const REGEX_LIMIT_FACTOR: usize = 6;

/// A compiled regex literal `/pattern/flags`.
pub struct CompiledRegex {
    /// The pattern as written.
    pub pattern: String,
    /// Flag letters as written.
    pub flags: String,
    /// The compiled form (`find`).
    pub regex: fancy_regex::Regex,
    /// The pattern anchored at both ends (`matches`, `==~`).
    pub whole: fancy_regex::Regex,
    /// The pattern anchored at the start (`lookingAt`).
    pub prefix: fancy_regex::Regex,
}

impl fmt::Debug for CompiledRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/{}", self.pattern, self.flags)
    }
}

impl CompiledRegex {
    /// Compiles `pattern` with Java flag letters (`i`, `m`, `s`, `x`, `u`,
    /// `U`, `l`); `c` (canonical equivalence) is refused.
    pub fn new(pattern: &str, flags: &str) -> Result<CompiledRegex, String> {
        let mut prefix = String::new();
        let mut literal = false;
        for f in flags.chars() {
            match f {
                'i' => prefix.push_str("(?i)"),
                'm' => prefix.push_str("(?m)"),
                's' => prefix.push_str("(?s)"),
                'x' => prefix.push_str("(?x)"),
                'u' | 'U' => {}
                'l' => literal = true,
                other => return Err(format!("unsupported: regex flag [{other}]")),
            }
        }
        let body = if literal {
            fancy_regex::escape(pattern).into_owned()
        } else {
            translate_java_syntax(
                pattern,
                flags.contains('m'),
                flags.contains('U'),
                flags.contains('s') || pattern.contains("(?s"),
            )?
        };
        let build = |text: String| {
            fancy_regex::RegexBuilder::new(&text)
                .backtrack_limit(1_000_000)
                .build()
                .map_err(|e| format!("invalid regex [{pattern}]: {e}"))
        };
        Ok(CompiledRegex {
            pattern: pattern.to_owned(),
            flags: flags.to_owned(),
            regex: build(format!("{prefix}{body}"))?,
            whole: build(format!(r"\A(?:{prefix}{body})\z"))?,
            prefix: build(format!(r"\A(?:{prefix}{body})"))?,
        })
    }
}

/// Rewrites the Java-only constructs we support into fancy-regex syntax and
/// refuses the ones we do not.
///
/// Java's predefined classes are ASCII-only unless `U` is set, where Rust's
/// are Unicode, so `\\w`, `\\d`, `\\s` and `\\b` are spelled out as ASCII;
/// `\\h`, `\\v`, `\\R` and `\\Z` mean different things in the two engines;
/// and Java's `$` also matches before a final line terminator.
fn translate_java_syntax(
    pattern: &str,
    multiline: bool,
    unicode: bool,
    dotall: bool,
) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    // Depth of `[...]` character classes we are inside.
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        if c != '\\' {
            match c {
                '[' => class_depth += 1,
                ']' if class_depth > 0 => class_depth -= 1,
                '$' if class_depth == 0 && !multiline => {
                    out.push_str(r"(?=\n?\z)");
                    continue;
                }
                // Java's `.` stops at every line terminator, not just `\n`.
                '.' if class_depth == 0 && !dotall => {
                    out.push_str(r"[^\n\r\x{85}\x{2028}\x{2029}]");
                    continue;
                }
                _ => {}
            }
            out.push(c);
            continue;
        }
        let in_class = class_depth > 0;
        let ascii_class = |name: &str, negate: bool| -> String {
            match (in_class, negate) {
                (false, false) => format!("[[:{name}:]]"),
                (false, true) => format!("[^[:{name}:]]"),
                (true, false) => format!("[:{name}:]"),
                (true, true) => format!("[:^{name}:]"),
            }
        };
        match chars.peek().copied() {
            Some('w') | Some('W') | Some('d') | Some('D') | Some('s') | Some('S') if !unicode => {
                let letter = chars.next().unwrap_or('w');
                let name = match letter.to_ascii_lowercase() {
                    'w' => "word",
                    'd' => "digit",
                    _ => "space",
                };
                out.push_str(&ascii_class(name, letter.is_ascii_uppercase()));
                continue;
            }
            Some('b') if !in_class && !unicode => {
                chars.next();
                out.push_str(r"(?-u:\b)");
                continue;
            }
            Some('B') if !in_class && !unicode => {
                chars.next();
                out.push_str(r"(?-u:\B)");
                continue;
            }
            Some('h') | Some('H') => {
                let negate = chars.next() == Some('H');
                let set = r" \t\xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}";
                out.push_str(&match (in_class, negate) {
                    (true, false) => set.to_owned(),
                    (false, false) => format!("[{set}]"),
                    (_, true) => format!("[^{set}]"),
                });
                continue;
            }
            Some('v') | Some('V') => {
                let negate = chars.next() == Some('V');
                let set = r"\n\x0B\x0C\r\x{85}\x{2028}\x{2029}";
                out.push_str(&match (in_class, negate) {
                    (true, false) => set.to_owned(),
                    (false, false) => format!("[{set}]"),
                    (_, true) => format!("[^{set}]"),
                });
                continue;
            }
            Some('R') if !in_class => {
                chars.next();
                out.push_str(r"(?:\r\n|[\n\x0B\x0C\r\x{85}\x{2028}\x{2029}])");
                continue;
            }
            Some('Z') if !in_class => {
                chars.next();
                out.push_str(r"(?=\n?\z)");
                continue;
            }
            _ => {}
        }
        match chars.next() {
            Some(letter @ ('p' | 'P')) if chars.peek() == Some(&'{') => {
                let negate = letter == 'P';
                let mut name = String::new();
                chars.next();
                for n in chars.by_ref() {
                    if n == '}' {
                        break;
                    }
                    name.push(n);
                }
                let class = match name.as_str() {
                    "Alpha" | "IsAlphabetic" => "[a-zA-Z]",
                    "Digit" | "IsDigit" => "[0-9]",
                    "Alnum" => "[a-zA-Z0-9]",
                    "Upper" | "Lu" | "IsUppercase" => "[A-Z]",
                    "Lower" | "Ll" | "IsLowercase" => "[a-z]",
                    "Punct" => r##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"##,
                    "Space" | "IsWhite_Space" => r"[ \t\n\x0B\f\r]",
                    "XDigit" => "[0-9a-fA-F]",
                    "ASCII" => r"[\x00-\x7F]",
                    "L" | "IsL" => r"\p{L}",
                    "N" => r"\p{N}",
                    other => return Err(format!("unsupported: regex class [\\p{{{other}}}]")),
                };
                match (negate, class.strip_prefix('[')) {
                    (true, Some(rest)) => {
                        out.push_str("[^");
                        out.push_str(rest);
                    }
                    (true, None) => out.push_str(&class.replace("\\p", "\\P")),
                    (false, _) => out.push_str(class),
                }
            }
            Some('Q') => {
                let mut lit = String::new();
                loop {
                    match chars.next() {
                        None => break,
                        Some('\\') if chars.peek() == Some(&'E') => {
                            chars.next();
                            break;
                        }
                        Some(x) => lit.push(x),
                    }
                }
                out.push_str(&fancy_regex::escape(&lit));
            }
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => return Err("unexpected internal error: trailing backslash in regex".to_owned()),
        }
    }
    Ok(out)
}

/// Expands a Java replacement string (`$1`, `${name}`, `\$`) for one match.
pub fn expand_replacement(
    replacement: &str,
    caps: &fancy_regex::Captures<'_>,
    out: &mut String,
) -> Result<(), String> {
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => out.push(n),
                None => return Err("character to be escaped is missing".to_owned()),
            },
            '$' => {
                if chars.peek() == Some(&'{') {
                    chars.next();
                    let mut name = String::new();
                    for n in chars.by_ref() {
                        if n == '}' {
                            break;
                        }
                        name.push(n);
                    }
                    match caps.name(&name) {
                        Some(m) => out.push_str(m.as_str()),
                        None => return Err(format!("No group with name {{{name}}}")),
                    }
                } else {
                    let mut digits = String::new();
                    while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                        let candidate = format!("{digits}{d}");
                        let n: usize = candidate.parse().unwrap_or(usize::MAX);
                        if !digits.is_empty() && n >= caps.len() {
                            break;
                        }
                        digits = candidate;
                        chars.next();
                    }
                    if digits.is_empty() {
                        return Err("Illegal group reference".to_owned());
                    }
                    let n: usize = digits.parse().unwrap_or(usize::MAX);
                    if n >= caps.len() {
                        return Err(format!("No group {n}"));
                    }
                    if let Some(m) = caps.get(n) {
                        out.push_str(m.as_str());
                    }
                }
            }
            other => out.push(other),
        }
    }
    Ok(())
}

/// The message of the `CircuitBreakingException` Painless raises when a
/// regex reads more characters than the limit factor allows.
pub fn limit_message(pattern: &str, input: &str) -> String {
    let len = input.encode_utf16().count();
    let limit = len * REGEX_LIMIT_FACTOR;
    format!(
        "[scripting] Regular expression considered too many characters, pattern: [{pattern}], \
         limit factor: [{REGEX_LIMIT_FACTOR}], char limit: [{limit}], count: [{}], wrapped: [{}], \
         this limit can be changed by changed by the [script.painless.regex.limit-factor] setting",
        limit + 1,
        snippet(input)
    )
}

fn snippet(input: &str) -> String {
    const MAX: usize = 64;
    if input.chars().count() <= MAX {
        input.to_owned()
    } else {
        let head: String = input.chars().take(MAX - 3).collect();
        format!("{head}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_replacement_groups_expand() {
        let re = CompiledRegex::new("([a-z])([A-Z])", "").unwrap();
        let caps = re.regex.captures("aB").unwrap().unwrap();
        let mut out = String::new();
        expand_replacement("$1_$2\\$", &caps, &mut out).unwrap();
        assert_eq!(out, "a_B$");
    }

    #[test]
    fn flags_apply() {
        let re = CompiledRegex::new("abc", "i").unwrap();
        assert!(re.regex.is_match("xABCx").unwrap());
        assert!(
            CompiledRegex::new("a.c", "l")
                .unwrap()
                .regex
                .is_match("a.c")
                .unwrap()
        );
    }

    #[test]
    fn predefined_classes_are_ascii_like_java() {
        let word = CompiledRegex::new(r"^\w+$", "").unwrap();
        assert!(word.regex.is_match("abc_1").unwrap());
        assert!(!word.regex.is_match("héllo").unwrap());
        let dollar = CompiledRegex::new("abc$", "").unwrap();
        assert!(dollar.regex.is_match("abc\n").unwrap());
        let class = CompiledRegex::new(r"^[\w.-]+@[\d]+$", "").unwrap();
        assert!(class.regex.is_match("a.b-c@12").unwrap());
        let h = CompiledRegex::new(r"a\hb", "").unwrap();
        assert!(h.regex.is_match("a b").unwrap());
        assert!(!h.regex.is_match("a1b").unwrap());
    }

    #[test]
    fn posix_classes_translate() {
        let re = CompiledRegex::new(r"^\p{Alpha}+$", "").unwrap();
        assert!(re.regex.is_match("abc").unwrap());
        assert!(!re.regex.is_match("ab1").unwrap());
    }
}
