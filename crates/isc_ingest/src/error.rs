//! Errors: failures while a document runs through a pipeline
//! ([`IngestError`]) and problems found while loading one ([`ConfigError`]).
//!
//! Both carry what Elasticsearch reports: the exception type as its REST
//! layer names it (`illegal_argument_exception`, `parse_exception`), the
//! message, and the processor that failed.

use std::fmt;

use isc_value::{Map, Value};

/// Elasticsearch's `illegal_argument_exception`, the type of nearly every
/// processor failure.
pub const ILLEGAL_ARGUMENT: &str = "illegal_argument_exception";
/// Elasticsearch's `parse_exception` (`ElasticsearchParseException`).
pub const PARSE_EXCEPTION: &str = "parse_exception";

/// A failure while executing a processor, as Elasticsearch's exception.
///
/// The headers ([`ErrorHeaders`]) are set once, by the innermost processor
/// wrapper that sees the failure, exactly as `CompoundProcessor` adds its
/// headers; outer wrappers keep them.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestError {
    /// Exception type in snake case, e.g. `illegal_argument_exception`.
    pub kind: String,
    /// The exception message.
    pub reason: String,
    /// The exception this one wraps, if any.
    pub caused_by: Option<Box<IngestError>>,
    /// Which processor failed, once known.
    pub headers: Option<Box<ErrorHeaders>>,
}

/// The processor that failed, as `IngestProcessorException` headers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorHeaders {
    /// Type of the processor that failed (`conditional` for a failing
    /// processor with an `if`, as Elasticsearch reports it).
    pub processor_type: String,
    /// Tag of the processor that failed.
    pub processor_tag: Option<String>,
    /// The pipelines being executed when it failed, innermost first.
    pub pipeline_origin: Vec<String>,
}

impl IngestError {
    /// A new error of the given exception type.
    pub fn new(kind: impl Into<String>, reason: impl Into<String>) -> IngestError {
        IngestError {
            kind: kind.into(),
            reason: reason.into(),
            caused_by: None,
            headers: None,
        }
    }

    /// Java's `IllegalArgumentException`.
    pub fn illegal_argument(reason: impl Into<String>) -> IngestError {
        IngestError::new(ILLEGAL_ARGUMENT, reason)
    }

    /// Adds the exception this one wraps.
    pub fn with_cause(mut self, cause: IngestError) -> IngestError {
        self.caused_by = Some(Box::new(cause));
        self
    }

    /// The innermost cause (Java's `getRootCause()`), whose message becomes
    /// `_ingest.on_failure_message`.
    pub fn root_cause(&self) -> &IngestError {
        let mut current = self;
        while let Some(next) = &current.caused_by {
            current = next;
        }
        current
    }

    /// True once a processor wrapper has attached its type/tag headers.
    pub fn has_processor_headers(&self) -> bool {
        self.headers.is_some()
    }

    /// The failing processor's type, once known.
    pub fn processor_type(&self) -> Option<&str> {
        self.headers.as_ref().map(|h| h.processor_type.as_str())
    }

    /// The failing processor's tag, once known.
    pub fn processor_tag(&self) -> Option<&str> {
        self.headers
            .as_ref()
            .and_then(|h| h.processor_tag.as_deref())
    }

    /// The pipelines running when it failed, innermost first.
    pub fn pipeline_origin(&self) -> &[String] {
        self.headers
            .as_ref()
            .map_or(&[], |h| h.pipeline_origin.as_slice())
    }

    /// The error as Elasticsearch renders it in a `_simulate` response
    /// (`generateFailureXContent`): `root_cause` (this exception without
    /// its cause), `type`, `reason`, `caused_by`. The processor headers are
    /// not shown: Elasticsearch unwraps the `IngestProcessorException` that
    /// carries them before rendering.
    pub fn to_es_json(&self) -> Value {
        let mut out = self.body_json();
        let mut root = Map::default();
        root.insert("type".into(), Value::from(self.kind.as_str()));
        root.insert("reason".into(), Value::from(self.reason.as_str()));
        out.insert_before(0, "root_cause".into(), Value::List(vec![Value::Map(root)]));
        Value::Map(out)
    }

    fn body_json(&self) -> Map {
        let mut out = Map::default();
        out.insert("type".into(), Value::from(self.kind.as_str()));
        out.insert("reason".into(), Value::from(self.reason.as_str()));
        if let Some(cause) = &self.caused_by {
            out.insert("caused_by".into(), Value::Map(cause.body_json()));
        }
        out
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for IngestError {}

/// A problem in a pipeline definition, found while loading it: Elasticsearch
/// rejects such a pipeline on `PUT _ingest/pipeline`.
///
/// The message follows `ConfigurationUtils` (`[field] required property is
/// missing`); `processor_type`, `processor_tag` and `property_name` are the
/// metadata Elasticsearch attaches; `location` and `file` say where.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConfigError {
    /// Exception type, normally `parse_exception`.
    pub kind: String,
    /// The message as Elasticsearch words it.
    pub reason: String,
    /// Which processor, option and file.
    pub context: Box<ConfigContext>,
}

/// Where a [`ConfigError`] was found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConfigContext {
    /// The processor type being configured.
    pub processor_type: Option<String>,
    /// The processor's tag.
    pub processor_tag: Option<String>,
    /// The option at fault.
    pub property_name: Option<String>,
    /// Where in the pipeline: `processors[3]`, `processors[1].on_failure[0]`.
    pub location: Option<String>,
    /// The pipeline id.
    pub pipeline: Option<String>,
    /// The file the pipeline came from.
    pub file: Option<std::path::PathBuf>,
}

impl ConfigError {
    /// A `parse_exception` with `ConfigurationUtils.newConfigurationException`'s
    /// message: `[property] reason`, or the bare reason without a property.
    pub fn new(
        processor_type: Option<&str>,
        processor_tag: Option<&str>,
        property_name: Option<&str>,
        reason: impl Into<String>,
    ) -> ConfigError {
        let reason = reason.into();
        let reason = match property_name {
            Some(p) => format!("[{p}] {reason}"),
            None => reason,
        };
        ConfigError {
            kind: PARSE_EXCEPTION.to_owned(),
            reason,
            context: Box::new(ConfigContext {
                processor_type: processor_type.map(str::to_owned),
                processor_tag: processor_tag.map(str::to_owned),
                property_name: property_name.map(str::to_owned),
                ..ConfigContext::default()
            }),
        }
    }

    /// An error of another exception type (a factory's
    /// `IllegalArgumentException`, say) with the processor metadata attached.
    pub fn of_kind(kind: &str, reason: impl Into<String>) -> ConfigError {
        ConfigError {
            kind: kind.to_owned(),
            reason: reason.into(),
            context: Box::default(),
        }
    }

    /// Fills in the processor type and tag if not yet known.
    pub fn in_processor(mut self, processor_type: &str, tag: Option<&str>) -> ConfigError {
        let c = &mut self.context;
        if c.processor_type.is_none() {
            c.processor_type = Some(processor_type.to_owned());
        }
        if c.processor_tag.is_none() {
            c.processor_tag = tag.map(str::to_owned);
        }
        self
    }

    /// Prefixes the location with an outer step (`processors[2]`).
    pub fn at(mut self, step: &str) -> ConfigError {
        self.context.location = Some(match self.context.location.take() {
            Some(inner) if inner.starts_with('[') => format!("{step}{inner}"),
            Some(inner) => format!("{step}.{inner}"),
            None => step.to_owned(),
        });
        self
    }

    /// Sets the pipeline id and file, if not yet known.
    pub fn in_pipeline(mut self, id: &str, file: Option<&std::path::Path>) -> ConfigError {
        let c = &mut self.context;
        if c.pipeline.is_none() {
            c.pipeline = Some(id.to_owned());
        }
        if c.file.is_none() {
            c.file = file.map(std::path::Path::to_path_buf);
        }
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.context;
        if let Some(file) = &c.file {
            write!(f, "{}: ", file.display())?;
        } else if let Some(p) = &c.pipeline {
            write!(f, "pipeline [{p}]: ")?;
        }
        if let Some(loc) = &c.location {
            write!(f, "{loc}: ")?;
        }
        if let Some(t) = &c.processor_type {
            write!(f, "processor [{t}]")?;
            if let Some(tag) = &c.processor_tag {
                write!(f, " (tag [{tag}])")?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}", self.reason)
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_cause_is_the_innermost_error() {
        let e = IngestError::illegal_argument("outer").with_cause(IngestError::new(
            "number_format_exception",
            "For input string: \"x\"",
        ));
        assert_eq!(e.root_cause().reason, "For input string: \"x\"");
    }

    #[test]
    fn es_json_has_root_cause_type_reason_and_cause() {
        let mut e = IngestError::illegal_argument("unable to convert [x] to integer").with_cause(
            IngestError::new("number_format_exception", "For input string: \"x\""),
        );
        e.headers = Some(Box::new(ErrorHeaders {
            processor_type: "convert".into(),
            processor_tag: None,
            pipeline_origin: vec!["p".into()],
        }));
        assert_eq!(
            isc_value::to_json_string(&e.to_es_json()),
            r#"{"root_cause":[{"type":"illegal_argument_exception","reason":"unable to convert [x] to integer"}],"type":"illegal_argument_exception","reason":"unable to convert [x] to integer","caused_by":{"type":"number_format_exception","reason":"For input string: \"x\""}}"#
        );
    }

    #[test]
    fn config_error_names_property_processor_and_place() {
        let e = ConfigError::new(
            Some("set"),
            Some("t1"),
            Some("field"),
            "required property is missing",
        )
        .at("processors[2]")
        .in_pipeline("default", Some(std::path::Path::new("default.yml")));
        assert_eq!(
            e.to_string(),
            "default.yml: processors[2]: processor [set] (tag [t1]): [field] required property is missing"
        );
    }
}
