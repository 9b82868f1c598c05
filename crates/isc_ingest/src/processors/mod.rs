//! The processors, one per file, and the registry that lists them.
//!
//! # Adding a processor
//!
//! 1. Create `src/processors/<type>.rs` with a `//!` doc naming the
//!    Elasticsearch class it follows, an options struct, and
//!    `pub(crate) fn create(config: &mut ProcessorConfig, ctx: &FactoryContext) -> Result<Box<dyn Processor>, ConfigError>`.
//! 2. In `create`, read each option with [`ProcessorConfig`] (`required_string`,
//!    `bool_or`, `optional_template`, ...): they produce `ConfigurationUtils`'
//!    messages. Leftover options are rejected for you afterwards.
//! 3. Field names become [`FieldPath`]s (or [`Template`]s when Elasticsearch
//!    compiles the option as a template), compiled once in `create`.
//! 4. Implement [`Processor::process`]: read and write through
//!    [`Document`] (`get`, `get_string`, `set`, `append`, `remove`, `has`),
//!    fail with [`IngestError::illegal_argument`] and Elasticsearch's text.
//!    Handle `ignore_missing` yourself; never `if`/`tag`/`on_failure`/`ignore_failure`.
//! 5. Add `mod <type>;` and a `("<type>", <type>::create)` line to
//!    [`FACTORIES`]; put unit tests with Elasticsearch's exact messages at the
//!    bottom of the file (`crate::processors::test_support` runs a one-processor pipeline).
//!
//! [`ProcessorConfig`]: crate::config::ProcessorConfig
//! [`FieldPath`]: crate::field_path::FieldPath
//! [`Template`]: crate::template::Template
//! [`Processor::process`]: crate::processor::Processor::process
//! [`Document`]: crate::document::Document
//! [`IngestError::illegal_argument`]: crate::error::IngestError::illegal_argument

use crate::processor::Factory;

mod append;
mod bytes;
mod community_id;
mod convert;
mod csv;
mod date;
mod date_index_name;
mod dissect;
mod dot_expander;
mod drop;
pub mod enrichment;
mod fail;
mod fingerprint;
mod foreach;
mod geoip;
mod grok;
mod gsub;
mod html_strip;
mod java_regex;
mod java_uri;
mod join;
mod json;
mod kv;
mod lowercase;
mod network_direction;
mod pipeline;
mod redact;
mod registered_domain;
mod remove;
mod rename;
mod reroute;
mod script;
mod set;
mod sort;
mod split;
mod string_field;
mod terminate;
mod trim;
mod uppercase;
mod uri_parts;
mod urldecode;
mod user_agent;

/// Every processor type, by name.
pub const FACTORIES: &[(&str, Factory)] = &[
    ("community_id", community_id::create),
    ("redact", redact::create),
    ("kv", kv::create),
    ("grok", grok::create),
    ("dissect", dissect::create),
    ("date_index_name", date_index_name::create),
    ("date", date::create),
    ("csv", csv::create),
    ("fingerprint", fingerprint::create),
    ("geoip", geoip::create),
    ("ip_location", geoip::create),
    ("network_direction", network_direction::create),
    ("registered_domain", registered_domain::create),
    ("set", set::create),
    ("uri_parts", uri_parts::create),
    ("user_agent", user_agent::create),
    ("append", append::create),
    ("bytes", bytes::create),
    ("convert", convert::create),
    ("dot_expander", dot_expander::create),
    ("drop", drop::create),
    ("fail", fail::create),
    ("foreach", foreach::create),
    ("gsub", gsub::create),
    ("html_strip", html_strip::create),
    ("join", join::create),
    ("json", json::create),
    ("lowercase", lowercase::create),
    ("pipeline", pipeline::create),
    ("remove", remove::create),
    ("rename", rename::create),
    ("reroute", reroute::create),
    ("script", script::create),
    ("sort", sort::create),
    ("split", split::create),
    ("terminate", terminate::create),
    ("trim", trim::create),
    ("uppercase", uppercase::create),
    ("urldecode", urldecode::create),
];

#[cfg(test)]
pub(crate) mod test_support {
    //! Helpers for processor tests: run one processor definition on a
    //! JSON document.

    use isc_value::{Map, Value};

    use crate::document::Document;
    use crate::error::{ConfigError, IngestError};
    use crate::pipeline::{Outcome, PipelineSet};

    /// Compiles a pipeline holding the given processors (JSON list).
    pub fn pipeline(processors_json: &str) -> Result<PipelineSet, ConfigError> {
        let text = format!(r#"{{"processors":{processors_json}}}"#);
        PipelineSet::builder()
            .add_source("test", &text, true, None)
            .build()
            .map_err(|e| match e {
                crate::pipeline::LoadError::Config(c) => c,
                other => ConfigError::of_kind("load_error", other.to_string()),
            })
    }

    /// A document with the given JSON source and a fixed timestamp.
    pub fn doc(json: &str) -> Document {
        match isc_value::from_json_str(json) {
            Ok(Value::Map(m)) => Document::with_timestamp(m, "2024-01-01T00:00:00.000Z"),
            _ => Document::with_timestamp(Map::default(), "2024-01-01T00:00:00.000Z"),
        }
    }

    /// Runs `processors_json` on `source_json`; the resulting source as
    /// compact JSON, or the error.
    pub fn run(processors_json: &str, source_json: &str) -> Result<String, IngestError> {
        let set = pipeline(processors_json)
            .map_err(|e| IngestError::new(e.kind.clone(), e.reason.clone()))?;
        match set.run("test", doc(source_json)) {
            Some(Outcome::Document(d)) => {
                Ok(isc_value::to_json_string(&Value::Map(d.into_source())))
            }
            Some(Outcome::Dropped) => Ok("dropped".to_owned()),
            Some(Outcome::Failed { error, .. }) => Err(error),
            None => Err(IngestError::illegal_argument("no pipeline")),
        }
    }

    /// The error message of a run that must fail.
    pub fn run_err(processors_json: &str, source_json: &str) -> String {
        match run(processors_json, source_json) {
            Ok(doc) => format!("unexpected success: {doc}"),
            Err(e) => e.reason,
        }
    }

    /// The load error message of a definition that must be rejected.
    pub fn config_err(processors_json: &str) -> String {
        match pipeline(processors_json) {
            Ok(_) => "unexpected success".to_owned(),
            Err(e) => e.reason,
        }
    }
}
