//! How long typical `if` conditions take against a small document.

use criterion::{Criterion, black_box, criterion_main};
use isc_value::{Map, Value, from_json_str};

fn doc() -> Map {
    let text = r#"{"a":{"b":"value"},"event":{"original":"x","kind":"event"},"tags":["one","preserve_original_event"],"_index":"logs","_id":"1"}"#;
    match from_json_str(text) {
        Ok(Value::Map(m)) => m,
        _ => Map::default(),
    }
}

fn conditions(c: &mut Criterion) {
    let ctx = doc();
    let params = Map::default();
    for (name, source) in [
        (
            "null_safe_and_not_empty",
            "ctx.a?.b != null && ctx.a.b != ''",
        ),
        (
            "tags_contains",
            "ctx.tags?.contains('preserve_original_event') == true",
        ),
        ("event_original", "ctx.event?.original != null"),
    ] {
        let script = isc_painless::compile(source).expect("benchmark conditions compile");
        c.bench_function(name, |b| {
            b.iter(|| script.condition(black_box(&ctx), black_box(&params)))
        });
    }
}

mod harness {
    //! Criterion's generated entry points.
    #![allow(missing_docs)]
    use super::conditions;
    criterion::criterion_group!(benches, conditions);
}

criterion_main!(harness::benches);
