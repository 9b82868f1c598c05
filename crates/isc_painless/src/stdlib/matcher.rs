//! Regexes: `Pattern` and `Matcher`, the `=~`/`==~` operators, and
//! Painless's `String.replaceAll(Pattern, Function)` augmentation.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::{Method, Recv, arg, int_arg, str_arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::regex::{CompiledRegex, expand_replacement, limit_message};
use crate::value::{MatcherObj, Val};

/// Pattern, Matcher and regex-taking String methods.
pub(crate) fn methods() -> Vec<Method> {
    let p = |name, arity, f| Method {
        recv: Recv::Pattern,
        name,
        arity,
        f,
    };
    let m = |name, arity, f| Method {
        recv: Recv::Matcher,
        name,
        arity,
        f,
    };
    let s = |name, arity, f| Method {
        recv: Recv::String,
        name,
        arity,
        f,
    };
    vec![
        p("matcher", 1, pattern_matcher),
        p("pattern", 0, |_, r, _| match r {
            Val::Pattern(p) => Ok(Val::str(&p.pattern)),
            _ => Ok(Val::Null),
        }),
        p("split", 1, pattern_split),
        p("split", 2, pattern_split),
        p("splitAsStream", 1, pattern_split_as_stream),
        m("matches", 0, matcher_matches),
        m("find", 0, matcher_find),
        m("find", 1, matcher_find_from),
        m("reset", 0, matcher_reset),
        m("pattern", 0, |_, r, _| match r {
            Val::Matcher(m) => Ok(Val::Pattern(m.borrow().regex.clone())),
            _ => Ok(Val::Null),
        }),
        m("lookingAt", 0, matcher_looking_at),
        m("group", 0, matcher_group),
        m("group", 1, matcher_group),
        m("namedGroup", 1, matcher_named_group),
        m("groupCount", 0, matcher_group_count),
        m("start", 0, |_, r, a| matcher_bound(r, a, true)),
        m("start", 1, |_, r, a| matcher_bound(r, a, true)),
        m("end", 0, |_, r, a| matcher_bound(r, a, false)),
        m("end", 1, |_, r, a| matcher_bound(r, a, false)),
        m("replaceAll", 1, matcher_replace_all),
        m("replaceFirst", 1, matcher_replace_first),
        s("replaceAll", 2, string_replace_all),
        s("replaceFirst", 2, string_replace_first),
    ]
}

fn regex_error(pattern: &CompiledRegex, input: &str, e: fancy_regex::Error) -> Thrown {
    match e {
        fancy_regex::Error::RuntimeError(_) => Thrown::new(
            ExceptionKind::CircuitBreaking,
            limit_message(&pattern.pattern, input),
        ),
        other => Thrown::new(ExceptionKind::IllegalArgument, other.to_string()),
    }
}

fn npe_text() -> Thrown {
    Thrown::new(
        ExceptionKind::NullPointer,
        "Cannot invoke \"java.lang.CharSequence.length()\" because \"this.text\" is null"
            .to_owned(),
    )
}

/// `s =~ /re/` (find) and `s ==~ /re/` (whole match).
pub(crate) fn regex_operator<'a>(whole: bool, l: &Val<'a>, r: &Val<'a>) -> R<Val<'a>> {
    let Val::Pattern(p) = r else {
        return Err(super::cast_error(r, "java.util.regex.Pattern"));
    };
    let text = match l {
        Val::Str(s) => s.as_str(),
        Val::Null => return Err(npe_text()),
        other => return Err(super::cast_error(other, "java.lang.CharSequence")),
    };
    let found = if whole {
        full_match(p, text)?
    } else {
        p.regex
            .is_match(text)
            .map_err(|e| regex_error(p, text, e))?
    };
    Ok(Val::Bool(found))
}

fn full_match(p: &CompiledRegex, text: &str) -> R<bool> {
    p.whole.is_match(text).map_err(|e| regex_error(p, text, e))
}

fn pattern_matcher<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Pattern(p) = recv else {
        return Ok(Val::Null);
    };
    let input = match arg(args, 0)? {
        Val::Str(s) => Rc::from(s.as_str()),
        Val::Null => return Err(npe_text()),
        other => return Err(super::cast_error(other, "java.lang.CharSequence")),
    };
    Ok(new_matcher(p.clone(), input))
}

fn new_matcher<'a>(regex: Arc<CompiledRegex>, input: Rc<str>) -> Val<'a> {
    let names = regex
        .regex
        .capture_names()
        .map(|n| n.map(str::to_owned))
        .collect();
    Val::Matcher(Rc::new(RefCell::new(MatcherObj {
        regex,
        input,
        next: 0,
        groups: None,
        names,
    })))
}

fn pattern_split<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Pattern(p) = recv else {
        return Ok(Val::Null);
    };
    let limit = if args.len() > 1 { int_arg(args, 1)? } else { 0 };
    let parts = super::string::java_split(str_arg(args, 0)?, &p.regex, limit)?;
    Ok(Val::Array(
        crate::shared::Shared::new(parts.into_iter().map(Val::string).collect()),
        crate::types::Base::String,
    ))
}

fn pattern_split_as_stream<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    match &pattern_split(rt, recv, args)? {
        Val::Array(items, _) => Ok(Val::Stream(items.clone())),
        other => Ok(other.clone()),
    }
}

fn record(m: &mut MatcherObj, caps: Option<fancy_regex::Captures<'_>>) -> bool {
    match caps {
        Some(c) => {
            let groups: Vec<Option<(usize, usize)>> = (0..c.len())
                .map(|i| c.get(i).map(|g| (g.start(), g.end())))
                .collect();
            let (s, e) = groups.first().copied().flatten().unwrap_or((0, 0));
            m.next = if e == s { e + 1 } else { e };
            m.groups = Some(groups);
            true
        }
        None => {
            m.groups = None;
            false
        }
    }
}

fn matcher_find<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Bool(false));
    };
    let mut m = m.borrow_mut();
    if m.next > m.input.len() {
        m.groups = None;
        return Ok(Val::Bool(false));
    }
    let (regex, input) = (m.regex.clone(), m.input.clone());
    let mut at = m.next;
    while at < input.len() && !input.is_char_boundary(at) {
        at += 1;
    }
    let caps = regex
        .regex
        .captures_from_pos(&input, at)
        .map_err(|e| regex_error(&regex, &input, e))?;
    Ok(Val::Bool(record(&mut m, caps)))
}

fn matcher_matches<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Bool(false));
    };
    let mut m = m.borrow_mut();
    let (regex, input) = (m.regex.clone(), m.input.clone());
    let caps = regex
        .whole
        .captures(&input)
        .map_err(|e| regex_error(&regex, &input, e))?;
    Ok(Val::Bool(record(&mut m, caps)))
}

fn matcher_looking_at<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Bool(false));
    };
    let mut m = m.borrow_mut();
    let (regex, input) = (m.regex.clone(), m.input.clone());
    let caps = regex
        .prefix
        .captures(&input)
        .map_err(|e| regex_error(&regex, &input, e))?;
    Ok(Val::Bool(record(&mut m, caps)))
}

fn no_match() -> Thrown {
    Thrown::new(ExceptionKind::IllegalState, "No match found".to_owned())
}

fn group_index(m: &MatcherObj, args: &[Val<'_>]) -> R<usize> {
    if args.is_empty() {
        return Ok(0);
    }
    let i = int_arg(args, 0)?;
    if i < 0 || i as usize >= m.names.len() {
        return Err(Thrown::new(
            ExceptionKind::IndexOutOfBounds,
            format!("No group {i}"),
        ));
    }
    Ok(i as usize)
}

fn matcher_group<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Null);
    };
    let m = m.borrow();
    let Some(groups) = &m.groups else {
        return Err(no_match());
    };
    let i = group_index(&m, args)?;
    Ok(match groups.get(i).copied().flatten() {
        Some((s, e)) => Val::str(m.input.get(s..e).unwrap_or("")),
        None => Val::Null,
    })
}

/// Painless's `namedGroup(name)` augmentation.
fn matcher_named_group<'a>(
    _: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Null);
    };
    let m = m.borrow();
    let name = str_arg(args, 0)?;
    let Some(i) = m.names.iter().position(|n| n.as_deref() == Some(name)) else {
        return Err(Thrown::new(
            ExceptionKind::IllegalArgument,
            format!("No group with name <{name}>"),
        ));
    };
    let Some(groups) = &m.groups else {
        return Err(no_match());
    };
    Ok(match groups.get(i).copied().flatten() {
        Some((s, e)) => Val::str(m.input.get(s..e).unwrap_or("")),
        None => Val::Null,
    })
}

fn matcher_find_from<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Bool(false));
    };
    let from = int_arg(args, 0)?;
    {
        let mut mb = m.borrow_mut();
        let len = mb.input.encode_utf16().count();
        if from < 0 || from as usize > len {
            return Err(Thrown::new(
                ExceptionKind::IndexOutOfBounds,
                "Illegal start index".to_owned(),
            ));
        }
        mb.next = utf16_to_byte(&mb.input, from as usize);
    }
    matcher_find(rt, recv, &mut Vec::new())
}

fn matcher_reset<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    if let Val::Matcher(m) = recv {
        let mut m = m.borrow_mut();
        m.next = 0;
        m.groups = None;
    }
    Ok(recv.clone())
}

/// Byte offset of UTF-16 index `i` in `s`.
fn utf16_to_byte(s: &str, i: usize) -> usize {
    let mut units = 0;
    for (b, c) in s.char_indices() {
        if units >= i {
            return b;
        }
        units += c.len_utf16();
    }
    s.len()
}

fn matcher_group_count<'a>(
    _: &mut Runtime<'a>,
    recv: &Val<'a>,
    _: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Int(0));
    };
    Ok(Val::Int(m.borrow().names.len() as i32 - 1))
}

fn matcher_bound<'a>(recv: &Val<'a>, args: &mut Vec<Val<'a>>, start: bool) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Int(-1));
    };
    let m = m.borrow();
    let Some(groups) = &m.groups else {
        return Err(no_match());
    };
    let i = group_index(&m, args)?;
    Ok(Val::Int(match groups.get(i).copied().flatten() {
        Some((s, e)) => {
            let b = if start { s } else { e };
            m.input.get(..b).map_or(0, |p| p.encode_utf16().count()) as i32
        }
        None => -1,
    }))
}

/// Replaces matches of `p` in `input` using `replacement` for each match
/// (`all` or just the first).
fn replace<'a>(
    rt: &mut Runtime<'a>,
    p: &Arc<CompiledRegex>,
    input: &str,
    replacement: &Val<'a>,
    all: bool,
) -> R<String> {
    let mut out = String::with_capacity(input.len());
    let shared_input: Rc<str> = Rc::from(input);
    let mut last = 0;
    for caps in p.regex.captures_iter(input) {
        let caps = caps.map_err(|e| regex_error(p, input, e))?;
        let Some(m0) = caps.get(0) else { continue };
        out.push_str(&input[last..m0.start()]);
        match replacement {
            Val::Str(s) => expand_replacement(s.as_str(), &caps, &mut out)
                .map_err(|msg| Thrown::new(ExceptionKind::IllegalArgument, msg))?,
            f @ Val::Func(_) => {
                let names = p
                    .regex
                    .capture_names()
                    .map(|n| n.map(str::to_owned))
                    .collect();
                let matcher = Val::Matcher(Rc::new(RefCell::new(MatcherObj {
                    regex: p.clone(),
                    input: shared_input.clone(),
                    next: m0.end(),
                    groups: Some(
                        (0..caps.len())
                            .map(|i| caps.get(i).map(|g| (g.start(), g.end())))
                            .collect(),
                    ),
                    names,
                })));
                let v = rt.call_func(f, vec![matcher])?;
                out.push_str(&v.to_java_string());
            }
            Val::Null => {
                return Err(Thrown::new(
                    ExceptionKind::NullPointer,
                    "replacement".to_owned(),
                ));
            }
            other => return Err(super::cast_error(other, "java.lang.String")),
        }
        last = m0.end();
        // Replacements can make the text grow by each match.
        if out.len() > crate::interp::MAX_VALUE_SIZE {
            return Err(crate::interp::out_of_memory());
        }
        if !all {
            break;
        }
    }
    out.push_str(&input[last..]);
    Ok(out)
}

fn matcher_replace<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
    all: bool,
) -> R<Val<'a>> {
    let Val::Matcher(m) = recv else {
        return Ok(Val::Null);
    };
    let (regex, input) = {
        let m = m.borrow();
        (m.regex.clone(), m.input.clone())
    };
    Ok(Val::string(replace(
        rt,
        &regex,
        &input,
        arg(args, 0)?,
        all,
    )?))
}

fn matcher_replace_all<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    matcher_replace(rt, recv, args, true)
}

fn matcher_replace_first<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    matcher_replace(rt, recv, args, false)
}

/// Painless's `CharSequence.replaceAll(Pattern, Function)` and
/// `replaceFirst` augmentations: the replacement is computed per match.
fn string_replace<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
    all: bool,
) -> R<Val<'a>> {
    let input = recv.as_str().unwrap_or("");
    let Val::Pattern(p) = arg(args, 0)? else {
        return Err(super::cast_error(arg(args, 0)?, "java.util.regex.Pattern"));
    };
    if !matches!(arg(args, 1)?, Val::Func(_)) {
        return Err(super::cast_error(
            arg(args, 1)?,
            "java.util.function.Function",
        ));
    }
    Ok(Val::string(replace(rt, p, input, arg(args, 1)?, all)?))
}

fn string_replace_all<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    string_replace(rt, recv, args, true)
}

fn string_replace_first<'a>(
    rt: &mut Runtime<'a>,
    recv: &Val<'a>,
    args: &mut Vec<Val<'a>>,
) -> R<Val<'a>> {
    string_replace(rt, recv, args, false)
}
