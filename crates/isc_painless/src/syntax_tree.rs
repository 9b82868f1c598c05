//! Prints a compiled script as an indented S-expression tree: the shape
//! snapshot tests pin down (precedence, resolution of names to slots,
//! static calls, lambdas).

use std::fmt::Write;

use crate::ast::{ArrayInit, Expr, ExprKind, FuncRef, LambdaBody, Program, Stmt, StmtKind};
use crate::types::Ty;

/// The tree of `program`, one node per line.
pub(crate) fn print(program: &Program) -> String {
    let mut p = Printer {
        out: String::new(),
        program,
    };
    for f in &program.functions {
        let params: Vec<String> = f
            .params
            .iter()
            .map(|(ty, name)| format!("{} {name}", ty_name(*ty)))
            .collect();
        p.line(
            0,
            &format!(
                "fn {} {}({})",
                ty_name(f.return_type),
                f.name,
                params.join(", ")
            ),
        );
        for s in &f.body {
            p.stmt(1, s);
        }
    }
    for s in &program.body {
        p.stmt(0, s);
    }
    p.out
}

fn ty_name(ty: Ty) -> String {
    format!(
        "{}{}",
        ty.base.painless_name(),
        "[]".repeat(usize::from(ty.dims))
    )
}

struct Printer<'p> {
    out: String,
    program: &'p Program,
}

impl Printer<'_> {
    fn line(&mut self, depth: usize, text: &str) {
        let _ = writeln!(self.out, "{}{text}", "  ".repeat(depth));
    }

    fn block(&mut self, depth: usize, label: &str, stmts: &[Stmt]) {
        self.line(depth, label);
        for s in stmts {
            self.stmt(depth + 1, s);
        }
    }

    fn stmt(&mut self, d: usize, s: &Stmt) {
        match &s.kind {
            StmtKind::Decl { ty, vars } => {
                for v in vars {
                    self.line(d, &format!("decl {} {} @{}", ty_name(*ty), v.name, v.slot));
                    if let Some(init) = &v.init {
                        self.expr(d + 1, init);
                    }
                }
            }
            StmtKind::Expr(e) => self.expr(d, e),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                self.line(d, "if");
                self.expr(d + 1, cond);
                self.line(d, "then");
                self.stmt(d + 1, then);
                if let Some(o) = otherwise {
                    self.line(d, "else");
                    self.stmt(d + 1, o);
                }
            }
            StmtKind::While { cond, body } => {
                self.line(d, "while");
                self.expr(d + 1, cond);
                self.stmt(d + 1, body);
            }
            StmtKind::DoWhile { body, cond } => {
                self.line(d, "do");
                self.stmt(d + 1, body);
                self.line(d, "while");
                self.expr(d + 1, cond);
            }
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                self.line(d, "for");
                if let Some(i) = init {
                    self.stmt(d + 1, i);
                }
                if let Some(c) = cond {
                    self.expr(d + 1, c);
                }
                if let Some(u) = update {
                    self.expr(d + 1, u);
                }
                self.stmt(d + 1, body);
            }
            StmtKind::ForEach {
                ty,
                name,
                slot,
                iterable,
                body,
            } => {
                self.line(d, &format!("for-each {} {name} @{slot}", ty_name(*ty)));
                self.expr(d + 1, iterable);
                self.stmt(d + 1, body);
            }
            StmtKind::Block(stmts) => self.block(d, "block", stmts),
            StmtKind::Break => self.line(d, "break"),
            StmtKind::Continue => self.line(d, "continue"),
            StmtKind::Return(e) => {
                self.line(d, "return");
                if let Some(e) = e {
                    self.expr(d + 1, e);
                }
            }
            StmtKind::Throw(e) => {
                self.line(d, "throw");
                self.expr(d + 1, e);
            }
            StmtKind::Try { body, catches } => {
                self.block(d, "try", body);
                for c in catches {
                    self.block(
                        d,
                        &format!("catch {} {} @{}", c.kind.java_name(), c.name, c.slot),
                        &c.body,
                    );
                }
            }
            StmtKind::Empty => self.line(d, "empty"),
        }
    }

    fn expr(&mut self, d: usize, e: &Expr) {
        match &e.kind {
            ExprKind::Null => self.line(d, "null"),
            ExprKind::Bool(b) => self.line(d, &b.to_string()),
            ExprKind::Int(i) => self.line(d, &format!("int {i}")),
            ExprKind::Long(l) => self.line(d, &format!("long {l}")),
            ExprKind::Float(f) => self.line(d, &format!("float {f:?}")),
            ExprKind::Double(v) => self.line(d, &format!("double {v:?}")),
            ExprKind::Str(s) => self.line(d, &format!("string {s:?}")),
            ExprKind::Regex(r) => self.line(d, &format!("regex {r:?}")),
            ExprKind::Local(slot, ty) => self.line(d, &format!("local @{slot} {}", ty_name(*ty))),
            ExprKind::Field {
                target,
                name,
                null_safe,
            } => {
                self.line(d, &format!("{}{name}", if *null_safe { "?." } else { "." }));
                self.expr(d + 1, target);
            }
            ExprKind::Index { target, index } => {
                self.line(d, "index");
                self.expr(d + 1, target);
                self.expr(d + 1, index);
            }
            ExprKind::Call {
                target,
                name,
                args,
                null_safe,
                ..
            } => {
                self.line(
                    d,
                    &format!("call {}{name}", if *null_safe { "?." } else { "." }),
                );
                self.expr(d + 1, target);
                for a in args {
                    self.expr(d + 1, a);
                }
            }
            ExprKind::StaticCall { name, args, .. } => {
                self.line(d, &format!("static {name}"));
                for a in args {
                    self.expr(d + 1, a);
                }
            }
            ExprKind::LocalCall { func, args } => {
                let name = self
                    .program
                    .functions
                    .get(*func as usize)
                    .map_or("?", |f| f.name.as_str())
                    .to_owned();
                self.line(d, &format!("call-function {name}"));
                for a in args {
                    self.expr(d + 1, a);
                }
            }
            ExprKind::New { args, .. } => {
                self.line(d, "new");
                for a in args {
                    self.expr(d + 1, a);
                }
            }
            ExprKind::NewArray { ty, init } => {
                self.line(d, &format!("new-array {}", ty_name(*ty)));
                match init {
                    ArrayInit::Size(n) => self.expr(d + 1, n),
                    ArrayInit::Values(vs) => {
                        for v in vs {
                            self.expr(d + 1, v);
                        }
                    }
                }
            }
            ExprKind::List(items) => {
                self.line(d, "list");
                for i in items {
                    self.expr(d + 1, i);
                }
            }
            ExprKind::Map(entries) => {
                self.line(d, "map");
                for (k, v) in entries {
                    self.expr(d + 1, k);
                    self.expr(d + 2, v);
                }
            }
            ExprKind::Unary { op, operand } => {
                self.line(d, &format!("{op:?}").to_lowercase());
                self.expr(d + 1, operand);
            }
            ExprKind::Binary { op, left, right } => {
                self.line(d, op.symbol());
                self.expr(d + 1, left);
                self.expr(d + 1, right);
            }
            ExprKind::And(a, b) => {
                self.line(d, "&&");
                self.expr(d + 1, a);
                self.expr(d + 1, b);
            }
            ExprKind::Or(a, b) => {
                self.line(d, "||");
                self.expr(d + 1, a);
                self.expr(d + 1, b);
            }
            ExprKind::Instanceof(x, ty) => {
                self.line(d, &format!("instanceof {}", ty_name(*ty)));
                self.expr(d + 1, x);
            }
            ExprKind::Cast(ty, x) => {
                self.line(d, &format!("cast {}", ty_name(*ty)));
                self.expr(d + 1, x);
            }
            ExprKind::Conditional(c, a, b) => {
                self.line(d, "?:");
                self.expr(d + 1, c);
                self.expr(d + 1, a);
                self.expr(d + 1, b);
            }
            ExprKind::Elvis(a, b) => {
                self.line(d, "elvis");
                self.expr(d + 1, a);
                self.expr(d + 1, b);
            }
            ExprKind::Assign { target, op, value } => {
                let sym = op.map_or("=".to_owned(), |o| format!("{}=", o.symbol()));
                self.line(d, &sym);
                self.expr(d + 1, target);
                self.expr(d + 1, value);
            }
            ExprKind::IncDec {
                target,
                increment,
                prefix,
            } => {
                let op = if *increment { "++" } else { "--" };
                let label = if *prefix {
                    format!("pre{op}")
                } else {
                    format!("post{op}")
                };
                self.line(d, &label);
                self.expr(d + 1, target);
            }
            ExprKind::Lambda(i) => {
                let program = self.program;
                let Some(l) = program.lambdas.get(*i as usize) else {
                    return;
                };
                let params: Vec<&str> = l.params.iter().map(|(_, n)| n.as_str()).collect();
                let captures: Vec<String> = l
                    .captures
                    .iter()
                    .map(|(o, i)| format!("@{o}->@{i}"))
                    .collect();
                self.line(
                    d,
                    &format!(
                        "lambda ({}) captures [{}]",
                        params.join(", "),
                        captures.join(", ")
                    ),
                );
                match &l.body {
                    LambdaBody::Expr(e) => self.expr(d + 1, e),
                    LambdaBody::Block(stmts) => {
                        for s in stmts {
                            self.stmt(d + 1, s);
                        }
                    }
                }
            }
            ExprKind::FuncRef(r) => {
                let text = match r {
                    FuncRef::Instance { name, .. } => format!("method-ref ::{name}"),
                    FuncRef::Static { .. } => "static-method-ref".to_owned(),
                    FuncRef::Local(i) => format!("function-ref #{i}"),
                    FuncRef::New(_) => "constructor-ref".to_owned(),
                    FuncRef::Bound { name, .. } => format!("bound-method-ref ::{name}"),
                };
                self.line(d, &text);
                if let FuncRef::Bound { receiver, .. } = r {
                    self.expr(d + 1, receiver);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parser::parse_program;

    fn tree(src: &str) -> String {
        super::print(&parse_program(src).unwrap())
    }

    #[test]
    fn multiplication_binds_tighter_than_addition() {
        insta::assert_snapshot!(tree("1 + 2 * 3"), @r"
        +
          int 1
          *
            int 2
            int 3
        ");
    }

    #[test]
    fn elvis_is_right_associative_and_loosest() {
        insta::assert_snapshot!(tree("ctx.a ?: ctx.b ?: 1 + 1"), @r"
        elvis
          .a
            local @0 Map
          elvis
            .b
              local @0 Map
            +
              int 1
              int 1
        ");
    }

    #[test]
    fn lambdas_capture_outer_locals_into_their_own_slots() {
        insta::assert_snapshot!(tree("def p = 'x'; ctx.l.removeIf(v -> v == p)"), @r#"
        decl def p @2
          string "x"
        call .removeIf
          .l
            local @0 Map
          lambda (v) captures [@2->@1]
            ==
              local @0 def
              local @1 def
        "#);
    }

    #[test]
    fn logical_operators_nest_by_precedence() {
        insta::assert_snapshot!(tree("!ctx.a || ctx.b && ctx.c == 1"), @r"
        ||
          not
            .a
              local @0 Map
          &&
            .b
              local @0 Map
            ==
              .c
                local @0 Map
              int 1
        ");
    }
}
