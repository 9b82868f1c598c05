//! Reads the project's source folders into memory, sorted by path.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::problem::Problem;

/// Files under one folder: path relative to that folder (with `/`) → bytes.
pub type FileMap = BTreeMap<String, Vec<u8>>;

/// Reads every file under `root/dir` recursively. Unreadable files and
/// folders become problems naming them relative to `root`.
pub fn read_tree(root: &Path, dir: &str, problems: &mut Vec<Problem>) -> FileMap {
    let mut files = FileMap::new();
    walk(root, Path::new(dir), "", &mut files, problems);
    files
}

fn walk(
    root: &Path,
    rel_dir: &Path,
    prefix: &str,
    files: &mut FileMap,
    problems: &mut Vec<Problem>,
) {
    let entries = match fs::read_dir(root.join(rel_dir)) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Problem::new(rel_dir, format!("cannot read folder: {e}")));
            return;
        }
    };
    let mut names = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => names.push(entry.file_name()),
            Err(e) => problems.push(Problem::new(rel_dir, format!("cannot read folder: {e}"))),
        }
    }
    names.sort();
    for name in names {
        let Some(name_str) = name.to_str() else {
            problems.push(Problem::new(rel_dir.join(&name), "file name is not UTF-8"));
            continue;
        };
        let rel = rel_dir.join(name_str);
        let key = if prefix.is_empty() {
            name_str.to_string()
        } else {
            format!("{prefix}/{name_str}")
        };
        let path = root.join(&rel);
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                problems.push(Problem::new(&rel, format!("cannot read folder entry: {e}")));
                continue;
            }
        };
        if meta.is_dir() {
            walk(root, &rel, &key, files, problems);
        } else {
            match fs::read(&path) {
                Ok(bytes) => {
                    files.insert(key, bytes);
                }
                Err(e) => problems.push(Problem::new(&rel, format!("cannot read file: {e}"))),
            }
        }
    }
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
