//! Builds and validates the Elastic integration package from its sources.
//!
//! [`check`] renders and validates the sources in memory; [`build`] does the
//! same and then writes, under the output folder:
//! - `integrations/<name>/`: the source package (elastic-package layout);
//! - `packages/<name>/<version>/`: the built package;
//! - `packages/<name>-<version>.zip`: the built package zipped.
//!
//! Nothing is written unless validation passes, and the output folder is left
//! as it was when writing fails.

mod archive;
mod assemble;
mod docs;
mod output;
mod problem;
mod render;
mod rules;
mod schema;
mod sources;
mod yaml_lines;

use std::path::Path;

pub use assemble::{AssembledPackage, assemble};
pub use output::{Written, write_package};
pub use problem::{PackageError, Problem};
pub use sources::FileMap;

/// Validates the project at `root` without writing anything.
pub fn check(root: &Path) -> Vec<Problem> {
    match assemble(root) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

/// Validates the project at `root` and writes the package under `out_dir`.
pub fn build(root: &Path, out_dir: &Path) -> Result<(AssembledPackage, Written), PackageError> {
    let package = assemble(root)?;
    let written = write_package(&package, out_dir)?;
    Ok((package, written))
}
