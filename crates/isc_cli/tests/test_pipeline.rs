//! The `isc test pipeline` command: exit codes, the summary line, plain
//! output when not on a terminal, coverage report file. Fixture packages
//! are copied to temporary folders first.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/pipeline_test_fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn test_pipeline(root: &Path, package: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_isc"))
        .args(["test", "pipeline", "--root"])
        .arg(root)
        .arg("--package-root")
        .arg(package)
        .args(extra)
        .output()
        .expect("run isc");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn passing_package_exits_zero_with_the_summary_last() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let package = tmp.path().join("good_package");
    copy_dir(&fixture("good_package"), &package);
    let (code, stdout) = test_pipeline(tmp.path(), &package, &[]);
    assert_eq!(code, Some(0), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("6 passed, 0 failed, 1 skipped"));
    assert!(!stdout.contains('\u{1b}'), "colour codes in piped output");
}

#[test]
fn failing_package_exits_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let package = tmp.path().join("failing_package");
    copy_dir(&fixture("failing_package"), &package);
    let (code, stdout) = test_pipeline(tmp.path(), &package, &["--data-streams", "mismatch"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("-    \"message\": \"segundo\""), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("0 passed, 1 failed"));
}

#[test]
fn coverage_writes_a_cobertura_report_under_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let package = tmp.path().join("good_package");
    copy_dir(&fixture("good_package"), &package);
    let (code, stdout) = test_pipeline(
        tmp.path(),
        &package,
        &["--coverage", "--data-streams", "stable"],
    );
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("stable       default   6/7 (85.7%)"),
        "{stdout}"
    );
    let reports: Vec<_> = std::fs::read_dir(tmp.path().join("build/test-coverage"))
        .expect("coverage folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(reports.len(), 1);
    assert!(
        reports[0].starts_with("coverage-fixture_good-pipeline-"),
        "{reports:?}"
    );
}

#[test]
fn unusable_enrichment_directories_exit_one_naming_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let package = tmp.path().join("good_package");
    copy_dir(&fixture("good_package"), &package);
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("create folder");
    for (option, expected) in [
        (
            "--geoip-dir",
            format!(
                "error: --geoip-dir: no usable GeoIP database (*.mmdb) in [{}]",
                empty.display()
            ),
        ),
        (
            "--user-agent-dir",
            format!(
                "error: --user-agent-dir: no user-agent regex file (*.yml) in [{}]",
                empty.display()
            ),
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_isc"))
            .args(["test", "pipeline", "--root"])
            .arg(tmp.path())
            .arg("--package-root")
            .arg(&package)
            .arg(option)
            .arg(&empty)
            .output()
            .expect("run isc");
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end(), expected);
    }
}

#[test]
fn a_readable_user_agent_directory_is_accepted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let package = tmp.path().join("good_package");
    copy_dir(&fixture("good_package"), &package);
    let regexes = tmp.path().join("ua");
    std::fs::create_dir(&regexes).expect("create folder");
    std::fs::write(
        regexes.join("acme.yml"),
        "user_agent_parsers:\n  - regex: '(Acme)/(\\d+)'\n",
    )
    .expect("write");
    let (code, stdout) = test_pipeline(
        tmp.path(),
        &package,
        &["--user-agent-dir", regexes.to_str().expect("utf8")],
    );
    assert_eq!(code, Some(0), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("6 passed, 0 failed, 1 skipped"));
}
