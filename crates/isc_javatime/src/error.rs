//! Errors of pattern compilation, parsing and formatting.

/// What went wrong; the texts follow `java.time`'s exception messages where
/// Elasticsearch shows them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// The pattern itself is invalid (`DateTimeFormatterBuilder.appendPattern`).
    #[error("{0}")]
    InvalidPattern(String),
    /// The text does not match the format.
    #[error("Text '{text}' could not be parsed at index {index}")]
    Unparseable {
        /// The input.
        text: String,
        /// Where parsing stopped (UTF-16 index, as Java reports it).
        index: usize,
    },
    /// The text matched but left characters over.
    #[error("Text '{text}' could not be parsed, unparsed text found at index {index}")]
    Unparsed {
        /// The input.
        text: String,
        /// Start of the leftover text.
        index: usize,
    },
    /// A format made of several parsers (`a||b`, the ISO formats) where
    /// none accepted the text.
    #[error("Failed to parse with all enclosed parsers")]
    AllParsersFailed {
        /// The input.
        text: String,
    },
    /// Parsed values do not make a valid date or time.
    #[error("{0}")]
    Invalid(String),
    /// A time zone ID Java's `ZoneId.of` rejects as malformed
    /// (`DateTimeException`).
    #[error("{0}")]
    Zone(String),
    /// A well-formed region ID that names no known zone
    /// (`ZoneRulesException`).
    #[error("Unknown time-zone ID: {0}")]
    UnknownZone(String),
    /// A value cannot be printed with the pattern.
    #[error("{0}")]
    Format(String),
}
