//! The runner's view of the ingest engine: load a data stream's pipelines
//! once, run documents through the entry pipeline as Elasticsearch's
//! simulate API does, and report per-processor execution counts for
//! coverage.
//!
//! Keeping this behind a trait lets the runner, its report and its tests be
//! written against the behaviour it needs; [`crate::IngestEngine`] adapts
//! `isc_ingest` to it.

use std::path::Path;

use isc_value::Value;

/// What became of one document.
#[derive(Debug, Clone, PartialEq)]
pub enum SimulatedDocument {
    /// The `_source` after the pipeline.
    Processed(Value),
    /// A `drop` processor removed it.
    Dropped,
    /// A processor failed and no `on_failure` handled it.
    Failed(ProcessorFailure),
}

/// An unhandled processor failure, as Elasticsearch's verbose simulate
/// reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessorFailure {
    /// Type of the failing processor (`grok`, `script`...).
    pub processor_type: String,
    /// Elasticsearch exception type (`illegal_argument_exception`...).
    pub error_type: String,
    /// The error message.
    pub reason: String,
}

impl std::fmt::Display for ProcessorFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "error in processor {}: [{}] {}",
            self.processor_type, self.error_type, self.reason
        )
    }
}

/// How often the top-level processors of one pipeline ran.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PipelineHits {
    /// Pipeline name: its file name without extension (`default`).
    pub pipeline: String,
    /// One entry per top-level processor, in order.
    pub processors: Vec<ProcessorHits>,
}

/// Execution counts of one processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProcessorHits {
    /// Times the processor ran (its condition, if any, was true).
    pub executed: u64,
    /// Times its `if` condition was evaluated to false.
    pub skipped_by_condition: u64,
    /// True when the processor has an `if` condition.
    pub has_condition: bool,
}

/// The compiled pipelines of one data stream.
pub trait DataStreamPipelines: Send + Sync {
    /// Runs `source` through the entry pipeline with `_index` set to
    /// `index`, as `POST _ingest/pipeline/<entry>/_simulate` does.
    fn simulate(&self, source: Value, index: &str) -> SimulatedDocument;

    /// Execution counts since loading, one entry per pipeline of the data
    /// stream; `None` when the engine cannot observe executions.
    fn hits(&self) -> Option<Vec<PipelineHits>>;
}

/// Loads the pipelines of data streams.
pub trait PipelineEngine: Send + Sync {
    /// Loads and compiles every pipeline in `pipeline_dir`, with the one
    /// named `entry` (file name without extension) as the entry point.
    /// With `observe`, executions are counted for [`DataStreamPipelines::hits`].
    fn load(
        &self,
        pipeline_dir: &Path,
        entry: &str,
        observe: bool,
    ) -> Result<Box<dyn DataStreamPipelines>, String>;
}
