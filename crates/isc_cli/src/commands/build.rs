//! `isc build`: validates the sources and writes the package under build/.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use isc_package::PackageError;

use crate::Outcome;
use crate::commands::check::report;

/// Options of `isc build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Project root holding package/, data_stream/ and templates/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder (default: <root>/build).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs the build.
pub fn run(args: &BuildArgs) -> Outcome {
    let out = args.out.clone().unwrap_or_else(|| args.root.join("build"));
    match isc_package::build(&args.root, &out) {
        Ok((package, written)) => {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "built {} {}", package.name, package.version);
            for path in [
                &written.source_package,
                &written.built_package,
                &written.zip,
            ] {
                let _ = writeln!(stdout, "  {}", out.join(path).display());
            }
            Outcome::Ok
        }
        Err(PackageError::Problems(problems)) => report(&problems),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{e}");
            Outcome::Problems
        }
    }
}
