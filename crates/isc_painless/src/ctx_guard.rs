//! Checks on a script's writes to the top-level keys of `ctx`, made as the
//! writes happen.
//!
//! Elasticsearch's ingest `ctx` (`CtxMap`) hands its metadata keys
//! (`_index`, `_version`, ...) to validators on `put`, `remove` and
//! `clear`: a refused value throws `IllegalArgumentException` at that
//! statement (a `try`/`catch` in the script sees it, and later statements
//! never run) and is never stored. The ingest engine supplies the rules
//! through [`CtxGuard`]; here the interpreter asks it before each such
//! write to the script's `ctx` map.

use crate::error::ExceptionKind;
use crate::interp::{R, Thrown};
use crate::value::{Key, MapRef, Val, map_contains_key, map_string_keys, too_deep_under_ctx};

/// The rules for writes to the top-level keys of a script's `ctx`.
pub trait CtxGuard {
    /// Whether writes to `key` are checked at all.
    fn guards(&self, key: &str) -> bool;
    /// Why storing `value` under `key` is refused, if it is.
    fn check_put(&self, key: &str, value: &isc_value::Value) -> Result<(), String>;
    /// Why removing `key` is refused, if it is.
    fn check_remove(&self, key: &str) -> Result<(), String>;
}

/// A [`CtxGuard`] bound to the `ctx` map of one run.
#[derive(Clone, Copy)]
pub(crate) struct Guard<'g> {
    /// The address of the guarded map (no reference is kept: the map must
    /// stay uniquely held to go back into the document without a copy).
    root: usize,
    rules: &'g dyn CtxGuard,
}

impl<'g> Guard<'g> {
    pub(crate) fn new(root: &MapRef<'_>, rules: &'g dyn CtxGuard) -> Guard<'g> {
        Guard {
            root: root.addr(),
            rules,
        }
    }

    /// Refuses storing `v` under `key` of `m` when `m` is the guarded map
    /// and the rules refuse it.
    pub(crate) fn check_put(&self, m: &MapRef<'_>, key: &Key<'_>, v: &Val<'_>) -> R<()> {
        let Some(k) = self.guarded_key(m, key) else {
            return Ok(());
        };
        // A value too deep for the document fails as the script's end
        // would fail it, before a document copy that deep is made.
        if too_deep_under_ctx(v) {
            return Err(Thrown::new(ExceptionKind::StackOverflow, String::new()));
        }
        self.rules.check_put(k, &v.to_value()).map_err(refused)
    }

    /// Refuses removing `key` from `m` when `m` is the guarded map, holds
    /// `key`, and the rules refuse it.
    pub(crate) fn check_remove(&self, m: &MapRef<'_>, key: &Key<'_>) -> R<()> {
        match self.guarded_key(m, key) {
            Some(k) if map_contains_key(m, key) => self.rules.check_remove(k).map_err(refused),
            _ => Ok(()),
        }
    }

    /// Refuses clearing `m` when it is the guarded map and the rules refuse
    /// removing one of its keys; nothing is removed then.
    pub(crate) fn check_clear(&self, m: &MapRef<'_>) -> R<()> {
        if m.addr() != self.root {
            return Ok(());
        }
        for k in map_string_keys(m) {
            if self.rules.guards(&k) {
                self.rules.check_remove(&k).map_err(refused)?;
            }
        }
        Ok(())
    }

    fn guarded_key<'k>(&self, m: &MapRef<'_>, key: &'k Key<'_>) -> Option<&'k str> {
        if m.addr() != self.root {
            return None;
        }
        match key {
            Key::Str(s) if self.rules.guards(s.as_str()) => Some(s.as_str()),
            _ => None,
        }
    }
}

fn refused(message: String) -> Thrown {
    Thrown::new(ExceptionKind::IllegalArgument, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ScriptError, compile};

    /// Refuses any write to `_x`; other keys pass.
    struct RefuseX;

    impl CtxGuard for RefuseX {
        fn guards(&self, key: &str) -> bool {
            key == "_x"
        }
        fn check_put(&self, key: &str, value: &isc_value::Value) -> Result<(), String> {
            Err(format!("{key} refuses {}", value.to_java_string()))
        }
        fn check_remove(&self, key: &str) -> Result<(), String> {
            Err(format!("{key} stays"))
        }
    }

    fn run(source: &str, ctx: &str) -> (String, Result<(), ScriptError>) {
        let script = compile(source).unwrap();
        let isc_value::Value::Map(mut ctx) = isc_value::from_json_str(ctx).unwrap() else {
            unreachable!()
        };
        let result = script.execute_guarded(&mut ctx, &isc_value::Map::default(), &RefuseX);
        (
            isc_value::to_json_string(&isc_value::Value::Map(ctx)),
            result,
        )
    }

    fn refusal(source: &str, ctx: &str) -> (String, String) {
        let (ctx, result) = run(source, ctx);
        let e = result.unwrap_err();
        assert_eq!(e.kind, ExceptionKind::IllegalArgument, "{source}");
        (ctx, e.message)
    }

    #[test]
    fn writes_to_guarded_keys_of_ctx_are_refused_where_they_happen() {
        for source in [
            "ctx._x = 1; ctx.after = 1",
            "ctx['_x'] = 1; ctx.after = 1",
            "ctx.put('_x', 1); ctx.after = 1",
            "def m = ctx; m._x = 1; ctx.after = 1",
        ] {
            assert_eq!(
                refusal(source, r#"{"a":1}"#),
                (r#"{"a":1}"#.to_owned(), "_x refuses 1".to_owned()),
                "{source}"
            );
        }
        assert_eq!(
            refusal("ctx.remove('_x')", r#"{"_x":1}"#),
            (r#"{"_x":1}"#.to_owned(), "_x stays".to_owned())
        );
        assert_eq!(
            refusal("ctx.clear()", r#"{"a":1,"_x":1}"#),
            (r#"{"a":1,"_x":1}"#.to_owned(), "_x stays".to_owned())
        );
    }

    #[test]
    fn other_maps_and_other_keys_are_not_checked() {
        let (ctx, result) = run(
            "ctx.n._x = 1; ctx.y = 2; ctx.remove('_x'); ctx.n.remove('_x'); ctx.n.clear()",
            r#"{"n":{"k":1}}"#,
        );
        assert!(result.is_ok());
        assert_eq!(ctx, r#"{"n":{},"y":2}"#);
        let (ctx, result) = run(
            "try { ctx._x = 'v' } catch (IllegalArgumentException e) { ctx.caught = e.getMessage() }",
            "{}",
        );
        assert!(result.is_ok());
        assert_eq!(ctx, r#"{"caught":"_x refuses v"}"#);
    }

    /// A 200 000-level list put under a guarded key was copied into a
    /// document value to be checked, whose drop overflowed the stack; it
    /// fails as too deep for the document, before any copy.
    #[test]
    fn values_too_deep_for_the_document_fail_before_the_check() {
        let (ctx, result) = run(
            "def l = []; for (int i = 0; i < 200000; i++) { l = [l]; } ctx._x = l",
            r#"{"a":1}"#,
        );
        assert_eq!(result.unwrap_err().kind, ExceptionKind::StackOverflow);
        assert_eq!(ctx, r#"{"a":1}"#);
        // At the limit, the rules decide.
        let (_, message) = refusal(
            "def l = []; for (int i = 0; i < 1998; i++) { l = [l]; } ctx._x = l",
            "{}",
        );
        assert!(message.starts_with("_x refuses [[["), "{message}");
    }
}
