//! Real-world-style scripts and conditions with the ctx Elasticsearch
//! produces for them, and Java-semantics edge cases.

use isc_painless::compile;
use isc_value::{Map, Value, from_json_str, to_json_string};

fn map(json: &str) -> Map {
    match from_json_str(json) {
        Ok(Value::Map(m)) => m,
        other => panic!("bad test json {json}: {other:?}"),
    }
}

/// Runs `source` as a script processor on `input` and returns the ctx JSON.
fn run(source: &str, input: &str) -> String {
    let script = compile(source).unwrap_or_else(|e| panic!("{e}"));
    let mut ctx = map(input);
    script
        .execute(&mut ctx, &Map::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    to_json_string(&Value::Map(ctx))
}

fn cond(source: &str, input: &str) -> bool {
    let script = compile(source).unwrap_or_else(|e| panic!("{e}"));
    script
        .condition(&map(input), &Map::default())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn error(source: &str, input: &str) -> (String, String, Vec<String>) {
    let script = compile(source).unwrap_or_else(|e| panic!("{e}"));
    let mut ctx = map(input);
    let e = script
        .execute(&mut ctx, &Map::default())
        .expect_err("script should fail");
    (e.kind.type_name().to_owned(), e.message, e.script_stack)
}

const DROP_EMPTY: &str = r#"
boolean dropEmptyFields(Object object) {
  if (object == null || object == '') {
    return true;
  } else if (object instanceof Map) {
    ((Map) object).values().removeIf(value -> dropEmptyFields(value));
    return (((Map) object).size() == 0);
  } else if (object instanceof List) {
    ((List) object).removeIf(value -> dropEmptyFields(value));
    return (((List) object).length == 0);
  }
  return false;
}
dropEmptyFields(ctx);
"#;

#[test]
fn recursive_empty_value_removal() {
    assert_eq!(
        run(
            DROP_EMPTY,
            r#"{"a":"","b":{"c":null,"d":[],"e":"x"},"f":[{"g":""},"h"],"i":0}"#
        ),
        r#"{"b":{"e":"x"},"f":["h"],"i":0}"#
    );
}

const SNAKE_CASE: &str = r#"
String toSnake(String key) {
  return /([a-z0-9])([A-Z])/.matcher(key).replaceAll('$1_$2').toLowerCase();
}
def convert(def value) {
  if (value instanceof Map) {
    Map out = new HashMap();
    for (entry in ((Map) value).entrySet()) {
      out.put(toSnake(entry.getKey()), convert(entry.getValue()));
    }
    return out;
  } else if (value instanceof List) {
    List out = new ArrayList();
    for (def item : (List) value) {
      out.add(convert(item));
    }
    return out;
  }
  return value;
}
ctx.sailpoint = convert(ctx.remove('json'));
"#;

#[test]
fn snake_case_key_conversion() {
    assert_eq!(
        run(
            SNAKE_CASE,
            r#"{"json":{"actorName":"a","targetList":[{"displayName":"x"}]}}"#
        ),
        r#"{"sailpoint":{"target_list":[{"display_name":"x"}],"actor_name":"a"}}"#
    );
}

#[test]
fn related_user_from_list_of_maps() {
    let src = r#"
    def users = new ArrayList();
    for (def a : ctx.accounts) {
      if (a?.name != null && !users.contains(a.name)) { users.add(a.name); }
    }
    if (users.size() > 0) { ctx.related = ['user': users]; }
    "#;
    assert_eq!(
        run(
            src,
            r#"{"accounts":[{"name":"bob"},{"name":"amy"},{"name":"bob"},{}]}"#
        ),
        r#"{"accounts":[{"name":"bob"},{"name":"amy"},{"name":"bob"},{}],"related":{"user":["bob","amy"]}}"#
    );
}

#[test]
fn conditions_in_integration_style() {
    assert!(cond(
        "ctx.a?.b != null && ctx.a.b != ''",
        r#"{"a":{"b":"x"}}"#
    ));
    assert!(!cond(
        "ctx.a?.b != null && ctx.a.b != ''",
        r#"{"a":{"b":""}}"#
    ));
    assert!(!cond("ctx.a?.b != null && ctx.a.b != ''", r#"{}"#));
    assert!(cond(
        "ctx.event?.original != null",
        r#"{"event":{"original":"x"}}"#
    ));
    assert!(cond(
        "ctx.tags?.contains('preserve_original_event') == true",
        r#"{"tags":["preserve_original_event"]}"#
    ));
    assert!(!cond(
        "ctx.tags?.contains('preserve_original_event') == true",
        r#"{}"#
    ));
    assert!(cond("ctx.message =~ /^err/i", r#"{"message":"ERROR x"}"#));
    assert!(cond(
        "ctx.status instanceof Integer && ctx.status >= 400",
        r#"{"status":404}"#
    ));
}

#[test]
fn conditions_cannot_mutate() {
    let s = compile("ctx.a = 1; return true").unwrap();
    let e = s.condition(&map("{}"), &Map::default()).unwrap_err();
    assert_eq!(e.kind.type_name(), "unsupported_operation_exception");
    assert_eq!(
        e.message,
        "Mutating ingest documents in conditionals is not supported"
    );
}

#[test]
fn condition_must_be_boolean() {
    let s = compile("ctx.a").unwrap();
    let e = s
        .condition(&map(r#"{"a":"x"}"#), &Map::default())
        .unwrap_err();
    assert_eq!(e.message, "cannot cast def [java.lang.String] to boolean");
}

#[test]
fn java_numbers() {
    assert_eq!(
        run(
            "ctx.a = 2147483647 + 1; ctx.b = 7 / 2; ctx.c = 7.0 / 2; ctx.d = 'n' + 1.0; ctx.e = 1L << 40; ctx.f = -7 % 3; ctx.g = 'x' + 1e10; ctx.h = 0.1f + 0.2f",
            "{}"
        ),
        r#"{"a":-2147483648,"b":3,"c":3.5,"d":"n1.0","e":1099511627776,"f":-1,"g":"x1.0E10","h":0.3}"#
    );
}

#[test]
fn division_by_zero() {
    let (kind, msg, _) = error("ctx.a = 1 / 0", "{}");
    assert_eq!(
        (kind.as_str(), msg.as_str()),
        ("arithmetic_exception", "/ by zero")
    );
}

#[test]
fn null_def_reference_reports_like_painless() {
    let (kind, msg, stack) = error("ctx.a.b.c = 1", r#"{"a":{}}"#);
    assert_eq!(kind, "null_pointer_exception");
    assert_eq!(
        msg,
        "cannot access method/field [c] from a null def reference"
    );
    assert_eq!(stack, ["ctx.a.b.c = 1", "       ^---- HERE"]);
}

#[test]
fn hashmap_iteration_order_is_javas() {
    assert_eq!(
        run(
            "def m = ['zeta': 1, 'alpha': 2, 'mid': 3]; def out = []; for (k in m.keySet()) { out.add(k) } ctx.keys = out; ctx.s = m.toString()",
            "{}"
        ),
        r#"{"keys":["zeta","alpha","mid"],"s":"{zeta=1, alpha=2, mid=3}"}"#
    );
    // Writes keep the document's order; new keys are appended.
    assert_eq!(
        run("ctx.b = 2; ctx.a = 1", r#"{"z":0,"b":1}"#),
        r#"{"z":0,"b":2,"a":1}"#
    );
}

#[test]
fn aliasing_mutates_the_document() {
    assert_eq!(
        run("def m = ctx.a; m.put('x', 1); m.y = [1, 2]", r#"{"a":{}}"#),
        r#"{"a":{"x":1,"y":[1,2]}}"#
    );
}

#[test]
fn loops_are_capped() {
    let (kind, msg, _) = error("while (true) {}", "{}");
    assert_eq!(kind, "painless_error");
    assert_eq!(
        msg,
        "The maximum number of statements that can be executed in a loop has been reached."
    );
}

#[test]
fn strings_and_collections() {
    assert_eq!(
        run(
            r#"
            String s = '  Hello World  ';
            ctx.t = s.trim();
            ctx.parts = 'a,b,,c'.splitOnToken(',');
            ctx.sub = ctx.t.substring(0, 5).toLowerCase();
            ctx.idx = ctx.t.indexOf('World');
            ctx.joined = String.join('-', ['x', 'y']);
            List l = [3, 1, 2]; l.sort((a, b) -> a - b); ctx.sorted = l;
            ctx.mapped = l.stream().filter(x -> x > 1).map(x -> x * 10).collect(Collectors.toList());
            ctx.n = Integer.parseInt('42') + Long.parseLong('1');
            ctx.max = Math.max(3, 7.5);
            ctx.ok = ctx.getOrDefault('missing', 'dflt');
            ctx.lower = Processors.lowercase('ABC');
            "#,
            "{}"
        ),
        r#"{"t":"Hello World","parts":["a","b","","c"],"sub":"hello","idx":6,"joined":"x-y","sorted":[1,2,3],"mapped":[20,30],"n":43,"max":7.5,"ok":"dflt","lower":"abc"}"#
    );
}

#[test]
fn try_catch_and_throw() {
    assert_eq!(
        run(
            "try { Integer.parseInt('x') } catch (NumberFormatException e) { ctx.err = e.getMessage() }",
            "{}"
        ),
        r#"{"err":"For input string: \"x\""}"#
    );
    let (kind, msg, _) = error(
        "throw new IllegalArgumentException('bad ' + ctx.a)",
        r#"{"a":1}"#,
    );
    assert_eq!(
        (kind.as_str(), msg.as_str()),
        ("illegal_argument_exception", "bad 1")
    );
}

#[test]
fn unsupported_is_a_compile_error() {
    let e = compile("ctx.a.frobnicate()").unwrap_err();
    assert!(e.message.starts_with("unsupported:"), "{}", e.message);
}
