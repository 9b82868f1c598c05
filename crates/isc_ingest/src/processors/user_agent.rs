//! `user_agent`: Elasticsearch's `UserAgentProcessor` (module
//! `ingest-user-agent`). Parses a user-agent string with uap-core's rules
//! ([`isc_useragent`]) into `name`, `version`, `os` (`name`, `version`,
//! `full`), `device` (`name`, and `type` with `extract_device_type`) and
//! `original` under `target_field` (default `user_agent`).
//!
//! Custom regex files come from the engine's
//! [`super::enrichment::EnrichmentOptions`]. Difference from Elasticsearch:
//! the bundled rules are uap-core 0.18.0, the published release that gives
//! what Elasticsearch's current tests expect (see `isc_useragent`'s NOTICE).

use isc_value::{Map, Value};

use super::enrichment::{DEFAULT_REGEX_FILE, UserAgentRules};
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// What the processor can write, in Elasticsearch's enum order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Property {
    Name,
    Os,
    Device,
    Original,
    Version,
}

const ALL_PROPERTIES: [(Property, &str); 5] = [
    (Property::Name, "NAME"),
    (Property::Os, "OS"),
    (Property::Device, "DEVICE"),
    (Property::Original, "ORIGINAL"),
    (Property::Version, "VERSION"),
];

/// The `user_agent` processor's options, compiled.
#[derive(Debug)]
pub struct UserAgent {
    field: FieldPath,
    target_field: FieldPath,
    parser: UserAgentRules,
    properties: Vec<Property>,
    extract_device_type: bool,
    ignore_missing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let target_field = config.string_or("target_field", "user_agent")?;
    let regex_file = config.string_or("regex_file", DEFAULT_REGEX_FILE)?;
    let names = config.optional_string_list("properties")?;
    let extract_device_type = config.bool_or("extract_device_type", false)?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    // Deprecated in 8.x, dropped from stored configurations in 9.x.
    config.take("ecs");
    let Some(parser) = ctx.enrichment().user_agent_parser(&regex_file) else {
        return Err(config.error(
            "regex_file",
            format!("regex file [{regex_file}] doesn't exist (has to exist at node startup)"),
        ));
    };
    let properties = match names {
        None => ALL_PROPERTIES.iter().map(|&(p, _)| p).collect(),
        Some(names) => {
            let mut parsed = Vec::with_capacity(names.len());
            for name in &names {
                let upper = name.to_uppercase();
                match ALL_PROPERTIES.iter().find(|(_, n)| *n == upper) {
                    Some(&(property, _)) => parsed.push(property),
                    None => {
                        return Err(config.error(
                            "properties",
                            format!(
                                "illegal property value [{name}]. valid values are [NAME, OS, DEVICE, ORIGINAL, VERSION]"
                            ),
                        ));
                    }
                }
            }
            // An EnumSet: each once, in enum order.
            parsed.sort();
            parsed.dedup();
            parsed
        }
    };
    Ok(Box::new(UserAgent {
        field: FieldPath::new(&field),
        target_field: FieldPath::new(&target_field),
        parser,
        properties,
        extract_device_type,
        ignore_missing,
    }))
}

impl Processor for UserAgent {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let Some(agent) = doc
            .get_string(&self.field, self.ignore_missing)?
            .map(str::to_owned)
        else {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            return Err(IngestError::illegal_argument(format!(
                "field [{}] is null, cannot parse user-agent.",
                self.field.as_str()
            )));
        };
        let details = self.parser.parse(&agent, self.extract_device_type);
        let mut out = Map::default();
        for property in &self.properties {
            match property {
                Property::Original => {
                    out.insert("original".into(), Value::String(agent.clone()));
                }
                Property::Name => {
                    let name = details
                        .user_agent
                        .as_ref()
                        .map_or("Other", |u| u.name.as_str());
                    out.insert("name".into(), Value::from(name));
                }
                Property::Version => {
                    if let Some(version) = details.user_agent.as_ref().and_then(|u| u.version()) {
                        out.insert("version".into(), Value::String(version));
                    }
                }
                Property::Os => {
                    if let Some(os) = &details.os {
                        let mut os_map = Map::default();
                        os_map.insert("name".into(), Value::String(os.name.clone()));
                        if let Some(version) = os.version() {
                            os_map.insert("version".into(), Value::String(version.clone()));
                            os_map.insert(
                                "full".into(),
                                Value::String(format!("{} {version}", os.name)),
                            );
                        }
                        out.insert("os".into(), Value::Map(os_map));
                    }
                }
                Property::Device => {
                    let mut device = Map::default();
                    let name = details.device.as_ref().map_or("Other", |d| d.name.as_str());
                    device.insert("name".into(), Value::from(name));
                    if self.extract_device_type {
                        let kind = details.device_type.as_deref().unwrap_or("Other");
                        device.insert("type".into(), Value::from(kind));
                    }
                    out.insert("device".into(), Value::Map(device));
                }
            }
        }
        doc.set(&self.target_field, Value::Map(out))?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    const MAC_CHROME: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36";

    #[test]
    fn documented_example() {
        let out = run(
            r#"[{"user_agent":{"field":"agent"}}]"#,
            &format!(r#"{{"agent":"{MAC_CHROME}"}}"#),
        )
        .unwrap();
        assert_eq!(
            out,
            format!(
                r#"{{"agent":"{MAC_CHROME}","user_agent":{{"name":"Chrome","os":{{"name":"Mac OS X","version":"10.10.5","full":"Mac OS X 10.10.5"}},"device":{{"name":"Mac"}},"original":"{MAC_CHROME}","version":"51.0.2704.103"}}}}"#
            )
        );
    }

    #[test]
    fn device_type_is_extracted_on_request() {
        let out = run(
            r#"[{"user_agent":{"field":"agent","extract_device_type":true,"properties":["device"]}}]"#,
            &format!(r#"{{"agent":"{MAC_CHROME}"}}"#),
        )
        .unwrap();
        assert!(
            out.contains(r#""user_agent":{"device":{"name":"Mac","type":"Desktop"}}"#),
            "{out}"
        );
    }

    #[test]
    fn unknown_agents_are_other_without_os_or_version() {
        let out = run(
            r#"[{"user_agent":{"field":"a"}}]"#,
            r#"{"a":"something odd"}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"a":"something odd","user_agent":{"name":"Other","device":{"name":"Other"},"original":"something odd"}}"#
        );
    }

    #[test]
    fn java_agent_as_elasticsearchs_rest_test_expects() {
        let out = run(
            r#"[{"user_agent":{"field":"a","properties":["name","version","device"]}}]"#,
            r#"{"a":"Java/17.0.11"}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"a":"Java/17.0.11","user_agent":{"name":"Java","device":{"name":"Spider"},"version":"17.0.11"}}"#
        );
    }

    #[test]
    fn missing_and_null_fields() {
        let p = r#"[{"user_agent":{"field":"a"}}]"#;
        assert_eq!(
            run_err(p, "{}"),
            "field [a] not present as part of path [a]"
        );
        assert_eq!(
            run_err(p, r#"{"a":null}"#),
            "field [a] is null, cannot parse user-agent."
        );
        assert_eq!(
            run_err(p, r#"{"a":5}"#),
            "field [a] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        let p = r#"[{"user_agent":{"field":"a","ignore_missing":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
    }

    #[test]
    fn the_retired_ecs_option_is_accepted() {
        assert!(
            run(
                r#"[{"user_agent":{"field":"a","ecs":true}}]"#,
                r#"{"a":"x"}"#
            )
            .is_ok()
        );
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"user_agent":{"field":"a","properties":["browser"]}}]"#),
            "[properties] illegal property value [browser]. valid values are [NAME, OS, DEVICE, ORIGINAL, VERSION]"
        );
        assert_eq!(
            config_err(r#"[{"user_agent":{"field":"a","regex_file":"custom.yml"}}]"#),
            "[regex_file] regex file [custom.yml] doesn't exist (has to exist at node startup)"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_input_string_panics(text in "\\PC{0,40}") {
            let s = isc_value::to_json_string(&isc_value::Value::from(text.as_str()));
            let _ = crate::processors::test_support::run(
                r#"[{"user_agent":{"field":"a","extract_device_type":true}}]"#,
                &format!(r#"{{"a":{s}}}"#),
            );
        }
    }
}
