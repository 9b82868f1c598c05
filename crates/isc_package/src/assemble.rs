//! Turns the project's sources into the package, in memory: renders the
//! templates, derives what is derived, validates everything, and lays out
//! the source package, the built package and its zip.
//!
//! Source layout (relative to the project root):
//! - `package/`: package-level files; `manifest.yml.j2` and
//!   `_dev/build/docs/README.md.j2` are templates, `changelog.yml` is plain.
//! - `data_stream/<name>/`: one folder per data stream.
//! - `templates/`: shared templates; `base-fields.yml.j2` is rendered into
//!   every data stream as `fields/base-fields.yml`.
//!
//! Files ending in `.j2` are rendered (the suffix is dropped); others are
//! copied as they are. Templates also see the rendered manifests
//! (`package.manifest`, `data_stream.manifest`). A data stream's
//! `_build/*.yml` files are build
//! inputs, never copied: each is parsed and given to templates as
//! `data_stream.build.<file stem>` (and to the docs as
//! `data_streams[i].build.<file stem>`), so that data (such as a mapping
//! table) can drive the rendering of several files. `files` lists a data
//! stream's source files (relative to its folder, `_build/` left out), so
//! that a package-level template can include them
//! (`{% include "data_stream/<name>/<file>" %}`).
//!
//! Package-level `elasticsearch/transform/<name>/` folders are transforms:
//! `transform.yml` and `manifest.yml` are checked against their schemas,
//! `fields/*.yml` (the destination index mappings) like a data stream's
//! fields, `external: ecs` entries resolved in the built package as
//! elastic-package does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use isc_fields::{ECS_VERSION, EcsReference, FieldSet, resolve_external_fields};
use minijinja::Value as Context;
use serde_json::{Value, json};

use crate::archive::zip_tree;
use crate::docs::{DocsSource, render_readme};
use crate::problem::Problem;
use crate::render::Renderer;
use crate::rules;
use crate::schema::{SchemaKind, check_yaml, parse_yaml};
use crate::sources::{FileMap, read_tree};

/// The package, assembled and validated in memory.
#[derive(Debug, Clone)]
pub struct AssembledPackage {
    /// Package name from the manifest.
    pub name: String,
    /// Package version (newest changelog entry).
    pub version: String,
    /// The source package (elastic-package layout, `_dev` included).
    pub source: FileMap,
    /// The built package (`_dev` left out, docs rendered, external fields resolved).
    pub built: FileMap,
    /// The zip of the built package, under `<name>-<version>/`.
    pub zip: Vec<u8>,
    /// Each data stream's leaf fields (generated base fields included,
    /// `external: ecs` entries resolved), keyed by data stream name.
    pub fields: BTreeMap<String, FieldSet>,
    /// Each transform's destination index fields (`external: ecs` entries
    /// resolved), keyed by transform folder name.
    pub transform_fields: BTreeMap<String, FieldSet>,
}

const TEMPLATE_SUFFIX: &str = ".j2";
/// Folder of a data stream holding build inputs (YAML data for templates).
const BUILD_DATA_DIR: &str = "_build/";
const BASE_FIELDS_TEMPLATE: &str = "base-fields.yml.j2";
/// Folder of the package's transforms, one sub-folder per transform.
const TRANSFORM_DIR: &str = "elasticsearch/transform/";

/// Whether `key` (a path in the package) is a fields file: directly in the
/// `fields/` folder of a data stream or of a transform.
fn is_fields_file(key: &str) -> bool {
    let parts: Vec<&str> = key.split('/').collect();
    let fields_folder = matches!(
        parts.as_slice(),
        ["data_stream", _, "fields", _] | ["elasticsearch", "transform", _, "fields", _]
    );
    fields_folder && key.ends_with(".yml")
}

/// Assembles the package from the project at `root`; all problems found are
/// returned together.
pub fn assemble(root: &Path) -> Result<AssembledPackage, Vec<Problem>> {
    let mut a = Assembler::new(root);
    let result = a.run();
    match result {
        Some(package) if a.problems.is_empty() => Ok(package),
        _ => {
            let mut problems = a.problems;
            problems.sort();
            problems.dedup();
            Err(problems)
        }
    }
}

struct DataStream {
    name: String,
    dataset: String,
    title: String,
    stream_type: String,
    manifest: Value,
}

struct Assembler {
    root: PathBuf,
    renderer: Renderer,
    problems: Vec<Problem>,
    /// Output path in the source package → source path (for messages).
    origin: BTreeMap<String, PathBuf>,
    tree: FileMap,
}

impl Assembler {
    fn new(root: &Path) -> Self {
        Assembler {
            root: root.to_path_buf(),
            renderer: Renderer::new(root),
            problems: Vec::new(),
            origin: BTreeMap::new(),
            tree: FileMap::new(),
        }
    }

    fn run(&mut self) -> Option<AssembledPackage> {
        let package_files = read_tree(&self.root, "package", &mut self.problems);
        let ds_files = read_tree(&self.root, "data_stream", &mut self.problems);
        let mut by_stream: BTreeMap<String, FileMap> = BTreeMap::new();
        for (key, bytes) in ds_files {
            match key.split_once('/') {
                Some((ds, rest)) => {
                    by_stream
                        .entry(ds.to_string())
                        .or_default()
                        .insert(rest.to_string(), bytes);
                }
                None => self.problems.push(Problem::new(
                    Path::new("data_stream").join(&key),
                    "only data stream folders belong in data_stream/",
                )),
            }
        }

        // Changelog first: the package version is its newest entry.
        let changelog_path = PathBuf::from("package/changelog.yml");
        let changelog_text =
            self.required_text(&package_files, "changelog.yml", &changelog_path)?;
        let changelog = check_yaml(
            SchemaKind::Changelog,
            &changelog_path,
            &changelog_text,
            &mut self.problems,
        )?;
        let version = changelog
            .pointer("/0/version")
            .and_then(Value::as_str)?
            .to_string();
        self.add(
            "changelog.yml",
            changelog_text.into_bytes(),
            &changelog_path,
        );

        // Package manifest, rendered with the version.
        let (manifest_key, manifest_path) =
            self.source_name(&package_files, "manifest.yml", "package")?;
        let base_context = json!({"version": version, "ecs_version": ECS_VERSION});
        let manifest_text =
            self.render_text(&package_files, &manifest_key, &manifest_path, &base_context)?;
        let manifest = check_yaml(
            SchemaKind::PackageManifest,
            &manifest_path,
            &manifest_text,
            &mut self.problems,
        )?;
        let name = manifest.get("name").and_then(Value::as_str)?.to_string();
        let title = manifest
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let format_version = manifest
            .get("format_version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        rules::check_format_version(
            &manifest_path,
            &manifest_text,
            &format_version,
            &mut self.problems,
        );
        if let Some(v) = manifest.get("version").and_then(Value::as_str) {
            rules::check_version_matches_changelog(
                &manifest_path,
                &manifest_text,
                v,
                &version,
                &mut self.problems,
            );
        }
        self.add("manifest.yml", manifest_text.into_bytes(), &manifest_path);
        let package_context = json!({
            "name": name, "title": title, "version": version, "format_version": format_version,
            "manifest": manifest,
        });

        // Data stream manifests.
        let mut streams = Vec::new();
        for (ds, files) in &by_stream {
            rules::check_data_stream_name(ds, &mut self.problems);
            let dir = format!("data_stream/{ds}");
            let Some((key, path)) = self.source_name(files, "manifest.yml", &dir) else {
                continue;
            };
            let dataset = format!("{name}.{ds}");
            let context = json!({
                "version": version, "ecs_version": ECS_VERSION, "package": package_context,
                "data_stream": {"name": ds, "dataset": dataset},
            });
            let Some(text) = self.render_text(files, &key, &path, &context) else {
                continue;
            };
            let Some(manifest) = check_yaml(
                SchemaKind::DataStreamManifest,
                &path,
                &text,
                &mut self.problems,
            ) else {
                continue;
            };
            self.add(&format!("{dir}/manifest.yml"), text.into_bytes(), &path);
            let field = |k: &str| {
                manifest
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            streams.push(DataStream {
                name: ds.clone(),
                dataset: manifest
                    .get("dataset")
                    .and_then(Value::as_str)
                    .map_or(dataset, str::to_string),
                title: field("title"),
                stream_type: field("type"),
                manifest: manifest.clone(),
            });
        }

        let streams_context: Vec<Value> = streams
            .iter()
            .map(|s| {
                let build = self.build_data(&by_stream[&s.name], &s.name);
                let files: Vec<&String> = by_stream[&s.name]
                    .keys()
                    .filter(|k| !k.starts_with(BUILD_DATA_DIR))
                    .collect();
                json!({"name": s.name, "dataset": s.dataset, "title": s.title, "type": s.stream_type, "build": build, "manifest": s.manifest, "files": files})
            })
            .collect();
        let full_context = |ds: Option<&Value>| {
            json!({
                "version": version, "ecs_version": ECS_VERSION, "package": package_context,
                "data_streams": streams_context, "data_stream": ds.cloned().unwrap_or(Value::Null),
            })
        };

        // Every other package-level file.
        let package_context_full = full_context(None);
        for key in package_files.keys() {
            if key == "changelog.yml" || key == &manifest_key {
                continue;
            }
            let path = Path::new("package").join(key);
            self.render_into(&package_files, key, &path, key, &package_context_full);
        }

        // Every other data stream file, plus the derived base fields.
        // The base fields template is read once and rendered per data stream.
        let base_fields_path = PathBuf::from("templates").join(BASE_FIELDS_TEMPLATE);
        let base_fields_file = self.root.join(&base_fields_path);
        let base_fields_source = if base_fields_file.is_file() {
            match std::fs::read_to_string(&base_fields_file) {
                Ok(source) => Some(source),
                Err(e) => {
                    self.problems.push(Problem::new(
                        &base_fields_path,
                        format!("cannot read file: {e}"),
                    ));
                    None
                }
            }
        } else {
            None
        };
        for (stream, ds_context) in streams.iter().zip(&streams_context) {
            let files = &by_stream[&stream.name];
            let context = full_context(Some(ds_context));
            for key in files.keys() {
                if key.trim_end_matches(TEMPLATE_SUFFIX) == "manifest.yml"
                    || key.starts_with(BUILD_DATA_DIR)
                {
                    continue;
                }
                let path = Path::new("data_stream").join(&stream.name).join(key);
                let out = format!("data_stream/{}/{key}", stream.name);
                self.render_into(files, key, &path, &out, &context);
            }
            if let Some(source) = &base_fields_source {
                let out = format!("data_stream/{}/fields/base-fields.yml", stream.name);
                let path = &base_fields_path;
                if self.tree.contains_key(&out) {
                    self.problems.push(Problem::new(
                        Path::new("data_stream")
                            .join(&stream.name)
                            .join("fields/base-fields.yml"),
                        format!(
                            "fields/base-fields.yml is generated from {}; remove this file",
                            path.display()
                        ),
                    ));
                    continue;
                }
                match self
                    .renderer
                    .render(path, source, &Context::from_serialize(&context))
                {
                    Ok(text) => self.add(&out, text.into_bytes(), path),
                    Err(problem) => self.problems.push(problem),
                }
            }
        }

        // Validation of the rendered files.
        let ecs = EcsReference::embedded();
        let mut field_sets = BTreeMap::new();
        let mut uses_external = false;
        for stream in &streams {
            let prefix = format!("data_stream/{}/fields/", stream.name);
            let dir = Path::new("data_stream").join(&stream.name).join("fields");
            if let Some(set) = self.load_fields(&prefix, &dir, ecs, &mut uses_external) {
                field_sets.insert(stream.name.clone(), set);
            }
        }
        let transform_fields = self.check_transforms(ecs, &mut uses_external);
        self.check_streams(&streams, &manifest);
        self.check_pipelines(&streams, &field_sets);
        self.check_icons(&manifest, &manifest_path);

        if uses_external && !self.tree.contains_key("_dev/build/build.yml") {
            let text = format!("dependencies:\n  ecs:\n    reference: git@v{ECS_VERSION}\n");
            self.add(
                "_dev/build/build.yml",
                text.into_bytes(),
                Path::new("package/_dev/build/build.yml"),
            );
        }
        if let Some(text) = self.tree_text("_dev/build/build.yml") {
            let path = self.origin_of("_dev/build/build.yml");
            check_yaml(SchemaKind::BuildManifest, &path, &text, &mut self.problems);
        }

        // Docs.
        let mut samples = BTreeMap::new();
        for stream in &streams {
            let key = format!("data_stream/{}/sample_event.json", stream.name);
            if let Some(text) = self.tree_text(&key) {
                if let Err(e) = serde_json::from_str::<Value>(&text) {
                    let path = self.origin_of(&key);
                    self.problems.push(Problem::at(
                        path,
                        Some(e.line()),
                        format!("invalid JSON: {e}"),
                    ));
                }
                samples.insert(stream.name.clone(), text);
            }
        }
        let readme_key = "_dev/build/docs/README.md";
        match self.tree_text(readme_key) {
            Some(text) => {
                let docs = Docs {
                    samples: &samples,
                    fields: &field_sets,
                    streams: &streams,
                };
                match render_readme(&text, &docs) {
                    Ok(rendered) => {
                        let origin = self.origin_of(readme_key);
                        self.add("docs/README.md", rendered.into_bytes(), &origin);
                    }
                    Err(errors) => {
                        let path = self.origin_of(readme_key);
                        for e in errors {
                            self.problems
                                .push(Problem::at(&path, Some(e.line), e.message));
                        }
                    }
                }
            }
            None => self.problems.push(Problem::new(
                "package/_dev/build/docs/README.md.j2",
                "the docs source README is missing",
            )),
        }

        if !self.problems.is_empty() {
            return None;
        }

        // The built package.
        let mut built = FileMap::new();
        for (key, bytes) in &self.tree {
            if key.split('/').any(|part| part == "_dev") {
                continue;
            }
            let is_fields = is_fields_file(key);
            if is_fields {
                let origin = self.origin_of(key);
                let text = String::from_utf8_lossy(bytes);
                match resolve_external_fields(&text, &origin, ecs) {
                    Ok(resolved) => {
                        built.insert(key.clone(), resolved.into_bytes());
                    }
                    Err(errors) => self
                        .problems
                        .extend(errors.0.into_iter().map(Problem::from)),
                }
            } else {
                built.insert(key.clone(), bytes.clone());
            }
        }
        let top = format!("{name}-{version}");
        let zip = match zip_tree(&built, &top) {
            Ok(zip) => zip,
            Err(e) => {
                self.problems.push(Problem::new(
                    format!("build/packages/{top}.zip"),
                    e.to_string(),
                ));
                return None;
            }
        };
        Some(AssembledPackage {
            name,
            version,
            source: std::mem::take(&mut self.tree),
            built,
            zip,
            fields: field_sets,
            transform_fields,
        })
    }

    /// Loads the `*.yml` files directly under `prefix` (a folder of the
    /// package, `dir` its source path for messages) as one field set, after
    /// checking each against the fields schema.
    fn load_fields(
        &mut self,
        prefix: &str,
        dir: &Path,
        ecs: &EcsReference,
        uses_external: &mut bool,
    ) -> Option<FieldSet> {
        let texts: Vec<(PathBuf, String)> = self
            .tree
            .iter()
            .filter(|(k, _)| {
                k.starts_with(prefix) && k.ends_with(".yml") && !k[prefix.len()..].contains('/')
            })
            .filter_map(|(k, v)| {
                Some((
                    self.origin.get(k)?.clone(),
                    String::from_utf8(v.clone()).ok()?,
                ))
            })
            .collect();
        if texts.is_empty() {
            self.problems.push(Problem::new(
                dir,
                "at least one fields/*.yml file is needed here",
            ));
            return None;
        }
        let mut schema_ok = true;
        for (path, text) in &texts {
            let before = self.problems.len();
            check_yaml(SchemaKind::Fields, path, text, &mut self.problems);
            schema_ok &= self.problems.len() == before;
            *uses_external |= text.contains("external:");
        }
        if !schema_ok {
            return None;
        }
        let refs: Vec<(&Path, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_path(), t.as_str()))
            .collect();
        match FieldSet::from_texts(&refs, ecs) {
            Ok(set) => Some(set),
            Err(errors) => {
                self.problems
                    .extend(errors.0.into_iter().map(Problem::from));
                None
            }
        }
    }

    /// The package's transforms (`elasticsearch/transform/<name>/`): folder
    /// names, the files each may hold, `transform.yml` and `manifest.yml`
    /// against their schemas, a destination outside the source, the
    /// destination index fields, and the fields the transform reads or
    /// writes being defined there. Returns each
    /// transform's fields.
    fn check_transforms(
        &mut self,
        ecs: &EcsReference,
        uses_external: &mut bool,
    ) -> BTreeMap<String, FieldSet> {
        let mut names: Vec<String> = Vec::new();
        let keys: Vec<String> = self
            .tree
            .keys()
            .filter(|k| k.starts_with(TRANSFORM_DIR))
            .cloned()
            .collect();
        for key in &keys {
            let rest = &key[TRANSFORM_DIR.len()..];
            let Some((name, file)) = rest.split_once('/') else {
                self.problems.push(Problem::new(
                    self.origin_of(key),
                    "only transform folders belong in elasticsearch/transform/",
                ));
                continue;
            };
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
            let allowed = file == "transform.yml"
                || file == "manifest.yml"
                || file
                    .strip_prefix("fields/")
                    .is_some_and(|f| f.ends_with(".yml") && !f.contains('/'));
            if !allowed {
                self.problems.push(Problem::new(
                    self.origin_of(key),
                    "a transform folder holds only transform.yml, manifest.yml and fields/*.yml",
                ));
            }
        }
        let mut sets = BTreeMap::new();
        for name in names {
            let dir = format!("{TRANSFORM_DIR}{name}/");
            let source_dir = self.transform_source_dir(&dir);
            rules::check_transform_name(&name, &source_dir, &mut self.problems);
            let transform_key = format!("{dir}transform.yml");
            let transform = match self.tree_text(&transform_key) {
                Some(text) => {
                    let path = self.origin_of(&transform_key);
                    let before = self.problems.len();
                    check_yaml(SchemaKind::Transform, &path, &text, &mut self.problems)
                        .filter(|_| self.problems.len() == before)
                        .map(|value| (path, text, value))
                }
                None => {
                    self.problems.push(Problem::new(
                        self.transform_source_dir(&dir).join("transform.yml"),
                        "a transform folder needs a transform.yml",
                    ));
                    None
                }
            };
            let manifest_key = format!("{dir}manifest.yml");
            if let Some(text) = self.tree_text(&manifest_key) {
                let path = self.origin_of(&manifest_key);
                check_yaml(
                    SchemaKind::TransformManifest,
                    &path,
                    &text,
                    &mut self.problems,
                );
            }
            let fields_dir = self.transform_source_dir(&dir).join("fields");
            let fields =
                self.load_fields(&format!("{dir}fields/"), &fields_dir, ecs, uses_external);
            if let Some((path, text, value)) = &transform {
                rules::check_transform_indices(path, text, value, &mut self.problems);
            }
            if let (Some((path, text, value)), Some(fields)) = (&transform, &fields) {
                rules::check_transform_fields(
                    path,
                    text,
                    value,
                    fields,
                    &fields_dir.to_string_lossy(),
                    &mut self.problems,
                );
            }
            if let Some(fields) = fields {
                sets.insert(name, fields);
            }
        }
        sets
    }

    /// The source folder of a transform folder of the package (`dir` ends
    /// with `/`): the folder of any of its files' sources.
    fn transform_source_dir(&self, dir: &str) -> PathBuf {
        let depth = dir.trim_end_matches('/').split('/').count();
        self.tree
            .range(dir.to_string()..)
            .take_while(|(k, _)| k.starts_with(dir))
            .find_map(|(k, _)| {
                let origin = self.origin.get(k)?;
                let below = k.split('/').count() - depth;
                let mut folder = origin.clone();
                for _ in 0..below {
                    folder.pop();
                }
                Some(folder)
            })
            .unwrap_or_else(|| Path::new("package").join(dir.trim_end_matches('/')))
    }

    /// Streams: template files exist and inputs are offered by the package.
    fn check_streams(&mut self, streams: &[DataStream], manifest: &Value) {
        let inputs: Vec<&str> = manifest
            .get("policy_templates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|pt| {
                pt.get("inputs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
            })
            .filter_map(|i| i.get("type").and_then(Value::as_str))
            .collect();
        for stream in streams {
            let manifest_key = format!("data_stream/{}/manifest.yml", stream.name);
            let path = self.origin_of(&manifest_key);
            let text = self.tree_text(&manifest_key).unwrap_or_default();
            let list = stream
                .manifest
                .get("streams")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (i, s) in list.iter().enumerate() {
                let template = s
                    .get("template_path")
                    .and_then(Value::as_str)
                    .unwrap_or("stream.yml.hbs");
                let key = format!("data_stream/{}/agent/stream/{template}", stream.name);
                if !self.tree.contains_key(&key) {
                    self.problems.push(Problem::at(
                        &path,
                        crate::yaml_lines::line_of_pointer(
                            &text,
                            &format!("/streams/{i}/template_path"),
                        ),
                        format!("stream template agent/stream/{template} does not exist"),
                    ));
                }
                if let Some(input) = s.get("input").and_then(Value::as_str) {
                    if !inputs.contains(&input) {
                        self.problems.push(Problem::at(
                            &path,
                            crate::yaml_lines::line_of_pointer(&text, &format!("/streams/{i}/input")),
                            format!("input {input:?} is not offered by any policy template of the package"),
                        ));
                    }
                }
            }
        }
    }

    fn check_pipelines(&mut self, streams: &[DataStream], field_sets: &BTreeMap<String, FieldSet>) {
        for stream in streams {
            let prefix = format!("data_stream/{}/elasticsearch/ingest_pipeline/", stream.name);
            let keys: Vec<String> = self
                .tree
                .keys()
                .filter(|k| k.starts_with(&prefix) && k.ends_with(".yml"))
                .cloned()
                .collect();
            for key in keys {
                let path = self.origin_of(&key);
                let Some(text) = self.tree_text(&key) else {
                    continue;
                };
                let before = self.problems.len();
                let Some(pipeline) =
                    check_yaml(SchemaKind::IngestPipeline, &path, &text, &mut self.problems)
                else {
                    continue;
                };
                if self.problems.len() != before {
                    continue;
                }
                rules::check_processor_tags(&path, &text, &pipeline, &mut self.problems);
                if let Some(fields) = field_sets.get(&stream.name) {
                    let dir = format!("data_stream/{}/fields", stream.name);
                    rules::check_pipeline_fields(
                        &path,
                        &text,
                        &pipeline,
                        fields,
                        &dir,
                        &mut self.problems,
                    );
                }
            }
        }
    }

    fn check_icons(&mut self, manifest: &Value, manifest_path: &Path) {
        let text = self.tree_text("manifest.yml").unwrap_or_default();
        let icons = manifest
            .get("icons")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, icon) in icons.iter().enumerate() {
            let Some(src) = icon.get("src").and_then(Value::as_str) else {
                continue;
            };
            if !self.tree.contains_key(src.trim_start_matches('/')) {
                self.problems.push(Problem::at(
                    manifest_path,
                    crate::yaml_lines::line_of_pointer(&text, &format!("/icons/{i}/src")),
                    format!("icon {src} does not exist in package/"),
                ));
            }
        }
    }

    /// The data stream's `_build/*.yml` files, parsed, keyed by file stem.
    fn build_data(&mut self, files: &FileMap, stream: &str) -> Value {
        let mut data = serde_json::Map::new();
        for (key, bytes) in files {
            let Some(name) = key.strip_prefix(BUILD_DATA_DIR) else {
                continue;
            };
            let path = Path::new("data_stream").join(stream).join(key);
            let stem = match name.strip_suffix(".yml") {
                Some(stem) if !stem.contains('/') => stem,
                _ => {
                    self.problems.push(Problem::new(
                        &path,
                        "only .yml files belong in a data stream's _build/ folder",
                    ));
                    continue;
                }
            };
            let Some(text) = self.utf8(bytes, &path) else {
                continue;
            };
            match parse_yaml(&path, &text) {
                Ok(value) => {
                    data.insert(stem.to_string(), value);
                }
                Err(problem) => self.problems.push(problem),
            }
        }
        Value::Object(data)
    }

    fn add(&mut self, key: &str, bytes: Vec<u8>, origin: &Path) {
        self.tree.insert(key.to_string(), bytes);
        self.origin.insert(key.to_string(), origin.to_path_buf());
    }

    fn origin_of(&self, key: &str) -> PathBuf {
        self.origin
            .get(key)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(key))
    }

    fn tree_text(&self, key: &str) -> Option<String> {
        self.tree
            .get(key)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The key of `name` or `name.j2` in `files`, with its source path.
    fn source_name(&mut self, files: &FileMap, name: &str, dir: &str) -> Option<(String, PathBuf)> {
        let template = format!("{name}{TEMPLATE_SUFFIX}");
        match (files.contains_key(name), files.contains_key(&template)) {
            (true, true) => {
                self.problems.push(Problem::new(
                    Path::new(dir).join(name),
                    format!("both {name} and {template} exist; keep one"),
                ));
                None
            }
            (true, false) => Some((name.to_string(), Path::new(dir).join(name))),
            (false, true) => Some((template.clone(), Path::new(dir).join(template))),
            (false, false) => {
                self.problems
                    .push(Problem::new(Path::new(dir).join(name), "file is missing"));
                None
            }
        }
    }

    fn required_text(&mut self, files: &FileMap, key: &str, path: &Path) -> Option<String> {
        let Some(bytes) = files.get(key) else {
            self.problems.push(Problem::new(path, "file is missing"));
            return None;
        };
        self.utf8(bytes, path)
    }

    fn utf8(&mut self, bytes: &[u8], path: &Path) -> Option<String> {
        match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Some(text),
            Err(e) => {
                self.problems
                    .push(Problem::new(path, format!("not UTF-8 text: {e}")));
                None
            }
        }
    }

    fn render_text(
        &mut self,
        files: &FileMap,
        key: &str,
        path: &Path,
        context: &Value,
    ) -> Option<String> {
        let text = self.utf8(files.get(key)?, path)?;
        if !key.ends_with(TEMPLATE_SUFFIX) {
            return Some(text);
        }
        match self
            .renderer
            .render(path, &text, &Context::from_serialize(context))
        {
            Ok(out) => Some(out),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    fn render_into(&mut self, files: &FileMap, key: &str, path: &Path, out: &str, context: &Value) {
        let out = out.strip_suffix(TEMPLATE_SUFFIX).unwrap_or(out).to_string();
        if self.tree.contains_key(&out) {
            self.problems.push(Problem::new(
                path,
                format!("produces {out}, which another source also produces"),
            ));
            return;
        }
        if key.ends_with(TEMPLATE_SUFFIX) {
            if let Some(text) = self.render_text(files, key, path, context) {
                self.add(&out, text.into_bytes(), path);
            }
        } else if let Some(bytes) = files.get(key) {
            self.add(&out, bytes.clone(), path);
        }
    }
}

struct Docs<'a> {
    samples: &'a BTreeMap<String, String>,
    fields: &'a BTreeMap<String, FieldSet>,
    streams: &'a [DataStream],
}

impl DocsSource for Docs<'_> {
    fn sample_event(&self, data_stream: &str) -> Option<&str> {
        self.samples.get(data_stream).map(String::as_str)
    }

    fn fields(&self, data_stream: &str) -> Option<&FieldSet> {
        self.fields.get(data_stream)
    }

    fn has_data_stream(&self, data_stream: &str) -> bool {
        self.streams.iter().any(|s| s.name == data_stream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_files_are_those_directly_in_a_data_stream_or_transform_fields_folder() {
        assert!(is_fields_file("data_stream/a/fields/ecs.yml"));
        assert!(is_fields_file(
            "elasticsearch/transform/latest_a/fields/fields.yml"
        ));
        assert!(!is_fields_file("data_stream/a/fields/sub/x.yml"));
        assert!(!is_fields_file(
            "elasticsearch/transform/latest_a/transform.yml"
        ));
        assert!(!is_fields_file("data_stream/a/fields/notes.txt"));
    }
}
