//! Rewrites a fields file for the built package: every `external: ecs`
//! entry is replaced by the ECS definition, as elastic-package's builder does.
//!
//! The imported entry carries `name`, `type`, and where ECS sets them
//! `object_type`, `description`, `pattern`, `index`, `doc_values` and
//! `multi_fields`; the entry's own keys then override those (except
//! `external`, which is dropped, and `type`, which is kept from ECS unless the
//! override is one elastic-package allows). Keys of a resolved entry are
//! sorted, as elastic-package's YAML encoder writes maps. Files without
//! external entries are returned unchanged.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::ecs::{ECS_VERSION, EcsReference};
use crate::field_set::allowed_type_override;
use crate::locate::NameLocator;
use crate::problem::{FieldErrors, FieldProblem, FieldProblemKind};

/// Resolves the external entries of one fields file's text.
pub fn resolve_external_fields(
    text: &str,
    file: &Path,
    ecs: &EcsReference,
) -> Result<String, FieldErrors> {
    let invalid = |e: serde_yaml::Error| {
        FieldErrors(vec![FieldProblem {
            file: file.to_path_buf(),
            line: e.location().map(|l| l.line()),
            kind: FieldProblemKind::InvalidYaml(e.to_string()),
        }])
    };
    let mut root: Value = serde_yaml::from_str(text).map_err(invalid)?;
    let mut resolver = Resolver {
        ecs,
        file,
        locator: NameLocator::new(text),
        problems: Vec::new(),
        changed: false,
    };
    if let Value::Sequence(entries) = &mut root {
        resolver.resolve_entries(entries, "");
    }
    if !resolver.problems.is_empty() {
        return Err(FieldErrors(resolver.problems));
    }
    if !resolver.changed {
        return Ok(text.to_string());
    }
    serde_yaml::to_string(&root).map_err(invalid)
}

struct Resolver<'a> {
    ecs: &'a EcsReference,
    file: &'a Path,
    locator: NameLocator<'a>,
    problems: Vec<FieldProblem>,
    changed: bool,
}

impl Resolver<'_> {
    fn resolve_entries(&mut self, entries: &mut [Value], prefix: &str) {
        for entry in entries {
            let Value::Mapping(map) = entry else { continue };
            let Some(short) = map.get("name").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            let line = self.locator.next(&short);
            let name = if prefix.is_empty() {
                short.clone()
            } else {
                format!("{prefix}.{short}")
            };
            if map.get("external").and_then(Value::as_str) == Some("ecs") {
                match self.ecs.get(&name) {
                    Some(_) => {
                        *map = self.imported(map, &name);
                        self.changed = true;
                    }
                    None => self.problems.push(FieldProblem {
                        file: self.file.to_path_buf(),
                        line,
                        kind: FieldProblemKind::NotInEcs {
                            name,
                            ecs_version: ECS_VERSION.to_string(),
                        },
                    }),
                }
                continue;
            }
            if let Some(Value::Sequence(children)) = map.get_mut("fields") {
                self.resolve_entries(children, &name);
            }
        }
    }

    fn imported(&self, local: &Mapping, name: &str) -> Mapping {
        let mut out = std::collections::BTreeMap::<String, Value>::new();
        if let Some(ecs) = self.ecs.get(name) {
            out.insert("type".into(), ecs.field_type.clone().into());
            if let Some(v) = &ecs.object_type {
                out.insert("object_type".into(), v.clone().into());
            }
            if !ecs.description.is_empty() {
                out.insert("description".into(), ecs.description.clone().into());
            }
            if let Some(v) = &ecs.pattern {
                out.insert("pattern".into(), v.clone().into());
            }
            if let Some(v) = ecs.index {
                out.insert("index".into(), v.into());
            }
            if let Some(v) = ecs.doc_values {
                out.insert("doc_values".into(), v.into());
            }
            if !ecs.multi_fields.is_empty() {
                let multi = ecs
                    .multi_fields
                    .iter()
                    .map(|m| {
                        let mut entry = Mapping::new();
                        entry.insert("name".into(), m.name.clone().into());
                        entry.insert("type".into(), m.field_type.clone().into());
                        Value::Mapping(entry)
                    })
                    .collect();
                out.insert("multi_fields".into(), Value::Sequence(multi));
            }
            let imported_type = ecs.field_type.clone();
            for (key, value) in local {
                let Some(key) = key.as_str() else { continue };
                match key {
                    "external" => {}
                    "type" => {
                        if value
                            .as_str()
                            .is_some_and(|t| allowed_type_override(&imported_type, t))
                        {
                            out.insert("type".into(), value.clone());
                        }
                    }
                    _ => {
                        out.insert(key.to_string(), value.clone());
                    }
                }
            }
        }
        out.into_iter()
            .map(|(k, v)| (Value::String(k), v))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str) -> Result<String, FieldErrors> {
        resolve_external_fields(text, Path::new("fields/ecs.yml"), EcsReference::embedded())
    }

    #[test]
    fn file_without_externals_is_unchanged() {
        let text = "- name: a\n  type: keyword  # kept verbatim\n";
        assert_eq!(resolve(text).expect("ok"), text);
    }

    #[test]
    fn external_entry_gets_type_description_and_sorted_keys() {
        let out = resolve("- name: event.kind\n  external: ecs\n").expect("ok");
        let parsed: Value = serde_yaml::from_str(&out).expect("yaml");
        let entry = &parsed[0];
        assert_eq!(entry["type"].as_str(), Some("keyword"));
        assert_eq!(entry["name"].as_str(), Some("event.kind"));
        assert!(entry.get("external").is_none());
        assert!(out.starts_with("- description:"), "{out}");
    }

    #[test]
    fn nested_external_entry_resolves_full_name_and_multi_fields() {
        let out =
            resolve("- name: user\n  type: group\n  fields:\n  - name: name\n    external: ecs\n")
                .expect("ok");
        let parsed: Value = serde_yaml::from_str(&out).expect("yaml");
        let user_name = &parsed[0]["fields"][0];
        assert_eq!(user_name["name"].as_str(), Some("name"));
        assert_eq!(
            user_name["multi_fields"][0]["type"].as_str(),
            Some("match_only_text")
        );
    }

    #[test]
    fn local_keys_override_except_type() {
        let out = resolve("- name: event.dataset\n  external: ecs\n  type: constant_keyword\n  value: a.b\n- name: event.kind\n  external: ecs\n  type: long\n").expect("ok");
        let parsed: Value = serde_yaml::from_str(&out).expect("yaml");
        assert_eq!(parsed[0]["type"].as_str(), Some("constant_keyword"));
        assert_eq!(parsed[0]["value"].as_str(), Some("a.b"));
        assert_eq!(parsed[1]["type"].as_str(), Some("keyword"));
    }

    #[test]
    fn unknown_external_field_is_an_error_with_line() {
        let err = resolve("- name: a\n  type: keyword\n- name: nope.nope\n  external: ecs\n")
            .expect_err("missing");
        assert_eq!(err.0[0].line, Some(3));
    }
}
