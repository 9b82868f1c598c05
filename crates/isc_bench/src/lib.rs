//! Throughput of a data stream's ingest pipeline, measured against a floor.
//!
//! [`run_bench`] takes the data stream's pipeline test events from a
//! package in elastic-package source layout, widens them to the requested
//! number with [`workload::variations`] (new ids, timestamps and names, so
//! every event stays one the pipeline accepts), and times on one thread,
//! after a warm-up and in the same run:
//!
//! - the pipeline: parse the raw event, run the compiled entry pipeline as
//!   `test pipeline` does, serialize the resulting `_source`;
//! - the floor: `serde_json` parsing the same raw event into a
//!   `serde_json::Value` and serializing it back.
//!
//! The ratio of the two rates says how close the engine comes to the cost
//! of merely reading and writing the event. [`BenchReport::bench_line`] is
//! the one-line summary `isc bench` ends with.

mod error;
pub mod measure;
pub mod workload;

use std::path::PathBuf;

pub use error::BenchError;
pub use measure::{BenchPipelines, PassOutcomes, Rate};

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Package in elastic-package source layout.
    pub package_root: PathBuf,
    /// Data stream whose entry pipeline and test events are used.
    pub data_stream: String,
    /// Number of events per timed pass.
    pub events: usize,
    /// Timed passes of each kind; the fastest counts.
    pub rounds: usize,
}

/// The measurements of one run.
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// Data stream measured.
    pub data_stream: String,
    /// Test events the workload was derived from.
    pub test_events: usize,
    /// Events per timed pass.
    pub events: usize,
    /// Bytes of raw events per pass.
    pub input_bytes: usize,
    /// What became of the events in one pipeline pass.
    pub outcomes: PassOutcomes,
    /// Fastest pipeline pass.
    pub pipeline: Rate,
    /// Fastest floor pass.
    pub floor: Rate,
}

impl BenchReport {
    /// Pipeline rate divided by floor rate.
    pub fn ratio(&self) -> f64 {
        let floor = self.floor.events_per_second();
        if floor > 0.0 {
            self.pipeline.events_per_second() / floor
        } else {
            0.0
        }
    }

    /// `bench: <events per second> events/s, <ratio> of parse+serialize floor`.
    pub fn bench_line(&self) -> String {
        format!(
            "bench: {:.0} events/s, {:.2} of parse+serialize floor",
            self.pipeline.events_per_second(),
            self.ratio()
        )
    }
}

/// Loads the data stream's pipelines and test events, builds the workload
/// and measures it.
pub fn run_bench(options: &BenchOptions) -> Result<BenchReport, BenchError> {
    let stream = workload::find_data_stream(&options.package_root, &options.data_stream)?;
    let pipelines = BenchPipelines::load(&stream.pipeline_folder, &stream.entry, &stream.index)?;
    let events = workload::test_events(&stream.test_folder)?;
    if events.is_empty() {
        return Err(BenchError::NoEvents(stream.test_folder.clone()));
    }
    let inputs = workload::variations(&events, options.events.max(1));
    let input_bytes = inputs.iter().map(String::len).sum();
    let warm_up = &inputs[..inputs.len().min(WARM_UP_EVENTS)];
    pipelines.pass(warm_up)?;
    measure::floor_pass(warm_up)?;
    let mut pipeline: Option<Rate> = None;
    let mut floor: Option<Rate> = None;
    let mut outcomes = PassOutcomes::default();
    for _ in 0..options.rounds.max(1) {
        let (rate, pass) = pipelines.timed_pass(&inputs)?;
        outcomes = pass;
        pipeline = Some(faster(pipeline, rate));
        floor = Some(faster(floor, measure::timed_floor_pass(&inputs)?));
    }
    Ok(BenchReport {
        data_stream: options.data_stream.clone(),
        test_events: events.len(),
        events: inputs.len(),
        input_bytes,
        outcomes,
        pipeline: pipeline.unwrap_or_default(),
        floor: floor.unwrap_or_default(),
    })
}

/// Events run through each side before timing starts.
const WARM_UP_EVENTS: usize = 2_000;

fn faster(best: Option<Rate>, candidate: Rate) -> Rate {
    match best {
        Some(b) if b.events_per_second() >= candidate.events_per_second() => b,
        _ => candidate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn report(pipeline_ms: u64, floor_ms: u64) -> BenchReport {
        BenchReport {
            data_stream: "events".into(),
            test_events: 2,
            events: 1000,
            input_bytes: 0,
            outcomes: PassOutcomes::default(),
            pipeline: Rate::new(1000, Duration::from_millis(pipeline_ms)),
            floor: Rate::new(1000, Duration::from_millis(floor_ms)),
        }
    }

    #[test]
    fn bench_line_has_the_exact_format() {
        assert_eq!(
            report(40, 10).bench_line(),
            "bench: 25000 events/s, 0.25 of parse+serialize floor"
        );
    }

    #[test]
    fn ratio_is_pipeline_rate_over_floor_rate() {
        let r = report(30, 10);
        assert!((r.ratio() - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn the_faster_rate_wins() {
        let slow = Rate::new(10, Duration::from_millis(20));
        let fast = Rate::new(10, Duration::from_millis(10));
        assert_eq!(faster(Some(slow), fast), fast);
        assert_eq!(faster(Some(fast), slow), fast);
        assert_eq!(faster(None, slow), slow);
    }
}
