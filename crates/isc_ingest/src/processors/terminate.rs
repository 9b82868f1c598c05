//! `terminate`: Elasticsearch's `TerminateProcessor`. Ends the current
//! pipeline after this processor; a calling pipeline goes on.

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `terminate` processor.
#[derive(Debug)]
pub struct Terminate;

pub(crate) fn create(
    _config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    Ok(Box::new(Terminate))
}

impl Processor for Terminate {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        doc.terminate();
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::run;

    #[test]
    fn stops_the_current_pipeline_only() {
        assert_eq!(
            run(r#"[{"set":{"field":"a","value":1}},{"terminate":{}},{"set":{"field":"b","value":2}}]"#, "{}").unwrap(),
            r#"{"a":1}"#
        );
    }
}
