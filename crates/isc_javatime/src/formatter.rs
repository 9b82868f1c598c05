//! Elasticsearch's `DateFormatter.forPattern`: a Java pattern, a built-in
//! name, or several of them joined by `||`.

use chrono::DateTime;

use crate::named::{self, NamedParser};
use crate::parser::{self, Parsed};
use crate::pattern::{self, Element};
use crate::resolve::{self, Resolved};
use crate::zone::Zone;
use crate::{TimeError, ZonedDateTime, format};

/// One way of reading text.
#[derive(Debug, Clone)]
enum Parser {
    Elements(Vec<Element>),
    IsoThenElements(Vec<Element>),
    EpochMillis,
    EpochSecond,
}

/// What one parser produced.
pub(crate) enum ParseOutcome {
    /// Fields to resolve.
    Fields(Parsed),
    /// An instant (epoch formats).
    Instant(i64, u32),
}

/// A compiled date format: parsers tried in order and one printer.
#[derive(Debug, Clone)]
pub struct DateFormatter {
    pattern: String,
    parsers: Vec<Parser>,
    printer: Vec<Element>,
    /// The pattern is [`crate::DEFAULT_OUTPUT_FORMAT`], printed directly.
    default_output: bool,
}

impl DateFormatter {
    /// Compiles a format as Elasticsearch's `DateFormatter.forPattern`.
    pub fn for_pattern(input: &str) -> Result<DateFormatter, TimeError> {
        if input.is_empty() {
            return Err(TimeError::InvalidPattern(
                "No date pattern provided".to_owned(),
            ));
        }
        let invalid =
            |e: TimeError| TimeError::InvalidPattern(format!("Invalid format: [{input}]: {e}"));
        let mut parsers = Vec::new();
        let mut printer = None;
        for part in input.split("||") {
            let (parser, part_printer) = match named::lookup(part) {
                Some(named) => {
                    let parser = match named.parser {
                        NamedParser::Elements(e) => Parser::Elements(e),
                        NamedParser::IsoThenElements(e) => Parser::IsoThenElements(e),
                        NamedParser::EpochMillis => Parser::EpochMillis,
                        NamedParser::EpochSecond => Parser::EpochSecond,
                    };
                    (parser, named.printer)
                }
                None => {
                    if part.is_empty() {
                        return Err(invalid(TimeError::InvalidPattern(
                            "No date pattern provided".to_owned(),
                        )));
                    }
                    let elements = pattern::compile(part).map_err(invalid)?;
                    (Parser::Elements(elements.clone()), elements)
                }
            };
            parsers.push(parser);
            if printer.is_none() {
                printer = Some(part_printer);
            }
        }
        Ok(DateFormatter {
            default_output: input == crate::DEFAULT_OUTPUT_FORMAT,
            pattern: input.to_owned(),
            parsers,
            printer: printer.unwrap_or_default(),
        })
    }

    /// The pattern this formatter was built from.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Prints `dt`.
    pub fn format(&self, dt: &ZonedDateTime) -> Result<String, TimeError> {
        if self.printer.is_empty() {
            // epoch formats print the instant.
            return Ok(match self.parsers.first() {
                Some(Parser::EpochSecond) => (dt.epoch_millis().div_euclid(1000)).to_string(),
                _ => dt.epoch_millis().to_string(),
            });
        }
        if self.default_output
            && let Some(text) = format::format_default_output(dt)
        {
            return Ok(text);
        }
        format::format(&self.printer, dt)
    }

    /// Parses with the first parser that accepts the whole text. A format
    /// with several parsers fails as Elasticsearch's does, with "Failed to
    /// parse with all enclosed parsers".
    pub(crate) fn parse(&self, text: &str) -> Result<ParseOutcome, TimeError> {
        let several = self.parsers.len() > 1
            || matches!(self.parsers.first(), Some(Parser::IsoThenElements(_)));
        let mut last = None;
        for parser in &self.parsers {
            let outcome = match parser {
                Parser::Elements(elements) => {
                    parser::parse(elements, text).map(ParseOutcome::Fields)
                }
                Parser::IsoThenElements(elements) => match crate::iso::parse(text) {
                    Some(parsed) => Ok(ParseOutcome::Fields(parsed)),
                    None => parser::parse(elements, text).map(ParseOutcome::Fields),
                },
                Parser::EpochMillis => {
                    parse_epoch(text, 3).map(|(s, n)| ParseOutcome::Instant(s, n))
                }
                Parser::EpochSecond => {
                    parse_epoch(text, 0).map(|(s, n)| ParseOutcome::Instant(s, n))
                }
            };
            match outcome {
                Ok(o) => return Ok(o),
                Err(e) => last = Some(e),
            }
        }
        if several {
            return Err(TimeError::AllParsersFailed {
                text: text.to_owned(),
            });
        }
        Err(last.unwrap_or_else(|| TimeError::Unparseable {
            text: text.to_owned(),
            index: 0,
        }))
    }

    /// Parses and converts as Elasticsearch's `DateFormatters.from`, with
    /// `zone` for texts that carry no zone.
    pub fn parse_zoned(&self, text: &str, zone: Zone) -> Result<ZonedDateTime, TimeError> {
        // The ISO parser accepts the common full shape, and java.time
        // resolves it to that date and time: skip the field-by-field path.
        if let Some(Parser::IsoThenElements(_)) = self.parsers.first()
            && let Some((local, parsed_zone)) = crate::iso::parse_common(text)
        {
            return Ok(ZonedDateTime::of_local(local, parsed_zone.unwrap_or(zone)));
        }
        match self.parse(text)? {
            ParseOutcome::Fields(parsed) => {
                let resolved = resolve::resolve(&parsed)?;
                resolve::es_from(&resolved, zone)
            }
            ParseOutcome::Instant(seconds, nanos) => instant(seconds, nanos, zone, text),
        }
    }

    /// Parses and resolves without converting (for the date processor's
    /// missing-year rule).
    pub(crate) fn parse_resolved(
        &self,
        text: &str,
    ) -> Result<Result<Resolved, (i64, u32)>, TimeError> {
        match self.parse(text)? {
            ParseOutcome::Fields(parsed) => Ok(Ok(resolve::resolve(&parsed)?)),
            ParseOutcome::Instant(s, n) => Ok(Err((s, n))),
        }
    }
}

/// The date-time at an epoch instant.
pub(crate) fn instant(
    seconds: i64,
    nanos: u32,
    zone: Zone,
    text: &str,
) -> Result<ZonedDateTime, TimeError> {
    let utc = DateTime::from_timestamp(seconds, nanos)
        .ok_or_else(|| {
            TimeError::Invalid(format!(
                "Instant exceeds minimum or maximum instant: {text}"
            ))
        })?
        .naive_utc();
    Ok(ZonedDateTime::of_utc(utc, zone))
}

/// `epoch_millis` (`fraction_digits` 3) and `epoch_second` (0): an optional
/// minus, digits, and an optional fraction; returns seconds and nanos.
fn parse_epoch(text: &str, unit_digits: u32) -> Result<(i64, u32), TimeError> {
    let fail = || TimeError::Unparseable {
        text: text.to_owned(),
        index: 0,
    };
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail());
    }
    let max_fraction = if unit_digits == 3 { 6 } else { 9 };
    if fraction.len() > max_fraction || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail());
    }
    if whole.len() > 20 {
        return Err(fail());
    }
    let units: i128 = whole.parse().map_err(|_| fail())?;
    let mut frac: i128 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().map_err(|_| fail())?
    };
    for _ in fraction.len()..max_fraction {
        frac *= 10;
    }
    // Total in nanoseconds.
    let scale: i128 = if unit_digits == 3 {
        1_000_000
    } else {
        1_000_000_000
    };
    let mut total = units * scale + frac;
    if negative {
        total = -total;
    }
    let seconds = total.div_euclid(1_000_000_000);
    let nanos = total.rem_euclid(1_000_000_000) as u32;
    let seconds = i64::try_from(seconds).map_err(|_| fail())?;
    Ok((seconds, nanos))
}
