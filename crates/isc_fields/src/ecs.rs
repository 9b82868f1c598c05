//! The Elastic Common Schema (ECS) reference that `external: ecs` field
//! entries resolve against.
//!
//! The reference is embedded in the crate as `data/ecs_fields.tsv`, a compact
//! tab-separated file derived from ECS's `ecs_flat.yml`. One line per ECS
//! field, columns:
//!
//! | column | content |
//! |---|---|
//! | `name` | full dotted field name |
//! | `type` | mapping type (`keyword`, `date`, ...) |
//! | `array` | `1` when ECS normalises the field to an array |
//! | `object_type` | for `object` fields with typed values |
//! | `pattern` | a regular expression values must match |
//! | `index` / `doc_values` | `true`/`false` when ECS sets them |
//! | `ignore_above` | for keyword fields |
//! | `scaling_factor` | for `scaled_float` fields |
//! | `multi_fields` | `name:type` pairs separated by `,` |
//! | `example` | an example value |
//! | `short` | the one-line description |
//! | `description` | the full description |
//!
//! Empty columns mean "not set". Backslash, tab and newline are written as
//! `\\`, `\t` and `\n`. Lines starting with `#` are comments.
//!
//! To regenerate the file from a newer `ecs_flat.yml`:
//!
//! ```text
//! ECS_FLAT_YML=/path/to/ecs_flat.yml ECS_VERSION=9.4.0 \
//!     cargo test -p isc_fields -- --ignored regenerate_embedded_ecs_reference
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::field::MultiField;

/// The ECS version the embedded reference was derived from.
pub const ECS_VERSION: &str = "9.4.0";

const EMBEDDED_TSV: &str = include_str!("../data/ecs_fields.tsv");

/// One field of the ECS reference.
#[derive(Debug, Clone, PartialEq)]
pub struct EcsField {
    /// Full dotted name, e.g. `event.category`.
    pub name: String,
    /// Mapping type.
    pub field_type: String,
    /// True when ECS expects the value as an array (`normalize: [array]`).
    pub array: bool,
    /// Type of the values of an `object` field.
    pub object_type: Option<String>,
    /// Regular expression values must match.
    pub pattern: Option<String>,
    /// Explicit `index` mapping setting.
    pub index: Option<bool>,
    /// Explicit `doc_values` mapping setting.
    pub doc_values: Option<bool>,
    /// `ignore_above` for keyword fields.
    pub ignore_above: Option<u32>,
    /// `scaling_factor` for `scaled_float` fields.
    pub scaling_factor: Option<u32>,
    /// Alternative mappings of the same value.
    pub multi_fields: Vec<MultiField>,
    /// Example value, as text.
    pub example: Option<String>,
    /// One-line description.
    pub short: String,
    /// Full description (may contain newlines).
    pub description: String,
}

/// The whole ECS reference, keyed by dotted field name.
#[derive(Debug, Clone, Default)]
pub struct EcsReference {
    fields: BTreeMap<String, EcsField>,
}

/// Errors reading an ECS reference.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EcsError {
    /// A data line does not have the expected columns.
    #[error("ECS reference line {line}: {message}")]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The `ecs_flat.yml` source could not be parsed.
    #[error("ecs_flat.yml: {0}")]
    Source(String),
}

impl EcsReference {
    /// The reference embedded in this crate (ECS [`ECS_VERSION`]), parsed once.
    pub fn embedded() -> &'static EcsReference {
        static EMBEDDED: OnceLock<EcsReference> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            // The embedded file is checked by this crate's tests, so a parse
            // failure here can only come from a broken build of the crate.
            Self::from_tsv(EMBEDDED_TSV).unwrap_or_default()
        })
    }

    /// Parses a reference in the TSV format described in the module docs.
    pub fn from_tsv(text: &str) -> Result<EcsReference, EcsError> {
        let mut fields = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let field = parse_line(line).map_err(|message| EcsError::Malformed {
                line: index + 1,
                message,
            })?;
            fields.insert(field.name.clone(), field);
        }
        Ok(EcsReference { fields })
    }

    /// Looks up a field by its full dotted name.
    pub fn get(&self, name: &str) -> Option<&EcsField> {
        self.fields.get(name)
    }

    /// All fields, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &EcsField> {
        self.fields.values()
    }

    /// Number of fields in the reference.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when the reference holds no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// Converts the text of ECS's `ecs_flat.yml` into the embedded TSV format.
pub fn tsv_from_ecs_flat_yaml(source: &str, ecs_version: &str) -> Result<String, EcsError> {
    let parsed: BTreeMap<String, serde_yaml::Value> =
        serde_yaml::from_str(source).map_err(|e| EcsError::Source(e.to_string()))?;
    let mut out = String::new();
    out.push_str(&format!(
        "# ECS {ecs_version} field reference, derived from ECS's generated ecs_flat.yml.\n\
         # ECS is Copyright Elasticsearch B.V., licensed under the Apache License 2.0.\n\
         # Format: see crates/isc_fields/src/ecs.rs. Regenerate, never edit by hand.\n\
         # name\ttype\tarray\tobject_type\tpattern\tindex\tdoc_values\tignore_above\tscaling_factor\tmulti_fields\texample\tshort\tdescription\n"
    ));
    for (name, entry) in &parsed {
        let text = |key: &str| -> String {
            match entry.get(key) {
                Some(serde_yaml::Value::String(s)) => s.clone(),
                Some(serde_yaml::Value::Bool(b)) => b.to_string(),
                Some(serde_yaml::Value::Number(n)) => n.to_string(),
                Some(serde_yaml::Value::Null) | None => String::new(),
                Some(other) => serde_yaml::to_string(other)
                    .map(|s| s.trim_end().to_string())
                    .unwrap_or_default(),
            }
        };
        let array = entry
            .get("normalize")
            .and_then(|v| v.as_sequence())
            .is_some_and(|s| s.iter().any(|v| v.as_str() == Some("array")));
        let multi_fields = entry
            .get("multi_fields")
            .and_then(|v| v.as_sequence())
            .map(|seq| {
                seq.iter()
                    .filter_map(|m| {
                        let n = m.get("name")?.as_str()?;
                        let t = m.get("type")?.as_str()?;
                        Some(format!("{n}:{t}"))
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let columns = [
            name.clone(),
            text("type"),
            if array { "1".into() } else { String::new() },
            text("object_type"),
            text("pattern"),
            text("index"),
            text("doc_values"),
            text("ignore_above"),
            text("scaling_factor"),
            multi_fields,
            text("example"),
            text("short"),
            text("description"),
        ];
        let escaped: Vec<String> = columns.iter().map(|c| escape(c)).collect();
        out.push_str(&escaped.join("\t"));
        out.push('\n');
    }
    Ok(out)
}

const COLUMNS: usize = 13;

fn parse_line(line: &str) -> Result<EcsField, String> {
    let cols: Vec<String> = line.split('\t').map(unescape).collect();
    if cols.len() != COLUMNS {
        return Err(format!("expected {COLUMNS} columns, found {}", cols.len()));
    }
    let opt = |i: usize| (!cols[i].is_empty()).then(|| cols[i].clone());
    let opt_bool = |i: usize| -> Result<Option<bool>, String> {
        match cols[i].as_str() {
            "" => Ok(None),
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            other => Err(format!("expected true or false, found {other:?}")),
        }
    };
    let opt_u32 = |i: usize| -> Result<Option<u32>, String> {
        if cols[i].is_empty() {
            return Ok(None);
        }
        cols[i]
            .parse()
            .map(Some)
            .map_err(|_| format!("expected a number, found {:?}", cols[i]))
    };
    let multi_fields = if cols[9].is_empty() {
        Vec::new()
    } else {
        cols[9]
            .split(',')
            .map(|pair| {
                let (name, field_type) = pair
                    .split_once(':')
                    .ok_or_else(|| format!("multi-field {pair:?} is not name:type"))?;
                Ok(MultiField {
                    name: name.to_string(),
                    field_type: field_type.to_string(),
                })
            })
            .collect::<Result<Vec<_>, String>>()?
    };
    Ok(EcsField {
        name: cols[0].clone(),
        field_type: cols[1].clone(),
        array: cols[2] == "1",
        object_type: opt(3),
        pattern: opt(4),
        index: opt_bool(5)?,
        doc_values: opt_bool(6)?,
        ignore_above: opt_u32(7)?,
        scaling_factor: opt_u32(8)?,
        multi_fields,
        example: opt(10),
        short: cols[11].clone(),
        description: cols[12].clone(),
    })
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_reference_parses_and_is_complete() {
        let parsed = EcsReference::from_tsv(EMBEDDED_TSV).expect("embedded TSV parses");
        assert!(parsed.len() > 2000, "only {} fields", parsed.len());
        assert_eq!(EcsReference::embedded().len(), parsed.len());
    }

    #[test]
    fn timestamp_is_a_date_with_full_description() {
        let ts = EcsReference::embedded().get("@timestamp").expect("present");
        assert_eq!(ts.field_type, "date");
        assert_eq!(ts.short, "Date/time when the event originated.");
        assert!(ts.description.contains("\n"));
        assert!(!ts.array);
    }

    #[test]
    fn event_category_is_an_array_keyword() {
        let f = EcsReference::embedded()
            .get("event.category")
            .expect("present");
        assert_eq!(f.field_type, "keyword");
        assert!(f.array);
        assert_eq!(f.ignore_above, Some(1024));
    }

    #[test]
    fn user_name_has_a_text_multi_field() {
        let f = EcsReference::embedded().get("user.name").expect("present");
        assert_eq!(
            f.multi_fields,
            vec![MultiField {
                name: "text".into(),
                field_type: "match_only_text".into()
            }]
        );
    }

    #[test]
    fn escaping_round_trips() {
        let text = "a\tb\\c\nd";
        assert_eq!(unescape(&escape(text)), text);
    }

    #[test]
    fn malformed_line_reports_its_number() {
        let err = EcsReference::from_tsv("# c\nonly\tthree\tcolumns\n").expect_err("malformed");
        assert!(
            err.to_string().starts_with("ECS reference line 2:"),
            "{err}"
        );
    }

    #[test]
    fn generator_converts_flat_yaml_entries() {
        let source = "host.ip:\n  type: ip\n  normalize:\n  - array\n  short: Host ip addresses.\n  description: 'Host ip addresses.\n\n    Second paragraph.'\n";
        let tsv = tsv_from_ecs_flat_yaml(source, "0.0.0").expect("converts");
        let parsed = EcsReference::from_tsv(&tsv).expect("parses");
        let ip = parsed.get("host.ip").expect("present");
        assert_eq!(ip.field_type, "ip");
        assert!(ip.array);
        assert_eq!(ip.description, "Host ip addresses.\nSecond paragraph.");
    }

    /// Regenerates `data/ecs_fields.tsv`; run by hand (see module docs).
    #[test]
    #[ignore]
    fn regenerate_embedded_ecs_reference() {
        let source_path = std::env::var("ECS_FLAT_YML").expect("set ECS_FLAT_YML");
        let version = std::env::var("ECS_VERSION").unwrap_or_else(|_| ECS_VERSION.to_string());
        let source = std::fs::read_to_string(source_path).expect("read ecs_flat.yml");
        let tsv = tsv_from_ecs_flat_yaml(&source, &version).expect("convert");
        let target = concat!(env!("CARGO_MANIFEST_DIR"), "/data/ecs_fields.tsv");
        std::fs::write(target, tsv).expect("write data file");
    }
}
