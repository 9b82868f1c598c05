//! Statements: declarations, control flow, blocks, `try`/`catch`.

use super::Parser;
use crate::ast::{Catch, DeclVar, Expr, ExprKind, Stmt, StmtKind};
use crate::error::CompileError;
use crate::token::{TextRange, TokenKind};
use crate::types::{Base, Ty};

impl Parser<'_> {
    /// One statement. `top` is true in the main body, where a final
    /// statement may end at the end of the script without `;`.
    pub(super) fn parse_statement(&mut self, top: bool) -> Result<Stmt, CompileError> {
        self.enter()?;
        let start = self.range().start;
        // Painless records where each statement starts (blocks are not
        // statements of their own) to cut the runtime script stack.
        if self.kind() != TokenKind::LBrace {
            self.statement_starts.push(start);
        }
        let result = self.statement_inner(top, start);
        self.leave();
        result
    }

    fn statement_inner(&mut self, top: bool, start: u32) -> Result<Stmt, CompileError> {
        let kind = match self.kind() {
            TokenKind::If => {
                self.bump();
                self.expect(TokenKind::LParen)?;
                let cond = self.parse_expression()?;
                self.expect(TokenKind::RParen)?;
                let then = Box::new(self.parse_trailer()?);
                let otherwise = if self.eat(TokenKind::Else) {
                    Some(Box::new(self.parse_trailer()?))
                } else {
                    None
                };
                StmtKind::If {
                    cond,
                    then,
                    otherwise,
                }
            }
            TokenKind::While => {
                self.bump();
                self.expect(TokenKind::LParen)?;
                let cond = self.parse_expression()?;
                self.expect(TokenKind::RParen)?;
                let body = Box::new(self.parse_loop_body()?);
                StmtKind::While { cond, body }
            }
            TokenKind::Do => {
                self.bump();
                let body = Box::new(Stmt {
                    range: self.range(),
                    kind: StmtKind::Block(self.parse_block()?),
                });
                self.expect(TokenKind::While)?;
                self.expect(TokenKind::LParen)?;
                let cond = self.parse_expression()?;
                self.expect(TokenKind::RParen)?;
                self.end_statement(top)?;
                StmtKind::DoWhile { body, cond }
            }
            TokenKind::For => self.parse_for()?,
            TokenKind::Try => {
                self.bump();
                let body = self.parse_block()?;
                let mut catches = Vec::new();
                while self.eat(TokenKind::Catch) {
                    self.expect(TokenKind::LParen)?;
                    let ty_range = self.range();
                    let ty = self.parse_type()?;
                    let kind = match ty.base {
                        Base::Exception(k) if ty.dims == 0 => k,
                        _ => {
                            return Err(self.error_at(
                                ty_range,
                                format!("unsupported: catch of [{}]", ty.base.painless_name()),
                            ));
                        }
                    };
                    let name_tok = self.expect(TokenKind::Ident)?;
                    let name = self.text(name_tok).to_owned();
                    self.expect(TokenKind::RParen)?;
                    self.push_scope();
                    let slot = self.declare(&name, ty, name_tok.range)?;
                    let body = self.parse_block();
                    self.pop_scope();
                    catches.push(Catch {
                        kind,
                        name,
                        slot,
                        body: body?,
                    });
                }
                if catches.is_empty() {
                    return Err(self.unexpected("'catch'"));
                }
                StmtKind::Try { body, catches }
            }
            TokenKind::LBrace => StmtKind::Block(self.parse_block()?),
            TokenKind::Semicolon => {
                self.bump();
                StmtKind::Empty
            }
            _ => {
                let kind = self.parse_simple_statement()?;
                self.end_statement(top)?;
                kind
            }
        };
        Ok(Stmt {
            kind,
            range: TextRange::new(start, self.prev_end()),
        })
    }

    /// The statements Painless calls "dstatements": they end with `;`.
    fn parse_simple_statement(&mut self) -> Result<StmtKind, CompileError> {
        Ok(match self.kind() {
            TokenKind::Break => {
                self.bump();
                StmtKind::Break
            }
            TokenKind::Continue => {
                self.bump();
                StmtKind::Continue
            }
            TokenKind::Return => {
                self.bump();
                if matches!(
                    self.kind(),
                    TokenKind::Semicolon | TokenKind::RBrace | TokenKind::Eof
                ) {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.parse_expression()?))
                }
            }
            TokenKind::Throw => {
                self.bump();
                StmtKind::Throw(self.parse_expression()?)
            }
            _ if self.at_declaration() => self.parse_declaration()?,
            _ => StmtKind::Expr(self.parse_expression()?),
        })
    }

    fn end_statement(&mut self, top: bool) -> Result<(), CompileError> {
        if self.eat(TokenKind::Semicolon) {
            return Ok(());
        }
        match self.kind() {
            TokenKind::RBrace if !top => Ok(()),
            TokenKind::Eof => Ok(()),
            _ => Err(self.unexpected("';'")),
        }
    }

    fn at_declaration(&self) -> bool {
        match self.type_at(self.pos) {
            Some((_, next)) => self.tok(next).kind == TokenKind::Ident,
            None => false,
        }
    }

    fn parse_declaration(&mut self) -> Result<StmtKind, CompileError> {
        let ty = self.parse_type()?;
        if ty.base == Base::Void && ty.dims == 0 {
            return Err(self.error_here("cannot declare a variable of type [void]"));
        }
        let mut vars = Vec::new();
        loop {
            let name_tok = self.expect(TokenKind::Ident)?;
            let name = self.text(name_tok).to_owned();
            let init = if self.eat(TokenKind::Assign) {
                Some(char_constant(ty, self.parse_expression()?))
            } else {
                None
            };
            // Declared after the initializer: `def x = x` does not see itself.
            let slot = self.declare(&name, ty, name_tok.range)?;
            vars.push(DeclVar { name, slot, init });
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        Ok(StmtKind::Decl { ty, vars })
    }

    fn parse_for(&mut self) -> Result<StmtKind, CompileError> {
        self.bump();
        self.expect(TokenKind::LParen)?;
        self.push_scope();
        let result = self.parse_for_rest();
        self.pop_scope();
        result
    }

    fn parse_for_rest(&mut self) -> Result<StmtKind, CompileError> {
        // for (x in e)
        if self.kind() == TokenKind::Ident && self.kind_at(1) == TokenKind::In {
            let name_tok = self.bump();
            self.bump();
            let iterable = self.parse_expression()?;
            self.expect(TokenKind::RParen)?;
            let name = self.text(name_tok).to_owned();
            let slot = self.declare(&name, Ty::DEF, name_tok.range)?;
            let body = Box::new(self.parse_loop_body()?);
            return Ok(StmtKind::ForEach {
                ty: Ty::DEF,
                name,
                slot,
                iterable,
                body,
            });
        }
        // for (T x : e)
        if let Some((ty, next)) = self.type_at(self.pos) {
            if self.tok(next).kind == TokenKind::Ident
                && self.tok(next + 1).kind == TokenKind::Colon
            {
                self.pos = next;
                let name_tok = self.bump();
                self.bump();
                let iterable = self.parse_expression()?;
                self.expect(TokenKind::RParen)?;
                let name = self.text(name_tok).to_owned();
                let slot = self.declare(&name, ty, name_tok.range)?;
                let body = Box::new(self.parse_loop_body()?);
                return Ok(StmtKind::ForEach {
                    ty,
                    name,
                    slot,
                    iterable,
                    body,
                });
            }
        }
        let init = if self.kind() == TokenKind::Semicolon {
            None
        } else {
            let start = self.range().start;
            let kind = if self.at_declaration() {
                self.parse_declaration()?
            } else {
                StmtKind::Expr(self.parse_expression()?)
            };
            Some(Box::new(Stmt {
                kind,
                range: TextRange::new(start, self.prev_end()),
            }))
        };
        self.expect(TokenKind::Semicolon)?;
        let cond = if self.kind() == TokenKind::Semicolon {
            None
        } else {
            Some(self.parse_expression()?)
        };
        self.expect(TokenKind::Semicolon)?;
        let update = if self.kind() == TokenKind::RParen {
            None
        } else {
            Some(self.parse_expression()?)
        };
        self.expect(TokenKind::RParen)?;
        let body = Box::new(self.parse_loop_body()?);
        Ok(StmtKind::For {
            init,
            cond,
            update,
            body,
        })
    }

    /// A loop body: a block, a statement, or just `;`.
    fn parse_loop_body(&mut self) -> Result<Stmt, CompileError> {
        self.parse_trailer()
    }

    /// `trailer: block | statement`, in its own scope.
    fn parse_trailer(&mut self) -> Result<Stmt, CompileError> {
        if self.kind() == TokenKind::LBrace {
            let start = self.range().start;
            let body = self.parse_block()?;
            return Ok(Stmt {
                kind: StmtKind::Block(body),
                range: TextRange::new(start, self.prev_end()),
            });
        }
        self.push_scope();
        let s = self.parse_statement(false);
        self.pop_scope();
        s
    }

    /// `{ statement* }` in a new scope.
    pub(super) fn parse_block(&mut self) -> Result<Vec<Stmt>, CompileError> {
        self.expect(TokenKind::LBrace)?;
        self.push_scope();
        let mut body = Vec::new();
        let result = loop {
            match self.kind() {
                TokenKind::RBrace => {
                    self.bump();
                    break Ok(body);
                }
                TokenKind::Eof => break Err(self.unexpected("'}'")),
                _ => match self.parse_statement(false) {
                    Ok(s) => body.push(s),
                    Err(e) => break Err(e),
                },
            }
        };
        self.pop_scope();
        result
    }
}

/// Painless converts a one-character string constant to `char` where a
/// `char` is expected (`char c = 'a'`); other strings stay strings and fail
/// the conversion when the value is stored.
pub(super) fn char_constant(ty: Ty, e: Expr) -> Expr {
    let single = matches!(&e.kind, ExprKind::Str(s) if s.encode_utf16().count() == 1);
    if ty.dims == 0 && ty.base == Base::Char && single {
        let (range, loc) = (e.range, e.loc);
        return Expr {
            kind: ExprKind::Cast(ty, Box::new(e)),
            range,
            loc,
        };
    }
    e
}
