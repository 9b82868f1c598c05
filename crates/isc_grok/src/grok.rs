//! A compiled grok expression and the captures it extracts.

use isc_value::Value;
use onig::{MatchParam, Regex, RegexOptions, Region, SearchOptions, Syntax};

use crate::expression::to_regex;
use crate::{GrokError, PatternBank};
use isc_value::java_number;

/// The field `trace_match` fills with the index of the matching pattern.
pub const MATCH_INDEX_FIELD: &str = "_ingest._grok_match_index";

/// A grok expression compiled once into an Oniguruma regex, with the
/// capture table needed to turn a match into field values.
#[derive(Debug)]
pub struct Grok {
    regex: Regex,
    captures: Vec<CaptureSpec>,
    fields: Vec<String>,
}

/// One named group of the compiled expression (all groups sharing a name).
#[derive(Debug)]
struct CaptureSpec {
    /// The field name: the part after the first `:` of the group name.
    field: String,
    /// The conversion given after the second `:`.
    kind: CaptureKind,
    /// Group numbers carrying this name, in pattern order.
    groups: Vec<usize>,
    /// Index of `field` in [`Grok::fields`].
    field_index: usize,
}

/// The value type of a capture (`%{PATTERN:field:type}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaptureKind {
    String,
    Int,
    Long,
    Float,
    Double,
    Boolean,
}

impl CaptureKind {
    /// Elasticsearch's names; anything else reads as a string.
    fn from_name(name: &str) -> CaptureKind {
        match name {
            "int" => CaptureKind::Int,
            "long" => CaptureKind::Long,
            "float" => CaptureKind::Float,
            "double" => CaptureKind::Double,
            "boolean" => CaptureKind::Boolean,
            _ => CaptureKind::String,
        }
    }

    fn convert(self, text: &str) -> Result<Value, GrokError> {
        let converted = match self {
            CaptureKind::String => Ok(Value::String(text.to_owned())),
            CaptureKind::Int => java_number::parse_int(text).map(Value::Int),
            CaptureKind::Long => java_number::parse_long(text).map(Value::Long),
            CaptureKind::Float => java_number::parse_float(text).map(Value::Float),
            CaptureKind::Double => java_number::parse_double(text).map(Value::Double),
            CaptureKind::Boolean => Ok(Value::Bool(java_number::parse_boolean(text))),
        };
        converted.map_err(GrokError::Conversion)
    }
}

/// The values one match produced, in the order Elasticsearch sets them.
///
/// A field captured more than once in the same match holds a list, as in
/// Elasticsearch 8.12 and later.
#[derive(Debug, Default, PartialEq)]
pub struct Captures<'g> {
    entries: Vec<(&'g str, Value)>,
    indices: Vec<usize>,
}

impl<'g> Captures<'g> {
    /// Field names and values.
    pub fn iter(&self) -> impl Iterator<Item = (&'g str, &Value)> {
        self.entries.iter().map(|(k, v)| (*k, v))
    }

    /// Values with the index of their field in [`Grok::fields`], so callers
    /// can keep per-field data (compiled paths) without looking names up.
    pub fn into_indexed(self) -> impl Iterator<Item = (usize, Value)> {
        self.indices
            .into_iter()
            .zip(self.entries.into_iter().map(|(_, v)| v))
    }

    /// The value captured for `field`.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| *k == field)
            .map(|(_, v)| v)
    }

    /// Number of distinct fields captured.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the match captured nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn add(&mut self, field: &'g str, index: usize, value: Value) {
        match self.entries.iter_mut().find(|(k, _)| *k == field) {
            Some((_, Value::List(values))) => values.push(value),
            Some((_, existing)) => {
                let first = std::mem::take(existing);
                *existing = Value::List(vec![first, value]);
            }
            None => {
                self.entries.push((field, value));
                self.indices.push(index);
            }
        }
    }
}

impl<'g> IntoIterator for Captures<'g> {
    type Item = (&'g str, Value);
    type IntoIter = std::vec::IntoIter<(&'g str, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl Grok {
    /// Compiles one grok expression against `bank`.
    pub fn compile(bank: &PatternBank, expression: &str) -> Result<Grok, GrokError> {
        let regex_text = to_regex(bank, expression)?;
        let regex =
            Regex::with_options(&regex_text, RegexOptions::REGEX_OPTION_NONE, Syntax::ruby())
                .map_err(|e| GrokError::Regex(e.description().to_owned()))?;
        let mut captures: Vec<CaptureSpec> = Vec::new();
        regex.foreach_name(|name, groups| {
            let parts = java_split_colon(name);
            let field = if parts.len() >= 2 { parts[1] } else { parts[0] };
            let kind = if parts.len() == 3 {
                CaptureKind::from_name(parts[2])
            } else {
                CaptureKind::String
            };
            let mut groups: Vec<usize> = groups.iter().map(|g| *g as usize).collect();
            groups.sort_unstable();
            captures.push(CaptureSpec {
                field: field.to_owned(),
                kind,
                groups,
                field_index: 0,
            });
            true
        });
        // Joni walks names in the order they first appear in the pattern.
        captures.sort_by_key(|c| c.groups.first().copied().unwrap_or(usize::MAX));
        let mut fields: Vec<String> = Vec::new();
        for spec in &mut captures {
            spec.field_index = match fields.iter().position(|f| *f == spec.field) {
                Some(i) => i,
                None => {
                    fields.push(spec.field.clone());
                    fields.len() - 1
                }
            };
        }
        Ok(Grok {
            regex,
            captures,
            fields,
        })
    }

    /// Compiles the grok processor's list of expressions: one alone, or
    /// several as alternatives tried in order. With `trace_match`, each
    /// alternative is a group named `_ingest._grok_match_index.N`.
    pub fn compile_alternatives(
        bank: &PatternBank,
        expressions: &[String],
        trace_match: bool,
    ) -> Result<Grok, GrokError> {
        Grok::compile(bank, &combine_alternatives(expressions, trace_match))
    }

    /// Whether the expression matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> Result<bool, GrokError> {
        Ok(self.search(text, None)?.is_some())
    }

    /// Searches `text` and returns the captured fields, or `None` when the
    /// expression does not match.
    pub fn captures(&self, text: &str) -> Result<Option<Captures<'_>>, GrokError> {
        let mut region = Region::new();
        if self.search(text, Some(&mut region))?.is_none() {
            return Ok(None);
        }
        let mut out = Captures {
            entries: Vec::with_capacity(self.captures.len()),
            indices: Vec::with_capacity(self.captures.len()),
        };
        for spec in &self.captures {
            for &group in &spec.groups {
                if let Some((start, end)) = region.pos(group) {
                    let slice = text.get(start..end).unwrap_or_default();
                    out.add(&spec.field, spec.field_index, spec.kind.convert(slice)?);
                }
            }
        }
        Ok(Some(out))
    }

    /// The distinct field names this expression can capture, in the order
    /// Elasticsearch sets them.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// The field name of the first named capture (what `redact` replaces a
    /// match with), if there is one.
    pub fn first_capture_name(&self) -> Option<&str> {
        self.captures.first().map(|c| c.field.as_str())
    }

    /// Byte ranges of the successive matches of the whole expression, as
    /// Elasticsearch's `redact` finds them: search from the end of the
    /// previous match (one character on after an empty match) until the
    /// search position reaches the end of the text.
    pub fn match_ranges(&self, text: &str) -> Result<Vec<(usize, usize)>, GrokError> {
        let mut found = Vec::new();
        let mut offset = 0;
        loop {
            let mut region = Region::new();
            if self.search_from(text, offset, Some(&mut region))?.is_none() {
                break;
            }
            let Some((start, end)) = region.pos(0) else {
                break;
            };
            found.push((start, end));
            offset = if end == offset {
                next_char_boundary(text, offset)
            } else {
                end
            };
            if offset >= text.len() {
                break;
            }
        }
        Ok(found)
    }

    fn search(&self, text: &str, region: Option<&mut Region>) -> Result<Option<usize>, GrokError> {
        self.search_from(text, 0, region)
    }

    fn search_from(
        &self,
        text: &str,
        from: usize,
        region: Option<&mut Region>,
    ) -> Result<Option<usize>, GrokError> {
        self.regex
            .search_with_param(
                text,
                from,
                text.len(),
                SearchOptions::SEARCH_OPTION_NONE,
                region,
                MatchParam::default(),
            )
            .map_err(|_| GrokError::Interrupted)
    }
}

/// The grok processor's pattern combination.
pub fn combine_alternatives(expressions: &[String], trace_match: bool) -> String {
    if expressions.len() == 1 {
        return expressions[0].clone();
    }
    let mut combined = String::new();
    for (i, expression) in expressions.iter().enumerate() {
        if !combined.is_empty() {
            combined.push('|');
        }
        if trace_match {
            combined.push_str(&format!("(?<{MATCH_INDEX_FIELD}.{i}>{expression})"));
        } else {
            combined.push_str(&format!("(?:{expression})"));
        }
    }
    combined
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    let mut next = at + 1;
    while next < text.len() && !text.is_char_boundary(next) {
        next += 1;
    }
    next
}

/// Java's `String.split(":")`: trailing empty parts are dropped.
fn java_split_colon(text: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = text.split(':').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EcsCompatibility;
    use indexmap::IndexMap;

    fn legacy() -> &'static PatternBank {
        PatternBank::builtin(EcsCompatibility::Disabled)
    }

    fn compile(expr: &str) -> Grok {
        Grok::compile(legacy(), expr).unwrap_or_else(|e| panic!("{e}"))
    }

    fn capture_json(grok: &Grok, text: &str) -> String {
        match grok.captures(text) {
            Ok(Some(c)) => {
                let map: isc_value::Map = c.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                isc_value::to_json_string(&Value::Map(map))
            }
            Ok(None) => "no match".to_owned(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn documented_example_extracts_fields() {
        let grok = compile(
            "%{IP:client} %{WORD:method} %{URIPATHPARAM:request} %{NUMBER:bytes:int} %{NUMBER:duration:double}",
        );
        assert_eq!(
            capture_json(&grok, "55.3.244.1 GET /index.html 15824 0.043"),
            r#"{"client":"55.3.244.1","method":"GET","request":"/index.html","bytes":15824,"duration":0.043}"#
        );
    }

    #[test]
    fn typed_captures_convert_like_java() {
        let grok =
            compile("%{NUMBER:f:float} %{NUMBER:l:long} %{WORD:b:boolean} %{WORD:s:nosuchtype}");
        let caps = grok.captures("1.5 12 TRUE x").ok().flatten();
        let caps = caps.unwrap_or_default();
        assert_eq!(caps.get("f"), Some(&Value::Float(1.5)));
        assert_eq!(caps.get("l"), Some(&Value::Long(12)));
        assert_eq!(caps.get("b"), Some(&Value::Bool(true)));
        assert_eq!(caps.get("s"), Some(&Value::String("x".into())));
    }

    #[test]
    fn failed_int_conversion_is_an_error() {
        let grok = compile("%{NUMBER:n:int}");
        assert_eq!(
            capture_json(&grok, "1.5"),
            "error: For input string: \"1.5\""
        );
    }

    #[test]
    fn repeated_field_becomes_a_list_only_when_captured_twice() {
        let grok = compile("%{INT:n}(?: %{INT:n})?");
        assert_eq!(capture_json(&grok, "1"), r#"{"n":"1"}"#);
        assert_eq!(capture_json(&grok, "1 2"), r#"{"n":["1","2"]}"#);
    }

    #[test]
    fn unmatched_optional_groups_are_left_out() {
        let grok = compile("%{WORD:a}(?: %{WORD:b})?");
        assert_eq!(capture_json(&grok, "x"), r#"{"a":"x"}"#);
    }

    #[test]
    fn raw_named_groups_and_empty_captures_count() {
        let grok = compile("(?<a>x*)-(?<nested.field>y)");
        assert_eq!(capture_json(&grok, "-y"), r#"{"a":"","nested.field":"y"}"#);
    }

    #[test]
    fn search_is_unanchored() {
        let grok = compile("%{INT:n}");
        assert_eq!(capture_json(&grok, "abc 42 def"), r#"{"n":"42"}"#);
        assert_eq!(capture_json(&grok, "abc"), "no match");
    }

    #[test]
    fn alternatives_with_trace_match_name_the_matching_index() {
        let exprs = vec!["%{INT:n}x".to_owned(), "%{WORD:w}".to_owned()];
        let grok =
            Grok::compile_alternatives(legacy(), &exprs, true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            capture_json(&grok, "hello"),
            r#"{"_ingest._grok_match_index.1":"hello","w":"hello"}"#
        );
    }

    #[test]
    fn custom_definitions_work() {
        let mut extra = IndexMap::new();
        extra.insert("FAVORITE_DOG".to_owned(), "beagle".to_owned());
        extra.insert("RGB".to_owned(), "RED|GREEN|BLUE".to_owned());
        let bank = legacy()
            .extend_with(&extra)
            .unwrap_or_else(|e| panic!("{e}"));
        let grok = Grok::compile(&bank, "%{FAVORITE_DOG:pet}").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(capture_json(&grok, "I love beagles"), r#"{"pet":"beagle"}"#);
    }

    #[test]
    fn ecs_patterns_use_dotted_names() {
        let grok = Grok::compile(PatternBank::builtin(EcsCompatibility::V1), "%{SYSLOGBASE}")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            capture_json(&grok, "Mar  1 12:00:00 host sshd[12]:"),
            r#"{"timestamp":"Mar  1 12:00:00","host.hostname":"host","process.name":"sshd","process.pid":12}"#
        );
    }

    /// Every built-in pattern compiles, except the `ecs-v1` ones that
    /// Elasticsearch itself ships broken: its conversion of `[a][b]` field
    /// names to `a.b` also rewrote escaped brackets (`\[%{HTTPDATE}\]`
    /// became `\%{HTTPDATE}\`), so these fail in Elasticsearch too.
    #[test]
    fn every_builtin_pattern_compiles_except_elasticsearchs_broken_ones() {
        let known_broken = [
            "S3_ACCESS_LOG",
            "EXIM_REMOTE_HOST",
            "EXIM_NAMED_FIELDS",
            "EXIM_MESSAGE_ARRIVAL",
            "EXIM",
            "CISCOFW106023",
            "CISCOFW106100_2_3",
            "CISCOFW106100",
        ];
        for mode in [EcsCompatibility::Disabled, EcsCompatibility::V1] {
            let bank = PatternBank::builtin(mode);
            let failures: Vec<&str> = bank
                .iter()
                .filter(|(name, _)| Grok::compile(bank, &format!("%{{{name}}}")).is_err())
                .map(|(name, _)| name)
                .collect();
            let expected: &[&str] = match mode {
                EcsCompatibility::Disabled => &[],
                EcsCompatibility::V1 => &known_broken,
            };
            assert_eq!(failures, expected, "{mode:?}");
        }
    }

    #[test]
    fn well_known_log_formats_parse() {
        let grok = compile("%{COMBINEDAPACHELOG}");
        let caps = grok
            .captures(r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08""#)
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(
            caps.get("clientip"),
            Some(&Value::String("127.0.0.1".into()))
        );
        assert_eq!(caps.get("auth"), Some(&Value::String("frank".into())));
        assert_eq!(caps.get("response"), Some(&Value::String("200".into())));
        assert_eq!(
            caps.get("agent"),
            Some(&Value::String("\"Mozilla/4.08\"".into()))
        );
        let ecs = Grok::compile(
            PatternBank::builtin(EcsCompatibility::V1),
            "%{COMBINEDAPACHELOG}",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let caps = ecs
            .captures(r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "-" "Mozilla/4.08""#)
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(
            caps.get("source.address"),
            Some(&Value::String("127.0.0.1".into()))
        );
        assert_eq!(
            caps.get("http.response.status_code"),
            Some(&Value::Int(200))
        );
        assert_eq!(
            caps.get("http.response.body.bytes"),
            Some(&Value::Int(2326))
        );
        assert_eq!(caps.get("http.request.referrer"), None);
    }

    #[test]
    fn invalid_regex_reports_the_engine_message() {
        let err = Grok::compile(legacy(), "(?<a>x")
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("end pattern")));
    }

    #[test]
    fn redact_ranges_find_every_match() {
        let grok = compile("%{IP:client}");
        let ranges = grok.match_ranges("a 1.2.3.4 b 5.6.7.8").unwrap_or_default();
        assert_eq!(ranges, [(2, 9), (12, 19)]);
        assert_eq!(grok.first_capture_name(), Some("client"));
    }
}
