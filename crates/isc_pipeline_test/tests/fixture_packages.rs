//! End-to-end runs over the fixture packages in
//! `tests/pipeline_test_fixtures/`, each copied to a temporary folder first
//! so that nothing is written into the repository.

// Helpers below are test code: a failing setup step should fail the test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use isc_pipeline_test::{
    CaseStatus, Colour, IngestEngine, RunOptions, RunReport, render_report, run_package,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/pipeline_test_fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of a fixture package, and the temporary folder holding it.
fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    copy_dir(&fixture(name), &root);
    (dir, root)
}

fn run(root: &Path, data_streams: &[&str], generate: bool, coverage: bool) -> RunReport {
    let options = RunOptions {
        package_root: root.to_path_buf(),
        data_streams: data_streams.iter().map(|s| (*s).to_owned()).collect(),
        generate,
        golden_source_root: None,
        coverage,
    };
    run_package(&IngestEngine::default(), &options).unwrap()
}

/// The plain report with run times replaced, so it can be compared.
fn stable_text(report: &RunReport) -> String {
    let text = render_report(report, Colour::Plain, false);
    let times = regex::Regex::new(r"documents, [0-9.]+ ms\)").unwrap();
    times.replace_all(&text, "documents, T ms)").into_owned()
}

fn golden(root: &Path, data_stream: &str, case: &str) -> PathBuf {
    root.join("data_stream")
        .join(data_stream)
        .join("_dev/test/pipeline")
        .join(format!("{case}-expected.json"))
}

#[test]
fn good_package_passes_log_json_multiline_and_dynamic_cases_and_skips_one() {
    let (_tmp, root) = copy_of("good_package");
    let report = run(&root, &[], false, false);
    assert_eq!(
        report.count(CaseStatus::Fail),
        0,
        "{}",
        stable_text(&report)
    );
    insta::assert_snapshot!(stable_text(&report));
}

#[test]
fn failing_package_reports_each_failure_kind_like_elastic_package() {
    let (_tmp, root) = copy_of("failing_package");
    let report = run(&root, &[], false, false);
    insta::assert_snapshot!(stable_text(&report));
}

#[test]
fn a_wrong_golden_value_fails_with_a_diff_naming_case_and_document() {
    let (_tmp, root) = copy_of("good_package");
    let path = golden(&root, "stable", "test-names.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"name=two\"", "\"name=2\"")).unwrap();
    let report = run(&root, &["stable"], false, false);
    assert_eq!(report.count(CaseStatus::Fail), 1);
    let output = stable_text(&report);
    assert!(output.ends_with("1 passed, 1 failed\n"), "{output}");
    insta::assert_snapshot!(output);
}

#[test]
fn generate_restores_goldens_byte_identical_to_elastic_package_format() {
    let (_tmp, root) = copy_of("good_package");
    let names = golden(&root, "stable", "test-names.json");
    let lines = golden(&root, "stable", "test-lines.log");
    let committed_names = std::fs::read(&names).unwrap();
    let committed_lines = std::fs::read(&lines).unwrap();
    std::fs::remove_file(&names).unwrap();
    std::fs::write(&lines, "{\"expected\": []}").unwrap();

    let first = run(&root, &["stable"], true, false);
    assert_eq!(first.count(CaseStatus::Pass), 2, "{}", stable_text(&first));
    let generated_names = std::fs::read(&names).unwrap();
    assert_eq!(generated_names, committed_names);
    assert_eq!(std::fs::read(&lines).unwrap(), committed_lines);

    let second = run(&root, &["stable"], true, false);
    assert_eq!(second.count(CaseStatus::Pass), 2);
    assert_eq!(std::fs::read(&names).unwrap(), generated_names);

    let check = run(&root, &["stable"], false, false);
    assert_eq!(check.count(CaseStatus::Pass), 2);
}

#[test]
fn generate_also_writes_the_source_goldens() {
    let (_tmp, root) = copy_of("good_package");
    let sources = tempfile::tempdir().unwrap();
    let source_folder = sources.path().join("data_stream/stable/_dev/test/pipeline");
    std::fs::create_dir_all(&source_folder).unwrap();
    let options = RunOptions {
        package_root: root.clone(),
        data_streams: vec!["stable".into()],
        generate: true,
        golden_source_root: Some(sources.path().to_path_buf()),
        coverage: false,
    };
    run_package(&IngestEngine::default(), &options).unwrap();
    let source_golden = source_folder.join("test-names.json-expected.json");
    assert_eq!(
        std::fs::read(source_golden).unwrap(),
        std::fs::read(golden(&root, "stable", "test-names.json")).unwrap()
    );
}

#[test]
fn coverage_counts_processor_runs_on_a_known_pipeline() {
    let (_tmp, root) = copy_of("good_package");
    let report = run(&root, &["stable"], false, true);
    let coverage = report.coverage.as_ref().unwrap();
    insta::assert_snapshot!("coverage_table", coverage.table(true));
    let xml = coverage.cobertura_xml("fixture_good", &root, 1_700_000_000_000_000_000);
    let base = root.canonicalize().unwrap();
    let base = base.parent().unwrap().to_string_lossy().into_owned();
    insta::assert_snapshot!("coverage_xml", xml.replace(&base, "<TMP>"));
}

#[test]
fn unknown_data_stream_is_an_error() {
    let (_tmp, root) = copy_of("good_package");
    let options = RunOptions {
        package_root: root,
        data_streams: vec!["nope".into()],
        ..RunOptions::default()
    };
    let err = run_package(&IngestEngine::default(), &options).unwrap_err();
    assert!(
        err.to_string().contains("data stream \"nope\" not found"),
        "{err}"
    );
}

#[test]
fn package_level_skip_skips_every_case() {
    let (_tmp, root) = copy_of("good_package");
    let dir = root.join("_dev/test");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.yml"),
        "pipeline:\n  skip:\n    reason: stack upgrade\n    link: https://example.com/issue/2\n",
    )
    .unwrap();
    let report = run(&root, &[], false, false);
    assert_eq!(report.count(CaseStatus::Skip), 7);
    assert!(isc_pipeline_test::summary_line(&report) == "0 passed, 0 failed, 7 skipped");
}

#[test]
fn only_passing_cases_count_towards_coverage() {
    let (_tmp, root) = copy_of("good_package");
    let path = golden(&root, "stable", "test-lines.log");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"alpha\"", "\"omega\"")).unwrap();
    let report = run(&root, &["stable"], false, true);
    assert_eq!(report.count(CaseStatus::Fail), 1);
    let table = report.coverage.as_ref().unwrap().table(true);
    // Only test-names.json counts: three documents, one dropped first.
    assert!(
        table.contains("stable/default #0 drop (lines 4-5): ran 1, if: 1 true / 2 false"),
        "{table}"
    );
    assert!(
        table.contains("stable/default #1 set (lines 6-9): ran 2\n"),
        "{table}"
    );
}
