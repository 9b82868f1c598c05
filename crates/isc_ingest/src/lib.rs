//! An offline reimplementation of Elasticsearch ingest pipelines.
//!
//! Load a data stream's pipelines once into a [`PipelineSet`], then run
//! [`Document`]s through them; each run yields an [`Outcome`]: the processed
//! document, `Dropped`, or the failure with Elasticsearch's exception type
//! and message.
//!
//! ```
//! use isc_ingest::{Document, Outcome, PipelineSet};
//!
//! let set = PipelineSet::builder()
//!     .add_source("default", "processors:\n  - set: {field: a, value: '{{b}}'}\n", false, None)
//!     .build()
//!     .unwrap();
//! let mut source = isc_value::Map::default();
//! source.insert("b".into(), "x".into());
//! let Some(Outcome::Document(doc)) = set.run("default", Document::new(source)) else { panic!() };
//! assert_eq!(doc.source()["a"], isc_value::Value::from("x"));
//! ```
//!
//! Module map: [`document`] (the document and its metadata), [`field_path`]
//! (dotted paths), [`template`] (mustache), [`config`] (reading processor
//! options), [`processor`] (the processor trait and common options),
//! [`pipeline`] (loading and running), [`condition`] (Painless hooks),
//! [`processors`] (one file per processor).

pub mod condition;
pub mod config;
pub mod document;
pub mod error;
pub mod field_path;
pub mod java_number;
pub mod metadata;
pub mod observer;
pub mod pipeline;
pub mod processor;
pub mod processors;
pub mod template;

pub use document::Document;
pub use error::{ConfigContext, ConfigError, ErrorHeaders, IngestError};
pub use field_path::FieldPath;
pub use isc_value::{Map, Value};
pub use observer::ExecutionObserver;
pub use pipeline::{LoadError, Outcome, Pipeline, PipelineSet, ProcessorResult, VerboseRun};
pub use processor::{CompiledProcessor, Flow, Processor, ProcessorRegistry, Run};
pub use processors::enrichment::{EnrichmentError, EnrichmentOptions};
pub use template::{Template, ValueSource};
