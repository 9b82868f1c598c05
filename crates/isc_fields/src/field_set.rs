//! Loading fields.yml files into a flat, name-keyed set of leaf definitions.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::ecs::{ECS_VERSION, EcsReference};
use crate::field::{FieldDef, FieldOrigin, MultiField, is_known_field_type};
use crate::locate::NameLocator;
use crate::problem::{FieldErrors, FieldProblem, FieldProblemKind};

/// The leaf field definitions of a data stream, keyed by full dotted name.
#[derive(Debug, Clone, Default)]
pub struct FieldSet {
    fields: BTreeMap<String, FieldDef>,
}

impl FieldSet {
    /// Loads every `*.yml` file of each folder (sorted by file name), e.g. a
    /// data stream's `fields/` folder and, if any, the package's `fields/`.
    pub fn load_dirs(dirs: &[&Path], ecs: &EcsReference) -> Result<FieldSet, FieldErrors> {
        Self::load_dirs_keeping(dirs, ecs, Duplicates::Refuse)
    }

    /// Loads a data stream's fields, `<data_stream_dir>/fields/*.yml`, as
    /// elastic-package's pipeline test runner reads them: a field defined
    /// twice keeps its first definition (the runner appends every
    /// definition and looks up the first; package-spec linting, which
    /// `isc check` does with [`FieldSet::from_texts`], refuses duplicates).
    pub fn load_data_stream(
        data_stream_dir: &Path,
        ecs: &EcsReference,
    ) -> Result<FieldSet, FieldErrors> {
        Self::load_dirs_keeping(
            &[&data_stream_dir.join("fields")],
            ecs,
            Duplicates::KeepFirst,
        )
    }

    fn load_dirs_keeping(
        dirs: &[&Path],
        ecs: &EcsReference,
        duplicates: Duplicates,
    ) -> Result<FieldSet, FieldErrors> {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for dir in dirs {
            match yaml_files_in(dir) {
                Ok(found) => files.extend(found),
                Err(problem) => problems.push(problem),
            }
        }
        let mut loader = Loader::new(ecs);
        loader.duplicates = duplicates;
        loader.problems = problems;
        for file in &files {
            match fs::read_to_string(file) {
                Ok(text) => loader.load_text(&text, file),
                Err(e) => loader.problem(file, None, FieldProblemKind::Unreadable(e.to_string())),
            }
        }
        loader.finish()
    }

    /// Loads definitions from YAML texts, each with the path used in messages.
    pub fn from_texts(
        texts: &[(&Path, &str)],
        ecs: &EcsReference,
    ) -> Result<FieldSet, FieldErrors> {
        let mut loader = Loader::new(ecs);
        for (file, text) in texts {
            loader.load_text(text, file);
        }
        loader.finish()
    }

    /// The definition of a leaf field by full dotted name.
    pub fn get(&self, name: &str) -> Option<&FieldDef> {
        self.fields.get(name)
    }

    /// True when some defined field lies below `prefix` (`prefix.` + more).
    pub fn has_children(&self, prefix: &str) -> bool {
        let start = format!("{prefix}.");
        self.fields
            .range(start.clone()..)
            .next()
            .is_some_and(|(name, _)| name.starts_with(&start))
    }

    /// All definitions, sorted by name (byte order).
    pub fn iter(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields.values()
    }

    /// Number of leaf definitions.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when no field is defined.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// The `*.yml` files of a folder, sorted by name.
fn yaml_files_in(dir: &Path) -> Result<Vec<PathBuf>, FieldProblem> {
    let unreadable = |e: std::io::Error| FieldProblem {
        file: dir.to_path_buf(),
        line: None,
        kind: FieldProblemKind::Unreadable(e.to_string()),
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.extension().is_some_and(|e| e == "yml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

struct Loader<'e> {
    ecs: &'e EcsReference,
    fields: BTreeMap<String, FieldDef>,
    problems: Vec<FieldProblem>,
    duplicates: Duplicates,
}

/// What a second definition of a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Duplicates {
    /// A problem, as package-spec linting reports it.
    Refuse,
    /// Ignored: the first definition stands.
    KeepFirst,
}

impl<'e> Loader<'e> {
    fn new(ecs: &'e EcsReference) -> Self {
        Loader {
            ecs,
            fields: BTreeMap::new(),
            problems: Vec::new(),
            duplicates: Duplicates::Refuse,
        }
    }

    fn problem(&mut self, file: &Path, line: Option<usize>, kind: FieldProblemKind) {
        self.problems.push(FieldProblem {
            file: file.to_path_buf(),
            line,
            kind,
        });
    }

    fn finish(self) -> Result<FieldSet, FieldErrors> {
        if self.problems.is_empty() {
            Ok(FieldSet {
                fields: self.fields,
            })
        } else {
            Err(FieldErrors(self.problems))
        }
    }

    fn load_text(&mut self, text: &str, file: &Path) {
        let root: Value = match serde_yaml::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let line = e.location().map(|l| l.line());
                self.problem(file, line, FieldProblemKind::InvalidYaml(e.to_string()));
                return;
            }
        };
        let entries = match root {
            Value::Sequence(seq) => seq,
            Value::Null => Vec::new(),
            _ => {
                let kind = FieldProblemKind::Malformed(
                    "a fields file must be a list of field entries".into(),
                );
                self.problem(file, Some(1), kind);
                return;
            }
        };
        let mut locator = NameLocator::new(text);
        self.load_entries(&entries, "", file, &mut locator);
    }

    fn load_entries(
        &mut self,
        entries: &[Value],
        prefix: &str,
        file: &Path,
        loc: &mut NameLocator,
    ) {
        let place = if prefix.is_empty() {
            "<top level>"
        } else {
            prefix
        };
        for entry in entries {
            let Some(map) = entry.as_mapping() else {
                let kind = FieldProblemKind::Malformed(format!(
                    "entries under {place:?} must be mappings with a name"
                ));
                self.problem(file, None, kind);
                continue;
            };
            let Some(short_name) = str_of(map, "name") else {
                let kind = FieldProblemKind::Malformed(format!(
                    "a field entry under {place:?} has no name"
                ));
                self.problem(file, None, kind);
                continue;
            };
            let line = loc.next(short_name);
            let name = if prefix.is_empty() {
                short_name.to_string()
            } else {
                format!("{prefix}.{short_name}")
            };
            self.load_entry(map, name, file, line, loc);
        }
    }

    fn load_entry(
        &mut self,
        map: &Mapping,
        name: String,
        file: &Path,
        line: Option<usize>,
        loc: &mut NameLocator,
    ) {
        let external = str_of(map, "external").map(str::to_string);
        let children = map.get("fields").and_then(Value::as_sequence);
        if external.is_none() {
            if let Some(children) = children {
                if let Some(t) = str_of(map, "type") {
                    if !is_known_field_type(t) {
                        let kind = FieldProblemKind::UnknownType {
                            name: name.clone(),
                            field_type: t.to_string(),
                        };
                        self.problem(file, line, kind);
                    }
                }
                let children = children.clone();
                self.load_entries(&children, &name, file, loc);
                return;
            }
            // An empty group defines nothing (elastic-package skips it too).
            if str_of(map, "type") == Some("group") {
                return;
            }
        }
        let origin = FieldOrigin {
            file: file.to_path_buf(),
            line,
        };
        let mut def = FieldDef {
            name: name.clone(),
            origin,
            ..FieldDef::default()
        };
        if let Some(schema) = &external {
            if schema != "ecs" {
                let kind = FieldProblemKind::UnknownExternalSchema {
                    name,
                    schema: schema.clone(),
                };
                self.problem(file, line, kind);
                return;
            }
            let Some(ecs_field) = self.ecs.get(&name) else {
                let kind = FieldProblemKind::NotInEcs {
                    name,
                    ecs_version: ECS_VERSION.to_string(),
                };
                self.problem(file, line, kind);
                return;
            };
            def.field_type = ecs_field.field_type.clone();
            def.description = Some(ecs_field.description.clone());
            def.external = Some(schema.clone());
            if ecs_field.array {
                def.normalize = vec!["array".to_string()];
            }
            def.object_type = ecs_field.object_type.clone();
            def.pattern = ecs_field.pattern.clone();
            def.example = ecs_field.example.clone();
            def.multi_fields = ecs_field.multi_fields.clone();
            def.index = ecs_field.index;
            def.doc_values = ecs_field.doc_values;
            def.ignore_above = ecs_field.ignore_above;
            def.scaling_factor = ecs_field.scaling_factor;
        }
        apply_local_attributes(&mut def, map, external.is_some());
        if !is_known_field_type(&def.field_type) {
            let kind = FieldProblemKind::UnknownType {
                name: def.name.clone(),
                field_type: def.field_type.clone(),
            };
            self.problem(file, line, kind);
            return;
        }
        if let Some(first) = self.fields.get(&def.name) {
            if self.duplicates == Duplicates::KeepFirst {
                return;
            }
            let first = match first.origin.line {
                Some(l) => format!("{}:{}", first.origin.file.display(), l),
                None => first.origin.file.display().to_string(),
            };
            let kind = FieldProblemKind::Duplicate {
                name: def.name.clone(),
                first,
            };
            self.problem(file, line, kind);
            return;
        }
        self.fields.insert(def.name.clone(), def);
    }
}

/// Overlays what the entry itself writes onto `def`. For external entries the
/// type is only overridden where elastic-package allows it.
fn apply_local_attributes(def: &mut FieldDef, map: &Mapping, external: bool) {
    if let Some(t) = str_of(map, "type") {
        if !external || allowed_type_override(&def.field_type, t) {
            def.field_type = t.to_string();
        }
    } else if !external {
        def.field_type = "keyword".to_string();
    }
    if let Some(d) = str_of(map, "description") {
        def.description = Some(d.to_string());
    }
    if let Some(seq) = map.get("normalize").and_then(Value::as_sequence) {
        def.normalize = seq
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
    if let Some(v) = str_of(map, "object_type") {
        def.object_type = Some(v.to_string());
    }
    if let Some(v) = str_of(map, "pattern") {
        def.pattern = Some(v.to_string());
    }
    if let Some(v) = map.get("example") {
        def.example = scalar_text(v);
    }
    if let Some(v) = map.get("value") {
        def.value = scalar_text(v);
    }
    if let Some(v) = str_of(map, "path") {
        def.path = Some(v.to_string());
    }
    if let Some(v) = map.get("index").and_then(Value::as_bool) {
        def.index = Some(v);
    }
    if let Some(v) = map.get("doc_values").and_then(Value::as_bool) {
        def.doc_values = Some(v);
    }
    if let Some(v) = map.get("ignore_above").and_then(Value::as_u64) {
        def.ignore_above = u32::try_from(v).ok();
    }
    if let Some(v) = map.get("scaling_factor").and_then(Value::as_u64) {
        def.scaling_factor = u32::try_from(v).ok();
    }
    if let Some(seq) = map.get("multi_fields").and_then(Value::as_sequence) {
        def.multi_fields = seq
            .iter()
            .filter_map(|m| {
                Some(MultiField {
                    name: m.get("name")?.as_str()?.to_string(),
                    field_type: m.get("type")?.as_str()?.to_string(),
                })
            })
            .collect();
    }
}

/// The type overrides elastic-package accepts on an imported field.
pub(crate) fn allowed_type_override(imported: &str, local: &str) -> bool {
    matches!(
        (imported, local),
        ("keyword", "constant_keyword") | ("object", "group") | ("object", "nested")
    )
}

fn str_of<'m>(map: &'m Mapping, key: &str) -> Option<&'m str> {
    map.get(key).and_then(Value::as_str)
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        other => serde_yaml::to_string(other)
            .ok()
            .map(|s| s.trim_end().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<FieldSet, FieldErrors> {
        FieldSet::from_texts(
            &[(Path::new("fields/a.yml"), text)],
            EcsReference::embedded(),
        )
    }

    #[test]
    fn nested_groups_and_dotted_names_flatten_to_leaves() {
        let set = load(
            "- name: sailpoint\n  type: group\n  fields:\n    - name: events.actor\n      type: group\n      fields:\n        - name: name\n          type: keyword\n          description: Who.\n",
        )
        .expect("loads");
        let f = set.get("sailpoint.events.actor.name").expect("flattened");
        assert_eq!(f.field_type, "keyword");
        assert_eq!(f.description.as_deref(), Some("Who."));
        assert_eq!(f.origin.line, Some(7));
        assert!(set.has_children("sailpoint.events"));
        assert!(!set.has_children("sailpoint.events.actor.name"));
    }

    #[test]
    fn external_ecs_entries_take_ecs_attributes() {
        let set =
            load("- name: event.category\n  external: ecs\n- name: user.name\n  external: ecs\n")
                .expect("loads");
        let cat = set.get("event.category").expect("defined");
        assert_eq!(cat.field_type, "keyword");
        assert!(cat.is_array());
        assert_eq!(cat.external.as_deref(), Some("ecs"));
        assert!(cat.description.as_deref().is_some_and(|d| !d.is_empty()));
        assert_eq!(set.get("user.name").expect("defined").multi_fields.len(), 1);
    }

    #[test]
    fn external_type_override_is_limited_to_allowed_pairs() {
        let set = load("- name: event.module\n  external: ecs\n  type: constant_keyword\n  value: x\n- name: event.kind\n  external: ecs\n  type: long\n").expect("loads");
        let module = set.get("event.module").expect("defined");
        assert_eq!(module.field_type, "constant_keyword");
        assert_eq!(module.value.as_deref(), Some("x"));
        assert_eq!(
            set.get("event.kind").expect("defined").field_type,
            "keyword"
        );
    }

    #[test]
    fn empty_group_defines_no_field() {
        let set =
            load("- name: empty\n  type: group\n- name: a\n  type: keyword\n").expect("loads");
        assert!(set.get("empty").is_none());
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn unknown_type_is_reported_with_line() {
        let err = load("- name: a\n  type: keyword\n- name: b\n  type: strnig\n")
            .expect_err("unknown type");
        assert_eq!(err.0.len(), 1);
        assert_eq!(
            err.0[0].to_string(),
            "fields/a.yml:3: field \"b\" has unknown type \"strnig\""
        );
    }

    #[test]
    fn duplicate_across_files_names_the_first_definition() {
        let err = FieldSet::from_texts(
            &[
                (Path::new("fields/a.yml"), "- name: x.y\n  type: keyword\n"),
                (
                    Path::new("fields/b.yml"),
                    "- name: x\n  type: group\n  fields:\n  - name: y\n    type: long\n",
                ),
            ],
            EcsReference::embedded(),
        )
        .expect_err("duplicate");
        assert_eq!(
            err.0[0].to_string(),
            "fields/b.yml:4: field \"x.y\" is defined more than once (first in fields/a.yml:1)"
        );
    }

    #[test]
    fn invalid_yaml_reports_the_parser_line() {
        let err = load("- name: a\n  type: [keyword\n").expect_err("invalid");
        assert!(err.0[0].line.is_some());
        assert!(
            err.0[0].to_string().contains("invalid YAML"),
            "{}",
            err.0[0]
        );
    }

    #[test]
    fn missing_ecs_field_is_reported() {
        let err = load("- name: event.not_a_field\n  external: ecs\n").expect_err("missing");
        assert!(
            err.0[0].to_string().contains("has no such field"),
            "{}",
            err.0[0]
        );
    }

    /// elastic-package's pipeline test runner takes a field defined twice
    /// by its first definition; linting (`load_dirs`) refuses it.
    #[test]
    fn data_stream_fields_keep_the_first_of_two_definitions() {
        let dir = std::env::temp_dir().join(format!("isc_fields_dup_{}", std::process::id()));
        let fields = dir.join("fields");
        fs::create_dir_all(&fields).unwrap();
        fs::write(fields.join("a.yml"), "- name: x.y\n  type: keyword\n").unwrap();
        fs::write(fields.join("b.yml"), "- name: x.y\n  type: long\n").unwrap();
        let set = FieldSet::load_data_stream(&dir, EcsReference::embedded()).unwrap();
        assert_eq!(set.get("x.y").unwrap().field_type, "keyword");
        let err = FieldSet::load_dirs(&[&fields], EcsReference::embedded()).unwrap_err();
        assert!(err.0[0].to_string().contains("is defined more than once"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unreadable_folder_is_reported() {
        let err = FieldSet::load_dirs(
            &[Path::new("/nonexistent/fields")],
            EcsReference::embedded(),
        )
        .expect_err("unreadable");
        assert!(
            err.0[0]
                .to_string()
                .starts_with("/nonexistent/fields: cannot read"),
            "{}",
            err.0[0]
        );
    }

    #[test]
    fn load_data_stream_reads_sorted_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fields = dir.path().join("fields");
        fs::create_dir(&fields).expect("mkdir");
        fs::write(fields.join("b.yml"), "- name: b\n  type: long\n").expect("write");
        fs::write(fields.join("a.yml"), "- name: a\n  type: date\n").expect("write");
        fs::write(fields.join("notes.txt"), "ignored").expect("write");
        let set = FieldSet::load_data_stream(dir.path(), EcsReference::embedded()).expect("loads");
        let names: Vec<_> = set.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
    }
}
