//! `drop`: Elasticsearch's `DropProcessor`. Drops the document: nothing
//! after it runs and nothing is indexed.

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `drop` processor.
#[derive(Debug)]
pub struct Drop;

pub(crate) fn create(
    _config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    Ok(Box::new(Drop))
}

impl Processor for Drop {
    fn process(&self, _doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        Ok(Flow::Drop)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run};

    #[test]
    fn drops_and_stops_the_pipeline() {
        assert_eq!(
            run(r#"[{"drop":{}},{"set":{"field":"a","value":1}}]"#, "{}").unwrap(),
            "dropped"
        );
    }

    #[test]
    fn drop_inside_on_failure_drops() {
        let p = r#"[{"fail":{"message":"x","on_failure":[{"drop":{}}]}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "dropped");
    }

    #[test]
    fn rejects_unknown_options() {
        assert_eq!(
            config_err(r#"[{"drop":{"x":1}}]"#),
            "processor [drop] doesn't support one or more provided configuration parameters [x]"
        );
    }
}
