//! Why a benchmark could not run.

use std::path::PathBuf;

/// A benchmark that could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// The package could not be read.
    #[error(transparent)]
    Package(#[from] isc_pipeline_test::PipelineTestError),
    /// The data stream's pipelines did not load.
    #[error("{0}")]
    Pipelines(String),
    /// The data stream has no pipeline test events.
    #[error("no pipeline test events in {}", .0.display())]
    NoEvents(PathBuf),
    /// A raw event is not a JSON object.
    #[error("event {index} is not a JSON object: {message}")]
    Event {
        /// Position of the event in the workload.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
}
