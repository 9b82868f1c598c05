//! `json`: Elasticsearch's `JsonProcessor`. Parses a JSON string into a
//! value at `target_field` (default: the field itself), or merges an object
//! into the document root (`add_to_root`, with
//! `add_to_root_conflict_strategy` `replace` or `merge`). Duplicate keys
//! fail unless `allow_duplicate_keys`; with `strict_json_parsing: false`
//! text after the first value is ignored.
//!
//! Parse errors carry Jackson's message and location
//! ([`isc_value::jackson`]).

use std::borrow::Cow;

use isc_value::jackson::{self, JacksonError, JacksonErrorKind, Trailing};
use isc_value::{Map, Value};

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `json` processor.
#[derive(Debug)]
pub struct Json {
    field: FieldPath,
    field_name: String,
    target_field: FieldPath,
    add_to_root: bool,
    merge: bool,
    allow_duplicate_keys: bool,
    strict: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let target_field = config.optional_string("target_field")?;
    let add_to_root = config.bool_or("add_to_root", false)?;
    let strategy = config.optional_string("add_to_root_conflict_strategy")?;
    let allow_duplicate_keys = config.bool_or("allow_duplicate_keys", false)?;
    let strict = config.bool_or("strict_json_parsing", true)?;
    let merge = match strategy.as_deref().map(str::to_uppercase).as_deref() {
        None | Some("REPLACE") => false,
        Some("MERGE") => true,
        Some(_) => {
            return Err(config.error(
                "add_to_root_conflict_strategy",
                format!(
                    "conflict strategy [{}] not supported, cannot convert field.",
                    strategy.as_deref().unwrap_or_default()
                ),
            ));
        }
    };
    if add_to_root && target_field.is_some() {
        return Err(config.error(
            "target_field",
            "Cannot set a target field while also setting `add_to_root` to true",
        ));
    }
    if strategy.is_some() && !add_to_root {
        return Err(config.error(
            "add_to_root_conflict_strategy",
            "Cannot set `add_to_root_conflict_strategy` if `add_to_root` is false",
        ));
    }
    let target = target_field.unwrap_or_else(|| field.clone());
    Ok(Box::new(Json {
        field: FieldPath::new(&field),
        field_name: field,
        target_field: FieldPath::new(&target),
        add_to_root,
        merge,
        allow_duplicate_keys,
        strict,
    }))
}

impl Json {
    fn parse(&self, value: Option<&Value>) -> Result<Value, IngestError> {
        let text = match value {
            None | Some(Value::Null) => Cow::Borrowed("null"),
            Some(Value::String(s)) => Cow::Borrowed(s.as_str()),
            Some(v) => Cow::Owned(v.to_java_string()),
        };
        parse_json(&text, self.allow_duplicate_keys, self.strict)
    }
}

impl Processor for Json {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        if self.add_to_root {
            let parsed = self.parse(doc.ctx().get(&self.field_name))?;
            let Value::Map(map) = parsed else {
                return Err(IngestError::illegal_argument(
                    "cannot add non-map fields to root of document",
                ));
            };
            // `ctx.putAll` / `recursiveMerge` on the `IngestCtxMap`: top-level
            // metadata keys are checked as they are put.
            for (key, value) in map {
                match (doc.ctx_mut().get_mut(&key), value) {
                    (Some(Value::Map(target)), Value::Map(from)) if self.merge => {
                        recursive_merge(target, from);
                    }
                    (_, value) => doc.put_ctx(key, value)?,
                }
            }
        } else {
            let parsed = self.parse(Some(doc.get(&self.field)?))?;
            doc.set_within(&self.target_field, parsed, jackson::MAX_DEPTH)?;
        }
        Ok(Flow::Continue)
    }
}

/// `JsonProcessor.recursiveMerge`.
fn recursive_merge(target: &mut Map, from: Map) {
    for (key, value) in from {
        match (target.get_mut(&key), value) {
            (Some(Value::Map(t)), Value::Map(f)) => recursive_merge(t, f),
            (_, v) => {
                target.insert(key, v);
            }
        }
    }
}

/// Parses JSON text as the processor does (`JsonProcessor.apply`): Jackson
/// through `JsonXContent`, so malformed text fails with Jackson's message.
pub(crate) fn parse_json(
    text: &str,
    allow_duplicate_keys: bool,
    strict: bool,
) -> Result<Value, IngestError> {
    let parsed = jackson::parse(text, allow_duplicate_keys, strict).map_err(x_content_error)?;
    let not_valid = || {
        IngestError::illegal_argument(format!(
            "The input {text} is not valid JSON and the strict_json_parsing parameter is true"
        ))
    };
    match parsed.trailing {
        Trailing::NotRead | Trailing::End => Ok(parsed.value),
        Trailing::Token => Err(not_valid()),
        Trailing::Error(e) => Err(not_valid().with_cause(x_content_error(e))),
    }
}

/// A Jackson error as `JsonXContentParser` rethrows it: an
/// `XContentEOFException` ("Unexpected end of file") or an
/// `XContentParseException` carrying Jackson's message, each prefixed with
/// `[line:column]` and caused by the Jackson exception, whose message
/// becomes `_ingest.on_failure_message`.
fn x_content_error(e: JacksonError) -> IngestError {
    let prefix = e
        .location()
        .map(|(line, column)| format!("[{line}:{column}] "))
        .unwrap_or_default();
    let cause = IngestError::new(e.exception_type(), e.message());
    match e.kind() {
        JacksonErrorKind::EndOfInput => IngestError::new(
            "x_content_e_o_f_exception",
            format!("{prefix}Unexpected end of file"),
        ),
        _ => IngestError::new(
            "x_content_parse_exception",
            format!("{prefix}{}", e.message()),
        ),
    }
    .with_cause(cause)
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn parses_into_the_field_or_a_target() {
        assert_eq!(
            run(
                r#"[{"json":{"field":"m"}}]"#,
                r#"{"m":"{\"a\":[1,2.5,null]}"}"#
            )
            .unwrap(),
            r#"{"m":{"a":[1,2.5,null]}}"#
        );
        assert_eq!(
            run(
                r#"[{"json":{"field":"m","target_field":"t"}}]"#,
                r#"{"m":"\"s\""}"#
            )
            .unwrap(),
            r#"{"m":"\"s\"","t":"s"}"#
        );
    }

    #[test]
    fn add_to_root_replaces_or_merges() {
        let doc = r#"{"m":"{\"a\":{\"y\":2},\"b\":3}","a":{"x":1}}"#;
        assert_eq!(
            run(r#"[{"json":{"field":"m","add_to_root":true}}]"#, doc).unwrap(),
            r#"{"m":"{\"a\":{\"y\":2},\"b\":3}","a":{"y":2},"b":3}"#
        );
        assert_eq!(
            run(r#"[{"json":{"field":"m","add_to_root":true,"add_to_root_conflict_strategy":"merge"}}]"#, doc).unwrap(),
            r#"{"m":"{\"a\":{\"y\":2},\"b\":3}","a":{"x":1,"y":2},"b":3}"#
        );
        assert_eq!(
            run_err(
                r#"[{"json":{"field":"m","add_to_root":true}}]"#,
                r#"{"m":"[1]"}"#
            ),
            "cannot add non-map fields to root of document"
        );
    }

    /// Jackson's location suffix (Elasticsearch leaves the source out).
    fn at(line: usize, column: usize) -> String {
        format!(
            "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: {line}, column: {column}]"
        )
    }

    const VALUES: &str = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

    #[test]
    fn duplicates_and_trailing_text() {
        let e = run(
            r#"[{"json":{"field":"m"}}]"#,
            r#"{"m":"{\"a\":1,\"a\":2}"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, "x_content_parse_exception");
        assert_eq!(e.reason, format!("[1:11] Duplicate field 'a'{}", at(1, 11)));
        assert_eq!(
            e.root_cause().reason,
            format!("Duplicate field 'a'{}", at(1, 11))
        );
        assert_eq!(
            run(
                r#"[{"json":{"field":"m","allow_duplicate_keys":true}}]"#,
                r#"{"m":"{\"a\":1,\"a\":2}"}"#
            )
            .unwrap(),
            r#"{"m":{"a":2}}"#
        );
        // A second token: the strict check fails without a cause.
        let e = run(r#"[{"json":{"field":"m"}}]"#, r#"{"m":"{} 1"}"#).unwrap_err();
        assert_eq!(
            e.reason,
            "The input {} 1 is not valid JSON and the strict_json_parsing parameter is true"
        );
        assert!(e.caused_by.is_none());
        // Text Jackson cannot read: Jackson's error is the root cause.
        let e = run(r#"[{"json":{"field":"m"}}]"#, r#"{"m":"{\"a\":1} x"}"#).unwrap_err();
        assert_eq!(
            e.reason,
            r#"The input {"a":1} x is not valid JSON and the strict_json_parsing parameter is true"#
        );
        assert_eq!(
            e.root_cause().reason,
            format!(
                "Unrecognized token 'x': was expecting {VALUES}{}",
                at(1, 10)
            )
        );
        assert_eq!(e.root_cause().kind, "json_parse_exception");
        assert_eq!(
            run(
                r#"[{"json":{"field":"m","strict_json_parsing":false}}]"#,
                r#"{"m":"{} x"}"#
            )
            .unwrap(),
            r#"{"m":{}}"#
        );
    }

    #[test]
    fn parse_errors_carry_jacksons_message() {
        let e = run(r#"[{"json":{"field":"m"}}]"#, r#"{"m":"not json"}"#).unwrap_err();
        assert_eq!(e.kind, "x_content_parse_exception");
        let jackson = format!(
            "Unrecognized token 'not': was expecting {VALUES}{}",
            at(1, 4)
        );
        assert_eq!(e.reason, format!("[1:4] {jackson}"));
        assert_eq!(e.root_cause().kind, "json_parse_exception");
        assert_eq!(e.root_cause().reason, jackson);

        let e = run(r#"[{"json":{"field":"m"}}]"#, r#"{"m":"{x}"}"#).unwrap_err();
        assert_eq!(
            e.root_cause().reason,
            format!(
                "Unexpected character ('x' (code 120)): was expecting double-quote to start field name{}",
                at(1, 2)
            )
        );
    }

    #[test]
    fn unexpected_end_of_input_is_an_x_content_eof_exception() {
        let e = run(r#"[{"json":{"field":"m"}}]"#, r#"{"m":"{\"a\":1"}"#).unwrap_err();
        assert_eq!(e.kind, "x_content_e_o_f_exception");
        assert_eq!(e.reason, "[1:7] Unexpected end of file");
        assert_eq!(e.root_cause().kind, "json_e_o_f_exception");
        assert_eq!(
            e.root_cause().reason,
            format!(
                "Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1]){}",
                at(1, 7)
            )
        );
    }

    #[test]
    fn on_failure_sees_the_jackson_message() {
        let p = r#"[{"json":{"field":"m","on_failure":[{"set":{"field":"err","value":"{{{_ingest.on_failure_message}}}"}}]}}]"#;
        let out = run(p, r#"{"m":"[1 2]"}"#).unwrap();
        let expected = format!(
            "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries{}",
            at(1, 4)
        );
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["err"], serde_json::Value::String(expected));
    }

    #[test]
    fn painless_processors_json_reads_like_the_processor() {
        let p = r#"[{"script":{"source":"ctx.v = Processors.json(ctx.m)","on_failure":[{"set":{"field":"err","value":"{{{_ingest.on_failure_message}}}"}}]}}]"#;
        assert_eq!(
            run(p, r#"{"m":"/* c */ [1]"}"#).unwrap(),
            r#"{"m":"/* c */ [1]","v":[1]}"#
        );
        let out = run(p, r#"{"m":"{x}"}"#).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            doc["err"],
            serde_json::Value::String(format!(
                "Unexpected character ('x' (code 120)): was expecting double-quote to start field name{}",
                at(1, 2)
            ))
        );
    }

    #[test]
    fn painless_json_lenient_ignores_what_follows() {
        let p = r#"[{"script":{"source":"ctx.v = Processors.jsonLenient(ctx.m); Processors.jsonLenient(ctx, 'n')"}}]"#;
        assert_eq!(
            run(p, r#"{"m":"123 foo","n":"{\"a\":1} 2"}"#).unwrap(),
            r#"{"m":"123 foo","n":"{\"a\":1} 2","v":123,"a":1}"#
        );
        let strict = r#"[{"script":{"source":"ctx.v = Processors.json(ctx.m)"}}]"#;
        assert_eq!(run_err(strict, r#"{"m":"123 foo"}"#), "runtime error");
    }

    #[test]
    fn comments_are_allowed_as_in_elasticsearch() {
        assert_eq!(
            run(
                r#"[{"json":{"field":"m"}}]"#,
                r#"{"m":"/* c */ {\"a\":1}"}"#
            )
            .unwrap(),
            r#"{"m":{"a":1}}"#
        );
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"json":{"field":"m","add_to_root_conflict_strategy":"merge"}}]"#),
            "[add_to_root_conflict_strategy] Cannot set `add_to_root_conflict_strategy` if `add_to_root` is false"
        );
        assert_eq!(
            config_err(
                r#"[{"json":{"field":"m","add_to_root":true,"add_to_root_conflict_strategy":"x"}}]"#
            ),
            "[add_to_root_conflict_strategy] conflict strategy [x] not supported, cannot convert field."
        );
        assert_eq!(
            config_err(r#"[{"json":{"field":"m","add_to_root":true,"target_field":"t"}}]"#),
            "[target_field] Cannot set a target field while also setting `add_to_root` to true"
        );
    }
}
