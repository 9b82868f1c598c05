//! Parsing text with compiled elements into field values, following
//! `java.time.format`'s strict, case-sensitive parsing.

use crate::TimeError;
use crate::names;
use crate::pattern::{Element, Field, OffsetPattern, Part, SignStyle};
use crate::zone::{Zone, offset_seconds};

/// Field values read from a text, before resolution (`java.time.format.Parsed`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub(crate) fields: FieldValues,
    pub(crate) zone: Option<Zone>,
    /// The last offset read, kept when a zone ID read after it replaces
    /// `zone` (`2024-07-01T12:00+02:00[Europe/Paris]`).
    pub(crate) offset: Option<i32>,
}

impl Parsed {
    pub(crate) fn get(&self, field: Field) -> Option<i64> {
        self.fields.get(&field).copied()
    }

    /// Records a value; a different value for the same field fails.
    fn set(&mut self, field: Field, value: i64) -> bool {
        match self.fields.insert(field, value) {
            Some(old) => old == value,
            None => true,
        }
    }
}

/// The value read for each field, kept in one slot per field and listed
/// in the fields' declaration order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldValues {
    /// Bit `field as usize` is set when that field has a value.
    present: u32,
    values: [i64; Field::ALL.len()],
}

impl FieldValues {
    pub(crate) fn get(&self, field: &Field) -> Option<&i64> {
        self.has(*field).then(|| &self.values[*field as usize])
    }

    pub(crate) fn get_mut(&mut self, field: &Field) -> Option<&mut i64> {
        if self.has(*field) {
            Some(&mut self.values[*field as usize])
        } else {
            None
        }
    }

    /// Stores `value`, returning the one it replaced.
    pub(crate) fn insert(&mut self, field: Field, value: i64) -> Option<i64> {
        let old = self.get(&field).copied();
        self.present |= 1 << (field as u32);
        self.values[field as usize] = value;
        old
    }

    /// The fields that have a value, in declaration order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Field, i64)> + '_ {
        Field::ALL
            .iter()
            .filter(|field| self.has(**field))
            .map(|field| (*field, self.values[*field as usize]))
    }

    fn has(&self, field: Field) -> bool {
        self.present & (1 << (field as u32)) != 0
    }
}

/// Parses the whole `text`; leftover characters are an error.
pub(crate) fn parse(elements: &[Element], text: &str) -> Result<Parsed, TimeError> {
    let chars: Vec<char> = text.chars().collect();
    let mut parsed = Parsed::default();
    match parse_sequence(elements, &chars, 0, &mut parsed) {
        Ok(end) if end == chars.len() => Ok(parsed),
        Ok(end) => Err(TimeError::Unparsed {
            text: text.to_owned(),
            index: utf16_index(&chars, end),
        }),
        Err(at) => Err(TimeError::Unparseable {
            text: text.to_owned(),
            index: utf16_index(&chars, at),
        }),
    }
}

fn utf16_index(chars: &[char], at: usize) -> usize {
    chars[..at.min(chars.len())]
        .iter()
        .map(|c| c.len_utf16())
        .sum()
}

/// Parses elements in sequence from `pos`; `Err(position)` on failure.
fn parse_sequence(
    elements: &[Element],
    text: &[char],
    mut pos: usize,
    parsed: &mut Parsed,
) -> Result<usize, usize> {
    for element in elements {
        pos = parse_element(element, text, pos, parsed)?;
    }
    Ok(pos)
}

fn parse_element(
    element: &Element,
    text: &[char],
    pos: usize,
    parsed: &mut Parsed,
) -> Result<usize, usize> {
    match element {
        Element::Literal(lit) => {
            let mut p = pos;
            for c in lit.chars() {
                if text.get(p) != Some(&c) {
                    return Err(pos);
                }
                p += 1;
            }
            Ok(p)
        }
        Element::Optional(inner) => {
            let mut attempt = parsed.clone();
            match parse_sequence(inner, text, pos, &mut attempt) {
                Ok(end) => {
                    *parsed = attempt;
                    Ok(end)
                }
                Err(_) => Ok(pos),
            }
        }
        Element::Number {
            field,
            min,
            max,
            sign,
            subsequent,
        } => {
            let (value, end) = parse_number(text, pos, *min, *max, *sign, *subsequent)?;
            if parsed.set(*field, value) {
                Ok(end)
            } else {
                Err(pos)
            }
        }
        Element::Reduced { field } => {
            let (value, end) = parse_number(text, pos, 2, 2, SignStyle::NotNegative, -1)?;
            let year = 2000 + value;
            if parsed.set(*field, year) {
                Ok(end)
            } else {
                Err(pos)
            }
        }
        Element::Fraction {
            min,
            max,
            decimal_point,
        } => {
            let mut p = pos;
            if *decimal_point {
                if text.get(p) != Some(&'.') {
                    return if *min > 0 { Err(pos) } else { Ok(pos) };
                }
                p += 1;
            }
            let start = p;
            while p < text.len() && p - start < *max && text[p].is_ascii_digit() {
                p += 1;
            }
            let len = p - start;
            if len < *min || (len == 0 && *decimal_point) {
                return Err(pos);
            }
            let digits: String = text[start..p].iter().collect();
            let mut nanos: i64 = digits.parse().unwrap_or(0);
            for _ in len..9 {
                nanos *= 10;
            }
            if parsed.set(Field::NanoOfSecond, nanos) {
                Ok(p)
            } else {
                Err(pos)
            }
        }
        Element::Text { field, style } => {
            for (name, value) in names::names(*field, *style) {
                let n: Vec<char> = name.chars().collect();
                if text.get(pos..pos + n.len()) == Some(&n[..]) {
                    return if parsed.set(*field, value) {
                        Ok(pos + n.len())
                    } else {
                        Err(pos)
                    };
                }
            }
            Err(pos)
        }
        Element::Offset(pattern) => {
            let (seconds, end) = parse_offset(pattern, text, pos)?;
            parsed.zone = Some(Zone::Offset(seconds));
            parsed.offset = Some(seconds);
            Ok(end)
        }
        Element::LocalizedOffset { full } => {
            let (seconds, end) = parse_localized_offset(text, pos, *full)?;
            parsed.zone = Some(Zone::Offset(seconds));
            Ok(end)
        }
        Element::ZoneId | Element::ZoneOrOffsetId => {
            let (zone, end) = parse_zone_id(text, pos)?;
            parsed.zone = Some(zone);
            Ok(end)
        }
        Element::ZoneText => {
            let (zone, end) = parse_zone_text(text, pos)?;
            parsed.zone = Some(zone);
            Ok(end)
        }
    }
}

/// Java's `NumberPrinterParser.parse` in strict mode.
fn parse_number(
    text: &[char],
    pos: usize,
    min: usize,
    max: usize,
    sign: SignStyle,
    subsequent: i32,
) -> Result<(i64, usize), usize> {
    let mut position = pos;
    let mut negative = false;
    let mut positive = false;
    match text.get(position) {
        Some('+') => {
            let allowed = matches!(sign, SignStyle::ExceedsPad);
            if !allowed {
                return Err(pos);
            }
            positive = true;
            position += 1;
        }
        Some('-') => {
            let allowed = matches!(sign, SignStyle::Normal | SignStyle::ExceedsPad);
            if !allowed {
                return Err(pos);
            }
            negative = true;
            position += 1;
        }
        _ => {}
    }
    let eff_min = min;
    let mut eff_max = max + usize::try_from(subsequent.max(0)).unwrap_or(0);
    if position + eff_min > text.len() {
        return Err(position);
    }
    let mut end;
    let mut total: i64;
    let mut pass = 0;
    loop {
        end = position;
        total = 0;
        let max_end = (position + eff_max).min(text.len());
        while end < max_end {
            let Some(d) = text[end]
                .to_digit(10)
                .filter(|_| text[end].is_ascii_digit())
            else {
                break;
            };
            total = total
                .checked_mul(10)
                .and_then(|t| t.checked_add(i64::from(d)))
                .ok_or(position)?;
            end += 1;
        }
        if end < position + eff_min {
            return Err(position);
        }
        if subsequent > 0 && pass == 0 {
            let len = end - position;
            eff_max = eff_min.max(len.saturating_sub(subsequent as usize));
            pass = 1;
            continue;
        }
        break;
    }
    if negative {
        if total == 0 {
            return Err(position - 1);
        }
        total = -total;
    }
    if sign == SignStyle::ExceedsPad {
        let len = end - position;
        if positive && len <= min {
            return Err(position - 1);
        }
        if !positive && !negative && len > min {
            return Err(position);
        }
    }
    Ok((total, end))
}

fn two_digits(text: &[char], pos: usize) -> Option<i32> {
    let a = text.get(pos)?.to_digit(10)?;
    let b = text.get(pos + 1)?.to_digit(10)?;
    if !text[pos].is_ascii_digit() || !text[pos + 1].is_ascii_digit() {
        return None;
    }
    Some((a * 10 + b) as i32)
}

/// `OffsetIdPrinterParser.parse` for `+HH[:]MM[:]SS` style patterns.
pub(crate) fn parse_offset(
    pattern: &OffsetPattern,
    text: &[char],
    pos: usize,
) -> Result<(i32, usize), usize> {
    let zero: Vec<char> = pattern.no_offset_text.chars().collect();
    let sign = text.get(pos).copied();
    if sign != Some('+') && sign != Some('-') {
        if !zero.is_empty() && text.get(pos..pos + zero.len()) == Some(&zero[..]) {
            return Ok((0, pos + zero.len()));
        }
        return Err(pos);
    }
    let negative = sign == Some('-');
    let mut p = pos + 1;
    let hours = two_digits(text, p).ok_or(pos)?;
    p += 2;
    let part = |p: &mut usize, presence: Part| -> Result<i32, usize> {
        if presence == Part::Absent {
            return Ok(0);
        }
        let start = *p;
        let mut q = *p;
        if pattern.colon {
            if text.get(q) != Some(&':') {
                return if presence == Part::Required {
                    Err(pos)
                } else {
                    Ok(0)
                };
            }
            q += 1;
        }
        match two_digits(text, q) {
            Some(v) => {
                *p = q + 2;
                Ok(v)
            }
            None if presence == Part::Required => Err(pos),
            None => {
                *p = start;
                Ok(0)
            }
        }
    };
    let minutes = part(&mut p, pattern.minutes)?;
    let seconds = if pattern.minutes == Part::Absent {
        0
    } else {
        part(&mut p, pattern.seconds)?
    };
    let total = offset_seconds(negative, hours, minutes, seconds).map_err(|_| pos)?;
    // Java accepts the zero text (e.g. "+0000") through the sign path too.
    Ok((total, p))
}

/// `GMT`, `GMT+1`, `GMT+01:00`.
fn parse_localized_offset(text: &[char], pos: usize, full: bool) -> Result<(i32, usize), usize> {
    let gmt = ['G', 'M', 'T'];
    if text.get(pos..pos + 3) != Some(&gmt[..]) {
        return Err(pos);
    }
    let mut p = pos + 3;
    let negative = match text.get(p) {
        Some('+') => false,
        Some('-') => true,
        _ => return Ok((0, p)),
    };
    p += 1;
    let hours = if full {
        let h = two_digits(text, p).ok_or(pos)?;
        p += 2;
        h
    } else {
        let first = text.get(p).and_then(|c| c.to_digit(10)).ok_or(pos)? as i32;
        p += 1;
        match text.get(p).and_then(|c| c.to_digit(10)) {
            Some(d) => {
                p += 1;
                first * 10 + d as i32
            }
            None => first,
        }
    };
    let mut minutes = 0;
    if text.get(p) == Some(&':') {
        minutes = two_digits(text, p + 1).ok_or(pos)?;
        p += 3;
    } else if full {
        return Err(pos);
    }
    let total = offset_seconds(negative, hours, minutes, 0).map_err(|_| pos)?;
    Ok((total, p))
}

/// `appendZoneId` / `appendZoneOrOffsetId`: an offset (`Z`, `+01:00`), a
/// prefixed zone (`UTC+1`) or the longest region ID at `pos`.
fn parse_zone_id(text: &[char], pos: usize) -> Result<(Zone, usize), usize> {
    match text.get(pos) {
        Some('+') | Some('-') => {
            let pattern = OffsetPattern::new("+HH:MM:ss", "Z");
            let (s, end) = parse_offset(&pattern, text, pos)?;
            return Ok((Zone::Offset(s), end));
        }
        Some('Z') if !text.get(pos + 1).is_some_and(|c| c.is_ascii_alphabetic()) => {
            return Ok((Zone::Offset(0), pos + 1));
        }
        _ => {}
    }
    let mut end = pos;
    while end < text.len() && (text[end].is_ascii_alphanumeric() || "~/._+-:".contains(text[end])) {
        end += 1;
    }
    // Longest candidate that is a zone ID.
    let mut candidate = end;
    while candidate > pos {
        let id: String = text[pos..candidate].iter().collect();
        if let Ok(zone) = Zone::of(&id) {
            return Ok((zone, candidate));
        }
        candidate -= 1;
    }
    Err(pos)
}

/// Zone names for `z`: IDs, plus the common abbreviations Java resolves to
/// their preferred regions.
fn parse_zone_text(text: &[char], pos: usize) -> Result<(Zone, usize), usize> {
    const ABBREVIATIONS: &[(&str, &str)] = &[
        ("PST", "America/Los_Angeles"),
        ("PDT", "America/Los_Angeles"),
        ("MST", "America/Denver"),
        ("MDT", "America/Denver"),
        ("CST", "America/Chicago"),
        ("CDT", "America/Chicago"),
        ("EST", "America/New_York"),
        ("EDT", "America/New_York"),
        ("CET", "Europe/Paris"),
        ("CEST", "Europe/Paris"),
        ("BST", "Europe/London"),
        ("IST", "Asia/Kolkata"),
        ("JST", "Asia/Tokyo"),
    ];
    for (abbr, region) in ABBREVIATIONS.iter().copied().rev() {
        let a: Vec<char> = abbr.chars().collect();
        if text.get(pos..pos + a.len()) == Some(&a[..])
            && !text
                .get(pos + a.len())
                .is_some_and(|c| c.is_ascii_alphabetic())
        {
            let zone = Zone::of(region).map_err(|_| pos)?;
            return Ok((zone, pos + a.len()));
        }
    }
    parse_zone_id(text, pos)
}
