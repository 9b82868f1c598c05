//! A Painless parser and interpreter for the scripts and conditions of
//! Elasticsearch ingest pipelines.
//!
//! ```
//! use isc_value::{Map, Value, from_json_str};
//! let script = isc_painless::compile("ctx.b = ctx.a.toUpperCase()").unwrap();
//! let Value::Map(mut ctx) = from_json_str(r#"{"a":"x"}"#).unwrap() else { unreachable!() };
//! script.execute(&mut ctx, &Map::default()).unwrap();
//! assert_eq!(ctx["b"], Value::from("X"));
//! ```
//!
//! # How Elasticsearch reports script failures
//!
//! Both kinds of failure become an `org.elasticsearch.script.ScriptException`
//! (`type: script_exception`), rendered with `script_stack`, `script`,
//! `lang: painless`, `position {offset, start, end}` and a `caused_by`:
//!
//! * **Compile errors** ([`CompileError`], [`CompileError::to_script_exception`]):
//!   reason `compile error`; the stack shows the source 25 characters either
//!   side of the error (`... ` / ` ...` marking cuts) and a `^---- HERE`
//!   pointer; `caused_by` is an `illegal_argument_exception`. In a pipeline
//!   a compile error fails pipeline creation (`ConfigurationUtils`
//!   wraps it with the processor type and tag), not the document.
//! * **Runtime errors** ([`ScriptError`], [`ScriptError::to_script_exception`]):
//!   reason `runtime error`; the stack is the statement that failed (from its
//!   start to the start of the next statement) and a pointer under the
//!   failing node (the `.` of a call or field access, the start of an
//!   operator expression); `caused_by` is the Java exception
//!   ([`ExceptionKind::type_name`], e.g. `null_pointer_exception`) with its
//!   message exactly as Java/Painless word it.
//!
//! The ingest `script` processor and `if` conditions let the
//! `ScriptException` propagate; the pipeline wraps it in an
//! `IngestProcessorException`, and the `on_failure` metadata
//! `_ingest.on_failure_message` is the **root cause's** message (Elasticsearch
//! unwraps to the innermost cause: e.g. `cannot access method/field [b] from
//! a null def reference`), with `on_failure_processor_type` `script` for
//! scripts and `conditional` (the `ConditionalProcessor` wrapping the
//! processor, which carries its tag) for failing conditions. The
//! simulate API's `error` object shows `root_cause` (the script_exception
//! fields), `type: script_exception`, `reason: runtime error` and the
//! `caused_by` above.
//!
//! Conditions get a read-only view of the document: writes fail with
//! `unsupported_operation_exception` "Mutating ingest documents in
//! conditionals is not supported", and a non-boolean result fails with
//! `class_cast_exception` "cannot cast def [java.lang.String] to boolean".
//!
//! # The supported subset
//!
//! Statements: declarations (`def`, primitives, `String`, `Map`, `List`,
//! arrays …), `if`/`else`, `for (;;)`, `for (x in y)`, `for (T x : y)`,
//! `while`, `do`/`while`, `break`, `continue`, `return`, `throw`,
//! `try`/`catch`, functions declared before the first statement.
//! Expressions: every Painless operator (arithmetic, comparison, logical,
//! bitwise, shifts, ternary, elvis, `?.`, compound assignment, `++`/`--`,
//! `instanceof`, casts, `=~`, `==~`), list and map literals, `new` for
//! `HashMap`, `LinkedHashMap`, `TreeMap`, `ArrayList`, `HashSet`,
//! `LinkedHashSet`, `TreeSet`,
//! `StringBuilder`, `StringTokenizer`, exceptions and arrays, lambdas, method references,
//! regex literals with flags. The standard library follows Painless's
//! whitelists for `String`, `Map`, `List`, `Set`, `Collection`, `Iterable`
//! augmentations, `Stream`/`Collectors` basics, `Pattern`/`Matcher`,
//! `Math`, `Integer`/`Long`/`Double`/…, `Character`, `Collections`,
//! `Comparator.naturalOrder`/`reverseOrder`,
//! `Objects`, `Arrays.asList`, `Processors.*` (ingest), `Json`, the
//! `java.util` `Abstract*` classes as types, a `java.time` subset
//! (`Instant`, `ZonedDateTime`, `ZoneId`, `ZoneOffset`, `Duration`,
//! `ChronoUnit`: ISO parsing, `ofInstant`, `ofEpochMilli`/`ofEpochSecond`,
//! nano to hour arithmetic, `Duration.between`, `ChronoUnit.between` and
//! `until`, getters, comparisons, `toString`; see
//! `stdlib/time.rs`), `CIDR` (`org.elasticsearch.painless.api`) and the
//! ingest `sha1()`/`sha256()`/`sha512()` augmentations. Anything else is a
//! compile error starting with `unsupported:`. Java methods Painless itself
//! does not whitelist (`String.split`, `String.matches`, …) compile and fail
//! when called, with Painless's `dynamic method [...] not found`.
//!
//! # Differences from Elasticsearch
//!
//! * Typing is dynamic: values carry their Java types and declared types
//!   convert on store, so type errors Painless reports at compile time
//!   (`String s = 5`) surface when the statement runs, as
//!   `class_cast_exception`.
//! * Syntax errors use Painless's wording (`invalid sequence of tokens near
//!   ['x'].`, `unexpected end of script.`) but never ANTLR's
//!   `unexpected token [..] was expecting one of [..]` sets.
//! * The regex limit factor counts characters the Java regex engine reads;
//!   fancy-regex cannot count them, so the circuit breaker trips on
//!   fancy-regex's backtracking limit instead (catastrophic patterns only)
//!   and its `count` is not Java's.
//! * Regexes run on fancy-regex with Java's syntax translated (ASCII
//!   `\w`/`\d`/`\s`/`\b`, `\h`, `\v`, `\R`, `\Z`, `$` before a final
//!   newline, POSIX `\p{..}` classes, `\Q…\E`); other Java-only constructs
//!   are refused at compile time; `.` stops at every Java line terminator.
//!   Remaining gap: `i` folds case Unicode-wide where Java folds ASCII only
//!   (without `u`). Match offsets are UTF-16 indices.
//! * A `java.time` value stored in the document is written as
//!   Elasticsearch's JSON prints it (`strict_date_optional_time_nanos`,
//!   e.g. `2024-05-05T17:51:17.000Z`) when the script returns: later
//!   processors see that string, where Elasticsearch keeps the object (a
//!   template would print its `toString()`, `2024-05-05T17:51:17Z`). A
//!   `ZoneId` stored there is written as its ID, where Elasticsearch cannot
//!   write it at all. `java.time` instants reach about ±262,000 years
//!   (Java's ±10⁹): beyond, they fail as `DateTimeException` "Instant
//!   exceeds minimum or maximum instant". `Arrays.asList` and `Collections.nCopies` give an
//!   ordinary `ArrayList`, where Java's fixed-size and immutable lists
//!   refuse `add` and `remove`. `TreeSet`/`TreeMap`
//!   keep keys of mixed types apart by type, where Java refuses them (and
//!   `null`) when they are added. Iterators walk a snapshot: `remove()`
//!   works, but a change made to the collection otherwise is not detected
//!   as a `ConcurrentModificationException`.
//! * `ctx` metadata keys are plain map entries: writing a wrong type into
//!   `_version` or removing `_index` is not rejected as `IngestCtxMap` does.
//! * User-function recursion stops at depth 64 with `stack_overflow_error`
//!   (Java's depth depends on the thread stack); its message is empty where
//!   Java's is null.
//! * Java's heap and stack limits are modelled by fixed ones: strings over
//!   64 MiB (or arrays and lists over a million elements) fail with
//!   `out_of_memory_error` "Java heap space", and a `ctx` nested deeper than
//!   2000 levels fails with `stack_overflow_error`: the top-level keys
//!   holding the too deep values are left out of the document, the
//!   script's other changes stay. `toString`, `equals`, `hashCode` and
//!   `Json.dump` of values a script nests deeper than the JVM's stack allows
//!   (Elasticsearch gives `stack_overflow_error` after a few thousand
//!   levels) give their answer here; their texts over 64 MiB (a list
//!   holding one list many times over) fail as `out_of_memory_error`.
//! * `params` is, as in Elasticsearch, unmodifiable at the top level
//!   (`unsupported_operation_exception` with an empty message) with mutable
//!   nested containers; but each run gets a fresh copy, so changes to nested
//!   params do not carry over to the next document as they do in
//!   Elasticsearch.
//! * `ConcurrentModificationException` for a `List` changed while a `for`
//!   loop walks it is detected from size changes (Java counts every
//!   structural change, so an add followed by a remove goes unnoticed here);
//!   maps and their views track changes exactly as `HashMap` does.
//! * A final expression whose value is discarded is a compile error only
//!   for void scripts; since one compiled [`Script`] serves both uses, the
//!   `script` processor asks [`Script::check_as_script`] at load time.
//! * Maps created by scripts are written back in insertion order (Elasticsearch
//!   serializes a `HashMap` in its bucket order); iteration inside scripts
//!   (`keySet()`, `toString()`, `Json.dump`) uses Java's order.
//!
//! Limits: loops stop after 1,000,000 iterations with `painless_error`
//! "The maximum number of statements that can be executed in a loop has been
//! reached." (each function and lambda has its own counter, as each Painless
//! method does); regexes that backtrack excessively raise
//! `circuit_breaking_exception` with the regex limit message.

mod ast;
mod condition_plan;
mod ctx_guard;
mod doc_source;
mod error;
mod interp;
mod lexer;
mod parser;
mod regex;
mod shared;
mod stdlib;
mod syntax_tree;
mod token;
mod types;
mod value;

use std::fmt;

pub use ctx_guard::CtxGuard;
pub use error::{CompileError, ExceptionKind, Position, ScriptError, ScriptException};
pub use token::TextRange;

use condition_plan::ConditionPlan;
use doc_source::MapSource;
use interp::{Runtime, Thrown, ops};
use isc_value::MAX_DOCUMENT_DEPTH;
use shared::{Expand, Shared};
use value::{MapObj, Val};

/// A compiled script: parse once, run many times (`Send + Sync`).
pub struct Script {
    source: String,
    program: ast::Program,
    /// Set when the script is a simple condition decided on the document
    /// without the interpreter.
    condition_plan: Option<ConditionPlan>,
}

impl fmt::Debug for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Script")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Compiles Painless source. Anything outside the supported subset is a
/// [`CompileError`] whose message starts with `unsupported:`.
pub fn compile(source: &str) -> Result<Script, CompileError> {
    let program = parser::parse_program(source)?;
    let condition_plan = ConditionPlan::build(&program);
    Ok(Script {
        source: source.to_owned(),
        program,
        condition_plan,
    })
}

impl Script {
    /// `script` processor: `ctx` is the document's ctx map (source fields
    /// plus metadata keys), changed in place. Existing keys keep their
    /// position; new keys are appended. On failure the changes made before
    /// the exception are kept, as they are on Elasticsearch's live document.
    ///
    /// The document's values move into the script and convert as it opens
    /// them; maps and lists it never opens move back
    /// without a copy.
    pub fn execute(
        &self,
        ctx: &mut isc_value::Map,
        params: &isc_value::Map,
    ) -> Result<(), ScriptError> {
        self.run_script(ctx, params, None)
    }

    /// [`Script::execute`] with `guard` checking each write to a top-level
    /// key of `ctx` as it happens (`ctx.k = v`, `ctx['k'] = v`,
    /// `ctx.put`, `ctx.remove`, `ctx.clear()`): a refused write throws an
    /// `IllegalArgumentException` with the guard's message at that
    /// statement and stores nothing, as Elasticsearch's ingest `ctx` does.
    /// Other ways of changing `ctx` (`putAll`, `compute`, views, entries)
    /// are not seen here; the caller checks what they did after the run.
    pub fn execute_guarded(
        &self,
        ctx: &mut isc_value::Map,
        params: &isc_value::Map,
        guard: &dyn CtxGuard,
    ) -> Result<(), ScriptError> {
        self.run_script(ctx, params, Some(guard))
    }

    fn run_script(
        &self,
        ctx: &mut isc_value::Map,
        params: &isc_value::Map,
        guard: Option<&dyn CtxGuard>,
    ) -> Result<(), ScriptError> {
        // The document's values move into the script's `ctx`, converted as
        // the script opens them; what it never opens moves back unchanged.
        let ctx_map = Shared::lazy(MapSource::owned(std::mem::take(ctx)));
        let ctx_val = Val::Map(ctx_map.clone());
        let mut locals = vec![Val::Null; self.program.slots.max(2) as usize];
        locals[parser::CTX_SLOT as usize] = ctx_val;
        locals[parser::PARAMS_SLOT as usize] = params_value(params, true);
        let mut rt = Runtime::new(&self.program);
        rt.guard = guard.map(|rules| ctx_guard::Guard::new(&ctx_map, rules));
        let result = rt.run_main(&mut locals);
        drop(rt);
        drop(locals);
        // Java cannot serialize absurdly deep values either (it overflows
        // its stack); refuse them before converting recursively.
        let ctx_val = Val::Map(ctx_map);
        if value::nests_deeper_than(&ctx_val, MAX_DOCUMENT_DEPTH) {
            *ctx = shallow_write_back(&ctx_val);
            return Err(
                self.runtime_error(Thrown::new(ExceptionKind::StackOverflow, String::new()))
            );
        }
        // Elasticsearch scripts change the live document, so changes made
        // before a failure stay visible (e.g. to `on_failure` processors).
        if let Val::Map(m) = &ctx_val {
            *ctx = value::map_into_doc(m);
        }
        result.map(|_| ()).map_err(|t| self.runtime_error(t))
    }

    /// `if` condition: reads `ctx` without copying it; the script must
    /// produce a boolean.
    pub fn condition(
        &self,
        ctx: &isc_value::Map,
        params: &isc_value::Map,
    ) -> Result<bool, ScriptError> {
        // Simple conditions are decided on the document; when the plan
        // gives up, the interpreter runs the condition from the start.
        if let Some(decided) = self.condition_plan.as_ref().and_then(|p| p.decide(ctx)) {
            return Ok(decided);
        }
        self.interpret_condition(ctx, params)
    }

    /// [`Script::condition`] run by the interpreter, plan or not.
    pub(crate) fn interpret_condition(
        &self,
        ctx: &isc_value::Map,
        params: &isc_value::Map,
    ) -> Result<bool, ScriptError> {
        // Conditions rarely declare locals: keep the frame on the stack.
        const INLINE: usize = 8;
        let slots = self.program.slots.max(2) as usize;
        let mut inline: [Val<'_>; INLINE] = Default::default();
        let mut heap = Vec::new();
        let locals: &mut [Val<'_>] = if slots <= INLINE {
            &mut inline[..slots]
        } else {
            heap.resize(slots, Val::Null);
            &mut heap
        };
        locals[parser::CTX_SLOT as usize] = Val::DocMap(ctx);
        locals[parser::PARAMS_SLOT as usize] = params_value(params, false);
        let mut rt = Runtime::new(&self.program);
        let value = rt.run_main(locals).map_err(|t| self.runtime_error(t))?;
        let end = self.program.body.last().map_or(0, |s| s.range.start);
        match value {
            Some(v) => ops::to_bool(&v).map_err(|mut t| {
                t.loc = Some(end);
                self.runtime_error(t)
            }),
            // Painless ends the main method with `return false` when no
            // statement produced the value.
            None => Ok(false),
        }
    }

    /// The compiled tree as indented S-expressions (operators, resolved
    /// local slots, static calls, lambdas with their captures), for tests
    /// and debugging.
    pub fn syntax_tree(&self) -> String {
        syntax_tree::print(&self.program)
    }

    /// Elasticsearch compiles `script` processor sources as void scripts,
    /// where a final expression whose value would be discarded (`ctx.a ==
    /// 1`) is a compile error; conditions return that value instead. The
    /// ingest engine calls this when it loads a `script` processor.
    pub fn check_as_script(&self) -> Result<(), CompileError> {
        match &self.program.unused_tail {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// The source the script was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    fn runtime_error(&self, mut t: Thrown) -> ScriptError {
        let src = &self.source;
        let (script_stack, position) = match t.loc {
            Some(loc) => {
                let starts = &self.program.statement_starts;
                let start = starts
                    .iter()
                    .rev()
                    .find(|s| **s <= loc)
                    .copied()
                    .unwrap_or(0);
                let end = starts
                    .iter()
                    .find(|s| **s > start)
                    .copied()
                    .map_or(src.len(), |e| e as usize);
                let snippet = src.get(start as usize..end).unwrap_or("").to_owned();
                let offset = error::utf16_offset(src, loc as usize);
                let start16 = error::utf16_offset(src, start as usize);
                let pointer = format!("{}^---- HERE", " ".repeat(offset - start16));
                (
                    vec![snippet, pointer],
                    Some(Position {
                        offset,
                        start: start16,
                        end: error::utf16_offset(src, end),
                    }),
                )
            }
            None => (vec!["<<< unknown portion of script >>>".to_owned()], None),
        };
        ScriptError {
            kind: t.kind,
            message: std::mem::take(&mut t.message),
            script_stack,
            position,
            script: src.clone(),
        }
    }
}

/// `params` as Elasticsearch hands it to scripts: an unmodifiable map whose
/// nested containers scripts may still change. Conditions with empty params
/// (the common case) skip the copy.
fn params_value(params: &isc_value::Map, always_copy: bool) -> Val<'_> {
    if params.is_empty() && !always_copy {
        return Val::DocMap(params);
    }
    let mut map = MapObj::expand(MapSource::borrowed(params));
    map.frozen = true;
    Val::new_map(map)
}

/// The `ctx` a run that nested values too deeply leaves: its other
/// top-level keys as the script left them.
fn shallow_write_back(ctx: &Val<'_>) -> isc_value::Map {
    let Val::Map(m) = ctx else {
        return isc_value::Map::default();
    };
    let entries = std::mem::take(&mut m.borrow_mut().entries);
    entries
        .into_iter()
        .filter(|(_, v)| !value::too_deep_under_ctx(v))
        .map(|(k, v)| (value::key_into_string(k), v.into_value()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn script_is_send_and_sync() {
        assert_send_sync::<Script>();
    }

    fn run(source: &str, ctx: &str, params: &str) -> (String, Result<(), ScriptError>) {
        let script = compile(source).unwrap();
        let isc_value::Value::Map(mut ctx) = isc_value::from_json_str(ctx).unwrap() else {
            unreachable!()
        };
        let isc_value::Value::Map(params) = isc_value::from_json_str(params).unwrap() else {
            unreachable!()
        };
        let result = script.execute(&mut ctx, &params);
        (
            isc_value::to_json_string(&isc_value::Value::Map(ctx)),
            result,
        )
    }

    #[test]
    fn document_maps_stay_one_object_wherever_the_script_puts_them() {
        let (ctx, result) = run(
            "def m = ctx.a; m.put('x', 1); ctx.b = m; m.y = [ctx.c]; ctx.c.z = 2",
            r#"{"a":{"k":"v"},"c":{"n":{"deep":[1,{"e":null}]}},"d":"kept"}"#,
            "{}",
        );
        assert!(result.is_ok());
        assert_eq!(
            ctx,
            r#"{"a":{"k":"v","x":1,"y":[{"n":{"deep":[1,{"e":null}]},"z":2}]},"c":{"n":{"deep":[1,{"e":null}]},"z":2},"d":"kept","b":{"k":"v","x":1,"y":[{"n":{"deep":[1,{"e":null}]},"z":2}]}}"#
        );
    }

    /// An error's kind, message and script stack.
    type Failure = (ExceptionKind, String, Vec<String>);

    /// A script's outcome on `ctx`: the document and the error it ended with.
    fn outcome_on(source: &str, ctx: &str) -> (String, Result<(), Failure>) {
        let (ctx, result) = run(source, ctx, "{}");
        (ctx, result.map_err(|e| (e.kind, e.message, e.script_stack)))
    }

    /// [`outcome_on`] an empty ctx.
    fn outcome(source: &str) -> (String, Result<(), Failure>) {
        outcome_on(source, "{}")
    }

    /// Runs `a` and `b` on `ctx`: both must leave the same document and end
    /// alike (the same exception kind and message, or none). Gives `a`'s
    /// outcome.
    fn assert_same_outcome_on(a: &str, b: &str, ctx: &str) -> (String, Result<(), Failure>) {
        let (ctx_a, result_a) = outcome_on(a, ctx);
        let (ctx_b, result_b) = outcome_on(b, ctx);
        assert_eq!(ctx_a, ctx_b, "{a}");
        assert_eq!(
            result_a.as_ref().map_err(|e| (e.0, &e.1)),
            result_b.as_ref().map_err(|e| (e.0, &e.1)),
            "{a}"
        );
        (ctx_a, result_a)
    }

    /// [`assert_same_outcome_on`] an empty ctx.
    fn assert_same_outcome(a: &str, b: &str) {
        let _compared = assert_same_outcome_on(a, b, "{}");
    }

    /// The same script run on the map as it comes from the document and on
    /// the map opened first (`remove` of an absent key opens it and changes
    /// nothing): walking its views must not tell them apart.
    fn walk_both_ways(body: &str, ctx: &str) -> (String, Result<(), Failure>) {
        assert_same_outcome_on(body, &format!("ctx.m.remove('absent'); {body}"), ctx)
    }

    #[test]
    fn walking_a_document_map_gives_what_walking_the_opened_map_gives() {
        let doc = r#"{"m":{"zeta":1,"a":{"x":[1]},"b":"s","key10":null,"q":[{"y":2}],"0":2.5}}"#;
        let (ctx, result) = walk_both_ways(
            "List keys = new ArrayList(); List kinds = new ArrayList();
             for (def k : ctx.m.keySet()) { keys.add(k) }
             for (def v : ctx.m.values()) {
               kinds.add(v instanceof Map ? 'map' : v instanceof List ? 'list' : v);
               if (v instanceof Map) { v.put('seen', true) }
               if (v instanceof List) { v.add(3) }
             }
             ctx.keys = keys; ctx.kinds = kinds; ctx.size = ctx.m.size(); ctx.empty = ctx.m.isEmpty()",
            doc,
        );
        assert!(result.is_ok());
        assert_eq!(
            ctx,
            r#"{"m":{"zeta":1,"a":{"x":[1],"seen":true},"b":"s","key10":null,"q":[{"y":2},3],"0":2.5},"keys":["zeta","0","a","q","b","key10"],"kinds":[1,2.5,"map","list","s",null],"size":6,"empty":false}"#
        );
    }

    #[test]
    fn a_key_added_while_walking_a_document_map_is_a_concurrent_modification() {
        let (ctx, result) = walk_both_ways(
            "for (def k : ctx.m.keySet()) { ctx.m.put(k + 'x', 1) }",
            r#"{"m":{"a":1,"b":2}}"#,
        );
        assert_eq!(
            result.map_err(|e| e.0),
            Err(ExceptionKind::ConcurrentModification)
        );
        assert_eq!(ctx, r#"{"m":{"a":1,"b":2,"ax":1}}"#);
        let (ctx, result) = walk_both_ways(
            "for (def v : ctx.m.values()) { ctx.m.a = v + 1 }",
            r#"{"m":{"a":1,"b":2}}"#,
        );
        assert!(result.is_ok(), "replacing a value is no structural change");
        assert_eq!(ctx, r#"{"m":{"a":3,"b":2}}"#);
    }

    #[test]
    fn a_document_map_opened_during_the_walk_is_walked_to_the_end() {
        let (ctx, result) = walk_both_ways(
            "List seen = new ArrayList();
             for (def v : ctx.m.values()) { seen.add(v); ctx.m.remove('absent') }
             ctx.seen = seen",
            r#"{"m":{"c":3,"a":1,"b":2}}"#,
        );
        assert!(result.is_ok());
        assert_eq!(ctx, r#"{"m":{"c":3,"a":1,"b":2},"seen":[1,2,3]}"#);
        let (_, result) = walk_both_ways(
            "for (def k : ctx.m.keySet()) { ctx.m.remove('c') }",
            r#"{"m":{"c":3,"a":1,"b":2}}"#,
        );
        assert_eq!(
            result.map_err(|e| e.0),
            Err(ExceptionKind::ConcurrentModification)
        );
    }

    #[test]
    fn walking_many_nested_document_maps_changes_each_of_them() {
        let inner: Vec<String> = (0..40).map(|i| format!(r#""k{i}":{{"n":{i}}}"#)).collect();
        let doc = format!(r#"{{"m":{{{}}}}}"#, inner.join(","));
        let (ctx, result) = walk_both_ways(
            "int total = 0; for (def v : ctx.m.values()) { total += v.n; v.n = 0 } ctx.total = total",
            &doc,
        );
        assert!(result.is_ok());
        assert!(ctx.ends_with(r#""total":780}"#), "{ctx}");
        assert_eq!(ctx.matches(r#"{"n":0}"#).count(), 40);
    }

    #[test]
    fn a_local_stepped_or_assigned_as_a_statement_fails_as_it_does_as_a_value() {
        // The statement form takes the in-place path; `def unused = (…)`
        // evaluates the same expression for its value.
        for (statement, as_value) in [
            ("def x = null; x++;", "def x = null; def u = x++;"),
            ("def x = null; --x;", "def x = null; def u = --x;"),
            ("int x = 0; x = 'a';", "int x = 0; def u = (x = 'a');"),
            (
                "byte b = 127; b++; ctx.b = b;",
                "byte b = 127; def u = b++; ctx.b = b;",
            ),
            ("String s = 'a'; s++;", "String s = 'a'; def u = s++;"),
            (
                "long n = 1; n = 2; n++; ctx.n = n;",
                "long n = 1; def u = (n = 2); u = n++; ctx.n = n;",
            ),
            ("def m = null; m.a = 1;", "def m = null; def u = (m.a = 1);"),
            ("def l = [1]; l[3] = 2;", "def l = [1]; def u = (l[3] = 2);"),
            (
                "String s = 'x'; s.a = 1;",
                "String s = 'x'; def u = (s.a = 1);",
            ),
            ("def l = [1]; l.x = 1;", "def l = [1]; def u = (l.x = 1);"),
            (
                "ctx.a = [:]; ctx.a.b = 1; ctx.a['c'] = 2; ctx.l = [0]; ctx.l[0] = 'z'; ctx.l.0 = 'y';",
                "ctx.a = [:]; def u = (ctx.a.b = 1); u = (ctx.a['c'] = 2); ctx.l = [0]; u = (ctx.l[0] = 'z'); u = (ctx.l.0 = 'y');",
            ),
        ] {
            assert_same_outcome(statement, as_value);
        }
        let (_, r) = outcome("def x = null;\nx++;");
        let (_, _, stack) = r.unwrap_err();
        assert_eq!(stack, vec!["x++;".to_owned(), "^---- HERE".to_owned()]);
    }

    #[test]
    fn a_negated_condition_fails_at_the_negation_on_a_non_boolean() {
        for (source, stack) in [
            ("ctx.s = 'x';\nif (!ctx.s) { ctx.t = 1 }", "    ^---- HERE"),
            (
                "ctx.s = 'x';\nboolean b = !ctx.s;",
                "            ^---- HERE",
            ),
        ] {
            let (_, r) = outcome(source);
            let (kind, message, script_stack) = r.unwrap_err();
            assert_eq!(kind, ExceptionKind::ClassCast, "{source}");
            assert_eq!(message, "cannot cast def [java.lang.String] to boolean");
            assert_eq!(script_stack[1], stack, "{source}");
        }
        assert_same_outcome(
            "ctx.l = ['a']; if (!ctx.l.contains('b')) { ctx.t = 1 } if (!ctx.l.contains('a')) { ctx.u = 1 }",
            "ctx.l = ['a']; if (ctx.l.contains('b') == false) { ctx.t = 1 } if (ctx.l.contains('a') == false) { ctx.u = 1 }",
        );
        assert_same_outcome("if (!ctx.missing.x) {}", "boolean b = !ctx.missing.x;");
    }

    #[test]
    fn operators_on_locals_and_literals_give_what_they_give_on_computed_operands() {
        // `[v][0]` computes the same value through the general path.
        for (left, right) in [
            ("1", "2"),
            ("'a'", "'b'"),
            ("'a'", "1"),
            ("1", "2L"),
            ("null", "1"),
            ("true", "false"),
            ("2147483647", "1"),
            ("7", "0"),
        ] {
            for op in [
                "<", "<=", ">", ">=", "==", "!=", "+", "-", "*", "/", "%", "&", "|", "^", "<<",
            ] {
                let local = format!(
                    "def l = {left}; def r = {right}; ctx.v = l {op} r; ctx.c = (l {op} r) ? 1 : 0"
                );
                let computed = format!(
                    "def l = {left}; def r = {right}; ctx.v = [l][0] {op} [r][0]; ctx.c = ([l][0] {op} [r][0]) ? 1 : 0"
                );
                let literal =
                    format!("ctx.v = {left} {op} {right}; ctx.c = ({left} {op} {right}) ? 1 : 0");
                assert_same_outcome(&local, &computed);
                // Literal operands may be folded or refused at compile time;
                // when they compile they must agree too.
                if compile(&literal).is_ok_and(|s| s.check_as_script().is_ok()) {
                    assert_same_outcome(&literal, &computed);
                }
            }
        }
    }

    #[test]
    fn untouched_document_parts_come_back_unchanged() {
        let doc = r#"{"z":{"b":[1,2.5,"s",{"q":true}],"a":null},"m":"text","n":7}"#;
        let (ctx, result) = run("ctx.added = ctx.m.length()", doc, "{}");
        assert!(result.is_ok());
        assert_eq!(
            ctx,
            r#"{"z":{"b":[1,2.5,"s",{"q":true}],"a":null},"m":"text","n":7,"added":4}"#
        );
    }

    #[test]
    fn each_run_sees_params_as_given() {
        let script = compile("params.t.add(ctx.n); ctx.size = params.t.size()").unwrap();
        let isc_value::Value::Map(params) = isc_value::from_json_str(r#"{"t":[0]}"#).unwrap()
        else {
            unreachable!()
        };
        for n in 0..2 {
            let mut ctx = isc_value::Map::default();
            ctx.insert("n".into(), isc_value::Value::Int(n));
            script.execute(&mut ctx, &params).unwrap();
            assert_eq!(ctx["size"], isc_value::Value::Int(2));
        }
        assert_eq!(
            isc_value::to_json_string(&isc_value::Value::Map(params)),
            r#"{"t":[0]}"#
        );
    }

    #[test]
    fn null_comparisons_and_instanceof_see_locals_and_expressions_alike() {
        let (ctx, result) = run(
            "def m = ctx.a; def n; ctx.r = [m == null, m != null, null == m, n == null, \
             ctx.b == null, ctx.b != null, m instanceof Map, n instanceof Map, \
             ctx.a instanceof Map, ctx.x instanceof String]",
            r#"{"a":{},"x":"s"}"#,
            "{}",
        );
        assert!(result.is_ok());
        assert_eq!(
            ctx,
            r#"{"a":{},"x":"s","r":[false,true,false,true,true,false,true,false,true,true]}"#
        );
    }

    #[test]
    fn fields_and_indices_of_locals_read_as_of_expressions() {
        let (ctx, result) = run(
            "def m = ctx.a; def l = ctx.l; def n; int i = 1; String k = 'k'; \
             ctx.r = [m.k, m[k], m['k'], l[i], l[0], n?.x, ctx.a.k, ctx.l[i]]; \
             ctx.e = m.k.missing",
            r#"{"a":{"k":"v"},"l":[3,4]}"#,
            "{}",
        );
        assert!(result.is_err());
        assert_eq!(
            ctx,
            r#"{"a":{"k":"v"},"l":[3,4],"r":["v","v","v",4,3,null,"v",4]}"#
        );
    }

    #[test]
    fn a_too_deep_value_is_left_out_and_the_other_changes_stay() {
        let (ctx, result) = run(
            "ctx.b = 2; def m = [:]; for (int i = 0; i < 3000; i++) { m = ['x': m]; } ctx.deep = m",
            r#"{"a":{"k":1}}"#,
            "{}",
        );
        assert_eq!(result.unwrap_err().kind, ExceptionKind::StackOverflow);
        assert_eq!(ctx, r#"{"a":{"k":1},"b":2}"#);
    }

    /// The ctx a script leaves, run on a 256 KiB stack: recursing once per
    /// level of a 200 000-level value would overflow it.
    fn run_on_small_stack(source: &'static str) -> String {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || run(source, "{}", "{}").0)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn deeply_nested_values_a_script_drops_are_freed_without_deep_recursion() {
        assert_eq!(
            run_on_small_stack(
                "def l = []; def m = [:]; for (int i = 0; i < 200000; i++) { l = [l]; m = ['x': m, 'l': l]; } ctx.n = 1"
            ),
            r#"{"n":1}"#
        );
    }

    /// `toString`, `hashCode`, `equals` and `Json.dump` walk a value
    /// recursively; 200 000 levels once overflowed the stack (a 256 KiB
    /// one here), they now take a new stack segment as they go deeper.
    #[test]
    fn deep_values_print_hash_and_compare_without_overflowing_the_stack() {
        let ctx = run_on_small_stack(
            "def a = []; def b = []; for (int i = 0; i < 200000; i++) { a = [a]; b = [b]; } \
             ctx.text = a.toString().length(); ctx.hash = a.hashCode(); \
             ctx.same = a.equals(b); ctx.json = Json.dump(a).length()",
        );
        // `[` and `]` per level; Java's `List.hashCode` of `[x]` is
        // `31 * 1 + x.hashCode()`, and of `[]` 1: 1 + 31 per level.
        let hash = 1 + 31 * 200_000;
        assert_eq!(
            ctx,
            format!(r#"{{"text":400002,"hash":{hash},"same":true,"json":400002}}"#)
        );
    }

    /// Methods that return or build a longer string (`concat`, `replace`,
    /// `String.join`, `replaceAll`, `String.format`,
    /// `StringBuilder.setLength` and `insert`) once grew a string to
    /// gigabytes; past 64 MiB they fail as Java runs out of heap, as `+`
    /// and `append` already did.
    #[test]
    fn strings_grown_by_methods_fail_as_out_of_memory() {
        let doubling = |step: &str| {
            format!("String s = 'x'; for (int i = 0; i < 40; i++) {{ {step} }} ctx.n = s.length()")
        };
        let sources = [
            doubling("s = s.concat(s);"),
            doubling("s = s.replace('x', 'xx');"),
            doubling("s = String.join(s, [s, s]);"),
            "def b = new StringBuilder(); b.setLength(2000000000); ctx.n = b.length()".to_owned(),
            "def b = new StringBuilder('x'); for (int i = 0; i < 40; i++) { b.insert(0, b.toString()); } ctx.n = b.length()".to_owned(),
        ];
        // Texts that grow piece by piece stop once past the limit, not
        // after every piece (a hundred 16 MiB replacements).
        let big = "String big = 'x'; for (int i = 0; i < 24; i++) { big = big.concat(big); } ";
        let sources = sources.into_iter().chain([
            format!("{big} String t = 'x'; for (int i = 0; i < 6; i++) {{ t = t.concat(t); }} ctx.n = /x/.matcher(t).replaceAll(m -> big).length()"),
            format!("{big} ctx.n = String.format('%s%s%s%s%s', new def[] {{big, big, big, big, big}}).length()"),
        ]);
        for source in sources {
            let (ctx, result) = run(&source, "{}", "{}");
            let error = result.unwrap_err();
            assert_eq!(
                (error.kind, error.message.as_str(), ctx.as_str()),
                (ExceptionKind::OutOfMemory, "Java heap space", "{}"),
                "{source}"
            );
        }
    }

    /// Splitting a long text into more than a million parts, or its chars
    /// into an array, fails as Java runs out of heap (each part is a few
    /// dozen bytes here: 33 million took 2.7 GB); a text made only of
    /// separators still splits into nothing, as in Java.
    #[test]
    fn splits_into_millions_of_parts_fail_as_out_of_memory() {
        let long = "String s = 'x'; for (int i = 0; i < 21; i++) { s = s.concat(s); } ";
        for text in [
            "s.splitOnToken('x')",
            "s.toCharArray()",
            "/x/.split(s + 'y')",
        ] {
            let (_, result) = run(&format!("{long} ctx.n = {text}.length"), "{}", "{}");
            assert_eq!(
                result.unwrap_err().kind,
                ExceptionKind::OutOfMemory,
                "{text}"
            );
        }
        let (ctx, result) = run(&format!("{long} ctx.n = /x/.split(s).length"), "{}", "{}");
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(ctx, r#"{"n":0}"#);
    }

    /// A list holding the same list twice, 40 times over, prints 2^40
    /// times: its text fails as Java runs out of heap, instead of
    /// growing until the process dies.
    #[test]
    fn exponentially_long_texts_fail_as_out_of_memory() {
        let build = "def l = []; for (int i = 0; i < 40; i++) { l = [l, l]; } ";
        for text in [
            "l.toString()",
            "'' + l",
            "String.valueOf(l)",
            "Json.dump(l)",
            "[l].stream().map(String::valueOf).collect(Collectors.toList())",
        ] {
            let (_, result) = run(&format!("{build} ctx.t = {text}"), "{}", "{}");
            let error = result.unwrap_err();
            assert_eq!(
                (error.kind, error.message.as_str()),
                (ExceptionKind::OutOfMemory, "Java heap space"),
                "{text}"
            );
        }
    }
}
