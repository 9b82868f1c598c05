//! One leaf field definition, flattened from a fields.yml file.

use std::path::PathBuf;

/// Field types accepted in fields.yml files (package-spec 3.x).
pub const KNOWN_FIELD_TYPES: &[&str] = &[
    "aggregate_metric_double",
    "alias",
    "array",
    "binary",
    "boolean",
    "byte",
    "constant_keyword",
    "counted_keyword",
    "date",
    "date_nanos",
    "date_range",
    "dense_vector",
    "double",
    "double_range",
    "flattened",
    "float",
    "float_range",
    "geo_point",
    "geo_shape",
    "group",
    "half_float",
    "histogram",
    "integer",
    "integer_range",
    "ip",
    "ip_range",
    "keyword",
    "long",
    "long_range",
    "match_only_text",
    "nested",
    "object",
    "point",
    "rank_feature",
    "rank_features",
    "scaled_float",
    "semantic_text",
    "shape",
    "short",
    "sparse_vector",
    "text",
    "unsigned_long",
    "version",
    "wildcard",
];

/// True when `field_type` is one of [`KNOWN_FIELD_TYPES`].
pub fn is_known_field_type(field_type: &str) -> bool {
    KNOWN_FIELD_TYPES.contains(&field_type)
}

/// An alternative mapping of a field's value (`multi_fields` entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiField {
    /// Sub-field name, appended to the parent with a dot (`text`).
    pub name: String,
    /// Mapping type of the sub-field.
    pub field_type: String,
}

/// Where a definition was written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldOrigin {
    /// The fields file.
    pub file: PathBuf,
    /// 1-based line of the entry's `name:`, when it could be located.
    pub line: Option<usize>,
}

/// A leaf field definition with its full dotted name.
///
/// Entries marked `external: ecs` carry the attributes of the ECS reference,
/// overridden by whatever the entry itself sets (the type only where
/// elastic-package allows it: keyword to constant_keyword, object to group or
/// nested).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldDef {
    /// Full dotted name, e.g. `sailpoint_identity_sc.events.actor.name`.
    pub name: String,
    /// Mapping type as written in fields.yml (`keyword`, `date`, `group`...).
    pub field_type: String,
    /// Human description.
    pub description: Option<String>,
    /// `Some("ecs")` when the entry was declared `external: ecs`.
    pub external: Option<String>,
    /// Normalisation rules; contains `"array"` for fields expected as arrays.
    pub normalize: Vec<String>,
    /// Type of the values of an `object` field.
    pub object_type: Option<String>,
    /// Regular expression values must match.
    pub pattern: Option<String>,
    /// Example value, as text.
    pub example: Option<String>,
    /// Alternative mappings of the value.
    pub multi_fields: Vec<MultiField>,
    /// The fixed value of a `constant_keyword` field.
    pub value: Option<String>,
    /// Explicit `index` mapping setting.
    pub index: Option<bool>,
    /// Explicit `doc_values` mapping setting.
    pub doc_values: Option<bool>,
    /// `ignore_above` for keyword fields.
    pub ignore_above: Option<u32>,
    /// `scaling_factor` for `scaled_float` fields.
    pub scaling_factor: Option<u32>,
    /// Target of an `alias` field.
    pub path: Option<String>,
    /// Where the definition comes from.
    pub origin: FieldOrigin,
}

impl FieldDef {
    /// True when values of this field are expected as arrays.
    pub fn is_array(&self) -> bool {
        self.normalize.iter().any(|n| n == "array")
    }
}
