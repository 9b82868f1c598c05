//! Field path get and set on a document shaped like a parsed audit event.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_main};
use isc_ingest::FieldPath;
use isc_value::{Map, Value, from_json_str};

const EVENT: &str = r#"{"message":"x","sailpoint":{"events":{"id":"1f74","actor":{"name":"jane"},
"attributes":{"sourceName":"Active Directory","accountName":"CN=x"},"objects":["ACCOUNT"]}},
"event":{"kind":"event"},"tags":["preserve_original_event"]}"#;

fn event() -> Map {
    match from_json_str(EVENT) {
        Ok(Value::Map(m)) => m,
        _ => Map::default(),
    }
}

fn field_paths(c: &mut Criterion) {
    let doc = event();
    let shallow = FieldPath::new("message");
    let deep = FieldPath::new("sailpoint.events.attributes.sourceName");
    let indexed = FieldPath::new("sailpoint.events.objects.0");
    c.bench_function("field_path/get_shallow", |b| {
        b.iter(|| black_box(&shallow).get(black_box(&doc)).is_ok())
    });
    c.bench_function("field_path/get_deep", |b| {
        b.iter(|| black_box(&deep).get(black_box(&doc)).is_ok())
    });
    c.bench_function("field_path/get_list_index", |b| {
        b.iter(|| black_box(&indexed).get(black_box(&doc)).is_ok())
    });
    c.bench_function("field_path/has_deep", |b| {
        b.iter(|| black_box(&deep).has(black_box(&doc), true))
    });
    let new_leaf = FieldPath::new("sailpoint.events.attributes.interface");
    c.bench_function("field_path/set_existing_parent", |b| {
        b.iter_batched_ref(
            event,
            |d| new_leaf.set(d, Value::from("Identity Refresh")),
            BatchSize::SmallInput,
        )
    });
    let new_branch = FieldPath::new("user.target.name");
    c.bench_function("field_path/set_creating_objects", |b| {
        b.iter_batched_ref(
            event,
            |d| new_branch.set(d, Value::from("jane")),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("field_path/compile", |b| {
        b.iter(|| FieldPath::new(black_box("sailpoint.events.attributes.sourceName")))
    });
}

mod harness {
    //! Criterion's generated entry points.
    #![allow(missing_docs)]
    use super::field_paths;
    criterion::criterion_group!(benches, field_paths);
}

criterion_main!(harness::benches);
