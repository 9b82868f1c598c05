//! Engine options of the enrichment processors: where `geoip` finds its
//! databases and which regex files `user_agent` knows.
//!
//! Elasticsearch reads both from its node's `config` directory
//! (`ingest-geoip/*.mmdb`, `ingest-user-agent/*.yml`). Here the caller
//! puts an [`EnrichmentOptions`] in the engine configuration
//! ([`crate::pipeline::PipelineSetBuilder::enrichment`] or
//! [`crate::ProcessorRegistry::with_enrichment`]), and factories read it
//! through [`crate::processor::FactoryContext::enrichment`]. The default is
//! what pipeline tests need: the built-in GeoIP test databases and only the
//! bundled `regexes.yml`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use isc_geoip::DatabaseProvider;
use isc_useragent::{UserAgentError, UserAgentParser};

/// The name of the bundled user-agent regex file.
pub const DEFAULT_REGEX_FILE: &str = "regexes.yml";

/// Where `geoip` and `user_agent` get their data.
#[derive(Debug, Clone)]
pub struct EnrichmentOptions {
    geoip_databases: Arc<DatabaseProvider>,
    user_agent_files: BTreeMap<String, Arc<UserAgentParser>>,
}

/// Reading a GeoIP database or user-agent regex directory failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnrichmentError {
    /// The directory or a file could not be read.
    #[error("cannot read [{path}]: {reason}")]
    Io {
        /// The path that failed.
        path: String,
        /// What the system reported.
        reason: String,
    },
    /// The GeoIP directory holds no `.mmdb` file that opens as a database
    /// type the `geoip` processor supports.
    #[error(
        "no usable GeoIP database (*.mmdb) in [{directory}]{}",
        problems.iter().map(|p| format!("; {p}")).collect::<String>()
    )]
    NoGeoIpDatabase {
        /// The directory.
        directory: String,
        /// Why the `.mmdb` files that are there could not be used.
        problems: Vec<String>,
    },
    /// The user-agent directory holds no `*.yml` regex file.
    #[error("no user-agent regex file (*.yml) in [{directory}]")]
    NoRegexFile {
        /// The directory.
        directory: String,
    },
    /// A regex file is not valid.
    #[error("regex file [{file}]: {source}")]
    RegexFile {
        /// The file name.
        file: String,
        /// What is wrong with it.
        source: UserAgentError,
    },
}

impl Default for EnrichmentOptions {
    /// Built-in GeoIP test databases; only the bundled `regexes.yml`.
    fn default() -> Self {
        EnrichmentOptions {
            geoip_databases: Arc::new(DatabaseProvider::builtin()),
            user_agent_files: BTreeMap::new(),
        }
    }
}

impl EnrichmentOptions {
    /// The shared default options.
    pub fn shared_default() -> &'static EnrichmentOptions {
        static DEFAULT: OnceLock<EnrichmentOptions> = OnceLock::new();
        DEFAULT.get_or_init(EnrichmentOptions::default)
    }

    /// Uses another GeoIP database provider, such as
    /// `DatabaseProvider::from_directory(dir)` for production `.mmdb` files.
    pub fn with_geoip_databases(mut self, provider: Arc<DatabaseProvider>) -> EnrichmentOptions {
        self.geoip_databases = provider;
        self
    }

    /// Uses only the `*.mmdb` files of `dir` as GeoIP databases
    /// ([`DatabaseProvider::from_directory`]), after checking that the
    /// directory can be read and that at least one file opens as a
    /// supported database. Others that fail to open are reported when a
    /// processor names them.
    pub fn with_geoip_directory(self, dir: &Path) -> Result<EnrichmentOptions, EnrichmentError> {
        let provider = DatabaseProvider::from_directory(dir);
        let mut problems = Vec::new();
        let mut usable = false;
        for (name, _) in files_with_suffix(dir, ".mmdb")? {
            match provider.database(&name) {
                Ok(Some(database)) if database.kind().is_some() => usable = true,
                Ok(Some(database)) => problems.push(format!(
                    "[{name}] has the unsupported database type [{}]",
                    database.database_type()
                )),
                Ok(None) => {}
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !usable {
            return Err(EnrichmentError::NoGeoIpDatabase {
                directory: dir.display().to_string(),
                problems,
            });
        }
        Ok(self.with_geoip_databases(Arc::new(provider)))
    }

    /// Loads every `*.yml` file of `dir` as a user-agent regex file named
    /// by its file name, as Elasticsearch does at node startup. A directory
    /// without any is an error: naming one means expecting rules there.
    pub fn with_user_agent_directory(
        mut self,
        dir: &Path,
    ) -> Result<EnrichmentOptions, EnrichmentError> {
        let names = files_with_suffix(dir, ".yml")?;
        if names.is_empty() {
            return Err(EnrichmentError::NoRegexFile {
                directory: dir.display().to_string(),
            });
        }
        let io = |path: &Path, e: std::io::Error| EnrichmentError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        for (name, path) in names {
            let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            let parser =
                UserAgentParser::from_yaml(&text).map_err(|source| EnrichmentError::RegexFile {
                    file: name.clone(),
                    source,
                })?;
            self.user_agent_files.insert(name, Arc::new(parser));
        }
        Ok(self)
    }

    /// The GeoIP database provider.
    pub fn geoip_databases(&self) -> &Arc<DatabaseProvider> {
        &self.geoip_databases
    }

    /// The parser of a regex file by name: the bundled one for
    /// [`DEFAULT_REGEX_FILE`], else a loaded custom file.
    pub fn user_agent_parser(&self, name: &str) -> Option<UserAgentRules> {
        if name == DEFAULT_REGEX_FILE {
            return Some(UserAgentRules::Bundled(UserAgentParser::builtin()));
        }
        self.user_agent_files
            .get(name)
            .map(|p| UserAgentRules::Custom(Arc::clone(p)))
    }
}

/// A user-agent parser, bundled or loaded from a custom file.
#[derive(Debug, Clone)]
pub enum UserAgentRules {
    /// The bundled uap-core rules.
    Bundled(&'static UserAgentParser),
    /// Rules from a custom regex file.
    Custom(Arc<UserAgentParser>),
}

impl std::ops::Deref for UserAgentRules {
    type Target = UserAgentParser;

    fn deref(&self) -> &UserAgentParser {
        match self {
            UserAgentRules::Bundled(p) => p,
            UserAgentRules::Custom(p) => p,
        }
    }
}

/// The regular files of `dir` whose names end with `suffix`, as (name,
/// path), sorted by name.
fn files_with_suffix(
    dir: &Path,
    suffix: &str,
) -> Result<Vec<(String, std::path::PathBuf)>, EnrichmentError> {
    let io = |e: std::io::Error| EnrichmentError::Io {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path.file_name().and_then(|n| n.to_str()).map(str::to_owned);
        if let Some(name) = name.filter(|n| n.ends_with(suffix) && path.is_file()) {
            files.push((name, path));
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    use isc_geoip::mmdb_writer::{MmdbValue, write_ipv4_database};
    use isc_value::Value;

    use crate::document::Document;
    use crate::pipeline::{Outcome, PipelineSet};
    use crate::processor::ProcessorRegistry;

    #[test]
    fn default_knows_only_the_bundled_regex_file_and_test_databases() {
        let options = EnrichmentOptions::default();
        assert!(options.user_agent_parser("regexes.yml").is_some());
        assert!(options.user_agent_parser("custom.yml").is_none());
        assert!(
            options
                .geoip_databases()
                .database("GeoLite2-ASN.mmdb")
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn custom_regex_files_load_by_file_name() {
        let dir = std::env::temp_dir().join(format!("isc_ua_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("custom.yml"),
            "user_agent_parsers:\n  - regex: '(Acme)/(\\d+)'\n",
        )
        .unwrap();
        std::fs::write(dir.join("ignored.txt"), "x").unwrap();
        let options = EnrichmentOptions::default()
            .with_user_agent_directory(&dir)
            .unwrap();
        let parser = options.user_agent_parser("custom.yml").unwrap();
        assert_eq!(
            parser.parse("Acme/3", false).user_agent.unwrap().name,
            "Acme"
        );
        assert!(options.user_agent_parser("ignored.txt").is_none());
        std::fs::write(
            dir.join("broken.yml"),
            "user_agent_parsers:\n  - regex: '('\n",
        )
        .unwrap();
        assert!(matches!(
            EnrichmentOptions::default().with_user_agent_directory(&dir),
            Err(EnrichmentError::RegexFile { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A directory holding `GeoLite2-ASN.mmdb` that answers for
    /// 89.160.0.0/17 (which the built-in test database also knows) with
    /// its own organisation.
    fn custom_asn_directory() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let record = MmdbValue::Map(vec![
            ("autonomous_system_number", MmdbValue::U32(64512)),
            (
                "autonomous_system_organization",
                MmdbValue::Str("Custom Org"),
            ),
        ]);
        let bytes = write_ipv4_database("GeoLite2-ASN", &[([89, 160, 0, 0].into(), 17, record)]);
        std::fs::write(dir.path().join("GeoLite2-ASN.mmdb"), bytes).unwrap();
        dir
    }

    /// Runs `processors` (JSON list) on `source` (JSON) in a set built by
    /// `builder`.
    fn run_with(
        builder: crate::pipeline::PipelineSetBuilder,
        processors: &str,
        source: &str,
    ) -> String {
        let set = builder
            .add_source(
                "p",
                &format!(r#"{{"processors":{processors}}}"#),
                true,
                None,
            )
            .build()
            .unwrap();
        let Ok(Value::Map(source)) = isc_value::from_json_str(source) else {
            panic!("source must be a JSON object");
        };
        match set.run("p", Document::new(source)) {
            Some(Outcome::Document(d)) => isc_value::to_json_string(&Value::Map(d.into_source())),
            other => format!("{other:?}"),
        }
    }

    const ASN_LOOKUP: &str = r#"[{"geoip":{"field":"ip","database_file":"GeoLite2-ASN.mmdb","properties":["asn","organization_name"]}}]"#;

    #[test]
    fn pipelines_use_the_geoip_provider_they_were_built_with() {
        let dir = custom_asn_directory();
        let doc = r#"{"ip":"89.160.20.128"}"#;
        assert_eq!(
            run_with(PipelineSet::builder(), ASN_LOOKUP, doc),
            r#"{"ip":"89.160.20.128","geoip":{"asn":29518,"organization_name":"Bredband2 AB"}}"#
        );
        let provider = Arc::new(DatabaseProvider::from_directory(dir.path()));
        let options = EnrichmentOptions::default().with_geoip_databases(provider);
        assert_eq!(
            run_with(
                PipelineSet::builder().enrichment(options.clone()),
                ASN_LOOKUP,
                doc
            ),
            r#"{"ip":"89.160.20.128","geoip":{"asn":64512,"organization_name":"Custom Org"}}"#
        );
        // Only the directory answers: the built-in City database is gone.
        assert_eq!(
            run_with(
                PipelineSet::builder().enrichment(options),
                r#"[{"geoip":{"field":"ip"}}]"#,
                doc
            ),
            r#"{"ip":"89.160.20.128","tags":["_geoip_database_unavailable_GeoLite2-City.mmdb"]}"#
        );
    }

    #[test]
    fn nested_processors_and_given_registries_see_the_options() {
        let dir = custom_asn_directory();
        let options = EnrichmentOptions::default()
            .with_geoip_directory(dir.path())
            .unwrap();
        let nested = r#"[{"foreach":{"field":"ips","processor":{"geoip":{"field":"_ingest._value","target_field":"as","database_file":"GeoLite2-ASN.mmdb","properties":["organization_name"]}}}}]"#;
        assert_eq!(
            run_with(
                PipelineSet::builder().enrichment(options.clone()),
                nested,
                r#"{"ips":["89.160.20.128"]}"#
            ),
            r#"{"ips":["89.160.20.128"],"as":{"organization_name":"Custom Org"}}"#
        );
        let registry = ProcessorRegistry::default().with_enrichment(options);
        assert_eq!(
            run_with(
                PipelineSet::builder().registry(registry),
                ASN_LOOKUP,
                r#"{"ip":"89.160.20.128"}"#
            ),
            r#"{"ip":"89.160.20.128","geoip":{"asn":64512,"organization_name":"Custom Org"}}"#
        );
    }

    #[test]
    fn pipelines_use_the_regex_files_they_were_built_with() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("acme.yml"),
            "user_agent_parsers:\n  - regex: '(Acme)/(\\d+)'\n",
        )
        .unwrap();
        let options = EnrichmentOptions::default()
            .with_user_agent_directory(dir.path())
            .unwrap();
        let p = r#"[{"user_agent":{"field":"ua","regex_file":"acme.yml","properties":["name","version"]}}]"#;
        assert_eq!(
            run_with(
                PipelineSet::builder().enrichment(options),
                p,
                r#"{"ua":"Acme/7"}"#
            ),
            r#"{"ua":"Acme/7","user_agent":{"name":"Acme","version":"7"}}"#
        );
        let e = PipelineSet::builder()
            .add_source("p", &format!(r#"{{"processors":{p}}}"#), true, None)
            .build()
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("regex file [acme.yml] doesn't exist"),
            "{e}"
        );
    }

    #[test]
    fn geoip_directories_without_a_usable_database_are_rejected_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let shown = dir.path().display().to_string();
        let e = EnrichmentOptions::default()
            .with_geoip_directory(dir.path())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("no usable GeoIP database (*.mmdb) in [{shown}]")
        );
        std::fs::write(dir.path().join("Broken.mmdb"), b"not a database").unwrap();
        let e = EnrichmentOptions::default()
            .with_geoip_directory(dir.path())
            .unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with(&format!(
                "no usable GeoIP database (*.mmdb) in [{shown}]; failed to read GeoIP database [Broken.mmdb]: "
            )),
            "{text}"
        );
        let missing = dir.path().join("missing");
        let e = EnrichmentOptions::default()
            .with_geoip_directory(&missing)
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with(&format!("cannot read [{}]: ", missing.display())),
            "{e}"
        );
    }

    #[test]
    fn user_agent_directories_without_regex_files_are_rejected_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let e = EnrichmentOptions::default()
            .with_user_agent_directory(dir.path())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "no user-agent regex file (*.yml) in [{}]",
                dir.path().display()
            )
        );
    }
}
