//! The pipeline tests of the project's own package, one Rust test per case.
//!
//! This is a custom test harness (`harness = false`, libtest-mimic): it
//! builds the package from the project sources into a temporary folder,
//! lists every `_dev/test/pipeline/` case of every data stream at run time,
//! and runs each as its own named test (`<data stream>::<case file>`), so
//! `cargo test` picks up new cases without any list to maintain, and the
//! usual filters work (`cargo test -p isc_pipeline_test --test
//! project_package -- events::test-events.json`). Cases skipped by their
//! configuration are reported as ignored.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use isc_pipeline_test::{
    CaseStatus, Colour, IngestEngine, list_package_cases, report::case_failure, run_single_case,
};
use libtest_mimic::{Arguments, Failed, Trial};

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let out = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => return failing_setup(&args, format!("cannot create a temporary folder: {e}")),
    };
    let package_root = match isc_package::build(&project_root(), out.path()) {
        Ok((_, written)) => out.path().join(written.source_package),
        Err(e) => {
            return failing_setup(&args, format!("building the project's package failed: {e}"));
        }
    };
    let cases = match list_package_cases(&package_root) {
        Ok(cases) => cases,
        Err(e) => return failing_setup(&args, e.to_string()),
    };
    let trials = cases
        .into_iter()
        .map(|(data_stream, case_file)| {
            let name = format!(
                "{data_stream}::{}",
                case_file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            );
            let skipped = is_skipped(&case_file);
            let root = package_root.clone();
            Trial::test(name, move || run_case(&root, &data_stream, &case_file))
                .with_ignored_flag(skipped)
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    drop(out);
    conclusion.exit_code()
}

fn run_case(package_root: &Path, data_stream: &str, case_file: &Path) -> Result<(), Failed> {
    let outcome = run_single_case(
        &IngestEngine::default(),
        package_root,
        data_stream,
        case_file,
    )
    .map_err(|e| Failed::from(e.to_string()))?;
    match outcome.status {
        CaseStatus::Pass | CaseStatus::Skip => Ok(()),
        CaseStatus::Fail => Err(Failed::from(case_failure(&outcome, Colour::Plain))),
    }
}

/// True when the case's configuration skips it.
fn is_skipped(case_file: &Path) -> bool {
    isc_pipeline_test::case_config::read_case_config(case_file)
        .map(|c| c.skip.is_some())
        .unwrap_or(false)
}

/// Reports a setup problem as a single failing test.
fn failing_setup(args: &Arguments, message: String) -> ExitCode {
    let trial = Trial::test("project_package::setup", move || Err(Failed::from(message)));
    libtest_mimic::run(args, vec![trial]).exit_code()
}
