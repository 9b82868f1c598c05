//! The field definitions a document is validated against, looked up the
//! way elastic-package's validator finds them: by exact dotted name, by
//! names with `*` wildcards (matching one name segment), by multi-field
//! (`message.text`), by the sub-fields of `geo_point` (`.lat`, `.lon`) and
//! `histogram`, and by the `object_type` of an `object` parent.
//!
//! Definitions come from [`isc_fields::FieldSet`] (the data stream's own
//! `fields/*.yml`, `external: ecs` resolved), optionally followed by the
//! whole ECS reference, which elastic-package imports when every stack
//! version the package supports ships the `ecs@mappings` template.

use std::collections::HashMap;
use std::sync::OnceLock;

use isc_fields::{EcsReference, FieldDef, FieldSet};

/// One field definition, reduced to what validation needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Definition {
    /// Full dotted name, possibly with `*` wildcards.
    pub name: String,
    /// Mapping type (`keyword`, `long`, `group`...).
    pub field_type: String,
    /// Type of the values of an `object` field.
    pub object_type: Option<String>,
    /// Fixed value of a `constant_keyword`.
    pub value: Option<String>,
    /// Regular expression values must match.
    pub pattern: Option<String>,
    /// Values are expected as arrays (`normalize: [array]`).
    pub array: bool,
    /// Declared `external` (its attributes come from ECS).
    pub external: bool,
    /// The only values allowed, with the `event.type` values each expects.
    pub allowed_values: Vec<AllowedValue>,
    /// The values expected (any other is reported).
    pub expected_values: Vec<String>,
}

/// One allowed value of a field, as ECS lists them for `event.category`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AllowedValue {
    /// The value.
    pub name: String,
    /// `event.type` values a document with this value may carry.
    pub expected_event_types: Vec<String>,
}

/// `allowed_values` and `expected_values` of one ECS field.
type ValueRestrictions = (Vec<AllowedValue>, Vec<String>);

/// The ECS value restrictions of the embedded ECS version, by field name.
fn ecs_value_restrictions() -> &'static HashMap<String, ValueRestrictions> {
    static TABLE: OnceLock<HashMap<String, ValueRestrictions>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<String, ValueRestrictions> = HashMap::new();
        let text = include_str!("../data/ecs_value_restrictions.tsv");
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(field), Some(kind), Some(value)) = (cols.first(), cols.get(1), cols.get(2))
            else {
                continue;
            };
            let entry = table.entry((*field).to_owned()).or_default();
            if *kind == "allowed" {
                entry.0.push(AllowedValue {
                    name: (*value).to_owned(),
                    expected_event_types: cols
                        .get(3)
                        .map(|t| t.split(',').map(str::to_owned).collect())
                        .unwrap_or_default(),
                });
            } else {
                entry.1.push((*value).to_owned());
            }
        }
        table
    })
}

/// Adds the ECS value restrictions of `def` when it is an ECS field.
fn with_ecs_restrictions(mut def: Definition) -> Definition {
    if def.external {
        if let Some((allowed, expected)) = ecs_value_restrictions().get(&def.name) {
            def.allowed_values = allowed.clone();
            def.expected_values = expected.clone();
        }
    }
    def
}

/// An ordered set of definitions with elastic-package's lookup rules.
#[derive(Debug, Clone, Default)]
pub struct FieldSchema {
    definitions: Vec<Definition>,
    by_name: HashMap<String, usize>,
    wildcards: Vec<usize>,
}

impl FieldSchema {
    /// A schema from definitions in priority order (first match wins).
    pub fn new(definitions: Vec<Definition>) -> FieldSchema {
        let mut schema = FieldSchema::default();
        for def in definitions {
            schema.push(def);
        }
        schema
    }

    /// The schema of a data stream: its fields, their multi-fields, the
    /// groups their dotted names imply and, when `import_ecs` is set, every
    /// ECS field after them (ECS fields the package also defines keep the
    /// package's definition).
    pub fn from_field_set(fields: &FieldSet, import_ecs: Option<&EcsReference>) -> FieldSchema {
        let mut schema = FieldSchema::default();
        for def in fields.iter() {
            schema.push_field_def(def);
        }
        let names: Vec<String> = fields.iter().map(|d| d.name.clone()).collect();
        for name in &names {
            schema.push_groups_of(name);
        }
        if let Some(ecs) = import_ecs {
            for field in ecs.iter() {
                schema.push(with_ecs_restrictions(Definition {
                    name: field.name.clone(),
                    field_type: field.field_type.clone(),
                    object_type: field.object_type.clone(),
                    value: None,
                    pattern: field.pattern.clone(),
                    array: field.array,
                    external: true,
                    ..Definition::default()
                }));
                for mf in &field.multi_fields {
                    schema.push(Definition {
                        name: format!("{}.{}", field.name, mf.name),
                        field_type: mf.field_type.clone(),
                        ..Definition::default()
                    });
                }
                if ecs_mapping_adds_text_multifield(&field.name)
                    && !field.multi_fields.iter().any(|m| m.name == "text")
                {
                    schema.push(Definition {
                        name: format!("{}.text", field.name),
                        field_type: "match_only_text".into(),
                        external: true,
                        ..Definition::default()
                    });
                }
            }
            for field in ecs.iter() {
                schema.push_groups_of(&field.name);
            }
        }
        schema
    }

    /// The definition that applies to a document key, if any.
    pub fn find(&self, key: &str) -> Option<Definition> {
        if let Some(&i) = self.by_name.get(key) {
            return Some(self.definitions[i].clone());
        }
        for &i in &self.wildcards {
            let def = &self.definitions[i];
            if wildcard_matches(&def.name, key) {
                return Some(def.clone());
            }
        }
        if let Some(def) = self.find_complex_subfield(key) {
            return Some(def);
        }
        // A leaf below an `object` with an `object_type`.
        let (parent_key, _) = key.rsplit_once('.')?;
        let parent = self.find(parent_key)?;
        if parent.field_type == "object" {
            if let Some(object_type) = parent.object_type.clone() {
                return Some(Definition {
                    name: key.to_owned(),
                    field_type: object_type,
                    object_type: None,
                    ..parent
                });
            }
        }
        None
    }

    /// The definition of the parent of `key` (everything before its last
    /// dot), if any.
    pub fn find_parent(&self, key: &str) -> Option<Definition> {
        let (parent, _) = key.rsplit_once('.')?;
        self.find(parent)
    }

    /// The closest ancestor of `key` satisfying `cond`.
    pub fn find_ancestor(
        &self,
        key: &str,
        cond: impl Fn(&Definition) -> bool,
    ) -> Option<Definition> {
        let mut current = key;
        while let Some((parent, _)) = current.rsplit_once('.') {
            if let Some(def) = self.find(parent) {
                if cond(&def) {
                    return Some(def);
                }
            }
            current = parent;
        }
        None
    }

    fn push(&mut self, def: Definition) {
        if self.by_name.contains_key(&def.name) {
            return;
        }
        let index = self.definitions.len();
        if def.name.contains('*') {
            self.wildcards.push(index);
        }
        self.by_name.insert(def.name.clone(), index);
        self.definitions.push(def);
    }

    fn push_field_def(&mut self, def: &FieldDef) {
        self.push(with_ecs_restrictions(Definition {
            name: def.name.clone(),
            field_type: def.field_type.clone(),
            object_type: def.object_type.clone(),
            value: def.value.clone(),
            pattern: def.pattern.clone(),
            array: def.is_array(),
            external: def.external.is_some(),
            ..Definition::default()
        }));
        for mf in &def.multi_fields {
            self.push(Definition {
                name: format!("{}.{}", def.name, mf.name),
                field_type: mf.field_type.clone(),
                ..Definition::default()
            });
        }
    }

    /// Adds a `group` definition for every proper prefix of `name`.
    fn push_groups_of(&mut self, name: &str) {
        let mut end = 0;
        while let Some(pos) = name[end..].find('.') {
            let prefix = &name[..end + pos];
            self.push(Definition {
                name: prefix.to_owned(),
                field_type: "group".into(),
                ..Definition::default()
            });
            end += pos + 1;
        }
    }

    /// `x.lat`/`x.lon` of a `geo_point`, `x.values`/`x.counts` of a
    /// `histogram`, any of them for an unresolved external field.
    fn find_complex_subfield(&self, key: &str) -> Option<Definition> {
        let (base, sub) = key.rsplit_once('.')?;
        let i = *self.by_name.get(base)?;
        let def = &self.definitions[i];
        let effective = match (&def.field_type[..], &def.object_type) {
            ("object", Some(t)) => t.as_str(),
            (t, _) => t,
        };
        let allowed: &[&str] = match effective {
            "geo_point" => &["lat", "lon"],
            "histogram" => &["values", "counts"],
            _ if def.external && def.field_type.is_empty() => &["lat", "lon", "values", "counts"],
            _ => &[],
        };
        allowed.contains(&sub).then(|| def.clone())
    }
}

/// elastic-package's `compareKeys`: `*` in a definition name matches one
/// non-empty name segment.
pub fn wildcard_matches(pattern: &str, key: &str) -> bool {
    let key = key.as_bytes();
    let mut j = 0;
    for &k in pattern.as_bytes() {
        if j >= key.len() {
            return false;
        }
        if k == key[j] {
            j += 1;
        } else if k == b'*' {
            match key[j..].iter().position(|&b| b == b'.') {
                Some(0) => return false,
                Some(idx) => j += idx,
                None => j = key.len(),
            }
        } else {
            return false;
        }
    }
    j == key.len()
}

/// Fields that Elasticsearch's `ecs@mappings` template gives a `.text`
/// multi-field although ECS does not define one.
fn ecs_mapping_adds_text_multifield(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".body.content",
        "url.full",
        "url.original",
        "command_line",
        "stack_trace",
        ".title",
        ".executable",
        ".name",
        ".working_directory",
        ".full_name",
        "file.path",
        "file.target_path",
        "os.full",
        "email.subject",
        "vulnerability.description",
        "user_agent.original",
    ];
    SUFFIXES.iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, t: &str) -> Definition {
        Definition {
            name: name.into(),
            field_type: t.into(),
            ..Definition::default()
        }
    }

    #[test]
    fn wildcards_match_one_segment() {
        assert!(wildcard_matches("labels.*", "labels.env"));
        assert!(!wildcard_matches("labels.*", "labels.env.x"));
        assert!(wildcard_matches("a.*.c", "a.b.c"));
        assert!(!wildcard_matches("a.*.c", "a..c"));
        assert!(!wildcard_matches("a.b", "a.bc"));
    }

    #[test]
    fn lookup_follows_object_type_and_geo_point_subfields() {
        let mut o = def("tags_map", "object");
        o.object_type = Some("keyword".into());
        let schema = FieldSchema::new(vec![o, def("source.geo.location", "geo_point")]);
        assert_eq!(schema.find("tags_map.x").unwrap().field_type, "keyword");
        assert_eq!(
            schema.find("source.geo.location.lat").unwrap().field_type,
            "geo_point"
        );
        assert!(schema.find("source.geo.location.z").is_none());
    }
}
