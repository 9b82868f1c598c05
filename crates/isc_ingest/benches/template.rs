//! Mustache rendering as processors use it: constants, a variable, a
//! triple mustache, a section joining a list.

use std::hint::black_box;

use criterion::{Criterion, criterion_main};
use isc_ingest::{Document, Template};
use isc_value::{Map, Value, from_json_str};

const EVENT: &str = r#"{"message":"a \"quoted\" line","event":{"kind":"event","dataset":"x.events"},
"user":{"name":"jane.doe"},"tags":["one","two","three"],"n":42}"#;

fn doc() -> Document {
    let source = match from_json_str(EVENT) {
        Ok(Value::Map(m)) => m,
        _ => Map::default(),
    };
    Document::with_timestamp(source, "2024-01-01T00:00:00.000Z")
}

fn templates(c: &mut Criterion) {
    let doc = doc();
    for (name, text) in [
        ("constant", "sailpoint_identity_sc.events"),
        ("variable", "{{user.name}}"),
        ("escaped_variable", "{{message}}"),
        ("triple_mustache", "{{{message}}}"),
        (
            "text_and_variables",
            "user {{user.name}} did {{event.kind}} ({{n}})",
        ),
        ("join_section", "{{#join}}tags{{/join}}"),
        ("to_json_section", "{{#toJson}}user{{/toJson}}"),
    ] {
        let template = match Template::compile(text) {
            Ok(t) => t,
            Err(e) => panic!("benchmark template {name} does not compile: {e}"),
        };
        c.bench_function(&format!("mustache/{name}"), |b| {
            b.iter(|| black_box(&template).render(black_box(&doc)).len())
        });
    }
}

mod harness {
    //! Criterion's generated entry points.
    #![allow(missing_docs)]
    use super::templates;
    criterion::criterion_group!(benches, templates);
}

criterion_main!(harness::benches);
