//! `geoip`: Elasticsearch's `GeoIpProcessor` (module `ingest-geoip`). Looks
//! an IP address (or a list of them) up in a MaxMind-format database and
//! writes the requested properties to `target_field` (default `geoip`).
//!
//! Databases come from the engine's [`super::enrichment::EnrichmentOptions`]
//! ([`FactoryContext::enrichment`]):
//! by default the built-in test databases, which answer as
//! elastic-package's test stack does during pipeline tests.
//! A database the provider does not have makes the processor tag documents
//! `_geoip_database_unavailable_<file>`, as Elasticsearch does.
//!
//! The same factory serves `ip_location` (Elasticsearch 8.16+), which
//! differs only in its type name, also used in the unavailable tag.

use std::net::IpAddr;
use std::sync::Arc;

use isc_geoip::{DatabaseKind, IpDatabase, Property};
use isc_value::{Map, Value};

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `geoip` processor's options, compiled.
#[derive(Debug)]
pub struct GeoIp {
    field: FieldPath,
    target_field: FieldPath,
    database: Arc<IpDatabase>,
    kind: DatabaseKind,
    properties: Vec<Property>,
    ignore_missing: bool,
    first_only: bool,
}

/// The stand-in Elasticsearch uses when the database file is not there.
#[derive(Debug)]
pub struct GeoIpDatabaseUnavailable {
    tag: String,
    tags: FieldPath,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let target_field = config.string_or("target_field", "geoip")?;
    let database_file = config.string_or("database_file", "GeoLite2-City.mmdb")?;
    let property_names = config.optional_string_list("properties")?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let first_only = config.bool_or("first_only", true)?;
    // Validated although nothing is ever downloaded here.
    config.bool_or("download_database_on_pipeline_creation", true)?;
    // Deprecated no-op in Elasticsearch 8.x.
    config.take("fallback_to_default_databases");

    let database = ctx
        .enrichment()
        .geoip_databases()
        .database(&database_file)
        .map_err(|e| config.error("database_file", e.to_string()))?;
    let Some(database) = database else {
        return Ok(Box::new(GeoIpDatabaseUnavailable {
            tag: format!("_{}_database_unavailable_{database_file}", config.kind()),
            tags: FieldPath::new("tags"),
        }));
    };
    let kind = database.kind().ok_or_else(|| {
        config.error(
            "database_file",
            format!(
                "Unsupported database type [{}] for file [{database_file}]",
                database.database_type()
            ),
        )
    })?;
    let properties = kind
        .parse_properties(property_names.as_deref())
        .map_err(|e| config.error("properties", e.to_string()))?;
    Ok(Box::new(GeoIp {
        field: FieldPath::new(&field),
        target_field: FieldPath::new(&target_field),
        database,
        kind,
        properties,
        ignore_missing,
        first_only,
    }))
}

impl Processor for GeoIp {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let value = if self.ignore_missing {
            doc.get_opt(&self.field).cloned().unwrap_or_default()
        } else {
            doc.get(&self.field)?.clone()
        };
        let field = self.field.as_str();
        match value {
            Value::Null if self.ignore_missing => {}
            Value::Null => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{field}] is null, cannot extract geoip information."
                )));
            }
            Value::String(ip) => {
                let data = self.geo_data(&ip)?;
                if !data.is_empty() {
                    doc.set(&self.target_field, Value::Map(data))?;
                }
            }
            Value::List(items) => {
                let mut found = Vec::with_capacity(items.len());
                let mut any = false;
                for item in &items {
                    let Value::String(ip) = item else {
                        return Err(IngestError::illegal_argument(format!(
                            "array in field [{field}] should only contain strings"
                        )));
                    };
                    let data = self.geo_data(ip)?;
                    if data.is_empty() {
                        found.push(Value::Null);
                        continue;
                    }
                    if self.first_only {
                        doc.set(&self.target_field, Value::Map(data))?;
                        return Ok(Flow::Continue);
                    }
                    any = true;
                    found.push(Value::Map(data));
                }
                if any {
                    doc.set(&self.target_field, Value::List(found))?;
                }
            }
            _ => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{field}] should contain only string or array of strings"
                )));
            }
        }
        Ok(Flow::Continue)
    }
}

impl GeoIp {
    /// The properties for one address; empty when the database has nothing.
    fn geo_data(&self, text: &str) -> Result<Map, IngestError> {
        let ip: IpAddr = isc_geoip::parse_ip_literal(text)
            .map_err(|e| IngestError::illegal_argument(e.to_string()))?;
        let record = self
            .database
            .lookup(ip)
            .map_err(|e| IngestError::illegal_argument(e.to_string()))?;
        Ok(match record {
            Some(record) => isc_geoip::geo_data(self.kind, &self.properties, ip, &record),
            None => Map::default(),
        })
    }
}

impl Processor for GeoIpDatabaseUnavailable {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        doc.append(&self.tags, Value::String(self.tag.clone()), true)?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    fn geoip(options: &str, source: &str) -> String {
        run(&format!(r#"[{{"geoip":{options}}}]"#), source).unwrap()
    }

    #[test]
    fn city_lookup_writes_the_default_properties() {
        assert_eq!(
            geoip(r#"{"field":"ip"}"#, r#"{"ip":"89.160.20.128"}"#),
            r#"{"ip":"89.160.20.128","geoip":{"country_iso_code":"SE","country_name":"Sweden","continent_name":"Europe","region_iso_code":"SE-E","region_name":"Östergötland County","city_name":"Linköping","location":{"lat":58.4167,"lon":15.6167}}}"#
        );
    }

    #[test]
    fn documentation_ranges_answer_from_the_test_databases() {
        assert_eq!(
            geoip(
                r#"{"field":"ip","target_field":"as","database_file":"GeoLite2-ASN.mmdb"}"#,
                r#"{"ip":"2001:db8::1"}"#
            ),
            r#"{"ip":"2001:db8::1","as":{"ip":"2001:db8::1","asn":65551,"organization_name":"Documentation ASN","network":"2001:db8:0:0:0:0:0:0/32"}}"#
        );
    }

    #[test]
    fn country_database_and_chosen_properties() {
        assert_eq!(
            geoip(
                r#"{"field":"ip","database_file":"GeoLite2-Country.mmdb","properties":["continent_code","ip"]}"#,
                r#"{"ip":"216.160.83.56"}"#
            ),
            r#"{"ip":"216.160.83.56","geoip":{"ip":"216.160.83.56","continent_code":"NA"}}"#
        );
    }

    #[test]
    fn private_and_unknown_addresses_add_nothing() {
        assert_eq!(
            geoip(r#"{"field":"ip"}"#, r#"{"ip":"10.0.0.1"}"#),
            r#"{"ip":"10.0.0.1"}"#
        );
        assert_eq!(
            geoip(r#"{"field":"ip"}"#, r#"{"ip":"127.0.0.1"}"#),
            r#"{"ip":"127.0.0.1"}"#
        );
    }

    #[test]
    fn lists_take_the_first_hit_or_all_with_nulls() {
        let doc = r#"{"ip":["10.0.0.1","2a02:cf40::","89.160.20.128"]}"#;
        let first = geoip(r#"{"field":"ip","properties":["country_iso_code"]}"#, doc);
        assert_eq!(
            first,
            r#"{"ip":["10.0.0.1","2a02:cf40::","89.160.20.128"],"geoip":{"country_iso_code":"NO"}}"#
        );
        let all = geoip(
            r#"{"field":"ip","properties":["country_iso_code"],"first_only":false}"#,
            doc,
        );
        assert_eq!(
            all,
            r#"{"ip":["10.0.0.1","2a02:cf40::","89.160.20.128"],"geoip":[null,{"country_iso_code":"NO"},{"country_iso_code":"SE"}]}"#
        );
        let none = geoip(
            r#"{"field":"ip","first_only":false}"#,
            r#"{"ip":["10.0.0.1"]}"#,
        );
        assert_eq!(none, r#"{"ip":["10.0.0.1"]}"#);
    }

    #[test]
    fn errors_have_elasticsearchs_text() {
        let p = r#"[{"geoip":{"field":"ip"}}]"#;
        assert_eq!(
            run_err(p, r#"{"ip":"www.google.com"}"#),
            "'www.google.com' is not an IP string literal."
        );
        assert_eq!(
            run_err(p, r#"{"ip":null}"#),
            "field [ip] is null, cannot extract geoip information."
        );
        assert_eq!(
            run_err(p, "{}"),
            "field [ip] not present as part of path [ip]"
        );
        assert_eq!(
            run_err(p, r#"{"ip":1}"#),
            "field [ip] should contain only string or array of strings"
        );
        assert_eq!(
            run_err(p, r#"{"ip":["1.2.3.4",1]}"#),
            "array in field [ip] should only contain strings"
        );
    }

    #[test]
    fn ignore_missing_skips_missing_and_null() {
        let p = r#"[{"geoip":{"field":"ip","ignore_missing":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
        assert_eq!(run(p, r#"{"ip":null}"#).unwrap(), r#"{"ip":null}"#);
    }

    #[test]
    fn unavailable_database_tags_the_document() {
        assert_eq!(
            geoip(
                r#"{"field":"ip","database_file":"GeoIP2-City.mmdb"}"#,
                r#"{"ip":"1.2.3.4","tags":["x"]}"#
            ),
            r#"{"ip":"1.2.3.4","tags":["x","_geoip_database_unavailable_GeoIP2-City.mmdb"]}"#
        );
    }

    #[test]
    fn ip_location_is_the_same_processor_under_another_name() {
        assert_eq!(
            run(
                r#"[{"ip_location":{"field":"ip","properties":["country_iso_code"]}}]"#,
                r#"{"ip":"89.160.20.128"}"#
            )
            .unwrap(),
            r#"{"ip":"89.160.20.128","geoip":{"country_iso_code":"SE"}}"#
        );
        assert_eq!(
            run(
                r#"[{"ip_location":{"field":"ip","database_file":"nope.mmdb"}}]"#,
                r#"{"ip":"1.2.3.4"}"#
            )
            .unwrap(),
            r#"{"ip":"1.2.3.4","tags":["_ip_location_database_unavailable_nope.mmdb"]}"#
        );
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"geoip":{}}]"#),
            "[field] required property is missing"
        );
        assert_eq!(
            config_err(r#"[{"geoip":{"field":"ip","properties":["asn"]}}]"#),
            "[properties] illegal property value [asn]. valid values are [IP, COUNTRY_IN_EUROPEAN_UNION, COUNTRY_ISO_CODE, COUNTRY_NAME, CONTINENT_CODE, CONTINENT_NAME, REGION_ISO_CODE, REGION_NAME, CITY_NAME, TIMEZONE, LOCATION, POSTAL_CODE, ACCURACY_RADIUS, REGISTERED_COUNTRY_IN_EUROPEAN_UNION, REGISTERED_COUNTRY_ISO_CODE, REGISTERED_COUNTRY_NAME]"
        );
        assert_eq!(
            config_err(
                r#"[{"geoip":{"field":"ip","download_database_on_pipeline_creation":"yes"}}]"#
            ),
            "[download_database_on_pipeline_creation] property isn't a boolean, but of type [java.lang.String]"
        );
        assert!(
            run(
                r#"[{"geoip":{"field":"ip","download_database_on_pipeline_creation":false}}]"#,
                r#"{"ip":"1.2.3.4"}"#
            )
            .is_ok()
        );
    }

    proptest::proptest! {
        #[test]
        fn no_input_string_panics(text in "\\PC{0,40}") {
            let s = isc_value::to_json_string(&isc_value::Value::from(text.as_str()));
            let _ = crate::processors::test_support::run(
                r#"[{"geoip":{"field":"ip","first_only":false}}]"#,
                &format!(r#"{{"ip":[{s},{s}]}}"#),
            );
        }
    }
}
