//! Timing the two sides on the same inputs: the pipeline (parse, run,
//! serialize) and the floor (`serde_json` parse and serialize).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use isc_ingest::{Document, Outcome, PipelineSet, Value};
use isc_pipeline_test::coverage::pipeline_sources;
use isc_pipeline_test::routing_rules::{reroute_processors, with_reroute_processors};

use crate::BenchError;

/// Events handled in a measured time.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rate {
    /// Events handled.
    pub events: usize,
    /// Time they took.
    pub elapsed: Duration,
}

impl Rate {
    /// `events` handled in `elapsed`.
    pub fn new(events: usize, elapsed: Duration) -> Rate {
        Rate { events, elapsed }
    }

    /// Events per second (0 when nothing was timed).
    pub fn events_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.events as f64 / seconds
        } else {
            0.0
        }
    }
}

/// What became of the events of one pipeline pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PassOutcomes {
    /// Events that came out as documents.
    pub processed: usize,
    /// Events a `drop` processor removed.
    pub dropped: usize,
    /// Events that failed (the output is then the error object).
    pub failed: usize,
    /// Bytes of output written.
    pub output_bytes: usize,
}

/// A data stream's compiled pipelines, loaded as `test pipeline` loads
/// them (every pipeline file, the `reroute` processors of
/// `routing_rules.yml` appended to `default`).
pub struct BenchPipelines {
    set: PipelineSet,
    entry: String,
    index: String,
}

impl BenchPipelines {
    /// Compiles the pipelines of `pipeline_dir`; documents enter at `entry`
    /// carrying `_index` `index`.
    pub fn load(
        pipeline_dir: &Path,
        entry: &str,
        index: &str,
    ) -> Result<BenchPipelines, BenchError> {
        let stream_dir = pipeline_dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(pipeline_dir);
        let fail = |e: String| BenchError::Pipelines(e);
        let reroutes = reroute_processors(stream_dir).map_err(|e| fail(e.to_string()))?;
        let mut builder = PipelineSet::builder();
        for source in pipeline_sources(pipeline_dir).map_err(|e| fail(e.to_string()))? {
            let json = source.file_name.ends_with(".json");
            if source.name == "default" && !reroutes.is_empty() {
                let text = with_reroute_processors(&source.text, &reroutes)
                    .map_err(|e| fail(format!("{}: {e}", source.path.display())))?;
                builder = builder.add_source(&source.name, &text, false, Some(&source.path));
            } else {
                builder = builder.add_source(&source.name, &source.text, json, Some(&source.path));
            }
        }
        let set = builder.build().map_err(|e| fail(e.to_string()))?;
        if set.get(entry).is_none() {
            return Err(fail(format!(
                "entry pipeline \"{entry}\" not found in {}",
                pipeline_dir.display()
            )));
        }
        Ok(BenchPipelines {
            set,
            entry: entry.to_owned(),
            index: index.to_owned(),
        })
    }

    /// Runs one raw event: parse, pipeline, serialize. Returns the output
    /// text and what became of the event.
    pub fn process(&self, index: usize, raw: &str) -> Result<(String, Handled), BenchError> {
        let source = match isc_value::from_json_str(raw) {
            Ok(Value::Map(m)) => m,
            Ok(other) => {
                return Err(BenchError::Event {
                    index,
                    message: format!("found a {}", other.java_type_name()),
                });
            }
            Err(e) => {
                return Err(BenchError::Event {
                    index,
                    message: e.to_string(),
                });
            }
        };
        let mut doc = Document::new(source);
        doc.ctx_mut()
            .insert("_index".into(), Value::from(self.index.as_str()));
        let outcome = self
            .set
            .run(&self.entry, doc)
            .ok_or_else(|| BenchError::Pipelines("entry pipeline vanished".into()))?;
        Ok(match outcome {
            Outcome::Document(d) => (
                isc_value::to_json_string(&Value::Map(d.into_source())),
                Handled::Processed,
            ),
            Outcome::Dropped => ("null".to_owned(), Handled::Dropped),
            Outcome::Failed { error, .. } => (
                isc_value::to_json_string(&error.to_es_json()),
                Handled::Failed,
            ),
        })
    }

    /// Runs every input once, untimed.
    pub fn pass(&self, inputs: &[String]) -> Result<PassOutcomes, BenchError> {
        let mut outcomes = PassOutcomes::default();
        for (i, raw) in inputs.iter().enumerate() {
            let (text, handled) = self.process(i, raw)?;
            outcomes.output_bytes += black_box(text).len();
            match handled {
                Handled::Processed => outcomes.processed += 1,
                Handled::Dropped => outcomes.dropped += 1,
                Handled::Failed => outcomes.failed += 1,
            }
        }
        Ok(outcomes)
    }

    /// Runs every input once and times it.
    pub fn timed_pass(&self, inputs: &[String]) -> Result<(Rate, PassOutcomes), BenchError> {
        let start = Instant::now();
        let outcomes = self.pass(inputs)?;
        Ok((Rate::new(inputs.len(), start.elapsed()), outcomes))
    }
}

/// What became of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// It came out as a document.
    Processed,
    /// A `drop` processor removed it.
    Dropped,
    /// It failed.
    Failed,
}

/// The floor for one raw event: parse into a `serde_json::Value`, serialize
/// it back.
pub fn floor_event(index: usize, raw: &str) -> Result<String, BenchError> {
    let value: serde_json::Value = serde_json::from_str(raw).map_err(|e| BenchError::Event {
        index,
        message: e.to_string(),
    })?;
    serde_json::to_string(&value).map_err(|e| BenchError::Event {
        index,
        message: e.to_string(),
    })
}

/// The floor over every input, untimed; returns the bytes written.
pub fn floor_pass(inputs: &[String]) -> Result<usize, BenchError> {
    let mut bytes = 0;
    for (i, raw) in inputs.iter().enumerate() {
        bytes += black_box(floor_event(i, raw)?).len();
    }
    Ok(bytes)
}

/// The floor over every input, timed.
pub fn timed_floor_pass(inputs: &[String]) -> Result<Rate, BenchError> {
    let start = Instant::now();
    floor_pass(inputs)?;
    Ok(Rate::new(inputs.len(), start.elapsed()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipelines(dir: &Path, yaml: &str) -> BenchPipelines {
        let pipeline_dir = dir.join("elasticsearch/ingest_pipeline");
        std::fs::create_dir_all(&pipeline_dir).unwrap();
        std::fs::write(pipeline_dir.join("default.yml"), yaml).unwrap();
        BenchPipelines::load(&pipeline_dir, "default", "logs-p.ev-default").unwrap()
    }

    #[test]
    fn events_run_through_the_entry_pipeline_with_the_test_index() {
        let dir = tempfile::tempdir().unwrap();
        let p = pipelines(
            dir.path(),
            "processors:\n- set: {field: seen, value: '{{_index}}'}\n",
        );
        let (out, handled) = p.process(0, r#"{"message":"x"}"#).unwrap();
        assert_eq!(handled, Handled::Processed);
        assert_eq!(out, r#"{"message":"x","seen":"logs-p.ev-default"}"#);
    }

    #[test]
    fn passes_count_failures_and_drops() {
        let dir = tempfile::tempdir().unwrap();
        let p = pipelines(
            dir.path(),
            "processors:\n- drop: {if: ctx.d != null}\n- rename: {field: a, target_field: b}\n",
        );
        let inputs = [r#"{"a":1}"#, r#"{"d":1}"#, r#"{}"#].map(String::from);
        let outcomes = p.pass(&inputs).unwrap();
        assert_eq!(
            (outcomes.processed, outcomes.dropped, outcomes.failed),
            (1, 1, 1)
        );
    }

    #[test]
    fn a_missing_entry_pipeline_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let pipeline_dir = dir.path().join("elasticsearch/ingest_pipeline");
        std::fs::create_dir_all(&pipeline_dir).unwrap();
        std::fs::write(pipeline_dir.join("other.yml"), "processors: []\n").unwrap();
        let err = BenchPipelines::load(&pipeline_dir, "default", "i")
            .err()
            .unwrap();
        assert!(err.to_string().contains("entry pipeline \"default\""));
    }

    #[test]
    fn non_object_events_are_reported_with_their_position() {
        let dir = tempfile::tempdir().unwrap();
        let p = pipelines(dir.path(), "processors: []\n");
        let err = p.process(7, "[1]").err().unwrap();
        assert!(err.to_string().starts_with("event 7 is not a JSON object"));
        assert!(floor_event(3, "{").is_err());
    }

    #[test]
    fn the_floor_round_trips_the_event() {
        assert_eq!(
            floor_event(0, r#"{"a":[true],"b":1}"#).unwrap(),
            r#"{"a":[true],"b":1}"#
        );
    }
}
