//! Processor coverage of pipeline tests: which top-level processors of each
//! pipeline ran at least once over all cases of a data stream, and which
//! `if` conditions went both ways. Rendered as a table and as a
//! Cobertura XML report like elastic-package's: one package per data
//! stream, one class per pipeline file, one method per top-level processor
//! spanning its source lines, each line carrying the processor's hit count.

use std::path::{Path, PathBuf};

use crate::engine::{PipelineHits, ProcessorHits};
use crate::error::PipelineTestError;

/// One pipeline file of a data stream.
#[derive(Debug, Clone)]
pub struct PipelineSource {
    /// File name without extension (`default`).
    pub name: String,
    /// File name (`default.yml`).
    pub file_name: String,
    /// Full path.
    pub path: PathBuf,
    /// File content.
    pub text: String,
}

/// The `*.yml` and `*.json` pipeline files of a folder, sorted by name.
pub fn pipeline_sources(dir: &Path) -> Result<Vec<PipelineSource>, PipelineTestError> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| PipelineTestError::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| PipelineTestError::io(dir, e))?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "yml" | "yaml" | "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| PipelineTestError::io(&path, e))?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = file_name.split('.').next().unwrap_or(&file_name).to_owned();
        out.push(PipelineSource {
            name,
            file_name,
            path,
            text,
        });
    }
    out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok(out)
}

/// A top-level processor with its source lines and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessorCoverage {
    /// Processor type (`set`, `grok`...).
    pub processor_type: String,
    /// First source line (1-based).
    pub first_line: usize,
    /// Last source line.
    pub last_line: usize,
    /// Execution counts.
    pub hits: ProcessorHits,
}

/// Coverage of one pipeline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineCoverage {
    /// Pipeline name (file name without extension).
    pub name: String,
    /// The pipeline file.
    pub path: PathBuf,
    /// Top-level processors in order.
    pub processors: Vec<ProcessorCoverage>,
}

impl PipelineCoverage {
    /// Processors that ran at least once.
    pub fn covered(&self) -> usize {
        self.processors
            .iter()
            .filter(|p| p.hits.executed > 0)
            .count()
    }

    /// Processors with an `if` condition.
    pub fn conditional(&self) -> usize {
        self.processors
            .iter()
            .filter(|p| p.hits.has_condition)
            .count()
    }

    /// Conditional processors whose condition was both true and false.
    pub fn conditions_both_ways(&self) -> usize {
        self.processors
            .iter()
            .filter(|p| {
                p.hits.has_condition && p.hits.executed > 0 && p.hits.skipped_by_condition > 0
            })
            .count()
    }
}

/// Coverage of the pipelines of one data stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataStreamCoverage {
    /// Data stream name.
    pub data_stream: String,
    /// One entry per pipeline file.
    pub pipelines: Vec<PipelineCoverage>,
}

impl DataStreamCoverage {
    /// Joins the engine's counts with the processors' source lines.
    pub fn new(data_stream: &str, sources: &[PipelineSource], hits: &[PipelineHits]) -> Self {
        let pipelines = sources
            .iter()
            .map(|source| {
                let spans = processor_spans(&source.text, &source.file_name);
                let conditional = conditional_processors(&source.text);
                let counts = hits.iter().find(|h| h.pipeline == source.name);
                let processors = spans
                    .into_iter()
                    .enumerate()
                    .map(|(i, span)| {
                        let mut hits = counts
                            .and_then(|c| c.processors.get(i).copied())
                            .unwrap_or_default();
                        hits.has_condition |= conditional.get(i).copied().unwrap_or(false);
                        ProcessorCoverage {
                            processor_type: span.processor_type,
                            first_line: span.first_line,
                            last_line: span.last_line,
                            hits,
                        }
                    })
                    .collect();
                PipelineCoverage {
                    name: source.name.clone(),
                    path: source.path.clone(),
                    processors,
                }
            })
            .collect();
        DataStreamCoverage {
            data_stream: data_stream.to_owned(),
            pipelines,
        }
    }
}

/// For each top-level processor of a pipeline source, whether it has an
/// `if` condition.
fn conditional_processors(text: &str) -> Vec<bool> {
    let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Vec::new();
    };
    let Some(list) = doc.get("processors").and_then(|p| p.as_sequence()) else {
        return Vec::new();
    };
    list.iter()
        .map(|entry| {
            entry
                .as_mapping()
                .and_then(|m| m.values().next())
                .and_then(|config| config.get("if"))
                .is_some()
        })
        .collect()
}

/// Coverage of a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageReport {
    /// One entry per data stream that ran.
    pub data_streams: Vec<DataStreamCoverage>,
}

impl CoverageReport {
    /// A plain-text table: one row per pipeline with processors run and
    /// conditions taken both ways; with `detailed`, one line per processor.
    pub fn table(&self, detailed: bool) -> String {
        let mut rows = vec![[
            "DATA STREAM".to_owned(),
            "PIPELINE".to_owned(),
            "PROCESSORS RUN".to_owned(),
            "IF BOTH WAYS".to_owned(),
        ]];
        for ds in &self.data_streams {
            for p in &ds.pipelines {
                rows.push([
                    ds.data_stream.clone(),
                    p.name.clone(),
                    ratio(p.covered(), p.processors.len()),
                    ratio(p.conditions_both_ways(), p.conditional()),
                ]);
            }
        }
        let widths: Vec<usize> = (0..4)
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        let mut out = String::new();
        for row in &rows {
            let line: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(c, cell)| format!("{cell:<w$}", w = widths[c]))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        if detailed {
            for ds in &self.data_streams {
                for p in &ds.pipelines {
                    for (i, proc_) in p.processors.iter().enumerate() {
                        let cond = if proc_.hits.has_condition {
                            format!(
                                ", if: {} true / {} false",
                                proc_.hits.executed, proc_.hits.skipped_by_condition
                            )
                        } else {
                            String::new()
                        };
                        out.push_str(&format!(
                            "{}/{} #{i} {} (lines {}-{}): ran {}{cond}\n",
                            ds.data_stream,
                            p.name,
                            proc_.processor_type,
                            proc_.first_line,
                            proc_.last_line,
                            proc_.hits.executed
                        ));
                    }
                }
            }
        }
        out
    }

    /// The Cobertura XML report. File names are relative to the folder
    /// holding the package root (the `<source>`); `timestamp` is in nanoseconds.
    pub fn cobertura_xml(
        &self,
        package_name: &str,
        package_root: &Path,
        timestamp: u128,
    ) -> String {
        let root = package_root
            .canonicalize()
            .unwrap_or_else(|_| package_root.to_path_buf());
        let base = root.parent().unwrap_or(Path::new(""));
        let mut lines_valid = 0;
        let mut lines_covered = 0;
        let mut branches_valid = 0;
        let mut branches_covered = 0;
        let mut packages = String::new();
        for ds in &self.data_streams {
            let mut classes = String::new();
            for p in &ds.pipelines {
                lines_valid += p.processors.len();
                lines_covered += p.covered();
                branches_valid += 2 * p.conditional();
                branches_covered += p
                    .processors
                    .iter()
                    .filter(|x| x.hits.has_condition)
                    .map(|x| {
                        usize::from(x.hits.executed > 0)
                            + usize::from(x.hits.skipped_by_condition > 0)
                    })
                    .sum::<usize>();
                let path = p.path.canonicalize().unwrap_or_else(|_| p.path.clone());
                let filename = path
                    .strip_prefix(base)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                let mut methods = String::new();
                let mut class_lines = String::new();
                for proc_ in &p.processors {
                    let mut method_lines = String::new();
                    for n in proc_.first_line..=proc_.last_line {
                        let line = format!(
                            "<line number=\"{n}\" hits=\"{}\"></line>",
                            proc_.hits.executed
                        );
                        method_lines.push_str(&format!("\n                {line}"));
                        class_lines.push_str(&format!("\n            {line}"));
                    }
                    methods.push_str(&format!(
                        "\n            <method name=\"{}\" signature=\"\" line-rate=\"{}\" branch-rate=\"0\" complexity=\"0\">\n              <lines>{method_lines}\n              </lines>\n            </method>",
                        xml_escape(&proc_.processor_type),
                        rate(usize::from(proc_.hits.executed > 0), 1)
                    ));
                }
                classes.push_str(&format!(
                    "\n        <class name=\"{}\" filename=\"{}\" line-rate=\"{}\" branch-rate=\"0\" complexity=\"0\">\n          <methods>{methods}\n          </methods>\n          <lines>{class_lines}\n          </lines>\n        </class>",
                    xml_escape(&p.name),
                    xml_escape(&filename),
                    rate(p.covered(), p.processors.len())
                ));
            }
            packages.push_str(&format!(
                "\n    <package name=\"{}.{}\" line-rate=\"0\" branch-rate=\"0\" complexity=\"0\">\n      <classes>{classes}\n      </classes>\n    </package>",
                xml_escape(package_name),
                xml_escape(&ds.data_stream)
            ));
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n<coverage line-rate=\"{}\" branch-rate=\"{}\" version=\"\" timestamp=\"{timestamp}\" lines-covered=\"{lines_covered}\" lines-valid=\"{lines_valid}\" branches-covered=\"{branches_covered}\" branches-valid=\"{branches_valid}\" complexity=\"0\">\n  <sources>\n    <source>{}</source>\n  </sources>\n  <packages>{packages}\n  </packages>\n</coverage>",
            rate(lines_covered, lines_valid),
            rate(branches_covered, branches_valid),
            xml_escape(&base.to_string_lossy())
        )
    }
}

fn ratio(n: usize, total: usize) -> String {
    if total == 0 {
        return "-".to_owned();
    }
    format!("{n}/{total} ({:.1}%)", 100.0 * n as f64 / total as f64)
}

fn rate(n: usize, total: usize) -> String {
    if total == 0 {
        return "0".to_owned();
    }
    let r = n as f64 / total as f64;
    let s = format!("{r:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
}

/// Where a top-level processor sits in its pipeline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessorSpan {
    /// Processor type.
    pub processor_type: String,
    /// First line (1-based).
    pub first_line: usize,
    /// Last line holding part of its definition.
    pub last_line: usize,
}

/// The top-level processors of a pipeline file with their line spans, as
/// elastic-package derives them from YAML node positions: from the line of
/// the list entry to the last line holding a value of it.
pub fn processor_spans(text: &str, file_name: &str) -> Vec<ProcessorSpan> {
    if file_name.ends_with(".json") {
        json_processor_spans(text)
    } else {
        yaml_processor_spans(text)
    }
}

fn yaml_processor_spans(text: &str) -> Vec<ProcessorSpan> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.trim_end() == "processors:" || l.starts_with("processors:"))
    else {
        return Vec::new();
    };
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    let is_content = |l: &str| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with('#')
    };
    let mut spans = Vec::new();
    let mut item_indent: Option<usize> = None;
    let mut current: Option<ProcessorSpan> = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if !is_content(line) {
            continue;
        }
        let indent = indent_of(line);
        let trimmed = line.trim_start();
        let is_item = trimmed == "-" || trimmed.starts_with("- ");
        let item_level = *item_indent.get_or_insert(if is_item { indent } else { usize::MAX });
        if is_item && indent == item_level {
            if let Some(span) = current.take() {
                spans.push(span);
            }
            let rest = trimmed.trim_start_matches('-').trim_start();
            let processor_type = rest
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_owned();
            current = Some(ProcessorSpan {
                processor_type,
                first_line: i + 1,
                last_line: i + 1,
            });
        } else if indent > item_level {
            if let Some(span) = current.as_mut() {
                span.last_line = i + 1;
            }
        } else {
            break;
        }
    }
    spans.extend(current);
    spans
}

/// Spans of the elements of the top-level `"processors"` array of a JSON
/// pipeline: from the element's opening brace to its last value.
fn json_processor_spans(text: &str) -> Vec<ProcessorSpan> {
    let tokens = json_tokens(text);
    let mut spans = Vec::new();
    // Find `"processors"` at depth 1 followed by `:` and `[`.
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        match t.kind {
            JsonToken::Open => depth += 1,
            JsonToken::Close => depth = depth.saturating_sub(1),
            JsonToken::String
                if depth == 1
                    && t.text == "processors"
                    && tokens
                        .get(i + 1)
                        .is_some_and(|c| c.kind == JsonToken::Colon)
                    && tokens
                        .get(i + 2)
                        .is_some_and(|o| o.kind == JsonToken::Open && o.text == "[") =>
            {
                i += 3;
                let mut level = 0usize;
                let mut current: Option<ProcessorSpan> = None;
                let mut expect_type = false;
                while i < tokens.len() {
                    let t = &tokens[i];
                    match t.kind {
                        JsonToken::Open => {
                            if level == 0 {
                                current = Some(ProcessorSpan {
                                    processor_type: String::new(),
                                    first_line: t.line,
                                    last_line: t.line,
                                });
                                expect_type = true;
                            }
                            level += 1;
                        }
                        JsonToken::Close => {
                            if level == 0 {
                                break;
                            }
                            level -= 1;
                            if level == 0 {
                                spans.extend(current.take());
                            }
                        }
                        JsonToken::String | JsonToken::Scalar => {
                            if let Some(span) = current.as_mut() {
                                if expect_type && level == 1 && t.kind == JsonToken::String {
                                    span.processor_type = t.text.clone();
                                    expect_type = false;
                                }
                                span.last_line = t.line;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                return spans;
            }
            _ => {}
        }
        i += 1;
    }
    spans
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonToken {
    Open,
    Close,
    Colon,
    Comma,
    String,
    Scalar,
}

struct Token {
    kind: JsonToken,
    text: String,
    line: usize,
}

fn json_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' | '[' => tokens.push(Token {
                kind: JsonToken::Open,
                text: c.to_string(),
                line,
            }),
            '}' | ']' => tokens.push(Token {
                kind: JsonToken::Close,
                text: c.to_string(),
                line,
            }),
            ':' => tokens.push(Token {
                kind: JsonToken::Colon,
                text: String::new(),
                line,
            }),
            ',' => tokens.push(Token {
                kind: JsonToken::Comma,
                text: String::new(),
                line,
            }),
            '"' => {
                let start_line = line;
                let mut s = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                s.push(e);
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            s.push(d);
                        }
                        _ => s.push(d),
                    }
                }
                tokens.push(Token {
                    kind: JsonToken::String,
                    text: s,
                    line: start_line,
                });
            }
            c if c.is_whitespace() => {}
            _ => {
                while chars
                    .peek()
                    .is_some_and(|d| !matches!(d, ',' | '}' | ']' | ':') && !d.is_whitespace())
                {
                    chars.next();
                }
                tokens.push(Token {
                    kind: JsonToken::Scalar,
                    text: String::new(),
                    line,
                });
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_spans_cover_each_top_level_processor() {
        let text = "---\ndescription: x\nprocessors:\n  - set:\n      field: a\n      value: b\n\n  # note\n  - script:\n      source: |\n        ctx.a = 1;\n        ctx.b = 2;\n  - remove:\n      field: c\non_failure:\n  - set:\n      field: error.message\n      value: x\n";
        let spans = processor_spans(text, "default.yml");
        let got: Vec<(String, usize, usize)> = spans
            .into_iter()
            .map(|s| (s.processor_type, s.first_line, s.last_line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("set".into(), 4, 6),
                ("script".into(), 9, 12),
                ("remove".into(), 13, 14)
            ]
        );
    }

    #[test]
    fn yaml_spans_accept_unindented_lists() {
        let text = "processors:\n- set:\n    field: a\n- drop: {}\n";
        let spans = processor_spans(text, "p.yml");
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[1].first_line, spans[1].last_line), (4, 4));
    }

    #[test]
    fn json_spans_end_at_the_last_value() {
        let text = "{\n  \"processors\": [\n    {\n      \"set\": {\n        \"field\": \"a\",\n        \"value\": 1\n      }\n    },\n    { \"drop\": {} }\n  ]\n}\n";
        let spans = processor_spans(text, "default.json");
        let got: Vec<(String, usize, usize)> = spans
            .into_iter()
            .map(|s| (s.processor_type, s.first_line, s.last_line))
            .collect();
        assert_eq!(got, vec![("set".into(), 3, 6), ("drop".into(), 9, 9)]);
    }
}
