//! Whole-pipeline golden test: the documents in `golden/audit-input.json`
//! run through `golden/audit.yml` (which calls `golden/cleanup.yml`); the
//! results, in the `_simulate` response form, are an insta snapshot.

use std::path::Path;

use isc_ingest::{Document, Outcome, PipelineSet, Value};

#[test]
fn audit_pipeline_matches_its_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let set = PipelineSet::builder()
        .naming(|stem| format!("logs-test.{stem}-1.0.0"))
        .add_source(
            "audit",
            &std::fs::read_to_string(dir.join("audit.yml")).unwrap(),
            false,
            None,
        )
        .add_source(
            "cleanup",
            &std::fs::read_to_string(dir.join("cleanup.yml")).unwrap(),
            false,
            None,
        )
        .build()
        .unwrap();
    let input =
        isc_value::from_json_str(&std::fs::read_to_string(dir.join("audit-input.json")).unwrap())
            .unwrap();
    let mut results = Vec::new();
    for source in input.as_list().unwrap() {
        let doc = Document::with_timestamp(
            source.as_map().unwrap().clone(),
            "2024-05-01T12:00:00.123456Z",
        );
        let result = match set.run("logs-test.audit-1.0.0", doc).unwrap() {
            Outcome::Document(d) => {
                let mut m = isc_value::Map::default();
                m.insert("doc".into(), d.to_simulate_json());
                Value::Map(m)
            }
            Outcome::Dropped => Value::Null,
            Outcome::Failed { error, .. } => {
                let mut m = isc_value::Map::default();
                m.insert("error".into(), error.to_es_json());
                Value::Map(m)
            }
        };
        results.push(result);
    }
    insta::assert_snapshot!(isc_value::to_json_string_pretty(&Value::List(results)));
}
