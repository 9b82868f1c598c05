//! No source text makes the compiler or the interpreter panic.

use isc_value::{Map, Value, from_json_str};
use proptest::prelude::*;

fn doc() -> Map {
    match from_json_str(r#"{"a":{"b":"x","n":1},"l":[1,"two",null],"s":"text"}"#) {
        Ok(Value::Map(m)) => m,
        _ => Map::new(),
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
        let _ = script.condition(&ctx, &Map::new());
        let _ = script.execute(&mut ctx, &Map::new());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

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
    let e = s.execute(&mut Map::new(), &Map::new()).unwrap_err();
    assert_eq!(e.kind.type_name(), "stack_overflow_error");
}
