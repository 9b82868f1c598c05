//! Errors of grok compilation and matching, with Elasticsearch's messages.

/// What went wrong building a pattern bank, compiling a grok expression or
/// converting a capture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GrokError {
    /// The bank holds a cycle, a dangling reference or a broken `%{`.
    #[error("{0}")]
    InvalidBank(String),
    /// The expression refers to a pattern the bank does not have.
    #[error("Unable to find pattern [{0}] in Grok's pattern dictionary")]
    UnknownPattern(String),
    /// A definition refers to itself directly.
    #[error("circular reference in pattern back [{0}]")]
    CircularBack(String),
    /// Expansion did not finish within Elasticsearch's iteration limit.
    #[error("Can not convert grok patterns to regular expression")]
    TooManyExpansions,
    /// The expanded regular expression does not compile.
    #[error("{0}")]
    Regex(String),
    /// A typed capture (`:int`, `:float`, ...) could not be converted; the
    /// message is Java's `NumberFormatException` text.
    #[error("{0}")]
    Conversion(String),
    /// Matching gave up (Oniguruma's backtracking limit, Elasticsearch's
    /// watchdog).
    #[error("grok pattern matching was interrupted after [1000] ms")]
    Interrupted,
}
