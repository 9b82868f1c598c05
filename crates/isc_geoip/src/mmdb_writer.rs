//! A tiny MaxMind DB writer for tests: builds small IPv4 `.mmdb` files so
//! the `.mmdb` reading path (here and in the `geoip` processor) is
//! exercised without shipping MaxMind's binary test databases.
//!
//! Compiled for this crate's tests and, for other crates' tests, with the
//! `mmdb-writer` feature (`isc_geoip = { ..., features = ["mmdb-writer"] }`
//! under `[dev-dependencies]`). It writes the MaxMind DB format 2.0 with
//! 24-bit records and only the value types a GeoIP record needs.
//!
//! ```
//! use isc_geoip::DatabaseProvider;
//! use isc_geoip::mmdb_writer::{MmdbValue, write_ipv4_database};
//!
//! let asn = MmdbValue::Map(vec![
//!     ("autonomous_system_number", MmdbValue::U32(64512)),
//!     ("autonomous_system_organization", MmdbValue::Str("Example")),
//! ]);
//! let dir = std::env::temp_dir().join(format!("mmdb_writer_doc_{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let bytes = write_ipv4_database("GeoLite2-ASN", &[([10, 0, 0, 0].into(), 8, asn)]);
//! std::fs::write(dir.join("Example-ASN.mmdb"), bytes)?;
//! let provider = DatabaseProvider::from_directory(&dir);
//! let database = provider.database("Example-ASN.mmdb")?.expect("written above");
//! assert_eq!(database.database_type(), "GeoLite2-ASN");
//! assert!(database.lookup("10.1.2.3".parse()?)?.is_some());
//! std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::net::Ipv4Addr;

/// A MaxMind DB data value.
#[derive(Debug, Clone, PartialEq)]
pub enum MmdbValue<'a> {
    /// A UTF-8 string.
    Str(&'a str),
    /// An unsigned 16-bit integer.
    U16(u16),
    /// An unsigned 32-bit integer.
    U32(u32),
    /// A double.
    F64(f64),
    /// A boolean.
    Bool(bool),
    /// A map with string keys, in the given order.
    Map(Vec<(&'a str, MmdbValue<'a>)>),
    /// An array.
    Arr(Vec<MmdbValue<'a>>),
}

/// An IPv4 database of `database_type` (the metadata's `database_type`,
/// such as `GeoIP2-City`) holding each record for its network, given as
/// address and prefix length (lengths above 32 count as 32; a network
/// inside an earlier one is not supported).
pub fn write_ipv4_database(
    database_type: &str,
    records: &[(Ipv4Addr, u8, MmdbValue<'_>)],
) -> Vec<u8> {
    const EMPTY: u64 = u64::MAX;
    const DATA: u64 = 1 << 63;
    let mut nodes: Vec<[u64; 2]> = vec![[EMPTY, EMPTY]];
    let mut data = Vec::new();
    for (address, prefix, record) in records {
        let address = u32::from(*address);
        let prefix = (*prefix).min(32);
        let offset = data.len() as u64;
        encode(&mut data, record);
        let mut node = 0usize;
        for bit in 0..prefix {
            let side = ((address >> (31 - bit)) & 1) as usize;
            if bit + 1 == prefix {
                nodes[node][side] = DATA | offset;
            } else {
                if nodes[node][side] == EMPTY {
                    nodes.push([EMPTY, EMPTY]);
                    nodes[node][side] = (nodes.len() - 1) as u64;
                }
                node = nodes[node][side] as usize;
            }
        }
    }
    let count = nodes.len() as u64;
    let mut out = Vec::new();
    for node in &nodes {
        for record in node {
            let value = match *record {
                EMPTY => count,
                r if r & DATA != 0 => count + 16 + (r & !DATA),
                r => r,
            };
            out.extend_from_slice(&(value as u32).to_be_bytes()[1..]);
        }
    }
    out.extend_from_slice(&[0; 16]);
    out.extend(data);
    out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
    let metadata = MmdbValue::Map(vec![
        ("binary_format_major_version", MmdbValue::U16(2)),
        ("binary_format_minor_version", MmdbValue::U16(0)),
        ("build_epoch", MmdbValue::U32(1)),
        ("database_type", MmdbValue::Str(database_type)),
        (
            "description",
            MmdbValue::Map(vec![("en", MmdbValue::Str("test"))]),
        ),
        ("ip_version", MmdbValue::U16(4)),
        ("languages", MmdbValue::Arr(vec![MmdbValue::Str("en")])),
        ("node_count", MmdbValue::U32(count as u32)),
        ("record_size", MmdbValue::U16(24)),
    ]);
    encode(&mut out, &metadata);
    out
}

/// A control byte (and extended type and size bytes) for a value of
/// `kind` holding `size` bytes or entries.
fn control(out: &mut Vec<u8>, kind: u8, size: usize) {
    let (first, extra): (u8, Vec<u8>) = match size {
        0..=28 => (size as u8, vec![]),
        29..=284 => (29, vec![(size - 29) as u8]),
        _ => (30, ((size - 285) as u16).to_be_bytes().to_vec()),
    };
    if kind <= 7 {
        out.push((kind << 5) | first);
    } else {
        out.push(first);
        out.push(kind - 7);
    }
    out.extend(extra);
}

fn encode(out: &mut Vec<u8>, value: &MmdbValue<'_>) {
    match value {
        MmdbValue::Str(s) => {
            control(out, 2, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        MmdbValue::F64(f) => {
            control(out, 3, 8);
            out.extend_from_slice(&f.to_be_bytes());
        }
        MmdbValue::U16(n) => {
            control(out, 5, 2);
            out.extend_from_slice(&n.to_be_bytes());
        }
        MmdbValue::U32(n) => {
            control(out, 6, 4);
            out.extend_from_slice(&n.to_be_bytes());
        }
        MmdbValue::Map(entries) => {
            control(out, 7, entries.len());
            for (k, v) in entries {
                encode(out, &MmdbValue::Str(k));
                encode(out, v);
            }
        }
        MmdbValue::Arr(items) => {
            control(out, 11, items.len());
            for item in items {
                encode(out, item);
            }
        }
        MmdbValue::Bool(b) => control(out, 14, usize::from(*b)),
    }
}
