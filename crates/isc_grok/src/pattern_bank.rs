//! Named grok patterns: the built-in `legacy` and `ecs-v1` sets, custom
//! `pattern_definitions`, and the reference checks Elasticsearch runs when a
//! bank is built.

use std::sync::OnceLock;

use indexmap::{IndexMap, IndexSet};

use crate::GrokError;

/// Which built-in pattern set to start from: the grok processor's
/// `ecs_compatibility` option (`disabled` or `v1`, default `disabled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EcsCompatibility {
    /// `disabled`: the legacy patterns with their historical field names.
    #[default]
    Disabled,
    /// `v1`: patterns whose captures use Elastic Common Schema field names.
    V1,
}

impl EcsCompatibility {
    /// Reads the option value; `None` for anything but `disabled` and `v1`.
    pub fn from_option(value: &str) -> Option<EcsCompatibility> {
        match value {
            "disabled" => Some(EcsCompatibility::Disabled),
            "v1" => Some(EcsCompatibility::V1),
            _ => None,
        }
    }
}

/// An ordered map from pattern name to its definition, checked for circular
/// and dangling references.
#[derive(Debug, Clone)]
pub struct PatternBank {
    patterns: IndexMap<String, String>,
}

impl PatternBank {
    /// Builds a bank, failing as Elasticsearch does when a definition refers
    /// to itself through other patterns or to a pattern that does not exist.
    pub fn new(patterns: IndexMap<String, String>) -> Result<PatternBank, GrokError> {
        check_references(&patterns)?;
        Ok(PatternBank { patterns })
    }

    /// The built-in set for `mode`, loaded once.
    pub fn builtin(mode: EcsCompatibility) -> &'static PatternBank {
        static LEGACY: OnceLock<PatternBank> = OnceLock::new();
        static ECS_V1: OnceLock<PatternBank> = OnceLock::new();
        match mode {
            EcsCompatibility::Disabled => LEGACY.get_or_init(|| PatternBank {
                patterns: load_files(LEGACY_FILES),
            }),
            EcsCompatibility::V1 => ECS_V1.get_or_init(|| PatternBank {
                patterns: load_files(ECS_V1_FILES),
            }),
        }
    }

    /// A new bank with `extra` added (replacing same-named definitions in
    /// place), checked again as a whole.
    pub fn extend_with(&self, extra: &IndexMap<String, String>) -> Result<PatternBank, GrokError> {
        if extra.is_empty() {
            return Ok(self.clone());
        }
        let mut patterns = self.patterns.clone();
        for (name, definition) in extra {
            patterns.insert(name.clone(), definition.clone());
        }
        PatternBank::new(patterns)
    }

    /// The definition of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.patterns.get(name).map(String::as_str)
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when the bank holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Pattern names and definitions in bank order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.patterns.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Pattern files of the `legacy` set, in Elasticsearch's load order.
const LEGACY_FILES: &[&str] = &[
    include_str!("../patterns/legacy/aws"),
    include_str!("../patterns/legacy/bacula"),
    include_str!("../patterns/legacy/bind"),
    include_str!("../patterns/legacy/bro"),
    include_str!("../patterns/legacy/exim"),
    include_str!("../patterns/legacy/firewalls"),
    include_str!("../patterns/legacy/grok-patterns"),
    include_str!("../patterns/legacy/haproxy"),
    include_str!("../patterns/legacy/httpd"),
    include_str!("../patterns/legacy/java"),
    include_str!("../patterns/legacy/junos"),
    include_str!("../patterns/legacy/linux-syslog"),
    include_str!("../patterns/legacy/maven"),
    include_str!("../patterns/legacy/mcollective-patterns"),
    include_str!("../patterns/legacy/mongodb"),
    include_str!("../patterns/legacy/nagios"),
    include_str!("../patterns/legacy/postgresql"),
    include_str!("../patterns/legacy/rails"),
    include_str!("../patterns/legacy/redis"),
    include_str!("../patterns/legacy/ruby"),
    include_str!("../patterns/legacy/squid"),
];

/// Pattern files of the `ecs-v1` set, in Elasticsearch's load order.
const ECS_V1_FILES: &[&str] = &[
    include_str!("../patterns/ecs-v1/aws"),
    include_str!("../patterns/ecs-v1/bacula"),
    include_str!("../patterns/ecs-v1/bind"),
    include_str!("../patterns/ecs-v1/bro"),
    include_str!("../patterns/ecs-v1/exim"),
    include_str!("../patterns/ecs-v1/firewalls"),
    include_str!("../patterns/ecs-v1/grok-patterns"),
    include_str!("../patterns/ecs-v1/haproxy"),
    include_str!("../patterns/ecs-v1/httpd"),
    include_str!("../patterns/ecs-v1/java"),
    include_str!("../patterns/ecs-v1/junos"),
    include_str!("../patterns/ecs-v1/linux-syslog"),
    include_str!("../patterns/ecs-v1/maven"),
    include_str!("../patterns/ecs-v1/mcollective"),
    include_str!("../patterns/ecs-v1/mongodb"),
    include_str!("../patterns/ecs-v1/nagios"),
    include_str!("../patterns/ecs-v1/postgresql"),
    include_str!("../patterns/ecs-v1/rails"),
    include_str!("../patterns/ecs-v1/redis"),
    include_str!("../patterns/ecs-v1/ruby"),
    include_str!("../patterns/ecs-v1/squid"),
    include_str!("../patterns/ecs-v1/zeek"),
];

/// Reads pattern files: one `NAME definition` per line, the name ending at
/// the first whitespace run; blank lines and `#` comments ignored.
fn load_files(files: &[&str]) -> IndexMap<String, String> {
    let mut patterns = IndexMap::new();
    for file in files {
        for line in file.lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some(split) = line.find(char::is_whitespace) else {
                continue;
            };
            let name = &line[..split];
            let definition = line[split..].trim_start();
            patterns.insert(name.to_owned(), definition.to_owned());
        }
    }
    patterns
}

/// The names `%{NAME}` / `%{NAME:field}` references in a definition, in
/// order of first appearance. A name runs from `%{` to the first `}` or `:`.
fn referenced_names<'a>(
    patterns: &IndexMap<String, String>,
    name: &str,
    definition: &'a str,
) -> Result<Vec<&'a str>, GrokError> {
    let mut names: Vec<&str> = Vec::new();
    let mut search_from = 0;
    while let Some(offset) = definition[search_from..].find("%{") {
        let at = search_from + offset;
        let begin = at + 2;
        let rest = &definition[begin..];
        let end = match (rest.find('}'), rest.find(':')) {
            (Some(b), Some(c)) => b.min(c),
            (Some(b), None) => b,
            (None, Some(c)) => c,
            (None, None) => {
                return Err(GrokError::InvalidBank(format!(
                    "pattern [{definition}] has an invalid syntax"
                )));
            }
        };
        let other = &rest[..end];
        if !names.contains(&other) {
            if !patterns.contains_key(other) {
                return Err(GrokError::InvalidBank(format!(
                    "pattern [{name}] is referencing a non-existent pattern [{other}]"
                )));
            }
            names.push(other);
        }
        search_from = at + 1;
    }
    Ok(names)
}

/// Elasticsearch's bank check: from every pattern, walk the references
/// depth first; reaching the starting pattern again is a cycle, reported as
/// `circular reference detected: A->B->A`.
fn check_references(patterns: &IndexMap<String, String>) -> Result<(), GrokError> {
    let mut all_visited: IndexSet<&str> = IndexSet::new();
    let mut seen_twice: IndexSet<&str> = IndexSet::new();
    for start in patterns.keys() {
        let start = start.as_str();
        if !seen_twice.contains(start) && all_visited.contains(start) {
            continue;
        }
        let mut visited: IndexSet<&str> = IndexSet::new();
        walk(patterns, start, &mut visited, &mut seen_twice)?;
        all_visited.extend(visited);
    }
    Ok(())
}

/// The depth-first walk of [`check_references`] from `start`, with an
/// explicit stack (a chain of references may be as long as the bank): each
/// pattern is visited once per walk, and a reference back to `start`
/// reports the path that led there.
fn walk<'a>(
    patterns: &'a IndexMap<String, String>,
    start: &'a str,
    visited: &mut IndexSet<&'a str>,
    seen_twice: &mut IndexSet<&'a str>,
) -> Result<(), GrokError> {
    // `path[i]` is the pattern whose references `pending[i]` still holds.
    let mut path: Vec<&'a str> = Vec::new();
    let mut pending: Vec<std::vec::IntoIter<&'a str>> = Vec::new();
    let mut next = Some(start);
    loop {
        if let Some(node) = next.take() {
            if node == start && !path.is_empty() {
                let mut cycle: Vec<&str> = path.clone();
                cycle.push(node);
                return Err(GrokError::InvalidBank(format!(
                    "circular reference detected: {}",
                    cycle.join("->")
                )));
            }
            if visited.contains(node) {
                seen_twice.insert(node);
            } else {
                visited.insert(node);
                if let Some((name, definition)) = patterns.get_key_value(node) {
                    let neighbours = referenced_names(patterns, name, definition)?;
                    path.push(node);
                    pending.push(neighbours.into_iter());
                }
            }
        }
        let Some(references) = pending.last_mut() else {
            return Ok(());
        };
        match references.next() {
            Some(reference) => next = Some(reference),
            None => {
                pending.pop();
                path.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank(entries: &[(&str, &str)]) -> Result<PatternBank, GrokError> {
        PatternBank::new(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    /// A chain of 200 000 references once overflowed the stack of the
    /// (recursive) check; a cycle closing at its far end is still found.
    #[test]
    fn long_reference_chains_are_checked_without_recursion() {
        const N: usize = 200_000;
        let chain = |last: &str| -> IndexMap<String, String> {
            (0..N)
                .map(|i| (format!("P{i}"), format!("%{{P{}}}", i + 1)))
                .chain([(format!("P{N}"), last.to_owned())])
                .collect()
        };
        assert!(PatternBank::new(chain("x")).is_ok());
        let Err(GrokError::InvalidBank(message)) = PatternBank::new(chain("%{P0}")) else {
            panic!("the cycle was not found");
        };
        assert!(message.starts_with("circular reference detected: P0->P1->P2->"));
        assert!(message.ends_with(&format!("->P{N}->P0")));
    }

    #[test]
    fn builtin_sets_load_and_pass_the_reference_check() {
        for mode in [EcsCompatibility::Disabled, EcsCompatibility::V1] {
            let builtin = PatternBank::builtin(mode);
            assert!(builtin.len() > 300, "{mode:?} has {}", builtin.len());
            let checked = PatternBank::new(builtin.patterns.clone());
            assert!(checked.is_ok(), "{mode:?}: {:?}", checked.err());
        }
        let legacy = PatternBank::builtin(EcsCompatibility::Disabled);
        assert_eq!(legacy.get("INT"), Some("(?:[+-]?(?:[0-9]+))"));
        assert_eq!(
            PatternBank::builtin(EcsCompatibility::V1).get("SYSLOGPROG"),
            Some(r"%{PROG:process.name}(?:\[%{POSINT:process.pid:int}\])?")
        );
    }

    #[test]
    fn direct_self_reference_is_a_cycle() {
        let err = bank(&[("NAME", "!!!%{NAME}!!!")])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("circular reference detected: NAME->NAME")
        );
    }

    #[test]
    fn indirect_cycle_names_the_whole_path() {
        let err = bank(&[
            ("NAME1", "!!!%{NAME2}!!!"),
            ("NAME2", "!!!%{NAME3}!!!"),
            ("NAME3", "!!!%{NAME1}!!!"),
        ])
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("circular reference detected: NAME1->NAME2->NAME3->NAME1")
        );
    }

    #[test]
    fn cycle_through_a_named_capture_is_found() {
        let err = bank(&[("NAME1", "!!!%{NAME2:x}!!!"), ("NAME2", "!!!%{NAME1:y}!!!")])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("circular reference detected: NAME1->NAME2->NAME1")
        );
    }

    #[test]
    fn dangling_reference_is_rejected() {
        let err = bank(&[("NAME1", "!!!%{NAME2}!!!")])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("pattern [NAME1] is referencing a non-existent pattern [NAME2]")
        );
    }

    #[test]
    fn unterminated_reference_is_invalid_syntax() {
        let err = bank(&[("NAME1", "!!!%{NAME2")])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("pattern [!!!%{NAME2] has an invalid syntax")
        );
    }

    #[test]
    fn extending_replaces_in_place_and_rechecks() {
        let base = PatternBank::builtin(EcsCompatibility::Disabled);
        let mut extra = IndexMap::new();
        extra.insert("INT".to_owned(), "%{MYSELF}".to_owned());
        extra.insert("MYSELF".to_owned(), "%{INT}".to_owned());
        let err = base.extend_with(&extra).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.starts_with("circular reference detected: ")));
    }
}
