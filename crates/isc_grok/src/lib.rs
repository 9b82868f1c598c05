//! Grok and dissect, the text parsers behind Elasticsearch's `grok`,
//! `dissect` and `redact` processors, with Elasticsearch's semantics.
//!
//! # Grok
//! [`PatternBank`] holds named patterns: the built-in `legacy` and `ecs-v1`
//! sets (Elasticsearch's pattern files, kept as data under `patterns/`) plus
//! custom `pattern_definitions`. [`Grok::compile`] expands an expression
//! (`%{IP:client} %{NUMBER:bytes:int}`) into a regular expression and
//! compiles it with Oniguruma, the C library that Elasticsearch's regex
//! engine (Joni) is a port of, so pattern syntax and matching behave alike.
//! [`Grok::captures`] returns the named captures, converted to the requested
//! Java type, in the order Elasticsearch sets them.
//!
//! The `patterns/` files hold one definition per line (`NAME regex`, the
//! name ending at the first space; `#` lines and blank lines ignored), in
//! Elasticsearch's file and load order. The `ecs-v1` set is the one
//! Elasticsearch ships today, whose capture names are dotted ECS paths
//! (`process.name`), including its few verbatim quirks.
//!
//! # Dissect
//! [`DissectParser`] splits a string by the literal delimiters of a pattern
//! (`%{a} %{b}`), following Elasticsearch's byte walk, modifiers and error
//! texts.

mod dissect;
mod error;
mod expression;
mod grok;
mod pattern_bank;

pub use dissect::{DissectError, DissectParser, DissectResult};
pub use error::GrokError;
pub use grok::{Captures, Grok, MATCH_INDEX_FIELD, combine_alternatives};
pub use pattern_bank::{EcsCompatibility, PatternBank};
