//! Conformance cases as files: `tests/cases/*.painless`, each starting with
//! a header of `//` lines:
//!
//! ```text
//! // input: {"a": 1}            the ctx (default {})
//! // params: {"p": 2}           params (default {})
//! // expect: {"a": 1, "b": 2}   run as a script processor; the ctx after it
//! // condition: true            run as an `if` condition; its result
//! // error: type: message       the failure (script or condition)
//! // stack: text                a script_stack line (repeatable; `\n` is a newline)
//! // after: {"a": 1}            the ctx after a failing script
//! ```
//!
//! Expected values are what Elasticsearch produces for the same script.

use std::fs;
use std::path::Path;

use isc_value::{Map, Value, from_json_str, to_json_string};

struct Case {
    input: Map,
    params: Map,
    expect: Option<String>,
    condition: Option<bool>,
    error: Option<String>,
    stack: Vec<String>,
    after: Option<String>,
}

fn map(json: &str, name: &str) -> Map {
    match from_json_str(json) {
        Ok(Value::Map(m)) => m,
        other => panic!("{name}: header JSON must be an object: {other:?}"),
    }
}

fn parse_header(name: &str, source: &str) -> Case {
    let mut case = Case {
        input: Map::default(),
        params: Map::default(),
        expect: None,
        condition: None,
        error: None,
        stack: Vec::new(),
        after: None,
    };
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("// ") else {
            break;
        };
        let Some((key, value)) = rest.split_once(": ") else {
            continue;
        };
        match key {
            "input" => case.input = map(value, name),
            "params" => case.params = map(value, name),
            "expect" => case.expect = Some(to_json_string(&Value::Map(map(value, name)))),
            "condition" => {
                case.condition = Some(match value {
                    "true" => true,
                    "false" => false,
                    _ => panic!("{name}: condition must be true or false, not [{value}]"),
                })
            }
            "error" => case.error = Some(value.to_owned()),
            "stack" => case.stack.push(value.replace("\\n", "\n")),
            "after" => case.after = Some(to_json_string(&Value::Map(map(value, name)))),
            _ => panic!("{name}: unknown header [{key}]"),
        }
    }
    case
}

fn run_case(name: &str, source: &str) -> Result<(), String> {
    // The script is the file's text without its final newline.
    let source = source.strip_suffix('\n').unwrap_or(source);
    let case = parse_header(name, source);
    let script = isc_painless::compile(source).map_err(|e| format!("compile error:\n{e}"))?;
    let mut ctx = case.input.clone();
    let outcome = if case.condition.is_some()
        || (case.expect.is_none() && case.error.is_some() && name.starts_with("condition"))
    {
        script
            .condition(&case.input, &case.params)
            .map(|b| b.to_string())
    } else {
        script
            .execute(&mut ctx, &case.params)
            .map(|()| to_json_string(&Value::Map(ctx.clone())))
    };
    match (outcome, &case.error) {
        (Ok(got), None) => {
            let want = case
                .expect
                .clone()
                .or(case.condition.map(|b| b.to_string()))
                .unwrap_or_default();
            if got == want {
                Ok(())
            } else {
                Err(format!("want {want}\n got {got}"))
            }
        }
        (Ok(got), Some(e)) => Err(format!("want error {e}\n got {got}")),
        (Err(e), Some(want)) => {
            let got = format!("{}: {}", e.kind.type_name(), e.message);
            if &got != want {
                return Err(format!("want error {want}\n got error {got}"));
            }
            if !case.stack.is_empty() && e.script_stack != case.stack {
                return Err(format!(
                    "want stack {:?}\n got stack {:?}",
                    case.stack, e.script_stack
                ));
            }
            let after = to_json_string(&Value::Map(ctx));
            match &case.after {
                Some(want) if *want != after => {
                    Err(format!("want after {want}\n got after {after}"))
                }
                _ => Ok(()),
            }
        }
        (Err(e), None) => Err(format!(
            "unexpected error {}: {} {:?}",
            e.kind.type_name(),
            e.message,
            e.script_stack
        )),
    }
}

#[test]
fn conformance_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("cases folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "painless"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected a corpus of cases");
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = fs::read_to_string(path).expect("case readable");
        if let Err(e) = run_case(&name, &source) {
            failures.push(format!("{name}:\n{e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}
