//! IP geolocation for the `geoip` ingest processor, answering as
//! Elasticsearch's `ingest-geoip` module does.
//!
//! Two sources of databases stand behind one [`DatabaseProvider`]:
//!
//! * **MaxMind `.mmdb` files** in a configured directory (GeoLite2 and GeoIP2
//!   City, Country, ASN, and the GeoIP2 Anonymous-IP, Connection-Type,
//!   Domain, Enterprise and ISP editions), read with the `maxminddb` crate.
//! * **Built-in test databases** (`GeoLite2-City.mmdb`,
//!   `GeoLite2-Country.mmdb`, `GeoLite2-ASN.mmdb`) holding the records of
//!   elastic-package's test data, which Elasticsearch answers from during
//!   `elastic-package test pipeline`. They are embedded as small tables (see
//!   `data/` and `examples/generate_test_databases.rs`).
//!
//! A lookup goes: [`parse_ip_literal`] (Java `InetAddresses.forString`
//! rules and error text) → [`IpDatabase::lookup`] → [`GeoRecord`] →
//! [`geo_data`], which keeps the requested [`Property`] values as the
//! document map Elasticsearch would write.

mod builtin;
mod database;
mod document;
mod error;
mod mmdb;
#[cfg(any(test, feature = "mmdb-writer"))]
pub mod mmdb_writer;
mod provider;
mod record;

pub use database::{DatabaseKind, Property};
pub use document::geo_data;
pub use error::GeoIpError;
pub use isc_value::{format_host_address, format_network_address};

/// Parses an IP literal as `InetAddresses.forString` does (`isc_value`'s
/// parser), failing with [`GeoIpError::NotAnIpLiteral`].
pub fn parse_ip_literal(text: &str) -> Result<std::net::IpAddr, GeoIpError> {
    isc_value::parse_ip_literal(text).map_err(|e| GeoIpError::NotAnIpLiteral(e.0))
}
pub use provider::{DatabaseProvider, IpDatabase};
pub use record::{GeoRecord, Network};
