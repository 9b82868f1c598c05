//! The rules Elasticsearch enforces on writes to the metadata keys of
//! `ctx` (`IngestCtxMap` backed by `IngestDocMetadata`, checked by
//! `Metadata.FieldProperty`): `_index`, `_id` and `_routing` hold strings
//! or null, `_version` a whole number (never null, never removed),
//! `_version_type` one of the version types, `_if_seq_no` and
//! `_if_primary_term` whole numbers or null, `_dynamic_templates` a map or
//! null, and `_type` cannot be written at all.
//!
//! Processors write through [`crate::Document`], which checks each write
//! as `IngestCtxMap.put`/`remove` does. Painless scripts get the same
//! checks at `ctx.k = v`, `ctx['k'] = v`, `put`, `remove` and `clear`
//! (through `isc_painless::CtxGuard`); for the writes the interpreter does
//! not see as such (`putAll`, `compute`, views, entries),
//! [`MetadataSnapshot`] compares the metadata after the script with what
//! it was before and applies the same checks then.

use isc_value::{Map, Value};

use crate::error::IngestError;

/// The keys governed by these rules: the metadata keys plus the removed
/// `_type`, which Elasticsearch still refuses to update.
pub const GOVERNED_KEYS: [&str; 9] = [
    "_index",
    "_id",
    "_routing",
    "_version",
    "_version_type",
    "_if_seq_no",
    "_if_primary_term",
    "_dynamic_templates",
    "_type",
];

/// True for the keys of [`GOVERNED_KEYS`].
pub fn is_governed(key: &str) -> bool {
    key.starts_with('_') && GOVERNED_KEYS.contains(&key)
}

/// `Metadata.put`'s check for writing `value` at the top-level `key` of
/// `ctx`; other keys are always accepted.
pub fn check_update(key: &str, value: &Value) -> Result<(), IngestError> {
    let Some(rule) = rule(key) else {
        return Ok(());
    };
    if !rule.writable {
        return Err(IngestError::illegal_argument(format!(
            "{key} cannot be updated"
        )));
    }
    if value.is_null() {
        if rule.nullable {
            return Ok(());
        }
        return Err(IngestError::illegal_argument(format!(
            "{key} cannot be null"
        )));
    }
    let assignable = match rule.kind {
        Kind::String => matches!(value, Value::String(_)),
        Kind::Number => value.is_number(),
        Kind::Map => matches!(value, Value::Map(_)),
    };
    if !assignable {
        return Err(IngestError::illegal_argument(format!(
            "{key} [{}] is wrong type, expected assignable to [{}], not [{}]",
            value.to_java_string(),
            rule.kind.java_type(),
            value.java_type_name()
        )));
    }
    match rule.validation {
        Validation::None => Ok(()),
        Validation::WholeNumber => check_whole_number(key, value),
        Validation::VersionType => check_version_type(key, value),
    }
}

/// `Metadata.remove`'s check for removing the top-level `key` of `ctx`.
pub fn check_removal(key: &str) -> Result<(), IngestError> {
    match rule(key) {
        Some(rule) if !rule.writable || !rule.nullable => Err(IngestError::illegal_argument(
            format!("{key} cannot be removed"),
        )),
        _ => Ok(()),
    }
}

/// The governed keys of a `ctx` map before a script runs, to check what the
/// script did to them afterwards.
#[derive(Debug)]
pub struct MetadataSnapshot {
    before: Vec<(&'static str, Option<Value>)>,
}

impl MetadataSnapshot {
    /// Records the governed keys of `ctx`.
    pub fn take(ctx: &Map) -> MetadataSnapshot {
        MetadataSnapshot {
            before: GOVERNED_KEYS
                .iter()
                .map(|&key| (key, ctx.get(key).cloned()))
                .collect(),
        }
    }

    /// Checks every governed key the script changed or removed, in
    /// [`GOVERNED_KEYS`] order, as `IngestCtxMap` would have checked the
    /// write. On the first refused change, every changed key gets its old
    /// value back (Elasticsearch never stores a refused value) and the
    /// error is returned.
    pub fn verify(self, ctx: &mut Map) -> Result<(), IngestError> {
        let mut failure = None;
        for (key, before) in &self.before {
            let after = ctx.get(*key);
            if after == before.as_ref() {
                continue;
            }
            let checked = match after {
                Some(value) => check_update(key, value),
                None => check_removal(key),
            };
            if let Err(e) = checked {
                failure = Some(e);
                break;
            }
        }
        let Some(error) = failure else {
            return Ok(());
        };
        for (key, before) in self.before {
            match before {
                Some(value) => {
                    ctx.insert(key.to_owned(), value);
                }
                None => {
                    ctx.shift_remove(key);
                }
            }
        }
        Err(error)
    }
}

/// What a governed key may hold (`FieldProperty`).
struct Rule {
    kind: Kind,
    nullable: bool,
    writable: bool,
    validation: Validation,
}

#[derive(Clone, Copy)]
enum Kind {
    String,
    Number,
    Map,
}

impl Kind {
    fn java_type(self) -> &'static str {
        match self {
            Kind::String => "java.lang.String",
            Kind::Number => "java.lang.Number",
            Kind::Map => "java.util.Map",
        }
    }
}

#[derive(Clone, Copy)]
enum Validation {
    None,
    /// `FieldProperty.LONGABLE_NUMBER`.
    WholeNumber,
    /// `IngestDocMetadata.versionTypeValidator`.
    VersionType,
}

/// `IngestDocMetadata.PROPERTIES`.
fn rule(key: &str) -> Option<Rule> {
    let rule = |kind, nullable, writable, validation| Rule {
        kind,
        nullable,
        writable,
        validation,
    };
    Some(match key {
        "_index" | "_id" | "_routing" => rule(Kind::String, true, true, Validation::None),
        "_version_type" => rule(Kind::String, true, true, Validation::VersionType),
        "_version" => rule(Kind::Number, false, true, Validation::WholeNumber),
        "_if_seq_no" | "_if_primary_term" => {
            rule(Kind::Number, true, true, Validation::WholeNumber)
        }
        "_dynamic_templates" => rule(Kind::Map, true, true, Validation::None),
        "_type" => rule(Kind::String, true, false, Validation::None),
        _ => return None,
    })
}

/// `LONGABLE_NUMBER`: the number must survive `longValue()` unchanged.
fn check_whole_number(key: &str, value: &Value) -> Result<(), IngestError> {
    let whole = match value {
        Value::Int(_) | Value::Long(_) => true,
        Value::Float(f) => f64::from(*f) == java_long_of(f64::from(*f)) as f64,
        Value::Double(d) => *d == java_long_of(*d) as f64,
        _ => true,
    };
    if whole {
        return Ok(());
    }
    Err(IngestError::illegal_argument(format!(
        "{key} may only be set to an int or a long but was [{}] with type [{}]",
        value.to_java_string(),
        value.java_type_name()
    )))
}

/// Java's `(long) d`: saturating, NaN to 0.
fn java_long_of(d: f64) -> i64 {
    if d.is_nan() { 0 } else { d as i64 }
}

/// `VersionType.fromString` accepts these; the message lists
/// `VersionType.values()` by their `toString`.
fn check_version_type(key: &str, value: &Value) -> Result<(), IngestError> {
    let Value::String(s) = value else {
        return Ok(());
    };
    if matches!(
        s.as_str(),
        "internal" | "external" | "external_gt" | "external_gte"
    ) {
        return Ok(());
    }
    Err(IngestError::illegal_argument(format!(
        "{key} must be a null or one of [internal, external, external_gte] but was [{s}] with type [java.lang.String]"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(key: &str, value: Value) -> String {
        match check_update(key, &value) {
            Ok(()) => "ok".to_owned(),
            Err(e) => e.reason,
        }
    }

    #[test]
    fn string_keys_take_strings_or_null() {
        assert_eq!(update("_index", Value::from("logs")), "ok");
        assert_eq!(update("_id", Value::Null), "ok");
        assert_eq!(
            update("_index", Value::Int(1)),
            "_index [1] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]"
        );
        assert_eq!(
            update("_routing", Value::List(vec![Value::from("a")])),
            "_routing [[a]] is wrong type, expected assignable to [java.lang.String], not [java.util.ArrayList]"
        );
        assert_eq!(update("message", Value::Int(1)), "ok");
    }

    #[test]
    fn version_is_a_whole_number_and_stays() {
        assert_eq!(update("_version", Value::Long(7)), "ok");
        assert_eq!(update("_version", Value::Double(2.0)), "ok");
        assert_eq!(update("_version", Value::Null), "_version cannot be null");
        assert_eq!(
            update("_version", Value::from("5")),
            "_version [5] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]"
        );
        assert_eq!(
            update("_version", Value::Double(1.5)),
            "_version may only be set to an int or a long but was [1.5] with type [java.lang.Double]"
        );
        assert_eq!(
            check_removal("_version").unwrap_err().reason,
            "_version cannot be removed"
        );
        assert!(check_removal("_index").is_ok());
        assert_eq!(update("_if_seq_no", Value::Null), "ok");
        assert_eq!(
            update("_if_primary_term", Value::Float(0.5)),
            "_if_primary_term may only be set to an int or a long but was [0.5] with type [java.lang.Float]"
        );
    }

    #[test]
    fn version_type_is_one_of_the_version_types() {
        assert_eq!(update("_version_type", Value::from("external_gte")), "ok");
        assert_eq!(
            update("_version_type", Value::from("force")),
            "_version_type must be a null or one of [internal, external, external_gte] but was [force] with type [java.lang.String]"
        );
    }

    #[test]
    fn dynamic_templates_is_a_map_and_type_is_read_only() {
        assert_eq!(
            update("_dynamic_templates", Value::Map(Map::default())),
            "ok"
        );
        assert_eq!(
            update("_dynamic_templates", Value::from("x")),
            "_dynamic_templates [x] is wrong type, expected assignable to [java.util.Map], not [java.lang.String]"
        );
        assert_eq!(
            update("_type", Value::from("doc")),
            "_type cannot be updated"
        );
        assert_eq!(
            check_removal("_type").unwrap_err().reason,
            "_type cannot be removed"
        );
    }

    #[test]
    fn a_snapshot_refuses_bad_changes_and_restores_the_metadata() {
        let mut ctx = Map::default();
        ctx.insert("_index".into(), Value::from("a"));
        ctx.insert("_version".into(), Value::Long(-3));
        let snapshot = MetadataSnapshot::take(&ctx);
        ctx.insert("_index".into(), Value::from("b"));
        ctx.shift_remove("_version");
        ctx.insert("field".into(), Value::Int(1));
        assert_eq!(
            snapshot.verify(&mut ctx).unwrap_err().reason,
            "_version cannot be removed"
        );
        assert_eq!(ctx.get("_index"), Some(&Value::from("a")));
        assert_eq!(ctx.get("_version"), Some(&Value::Long(-3)));
        assert_eq!(ctx.get("field"), Some(&Value::Int(1)));

        let snapshot = MetadataSnapshot::take(&ctx);
        ctx.insert("_routing".into(), Value::from("r"));
        assert!(snapshot.verify(&mut ctx).is_ok());
        assert_eq!(ctx.get("_routing"), Some(&Value::from("r")));
    }

    mod through_processors {
        use crate::processors::test_support::{run, run_err};

        #[test]
        fn set_and_remove_check_metadata_keys() {
            assert_eq!(
                run_err(r#"[{"set":{"field":"_index","value":1}}]"#, "{}"),
                "_index [1] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]"
            );
            assert_eq!(
                run_err(
                    r#"[{"rename":{"field":"_version","target_field":"v"}}]"#,
                    "{}"
                ),
                "_version cannot be removed"
            );
            assert_eq!(
                run_err(
                    r#"[{"set":{"field":"_version_type","value":"nope"}}]"#,
                    "{}"
                ),
                "_version_type must be a null or one of [internal, external, external_gte] but was [nope] with type [java.lang.String]"
            );
            assert_eq!(
                run_err(r#"[{"append":{"field":"_id","value":"x"}}]"#, "{}"),
                "_id [[_id, x]] is wrong type, expected assignable to [java.lang.String], not [java.util.ArrayList]"
            );
            assert_eq!(
                run(
                    r#"[{"set":{"field":"_index","value":"logs-x"}},{"set":{"field":"i","value":"{{_index}}"}},{"remove":{"field":"_routing","ignore_missing":true}}]"#,
                    "{}"
                )
                .unwrap(),
                r#"{"i":"logs-x"}"#
            );
        }

        #[test]
        fn painless_writes_are_refused_at_the_statement_that_makes_them() {
            // Later statements do not run; the on_failure handler sees the
            // document as the refused write left it.
            let stopped = r#"[{"script":{"source":"ctx._index = 1; ctx.a = 2","on_failure":[{"set":{"field":"seen","value":"[{{a}}]"}}]}}]"#;
            assert_eq!(run(stopped, "{}").unwrap(), r#"{"seen":"[]"}"#);
            // A try/catch in the script sees the exception.
            let caught = r#"[{"script":{"source":"try { ctx._version = null } catch (IllegalArgumentException e) { ctx.caught = e.getMessage() }"}}]"#;
            assert_eq!(
                run(caught, "{}").unwrap(),
                r#"{"caught":"_version cannot be null"}"#
            );
            let caught = r#"[{"script":{"source":"try { ctx['_type'] = 'doc' } catch (IllegalArgumentException e) { ctx.caught = e.getMessage() }"}}]"#;
            assert_eq!(
                run(caught, "{}").unwrap(),
                r#"{"caught":"_type cannot be updated"}"#
            );
            // clear() checks every metadata key first and removes nothing
            // when one is refused.
            let cleared = r#"[{"script":{"source":"ctx.clear()","on_failure":[{"set":{"field":"kept","value":"{{a}}"}}]}}]"#;
            assert_eq!(
                run(cleared, r#"{"a":"x"}"#).unwrap(),
                r#"{"a":"x","kept":"x"}"#
            );
            let e = run(r#"[{"script":{"source":"ctx.put('_id', 7)"}}]"#, "{}").unwrap_err();
            assert_eq!(
                e.root_cause().reason,
                "_id [7] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]"
            );
            // Writes the interpreter does not see as such are checked when
            // the script returns.
            let e = run(
                r#"[{"script":{"source":"ctx.putAll(['_index': 1])"}}]"#,
                "{}",
            )
            .unwrap_err();
            assert_eq!(e.root_cause().kind, "illegal_argument_exception");
            assert_eq!(
                e.root_cause().reason,
                "_index [1] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]"
            );
        }

        #[test]
        fn refused_painless_metadata_writes_fail_the_script_as_a_script_exception() {
            let e = run(
                r#"[{"script":{"source":"ctx._index = 1; ctx.a = 2"}}]"#,
                "{}",
            )
            .unwrap_err();
            assert_eq!(e.kind, "script_exception");
            assert_eq!(e.reason, "runtime error");
            assert_eq!(e.root_cause().kind, "illegal_argument_exception");
            assert_eq!(
                e.root_cause().reason,
                "_index [1] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]"
            );
            assert_eq!(
                run_err(r#"[{"script":{"source":"ctx.remove('_version')"}}]"#, "{}"),
                "runtime error"
            );
            let handled = r#"[{"script":{"source":"ctx._version = 'x'","on_failure":[{"set":{"field":"err","value":"{{_ingest.on_failure_message}}|{{_version}}"}}]}}]"#;
            assert_eq!(
                run(handled, "{}").unwrap(),
                r#"{"err":"_version [x] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]|-3"}"#
            );
            let failing = r#"[{"script":{"source":"ctx._index = 5; ctx.x.y = 1","on_failure":[{"set":{"field":"i","value":"{{_index}}"}}]}}]"#;
            assert_eq!(run(failing, "{}").unwrap(), r#"{"i":"_index"}"#);
            assert_eq!(
                run(
                    r#"[{"script":{"source":"ctx._routing = 'r'; ctx.r = ctx._routing"}}]"#,
                    "{}"
                )
                .unwrap(),
                r#"{"r":"r"}"#
            );
        }

        #[test]
        fn json_add_to_root_puts_through_the_checks() {
            assert_eq!(
                run_err(
                    r#"[{"json":{"field":"m","add_to_root":true}}]"#,
                    r#"{"m":"{\"_version\":\"x\"}"}"#
                ),
                "_version [x] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]"
            );
        }
    }
}
