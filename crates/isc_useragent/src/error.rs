//! Errors loading a regex file.

/// What can go wrong reading a `regexes.yaml`-style file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum UserAgentError {
    /// The file is not YAML of the expected shape.
    #[error("malformed regular expression file: {0}")]
    Malformed(String),
    /// The file has none of `user_agent_parsers`, `os_parsers`,
    /// `device_parsers` (Elasticsearch's message).
    #[error("not a valid regular expression file")]
    NoParsers,
    /// One expression does not compile.
    #[error("invalid regular expression [{pattern}]: {reason}")]
    InvalidPattern {
        /// The expression as written.
        pattern: String,
        /// What the regex compiler reported.
        reason: String,
    },
}
