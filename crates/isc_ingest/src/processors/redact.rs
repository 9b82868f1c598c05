//! `redact`: Elasticsearch's `RedactProcessor` (x-pack). Replaces every
//! grok match in a string field with `<NAME>` (the first capture's name),
//! merging overlapping matches. Options: `field`, `patterns`,
//! `pattern_definitions`, `prefix` (`<`), `suffix` (`>`), `ignore_missing`
//! (default true), `skip_if_unlicensed`, `trace_redact`.
//!
//! Patterns come from the `ecs-v1` set, as in Elasticsearch. The license is
//! treated as valid, so `skip_if_unlicensed` never skips.

use isc_grok::{EcsCompatibility, Grok, PatternBank};
use isc_value::Value;

use super::grok::{java_list, read_definitions, read_patterns};
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

const IS_REDACTED: &str = "_ingest._redact._is_redacted";

/// The `redact` processor.
#[derive(Debug)]
pub struct Redact {
    field: FieldPath,
    groks: Vec<Grok>,
    prefix: String,
    suffix: String,
    ignore_missing: bool,
    trace_redact: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let patterns = read_patterns(config)?;
    let ignore_missing = config.bool_or("ignore_missing", true)?;
    let _skip_if_unlicensed = config.bool_or("skip_if_unlicensed", false)?;
    let prefix = config.string_or("prefix", "<")?;
    let suffix = config.string_or("suffix", ">")?;
    let trace_redact = config.bool_or("trace_redact", false)?;
    if patterns.is_empty() {
        return Err(config.error("patterns", "List of patterns must not be empty"));
    }
    let definitions = read_definitions(config)?;
    let invalid = |message: String| {
        config.error(
            "patterns",
            format!(
                "Invalid regex pattern found in: {}. {message}",
                java_list(&patterns)
            ),
        )
    };
    let bank = PatternBank::builtin(EcsCompatibility::V1)
        .extend_with(&definitions)
        .map_err(|e| invalid(e.to_string()))?;
    let groks = patterns
        .iter()
        .map(|p| Grok::compile(&bank, p).map_err(|e| invalid(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Box::new(Redact {
        field: FieldPath::new(&field),
        groks,
        prefix,
        suffix,
        ignore_missing,
        trace_redact,
    }))
}

/// A matched region and the name it is replaced with (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Replacement<'g> {
    start: usize,
    end: usize,
    name: &'g str,
}

/// Merges overlapping (or touching) regions; a merged region takes the
/// name of its longest member.
fn merge_overlapping(mut found: Vec<Replacement<'_>>) -> Vec<Replacement<'_>> {
    if found.len() <= 1 {
        return found;
    }
    found.sort_by_key(|r| r.start);
    let mut result = Vec::new();
    let mut current = 0;
    let mut next = 1;
    while current < found.len() {
        let head = found[current];
        if next >= found.len() || head.end < found[next].start {
            result.push(head);
        } else {
            loop {
                let previous_end = found[next].end;
                next += 1;
                if next >= found.len() || previous_end < found[next].start {
                    break;
                }
            }
            let group = &found[current..next];
            let mut longest = 0;
            let mut end = group[0].end;
            let mut max_len = group[0].end - group[0].start;
            for (i, r) in group.iter().enumerate().skip(1) {
                if r.end - r.start > max_len {
                    max_len = r.end - r.start;
                    longest = i;
                }
                end = end.max(r.end);
            }
            result.push(Replacement {
                start: group[0].start,
                end,
                name: group[longest].name,
            });
        }
        current = next;
        next += 1;
    }
    result
}

impl Redact {
    fn redact(&self, text: &str) -> Result<String, IngestError> {
        let mut found = Vec::new();
        for grok in &self.groks {
            let ranges = grok.match_ranges(text).map_err(|_| timed_out())?;
            if ranges.is_empty() {
                continue;
            }
            let Some(name) = grok.first_capture_name() else {
                return Err(timed_out());
            };
            found.extend(
                ranges
                    .into_iter()
                    .map(|(start, end)| Replacement { start, end, name }),
            );
        }
        if found.is_empty() {
            return Ok(text.to_owned());
        }
        let merged = merge_overlapping(found);
        let bytes = text.as_bytes();
        let mut out: Vec<u8> = Vec::with_capacity(bytes.len() + 16);
        let mut read = 0;
        for r in merged {
            if r.start >= read {
                out.extend_from_slice(&bytes[read..r.start]);
            }
            out.extend_from_slice(self.prefix.as_bytes());
            out.extend_from_slice(r.name.as_bytes());
            out.extend_from_slice(self.suffix.as_bytes());
            read = r.end.max(read);
        }
        out.extend_from_slice(&bytes[read.min(bytes.len())..]);
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

fn timed_out() -> IngestError {
    IngestError::new(
        "elasticsearch_timeout_exception",
        "Grok pattern matching timed out",
    )
}

impl Processor for Redact {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let original = match doc.get_string(&self.field, true)? {
            Some(s) => s.to_owned(),
            None if self.ignore_missing => return Ok(Flow::Continue),
            None => {
                return Err(IngestError::illegal_argument(format!(
                    "field [{}] is null or missing",
                    self.field
                )));
            }
        };
        let redacted = self.redact(&original)?;
        let changed = redacted != original;
        doc.set(&self.field, Value::String(redacted))?;
        if self.trace_redact {
            let flag = FieldPath::new(IS_REDACTED);
            let already = matches!(doc.get_opt(&flag), Some(Value::Bool(true)));
            if !already && changed {
                doc.set(&flag, Value::Bool(true))?;
            }
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn documented_example() {
        assert_eq!(
            run(
                r#"[{"redact":{"field":"message","patterns":["%{IP:client}"]}}]"#,
                r#"{"message":"55.3.244.1 GET /index.html 15824 0.043"}"#
            )
            .unwrap(),
            r#"{"message":"<client> GET /index.html 15824 0.043"}"#
        );
    }

    #[test]
    fn several_patterns_custom_tokens_and_trace() {
        assert_eq!(
            run(
                r#"[{"redact":{"field":"m","patterns":["%{EMAILADDRESS:EMAIL}","%{IP:IP_ADDRESS}"],"prefix":"*","suffix":"*","trace_redact":true}},
                   {"set":{"field":"flag","copy_from":"_ingest._redact._is_redacted"}}]"#,
                r#"{"m":"Contact a@example.com from 10.0.0.1 and 10.0.0.2"}"#
            )
            .unwrap(),
            r#"{"m":"Contact *EMAIL* from *IP_ADDRESS* and *IP_ADDRESS*","flag":true}"#
        );
    }

    #[test]
    fn overlapping_matches_take_the_longest_name() {
        assert_eq!(
            run(
                r#"[{"redact":{"field":"m","patterns":["%{WORD:SHORT}","(?<LONGER>ab cd)"]}}]"#,
                r#"{"m":"ab cd"}"#
            )
            .unwrap(),
            r#"{"m":"<LONGER>"}"#
        );
    }

    #[test]
    fn missing_and_invalid() {
        assert_eq!(
            run(
                r#"[{"redact":{"field":"m","patterns":["%{IP:ip}"]}}]"#,
                r#"{}"#
            )
            .unwrap(),
            "{}"
        );
        assert_eq!(
            run_err(
                r#"[{"redact":{"field":"m","patterns":["%{IP:ip}"],"ignore_missing":false}}]"#,
                r#"{}"#
            ),
            "field [m] is null or missing"
        );
        assert_eq!(
            config_err(r#"[{"redact":{"field":"m","patterns":["%{NOPE:x}"]}}]"#),
            "[patterns] Invalid regex pattern found in: [%{NOPE:x}]. Unable to find pattern [NOPE] in Grok's pattern dictionary"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_text_panics(text in "[a-z0-9@. \u{e9}]{0,40}") {
            let source = serde_json::json!({ "m": text }).to_string();
            let _ = run(
                r#"[{"redact":{"field":"m","patterns":["%{EMAILADDRESS:EMAIL}","%{IP:IP}","(?<E>x*)"]}}]"#,
                &source,
            );
        }
    }
}
