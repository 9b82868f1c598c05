//! Writes the assembled package under the output folder (`build/`) so that
//! the folder changes only when everything was written: files go to a
//! staging folder inside it first and are then renamed into place; on any
//! failure the previous content is put back and created folders removed.

use std::fs;
use std::path::{Path, PathBuf};

use crate::assemble::AssembledPackage;
use crate::problem::PackageError;
use crate::sources::FileMap;

/// What a build wrote, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// `integrations/<name>`: the source package.
    pub source_package: PathBuf,
    /// `packages/<name>/<version>`: the built package.
    pub built_package: PathBuf,
    /// `packages/<name>-<version>.zip`.
    pub zip: PathBuf,
}

/// Writes `package` under `out_dir`, replacing previous outputs of the same
/// name and version.
pub fn write_package(package: &AssembledPackage, out_dir: &Path) -> Result<Written, PackageError> {
    let written = Written {
        source_package: Path::new("integrations").join(&package.name),
        built_package: Path::new("packages")
            .join(&package.name)
            .join(&package.version),
        zip: Path::new("packages").join(format!("{}-{}.zip", package.name, package.version)),
    };
    let mut created = Vec::new();
    let result = write_staged(package, out_dir, &written, &mut created);
    if result.is_err() {
        // Remove the folders this attempt created, deepest first.
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
    result.map(|()| written)
}

fn write_staged(
    package: &AssembledPackage,
    out_dir: &Path,
    written: &Written,
    created: &mut Vec<PathBuf>,
) -> Result<(), PackageError> {
    create_dirs(out_dir, created)?;
    let staging = out_dir.join(format!(".staging-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    fs::create_dir(&staging).map_err(io(&staging))?;
    let outcome = stage_and_swap(package, out_dir, &staging, written, created);
    let cleanup = fs::remove_dir_all(&staging).map_err(io(&staging));
    outcome.and(cleanup)
}

fn stage_and_swap(
    package: &AssembledPackage,
    out_dir: &Path,
    staging: &Path,
    written: &Written,
    created: &mut Vec<PathBuf>,
) -> Result<(), PackageError> {
    let new = staging.join("new");
    write_tree(&package.source, &new.join(&written.source_package))?;
    write_tree(&package.built, &new.join(&written.built_package))?;
    let zip_path = new.join(&written.zip);
    fs::write(&zip_path, &package.zip).map_err(io(&zip_path))?;

    let targets = [
        &written.source_package,
        &written.built_package,
        &written.zip,
    ];
    let old = staging.join("old");
    let mut moved: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let result = swap_in(out_dir, &new, &old, i, target, created);
        match result {
            Ok(entry) => moved.push(entry),
            Err(e) => {
                // Put back what was replaced so far.
                for (placed, previous) in moved.into_iter().rev() {
                    let _ = remove_any(&placed);
                    if let Some(previous) = previous {
                        let _ = fs::rename(previous, &placed);
                    }
                }
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Moves `target` from the staging tree into place; returns the placed path
/// and where its previous content was parked.
fn swap_in(
    out_dir: &Path,
    new: &Path,
    old: &Path,
    index: usize,
    target: &Path,
    created: &mut Vec<PathBuf>,
) -> Result<(PathBuf, Option<PathBuf>), PackageError> {
    let destination = out_dir.join(target);
    if let Some(parent) = destination.parent() {
        create_dirs(parent, created)?;
    }
    let previous = if destination.exists() {
        fs::create_dir_all(old).map_err(io(old))?;
        let parked = old.join(index.to_string());
        fs::rename(&destination, &parked).map_err(io(&destination))?;
        Some(parked)
    } else {
        None
    };
    if let Err(e) = fs::rename(new.join(target), &destination) {
        if let Some(parked) = &previous {
            let _ = fs::rename(parked, &destination);
        }
        return Err(PackageError::Write {
            path: destination,
            source: e,
        });
    }
    Ok((destination, previous))
}

fn write_tree(files: &FileMap, dir: &Path) -> Result<(), PackageError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    for (key, bytes) in files {
        let path = dir.join(key);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fs::write(&path, bytes).map_err(io(&path))?;
    }
    Ok(())
}

/// Creates `dir` and missing parents, remembering which ones it created.
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), PackageError> {
    let mut missing = Vec::new();
    let mut current = Some(dir);
    while let Some(d) = current {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        current = d.parent();
    }
    for d in missing.into_iter().rev() {
        fs::create_dir(&d).map_err(io(&d))?;
        created.push(d);
    }
    Ok(())
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> PackageError + '_ {
    move |source| PackageError::Write {
        path: path.to_path_buf(),
        source,
    }
}
