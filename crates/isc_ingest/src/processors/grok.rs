//! `grok`: Elasticsearch's `GrokProcessor`. Matches a string field against
//! grok expressions (tried in order) and sets the named captures.
//! Options: `field`, `patterns`, `pattern_definitions`, `trace_match`,
//! `ignore_missing`, `ecs_compatibility` (`disabled` by default).
//!
//! Matching runs on Oniguruma, the engine Elasticsearch's Joni ports; a
//! match that exceeds Oniguruma's backtracking limit fails with the
//! message of Elasticsearch's one-second watchdog.

use indexmap::IndexMap;
use isc_grok::{EcsCompatibility, Grok, MATCH_INDEX_FIELD, PatternBank};
use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `grok` processor.
#[derive(Debug)]
pub struct GrokProcessor {
    field: FieldPath,
    grok: Grok,
    /// One compiled path per capture field, indexed like `Grok::fields`.
    targets: Vec<FieldPath>,
    pattern_count: usize,
    trace_match: bool,
    ignore_missing: bool,
}

/// Reads `patterns` (a list of strings) for `grok` and `redact`.
pub(crate) fn read_patterns(config: &mut ProcessorConfig) -> Result<Vec<String>, ConfigError> {
    let items = config.required_list("patterns")?;
    Ok(items
        .into_iter()
        .map(|v| match v {
            Value::String(s) => s,
            other => other.to_java_string(),
        })
        .collect())
}

/// Reads `pattern_definitions` (a map of names to definitions).
pub(crate) fn read_definitions(
    config: &mut ProcessorConfig,
) -> Result<IndexMap<String, String>, ConfigError> {
    Ok(config
        .optional_map("pattern_definitions")?
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_java_string(),
            };
            (k, text)
        })
        .collect())
}

/// Java's `List.toString()` of the patterns.
pub(crate) fn java_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let patterns = read_patterns(config)?;
    let trace_match = config.bool_or("trace_match", false)?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let mode_text = config.string_or("ecs_compatibility", "disabled")?;
    let Some(mode) = EcsCompatibility::from_option(&mode_text) else {
        return Err(config.error(
            "ecs_compatibility",
            format!("unsupported mode '{mode_text}'"),
        ));
    };
    if patterns.is_empty() {
        return Err(config.error("patterns", "List of patterns must not be empty"));
    }
    let definitions = read_definitions(config)?;
    let bank = PatternBank::builtin(mode)
        .extend_with(&definitions)
        .map_err(|e| config.general_error(e.to_string()))?;
    let grok = Grok::compile_alternatives(&bank, &patterns, trace_match).map_err(|e| {
        config.error(
            "patterns",
            format!(
                "Invalid regex pattern found in: {}. {e}",
                java_list(&patterns)
            ),
        )
    })?;
    let targets = grok.fields().iter().map(|f| FieldPath::new(f)).collect();
    Ok(Box::new(GrokProcessor {
        field: FieldPath::new(&field),
        grok,
        targets,
        pattern_count: patterns.len(),
        trace_match,
        ignore_missing,
    }))
}

impl Processor for GrokProcessor {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let captures = {
            let Some(text) = doc.string_to_process(&self.field, self.ignore_missing)? else {
                return Ok(Flow::Continue);
            };
            match self.grok.captures(text) {
                Ok(Some(c)) => c.into_indexed().collect::<Vec<_>>(),
                Ok(None) => {
                    return Err(IngestError::illegal_argument(format!(
                        "Provided Grok expressions do not match field value: [{text}]"
                    )));
                }
                Err(e) => return Err(grok_error(e)),
            }
        };
        for (index, value) in captures {
            if let Some(path) = self.targets.get(index) {
                doc.set(path, value)?;
            }
        }
        if self.trace_match {
            let match_field = FieldPath::new(MATCH_INDEX_FIELD);
            let index = if self.pattern_count > 1 {
                match doc.get(&match_field) {
                    Ok(Value::Map(m)) => m.keys().next().cloned(),
                    _ => None,
                }
            } else {
                Some("0".to_owned())
            };
            if let Some(index) = index {
                doc.set(&match_field, Value::String(index))?;
            }
        }
        Ok(Flow::Continue)
    }
}

/// Grok errors at match time: conversions fail with Java's
/// `NumberFormatException`, timeouts with a runtime exception.
pub(crate) fn grok_error(e: isc_grok::GrokError) -> IngestError {
    match e {
        isc_grok::GrokError::Conversion(message) => crate::java_number::number_format(message),
        isc_grok::GrokError::Interrupted => IngestError::new("runtime_exception", e.to_string()),
        other => IngestError::illegal_argument(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn documented_example() {
        assert_eq!(
            run(
                r#"[{"grok":{"field":"message","patterns":["%{IP:client} %{WORD:method} %{URIPATHPARAM:request} %{NUMBER:bytes:int} %{NUMBER:duration:double}"]}}]"#,
                r#"{"message":"55.3.244.1 GET /index.html 15824 0.043"}"#
            )
            .unwrap(),
            r#"{"message":"55.3.244.1 GET /index.html 15824 0.043","client":"55.3.244.1","method":"GET","request":"/index.html","bytes":15824,"duration":0.043}"#
        );
    }

    #[test]
    fn custom_definitions_and_trace_match() {
        let out = run(
            r#"[{"grok":{"field":"message","patterns":["%{FAVORITE_DOG:pet}","%{FAVORITE_CAT:pet}"],"pattern_definitions":{"FAVORITE_DOG":"beagle","FAVORITE_CAT":"burmese"},"trace_match":true}},
               {"set":{"field":"idx","copy_from":"_ingest._grok_match_index"}}]"#,
            r#"{"message":"I love burmese cats!"}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"message":"I love burmese cats!","pet":"burmese","idx":"1"}"#
        );
        let single = run(
            r#"[{"grok":{"field":"m","patterns":["%{WORD:w}"],"trace_match":true}},{"set":{"field":"idx","copy_from":"_ingest._grok_match_index"}}]"#,
            r#"{"m":"x"}"#,
        )
        .unwrap();
        assert_eq!(single, r#"{"m":"x","w":"x","idx":"0"}"#);
    }

    #[test]
    fn dotted_names_nest_and_ecs_mode_uses_ecs_names() {
        assert_eq!(
            run(
                r#"[{"grok":{"field":"m","patterns":["%{SYSLOGPROG}"],"ecs_compatibility":"v1"}}]"#,
                r#"{"m":"sshd[42]"}"#
            )
            .unwrap(),
            r#"{"m":"sshd[42]","process":{"name":"sshd","pid":42}}"#
        );
        assert_eq!(
            run(
                r#"[{"grok":{"field":"m","patterns":["%{SYSLOGPROG}"]}}]"#,
                r#"{"m":"sshd[42]"}"#
            )
            .unwrap(),
            r#"{"m":"sshd[42]","program":"sshd","pid":"42"}"#
        );
    }

    #[test]
    fn failures_have_elasticsearch_messages() {
        assert_eq!(
            run_err(
                r#"[{"grok":{"field":"m","patterns":["%{INT:n}"]}}]"#,
                r#"{"m":"abc"}"#
            ),
            "Provided Grok expressions do not match field value: [abc]"
        );
        assert_eq!(
            run_err(
                r#"[{"grok":{"field":"m","patterns":["%{INT:n}"]}}]"#,
                r#"{"m":null}"#
            ),
            "field [m] is null, cannot process it."
        );
        assert_eq!(
            run_err(
                r#"[{"grok":{"field":"m","patterns":["%{INT:n}"]}}]"#,
                r#"{}"#
            ),
            "field [m] not present as part of path [m]"
        );
        assert_eq!(
            run(
                r#"[{"grok":{"field":"m","patterns":["%{INT:n}"],"ignore_missing":true}}]"#,
                r#"{}"#
            )
            .unwrap(),
            "{}"
        );
        assert_eq!(
            run_err(
                r#"[{"grok":{"field":"m","patterns":["%{NUMBER:n:int}"]}}]"#,
                r#"{"m":"1.5"}"#
            ),
            "For input string: \"1.5\""
        );
    }

    #[test]
    fn configuration_errors() {
        assert_eq!(
            config_err(r#"[{"grok":{"field":"m","patterns":["%{NOTONE:x}"]}}]"#),
            "[patterns] Invalid regex pattern found in: [%{NOTONE:x}]. Unable to find pattern [NOTONE] in Grok's pattern dictionary"
        );
        assert_eq!(
            config_err(r#"[{"grok":{"field":"m","patterns":[]}}]"#),
            "[patterns] List of patterns must not be empty"
        );
        assert_eq!(
            config_err(r#"[{"grok":{"field":"m","patterns":["x"],"ecs_compatibility":"v2"}}]"#),
            "[ecs_compatibility] unsupported mode 'v2'"
        );
        assert_eq!(
            config_err(
                r#"[{"grok":{"field":"m","patterns":["%{A}"],"pattern_definitions":{"A":"%{B}","B":"%{A}"}}}]"#
            ),
            "circular reference detected: A->B->A"
        );
        assert_eq!(
            config_err(r#"[{"grok":{"field":"m"}}]"#),
            "[patterns] required property is missing"
        );
    }
}
