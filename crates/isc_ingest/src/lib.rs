//! An offline reimplementation of Elasticsearch ingest pipelines.
