//! JSON schemas for the package files, written by this project for the
//! package-spec 3.x format (see `schemas/*.schema.yml`), and their checking.

use std::path::Path;
use std::sync::OnceLock;

use crate::problem::Problem;
use crate::yaml_lines::line_of_pointer;

/// The kinds of package file checked against a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaKind {
    /// `manifest.yml` at the package root.
    PackageManifest,
    /// `data_stream/<name>/manifest.yml`.
    DataStreamManifest,
    /// `data_stream/<name>/fields/*.yml`.
    Fields,
    /// `changelog.yml`.
    Changelog,
    /// `data_stream/<name>/elasticsearch/ingest_pipeline/*.yml`.
    IngestPipeline,
    /// `_dev/build/build.yml`.
    BuildManifest,
    /// `elasticsearch/transform/<name>/transform.yml`.
    Transform,
    /// `elasticsearch/transform/<name>/manifest.yml`.
    TransformManifest,
}

impl SchemaKind {
    fn source(self) -> &'static str {
        match self {
            SchemaKind::PackageManifest => include_str!("../schemas/package_manifest.schema.yml"),
            SchemaKind::DataStreamManifest => {
                include_str!("../schemas/data_stream_manifest.schema.yml")
            }
            SchemaKind::Fields => include_str!("../schemas/fields.schema.yml"),
            SchemaKind::Changelog => include_str!("../schemas/changelog.schema.yml"),
            SchemaKind::IngestPipeline => include_str!("../schemas/ingest_pipeline.schema.yml"),
            SchemaKind::BuildManifest => include_str!("../schemas/build_manifest.schema.yml"),
            SchemaKind::Transform => include_str!("../schemas/transform.schema.yml"),
            SchemaKind::TransformManifest => {
                include_str!("../schemas/transform_manifest.schema.yml")
            }
        }
    }

    fn slot(self) -> &'static OnceLock<Result<jsonschema::Validator, String>> {
        static SLOTS: [OnceLock<Result<jsonschema::Validator, String>>; 8] =
            [const { OnceLock::new() }; 8];
        &SLOTS[self as usize]
    }

    fn validator(self) -> Result<&'static jsonschema::Validator, String> {
        self.slot()
            .get_or_init(|| {
                let yaml: serde_yaml::Value =
                    serde_yaml::from_str(self.source()).map_err(|e| e.to_string())?;
                let json = serde_json::to_value(yaml).map_err(|e| e.to_string())?;
                jsonschema::validator_for(&json).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Parses `text` as YAML and checks it against the schema of `kind`.
/// Returns the parsed document when it is valid YAML (even if the schema
/// reports problems), so later rules can inspect it.
pub fn check_yaml(
    kind: SchemaKind,
    file: &Path,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<serde_json::Value> {
    let json = match parse_yaml(file, text) {
        Ok(v) => v,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    check_value(kind, file, text, &json, problems);
    Some(json)
}

/// Parses `text` (the YAML of `file`) into a JSON value: invalid YAML is
/// reported at its line, content JSON cannot hold (e.g. non-string keys)
/// without one.
pub fn parse_yaml(file: &Path, text: &str) -> Result<serde_json::Value, Problem> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        Problem::at(file, line, format!("invalid YAML: {e}"))
    })?;
    serde_json::to_value(&yaml)
        .map_err(|e| Problem::new(file, format!("unsupported YAML content: {e}")))
}

/// Checks an already parsed document; `text` is used to find lines.
pub fn check_value(
    kind: SchemaKind,
    file: &Path,
    text: &str,
    value: &serde_json::Value,
    problems: &mut Vec<Problem>,
) {
    let validator = match kind.validator() {
        Ok(v) => v,
        Err(e) => {
            problems.push(Problem::new(file, format!("internal schema error: {e}")));
            return;
        }
    };
    let mut found: Vec<(String, String)> = validator
        .iter_errors(value)
        .map(|error| (error.instance_path.to_string(), shorten(&error.to_string())))
        .collect();
    found.sort();
    found.dedup();
    for (pointer, message) in found {
        let line = line_of_pointer(text, &pointer);
        let at = if pointer.is_empty() {
            "document"
        } else {
            pointer.as_str()
        };
        problems.push(Problem::at(file, line, format!("{at}: {message}")));
    }
}

/// Long lists of allowed values make unreadable lines: keep the first few.
fn shorten(message: &str) -> String {
    const KEEP: usize = 5;
    let Some((value, list)) = message.split_once(" is not one of [") else {
        return message.to_string();
    };
    let options: Vec<&str> = list.trim_end_matches(']').split(',').collect();
    if options.len() <= KEEP {
        return message.to_string();
    }
    format!(
        "{value} is not one of the {} allowed values ({}, ...)",
        options.len(),
        options[..KEEP].join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems `check_yaml` reports for `text` as a `kind` file.
    fn problems_in(kind: SchemaKind, text: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_yaml(kind, Path::new("test.yml"), text, &mut problems);
        problems
    }

    #[test]
    fn every_schema_compiles() {
        for kind in [
            SchemaKind::PackageManifest,
            SchemaKind::DataStreamManifest,
            SchemaKind::Fields,
            SchemaKind::Changelog,
            SchemaKind::IngestPipeline,
            SchemaKind::BuildManifest,
            SchemaKind::Transform,
            SchemaKind::TransformManifest,
        ] {
            assert!(
                kind.validator().is_ok(),
                "{kind:?}: {:?}",
                kind.validator().err()
            );
        }
    }

    #[test]
    fn changelog_with_bad_type_points_at_its_line() {
        let text = "- version: 1.0.0\n  changes:\n    - description: x\n      type: feature\n      link: https://example.com\n";
        let problems = problems_in(SchemaKind::Changelog, text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(4));
        assert!(
            problems[0].message.starts_with("/0/changes/0/type:"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn invalid_yaml_is_reported_with_line() {
        let mut problems = Vec::new();
        let parsed = check_yaml(
            SchemaKind::Fields,
            Path::new("f.yml"),
            "- name: a\n  type: [x\n",
            &mut problems,
        );
        assert!(parsed.is_none());
        assert!(problems[0].line.is_some());
    }

    #[test]
    fn unknown_processor_type_is_reported_at_its_line() {
        let text =
            "processors:\n  - set:\n      field: a\n      value: 1\n  - sett:\n      field: b\n";
        let problems = problems_in(SchemaKind::IngestPipeline, text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(5));
        assert!(problems[0].message.contains("sett"), "{}", problems[0]);
    }

    #[test]
    fn long_value_lists_are_shortened() {
        assert_eq!(
            shorten(r#""x" is not one of ["a","b","c","d","e","f"]"#),
            r#""x" is not one of the 6 allowed values ("a", "b", "c", "d", "e", ...)"#
        );
        assert_eq!(
            shorten(r#""x" is not one of ["a","b"]"#),
            r#""x" is not one of ["a","b"]"#
        );
    }

    #[test]
    fn pipeline_processor_must_be_single_key() {
        let text = "processors:\n  - set:\n      field: a\n    rename:\n      field: b\n";
        let problems = problems_in(SchemaKind::IngestPipeline, text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(2));
    }

    fn transform_problems(text: &str) -> Vec<Problem> {
        problems_in(SchemaKind::Transform, text)
    }

    const LATEST: &str = "source:\n  index: [logs-a.b-*]\ndest:\n  index: logs-a_latest.dest_b-1\nlatest:\n  unique_key: [a.b.id]\n  sort: \"@timestamp\"\nsync:\n  time:\n    field: event.ingested\n    delay: 120s\nretention_policy:\n  time:\n    field: \"@timestamp\"\n    max_age: 30d\n_meta:\n  fleet_transform_version: 0.1.0\n  managed: true\n";

    #[test]
    fn latest_transform_is_accepted() {
        let problems = transform_problems(LATEST);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn latest_transform_without_sort_is_reported_at_its_line() {
        let problems = transform_problems(&LATEST.replace("  sort: \"@timestamp\"\n", ""));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(5));
        assert!(problems[0].message.contains("sort"), "{}", problems[0]);
    }

    #[test]
    fn transform_with_pivot_and_latest_or_neither_is_reported() {
        let both = format!("{LATEST}pivot:\n  group_by: {{}}\n  aggs: {{}}\n");
        assert!(!transform_problems(&both).is_empty());
        let neither = LATEST.replace(
            "latest:\n  unique_key: [a.b.id]\n  sort: \"@timestamp\"\n",
            "",
        );
        assert!(!transform_problems(&neither).is_empty());
    }

    #[test]
    fn transform_durations_and_meta_version_are_checked() {
        let problems =
            transform_problems(&LATEST.replace("max_age: 30d", "max_age: 30 days").replace(
                "fleet_transform_version: 0.1.0",
                "fleet_transform_version: one",
            ));
        let lines: Vec<Option<usize>> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(17), Some(15)], "{problems:?}");
    }

    #[test]
    fn transform_manifest_rejects_unknown_index_settings() {
        let problems = problems_in(
            SchemaKind::TransformManifest,
            "start: true\ndestination_index_template:\n  settings:\n    index:\n      shards: 2\n  mappings:\n    dynamic: false\n",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(4));
    }
}
