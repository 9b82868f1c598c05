//! One processor at a time on a document shaped like a raw audit event:
//! `json`, `rename`, `set`, `append`, `script`, and a processor skipped by
//! its `if` (the cost of a pipeline run itself). Each iteration gets a fresh
//! copy of the document; copying and dropping it are not timed.

use criterion::{BatchSize, Criterion, criterion_main};
use isc_ingest::{Document, Outcome, PipelineSet};
use isc_value::{Map, Value, from_json_str};

const EVENT: &str = r#"{"message":"{\"id\":\"001909ce8cc3b519436197105426b18b\",\"created\":\"2023-06-01T22:01:37.818Z\",\"type\":\"PROVISIONING\",\"technicalName\":\"ACCOUNT_MODIFY_PASSED\",\"target\":{\"name\":\"Colt.Spears\"},\"actor\":{\"name\":\"System\"},\"attributes\":{\"accountName\":\"CN=Colt Spears,OU=Sales\",\"sourceName\":\"Active Directory\"},\"status\":\"PASSED\"}",
"json":{"id":"001909ce","actor":{"name":"System"},"attributes":{"sourceName":"Active Directory","interface":"Identity Refresh"},"objects":["ACCOUNT"]},
"tags":["preserve_original_event"],"event":{"kind":"event"}}"#;

const TIMESTAMP: &str = "2024-01-01T00:00:00.000Z";

fn source() -> Map {
    match from_json_str(EVENT) {
        Ok(Value::Map(m)) => m,
        _ => Map::default(),
    }
}

fn processors(c: &mut Criterion) {
    for (name, definition) in [
        (
            "json",
            r#"{"json":{"field":"message","target_field":"parsed"}}"#,
        ),
        (
            "rename",
            r#"{"rename":{"field":"json.attributes","target_field":"sailpoint.events.attributes"}}"#,
        ),
        (
            "set_template",
            r#"{"set":{"field":"user.name","value":"{{{json.actor.name}}}"}}"#,
        ),
        (
            "set_copy_from",
            r#"{"set":{"field":"user.target","copy_from":"json.actor"}}"#,
        ),
        (
            "append",
            r#"{"append":{"field":"tags","value":["{{json.objects.0}}","x"],"allow_duplicates":false}}"#,
        ),
        (
            "script",
            r#"{"script":{"source":"if (ctx.json?.actor?.name != null) { ctx.user = ['name': ctx.json.actor.name.toLowerCase()]; }"}}"#,
        ),
        (
            "if_condition_false",
            r#"{"set":{"if":"ctx.json?.missing != null","field":"x","value":1}}"#,
        ),
    ] {
        let text = format!(r#"{{"processors":[{definition}]}}"#);
        let set = match PipelineSet::builder()
            .add_source("default", &text, true, None)
            .build()
        {
            Ok(set) => set,
            Err(e) => panic!("benchmark pipeline {name} does not load: {e}"),
        };
        let probe = set.run("default", Document::with_timestamp(source(), TIMESTAMP));
        assert!(
            matches!(probe, Some(Outcome::Document(_))),
            "benchmark pipeline {name} does not process the document: {probe:?}"
        );
        c.bench_function(&format!("processor/{name}"), |b| {
            b.iter_batched(
                || Document::with_timestamp(source(), TIMESTAMP),
                // Returned, so that dropping the result is not timed.
                |doc| set.run("default", doc),
                BatchSize::SmallInput,
            )
        });
    }
}

mod harness {
    //! Criterion's generated entry points.
    #![allow(missing_docs)]
    use super::processors;
    criterion::criterion_group!(benches, processors);
}

criterion_main!(harness::benches);
