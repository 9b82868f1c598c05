//! `java.util.StringTokenizer`: splits a string at any of a set of delimiter
//! characters, one token per `nextToken()` call, with the JDK's position
//! bookkeeping (`hasMoreTokens()` remembers where the next token starts
//! unless `nextToken(delims)` changes the delimiters).

use std::cell::RefCell;
use std::rc::Rc;

use super::{Constructor, Method, Recv, arg, opt_str, str_arg};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::types::Base;
use crate::value::Val;

/// Delimiters of a tokenizer built without any: whitespace as the JDK
/// defines it for this class.
const DEFAULT_DELIMITERS: &str = " \t\n\r\u{c}";

/// The state of one `StringTokenizer`.
#[derive(Debug)]
pub(crate) struct TokenizerObj {
    text: Vec<char>,
    /// `None` when the script passed a null delimiter string: Java fails
    /// only once the tokenizer is used.
    delimiters: Option<Vec<char>>,
    return_delimiters: bool,
    position: usize,
    /// Where the next token starts, as `hasMoreTokens()` found it.
    next_start: Option<usize>,
    delimiters_changed: bool,
}

impl TokenizerObj {
    fn is_delimiter(&self, c: char) -> bool {
        self.delimiters.as_ref().is_some_and(|d| d.contains(&c))
    }

    fn skip_delimiters(&self, from: usize) -> R<usize> {
        if self.delimiters.is_none() {
            return Err(Thrown::new(ExceptionKind::NullPointer, String::new()));
        }
        let mut at = from;
        while !self.return_delimiters && at < self.text.len() && self.is_delimiter(self.text[at]) {
            at += 1;
        }
        Ok(at)
    }

    fn scan_token(&self, from: usize) -> usize {
        let mut at = from;
        while at < self.text.len() && !self.is_delimiter(self.text[at]) {
            at += 1;
        }
        if self.return_delimiters && at == from && at < self.text.len() {
            at += 1;
        }
        at
    }

    fn has_more_tokens(&mut self) -> R<bool> {
        let start = self.skip_delimiters(self.position)?;
        self.next_start = Some(start);
        Ok(start < self.text.len())
    }

    fn next_token(&mut self) -> R<String> {
        let start = match self.next_start.take() {
            Some(start) if !self.delimiters_changed => start,
            _ => self.skip_delimiters(self.position)?,
        };
        self.delimiters_changed = false;
        self.position = start;
        if start >= self.text.len() {
            return Err(Thrown::new(ExceptionKind::NoSuchElement, String::new()));
        }
        self.position = self.scan_token(start);
        Ok(self.text[start..self.position].iter().collect())
    }

    fn count_tokens(&self) -> R<i32> {
        let mut count = 0i32;
        let mut at = self.position;
        while at < self.text.len() {
            at = self.skip_delimiters(at)?;
            if at >= self.text.len() {
                break;
            }
            at = self.scan_token(at);
            count = count.saturating_add(1);
        }
        Ok(count)
    }
}

/// StringTokenizer methods.
pub(crate) fn methods() -> Vec<Method> {
    let t = |name, arity, f| Method {
        recv: Recv::Tokenizer,
        name,
        arity,
        f,
    };
    vec![
        t("hasMoreTokens", 0, has_more_tokens),
        t("hasMoreElements", 0, has_more_tokens),
        t("nextToken", 0, next_token),
        t("nextElement", 0, next_token),
        t("nextToken", 1, next_token_with),
        t("countTokens", 0, |_, r, _| match r {
            Val::Tokenizer(t) => Ok(Val::Int(t.borrow().count_tokens()?)),
            _ => Ok(Val::Int(0)),
        }),
    ]
}

/// `new StringTokenizer(str)`, `(str, delims)`, `(str, delims, returnDelims)`.
pub(crate) fn constructor(class: Base, arity: usize) -> Option<Constructor> {
    (class == Base::StringTokenizer && (1..=3).contains(&arity)).then_some(new_tokenizer)
}

fn new_tokenizer<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let text = str_arg(&args, 0)?.chars().collect();
    let delimiters = if args.len() > 1 {
        opt_str(&args, 1)?.map(|d| d.chars().collect())
    } else {
        Some(DEFAULT_DELIMITERS.chars().collect())
    };
    let return_delimiters = if args.len() > 2 {
        match arg(&args, 2)? {
            Val::Bool(b) => *b,
            Val::Null => return Err(Thrown::new(ExceptionKind::NullPointer, String::new())),
            other => return Err(super::cast_error(other, "java.lang.Boolean")),
        }
    } else {
        false
    };
    Ok(Val::Tokenizer(Rc::new(RefCell::new(TokenizerObj {
        text,
        delimiters,
        return_delimiters,
        position: 0,
        next_start: None,
        delimiters_changed: false,
    }))))
}

fn has_more_tokens<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    match recv {
        Val::Tokenizer(t) => Ok(Val::Bool(t.borrow_mut().has_more_tokens()?)),
        _ => Ok(Val::Bool(false)),
    }
}

fn next_token<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, _: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    match recv {
        Val::Tokenizer(t) => Ok(Val::str(&t.borrow_mut().next_token()?)),
        _ => Ok(Val::Null),
    }
}

fn next_token_with<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Tokenizer(t) = recv else {
        return Ok(Val::Null);
    };
    let mut t = t.borrow_mut();
    t.delimiters = opt_str(args, 0)?.map(|d| d.chars().collect());
    t.delimiters_changed = true;
    Ok(Val::str(&t.next_token()?))
}

#[cfg(test)]
mod tests {
    use isc_value::{Map, Value};

    fn run(source: &str) -> Result<Value, String> {
        let script = crate::compile(source).map_err(|e| e.to_string())?;
        let mut ctx = Map::default();
        script
            .execute(&mut ctx, &Map::default())
            .map_err(|e| e.to_string())?;
        Ok(ctx.get("out").cloned().unwrap_or(Value::Null))
    }

    #[test]
    fn tokens_split_at_any_delimiter_and_skip_runs_of_them() {
        let out = run("StringTokenizer t = new StringTokenizer('10.0..7', '.'); \
             List l = []; while (t.hasMoreTokens()) { l.add(t.nextToken()); } ctx.out = l;");
        assert_eq!(out.map(|v| v.to_java_string()), Ok("[10, 0, 7]".to_owned()));
    }

    #[test]
    fn default_delimiters_are_whitespace_and_count_tokens_does_not_advance() {
        let out = run(
            "def t = new StringTokenizer(' a\tb\nc '); int n = t.countTokens(); \
             ctx.out = n + ':' + t.nextToken() + ':' + t.countTokens();",
        );
        assert_eq!(out, Ok(Value::from("3:a:2")));
    }

    #[test]
    fn returned_delimiters_are_tokens_of_their_own() {
        let out = run("def t = new StringTokenizer('a=b', '=', true); \
             ctx.out = t.nextToken() + '|' + t.nextToken() + '|' + t.nextToken() + '|' + t.hasMoreTokens();");
        assert_eq!(out, Ok(Value::from("a|=|b|false")));
    }

    #[test]
    fn next_token_with_new_delimiters_switches_from_the_current_position() {
        let out = run(
            "def t = new StringTokenizer('k=v;w', '='); String k = t.nextToken(); \
             ctx.out = k + '/' + t.nextToken(';');",
        );
        assert_eq!(out, Ok(Value::from("k/=v")));
    }

    #[test]
    fn exhausted_tokenizer_throws_no_such_element_which_scripts_can_catch() {
        let out = run("def t = new StringTokenizer('x', '.'); t.nextToken(); \
             try { t.nextToken(); ctx.out = 'no'; } catch (NoSuchElementException e) { ctx.out = 'caught'; }");
        assert_eq!(out, Ok(Value::from("caught")));
    }

    #[test]
    fn null_text_fails_at_construction() {
        let out = run("def t = new StringTokenizer(null, '.'); ctx.out = 1;");
        assert!(
            out.is_err_and(|e| e.contains("null_pointer_exception") || e.contains("NullPointer"))
        );
    }
}
