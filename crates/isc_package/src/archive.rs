//! A deterministic zip of a file tree: entries sorted, fixed timestamps
//! (1980-01-01 00:00:00, the zip epoch) and fixed permissions.

use std::collections::BTreeSet;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::sources::FileMap;

/// Zips `files` under the folder `top/`: directories 0755, files 0644, deflated.
pub fn zip_tree(files: &FileMap, top: &str) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    let dir_options = base.unix_permissions(0o755);
    let file_options = base.unix_permissions(0o644);

    let mut dirs = BTreeSet::new();
    dirs.insert(format!("{top}/"));
    for path in files.keys() {
        let mut prefix = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            prefix.push_str(part);
            prefix.push('/');
            dirs.insert(format!("{top}/{prefix}"));
        }
    }
    // Each directory entry precedes the files and folders it contains.
    let mut entries: Vec<(String, Option<&Vec<u8>>)> =
        dirs.into_iter().map(|d| (d, None)).collect();
    entries.extend(files.iter().map(|(p, b)| (format!("{top}/{p}"), Some(b))));
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, content) in entries {
        match content {
            None => writer.add_directory(name, dir_options)?,
            Some(bytes) => {
                writer.start_file(name, file_options)?;
                writer.write_all(bytes)?;
            }
        }
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn sample() -> FileMap {
        FileMap::from([
            ("manifest.yml".to_string(), b"name: x\n".to_vec()),
            (
                "data_stream/a/fields/f.yml".to_string(),
                b"- name: a\n".to_vec(),
            ),
        ])
    }

    #[test]
    fn same_tree_gives_identical_bytes() {
        assert_eq!(
            zip_tree(&sample(), "x-1.0.0").expect("zip"),
            zip_tree(&sample(), "x-1.0.0").expect("zip")
        );
    }

    #[test]
    fn entries_are_under_the_top_folder_with_fixed_metadata() {
        let bytes = zip_tree(&sample(), "x-1.0.0").expect("zip");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("read");
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).expect("entry").name().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "x-1.0.0/",
                "x-1.0.0/data_stream/",
                "x-1.0.0/data_stream/a/",
                "x-1.0.0/data_stream/a/fields/",
                "x-1.0.0/data_stream/a/fields/f.yml",
                "x-1.0.0/manifest.yml"
            ]
        );
        let mut file = archive.by_name("x-1.0.0/manifest.yml").expect("file");
        assert_eq!(file.unix_mode().map(|m| m & 0o777), Some(0o644));
        let mut text = String::new();
        file.read_to_string(&mut text).expect("read");
        assert_eq!(text, "name: x\n");
    }
}
