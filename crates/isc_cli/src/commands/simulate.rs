//! `isc simulate`: runs raw events through a data stream's ingest pipeline
//! offline, as Elasticsearch's `_simulate` API would.
//!
//! Input: one event per stdin line, wrapped as `{"message": LINE}` as the
//! Elastic Agent does, or `--docs FILE` in the `_simulate` request shape
//! (`{"docs":[{"_source":{...}}]}`). Output: one JSON line per document in
//! input order: the resulting `_source`, `null` when dropped, or
//! `{"error":{...}}` as Elasticsearch renders the failure. `--verbose`
//! prints each document's `processor_results` instead, as
//! `_simulate?verbose=true` does.
//!
//! Pipelines get the ids elastic-package installs them under
//! (`logs-<dataset>-<version>`, `-<name>` for the others), so
//! `_ingest.pipeline` and failure messages read as they would in a stack.
//! `geoip` answers from the built-in test databases and `user_agent` knows
//! only the bundled rules unless [`EnrichmentArgs`] name directories (also
//! used by `test pipeline`).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use isc_ingest::{Document, EnrichmentOptions, Map, Outcome as RunOutcome, PipelineSet, Value};
use isc_pipeline_test::package;

use crate::Outcome;
use crate::commands::test::DEFAULT_PACKAGE;

/// Options of `isc simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Data stream whose default pipeline runs (e.g. `events`).
    #[arg(long)]
    pub data_stream: String,
    /// Package in elastic-package source layout.
    #[arg(long, default_value = DEFAULT_PACKAGE)]
    pub package_root: PathBuf,
    /// Read documents from a `_simulate`-style JSON file instead of stdin.
    #[arg(long)]
    pub docs: Option<PathBuf>,
    /// Print the result of every processor (`_simulate?verbose=true`).
    #[arg(long)]
    pub verbose: bool,
    /// Where `geoip` and `user_agent` get their data.
    #[command(flatten)]
    pub enrichment: EnrichmentArgs,
}

/// Where the offline engine's `geoip` and `user_agent` processors get
/// their data, as an Elasticsearch node reads it from its `config`
/// directory; shared by `simulate` and `test pipeline`.
#[derive(Debug, Clone, Default, Args)]
pub struct EnrichmentArgs {
    /// Directory of MaxMind `.mmdb` files for `geoip` (default: built-in
    /// test databases, as elastic-package's test stack answers).
    #[arg(long, value_name = "DIR")]
    pub geoip_dir: Option<PathBuf>,
    /// Directory of user-agent regex `.yml` files for the `user_agent`
    /// processor's `regex_file` option (the bundled rules stay available).
    #[arg(long, value_name = "DIR")]
    pub user_agent_dir: Option<PathBuf>,
}

impl EnrichmentArgs {
    /// The engine options; an error names the option and the directory
    /// when it cannot be read or holds nothing usable.
    pub fn options(&self) -> Result<EnrichmentOptions, String> {
        let mut options = EnrichmentOptions::default();
        if let Some(dir) = &self.geoip_dir {
            options = options
                .with_geoip_directory(dir)
                .map_err(|e| format!("--geoip-dir: {e}"))?;
        }
        if let Some(dir) = &self.user_agent_dir {
            options = options
                .with_user_agent_directory(dir)
                .map_err(|e| format!("--user-agent-dir: {e}"))?;
        }
        Ok(options)
    }
}

/// Runs `isc simulate`; problems if a document failed or the input could
/// not be read.
pub fn run(args: &SimulateArgs) -> Outcome {
    match simulate(args) {
        Ok(0) => Outcome::Ok,
        Ok(_) => Outcome::Problems,
        Err(message) => {
            eprintln!("error: {message}");
            Outcome::Problems
        }
    }
}

/// Returns the number of failed documents.
fn simulate(args: &SimulateArgs) -> Result<usize, String> {
    let root = &args.package_root;
    if !root.join("manifest.yml").is_file() {
        let hint = if root == Path::new(DEFAULT_PACKAGE) {
            "; run `cargo run -- build` first"
        } else {
            ""
        };
        return Err(format!("no package at {}{hint}", root.display()));
    }
    let stream_dir = root.join("data_stream").join(&args.data_stream);
    let pipeline_dir = stream_dir.join("elasticsearch").join("ingest_pipeline");
    if !pipeline_dir.is_dir() {
        return Err(format!(
            "data stream [{}] has no ingest pipelines (looked in {})",
            args.data_stream,
            pipeline_dir.display()
        ));
    }
    let enrichment = args.enrichment.options()?;
    let naming = PipelineNaming::read(root, &args.data_stream)?;
    let default_id = naming.id("default");
    let set = PipelineSet::builder()
        .enrichment(enrichment)
        .naming(move |stem| naming.id(stem))
        .add_dir(&pipeline_dir)
        .and_then(|b| b.build())
        .map_err(|e| e.to_string())?;
    if set.get(&default_id).is_none() {
        return Err(format!(
            "data stream [{}] has no default pipeline",
            args.data_stream
        ));
    }
    let documents = match &args.docs {
        Some(path) => read_docs_file(path)?,
        None => read_stdin_lines()?,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failures = 0;
    for (n, doc) in documents.into_iter().enumerate() {
        let line = match doc {
            Err(error) => {
                failures += 1;
                error_line(&error)
            }
            Ok(doc) if args.verbose => {
                let run = set
                    .run_verbose(&default_id, doc)
                    .ok_or("default pipeline vanished")?;
                if matches!(run.outcome, RunOutcome::Failed { .. }) {
                    failures += 1;
                }
                let results = run.results.iter().map(|r| r.to_es_json()).collect();
                let mut m = Map::default();
                m.insert("processor_results".into(), Value::List(results));
                isc_value::to_json_string(&Value::Map(m))
            }
            Ok(doc) => match set
                .run(&default_id, doc)
                .ok_or("default pipeline vanished")?
            {
                RunOutcome::Document(d) => isc_value::to_json_string(&Value::Map(d.into_source())),
                RunOutcome::Dropped => "null".to_owned(),
                RunOutcome::Failed { error, .. } => {
                    failures += 1;
                    report_failure(n + 1, &error);
                    error_line(&error)
                }
            },
        };
        if writeln!(out, "{line}").is_err() {
            // A closed pipe (`| head`) is not an error.
            return Ok(failures);
        }
    }
    let _ = out.flush();
    Ok(failures)
}

/// Names the failing processor on stderr: the `{"error":...}` line, like
/// Elasticsearch's response, does not.
fn report_failure(n: usize, error: &isc_ingest::IngestError) {
    let mut place = String::new();
    if let Some(kind) = error.processor_type() {
        place.push_str(&format!(" processor [{kind}]"));
    }
    if let Some(tag) = error.processor_tag() {
        place.push_str(&format!(" tag [{tag}]"));
    }
    if let Some(pipeline) = error.pipeline_origin().first() {
        place.push_str(&format!(" in pipeline [{pipeline}]"));
    }
    eprintln!("document {n}:{place}: {}", error.reason);
}

fn error_line(error: &isc_ingest::IngestError) -> String {
    let mut m = Map::default();
    m.insert("error".into(), error.to_es_json());
    isc_value::to_json_string(&Value::Map(m))
}

/// Stdin lines, each wrapped as `{"message": LINE}`.
fn read_stdin_lines() -> Result<Vec<Result<Document, isc_ingest::IngestError>>, String> {
    let stdin = std::io::stdin();
    let mut docs = Vec::new();
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        let mut source = Map::default();
        source.insert("message".into(), Value::String(line));
        docs.push(Ok(Document::new(source)));
    }
    Ok(docs)
}

/// A `_simulate` request body's `docs`.
fn read_docs_file(path: &Path) -> Result<Vec<Result<Document, isc_ingest::IngestError>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let body = isc_value::from_json_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let Some(Value::List(entries)) = body.as_map().and_then(|m| m.get("docs")) else {
        return Err(format!(
            "{}: expected an object with a \"docs\" list",
            path.display()
        ));
    };
    Ok(entries
        .iter()
        .map(|entry| match entry {
            Value::Map(m) => Document::from_simulate_entry(m),
            other => Err(isc_ingest::IngestError::new(
                "parse_exception",
                format!(
                    "document must be an object, not [{}]",
                    other.java_type_name()
                ),
            )),
        })
        .collect())
}

/// elastic-package's pipeline ids: `<type>-<dataset>-<version>` for
/// `default`, with `-<name>` appended for the others.
struct PipelineNaming {
    prefix: String,
}

impl PipelineNaming {
    /// The prefix from the package and data stream manifests, read as
    /// `test pipeline` reads them.
    fn read(package_root: &Path, stream: &str) -> Result<PipelineNaming, String> {
        let package = package::read_package(package_root).map_err(|e| e.to_string())?;
        let data_stream = package::read_data_stream(&package, stream).map_err(|e| e.to_string())?;
        let version = package.version.as_deref().ok_or_else(|| {
            format!(
                "{}: missing `version`",
                package_root.join("manifest.yml").display()
            )
        })?;
        Ok(PipelineNaming {
            prefix: format!(
                "{}-{}-{version}",
                data_stream.stream_type, data_stream.dataset
            ),
        })
    }

    fn id(&self, stem: &str) -> String {
        if stem == "default" {
            self.prefix.clone()
        } else {
            format!("{}-{stem}", self.prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &Path, pipeline: &str) {
        std::fs::write(
            dir.join("manifest.yml"),
            "format_version: 3.3.0\nname: pkg\nversion: 1.2.3\n",
        )
        .unwrap();
        let stream = dir.join("data_stream/ev");
        std::fs::create_dir_all(stream.join("elasticsearch/ingest_pipeline")).unwrap();
        std::fs::write(stream.join("manifest.yml"), "type: logs\n").unwrap();
        std::fs::write(
            stream.join("elasticsearch/ingest_pipeline/default.yml"),
            pipeline,
        )
        .unwrap();
    }

    #[test]
    fn pipelines_get_elastic_package_ids() {
        let dir = tempfile::tempdir().unwrap();
        package(dir.path(), "processors: []\n");
        let naming = PipelineNaming::read(dir.path(), "ev").unwrap();
        assert_eq!(naming.id("default"), "logs-pkg.ev-1.2.3");
        assert_eq!(naming.id("json"), "logs-pkg.ev-1.2.3-json");
    }

    #[test]
    fn docs_files_run_and_count_failures() {
        let dir = tempfile::tempdir().unwrap();
        package(
            dir.path(),
            "processors:\n- rename: {field: a, target_field: b}\n",
        );
        let docs = dir.path().join("docs.json");
        std::fs::write(&docs, r#"{"docs":[{"_source":{"a":1}},{"_source":{}}]}"#).unwrap();
        let args = SimulateArgs {
            data_stream: "ev".into(),
            package_root: dir.path().to_path_buf(),
            docs: Some(docs),
            verbose: false,
            enrichment: EnrichmentArgs::default(),
        };
        assert_eq!(simulate(&args).unwrap(), 1);
    }

    #[test]
    fn enrichment_directories_reach_the_pipeline() {
        let dir = tempfile::tempdir().unwrap();
        package(
            dir.path(),
            "processors:\n- user_agent: {field: ua, regex_file: acme.yml, properties: [name]}\n",
        );
        let docs = dir.path().join("docs.json");
        std::fs::write(&docs, r#"{"docs":[{"_source":{"ua":"Acme/7"}}]}"#).unwrap();
        let mut args = SimulateArgs {
            data_stream: "ev".into(),
            package_root: dir.path().to_path_buf(),
            docs: Some(docs),
            verbose: false,
            enrichment: EnrichmentArgs::default(),
        };
        let err = simulate(&args).unwrap_err();
        assert!(err.contains("regex file [acme.yml] doesn't exist"), "{err}");
        let regexes = dir.path().join("ua");
        std::fs::create_dir(&regexes).unwrap();
        std::fs::write(
            regexes.join("acme.yml"),
            "user_agent_parsers:\n  - regex: '(Acme)/(\\d+)'\n",
        )
        .unwrap();
        args.enrichment.user_agent_dir = Some(regexes);
        assert_eq!(simulate(&args).unwrap(), 0);
    }

    #[test]
    fn unusable_enrichment_directories_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let args = EnrichmentArgs {
            geoip_dir: Some(missing.clone()),
            user_agent_dir: None,
        };
        let err = args.options().unwrap_err();
        assert!(
            err.starts_with(&format!("--geoip-dir: cannot read [{}]", missing.display())),
            "{err}"
        );
        let args = EnrichmentArgs {
            geoip_dir: Some(dir.path().to_path_buf()),
            user_agent_dir: None,
        };
        assert_eq!(
            args.options().unwrap_err(),
            format!(
                "--geoip-dir: no usable GeoIP database (*.mmdb) in [{}]",
                dir.path().display()
            )
        );
        let args = EnrichmentArgs {
            geoip_dir: None,
            user_agent_dir: Some(dir.path().to_path_buf()),
        };
        assert_eq!(
            args.options().unwrap_err(),
            format!(
                "--user-agent-dir: no user-agent regex file (*.yml) in [{}]",
                dir.path().display()
            )
        );
    }

    #[test]
    fn missing_default_package_suggests_building() {
        let args = SimulateArgs {
            data_stream: "ev".into(),
            package_root: PathBuf::from(DEFAULT_PACKAGE),
            docs: None,
            verbose: false,
            enrichment: EnrichmentArgs::default(),
        };
        if !Path::new(DEFAULT_PACKAGE).join("manifest.yml").exists() {
            assert!(simulate(&args).unwrap_err().contains("cargo run -- build"));
        }
    }
}
