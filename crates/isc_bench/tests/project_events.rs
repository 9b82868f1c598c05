//! The workload of the project's own `events` data stream: every variation
//! of a test event ends as its original does (processed, dropped or
//! failed; with or without `error.message`), so the benchmark measures the
//! same work the test events cause.

use std::path::Path;

use isc_bench::BenchPipelines;
use isc_bench::measure::Handled;
use isc_bench::workload::{find_data_stream, test_events, variations};
use isc_value::Value;

fn has_error_message(output: &str) -> bool {
    match isc_value::from_json_str(output) {
        Ok(Value::Map(m)) => m
            .get("error")
            .and_then(Value::as_map)
            .is_some_and(|e| e.contains_key("message")),
        _ => false,
    }
}

#[test]
fn variations_of_the_events_test_events_end_as_their_originals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = tempfile::tempdir().unwrap();
    let (_, written) = isc_package::build(&root, out.path()).unwrap();
    let package = out.path().join(written.source_package);
    let stream = find_data_stream(&package, "events").unwrap();
    let pipelines =
        BenchPipelines::load(&stream.pipeline_folder, &stream.entry, &stream.index).unwrap();
    let events = test_events(&stream.test_folder).unwrap();
    assert!(!events.is_empty());
    let inputs = variations(&events, events.len() * 3);
    let ends: Vec<(Handled, bool)> = inputs
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let (output, handled) = pipelines.process(i, raw).unwrap();
            (handled, has_error_message(&output))
        })
        .collect();
    for (i, end) in ends.iter().enumerate().skip(events.len()) {
        assert_eq!(
            *end,
            ends[i % events.len()],
            "variation {i} ({}) ends unlike its original ({})",
            inputs[i],
            inputs[i % events.len()]
        );
    }
    let changed = inputs[events.len()..2 * events.len()]
        .iter()
        .zip(&inputs[..events.len()])
        .filter(|(variation, original)| variation != original)
        .count();
    assert!(
        changed * 2 > events.len(),
        "only {changed} of {} events vary",
        events.len()
    );
}
