//! `date`: Elasticsearch's `DateProcessor`. Parses a field with the first
//! of `formats` that accepts it (`ISO8601`, `UNIX`, `UNIX_MS`, `TAI64N`, a
//! Java pattern or an Elasticsearch format name) and writes it to
//! `target_field` (`@timestamp`) with `output_format`
//! (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`). `timezone` (UTC) and `locale` (ROOT)
//! are templates.
//!
//! A failure is `unable to parse date [value]` caused by the first
//! format's error, chained as Java chains it, so `on_failure_message` (the
//! innermost cause) is the same text Elasticsearch gives.
//!
//! Known differences: month and weekday names are English for every
//! locale; the localized week letters (`e`, `c`, `W`) are rejected (the
//! format then fails like an unparseable one); see `isc_javatime`.

use std::collections::HashMap;
use std::sync::Mutex;

use isc_javatime::{
    DEFAULT_OUTPUT_FORMAT, DateFormat, DateFormatter, DateParser, Locale, TimeError, UTC, Zone,
    ZonedDateTime,
};
use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::Template;

/// Elasticsearch empties its parser cache when it reaches this size.
const CACHE_CAPACITY: usize = 256;

/// The `date` processor.
#[derive(Debug)]
pub struct Date {
    field: FieldPath,
    target_field: FieldPath,
    formats: Vec<String>,
    parsers: DateParsers,
    output: DateFormatter,
}

/// One parser (or its setup error) per format.
type FormatParsers = Vec<Result<DateParser, TimeError>>;

/// Rendered `(timezone, locale)` of a document.
type ParserKey = (Option<String>, Option<String>);

/// Parsers for each format, built once when `timezone` and `locale` are
/// constant, otherwise per rendered `(timezone, locale)` and cached.
#[derive(Debug)]
pub(crate) struct DateParsers {
    formats: Vec<DateFormat>,
    timezone: Option<Template>,
    locale: Option<Template>,
    fixed: Option<FormatParsers>,
    cache: Mutex<HashMap<ParserKey, FormatParsers>>,
}

impl DateParsers {
    pub(crate) fn new(
        formats: &[String],
        timezone: Option<Template>,
        locale: Option<Template>,
        default_locale: Locale,
    ) -> DateParsers {
        let formats: Vec<DateFormat> = formats.iter().map(|f| DateFormat::from_name(f)).collect();
        let constant = |t: &Option<Template>| match t {
            None => Some(None),
            Some(t) => t.as_constant().map(|c| Some(c.to_owned())),
        };
        let fixed = match (constant(&timezone), constant(&locale)) {
            (Some(tz), Some(loc)) => Some(build(
                &formats,
                tz.as_deref(),
                loc.as_deref(),
                default_locale,
            )),
            _ => None,
        };
        DateParsers {
            formats,
            timezone,
            locale,
            fixed,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Tries each format in order; all errors when none parses.
    pub(crate) fn parse_all(
        &self,
        doc: &Document,
        text: Option<&str>,
        default_locale: Locale,
        keep_last: bool,
    ) -> Result<ZonedDateTime, Vec<DateFailure>> {
        // Only Java patterns read the current year (for texts without one).
        let year = if self
            .formats
            .iter()
            .any(|f| matches!(f, DateFormat::Java(_)))
        {
            isc_javatime::current_year_utc()
        } else {
            0
        };
        let run = |parsers: &[Result<DateParser, TimeError>]| {
            let mut errors = Vec::new();
            let mut found = None;
            for (format, parser) in self.formats.iter().zip(parsers) {
                let outcome = match parser {
                    Err(e) => Err(DateFailure::Setup(e.clone())),
                    Ok(p) => parse_one(format, p, text, year),
                };
                match outcome {
                    Ok(dt) => {
                        found = Some(dt);
                        if !keep_last {
                            break;
                        }
                    }
                    Err(e) => errors.push(e),
                }
            }
            found.ok_or(errors)
        };
        if let Some(fixed) = &self.fixed {
            return run(fixed);
        }
        let tz = self.timezone.as_ref().map(|t| t.render(doc).into_owned());
        let loc = self.locale.as_ref().map(|t| t.render(doc).into_owned());
        let key = (tz, loc);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if !cache.contains_key(&key) {
            if cache.len() >= CACHE_CAPACITY {
                cache.clear();
            }
            let parsers = build(
                &self.formats,
                key.0.as_deref(),
                key.1.as_deref(),
                default_locale,
            );
            cache.insert(key.clone(), parsers);
        }
        match cache.get(&key) {
            Some(parsers) => run(parsers),
            None => Err(Vec::new()),
        }
    }
}

fn build(
    formats: &[DateFormat],
    timezone: Option<&str>,
    locale: Option<&str>,
    default_locale: Locale,
) -> FormatParsers {
    formats
        .iter()
        .map(|format| {
            let zone = match timezone {
                None => UTC,
                Some(id) => Zone::of(id)?,
            };
            let locale = match locale {
                None => default_locale,
                Some(text) => Locale::parse(text)?,
            };
            format.parser(zone, locale)
        })
        .collect()
}

/// Why one format did not parse the value.
#[derive(Debug, Clone)]
pub(crate) enum DateFailure {
    /// The format, zone or locale could not be set up.
    Setup(TimeError),
    /// Java `formatter.parse` on an empty or null value.
    Empty,
    /// A number format (`UNIX`, `UNIX_MS`, `TAI64N`) rejected the text.
    Number(String),
    /// A pattern or named format rejected the text.
    Pattern {
        format: String,
        text: String,
        error: TimeError,
    },
}

fn parse_one(
    format: &DateFormat,
    parser: &DateParser,
    text: Option<&str>,
    year: i32,
) -> Result<ZonedDateTime, DateFailure> {
    let numeric = matches!(
        format,
        DateFormat::Unix | DateFormat::UnixMs | DateFormat::Tai64n
    );
    let Some(text) = text else {
        return Err(if numeric {
            DateFailure::Number("Cannot parse null string: null".to_owned())
        } else {
            DateFailure::Empty
        });
    };
    if text.is_empty() && !numeric {
        return Err(DateFailure::Empty);
    }
    parser.parse(text, year).map_err(|error| {
        if numeric {
            return DateFailure::Number(error.to_string());
        }
        let name = match format {
            DateFormat::Iso8601 => "iso8601".to_owned(),
            DateFormat::Java(p) => p.strip_prefix('8').unwrap_or(p).to_owned(),
            _ => String::new(),
        };
        DateFailure::Pattern {
            format: name,
            text: text.to_owned(),
            error,
        }
    })
}

/// `unable to parse date [value]`, caused by the first format's failure as
/// Java chains it (the innermost message becomes `on_failure_message`).
pub(crate) fn unable_to_parse(value: &str, failures: &[DateFailure]) -> IngestError {
    let top = IngestError::illegal_argument(format!("unable to parse date [{value}]"));
    let Some(first) = failures.first() else {
        return top;
    };
    let cause = match first {
        DateFailure::Setup(e) => IngestError::new("date_time_exception", e.to_string()),
        DateFailure::Empty => IngestError::illegal_argument("cannot parse empty date"),
        DateFailure::Number(m) => crate::java_number::number_format(m.clone()),
        DateFailure::Pattern {
            format,
            text,
            error,
        } => {
            let wrapper = IngestError::illegal_argument(format!(
                "failed to parse date field [{text}] with format [{format}]"
            ));
            match error {
                TimeError::Invalid(m) if m.starts_with("Invalid value for") => wrapper.with_cause(
                    IngestError::new(
                        "date_time_parse_exception",
                        format!("Text '{text}' could not be parsed: {m}"),
                    )
                    .with_cause(IngestError::new("date_time_exception", m.clone())),
                ),
                TimeError::Invalid(m) => IngestError::new("date_time_exception", m.clone()),
                other => wrapper.with_cause(IngestError::new(
                    "date_time_parse_exception",
                    other.to_string(),
                )),
            }
        }
    };
    top.with_cause(cause)
}

/// The value as Java's `toString()`; `None` for null.
pub(crate) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_java_string()),
    }
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let target_field = config.string_or("target_field", "@timestamp")?;
    let timezone = config.optional_template("timezone")?;
    let locale = config.optional_template("locale")?;
    let formats = config.required_list("formats")?;
    let formats: Vec<String> = formats
        .into_iter()
        .map(|v| match v {
            Value::String(s) => s,
            other => other.to_java_string(),
        })
        .collect();
    let output_format = config.string_or("output_format", DEFAULT_OUTPUT_FORMAT)?;
    let output = DateFormatter::for_pattern(&output_format)
        .map_err(|_| config.general_error(format!("invalid output format [{output_format}]")))?;
    let parsers = DateParsers::new(&formats, timezone, locale, Locale::Root);
    Ok(Box::new(Date {
        field: FieldPath::new(&field),
        target_field: FieldPath::new(&target_field),
        formats,
        parsers,
        output,
    }))
}

impl Processor for Date {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let text = value_text(doc.get(&self.field)?);
        let parsed = self
            .parsers
            .parse_all(doc, text.as_deref(), Locale::Root, false);
        let dt = match parsed {
            Ok(dt) => dt,
            Err(failures) => {
                return Err(unable_to_parse(
                    text.as_deref().unwrap_or("null"),
                    &failures,
                ));
            }
        };
        debug_assert!(!self.formats.is_empty() || text.is_none());
        let formatted = self
            .output
            .format(&dt)
            .map_err(|e| IngestError::new("date_time_exception", e.to_string()))?;
        doc.set(&self.target_field, Value::String(formatted))?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn documented_example_with_timezone_and_locale() {
        assert_eq!(
            run(
                r#"[{"date":{"field":"initial_date","target_field":"timestamp","formats":["dd/MM/yyyy HH:mm:ss"],"timezone":"Europe/Amsterdam"}}]"#,
                r#"{"initial_date":"25/04/2016 12:02:01"}"#
            )
            .unwrap(),
            r#"{"initial_date":"25/04/2016 12:02:01","timestamp":"2016-04-25T12:02:01.000+02:00"}"#
        );
    }

    #[test]
    fn formats_are_tried_in_order_and_numbers_are_stringified() {
        assert_eq!(
            run(
                r#"[{"date":{"field":"t","formats":["yyyy-MM-dd","UNIX_MS"]}}]"#,
                r#"{"t":1500000000123}"#
            )
            .unwrap(),
            r#"{"t":1500000000123,"@timestamp":"2017-07-14T02:40:00.123Z"}"#
        );
        assert_eq!(
            run(
                r#"[{"date":{"field":"t","formats":["ISO8601"],"output_format":"yyyy/MM/dd"}}]"#,
                r#"{"t":"2020-01-02T23:00:00-05:00"}"#
            )
            .unwrap(),
            r#"{"t":"2020-01-02T23:00:00-05:00","@timestamp":"2020/01/03"}"#
        );
    }

    #[test]
    fn templated_timezone_is_rendered_per_document() {
        assert_eq!(
            run(
                r#"[{"date":{"field":"t","formats":["yyyy-MM-dd HH:mm"],"timezone":"{{tz}}"}}]"#,
                r#"{"t":"2020-06-01 10:00","tz":"America/New_York"}"#
            )
            .unwrap(),
            r#"{"t":"2020-06-01 10:00","tz":"America/New_York","@timestamp":"2020-06-01T10:00:00.000-04:00"}"#
        );
    }

    #[test]
    fn failures_have_elasticsearch_messages() {
        assert_eq!(
            run_err(
                r#"[{"date":{"field":"t","formats":["yyyy-MM-dd"]}}]"#,
                r#"{"t":"nope"}"#
            ),
            "unable to parse date [nope]"
        );
        assert_eq!(
            run_err(
                r#"[{"date":{"field":"t","formats":["yyyy-MM-dd"]}}]"#,
                r#"{"t":null}"#
            ),
            "unable to parse date [null]"
        );
        assert_eq!(
            run_err(
                r#"[{"date":{"field":"t","formats":["yyyy-MM-dd"]}}]"#,
                r#"{}"#
            ),
            "field [t] not present as part of path [t]"
        );
        assert_eq!(
            run_err(
                r#"[{"date":{"field":"t","formats":["yyyy-MM-dd"],"timezone":"Nowhere/Land"}}]"#,
                r#"{"t":"2020-01-01"}"#
            ),
            "unable to parse date [2020-01-01]"
        );
        assert_eq!(
            config_err(
                r#"[{"date":{"field":"t","formats":["ISO8601"],"output_format":"yyyy-MM-dd'"}}]"#
            ),
            "invalid output format [yyyy-MM-dd']"
        );
        assert_eq!(
            config_err(r#"[{"date":{"field":"t"}}]"#),
            "[formats] required property is missing"
        );
    }

    #[test]
    fn failure_message_cause_is_the_java_parse_error() {
        let err = crate::processors::test_support::run(
            r#"[{"date":{"field":"t","formats":["yyyy-MM-dd"]}}]"#,
            r#"{"t":"2020-01-0x"}"#,
        )
        .err()
        .map(|e| e.root_cause().reason.clone());
        assert_eq!(
            err.as_deref(),
            Some("Text '2020-01-0x' could not be parsed at index 8")
        );
        let root = |formats: &str, value: &str| {
            crate::processors::test_support::run(
                &format!(r#"[{{"date":{{"field":"t","formats":{formats}}}}}]"#),
                &format!(r#"{{"t":"{value}"}}"#),
            )
            .err()
            .map(|e| e.root_cause().reason.clone())
            .unwrap_or_default()
        };
        assert_eq!(
            root(r#"["ISO8601"]"#, "x"),
            "Failed to parse with all enclosed parsers"
        );
        assert_eq!(
            root(r#"["UNIX","ISO8601"]"#, "x"),
            "For input string: \"x\""
        );
        assert_eq!(
            root(r#"["yyyy-MM-dd"]"#, "2020-13-01"),
            "Invalid value for MonthOfYear (valid values 1 - 12): 13"
        );
    }
}
