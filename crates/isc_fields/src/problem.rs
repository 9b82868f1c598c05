//! Problems found while loading field definitions.

use std::fmt;
use std::path::PathBuf;

/// One problem in a fields file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The file (or folder) concerned.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: FieldProblemKind,
}

/// What is wrong with a field definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldProblemKind {
    /// The file or folder could not be read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// The file is not valid YAML.
    #[error("invalid YAML: {0}")]
    InvalidYaml(String),
    /// The file's structure is not a list of field entries.
    #[error("{0}")]
    Malformed(String),
    /// A `type` outside the known field types.
    #[error("field {name:?} has unknown type {field_type:?}")]
    UnknownType {
        /// Full dotted field name.
        name: String,
        /// The type as written.
        field_type: String,
    },
    /// The same full name defined twice.
    #[error("field {name:?} is defined more than once (first in {first})")]
    Duplicate {
        /// Full dotted field name.
        name: String,
        /// `file:line` of the first definition.
        first: String,
    },
    /// `external:` names a schema other than `ecs`.
    #[error("field {name:?} uses unknown external schema {schema:?} (only \"ecs\" is supported)")]
    UnknownExternalSchema {
        /// Full dotted field name.
        name: String,
        /// The schema as written.
        schema: String,
    },
    /// `external: ecs` for a name ECS does not define.
    #[error("field {name:?} is declared external: ecs but ECS {ecs_version} has no such field")]
    NotInEcs {
        /// Full dotted field name.
        name: String,
        /// ECS version of the reference.
        ecs_version: String,
    },
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.kind),
            None => write!(f, "{}: {}", self.file.display(), self.kind),
        }
    }
}

/// All problems found while loading a set of field files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in field definitions; first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
pub struct FieldErrors(pub Vec<FieldProblem>);
