//! Runs elastic-package pipeline test cases through the offline ingest engine.
