//! Test cases as elastic-package finds and reads them in a data stream's
//! `_dev/test/pipeline/` folder.
//!
//! Every file of the folder is a case except the `*-expected.json` goldens
//! and the `*-config.yml` configurations. `.json` cases hold
//! `{"events": [...]}`; `.log` cases hold raw lines, each (or each
//! multi-line block) becoming `{"message": "<line>"}`. The configured
//! `fields` are then put into every event, dotted names creating objects.

use std::path::{Path, PathBuf};

use isc_value::{Map, Value};
use regex::Regex;

use crate::case_config::{CONFIG_SUFFIX, CaseConfig, Multiline, read_case_config};
use crate::error::PipelineTestError;

/// Suffix of golden files (`test-a.log-expected.json`).
pub const EXPECTED_SUFFIX: &str = "-expected.json";

/// One loaded test case.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// File name of the case (`test-a.log`).
    pub name: String,
    /// Full path of the case file.
    pub path: PathBuf,
    /// Merged configuration.
    pub config: CaseConfig,
    /// Input documents, empty when the case is skipped.
    pub events: Vec<Value>,
}

impl TestCase {
    /// Path of the golden file of this case.
    pub fn expected_path(&self) -> PathBuf {
        expected_path_for(&self.path)
    }
}

/// Path of the golden file of the case at `case_file`.
pub fn expected_path_for(case_file: &Path) -> PathBuf {
    let mut name = case_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.push_str(EXPECTED_SUFFIX);
    case_file.with_file_name(name)
}

/// The case files of a test folder, sorted by name as Go's `os.ReadDir`
/// returns them.
pub fn list_case_files(folder: &Path) -> Result<Vec<PathBuf>, PipelineTestError> {
    let entries = std::fs::read_dir(folder).map_err(|e| PipelineTestError::io(folder, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| PipelineTestError::io(folder, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(EXPECTED_SUFFIX) || name.ends_with(CONFIG_SUFFIX) {
            continue;
        }
        if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            continue;
        }
        files.push(entry.path());
    }
    files.sort();
    Ok(files)
}

/// Reads a case file with its configuration. A skipped case has no events.
pub fn load_test_case(case_file: &Path) -> Result<TestCase, PipelineTestError> {
    let name = case_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let data = std::fs::read(case_file).map_err(|e| PipelineTestError::io(case_file, e))?;
    let config = read_case_config(case_file)?;
    if config.skip.is_some() {
        return Ok(TestCase {
            name,
            path: case_file.to_path_buf(),
            config,
            events: Vec::new(),
        });
    }
    let input_error = |message: String| PipelineTestError::CaseInput {
        path: case_file.to_path_buf(),
        message,
    };
    let entries = match case_file.extension().and_then(|e| e.to_str()) {
        Some("json") => events_from_json(&data).map_err(input_error)?,
        Some("log") => raw_entries(&String::from_utf8_lossy(&data), &config)
            .map_err(input_error)?
            .into_iter()
            .map(|line| {
                let mut m = Map::default();
                m.insert("message".to_owned(), Value::String(line));
                Value::Map(m)
            })
            .collect(),
        other => {
            return Err(input_error(format!(
                "unsupported extension for test case file (ext: {})",
                other.map(|e| format!(".{e}")).unwrap_or_default()
            )));
        }
    };
    let mut events = Vec::with_capacity(entries.len());
    for mut entry in entries {
        let Value::Map(map) = &mut entry else {
            return Err(input_error(format!(
                "can't unmarshal test case entry: event is not an object: {}",
                isc_value::to_json_string(&entry)
            )));
        };
        for (key, value) in &config.fields {
            put_dotted(map, key, value.clone())
                .map_err(|m| input_error(format!("can't set custom field: {m}")))?;
        }
        events.push(entry);
    }
    Ok(TestCase {
        name,
        path: case_file.to_path_buf(),
        config,
        events,
    })
}

/// The `events` of a `.json` case.
fn events_from_json(data: &[u8]) -> Result<Vec<Value>, String> {
    let value = isc_value::from_json_bytes(data)
        .map_err(|e| format!("unmarshalling input data failed: {e}"))?;
    match value {
        Value::Map(mut m) => match m.swap_remove("events") {
            Some(Value::List(events)) => Ok(events),
            Some(Value::Null) | None => Ok(Vec::new()),
            Some(_) => Err("unmarshalling input data failed: \"events\" is not a list".into()),
        },
        _ => Err("unmarshalling input data failed: not a JSON object".into()),
    }
}

/// The entries of a raw `.log` case: one per line (a trailing carriage
/// return removed, as Go's line scanner does), joined into blocks when
/// `multiline` is configured, minus lines matching `exclude_lines`.
pub fn raw_entries(text: &str, config: &CaseConfig) -> Result<Vec<String>, String> {
    let mut lines: Vec<String> = scan_lines(text).map(str::to_owned).collect();
    if let Some(Multiline { first_line_pattern }) = &config.multiline {
        if !first_line_pattern.is_empty() {
            let re = crate::go_regex::compile(first_line_pattern)
                .map_err(|e| format!("failed to read multiline: {e}"))?;
            lines = join_multiline(&lines, &re);
        }
    }
    if !config.exclude_lines.is_empty() {
        let patterns = config
            .exclude_lines
            .iter()
            .map(|p| crate::go_regex::compile(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("invalid expression in exclude_lines: {e}"))?;
        lines.retain(|l| !patterns.iter().any(|p| p.is_match(l)));
    }
    Ok(lines)
}

/// Lines as Go's `bufio.ScanLines` yields them.
fn scan_lines(text: &str) -> impl Iterator<Item = &str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let empty = text.is_empty();
    body.split('\n')
        .filter(move |_| !empty)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Groups lines into events: a line matching `first_line` starts a new
/// event unless nothing has been collected yet.
fn join_multiline(lines: &[String], first_line: &Regex) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut started = false;
    for line in lines {
        if first_line.is_match(line) && !current.is_empty() {
            out.push(std::mem::take(&mut current));
            current.push_str(line);
            started = true;
            continue;
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(line);
        started = true;
    }
    if started && (!current.is_empty() || out.is_empty()) {
        out.push(current);
    }
    out
}

/// Puts `value` at a dotted `key` as Beats' `MapStr.Put` does: an existing
/// literal key wins at every level, missing objects are created.
pub(crate) fn put_dotted(map: &mut Map, key: &str, value: Value) -> Result<(), String> {
    if map.contains_key(key) {
        map.insert(key.to_owned(), value);
        return Ok(());
    }
    match key.split_once('.') {
        None => {
            map.insert(key.to_owned(), value);
            Ok(())
        }
        Some((head, rest)) => {
            let child = map
                .entry(head.to_owned())
                .or_insert_with(|| Value::Map(Map::default()));
            match child {
                Value::Map(m) => put_dotted(m, rest, value),
                other => Err(format!(
                    "expected map but type is {}",
                    crate::go_format::go_type_name(other)
                )),
            }
        }
    }
}

/// Looks up a dotted `key` as `MapStr.GetValue` does.
pub(crate) fn get_dotted<'a>(map: &'a Map, key: &str) -> Option<&'a Value> {
    if let Some(v) = map.get(key) {
        return Some(v);
    }
    let (head, rest) = key.split_once('.')?;
    match map.get(head)? {
        Value::Map(m) => get_dotted(m, rest),
        _ => None,
    }
}

/// Removes a dotted `key` as `MapStr.Delete` does; absent keys are fine.
pub(crate) fn delete_dotted(map: &mut Map, key: &str) {
    if map.shift_remove(key).is_some() {
        return;
    }
    if let Some((head, rest)) = key.split_once('.') {
        if let Some(Value::Map(m)) = map.get_mut(head) {
            delete_dotted(m, rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg_multiline(p: &str) -> CaseConfig {
        CaseConfig {
            multiline: Some(Multiline {
                first_line_pattern: p.into(),
            }),
            ..CaseConfig::default()
        }
    }

    #[test]
    fn raw_lines_keep_empty_lines_and_drop_carriage_returns() {
        let got = raw_entries("a\r\n\nb", &CaseConfig::default()).unwrap();
        assert_eq!(got, vec!["a", "", "b"]);
        let got = raw_entries("a\nb\n", &CaseConfig::default()).unwrap();
        assert_eq!(got, vec!["a", "b"]);
        assert!(raw_entries("", &CaseConfig::default()).unwrap().is_empty());
    }

    #[test]
    fn multiline_joins_continuation_lines() {
        let text = "2024 first\n  more\n  again\n2024 second\n2024 third\n tail\n";
        let got = raw_entries(text, &cfg_multiline(r"^\d{4}")).unwrap();
        assert_eq!(
            got,
            vec![
                "2024 first\n  more\n  again",
                "2024 second",
                "2024 third\n tail"
            ]
        );
    }

    #[test]
    fn multiline_keeps_leading_continuation_lines_with_the_first_event() {
        let got = raw_entries("  orphan\n2024 a\n", &cfg_multiline(r"^\d{4}")).unwrap();
        assert_eq!(got, vec!["  orphan", "2024 a"]);
    }

    #[test]
    fn exclude_lines_drops_matching_entries() {
        let cfg = CaseConfig {
            exclude_lines: vec!["^#".into()],
            ..CaseConfig::default()
        };
        assert_eq!(raw_entries("#c\na\n", &cfg).unwrap(), vec!["a"]);
    }

    #[test]
    fn dotted_put_creates_objects_and_respects_literal_keys() {
        let mut m = Map::default();
        put_dotted(&mut m, "event.kind", Value::from("x")).unwrap();
        m.insert("a.b".into(), Value::Int(1));
        put_dotted(&mut m, "a.b", Value::Int(2)).unwrap();
        assert_eq!(
            isc_value::to_json_string(&Value::Map(m.clone())),
            r#"{"event":{"kind":"x"},"a.b":2}"#
        );
        assert_eq!(get_dotted(&m, "event.kind"), Some(&Value::from("x")));
        delete_dotted(&mut m, "event.kind");
        assert_eq!(
            isc_value::to_json_string(&Value::Map(m)),
            r#"{"event":{},"a.b":2}"#
        );
    }

    #[test]
    fn case_files_exclude_goldens_and_configs() {
        let dir = tempfile::tempdir().unwrap();
        for n in [
            "test-b.log",
            "test-a.json",
            "test-a.json-expected.json",
            "test-b.log-config.yml",
            "test-common-config.yml",
        ] {
            std::fs::write(dir.path().join(n), "").unwrap();
        }
        let names: Vec<String> = list_case_files(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["test-a.json", "test-b.log"]);
    }
}
