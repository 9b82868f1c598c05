//! The document a pipeline works on: Elasticsearch's `IngestDocument`.
//!
//! One map, `ctx`, holds the source fields and the metadata keys
//! (`_index`, `_id`, `_version`, ...) side by side, as Elasticsearch's
//! `IngestCtxMap` presents them to processors and Painless (`ctx._index`).
//! A second map holds the `_ingest` metadata (`timestamp`, and while an
//! `on_failure` block runs, `on_failure_message` and friends).

use std::time::{SystemTime, UNIX_EPOCH};

use isc_value::{Map, Value};

use crate::error::IngestError;
use crate::field_path::{FieldPath, PutFailure};
use crate::metadata;

/// The metadata keys that live in `ctx` beside the source fields
/// (`IngestDocument.Metadata`, without the removed `_type`).
pub const METADATA_KEYS: [&str; 8] = [
    "_index",
    "_id",
    "_routing",
    "_version",
    "_version_type",
    "_if_seq_no",
    "_if_primary_term",
    "_dynamic_templates",
];

/// `Versions.MATCH_ANY`: the `_version` of a document that did not give one.
pub const VERSION_MATCH_ANY: i64 = -3;

/// True for the keys of [`METADATA_KEYS`].
pub fn is_metadata_key(key: &str) -> bool {
    key.starts_with('_') && METADATA_KEYS.contains(&key)
}

/// A document being ingested.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    ctx: Map,
    ingest: Map,
    /// Pipelines being executed, outermost first.
    pipelines: Vec<String>,
    terminated: bool,
    rerouted: bool,
}

impl Document {
    /// A document with the given source and the metadata the `_simulate`
    /// API gives a document without any: `_index` `"_index"`, `_id` `"_id"`,
    /// `_version` -3; `_ingest.timestamp` is now.
    pub fn new(source: Map) -> Document {
        Document::with_timestamp(source, &now_timestamp())
    }

    /// Like [`Document::new`] with a fixed `_ingest.timestamp` (tests,
    /// reproducible runs).
    pub fn with_timestamp(source: Map, timestamp: &str) -> Document {
        let mut ctx = source;
        // One growth for the metadata keys and the first fields processors add.
        ctx.reserve(METADATA_KEYS.len());
        ctx.insert("_index".into(), Value::from("_index"));
        ctx.insert("_id".into(), Value::from("_id"));
        ctx.insert("_version".into(), Value::Long(VERSION_MATCH_ANY));
        let mut ingest = Map::default();
        ingest.insert("timestamp".into(), Value::from(timestamp));
        Document {
            ctx,
            ingest,
            pipelines: Vec::new(),
            terminated: false,
            rerouted: false,
        }
    }

    /// A document from one entry of a `_simulate` request's `docs`:
    /// `_source` plus optional `_index`, `_id`, `_routing`, `_version`,
    /// `_version_type`, `_if_seq_no`, `_if_primary_term`.
    pub fn from_simulate_entry(entry: &Map) -> Result<Document, IngestError> {
        let source = match entry.get("_source") {
            Some(Value::Map(m)) => m.clone(),
            None | Some(Value::Null) => {
                return Err(IngestError::new(
                    crate::error::PARSE_EXCEPTION,
                    "[_source] required property is missing",
                ));
            }
            Some(other) => {
                return Err(IngestError::new(
                    crate::error::PARSE_EXCEPTION,
                    format!(
                        "[_source] property isn't a map, but of type [{}]",
                        other.java_type_name()
                    ),
                ));
            }
        };
        let mut doc = Document::new(source);
        for key in ["_index", "_id", "_routing"] {
            match entry.get(key) {
                Some(Value::String(s)) => {
                    doc.ctx.insert(key.into(), Value::from(s.as_str()));
                }
                Some(Value::Int(i)) => {
                    doc.ctx.insert(key.into(), Value::from(i.to_string()));
                }
                Some(Value::Null) | None => {}
                Some(other) => {
                    return Err(IngestError::new(
                        crate::error::PARSE_EXCEPTION,
                        format!(
                            "[{key}] property isn't a string or int, but of type [{}]",
                            other.java_type_name()
                        ),
                    ));
                }
            }
        }
        for key in ["_version", "_if_seq_no", "_if_primary_term"] {
            if let Some(v) = entry.get(key) {
                let n = match v {
                    Value::Int(_) | Value::Long(_) => v.as_i64(),
                    Value::String(s) => s.parse::<i64>().ok(),
                    _ => None,
                };
                match n {
                    Some(n) => {
                        doc.ctx.insert(key.into(), Value::Long(n));
                    }
                    None => {
                        return Err(IngestError::illegal_argument(format!(
                            "[{key}] cannot be {}",
                            v.to_java_string()
                        )));
                    }
                }
            }
        }
        if let Some(Value::String(vt)) = entry.get("_version_type") {
            doc.ctx
                .insert("_version_type".into(), Value::from(vt.as_str()));
        }
        Ok(doc)
    }

    /// Source fields and metadata keys (Painless `ctx`).
    pub fn ctx(&self) -> &Map {
        &self.ctx
    }

    /// Source fields and metadata keys, mutably (Painless scripts).
    pub fn ctx_mut(&mut self) -> &mut Map {
        &mut self.ctx
    }

    /// The `_ingest` map.
    pub fn ingest_metadata(&self) -> &Map {
        &self.ingest
    }

    /// The `_ingest` map, mutably.
    pub fn ingest_metadata_mut(&mut self) -> &mut Map {
        &mut self.ingest
    }

    /// The source: `ctx` without the metadata keys.
    pub fn source(&self) -> Map {
        self.ctx
            .iter()
            .filter(|(k, _)| !is_metadata_key(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Consumes the document, keeping only its source.
    pub fn into_source(self) -> Map {
        let mut ctx = self.ctx;
        ctx.retain(|k, _| !is_metadata_key(k));
        ctx
    }

    /// The metadata keys present in `ctx`, with their values.
    pub fn metadata(&self) -> Map {
        self.ctx
            .iter()
            .filter(|(k, v)| is_metadata_key(k) && !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The document as a `_simulate` response shows it: each metadata value
    /// as a string, then `_source` and `_ingest`.
    pub fn to_simulate_json(&self) -> Value {
        let mut out = Map::default();
        for (k, v) in self.metadata() {
            let text = match v {
                Value::String(s) => s,
                other => other.to_java_string(),
            };
            out.insert(k, Value::String(text));
        }
        out.insert("_source".into(), Value::Map(self.source()));
        out.insert("_ingest".into(), Value::Map(self.ingest.clone()));
        Value::Map(out)
    }

    fn root(&self, path: &FieldPath) -> &Map {
        if path.is_ingest() {
            &self.ingest
        } else {
            &self.ctx
        }
    }

    fn root_mut(&mut self, path: &FieldPath) -> &mut Map {
        if path.is_ingest() {
            &mut self.ingest
        } else {
            &mut self.ctx
        }
    }

    /// `getFieldValue(path, Object.class)`.
    pub fn get(&self, path: &FieldPath) -> Result<&Value, IngestError> {
        path.get(self.root(path))
    }

    /// The value at `path`, mutably.
    pub fn get_mut(&mut self, path: &FieldPath) -> Result<&mut Value, IngestError> {
        let root = if path.is_ingest() {
            &mut self.ingest
        } else {
            &mut self.ctx
        };
        path.get_mut(root)
    }

    /// `getFieldValue(path, Object.class, true)`: `None` when the path does
    /// not resolve, for any reason.
    pub fn get_opt(&self, path: &FieldPath) -> Option<&Value> {
        path.find(self.root(path))
    }

    /// `getFieldValue(path, String.class, ignoreMissing)`: the string, `None`
    /// for a null value (or a missing one when `ignore_missing`), and
    /// Elasticsearch's cast error for other types.
    pub fn get_string(
        &self,
        path: &FieldPath,
        ignore_missing: bool,
    ) -> Result<Option<&str>, IngestError> {
        let value = if ignore_missing {
            match self.get_opt(path) {
                Some(v) => v,
                None => return Ok(None),
            }
        } else {
            self.get(path)?
        };
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            other => Err(cannot_cast(path.as_str(), other, "java.lang.String")),
        }
    }

    /// The string a processor with `ignore_missing` works on, as `dissect`,
    /// `grok` and `csv` read it: `None` when the field is missing or null and
    /// `ignore_missing` is set (the processor then does nothing), Elasticsearch's
    /// `field [..] is null, cannot process it.` when it is null otherwise.
    pub fn string_to_process(
        &self,
        path: &FieldPath,
        ignore_missing: bool,
    ) -> Result<Option<&str>, IngestError> {
        match self.get_string(path, ignore_missing)? {
            Some(s) => Ok(Some(s)),
            None if ignore_missing => Ok(None),
            None => Err(IngestError::illegal_argument(format!(
                "field [{path}] is null, cannot process it."
            ))),
        }
    }

    /// `hasField(path)`.
    pub fn has(&self, path: &FieldPath) -> Result<bool, IngestError> {
        path.has(self.root(path), false)
    }

    /// `hasField(path, true)`: an index past a list's end is an error.
    pub fn has_strict(&self, path: &FieldPath) -> Result<bool, IngestError> {
        path.has(self.root(path), true)
    }

    /// `setFieldValue(path, value)`. A metadata key is checked as
    /// `IngestCtxMap.put` checks it ([`crate::metadata`]).
    pub fn set(&mut self, path: &FieldPath, value: Value) -> Result<(), IngestError> {
        self.set_within(path, value, usize::MAX)
    }

    /// [`Document::set`] for a value that nests at most `levels` levels of
    /// objects and lists ([`FieldPath::set_within`]).
    pub fn set_within(
        &mut self,
        path: &FieldPath,
        value: Value,
        levels: usize,
    ) -> Result<(), IngestError> {
        if let Some(key) = governed_key(path) {
            metadata::check_update(key, &value)?;
        }
        path.set_within(self.root_mut(path), value, levels)
    }

    /// [`Document::set`], giving the value back with the error when it
    /// cannot be written.
    pub fn set_or_return(
        &mut self,
        path: &FieldPath,
        value: Value,
    ) -> Result<(), Box<(IngestError, Value)>> {
        if let Some(key) = governed_key(path)
            && let Err(e) = metadata::check_update(key, &value)
        {
            return Err(Box::new((e, value)));
        }
        path.set_or_return(self.root_mut(path), value)
    }

    /// `appendFieldValue(path, value, allowDuplicates)`. Appending to a
    /// metadata key stores a list there, which its check then refuses
    /// (the old value stays).
    pub fn append(
        &mut self,
        path: &FieldPath,
        value: Value,
        allow_duplicates: bool,
    ) -> Result<(), IngestError> {
        let Some(key) = governed_key(path) else {
            return path.append(self.root_mut(path), value, allow_duplicates);
        };
        let before = self.ctx.get(key).cloned();
        path.append(&mut self.ctx, value, allow_duplicates)?;
        let after = self.ctx.get(key);
        if after == before.as_ref() {
            return Ok(());
        }
        let checked = match after {
            Some(v) => metadata::check_update(key, v),
            None => Ok(()),
        };
        if checked.is_err() {
            match before {
                Some(v) => {
                    self.ctx.insert(key.to_owned(), v);
                }
                None => {
                    self.ctx.shift_remove(key);
                }
            }
        }
        checked
    }

    /// `removeField(path, ignoreMissing)`, returning the removed value. A
    /// present metadata key is checked as `IngestCtxMap.remove` checks it.
    pub fn remove(
        &mut self,
        path: &FieldPath,
        ignore_missing: bool,
    ) -> Result<Option<Value>, IngestError> {
        if let Some(key) = governed_key(path)
            && self.ctx.contains_key(key)
        {
            metadata::check_removal(key)?;
        }
        path.remove(self.root_mut(path), ignore_missing)
    }

    /// True when `path` is a metadata key whose writes and removals are
    /// checked; [`Document::take`] and [`Document::put_checked`] refuse
    /// such paths.
    pub fn is_governed(path: &FieldPath) -> bool {
        governed_key(path).is_some()
    }

    /// [`FieldPath::take`] on this document, for a path that is not
    /// governed ([`Document::is_governed`]).
    pub fn take(&mut self, path: &FieldPath) -> Result<Option<(Value, usize)>, IngestError> {
        if let Some(key) = governed_key(path) {
            return Err(IngestError::illegal_argument(format!(
                "metadata field [{key}] cannot be moved"
            )));
        }
        path.take(self.root_mut(path))
    }

    /// [`FieldPath::put_back`] on this document.
    pub fn put_back(
        &mut self,
        path: &FieldPath,
        value: Value,
        index: usize,
    ) -> Result<(), IngestError> {
        path.put_back(self.root_mut(path), value, index)
    }

    /// [`FieldPath::put_checked`] on this document, for a path that is not
    /// governed ([`Document::is_governed`]).
    pub fn put_checked(
        &mut self,
        path: &FieldPath,
        value: Value,
        replace: bool,
    ) -> Result<(), Box<(PutFailure, Value)>> {
        if let Some(key) = governed_key(path) {
            let e =
                IngestError::illegal_argument(format!("metadata field [{key}] cannot be moved"));
            return Err(Box::new((PutFailure::Check(e), value)));
        }
        path.put_checked(self.root_mut(path), value, replace)
    }

    /// Puts `value` at the top-level `key` of `ctx` (`ctx.put`), checking
    /// metadata keys first.
    pub fn put_ctx(&mut self, key: String, value: Value) -> Result<(), IngestError> {
        metadata::check_update(&key, &value)?;
        self.ctx.insert(key, value);
        Ok(())
    }

    /// Stops the current pipeline after this processor (`terminate`).
    pub fn terminate(&mut self) {
        self.terminated = true;
    }

    /// True once [`Document::terminate`] was called in the current pipeline.
    pub fn is_terminated(&self) -> bool {
        self.terminated
    }

    pub(crate) fn reset_terminate(&mut self) {
        self.terminated = false;
    }

    /// Sends the document to another index and ends pipeline execution
    /// (`reroute`).
    pub fn reroute(&mut self, index: &str) {
        self.ctx.insert("_index".into(), Value::from(index));
        self.rerouted = true;
    }

    /// True once [`Document::reroute`] was called.
    pub fn is_rerouted(&self) -> bool {
        self.rerouted
    }

    /// The pipelines being executed, innermost first (Elasticsearch's
    /// `getPipelineStack`).
    pub fn pipeline_stack(&self) -> Vec<String> {
        self.pipelines.iter().rev().cloned().collect()
    }

    /// Enters a pipeline; `Err` with Elasticsearch's message on a cycle or
    /// when nesting gets too deep.
    pub(crate) fn enter_pipeline(&mut self, id: &str) -> Result<(), IngestError> {
        if self.pipelines.len() >= MAX_NESTED_PIPELINES {
            return Err(IngestError::new(
                "graph_structure_exception",
                format!(
                    "Too many nested pipelines. Cannot have more than {MAX_NESTED_PIPELINES} nested pipelines"
                ),
            ));
        }
        if self.pipelines.iter().any(|p| p == id) {
            return Err(IngestError::new(
                "graph_structure_exception",
                format!("Cycle detected for pipeline: {id}"),
            ));
        }
        self.pipelines.push(id.to_owned());
        Ok(())
    }

    pub(crate) fn leave_pipeline(&mut self) {
        self.pipelines.pop();
    }
}

/// `es.ingest.max_pipelines`' default.
pub const MAX_NESTED_PIPELINES: usize = 100;

/// `IngestDocument`'s cast error: `field [x] of type [java.lang.Integer]
/// cannot be cast to [java.lang.String]`.
pub fn cannot_cast(path: &str, value: &Value, class: &str) -> IngestError {
    IngestError::illegal_argument(format!(
        "field [{path}] of type [{}] cannot be cast to [{class}]",
        value.java_type_name()
    ))
}

/// The current time as Java prints a UTC `ZonedDateTime`
/// (`2024-05-01T10:00:00.123456Z`), the form `{{_ingest.timestamp}}` renders.
pub fn now_timestamp() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format_utc_timestamp(since.as_secs() as i64, since.subsec_micros() * 1000)
}

/// Formats seconds since the epoch plus nanoseconds like Java's
/// `ZonedDateTime.toString()` in UTC: fractions in groups of 3 digits,
/// omitted when zero.
pub fn format_utc_timestamp(secs: i64, nanos: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    let mut out = String::with_capacity(32);
    if (0..=9999).contains(&y) {
        push_digits(&mut out, y as u64, 4);
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{y:04}");
    }
    out.push('-');
    push_digits(&mut out, u64::from(m), 2);
    out.push('-');
    push_digits(&mut out, u64::from(d), 2);
    out.push('T');
    push_digits(&mut out, hh as u64, 2);
    out.push(':');
    push_digits(&mut out, mm as u64, 2);
    if ss != 0 || nanos != 0 {
        out.push(':');
        push_digits(&mut out, ss as u64, 2);
    }
    if nanos != 0 {
        out.push('.');
        if nanos % 1_000_000 == 0 {
            push_digits(&mut out, u64::from(nanos / 1_000_000), 3);
        } else if nanos % 1000 == 0 {
            push_digits(&mut out, u64::from(nanos / 1000), 6);
        } else {
            push_digits(&mut out, u64::from(nanos), 9);
        }
    }
    out.push('Z');
    out
}

/// Appends `n` zero-padded to `width` digits (`n` has at most `width`).
fn push_digits(out: &mut String, n: u64, width: u32) {
    let mut div = 10u64.pow(width.saturating_sub(1));
    while div > 0 {
        out.push(char::from(b'0' + ((n / div) % 10) as u8));
        div /= 10;
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The metadata key a path writes when it is exactly one governed
/// top-level key of `ctx` (`_index`, not `_source._index` or `_index.x`).
fn governed_key(path: &FieldPath) -> Option<&str> {
    let raw = path.as_str();
    (!path.is_ingest() && metadata::is_governed(raw)).then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_document_has_simulate_defaults() {
        let doc = Document::with_timestamp(Map::default(), "2024-01-01T00:00:00Z");
        assert_eq!(
            isc_value::to_json_string(&doc.to_simulate_json()),
            r#"{"_index":"_index","_id":"_id","_version":"-3","_source":{},"_ingest":{"timestamp":"2024-01-01T00:00:00Z"}}"#
        );
    }

    #[test]
    fn source_excludes_metadata() {
        let mut src = Map::default();
        src.insert("a".into(), Value::Int(1));
        let doc = Document::new(src);
        assert_eq!(doc.source().len(), 1);
        assert_eq!(doc.ctx().len(), 4);
    }

    #[test]
    fn timestamps_print_like_java() {
        assert_eq!(format_utc_timestamp(0, 0), "1970-01-01T00:00Z");
        assert_eq!(
            format_utc_timestamp(1_700_000_000, 123_456_000),
            "2023-11-14T22:13:20.123456Z"
        );
        assert_eq!(
            format_utc_timestamp(951_782_400, 5_000_000),
            "2000-02-29T00:00:00.005Z"
        );
    }

    #[test]
    fn cycles_are_detected() {
        let mut doc = Document::new(Map::default());
        doc.enter_pipeline("a").unwrap();
        assert_eq!(
            doc.enter_pipeline("a").unwrap_err().reason,
            "Cycle detected for pipeline: a"
        );
    }
}
