//! Errors that stop the runner before or outside a single test case.
//! Problems of one case become a failed case instead (see
//! [`crate::CaseOutcome`]).

use std::path::{Path, PathBuf};

/// What went wrong, with the file it concerns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineTestError {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A manifest is missing a required key or is not valid YAML.
    #[error("{path}: {message}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A test configuration file is invalid.
    #[error("{path}: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A test case input file is invalid.
    #[error("{path}: {message}")]
    CaseInput {
        /// The case file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The field definitions of a data stream could not be loaded.
    #[error("{path}: {message}")]
    Fields {
        /// The fields folder or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The ingest pipelines of a data stream could not be loaded.
    #[error("{path}: {message}")]
    Pipeline {
        /// The pipeline folder or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `--data-streams` named a data stream the package does not have.
    #[error("data stream \"{name}\" not found under {root}")]
    UnknownDataStream {
        /// The requested name.
        name: String,
        /// The package root.
        root: PathBuf,
    },
}

impl PipelineTestError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> PipelineTestError {
        PipelineTestError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
