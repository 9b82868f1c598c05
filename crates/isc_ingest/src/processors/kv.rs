//! `kv`: Elasticsearch's `KeyValueProcessor`. Splits a string into
//! `key=value` pairs with Java regular expressions (`field_split`,
//! `value_split`) and sets each key, appending on repeats. Options:
//! `field` and `target_field` (templates), `include_keys`, `exclude_keys`,
//! `prefix`, `trim_key`, `trim_value`, `strip_brackets`, `ignore_missing`.
//!
//! Known difference: the separators are Java regexes run by fancy-regex, so
//! the text of a syntax error differs from Java's `PatternSyntaxException`.

use std::collections::HashSet;

use fancy_regex::Regex;
use isc_value::Value;

use super::java_regex;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::{PathTemplate, Template};

/// The `kv` processor.
#[derive(Debug)]
pub struct KeyValue {
    field: PathTemplate,
    target_field: Option<Template>,
    field_split: Splitter,
    value_split: Splitter,
    value_split_text: String,
    include_keys: Option<HashSet<String>>,
    exclude_keys: Option<HashSet<String>>,
    prefix: String,
    trim_key: Option<Regex>,
    trim_value: Option<Regex>,
    strip_brackets: bool,
    ignore_missing: bool,
}

/// A compiled `field_split` / `value_split`. Short separators compile
/// lazily in Elasticsearch, so a bad one fails per document.
#[derive(Debug)]
enum Splitter {
    Ready(Regex),
    Broken(String),
}

impl Splitter {
    fn new(config: &ProcessorConfig, name: &str, text: &str) -> Result<Splitter, ConfigError> {
        let short =
            text.chars().count() < 2 || (text.chars().count() == 2 && text.starts_with('\\'));
        match java_regex::compile(text) {
            Ok(re) => Ok(Splitter::Ready(re)),
            Err(e) if short => Ok(Splitter::Broken(e)),
            Err(e) => Err(config.error(name, e)),
        }
    }

    /// `Pattern.split(text, limit)`.
    fn split<'t>(&self, text: &'t str, limit: usize) -> Result<Vec<&'t str>, IngestError> {
        let re = match self {
            Splitter::Ready(re) => re,
            Splitter::Broken(e) => {
                return Err(IngestError::new("pattern_syntax_exception", e.clone()));
            }
        };
        let mut parts: Vec<&str> = Vec::new();
        let mut index = 0;
        let mut matched = false;
        for m in re.find_iter(text) {
            let m = m.map_err(|e| IngestError::illegal_argument(e.to_string()))?;
            if limit > 0 && parts.len() >= limit - 1 {
                break;
            }
            if index == 0 && m.start() == 0 && m.end() == 0 {
                continue;
            }
            matched = true;
            parts.push(&text[index..m.start()]);
            index = m.end();
        }
        if !matched {
            return Ok(vec![text]);
        }
        parts.push(&text[index..]);
        if limit == 0 {
            while parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
        }
        Ok(parts)
    }
}

fn trimmer(
    config: &ProcessorConfig,
    name: &str,
    chars: Option<String>,
) -> Result<Option<Regex>, ConfigError> {
    chars
        .map(|t| {
            java_regex::compile(&format!("(^([{t}]+))|([{t}]+$)"))
                .map_err(|e| config.error(name, e))
        })
        .transpose()
}

fn key_set(list: Option<Vec<String>>) -> Option<HashSet<String>> {
    list.map(|l| l.into_iter().collect())
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = PathTemplate::new(config.required_template("field")?);
    let target_field = config.optional_template("target_field")?;
    let field_split_text = config.required_string("field_split")?;
    let value_split_text = config.required_string("value_split")?;
    let trim_key = config.optional_string("trim_key")?;
    let trim_value = config.optional_string("trim_value")?;
    let prefix = config.optional_string("prefix")?.unwrap_or_default();
    let strip_brackets = config.bool_or("strip_brackets", false)?;
    let include_keys = key_set(config.optional_string_list("include_keys")?);
    let exclude_keys = key_set(config.optional_string_list("exclude_keys")?);
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let field_split = Splitter::new(config, "field_split", &field_split_text)?;
    let value_split = Splitter::new(config, "value_split", &value_split_text)?;
    let trim_key = trimmer(config, "trim_key", trim_key)?;
    let trim_value = trimmer(config, "trim_value", trim_value)?;
    Ok(Box::new(KeyValue {
        field,
        target_field,
        field_split,
        value_split,
        value_split_text,
        include_keys,
        exclude_keys,
        prefix,
        trim_key,
        trim_value,
        strip_brackets,
        ignore_missing,
    }))
}

/// Removes one leading `( [ < " '` and one trailing `] ) > " '`.
fn strip_brackets(value: &str) -> String {
    let mut text = value;
    if text.starts_with(['(', '[', '<', '"', '\'']) {
        text = &text[1..];
    }
    if text.ends_with([']', ')', '>', '"', '\'']) {
        text = &text[..text.len() - 1];
    }
    text.to_owned()
}

fn trim(re: &Option<Regex>, text: &str) -> Result<String, IngestError> {
    match re {
        None => Ok(text.to_owned()),
        Some(re) => java_regex::replace_all(re, text, ""),
    }
}

impl KeyValue {
    fn keep(&self, key: &str) -> bool {
        self.include_keys.as_ref().is_none_or(|s| s.contains(key))
            && self.exclude_keys.as_ref().is_none_or(|s| !s.contains(key))
    }
}

impl Processor for KeyValue {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let target = self
            .target_field
            .as_ref()
            .map(|t| t.render(doc).into_owned())
            .unwrap_or_default();
        let path_prefix = if target.is_empty() {
            self.prefix.clone()
        } else {
            format!("{target}.{}", self.prefix)
        };
        let path = self.field.resolve(doc);
        let path_text = path.as_str();
        if path_text.is_empty() || !doc.has_strict(&path)? {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            return Err(IngestError::illegal_argument(format!(
                "field [{path_text}] doesn't exist"
            )));
        }
        let value = match doc.get_string(&path, self.ignore_missing)? {
            Some(v) => v.to_owned(),
            None if self.ignore_missing => return Ok(Flow::Continue),
            None => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{path_text}] is null, cannot extract key-value pairs."
                )));
            }
        };
        for part in self.field_split.split(&value, 0)? {
            let kv = self.value_split.split(part, 2)?;
            if kv.len() != 2 {
                return Err(IngestError::illegal_argument(format!(
                    "field [{path_text}] does not contain value_split [{}]",
                    self.value_split_text
                )));
            }
            let key = trim(&self.trim_key, kv[0])?;
            if !self.keep(&key) {
                continue;
            }
            let raw = if self.strip_brackets {
                strip_brackets(kv[1])
            } else {
                kv[1].to_owned()
            };
            let value = trim(&self.trim_value, &raw)?;
            let target = FieldPath::new(&format!("{path_prefix}{key}"));
            if doc.has(&target)? {
                doc.append(&target, Value::String(value), true)?;
            } else {
                doc.set(&target, Value::String(value))?;
            }
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{run, run_err};

    #[test]
    fn documented_example() {
        assert_eq!(
            run(
                r#"[{"kv":{"field":"message","field_split":" ","value_split":"="}}]"#,
                r#"{"message":"ip=1.2.3.4 error=REFUSED"}"#
            )
            .unwrap(),
            r#"{"message":"ip=1.2.3.4 error=REFUSED","ip":"1.2.3.4","error":"REFUSED"}"#
        );
    }

    #[test]
    fn repeated_keys_append_and_options_apply() {
        assert_eq!(
            run(
                r#"[{"kv":{"field":"m","field_split":"&","value_split":"=","target_field":"t","prefix":"p_","exclude_keys":["b"]}}]"#,
                r#"{"m":"a=1&a=2&b=3"}"#
            )
            .unwrap(),
            r#"{"m":"a=1&a=2&b=3","t":{"p_a":["1","2"]}}"#
        );
        assert_eq!(
            run(
                r#"[{"kv":{"field":"m","field_split":"\\s*,\\s*","value_split":":","trim_key":" ","trim_value":" ","strip_brackets":true,"include_keys":["k","q"]}}]"#,
                r#"{"m":" k :(v) , q:<w>, z:1"}"#
            )
            .unwrap(),
            r#"{"m":" k :(v) , q:<w>, z:1","k":"v","q":"w"}"#
        );
    }

    #[test]
    fn failures_have_elasticsearch_messages() {
        assert_eq!(
            run_err(
                r#"[{"kv":{"field":"m","field_split":" ","value_split":"="}}]"#,
                r#"{"m":"a=1 b"}"#
            ),
            "field [m] does not contain value_split [=]"
        );
        assert_eq!(
            run_err(
                r#"[{"kv":{"field":"m","field_split":" ","value_split":"="}}]"#,
                r#"{}"#
            ),
            "field [m] doesn't exist"
        );
        assert_eq!(
            run_err(
                r#"[{"kv":{"field":"m","field_split":" ","value_split":"="}}]"#,
                r#"{"m":null}"#
            ),
            "field [m] is null, cannot extract key-value pairs."
        );
        assert_eq!(
            run(r#"[{"kv":{"field":"m","field_split":" ","value_split":"=","ignore_missing":true}}]"#, r#"{}"#).unwrap(),
            "{}"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_text_panics(text in "[a=&, ()<>\"'\u{e9}]{0,30}", strip in proptest::bool::ANY) {
            let processors = format!(
                r#"[{{"kv":{{"field":"m","field_split":"&|,","value_split":"=","trim_key":" ","trim_value":" ","strip_brackets":{strip},"ignore_missing":true}}}}]"#
            );
            let source = serde_json::json!({ "m": text }).to_string();
            let _ = run(&processors, &source);
        }
    }
}
