//! Dissect: splitting a string by the literal delimiters of a pattern such
//! as `%{a} %{b},%{c}`, with Elasticsearch's modifiers (`->` padding, `+`
//! append, `+key/N` ordered append, `*`/`&` reference pairs, `?` skip) and
//! its error texts.

mod key;

use indexmap::IndexMap;

use isc_value::java_hashmap_order_with_capacity;
use key::{DissectKey, Modifier};

/// Errors of dissect patterns and matching, with Elasticsearch's messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DissectError {
    /// The pattern as a whole is unusable.
    #[error("Unable to parse pattern: {pattern} Reason: {reason}")]
    PatternParse {
        /// The pattern.
        pattern: String,
        /// Why.
        reason: String,
    },
    /// One key is unusable.
    #[error("Unable to parse key: {key} Reason: {reason}")]
    KeyParse {
        /// The key text between `%{` and `}`.
        key: String,
        /// Why.
        reason: &'static str,
    },
    /// The input does not fit the pattern.
    #[error("Unable to find match for dissect pattern: {pattern} against source: {source_text}")]
    FindMatch {
        /// The pattern.
        pattern: String,
        /// The input.
        source_text: String,
    },
    /// An ordered-append position beyond Java's `short` range.
    #[error("{0}")]
    Number(String),
    /// A `&key` without its `*key` value: Elasticsearch fails setting a
    /// field with a null name.
    #[error("path cannot be null nor empty")]
    NullFieldName,
}

/// A key and the delimiter that follows it.
#[derive(Debug, Clone)]
struct Pair {
    key: DissectKey,
    delimiter: String,
}

/// A compiled dissect pattern.
#[derive(Debug, Clone)]
pub struct DissectParser {
    pattern: String,
    append_separator: String,
    leading_delimiter: String,
    pairs: Vec<Pair>,
    max_matches: usize,
    max_results: usize,
    append_count: usize,
    reference_count: usize,
}

/// The fields one successful dissect produced, in the order Elasticsearch
/// sets them. A value is `None` only for a `*key` whose `&key` was never
/// filled, which Elasticsearch stores as null.
pub type DissectResult = Vec<(String, Option<String>)>;

impl DissectParser {
    /// Parses `pattern`; `append_separator` joins appended values.
    pub fn new(pattern: &str, append_separator: &str) -> Result<DissectParser, DissectError> {
        let leading_delimiter = leading_delimiter(pattern);
        let mut pairs = Vec::new();
        for (key, delimiter) in key_delimiter_pairs(&pattern[leading_delimiter.len()..]) {
            pairs.push(Pair {
                key: DissectKey::parse(key)?,
                delimiter: delimiter.to_owned(),
            });
        }
        let max_matches = pairs.len();
        let mut result_names: Vec<&str> = Vec::new();
        for pair in pairs.iter().filter(|p| !p.key.skip) {
            if !result_names.contains(&pair.key.name.as_str()) {
                result_names.push(&pair.key.name);
            }
        }
        let max_results = result_names.len();
        if max_matches == 0 || max_results == 0 {
            return Err(DissectError::PatternParse {
                pattern: pattern.to_owned(),
                reason: "Unable to find any keys or delimiters.".to_owned(),
            });
        }
        let mut append_names: Vec<String> = Vec::new();
        for pair in &pairs {
            if matches!(
                pair.key.modifier,
                Modifier::Append | Modifier::AppendWithOrder
            ) && !append_names.contains(&pair.key.name)
            {
                append_names.push(pair.key.name.clone());
            }
        }
        if !append_names.is_empty() {
            for pair in &mut pairs {
                if pair.key.modifier == Modifier::None && append_names.contains(&pair.key.name) {
                    pair.key = pair.key.with_modifier(Modifier::Append);
                }
            }
        }
        let mut references: IndexMap<String, Vec<String>> = IndexMap::new();
        for pair in &pairs {
            if matches!(
                pair.key.modifier,
                Modifier::FieldName | Modifier::FieldValue
            ) {
                references
                    .entry(pair.key.name.clone())
                    .or_default()
                    .push(pair.key.name.clone());
            }
        }
        let names: Vec<&String> = references.keys().collect();
        for index in java_hashmap_order_with_capacity(&names, 16) {
            let group = &references[index];
            if group.len() != 2 {
                return Err(DissectError::PatternParse {
                    pattern: pattern.to_owned(),
                    reason: format!(
                        "Found invalid key/reference associations: '{}' Please ensure each '*<key>' is matched with a matching '&<key>",
                        group.join(",")
                    ),
                });
            }
        }
        Ok(DissectParser {
            pattern: pattern.to_owned(),
            append_separator: append_separator.to_owned(),
            leading_delimiter: leading_delimiter.to_owned(),
            max_matches,
            max_results,
            append_count: append_names.len(),
            reference_count: references.len() * 2,
            pairs,
        })
    }

    /// Dissects `input`, failing with Elasticsearch's "Unable to find match"
    /// message when it does not fit.
    pub fn parse(&self, input: &str) -> Result<DissectResult, DissectError> {
        match self.try_parse(input)? {
            Some(result) => Ok(result),
            None => Err(DissectError::FindMatch {
                pattern: self.pattern.clone(),
                source_text: input.to_owned(),
            }),
        }
    }

    /// Dissects `input`; `None` when it does not fit.
    fn try_parse(&self, input: &str) -> Result<Option<DissectResult>, DissectError> {
        let mut state = MatchState::new(self);
        let leading_units = utf16_len(&self.leading_delimiter);
        if utf16_len(input) > leading_units && utf16_prefix_eq(input, &self.leading_delimiter) {
            self.walk(input.as_bytes(), leading_units, &mut state);
        }
        state.finish(self)
    }

    /// Elasticsearch's byte walk: find each delimiter in turn, give the
    /// bytes before it to the current key, treat repeated delimiters as
    /// empty values unless the key has `->`.
    fn walk<'p>(&'p self, input: &[u8], start: usize, state: &mut MatchState<'p>) {
        let mut pairs = self.pairs.iter();
        let Some(mut pair) = pairs.next() else {
            return;
        };
        let mut delimiter = pair.delimiter.as_bytes();
        let mut i = start;
        let mut value_start = i;
        'outer: while i < input.len() {
            if delimiter.is_empty() || input[i] != delimiter[0] {
                i += 1;
                continue;
            }
            if !delimiter_at(input, i, delimiter) {
                i += 1;
                continue;
            }
            state.add(
                &pair.key,
                bytes_to_string(input.get(value_start..i).unwrap_or_default()),
            );
            i += delimiter.len();
            while i < input.len() && delimiter_at(input, i, delimiter) {
                i += delimiter.len();
                if !pair.key.skip_right_padding {
                    match pairs.next() {
                        Some(next) => pair = next,
                        None => break,
                    }
                    state.add(&pair.key, String::new());
                }
            }
            match pairs.next() {
                Some(next) => pair = next,
                None => break 'outer,
            }
            delimiter = pair.delimiter.as_bytes();
            value_start = i;
        }
        if !state.fully_matched() && delimiter.is_empty() {
            state.add(
                &pair.key,
                bytes_to_string(input.get(value_start..).unwrap_or_default()),
            );
        }
    }
}

/// Whether the whole `delimiter` is at `input[i..]`.
fn delimiter_at(input: &[u8], i: usize, delimiter: &[u8]) -> bool {
    input.get(i..i + delimiter.len()) == Some(delimiter)
}

fn bytes_to_string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// Java's `delimiter.equals(input.substring(0, delimiter.length()))`.
fn utf16_prefix_eq(input: &str, prefix: &str) -> bool {
    let mut a = input.encode_utf16();
    prefix.encode_utf16().all(|unit| a.next() == Some(unit))
}

/// Text before the first `%{`, as `^(.*?)%\{` finds it (no line breaks).
fn leading_delimiter(pattern: &str) -> &str {
    match pattern.find("%{") {
        Some(at) if !pattern[..at].contains(is_java_line_break) => &pattern[..at],
        _ => "",
    }
}

fn is_java_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Successive matches of `%\{([^}]*?)}(.+?(?=%\{)|.*$)` (dot matching all):
/// a key up to the first `}`, then the delimiter up to the next `%{` at
/// least one character on, or to the end.
fn key_delimiter_pairs(text: &str) -> Vec<(&str, &str)> {
    let mut pairs = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find("%{") {
        let start = from + offset;
        let key_start = start + 2;
        let Some(close) = text[key_start..].find('}') else {
            from = start + 1;
            continue;
        };
        let key = &text[key_start..key_start + close];
        let rest_start = key_start + close + 1;
        let rest = &text[rest_start..];
        let first_char = rest.chars().next().map_or(0, char::len_utf8);
        let delimiter_len = if first_char == 0 {
            0
        } else {
            rest[first_char..]
                .find("%{")
                .map_or(rest.len(), |at| at + first_char)
        };
        pairs.push((key, &rest[..delimiter_len]));
        from = rest_start + delimiter_len;
        if from >= text.len() {
            break;
        }
    }
    pairs
}

/// Values collected during one parse.
struct MatchState<'p> {
    matches: usize,
    max_matches: usize,
    implicit_append_order: i32,
    simple: IndexMap<&'p str, String>,
    references: IndexMap<&'p str, (Option<String>, Option<String>)>,
    appends: IndexMap<&'p str, Vec<(i32, String)>>,
}

impl<'p> MatchState<'p> {
    fn new(parser: &DissectParser) -> MatchState<'p> {
        MatchState {
            matches: 0,
            max_matches: parser.max_matches,
            implicit_append_order: -1000,
            simple: IndexMap::new(),
            references: IndexMap::new(),
            appends: IndexMap::new(),
        }
    }

    fn add(&mut self, key: &'p DissectKey, value: String) {
        self.matches += 1;
        if key.skip {
            return;
        }
        match key.modifier {
            Modifier::None => {
                self.simple.insert(&key.name, value);
            }
            Modifier::Append => {
                let order = self.implicit_append_order;
                self.implicit_append_order += 1;
                self.appends
                    .entry(&key.name)
                    .or_default()
                    .push((order, value));
            }
            Modifier::AppendWithOrder => {
                self.appends
                    .entry(&key.name)
                    .or_default()
                    .push((key.append_position, value));
            }
            Modifier::FieldName => {
                self.references.entry(&key.name).or_default().0 = Some(value);
            }
            Modifier::FieldValue => {
                self.references.entry(&key.name).or_default().1 = Some(value);
            }
            Modifier::NamedSkip => {}
        }
    }

    fn fully_matched(&self) -> bool {
        self.matches == self.max_matches
    }

    /// Builds the result map the way Elasticsearch fills its `HashMap`s and
    /// checks it is complete.
    fn finish(self, parser: &DissectParser) -> Result<Option<DissectResult>, DissectError> {
        if self.matches != parser.max_matches {
            return Ok(None);
        }
        let simple_count = parser
            .max_matches
            .saturating_sub(parser.reference_count + parser.append_count);
        // Entries in insertion order into Elasticsearch's `results` map.
        let mut inserted: Vec<(Option<String>, Option<String>)> = Vec::new();
        let simple_keys: Vec<&str> = self.simple.keys().copied().collect();
        for index in java_hashmap_order_with_capacity(&simple_keys, simple_count) {
            if let Some((k, v)) = self.simple.get_index(index) {
                inserted.push((Some((*k).to_owned()), Some(v.clone())));
            }
        }
        let reference_keys: Vec<&str> = self.references.keys().copied().collect();
        for index in java_hashmap_order_with_capacity(&reference_keys, parser.reference_count) {
            if let Some((_, (name, value))) = self.references.get_index(index) {
                inserted.push((name.clone(), value.clone()));
            }
        }
        let append_keys: Vec<&str> = self.appends.keys().copied().collect();
        for index in java_hashmap_order_with_capacity(&append_keys, parser.append_count) {
            if let Some((k, values)) = self.appends.get_index(index) {
                let mut values = values.clone();
                values.sort_by_key(|(order, _)| *order);
                let joined: Vec<&str> = values.iter().map(|(_, v)| v.as_str()).collect();
                inserted.push((
                    Some((*k).to_owned()),
                    Some(joined.join(&parser.append_separator)),
                ));
            }
        }
        let mut results: IndexMap<Option<String>, Option<String>> = IndexMap::new();
        for (k, v) in inserted {
            results.insert(k, v);
        }
        if results.len() != parser.max_results {
            return Ok(None);
        }
        let names: Vec<String> = results
            .keys()
            .map(|k| k.clone().unwrap_or_default())
            .collect();
        let mut out = Vec::with_capacity(results.len());
        for index in java_hashmap_order_with_capacity(&names, parser.max_results) {
            if let Some((k, v)) = results.get_index(index) {
                match k {
                    Some(k) => out.push((k.clone(), v.clone())),
                    None => return Err(DissectError::NullFieldName),
                }
            }
        }
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dissect(pattern: &str, input: &str) -> String {
        dissect_with(pattern, input, "")
    }

    fn dissect_with(pattern: &str, input: &str, separator: &str) -> String {
        let parser = match DissectParser::new(pattern, separator) {
            Ok(p) => p,
            Err(e) => return format!("error: {e}"),
        };
        match parser.parse(input) {
            Ok(mut fields) => {
                fields.sort();
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("null")))
                    .collect::<Vec<_>>()
                    .join(" | ")
            }
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn documented_apache_example() {
        assert_eq!(
            dissect(
                r#"%{clientip} %{ident} %{auth} [%{@timestamp}] "%{verb} %{request} HTTP/%{httpversion}" %{status} %{size}"#,
                r#"1.2.3.4 - - [30/Apr/1998:22:00:52 +0000] "GET /english/venues/cities/images/montpellier/18.gif HTTP/1.0" 200 3171"#
            ),
            "@timestamp=30/Apr/1998:22:00:52 +0000 | auth=- | clientip=1.2.3.4 | httpversion=1.0 | ident=- | request=/english/venues/cities/images/montpellier/18.gif | size=3171 | status=200 | verb=GET"
        );
    }

    #[test]
    fn right_padding_skips_repeated_delimiters() {
        assert_eq!(
            dissect("%{ts->} %{level}", "1998-08-10T17:15:42,466          WARN"),
            "level=WARN | ts=1998-08-10T17:15:42,466"
        );
        assert_eq!(
            dissect(
                "[%{ts}]%{->}[%{level}]",
                "[1998-08-10T17:15:42,466]            [WARN]"
            ),
            "level=WARN | ts=1998-08-10T17:15:42,466"
        );
    }

    #[test]
    fn consecutive_delimiters_without_padding_are_empty_values() {
        assert_eq!(
            dissect("%{a},%{b},%{c},%{d}", "foo,,,"),
            "a=foo | b= | c= | d="
        );
    }

    #[test]
    fn append_joins_with_separator_and_order() {
        assert_eq!(
            dissect_with(
                "%{+name} %{+name} %{+name} %{+name}",
                "john jacob jingleheimer schmidt",
                " "
            ),
            "name=john jacob jingleheimer schmidt"
        );
        assert_eq!(
            dissect_with(
                "%{+name/2} %{+name/4} %{+name/3} %{+name/1}",
                "john jacob jingleheimer schmidt",
                ","
            ),
            "name=schmidt,john,jingleheimer,jacob"
        );
        assert_eq!(dissect("%{a} %{+a} %{+a}", "foo bar baz"), "a=foobarbaz");
    }

    #[test]
    fn reference_keys_name_fields() {
        assert_eq!(
            dissect(
                "[%{ts}] [%{level}] %{*p1}:%{&p1} %{*p2}:%{&p2}",
                "[2018-08-10T17:15:42,466] [ERR] ip:1.2.3.4 error:REFUSED"
            ),
            "error=REFUSED | ip=1.2.3.4 | level=ERR | ts=2018-08-10T17:15:42,466"
        );
    }

    #[test]
    fn skip_keys_are_dropped() {
        assert_eq!(
            dissect("%{a} %{?skipme} %{c}", "foo bar baz"),
            "a=foo | c=baz"
        );
        assert_eq!(dissect("%{a} %{} %{c}", "foo bar baz"), "a=foo | c=baz");
    }

    #[test]
    fn mismatch_has_elasticsearch_message() {
        assert_eq!(
            dissect("%{a},%{b}:%{c}", "foo,bar,baz"),
            "error: Unable to find match for dissect pattern: %{a},%{b}:%{c} against source: foo,bar,baz"
        );
        assert_eq!(
            dissect("x%{a}", "y1"),
            "error: Unable to find match for dissect pattern: x%{a} against source: y1"
        );
    }

    #[test]
    fn pattern_errors_have_elasticsearch_messages() {
        assert_eq!(
            dissect("no keys", "x"),
            "error: Unable to parse pattern: no keys Reason: Unable to find any keys or delimiters."
        );
        assert_eq!(
            dissect("%{*a} %{b}", "x y"),
            "error: Unable to parse pattern: %{*a} %{b} Reason: Found invalid key/reference associations: 'a' Please ensure each '*<key>' is matched with a matching '&<key>"
        );
    }

    #[test]
    fn adjacent_keys_take_the_rest_as_delimiter() {
        // `%{a}%{b}`: the second key becomes part of the first key's delimiter.
        assert_eq!(dissect("%{a}%{b}", "x%{b}"), "a=x");
    }

    #[test]
    fn leading_delimiter_must_match() {
        assert_eq!(dissect("<%{a}>", "<x>"), "a=x");
    }
}
