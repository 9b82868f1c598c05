//! `isc bench` on the project's package: the details, then the bench line
//! in its exact format; a data stream that does not exist is a problem.

use std::path::{Path, PathBuf};
use std::process::Command;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn built_package(out: &Path) -> PathBuf {
    let (_, written) = isc_package::build(&project_root(), out).expect("the project builds");
    out.join(written.source_package)
}

fn isc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_isc"))
        .args(args)
        .output()
        .expect("run isc")
}

/// `bench: <digits> events/s, <digits>.<2 digits> of parse+serialize floor`.
fn is_bench_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("bench: ") else {
        return false;
    };
    let Some((rate, rest)) = rest.split_once(" events/s, ") else {
        return false;
    };
    let Some(ratio) = rest.strip_suffix(" of parse+serialize floor") else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let Some((whole, fraction)) = ratio.split_once('.') else {
        return false;
    };
    digits(rate) && digits(whole) && digits(fraction) && fraction.len() == 2
}

#[test]
fn the_bench_line_check_is_exact() {
    assert!(is_bench_line(
        "bench: 7591 events/s, 0.01 of parse+serialize floor"
    ));
    assert!(!is_bench_line(
        "bench: 7591 events/s, 0.1 of parse+serialize floor"
    ));
    assert!(!is_bench_line(
        "bench: 7591.5 events/s, 0.10 of parse+serialize floor"
    ));
}

#[test]
fn bench_ends_with_the_bench_line() {
    let out = tempfile::tempdir().expect("tempdir");
    let package = built_package(out.path());
    let run = isc(&[
        "bench",
        "--package-root",
        package.to_str().expect("utf8"),
        "--events",
        "200",
        "--rounds",
        "1",
    ]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let last = stdout.lines().last().expect("output");
    assert!(is_bench_line(last), "{stdout}");
    assert!(stdout.contains("200 events per pass"), "{stdout}");
}

#[test]
fn bench_of_an_unknown_data_stream_is_a_problem() {
    let out = tempfile::tempdir().expect("tempdir");
    let package = built_package(out.path());
    let run = isc(&[
        "bench",
        "--package-root",
        package.to_str().expect("utf8"),
        "--data-stream",
        "nope",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("nope") && stderr.contains("not found"),
        "{stderr}"
    );
}
