//! `csv`: Elasticsearch's `CsvProcessor` and `CsvParser`. Splits one CSV
//! line into `target_fields`. Options: `field`, `target_fields`, `quote`
//! (`"`), `separator` (`,`), `trim`, `empty_value`, `ignore_missing`.
//!
//! The parser walks UTF-16 code units as Java's does, so error positions
//! match.

use isc_value::Value;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `csv` processor.
#[derive(Debug)]
pub struct Csv {
    field: FieldPath,
    headers: Vec<FieldPath>,
    quote: u16,
    separator: u16,
    trim: bool,
    empty_value: Option<Value>,
    ignore_missing: bool,
}

fn single_unit(text: &str) -> Option<u16> {
    let mut units = text.encode_utf16();
    match (units.next(), units.next()) {
        (Some(u), None) => Some(u),
        _ => None,
    }
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let quote_text = config.string_or("quote", "\"")?;
    let Some(quote) = single_unit(&quote_text) else {
        return Err(config.error("quote", "quote has to be single character like \" or '"));
    };
    let separator_text = config.string_or("separator", ",")?;
    let Some(separator) = single_unit(&separator_text) else {
        return Err(config.error(
            "separator",
            "separator has to be single character like , or ;",
        ));
    };
    let trim = config.bool_or("trim", false)?;
    let empty_value = config.take("empty_value");
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    let targets = config.required_list("target_fields")?;
    if targets.is_empty() {
        return Err(config.error("target_fields", "target fields list can't be empty"));
    }
    let headers = targets
        .iter()
        .map(|v| match v {
            Value::String(s) => FieldPath::new(s),
            other => FieldPath::new(&other.to_java_string()),
        })
        .collect();
    Ok(Box::new(Csv {
        field: FieldPath::new(&field),
        headers,
        quote,
        separator,
        trim,
        empty_value,
        ignore_missing,
    }))
}

impl Processor for Csv {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let Some(line) = doc.string_to_process(&self.field, self.ignore_missing)? else {
            return Ok(Flow::Continue);
        };
        let line: Vec<u16> = line.encode_utf16().collect();
        let mut parser = LineParser {
            csv: self,
            doc,
            line: &line,
            builder: Vec::new(),
            state: State::Start,
            header: 0,
            start: 0,
            index: 0,
        };
        parser.process()?;
        Ok(Flow::Continue)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Unquoted,
    Quoted,
    QuotedEnd,
}

const SPACE: u16 = b' ' as u16;
const TAB: u16 = b'\t' as u16;
const LF: u16 = b'\n' as u16;
const CR: u16 = b'\r' as u16;

/// One run of Elasticsearch's CSV state machine.
struct LineParser<'a> {
    csv: &'a Csv,
    doc: &'a mut Document,
    line: &'a [u16],
    builder: Vec<u16>,
    state: State,
    header: usize,
    start: usize,
    index: usize,
}

impl LineParser<'_> {
    fn process(&mut self) -> Result<(), IngestError> {
        let length = self.line.len();
        while self.index < length {
            let done = match self.state {
                State::Start => self.process_start()?,
                State::Unquoted => self.process_unquoted()?,
                State::Quoted => {
                    self.process_quoted();
                    false
                }
                State::QuotedEnd => self.process_quoted_end()?,
            };
            if done {
                return Ok(());
            }
            self.index += 1;
        }
        match self.state {
            State::Unquoted => {
                self.set_field(length)?;
            }
            State::QuotedEnd => {
                self.set_field(length - 1)?;
            }
            State::Quoted => return Err(IngestError::illegal_argument("Unmatched quote")),
            State::Start => {}
        }
        Ok(())
    }

    fn is_whitespace(c: u16) -> bool {
        c == SPACE || c == TAB
    }

    fn process_start(&mut self) -> Result<bool, IngestError> {
        while self.index < self.line.len() {
            let c = self.line[self.index];
            if c == self.csv.quote {
                self.state = State::Quoted;
                self.builder.clear();
                self.start = self.index + 1;
                return Ok(false);
            } else if c == self.csv.separator {
                self.start += 1;
                self.builder.clear();
                if self.set_field(self.start)? {
                    return Ok(true);
                }
            } else if Self::is_whitespace(c) {
                if self.csv.trim {
                    self.start += 1;
                }
            } else {
                self.state = State::Unquoted;
                self.builder.clear();
                return Ok(false);
            }
            self.index += 1;
        }
        Ok(true)
    }

    fn process_unquoted(&mut self) -> Result<bool, IngestError> {
        let mut spaces = 0;
        while self.index < self.line.len() {
            let c = self.line[self.index];
            if c == LF || c == CR || c == self.csv.quote {
                return Err(IngestError::illegal_argument(format!(
                    "Illegal character inside unquoted field at {}",
                    self.index
                )));
            } else if self.csv.trim && Self::is_whitespace(c) {
                spaces += 1;
            } else if c == self.csv.separator {
                self.state = State::Start;
                if self.set_field(self.index - spaces)? {
                    return Ok(true);
                }
                self.start = self.index + 1;
                return Ok(false);
            } else {
                spaces = 0;
            }
            self.index += 1;
        }
        Ok(false)
    }

    fn process_quoted(&mut self) {
        while self.index < self.line.len() {
            if self.line[self.index] == self.csv.quote {
                self.state = State::QuotedEnd;
                break;
            }
            self.index += 1;
        }
    }

    fn process_quoted_end(&mut self) -> Result<bool, IngestError> {
        let c = self.line[self.index];
        if c == self.csv.quote {
            let end = self.index - 1;
            self.builder.extend_from_slice(&self.line[self.start..end]);
            self.builder.push(self.csv.quote);
            self.start = self.index + 1;
            self.state = State::Quoted;
            return Ok(false);
        }
        let mut should_set = true;
        while self.index < self.line.len() {
            let c = self.line[self.index];
            if Self::is_whitespace(c) {
                if should_set {
                    if self.set_field(self.index - 1)? {
                        return Ok(true);
                    }
                    should_set = false;
                }
            } else if c == self.csv.separator {
                if should_set && self.set_field(self.index - 1)? {
                    return Ok(true);
                }
                self.start = self.index + 1;
                self.state = State::Start;
                return Ok(false);
            } else {
                let shown = String::from_utf16_lossy(&[c]);
                return Err(IngestError::illegal_argument(format!(
                    "character '{shown}' after quoted field at {}",
                    self.index
                )));
            }
            self.index += 1;
        }
        Ok(true)
    }

    /// Stores the current value in the next header; true when all headers
    /// are filled.
    fn set_field(&mut self, end: usize) -> Result<bool, IngestError> {
        let end = end.max(self.start).min(self.line.len());
        let value: Vec<u16> = if self.builder.is_empty() {
            self.line[self.start..end].to_vec()
        } else {
            let mut v = std::mem::take(&mut self.builder);
            v.extend_from_slice(&self.line[self.start..end]);
            self.builder = v.clone();
            v
        };
        let Some(header) = self.csv.headers.get(self.header) else {
            return Ok(true);
        };
        if !value.is_empty() {
            self.doc
                .set(header, Value::String(String::from_utf16_lossy(&value)))?;
        } else if let Some(empty) = &self.csv.empty_value {
            self.doc.set(header, empty.clone())?;
        }
        self.header += 1;
        Ok(self.header == self.csv.headers.len())
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    #[test]
    fn documented_example() {
        assert_eq!(
            run(
                r#"[{"csv":{"field":"my_field","target_fields":["field1","field2"]}}]"#,
                r#"{"my_field":"v1,v2"}"#
            )
            .unwrap(),
            r#"{"my_field":"v1,v2","field1":"v1","field2":"v2"}"#
        );
    }

    #[test]
    fn quotes_trim_and_empty_values() {
        assert_eq!(
            run(
                r#"[{"csv":{"field":"m","target_fields":["a","b","c","d"],"trim":true,"empty_value":"-"}}]"#,
                r#"{"m":" \"x,\"\"y\"\" \" , ,z"}"#
            )
            .unwrap(),
            r#"{"m":" \"x,\"\"y\"\" \" , ,z","a":"x,\"y\" ","b":"-","c":"z"}"#
        );
        assert_eq!(
            run(
                r#"[{"csv":{"field":"m","target_fields":["a","b"],"separator":";","quote":"'"}}]"#,
                r#"{"m":"'1;2';3;4"}"#
            )
            .unwrap(),
            r#"{"m":"'1;2';3;4","a":"1;2","b":"3"}"#
        );
    }

    #[test]
    fn failures_have_elasticsearch_messages() {
        assert_eq!(
            run_err(
                r#"[{"csv":{"field":"m","target_fields":["a"]}}]"#,
                r#"{"m":"\"abc"}"#
            ),
            "Unmatched quote"
        );
        assert_eq!(
            run_err(
                r#"[{"csv":{"field":"m","target_fields":["a","b"]}}]"#,
                r#"{"m":"a\"b,c"}"#
            ),
            "Illegal character inside unquoted field at 1"
        );
        assert_eq!(
            run_err(
                r#"[{"csv":{"field":"m","target_fields":["a","b"]}}]"#,
                r#"{"m":"\"a\"b,c"}"#
            ),
            "character 'b' after quoted field at 3"
        );
        assert_eq!(
            config_err(r#"[{"csv":{"field":"m","target_fields":[]}}]"#),
            "[target_fields] target fields list can't be empty"
        );
        assert_eq!(
            config_err(r#"[{"csv":{"field":"m","target_fields":["a"],"quote":"ab"}}]"#),
            "[quote] quote has to be single character like \" or '"
        );
        assert_eq!(
            run(
                r#"[{"csv":{"field":"m","target_fields":["a"],"ignore_missing":true}}]"#,
                r#"{}"#
            )
            .unwrap(),
            "{}"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_line_or_option_panics(
            line in "[a,;\"' \t\r\n\u{e9}\u{1F600}]{0,24}",
            trim in proptest::bool::ANY,
            separator in "[,;\"]",
            quote in "[\"']",
        ) {
            let processors = format!(
                r#"[{{"csv":{{"field":"m","target_fields":["a","b","c"],"trim":{trim},"separator":{},"quote":{},"empty_value":""}}}}]"#,
                serde_json::Value::String(separator),
                serde_json::Value::String(quote),
            );
            let source = serde_json::json!({ "m": line }).to_string();
            let _ = run(&processors, &source);
        }
    }
}
