//! User-agent parsing as Elasticsearch's `user_agent` processor does it.
//!
//! A [`UserAgentParser`] holds three ordered lists of regular expressions
//! (user agent, operating system, device) read from a uap-core style
//! `regexes.yaml`; the first expression that matches decides each part.
//! Elasticsearch's own rules apply on top of uap-core's: only the first
//! `$1` of a name replacement is substituted, version replacements are
//! taken literally, and an optional device *type* (Desktop, Phone, Tablet,
//! Robot, Other) is derived from [`device_type`] rules.
//!
//! The built-in rules ([`UserAgentParser::builtin`]) are uap-core's
//! `regexes.yaml` (Apache-2.0, see `data/NOTICE`), embedded unchanged.

pub mod device_type;
mod error;
mod java_pattern;
mod parser;
mod regex_file;

pub use error::UserAgentError;
pub use parser::{Details, UserAgentParser, VersionedName};
