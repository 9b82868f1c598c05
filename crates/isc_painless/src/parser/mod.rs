//! The Painless parser: tokens in, a resolved [`Program`] out.
//!
//! Laid out by grammar area like ruff's parser: this module holds the
//! cursor, scopes and error helpers; `statement.rs` and `expression.rs`
//! hold the grammar. Names are resolved while parsing (Painless requires a
//! declaration before use), so locals become frame slots, static calls and
//! constructors point at their implementation, and anything outside the
//! supported subset is refused here with an `unsupported: …` error.
//! A nesting limit keeps hostile input from overflowing the stack, and every
//! loop consumes a token or stops, so parsing always terminates.

mod control_flow;
mod expression;
mod statement;

use crate::ast::{Function, Lambda, Program};
use crate::error::CompileError;
use crate::lexer::tokenize;
use crate::token::{TextRange, Token, TokenKind};
use crate::types::{Base, Ty};

/// Deepest nesting of expressions and statements accepted.
const MAX_DEPTH: u32 = 64;

/// Slot of `ctx` in the main frame.
pub(crate) const CTX_SLOT: u32 = 0;
/// Slot of `params` in the main frame.
pub(crate) const PARAMS_SLOT: u32 = 1;

/// Parses and resolves a whole script.
pub fn parse_program(source: &str) -> Result<Program, CompileError> {
    let tokens = tokenize(source)?;
    let mut p = Parser {
        src: source,
        tokens,
        pos: 0,
        depth: 0,
        frames: Vec::new(),
        function_sigs: Vec::new(),
        lambdas: Vec::new(),
        statement_starts: Vec::new(),
    };
    p.scan_function_headers();
    let mut functions = Vec::new();
    while p.at_function_header(p.pos) {
        let f = p.parse_function()?;
        if functions
            .iter()
            .any(|g: &Function| g.name == f.name && g.params.len() == f.params.len())
        {
            return Err(CompileError::new(
                source,
                f.range,
                format!(
                    "illegal duplicate functions [{}/{}].",
                    f.name,
                    f.params.len()
                ),
            ));
        }
        functions.push(f);
    }
    let mut frame = Frame::new(false);
    frame.declare("ctx", Ty::of(Base::Map));
    frame.declare("params", Ty::of(Base::Map));
    p.frames.push(frame);
    let mut body = Vec::new();
    while p.kind() != TokenKind::Eof {
        if p.at_function_header(p.pos) {
            return Err(p.error_here("functions must be declared before the first statement"));
        }
        body.push(p.parse_statement(true)?);
    }
    let slots = p.frames.pop().map_or(2, |f| f.max);
    p.statement_starts.sort_unstable();
    p.statement_starts.dedup();
    let mut program = Program {
        functions,
        lambdas: p.lambdas,
        body,
        slots,
        statement_starts: p.statement_starts,
        unused_tail: None,
    };
    program.unused_tail = control_flow::check(&program, source)?;
    Ok(program)
}

/// One function or lambda body's locals.
struct Frame {
    scopes: Vec<Vec<(String, u32, Ty)>>,
    next: u32,
    max: u32,
    captures: Vec<(u32, u32)>,
    lambda: bool,
}

impl Frame {
    fn new(lambda: bool) -> Frame {
        Frame {
            scopes: vec![Vec::new()],
            next: 0,
            max: 0,
            captures: Vec::new(),
            lambda,
        }
    }

    fn declare(&mut self, name: &str, ty: Ty) -> u32 {
        let slot = self.next;
        self.next += 1;
        self.max = self.max.max(self.next);
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name.to_owned(), slot, ty));
        }
        slot
    }

    fn find(&self, name: &str) -> Option<(u32, Ty)> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|(n, _, _)| n == name)
            .map(|(_, slot, ty)| (*slot, *ty))
    }
}

pub(crate) struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    depth: u32,
    frames: Vec<Frame>,
    function_sigs: Vec<(String, usize)>,
    lambdas: Vec<Lambda>,
    statement_starts: Vec<u32>,
}

impl<'s> Parser<'s> {
    fn tok(&self, at: usize) -> Token {
        self.tokens
            .get(at)
            .or_else(|| self.tokens.last())
            .copied()
            .unwrap_or(Token {
                kind: TokenKind::Eof,
                range: TextRange::default(),
            })
    }

    fn kind(&self) -> TokenKind {
        self.tok(self.pos).kind
    }

    fn kind_at(&self, n: usize) -> TokenKind {
        self.tok(self.pos + n).kind
    }

    fn range(&self) -> TextRange {
        self.tok(self.pos).range
    }

    fn text(&self, t: Token) -> &'s str {
        t.range.slice(self.src)
    }

    fn bump(&mut self) -> Token {
        let t = self.tok(self.pos);
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, kind: TokenKind) -> bool {
        if self.kind() == kind {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, kind: TokenKind) -> Result<Token, CompileError> {
        if self.kind() == kind {
            Ok(self.bump())
        } else {
            Err(self.unexpected(kind.describe()))
        }
    }

    fn prev_end(&self) -> u32 {
        self.pos.checked_sub(1).map_or(0, |p| self.tok(p).range.end)
    }

    /// "unexpected X" at the current token, noting what was expected.
    fn unexpected(&self, expected: &str) -> CompileError {
        let t = self.tok(self.pos);
        let (found, java) = if t.kind == TokenKind::Eof {
            (
                "end of script".to_owned(),
                "unexpected end of script.".to_owned(),
            )
        } else {
            (
                format!("token ['{}']", self.text(t)),
                format!("invalid sequence of tokens near ['{}'].", self.text(t)),
            )
        };
        CompileError::new(
            self.src,
            t.range,
            format!("unexpected {found}, expected {expected}"),
        )
        .expecting(expected)
        .with_java_message(java)
    }

    fn error_here(&self, message: impl Into<String>) -> CompileError {
        CompileError::new(self.src, self.range(), message)
    }

    fn error_at(&self, range: TextRange, message: impl Into<String>) -> CompileError {
        CompileError::new(self.src, range, message)
    }

    fn enter(&mut self) -> Result<(), CompileError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here("script is nested too deeply"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn frame(&mut self) -> &mut Frame {
        if self.frames.is_empty() {
            self.frames.push(Frame::new(false));
        }
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn push_scope(&mut self) {
        self.frame().scopes.push(Vec::new());
    }

    fn pop_scope(&mut self) {
        let f = self.frame();
        if let Some(scope) = f.scopes.pop() {
            f.next -= scope.len() as u32;
        }
    }

    fn declare(&mut self, name: &str, ty: Ty, range: TextRange) -> Result<u32, CompileError> {
        if self
            .frame()
            .scopes
            .iter()
            .flatten()
            .any(|(n, _, _)| n == name)
        {
            return Err(self.error_at(range, format!("variable [{name}] is already defined")));
        }
        Ok(self.frame().declare(name, ty))
    }

    /// Resolves a local name, capturing it into enclosing lambdas as needed.
    fn lookup(&mut self, name: &str) -> Option<(u32, Ty)> {
        let depth = self.frames.len().checked_sub(1)?;
        self.lookup_in(depth, name)
    }

    fn lookup_in(&mut self, frame: usize, name: &str) -> Option<(u32, Ty)> {
        if let Some(found) = self.frames[frame].find(name) {
            return Some(found);
        }
        if !self.frames[frame].lambda || frame == 0 {
            return None;
        }
        let (outer, ty) = self.lookup_in(frame - 1, name)?;
        let f = &mut self.frames[frame];
        let inner = f.next;
        f.next += 1;
        f.max = f.max.max(f.next);
        if let Some(scope) = f.scopes.first_mut() {
            scope.push((name.to_owned(), inner, ty));
        }
        f.captures.push((outer, inner));
        Some((inner, ty))
    }

    /// Parses a type at token index `at` without consuming:
    /// the type and the index after it.
    fn type_at(&self, at: usize) -> Option<(Ty, usize)> {
        let t = self.tok(at);
        if t.kind != TokenKind::Ident {
            return None;
        }
        let mut name = self.text(t).to_owned();
        let mut i = at + 1;
        if name == "Map"
            && self.tok(i).kind == TokenKind::Dot
            && self.text(self.tok(i + 1)) == "Entry"
        {
            name = "Map.Entry".to_owned();
            i += 2;
        }
        let base = Base::from_name(&name)?;
        let mut dims = 0u8;
        while self.tok(i).kind == TokenKind::LBracket && self.tok(i + 1).kind == TokenKind::RBracket
        {
            dims = dims.saturating_add(1);
            i += 2;
        }
        Some((Ty { base, dims }, i))
    }

    /// Consumes a type.
    fn parse_type(&mut self) -> Result<Ty, CompileError> {
        match self.type_at(self.pos) {
            Some((ty, next)) => {
                self.pos = next;
                Ok(ty)
            }
            None if self.kind() == TokenKind::Ident => {
                let t = self.tok(self.pos);
                Err(self.error_at(t.range, format!("unsupported: type [{}]", self.text(t))))
            }
            None => Err(self.unexpected("a type")),
        }
    }

    fn at_function_header(&self, at: usize) -> bool {
        match self.type_at(at) {
            Some((_, next)) => {
                self.tok(next).kind == TokenKind::Ident
                    && self.tok(next + 1).kind == TokenKind::LParen
            }
            None => false,
        }
    }

    /// Records every top-level function's name and arity first, so bodies
    /// may call functions declared after them.
    fn scan_function_headers(&mut self) {
        let mut i = 0;
        while self.at_function_header(i) {
            let Some((_, name_at)) = self.type_at(i) else {
                break;
            };
            let name = self.text(self.tok(name_at)).to_owned();
            let mut j = name_at + 2;
            let mut arity = 0;
            let mut any = false;
            while !matches!(self.tok(j).kind, TokenKind::RParen | TokenKind::Eof) {
                if self.tok(j).kind == TokenKind::Comma {
                    arity += 1;
                }
                any = true;
                j += 1;
            }
            if any {
                arity += 1;
            }
            self.function_sigs.push((name, arity));
            // Skip the body's braces.
            j += 1;
            let mut level = 0i32;
            loop {
                match self.tok(j).kind {
                    TokenKind::LBrace => level += 1,
                    TokenKind::RBrace => {
                        level -= 1;
                        if level <= 0 {
                            j += 1;
                            break;
                        }
                    }
                    TokenKind::Eof => break,
                    _ => {}
                }
                j += 1;
            }
            if j <= i {
                break;
            }
            i = j;
        }
    }

    fn parse_function(&mut self) -> Result<Function, CompileError> {
        let start = self.range().start;
        let return_type = self.parse_type()?;
        let name_tok = self.expect(TokenKind::Ident)?;
        let name = self.text(name_tok).to_owned();
        self.expect(TokenKind::LParen)?;
        self.frames.push(Frame::new(false));
        let mut params = Vec::new();
        if self.kind() != TokenKind::RParen {
            loop {
                let ty = self.parse_type()?;
                let pname = self.expect(TokenKind::Ident)?;
                let pname_text = self.text(pname).to_owned();
                self.declare(&pname_text, ty, pname.range)?;
                params.push((ty, pname_text));
                if !self.eat(TokenKind::Comma) {
                    break;
                }
            }
        }
        self.expect(TokenKind::RParen)?;
        let body = self.parse_block()?;
        let frame = self.frames.pop();
        Ok(Function {
            name,
            return_type,
            params,
            body,
            slots: frame.map_or(0, |f| f.max),
            range: TextRange::new(start, self.prev_end()),
        })
    }
}
