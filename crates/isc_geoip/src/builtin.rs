//! The built-in test databases: elastic-package's test GeoIP records,
//! embedded as tables (see `data/*.tsv`) and looked up as a MaxMind reader
//! would look up the `.mmdb` files made from them.
//!
//! MaxMind databases are IPv6 trees with the IPv4 space at `::/96`; the
//! 6to4 (`2002::/16`) and Teredo (`2001::/32`) ranges are aliased onto it, so
//! an IPv6 address there answers with the IPv4 record of its embedded
//! address, and the reported network counts the alias prefix.

use std::net::IpAddr;
use std::sync::OnceLock;

use crate::record::{GeoRecord, Network};

/// The file names the built-in databases answer to, as Elasticsearch's
/// `ingest-geoip` configuration directory holds them in elastic-package's
/// test stack, with each table's text.
const TABLES: [(&str, &str); 3] = [
    (
        "GeoLite2-City.mmdb",
        include_str!("../data/GeoLite2-City.tsv"),
    ),
    (
        "GeoLite2-Country.mmdb",
        include_str!("../data/GeoLite2-Country.tsv"),
    ),
    (
        "GeoLite2-ASN.mmdb",
        include_str!("../data/GeoLite2-ASN.tsv"),
    ),
];

/// One embedded test database.
#[derive(Debug)]
pub(crate) struct BuiltinDatabase {
    database_type: String,
    /// Non-overlapping networks in the 128-bit space, sorted by first address.
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    first: u128,
    last: u128,
    /// Prefix length in the 128-bit tree (IPv4 networks count 96 more).
    tree_prefix: u8,
    record: GeoRecord,
}

/// The built-in database for a file name, parsed on first use.
pub(crate) fn builtin_database(file_name: &str) -> Option<&'static BuiltinDatabase> {
    static PARSED: OnceLock<Vec<(&'static str, BuiltinDatabase)>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        TABLES
            .iter()
            .map(|(name, text)| (*name, BuiltinDatabase::parse(text)))
            .collect()
    });
    parsed
        .iter()
        .find(|(name, _)| *name == file_name)
        .map(|(_, db)| db)
}

/// The file names of the built-in databases.
pub(crate) fn builtin_file_names() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(name, _)| *name)
}

impl BuiltinDatabase {
    /// The `database_type` of the database's metadata.
    pub(crate) fn database_type(&self) -> &str {
        &self.database_type
    }

    /// The record for an address, with the matched network, or `None`.
    pub(crate) fn lookup(&self, ip: IpAddr) -> Option<GeoRecord> {
        let (key, alias_prefix) = match ip {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), Some(0u8)),
            IpAddr::V6(v6) => {
                let bits = u128::from(v6);
                if bits >> 112 == 0x2002 {
                    (u128::from((bits >> 80) as u32), Some(16))
                } else if bits >> 96 == 0x2001_0000 {
                    (u128::from((bits >> 64) as u32), Some(32))
                } else {
                    (bits, None)
                }
            }
        };
        let index = self
            .entries
            .partition_point(|e| e.first <= key)
            .checked_sub(1)?;
        let entry = &self.entries[index];
        if key > entry.last {
            return None;
        }
        let prefix_len = match alias_prefix {
            // Aliased lookups land in the IPv4 subtree only.
            Some(alias) => alias + entry.tree_prefix.checked_sub(96)?,
            None => entry.tree_prefix,
        };
        let mut record = entry.record.clone();
        record.network = Some(Network::containing(ip, prefix_len));
        Some(record)
    }

    /// Reads one table; lines that do not parse are skipped (the generator
    /// writes only well-formed ones, and tests check every line is read).
    fn parse(text: &str) -> BuiltinDatabase {
        let mut database_type = String::new();
        let mut columns: Vec<&str> = Vec::new();
        let mut entries = Vec::new();
        for line in text.lines() {
            if let Some(value) = line.strip_prefix("#database_type\t") {
                database_type = value.to_owned();
            } else if let Some(names) = line.strip_prefix("#columns\t") {
                columns = names.split('\t').collect();
            } else if !line.starts_with('#') && !line.is_empty() {
                if let Some(entry) = parse_entry(&columns, line) {
                    entries.push(entry);
                }
            }
        }
        entries.sort_by_key(|e| e.first);
        BuiltinDatabase {
            database_type,
            entries,
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

fn parse_entry(columns: &[&str], line: &str) -> Option<Entry> {
    let mut cells = line.split('\t');
    let network = cells.next()?;
    let (address, prefix) = network.split_once('/')?;
    let prefix: u8 = prefix.parse().ok()?;
    let (first, tree_prefix) = match address.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) if prefix <= 32 => (u128::from(u32::from(v4)), prefix + 96),
        IpAddr::V6(v6) if prefix <= 128 => (u128::from(v6), prefix),
        _ => return None,
    };
    let span = u128::MAX.checked_shr(u32::from(tree_prefix)).unwrap_or(0);
    let mut record = GeoRecord::default();
    for (&column, cell) in columns.iter().skip(1).zip(cells) {
        if !cell.is_empty() {
            set_column(&mut record, column, cell);
        }
    }
    Some(Entry {
        first,
        last: first | span,
        tree_prefix,
        record,
    })
}

fn set_column(record: &mut GeoRecord, column: &str, cell: &str) {
    let text = || Some(cell.to_owned());
    match column {
        "continent_code" => record.continent_code = text(),
        "continent_name" => record.continent_name = text(),
        "country_iso_code" => record.country_iso_code = text(),
        "country_name" => record.country_name = text(),
        "country_in_european_union" => record.country_in_european_union = cell == "true",
        "registered_country_iso_code" => record.registered_country_iso_code = text(),
        "registered_country_name" => record.registered_country_name = text(),
        "registered_country_in_european_union" => {
            record.registered_country_in_european_union = cell == "true";
        }
        "subdivision_iso_code" => record.subdivision_iso_code = text(),
        "subdivision_name" => record.subdivision_name = text(),
        "city_name" => record.city_name = text(),
        "timezone" => record.timezone = text(),
        "latitude" => record.latitude = cell.parse().ok(),
        "longitude" => record.longitude = cell.parse().ok(),
        "accuracy_radius" => record.accuracy_radius = cell.parse().ok(),
        "postal_code" => record.postal_code = text(),
        "asn" => record.asn = cell.parse().ok(),
        "organization_name" => record.organization_name = text(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_ip_literal;

    fn lookup(file: &str, ip: &str) -> Option<GeoRecord> {
        builtin_database(file)
            .unwrap()
            .lookup(parse_ip_literal(ip).unwrap())
    }

    fn data_lines(text: &str) -> usize {
        text.lines().filter(|l| !l.starts_with('#')).count()
    }

    #[test]
    fn every_table_line_is_read() {
        for (name, text) in TABLES {
            assert_eq!(
                builtin_database(name).unwrap().len(),
                data_lines(text),
                "{name}"
            );
        }
    }

    #[test]
    fn database_types_are_geolite2() {
        assert_eq!(
            builtin_database("GeoLite2-City.mmdb")
                .unwrap()
                .database_type(),
            "GeoLite2-City"
        );
        assert_eq!(
            builtin_database("GeoLite2-ASN.mmdb")
                .unwrap()
                .database_type(),
            "GeoLite2-ASN"
        );
    }

    #[test]
    fn city_record_of_a_maxmind_test_range() {
        let r = lookup("GeoLite2-City.mmdb", "89.160.20.128").unwrap();
        assert_eq!(r.city_name.as_deref(), Some("Linköping"));
        assert_eq!(r.country_iso_code.as_deref(), Some("SE"));
        assert_eq!(r.subdivision_iso_code.as_deref(), Some("E"));
        assert_eq!(r.latitude, Some(58.4167));
        assert_eq!(r.network.unwrap().to_string(), "89.160.20.128/25");
    }

    #[test]
    fn documentation_ranges_are_answered() {
        let r = lookup("GeoLite2-City.mmdb", "192.0.2.1").unwrap();
        assert_eq!(r.city_name.as_deref(), Some("Las Vegas"));
        let asn = lookup("GeoLite2-ASN.mmdb", "198.51.100.7").unwrap();
        assert_eq!(asn.asn, Some(64501));
        assert!(lookup("GeoLite2-ASN.mmdb", "2001:db8::1").is_some());
    }

    #[test]
    fn private_addresses_are_not_found() {
        assert_eq!(lookup("GeoLite2-City.mmdb", "10.0.0.1"), None);
        assert_eq!(lookup("GeoLite2-City.mmdb", "127.0.0.1"), None);
        assert_eq!(lookup("GeoLite2-ASN.mmdb", "fd00::1"), None);
    }

    #[test]
    fn ipv6_network_is_printed_uncompressed() {
        let r = lookup("GeoLite2-City.mmdb", "2a02:cf40::").unwrap();
        assert_eq!(r.country_iso_code.as_deref(), Some("NO"));
        assert_eq!(r.network.unwrap().to_string(), "2a02:cf40:0:0:0:0:0:0/29");
    }

    #[test]
    fn sixtofour_addresses_alias_onto_ipv4() {
        // 2002:59a0:1480:: embeds 89.160.20.128.
        let r = lookup("GeoLite2-City.mmdb", "2002:59a0:1480::1").unwrap();
        assert_eq!(r.city_name.as_deref(), Some("Linköping"));
        assert_eq!(r.network.unwrap().prefix_len, 16 + 25);
    }
}
