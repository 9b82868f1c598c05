//! A data stream's `routing_rules.yml`, which elastic-package turns into
//! `reroute` processors appended to the default pipeline before testing it.
//!
//! Each rule becomes `reroute: {tag: <source_dataset>, if: <if>, dataset:
//! [...], namespace: [...]}`; a single `target_dataset` or `namespace`
//! string counts as a one-element list.

use std::path::Path;

use serde::Deserialize;

use crate::error::PipelineTestError;

/// File name of the routing rules in a data stream folder.
pub const ROUTING_RULES_FILE: &str = "routing_rules.yml";

#[derive(Deserialize)]
struct RawRoutingRule {
    source_dataset: Option<String>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
struct RawRule {
    target_dataset: Option<serde_yaml::Value>,
    #[serde(rename = "if")]
    condition: Option<String>,
    namespace: Option<serde_yaml::Value>,
}

/// The `reroute` processors the routing rules of `data_stream_dir` stand
/// for, as YAML values (empty without a `routing_rules.yml`).
pub fn reroute_processors(
    data_stream_dir: &Path,
) -> Result<Vec<serde_yaml::Value>, PipelineTestError> {
    let path = data_stream_dir.join(ROUTING_RULES_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(PipelineTestError::io(&path, e)),
    };
    let invalid = |message: String| PipelineTestError::Pipeline {
        path: path.clone(),
        message,
    };
    let rules: Vec<RawRoutingRule> = serde_yaml::from_str(&text).map_err(|e| {
        invalid(format!(
            "unmarshalling routing_rules.yml content failed: {e}"
        ))
    })?;
    let mut processors = Vec::new();
    for group in rules {
        for rule in group.rules {
            let dataset =
                string_list(rule.target_dataset, "target_dataset", false).map_err(&invalid)?;
            let namespace = string_list(rule.namespace, "namespace", true).map_err(&invalid)?;
            let mut reroute = serde_yaml::Mapping::new();
            reroute.insert(
                "tag".into(),
                group.source_dataset.clone().unwrap_or_default().into(),
            );
            reroute.insert("if".into(), rule.condition.unwrap_or_default().into());
            reroute.insert("dataset".into(), to_sequence(dataset));
            reroute.insert("namespace".into(), to_sequence(namespace));
            let mut processor = serde_yaml::Mapping::new();
            processor.insert("reroute".into(), serde_yaml::Value::Mapping(reroute));
            processors.push(serde_yaml::Value::Mapping(processor));
        }
    }
    Ok(processors)
}

/// The datasets the routing rules of `data_stream_dir` may send documents to.
pub fn rerouted_datasets(data_stream_dir: &Path) -> Vec<String> {
    reroute_processors(data_stream_dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.get("reroute")?.get("dataset")?.as_sequence().cloned())
        .flatten()
        .filter_map(|d| d.as_str().map(str::to_owned))
        .collect()
}

/// `default` pipeline text with the reroute processors appended, as YAML.
pub fn with_reroute_processors(
    pipeline_text: &str,
    processors: &[serde_yaml::Value],
) -> Result<String, String> {
    let mut pipeline: serde_yaml::Value =
        serde_yaml::from_str(pipeline_text).map_err(|e| e.to_string())?;
    let map = pipeline
        .as_mapping_mut()
        .ok_or_else(|| "the pipeline is not a mapping".to_owned())?;
    let list = map
        .entry("processors".into())
        .or_insert_with(|| serde_yaml::Value::Sequence(Vec::new()));
    let seq = list
        .as_sequence_mut()
        .ok_or_else(|| "unexpected processors type, expected a list".to_owned())?;
    seq.extend(processors.iter().cloned());
    serde_yaml::to_string(&pipeline).map_err(|e| e.to_string())
}

fn string_list(
    value: Option<serde_yaml::Value>,
    label: &str,
    optional: bool,
) -> Result<Vec<String>, String> {
    match value {
        None | Some(serde_yaml::Value::Null) if optional => Ok(Vec::new()),
        None | Some(serde_yaml::Value::Null) => {
            Err(format!("{label} in routing_rules.yml cannot be empty"))
        }
        Some(serde_yaml::Value::String(s)) => Ok(vec![s]),
        Some(serde_yaml::Value::Sequence(items)) => items
            .into_iter()
            .map(|i| match i {
                serde_yaml::Value::String(s) => Ok(s),
                _ => Err(format!(
                    "{label} in routing_rules.yml has to be a string or an array of strings"
                )),
            })
            .collect(),
        Some(_) => Err(format!(
            "{label} in routing_rules.yml has to be a string or an array of strings"
        )),
    }
}

fn to_sequence(items: Vec<String>) -> serde_yaml::Value {
    serde_yaml::Value::Sequence(items.into_iter().map(serde_yaml::Value::String).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_become_reroute_processors_after_the_default_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(ROUTING_RULES_FILE),
            "- source_dataset: p.all\n  rules:\n    - target_dataset: p.audit\n      if: ctx.kind == 'audit'\n      namespace: '{{labels.ns}}'\n    - target_dataset: [p.a, p.b]\n      if: ctx.kind == 'ab'\n",
        )
        .unwrap();
        let processors = reroute_processors(dir.path()).unwrap();
        let text =
            with_reroute_processors("processors:\n  - set: {field: a, value: b}\n", &processors)
                .unwrap();
        insta::assert_snapshot!(text);
        assert_eq!(rerouted_datasets(dir.path()), vec!["p.audit", "p.a", "p.b"]);
    }

    #[test]
    fn a_rule_without_target_dataset_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(ROUTING_RULES_FILE),
            "- source_dataset: p.all\n  rules:\n    - if: 'true'\n",
        )
        .unwrap();
        let err = reroute_processors(dir.path()).unwrap_err();
        assert!(
            err.to_string()
                .contains("target_dataset in routing_rules.yml cannot be empty"),
            "{err}"
        );
    }
}
