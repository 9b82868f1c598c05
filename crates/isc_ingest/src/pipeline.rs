//! Pipelines: loading them from a package's YAML or JSON files, and running
//! documents through them.
//!
//! A [`PipelineSet`] holds every pipeline a data stream ships; `pipeline`
//! processors call one another by id, either written plainly or as
//! elastic-package's `{{ IngestPipeline "name" }}`. Everything is compiled
//! once; [`PipelineSet::run`] then costs no parsing per document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isc_value::{Map, Value, java_hashmap_order};

use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::observer::ExecutionObserver;
use crate::processor::{
    CompiledProcessor, Flow, ProcessorRegistry, Run, compile_processor_list, run_on_failure,
};
use crate::processors::enrichment::EnrichmentOptions;

/// A compiled pipeline.
#[derive(Debug)]
pub struct Pipeline {
    id: String,
    description: Option<String>,
    version: Option<i32>,
    meta: Option<Map>,
    processors: Vec<CompiledProcessor>,
    on_failure: Vec<CompiledProcessor>,
}

impl Pipeline {
    /// Compiles a pipeline definition (`Pipeline.create`).
    pub fn compile(
        id: &str,
        definition: Value,
        registry: &ProcessorRegistry,
    ) -> Result<Pipeline, ConfigError> {
        let Value::Map(mut config) = definition else {
            return Err(ConfigError::of_kind(
                crate::error::PARSE_EXCEPTION,
                format!(
                    "pipeline [{id}] must be an object, but is of type [{}]",
                    definition.java_type_name()
                ),
            ));
        };
        let mut take = |name: &str| match config.shift_remove(name) {
            Some(Value::Null) | None => None,
            Some(v) => Some(v),
        };
        let mistyped = |name: &str, what: &str, v: &Value| {
            ConfigError::new(
                None,
                None,
                Some(name),
                format!(
                    "property isn't a {what}, but of type [{}]",
                    v.java_type_name()
                ),
            )
        };
        let description = match take("description") {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(v) => return Err(mistyped("description", "string", &v)),
        };
        let version = match take("version") {
            None => None,
            Some(v) => {
                let text = v.to_java_string();
                Some(crate::java_number::parse_int(&text).ok().ok_or_else(|| {
                    ConfigError::new(
                        None,
                        None,
                        Some("version"),
                        format!("property cannot be converted to an int [{text}]"),
                    )
                })?)
            }
        };
        let meta = match take("_meta") {
            None => None,
            Some(Value::Map(m)) => Some(m),
            Some(v) => return Err(mistyped("_meta", "map", &v)),
        };
        match take("deprecated") {
            None | Some(Value::Bool(_)) => {}
            Some(v) => return Err(mistyped("deprecated", "boolean", &v)),
        }
        match take("field_access_pattern") {
            None => {}
            Some(Value::String(s)) if s == "classic" => {}
            Some(v) => {
                return Err(ConfigError::of_kind(
                    crate::error::ILLEGAL_ARGUMENT,
                    format!(
                        "field_access_pattern [{}] is not supported offline",
                        v.to_java_string()
                    ),
                ));
            }
        }
        let processors = match take("processors") {
            None => {
                return Err(ConfigError::new(
                    None,
                    None,
                    Some("processors"),
                    "required property is missing",
                ));
            }
            Some(Value::List(defs)) => {
                compile_processor_list(registry, &defs).map_err(|e| e.at("processors"))?
            }
            Some(v) => return Err(mistyped("processors", "list", &v)),
        };
        let on_failure = match take("on_failure") {
            None => None,
            Some(Value::List(defs)) => {
                Some(compile_processor_list(registry, &defs).map_err(|e| e.at("on_failure"))?)
            }
            Some(v) => return Err(mistyped("on_failure", "list", &v)),
        };
        if !config.is_empty() {
            let keys: Vec<&str> = java_hashmap_order(&config)
                .into_iter()
                .filter_map(|i| config.get_index(i).map(|(k, _)| k.as_str()))
                .collect();
            return Err(ConfigError::of_kind(
                crate::error::PARSE_EXCEPTION,
                format!(
                    "pipeline [{id}] doesn't support one or more provided configuration parameters [{}]",
                    keys.join(", ")
                ),
            ));
        }
        if on_failure.as_ref().is_some_and(Vec::is_empty) {
            return Err(ConfigError::of_kind(
                crate::error::PARSE_EXCEPTION,
                format!("pipeline [{id}] cannot have an empty on_failure option defined"),
            ));
        }
        Ok(Pipeline {
            id: id.to_owned(),
            description,
            version,
            meta,
            processors,
            on_failure: on_failure.unwrap_or_default(),
        })
    }

    /// The pipeline id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The `description`.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The `version`.
    pub fn version(&self) -> Option<i32> {
        self.version
    }

    /// The `_meta` map.
    pub fn meta(&self) -> Option<&Map> {
        self.meta.as_ref()
    }

    /// The processors, in order.
    pub fn processors(&self) -> &[CompiledProcessor] {
        &self.processors
    }

    /// The pipeline-level `on_failure` processors.
    pub fn on_failure(&self) -> &[CompiledProcessor] {
        &self.on_failure
    }

    /// Runs this pipeline on a document inside a run
    /// (`IngestDocument.executePipeline`): cycle check, `_ingest.pipeline`,
    /// the processors, the pipeline's `on_failure`.
    pub fn execute(&self, doc: &mut Document, run: &mut Run<'_>) -> Result<Flow, IngestError> {
        if self.processors.is_empty() {
            return Ok(Flow::Continue);
        }
        doc.enter_pipeline(&self.id)?;
        let previous = doc
            .ingest_metadata_mut()
            .insert("pipeline".into(), Value::from(self.id.as_str()));
        let result = self.run_processors(doc, run);
        doc.leave_pipeline();
        match previous {
            Some(p) => {
                doc.ingest_metadata_mut().insert("pipeline".into(), p);
            }
            None => {
                doc.ingest_metadata_mut().shift_remove("pipeline");
            }
        }
        result
    }

    fn run_processors(&self, doc: &mut Document, run: &mut Run<'_>) -> Result<Flow, IngestError> {
        for (index, processor) in self.processors.iter().enumerate() {
            if doc.is_terminated() || doc.is_rerouted() {
                break;
            }
            let mark = run.observation_mark();
            let result = processor.execute_in_list(doc, run);
            run.report_top_level(&self.id, index, mark);
            match result {
                Ok(Flow::Continue) => {}
                Ok(Flow::Drop) => return Ok(Flow::Drop),
                Err(e) if self.on_failure.is_empty() => return Err(e),
                Err(e) => return run_on_failure(&self.on_failure, e, doc, run),
            }
        }
        Ok(Flow::Continue)
    }
}

/// What became of one document.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Processed; this is what would be indexed.
    Document(Document),
    /// A `drop` processor dropped it.
    Dropped,
    /// Processing failed; `document` is the document at the moment of the
    /// failure.
    Failed {
        /// The failure, with the failing processor's type and tag.
        error: IngestError,
        /// The document when it failed.
        document: Box<Document>,
    },
}

/// The status of one processor execution in a verbose run
/// (`_simulate?verbose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessorStatus {
    /// Ran without error.
    Success,
    /// Failed (the error follows the failure path).
    Error,
    /// Failed, and `ignore_failure` swallowed it.
    ErrorIgnored,
    /// Its `if` was false.
    Skipped,
    /// It dropped the document.
    Dropped,
}

impl ProcessorStatus {
    /// The name Elasticsearch prints.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcessorStatus::Success => "success",
            ProcessorStatus::Error => "error",
            ProcessorStatus::ErrorIgnored => "error_ignored",
            ProcessorStatus::Skipped => "skipped",
            ProcessorStatus::Dropped => "dropped",
        }
    }
}

/// One processor execution in a verbose run.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessorResult {
    /// Processor type.
    pub processor_type: String,
    /// Its tag.
    pub tag: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// The `if` source and its result, when it has one.
    pub condition: Option<(String, bool)>,
    /// What happened.
    pub status: ProcessorStatus,
    /// The document after it (`_simulate` form), for successes (none for
    /// `pipeline` processors, as in Elasticsearch).
    pub doc: Option<Value>,
    /// The error, when it failed.
    pub error: Option<IngestError>,
}

impl ProcessorResult {
    pub(crate) fn placeholder() -> ProcessorResult {
        ProcessorResult {
            processor_type: String::new(),
            tag: None,
            description: None,
            condition: None,
            status: ProcessorStatus::Success,
            doc: None,
            error: None,
        }
    }

    /// The entry as `_simulate?verbose` prints it in `processor_results`.
    pub fn to_es_json(&self) -> Value {
        let mut out = Map::default();
        out.insert(
            "processor_type".into(),
            Value::from(self.processor_type.as_str()),
        );
        out.insert("status".into(), Value::from(self.status.as_str()));
        if let Some(d) = &self.description {
            out.insert("description".into(), Value::from(d.as_str()));
        }
        if let Some(tag) = &self.tag {
            out.insert("tag".into(), Value::from(tag.as_str()));
        }
        if let Some((source, result)) = &self.condition {
            let mut c = Map::default();
            c.insert("condition".into(), Value::from(source.as_str()));
            c.insert("result".into(), Value::Bool(*result));
            out.insert("if".into(), Value::Map(c));
        }
        match (&self.error, self.status) {
            (Some(e), ProcessorStatus::ErrorIgnored) => {
                out.insert(
                    "ignored_error".into(),
                    Value::Map(Map::from_iter([("error".to_owned(), e.to_es_json())])),
                );
            }
            (Some(e), _) => {
                out.insert("error".into(), e.to_es_json());
            }
            (None, _) => {}
        }
        if let Some(doc) = &self.doc {
            out.insert("doc".into(), doc.clone());
        }
        Value::Map(out)
    }
}

/// A problem loading pipelines from files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not valid YAML or JSON.
    #[error("{}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A pipeline definition is invalid.
    #[error("{0}")]
    Config(#[from] ConfigError),
}

/// Compiled pipelines by id; `Send + Sync`, share it between threads.
#[derive(Debug, Clone, Default)]
pub struct PipelineSet {
    pipelines: HashMap<String, Arc<Pipeline>>,
}

/// The result of [`PipelineSet::run_verbose`].
#[derive(Debug, Clone, PartialEq)]
pub struct VerboseRun {
    /// What became of the document.
    pub outcome: Outcome,
    /// Every processor execution, in order.
    pub results: Vec<ProcessorResult>,
}

impl PipelineSet {
    /// Starts collecting pipeline sources.
    pub fn builder() -> PipelineSetBuilder {
        PipelineSetBuilder::default()
    }

    /// Loads every `*.yml`, `*.yaml` and `*.json` file of a directory (a data
    /// stream's `elasticsearch/ingest_pipeline/`), each named by its file
    /// stem (`default.yml` is pipeline `default`).
    pub fn load_dir(dir: &Path) -> Result<PipelineSet, LoadError> {
        PipelineSet::builder().add_dir(dir)?.build()
    }

    /// The pipeline with this id.
    pub fn get(&self, id: &str) -> Option<&Pipeline> {
        self.pipelines.get(id).map(Arc::as_ref)
    }

    /// The pipeline ids, sorted.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.pipelines.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
    }

    /// Runs a document through pipeline `id`. `None` if there is no such
    /// pipeline.
    pub fn run(&self, id: &str, doc: Document) -> Option<Outcome> {
        let pipeline = self.get(id)?;
        let mut run = Run::new(self, false);
        Some(run_top_level(pipeline, doc, &mut run))
    }

    /// Like [`PipelineSet::run`], also recording each processor's result.
    pub fn run_verbose(&self, id: &str, doc: Document) -> Option<VerboseRun> {
        let pipeline = self.get(id)?;
        let mut run = Run::new(self, true);
        let outcome = run_top_level(pipeline, doc, &mut run);
        Some(VerboseRun {
            outcome,
            results: run.take_trace(),
        })
    }

    /// Like [`PipelineSet::run`], telling `observer` about every top-level
    /// processor of every pipeline the document reaches (coverage tools).
    pub fn run_observed(
        &self,
        id: &str,
        doc: Document,
        observer: &dyn ExecutionObserver,
    ) -> Option<Outcome> {
        let pipeline = self.get(id)?;
        let mut run = Run::observed(self, observer);
        Some(run_top_level(pipeline, doc, &mut run))
    }
}

fn run_top_level(pipeline: &Pipeline, mut doc: Document, run: &mut Run<'_>) -> Outcome {
    let result = pipeline.execute(&mut doc, run);
    doc.reset_terminate();
    match result {
        Ok(Flow::Continue) => Outcome::Document(doc),
        Ok(Flow::Drop) => Outcome::Dropped,
        Err(error) => Outcome::Failed {
            error,
            document: Box::new(doc),
        },
    }
}

/// Maps a pipeline file stem to the id it is installed under.
pub type PipelineNaming = dyn Fn(&str) -> String;

/// Collects pipeline sources, then compiles them all.
#[derive(Default)]
pub struct PipelineSetBuilder {
    registry: Option<ProcessorRegistry>,
    enrichment: Option<EnrichmentOptions>,
    naming: Option<Box<PipelineNaming>>,
    sources: Vec<Source>,
}

struct Source {
    stem: String,
    text: String,
    json: bool,
    path: Option<PathBuf>,
}

impl PipelineSetBuilder {
    /// Uses another processor registry (tests, extensions).
    pub fn registry(mut self, registry: ProcessorRegistry) -> PipelineSetBuilder {
        self.registry = Some(registry);
        self
    }

    /// Where `geoip` and `user_agent` get their databases and regex files;
    /// the default is [`EnrichmentOptions::default`]. Shorthand for a
    /// registry [`ProcessorRegistry::with_enrichment`], and applied to the
    /// one given with [`PipelineSetBuilder::registry`].
    pub fn enrichment(mut self, enrichment: EnrichmentOptions) -> PipelineSetBuilder {
        self.enrichment = Some(enrichment);
        self
    }

    /// How a file stem becomes a pipeline id, and what
    /// `{{ IngestPipeline "stem" }}` turns into; elastic-package installs
    /// `default` as `logs-<dataset>-<version>` and others with `-<stem>`
    /// appended. Without it, the id is the stem.
    pub fn naming(mut self, naming: impl Fn(&str) -> String + 'static) -> PipelineSetBuilder {
        self.naming = Some(Box::new(naming));
        self
    }

    /// Adds a pipeline source text; `json` picks the parser (YAML otherwise).
    pub fn add_source(
        mut self,
        stem: &str,
        text: &str,
        json: bool,
        path: Option<&Path>,
    ) -> PipelineSetBuilder {
        self.sources.push(Source {
            stem: stem.to_owned(),
            text: text.to_owned(),
            json,
            path: path.map(Path::to_path_buf),
        });
        self
    }

    /// Adds every `*.yml`, `*.yaml` and `*.json` file of a directory.
    pub fn add_dir(mut self, dir: &Path) -> Result<PipelineSetBuilder, LoadError> {
        let io = |source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("yml" | "yaml" | "json")
                    )
            })
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?;
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            let json = path.extension().and_then(|e| e.to_str()) == Some("json");
            self = self.add_source(&stem, &text, json, Some(&path));
        }
        Ok(self)
    }

    /// Parses and compiles everything.
    pub fn build(self) -> Result<PipelineSet, LoadError> {
        let mut registry = self.registry.unwrap_or_default();
        if let Some(enrichment) = self.enrichment {
            registry = registry.with_enrichment(enrichment);
        }
        let naming = |stem: &str| match &self.naming {
            Some(f) => f(stem),
            None => stem.to_owned(),
        };
        let mut pipelines = HashMap::new();
        for source in &self.sources {
            let id = naming(&source.stem);
            let text = substitute_pipeline_references(&source.text, &naming);
            let display_path = source
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from(&source.stem));
            let value: Value = if source.json {
                isc_value::from_json_str(&text).map_err(|e| LoadError::Syntax {
                    path: display_path.clone(),
                    message: e.to_string(),
                })?
            } else {
                serde_yaml::from_str(&text).map_err(|e| LoadError::Syntax {
                    path: display_path.clone(),
                    message: e.to_string(),
                })?
            };
            let pipeline = Pipeline::compile(&id, value, &registry)
                .map_err(|e| e.in_pipeline(&id, source.path.as_deref()))?;
            pipelines.insert(id, Arc::new(pipeline));
        }
        Ok(PipelineSet { pipelines })
    }
}

/// Replaces elastic-package's `{{ IngestPipeline "name" }}` with the id the
/// named pipeline gets.
fn substitute_pipeline_references(text: &str, naming: &dyn Fn(&str) -> String) -> String {
    const OPEN: &str = "{{";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let trimmed = after.trim_start();
        let reference = trimmed.strip_prefix("IngestPipeline").and_then(|r| {
            let r = r.trim_start().strip_prefix('"')?;
            let end = r.find('"')?;
            let name = &r[..end];
            let tail = r[end + 1..].trim_start().strip_prefix("}}")?;
            Some((name, tail))
        });
        match reference {
            Some((name, tail)) => {
                out.push_str(&rest[..start]);
                out.push_str(&naming(name));
                rest = tail;
            }
            None => {
                out.push_str(&rest[..start + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingest_pipeline_references_are_resolved() {
        let naming = |s: &str| format!("logs-x-1.0.0-{s}");
        assert_eq!(
            substitute_pipeline_references(
                r#"name: '{{ IngestPipeline "json" }}' v: '{{x}}'"#,
                &naming
            ),
            "name: 'logs-x-1.0.0-json' v: '{{x}}'"
        );
    }

    #[test]
    fn pipeline_options_are_validated() {
        let registry = ProcessorRegistry::default();
        let e = Pipeline::compile(
            "p",
            isc_value::from_json_str(r#"{"description":"d"}"#).unwrap(),
            &registry,
        )
        .unwrap_err();
        assert_eq!(e.reason, "[processors] required property is missing");
        let e = Pipeline::compile(
            "p",
            isc_value::from_json_str(r#"{"processors":[],"foo":1}"#).unwrap(),
            &registry,
        )
        .unwrap_err();
        assert_eq!(
            e.reason,
            "pipeline [p] doesn't support one or more provided configuration parameters [foo]"
        );
        let e = Pipeline::compile(
            "p",
            isc_value::from_json_str(r#"{"processors":[],"on_failure":[]}"#).unwrap(),
            &registry,
        )
        .unwrap_err();
        assert_eq!(
            e.reason,
            "pipeline [p] cannot have an empty on_failure option defined"
        );
    }

    #[test]
    fn pipeline_sets_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<PipelineSet>();
        check::<Pipeline>();
    }
}
