//! Expressions: precedence climbing over Painless's operator table, then
//! unary operators, casts, primaries and postfix chains.

use std::sync::Arc;

use super::{Frame, Parser};
use crate::ast::{ArrayInit, BinOp, Expr, ExprKind, FuncRef, Lambda, LambdaBody, UnaryOp};
use crate::error::CompileError;
use crate::lexer::string_value;
use crate::regex::CompiledRegex;
use crate::stdlib;
use crate::token::{TextRange, TokenKind};
use crate::types::{Base, Ty};

/// Binding power of binary operators (higher binds tighter).
fn binary_power(kind: TokenKind) -> Option<(u8, Option<BinOp>)> {
    use TokenKind::*;
    Some(match kind {
        Elvis => (1, None),
        OrOr => (2, None),
        AndAnd => (3, None),
        Pipe => (4, Some(BinOp::BitOr)),
        Caret => (5, Some(BinOp::Xor)),
        Amp => (6, Some(BinOp::BitAnd)),
        EqEq => (7, Some(BinOp::Eq)),
        EqEqEq => (7, Some(BinOp::RefEq)),
        NotEq => (7, Some(BinOp::Ne)),
        NotEqEq => (7, Some(BinOp::RefNe)),
        Instanceof => (8, None),
        Lt => (9, Some(BinOp::Lt)),
        Le => (9, Some(BinOp::Le)),
        Gt => (9, Some(BinOp::Gt)),
        Ge => (9, Some(BinOp::Ge)),
        Shl => (10, Some(BinOp::Shl)),
        Shr => (10, Some(BinOp::Shr)),
        UShr => (10, Some(BinOp::UShr)),
        Find => (11, Some(BinOp::Find)),
        Match => (11, Some(BinOp::Match)),
        Plus => (12, Some(BinOp::Add)),
        Minus => (12, Some(BinOp::Sub)),
        Star => (13, Some(BinOp::Mul)),
        Slash => (13, Some(BinOp::Div)),
        Percent => (13, Some(BinOp::Rem)),
        _ => return None,
    })
}

fn assign_op(kind: TokenKind) -> Option<Option<BinOp>> {
    use TokenKind::*;
    Some(match kind {
        Assign => None,
        PlusAssign => Some(BinOp::Add),
        MinusAssign => Some(BinOp::Sub),
        StarAssign => Some(BinOp::Mul),
        SlashAssign => Some(BinOp::Div),
        PercentAssign => Some(BinOp::Rem),
        AmpAssign => Some(BinOp::BitAnd),
        CaretAssign => Some(BinOp::Xor),
        PipeAssign => Some(BinOp::BitOr),
        ShlAssign => Some(BinOp::Shl),
        ShrAssign => Some(BinOp::Shr),
        UShrAssign => Some(BinOp::UShr),
        _ => return None,
    })
}

fn boxed(kind: ExprKind, range: TextRange, loc: u32) -> Box<Expr> {
    Box::new(Expr { kind, range, loc })
}

impl Parser<'_> {
    /// `expression`: assignment, ternary, or a non-conditional expression.
    pub(super) fn parse_expression(&mut self) -> Result<Expr, CompileError> {
        self.enter()?;
        let result = self.expression_inner();
        self.leave();
        result
    }

    fn expression_inner(&mut self) -> Result<Expr, CompileError> {
        let start = self.range().start;
        let lhs = self.parse_binary(1)?;
        if self.kind() == TokenKind::Question {
            self.bump();
            let then = self.parse_expression()?;
            self.expect(TokenKind::Colon)?;
            let otherwise = self.parse_expression()?;
            let range = TextRange::new(start, self.prev_end());
            // Painless types `c ? a : b` statically: two numeric branches are
            // promoted to a common type (`c ? 1 : 2.5` gives `1.0`).
            let (then, otherwise) = match (static_numeric(&then), static_numeric(&otherwise)) {
                (Some(a), Some(b)) if a != b => {
                    let target = Ty::of(promoted(a, b));
                    (cast_to(then, target), cast_to(otherwise, target))
                }
                _ => (then, otherwise),
            };
            return Ok(Expr {
                kind: ExprKind::Conditional(Box::new(lhs), Box::new(then), Box::new(otherwise)),
                range,
                loc: start,
            });
        }
        if let Some(op) = assign_op(self.kind()) {
            let op_tok = self.bump();
            if !is_assignable(&lhs) {
                return Err(self.error_at(
                    op_tok.range,
                    "invalid assignment: cannot assign a value to this expression",
                ));
            }
            let mut value = self.parse_expression()?;
            if let (ExprKind::Local(_, ty), None) = (&lhs.kind, op) {
                value = super::statement::char_constant(*ty, value);
            }
            let range = TextRange::new(start, self.prev_end());
            return Ok(Expr {
                kind: ExprKind::Assign {
                    target: Box::new(lhs),
                    op,
                    value: Box::new(value),
                },
                range,
                loc: start,
            });
        }
        Ok(lhs)
    }

    fn parse_binary(&mut self, min: u8) -> Result<Expr, CompileError> {
        let start = self.range().start;
        let mut left = self.parse_unary()?;
        loop {
            let Some((power, op)) = binary_power(self.kind()) else {
                return Ok(left);
            };
            if power < min {
                return Ok(left);
            }
            let op_tok = self.bump();
            if op_tok.kind == TokenKind::Instanceof {
                let ty = self.parse_type()?;
                left = Expr {
                    kind: ExprKind::Instanceof(Box::new(left), ty),
                    range: TextRange::new(start, self.prev_end()),
                    loc: start,
                };
                continue;
            }
            // Elvis is right-associative; the rest are left-associative.
            let next_min = if op_tok.kind == TokenKind::Elvis {
                power
            } else {
                power + 1
            };
            self.enter()?;
            let right = self.parse_binary(next_min);
            self.leave();
            let right = right?;
            let range = TextRange::new(start, self.prev_end());
            let kind = match (op_tok.kind, op) {
                (TokenKind::Elvis, _) => {
                    self.check_elvis(&left, &right, op_tok.range)?;
                    ExprKind::Elvis(Box::new(left), Box::new(right))
                }
                (TokenKind::OrOr, _) => ExprKind::Or(Box::new(left), Box::new(right)),
                (TokenKind::AndAnd, _) => ExprKind::And(Box::new(left), Box::new(right)),
                (_, Some(op)) => ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                _ => return Err(self.error_at(op_tok.range, "unexpected operator")),
            };
            left = Expr {
                kind,
                range,
                loc: start,
            };
        }
    }

    /// Painless refuses an elvis whose result is known at compile time or
    /// whose left side cannot be null.
    fn check_elvis(&self, left: &Expr, right: &Expr, at: TextRange) -> Result<(), CompileError> {
        let message = match (&left.kind, &right.kind) {
            (ExprKind::Null, _) => "Extraneous elvis operator. LHS is null.",
            (
                ExprKind::Str(_)
                | ExprKind::Int(_)
                | ExprKind::Long(_)
                | ExprKind::Float(_)
                | ExprKind::Double(_)
                | ExprKind::Bool(_),
                _,
            ) => "Extraneous elvis operator. LHS is a constant.",
            (_, ExprKind::Null) => "Extraneous elvis operator. RHS is null.",
            (ExprKind::Local(_, ty) | ExprKind::Cast(ty, _), _)
                if ty.dims == 0 && ty.base.is_primitive() =>
            {
                "Elvis operator cannot return primitives"
            }
            _ => return Ok(()),
        };
        Err(self.error_at(at, message))
    }

    fn parse_unary(&mut self) -> Result<Expr, CompileError> {
        self.enter()?;
        let result = self.unary_inner();
        self.leave();
        result
    }

    fn unary_inner(&mut self) -> Result<Expr, CompileError> {
        let start_tok = self.tok(self.pos);
        let start = start_tok.range.start;
        match start_tok.kind {
            TokenKind::PlusPlus | TokenKind::MinusMinus => {
                self.bump();
                let target = self.parse_postfix_chain()?;
                if !is_assignable(&target) {
                    return Err(self.error_at(
                        start_tok.range,
                        "invalid increment: target is not assignable",
                    ));
                }
                Ok(Expr {
                    kind: ExprKind::IncDec {
                        target: Box::new(target),
                        increment: start_tok.kind == TokenKind::PlusPlus,
                        prefix: true,
                    },
                    range: TextRange::new(start, self.prev_end()),
                    loc: start,
                })
            }
            TokenKind::Minus
                if matches!(self.kind_at(1), TokenKind::Integer | TokenKind::Decimal) =>
            {
                self.bump();
                let lit = self.bump();
                let text = format!("-{}", self.text(lit));
                let kind = self.number_literal(&text, TextRange::new(start, lit.range.end))?;
                let e = Expr {
                    kind,
                    range: TextRange::new(start, lit.range.end),
                    loc: start,
                };
                self.parse_postfix(e)
            }
            TokenKind::Minus | TokenKind::Plus | TokenKind::Bang | TokenKind::Tilde => {
                self.bump();
                let op = match start_tok.kind {
                    TokenKind::Minus => UnaryOp::Neg,
                    TokenKind::Plus => UnaryOp::Plus,
                    TokenKind::Bang => UnaryOp::Not,
                    _ => UnaryOp::BitNot,
                };
                let operand = self.parse_unary()?;
                Ok(Expr {
                    kind: ExprKind::Unary {
                        op,
                        operand: Box::new(operand),
                    },
                    range: TextRange::new(start, self.prev_end()),
                    loc: start,
                })
            }
            TokenKind::LParen if self.is_cast() => {
                self.bump();
                let ty = self.parse_type()?;
                self.expect(TokenKind::RParen)?;
                let operand = self.parse_unary()?;
                Ok(Expr {
                    kind: ExprKind::Cast(ty, Box::new(operand)),
                    range: TextRange::new(start, self.prev_end()),
                    loc: start,
                })
            }
            _ => {
                let e = self.parse_postfix_chain()?;
                if matches!(self.kind(), TokenKind::PlusPlus | TokenKind::MinusMinus)
                    && is_assignable(&e)
                {
                    let op = self.bump();
                    return Ok(Expr {
                        kind: ExprKind::IncDec {
                            target: Box::new(e),
                            increment: op.kind == TokenKind::PlusPlus,
                            prefix: false,
                        },
                        range: TextRange::new(start, self.prev_end()),
                        loc: start,
                    });
                }
                Ok(e)
            }
        }
    }

    /// `(Type) expr`: a parenthesised type followed by something that can
    /// start an operand.
    fn is_cast(&self) -> bool {
        let Some((ty, next)) = self.type_at(self.pos + 1) else {
            return false;
        };
        if self.tok(next).kind != TokenKind::RParen {
            return false;
        }
        if ty.base.is_primitive() || ty.base == Base::Def {
            return true;
        }
        !matches!(
            self.tok(next + 1).kind,
            TokenKind::Plus
                | TokenKind::Minus
                | TokenKind::Dot
                | TokenKind::NullSafeDot
                | TokenKind::Semicolon
                | TokenKind::RParen
                | TokenKind::Eof
        ) && !binary_power(self.tok(next + 1).kind)
            .is_some_and(|_| !matches!(self.tok(next + 1).kind, TokenKind::Plus | TokenKind::Minus))
    }

    fn parse_postfix_chain(&mut self) -> Result<Expr, CompileError> {
        let primary = self.parse_primary()?;
        self.parse_postfix(primary)
    }

    fn parse_postfix(&mut self, mut e: Expr) -> Result<Expr, CompileError> {
        let start = e.range.start;
        let mut links = 0u32;
        loop {
            match self.kind() {
                TokenKind::Dot | TokenKind::NullSafeDot => {
                    let dot = self.bump();
                    let null_safe = dot.kind == TokenKind::NullSafeDot;
                    let name_tok = self.bump();
                    if !matches!(name_tok.kind, TokenKind::Ident | TokenKind::Integer) {
                        self.pos -= 1;
                        return Err(self.unexpected("a field or method name"));
                    }
                    let name: Arc<str> = Arc::from(self.text(name_tok));
                    if self.kind() == TokenKind::LParen {
                        let args = self.parse_arguments()?;
                        let candidates = stdlib::method_candidates(&name, args.len());
                        if candidates.is_empty() && !stdlib::not_whitelisted(&name, args.len()) {
                            return Err(self.error_at(
                                name_tok.range,
                                format!(
                                    "unsupported: method [{name}] with [{}] arguments",
                                    args.len()
                                ),
                            ));
                        }
                        e = Expr {
                            kind: ExprKind::Call {
                                target: Box::new(e),
                                name,
                                args,
                                null_safe,
                                candidates,
                            },
                            range: TextRange::new(start, self.prev_end()),
                            loc: dot.range.start,
                        };
                    } else {
                        e = Expr {
                            kind: ExprKind::Field {
                                target: Box::new(e),
                                name,
                                null_safe,
                            },
                            range: TextRange::new(start, self.prev_end()),
                            loc: dot.range.start,
                        };
                    }
                }
                TokenKind::LBracket => {
                    let open = self.bump();
                    let index = self.parse_expression()?;
                    self.expect(TokenKind::RBracket)?;
                    e = Expr {
                        kind: ExprKind::Index {
                            target: Box::new(e),
                            index: Box::new(index),
                        },
                        range: TextRange::new(start, self.prev_end()),
                        loc: open.range.start,
                    };
                }
                _ => return Ok(e),
            }
            links += 1;
            if links > 4 * super::MAX_DEPTH {
                return Err(self.error_here("expression chain is too long"));
            }
        }
    }

    fn parse_primary(&mut self) -> Result<Expr, CompileError> {
        let t = self.tok(self.pos);
        let start = t.range.start;
        let simple = |kind: ExprKind| Expr {
            kind,
            range: t.range,
            loc: start,
        };
        match t.kind {
            TokenKind::LParen => {
                self.bump();
                let mut e = self.parse_expression()?;
                self.expect(TokenKind::RParen)?;
                e.range = TextRange::new(start, self.prev_end());
                Ok(e)
            }
            TokenKind::Integer | TokenKind::Decimal => {
                self.bump();
                let kind = self.number_literal(self.text(t), t.range)?;
                Ok(simple(kind))
            }
            TokenKind::Str => {
                self.bump();
                Ok(simple(ExprKind::Str(Arc::from(string_value(self.text(t))))))
            }
            TokenKind::True => {
                self.bump();
                Ok(simple(ExprKind::Bool(true)))
            }
            TokenKind::False => {
                self.bump();
                Ok(simple(ExprKind::Bool(false)))
            }
            TokenKind::Null => {
                self.bump();
                Ok(simple(ExprKind::Null))
            }
            TokenKind::Regex => {
                self.bump();
                let text = self.text(t);
                let close = text.rfind('/').unwrap_or(text.len());
                let pattern = text.get(1..close).unwrap_or("");
                let flags = text.get(close + 1..).unwrap_or("");
                let compiled =
                    CompiledRegex::new(pattern, flags).map_err(|m| self.error_at(t.range, m))?;
                Ok(simple(ExprKind::Regex(Arc::new(compiled))))
            }
            TokenKind::LBracket => self.parse_collection_literal(),
            TokenKind::New => self.parse_new(),
            TokenKind::Ident => self.parse_name(),
            _ => Err(self.unexpected("an expression")),
        }
    }

    fn parse_name(&mut self) -> Result<Expr, CompileError> {
        let t = self.tok(self.pos);
        let name = self.text(t);
        let start = t.range.start;
        // A user function call.
        if self.kind_at(1) == TokenKind::LParen {
            self.bump();
            let args = self.parse_arguments()?;
            let range = TextRange::new(start, self.prev_end());
            let func = self
                .function_sigs
                .iter()
                .position(|(n, a)| n == name && *a == args.len());
            return match func {
                Some(i) => Ok(Expr {
                    kind: ExprKind::LocalCall {
                        func: i as u32,
                        args,
                    },
                    range,
                    loc: start,
                }),
                None => Err(self.error_at(
                    t.range,
                    format!("Unknown call [{name}] with [{}] arguments.", args.len()),
                )),
            };
        }
        // A variable.
        if let Some((slot, ty)) = self.lookup(name) {
            self.bump();
            return Ok(Expr {
                kind: ExprKind::Local(slot, ty),
                range: t.range,
                loc: start,
            });
        }
        // A static member: Math.max(…), Integer.MAX_VALUE.
        if let Some((ty, next)) = self.type_at(self.pos) {
            if ty.dims == 0 && self.tok(next).kind == TokenKind::Dot {
                self.pos = next + 1;
                let member = self.expect(TokenKind::Ident)?;
                let member_name = self.text(member);
                let display = format!("{}.{member_name}", ty.base.painless_name());
                if self.kind() == TokenKind::LParen {
                    let args = self.parse_arguments()?;
                    let range = TextRange::new(start, self.prev_end());
                    let Some(f) = stdlib::static_method(ty.base, member_name, args.len()) else {
                        return Err(self.error_at(
                            TextRange::new(start, member.range.end),
                            format!(
                                "unsupported: static method [{display}] with [{}] arguments",
                                args.len()
                            ),
                        ));
                    };
                    let e = Expr {
                        kind: ExprKind::StaticCall {
                            name: Arc::from(display.as_str()),
                            f,
                            args,
                        },
                        range,
                        loc: member.range.start.saturating_sub(1),
                    };
                    return self.parse_postfix(e);
                }
                let Some(value) = stdlib::static_field(ty.base, member_name) else {
                    return Err(self.error_at(
                        TextRange::new(start, member.range.end),
                        format!("unsupported: static field [{display}]"),
                    ));
                };
                return Ok(Expr {
                    // Folded to the literal it stands for.
                    kind: value,
                    range: TextRange::new(start, member.range.end),
                    loc: start,
                });
            }
        }
        if Base::known_unsupported(name) {
            return Err(self.error_at(t.range, format!("unsupported: class [{name}]")));
        }
        Err(self.error_at(t.range, format!("cannot resolve symbol [{name}]")))
    }

    fn number_literal(&self, text: &str, range: TextRange) -> Result<ExprKind, CompileError> {
        let lower = text.to_ascii_lowercase();
        let (neg, body) = match lower.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, lower.clone()),
        };
        let sign = if neg { "-" } else { "" };
        let is_hex = body.starts_with("0x");
        if !is_hex
            && (body.ends_with('f')
                || body.ends_with('d')
                || body.contains('.')
                || body.contains('e'))
        {
            let (digits, float) = match body.strip_suffix('f') {
                Some(d) => (d.to_owned(), true),
                None => (body.trim_end_matches('d').to_owned(), false),
            };
            let parsed: Result<f64, _> = format!("{sign}{digits}").parse();
            return match parsed {
                Ok(v) if float => {
                    let f = v as f32;
                    if f.is_infinite() {
                        Err(self.error_at(range, format!("Invalid float constant [{text}].")))
                    } else {
                        Ok(ExprKind::Float(f))
                    }
                }
                Ok(v) if v.is_infinite() => {
                    Err(self.error_at(range, format!("Invalid double constant [{text}].")))
                }
                Ok(v) => Ok(ExprKind::Double(v)),
                Err(_) => Err(self.error_at(range, format!("Invalid number [{text}]."))),
            };
        }
        let long = body.ends_with('l');
        let digits = body.trim_end_matches('l');
        let (radix, digits) = if let Some(h) = digits.strip_prefix("0x") {
            (16, h)
        } else if digits.len() > 1 && digits.starts_with('0') {
            (8, &digits[1..])
        } else {
            (10, digits)
        };
        let magnitude = u64::from_str_radix(digits, radix)
            .map_err(|_| self.error_at(range, format!("Invalid number [{text}].")))?;
        let kind_name = if long { "long" } else { "int" };
        let invalid = || self.error_at(range, format!("Invalid {kind_name} constant [{text}]."));
        if long {
            let v = if radix == 10 {
                let v = i128::from(magnitude) * if neg { -1 } else { 1 };
                i64::try_from(v).map_err(|_| invalid())?
            } else {
                let v = magnitude as i64;
                if neg { v.wrapping_neg() } else { v }
            };
            Ok(ExprKind::Long(v))
        } else {
            let v = if radix == 10 {
                let v = i128::from(magnitude) * if neg { -1 } else { 1 };
                i32::try_from(v).map_err(|_| {
                    if i64::try_from(v).is_ok() {
                        self.error_at(
                            range,
                            format!(
                                "Invalid int constant [{text}]. If you want a long constant then change it to [{text}L]."
                            ),
                        )
                    } else {
                        invalid()
                    }
                })?
            } else {
                let v = u32::try_from(magnitude).map_err(|_| invalid())? as i32;
                if neg { v.wrapping_neg() } else { v }
            };
            Ok(ExprKind::Int(v))
        }
    }

    /// `[]`, `[a, b]`, `[:]`, `['k': v]`.
    fn parse_collection_literal(&mut self) -> Result<Expr, CompileError> {
        let open = self.bump();
        let start = open.range.start;
        if self.kind() == TokenKind::Colon && self.kind_at(1) == TokenKind::RBracket {
            self.bump();
            self.bump();
            return Ok(Expr {
                kind: ExprKind::Map(Vec::new()),
                range: TextRange::new(start, self.prev_end()),
                loc: start,
            });
        }
        if self.eat(TokenKind::RBracket) {
            return Ok(Expr {
                kind: ExprKind::List(Vec::new()),
                range: TextRange::new(start, self.prev_end()),
                loc: start,
            });
        }
        let first = self.parse_expression()?;
        if self.eat(TokenKind::Colon) {
            let value = self.parse_expression()?;
            let mut entries = vec![(first, value)];
            while self.eat(TokenKind::Comma) {
                let k = self.parse_expression()?;
                self.expect(TokenKind::Colon)?;
                let v = self.parse_expression()?;
                entries.push((k, v));
            }
            self.expect(TokenKind::RBracket)?;
            return Ok(Expr {
                kind: ExprKind::Map(entries),
                range: TextRange::new(start, self.prev_end()),
                loc: start,
            });
        }
        let mut items = vec![first];
        while self.eat(TokenKind::Comma) {
            items.push(self.parse_expression()?);
        }
        self.expect(TokenKind::RBracket)?;
        Ok(Expr {
            kind: ExprKind::List(items),
            range: TextRange::new(start, self.prev_end()),
            loc: start,
        })
    }

    fn parse_new(&mut self) -> Result<Expr, CompileError> {
        let new_tok = self.bump();
        let start = new_tok.range.start;
        let ty_range = self.range();
        let ty = {
            let t = self.tok(self.pos);
            let name = self.text(t);
            let base = if name == "Map" && self.kind_at(1) == TokenKind::Dot {
                None
            } else {
                Base::from_name(name)
            };
            match (t.kind, base) {
                (TokenKind::Ident, Some(b)) => {
                    self.bump();
                    b
                }
                (TokenKind::Ident, None) => {
                    return Err(self.error_at(t.range, format!("unsupported: new [{name}]")));
                }
                _ => return Err(self.unexpected("a type")),
            }
        };
        if self.kind() == TokenKind::LBracket {
            let mut dims = 0u8;
            let mut size = None;
            while self.eat(TokenKind::LBracket) {
                dims = dims.saturating_add(1);
                if self.kind() != TokenKind::RBracket {
                    if size.is_some() {
                        return Err(self.error_here("unsupported: multi-dimensional array sizes"));
                    }
                    size = Some(self.parse_expression()?);
                }
                self.expect(TokenKind::RBracket)?;
            }
            let array_ty = Ty { base: ty, dims };
            let init = match size {
                Some(s) => ArrayInit::Size(Box::new(s)),
                None => {
                    self.expect(TokenKind::LBrace)?;
                    let mut values = Vec::new();
                    if self.kind() != TokenKind::RBrace {
                        loop {
                            values.push(self.parse_expression()?);
                            if !self.eat(TokenKind::Comma) {
                                break;
                            }
                        }
                    }
                    self.expect(TokenKind::RBrace)?;
                    ArrayInit::Values(values)
                }
            };
            let e = Expr {
                kind: ExprKind::NewArray { ty: array_ty, init },
                range: TextRange::new(start, self.prev_end()),
                loc: start,
            };
            return self.parse_postfix(e);
        }
        let args = self.parse_arguments()?;
        let Some(ctor) = stdlib::constructor(ty, args.len()) else {
            return Err(self.error_at(
                ty_range,
                format!(
                    "unsupported: constructor [{}] with [{}] arguments",
                    ty.painless_name(),
                    args.len()
                ),
            ));
        };
        let e = Expr {
            kind: ExprKind::New { ctor, args },
            range: TextRange::new(start, self.prev_end()),
            loc: start,
        };
        self.parse_postfix(e)
    }

    /// `( argument, … )` where an argument may be a lambda or a method
    /// reference.
    pub(super) fn parse_arguments(&mut self) -> Result<Vec<Expr>, CompileError> {
        self.expect(TokenKind::LParen)?;
        let mut args = Vec::new();
        if self.eat(TokenKind::RParen) {
            return Ok(args);
        }
        loop {
            args.push(self.parse_argument()?);
            if self.eat(TokenKind::Comma) {
                continue;
            }
            self.expect(TokenKind::RParen)?;
            return Ok(args);
        }
    }

    fn parse_argument(&mut self) -> Result<Expr, CompileError> {
        if self.is_lambda_start() {
            return self.parse_lambda();
        }
        if matches!(self.kind(), TokenKind::Ident | TokenKind::This)
            && self.kind_at(1) == TokenKind::ColonColon
        {
            return self.parse_funcref();
        }
        self.parse_expression()
    }

    fn is_lambda_start(&self) -> bool {
        match self.kind() {
            TokenKind::Ident => {
                if self.kind_at(1) == TokenKind::Arrow {
                    return true;
                }
                matches!(self.type_at(self.pos), Some((_, next)) if self.tok(next).kind == TokenKind::Ident && self.tok(next + 1).kind == TokenKind::Arrow)
            }
            TokenKind::LParen => {
                let mut i = self.pos + 1;
                loop {
                    match self.tok(i).kind {
                        TokenKind::Ident
                        | TokenKind::Comma
                        | TokenKind::Dot
                        | TokenKind::LBracket
                        | TokenKind::RBracket => i += 1,
                        TokenKind::RParen => return self.tok(i + 1).kind == TokenKind::Arrow,
                        _ => return false,
                    }
                }
            }
            _ => false,
        }
    }

    fn parse_lambda(&mut self) -> Result<Expr, CompileError> {
        let start = self.range().start;
        let mut raw_params: Vec<(Ty, crate::token::Token)> = Vec::new();
        let parse_param = |p: &mut Self| -> Result<(Ty, crate::token::Token), CompileError> {
            if let Some((ty, next)) = p.type_at(p.pos) {
                if p.tok(next).kind == TokenKind::Ident {
                    p.pos = next;
                    return Ok((ty, p.bump()));
                }
            }
            Ok((Ty::DEF, p.expect(TokenKind::Ident)?))
        };
        if self.eat(TokenKind::LParen) {
            if self.kind() != TokenKind::RParen {
                loop {
                    raw_params.push(parse_param(self)?);
                    if !self.eat(TokenKind::Comma) {
                        break;
                    }
                }
            }
            self.expect(TokenKind::RParen)?;
        } else {
            raw_params.push(parse_param(self)?);
        }
        self.expect(TokenKind::Arrow)?;
        self.frames.push(Frame::new(true));
        let mut params = Vec::new();
        for (ty, tok) in &raw_params {
            let name = self.text(*tok).to_owned();
            if let Err(e) = self.declare(&name, *ty, tok.range) {
                self.frames.pop();
                return Err(e);
            }
            params.push((*ty, name));
        }
        let body = if self.kind() == TokenKind::LBrace {
            self.parse_block().map(LambdaBody::Block)
        } else {
            self.parse_expression()
                .map(|e| LambdaBody::Expr(Box::new(e)))
        };
        let frame = self.frames.pop();
        let body = body?;
        let (captures, slots) = frame.map_or((Vec::new(), 0), |f| (f.captures, f.max));
        self.lambdas.push(Lambda {
            params,
            captures,
            body,
            slots,
        });
        Ok(Expr {
            kind: ExprKind::Lambda((self.lambdas.len() - 1) as u32),
            range: TextRange::new(start, self.prev_end()),
            loc: start,
        })
    }

    fn parse_funcref(&mut self) -> Result<Expr, CompileError> {
        let first = self.bump();
        let start = first.range.start;
        self.bump(); // ::
        let member = self.bump();
        let member_name = self.text(member);
        let range = TextRange::new(start, member.range.end);
        let first_text = self.text(first);
        let per_arity = |name: &str| -> Vec<Vec<u16>> {
            (0..4).map(|n| stdlib::method_candidates(name, n)).collect()
        };
        let kind = if first.kind == TokenKind::This {
            let Some(i) = self
                .function_sigs
                .iter()
                .position(|(n, _)| n == member_name)
            else {
                return Err(self.error_at(range, format!("Unknown function [{member_name}].")));
            };
            FuncRef::Local(i as u32)
        } else if let Some((slot, ty)) = self.lookup(first_text) {
            let candidates = per_arity(member_name);
            if candidates.iter().all(Vec::is_empty) {
                return Err(self.error_at(
                    range,
                    format!("unsupported: method reference [{first_text}::{member_name}]"),
                ));
            }
            FuncRef::Bound {
                receiver: boxed(ExprKind::Local(slot, ty), first.range, start),
                name: Arc::from(member_name),
                candidates,
            }
        } else if let Some(base) = Base::from_name(first_text) {
            if member.kind == TokenKind::New {
                match stdlib::constructor(base, 0) {
                    Some(c) => FuncRef::New(c),
                    None => {
                        return Err(self.error_at(
                            range,
                            format!("unsupported: constructor reference [{first_text}::new]"),
                        ));
                    }
                }
            } else {
                let by_arity: Vec<_> = (0..4)
                    .map(|n| stdlib::static_method(base, member_name, n))
                    .collect();
                if by_arity.iter().any(Option::is_some) {
                    FuncRef::Static { by_arity }
                } else {
                    let candidates = per_arity(member_name);
                    if candidates.iter().all(Vec::is_empty) {
                        return Err(self.error_at(
                            range,
                            format!("unsupported: method reference [{first_text}::{member_name}]"),
                        ));
                    }
                    FuncRef::Instance {
                        name: Arc::from(member_name),
                        candidates,
                    }
                }
            }
        } else {
            return Err(self.error_at(first.range, format!("cannot resolve symbol [{first_text}]")));
        };
        Ok(Expr {
            kind: ExprKind::FuncRef(kind),
            range,
            loc: start,
        })
    }
}

/// The primitive numeric type Painless knows `e` has at compile time:
/// literals, typed locals, casts and arithmetic over those.
fn static_numeric(e: &Expr) -> Option<Base> {
    let numeric = |b: Base| {
        matches!(
            b,
            Base::Byte
                | Base::Short
                | Base::Char
                | Base::Int
                | Base::Long
                | Base::Float
                | Base::Double
        )
        .then_some(b)
    };
    match &e.kind {
        ExprKind::Int(_) => Some(Base::Int),
        ExprKind::Long(_) => Some(Base::Long),
        ExprKind::Float(_) => Some(Base::Float),
        ExprKind::Double(_) => Some(Base::Double),
        ExprKind::Local(_, ty) | ExprKind::Cast(ty, _) if ty.dims == 0 => numeric(ty.base),
        ExprKind::Unary {
            op: UnaryOp::Neg | UnaryOp::Plus | UnaryOp::BitNot,
            operand,
        } => static_numeric(operand).map(|b| promoted(b, Base::Int)),
        ExprKind::Binary {
            op:
                BinOp::Mul
                | BinOp::Div
                | BinOp::Rem
                | BinOp::Add
                | BinOp::Sub
                | BinOp::BitAnd
                | BinOp::BitOr
                | BinOp::Xor,
            left,
            right,
        } => Some(promoted(static_numeric(left)?, static_numeric(right)?)),
        ExprKind::Conditional(_, a, b) => match (static_numeric(a), static_numeric(b)) {
            (Some(x), Some(y)) => Some(promoted(x, y)),
            _ => None,
        },
        _ => None,
    }
}

/// Binary numeric promotion of two primitive types.
fn promoted(a: Base, b: Base) -> Base {
    for wide in [Base::Double, Base::Float, Base::Long] {
        if a == wide || b == wide {
            return wide;
        }
    }
    Base::Int
}

fn cast_to(e: Expr, ty: Ty) -> Expr {
    let (range, loc) = (e.range, e.loc);
    Expr {
        kind: ExprKind::Cast(ty, Box::new(e)),
        range,
        loc,
    }
}

fn is_assignable(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Local(..) | ExprKind::Field { .. } | ExprKind::Index { .. }
    )
}
