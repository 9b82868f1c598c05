//! Database kinds and the properties each can report, with Elasticsearch's
//! defaults (`Database.java` in `ingest-geoip`).

use crate::error::GeoIpError;

/// The kind of a database, recognised from the `database_type` in its
/// metadata by suffix (case-sensitive, as Elasticsearch does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DatabaseKind {
    /// `*-City`: location down to the city.
    City,
    /// `*-Country`: country and continent.
    Country,
    /// `*-ASN`: autonomous system.
    Asn,
    /// `*-Anonymous-IP`: anonymiser flags.
    AnonymousIp,
    /// `*-Connection-Type`: the connection type.
    ConnectionType,
    /// `*-Domain`: the second-level domain.
    Domain,
    /// `*-Enterprise`: everything together.
    Enterprise,
    /// `*-ISP`: ISP, ASN and mobile codes.
    Isp,
}

/// One piece of information the processor can write, named as in the
/// `properties` option (lower case) and in Elasticsearch's enum (upper case).
///
/// The variant order is Elasticsearch's enum order, which its error
/// messages list valid values in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Property {
    /// `ip`: the looked-up address.
    Ip,
    /// `country_confidence`.
    CountryConfidence,
    /// `country_in_european_union`.
    CountryInEuropeanUnion,
    /// `country_iso_code`.
    CountryIsoCode,
    /// `country_name`.
    CountryName,
    /// `continent_code`.
    ContinentCode,
    /// `continent_name`.
    ContinentName,
    /// `region_iso_code`: `<country>-<subdivision>`.
    RegionIsoCode,
    /// `region_name`.
    RegionName,
    /// `city_confidence`.
    CityConfidence,
    /// `city_name`.
    CityName,
    /// `timezone`.
    Timezone,
    /// `location`: `{lat, lon}`.
    Location,
    /// `asn`.
    Asn,
    /// `organization_name`.
    OrganizationName,
    /// `network`: the matched network in CIDR form.
    Network,
    /// `hosting_provider`.
    HostingProvider,
    /// `tor_exit_node`.
    TorExitNode,
    /// `anonymous_vpn`.
    AnonymousVpn,
    /// `anonymous`.
    Anonymous,
    /// `public_proxy`.
    PublicProxy,
    /// `residential_proxy`.
    ResidentialProxy,
    /// `domain`.
    Domain,
    /// `isp`.
    Isp,
    /// `isp_organization_name`.
    IspOrganizationName,
    /// `mobile_country_code`.
    MobileCountryCode,
    /// `mobile_network_code`.
    MobileNetworkCode,
    /// `connection_type`.
    ConnectionType,
    /// `user_type`.
    UserType,
    /// `postal_code`.
    PostalCode,
    /// `postal_confidence`.
    PostalConfidence,
    /// `accuracy_radius`.
    AccuracyRadius,
    /// `registered_country_in_european_union`.
    RegisteredCountryInEuropeanUnion,
    /// `registered_country_iso_code`.
    RegisteredCountryIsoCode,
    /// `registered_country_name`.
    RegisteredCountryName,
}

use Property as P;

/// Every property: what the `Enterprise` database reports, and what
/// [`Property::from_upper_name`] searches.
const ALL_PROPERTIES: &[Property] = &[
    P::Ip,
    P::CountryConfidence,
    P::CountryInEuropeanUnion,
    P::CountryIsoCode,
    P::CountryName,
    P::ContinentCode,
    P::ContinentName,
    P::RegionIsoCode,
    P::RegionName,
    P::CityConfidence,
    P::CityName,
    P::Timezone,
    P::Location,
    P::Asn,
    P::OrganizationName,
    P::Network,
    P::HostingProvider,
    P::TorExitNode,
    P::AnonymousVpn,
    P::Anonymous,
    P::PublicProxy,
    P::ResidentialProxy,
    P::Domain,
    P::Isp,
    P::IspOrganizationName,
    P::MobileCountryCode,
    P::MobileNetworkCode,
    P::ConnectionType,
    P::UserType,
    P::PostalCode,
    P::PostalConfidence,
    P::AccuracyRadius,
    P::RegisteredCountryInEuropeanUnion,
    P::RegisteredCountryIsoCode,
    P::RegisteredCountryName,
];

impl Property {
    /// The name as written in documents and in the `properties` option.
    pub fn name(self) -> &'static str {
        match self {
            P::Ip => "ip",
            P::CountryConfidence => "country_confidence",
            P::CountryInEuropeanUnion => "country_in_european_union",
            P::CountryIsoCode => "country_iso_code",
            P::CountryName => "country_name",
            P::ContinentCode => "continent_code",
            P::ContinentName => "continent_name",
            P::RegionIsoCode => "region_iso_code",
            P::RegionName => "region_name",
            P::CityConfidence => "city_confidence",
            P::CityName => "city_name",
            P::Timezone => "timezone",
            P::Location => "location",
            P::Asn => "asn",
            P::OrganizationName => "organization_name",
            P::Network => "network",
            P::HostingProvider => "hosting_provider",
            P::TorExitNode => "tor_exit_node",
            P::AnonymousVpn => "anonymous_vpn",
            P::Anonymous => "anonymous",
            P::PublicProxy => "public_proxy",
            P::ResidentialProxy => "residential_proxy",
            P::Domain => "domain",
            P::Isp => "isp",
            P::IspOrganizationName => "isp_organization_name",
            P::MobileCountryCode => "mobile_country_code",
            P::MobileNetworkCode => "mobile_network_code",
            P::ConnectionType => "connection_type",
            P::UserType => "user_type",
            P::PostalCode => "postal_code",
            P::PostalConfidence => "postal_confidence",
            P::AccuracyRadius => "accuracy_radius",
            P::RegisteredCountryInEuropeanUnion => "registered_country_in_european_union",
            P::RegisteredCountryIsoCode => "registered_country_iso_code",
            P::RegisteredCountryName => "registered_country_name",
        }
    }

    /// Java `Property.valueOf(name.toUpperCase(Locale.ROOT))`.
    fn from_upper_name(name: &str) -> Option<Property> {
        ALL_PROPERTIES
            .iter()
            .copied()
            .find(|p| p.name().to_ascii_uppercase() == name)
    }
}

impl DatabaseKind {
    /// Recognises a database from its metadata `database_type`, by suffix.
    pub fn from_database_type(database_type: &str) -> Option<DatabaseKind> {
        const SUFFIXES: [(&str, DatabaseKind); 8] = [
            ("-City", DatabaseKind::City),
            ("-Country", DatabaseKind::Country),
            ("-ASN", DatabaseKind::Asn),
            ("-Anonymous-IP", DatabaseKind::AnonymousIp),
            ("-Connection-Type", DatabaseKind::ConnectionType),
            ("-Domain", DatabaseKind::Domain),
            ("-Enterprise", DatabaseKind::Enterprise),
            ("-ISP", DatabaseKind::Isp),
        ];
        SUFFIXES
            .iter()
            .find(|(suffix, _)| database_type.ends_with(suffix))
            .map(|&(_, kind)| kind)
    }

    /// Every property this kind of database can report.
    pub fn properties(self) -> &'static [Property] {
        match self {
            DatabaseKind::City => &[
                P::Ip,
                P::CountryInEuropeanUnion,
                P::CountryIsoCode,
                P::CountryName,
                P::ContinentCode,
                P::ContinentName,
                P::RegionIsoCode,
                P::RegionName,
                P::CityName,
                P::Timezone,
                P::Location,
                P::PostalCode,
                P::AccuracyRadius,
                P::RegisteredCountryInEuropeanUnion,
                P::RegisteredCountryIsoCode,
                P::RegisteredCountryName,
            ],
            DatabaseKind::Country => &[
                P::Ip,
                P::CountryInEuropeanUnion,
                P::CountryIsoCode,
                P::CountryName,
                P::ContinentCode,
                P::ContinentName,
                P::RegisteredCountryInEuropeanUnion,
                P::RegisteredCountryIsoCode,
                P::RegisteredCountryName,
            ],
            DatabaseKind::Asn => &[P::Ip, P::Asn, P::OrganizationName, P::Network],
            DatabaseKind::AnonymousIp => &[
                P::Ip,
                P::HostingProvider,
                P::TorExitNode,
                P::AnonymousVpn,
                P::Anonymous,
                P::PublicProxy,
                P::ResidentialProxy,
            ],
            DatabaseKind::ConnectionType => &[P::Ip, P::ConnectionType],
            DatabaseKind::Domain => &[P::Ip, P::Domain],
            // Enterprise reports every property, in the one order of the list.
            DatabaseKind::Enterprise => ALL_PROPERTIES,
            DatabaseKind::Isp => &[
                P::Ip,
                P::Asn,
                P::OrganizationName,
                P::Network,
                P::Isp,
                P::IspOrganizationName,
                P::MobileCountryCode,
                P::MobileNetworkCode,
            ],
        }
    }

    /// The properties written when the `properties` option is absent.
    pub fn default_properties(self) -> &'static [Property] {
        const LOCATION_DEFAULTS: &[Property] = &[
            P::CountryIsoCode,
            P::CountryName,
            P::ContinentName,
            P::RegionIsoCode,
            P::RegionName,
            P::CityName,
            P::Location,
        ];
        match self {
            DatabaseKind::City | DatabaseKind::Enterprise => LOCATION_DEFAULTS,
            DatabaseKind::Country => &[P::CountryIsoCode, P::CountryName, P::ContinentName],
            DatabaseKind::Asn => &[P::Ip, P::Asn, P::OrganizationName, P::Network],
            // Every property of the kind except the leading `ip`.
            DatabaseKind::AnonymousIp | DatabaseKind::ConnectionType | DatabaseKind::Domain => {
                &self.properties()[1..]
            }
            DatabaseKind::Isp => self.properties(),
        }
    }

    /// Parses the `properties` option: `None` gives the defaults; each name
    /// is matched case-insensitively and must be valid for this kind.
    /// The result is sorted and free of duplicates.
    pub fn parse_properties(self, names: Option<&[String]>) -> Result<Vec<Property>, GeoIpError> {
        let Some(names) = names else {
            let mut defaults = self.default_properties().to_vec();
            defaults.sort();
            return Ok(defaults);
        };
        let valid = self.properties();
        let mut parsed = Vec::with_capacity(names.len());
        for name in names {
            // Java's toUpperCase(Locale.ROOT) also maps non-ASCII letters.
            let upper = name.to_uppercase();
            match Property::from_upper_name(&upper).filter(|p| valid.contains(p)) {
                Some(property) => parsed.push(property),
                None => {
                    let mut sorted = valid.to_vec();
                    sorted.sort();
                    let listed: Vec<String> = sorted
                        .iter()
                        .map(|p| p.name().to_ascii_uppercase())
                        .collect();
                    return Err(GeoIpError::IllegalProperty {
                        value: name.clone(),
                        valid: listed.join(", "),
                    });
                }
            }
        }
        parsed.sort();
        parsed.dedup();
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_recognised_by_suffix() {
        assert_eq!(
            DatabaseKind::from_database_type("GeoLite2-City"),
            Some(DatabaseKind::City)
        );
        assert_eq!(
            DatabaseKind::from_database_type("GeoIP2-Country"),
            Some(DatabaseKind::Country)
        );
        assert_eq!(
            DatabaseKind::from_database_type("GeoLite2-ASN"),
            Some(DatabaseKind::Asn)
        );
        assert_eq!(
            DatabaseKind::from_database_type("GeoIP2-Anonymous-IP"),
            Some(DatabaseKind::AnonymousIp)
        );
        assert_eq!(DatabaseKind::from_database_type("GeoLite2-city"), None);
    }

    #[test]
    fn city_defaults_leave_out_timezone_and_ip() {
        let props = DatabaseKind::City.parse_properties(None).unwrap();
        assert!(!props.contains(&Property::Timezone));
        assert!(!props.contains(&Property::Ip));
        assert_eq!(props.len(), 7);
    }

    #[test]
    fn asn_defaults_include_ip_and_network() {
        let props = DatabaseKind::Asn.parse_properties(None).unwrap();
        assert_eq!(props, vec![P::Ip, P::Asn, P::OrganizationName, P::Network]);
    }

    #[test]
    fn anonymous_ip_connection_type_and_domain_defaults_drop_only_ip() {
        assert_eq!(
            DatabaseKind::AnonymousIp.default_properties(),
            &[
                Property::HostingProvider,
                Property::TorExitNode,
                Property::AnonymousVpn,
                Property::Anonymous,
                Property::PublicProxy,
                Property::ResidentialProxy,
            ]
        );
        assert_eq!(
            DatabaseKind::ConnectionType.default_properties(),
            &[Property::ConnectionType]
        );
        assert_eq!(
            DatabaseKind::Domain.default_properties(),
            &[Property::Domain]
        );
    }

    #[test]
    fn property_names_match_case_insensitively() {
        let names = vec!["Country_ISO_code".to_owned(), "ip".to_owned()];
        let props = DatabaseKind::Country
            .parse_properties(Some(&names))
            .unwrap();
        assert_eq!(props, vec![P::Ip, P::CountryIsoCode]);
    }

    #[test]
    fn invalid_property_lists_valid_ones_in_enum_order() {
        let names = vec!["asn".to_owned()];
        let err = DatabaseKind::Country
            .parse_properties(Some(&names))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "illegal property value [asn]. valid values are [IP, COUNTRY_IN_EUROPEAN_UNION, \
             COUNTRY_ISO_CODE, COUNTRY_NAME, CONTINENT_CODE, CONTINENT_NAME, \
             REGISTERED_COUNTRY_IN_EUROPEAN_UNION, REGISTERED_COUNTRY_ISO_CODE, \
             REGISTERED_COUNTRY_NAME]"
        );
    }
}
