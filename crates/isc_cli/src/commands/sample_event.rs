//! `isc sample-event --data-stream NAME`: writes the data stream's
//! `sample_event.json` from one of its pipeline test cases, run through the
//! pipeline, so the docs' example is what the pipeline really produces.
//!
//! The case is designated in the data stream's sources, in
//! `data_stream/<name>/_build/sample_event.yml` (`case: test-x.json`,
//! `document: 0`). The project's package is rebuilt first when stale, as for
//! `isc test pipeline`; the result goes to
//! `data_stream/<name>/sample_event.json` of the sources (rebuild to see it
//! in the package). `--check` only compares and fails when the file differs.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use isc_pipeline_test::IngestEngine;
use isc_pipeline_test::sample::sample_document;

use crate::Outcome;
use crate::commands::test::project_package;

/// Options of `isc sample-event`.
#[derive(Debug, Args)]
pub struct SampleEventArgs {
    /// Project root holding package/, data_stream/ and templates/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Data stream whose sample event is written (e.g. `events`).
    #[arg(long)]
    pub data_stream: String,
    /// Do not write: fail when sample_event.json differs from the pipeline's output.
    #[arg(long)]
    pub check: bool,
}

/// Which test case document becomes the sample event.
#[derive(Debug)]
struct Designation {
    /// Case file name in `_dev/test/pipeline/`.
    case: String,
    /// 0-based position of the document in the case.
    document: usize,
}

/// Runs `isc sample-event`.
pub fn run(args: &SampleEventArgs) -> Outcome {
    match write_sample(args) {
        Ok(outcome) => outcome,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            Outcome::Problems
        }
    }
}

fn write_sample(args: &SampleEventArgs) -> Result<Outcome, String> {
    let stream_dir = args.root.join("data_stream").join(&args.data_stream);
    let designation = read_designation(&stream_dir.join("_build").join("sample_event.yml"))?;
    let package_root = project_package(&args.root).map_err(|_| "the package does not build")?;
    let sample = sample_document(
        &IngestEngine::default(),
        &package_root,
        &args.data_stream,
        &designation.case,
        designation.document,
    )
    .map_err(|e| e.to_string())?;
    let text = sample.text();
    let target = stream_dir.join("sample_event.json");
    let current = std::fs::read_to_string(&target).unwrap_or_default();
    if args.check {
        if current == text {
            return Ok(Outcome::Ok);
        }
        let _ = writeln!(
            std::io::stderr(),
            "{} differs from {} document {} run through the pipeline; run `isc sample-event --data-stream {}`",
            target.display(),
            designation.case,
            designation.document,
            args.data_stream
        );
        return Ok(Outcome::Problems);
    }
    if current != text {
        std::fs::write(&target, &text).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    let _ = writeln!(
        std::io::stdout(),
        "{} from {} document {}",
        target.display(),
        designation.case,
        designation.document
    );
    Ok(Outcome::Ok)
}

fn read_designation(path: &Path) -> Result<Designation, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (it names the test case of the sample event: `case: test-x.json`, `document: 0`)",
            path.display()
        )
    })?;
    let problem = |message: &str| format!("{}: {message}", path.display());
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| problem(&e.to_string()))?;
    let Some(map) = yaml.as_mapping() else {
        return Err(problem("expected a mapping with `case` and `document`"));
    };
    if let Some(key) = map
        .keys()
        .find(|k| !matches!(k.as_str(), Some("case" | "document")))
    {
        return Err(problem(&format!("unknown key {key:?}")));
    }
    let case = map
        .get("case")
        .and_then(serde_yaml::Value::as_str)
        .ok_or_else(|| problem("`case` (a test case file name) is required"))?;
    let document = match map.get("document") {
        None => 0,
        Some(v) => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| problem("`document` must be a position (0, 1, ...)"))?,
    };
    Ok(Designation {
        case: case.to_owned(),
        document,
    })
}
