//! The pipeline loader: arbitrary text as a pipeline definition (YAML)
//! loads or fails with a load error, never a panic.
#![no_main]

use isc_ingest::PipelineSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = PipelineSet::builder()
        .add_source("default", text, false, None)
        .build();
});
