//! Simple `if` conditions decided straight on the document, without the
//! interpreter.
//!
//! Most pipeline conditions are null checks, type checks and tag lookups on
//! fields of `ctx` joined by `&&`, `||` and `!`:
//!
//! ```text
//! ctx.message == null && ctx.error?.message != null
//! !(ctx.json instanceof Map)
//! ctx.tags == null || !ctx.tags.contains('preserve_original_event')
//! ```
//!
//! When the whole script is one such expression, [`ConditionPlan::build`]
//! turns it into a small tree that [`ConditionPlan::decide`] evaluates on
//! the borrowed [`isc_value::Map`], with no runtime, frame or values.
//!
//! A plan decides only what is plain: every field access lands on a
//! document map (or on null through `?.`) and every `contains` on a
//! document list. Anything else (a field access on a string, a list or on
//! null without `?.`, `contains` on a string, a map or null) makes it give
//! up, and the interpreter runs the condition from the start; conditions
//! cannot change anything, so running it again is harmless. The plan thus
//! never has to reproduce an error or an unusual Painless rule, and its
//! answers are the interpreter's.

use std::sync::Arc;

use isc_value::{Map, Value};

use crate::ast::{BinOp, Expr, ExprKind, Program, StmtKind, UnaryOp};
use crate::interp::ops;
use crate::parser::CTX_SLOT;
use crate::types::Ty;
use crate::value::Val;

/// A condition reduced to tests on document fields.
#[derive(Debug)]
pub(crate) struct ConditionPlan {
    root: Test,
}

impl ConditionPlan {
    /// The plan of a program that is a single supported expression (as an
    /// expression statement or a `return`); `None` for anything else.
    pub(crate) fn build(program: &Program) -> Option<ConditionPlan> {
        if !program.functions.is_empty() || !program.lambdas.is_empty() {
            return None;
        }
        let [statement] = program.body.as_slice() else {
            return None;
        };
        let expr = match &statement.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => e,
            _ => return None,
        };
        Some(ConditionPlan {
            root: Test::build(expr)?,
        })
    }

    /// The condition's value on `ctx`, or `None` when the plan gives up and
    /// the interpreter must decide (it may well fail).
    pub(crate) fn decide(&self, ctx: &Map) -> Option<bool> {
        self.root.decide(ctx)
    }
}

/// One boolean node of a plan, in the interpreter's evaluation order
/// (`&&` and `||` short-circuit left to right).
#[derive(Debug)]
enum Test {
    /// `a && b`
    And(Box<Test>, Box<Test>),
    /// `a || b`
    Or(Box<Test>, Box<Test>),
    /// `!a`
    Not(Box<Test>),
    /// `P == null` (`when_null` true) or `P != null` (false).
    Null { path: Path, when_null: bool },
    /// `P instanceof T`
    InstanceOf { path: Path, ty: Ty },
    /// `P.contains('literal')` (also `P?.contains(..)`).
    Contains { path: Path, literal: Arc<str> },
}

impl Test {
    fn build(e: &Expr) -> Option<Test> {
        Some(match &e.kind {
            ExprKind::And(a, b) => Test::And(Box::new(Test::build(a)?), Box::new(Test::build(b)?)),
            ExprKind::Or(a, b) => Test::Or(Box::new(Test::build(a)?), Box::new(Test::build(b)?)),
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => Test::Not(Box::new(Test::build(operand)?)),
            ExprKind::Binary {
                op: op @ (BinOp::Eq | BinOp::Ne),
                left,
                right,
            } if matches!(right.kind, ExprKind::Null) => Test::Null {
                path: Path::build(left)?,
                when_null: *op == BinOp::Eq,
            },
            ExprKind::Instanceof(x, ty) => Test::InstanceOf {
                path: Path::build(x)?,
                ty: *ty,
            },
            ExprKind::Call {
                target, name, args, ..
            } if &**name == "contains" => match args.as_slice() {
                [
                    Expr {
                        kind: ExprKind::Str(literal),
                        ..
                    },
                ] => Test::Contains {
                    path: Path::build(target)?,
                    literal: literal.clone(),
                },
                _ => return None,
            },
            _ => return None,
        })
    }

    fn decide(&self, ctx: &Map) -> Option<bool> {
        match self {
            Test::And(a, b) => Some(a.decide(ctx)? && b.decide(ctx)?),
            Test::Or(a, b) => Some(a.decide(ctx)? || b.decide(ctx)?),
            Test::Not(a) => Some(!a.decide(ctx)?),
            Test::Null { path, when_null } => {
                Some(matches!(path.resolve(ctx)?, Reached::Null) == *when_null)
            }
            Test::InstanceOf { path, ty } => {
                let value = match path.resolve(ctx)? {
                    Reached::Root(m) => Val::DocMap(m),
                    Reached::Null => Val::Null,
                    Reached::Value(v) => Val::from_doc(v),
                };
                Some(ops::instance_of(&value, *ty))
            }
            Test::Contains { path, literal } => match path.resolve(ctx)? {
                // `List.contains` compares with Java `equals`: a string
                // equals only a string with the same characters.
                Reached::Value(Value::List(items)) => Some(
                    items
                        .iter()
                        .any(|x| matches!(x, Value::String(s) if **s == **literal)),
                ),
                _ => None,
            },
        }
    }
}

/// `ctx.a.b?.c`: the field accesses from `ctx`, outermost first.
#[derive(Debug)]
struct Path {
    steps: Box<[Step]>,
}

/// One field access of a [`Path`].
#[derive(Debug)]
struct Step {
    name: Arc<str>,
    null_safe: bool,
}

/// Where a [`Path`] leads.
enum Reached<'d> {
    /// `ctx` itself (a path without steps).
    Root(&'d Map),
    /// A missing key or a JSON null.
    Null,
    /// A present, non-null value.
    Value(&'d Value),
}

impl Path {
    /// The path `e` spells from `ctx`; `None` when `e` is anything else or
    /// names `empty`, which Painless reads as `isEmpty()` on a map rather
    /// than as a key.
    fn build(e: &Expr) -> Option<Path> {
        let mut steps = Vec::new();
        let mut cur = e;
        loop {
            match &cur.kind {
                ExprKind::Field {
                    target,
                    name,
                    null_safe,
                } if &**name != "empty" => {
                    steps.push(Step {
                        name: name.clone(),
                        null_safe: *null_safe,
                    });
                    cur = target;
                }
                ExprKind::Local(CTX_SLOT, _) => break,
                _ => return None,
            }
        }
        steps.reverse();
        Some(Path {
            steps: steps.into_boxed_slice(),
        })
    }

    /// Follows the path through document maps; `None` (give up) when a
    /// step's receiver is not a map, or is null without `?.`.
    fn resolve<'d>(&self, ctx: &'d Map) -> Option<Reached<'d>> {
        let mut cur = Reached::Root(ctx);
        for step in &self.steps {
            cur = match cur {
                Reached::Root(m) | Reached::Value(Value::Map(m)) => lookup(m, &step.name),
                Reached::Null if step.null_safe => Reached::Null,
                _ => return None,
            };
        }
        Some(cur)
    }
}

/// A map's value for `key`, null when absent.
fn lookup<'d>(m: &'d Map, key: &str) -> Reached<'d> {
    match m.get(key) {
        None | Some(Value::Null) => Reached::Null,
        Some(v) => Reached::Value(v),
    }
}

#[cfg(test)]
mod tests {
    use isc_value::from_json_str;
    use proptest::prelude::*;

    use super::*;
    use crate::{Script, ScriptError, compile};

    /// Documents that exercise every way a path can end or break: missing,
    /// null, scalars and lists where maps are expected, nested maps, lists
    /// of mixed types.
    const DOCUMENTS: &[&str] = &[
        "{}",
        r#"{"message":null,"error":null,"event":null,"json":null,"user":null,"tags":null}"#,
        r#"{"message":"m","error":{"message":"e"},"event":{"original":"o"},"json":{"created":1}}"#,
        r#"{"error":{"message":null},"event":{},"json":{"created":null,"synced":"s"}}"#,
        r#"{"error":"text","event":"text","json":"text","user":"text","tags":"preserve_original_event"}"#,
        r#"{"error":5,"event":1.5,"json":true,"user":7,"tags":12}"#,
        r#"{"error":["message"],"event":[{"original":"o"}],"json":[1,2],"user":[],"tags":[]}"#,
        r#"{"user":{"name":"n","target":{"name":"t"}},"tags":["a","preserve_original_event"]}"#,
        r#"{"user":{"target":null},"tags":["a",null,1,["preserve_original_event"]]}"#,
        r#"{"user":{"target":"t"},"tags":{"preserve_original_event":true}}"#,
        r#"{"user":{"target":{"name":null}},"tags":[{"x":1},"PRESERVE_ORIGINAL_EVENT"]}"#,
        r#"{"user":{"target":["name"]},"tags":[null]}"#,
        r#"{"empty":1,"json":{"empty":{}},"a":{"b":{"c":{"d":[]}}}}"#,
        r#"{"a":{"b":null},"json":{"created":{"x":null}},"destination":{"ip":"10.0.0.1"}}"#,
        r#"{"a":{"b":"s"},"destination":{"ip":null},"message":{"a":[]}}"#,
        r#"{"a":[{"b":1}],"destination":[],"message":[null]}"#,
    ];

    /// Conditions of every supported form, alone and combined.
    const FORMS: &[&str] = &[
        "ctx.message == null && ctx.error?.message != null",
        "ctx.event?.original == null",
        "ctx.event?.original != null",
        "!(ctx.json instanceof Map)",
        "ctx.json?.created != null",
        "ctx.json?.synced != null",
        "ctx.user?.name != null",
        "ctx.user?.target?.name != null",
        "ctx.destination?.ip != null",
        "ctx.tags == null || !ctx.tags.contains('preserve_original_event')",
        "ctx.error.message != null",
        "ctx.user.target.name == null",
        "ctx.a?.b.c == null",
        "ctx.a?.b?.c?.d != null",
        "ctx.tags.contains('preserve_original_event')",
        "ctx.tags?.contains('preserve_original_event')",
        "!ctx.tags.contains('a')",
        "ctx.json instanceof Map",
        "ctx.json instanceof String",
        "ctx.json instanceof List",
        "ctx.json instanceof Number",
        "ctx.json instanceof Boolean",
        "ctx.json instanceof def",
        "ctx.json?.created instanceof Integer",
        "ctx.message instanceof Object",
        "ctx.tags instanceof Collection",
        "ctx.user.target instanceof HashMap",
        "ctx.tags instanceof ArrayList",
        "ctx.tags instanceof String[]",
        "ctx instanceof Map",
        "ctx == null",
        "ctx.message != null || ctx.json instanceof Map && !(ctx.user?.name == null)",
        "!(ctx.a == null) && (ctx.a?.b != null || ctx.tags?.contains('a'))",
        "!!(ctx.user?.target == null)",
        "return ctx.message == null",
        "ctx.message != null;",
    ];

    /// The condition's result through the plan hook and through the
    /// interpreter alone, and whether the plan decided by itself.
    fn both(
        script: &Script,
        doc: &str,
    ) -> (Result<bool, ScriptError>, Result<bool, ScriptError>, bool) {
        let Ok(Value::Map(ctx)) = from_json_str(doc) else {
            panic!("test document {doc} is a JSON object");
        };
        let params = Map::default();
        let decided = script
            .condition_plan
            .as_ref()
            .and_then(|p| p.decide(&ctx))
            .is_some();
        (
            script.condition(&ctx, &params),
            script.interpret_condition(&ctx, &params),
            decided,
        )
    }

    #[test]
    fn every_supported_form_gets_a_plan() {
        for source in FORMS {
            let script = compile(source).unwrap();
            assert!(script.condition_plan.is_some(), "{source}");
        }
    }

    #[test]
    fn plans_answer_as_the_interpreter_does_on_every_document_errors_included() {
        let mut decided = 0;
        let mut interpreted_errors = 0;
        for source in FORMS {
            let script = compile(source).unwrap();
            for doc in DOCUMENTS {
                let (planned, interpreted, by_plan) = both(&script, doc);
                assert_eq!(planned, interpreted, "{source} on {doc}");
                decided += usize::from(by_plan);
                interpreted_errors += usize::from(interpreted.is_err());
                if interpreted.is_err() {
                    assert!(!by_plan, "the plan decided where {source} fails on {doc}");
                }
            }
        }
        // Both kinds of case are exercised.
        assert!(decided > FORMS.len() * DOCUMENTS.len() / 2, "{decided}");
        assert!(interpreted_errors > 50, "{interpreted_errors}");
    }

    #[test]
    fn plain_documents_are_decided_by_the_plan() {
        let cases = [
            ("ctx.event?.original == null", "{}", true),
            (
                "ctx.event?.original == null",
                r#"{"event":{"original":"o"}}"#,
                false,
            ),
            ("ctx.event?.original == null", r#"{"event":null}"#, true),
            (
                "ctx.user?.target?.name != null",
                r#"{"user":{"target":{"name":"t"}}}"#,
                true,
            ),
            ("!(ctx.json instanceof Map)", r#"{"json":{}}"#, false),
            ("!(ctx.json instanceof Map)", r#"{"json":"text"}"#, true),
            ("ctx.json instanceof String", r#"{"json":"text"}"#, true),
            (
                "ctx.tags == null || !ctx.tags.contains('preserve_original_event')",
                r#"{"tags":["preserve_original_event"]}"#,
                false,
            ),
            (
                "ctx.tags == null || !ctx.tags.contains('preserve_original_event')",
                r#"{"tags":["other",1,null]}"#,
                true,
            ),
            (
                "ctx.message == null && ctx.error?.message != null",
                r#"{"message":"m","error":"not a map"}"#,
                false,
            ),
        ];
        for (source, doc, expected) in cases {
            let script = compile(source).unwrap();
            let (planned, interpreted, by_plan) = both(&script, doc);
            assert!(by_plan, "{source} on {doc}");
            assert_eq!(planned, Ok(expected), "{source} on {doc}");
            assert_eq!(interpreted, Ok(expected), "{source} on {doc}");
        }
    }

    #[test]
    fn awkward_receivers_make_the_plan_give_up() {
        let cases = [
            ("ctx.error.message != null", "{}"),
            ("ctx.error?.message != null", r#"{"error":"text"}"#),
            ("ctx.error?.message != null", r#"{"error":["message"]}"#),
            ("ctx.a?.b.c == null", "{}"),
            ("ctx.tags.contains('a')", r#"{"tags":"a"}"#),
            ("ctx.tags.contains('a')", r#"{"tags":{"a":1}}"#),
            ("ctx.tags?.contains('a')", "{}"),
        ];
        for (source, doc) in cases {
            let script = compile(source).unwrap();
            let (planned, interpreted, by_plan) = both(&script, doc);
            assert!(!by_plan, "{source} on {doc}");
            assert_eq!(planned, interpreted, "{source} on {doc}");
        }
    }

    /// Field names of [`FORMS`], so random documents often hold their paths.
    const KEYS: &[&str] = &[
        "message",
        "error",
        "event",
        "original",
        "json",
        "created",
        "synced",
        "user",
        "name",
        "target",
        "destination",
        "ip",
        "tags",
        "a",
        "b",
        "c",
        "d",
        "empty",
    ];

    /// Any document value, nested a few levels, keyed by [`KEYS`].
    fn document_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-1i32..2).prop_map(Value::Int),
            Just(Value::Long(1 << 40)),
            Just(Value::Double(1.5)),
            prop::sample::select(&["a", "preserve_original_event", "", "A"][..])
                .prop_map(|s| Value::String(s.to_owned())),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
                document_map(inner).prop_map(Value::Map),
            ]
        })
    }

    fn document_map(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Map> {
        prop::collection::vec((prop::sample::select(KEYS), value), 0..6).prop_map(|entries| {
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn plans_answer_as_the_interpreter_does_on_random_documents(
            ctx in document_map(document_value())
        ) {
            let params = Map::default();
            for source in FORMS {
                let script = compile(source).unwrap();
                prop_assert_eq!(
                    script.condition(&ctx, &params),
                    script.interpret_condition(&ctx, &params),
                    "{}", source
                );
            }
        }
    }

    #[test]
    fn other_scripts_get_no_plan() {
        for source in [
            "ctx.a == 'x'",
            "ctx.a != 1",
            "null == ctx.a",
            "ctx.a",
            "ctx.a?.b",
            "ctx['a'] == null",
            "ctx.a[0] == null",
            "params.a == null",
            "ctx.a.empty == null",
            "ctx.empty",
            "ctx.a.isEmpty()",
            "ctx.a.contains(ctx.b)",
            "ctx.a.contains(1)",
            "ctx.a.contains('x') == true",
            "ctx.a.containsKey('x')",
            "ctx.a.toString() == null",
            "['a'].contains(ctx.a)",
            "def a = ctx.a; a == null",
            "ctx.a.remove('x'); ctx.b == null",
            "if (ctx.a == null) { return true } return false",
            "boolean f() { return true } f()",
            "ctx.a == null ? true : false",
            "(ctx.a ?: ctx.b) == null",
            "ctx.a = null",
            "true",
            "",
        ] {
            let script = compile(source).unwrap();
            assert!(script.condition_plan.is_none(), "{source}");
        }
    }
}
