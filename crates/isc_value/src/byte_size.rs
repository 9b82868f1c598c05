//! Human-readable byte sizes (`1kb`, `2.5 MB`) parsed as Elasticsearch's
//! `ByteSizeValue.parseBytesSizeValue(value, setting).getBytes()` does: the
//! `bytes` ingest processor and Painless `Processors.bytes` both use it.

/// Why a byte size did not parse; the message names the setting and the
/// value as Elasticsearch's `ElasticsearchParseException` does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ByteSizeError {
    /// What went wrong.
    pub kind: ByteSizeErrorKind,
    /// Elasticsearch's message text.
    pub message: String,
}

/// The kinds of [`ByteSizeError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByteSizeErrorKind {
    /// No unit, or one that is not `b`, `k(b)`, `m(b)`, `g(b)`, `t(b)`, `p(b)`.
    MissingUnit,
    /// The part before the unit is not a number.
    NotANumber,
    /// A decimal with more than two fraction digits.
    TooManyDecimals,
    /// Below -1 byte or beyond `Long.MAX_VALUE` bytes.
    OutOfRange,
}

/// The units after the number, the one-letter form before the two-letter
/// one as Elasticsearch tests them.
const UNITS: [(&str, i64); 10] = [
    ("k", 1 << 10),
    ("kb", 1 << 10),
    ("m", 1 << 20),
    ("mb", 1 << 20),
    ("g", 1 << 30),
    ("gb", 1 << 30),
    ("t", 1 << 40),
    ("tb", 1 << 40),
    ("p", 1 << 50),
    ("pb", 1 << 50),
];

/// The number of bytes `value` stands for; `setting` names it in errors.
pub fn parse_byte_size(value: &str, setting: &str) -> Result<i64, ByteSizeError> {
    match value {
        "0" | "0b" | "0B" => return Ok(0),
        "1b" | "1B" => return Ok(1),
        "-1" | "-1b" | "-1B" => return Ok(-1),
        _ => {}
    }
    let error = |kind| {
        let message = match kind {
            ByteSizeErrorKind::MissingUnit => format!(
                "failed to parse setting [{setting}] with value [{value}] as a size in bytes: unit is missing or unrecognized"
            ),
            ByteSizeErrorKind::NotANumber => {
                format!("failed to parse setting [{setting}] with value [{value}]")
            }
            ByteSizeErrorKind::TooManyDecimals => format!(
                "failed to parse setting [{setting}] with more than two decimals in value [{value}]"
            ),
            ByteSizeErrorKind::OutOfRange => format!(
                "failed to parse setting [{setting}] with value [{value}] as a size in bytes"
            ),
        };
        ByteSizeError { kind, message }
    };
    let lower = value.to_lowercase();
    let lower = java_trim(&lower);
    for (suffix, unit) in UNITS {
        if let Some(number) = lower.strip_suffix(suffix) {
            let number = java_trim(number);
            if let Some(n) = java_parse_long(number) {
                // `ByteSizeValue.of`: -1 is allowed in bytes only.
                if n < 0 {
                    return Err(error(ByteSizeErrorKind::OutOfRange));
                }
                return n
                    .checked_mul(unit)
                    .ok_or_else(|| error(ByteSizeErrorKind::OutOfRange));
            }
            return parse_decimal_bytes(number, unit).ok_or_else(|| {
                if number.split('.').nth(1).is_some_and(|f| f.len() > 2) {
                    error(ByteSizeErrorKind::TooManyDecimals)
                } else {
                    error(ByteSizeErrorKind::NotANumber)
                }
            });
        }
    }
    if let Some(number) = lower.strip_suffix('b') {
        return match java_parse_long(java_trim(number)) {
            Some(n) if n >= -1 => Ok(n),
            Some(_) => Err(error(ByteSizeErrorKind::OutOfRange)),
            None => Err(error(ByteSizeErrorKind::NotANumber)),
        };
    }
    Err(error(ByteSizeErrorKind::MissingUnit))
}

/// Java's `String.trim()`: drops characters up to U+0020 at both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `Long.parseLong` over ASCII digits with an optional sign.
fn java_parse_long(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A non-negative decimal with at most two fraction digits times `unit`,
/// rounded up.
fn parse_decimal_bytes(number: &str, unit: i64) -> Option<i64> {
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if frac_part.len() > 2
        || (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let scale = 10i128.pow(frac_part.len() as u32);
    let int: i128 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().ok()?
    };
    let frac: i128 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().ok()?
    };
    let hundredths = int * scale + frac;
    let bytes = (hundredths * i128::from(unit) + scale - 1) / scale;
    i64::try_from(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(value: &str) -> String {
        parse_byte_size(value, "f").unwrap_err().message
    }

    #[test]
    fn sizes_parse_like_byte_size_value() {
        assert_eq!(parse_byte_size("1kb", "f"), Ok(1024));
        assert_eq!(parse_byte_size("1 KB", "f"), Ok(1024));
        assert_eq!(parse_byte_size("2g", "f"), Ok(2 << 30));
        assert_eq!(parse_byte_size("1.1kb", "f"), Ok(1127));
        assert_eq!(parse_byte_size("12b", "f"), Ok(12));
        assert_eq!(parse_byte_size("-1", "f"), Ok(-1));
    }

    #[test]
    fn errors_carry_elasticsearch_messages() {
        assert_eq!(
            message("12"),
            "failed to parse setting [f] with value [12] as a size in bytes: unit is missing or unrecognized"
        );
        assert_eq!(
            message("1.1b"),
            "failed to parse setting [f] with value [1.1b]"
        );
        assert_eq!(
            message("1.234kb"),
            "failed to parse setting [f] with more than two decimals in value [1.234kb]"
        );
        assert_eq!(
            message("-2kb"),
            "failed to parse setting [f] with value [-2kb] as a size in bytes"
        );
        assert_eq!(
            message("-1kb"),
            "failed to parse setting [f] with value [-1kb] as a size in bytes"
        );
    }

    #[test]
    fn sizes_beyond_long_range_are_errors() {
        assert_eq!(
            parse_byte_size("9000000pb", "f").unwrap_err().kind,
            ByteSizeErrorKind::OutOfRange
        );
    }
}
