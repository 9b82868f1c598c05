//! Builds the real project sources into temporary folders: snapshots of the
//! result, determinism, and one broken-input case per validation rule (each
//! must report its message and leave the output folder untouched).

use std::fs;
use std::path::{Path, PathBuf};

use isc_package::{PackageError, build, check};

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copies the project's sources into a fresh temporary folder.
fn copy_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["package", "data_stream", "templates"] {
        copy_dir(&project_root().join(sub), &dir.path().join(sub));
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    let mut entries: Vec<_> = fs::read_dir(from)
        .expect("read_dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, sorted.
fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        let rel = path
            .strip_prefix(base)
            .expect("prefix")
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            out.push((format!("{rel}/"), Vec::new()));
            walk(base, &path, out);
        } else {
            out.push((rel, fs::read(&path).expect("read")));
        }
    }
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Builds `project` into an output folder holding an earlier file, expects
/// failure with a problem containing `expected`, and checks the output
/// folder did not change.
fn assert_build_fails(project: &Path, expected: &str) -> String {
    let out = project.join("build");
    fs::create_dir_all(out.join("packages")).expect("mkdir");
    fs::write(out.join("packages/earlier.txt"), "keep me").expect("write");
    let before = snapshot_dir(&out);
    let result = build(project, &out);
    let problems = match result {
        Err(PackageError::Problems(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    };
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let found = lines.iter().find(|l| l.contains(expected)).cloned();
    assert!(
        found.is_some(),
        "no problem contains {expected:?}: {lines:#?}"
    );
    assert_eq!(snapshot_dir(&out), before, "build/ changed");
    assert_eq!(
        check(project).len(),
        problems.len(),
        "check and build disagree"
    );
    found.unwrap_or_default()
}

#[test]
fn real_sources_build_into_the_three_outputs() {
    let out = tempfile::tempdir().expect("tempdir");
    let (package, written) = build(&project_root(), out.path()).expect("build succeeds");
    assert_eq!(package.name, "sailpoint_identity_sc");
    let fields = &package.fields["events"];
    assert_eq!(
        fields
            .get("data_stream.dataset")
            .map(|f| f.field_type.as_str()),
        Some("constant_keyword")
    );
    assert_eq!(
        fields.get("event.dataset").and_then(|f| f.value.as_deref()),
        Some("sailpoint_identity_sc.events")
    );
    assert!(
        out.path()
            .join(&written.source_package)
            .join("_dev/build/docs/README.md")
            .is_file()
    );
    assert!(
        out.path()
            .join(&written.built_package)
            .join("docs/README.md")
            .is_file()
    );
    assert!(out.path().join(&written.zip).is_file());
    assert!(
        !out.path()
            .join(&written.built_package)
            .join("_dev")
            .exists()
    );
    let leftovers: Vec<_> = fs::read_dir(out.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn built_package_tree_snapshot() {
    let out = tempfile::tempdir().expect("tempdir");
    build(&project_root(), out.path()).expect("build succeeds");
    let tree: Vec<String> = snapshot_dir(out.path())
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    insta::assert_snapshot!("output_tree", tree.join("\n"));
}

#[test]
fn rendered_readme_snapshot() {
    let out = tempfile::tempdir().expect("tempdir");
    let (package, written) = build(&project_root(), out.path()).expect("build succeeds");
    let readme = fs::read_to_string(
        out.path()
            .join(&written.built_package)
            .join("docs/README.md"),
    )
    .expect("read");
    let source_copy = &package.source["docs/README.md"];
    assert_eq!(readme.as_bytes(), source_copy.as_slice());
    insta::assert_snapshot!("built_readme", readme);
}

#[test]
fn built_fields_have_external_entries_resolved() {
    let out = tempfile::tempdir().expect("tempdir");
    let (package, _) = build(&project_root(), out.path()).expect("build succeeds");
    let built = String::from_utf8(package.built["data_stream/events/fields/ecs.yml"].clone())
        .expect("utf8");
    assert!(!built.contains("external:"), "{built}");
    let parsed: serde_yaml::Value = serde_yaml::from_str(&built).expect("yaml");
    let source_ip = parsed
        .as_sequence()
        .expect("list")
        .iter()
        .find(|e| e["name"].as_str() == Some("destination.ip"))
        .expect("destination.ip");
    assert_eq!(source_ip["type"].as_str(), Some("ip"));
    let source = String::from_utf8(package.source["data_stream/events/fields/ecs.yml"].clone())
        .expect("utf8");
    assert!(source.contains("external: ecs"));
    let build_yml =
        String::from_utf8(package.source["_dev/build/build.yml"].clone()).expect("utf8");
    assert!(build_yml.contains("reference: git@v9.4.0"), "{build_yml}");
}

#[test]
fn handlebars_come_out_verbatim() {
    let out = tempfile::tempdir().expect("tempdir");
    let (package, _) = build(&project_root(), out.path()).expect("build succeeds");
    let hbs =
        String::from_utf8(package.built["data_stream/events/agent/stream/cel.yml.hbs"].clone())
            .expect("utf8");
    assert!(hbs.contains("token_url: {{url}}/oauth/token"), "{hbs}");
    assert!(hbs.contains("{{#each tags as |tag|}}"));
    let readme =
        String::from_utf8(package.source["_dev/build/docs/README.md"].clone()).expect("utf8");
    assert!(readme.contains("{{event \"events\"}}") && readme.contains("{{fields \"events\"}}"));
}

#[test]
fn two_builds_give_identical_bytes() {
    let first = tempfile::tempdir().expect("tempdir");
    let second = tempfile::tempdir().expect("tempdir");
    build(&project_root(), first.path()).expect("first build");
    build(&project_root(), second.path()).expect("second build");
    build(&project_root(), second.path()).expect("rebuild over existing output");
    assert_eq!(snapshot_dir(first.path()), snapshot_dir(second.path()));
}

#[test]
fn real_sources_pass_check() {
    let problems = check(&project_root());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn invalid_yaml_is_reported_with_file_and_line() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/fields/ecs.yml",
        "- name: destination.ip\n",
        "- name: [destination.ip\n",
    );
    let line = assert_build_fails(project.path(), "invalid YAML");
    assert!(
        line.starts_with("data_stream/events/fields/ecs.yml:"),
        "{line}"
    );
}

#[test]
fn unknown_template_variable_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/manifest.yml.j2",
        "title: Audit events\n",
        "title: {{ no_such_variable }}\n",
    );
    let line = assert_build_fails(project.path(), "undefined variable");
    assert!(
        line.starts_with("data_stream/events/manifest.yml.j2:1:"),
        "{line}"
    );
}

#[test]
fn unknown_variable_in_shared_template_names_the_template() {
    let project = copy_project();
    edit(
        project.path(),
        "templates/stream_common_vars.yml.j2",
        "{{ data_stream.name }}",
        "{{ data_stream.nmae }}",
    );
    let line = assert_build_fails(project.path(), "undefined");
    assert!(
        line.starts_with("templates/stream_common_vars.yml.j2:"),
        "{line}"
    );
}

#[test]
fn missing_sample_event_is_reported() {
    let project = copy_project();
    fs::remove_file(project.path().join("data_stream/events/sample_event.json")).expect("remove");
    let line = assert_build_fails(project.path(), "sample_event.json is missing");
    assert!(
        line.starts_with("package/_dev/build/docs/README.md.j2:"),
        "{line}"
    );
}

#[test]
fn unknown_field_type_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/_build/mapping.yml",
        "    name: created\n    type: date",
        "    name: created\n    type: datetime",
    );
    let line = assert_build_fails(project.path(), "unknown type \"datetime\"");
    assert!(
        line.starts_with("data_stream/events/fields/fields.yml.j2:"),
        "{line}"
    );
}

#[test]
fn duplicate_field_is_reported() {
    let project = copy_project();
    let path = project
        .path()
        .join("data_stream/events/fields/zz-extra.yml");
    fs::write(
        &path,
        "- name: sailpoint_identity_sc.events.id\n  type: keyword\n",
    )
    .expect("write");
    let line = assert_build_fails(project.path(), "defined more than once");
    assert!(
        line.starts_with("data_stream/events/fields/zz-extra.yml:1:"),
        "{line}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let project = copy_project();
    let dir = project.path().join("data_stream/events/_dev");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable_anyway = fs::read_dir(&dir).is_ok();
    let outcome = std::panic::catch_unwind(|| {
        if readable_anyway {
            // A user who reads everything (root): make an entry that cannot
            // be read instead, a symbolic link pointing at itself.
            std::os::unix::fs::symlink("loop", dir.join("loop")).expect("symlink");
            assert_build_fails(project.path(), "data_stream/events/_dev/loop: cannot read")
        } else {
            assert_build_fails(
                project.path(),
                "data_stream/events/_dev: cannot read folder",
            )
        }
    });
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod back");
    outcome.expect("build fails with the expected problem");
}

#[test]
fn missing_source_folder_is_reported() {
    let project = copy_project();
    fs::remove_dir_all(project.path().join("data_stream")).expect("remove");
    let line = assert_build_fails(project.path(), "cannot read folder");
    assert!(line.starts_with("data_stream:"), "{line}");
}

#[test]
fn bad_data_stream_folder_name_is_reported() {
    let project = copy_project();
    fs::rename(
        project.path().join("data_stream/events"),
        project.path().join("data_stream/Audit-Events"),
    )
    .expect("rename");
    edit(
        project.path(),
        "package/_dev/build/docs/README.md.j2",
        "",
        "",
    );
    assert_build_fails(project.path(), "must match ^[a-z][a-z0-9_]*$");
}

#[test]
fn pipeline_field_not_defined_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/_build/mapping.yml",
        "    to: organization.name",
        "    to: organization.nmae",
    );
    let line = assert_build_fails(project.path(), "writes field \"organization.nmae\"");
    assert!(
        line.starts_with("data_stream/events/elasticsearch/ingest_pipeline/default.yml.j2:"),
        "{line}"
    );
}

#[test]
fn build_data_drives_templates_and_is_not_shipped() {
    let out = tempfile::tempdir().expect("tempdir");
    let (package, _) = build(&project_root(), out.path()).expect("build succeeds");
    assert!(
        package
            .source
            .keys()
            .chain(package.built.keys())
            .all(|k| !k.contains("/_build/")),
        "build inputs must not be shipped"
    );
    let fields = String::from_utf8(package.source["data_stream/events/fields/fields.yml"].clone())
        .expect("utf8");
    assert!(fields.contains("- name: tracking_number"), "{fields}");
}

#[test]
fn invalid_build_data_is_reported_with_file_and_line() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/_build/mapping.yml",
        "namespace: sailpoint_identity_sc.events\n",
        "namespace: [sailpoint_identity_sc.events\n",
    );
    let line = assert_build_fails(project.path(), "invalid YAML");
    assert!(
        line.starts_with("data_stream/events/_build/mapping.yml:"),
        "{line}"
    );
}

#[test]
fn duplicate_processor_tag_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/_build/mapping.yml",
        "    to: organization.name",
        "    to: user.name",
    );
    let line = assert_build_fails(
        project.path(),
        "processor tag \"set_user_name\" is used more than once",
    );
    assert!(
        line.starts_with("data_stream/events/elasticsearch/ingest_pipeline/default.yml.j2:"),
        "{line}"
    );
}

#[test]
fn non_yaml_build_data_is_reported() {
    let project = copy_project();
    fs::write(
        project.path().join("data_stream/events/_build/notes.txt"),
        "x",
    )
    .expect("write");
    assert_build_fails(project.path(), "only .yml files belong");
}

#[test]
fn unsupported_format_version_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "package/manifest.yml.j2",
        "format_version: 3.6.0",
        "format_version: 3.9.0",
    );
    assert_eq!(
        assert_build_fails(project.path(), "format_version"),
        "package/manifest.yml.j2:1: format_version \"3.9.0\" is not supported (3.0.0 to 3.6.6)"
    );
}

#[test]
fn manifest_version_differing_from_changelog_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "package/manifest.yml.j2",
        "version: {{ version }}",
        "version: 9.9.9",
    );
    assert_build_fails(project.path(), "differs from the newest changelog entry");
}

#[test]
fn package_manifest_schema_violation_points_at_the_line() {
    let project = copy_project();
    edit(
        project.path(),
        "package/manifest.yml.j2",
        "type: integration",
        "type: input",
    );
    let line = assert_build_fails(project.path(), "/type:");
    assert!(line.starts_with("package/manifest.yml.j2:6:"), "{line}");
}

#[test]
fn data_stream_manifest_schema_violation_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/manifest.yml.j2",
        "type: logs",
        "type: audit",
    );
    let line = assert_build_fails(project.path(), "/type:");
    assert!(
        line.starts_with("data_stream/events/manifest.yml.j2:2:"),
        "{line}"
    );
}

#[test]
fn data_stream_manifest_without_a_description_key_as_package_spec_requires() {
    // package-spec 3.6 allows `description` on streams, not on the data stream.
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/manifest.yml.j2",
        "type: logs",
        "description: Audit events.\ntype: logs",
    );
    let line = assert_build_fails(project.path(), "description");
    assert!(
        line.starts_with("data_stream/events/manifest.yml.j2:"),
        "{line}"
    );
}

#[test]
fn changelog_schema_violation_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "package/changelog.yml",
        "type: enhancement",
        "type: feature",
    );
    let line = assert_build_fails(project.path(), "/0/changes/0/type:");
    assert!(line.starts_with("package/changelog.yml:5:"), "{line}");
}

#[test]
fn fields_schema_violation_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/fields/ecs.yml",
        "- name: destination.ip\n  external: ecs",
        "- name: destination.ip\n  external: otel",
    );
    let line = assert_build_fails(project.path(), "external");
    assert!(
        line.starts_with("data_stream/events/fields/ecs.yml:"),
        "{line}"
    );
}

#[test]
fn pipeline_schema_violation_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "templates/pipeline/mapped_json.yml.j2",
        "processors:\n",
        "processor:\n",
    );
    assert_build_fails(project.path(), "default.yml.j2");
}

#[test]
fn missing_stream_template_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/manifest.yml.j2",
        "template_path: cel.yml.hbs",
        "template_path: httpjson.yml.hbs",
    );
    assert_build_fails(
        project.path(),
        "agent/stream/httpjson.yml.hbs does not exist",
    );
}

#[test]
fn external_field_missing_from_ecs_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/events/fields/ecs.yml",
        "- name: destination.ip\n",
        "- name: destination.ip_typo\n",
    );
    assert_build_fails(project.path(), "ECS 9.4.0 has no such field");
}

#[test]
fn transform_fields_are_the_data_streams_fields_with_external_ones_resolved() {
    let out = tempfile::tempdir().expect("tempdir");
    let (package, _) = build(&project_root(), out.path()).expect("build succeeds");
    for ds in ["account_activities", "identities"] {
        let stream = &package.fields[ds];
        let dest = &package.transform_fields[&format!("latest_{ds}")];
        for field in stream.iter() {
            let copied = dest
                .get(&field.name)
                .unwrap_or_else(|| panic!("latest_{ds} lacks {}", field.name));
            let expected = if field.name.starts_with("data_stream.") {
                "keyword"
            } else {
                field.field_type.as_str()
            };
            assert_eq!(copied.field_type, expected, "{ds}: {}", field.name);
        }
        assert_eq!(
            dest.get("event.ingested").map(|f| f.field_type.as_str()),
            Some("date")
        );
        let key = format!("elasticsearch/transform/latest_{ds}/fields/fields.yml");
        let built = String::from_utf8(package.built[&key].clone()).expect("utf8");
        assert!(!built.contains("external:"), "{key}");
        let source = String::from_utf8(package.source[&key].clone()).expect("utf8");
        assert!(source.contains("external: ecs"), "{key}");
    }
}

#[test]
fn transform_using_an_undefined_field_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/identities/_build/mapping.yml",
        "  unique_key: [id]\n",
        "  unique_key: [identity_id]\n",
    );
    let line = assert_build_fails(
        project.path(),
        "the transform uses field \"sailpoint_identity_sc.identities.identity_id\"",
    );
    assert!(
        line.starts_with("package/elasticsearch/transform/latest_identities/transform.yml.j2:"),
        "{line}"
    );
}

#[test]
fn transform_schema_violation_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "data_stream/account_activities/_build/mapping.yml",
        "    max_age: 30d\n",
        "    max_age: 30 days\n",
    );
    assert_build_fails(project.path(), "/retention_policy/time/max_age:");
}

#[test]
fn transform_manifest_schema_violation_is_reported() {
    let project = copy_project();
    edit(
        project.path(),
        "templates/transform/manifest.yml.j2",
        "start: true\n",
        "start: yes please\n",
    );
    assert_build_fails(project.path(), "/start:");
}

#[test]
fn transform_folder_without_transform_yml_or_with_stray_files_is_reported() {
    let project = copy_project();
    let dir = project
        .path()
        .join("package/elasticsearch/transform/latest_identities");
    fs::remove_file(dir.join("transform.yml.j2")).expect("remove");
    fs::write(dir.join("notes.txt"), "x").expect("write");
    assert_build_fails(project.path(), "a transform folder needs a transform.yml");
    assert_build_fails(
        project.path(),
        "notes.txt: a transform folder holds only transform.yml, manifest.yml and fields/*.yml",
    );
}

#[test]
fn transform_fields_with_a_duplicate_are_reported() {
    let project = copy_project();
    let file = "package/elasticsearch/transform/latest_identities/fields/extra.yml";
    fs::write(
        project.path().join(file),
        "- name: user.id\n  type: keyword\n",
    )
    .expect("write");
    assert_build_fails(
        project.path(),
        "field \"user.id\" is defined more than once",
    );
}

#[test]
fn failed_write_leaves_output_folder_as_it_was() {
    let project = copy_project();
    let out = project.path().join("build");
    fs::create_dir_all(out.join("packages")).expect("mkdir");
    // A file where the built package's folder must go makes writing fail.
    fs::write(out.join("packages/sailpoint_identity_sc"), "in the way").expect("write");
    let before = snapshot_dir(&out);
    let result = build(project.path(), &out);
    assert!(
        matches!(result, Err(PackageError::Write { .. })),
        "{result:?}"
    );
    assert_eq!(snapshot_dir(&out), before);
}

#[test]
fn manifests_declare_the_integration_variables() {
    let out = tempfile::tempdir().expect("tempdir");
    let (package, _) = build(&project_root(), out.path()).expect("build succeeds");
    let manifest: serde_yaml::Value =
        serde_yaml::from_slice(&package.built["manifest.yml"]).expect("yaml");
    assert_eq!(manifest["type"].as_str(), Some("integration"));
    let input = &manifest["policy_templates"][0]["inputs"][0];
    assert_eq!(input["type"].as_str(), Some("cel"));
    let vars = input["vars"].as_sequence().expect("vars");
    let var = |name: &str| {
        vars.iter()
            .find(|v| v["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no var {name}"))
            .clone()
    };
    assert_eq!(var("url")["required"].as_bool(), Some(true));
    assert_eq!(var("client_secret")["secret"].as_bool(), Some(true));
    assert_eq!(
        var("enable_request_tracer")["default"].as_bool(),
        Some(false)
    );
    for name in ["client_id", "http_client_timeout", "proxy_url", "ssl"] {
        var(name);
    }

    let stream: serde_yaml::Value =
        serde_yaml::from_slice(&package.built["data_stream/events/manifest.yml"]).expect("yaml");
    assert_eq!(stream["type"].as_str(), Some("logs"));
    let stream_vars = stream["streams"][0]["vars"].as_sequence().expect("vars");
    let names: Vec<&str> = stream_vars
        .iter()
        .filter_map(|v| v["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "interval",
            "batch_size",
            "initial_interval",
            "query",
            "preserve_original_event",
            "tags",
            "processors"
        ]
    );
    let query = stream_vars
        .iter()
        .find(|v| v["name"].as_str() == Some("query"))
        .expect("query");
    assert_eq!(query["default"].as_str(), Some("*"));
    let tags = stream_vars
        .iter()
        .find(|v| v["name"].as_str() == Some("tags"))
        .expect("tags");
    assert_eq!(
        tags["default"][1].as_str(),
        Some("sailpoint_identity_sc-events")
    );
}

#[test]
fn cel_program_pages_with_search_after_on_created_and_id() {
    let out = tempfile::tempdir().expect("tempdir");
    let (package, _) = build(&project_root(), out.path()).expect("build succeeds");
    let hbs =
        String::from_utf8(package.built["data_stream/events/agent/stream/cel.yml.hbs"].clone())
            .expect("utf8");
    for needle in [
        "\"/v2024/search?limit=\"",
        "\"indices\": [\"events\"]",
        "\"sort\": [\"created\", \"id\"]",
        "\"searchAfter\": [state.cursor.last_created, state.cursor.last_id]",
        "\"want_more\": size(body) >= int(state.batch_size)",
        "enabled: {{enable_request_tracer}}",
    ] {
        assert!(hbs.contains(needle), "missing {needle}");
    }
}
