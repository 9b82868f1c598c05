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
    /// A decimal (`1.5pb`, `1e30kb`) whose bytes exceed `Long.MAX_VALUE`.
    BeyondLong,
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
            ByteSizeErrorKind::BeyondLong => format!(
                "failed to parse setting [{setting}] with value beyond {}: [{value}]",
                i64::MAX
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
            // Not a long: `new BigDecimal(number)`, at most two decimals
            // (scale), not negative, times the unit rounded up.
            return decimal_bytes(number, unit).map_err(error);
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

/// The bytes of `number` units when `number` is not a long, as
/// `ByteSizeValue.parse` computes them from `new BigDecimal(number)`.
fn decimal_bytes(number: &str, unit: i64) -> Result<i64, ByteSizeErrorKind> {
    let decimal = JavaDecimal::parse(number).ok_or(ByteSizeErrorKind::NotANumber)?;
    if decimal.negative && !decimal.is_zero() {
        return Err(ByteSizeErrorKind::NotANumber);
    }
    if decimal.scale > 2 {
        return Err(ByteSizeErrorKind::TooManyDecimals);
    }
    if decimal.is_zero() {
        return Ok(0);
    }
    let beyond = ByteSizeErrorKind::BeyondLong;
    let unscaled = decimal.unscaled.ok_or(beyond)?;
    let bytes = if decimal.scale <= 0 {
        // An integer: unscaled × 10^-scale × unit, exactly.
        let shift = u32::try_from(-decimal.scale).map_err(|_| beyond)?;
        10u128
            .checked_pow(shift)
            .and_then(|p| unscaled.checked_mul(p))
            .and_then(|n| n.checked_mul(unit as u128))
            .ok_or(beyond)?
    } else {
        // One or two decimals: rounded up (`RoundingMode.UP`, the value
        // being positive).
        let divisor = 10u128.pow(decimal.scale as u32);
        unscaled
            .checked_mul(unit as u128)
            .ok_or(beyond)?
            .div_ceil(divisor)
    };
    i64::try_from(bytes).map_err(|_| beyond)
}

/// A decimal read as Java's `new BigDecimal(String)` reads it: an optional
/// sign, digits with at most one point (at least one digit), an optional
/// exponent (`e`, optional sign, digits). Its value is `unscaled` ×
/// 10^-`scale`; `scale` is the number of fraction digits less the exponent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct JavaDecimal {
    negative: bool,
    /// The digits as one integer; `None` when they exceed `u128` (the value
    /// is then non-zero and far beyond any byte count).
    unscaled: Option<u128>,
    scale: i64,
}

impl JavaDecimal {
    /// `None` where Java throws `NumberFormatException`. Digits are ASCII:
    /// Java would also take other Unicode decimal digits.
    fn parse(text: &str) -> Option<JavaDecimal> {
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (significand, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        let (int_digits, fraction_digits) =
            significand.split_once('.').unwrap_or((significand, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int_digits.is_empty() && fraction_digits.is_empty())
            || !all_digits(int_digits)
            || !all_digits(fraction_digits)
        {
            return None;
        }
        let exponent = match exponent {
            None => 0,
            Some(e) => {
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !all_digits(digits) {
                    return None;
                }
                // The exponent is an int.
                i64::from(e.parse::<i32>().ok()?)
            }
        };
        let scale = fraction_digits.len() as i64 - exponent;
        // So is the scale.
        i32::try_from(scale).ok()?;
        let unscaled = int_digits
            .bytes()
            .chain(fraction_digits.bytes())
            .try_fold(0u128, |n, b| {
                n.checked_mul(10)?.checked_add(u128::from(b - b'0'))
            });
        Some(JavaDecimal {
            negative,
            unscaled,
            scale,
        })
    }

    fn is_zero(&self) -> bool {
        self.unscaled == Some(0)
    }
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
    fn decimals_are_read_as_java_big_decimals() {
        assert_eq!(parse_byte_size("1e3kb", "f"), Ok(1_024_000));
        assert_eq!(parse_byte_size("1.5E1 kb", "f"), Ok(15 * 1024));
        assert_eq!(parse_byte_size("+1.5kb", "f"), Ok(1536));
        assert_eq!(parse_byte_size(".5kb", "f"), Ok(512));
        assert_eq!(parse_byte_size("1.kb", "f"), Ok(1024));
        assert_eq!(parse_byte_size("-0.0kb", "f"), Ok(0));
        assert_eq!(parse_byte_size("0e400kb", "f"), Ok(0));
        assert_eq!(parse_byte_size("1.5e-1kb", "f"), Ok(154));
        assert_eq!(
            parse_byte_size("0.01b", "f").unwrap_err().kind,
            ByteSizeErrorKind::NotANumber
        );
        // Scale, not value, decides: 1.000 has three decimals.
        assert_eq!(
            message("1.000kb"),
            "failed to parse setting [f] with more than two decimals in value [1.000kb]"
        );
        assert_eq!(
            parse_byte_size("1000e-3kb", "f").unwrap_err().kind,
            ByteSizeErrorKind::TooManyDecimals
        );
        assert_eq!(
            parse_byte_size("0.000kb", "f").unwrap_err().kind,
            ByteSizeErrorKind::TooManyDecimals
        );
        for not_a_number in [
            "-1.5kb",
            "1e kb",
            "1e+kb",
            "e3kb",
            ".kb",
            "1.2.3kb",
            "1 .5kb",
            "1e9999999999kb",
            "0x10kb",
            "1_0kb",
        ] {
            assert_eq!(
                message(not_a_number),
                format!("failed to parse setting [f] with value [{not_a_number}]"),
                "{not_a_number}"
            );
        }
    }

    #[test]
    fn decimals_beyond_long_range_say_so() {
        for beyond in [
            "9000000.5pb",
            "1e30kb",
            "8192.01pb",
            "123456789012345678901234567890123456789012345.5kb",
        ] {
            assert_eq!(
                message(beyond),
                format!(
                    "failed to parse setting [f] with value beyond 9223372036854775807: [{beyond}]"
                ),
                "{beyond}"
            );
        }
        // Just below: 8191.99 pb rounds up to a whole byte under Long.MAX_VALUE.
        assert_eq!(
            parse_byte_size("8191.99pb", "f"),
            Ok(9_223_360_777_855_707_382)
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
