//! Painless's control-flow checks, run once the tree is built: statements
//! after an unconditional `return`/`throw`/`break`/`continue` are
//! unreachable, a non-void function must return on every path, and `if`
//! or loops on a constant condition are "extraneous". The messages are
//! Painless's own.

use crate::ast::{Expr, ExprKind, Function, Program, Stmt, StmtKind};
use crate::error::CompileError;
use crate::token::TextRange;
use crate::types::Base;

/// How a statement can leave the code that follows it.
#[derive(Debug, Clone, Copy, Default)]
struct Escape {
    /// Every path leaves the function (`return`, `throw`).
    method: bool,
    /// Every path leaves the enclosing loop iteration.
    loop_: bool,
    /// Every path jumps away (any of the above, `break`, `continue`).
    all: bool,
    /// Some path `continue`s the enclosing loop.
    any_continue: bool,
    /// Some path `break`s the enclosing loop.
    any_break: bool,
}

/// Checks every function and the main body.
pub(crate) fn check(program: &Program, source: &str) -> Result<(), CompileError> {
    let checker = Checker { source };
    for f in &program.functions {
        checker.function(f)?;
    }
    checker.block(&program.body, TextRange::new(0, 0))?;
    Ok(())
}

struct Checker<'s> {
    source: &'s str,
}

impl Checker<'_> {
    fn error(&self, range: TextRange, message: &str) -> CompileError {
        CompileError::new(self.source, range, message)
    }

    fn function(&self, f: &Function) -> Result<(), CompileError> {
        let escape = self.block(&f.body, f.range)?;
        let void = f.return_type.base == Base::Void && f.return_type.dims == 0;
        if !escape.method && !void {
            return Err(self.error(
                f.range,
                &format!(
                    "invalid function definition: not all paths provide a return value for function [{}] with [{}] parameters",
                    f.name,
                    f.params.len()
                ),
            ));
        }
        Ok(())
    }

    fn block(&self, stmts: &[Stmt], range: TextRange) -> Result<Escape, CompileError> {
        let mut result = Escape::default();
        for (i, s) in stmts.iter().enumerate() {
            let e = self.stmt(s)?;
            let last = i + 1 == stmts.len();
            if e.all && !last {
                let at = if range == TextRange::default() {
                    s.range
                } else {
                    range
                };
                return Err(self.error(at, "invalid block: unreachable statement"));
            }
            result.any_continue |= e.any_continue;
            result.any_break |= e.any_break;
            if last {
                result.method = e.method;
                result.loop_ = e.loop_;
                result.all = e.all;
            }
        }
        Ok(result)
    }

    fn body(&self, s: &Stmt) -> Result<Escape, CompileError> {
        match &s.kind {
            StmtKind::Block(stmts) => self.block(stmts, s.range),
            _ => self.stmt(s),
        }
    }

    fn stmt(&self, s: &Stmt) -> Result<Escape, CompileError> {
        let jump = |method: bool| Escape {
            method,
            loop_: true,
            all: true,
            ..Escape::default()
        };
        Ok(match &s.kind {
            StmtKind::Return(_) | StmtKind::Throw(_) => jump(true),
            StmtKind::Break => Escape {
                any_break: true,
                ..jump(false)
            },
            StmtKind::Continue => Escape {
                any_continue: true,
                ..jump(false)
            },
            StmtKind::Block(stmts) => self.block(stmts, s.range)?,
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                if is_bool_constant(cond) {
                    return Err(self.error(s.range, "extraneous if block"));
                }
                let a = self.body(then)?;
                match otherwise {
                    None => Escape {
                        any_continue: a.any_continue,
                        any_break: a.any_break,
                        ..Escape::default()
                    },
                    Some(o) => {
                        let b = self.body(o)?;
                        Escape {
                            method: a.method && b.method,
                            loop_: a.loop_ && b.loop_,
                            all: a.all && b.all,
                            any_continue: a.any_continue || b.any_continue,
                            any_break: a.any_break || b.any_break,
                        }
                    }
                }
            }
            StmtKind::While { cond, body } => {
                let continuous = constant(cond);
                if continuous == Some(false) {
                    return Err(self.error(s.range, "extraneous while loop"));
                }
                self.looping(s, body, continuous == Some(true), "extraneous while loop")?
            }
            StmtKind::DoWhile { body, cond } => {
                let continuous = constant(cond);
                if continuous == Some(false) {
                    return Err(self.error(s.range, "extraneous do-while loop"));
                }
                self.looping(
                    s,
                    body,
                    continuous == Some(true),
                    "extraneous do-while loop",
                )?
            }
            StmtKind::For { cond, body, .. } => {
                let continuous = match cond {
                    None => true,
                    Some(c) => match constant(c) {
                        Some(false) => return Err(self.error(s.range, "extraneous for loop")),
                        Some(true) => true,
                        None => false,
                    },
                };
                self.looping(s, body, continuous, "extraneous for loop")?
            }
            StmtKind::ForEach { body, .. } => {
                self.looping(s, body, false, "extraneous foreach loop")?
            }
            StmtKind::Try { body, catches } => {
                let mut e = self.block(body, s.range)?;
                for c in catches {
                    let ce = self.block(&c.body, s.range)?;
                    e.method &= ce.method;
                    e.loop_ &= ce.loop_;
                    e.all &= ce.all;
                    e.any_continue |= ce.any_continue;
                    e.any_break |= ce.any_break;
                }
                e
            }
            StmtKind::Decl { .. } | StmtKind::Expr(_) | StmtKind::Empty => Escape::default(),
        })
    }

    /// A loop: its body must be able to run more than once, and a
    /// continuous loop without `break` never completes.
    fn looping(
        &self,
        s: &Stmt,
        body: &Stmt,
        continuous: bool,
        extraneous: &str,
    ) -> Result<Escape, CompileError> {
        let e = self.body(body)?;
        if e.loop_ && !e.any_continue {
            return Err(self.error(s.range, extraneous));
        }
        if continuous && !e.any_break {
            return Ok(Escape {
                method: true,
                all: true,
                ..Escape::default()
            });
        }
        Ok(Escape::default())
    }
}

fn constant(e: &Expr) -> Option<bool> {
    match e.kind {
        ExprKind::Bool(b) => Some(b),
        _ => None,
    }
}

fn is_bool_constant(e: &Expr) -> bool {
    constant(e).is_some()
}

#[cfg(test)]
mod tests {
    use crate::parser::parse_program;

    fn message(src: &str) -> String {
        parse_program(src)
            .err()
            .map(|e| e.message)
            .unwrap_or_default()
    }

    #[test]
    fn functions_must_return_on_every_path() {
        assert_eq!(
            message("int f(int x) { if (x > 0) { return 1 } } f(1)"),
            "invalid function definition: not all paths provide a return value for function [f] with [1] parameters"
        );
        assert_eq!(
            message("int f(int x) { if (x > 0) { return 1 } else { return 2 } } f(1)"),
            ""
        );
        assert_eq!(message("void f() { } f()"), "");
    }

    #[test]
    fn unreachable_statements_are_refused() {
        assert_eq!(
            message("return 1; ctx.a = 2"),
            "invalid block: unreachable statement"
        );
        assert_eq!(
            message("for (def x : ctx.l) { break; ctx.a = 1 }"),
            "invalid block: unreachable statement"
        );
    }

    #[test]
    fn extraneous_elvis_is_refused() {
        assert_eq!(
            message("ctx.a = 'x' ?: 1"),
            "Extraneous elvis operator. LHS is a constant."
        );
        assert_eq!(
            message("ctx.a = null ?: 1"),
            "Extraneous elvis operator. LHS is null."
        );
        assert_eq!(
            message("ctx.a = ctx.b ?: null"),
            "Extraneous elvis operator. RHS is null."
        );
        assert_eq!(
            message("int i = 1; ctx.a = i ?: 2"),
            "Elvis operator cannot return primitives"
        );
        assert_eq!(message("ctx.a = ctx.b ?: 'x'"), "");
    }

    #[test]
    fn duplicate_functions_are_refused() {
        assert_eq!(
            message("void f(def x) {} void f(int y) {} f(1)"),
            "illegal duplicate functions [f/1]."
        );
    }

    #[test]
    fn constant_conditions_are_extraneous() {
        assert_eq!(message("if (true) { ctx.a = 1 }"), "extraneous if block");
        assert_eq!(
            message("while (false) { ctx.a = 1 }"),
            "extraneous while loop"
        );
        assert_eq!(message("while (true) { if (ctx.a == 1) { break } }"), "");
    }
}
