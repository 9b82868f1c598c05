//! The text a run prints: one line per case (`PASS`, `FAIL`, `SKIP`, data
//! stream, file, documents, time), the failures with their reasons and
//! per-document diffs, and the summary line `N passed, M failed`
//! (`, K skipped` when any).

use std::fmt::Write as _;

use crate::runner::{CaseOutcome, CaseStatus, RunReport};

/// Whether to colour the output with ANSI escapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Status words and diff lines coloured (terminals).
    Ansi,
    /// Plain text (pipes, files, CI logs).
    Plain,
}

impl Colour {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Colour::Ansi => format!("\u{1b}[{code}m{text}\u{1b}[0m"),
            Colour::Plain => text.to_owned(),
        }
    }
}

/// The line of one case.
pub fn case_line(case: &CaseOutcome, colour: Colour) -> String {
    let status = match case.status {
        CaseStatus::Pass => colour.paint("32", "PASS"),
        CaseStatus::Fail => colour.paint("31", "FAIL"),
        CaseStatus::Skip => colour.paint("33", "SKIP"),
    };
    let mut line = format!(
        "{status} {} {} ({} documents, {:.1} ms)",
        case.data_stream,
        case.case,
        case.documents,
        case.elapsed.as_secs_f64() * 1000.0
    );
    if let Some(skip) = &case.skip {
        let _ = write!(line, ": {} ({})", skip.reason, skip.link);
    }
    line
}

/// The failure of a case: its reason, numbered details and the unified
/// diff of every differing document. Empty for cases that did not fail.
pub fn case_failure(case: &CaseOutcome, colour: Colour) -> String {
    let Some(failure) = &case.failure else {
        return String::new();
    };
    let mut out = format!(
        "--- {} {}: {}\n",
        case.data_stream, case.case, failure.reason
    );
    if let Some(details) = &failure.details {
        for line in details.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    for diff in &failure.diffs {
        let _ = writeln!(out, "  document {} of {}:", diff.index, case.case);
        for line in diff.unified(&case.case).lines() {
            let painted = if line.starts_with("+++") || line.starts_with("---") {
                colour.paint("1", line)
            } else if line.starts_with('+') {
                colour.paint("32", line)
            } else if line.starts_with('-') {
                colour.paint("31", line)
            } else if line.starts_with("@@") {
                colour.paint("36", line)
            } else {
                line.to_owned()
            };
            let _ = writeln!(out, "    {painted}");
        }
    }
    out
}

/// `N passed, M failed` and `, K skipped` when any were skipped.
pub fn summary_line(report: &RunReport) -> String {
    let passed = report.count(CaseStatus::Pass);
    let failed = report.count(CaseStatus::Fail);
    let skipped = report.count(CaseStatus::Skip);
    let mut line = format!("{passed} passed, {failed} failed");
    if skipped > 0 {
        let _ = write!(line, ", {skipped} skipped");
    }
    line
}

/// The whole output of a run: case lines, then failures, then the
/// coverage table (if collected), then the summary line.
pub fn render_report(report: &RunReport, colour: Colour, verbose: bool) -> String {
    let mut out = String::new();
    for case in &report.cases {
        out.push_str(&case_line(case, colour));
        out.push('\n');
    }
    let failures: Vec<String> = report
        .cases
        .iter()
        .map(|c| case_failure(c, colour))
        .filter(|f| !f.is_empty())
        .collect();
    if !failures.is_empty() {
        out.push('\n');
        for f in failures {
            out.push_str(&f);
        }
    }
    if let Some(coverage) = &report.coverage {
        out.push('\n');
        out.push_str(&coverage.table(verbose));
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::comparison::DocumentDiff;
    use crate::runner::CaseFailure;

    fn failed_case() -> CaseOutcome {
        CaseOutcome {
            data_stream: "events".into(),
            case: "test-a.log".into(),
            status: CaseStatus::Fail,
            documents: 1,
            elapsed: Duration::from_micros(1500),
            failure: Some(CaseFailure {
                reason: "Expected results are different from actual ones".into(),
                details: None,
                diffs: vec![DocumentDiff {
                    index: 0,
                    expected: Some("{\n    \"a\": 1\n}".into()),
                    actual: Some("{\n    \"a\": 2\n}".into()),
                }],
            }),
            skip: None,
        }
    }

    #[test]
    fn plain_output_has_no_escape_codes() {
        let case = failed_case();
        assert_eq!(
            case_line(&case, Colour::Plain),
            "FAIL events test-a.log (1 documents, 1.5 ms)"
        );
        let failure = case_failure(&case, Colour::Plain);
        assert!(!failure.contains('\u{1b}'));
        assert!(
            failure.contains("    -    \"a\": 1\n    +    \"a\": 2\n"),
            "{failure}"
        );
    }

    #[test]
    fn terminal_output_colours_status_and_diff_lines() {
        let case = failed_case();
        assert!(case_line(&case, Colour::Ansi).starts_with("\u{1b}[31mFAIL\u{1b}[0m"));
        let failure = case_failure(&case, Colour::Ansi);
        assert!(
            failure.contains("\u{1b}[31m-    \"a\": 1\u{1b}[0m"),
            "{failure:?}"
        );
        assert!(
            failure.contains("\u{1b}[32m+    \"a\": 2\u{1b}[0m"),
            "{failure:?}"
        );
    }
}
