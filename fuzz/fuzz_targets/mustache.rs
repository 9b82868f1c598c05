//! The mustache renderer: any text compiles as a template or fails with an
//! error; what compiles renders against a sample document. The first byte
//! picks the media type (JSON, plain text, form encoding).
#![no_main]

use std::sync::OnceLock;

use isc_ingest::template::{Encoding, Template};
use isc_ingest::{Document, Map, Value};
use libfuzzer_sys::fuzz_target;

const SAMPLE: &str = r#"{"message":"a \"quoted\" line\n","n":1,"l":12345678901,"d":1.5e300,"f":0.1,
"b":true,"z":null,"tags":["one","two",3],"nested":{"list":[{"x":"y"},[]],"empty":{},"s":"é&<>"},
"event":{"original":"x","kind":"event"}}"#;

fn sample() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| match isc_value::from_json_str(SAMPLE) {
        Ok(Value::Map(m)) => Document::new(m),
        _ => Document::new(Map::default()),
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let encoding = match selector % 3 {
        0 => Encoding::Json,
        1 => Encoding::Plain,
        _ => Encoding::UrlForm,
    };
    if let Ok(template) = Template::compile_with(text, encoding) {
        let _ = template.render(sample());
    }
});
