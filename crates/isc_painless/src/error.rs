//! Errors: compile errors with a code frame, runtime errors carrying the Java
//! exception Elasticsearch would report, and the `script_exception` shape both
//! take in Elasticsearch responses.

use std::fmt;

use crate::token::TextRange;

/// A script that does not compile: where, what went wrong, what was expected.
///
/// `Display` renders a code frame in the style of ruff:
///
/// ```text
/// error: unexpected ')', expected an expression
///  --> 1:9
///   |
/// 1 | ctx.a = )
///   |         ^ expected an expression
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// What went wrong, one line.
    pub message: String,
    /// What the parser expected at this point, when it knows.
    pub expected: Option<String>,
    /// Where, as a byte range of the source.
    pub range: TextRange,
    /// 1-based line of `range.start`.
    pub line: usize,
    /// 1-based column (in characters) of `range.start`.
    pub column: usize,
    /// The message as Painless words it (`caused_by.reason`), e.g.
    /// `invalid sequence of tokens near ['x'].`
    pub java_message: String,
    source: String,
}

impl CompileError {
    /// A compile error over `range` of `source`.
    pub fn new(source: &str, range: TextRange, message: impl Into<String>) -> CompileError {
        let (line, column) = line_column(source, range.start as usize);
        let message = message.into();
        CompileError {
            java_message: message.clone(),
            message,
            expected: None,
            range,
            line,
            column,
            source: source.to_owned(),
        }
    }

    /// The same error with Painless's own wording for `caused_by.reason`.
    pub fn with_java_message(mut self, message: impl Into<String>) -> CompileError {
        self.java_message = message.into();
        self
    }

    /// The same error noting what was expected.
    pub fn expecting(mut self, expected: impl Into<String>) -> CompileError {
        self.expected = Some(expected.into());
        self
    }

    /// The `script_exception` Elasticsearch reports for a script that fails
    /// to compile: reason `compile error`, a script stack of the source 25
    /// characters either side of the error with a `^---- HERE` pointer,
    /// and `caused_by` an `illegal_argument_exception`.
    pub fn to_script_exception(&self) -> ScriptException {
        let offset = utf16_offset(&self.source, self.range.start as usize);
        let total = utf16_len(&self.source);
        let start = offset.saturating_sub(25);
        let end = (offset + 25).min(total);
        let mut snippet = String::new();
        if start > 0 {
            snippet.push_str("... ");
        }
        snippet.push_str(&utf16_slice(&self.source, start, end));
        if end < total {
            snippet.push_str(" ...");
        }
        let mut pointer = String::new();
        if start > 0 {
            pointer.push_str("    ");
        }
        pointer.push_str(&" ".repeat(offset - start));
        pointer.push_str("^---- HERE");
        ScriptException {
            reason: "compile error".to_owned(),
            script_stack: vec![snippet, pointer],
            script: self.source.clone(),
            position: Some(Position { offset, start, end }),
            caused_by_type: "illegal_argument_exception".to_owned(),
            caused_by_reason: self.java_message.clone(),
        }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        writeln!(f, " --> {}:{}", self.line, self.column)?;
        let line_text = self.source.lines().nth(self.line - 1).unwrap_or("");
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{number} | {line_text}")?;
        let line_start = line_start_of(&self.source, self.range.start as usize);
        let end_in_line = (self.range.end as usize)
            .min(line_start + line_text.len())
            .max(self.range.start as usize);
        let width = self
            .source
            .get(self.range.start as usize..end_in_line)
            .map_or(1, |s| s.chars().count().max(1));
        let label = self.expected.as_deref().map(|e| format!(" expected {e}"));
        write!(
            f,
            "{gutter} | {}{}{}",
            " ".repeat(self.column - 1),
            "^".repeat(width),
            label.unwrap_or_default()
        )
    }
}

impl std::error::Error for CompileError {}

/// The Java exception a script threw, as Elasticsearch names it in
/// `caused_by.type` (snake case of the class name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExceptionKind {
    /// `java.lang.NullPointerException`.
    NullPointer,
    /// `java.lang.IllegalArgumentException`.
    IllegalArgument,
    /// `java.lang.IllegalStateException`.
    IllegalState,
    /// `java.lang.ClassCastException`.
    ClassCast,
    /// `java.lang.ArrayIndexOutOfBoundsException`.
    ArrayIndexOutOfBounds,
    /// `java.lang.IndexOutOfBoundsException`.
    IndexOutOfBounds,
    /// `java.lang.StringIndexOutOfBoundsException`.
    StringIndexOutOfBounds,
    /// `java.lang.UnsupportedOperationException`.
    UnsupportedOperation,
    /// `java.lang.ArithmeticException`.
    Arithmetic,
    /// `java.lang.NumberFormatException`.
    NumberFormat,
    /// `java.util.NoSuchElementException`.
    NoSuchElement,
    /// `java.util.ConcurrentModificationException`.
    ConcurrentModification,
    /// `java.util.regex.PatternSyntaxException`.
    PatternSyntax,
    /// `java.lang.NegativeArraySizeException`.
    NegativeArraySize,
    /// `org.elasticsearch.painless.PainlessError` (loop limit).
    PainlessError,
    /// `org.elasticsearch.common.breaker.CircuitBreakingException` (regex limit).
    CircuitBreaking,
    /// `java.lang.StackOverflowError` (runaway recursion).
    StackOverflow,
    /// `java.lang.OutOfMemoryError` (a script building huge values).
    OutOfMemory,
    /// `org.elasticsearch.ElasticsearchParseException` (`Processors.bytes`).
    Parse,
    /// `java.lang.Exception` thrown by the script itself.
    Exception,
    /// `java.lang.RuntimeException` thrown by the script itself.
    Runtime,
    /// `java.time.DateTimeException`.
    DateTime,
    /// `java.time.format.DateTimeParseException`.
    DateTimeParse,
    /// `java.time.zone.ZoneRulesException` (an unknown zone ID).
    ZoneRules,
    /// `java.time.temporal.UnsupportedTemporalTypeException`.
    UnsupportedTemporalType,
}

impl ExceptionKind {
    /// The `caused_by.type` Elasticsearch prints, e.g. `null_pointer_exception`.
    pub fn type_name(self) -> &'static str {
        use ExceptionKind::*;
        match self {
            NullPointer => "null_pointer_exception",
            IllegalArgument => "illegal_argument_exception",
            IllegalState => "illegal_state_exception",
            ClassCast => "class_cast_exception",
            ArrayIndexOutOfBounds => "array_index_out_of_bounds_exception",
            IndexOutOfBounds => "index_out_of_bounds_exception",
            StringIndexOutOfBounds => "string_index_out_of_bounds_exception",
            UnsupportedOperation => "unsupported_operation_exception",
            Arithmetic => "arithmetic_exception",
            NumberFormat => "number_format_exception",
            NoSuchElement => "no_such_element_exception",
            ConcurrentModification => "concurrent_modification_exception",
            PatternSyntax => "pattern_syntax_exception",
            NegativeArraySize => "negative_array_size_exception",
            PainlessError => "painless_error",
            CircuitBreaking => "circuit_breaking_exception",
            StackOverflow => "stack_overflow_error",
            OutOfMemory => "out_of_memory_error",
            Parse => "parse_exception",
            Exception => "exception",
            Runtime => "runtime_exception",
            DateTime => "date_time_exception",
            DateTimeParse => "date_time_parse_exception",
            ZoneRules => "zone_rules_exception",
            UnsupportedTemporalType => "unsupported_temporal_type_exception",
        }
    }

    /// The Java simple class name, as a script names it in `catch` and `new`.
    pub fn java_name(self) -> &'static str {
        use ExceptionKind::*;
        match self {
            NullPointer => "NullPointerException",
            IllegalArgument => "IllegalArgumentException",
            IllegalState => "IllegalStateException",
            ClassCast => "ClassCastException",
            ArrayIndexOutOfBounds => "ArrayIndexOutOfBoundsException",
            IndexOutOfBounds => "IndexOutOfBoundsException",
            StringIndexOutOfBounds => "StringIndexOutOfBoundsException",
            UnsupportedOperation => "UnsupportedOperationException",
            Arithmetic => "ArithmeticException",
            NumberFormat => "NumberFormatException",
            NoSuchElement => "NoSuchElementException",
            ConcurrentModification => "ConcurrentModificationException",
            PatternSyntax => "PatternSyntaxException",
            NegativeArraySize => "NegativeArraySizeException",
            PainlessError => "PainlessError",
            CircuitBreaking => "CircuitBreakingException",
            StackOverflow => "StackOverflowError",
            OutOfMemory => "OutOfMemoryError",
            Parse => "ElasticsearchParseException",
            Exception => "Exception",
            Runtime => "RuntimeException",
            DateTime => "DateTimeException",
            DateTimeParse => "DateTimeParseException",
            ZoneRules => "ZoneRulesException",
            UnsupportedTemporalType => "UnsupportedTemporalTypeException",
        }
    }

    /// The kind a script names `name` in `new X(...)` or `catch (X e)`.
    pub fn from_java_name(name: &str) -> Option<ExceptionKind> {
        use ExceptionKind::*;
        [
            NullPointer,
            IllegalArgument,
            IllegalState,
            ClassCast,
            ArrayIndexOutOfBounds,
            IndexOutOfBounds,
            StringIndexOutOfBounds,
            UnsupportedOperation,
            Arithmetic,
            NumberFormat,
            NoSuchElement,
            ConcurrentModification,
            PatternSyntax,
            NegativeArraySize,
            Exception,
            Runtime,
            DateTime,
            DateTimeParse,
            ZoneRules,
            UnsupportedTemporalType,
        ]
        .into_iter()
        .find(|k| k.java_name() == name)
    }

    /// Whether `catch (catcher e)` catches an exception of this kind, following
    /// the Java class hierarchy. Painless never lets scripts catch its own
    /// errors (loop limit, stack overflow) or the regex circuit breaker.
    pub fn caught_by(self, catcher: ExceptionKind) -> bool {
        use ExceptionKind::*;
        if matches!(
            self,
            PainlessError | StackOverflow | CircuitBreaking | OutOfMemory
        ) {
            return false;
        }
        if self == catcher {
            return true;
        }
        match catcher {
            Exception => true,
            Runtime => self != Exception,
            IllegalArgument => matches!(self, NumberFormat | PatternSyntax),
            IndexOutOfBounds => matches!(self, ArrayIndexOutOfBounds | StringIndexOutOfBounds),
            DateTime => matches!(self, DateTimeParse | ZoneRules | UnsupportedTemporalType),
            _ => false,
        }
    }
}

/// A script failed while running: the Java exception Elasticsearch would
/// report, its message, and where in the script it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// The Java exception class.
    pub kind: ExceptionKind,
    /// The exception message exactly as Java/Painless word it (may be empty
    /// where Java's message is `null`).
    pub message: String,
    /// Painless's script stack: the statement that failed and a
    /// `^---- HERE` pointer under the failing node.
    pub script_stack: Vec<String>,
    /// Offset of the failing node and the statement's bounds, in UTF-16
    /// units as Java counts them.
    pub position: Option<Position>,
    /// The script source.
    pub script: String,
}

impl ScriptError {
    /// The `script_exception` Elasticsearch builds around this error (reason
    /// `runtime error`).
    pub fn to_script_exception(&self) -> ScriptException {
        ScriptException {
            reason: "runtime error".to_owned(),
            script_stack: self.script_stack.clone(),
            script: self.script.clone(),
            position: self.position,
            caused_by_type: self.kind.type_name().to_owned(),
            caused_by_reason: self.message.clone(),
        }
    }
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.type_name(), self.message)
    }
}

impl std::error::Error for ScriptError {}

/// `ScriptException.Position`: offsets in UTF-16 units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The failing node.
    pub offset: usize,
    /// Start of the statement (or snippet) shown.
    pub start: usize,
    /// End of the statement (or snippet) shown.
    pub end: usize,
}

/// Elasticsearch's `script_exception` as it appears in responses and in
/// `_ingest.on_failure_message` sources: the fields of `ScriptException`
/// plus its cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptException {
    /// `compile error` or `runtime error`.
    pub reason: String,
    /// `script_stack`.
    pub script_stack: Vec<String>,
    /// `script`: the source.
    pub script: String,
    /// `position`, when known.
    pub position: Option<Position>,
    /// `caused_by.type`.
    pub caused_by_type: String,
    /// `caused_by.reason`.
    pub caused_by_reason: String,
}

impl ScriptException {
    /// The exception as Elasticsearch renders it in JSON error bodies:
    /// `{"type":"script_exception","reason":…,"script_stack":[…],"script":…,
    /// "lang":"painless","position":{…},"caused_by":{"type":…,"reason":…}}`.
    pub fn to_value(&self) -> isc_value::Value {
        use isc_value::{Map, Value};
        let mut m = Map::default();
        m.insert("type".into(), "script_exception".into());
        m.insert("reason".into(), self.reason.clone().into());
        m.insert(
            "script_stack".into(),
            Value::List(self.script_stack.iter().map(|s| s.clone().into()).collect()),
        );
        m.insert("script".into(), self.script.clone().into());
        m.insert("lang".into(), "painless".into());
        if let Some(p) = self.position {
            let mut pos = Map::default();
            pos.insert("offset".into(), Value::from_whole_number(p.offset as i64));
            pos.insert("start".into(), Value::from_whole_number(p.start as i64));
            pos.insert("end".into(), Value::from_whole_number(p.end as i64));
            m.insert("position".into(), Value::Map(pos));
        }
        let mut cause = Map::default();
        cause.insert("type".into(), self.caused_by_type.clone().into());
        cause.insert("reason".into(), self.caused_by_reason.clone().into());
        m.insert("caused_by".into(), Value::Map(cause));
        Value::Map(m)
    }
}

/// 1-based line and character column of byte `offset`.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let start = line_start_of(source, offset);
    let column = source.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn line_start_of(source: &str, offset: usize) -> usize {
    source
        .get(..offset.min(source.len()))
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The UTF-16 index (Java `String` index) of byte `offset`.
pub(crate) fn utf16_offset(source: &str, offset: usize) -> usize {
    source
        .get(..offset.min(source.len()))
        .map_or(0, |s| s.encode_utf16().count())
}

pub(crate) fn utf16_len(source: &str) -> usize {
    source.encode_utf16().count()
}

/// Java's `source.substring(start, end)` over UTF-16 indices.
pub(crate) fn utf16_slice(source: &str, start: usize, end: usize) -> String {
    let units: Vec<u16> = source.encode_utf16().collect();
    let end = end.min(units.len());
    let start = start.min(end);
    String::from_utf16_lossy(&units[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_frame_points_at_the_range() {
        let e = CompileError::new("a = 1;\nb = )", TextRange::new(11, 12), "unexpected ')'")
            .expecting("an expression");
        insta::assert_snapshot!(e.to_string(), @r"
        error: unexpected ')'
         --> 2:5
          |
        2 | b = )
          |     ^ expected an expression
        ");
    }

    #[test]
    fn compile_script_stack_shows_25_chars_either_side() {
        let src = "ctx.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = ; ctx.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb = 1";
        let e = CompileError::new(src, TextRange::new(39, 40), "x");
        let se = e.to_script_exception();
        assert_eq!(
            se.script_stack[0],
            "... aaaaaaaaaaaaaaaaaaaaaa = ; ctx.bbbbbbbbbbbbbbbbbbb ..."
        );
        assert_eq!(
            se.script_stack[1],
            "                             ^---- HERE"
        );
        assert_eq!(
            se.position,
            Some(Position {
                offset: 39,
                start: 14,
                end: 64
            })
        );
    }

    #[test]
    fn catch_follows_java_hierarchy() {
        assert!(ExceptionKind::NumberFormat.caught_by(ExceptionKind::IllegalArgument));
        assert!(ExceptionKind::NullPointer.caught_by(ExceptionKind::Exception));
        assert!(!ExceptionKind::PainlessError.caught_by(ExceptionKind::Exception));
    }
}
