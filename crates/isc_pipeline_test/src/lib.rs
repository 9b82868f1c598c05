//! Runs elastic-package pipeline test cases through the offline ingest
//! engine.
//!
//! The runner reads a package in elastic-package source layout, finds each
//! data stream's `_dev/test/pipeline/` cases (`test-*.log`, `test-*.json`,
//! with `-config.yml` and `-expected.json` beside them), runs their events
//! through the data stream's entry pipeline, and checks the results the way
//! `elastic-package test pipeline` does: golden comparison (dynamic fields
//! and `event.ingested` left out), dynamic field patterns, and validation of
//! every field against the data stream's definitions. `--generate` writes
//! golden files in elastic-package's exact format; `--coverage` reports
//! which processors ran.
//!
//! - [`run_package`] runs a package and returns a [`RunReport`];
//!   [`render_report`] prints it.
//! - [`PipelineEngine`] is what the runner needs from an engine;
//!   [`IngestEngine`] provides it with `isc_ingest`.
//! - [`list_package_cases`] and [`run_single_case`] let a test harness run
//!   each case as its own test.
//! - [`sample::sample_document`] runs one case document for a data stream's
//!   `sample_event.json`.

pub mod case_config;
pub mod comparison;
pub mod coverage;
pub mod engine;
mod error;
pub mod field_schema;
pub mod field_validation;
mod go_format;
mod go_regex;
pub mod golden_json;
mod ingest_engine;
pub mod package;
pub mod report;
pub mod routing_rules;
mod runner;
pub mod sample;
pub mod test_case;

pub use engine::{
    DataStreamPipelines, PipelineEngine, PipelineHits, ProcessorFailure, ProcessorHits,
    SimulatedDocument,
};
pub use error::PipelineTestError;
pub use ingest_engine::IngestEngine;
pub use report::{Colour, render_report, summary_line};
pub use runner::{
    CaseFailure, CaseOutcome, CaseStatus, RunOptions, RunReport, list_package_cases, run_package,
    run_single_case,
};
