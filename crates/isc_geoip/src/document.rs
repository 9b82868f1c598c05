//! A lookup result as the document map Elasticsearch writes to
//! `target_field` (`MaxmindIpDataLookups.*.transform`).

use std::net::IpAddr;

use isc_value::{Map, Value};

use crate::database::{DatabaseKind, Property};
use crate::record::GeoRecord;
use isc_value::format_network_address;

/// The requested properties of `record` for `ip` looked up in a database of
/// `kind`: absent values are left out, `asn` is a `Long`, `accuracy_radius`
/// and the confidences `Integer`s, `location` a `{lat, lon}` map of doubles.
/// Properties `kind` does not offer are ignored.
pub fn geo_data(
    kind: DatabaseKind,
    properties: &[Property],
    ip: IpAddr,
    record: &GeoRecord,
) -> Map {
    let mut data = Map::default();
    let offered = kind.properties();
    let text = |v: &Option<String>| v.clone().map(Value::String);
    let int = |v: Option<i64>| v.map(Value::from_whole_number);
    // Elasticsearch reports an EU flag only for a country it knows.
    let eu_flag = |iso: &Option<String>, flag: bool| iso.as_ref().map(|_| Value::Bool(flag));
    for &property in properties.iter().filter(|p| offered.contains(p)) {
        let value = match property {
            Property::Ip => Some(Value::String(format_network_address(ip))),
            Property::CountryConfidence => int(record.country_confidence),
            Property::CountryInEuropeanUnion => {
                eu_flag(&record.country_iso_code, record.country_in_european_union)
            }
            Property::CountryIsoCode => text(&record.country_iso_code),
            Property::CountryName => text(&record.country_name),
            Property::ContinentCode => text(&record.continent_code),
            Property::ContinentName => text(&record.continent_name),
            Property::RegionIsoCode => {
                match (&record.country_iso_code, &record.subdivision_iso_code) {
                    (Some(country), Some(subdivision)) => {
                        Some(Value::String(format!("{country}-{subdivision}")))
                    }
                    _ => None,
                }
            }
            Property::RegionName => text(&record.subdivision_name),
            Property::CityConfidence => int(record.city_confidence),
            Property::CityName => text(&record.city_name),
            Property::Timezone => text(&record.timezone),
            Property::Location => match (record.latitude, record.longitude) {
                (Some(lat), Some(lon)) => {
                    let mut location = Map::default();
                    location.insert("lat".to_owned(), Value::Double(lat));
                    location.insert("lon".to_owned(), Value::Double(lon));
                    Some(Value::Map(location))
                }
                _ => None,
            },
            Property::Asn => record.asn.map(Value::Long),
            Property::OrganizationName => text(&record.organization_name),
            Property::Network => record.network.map(|n| Value::String(n.to_string())),
            Property::HostingProvider => Some(Value::Bool(record.hosting_provider)),
            Property::TorExitNode => Some(Value::Bool(record.tor_exit_node)),
            Property::AnonymousVpn => Some(Value::Bool(record.anonymous_vpn)),
            Property::Anonymous => Some(Value::Bool(record.anonymous)),
            Property::PublicProxy => Some(Value::Bool(record.public_proxy)),
            Property::ResidentialProxy => Some(Value::Bool(record.residential_proxy)),
            Property::Domain => text(&record.domain),
            Property::Isp => text(&record.isp),
            Property::IspOrganizationName => text(&record.isp_organization_name),
            Property::MobileCountryCode => text(&record.mobile_country_code),
            Property::MobileNetworkCode => text(&record.mobile_network_code),
            Property::ConnectionType => text(&record.connection_type),
            Property::UserType => text(&record.user_type),
            Property::PostalCode => text(&record.postal_code),
            Property::PostalConfidence => int(record.postal_confidence),
            Property::AccuracyRadius => int(record.accuracy_radius),
            Property::RegisteredCountryInEuropeanUnion => eu_flag(
                &record.registered_country_iso_code,
                record.registered_country_in_european_union,
            ),
            Property::RegisteredCountryIsoCode => text(&record.registered_country_iso_code),
            Property::RegisteredCountryName => text(&record.registered_country_name),
        };
        if let Some(value) = value {
            data.insert(property.name().to_owned(), value);
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_ip_literal;
    use crate::provider::DatabaseProvider;

    fn lookup(file: &str, ip: &str, properties: Option<&[&str]>) -> String {
        let provider = DatabaseProvider::builtin();
        let db = provider.database(file).unwrap().unwrap();
        let kind = db.kind().unwrap();
        let names: Option<Vec<String>> =
            properties.map(|p| p.iter().map(|s| (*s).to_owned()).collect());
        let props = kind.parse_properties(names.as_deref()).unwrap();
        let ip = parse_ip_literal(ip).unwrap();
        match db.lookup(ip).unwrap() {
            Some(record) => {
                isc_value::to_json_string(&Value::Map(geo_data(kind, &props, ip, &record)))
            }
            None => "not found".to_owned(),
        }
    }

    #[test]
    fn city_defaults_for_a_swedish_address() {
        assert_eq!(
            lookup("GeoLite2-City.mmdb", "89.160.20.128", None),
            r#"{"country_iso_code":"SE","country_name":"Sweden","continent_name":"Europe","region_iso_code":"SE-E","region_name":"Östergötland County","city_name":"Linköping","location":{"lat":58.4167,"lon":15.6167}}"#
        );
    }

    #[test]
    fn city_defaults_for_an_american_address() {
        assert_eq!(
            lookup("GeoLite2-City.mmdb", "216.160.83.56", None),
            r#"{"country_iso_code":"US","country_name":"United States","continent_name":"North America","region_iso_code":"US-WA","region_name":"Washington","city_name":"Milton","location":{"lat":47.2513,"lon":-122.3149}}"#
        );
    }

    #[test]
    fn whole_coordinates_stay_doubles_and_missing_fields_are_left_out() {
        assert_eq!(
            lookup("GeoLite2-City.mmdb", "2a02:cf40::", None),
            r#"{"country_iso_code":"NO","country_name":"Norway","continent_name":"Europe","location":{"lat":62.0,"lon":10.0}}"#
        );
    }

    #[test]
    fn city_optional_properties() {
        let props = [
            "ip",
            "timezone",
            "accuracy_radius",
            "postal_code",
            "continent_code",
            "country_in_european_union",
            "registered_country_iso_code",
            "registered_country_name",
            "registered_country_in_european_union",
        ];
        assert_eq!(
            lookup("GeoLite2-City.mmdb", "216.160.83.56", Some(&props)),
            r#"{"ip":"216.160.83.56","country_in_european_union":false,"continent_code":"NA","timezone":"America/Los_Angeles","postal_code":"98354","accuracy_radius":22,"registered_country_in_european_union":false,"registered_country_iso_code":"GB","registered_country_name":"United Kingdom"}"#
        );
    }

    #[test]
    fn country_defaults() {
        assert_eq!(
            lookup("GeoLite2-Country.mmdb", "89.160.20.128", None),
            r#"{"country_iso_code":"SE","country_name":"Sweden","continent_name":"Europe"}"#
        );
    }

    #[test]
    fn asn_defaults_with_ipv4_network() {
        assert_eq!(
            lookup("GeoLite2-ASN.mmdb", "89.160.20.128", None),
            r#"{"ip":"89.160.20.128","asn":29518,"organization_name":"Bredband2 AB","network":"89.160.20.128/25"}"#
        );
    }

    #[test]
    fn asn_of_a_documentation_range() {
        assert_eq!(
            lookup("GeoLite2-ASN.mmdb", "203.0.113.9", None),
            r#"{"ip":"203.0.113.9","asn":64502,"organization_name":"Documentation ASN","network":"203.0.113.0/24"}"#
        );
    }

    #[test]
    fn not_found_addresses_give_nothing() {
        assert_eq!(lookup("GeoLite2-City.mmdb", "127.0.0.1", None), "not found");
        assert_eq!(lookup("GeoLite2-City.mmdb", "::1", None), "not found");
    }
}
