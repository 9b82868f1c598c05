//! The processor contract and the wrapper that gives every processor the
//! common options once: `if`, `tag`, `description`, `ignore_failure` and
//! `on_failure`.
//!
//! The wrapper reproduces how Elasticsearch nests `ConditionalProcessor`
//! around an `on_failure` `CompoundProcessor` around the processor: which
//! type and tag a failure reports, when `_ingest.on_failure_*` is set, and
//! what `ignore_failure` swallows.

use std::collections::HashMap;
use std::fmt;

use isc_value::{Map, Value};

use crate::condition::Condition;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::observer::ExecutionObserver;
use crate::pipeline::{PipelineSet, ProcessorResult, ProcessorStatus};
use crate::processors::enrichment::EnrichmentOptions;

/// What a processor asks the pipeline to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next processor.
    Continue,
    /// Drop the document (`drop`): nothing is indexed.
    Drop,
}

/// One configured processor, ready to run on many documents.
pub trait Processor: Send + Sync + fmt::Debug {
    /// Transforms `doc`. `run` gives access to the other pipelines (for the
    /// `pipeline` processor) and to nested processors' execution.
    fn process(&self, doc: &mut Document, run: &mut Run<'_>) -> Result<Flow, IngestError>;
}

/// Builds a processor from its options; the options it does not read are
/// rejected afterwards as unknown.
pub type Factory =
    fn(&mut ProcessorConfig, &FactoryContext<'_>) -> Result<Box<dyn Processor>, ConfigError>;

/// What a factory can use besides its own options: compiling nested
/// processors (`foreach`) and the engine options of its registry
/// ([`FactoryContext::enrichment`]).
pub struct FactoryContext<'a> {
    registry: &'a ProcessorRegistry,
}

impl FactoryContext<'_> {
    /// Where `geoip` and `user_agent` get their databases and regex files
    /// (the registry's [`ProcessorRegistry::with_enrichment`]).
    pub fn enrichment(&self) -> &EnrichmentOptions {
        self.registry.enrichment()
    }

    /// Compiles one processor definition, `{type: options}` (ES's
    /// `readProcessor` for a single-entry map), as `foreach` needs.
    pub fn compile_processor(&self, definition: &Map) -> Result<CompiledProcessor, ConfigError> {
        let mut compiled =
            compile_processor_list(self.registry, &[Value::Map(definition.clone())])?;
        match compiled.len() {
            1 => Ok(compiled.remove(0)),
            _ => Err(ConfigError::of_kind(
                crate::error::PARSE_EXCEPTION,
                "expected exactly one processor definition",
            )),
        }
    }
}

/// The processor types known to the engine, by name, and the engine
/// options their factories read through [`FactoryContext`].
///
/// The options are what an Elasticsearch node reads from its `config`
/// directory at startup; today that is [`EnrichmentOptions`].
#[derive(Clone)]
pub struct ProcessorRegistry {
    factories: HashMap<&'static str, Factory>,
    enrichment: EnrichmentOptions,
}

impl Default for ProcessorRegistry {
    /// Every processor in [`crate::processors::FACTORIES`], with the
    /// default [`EnrichmentOptions`] (built-in GeoIP test databases, the
    /// bundled user-agent rules).
    fn default() -> ProcessorRegistry {
        ProcessorRegistry {
            factories: crate::processors::FACTORIES.iter().copied().collect(),
            enrichment: EnrichmentOptions::shared_default().clone(),
        }
    }
}

impl ProcessorRegistry {
    /// Uses these databases and regex files for `geoip` and `user_agent`.
    pub fn with_enrichment(mut self, enrichment: EnrichmentOptions) -> ProcessorRegistry {
        self.enrichment = enrichment;
        self
    }

    /// The enrichment options factories see.
    pub fn enrichment(&self) -> &EnrichmentOptions {
        &self.enrichment
    }

    /// Adds or replaces a processor type.
    pub fn with(mut self, name: &'static str, factory: Factory) -> ProcessorRegistry {
        self.factories.insert(name, factory);
        self
    }

    /// The factory for a type.
    pub fn get(&self, name: &str) -> Option<Factory> {
        self.factories.get(name).copied()
    }

    /// The registered type names, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.factories.keys().copied().collect();
        names.sort_unstable();
        names
    }
}

impl fmt::Debug for ProcessorRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// Per-document execution state shared by all processors of a run.
pub struct Run<'a> {
    pipelines: &'a PipelineSet,
    trace: Option<Vec<ProcessorResult>>,
    observer: Option<&'a dyn ExecutionObserver>,
}

impl<'a> Run<'a> {
    pub(crate) fn new(pipelines: &'a PipelineSet, verbose: bool) -> Run<'a> {
        Run {
            pipelines,
            trace: verbose.then(Vec::new),
            observer: None,
        }
    }

    /// A run that reports top-level processors to `observer`. It keeps the
    /// verbose trace, whose entries tell a skipped processor from one that
    /// ran.
    pub(crate) fn observed(
        pipelines: &'a PipelineSet,
        observer: &'a dyn ExecutionObserver,
    ) -> Run<'a> {
        Run {
            pipelines,
            trace: Some(Vec::new()),
            observer: Some(observer),
        }
    }

    /// Where the next processor's trace entry goes, when observing.
    pub(crate) fn observation_mark(&self) -> Option<usize> {
        self.observer?;
        self.trace.as_ref().map(Vec::len)
    }

    /// Reports the top-level processor whose trace entry is at `mark`.
    pub(crate) fn report_top_level(&self, pipeline: &str, index: usize, mark: Option<usize>) {
        let (Some(observer), Some(mark)) = (self.observer, mark) else {
            return;
        };
        if let Some(entry) = self.trace.as_ref().and_then(|t| t.get(mark)) {
            let condition = entry.condition.as_ref().map(|(_, result)| *result);
            observer.processor_reached(pipeline, index, condition);
        }
    }

    /// The pipelines that `pipeline` processors may call.
    pub fn pipelines(&self) -> &'a PipelineSet {
        self.pipelines
    }

    pub(crate) fn take_trace(&mut self) -> Vec<ProcessorResult> {
        self.trace.take().unwrap_or_default()
    }

    fn open_slot(&mut self) -> Option<usize> {
        let trace = self.trace.as_mut()?;
        trace.push(ProcessorResult::placeholder());
        Some(trace.len() - 1)
    }

    fn fill_slot(&mut self, slot: Option<usize>, result: ProcessorResult) {
        if let (Some(i), Some(trace)) = (slot, self.trace.as_mut()) {
            if let Some(entry) = trace.get_mut(i) {
                *entry = result;
            }
        }
    }

    fn tracing(&self) -> bool {
        self.trace.is_some()
    }
}

/// A processor with its common options, as a pipeline holds it.
#[derive(Debug)]
pub struct CompiledProcessor {
    kind: String,
    tag: Option<String>,
    description: Option<String>,
    condition: Option<Condition>,
    ignore_failure: bool,
    on_failure: Vec<CompiledProcessor>,
    inner: Box<dyn Processor>,
}

impl CompiledProcessor {
    /// The processor type (`set`, `rename`, ...).
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The `tag` option.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The `description` option.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The type a failure of this processor reports when no `on_failure`
    /// of its own caught it: `conditional` when it has an `if` (the
    /// `ConditionalProcessor` wrapping it), else its type.
    pub fn failure_kind(&self) -> &str {
        if self.condition.is_some() {
            "conditional"
        } else {
            &self.kind
        }
    }

    /// Runs the processor with its common options.
    ///
    /// Like Elasticsearch's processors, a failure leaves without processor
    /// headers unless this processor's own `on_failure` was involved; the
    /// enclosing list (pipeline, `on_failure`) attaches
    /// [`CompiledProcessor::failure_kind`] and the tag. Nested runners such
    /// as `foreach` pass failures up untouched, so they are reported as the
    /// outer processor's.
    pub fn execute(&self, doc: &mut Document, run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let slot = run.open_slot();
        if let Some(condition) = &self.condition {
            match condition.evaluate(doc) {
                Ok(true) => {}
                Ok(false) => {
                    self.record(run, slot, doc, ProcessorStatus::Skipped, None, Some(false));
                    return Ok(Flow::Continue);
                }
                Err(e) => {
                    self.record(run, slot, doc, ProcessorStatus::Error, Some(&e), Some(true));
                    return Err(e);
                }
            }
        }
        let if_result = self.condition.as_ref().map(|_| true);
        match self.inner.process(doc, run) {
            Ok(flow) => {
                let status = match flow {
                    Flow::Continue => ProcessorStatus::Success,
                    Flow::Drop => ProcessorStatus::Dropped,
                };
                self.record(run, slot, doc, status, None, if_result);
                Ok(flow)
            }
            Err(e) if self.ignore_failure => {
                let e = attach_headers(e, &self.kind, self.tag(), doc);
                self.record(
                    run,
                    slot,
                    doc,
                    ProcessorStatus::ErrorIgnored,
                    Some(&e),
                    if_result,
                );
                Ok(Flow::Continue)
            }
            Err(e) if !self.on_failure.is_empty() => {
                let e = attach_headers(e, &self.kind, self.tag(), doc);
                self.record(run, slot, doc, ProcessorStatus::Error, Some(&e), if_result);
                run_on_failure(&self.on_failure, e, doc, run)
            }
            Err(e) => {
                self.record(run, slot, doc, ProcessorStatus::Error, Some(&e), if_result);
                Err(e)
            }
        }
    }

    /// Runs the processor as an element of a processor list: failures get
    /// this processor's headers (`CompoundProcessor`).
    pub fn execute_in_list(
        &self,
        doc: &mut Document,
        run: &mut Run<'_>,
    ) -> Result<Flow, IngestError> {
        self.execute(doc, run)
            .map_err(|e| attach_headers(e, self.failure_kind(), self.tag(), doc))
    }

    fn record(
        &self,
        run: &mut Run<'_>,
        slot: Option<usize>,
        doc: &Document,
        status: ProcessorStatus,
        error: Option<&IngestError>,
        if_result: Option<bool>,
    ) {
        if !run.tracing() {
            return;
        }
        let result = ProcessorResult {
            processor_type: self.kind.clone(),
            tag: self.tag.clone(),
            description: self.description.clone(),
            condition: self
                .condition
                .as_ref()
                .zip(if_result)
                .map(|(c, r)| (c.source().to_owned(), r)),
            status,
            // Elasticsearch shows no document for a `pipeline` processor:
            // the called pipeline's processors follow with theirs.
            doc: match status {
                ProcessorStatus::Skipped | ProcessorStatus::Error | ProcessorStatus::Dropped => {
                    None
                }
                _ if self.kind == "pipeline" => None,
                _ => Some(doc.to_simulate_json()),
            },
            error: error.cloned(),
        };
        run.fill_slot(slot, result);
    }
}

/// Attaches processor headers unless an inner wrapper already did
/// (`CompoundProcessor.newCompoundProcessorException`).
pub(crate) fn attach_headers(
    mut e: IngestError,
    kind: &str,
    tag: Option<&str>,
    doc: &Document,
) -> IngestError {
    if e.has_processor_headers() {
        return e;
    }
    e.headers = Some(Box::new(crate::error::ErrorHeaders {
        processor_type: kind.to_owned(),
        processor_tag: tag.map(str::to_owned),
        pipeline_origin: doc.pipeline_stack(),
    }));
    e
}

const ON_FAILURE_KEYS: [&str; 4] = [
    "on_failure_message",
    "on_failure_processor_type",
    "on_failure_processor_tag",
    "on_failure_pipeline",
];

/// Runs an `on_failure` list (`CompoundProcessor.executeOnFailure`): the
/// failure's root-cause message, type, tag and pipeline are visible in
/// `_ingest` while it runs, and removed afterwards.
pub(crate) fn run_on_failure(
    handlers: &[CompiledProcessor],
    failure: IngestError,
    doc: &mut Document,
    run: &mut Run<'_>,
) -> Result<Flow, IngestError> {
    let ingest = doc.ingest_metadata_mut();
    let message = failure.root_cause().reason.clone();
    ingest.insert("on_failure_message".into(), Value::String(message));
    let opt = |s: Option<&str>| s.map_or(Value::Null, Value::from);
    ingest.insert(
        "on_failure_processor_type".into(),
        opt(failure.processor_type()),
    );
    ingest.insert(
        "on_failure_processor_tag".into(),
        opt(failure.processor_tag()),
    );
    if let Some(p) = failure.pipeline_origin().first() {
        ingest.insert("on_failure_pipeline".into(), Value::from(p.as_str()));
    }
    for handler in handlers {
        match handler.execute_in_list(doc, run) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Drop) => return Ok(Flow::Drop),
            Err(e) => {
                remove_failure_metadata(doc);
                return Err(e);
            }
        }
    }
    remove_failure_metadata(doc);
    Ok(Flow::Continue)
}

fn remove_failure_metadata(doc: &mut Document) {
    let ingest = doc.ingest_metadata_mut();
    for key in ON_FAILURE_KEYS {
        ingest.shift_remove(key);
    }
}

/// `ConfigurationUtils.readProcessorConfigs`: each list item is a map of
/// processor type to options; every entry is one processor.
pub(crate) fn compile_processor_list(
    registry: &ProcessorRegistry,
    definitions: &[Value],
) -> Result<Vec<CompiledProcessor>, ConfigError> {
    let mut out = Vec::with_capacity(definitions.len());
    for (i, item) in definitions.iter().enumerate() {
        let Value::Map(entries) = item else {
            return Err(ConfigError::of_kind(
                crate::error::PARSE_EXCEPTION,
                format!(
                    "processor definition must be a map, but was of type [{}]",
                    item.java_type_name()
                ),
            )
            .at(&format!("[{i}]")));
        };
        for (kind, config) in entries {
            let p =
                compile_one(registry, kind, config.clone()).map_err(|e| e.at(&format!("[{i}]")))?;
            out.push(p);
        }
    }
    Ok(out)
}

/// `ConfigurationUtils.readProcessor`.
fn compile_one(
    registry: &ProcessorRegistry,
    kind: &str,
    config: Value,
) -> Result<CompiledProcessor, ConfigError> {
    let mut options = match config {
        // `readProcessorConfigs` refuses a null config before `readProcessor`.
        Value::Null => {
            return Err(ConfigError::new(
                Some(kind),
                None,
                None,
                "processor config cannot be [null]".to_owned(),
            ));
        }
        Value::Map(m) => m,
        Value::String(s) if kind == "script" => {
            let mut m = Map::default();
            m.insert("source".into(), Value::String(s));
            m
        }
        other => {
            return Err(ConfigError::new(
                Some(kind),
                None,
                None,
                format!(
                    "property isn't a map, but of type [{}]",
                    other.java_type_name()
                ),
            ));
        }
    };
    let mut take = |name: &str| -> Option<Value> {
        match options.shift_remove(name) {
            Some(Value::Null) | None => None,
            Some(v) => Some(v),
        }
    };
    let tag = match take("tag") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            return Err(ConfigError::new(
                None,
                None,
                Some("tag"),
                format!(
                    "property isn't a string, but of type [{}]",
                    other.java_type_name()
                ),
            ));
        }
    };
    let description = match take("description") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            return Err(ConfigError::new(
                None,
                tag.as_deref(),
                Some("description"),
                format!(
                    "property isn't a string, but of type [{}]",
                    other.java_type_name()
                ),
            ));
        }
    };
    let ignore_failure = match take("ignore_failure") {
        None => false,
        Some(Value::Bool(b)) => b,
        Some(other) => {
            return Err(ConfigError::new(
                None,
                None,
                Some("ignore_failure"),
                format!(
                    "property isn't a boolean, but of type [{}]",
                    other.java_type_name()
                ),
            ));
        }
    };
    let condition_source = take("if");
    let on_failure_defs = take("on_failure");
    let Some(factory) = registry.get(kind) else {
        return Err(ConfigError::new(
            Some(kind),
            tag.as_deref(),
            None,
            format!("No processor type exists with name [{kind}]"),
        ));
    };
    let condition = match condition_source {
        None => None,
        Some(source) => Some(
            Condition::compile(&source)
                .map_err(|e| e.in_processor("conditional", tag.as_deref()))?,
        ),
    };
    let on_failure = match on_failure_defs {
        None => Vec::new(),
        Some(Value::List(defs)) => {
            let handlers =
                compile_processor_list(registry, &defs).map_err(|e| e.at("on_failure"))?;
            if handlers.is_empty() {
                return Err(ConfigError::new(
                    Some(kind),
                    tag.as_deref(),
                    Some("on_failure"),
                    "processors list cannot be empty",
                ));
            }
            handlers
        }
        Some(other) => {
            return Err(ConfigError::new(
                None,
                None,
                Some("on_failure"),
                format!(
                    "property isn't a list, but of type [{}]",
                    other.java_type_name()
                ),
            ));
        }
    };
    let mut common = ProcessorConfig::new(kind, tag.as_deref(), options);
    let context = FactoryContext { registry };
    let inner = factory(&mut common, &context).map_err(|e| e.in_processor(kind, tag.as_deref()))?;
    common.finish()?;
    Ok(CompiledProcessor {
        kind: kind.to_owned(),
        tag,
        description,
        condition,
        ignore_failure,
        on_failure,
        inner,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processors::test_support::{doc, pipeline, run};

    /// `readProcessorConfigs` refuses a null config with its own message
    /// (Elasticsearch 7.11 and later), not `readProcessor`'s type message.
    #[test]
    fn null_processor_configs_are_rejected() {
        let registry = ProcessorRegistry::default();
        let defs = isc_value::from_json_str(r#"[{"set":null}]"#).unwrap();
        let Value::List(defs) = defs else { panic!() };
        let e = compile_processor_list(&registry, &defs).unwrap_err();
        assert_eq!(e.reason, "processor config cannot be [null]");
        let defs = isc_value::from_json_str(r#"[{"set":"x"}]"#).unwrap();
        let Value::List(defs) = defs else { panic!() };
        let e = compile_processor_list(&registry, &defs).unwrap_err();
        assert_eq!(
            e.reason,
            "property isn't a map, but of type [java.lang.String]"
        );
    }

    #[test]
    fn unknown_processor_types_are_rejected() {
        let registry = ProcessorRegistry::default();
        let defs = isc_value::from_json_str(r#"[{"foo":{"tag":"t"}}]"#).unwrap();
        let Value::List(defs) = defs else { panic!() };
        let e = compile_processor_list(&registry, &defs).unwrap_err();
        assert_eq!(e.reason, "No processor type exists with name [foo]");
        assert_eq!(e.context.processor_tag.as_deref(), Some("t"));
        assert_eq!(e.context.location.as_deref(), Some("[0]"));
    }

    #[test]
    fn common_options_are_validated() {
        let e = crate::processors::test_support::config_err(
            r#"[{"set":{"field":"a","value":1,"tag":5}}]"#,
        );
        assert_eq!(
            e,
            "[tag] property isn't a string, but of type [java.lang.Integer]"
        );
        let e = crate::processors::test_support::config_err(
            r#"[{"set":{"field":"a","value":1,"on_failure":[]}}]"#,
        );
        assert_eq!(e, "[on_failure] processors list cannot be empty");
        let e = crate::processors::test_support::config_err(
            r#"[{"set":{"field":"a","value":1,"ignore_failure":"yes"}}]"#,
        );
        assert_eq!(
            e,
            "[ignore_failure] property isn't a boolean, but of type [java.lang.String]"
        );
    }

    #[test]
    fn on_failure_metadata_is_removed_after_the_block() {
        let p = r#"[{"fail":{"message":"x","on_failure":[{"set":{"field":"seen","value":"{{_ingest.on_failure_message}}"}}]}},
                    {"set":{"field":"after","value":"[{{_ingest.on_failure_message}}]"}}]"#;
        assert_eq!(run(p, "{}").unwrap(), r#"{"seen":"x","after":"[]"}"#);
    }

    #[test]
    fn a_failing_on_failure_handler_reports_itself() {
        let p = r#"[{"fail":{"message":"first","tag":"f1","on_failure":[{"fail":{"message":"second","tag":"f2"}}]}}]"#;
        let e = run(p, "{}").unwrap_err();
        assert_eq!(e.reason, "second");
        assert_eq!(e.processor_tag(), Some("f2"));
    }

    #[test]
    fn nested_on_failure_sees_the_inner_failure() {
        let p = r#"[{"fail":{"message":"outer","on_failure":[
            {"fail":{"message":"inner","tag":"i","on_failure":[
                {"set":{"field":"m","value":"{{_ingest.on_failure_message}}/{{_ingest.on_failure_processor_tag}}"}}]}}]}}]"#;
        assert_eq!(run(p, "{}").unwrap(), r#"{"m":"inner/i"}"#);
    }

    #[test]
    fn ignore_failure_skips_the_processors_own_on_failure() {
        let p = r#"[{"fail":{"message":"x","ignore_failure":true,"on_failure":[{"set":{"field":"h","value":1}}]}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
    }

    #[test]
    fn a_processor_with_if_and_on_failure_reports_its_own_type() {
        let p = r#"[{"fail":{"message":"x","if":"true","tag":"t","on_failure":[
            {"set":{"field":"m","value":"{{_ingest.on_failure_processor_type}}"}}]}}]"#;
        assert_eq!(run(p, "{}").unwrap(), r#"{"m":"fail"}"#);
        let p = r#"[{"fail":{"message":"x","if":"true","tag":"t"}}]"#;
        assert_eq!(
            run(p, "{}").unwrap_err().processor_type(),
            Some("conditional")
        );
    }

    #[test]
    fn verbose_runs_record_each_processor() {
        let set = pipeline(
            r#"[{"set":{"field":"a","value":1,"tag":"s"}},
                {"set":{"field":"b","value":2,"if":"false"}},
                {"fail":{"message":"m","ignore_failure":true}},
                {"drop":{}}]"#,
        )
        .unwrap();
        let run = set.run_verbose("test", doc("{}")).unwrap();
        let statuses: Vec<&str> = run.results.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, ["success", "skipped", "error_ignored", "dropped"]);
        assert_eq!(run.outcome, crate::pipeline::Outcome::Dropped);
        let first = isc_value::to_json_string(&run.results[0].to_es_json());
        assert!(
            first.starts_with(r#"{"processor_type":"set","status":"success","tag":"s","doc":{"#)
        );
    }
}
