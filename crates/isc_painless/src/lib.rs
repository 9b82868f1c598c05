//! A Painless parser and interpreter for the scripts and conditions of ingest pipelines.
