//! Property test: no input document makes the engine panic. A pipeline
//! that exercises field paths, templates, conversions, regexes, loops,
//! nested pipelines and failure handling runs on arbitrary JSON documents;
//! every run must end in a document, a drop, or an error value.

use isc_ingest::{Document, Map, Outcome, PipelineSet, Value};
use proptest::prelude::*;

const PIPELINE: &str = r#"
processors:
  - set: {field: copy, copy_from: a, ignore_empty_value: true, ignore_failure: true}
  - set: {field: "{{b}}", value: "{{a}}-{{{c.0}}}", ignore_failure: true}
  - append: {field: a.b, value: ["{{a}}", 1], allow_duplicates: false, ignore_failure: true}
  - convert: {field: a, type: auto, ignore_missing: true, ignore_failure: true}
  - convert: {field: c, target_field: c_long, type: long, ignore_failure: true}
  - lowercase: {field: b, ignore_missing: true, ignore_failure: true}
  - gsub: {field: b, pattern: "(\\w)(\\d)", replacement: "$2$1", ignore_failure: true}
  - split: {field: b, separator: "\\s+", target_field: parts, ignore_failure: true}
  - join: {field: parts, separator: "|", ignore_failure: true}
  - json: {field: a, target_field: parsed, ignore_failure: true}
  - dot_expander: {field: "*", ignore_failure: true}
  - foreach:
      field: c
      ignore_failure: true
      processor: {uppercase: {field: _ingest._value}}
  - sort: {field: c, ignore_failure: true}
  - bytes: {field: b, target_field: size, ignore_failure: true}
  - urldecode: {field: b, target_field: decoded, ignore_failure: true}
  - html_strip: {field: b, target_field: stripped, ignore_failure: true}
  - rename: {field: a, target_field: c.0.x, ignore_failure: true}
  - remove: {field: ["{{b}}", "a.0"], ignore_missing: true, ignore_failure: true}
  - pipeline: {name: inner, ignore_failure: true}
  - script: {source: "if (ctx.b instanceof String) { ctx.len = ctx.b.length() }", ignore_failure: true}
  - set: {field: z, value: 1, if: "ctx.b != null && ctx.b.toString().length() > 3"}
  - fail: {message: "{{b}}", on_failure: [{set: {field: failed, value: "{{_ingest.on_failure_message}}"}}]}
on_failure:
  - set: {field: error.message, value: "{{{_ingest.on_failure_message}}}"}
"#;

const INNER: &str = r#"
processors:
  - trim: {field: b}
  - remove: {keep: [a, b, c]}
"#;

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::Int),
        any::<i64>().prop_map(Value::Long),
        any::<f64>().prop_map(Value::Double),
        "[a-c0-9 .{}\\[\\]%<>&\"\\\\_-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("a.b"),
            Just("0"),
            Just("1kb"),
            Just("{\"a\":1}"),
            Just("0x1f"),
            Just("%zz")
        ]
        .prop_map(|s: &str| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
            prop::collection::vec(
                (
                    prop_oneof![Just("a"), Just("b"), Just("c"), Just("a.b"), Just("0")],
                    inner
                ),
                0..5
            )
            .prop_map(|entries| {
                let mut m = Map::default();
                for (k, v) in entries {
                    m.insert(k.to_owned(), v);
                }
                Value::Map(m)
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = Map> {
    prop::collection::vec(
        (
            prop_oneof![Just("a"), Just("b"), Just("c"), Just("a.b"), Just("x.y.z")],
            value(),
        ),
        0..6,
    )
    .prop_map(|entries| {
        let mut m = Map::default();
        for (k, v) in entries {
            m.insert(k.to_owned(), v);
        }
        m
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_document_makes_the_engine_panic(source in document()) {
        let set = PipelineSet::builder()
            .add_source("default", PIPELINE, false, None)
            .add_source("inner", INNER, false, None)
            .build()
            .expect("the test pipeline compiles");
        let outcome = set.run("default", Document::with_timestamp(source.clone(), "2024-01-01T00:00:00Z"));
        let finished = matches!(
            outcome,
            Some(Outcome::Document(_) | Outcome::Dropped | Outcome::Failed { .. })
        );
        prop_assert!(finished);
        let verbose = set.run_verbose("default", Document::with_timestamp(source, "2024-01-01T00:00:00Z"));
        prop_assert!(verbose.is_some());
    }
}
