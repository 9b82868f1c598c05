//! `java.lang.String` methods (indices in UTF-16 units, as Java counts),
//! Painless's `splitOnToken` augmentation, and the `String` statics.

use std::rc::Rc;

use super::collections::items;
use super::{Method, Recv, Static, arg, int_arg, opt_str, str_arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::types::Base;
use crate::value::{Str, Val, char_string};

/// String methods.
pub(crate) fn methods() -> Vec<Method> {
    let m = |name, arity, f| Method {
        recv: Recv::String,
        name,
        arity,
        f,
    };
    vec![
        m("length", 0, length),
        m("isEmpty", 0, is_empty),
        m("substring", 1, substring),
        m("substring", 2, substring),
        m("indexOf", 1, index_of),
        m("indexOf", 2, index_of),
        m("lastIndexOf", 1, last_index_of),
        m("lastIndexOf", 2, last_index_of),
        m("contains", 1, contains),
        m("startsWith", 1, starts_with),
        m("startsWith", 2, starts_with),
        m("endsWith", 1, ends_with),
        m("toLowerCase", 0, to_lower_case),
        m("toUpperCase", 0, to_upper_case),
        m("trim", 0, trim),
        m("replace", 2, replace),
        m("splitOnToken", 1, split_on_token),
        m("splitOnToken", 2, split_on_token),
        m("equalsIgnoreCase", 1, equals_ignore_case),
        m("charAt", 1, char_at),
        m("compareTo", 1, compare_to),
        m("compareToIgnoreCase", 1, compare_to_ignore_case),
        m("encodeBase64", 0, encode_base64),
        m("sha1", 0, |_, r, _| {
            Ok(Val::string(hex_digest::<sha1::Sha1>(this(r))))
        }),
        m("sha256", 0, |_, r, _| {
            Ok(Val::string(hex_digest::<sha2::Sha256>(this(r))))
        }),
        m("sha512", 0, |_, r, _| {
            Ok(Val::string(hex_digest::<sha2::Sha512>(this(r))))
        }),
        m("decodeBase64", 0, decode_base64),
        m("concat", 1, concat),
        m("toCharArray", 0, to_char_array),
    ]
}

/// `String.valueOf`, `String.join`, `String.format`.
pub(crate) fn statics() -> Vec<Static> {
    let s = |name, arity, f| Static {
        class: Base::String,
        name,
        arity,
        f,
    };
    vec![
        s("valueOf", 1, value_of),
        s("join", 2, join),
        s("format", 2, format),
    ]
}

fn this<'v>(recv: &'v Val<'_>) -> &'v str {
    recv.as_str().unwrap_or("")
}

fn units(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

fn from_units(u: &[u16]) -> String {
    String::from_utf16_lossy(u)
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

fn length<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Int(utf16_len(this(recv)) as i32))
}

fn is_empty<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Bool(this(recv).is_empty()))
}

fn substring<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let u = units(this(recv));
    let len = u.len() as i64;
    let begin = i64::from(int_arg(args, 0)?);
    let end = if args.len() > 1 {
        i64::from(int_arg(args, 1)?)
    } else {
        len
    };
    if begin < 0 || end > len || begin > end {
        return Err(Thrown::new(
            ExceptionKind::StringIndexOutOfBounds,
            format!("begin {begin}, end {end}, length {len}"),
        ));
    }
    Ok(Val::string(from_units(&u[begin as usize..end as usize])))
}

fn find_units(hay: &[u16], needle: &[u16], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return (from <= hay.len()).then_some(from);
    }
    (from..=hay.len().checked_sub(needle.len())?).find(|&i| hay[i..].starts_with(needle))
}

fn index_of<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let hay = units(this(recv));
    let needle = units(str_arg(args, 0)?);
    let from = if args.len() > 1 {
        int_arg(args, 1)?.max(0) as usize
    } else {
        0
    };
    Ok(Val::Int(
        find_units(&hay, &needle, from).map_or(-1, |i| i as i32),
    ))
}

fn last_index_of<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let hay = units(this(recv));
    let needle = units(str_arg(args, 0)?);
    if needle.len() > hay.len() {
        return Ok(Val::Int(-1));
    }
    let mut last = hay.len() - needle.len();
    if args.len() > 1 {
        let from = int_arg(args, 1)?;
        if from < 0 {
            return Ok(Val::Int(-1));
        }
        last = last.min(from as usize);
    }
    let found = (0..=last).rev().find(|&i| hay[i..].starts_with(&needle));
    Ok(Val::Int(found.map_or(-1, |i| i as i32)))
}

fn contains<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Bool(this(recv).contains(str_arg(args, 0)?)))
}

fn starts_with<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let prefix = units(str_arg(args, 0)?);
    let hay = units(this(recv));
    let from = if args.len() > 1 { int_arg(args, 1)? } else { 0 };
    Ok(Val::Bool(
        from >= 0
            && hay
                .get(from as usize..)
                .is_some_and(|rest| rest.starts_with(&prefix)),
    ))
}

fn ends_with<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::Bool(this(recv).ends_with(str_arg(args, 0)?)))
}

/// Java's `toLowerCase(Locale.ROOT)`.
pub(crate) fn java_lower(s: &str) -> String {
    s.to_lowercase()
}

/// Java's `toUpperCase(Locale.ROOT)`.
pub(crate) fn java_upper(s: &str) -> String {
    s.to_uppercase()
}

fn to_lower_case<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::string(java_lower(this(recv))))
}

fn to_upper_case<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::string(java_upper(this(recv))))
}

fn trim<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    // Java's trim removes every char <= U+0020.
    Ok(Val::str(this(recv).trim_matches(|c: char| c <= ' ')))
}

fn replace<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let s = this(recv);
    match (arg(args, 0)?, arg(args, 1)?) {
        (Val::Char(a), Val::Char(b)) => {
            Ok(Val::string(s.replace(&char_string(*a), &char_string(*b))))
        }
        _ => {
            let from = str_arg(args, 0)?;
            let to = str_arg(args, 1)?;
            if from.is_empty() {
                // Java inserts the replacement between every char.
                let mut out = String::from(to);
                for c in s.chars() {
                    out.push(c);
                    out.push_str(to);
                }
                return Ok(Val::string(out));
            }
            // A result over the heap stand-in fails in `within_heap`.
            Ok(Val::string(s.replace(from, to)))
        }
    }
}

fn string_array<'a>(parts: Vec<String>) -> Val<'a> {
    Val::Array(
        crate::shared::Shared::new(parts.into_iter().map(Val::string).collect()),
        Base::String,
    )
}

/// Painless's `splitOnToken(token[, limit])`: literal splitting that keeps
/// empty pieces (trailing ones too); a limit below 1 means no limit.
fn split_on_token<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let s = this(recv);
    let token = opt_str(args, 0)?;
    let mut limit = if args.len() > 1 {
        int_arg(args, 1)?
    } else {
        -1
    };
    let token = match token {
        Some(t) if !s.is_empty() && !t.is_empty() && utf16_len(s) >= utf16_len(t) => t,
        _ => return Ok(string_array(vec![s.to_owned()])),
    };
    let mut parts = Vec::new();
    let mut pos = 0;
    while limit != 1 {
        let Some(idx) = find_token(&s[pos..], token) else {
            break;
        };
        if parts.len() == crate::interp::MAX_ELEMENTS {
            return Err(crate::interp::out_of_memory());
        }
        parts.push(piece(recv, s, pos, pos + idx));
        pos += idx + token.len();
        limit = limit.wrapping_sub(1);
    }
    parts.push(piece(recv, s, pos, s.len()));
    Ok(Val::Array(crate::shared::Shared::new(parts), Base::String))
}

/// Where `token` first occurs in `hay`; a one-character ASCII token (the
/// usual `.` or `,`) is searched as a character, without the substring
/// searcher's set-up.
fn find_token(hay: &str, token: &str) -> Option<usize> {
    match token.as_bytes() {
        [b] if b.is_ascii() => hay.find(char::from(*b)),
        _ => hay.find(token),
    }
}

/// `s[from..to]` of the receiver string `recv`: a string the script or
/// `params` lends is sliced in place; others are copied.
fn piece<'a>(recv: &Val<'a>, s: &str, from: usize, to: usize) -> Val<'a> {
    match recv {
        Val::Str(Str::Borrowed(b)) => Val::Str(Str::Borrowed(&b[from..to])),
        _ => Val::str(&s[from..to]),
    }
}

/// Java `String.split(regex, limit)`.
pub(crate) fn java_split(s: &str, re: &fancy_regex::Regex, limit: i32) -> R<Vec<String>> {
    if s.is_empty() {
        return Ok(vec![String::new()]);
    }
    let mut parts = Vec::new();
    // Empty parts not pushed yet: with a zero limit, Java drops them when
    // they trail, so a text made only of separators costs nothing to split.
    let mut empties = 0usize;
    let mut last = 0;
    for m in re.find_iter(s) {
        let m = m.map_err(|e| Thrown::new(ExceptionKind::CircuitBreaking, e.to_string()))?;
        if limit > 0 && (parts.len() + empties) as i64 == i64::from(limit) - 1 {
            break;
        }
        if m.end() == 0 {
            continue;
        }
        if m.start() == m.end() && m.start() >= s.len() {
            break;
        }
        push_part(&mut parts, &mut empties, &s[last..m.start()])?;
        last = m.end();
    }
    push_part(&mut parts, &mut empties, &s[last..])?;
    if limit != 0 {
        push_empties(&mut parts, &mut empties)?;
    }
    Ok(parts)
}

/// Adds one part of a split, holding back empty ones until a non-empty
/// part shows they do not trail.
fn push_part(parts: &mut Vec<String>, empties: &mut usize, part: &str) -> R<()> {
    if part.is_empty() {
        *empties += 1;
        return Ok(());
    }
    push_empties(parts, empties)?;
    if parts.len() == crate::interp::MAX_ELEMENTS {
        return Err(crate::interp::out_of_memory());
    }
    parts.push(part.to_owned());
    Ok(())
}

fn push_empties(parts: &mut Vec<String>, empties: &mut usize) -> R<()> {
    if parts.len() + *empties > crate::interp::MAX_ELEMENTS {
        return Err(crate::interp::out_of_memory());
    }
    parts.extend(std::iter::repeat_n(String::new(), *empties));
    *empties = 0;
    Ok(())
}

fn equals_ignore_case<'a>(
    _: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    Ok(Val::Bool(match opt_str(args, 0)? {
        Some(o) => {
            let a = this(recv);
            a.len() == o.len()
                && a.chars().zip(o.chars()).all(|(x, y)| {
                    x == y
                        || x.to_uppercase().eq(y.to_uppercase())
                        || x.to_lowercase().eq(y.to_lowercase())
                })
                || (a.chars().count() == o.chars().count() && java_upper(a) == java_upper(o))
        }
        None => false,
    }))
}

fn char_at<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let u = units(this(recv));
    let i = int_arg(args, 0)?;
    u.get(usize::try_from(i).unwrap_or(usize::MAX))
        .map(|c| Val::Char(*c))
        .ok_or_else(|| {
            Thrown::new(
                ExceptionKind::StringIndexOutOfBounds,
                format!("Index {i} out of bounds for length {}", u.len()),
            )
        })
}

fn compare_to<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let a = units(this(recv));
    let b = units(str_arg(args, 0)?);
    for (x, y) in a.iter().zip(&b) {
        if x != y {
            return Ok(Val::Int(i32::from(*x) - i32::from(*y)));
        }
    }
    Ok(Val::Int(a.len() as i32 - b.len() as i32))
}

fn compare_to_ignore_case<'a>(
    _: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    // Java folds each char to upper then lower case before comparing.
    let fold = |s: &str| -> Vec<u16> {
        s.chars()
            .map(|c| {
                let u = c.to_uppercase().next().unwrap_or(c);
                u.to_lowercase().next().unwrap_or(u)
            })
            .collect::<String>()
            .encode_utf16()
            .collect()
    };
    let a = fold(this(recv));
    let b = fold(str_arg(args, 0)?);
    for (x, y) in a.iter().zip(&b) {
        if x != y {
            return Ok(Val::Int(i32::from(*x) - i32::from(*y)));
        }
    }
    Ok(Val::Int(a.len() as i32 - b.len() as i32))
}

/// Lowercase hex of a digest of the UTF-8 bytes (ingest's `sha1()`,
/// `sha256()`, `sha512()` augmentations).
fn hex_digest<D: sha2::Digest>(s: &str) -> String {
    D::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn encode_base64<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::string(super::processors::base64_encode(
        this(recv).as_bytes(),
    )))
}

fn decode_base64<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    match super::processors::base64_decode(this(recv)) {
        Some(bytes) => Ok(Val::string(String::from_utf8_lossy(&bytes).into_owned())),
        None => Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            "Illegal base64 character".to_owned(),
        )),
    }
}

fn concat<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::string(format!("{}{}", this(recv), str_arg(args, 0)?)))
}

fn to_char_array<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    if utf16_len(this(recv)) > crate::interp::MAX_ELEMENTS {
        return Err(crate::interp::out_of_memory());
    }
    Ok(Val::Array(
        crate::shared::Shared::new(units(this(recv)).into_iter().map(Val::Char).collect()),
        Base::Char,
    ))
}

fn value_of<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    Ok(Val::string(arg(&args, 0)?.to_java_string()))
}

fn join<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let sep = str_arg(&args, 0)?;
    let xs = items(arg(&args, 1)?)?;
    let parts: Vec<String> = xs.iter().map(Val::to_java_string).collect();
    Ok(Val::string(parts.join(sep)))
}

/// `String.format` for `%s`, `%d`, `%%`, `%n` (the basics); other
/// conversions are refused.
fn format<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let fmt = str_arg(&args, 0)?;
    // Painless has no varargs: the arguments come as an array
    // (`String.format('%s-%s', new def[] {a, b})`).
    let values = match arg(&args, 1)? {
        Val::Array(a, _) => a.borrow().clone(),
        Val::Null => Vec::new(),
        other => return Err(super::cast_error(other, "[Ljava.lang.Object;")),
    };
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('n') => out.push('\n'),
            Some(conv @ ('s' | 'd' | 'S')) => {
                let Some(v) = values.get(next) else {
                    return Err(Thrown::new(
                        ExceptionKind::IllegalArgument,
                        format!("Format specifier '%{conv}'"),
                    ));
                };
                next += 1;
                if conv == 'd'
                    && !matches!(v, Val::Int(_) | Val::Long(_) | Val::Short(_) | Val::Byte(_))
                {
                    return Err(Thrown::new(
                        ExceptionKind::IllegalArgument,
                        format!("d != {}", v.class_name()),
                    ));
                }
                let s = v.to_java_string();
                out.push_str(&if conv == 'S' { java_upper(&s) } else { s });
                if out.len() > crate::interp::MAX_VALUE_SIZE {
                    return Err(crate::interp::out_of_memory());
                }
            }
            other => {
                return Err(Thrown::new(
                    ExceptionKind::IllegalArgument,
                    format!(
                        "unsupported: String.format conversion [%{}]",
                        other.map(String::from).unwrap_or_default()
                    ),
                ));
            }
        }
    }
    Ok(Val::Str(Str::Owned(Rc::from(out))))
}

#[cfg(test)]
mod tests {
    use super::{find_token, java_split};

    /// `String.split(regex, limit)` computed the plain way (the previous
    /// implementation): every part, then with a zero limit the trailing
    /// empty ones dropped.
    fn reference_split(s: &str, re: &fancy_regex::Regex, limit: i32) -> Vec<String> {
        if s.is_empty() {
            return vec![String::new()];
        }
        let mut parts = Vec::new();
        let mut last = 0;
        for m in re.find_iter(s) {
            let m = m.unwrap();
            if limit > 0 && parts.len() as i32 == limit - 1 {
                break;
            }
            if m.end() == 0 {
                continue;
            }
            if m.start() == m.end() && m.start() >= s.len() {
                break;
            }
            parts.push(s[last..m.start()].to_owned());
            last = m.end();
        }
        parts.push(s[last..].to_owned());
        if limit == 0 {
            while parts.last().is_some_and(String::is_empty) {
                parts.pop();
            }
        }
        parts
    }

    proptest::proptest! {
        /// Holding empty parts back until a non-empty one (or the end)
        /// gives the JDK's parts for every limit.
        #[test]
        fn splits_give_the_jdk_parts(
            text in "[xy,]{0,12}",
            pattern in proptest::sample::select(vec![",", "x", "x*", ",|y", "(?=y)"]),
            limit in -1i32..4,
        ) {
            let re = fancy_regex::Regex::new(pattern).unwrap();
            proptest::prop_assert_eq!(
                java_split(&text, &re, limit).unwrap(),
                reference_split(&text, &re, limit)
            );
        }
    }

    #[test]
    fn tokens_are_found_as_characters_or_substrings() {
        assert_eq!(find_token("a.b.c", "."), Some(1));
        assert_eq!(find_token("abc", "."), None);
        assert_eq!(find_token("a::b", "::"), Some(1));
        assert_eq!(find_token("xé.y", "é"), Some(1));
        assert_eq!(find_token("xé.y", "."), Some(3));
    }
}
