//! Observing which processors run: a hook for coverage tools such as the
//! pipeline test runner's `--coverage`, the offline counterpart of the
//! per-processor counts in Elasticsearch's ingest node statistics.

/// Told about the top-level processors of a pipeline each time a document
/// reaches one (see [`crate::PipelineSet::run_observed`]).
pub trait ExecutionObserver: Sync {
    /// Processor `index` (0-based, in the `processors` list) of pipeline
    /// `pipeline` was reached. `condition` is the result of its `if`, `None`
    /// when it has none; the processor ran unless it is `Some(false)`.
    fn processor_reached(&self, pipeline: &str, index: usize, condition: Option<bool>);
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::{Document, PipelineSet};

    #[derive(Default)]
    struct Recorder(Mutex<Vec<(String, usize, Option<bool>)>>);

    impl ExecutionObserver for Recorder {
        fn processor_reached(&self, pipeline: &str, index: usize, condition: Option<bool>) {
            if let Ok(mut seen) = self.0.lock() {
                seen.push((pipeline.to_owned(), index, condition));
            }
        }
    }

    #[test]
    fn top_level_processors_are_reported_with_their_pipeline_and_index() {
        let set = PipelineSet::builder()
            .add_source(
                "default",
                "processors:\n  - set: {field: a, value: x}\n  - set: {field: b, value: y, on_failure: [{set: {field: c, value: z}}]}\n",
                false,
                None,
            )
            .build()
            .unwrap();
        let recorder = Recorder::default();
        set.run_observed(
            "default",
            Document::new(isc_value::Map::default()),
            &recorder,
        )
        .unwrap();
        let seen = recorder.0.lock().unwrap().clone();
        assert_eq!(
            seen,
            vec![
                ("default".to_owned(), 0, None),
                ("default".to_owned(), 1, None)
            ]
        );
    }
}
