//! Reads the project's source folders into memory, sorted by path.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use walkdir::WalkDir;

use crate::problem::Problem;

/// Files under one folder: path relative to that folder (with `/`) → bytes.
pub type FileMap = BTreeMap<String, Vec<u8>>;

/// Reads every file under `root/dir` recursively (symbolic links followed).
/// Unreadable files and folders become problems naming them relative to
/// `root`.
pub fn read_tree(root: &Path, dir: &str, problems: &mut Vec<Problem>) -> FileMap {
    let mut files = FileMap::new();
    let base = root.join(dir);
    let relative = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
    for entry in WalkDir::new(&base).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map_or_else(|| base.clone(), Path::to_path_buf);
                let what = if e.depth() == 0 || path.is_dir() {
                    "cannot read folder"
                } else {
                    "cannot read"
                };
                // The I/O cause alone: walkdir's own text repeats the absolute path.
                let cause = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                problems.push(Problem::new(relative(&path), format!("{what}: {cause}")));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative(entry.path());
        let Some(key) = entry
            .path()
            .strip_prefix(&base)
            .ok()
            .and_then(Path::to_str)
            .map(|k| k.replace(std::path::MAIN_SEPARATOR, "/"))
        else {
            problems.push(Problem::new(rel, "file name is not UTF-8"));
            continue;
        };
        match fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(key, bytes);
            }
            Err(e) => problems.push(Problem::new(rel, format!("cannot read file: {e}"))),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_files_sorted() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("p/b")).expect("mkdir");
        fs::write(dir.path().join("p/b/z.txt"), "z").expect("write");
        fs::write(dir.path().join("p/a.txt"), "a").expect("write");
        let mut problems = Vec::new();
        let files = read_tree(dir.path(), "p", &mut problems);
        assert!(problems.is_empty());
        assert_eq!(files.keys().collect::<Vec<_>>(), ["a.txt", "b/z.txt"]);
    }

    #[test]
    fn missing_folder_is_a_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut problems = Vec::new();
        read_tree(dir.path(), "nope", &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .starts_with("nope: cannot read folder"),
            "{}",
            problems[0]
        );
    }
}
