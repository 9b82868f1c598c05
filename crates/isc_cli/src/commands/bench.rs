//! `isc bench`: throughput of a data stream's ingest pipeline against the
//! `serde_json` parse+serialize floor, measured in the same run
//! (`isc_bench`). Run it from a release build: `cargo run --release -- bench`.
//!
//! Without `--package-root` it measures the project's own package, built
//! first when a source is newer, as `test pipeline` does. The last line is
//! `bench: <events per second> events/s, <ratio> of parse+serialize floor`.

use std::path::PathBuf;

use clap::Args;
use isc_bench::{BenchOptions, BenchReport, run_bench};

use crate::Outcome;
use crate::commands::test::project_package;

/// Options of `isc bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Data stream whose pipeline and test events are measured.
    #[arg(long, default_value = "events")]
    pub data_stream: String,
    /// Events per timed pass: the test events, then their variations.
    #[arg(long, default_value_t = 50_000)]
    pub events: usize,
    /// Timed passes of each side; the fastest counts.
    #[arg(long, default_value_t = 5)]
    pub rounds: usize,
    /// Package in elastic-package source layout (default: the project's
    /// package, built under build/integrations/).
    #[arg(long)]
    pub package_root: Option<PathBuf>,
    /// Project root holding package/, data_stream/ and templates/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Runs `isc bench`.
pub fn run(args: &BenchArgs) -> Outcome {
    let package_root = match &args.package_root {
        Some(root) => root.clone(),
        None => match project_package(&args.root) {
            Ok(root) => root,
            Err(outcome) => return outcome,
        },
    };
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build; measure with `cargo run --release -- bench`");
    }
    let options = BenchOptions {
        package_root,
        data_stream: args.data_stream.clone(),
        events: args.events,
        rounds: args.rounds,
    };
    match run_bench(&options) {
        Ok(report) => {
            print!("{}", render(&report));
            Outcome::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::Problems
        }
    }
}

/// The details, then the bench line.
fn render(report: &BenchReport) -> String {
    let o = &report.outcomes;
    let rate = |r: &isc_bench::Rate| {
        format!(
            "{:.0} events/s ({:.1} MB/s of input, fastest pass {:.3} s)",
            r.events_per_second(),
            report.input_bytes as f64 / r.elapsed.as_secs_f64().max(f64::MIN_POSITIVE) / 1e6,
            r.elapsed.as_secs_f64()
        )
    };
    format!(
        "data stream: {} ({} test events, {} events per pass, {} bytes)\n\
         outcomes per pass: {} processed, {} dropped, {} failed, {} bytes written\n\
         pipeline: {}\n\
         floor:    {}\n\
         {}\n",
        report.data_stream,
        report.test_events,
        report.events,
        report.input_bytes,
        o.processed,
        o.dropped,
        o.failed,
        o.output_bytes,
        rate(&report.pipeline),
        rate(&report.floor),
        report.bench_line()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use isc_bench::{PassOutcomes, Rate};
    use std::time::Duration;

    #[test]
    fn the_bench_line_comes_last() {
        let report = BenchReport {
            data_stream: "events".into(),
            test_events: 4,
            events: 100,
            input_bytes: 1000,
            outcomes: PassOutcomes::default(),
            pipeline: Rate::new(100, Duration::from_millis(10)),
            floor: Rate::new(100, Duration::from_millis(2)),
        };
        let text = render(&report);
        assert_eq!(
            text.lines().last(),
            Some("bench: 10000 events/s, 0.20 of parse+serialize floor")
        );
    }
}
