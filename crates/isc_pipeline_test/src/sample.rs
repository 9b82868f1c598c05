//! A data stream's sample event (`sample_event.json`, shown in the docs):
//! one document of one of its pipeline test cases, run through the entry
//! pipeline exactly as the runner runs it, so that the docs show what the
//! pipeline really produces.

use std::path::Path;

use isc_value::Value;

use crate::engine::{PipelineEngine, SimulatedDocument};
use crate::error::PipelineTestError;
use crate::golden_json::{HtmlEscaping, pretty_value};
use crate::package::{self, read_package};
use crate::test_case::load_test_case;

/// A document produced for `sample_event.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleEvent {
    /// The document after the pipeline.
    pub document: Value,
    /// How the package's format version wants `<`, `>`, `&` written.
    pub escaping: HtmlEscaping,
}

impl SampleEvent {
    /// The text of a `sample_event.json` file: the document as
    /// elastic-package writes JSON (sorted keys, 4-space indent), with a
    /// final newline.
    pub fn text(&self) -> String {
        let mut text = pretty_value(&self.document, self.escaping);
        text.push('\n');
        text
    }
}

/// Runs document `index` (0-based) of the case file `case` (a file name in
/// the data stream's `_dev/test/pipeline/`) through the data stream's entry
/// pipeline and returns the resulting document.
pub fn sample_document(
    engine: &dyn PipelineEngine,
    package_root: &Path,
    data_stream: &str,
    case: &str,
    index: usize,
) -> Result<SampleEvent, PipelineTestError> {
    let package = read_package(package_root)?;
    let stream = &package::data_stream(&package, data_stream)?;
    let case_path = stream.test_folder().join(case);
    let test_case = load_test_case(&case_path)?;
    let not_usable = |message: String| PipelineTestError::CaseInput {
        path: case_path.clone(),
        message,
    };
    let event = test_case.events.get(index).cloned().ok_or_else(|| {
        not_usable(format!(
            "has {} documents; there is no document {index}",
            test_case.events.len()
        ))
    })?;
    let pipeline_dir = stream.pipeline_folder();
    let pipelines = engine
        .load(&pipeline_dir, &stream.entry_pipeline, false)
        .map_err(|message| PipelineTestError::Pipeline {
            path: pipeline_dir.clone(),
            message,
        })?;
    match pipelines.simulate(event, &stream.simulate_index(&package.name)) {
        SimulatedDocument::Processed(document) => Ok(SampleEvent {
            document,
            escaping: HtmlEscaping::for_spec_version(package.spec_version),
        }),
        SimulatedDocument::Dropped => Err(not_usable(format!(
            "document {index} is dropped by the pipeline"
        ))),
        SimulatedDocument::Failed(failure) => Err(not_usable(format!(
            "document {index} fails in the pipeline: {failure}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_text_sorts_keys_and_indents_by_four() {
        let document = isc_value::from_json_str(r#"{"b":1,"a":{"y":"z"}}"#).unwrap_or(Value::Null);
        let sample = SampleEvent {
            document,
            escaping: HtmlEscaping::Verbatim,
        };
        assert_eq!(
            sample.text(),
            "{\n    \"a\": {\n        \"y\": \"z\"\n    },\n    \"b\": 1\n}\n"
        );
    }
}
