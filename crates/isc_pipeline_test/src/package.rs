//! What the runner needs to know about a package in elastic-package source
//! layout: its manifest, its data streams and their manifests, and whether
//! the whole ECS schema takes part in field validation.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::case_config::Skip;
use crate::error::PipelineTestError;

/// A `format_version` (package-spec version) such as `3.3.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecVersion {
    /// Major number.
    pub major: u64,
    /// Minor number.
    pub minor: u64,
    /// Patch number.
    pub patch: u64,
}

impl SpecVersion {
    /// A version from its numbers.
    pub const fn new(major: u64, minor: u64, patch: u64) -> SpecVersion {
        SpecVersion {
            major,
            minor,
            patch,
        }
    }

    /// Parses `x.y.z` (a pre-release or build suffix is ignored).
    pub fn parse(text: &str) -> Option<SpecVersion> {
        let core = text.trim().trim_start_matches('v');
        let core = core.split(['-', '+']).next()?;
        let mut parts = core.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        Some(SpecVersion::new(major, minor, patch))
    }
}

/// The package-level facts the runner uses.
#[derive(Debug, Clone)]
pub struct PackageInfo {
    /// Package root folder.
    pub root: PathBuf,
    /// `name` from `manifest.yml`.
    pub name: String,
    /// `version` from `manifest.yml`, when present.
    pub version: Option<String>,
    /// `format_version` as written.
    pub format_version: String,
    /// `format_version` parsed.
    pub spec_version: SpecVersion,
    /// True when field validation includes the whole ECS schema, as
    /// elastic-package decides: the package declares an ECS dependency in
    /// `_dev/build/build.yml` and either imports ECS mappings (format 2.3+)
    /// or supports only stacks that ship `ecs@mappings` (8.13+).
    pub imports_all_ecs: bool,
    /// `pipeline.skip` of the package's `_dev/test/config.yml`: skips every
    /// case that does not configure its own skip.
    pub global_skip: Option<Skip>,
}

/// One data stream of the package.
#[derive(Debug, Clone)]
pub struct DataStreamInfo {
    /// Folder name under `data_stream/`.
    pub name: String,
    /// The data stream folder.
    pub dir: PathBuf,
    /// `type` from its manifest (`logs` when absent).
    pub stream_type: String,
    /// The dataset its documents must carry.
    pub dataset: String,
    /// Name (without extension) of the entry pipeline.
    pub entry_pipeline: String,
}

impl DataStreamInfo {
    /// Folder of the data stream's pipeline tests.
    pub fn test_folder(&self) -> PathBuf {
        self.dir.join("_dev").join("test").join("pipeline")
    }

    /// Folder of the data stream's ingest pipelines.
    pub fn pipeline_folder(&self) -> PathBuf {
        self.dir.join("elasticsearch").join("ingest_pipeline")
    }

    /// The index Elasticsearch's simulate API is given for test documents:
    /// `<type>-<package>.<data stream>-default`.
    pub fn simulate_index(&self, package: &str) -> String {
        format!("{}-{}.{}-default", self.stream_type, package, self.name)
    }
}

#[derive(Deserialize)]
struct RawPackageManifest {
    name: Option<String>,
    version: Option<String>,
    format_version: Option<String>,
    conditions: Option<RawConditions>,
}

#[derive(Deserialize)]
struct RawConditions {
    kibana: Option<RawKibana>,
    #[serde(rename = "kibana.version")]
    kibana_version: Option<String>,
}

#[derive(Deserialize)]
struct RawKibana {
    version: Option<String>,
}

#[derive(Deserialize)]
struct RawDataStreamManifest {
    #[serde(rename = "type")]
    stream_type: Option<String>,
    dataset: Option<String>,
    elasticsearch: Option<RawDsElasticsearch>,
}

#[derive(Deserialize)]
struct RawDsElasticsearch {
    ingest_pipeline: Option<RawIngestPipeline>,
}

#[derive(Deserialize)]
struct RawIngestPipeline {
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawBuildManifest {
    dependencies: Option<RawDependencies>,
}

#[derive(Deserialize)]
struct RawDependencies {
    ecs: Option<RawEcsDependency>,
}

#[derive(Deserialize)]
struct RawEcsDependency {
    reference: Option<String>,
    import_mappings: Option<bool>,
}

fn read_yaml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, PipelineTestError> {
    let text = std::fs::read_to_string(path).map_err(|e| PipelineTestError::io(path, e))?;
    serde_yaml::from_str(&text).map_err(|e| PipelineTestError::Manifest {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Reads the package at `root`.
pub fn read_package(root: &Path) -> Result<PackageInfo, PipelineTestError> {
    let manifest_path = root.join("manifest.yml");
    let manifest: RawPackageManifest = read_yaml(&manifest_path)?;
    let missing = |what: &str| PipelineTestError::Manifest {
        path: manifest_path.clone(),
        message: format!("missing `{what}`"),
    };
    let name = manifest.name.ok_or_else(|| missing("name"))?;
    let format_version = manifest
        .format_version
        .ok_or_else(|| missing("format_version"))?;
    let spec_version =
        SpecVersion::parse(&format_version).ok_or_else(|| PipelineTestError::Manifest {
            path: manifest_path.clone(),
            message: format!("invalid format_version {format_version:?}"),
        })?;
    let kibana = manifest.conditions.and_then(|c| {
        c.kibana_version
            .or_else(|| c.kibana.and_then(|k| k.version))
    });
    let build_path = root.join("_dev").join("build").join("build.yml");
    let ecs_dependency = if build_path.is_file() {
        let build: RawBuildManifest = read_yaml(&build_path)?;
        build
            .dependencies
            .and_then(|d| d.ecs)
            .filter(|e| e.reference.is_some())
    } else {
        None
    };
    let imports_all_ecs = match ecs_dependency {
        None => false,
        Some(ecs) => {
            let embeds =
                ecs.import_mappings.unwrap_or(false) && spec_version >= SpecVersion::new(2, 3, 0);
            embeds
                || kibana
                    .as_deref()
                    .is_some_and(all_stack_versions_have_ecs_mappings)
        }
    };
    Ok(PackageInfo {
        root: root.to_path_buf(),
        name,
        version: manifest.version,
        format_version,
        spec_version,
        imports_all_ecs,
        global_skip: read_global_skip(root)?,
    })
}

#[derive(Deserialize)]
struct RawGlobalTestConfig {
    pipeline: Option<RawGlobalRunnerConfig>,
    #[serde(rename = "pipeline.skip")]
    pipeline_skip: Option<Skip>,
}

#[derive(Deserialize)]
struct RawGlobalRunnerConfig {
    skip: Option<Skip>,
}

/// The `pipeline.skip` entry of `_dev/test/config.yml`, if any.
fn read_global_skip(root: &Path) -> Result<Option<Skip>, PipelineTestError> {
    let path = root.join("_dev").join("test").join("config.yml");
    if !path.is_file() {
        return Ok(None);
    }
    let config: Option<RawGlobalTestConfig> = read_yaml(&path)?;
    Ok(config.and_then(|c| c.pipeline.and_then(|p| p.skip).or(c.pipeline_skip)))
}

/// The one data stream `name` of the package, which must have pipeline
/// tests: [`PipelineTestError::UnknownDataStream`] otherwise.
pub fn data_stream(package: &PackageInfo, name: &str) -> Result<DataStreamInfo, PipelineTestError> {
    data_streams(package, &[name.to_owned()])?
        .into_iter()
        .next()
        .ok_or_else(|| PipelineTestError::UnknownDataStream {
            name: name.to_owned(),
            root: package.root.clone(),
        })
}

/// The package's data streams with pipeline tests, sorted by name, limited
/// to `only` when given.
pub fn data_streams(
    package: &PackageInfo,
    only: &[String],
) -> Result<Vec<DataStreamInfo>, PipelineTestError> {
    let ds_root = package.root.join("data_stream");
    let mut names = Vec::new();
    if ds_root.is_dir() {
        for entry in std::fs::read_dir(&ds_root).map_err(|e| PipelineTestError::io(&ds_root, e))? {
            let entry = entry.map_err(|e| PipelineTestError::io(&ds_root, e))?;
            if entry.path().is_dir() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    for wanted in only {
        if !names.contains(wanted) {
            return Err(PipelineTestError::UnknownDataStream {
                name: wanted.clone(),
                root: package.root.clone(),
            });
        }
    }
    let mut out = Vec::new();
    for name in names {
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        if !ds_root.join(&name).join("_dev/test/pipeline").is_dir() {
            continue;
        }
        out.push(read_data_stream(package, &name)?);
    }
    Ok(out)
}

/// The data stream `name` of the package from its manifest, whether it
/// has pipeline tests or not.
pub fn read_data_stream(
    package: &PackageInfo,
    name: &str,
) -> Result<DataStreamInfo, PipelineTestError> {
    let dir = package.root.join("data_stream").join(name);
    let manifest: RawDataStreamManifest = read_yaml(&dir.join("manifest.yml"))?;
    let dataset = manifest
        .dataset
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("{}.{}", package.name, name));
    let entry_pipeline = manifest
        .elasticsearch
        .and_then(|e| e.ingest_pipeline)
        .and_then(|p| p.name)
        .unwrap_or_else(|| "default".to_owned());
    Ok(DataStreamInfo {
        stream_type: manifest.stream_type.unwrap_or_else(|| "logs".to_owned()),
        dataset,
        entry_pipeline,
        name: name.to_owned(),
        dir,
    })
}

/// Stack releases without the `ecs@mappings` template (before 8.13.0),
/// back to 7.14.0, the first with Fleet in GA.
fn stack_versions_without_ecs_mappings() -> Vec<SpecVersion> {
    let mut v = Vec::new();
    for patch in 0..=24 {
        v.push(SpecVersion::new(7, 17, patch));
    }
    for (minor, last_patch) in [(14, 2), (15, 2), (16, 3)] {
        for patch in 0..=last_patch {
            v.push(SpecVersion::new(7, minor, patch));
        }
    }
    for (minor, last_patch) in [
        (0, 1),
        (1, 3),
        (2, 3),
        (3, 3),
        (4, 3),
        (5, 3),
        (6, 2),
        (7, 1),
        (8, 2),
        (9, 2),
        (10, 4),
        (11, 4),
        (12, 2),
    ] {
        for patch in 0..=last_patch {
            v.push(SpecVersion::new(8, minor, patch));
        }
    }
    v
}

/// True when no stack release before 8.13.0 satisfies the Kibana version
/// `constraint` (Masterminds semver syntax: `^8.13.0 || ^9.0.0`).
pub fn all_stack_versions_have_ecs_mappings(constraint: &str) -> bool {
    !stack_versions_without_ecs_mappings()
        .iter()
        .any(|v| satisfies(constraint, *v))
}

/// Whether `version` satisfies a semver constraint with `||` alternatives
/// of comparators (`^`, `~`, `>=`, `>`, `<=`, `<`, `=`, `!=`, plain).
pub fn satisfies(constraint: &str, version: SpecVersion) -> bool {
    constraint.split("||").any(|alternative| {
        let comparators: Vec<&str> = alternative
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .collect();
        !comparators.is_empty() && comparators.iter().all(|c| comparator_holds(c, version))
    })
}

fn comparator_holds(comparator: &str, v: SpecVersion) -> bool {
    let (op, rest) = ["^", "~", ">=", "<=", "!=", ">", "<", "="]
        .iter()
        .find_map(|op| comparator.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("=", comparator));
    let Some(base) = SpecVersion::parse(rest.trim()) else {
        return false;
    };
    match op {
        "^" => {
            let upper = if base.major > 0 {
                SpecVersion::new(base.major + 1, 0, 0)
            } else {
                SpecVersion::new(0, base.minor + 1, 0)
            };
            v >= base && v < upper
        }
        "~" => v >= base && v < SpecVersion::new(base.major, base.minor + 1, 0),
        ">=" => v >= base,
        "<=" => v <= base,
        ">" => v > base,
        "<" => v < base,
        "!=" => v != base,
        _ => v == base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        assert!(SpecVersion::parse("3.0.1").unwrap() > SpecVersion::new(3, 0, 0));
        assert_eq!(
            SpecVersion::parse("2.12.0-rc1"),
            Some(SpecVersion::new(2, 12, 0))
        );
        assert_eq!(SpecVersion::parse("x"), None);
    }

    #[test]
    fn ecs_mappings_need_every_supported_stack_at_8_13_or_later() {
        assert!(all_stack_versions_have_ecs_mappings("^8.13.0"));
        assert!(all_stack_versions_have_ecs_mappings("^8.13.0 || ^9.0.0"));
        assert!(!all_stack_versions_have_ecs_mappings("^8.12.0"));
        assert!(!all_stack_versions_have_ecs_mappings("^7.17.0 || ^8.13.0"));
    }
}
