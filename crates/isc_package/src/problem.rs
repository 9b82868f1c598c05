//! A validation or build problem, reported as `file:line: message`.

use std::fmt;
use std::path::PathBuf;

/// One problem found in the package sources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Source file (or folder) concerned, relative to the project root.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem without line.
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }

    /// A problem at a line (if known).
    pub fn at(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

/// A field definition problem keeps its file and line.
impl From<isc_fields::FieldProblem> for Problem {
    fn from(problem: isc_fields::FieldProblem) -> Self {
        Problem::at(problem.file, problem.line, problem.kind.to_string())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Why a build or check did not succeed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackageError {
    /// The sources have problems; nothing was written.
    #[error("{} problem(s) found", .0.len())]
    Problems(Vec<Problem>),
    /// Writing the output failed; the output folder was restored.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The path being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl From<Vec<Problem>> for PackageError {
    fn from(problems: Vec<Problem>) -> Self {
        PackageError::Problems(problems)
    }
}
