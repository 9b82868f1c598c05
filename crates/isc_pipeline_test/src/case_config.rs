//! The optional configuration of a test case: `test-common-config.yml`
//! shared by every case of a folder, overridden key by key by the case's own
//! `<case file>-config.yml`, as elastic-package merges them.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use isc_value::Value;
use serde::Deserialize;

use crate::error::PipelineTestError;

/// Suffix of a case's own configuration file (`test-a.log-config.yml`).
pub const CONFIG_SUFFIX: &str = "-config.yml";
/// Configuration shared by all cases of a test folder.
pub const COMMON_CONFIG_FILE: &str = "test-common-config.yml";

/// Everything a case's configuration can say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseConfig {
    /// Present when the case must not run.
    pub skip: Option<Skip>,
    /// Joins raw lines into multi-line events.
    pub multiline: Option<Multiline>,
    /// Fields set on every event before the pipeline (dotted names nest).
    pub fields: IndexMap<String, Value>,
    /// Fields whose values vary between runs: checked against the regular
    /// expression, then left out of the comparison.
    pub dynamic_fields: IndexMap<String, String>,
    /// `keyword` fields that may hold numbers (and booleans).
    pub numeric_keyword_fields: Vec<String>,
    /// Numeric fields that may hold numbers written as strings.
    pub string_number_fields: Vec<String>,
    /// Raw lines matching any of these regular expressions are left out.
    pub exclude_lines: Vec<String>,
}

/// Why and where a case is skipped.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Skip {
    /// Human reason.
    pub reason: String,
    /// Link to the issue tracking it.
    pub link: String,
}

/// How raw lines are grouped into events.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Multiline {
    /// A line matching this regular expression starts a new event.
    pub first_line_pattern: String,
}

#[derive(Debug, Default, Deserialize)]
struct RawConfig {
    skip: Option<Skip>,
    multiline: Option<Multiline>,
    #[serde(default)]
    fields: Option<IndexMap<String, serde_yaml::Value>>,
    #[serde(default)]
    dynamic_fields: Option<IndexMap<String, String>>,
    #[serde(default)]
    numeric_keyword_fields: Option<Vec<String>>,
    #[serde(default)]
    string_number_fields: Option<Vec<String>>,
    #[serde(default)]
    exclude_lines: Option<Vec<String>>,
}

/// The path of the configuration file belonging to `case_file`.
pub fn config_path_for(case_file: &Path) -> PathBuf {
    let mut name = case_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.push_str(CONFIG_SUFFIX);
    case_file.with_file_name(name)
}

/// Reads and merges the common and the case configuration of `case_file`.
/// Missing files mean an empty configuration.
pub fn read_case_config(case_file: &Path) -> Result<CaseConfig, PipelineTestError> {
    let folder = case_file.parent().unwrap_or(Path::new("."));
    let common = read_yaml_if_present(&folder.join(COMMON_CONFIG_FILE))?;
    let own = read_yaml_if_present(&config_path_for(case_file))?;
    let merged = match (common, own) {
        (None, None) => return Ok(CaseConfig::default()),
        (Some(c), None) => c,
        (None, Some(o)) => o,
        (Some(mut c), Some(o)) => {
            merge_yaml(&mut c, o);
            c
        }
    };
    let path = config_path_for(case_file);
    let raw: RawConfig = serde_yaml::from_value(merged).map_err(|e| PipelineTestError::Config {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let mut fields = IndexMap::new();
    for (k, v) in raw.fields.unwrap_or_default() {
        fields.insert(k, yaml_to_value(v));
    }
    Ok(CaseConfig {
        skip: raw.skip,
        multiline: raw.multiline,
        fields,
        dynamic_fields: raw.dynamic_fields.unwrap_or_default(),
        numeric_keyword_fields: raw.numeric_keyword_fields.unwrap_or_default(),
        string_number_fields: raw.string_number_fields.unwrap_or_default(),
        exclude_lines: raw.exclude_lines.unwrap_or_default(),
    })
}

fn read_yaml_if_present(path: &Path) -> Result<Option<serde_yaml::Value>, PipelineTestError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(PipelineTestError::io(path, e)),
    };
    let value: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| PipelineTestError::Config {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    Ok(match value {
        serde_yaml::Value::Null => None,
        v => Some(v),
    })
}

/// Deep merge: maps merge key by key, anything else is replaced.
fn merge_yaml(base: &mut serde_yaml::Value, over: serde_yaml::Value) {
    match (base, over) {
        (serde_yaml::Value::Mapping(b), serde_yaml::Value::Mapping(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge_yaml(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// A YAML value as the JSON Elasticsearch would receive for it.
pub(crate) fn yaml_to_value(v: serde_yaml::Value) -> Value {
    match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from_whole_number(i)
            } else if let Some(u) = n.as_u64() {
                Value::Double(u as f64)
            } else {
                // Go prints an integral float64 without a fraction (`1.0`
                // becomes `1`), so Elasticsearch reads it as a whole number.
                let f = n.as_f64().unwrap_or(0.0);
                if f.fract() == 0.0 && f.abs() < 9.0e18 {
                    Value::from_whole_number(f as i64)
                } else {
                    Value::Double(f)
                }
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => {
            Value::List(items.into_iter().map(yaml_to_value).collect())
        }
        serde_yaml::Value::Mapping(m) => {
            let mut map = isc_value::Map::default();
            for (k, v) in m {
                let key = match k {
                    serde_yaml::Value::String(s) => s,
                    other => serde_yaml::to_string(&other)
                        .map(|s| s.trim_end().to_owned())
                        .unwrap_or_default(),
                };
                map.insert(key, yaml_to_value(v));
            }
            Value::Map(map)
        }
        serde_yaml::Value::Tagged(t) => yaml_to_value(t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn case_config_overrides_common_config_key_by_key() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            COMMON_CONFIG_FILE,
            "fields:\n  tags: [a]\n  event.kind: event\ndynamic_fields:\n  event.ingested: '.*'\n",
        );
        write(
            dir.path(),
            "test-a.log-config.yml",
            "fields:\n  tags: [b]\nnumeric_keyword_fields: [x.y]\nmultiline:\n  first_line_pattern: '^\\d'\n",
        );
        let cfg = read_case_config(&dir.path().join("test-a.log")).unwrap();
        assert_eq!(
            cfg.fields.get("tags"),
            Some(&Value::List(vec![Value::from("b")]))
        );
        assert_eq!(cfg.fields.get("event.kind"), Some(&Value::from("event")));
        assert_eq!(cfg.dynamic_fields.get("event.ingested").unwrap(), ".*");
        assert_eq!(cfg.numeric_keyword_fields, vec!["x.y".to_owned()]);
        assert_eq!(cfg.multiline.unwrap().first_line_pattern, "^\\d");
    }

    #[test]
    fn integral_yaml_floats_reach_the_pipeline_as_whole_numbers() {
        let v: serde_yaml::Value = serde_yaml::from_str("[1.0, 1.5, 3000000000.0]").unwrap();
        assert_eq!(
            yaml_to_value(v),
            Value::List(vec![
                Value::Int(1),
                Value::Double(1.5),
                Value::Long(3_000_000_000)
            ])
        );
    }

    #[test]
    fn missing_files_give_an_empty_config() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = read_case_config(&dir.path().join("test-a.json")).unwrap();
        assert_eq!(cfg, CaseConfig::default());
    }

    #[test]
    fn skip_needs_reason_and_link() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "test-a.log-config.yml",
            "skip:\n  reason: flaky\n",
        );
        let err = read_case_config(&dir.path().join("test-a.log")).unwrap_err();
        assert!(err.to_string().contains("link"), "{err}");
    }
}
