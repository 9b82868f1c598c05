//! Field definitions (fields.yml) and the ECS reference they resolve against.
//!
//! - [`FieldSet`] loads a data stream's `fields/*.yml`, flattens nested
//!   `group`/`fields:` entries and dotted names into leaf [`FieldDef`]s keyed
//!   by full dotted name, resolves `external: ecs` entries against the
//!   embedded [`EcsReference`], and reports unknown types, duplicates and
//!   unreadable or invalid files as [`FieldProblem`]s with file and line.
//! - [`resolve_external_fields`] rewrites a fields file the way
//!   elastic-package's builder does for the built package.
//! - [`EcsReference::embedded`] is ECS [`ECS_VERSION`], stored in
//!   `data/ecs_fields.tsv` (format and regeneration: see [`ecs`]).

pub mod ecs;
mod field;
mod field_set;
mod locate;
mod problem;
mod resolve;

pub use ecs::{ECS_VERSION, EcsError, EcsField, EcsReference, tsv_from_ecs_flat_yaml};
pub use field::{FieldDef, FieldOrigin, KNOWN_FIELD_TYPES, MultiField, is_known_field_type};
pub use field_set::FieldSet;
pub use problem::{FieldErrors, FieldProblem, FieldProblemKind};
pub use resolve::resolve_external_fields;
