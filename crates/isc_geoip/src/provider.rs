//! Where databases come from: the built-in test databases, a directory of
//! MaxMind `.mmdb` files, or both (the directory first).

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::builtin::{BuiltinDatabase, builtin_database, builtin_file_names};
use crate::database::DatabaseKind;
use crate::error::GeoIpError;
use crate::mmdb::MmdbDatabase;
use crate::record::GeoRecord;

/// Finds databases by file name (`database_file` of the processor) and
/// keeps the opened ones for reuse. Cheap to share: wrap it in an `Arc`.
#[derive(Debug)]
pub struct DatabaseProvider {
    directory: Option<PathBuf>,
    builtin: bool,
    opened: Mutex<HashMap<String, Option<Arc<IpDatabase>>>>,
}

/// One opened database.
#[derive(Debug)]
pub struct IpDatabase {
    source: Source,
}

#[derive(Debug)]
enum Source {
    Builtin(&'static BuiltinDatabase),
    Mmdb(MmdbDatabase),
}

impl Default for DatabaseProvider {
    /// The built-in test databases, as pipeline tests need them.
    fn default() -> Self {
        DatabaseProvider::builtin()
    }
}

impl DatabaseProvider {
    /// Only the built-in test databases: `GeoLite2-City.mmdb`,
    /// `GeoLite2-Country.mmdb` and `GeoLite2-ASN.mmdb` answer as
    /// elastic-package's test stack does.
    pub fn builtin() -> DatabaseProvider {
        DatabaseProvider {
            directory: None,
            builtin: true,
            opened: Mutex::new(HashMap::new()),
        }
    }

    /// Only the `.mmdb` files in `directory` (production use).
    pub fn from_directory(directory: impl Into<PathBuf>) -> DatabaseProvider {
        DatabaseProvider {
            directory: Some(directory.into()),
            builtin: false,
            opened: Mutex::new(HashMap::new()),
        }
    }

    /// The files in `directory` first, then the built-in test databases.
    pub fn directory_then_builtin(directory: impl Into<PathBuf>) -> DatabaseProvider {
        DatabaseProvider {
            builtin: true,
            ..DatabaseProvider::from_directory(directory)
        }
    }

    /// The directory searched for `.mmdb` files, if any.
    pub fn directory(&self) -> Option<&Path> {
        self.directory.as_deref()
    }

    /// The database a processor names by `database_file`, or `None` when no
    /// source has it (Elasticsearch then tags documents
    /// `_geoip_database_unavailable_<file>`). A file that exists but cannot
    /// be read is an error. Names with path separators are never looked up.
    pub fn database(&self, file_name: &str) -> Result<Option<Arc<IpDatabase>>, GeoIpError> {
        let mut opened = self
            .opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = opened.get(file_name) {
            return Ok(found.clone());
        }
        let found = self.open(file_name)?.map(Arc::new);
        opened.insert(file_name.to_owned(), found.clone());
        Ok(found)
    }

    /// The file names the built-in test databases answer to.
    pub fn builtin_file_names() -> impl Iterator<Item = &'static str> {
        builtin_file_names()
    }

    fn open(&self, file_name: &str) -> Result<Option<IpDatabase>, GeoIpError> {
        let plain_name = !file_name.is_empty()
            && !file_name.contains(['/', '\\'])
            && file_name != "."
            && file_name != "..";
        if !plain_name {
            return Ok(None);
        }
        if let Some(directory) = &self.directory {
            let path = directory.join(file_name);
            if path.is_file() {
                let database = MmdbDatabase::open(&path, file_name)?;
                return Ok(Some(IpDatabase {
                    source: Source::Mmdb(database),
                }));
            }
        }
        if self.builtin {
            if let Some(database) = builtin_database(file_name) {
                return Ok(Some(IpDatabase {
                    source: Source::Builtin(database),
                }));
            }
        }
        Ok(None)
    }
}

impl IpDatabase {
    /// The `database_type` of the metadata, such as `GeoLite2-City`.
    pub fn database_type(&self) -> &str {
        match &self.source {
            Source::Builtin(db) => db.database_type(),
            Source::Mmdb(db) => db.database_type(),
        }
    }

    /// The kind of database, or `None` for types Elasticsearch rejects.
    pub fn kind(&self) -> Option<DatabaseKind> {
        DatabaseKind::from_database_type(self.database_type())
    }

    /// The record for an address, or `None` when the database holds
    /// nothing for it (private and reserved ranges among others).
    pub fn lookup(&self, ip: IpAddr) -> Result<Option<GeoRecord>, GeoIpError> {
        match &self.source {
            Source::Builtin(db) => Ok(db.lookup(ip)),
            Source::Mmdb(db) => db.lookup(ip),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_provider_knows_the_three_test_databases() {
        let provider = DatabaseProvider::builtin();
        for name in DatabaseProvider::builtin_file_names() {
            assert!(provider.database(name).unwrap().is_some(), "{name}");
        }
        assert!(provider.database("GeoIP2-City.mmdb").unwrap().is_none());
    }

    #[test]
    fn path_like_names_are_not_opened() {
        let provider = DatabaseProvider::directory_then_builtin("/");
        assert!(
            provider
                .database("../GeoLite2-City.mmdb")
                .unwrap()
                .is_none()
        );
        assert!(provider.database("etc/passwd").unwrap().is_none());
    }

    #[test]
    fn unreadable_mmdb_file_is_an_error() {
        let dir = std::env::temp_dir().join(format!("isc_geoip_test_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Broken-City.mmdb"), b"not a database").unwrap();
        let provider = DatabaseProvider::from_directory(&dir);
        let err = provider.database("Broken-City.mmdb").unwrap_err();
        assert!(matches!(err, GeoIpError::Database { .. }), "{err}");
        assert!(provider.database("GeoLite2-City.mmdb").unwrap().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
