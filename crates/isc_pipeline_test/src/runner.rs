//! Running the pipeline test cases of a package, in elastic-package's
//! order: load the case, skip it if configured, run its events through the
//! entry pipeline, (re)write the golden file with `--generate`, compare
//! with the golden file, check dynamic fields against their patterns, then
//! check every field of every document. A document with `error.message`
//! fails at once unless the golden document at its position carries the
//! same `error.message` (or any, when `error.message` is a dynamic field):
//! unlike elastic-package, an error the golden file expects is a result,
//! not a failure.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use isc_fields::{EcsReference, FieldSet};
use isc_value::Value;

use crate::case_config::Skip;
use crate::comparison::{DocumentDiff, diff_documents, without_ignored_fields};
use crate::coverage::{CoverageReport, DataStreamCoverage, pipeline_sources};
use crate::engine::{
    DataStreamPipelines, PipelineEngine, PipelineHits, ProcessorHits, SimulatedDocument,
};
use crate::error::PipelineTestError;
use crate::field_schema::FieldSchema;
use crate::field_validation::FieldValidator;
use crate::golden_json::{HtmlEscaping, golden_file_text};
use crate::package::{self, DataStreamInfo, PackageInfo, data_streams, read_package};
use crate::test_case::{TestCase, get_dotted, list_case_files, load_test_case};

/// What to run and how.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Root of the package (elastic-package source layout).
    pub package_root: PathBuf,
    /// Only these data streams (all when empty).
    pub data_streams: Vec<String>,
    /// Write golden files from the produced documents before comparing.
    pub generate: bool,
    /// Also write generated golden files below this folder, at the same
    /// path relative to it as below the package root (the sources a
    /// package is built from).
    pub golden_source_root: Option<PathBuf>,
    /// Collect processor coverage.
    pub coverage: bool,
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseStatus {
    /// Everything matched.
    Pass,
    /// A comparison or validation failed, or the case could not run.
    Fail,
    /// Skipped by its configuration.
    Skip,
}

/// Why a case failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFailure {
    /// One-line reason, as elastic-package words it.
    pub reason: String,
    /// Further lines (numbered problems), if any.
    pub details: Option<String>,
    /// Golden mismatches, one per differing document.
    pub diffs: Vec<DocumentDiff>,
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    /// Data stream name.
    pub data_stream: String,
    /// Case file name.
    pub case: String,
    /// Pass, fail or skip.
    pub status: CaseStatus,
    /// Number of input documents.
    pub documents: usize,
    /// Time spent on the case.
    pub elapsed: Duration,
    /// Set when the case failed.
    pub failure: Option<CaseFailure>,
    /// Set when the case was skipped.
    pub skip: Option<Skip>,
}

/// All case results of a run, plus coverage when requested.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The package that ran.
    pub package: PackageInfo,
    /// Case results in run order (data streams and files sorted by name).
    pub cases: Vec<CaseOutcome>,
    /// Processor coverage, with `--coverage`.
    pub coverage: Option<CoverageReport>,
}

impl RunReport {
    /// Number of cases with the given status.
    pub fn count(&self, status: CaseStatus) -> usize {
        self.cases.iter().filter(|c| c.status == status).count()
    }
}

/// Runs every selected case of the package.
pub fn run_package(
    engine: &dyn PipelineEngine,
    options: &RunOptions,
) -> Result<RunReport, PipelineTestError> {
    let package = read_package(&options.package_root)?;
    let streams = data_streams(&package, &options.data_streams)?;
    let mut cases = Vec::new();
    let mut coverage = options.coverage.then(CoverageReport::default);
    for stream in &streams {
        let context = DataStreamContext::new(engine, &package, stream, options.coverage);
        // As elastic-package does, only cases that pass count towards coverage.
        let mut counted: Option<Vec<PipelineHits>> = None;
        for case_file in list_case_files(&stream.test_folder())? {
            let before = context.hits();
            let outcome = context.run_case(&case_file, options);
            if outcome.status == CaseStatus::Pass {
                if let (Some(before), Some(after)) = (before, context.hits()) {
                    add_hits(counted.get_or_insert_with(Vec::new), &before, &after);
                }
            }
            cases.push(outcome);
        }
        if let Some(report) = coverage.as_mut() {
            if context.hits().is_some() {
                let sources = pipeline_sources(&stream.pipeline_folder())?;
                let hits = counted.unwrap_or_default();
                report
                    .data_streams
                    .push(DataStreamCoverage::new(&stream.name, &sources, &hits));
            }
        }
    }
    Ok(RunReport {
        package,
        cases,
        coverage,
    })
}

/// The case files of every data stream of a package with pipeline tests,
/// as `(data stream, case file)`.
pub fn list_package_cases(
    package_root: &Path,
) -> Result<Vec<(String, PathBuf)>, PipelineTestError> {
    let package = read_package(package_root)?;
    let mut out = Vec::new();
    for stream in data_streams(&package, &[])? {
        for file in list_case_files(&stream.test_folder())? {
            out.push((stream.name.clone(), file));
        }
    }
    Ok(out)
}

/// Runs a single case of a package (used to give each case its own Rust
/// test).
pub fn run_single_case(
    engine: &dyn PipelineEngine,
    package_root: &Path,
    data_stream: &str,
    case_file: &Path,
) -> Result<CaseOutcome, PipelineTestError> {
    let package = read_package(package_root)?;
    let stream = &package::data_stream(&package, data_stream)?;
    let context = DataStreamContext::new(engine, &package, stream, false);
    Ok(context.run_case(
        case_file,
        &RunOptions {
            package_root: package_root.to_path_buf(),
            ..RunOptions::default()
        },
    ))
}

/// What every case of a data stream shares: compiled pipelines, field
/// definitions, expected datasets.
struct DataStreamContext<'a> {
    package: &'a PackageInfo,
    stream: &'a DataStreamInfo,
    pipelines: Result<Box<dyn DataStreamPipelines>, String>,
    validator: Result<FieldValidator, String>,
    escaping: HtmlEscaping,
}

impl<'a> DataStreamContext<'a> {
    fn new(
        engine: &dyn PipelineEngine,
        package: &'a PackageInfo,
        stream: &'a DataStreamInfo,
        observe: bool,
    ) -> Self {
        let pipelines = engine.load(&stream.pipeline_folder(), &stream.entry_pipeline, observe);
        let validator = build_validator(package, stream);
        DataStreamContext {
            package,
            stream,
            pipelines,
            validator,
            escaping: HtmlEscaping::for_spec_version(package.spec_version),
        }
    }

    /// Execution counts so far, when observing.
    fn hits(&self) -> Option<Vec<PipelineHits>> {
        self.pipelines.as_ref().ok()?.hits()
    }

    fn run_case(&self, case_file: &Path, options: &RunOptions) -> CaseOutcome {
        let start = Instant::now();
        let case_name = case_file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut outcome = CaseOutcome {
            data_stream: self.stream.name.clone(),
            case: case_name,
            status: CaseStatus::Pass,
            documents: 0,
            elapsed: Duration::ZERO,
            failure: None,
            skip: None,
        };
        let result = self.execute(case_file, options, &mut outcome);
        if let Err(failure) = result {
            outcome.status = CaseStatus::Fail;
            outcome.failure = Some(failure);
        }
        outcome.elapsed = start.elapsed();
        outcome
    }

    fn execute(
        &self,
        case_file: &Path,
        options: &RunOptions,
        outcome: &mut CaseOutcome,
    ) -> Result<(), CaseFailure> {
        let case = load_test_case(case_file)
            .map_err(|e| plain_failure(format!("loading test case failed: {e}")))?;
        if let Some(skip) = case
            .config
            .skip
            .as_ref()
            .or(self.package.global_skip.as_ref())
        {
            outcome.status = CaseStatus::Skip;
            outcome.skip = Some(skip.clone());
            return Ok(());
        }
        outcome.documents = case.events.len();
        let pipelines = self
            .pipelines
            .as_ref()
            .map_err(|e| plain_failure(format!("installing ingest pipelines failed: {e}")))?;
        let index = self.stream.simulate_index(&self.package.name);
        let mut produced: Vec<Option<Value>> = Vec::with_capacity(case.events.len());
        let mut errors = Vec::new();
        for event in &case.events {
            match pipelines.simulate(event.clone(), &index) {
                SimulatedDocument::Processed(doc) => produced.push(Some(doc)),
                SimulatedDocument::Dropped => produced.push(None),
                SimulatedDocument::Failed(f) => {
                    errors.push(f.to_string());
                    produced.push(None);
                }
            }
        }
        if !errors.is_empty() {
            return Err(plain_failure(format!(
                "simulating pipeline processing failed: {}",
                errors.join("\n")
            )));
        }
        if options.generate {
            self.write_golden(&case, &produced, options)?;
        }
        let golden = self.compare_with_golden(&case, &produced)?;
        let documents: Vec<Value> = produced.iter().flatten().cloned().collect();
        verify_dynamic_fields(&case, &documents)?;
        self.verify_fields(&case, &produced, &golden)
    }

    fn write_golden(
        &self,
        case: &TestCase,
        produced: &[Option<Value>],
        options: &RunOptions,
    ) -> Result<(), CaseFailure> {
        let text = golden_file_text(produced, self.escaping);
        let path = case.expected_path();
        let mut targets = vec![path.clone()];
        if let Some(source_root) = &options.golden_source_root {
            if let Ok(relative) = path.strip_prefix(&self.package.root) {
                targets.push(source_root.join(relative));
            }
        }
        for target in targets {
            std::fs::write(&target, &text).map_err(|e| {
                plain_failure(format!(
                    "writing test result failed: {}: {e}",
                    target.display()
                ))
            })?;
        }
        Ok(())
    }

    /// Compares with the golden file and returns its documents.
    fn compare_with_golden(
        &self,
        case: &TestCase,
        produced: &[Option<Value>],
    ) -> Result<Vec<Option<Value>>, CaseFailure> {
        let path = case.expected_path();
        let text = std::fs::read(&path).map_err(|e| {
            plain_failure(format!(
                "comparing test results failed: reading expected test result failed: reading test result file failed: {}: {e}",
                path.display()
            ))
        })?;
        let golden = parse_golden(&text).map_err(|e| {
            plain_failure(format!(
                "comparing test results failed: reading expected test result failed: unmarshalling expected test result failed: {}: {e}",
                path.display()
            ))
        })?;
        let dynamic = &case.config.dynamic_fields;
        let expected: Vec<Option<Value>> = golden
            .iter()
            .map(|d| without_ignored_fields(d, dynamic.keys()))
            .collect();
        let actual: Vec<Option<Value>> = produced
            .iter()
            .map(|d| without_ignored_fields(d, dynamic.keys()))
            .collect();
        let diffs = diff_documents(&expected, &actual, self.escaping);
        if diffs.is_empty() {
            return Ok(golden);
        }
        let details = if expected.len() != actual.len() {
            Some(format!(
                "expected {} documents, got {}",
                expected.len(),
                actual.len()
            ))
        } else {
            None
        };
        Err(CaseFailure {
            reason: "Expected results are different from actual ones".into(),
            details,
            diffs,
        })
    }

    /// Validates the fields of the produced documents; `golden` (by
    /// position) says which error documents are expected.
    fn verify_fields(
        &self,
        case: &TestCase,
        produced: &[Option<Value>],
        golden: &[Option<Value>],
    ) -> Result<(), CaseFailure> {
        let validator = self.validator.as_ref().map_err(|e| {
            plain_failure(format!(
                "creating fields validator for data stream failed (path: {}, test case file: {}): {e}",
                self.stream.dir.display(),
                case.name
            ))
        })?;
        let validator = validator.with_case_exceptions(
            &case.config.numeric_keyword_fields,
            &case.config.string_number_fields,
        );
        let mut problems = Vec::new();
        let dynamic_error = case.config.dynamic_fields.contains_key(ERROR_MESSAGE_FIELD);
        for (index, doc) in produced.iter().enumerate() {
            let Some(doc) = doc else { continue };
            if let Some(e) = pipeline_error_message(doc) {
                let expected = golden.get(index).and_then(Option::as_ref);
                if !golden_expects_error(doc, expected, dynamic_error) {
                    problems.push(e);
                    continue;
                }
            }
            problems.extend(validator.validate(doc));
        }
        numbered_failure(
            "one or more problems with fields found in documents",
            problems,
        )
    }
}

/// Adds the executions between `before` and `after` to `total`.
fn add_hits(total: &mut Vec<PipelineHits>, before: &[PipelineHits], after: &[PipelineHits]) {
    for pipeline in after {
        let earlier = before.iter().find(|p| p.pipeline == pipeline.pipeline);
        let index = match total.iter().position(|p| p.pipeline == pipeline.pipeline) {
            Some(i) => i,
            None => {
                total.push(PipelineHits {
                    pipeline: pipeline.pipeline.clone(),
                    processors: Vec::new(),
                });
                total.len() - 1
            }
        };
        let target = &mut total[index].processors;
        if target.len() < pipeline.processors.len() {
            target.resize(pipeline.processors.len(), ProcessorHits::default());
        }
        for (i, now) in pipeline.processors.iter().enumerate() {
            let then = earlier
                .and_then(|e| e.processors.get(i))
                .copied()
                .unwrap_or_default();
            let t = &mut target[i];
            t.executed += now.executed.saturating_sub(then.executed);
            t.skipped_by_condition += now
                .skipped_by_condition
                .saturating_sub(then.skipped_by_condition);
            t.has_condition |= now.has_condition;
        }
    }
}

fn plain_failure(reason: String) -> CaseFailure {
    CaseFailure {
        reason,
        details: None,
        diffs: Vec::new(),
    }
}

/// Fails with `reason` and the `problems` numbered `[0] …`, deduplicated
/// and sorted bytewise as elastic-package's `multierror.Unique` does.
fn numbered_failure(reason: &str, mut problems: Vec<String>) -> Result<(), CaseFailure> {
    if problems.is_empty() {
        return Ok(());
    }
    problems.sort();
    problems.dedup();
    let details = problems
        .iter()
        .enumerate()
        .map(|(i, p)| format!("[{i}] {p}"))
        .collect::<Vec<_>>()
        .join("\n");
    Err(CaseFailure {
        reason: reason.to_owned(),
        details: Some(details),
        diffs: Vec::new(),
    })
}

/// Checks string values of dynamic fields against their patterns.
fn verify_dynamic_fields(case: &TestCase, documents: &[Value]) -> Result<(), CaseFailure> {
    let mut problems = Vec::new();
    for (key, pattern) in &case.config.dynamic_fields {
        let re = crate::go_regex::compile(pattern).map_err(|e| {
            plain_failure(format!("pattern matching for dynamic field failed: {e}"))
        })?;
        for doc in documents {
            let Value::Map(map) = doc else { continue };
            if let Some(Value::String(s)) = get_dotted(map, key) {
                if !re.is_match(s) {
                    problems.push(format!(
                        "dynamic field \"{key}\" doesn't match the pattern ({pattern}): {s}"
                    ));
                }
            }
        }
    }
    numbered_failure(
        "one or more problems with dynamic fields found in documents",
        problems,
    )
}

/// The field whose presence makes a document an error document.
const ERROR_MESSAGE_FIELD: &str = "error.message";

/// True when the golden document carries the produced document's
/// `error.message` (any `error.message` when it is a dynamic field).
fn golden_expects_error(produced: &Value, golden: Option<&Value>, dynamic: bool) -> bool {
    let message = |doc: &Value| -> Option<Value> {
        let Value::Map(map) = doc else { return None };
        get_dotted(map, ERROR_MESSAGE_FIELD)
            .filter(|v| !v.is_null())
            .cloned()
    };
    match (message(produced), golden.and_then(message)) {
        (Some(_), Some(_)) if dynamic => true,
        (Some(got), Some(want)) => crate::comparison::json_equal(&got, &want),
        _ => false,
    }
}

/// `unexpected pipeline error: …` when the document carries an
/// `error.message`.
fn pipeline_error_message(doc: &Value) -> Option<String> {
    let error = doc.as_map()?.get("error")?.as_map()?;
    match error.get("message")? {
        Value::Null => None,
        Value::String(s) => Some(format!("unexpected pipeline error: {s}")),
        Value::List(items) if items.iter().all(|i| matches!(i, Value::String(_))) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            Some(format!("unexpected pipeline error: [{}]", parts.join(" ")))
        }
        other => Some(format!(
            "unexpected pipeline error (unexpected error.message type {}): {}",
            crate::go_format::go_type_name(other),
            crate::go_format::go_value(other)
        )),
    }
}

/// The `expected` documents of a golden file.
fn parse_golden(text: &[u8]) -> Result<Vec<Option<Value>>, String> {
    let value = isc_value::from_json_bytes(text).map_err(|e| e.to_string())?;
    let Value::Map(mut map) = value else {
        return Err("not a JSON object".into());
    };
    match map.swap_remove("expected") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::List(items)) => Ok(items
            .into_iter()
            .map(|d| if d.is_null() { None } else { Some(d) })
            .collect()),
        Some(_) => Err("\"expected\" is not a list".into()),
    }
}

fn build_validator(
    package: &PackageInfo,
    stream: &DataStreamInfo,
) -> Result<FieldValidator, String> {
    let ecs = EcsReference::embedded();
    let fields = FieldSet::load_data_stream(&stream.dir, ecs).map_err(|e| e.to_string())?;
    let schema = FieldSchema::from_field_set(&fields, package.imports_all_ecs.then_some(ecs));
    let mut datasets = reroute_datasets(&stream.pipeline_folder());
    datasets.extend(crate::routing_rules::rerouted_datasets(&stream.dir));
    let expected = if datasets.is_empty() {
        vec![stream.dataset.clone()]
    } else {
        datasets
    };
    Ok(FieldValidator::new(schema, package.spec_version, expected))
}

/// Datasets named by `reroute` processors of the data stream's pipelines;
/// documents may then carry any of them.
fn reroute_datasets(pipeline_dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(sources) = pipeline_sources(pipeline_dir) else {
        return out;
    };
    for source in sources {
        let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(&source.text) else {
            continue;
        };
        let Some(processors) = doc.get("processors").and_then(|p| p.as_sequence()) else {
            continue;
        };
        for p in processors {
            match p.get("reroute").and_then(|r| r.get("dataset")) {
                Some(serde_yaml::Value::String(s)) => out.push(s.clone()),
                Some(serde_yaml::Value::Sequence(items)) => {
                    out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_owned)));
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Value {
        isc_value::from_json_str(json).unwrap_or(Value::Null)
    }

    #[test]
    fn an_error_the_golden_carries_is_expected() {
        let produced = doc(r#"{"error":{"message":"boom"},"a":1}"#);
        let golden = doc(r#"{"error":{"message":"boom"},"a":1}"#);
        assert!(golden_expects_error(&produced, Some(&golden), false));
    }

    #[test]
    fn an_error_the_golden_lacks_or_words_differently_is_unexpected() {
        let produced = doc(r#"{"error":{"message":"boom"}}"#);
        assert!(!golden_expects_error(&produced, None, false));
        assert!(!golden_expects_error(&produced, Some(&doc("{}")), false));
        let other = doc(r#"{"error":{"message":"bang"}}"#);
        assert!(!golden_expects_error(&produced, Some(&other), false));
    }

    #[test]
    fn a_dynamic_error_message_only_needs_to_be_present_in_the_golden() {
        let produced = doc(r#"{"error":{"message":"boom at 12:00"}}"#);
        let golden = doc(r#"{"error":{"message":"boom at 11:00"}}"#);
        assert!(golden_expects_error(&produced, Some(&golden), true));
        assert!(!golden_expects_error(
            &produced,
            Some(&doc(r#"{"error":{}}"#)),
            true
        ));
    }

    #[test]
    fn error_message_lists_compare_as_lists() {
        let produced = doc(r#"{"error":{"message":["a","b"]}}"#);
        let golden = doc(r#"{"error":{"message":["a","b"]}}"#);
        assert!(golden_expects_error(&produced, Some(&golden), false));
        let reordered = doc(r#"{"error":{"message":["b","a"]}}"#);
        assert!(!golden_expects_error(&produced, Some(&reordered), false));
    }
}
