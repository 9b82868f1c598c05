//! The `isc` binary: exit codes and output of `build` and `check`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn isc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_isc"))
        .args(args)
        .output()
        .expect("run isc")
}

#[test]
fn check_of_the_real_sources_exits_zero() {
    let root = project_root();
    let out = isc(&["check", "--root", root.to_str().expect("utf8")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn build_writes_into_the_given_folder_and_exits_zero() {
    let target = tempfile::tempdir().expect("tempdir");
    let root = project_root();
    let out = isc(&[
        "build",
        "--root",
        root.to_str().expect("utf8"),
        "--out",
        target.path().to_str().expect("utf8"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("built sailpoint_identity_sc "));
    assert!(target.path().join("packages").is_dir());
}

#[test]
fn problems_print_file_line_message_and_exit_one() {
    let project = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(project.path().join("package")).expect("mkdir");
    fs::create_dir_all(project.path().join("data_stream")).expect("mkdir");
    fs::write(
        project.path().join("package/changelog.yml"),
        "- version: 1.0.0\n  changes: [\n",
    )
    .expect("write");
    let out = isc(&["check", "--root", project.path().to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("package/changelog.yml:"), "{stderr}");
    assert!(first.contains("invalid YAML"), "{stderr}");
    assert!(!project.path().join("build").exists());
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(isc(&["no-such-command"]).status.code(), Some(2));
    assert_eq!(isc(&["check", "--no-such-flag"]).status.code(), Some(2));
}
