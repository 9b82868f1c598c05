//! [`PipelineEngine`] on top of `isc_ingest`: every pipeline file of the
//! data stream compiled once into a [`PipelineSet`], documents run through
//! the entry pipeline as `_simulate` entries carrying `_index`. When
//! observing, an [`ExecutionObserver`] counts how often each top-level
//! processor ran or was skipped by its `if`. The engine's
//! [`EnrichmentOptions`] say where `geoip` and `user_agent` find their
//! databases and regex files; by default the built-in GeoIP test databases
//! answer, as elastic-package's test stack does.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use isc_ingest::{Document, EnrichmentOptions, ExecutionObserver, Outcome, PipelineSet};
use isc_value::{Map, Value};

use crate::coverage::pipeline_sources;
use crate::engine::{
    DataStreamPipelines, PipelineEngine, PipelineHits, ProcessorFailure, ProcessorHits,
    SimulatedDocument,
};
use crate::routing_rules::{reroute_processors, with_reroute_processors};

/// The offline ingest engine.
#[derive(Debug, Clone, Default)]
pub struct IngestEngine {
    enrichment: EnrichmentOptions,
}

impl IngestEngine {
    /// An engine whose `geoip` and `user_agent` processors use these
    /// databases and regex files ([`IngestEngine::default`]: the built-in
    /// GeoIP test databases and the bundled user-agent rules).
    pub fn with_enrichment(enrichment: EnrichmentOptions) -> IngestEngine {
        IngestEngine { enrichment }
    }
}

impl PipelineEngine for IngestEngine {
    fn load(
        &self,
        pipeline_dir: &Path,
        entry: &str,
        observe: bool,
    ) -> Result<Box<dyn DataStreamPipelines>, String> {
        let set = load_pipeline_set(pipeline_dir, &self.enrichment)?;
        if set.get(entry).is_none() {
            return Err(format!(
                "entry pipeline \"{entry}\" not found in {}",
                pipeline_dir.display()
            ));
        }
        let counter = observe.then(|| HitCounter {
            counts: Mutex::new(HashMap::new()),
        });
        Ok(Box::new(IngestPipelines {
            set,
            entry: entry.to_owned(),
            counter,
        }))
    }
}

/// Compiles every pipeline file of the folder; the `default` pipeline gets
/// the `reroute` processors of the data stream's `routing_rules.yml`
/// appended, as elastic-package installs it for tests.
fn load_pipeline_set(
    pipeline_dir: &Path,
    enrichment: &EnrichmentOptions,
) -> Result<PipelineSet, String> {
    let data_stream_dir = pipeline_dir
        .parent()
        .and_then(Path::parent)
        .unwrap_or(pipeline_dir);
    let reroutes = reroute_processors(data_stream_dir).map_err(|e| e.to_string())?;
    let builder = PipelineSet::builder().enrichment(enrichment.clone());
    if reroutes.is_empty() {
        return builder
            .add_dir(pipeline_dir)
            .and_then(|b| b.build())
            .map_err(|e| e.to_string());
    }
    let mut builder = builder;
    for source in pipeline_sources(pipeline_dir).map_err(|e| e.to_string())? {
        let json = source.file_name.ends_with(".json");
        if source.name == "default" {
            let text = with_reroute_processors(&source.text, &reroutes)
                .map_err(|e| format!("{}: {e}", source.path.display()))?;
            builder = builder.add_source(&source.name, &text, false, Some(&source.path));
        } else {
            builder = builder.add_source(&source.name, &source.text, json, Some(&source.path));
        }
    }
    builder.build().map_err(|e| e.to_string())
}

struct IngestPipelines {
    set: PipelineSet,
    entry: String,
    counter: Option<HitCounter>,
}

/// Counts executions per pipeline and top-level processor.
struct HitCounter {
    counts: Mutex<HashMap<String, Vec<ProcessorHits>>>,
}

impl ExecutionObserver for HitCounter {
    fn processor_reached(&self, pipeline: &str, index: usize, condition: Option<bool>) {
        let Ok(mut counts) = self.counts.lock() else {
            return;
        };
        let hits = counts.entry(pipeline.to_owned()).or_default();
        if hits.len() <= index {
            hits.resize(index + 1, ProcessorHits::default());
        }
        let entry = &mut hits[index];
        entry.has_condition |= condition.is_some();
        if condition == Some(false) {
            entry.skipped_by_condition += 1;
        } else {
            entry.executed += 1;
        }
    }
}

impl DataStreamPipelines for IngestPipelines {
    fn simulate(&self, source: Value, index: &str) -> SimulatedDocument {
        let mut entry = Map::default();
        entry.insert("_index".into(), Value::from(index));
        entry.insert("_source".into(), source);
        let doc = match Document::from_simulate_entry(&entry) {
            Ok(doc) => doc,
            Err(e) => {
                return SimulatedDocument::Failed(ProcessorFailure {
                    processor_type: "simulate".into(),
                    error_type: e.kind.clone(),
                    reason: e.reason.clone(),
                });
            }
        };
        let outcome = match &self.counter {
            Some(counter) => self.set.run_observed(&self.entry, doc, counter),
            None => self.set.run(&self.entry, doc),
        };
        match outcome {
            Some(Outcome::Document(doc)) => {
                SimulatedDocument::Processed(Value::Map(doc.into_source()))
            }
            Some(Outcome::Dropped) => SimulatedDocument::Dropped,
            Some(Outcome::Failed { error, .. }) => SimulatedDocument::Failed(ProcessorFailure {
                processor_type: error.processor_type().unwrap_or("unknown").to_owned(),
                error_type: error.kind.clone(),
                reason: error.reason.clone(),
            }),
            None => SimulatedDocument::Failed(ProcessorFailure {
                processor_type: "pipeline".into(),
                error_type: "resource_not_found_exception".into(),
                reason: format!("pipeline with id [{}] does not exist", self.entry),
            }),
        }
    }

    fn hits(&self) -> Option<Vec<PipelineHits>> {
        let counter = self.counter.as_ref()?;
        let counts = counter.counts.lock().ok()?;
        let mut out: Vec<PipelineHits> = self
            .set
            .ids()
            .into_iter()
            .map(|id| {
                let total = self.set.get(id).map_or(0, |p| p.processors().len());
                let mut processors = counts.get(id).cloned().unwrap_or_default();
                processors.resize(total.max(processors.len()), ProcessorHits::default());
                PipelineHits {
                    pipeline: id.to_owned(),
                    processors,
                }
            })
            .collect();
        out.sort_by(|a, b| a.pipeline.cmp(&b.pipeline));
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_run_through_the_entry_pipeline_with_their_index() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("default.yml"),
            "processors:\n  - set:\n      field: index_seen\n      value: '{{_index}}'\n",
        )
        .unwrap();
        let pipelines = IngestEngine::default()
            .load(dir.path(), "default", false)
            .unwrap();
        let source = isc_value::from_json_str(r#"{"message":"m"}"#).unwrap();
        let SimulatedDocument::Processed(doc) = pipelines.simulate(source, "logs-p.d-default")
        else {
            panic!("not processed");
        };
        assert_eq!(
            isc_value::to_json_string(&doc),
            r#"{"message":"m","index_seen":"logs-p.d-default"}"#
        );
    }

    #[test]
    fn observed_runs_count_each_top_level_processor() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("default.yml"),
            "processors:\n  - set: {field: a, value: x}\n  - set: {field: b, value: y}\n",
        )
        .unwrap();
        let pipelines = IngestEngine::default()
            .load(dir.path(), "default", true)
            .unwrap();
        for _ in 0..3 {
            let source = isc_value::from_json_str("{}").unwrap();
            pipelines.simulate(source, "logs-p.d-default");
        }
        let hits = pipelines.hits().unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].processors.len(), 2);
        assert!(hits[0].processors.iter().all(|p| p.executed == 3));
    }

    #[test]
    fn enrichment_options_reach_the_pipelines() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("default.yml"),
            "processors:\n  - user_agent: {field: ua, regex_file: acme.yml}\n",
        )
        .unwrap();
        let regexes = tempfile::tempdir().unwrap();
        std::fs::write(
            regexes.path().join("acme.yml"),
            "user_agent_parsers:\n  - regex: '(Acme)/(\\d+)'\n",
        )
        .unwrap();
        let err = IngestEngine::default()
            .load(dir.path(), "default", false)
            .err()
            .unwrap();
        assert!(err.contains("regex file [acme.yml] doesn't exist"), "{err}");
        let enrichment = EnrichmentOptions::default()
            .with_user_agent_directory(regexes.path())
            .unwrap();
        let pipelines = IngestEngine::with_enrichment(enrichment)
            .load(dir.path(), "default", false)
            .unwrap();
        let source = isc_value::from_json_str(r#"{"ua":"Acme/7"}"#).unwrap();
        let SimulatedDocument::Processed(doc) = pipelines.simulate(source, "logs-p.d-default")
        else {
            panic!("not processed");
        };
        assert_eq!(
            isc_value::to_json_string(&doc),
            r#"{"ua":"Acme/7","user_agent":{"name":"Acme","device":{"name":"Other"},"original":"Acme/7","version":"7"}}"#
        );
    }

    #[test]
    fn a_missing_entry_pipeline_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("other.yml"), "processors: []\n").unwrap();
        let err = IngestEngine::default()
            .load(dir.path(), "default", false)
            .err()
            .unwrap();
        assert!(
            err.contains("entry pipeline \"default\" not found"),
            "{err}"
        );
    }
}
