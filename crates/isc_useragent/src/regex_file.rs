//! Reading a uap-core style regex file: top-level lists
//! `user_agent_parsers`, `os_parsers` and `device_parsers` of maps with a
//! `regex`, an optional `regex_flag` (`i`) and replacement strings.

use std::collections::BTreeMap;

use crate::error::UserAgentError;

/// The three rule lists of a file, each rule a map of string values.
#[derive(Debug, Default)]
pub(crate) struct RuleLists {
    pub(crate) user_agent: Vec<BTreeMap<String, String>>,
    pub(crate) os: Vec<BTreeMap<String, String>>,
    pub(crate) device: Vec<BTreeMap<String, String>>,
}

/// Parses the YAML text of a regex file. Unknown top-level keys are
/// ignored; scalar values of any type are read as their text.
pub(crate) fn read_rule_lists(text: &str) -> Result<RuleLists, UserAgentError> {
    let root: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| UserAgentError::Malformed(e.to_string()))?;
    let mut lists = RuleLists::default();
    let Some(mapping) = root.as_mapping() else {
        return Err(UserAgentError::NoParsers);
    };
    for (key, value) in mapping {
        let target = match key.as_str() {
            Some("user_agent_parsers") => &mut lists.user_agent,
            Some("os_parsers") => &mut lists.os,
            Some("device_parsers") => &mut lists.device,
            _ => continue,
        };
        *target = read_rules(value)?;
    }
    if lists.user_agent.is_empty() && lists.os.is_empty() && lists.device.is_empty() {
        return Err(UserAgentError::NoParsers);
    }
    Ok(lists)
}

fn read_rules(value: &serde_yaml::Value) -> Result<Vec<BTreeMap<String, String>>, UserAgentError> {
    let Some(items) = value.as_sequence() else {
        return Err(UserAgentError::Malformed(
            "should continue with 'array' after 'object'".to_owned(),
        ));
    };
    let mut rules = Vec::with_capacity(items.len());
    for item in items {
        let Some(map) = item.as_mapping() else {
            return Err(UserAgentError::Malformed("expecting 'object'".to_owned()));
        };
        let mut rule = BTreeMap::new();
        for (k, v) in map {
            if let (Some(k), Some(v)) = (scalar_text(k), scalar_text(v)) {
                rule.insert(k, v);
            }
        }
        rules.push(rule);
    }
    Ok(rules)
}

fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
