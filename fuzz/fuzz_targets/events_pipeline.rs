//! The `events` data stream's pipeline, as last built under
//! `build/integrations/` (`cargo run -- build`), on arbitrary bytes as
//! `message` (invalid UTF-8 replaced, as a reader of log lines would).
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use isc_ingest::{Document, Map, PipelineSet, Value};
use libfuzzer_sys::fuzz_target;

const PIPELINES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../build/integrations/sailpoint_identity_sc/data_stream/events/elasticsearch/ingest_pipeline"
);

fn pipelines() -> &'static PipelineSet {
    static SET: OnceLock<PipelineSet> = OnceLock::new();
    SET.get_or_init(|| match PipelineSet::load_dir(Path::new(PIPELINES)) {
        Ok(set) => set,
        Err(e) => panic!("run `cargo run -- build` first: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let set = pipelines();
    let mut source = Map::default();
    source.insert(
        "message".into(),
        Value::String(String::from_utf8_lossy(data).into_owned()),
    );
    let _ = set.run("default", Document::new(source));
});
