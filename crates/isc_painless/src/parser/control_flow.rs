//! Painless's control-flow checks, run once the tree is built: statements
//! after an unconditional `return`/`throw`/`break`/`continue` are
//! unreachable, a non-void function must return on every path, and `if`
//! or loops on a constant condition are "extraneous". The messages are
//! Painless's own.

use crate::ast::{Expr, ExprKind, Function, Program, Stmt, StmtKind};
use crate::error::CompileError;
use crate::token::TextRange;

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

/// Checks every function and the main body. Returns the error a void
/// script (a `script` processor) would get for a final expression whose
/// value is discarded, if there is one: conditions return that value, so
/// only the caller knows whether it is an error.
pub(crate) fn check(program: &Program, source: &str) -> Result<Option<CompileError>, CompileError> {
    let checker = Checker {
        source,
        program,
        unused_tail: std::cell::RefCell::new(None),
    };
    for f in &program.functions {
        checker.function(f)?;
    }
    checker.block(&program.body, TextRange::new(0, 0), Tail::MainBody)?;
    Ok(checker.unused_tail.into_inner())
}

struct Checker<'s> {
    source: &'s str,
    program: &'s Program,
    unused_tail: std::cell::RefCell<Option<CompileError>>,
}

/// Whether a statement is in the "last source" position Painless gives
/// the end of a method body (through blocks, `if`/`else` branches and
/// `try`/`catch`, not loops), and what a final expression there does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// Not in last position, or in a void function: an expression's value
    /// is discarded.
    No,
    /// The end of the main body: its value is the script's result, which
    /// only a condition uses.
    MainBody,
    /// The end of a non-void function: a final expression with a value
    /// is the function's return.
    Returns,
}

impl Tail {
    fn last(self, last: bool) -> Tail {
        if last { self } else { Tail::No }
    }
}

impl Checker<'_> {
    fn error(&self, range: TextRange, message: &str) -> CompileError {
        CompileError::new(self.source, range, message)
    }

    fn function(&self, f: &Function) -> Result<(), CompileError> {
        let void = f.is_void();
        let tail = if void { Tail::No } else { Tail::Returns };
        let escape = self.block(&f.body, f.range, tail)?;
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

    /// `tail`: whether the block ends a method body, where Painless returns
    /// the value of a final expression (its "last source").
    fn block(&self, stmts: &[Stmt], range: TextRange, tail: Tail) -> Result<Escape, CompileError> {
        let mut result = Escape::default();
        for (i, s) in stmts.iter().enumerate() {
            let last = i + 1 == stmts.len();
            let e = self.stmt(s, tail.last(last))?;
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

    fn body(&self, s: &Stmt, tail: Tail) -> Result<Escape, CompileError> {
        match &s.kind {
            StmtKind::Block(stmts) => self.block(stmts, s.range, tail),
            _ => self.stmt(s, tail),
        }
    }

    fn stmt(&self, s: &Stmt, tail: Tail) -> Result<Escape, CompileError> {
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
            StmtKind::Block(stmts) => self.block(stmts, s.range, tail)?,
            // A non-void function returns its final expression, unless that
            // has no value (a call of a void function).
            StmtKind::Expr(e) if tail == Tail::Returns => {
                if self.calls_void_function(e) {
                    Escape::default()
                } else {
                    jump(true)
                }
            }
            StmtKind::Expr(e) => {
                if let Some(what) = unused_result(e) {
                    let error = self.error(
                        e.range,
                        &format!("not a statement: result not used from {what}"),
                    );
                    if tail == Tail::No {
                        return Err(error);
                    }
                    self.unused_tail.borrow_mut().get_or_insert(error);
                }
                Escape::default()
            }
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                if is_bool_constant(cond) {
                    return Err(self.error(s.range, "extraneous if block"));
                }
                let a = self.body(then, tail)?;
                match otherwise {
                    None => Escape {
                        any_continue: a.any_continue,
                        any_break: a.any_break,
                        ..Escape::default()
                    },
                    Some(o) => {
                        let b = self.body(o, tail)?;
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
                let mut e = self.block(body, s.range, tail)?;
                for c in catches {
                    let ce = self.block(&c.body, s.range, tail)?;
                    e.method &= ce.method;
                    e.loop_ &= ce.loop_;
                    e.all &= ce.all;
                    e.any_continue |= ce.any_continue;
                    e.any_break |= ce.any_break;
                }
                e
            }
            StmtKind::Decl { .. } | StmtKind::Empty => Escape::default(),
        })
    }

    /// Whether `e` calls a user function declared `void`: the one kind of
    /// expression without a value whose type is known before it runs
    /// (whitelisted `void` methods are not told apart here).
    fn calls_void_function(&self, e: &Expr) -> bool {
        matches!(&e.kind, ExprKind::LocalCall { func, .. }
            if self.program.functions.get(*func as usize).is_some_and(Function::is_void))
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
        let e = self.body(body, Tail::No)?;
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

/// What Painless names an expression whose value a statement discards;
/// `None` for expressions that are statements (assignments, `++`/`--`,
/// calls, `new`).
fn unused_result(e: &Expr) -> Option<String> {
    let op = |name: &str, symbol: &str| Some(format!("{name} operation [{symbol}]"));
    match &e.kind {
        ExprKind::Assign { .. }
        | ExprKind::IncDec { .. }
        | ExprKind::Call { .. }
        | ExprKind::StaticCall { .. }
        | ExprKind::LocalCall { .. }
        | ExprKind::New { .. } => None,
        ExprKind::Binary { op: bin, .. } => {
            use crate::ast::BinOp::*;
            let name = match bin {
                Mul => "multiplication",
                Div => "division",
                Rem => "remainder",
                Add => "addition",
                Sub => "subtraction",
                Find => "find",
                Match => "match",
                Shl => "left shift",
                Shr => "right shift",
                UShr => "unsigned shift",
                BitAnd => "bitwise and",
                Xor => "bitwise xor",
                BitOr => "boolean or",
                Lt => "less than",
                Le => "less than or equals",
                Gt => "greater than",
                Ge => "greater than or equals",
                Eq => "equals",
                RefEq => "reference equals",
                Ne => "not equals",
                RefNe => "reference not equals",
            };
            op(name, bin.symbol())
        }
        ExprKind::And(..) => op("boolean and", "&&"),
        ExprKind::Or(..) => op("boolean or", "||"),
        ExprKind::Unary { op: u, .. } => match u {
            crate::ast::UnaryOp::Not => op("boolean not", "!"),
            crate::ast::UnaryOp::BitNot => op("bitwise not", "~"),
            crate::ast::UnaryOp::Neg => op("subtraction", "-"),
            crate::ast::UnaryOp::Plus => op("addition", "+"),
        },
        ExprKind::Conditional(..) => Some("conditional operation [?:]".to_owned()),
        ExprKind::Elvis(..) => Some("elvis operation [?:]".to_owned()),
        ExprKind::Map(_) => Some("map initializer".to_owned()),
        ExprKind::List(_) => Some("list initializer".to_owned()),
        ExprKind::NewArray { .. } => Some("new array".to_owned()),
        ExprKind::Cast(ty, _) => Some(format!(
            "explicit cast with target type [{}]",
            ty.base.painless_name()
        )),
        ExprKind::Instanceof(..) => Some("instanceof with target type".to_owned()),
        ExprKind::Local(..) => Some("variable".to_owned()),
        ExprKind::Field { name, .. } => Some(format!("dot operator [{name}]")),
        ExprKind::Index { .. } => Some("brace operator".to_owned()),
        ExprKind::Lambda(_) => Some("lambda".to_owned()),
        ExprKind::FuncRef(_) => Some("function reference".to_owned()),
        _ => Some("constant".to_owned()),
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

    /// Painless's "last source": a non-void function's final expression
    /// (through blocks, `if`/`else` and `try`/`catch`, not loops) is its
    /// return, and needs no `return`; a void function's is a statement
    /// like any other, and a call of a void function has no value.
    #[test]
    fn a_final_expression_returns_from_a_non_void_function() {
        assert_eq!(message("int f(int x) { x * 2 } f(1)"), "");
        assert_eq!(message("def f(Map m) { m.a = 1 } f(ctx)"), "");
        assert_eq!(
            message("int f(int x) { if (x > 0) { 1 } else { 2 } } f(1)"),
            ""
        );
        assert_eq!(
            message("int f(int x) { while (x > 0) { x-- } } f(1)"),
            "invalid function definition: not all paths provide a return value for function [f] with [1] parameters"
        );
        assert_eq!(
            message("void g(Map m) { m.x = 1 } def f(Map m) { g(m) } f(ctx)"),
            "invalid function definition: not all paths provide a return value for function [f] with [1] parameters"
        );
        assert_eq!(
            message("void f(int x) { x * 2 } f(1)"),
            "not a statement: result not used from multiplication operation [*]"
        );
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
    fn discarded_results_are_not_statements() {
        assert_eq!(
            message("ctx.a == 1; ctx.b = 2"),
            "not a statement: result not used from equals operation [==]"
        );
        // A final expression is the script's value (conditions use it).
        assert_eq!(message("ctx.b = 2; ctx.a == 1"), "");
        let tail =
            crate::parser::parse_program("ctx.a + 1").map(|p| p.unused_tail.map(|e| e.message));
        assert_eq!(
            tail.ok().flatten().as_deref(),
            Some("not a statement: result not used from addition operation [+]")
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
