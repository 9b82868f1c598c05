//! Painless in pipelines: `if` conditions and `script` sources, compiled
//! once at load time by `isc_painless`.
//!
//! Scripts see `ctx`: the source fields and the metadata keys, as
//! Elasticsearch's `IngestCtxMap` gives them; like Elasticsearch (issue
//! elastic/elasticsearch#60470) they do not see the `_ingest` metadata, so
//! `ctx._ingest` is null even inside `foreach`. A compile error rejects the
//! pipeline; a runtime error fails the document with a `script_exception`
//! whose cause is the Java exception (its message becomes
//! `_ingest.on_failure_message`).

use isc_value::{Map, Value};

use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::metadata::{self, MetadataSnapshot};

/// A script reference as Elasticsearch accepts it: a source string, or a
/// map with `source` (or stored-script `id`), `lang` and `params`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptSource {
    /// The Painless source.
    pub source: String,
    /// `params`, given to the script as `params`.
    pub params: Map,
}

impl ScriptSource {
    /// Reads an `if` value or a `script` processor's options.
    pub fn from_value(value: &Value) -> Result<ScriptSource, ConfigError> {
        match value {
            Value::String(s) => Ok(ScriptSource {
                source: s.clone(),
                params: Map::default(),
            }),
            Value::Map(m) => {
                if m.contains_key("id") {
                    return Err(ConfigError::of_kind(
                        crate::error::ILLEGAL_ARGUMENT,
                        "stored scripts are not supported offline",
                    ));
                }
                let source = match m.get("source") {
                    Some(Value::String(s)) => s.clone(),
                    _ => {
                        return Err(ConfigError::of_kind(
                            crate::error::PARSE_EXCEPTION,
                            "must specify either [source] for an inline script or [id] for a stored script",
                        ));
                    }
                };
                if let Some(lang) = m.get("lang").and_then(Value::as_str) {
                    if lang != "painless" {
                        return Err(ConfigError::of_kind(
                            crate::error::ILLEGAL_ARGUMENT,
                            format!("script_lang not supported [{lang}]"),
                        ));
                    }
                }
                let params = match m.get("params") {
                    Some(Value::Map(p)) => p.clone(),
                    _ => Map::default(),
                };
                Ok(ScriptSource { source, params })
            }
            other => Err(ConfigError::of_kind(
                crate::error::PARSE_EXCEPTION,
                format!(
                    "unexpected value for a script: [{}]",
                    other.to_java_string()
                ),
            )),
        }
    }
}

/// A compiled `if` condition.
#[derive(Debug)]
pub struct Condition {
    script: ScriptSource,
    compiled: isc_painless::Script,
}

impl Condition {
    /// Compiles an `if` value.
    pub fn compile(value: &Value) -> Result<Condition, ConfigError> {
        let script = ScriptSource::from_value(value)?;
        let compiled = compile_painless(&script.source)?;
        Ok(Condition { script, compiled })
    }

    /// The condition's source text.
    pub fn source(&self) -> &str {
        &self.script.source
    }

    /// Evaluates the condition against the document (read-only `ctx`).
    pub fn evaluate(&self, doc: &Document) -> Result<bool, IngestError> {
        self.compiled
            .condition(doc.ctx(), &self.script.params)
            .map_err(runtime_error)
    }
}

/// A compiled `script` processor source.
#[derive(Debug)]
pub struct Script {
    script: ScriptSource,
    compiled: isc_painless::Script,
}

impl Script {
    /// Compiles a script. Elasticsearch compiles `script` processor sources
    /// as void scripts, so a trailing expression that is not a statement
    /// (`ctx.a == 1`) is a compile error here, though valid as a condition.
    pub fn compile(script: ScriptSource) -> Result<Script, ConfigError> {
        let compiled = compile_painless(&script.source)?;
        compiled.check_as_script().map_err(compile_error)?;
        Ok(Script { script, compiled })
    }

    /// The script's source text.
    pub fn source(&self) -> &str {
        &self.script.source
    }

    /// Runs the script with `ctx` read-write. Writes to metadata keys
    /// (`ctx._index = 1`, `ctx.remove('_version')`) are checked as they
    /// happen, as Elasticsearch's ingest `ctx` checks them: a refused one
    /// throws at that statement. What the interpreter does not see as a
    /// write to `ctx` (`putAll`, `compute`, views, entries) is checked when
    /// the script returns, and a refused change fails the script then.
    pub fn execute(&self, doc: &mut Document) -> Result<(), IngestError> {
        let snapshot = MetadataSnapshot::take(doc.ctx());
        let ran = self
            .compiled
            .execute_guarded(doc.ctx_mut(), &self.script.params, &MetadataRules)
            .map_err(runtime_error);
        // Checked on failure too, so a refused metadata value never stays.
        let checked = snapshot
            .verify(doc.ctx_mut())
            .map_err(|e| IngestError::new("script_exception", "runtime error").with_cause(e));
        ran.and(checked)
    }
}

/// The metadata rules of [`crate::metadata`] for Painless writes to `ctx`.
struct MetadataRules;

impl isc_painless::CtxGuard for MetadataRules {
    fn guards(&self, key: &str) -> bool {
        metadata::is_governed(key)
    }

    fn check_put(&self, key: &str, value: &Value) -> Result<(), String> {
        metadata::check_update(key, value).map_err(|e| e.reason)
    }

    fn check_remove(&self, key: &str) -> Result<(), String> {
        metadata::check_removal(key).map_err(|e| e.reason)
    }
}

fn compile_painless(source: &str) -> Result<isc_painless::Script, ConfigError> {
    isc_painless::compile(source).map_err(compile_error)
}

/// A Painless compile error as Elasticsearch reports it at pipeline load.
fn compile_error(e: isc_painless::CompileError) -> ConfigError {
    let exception = e.to_script_exception();
    ConfigError::of_kind(
        "script_exception",
        format!(
            "{}: {} ({})",
            exception.reason,
            exception.caused_by_reason,
            exception.script_stack.join(" ")
        ),
    )
}

/// A Painless runtime error as Elasticsearch reports it: a
/// `script_exception` ("runtime error") caused by the Java exception.
fn runtime_error(e: isc_painless::ScriptError) -> IngestError {
    let exception = e.to_script_exception();
    IngestError::new("script_exception", exception.reason.clone()).with_cause(IngestError::new(
        exception.caused_by_type.clone(),
        exception.caused_by_reason.clone(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run};

    #[test]
    fn if_conditions_select_processors() {
        let p = r#"[{"set":{"field":"a","value":1,"if":"ctx.x == 'y'"}},{"set":{"field":"b","value":2,"if":"ctx.x != 'y'"}}]"#;
        assert_eq!(run(p, r#"{"x":"y"}"#).unwrap(), r#"{"x":"y","a":1}"#);
    }

    #[test]
    fn scripts_change_ctx_and_see_params() {
        let p = r#"[{"script":{"source":"ctx.n = params.k + ctx.a.length()","params":{"k":10}}}]"#;
        assert_eq!(run(p, r#"{"a":"abc"}"#).unwrap(), r#"{"a":"abc","n":13}"#);
        let p = r#"[{"script":"ctx.b = ctx.a.toUpperCase()"}]"#;
        assert_eq!(run(p, r#"{"a":"x"}"#).unwrap(), r#"{"a":"x","b":"X"}"#);
    }

    #[test]
    fn scripts_do_not_see_ingest_metadata() {
        let p = r#"[{"script":{"source":"ctx.seen = ctx._ingest == null"}}]"#;
        assert_eq!(run(p, "{}").unwrap(), r#"{"seen":true}"#);
    }

    #[test]
    fn runtime_errors_are_script_exceptions_with_the_java_cause() {
        let p = r#"[{"script":{"source":"ctx.a.b.c = 1","tag":"s1"}}]"#;
        let e = run(p, "{}").unwrap_err();
        assert_eq!(e.kind, "script_exception");
        assert_eq!(e.reason, "runtime error");
        assert_eq!(e.root_cause().kind, "null_pointer_exception");
        assert_eq!(e.processor_type(), Some("script"));
        assert_eq!(e.processor_tag(), Some("s1"));
    }

    #[test]
    fn failing_conditions_report_the_conditional_wrapper() {
        let p = r#"[{"set":{"field":"a","value":1,"if":"ctx.x.y == 1","tag":"t"}}]"#;
        let e = run(p, "{}").unwrap_err();
        assert_eq!(e.processor_type(), Some("conditional"));
        assert_eq!(e.processor_tag(), Some("t"));
    }

    #[test]
    fn compile_errors_reject_the_pipeline() {
        assert!(config_err(r#"[{"script":{"source":"ctx.a = "}}]"#).starts_with("compile error"));
        assert!(
            config_err(r#"[{"set":{"field":"a","value":1,"if":"ctx.a ==="}}]"#)
                .starts_with("compile error")
        );
    }

    #[test]
    fn a_bare_expression_is_a_condition_but_not_a_script() {
        let err = config_err(r#"[{"script":{"source":"ctx.a == 1"}}]"#);
        assert!(err.starts_with("compile error"), "{err}");
        assert_eq!(
            run(
                r#"[{"set":{"field":"b","value":2,"if":"ctx.a == 1"}}]"#,
                r#"{"a":1}"#
            )
            .unwrap(),
            r#"{"a":1,"b":2}"#
        );
    }
}
