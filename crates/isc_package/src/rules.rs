//! Rules JSON schemas cannot express: data stream and transform folder
//! names, `format_version` support, fields written by pipelines or used by
//! transforms being defined, transforms not writing into their own source,
//! and every pipeline processor carrying a unique `tag` and a `description`.

use std::path::Path;

use isc_fields::FieldSet;
use serde_json::Value;

use crate::problem::Problem;
use crate::yaml_lines::line_of_pointer;

/// Highest package-spec version this builder's schemas describe.
pub const MAX_FORMAT_VERSION: (u64, u64, u64) = (3, 6, 6);
/// Lowest package-spec version accepted.
pub const MIN_FORMAT_VERSION: (u64, u64, u64) = (3, 0, 0);

/// Data stream folder names: lowercase letters, digits and `_`, starting
/// with a letter (they become part of index names).
pub fn check_data_stream_name(name: &str, problems: &mut Vec<Problem>) {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        problems.push(Problem::new(
            Path::new("data_stream").join(name),
            format!("data stream folder name {name:?} must match ^[a-z][a-z0-9_]*$"),
        ));
    }
}

/// Transform folder names: lowercase letters, digits and `_` (Fleet makes
/// them part of the transform's and its index template's names).
pub fn check_transform_name(name: &str, folder: &Path, problems: &mut Vec<Problem>) {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        problems.push(Problem::new(
            folder,
            format!("transform folder name {name:?} must match ^[a-z0-9_]+$"),
        ));
    }
}

/// The fields a transform works with must be defined in its destination
/// index fields (`fields_dir`): a latest transform's `unique_key` fields
/// (terms of a composite aggregation: not text, nor an object) and its
/// `sort` field, and the `sync.time` and `retention_policy.time` fields,
/// which must be dates.
pub fn check_transform_fields(
    file: &Path,
    text: &str,
    transform: &Value,
    fields: &FieldSet,
    fields_dir: &str,
    problems: &mut Vec<Problem>,
) {
    let mut used: Vec<(String, &str, Need)> = Vec::new();
    if let Some(keys) = transform
        .pointer("/latest/unique_key")
        .and_then(Value::as_array)
    {
        for (i, key) in keys.iter().enumerate() {
            if let Some(name) = key.as_str() {
                used.push((format!("/latest/unique_key/{i}"), name, Need::Term));
            }
        }
    }
    for (pointer, need) in [
        ("/latest/sort", Need::Sortable),
        ("/sync/time/field", Need::Date),
        ("/retention_policy/time/field", Need::Date),
    ] {
        if let Some(name) = transform.pointer(pointer).and_then(Value::as_str) {
            used.push((pointer.to_string(), name, need));
        }
    }
    for (pointer, name, need) in used {
        let line = line_of_pointer(text, &pointer);
        let Some(field) = fields.get(name) else {
            problems.push(Problem::at(
                file,
                line,
                format!("the transform uses field {name:?}, which is not defined in {fields_dir}"),
            ));
            continue;
        };
        let field_type = field.field_type.as_str();
        let fits = match need {
            Need::Date => matches!(field_type, "date" | "date_nanos"),
            Need::Sortable | Need::Term => !matches!(
                field_type,
                "text"
                    | "match_only_text"
                    | "wildcard"
                    | "object"
                    | "group"
                    | "nested"
                    | "flattened"
            ),
        };
        if !fits {
            let wanted = match need {
                Need::Date => "a date",
                Need::Sortable => "a field it can sort on",
                Need::Term => "a field with exact values",
            };
            problems.push(Problem::at(
                file,
                line,
                format!("the transform needs {wanted} in {name:?}, defined as {field_type}"),
            ));
        }
    }
}

/// A transform must not read what it writes: its destination index and
/// aliases may match none of its source index patterns (`*` wildcards, `,`
/// lists), or each run would read its own output.
pub fn check_transform_indices(
    file: &Path,
    text: &str,
    transform: &Value,
    problems: &mut Vec<Problem>,
) {
    let sources: Vec<&str> = match transform.pointer("/source/index") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let patterns: Vec<&str> = sources
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .collect();
    let mut written = Vec::new();
    if let Some(index) = transform.pointer("/dest/index").and_then(Value::as_str) {
        written.push(("/dest/index".to_string(), index));
    }
    if let Some(aliases) = transform.pointer("/dest/aliases").and_then(Value::as_array) {
        for (i, alias) in aliases.iter().enumerate() {
            if let Some(name) = alias.get("alias").and_then(Value::as_str) {
                written.push((format!("/dest/aliases/{i}/alias"), name));
            }
        }
    }
    for (pointer, name) in written {
        if let Some(pattern) = patterns.iter().find(|p| wildcard_matches(p, name)) {
            problems.push(Problem::at(
                file,
                line_of_pointer(text, &pointer),
                format!("the transform writes {name:?}, which its source {pattern:?} reads"),
            ));
        }
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any text.
fn wildcard_matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// What a transform needs of a field it uses.
#[derive(Debug, Clone, Copy)]
enum Need {
    Term,
    Sortable,
    Date,
}

/// `format_version` must be a 3.x version this builder supports.
pub fn check_format_version(file: &Path, text: &str, version: &str, problems: &mut Vec<Problem>) {
    let line = line_of_pointer(text, "/format_version");
    let parsed: Option<Vec<u64>> = version.split('.').map(|p| p.parse().ok()).collect();
    let supported = match parsed.as_deref() {
        Some([a, b, c]) => {
            let v = (*a, *b, *c);
            v >= MIN_FORMAT_VERSION && v <= MAX_FORMAT_VERSION
        }
        _ => false,
    };
    if !supported {
        let (a, b, c) = MAX_FORMAT_VERSION;
        problems.push(Problem::at(
            file,
            line,
            format!("format_version {version:?} is not supported (3.0.0 to {a}.{b}.{c})"),
        ));
    }
}

/// The package version must be the newest changelog entry.
pub fn check_version_matches_changelog(
    file: &Path,
    text: &str,
    version: &str,
    changelog_version: &str,
    problems: &mut Vec<Problem>,
) {
    if version != changelog_version {
        problems.push(Problem::at(
            file,
            line_of_pointer(text, "/version"),
            format!(
                "version {version:?} differs from the newest changelog entry {changelog_version:?}"
            ),
        ));
    }
}

/// Every field a pipeline writes must be defined in the data stream's
/// fields (directly, as a parent group, or below a `flattened`/`object`
/// field), unless the pipeline removes it (or a parent) again, or it is an
/// internal name starting with `_` or `@metadata`.
pub fn check_pipeline_fields(
    file: &Path,
    text: &str,
    pipeline: &Value,
    fields: &FieldSet,
    fields_dir: &str,
    problems: &mut Vec<Problem>,
) {
    let mut written = Vec::new();
    let mut removed = Vec::new();
    for key in ["processors", "on_failure"] {
        if let Some(list) = pipeline.get(key).and_then(Value::as_array) {
            collect(list, &format!("/{key}"), &mut written, &mut removed);
        }
    }
    for (field, pointer) in written {
        if field.starts_with('_') || field.starts_with("@metadata") || field.contains("{{") {
            continue;
        }
        if removed.iter().any(|r| is_same_or_below(&field, r)) {
            continue;
        }
        if is_defined(&field, fields) {
            continue;
        }
        problems.push(Problem::at(
            file,
            line_of_pointer(text, &pointer),
            format!("the pipeline writes field {field:?}, which is not defined in {fields_dir}"),
        ));
    }
}

fn is_same_or_below(field: &str, parent: &str) -> bool {
    field == parent
        || field
            .strip_prefix(parent)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn is_defined(field: &str, fields: &FieldSet) -> bool {
    if fields.get(field).is_some() || fields.has_children(field) {
        return true;
    }
    let mut prefix = field;
    while let Some((parent, _)) = prefix.rsplit_once('.') {
        if let Some(def) = fields.get(parent) {
            return matches!(def.field_type.as_str(), "flattened" | "object" | "nested");
        }
        prefix = parent;
    }
    false
}

/// Collects (field, JSON pointer) pairs written by processors, and removed fields.
fn collect(
    processors: &[Value],
    base: &str,
    written: &mut Vec<(String, String)>,
    removed: &mut Vec<String>,
) {
    for (index, processor) in processors.iter().enumerate() {
        let Some((kind, options)) = processor.as_object().and_then(|m| m.iter().next()) else {
            continue;
        };
        let pointer = format!("{base}/{index}/{kind}");
        let text = |key: &str| options.get(key).and_then(Value::as_str).map(str::to_string);
        let target = |default: Option<String>| -> Option<(String, String)> {
            match text("target_field") {
                Some(t) => Some((t, format!("{pointer}/target_field"))),
                None => default.map(|d| (d, format!("{pointer}/field"))),
            }
        };
        let write = match kind.as_str() {
            "set" | "append" => text("field").map(|f| (f, format!("{pointer}/field"))),
            "rename" => target(None),
            "date" => target(Some("@timestamp".to_string())),
            "convert" | "lowercase" | "uppercase" | "trim" | "gsub" | "split" | "join"
            | "urldecode" | "bytes" | "html_strip" | "sort" | "json" | "community_id"
            | "network_direction" | "registered_domain" | "uri_parts" | "fingerprint" => {
                target(text("field"))
            }
            "user_agent" => target(Some("user_agent".to_string())),
            "geoip" => target(Some("geoip".to_string())),
            "remove" => {
                match options.get("field") {
                    Some(Value::String(f)) => removed.push(f.clone()),
                    Some(Value::Array(list)) => {
                        removed.extend(list.iter().filter_map(Value::as_str).map(str::to_string))
                    }
                    _ => {}
                }
                None
            }
            _ => None,
        };
        if let Some(w) = write {
            written.push(w);
        }
        if kind == "csv" {
            if let Some(list) = options.get("target_fields").and_then(Value::as_array) {
                for (i, f) in list.iter().enumerate() {
                    if let Some(f) = f.as_str() {
                        written.push((f.to_string(), format!("{pointer}/target_fields/{i}")));
                    }
                }
            }
        }
        if let Some(nested) = options.get("on_failure").and_then(Value::as_array) {
            collect(nested, &format!("{pointer}/on_failure"), written, removed);
        }
        if kind == "foreach" {
            if let Some(inner) = options.get("processor") {
                collect(
                    std::slice::from_ref(inner),
                    &format!("{pointer}/processor"),
                    written,
                    removed,
                );
            }
        }
    }
}

/// Every processor of a pipeline (nested `on_failure` lists and `foreach`
/// processors included) has a `tag` unique within the pipeline and a
/// `description`: failures then name the processor, and `simulate
/// --verbose` and coverage reports read as documentation.
pub fn check_processor_tags(
    file: &Path,
    text: &str,
    pipeline: &Value,
    problems: &mut Vec<Problem>,
) {
    let mut seen: Vec<String> = Vec::new();
    for key in ["processors", "on_failure"] {
        if let Some(list) = pipeline.get(key).and_then(Value::as_array) {
            check_tags_in(file, text, list, &format!("/{key}"), &mut seen, problems);
        }
    }
}

fn check_tags_in(
    file: &Path,
    text: &str,
    processors: &[Value],
    base: &str,
    seen: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) {
    for (index, processor) in processors.iter().enumerate() {
        let Some((kind, options)) = processor.as_object().and_then(|m| m.iter().next()) else {
            continue;
        };
        let pointer = format!("{base}/{index}/{kind}");
        let line = || line_of_pointer(text, &pointer);
        match options.get("tag").and_then(Value::as_str) {
            Some(tag) if seen.iter().any(|t| t == tag) => problems.push(Problem::at(
                file,
                line(),
                format!("processor tag {tag:?} is used more than once in this pipeline"),
            )),
            Some(tag) => seen.push(tag.to_string()),
            None => problems.push(Problem::at(
                file,
                line(),
                format!("processor {kind} has no tag"),
            )),
        }
        if options.get("description").and_then(Value::as_str).is_none() {
            problems.push(Problem::at(
                file,
                line(),
                format!("processor {kind} has no description"),
            ));
        }
        if let Some(nested) = options.get("on_failure").and_then(Value::as_array) {
            check_tags_in(
                file,
                text,
                nested,
                &format!("{pointer}/on_failure"),
                seen,
                problems,
            );
        }
        if kind == "foreach" {
            if let Some(inner) = options.get("processor") {
                check_tags_in(
                    file,
                    text,
                    std::slice::from_ref(inner),
                    &format!("{pointer}/processor"),
                    seen,
                    problems,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use isc_fields::EcsReference;

    use super::*;

    fn fields() -> FieldSet {
        FieldSet::from_texts(
            &[(
                Path::new("fields.yml"),
                "- name: a.b\n  type: keyword\n- name: a.attrs\n  type: flattened\n- name: event.kind\n  external: ecs\n",
            )],
            EcsReference::embedded(),
        )
        .expect("fields")
    }

    fn check(text: &str) -> Vec<Problem> {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
        let json = serde_json::to_value(yaml).expect("json");
        let mut problems = Vec::new();
        check_pipeline_fields(
            Path::new("p.yml"),
            text,
            &json,
            &fields(),
            "fields/",
            &mut problems,
        );
        problems
    }

    #[test]
    fn undefined_written_field_is_reported_at_its_line() {
        let problems = check(
            "processors:\n  - set:\n      field: a.b\n      value: x\n  - rename:\n      field: json.c\n      target_field: a.c\n",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].to_string(),
            "p.yml:7: the pipeline writes field \"a.c\", which is not defined in fields/"
        );
    }

    #[test]
    fn removed_internal_and_flattened_children_are_accepted() {
        let problems = check(
            "processors:\n  - json:\n      field: event.original\n      target_field: tmp\n  - set:\n      field: a.attrs.x\n      value: 1\n  - set:\n      field: _tmp.y\n      value: 1\n  - remove:\n      field: [tmp]\n  - set:\n      field: event.kind\n      value: event\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn nested_on_failure_writes_are_checked() {
        let problems = check(
            "processors:\n  - set:\n      field: a.b\n      value: x\n      on_failure:\n        - set:\n            field: nope\n            value: y\n",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(7));
    }

    #[test]
    fn data_stream_names_must_be_lowercase_identifiers() {
        let mut problems = Vec::new();
        check_data_stream_name("events", &mut problems);
        check_data_stream_name("Bad-Name", &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("Bad-Name"));
    }

    #[test]
    fn format_version_outside_supported_range_is_reported() {
        let mut problems = Vec::new();
        check_format_version(
            Path::new("m.yml"),
            "format_version: 2.0.0\n",
            "2.0.0",
            &mut problems,
        );
        check_format_version(
            Path::new("m.yml"),
            "format_version: 3.6.0\n",
            "3.6.0",
            &mut problems,
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(1));
    }

    fn tag_problems(text: &str) -> Vec<String> {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
        let json = serde_json::to_value(yaml).expect("json");
        let mut problems = Vec::new();
        check_processor_tags(Path::new("p.yml"), text, &json, &mut problems);
        problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn processors_need_a_unique_tag_and_a_description() {
        let problems = tag_problems(
            "processors:\n  - set:\n      tag: a\n      description: A.\n      field: x\n      value: 1\n  - set:\n      field: y\n      value: 1\n      on_failure:\n        - remove:\n            tag: a\n            description: Again.\n            field: y\n",
        );
        assert_eq!(
            problems,
            [
                "p.yml:7: processor set has no tag",
                "p.yml:7: processor set has no description",
                "p.yml:11: processor tag \"a\" is used more than once in this pipeline",
            ]
        );
    }

    #[test]
    fn tagged_and_described_processors_pass() {
        assert!(
            tag_problems(
                "processors:\n  - set:\n      tag: a\n      description: A.\n      field: x\n      value: 1\non_failure:\n  - set:\n      tag: b\n      description: B.\n      field: y\n      value: 1\n"
            )
            .is_empty()
        );
    }

    fn transform_problems(text: &str) -> Vec<Problem> {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
        let json = serde_json::to_value(yaml).expect("json");
        let fields = FieldSet::from_texts(
            &[(
                Path::new("fields.yml"),
                "- name: a.id\n  type: keyword\n- name: a.text\n  type: match_only_text\n- name: \"@timestamp\"\n  external: ecs\n- name: event.ingested\n  external: ecs\n",
            )],
            EcsReference::embedded(),
        )
        .expect("fields");
        let mut problems = Vec::new();
        check_transform_fields(
            Path::new("transform.yml"),
            text,
            &json,
            &fields,
            "fields/",
            &mut problems,
        );
        problems
    }

    #[test]
    fn transform_fields_defined_with_fitting_types_are_accepted() {
        let problems = transform_problems(
            "latest:\n  unique_key: [a.id]\n  sort: \"@timestamp\"\nsync:\n  time:\n    field: event.ingested\nretention_policy:\n  time:\n    field: \"@timestamp\"\n    max_age: 1d\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn transform_fields_undefined_or_of_the_wrong_type_are_reported_at_their_lines() {
        let problems = transform_problems(
            "latest:\n  unique_key: [a.text, a.nope]\n  sort: \"@timestamp\"\nsync:\n  time:\n    field: a.id\n",
        );
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "transform.yml:2: the transform needs a field with exact values in \"a.text\", defined as match_only_text",
                "transform.yml:2: the transform uses field \"a.nope\", which is not defined in fields/",
                "transform.yml:6: the transform needs a date in \"a.id\", defined as keyword",
            ]
        );
    }

    #[test]
    fn transform_folder_names_are_checked() {
        let mut problems = Vec::new();
        check_transform_name("latest_users", Path::new("t"), &mut problems);
        assert!(problems.is_empty());
        check_transform_name("Latest-Users", Path::new("t"), &mut problems);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn wildcards_match_as_index_patterns_do() {
        assert!(wildcard_matches("logs-a.b-*", "logs-a.b-default"));
        assert!(wildcard_matches("logs-*", "logs-a_latest.dest_b-1"));
        assert!(wildcard_matches("logs-*-x*y", "logs-1-x2y"));
        assert!(wildcard_matches("a*a", "aa"));
        assert!(!wildcard_matches("a*a", "a"));
        assert!(!wildcard_matches("logs-a.b-*", "logs-a_latest.dest_b-1"));
        assert!(!wildcard_matches("logs-a", "logs-ab"));
    }

    #[test]
    fn transform_writing_into_its_source_is_reported_at_the_line() {
        let text = "source:\n  index: [\"logs-a.b-*\", \"logs-c-*\"]\ndest:\n  index: logs-a_latest.dest_b-1\n  aliases:\n    - alias: logs-c-latest\n";
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
        let json = serde_json::to_value(yaml).expect("json");
        let mut problems = Vec::new();
        check_transform_indices(Path::new("t.yml"), text, &json, &mut problems);
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "t.yml:6: the transform writes \"logs-c-latest\", which its source \"logs-c-*\" reads"
            ]
        );
    }
}
