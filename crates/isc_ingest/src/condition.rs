//! Painless in pipelines: `if` conditions and `script` sources, compiled
//! once at load time.
//!
//! The Painless interpreter (crate `isc_painless`) is not wired in yet:
//! scripts are accepted at load time and fail when they run, with an
//! `illegal_argument_exception` saying so.

use isc_value::{Map, Value};

use crate::document::Document;
use crate::error::{ConfigError, IngestError};

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
                params: Map::new(),
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
                    _ => Map::new(),
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
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    script: ScriptSource,
}

impl Condition {
    /// Compiles an `if` value.
    pub fn compile(value: &Value) -> Result<Condition, ConfigError> {
        Ok(Condition {
            script: ScriptSource::from_value(value)?,
        })
    }

    /// The condition's source text.
    pub fn source(&self) -> &str {
        &self.script.source
    }

    /// Evaluates the condition against the document (read-only `ctx`).
    pub fn evaluate(&self, _doc: &Document) -> Result<bool, IngestError> {
        Err(painless_missing(&self.script.source))
    }
}

/// A compiled `script` processor source.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    script: ScriptSource,
}

impl Script {
    /// Compiles a script.
    pub fn compile(script: ScriptSource) -> Result<Script, ConfigError> {
        Ok(Script { script })
    }

    /// The script's source text.
    pub fn source(&self) -> &str {
        &self.script.source
    }

    /// Runs the script with `ctx` read-write.
    pub fn execute(&self, _doc: &mut Document) -> Result<(), IngestError> {
        Err(painless_missing(&self.script.source))
    }
}

fn painless_missing(source: &str) -> IngestError {
    IngestError::illegal_argument(format!(
        "Painless is not available in this build of the ingest engine; cannot run script [{source}]"
    ))
}
