//! `isc sample-event`: the committed `sample_event.json` of each data stream
//! is exactly its designated test case document run through the pipeline,
//! and the command restores it when it was edited by hand.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The project's sources in a temporary folder (nothing is written into the repository).
fn project_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["package", "data_stream", "templates"] {
        copy_dir(&project_root().join(sub), &dir.path().join(sub));
    }
    dir
}

fn sample_event(root: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_isc"))
        .args(["sample-event", "--data-stream", "events", "--root"])
        .arg(root)
        .args(extra)
        .output()
        .expect("run isc")
}

#[test]
fn committed_sample_event_is_the_pipeline_output() {
    let project = project_copy();
    let out = sample_event(project.path(), &["--check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_hand_edited_sample_fails_the_check_and_is_rewritten() {
    let project = project_copy();
    let path = project.path().join("data_stream/events/sample_event.json");
    let committed = fs::read_to_string(&path).expect("read");
    fs::write(&path, committed.replace("jane.doe", "someone.else")).expect("write");

    let check = sample_event(project.path(), &["--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("differs from test-sample-event.json"),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let write = sample_event(project.path(), &[]);
    assert_eq!(
        write.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&write.stderr)
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), committed);
}

#[test]
fn a_missing_designation_is_an_error_naming_the_file() {
    let project = project_copy();
    fs::remove_file(
        project
            .path()
            .join("data_stream/events/_build/sample_event.yml"),
    )
    .expect("remove");
    let out = sample_event(project.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("_build/sample_event.yml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
