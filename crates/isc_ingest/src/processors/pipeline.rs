//! `pipeline`: Elasticsearch's `PipelineProcessor`. Runs another pipeline of
//! the set on the document (`name` is a template; packages write
//! `{{ IngestPipeline "x" }}`, resolved at load time). A missing pipeline
//! fails unless `ignore_missing_pipeline`; cycles fail with
//! `Cycle detected for pipeline: x`.

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::Template;

/// The `pipeline` processor.
#[derive(Debug)]
pub struct PipelineCall {
    name: Template,
    ignore_missing_pipeline: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let name = config.required_template("name")?;
    let ignore_missing_pipeline = config.bool_or("ignore_missing_pipeline", false)?;
    Ok(Box::new(PipelineCall {
        name,
        ignore_missing_pipeline,
    }))
}

impl Processor for PipelineCall {
    fn process(&self, doc: &mut Document, run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let name = self.name.render(doc).into_owned();
        let Some(pipeline) = run.pipelines().get(&name) else {
            if self.ignore_missing_pipeline {
                return Ok(Flow::Continue);
            }
            return Err(IngestError::new(
                "illegal_state_exception",
                format!("Pipeline processor configured for non-existent pipeline [{name}]"),
            ));
        };
        let result = pipeline.execute(doc, run);
        doc.reset_terminate();
        result
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{Outcome, PipelineSet};
    use crate::processors::test_support::doc;

    fn set(sources: &[(&str, &str)]) -> PipelineSet {
        let mut b = PipelineSet::builder();
        for (id, text) in sources {
            b = b.add_source(id, text, false, None);
        }
        b.build().unwrap()
    }

    fn outcome(set: &PipelineSet, id: &str) -> Result<String, crate::error::IngestError> {
        match set.run(id, doc("{}")) {
            Some(Outcome::Document(d)) => Ok(isc_value::to_json_string(&isc_value::Value::Map(
                d.into_source(),
            ))),
            Some(Outcome::Dropped) => Ok("dropped".into()),
            Some(Outcome::Failed { error, .. }) => Err(error),
            None => Ok("none".into()),
        }
    }

    #[test]
    fn calls_pipelines_by_reference_and_plain_name() {
        let s = set(&[
            (
                "default",
                "processors:\n- pipeline: {name: '{{ IngestPipeline \"inner\" }}'}\n- pipeline: {name: inner2}\n",
            ),
            (
                "inner",
                "processors:\n- set: {field: a, value: '{{_ingest.pipeline}}'}\n",
            ),
            ("inner2", "processors:\n- set: {field: b, value: 2}\n"),
        ]);
        assert_eq!(outcome(&s, "default").unwrap(), r#"{"a":"inner","b":2}"#);
    }

    #[test]
    fn failures_inside_report_the_inner_processor_and_pipelines() {
        let s = set(&[
            ("default", "processors:\n- pipeline: {name: inner}\n"),
            ("inner", "processors:\n- fail: {message: boom, tag: f}\n"),
        ]);
        let e = outcome(&s, "default").unwrap_err();
        assert_eq!(e.processor_type(), Some("fail"));
        assert_eq!(e.processor_tag(), Some("f"));
        assert_eq!(
            e.pipeline_origin(),
            ["inner".to_owned(), "default".to_owned()]
        );
    }

    #[test]
    fn missing_pipelines_and_cycles_fail() {
        let s = set(&[("default", "processors:\n- pipeline: {name: nope}\n")]);
        assert_eq!(
            outcome(&s, "default").unwrap_err().reason,
            "Pipeline processor configured for non-existent pipeline [nope]"
        );
        let s = set(&[(
            "default",
            "processors:\n- pipeline: {name: nope, ignore_missing_pipeline: true}\n",
        )]);
        assert_eq!(outcome(&s, "default").unwrap(), "{}");
        let s = set(&[
            ("a", "processors:\n- pipeline: {name: b}\n"),
            ("b", "processors:\n- pipeline: {name: a}\n"),
        ]);
        let e = outcome(&s, "a").unwrap_err();
        assert_eq!(e.reason, "Cycle detected for pipeline: a");
        assert_eq!(e.kind, "graph_structure_exception");
    }

    #[test]
    fn terminate_in_a_called_pipeline_does_not_stop_the_caller() {
        let s = set(&[
            (
                "default",
                "processors:\n- pipeline: {name: inner}\n- set: {field: b, value: 2}\n",
            ),
            (
                "inner",
                "processors:\n- terminate: {}\n- set: {field: a, value: 1}\n",
            ),
        ]);
        assert_eq!(outcome(&s, "default").unwrap(), r#"{"b":2}"#);
    }

    #[test]
    fn drop_in_a_called_pipeline_drops() {
        let s = set(&[
            (
                "default",
                "processors:\n- pipeline: {name: inner}\n- set: {field: b, value: 2}\n",
            ),
            ("inner", "processors:\n- drop: {}\n"),
        ]);
        assert_eq!(outcome(&s, "default").unwrap(), "dropped");
    }
}
