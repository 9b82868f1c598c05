//! `sample_document` over the good fixture package: the sample is the
//! document the pipeline produces for the designated case document, equal
//! to that document in the case's golden file.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use isc_pipeline_test::IngestEngine;
use isc_pipeline_test::comparison::json_equal;
use isc_pipeline_test::sample::sample_document;

fn good_package() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/pipeline_test_fixtures/good_package")
}

#[test]
fn sample_is_the_pipeline_output_of_the_designated_document() {
    let sample = sample_document(
        &IngestEngine::default(),
        &good_package(),
        "stable",
        "test-names.json",
        2,
    )
    .unwrap();
    let golden_path =
        good_package().join("data_stream/stable/_dev/test/pipeline/test-names.json-expected.json");
    let golden = isc_value::from_json_str(&std::fs::read_to_string(golden_path).unwrap()).unwrap();
    let isc_value::Value::Map(golden) = golden else {
        panic!("golden is an object")
    };
    let isc_value::Value::List(expected) = &golden["expected"] else {
        panic!("expected is a list")
    };
    assert!(
        json_equal(&sample.document, &expected[2]),
        "{}",
        sample.text()
    );
    assert!(sample.text().ends_with("}\n"));
}

#[test]
fn a_document_beyond_the_case_is_an_error_naming_the_case() {
    let error = sample_document(
        &IngestEngine::default(),
        &good_package(),
        "stable",
        "test-names.json",
        99,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("test-names.json"), "{error}");
    assert!(error.contains("there is no document 99"), "{error}");
}

#[test]
fn an_unknown_case_file_is_an_error() {
    let error = sample_document(
        &IngestEngine::default(),
        &good_package(),
        "stable",
        "test-nope.json",
        0,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("test-nope.json"), "{error}");
}

#[test]
fn a_dropped_document_cannot_be_a_sample() {
    let error = sample_document(
        &IngestEngine::default(),
        &good_package(),
        "stable",
        "test-names.json",
        1,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("dropped by the pipeline"), "{error}");
}
