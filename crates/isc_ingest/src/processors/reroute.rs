//! `reroute`: Elasticsearch's `RerouteProcessor`. Sends the document to
//! another data stream: a fixed `destination`, or
//! `<type>-<dataset>-<namespace>` where dataset and namespace come from
//! field references (`{{service.name}}`) or static values, sanitized, with
//! the current `_index`'s parts as fallback. The current pipeline stops.
//! Offline, the target's own default pipeline does not run.

use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `reroute` processor.
#[derive(Debug)]
pub struct Reroute {
    dataset: Vec<PartSource>,
    namespace: Vec<PartSource>,
    destination: Option<String>,
    paths: ReroutePaths,
}

/// The fields a reroute reads and writes, compiled once.
#[derive(Debug)]
struct ReroutePaths {
    index: FieldPath,
    data_stream_type: FieldPath,
    data_stream_dataset: FieldPath,
    data_stream_namespace: FieldPath,
    event_dataset: FieldPath,
}

impl ReroutePaths {
    fn new() -> ReroutePaths {
        ReroutePaths {
            index: FieldPath::new("_index"),
            data_stream_type: FieldPath::new("data_stream.type"),
            data_stream_dataset: FieldPath::new("data_stream.dataset"),
            data_stream_namespace: FieldPath::new("data_stream.namespace"),
            event_dataset: FieldPath::new("event.dataset"),
        }
    }
}

/// A dataset or namespace: a field reference or a static value.
#[derive(Debug)]
struct PartSource {
    reference: Option<FieldPath>,
    value: String,
    namespace: bool,
}

impl PartSource {
    fn new(value: &str, namespace: bool) -> Result<PartSource, String> {
        if value.contains("{{") || value.contains("}}") {
            let invalid = || format!("'{value}' is not a valid field reference");
            let inner = value
                .strip_prefix("{{")
                .and_then(|v| v.strip_suffix("}}"))
                .ok_or_else(invalid)?;
            let inner = inner
                .strip_prefix('{')
                .and_then(|v| v.strip_suffix('}'))
                .unwrap_or(inner);
            if inner.contains('{') || inner.contains('}') {
                return Err(invalid());
            }
            return Ok(PartSource {
                reference: Some(FieldPath::new(inner)),
                value: value.to_owned(),
                namespace,
            });
        }
        if sanitize(value, namespace) != value {
            return Err(format!("'{value}' contains disallowed characters"));
        }
        Ok(PartSource {
            reference: None,
            value: value.to_owned(),
            namespace,
        })
    }

    fn resolve(&self, doc: &Document) -> Option<String> {
        match &self.reference {
            None => Some(self.value.clone()),
            Some(path) => match doc.get_string(path, true) {
                Ok(Some(s)) => Some(sanitize(s, self.namespace)),
                _ => None,
            },
        }
    }
}

/// Lower-cases, cuts to 100 characters and replaces the characters a data
/// stream name part may not hold with `_` (`-` is allowed in namespaces).
fn sanitize(s: &str, namespace: bool) -> String {
    s.to_lowercase()
        .chars()
        .take(100)
        .map(|c| match c {
            '\\' | '/' | '*' | '?' | '"' | '<' | '>' | '|' | ' ' | ',' | '#' | ':' => '_',
            '-' if !namespace => '_',
            other => other,
        })
        .collect()
}

fn read_list_or_string(
    config: &mut ProcessorConfig,
    name: &str,
) -> Result<Vec<String>, ConfigError> {
    match config.take(name) {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s]),
        Some(Value::List(items)) => Ok(items.iter().map(Value::to_java_string).collect()),
        Some(other) => Err(config.error(
            name,
            format!(
                "property isn't a list or string, but of type [{}]",
                other.java_type_name()
            ),
        )),
    }
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let mut dataset = Vec::new();
    for v in read_list_or_string(config, "dataset")? {
        dataset.push(PartSource::new(&v, false).map_err(|e| config.error("dataset", e))?);
    }
    let mut namespace = Vec::new();
    for v in read_list_or_string(config, "namespace")? {
        namespace.push(PartSource::new(&v, true).map_err(|e| config.error("namespace", e))?);
    }
    let destination = config.optional_string("destination")?;
    if destination.is_some() && (!dataset.is_empty() || !namespace.is_empty()) {
        return Err(config.error(
            "destination",
            "can only be set if dataset and namespace are not set",
        ));
    }
    if dataset.is_empty() {
        dataset.push(
            PartSource::new("{{data_stream.dataset}}", false)
                .map_err(|e| config.error("dataset", e))?,
        );
    }
    if namespace.is_empty() {
        namespace.push(
            PartSource::new("{{data_stream.namespace}}", true)
                .map_err(|e| config.error("namespace", e))?,
        );
    }
    Ok(Box::new(Reroute {
        dataset,
        namespace,
        destination,
        paths: ReroutePaths::new(),
    }))
}

impl Processor for Reroute {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        if let Some(destination) = &self.destination {
            doc.reroute(destination);
            return Ok(Flow::Continue);
        }
        let index = doc
            .get_string(&self.paths.index, false)?
            .unwrap_or_default()
            .to_owned();
        let invalid = || {
            IngestError::illegal_argument(format!(
                "invalid data stream name: [{index}]; must follow naming scheme <type>-<dataset>-<namespace>"
            ))
        };
        let first = index.find('-').ok_or_else(invalid)?;
        let second = index[first + 1..]
            .find('-')
            .map(|i| i + first + 1)
            .ok_or_else(invalid)?;
        let kind = index[..first].to_owned();
        let current_dataset = &index[first + 1..second];
        let current_namespace = &index[second + 1..];
        let dataset = self
            .dataset
            .iter()
            .find_map(|s| s.resolve(doc))
            .unwrap_or_else(|| current_dataset.to_owned());
        let namespace = self
            .namespace
            .iter()
            .find_map(|s| s.resolve(doc))
            .unwrap_or_else(|| current_namespace.to_owned());
        doc.reroute(&format!("{kind}-{dataset}-{namespace}"));
        let paths = &self.paths;
        doc.set(&paths.data_stream_type, Value::String(kind))?;
        doc.set(&paths.data_stream_dataset, Value::String(dataset.clone()))?;
        doc.set(&paths.data_stream_namespace, Value::String(namespace))?;
        if doc.has(&paths.event_dataset)? {
            doc.set(&paths.event_dataset, Value::String(dataset))?;
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{Outcome, PipelineSet};
    use crate::processors::test_support::{config_err, doc, run_err};

    fn reroute(processors: &str, source: &str) -> (String, String) {
        let text = format!(r#"{{"processors":{processors}}}"#);
        let set = PipelineSet::builder()
            .add_source("p", &text, true, None)
            .build()
            .unwrap();
        let mut d = doc(source);
        d.ctx_mut()
            .insert("_index".into(), "logs-generic-default".into());
        match set.run("p", d) {
            Some(Outcome::Document(d)) => (
                d.ctx()["_index"].to_java_string(),
                isc_value::to_json_string(&isc_value::Value::Map(d.source())),
            ),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn routes_by_field_references_and_sets_data_stream_fields() {
        let (index, source) = reroute(
            r#"[{"reroute":{"dataset":["{{service.name}}","x"],"namespace":"prod"}},{"set":{"field":"after","value":1}}]"#,
            r#"{"service":{"name":"My-App"},"event":{"dataset":"old"}}"#,
        );
        assert_eq!(index, "logs-my_app-prod");
        assert_eq!(
            source,
            r#"{"service":{"name":"My-App"},"event":{"dataset":"my_app"},"data_stream":{"type":"logs","dataset":"my_app","namespace":"prod"}}"#
        );
    }

    #[test]
    fn falls_back_to_the_current_index_parts() {
        let (index, _) = reroute(r#"[{"reroute":{}}]"#, "{}");
        assert_eq!(index, "logs-generic-default");
        let (index, _) = reroute(r#"[{"reroute":{"destination":"elsewhere"}}]"#, "{}");
        assert_eq!(index, "elsewhere");
    }

    #[test]
    fn errors_match_elasticsearch() {
        assert_eq!(
            run_err(r#"[{"reroute":{}}]"#, "{}"),
            "invalid data stream name: [_index]; must follow naming scheme <type>-<dataset>-<namespace>"
        );
        assert_eq!(
            config_err(r#"[{"reroute":{"destination":"d","dataset":"x"}}]"#),
            "[destination] can only be set if dataset and namespace are not set"
        );
        assert_eq!(
            config_err(r#"[{"reroute":{"dataset":"a-b"}}]"#),
            "[dataset] 'a-b' contains disallowed characters"
        );
        assert_eq!(
            config_err(r#"[{"reroute":{"dataset":"{{a}}-{{b}}"}}]"#),
            "[dataset] '{{a}}-{{b}}' is not a valid field reference"
        );
    }
}
