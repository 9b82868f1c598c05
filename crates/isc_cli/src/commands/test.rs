//! `isc test pipeline`: elastic-package's pipeline tests, run offline.
//!
//! Without `--package-root` it tests the project's own package, the source
//! package under `build/integrations/`, rebuilding it first when a source
//! is newer than it; `--generate` then writes golden files both there and
//! in the project's `data_stream/` sources.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use isc_package::PackageError;
use isc_pipeline_test::{Colour, IngestEngine, RunOptions, render_report, run_package};

use crate::Outcome;
use crate::commands::check::report;
use crate::commands::simulate::EnrichmentArgs;

/// The project's package, relative to the project root (`simulate` reads
/// it relative to the working directory).
pub(crate) const DEFAULT_PACKAGE: &str = "build/integrations/sailpoint_identity_sc";

/// Options of `isc test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Which tests to run.
    #[command(subcommand)]
    pub kind: TestKind,
}

/// The kinds of tests.
#[derive(Debug, Subcommand)]
pub enum TestKind {
    /// Run the data streams' pipeline tests (`_dev/test/pipeline/`).
    Pipeline(PipelineTestArgs),
}

/// Options of `isc test pipeline`.
#[derive(Debug, Args)]
pub struct PipelineTestArgs {
    /// Project root holding package/, data_stream/ and templates/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Package to test, in elastic-package source layout (default: the
    /// project's package, built under build/integrations/).
    #[arg(long)]
    pub package_root: Option<PathBuf>,
    /// Only these data streams (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub data_streams: Vec<String>,
    /// Write the golden `-expected.json` files from the results.
    #[arg(long)]
    pub generate: bool,
    /// Report which processors ran; writes a Cobertura XML file under
    /// build/test-coverage/.
    #[arg(long)]
    pub coverage: bool,
    /// Print coverage per processor.
    #[arg(long)]
    pub verbose: bool,
    /// Where `geoip` and `user_agent` get their data.
    #[command(flatten)]
    pub enrichment: EnrichmentArgs,
}

/// Runs `isc test`.
pub fn run(args: &TestArgs) -> Outcome {
    match &args.kind {
        TestKind::Pipeline(p) => run_pipeline_tests(p),
    }
}

fn run_pipeline_tests(args: &PipelineTestArgs) -> Outcome {
    let mut stderr = std::io::stderr().lock();
    let engine = match args.enrichment.options() {
        Ok(options) => IngestEngine::with_enrichment(options),
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            return Outcome::Problems;
        }
    };
    let (package_root, golden_source_root) = match &args.package_root {
        Some(root) => (root.clone(), None),
        None => match project_package(&args.root) {
            Ok(root) => (root, Some(args.root.clone())),
            Err(outcome) => return outcome,
        },
    };
    let options = RunOptions {
        package_root: package_root.clone(),
        data_streams: args.data_streams.clone(),
        generate: args.generate,
        golden_source_root,
        coverage: args.coverage,
    };
    let report = match run_package(&engine, &options) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(stderr, "{e}");
            return Outcome::Problems;
        }
    };
    let stdout = std::io::stdout();
    let colour = if stdout.is_terminal() {
        Colour::Ansi
    } else {
        Colour::Plain
    };
    let mut out = stdout.lock();
    let _ = out.write_all(render_report(&report, colour, args.verbose).as_bytes());
    if let Some(coverage) = &report.coverage {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let xml = coverage.cobertura_xml(&report.package.name, &report.package.root, timestamp);
        let dir = args.root.join("build").join("test-coverage");
        let file = dir.join(format!(
            "coverage-{}-pipeline-{timestamp}-report.xml",
            report.package.name
        ));
        match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, xml)) {
            Ok(()) => {
                let _ = writeln!(out, "coverage report: {}", file.display());
            }
            Err(e) => {
                let _ = writeln!(stderr, "{}: {e}", file.display());
                return Outcome::Problems;
            }
        }
    }
    if report.count(isc_pipeline_test::CaseStatus::Fail) == 0 {
        Outcome::Ok
    } else {
        Outcome::Problems
    }
}

/// The project's source package, rebuilt first when missing or older than
/// any file under package/, data_stream/ or templates/.
pub(crate) fn project_package(root: &Path) -> Result<PathBuf, Outcome> {
    let package = root.join(DEFAULT_PACKAGE);
    let built_at = modified(&package.join("manifest.yml"));
    let newest_source = ["package", "data_stream", "templates"]
        .iter()
        .filter_map(|d| newest_modification(&root.join(d)))
        .max();
    let stale = match (built_at, newest_source) {
        (None, _) => true,
        (Some(built), Some(source)) => source > built,
        (Some(_), None) => false,
    };
    if !stale {
        return Ok(package);
    }
    match isc_package::build(root, &root.join("build")) {
        Ok((_, written)) => Ok(root.join("build").join(written.source_package)),
        Err(PackageError::Problems(problems)) => Err(report(&problems)),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "building the package failed: {e}");
            Err(Outcome::Problems)
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn newest_modification(dir: &Path) -> Option<SystemTime> {
    let mut newest = modified(dir);
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let t = if path.is_dir() {
            newest_modification(&path)
        } else {
            modified(&path)
        };
        newest = newest.max(t);
    }
    newest
}
