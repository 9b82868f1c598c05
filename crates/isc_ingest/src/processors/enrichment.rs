//! Engine options of the enrichment processors: where `geoip` finds its
//! databases and which regex files `user_agent` knows.
//!
//! Elasticsearch reads both from its node's `config` directory
//! (`ingest-geoip/*.mmdb`, `ingest-user-agent/*.yml`). Here the engine
//! hands an [`EnrichmentOptions`] to the processor factories; the default
//! is what pipeline tests need: the built-in GeoIP test databases and only
//! the bundled `regexes.yml`.

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

/// Reading the user-agent regex directory failed.
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

    /// Loads every `*.yml` file of `dir` as a user-agent regex file named
    /// by its file name, as Elasticsearch does at node startup.
    pub fn with_user_agent_directory(
        mut self,
        dir: &Path,
    ) -> Result<EnrichmentOptions, EnrichmentError> {
        let io = |path: &Path, e: std::io::Error| EnrichmentError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
            let path = entry.map_err(|e| io(dir, e))?.path();
            let name = path.file_name().and_then(|n| n.to_str()).map(str::to_owned);
            if let Some(name) = name.filter(|n| n.ends_with(".yml") && path.is_file()) {
                names.push((name, path));
            }
        }
        names.sort();
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

/// The options for processors being compiled.
///
/// Wiring point: the engine does not hand options to factories yet, so
/// this returns the shared default. Once `FactoryContext` carries an
/// `EnrichmentOptions`, return that here; nothing else changes.
pub(crate) fn options_for(
    _ctx: &crate::processor::FactoryContext<'_>,
) -> &'static EnrichmentOptions {
    EnrichmentOptions::shared_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
