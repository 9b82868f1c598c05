//! Fixture scripts: every `valid/*.painless` compiles (snapshot: syntax tree),
//! every `invalid/*.painless` fails (snapshot: rendered error and the
//! Elasticsearch script stack).

use std::fs;
use std::path::Path;

fn fixtures(kind: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind);
    let mut out: Vec<(String, String)> = fs::read_dir(&dir)
        .expect("fixture folder exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "painless"))
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, fs::read_to_string(&p).expect("fixture readable"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn valid_fixtures_compile() {
    let all = fixtures("valid");
    assert!(!all.is_empty());
    for (name, source) in all {
        let script = isc_painless::compile(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(format!("valid__{name}"), script.syntax_tree());
    }
}

#[test]
fn invalid_fixtures_fail_with_clear_errors() {
    let all = fixtures("invalid");
    assert!(!all.is_empty());
    for (name, source) in all {
        let err = isc_painless::compile(&source).expect_err(&name);
        let es = err.to_script_exception();
        let rendered = format!(
            "{err}\n\ncaused_by: {}\nscript_stack:\n{}\n",
            es.caused_by_reason,
            es.script_stack.join("\n")
        );
        insta::assert_snapshot!(format!("invalid__{name}"), rendered);
    }
}
