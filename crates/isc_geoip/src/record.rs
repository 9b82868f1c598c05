//! What a database knows about one address, independent of its source.

use std::net::IpAddr;

use isc_value::format_host_address;

/// The network a lookup matched: its address (host bits cleared) and prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    /// The first address of the network.
    pub address: IpAddr,
    /// The prefix length, counted in the address's own family.
    pub prefix_len: u8,
}

impl Network {
    /// The network containing `ip` with the given prefix length.
    pub fn containing(ip: IpAddr, prefix_len: u8) -> Network {
        let address = match ip {
            IpAddr::V4(v4) => {
                let bits = u32::from(v4);
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(prefix_len.min(32)))
                    .unwrap_or(0);
                IpAddr::V4((bits & mask).into())
            }
            IpAddr::V6(v6) => {
                let bits = u128::from(v6);
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(prefix_len.min(128)))
                    .unwrap_or(0);
                IpAddr::V6((bits & mask).into())
            }
        };
        Network {
            address,
            prefix_len,
        }
    }
}

/// MaxMind's `Network.toString()`: Java `getHostAddress()` of the network
/// address (IPv6 uncompressed, `2a02:cf40:0:0:0:0:0:0`), `/`, prefix length.
impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}",
            format_host_address(self.address),
            self.prefix_len
        )
    }
}

/// Everything a database record can say about an address, in English.
///
/// Each database kind fills the fields it has; absent fields stay `None`
/// and the matching properties are left out of the document, as
/// Elasticsearch leaves out `null` values. Flags that MaxMind's Java model
/// types as primitive `boolean` (the anonymiser flags) are `false` when the
/// record lacks them.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct GeoRecord {
    /// The network the address matched.
    pub network: Option<Network>,
    /// `continent.code`.
    pub continent_code: Option<String>,
    /// `continent.names.en`.
    pub continent_name: Option<String>,
    /// `country.iso_code`.
    pub country_iso_code: Option<String>,
    /// `country.names.en`.
    pub country_name: Option<String>,
    /// `country.is_in_european_union` (`false` when absent).
    pub country_in_european_union: bool,
    /// `country.confidence` (Enterprise).
    pub country_confidence: Option<i64>,
    /// `registered_country.iso_code`.
    pub registered_country_iso_code: Option<String>,
    /// `registered_country.names.en`.
    pub registered_country_name: Option<String>,
    /// `registered_country.is_in_european_union` (`false` when absent).
    pub registered_country_in_european_union: bool,
    /// The most specific subdivision's `iso_code`.
    pub subdivision_iso_code: Option<String>,
    /// The most specific subdivision's `names.en`.
    pub subdivision_name: Option<String>,
    /// `city.names.en`.
    pub city_name: Option<String>,
    /// `city.confidence` (Enterprise).
    pub city_confidence: Option<i64>,
    /// `location.time_zone`.
    pub timezone: Option<String>,
    /// `location.latitude`.
    pub latitude: Option<f64>,
    /// `location.longitude`.
    pub longitude: Option<f64>,
    /// `location.accuracy_radius`.
    pub accuracy_radius: Option<i64>,
    /// `postal.code`.
    pub postal_code: Option<String>,
    /// `postal.confidence` (Enterprise).
    pub postal_confidence: Option<i64>,
    /// `autonomous_system_number`.
    pub asn: Option<i64>,
    /// `autonomous_system_organization`.
    pub organization_name: Option<String>,
    /// `is_hosting_provider`.
    pub hosting_provider: bool,
    /// `is_tor_exit_node`.
    pub tor_exit_node: bool,
    /// `is_anonymous_vpn`.
    pub anonymous_vpn: bool,
    /// `is_anonymous`.
    pub anonymous: bool,
    /// `is_public_proxy`.
    pub public_proxy: bool,
    /// `is_residential_proxy`.
    pub residential_proxy: bool,
    /// `domain`.
    pub domain: Option<String>,
    /// `isp`.
    pub isp: Option<String>,
    /// `organization` (the ISP's organisation).
    pub isp_organization_name: Option<String>,
    /// `mobile_country_code`.
    pub mobile_country_code: Option<String>,
    /// `mobile_network_code`.
    pub mobile_network_code: Option<String>,
    /// `user_type`.
    pub user_type: Option<String>,
    /// `connection_type`.
    pub connection_type: Option<String>,
}
