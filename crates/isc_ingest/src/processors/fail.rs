//! `fail`: Elasticsearch's `FailProcessor`. Fails the document with a
//! templated message (`fail_processor_exception`).

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::Template;

/// The `fail` processor.
#[derive(Debug)]
pub struct Fail {
    message: Template,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    Ok(Box::new(Fail {
        message: config.required_template("message")?,
    }))
}

impl Processor for Fail {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        Err(IngestError::new(
            "fail_processor_exception",
            self.message.render(doc).into_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn fails_with_the_rendered_message() {
        assert_eq!(
            run_err(r#"[{"fail":{"message":"bad {{a}}"}}]"#, r#"{"a":"x"}"#),
            "bad x"
        );
        let e = run(r#"[{"fail":{"message":"m","tag":"t"}}]"#, "{}").unwrap_err();
        assert_eq!(e.kind, "fail_processor_exception");
        assert_eq!(e.processor_type(), Some("fail"));
        assert_eq!(e.processor_tag(), Some("t"));
        assert_eq!(e.pipeline_origin(), ["test".to_owned()]);
    }

    #[test]
    fn on_failure_sees_message_type_tag_and_pipeline() {
        let p = r#"[{"fail":{"message":"boom","tag":"t1","on_failure":[
            {"set":{"field":"m","value":"{{_ingest.on_failure_message}}|{{_ingest.on_failure_processor_type}}|{{_ingest.on_failure_processor_tag}}|{{_ingest.on_failure_pipeline}}"}}]}}]"#;
        assert_eq!(run(p, "{}").unwrap(), r#"{"m":"boom|fail|t1|test"}"#);
    }

    #[test]
    fn pipeline_on_failure_runs_after_the_failing_processor() {
        let text = r#"{"processors":[{"set":{"field":"a","value":1}},{"fail":{"message":"x"}},{"set":{"field":"b","value":2}}],
            "on_failure":[{"set":{"field":"err","value":"{{_ingest.on_failure_message}}"}}]}"#;
        let set = crate::pipeline::PipelineSet::builder()
            .add_source("p", text, true, None)
            .build()
            .unwrap();
        let Some(crate::pipeline::Outcome::Document(d)) =
            set.run("p", crate::processors::test_support::doc("{}"))
        else {
            panic!("expected a document")
        };
        assert_eq!(
            isc_value::to_json_string(&isc_value::Value::Map(d.source())),
            r#"{"a":1,"err":"x"}"#
        );
        assert_eq!(d.ingest_metadata().len(), 1);
    }

    #[test]
    fn ignore_failure_continues() {
        let p =
            r#"[{"fail":{"message":"x","ignore_failure":true}},{"set":{"field":"b","value":2}}]"#;
        assert_eq!(run(p, "{}").unwrap(), r#"{"b":2}"#);
    }

    #[test]
    fn message_is_required() {
        assert_eq!(
            config_err(r#"[{"fail":{}}]"#),
            "[message] required property is missing"
        );
    }
}
