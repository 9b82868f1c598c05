//! No source text makes the compiler or the interpreter panic.

use isc_value::{Map, Value, from_json_str};
use proptest::prelude::*;

fn doc() -> Map {
    match from_json_str(r#"{"a":{"b":"x","n":1},"l":[1,"two",null],"s":"text"}"#) {
        Ok(Value::Map(m)) => m,
        _ => Map::default(),
    }
}

const PIECES: &[&str] = &[
    "ctx",
    ".",
    "?.",
    "a",
    "b",
    "l",
    "s",
    "n",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ";",
    ",",
    "=",
    "==",
    "!=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "<",
    ">",
    "&&",
    "||",
    "!",
    "?",
    ":",
    "?:",
    "->",
    "::",
    "'x'",
    "\"y\"",
    "1",
    "0",
    "-1",
    "2147483647",
    "1L",
    "1.5",
    "null",
    "true",
    "if",
    "else",
    "for",
    "while",
    "in",
    "def",
    "int",
    "String",
    "Map",
    "List",
    "new",
    "HashMap",
    "ArrayList",
    "return",
    "break",
    "x",
    "size",
    "get",
    "put",
    "remove",
    "contains",
    "length",
    "substring",
    "/a+/",
    "=~",
    "==~",
    "++",
    "instanceof",
    "try",
    "catch",
    "Exception",
    "e",
    "throw",
    "Math",
    "max",
    "String",
    "join",
];

fn run_any(source: &str) {
    if let Ok(script) = isc_painless::compile(source) {
        let mut ctx = doc();
        let mut params = Map::default();
        params.insert("p".into(), Value::List(vec![Value::Int(1)]));
        let _ = script.condition(&ctx, &params);
        let _ = script.execute(&mut ctx, &params);
        let _ = script.check_as_script();
    }
}

/// Random expressions built from a small Painless grammar, so that most
/// of them compile and reach the interpreter.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("ctx.a".to_owned()),
        Just("ctx.a.b".to_owned()),
        Just("ctx?.missing?.x".to_owned()),
        Just("ctx.l".to_owned()),
        Just("ctx.s".to_owned()),
        Just("params.p".to_owned()),
        Just("null".to_owned()),
        Just("'str'".to_owned()),
        Just("''".to_owned()),
        (-3i64..3).prop_map(|n| n.to_string()),
        Just("2147483647".to_owned()),
        Just("1.5".to_owned()),
        Just("true".to_owned()),
        Just("[1, 'x', null]".to_owned()),
        Just("['k': 1]".to_owned()),
        Just("/a+/".to_owned()),
    ];
    leaf.prop_recursive(4, 32, 3, |inner| {
        let op = prop_oneof![
            Just("+"),
            Just("-"),
            Just("*"),
            Just("/"),
            Just("%"),
            Just("=="),
            Just("!="),
            Just("<"),
            Just(">="),
            Just("&&"),
            Just("||"),
            Just("?:"),
            Just("&"),
            Just("<<"),
            Just("=~"),
            Just("==~"),
            Just("instanceof List ||"),
        ];
        let method = prop_oneof![
            Just(".size()"),
            Just(".length()"),
            Just(".toString()"),
            Just(".isEmpty()"),
            Just(".contains('x')"),
            Just(".get(0)"),
            Just(".substring(1)"),
            Just(".keySet()"),
            Just(".toUpperCase()"),
            Just("?.trim()"),
            Just("[0]"),
            Just(".b"),
        ];
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            (inner.clone(), method).prop_map(|(a, m)| format!("{a}{m}")),
            inner.clone().prop_map(|a| format!("!({a})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            (inner.clone(), inner.clone(), inner)
                .prop_map(|(c, a, b)| format!("({c}) ? {a} : {b}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_expressions_never_panic(e in expression()) {
        run_any(&e);
        run_any(&format!("def v = {e}; ctx.out = v; for (def x : ctx.l) {{ ctx.n = x; }}"));
    }

    #[test]
    fn token_soup_never_panics(parts in proptest::collection::vec(0..PIECES.len(), 0..40)) {
        let source: Vec<&str> = parts.into_iter().map(|i| PIECES[i]).collect();
        run_any(&source.join(" "));
    }

    #[test]
    fn arbitrary_text_never_panics(source in "\\PC{0,80}") {
        run_any(&source);
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    assert!(isc_painless::compile(&deep).is_err());
    let blocks = format!("{}{}", "{".repeat(5000), "}".repeat(5000));
    assert!(isc_painless::compile(&blocks).is_err());
    let unary = format!("{}1", "-".repeat(5000));
    assert!(isc_painless::compile(&unary).is_err());
}

#[test]
fn runaway_recursion_is_a_stack_overflow_error() {
    let s = isc_painless::compile("int f(int x) { return f(x + 1) } f(0)").unwrap();
    let e = s.execute(&mut Map::default(), &Map::default()).unwrap_err();
    assert_eq!(e.kind.type_name(), "stack_overflow_error");
}
