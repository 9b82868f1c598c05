//! MaxMind `.mmdb` files, read with the `maxminddb` crate and decoded into
//! a [`GeoRecord`], in English as Elasticsearch asks for (`locales: ["en"]`).

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use serde::Deserialize;

use crate::error::GeoIpError;
use crate::record::{GeoRecord, Network};

/// An opened MaxMind database.
#[derive(Debug)]
pub(crate) struct MmdbDatabase {
    file_name: String,
    reader: maxminddb::Reader<Vec<u8>>,
}

impl MmdbDatabase {
    /// Reads a database file whole into memory.
    pub(crate) fn open(path: &Path, file_name: &str) -> Result<MmdbDatabase, GeoIpError> {
        let reader = maxminddb::Reader::open_readfile(path).map_err(|e| GeoIpError::Database {
            file: file_name.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(MmdbDatabase {
            file_name: file_name.to_owned(),
            reader,
        })
    }

    /// The `database_type` of the metadata, such as `GeoLite2-City`.
    pub(crate) fn database_type(&self) -> &str {
        &self.reader.metadata.database_type
    }

    /// The record for an address, with its network, or `None` when the
    /// database holds nothing for it.
    pub(crate) fn lookup(&self, ip: IpAddr) -> Result<Option<GeoRecord>, GeoIpError> {
        let (found, prefix_len) =
            self.reader
                .lookup_prefix::<MmdbRecord>(ip)
                .map_err(|e| GeoIpError::Database {
                    file: self.file_name.clone(),
                    reason: e.to_string(),
                })?;
        Ok(found.map(|raw| {
            let mut record = raw.into_record();
            let prefix_len = u8::try_from(prefix_len).unwrap_or(u8::MAX);
            record.network = Some(Network::containing(ip, prefix_len));
            record
        }))
    }
}

/// The union of the record layouts of MaxMind's City, Country, ASN,
/// Anonymous-IP, Connection-Type, Domain, Enterprise and ISP databases.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MmdbRecord {
    continent: Option<Place>,
    country: Option<Place>,
    registered_country: Option<Place>,
    subdivisions: Option<Vec<Place>>,
    city: Option<Place>,
    location: Option<Location>,
    postal: Option<Postal>,
    traits: Option<Traits>,
    #[serde(flatten)]
    top: Traits,
}

/// A continent, country, subdivision or city.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Place {
    code: Option<String>,
    iso_code: Option<String>,
    names: Option<BTreeMap<String, String>>,
    is_in_european_union: Option<bool>,
    confidence: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Location {
    latitude: Option<f64>,
    longitude: Option<f64>,
    accuracy_radius: Option<u16>,
    time_zone: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Postal {
    code: Option<String>,
    confidence: Option<u16>,
}

/// Fields that sit in `traits` (Enterprise, City) or at the top level
/// (ASN, ISP, Anonymous-IP, Connection-Type, Domain).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Traits {
    autonomous_system_number: Option<u32>,
    autonomous_system_organization: Option<String>,
    is_hosting_provider: Option<bool>,
    is_tor_exit_node: Option<bool>,
    is_anonymous_vpn: Option<bool>,
    is_anonymous: Option<bool>,
    is_public_proxy: Option<bool>,
    is_residential_proxy: Option<bool>,
    domain: Option<String>,
    isp: Option<String>,
    organization: Option<String>,
    mobile_country_code: Option<String>,
    mobile_network_code: Option<String>,
    user_type: Option<String>,
    connection_type: Option<String>,
}

impl Place {
    fn english_name(&self) -> Option<String> {
        self.names.as_ref()?.get("en").cloned()
    }

    fn in_european_union(&self) -> bool {
        self.is_in_european_union.unwrap_or(false)
    }
}

impl MmdbRecord {
    fn into_record(self) -> GeoRecord {
        let traits = self.traits.unwrap_or_default();
        let top = self.top;
        // Enterprise keeps these in `traits`; the smaller databases at the top.
        let pick_text = |a: Option<String>, b: Option<String>| a.or(b);
        let pick_flag = |a: Option<bool>, b: Option<bool>| a.or(b).unwrap_or(false);
        let continent = self.continent.unwrap_or_default();
        let country = self.country.unwrap_or_default();
        let registered = self.registered_country.unwrap_or_default();
        let subdivision = self
            .subdivisions
            .and_then(|mut s| s.pop())
            .unwrap_or_default();
        let city = self.city.unwrap_or_default();
        let location = self.location.unwrap_or_default();
        let postal = self.postal.unwrap_or_default();
        GeoRecord {
            network: None,
            continent_code: continent.code.clone(),
            continent_name: continent.english_name(),
            country_in_european_union: country.in_european_union(),
            country_confidence: country.confidence.map(i64::from),
            country_iso_code: country.iso_code.clone(),
            country_name: country.english_name(),
            registered_country_in_european_union: registered.in_european_union(),
            registered_country_iso_code: registered.iso_code.clone(),
            registered_country_name: registered.english_name(),
            subdivision_iso_code: subdivision.iso_code.clone(),
            subdivision_name: subdivision.english_name(),
            city_name: city.english_name(),
            city_confidence: city.confidence.map(i64::from),
            timezone: location.time_zone,
            latitude: location.latitude,
            longitude: location.longitude,
            accuracy_radius: location.accuracy_radius.map(i64::from),
            postal_code: postal.code,
            postal_confidence: postal.confidence.map(i64::from),
            asn: traits
                .autonomous_system_number
                .or(top.autonomous_system_number)
                .map(i64::from),
            organization_name: pick_text(
                traits.autonomous_system_organization,
                top.autonomous_system_organization,
            ),
            hosting_provider: pick_flag(traits.is_hosting_provider, top.is_hosting_provider),
            tor_exit_node: pick_flag(traits.is_tor_exit_node, top.is_tor_exit_node),
            anonymous_vpn: pick_flag(traits.is_anonymous_vpn, top.is_anonymous_vpn),
            anonymous: pick_flag(traits.is_anonymous, top.is_anonymous),
            public_proxy: pick_flag(traits.is_public_proxy, top.is_public_proxy),
            residential_proxy: pick_flag(traits.is_residential_proxy, top.is_residential_proxy),
            domain: pick_text(traits.domain, top.domain),
            isp: pick_text(traits.isp, top.isp),
            isp_organization_name: pick_text(traits.organization, top.organization),
            mobile_country_code: pick_text(traits.mobile_country_code, top.mobile_country_code),
            mobile_network_code: pick_text(traits.mobile_network_code, top.mobile_network_code),
            user_type: pick_text(traits.user_type, top.user_type),
            connection_type: pick_text(traits.connection_type, top.connection_type),
        }
    }
}

#[cfg(test)]
mod tests {
    //! Test files come from [`crate::mmdb_writer`], so the `.mmdb` path is
    //! exercised without shipping MaxMind's binary test databases.

    use crate::mmdb_writer::{MmdbValue as D, write_ipv4_database};
    use crate::provider::DatabaseProvider;
    use crate::{DatabaseKind, geo_data, parse_ip_literal};

    fn named(name: &'static str) -> D<'static> {
        D::Map(vec![("en", D::Str(name)), ("de", D::Str("x"))])
    }

    fn city_record() -> D<'static> {
        D::Map(vec![
            ("city", D::Map(vec![("names", named("Linköping"))])),
            (
                "continent",
                D::Map(vec![("code", D::Str("EU")), ("names", named("Europe"))]),
            ),
            (
                "country",
                D::Map(vec![
                    ("iso_code", D::Str("SE")),
                    ("is_in_european_union", D::Bool(true)),
                    ("names", named("Sweden")),
                ]),
            ),
            (
                "location",
                D::Map(vec![
                    ("accuracy_radius", D::U16(76)),
                    ("latitude", D::F64(58.4167)),
                    ("longitude", D::F64(15.6167)),
                    ("time_zone", D::Str("Europe/Stockholm")),
                ]),
            ),
            (
                "subdivisions",
                D::Arr(vec![D::Map(vec![
                    ("iso_code", D::Str("E")),
                    ("names", named("Östergötland County")),
                ])]),
            ),
            (
                "traits",
                D::Map(vec![("is_anonymous_proxy", D::Bool(false))]),
            ),
        ])
    }

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("isc_geoip_{name}_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn document(provider: &DatabaseProvider, file: &str, ip: &str) -> String {
        let db = provider.database(file).unwrap().unwrap();
        let kind = db.kind().unwrap();
        let ip = parse_ip_literal(ip).unwrap();
        match db.lookup(ip).unwrap() {
            Some(record) => {
                let props = kind.parse_properties(None).unwrap();
                let map = geo_data(kind, &props, ip, &record);
                isc_value::to_json_string(&isc_value::Value::Map(map))
            }
            None => "not found".to_owned(),
        }
    }

    #[test]
    fn city_mmdb_is_read_as_elasticsearch_reads_it() {
        let dir = temp_dir("city");
        let network = std::net::Ipv4Addr::new(89, 160, 20, 128);
        let bytes = write_ipv4_database("GeoIP2-City", &[(network, 25, city_record())]);
        std::fs::write(dir.join("GeoIP2-City.mmdb"), bytes).unwrap();
        let provider = DatabaseProvider::from_directory(&dir);
        let db = provider.database("GeoIP2-City.mmdb").unwrap().unwrap();
        assert_eq!(db.kind(), Some(DatabaseKind::City));
        assert_eq!(
            document(&provider, "GeoIP2-City.mmdb", "89.160.20.200"),
            r#"{"country_iso_code":"SE","country_name":"Sweden","continent_name":"Europe","region_iso_code":"SE-E","region_name":"Östergötland County","city_name":"Linköping","location":{"lat":58.4167,"lon":15.6167}}"#
        );
        assert_eq!(
            document(&provider, "GeoIP2-City.mmdb", "89.160.20.1"),
            "not found"
        );
        let record = db
            .lookup(parse_ip_literal("89.160.20.130").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(record.network.unwrap().to_string(), "89.160.20.128/25");
        assert_eq!(record.accuracy_radius, Some(76));
        assert!(record.country_in_european_union);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn asn_mmdb_fields_sit_at_the_top_level() {
        let dir = temp_dir("asn");
        let record = D::Map(vec![
            ("autonomous_system_number", D::U32(29518)),
            ("autonomous_system_organization", D::Str("Bredband2 AB")),
        ]);
        let network = std::net::Ipv4Addr::new(89, 160, 0, 0);
        std::fs::write(
            dir.join("GeoLite2-ASN.mmdb"),
            write_ipv4_database("GeoLite2-ASN", &[(network, 17, record)]),
        )
        .unwrap();
        let provider = DatabaseProvider::directory_then_builtin(&dir);
        assert_eq!(
            document(&provider, "GeoLite2-ASN.mmdb", "89.160.20.128"),
            r#"{"ip":"89.160.20.128","asn":29518,"organization_name":"Bredband2 AB","network":"89.160.0.0/17"}"#
        );
        // The directory's file wins; other names still come built in.
        assert!(provider.database("GeoLite2-City.mmdb").unwrap().is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
