//! The tree-walking interpreter over the resolved syntax tree.

pub(crate) mod ops;

use std::rc::Rc;

use crate::ast::{
    ArrayInit, BinOp, Expr, ExprKind, FuncRef, LambdaBody, Program, Stmt, StmtKind, UnaryOp,
};
use crate::error::ExceptionKind;
use crate::stdlib::{self, collections};
use crate::types::Ty;
use crate::value::{FuncObj, MapObj, Str, Val};

/// Elasticsearch's `painless.max_loop_counter` default.
pub(crate) const MAX_LOOP_COUNTER: i64 = 1_000_000;
/// Largest string (in bytes) or collection a script may build before it
/// fails with `OutOfMemoryError`, standing in for Java's heap limit.
pub(crate) const MAX_VALUE_SIZE: usize = 64 * 1024 * 1024;

/// Most elements an array or list may have before the script fails with
/// `OutOfMemoryError` (each costs a few dozen bytes here).
pub(crate) const MAX_ELEMENTS: usize = MAX_VALUE_SIZE / 64;

/// The error a script gets when a value outgrows [`MAX_VALUE_SIZE`].
pub(crate) fn out_of_memory() -> Thrown {
    Thrown::new(ExceptionKind::OutOfMemory, "Java heap space".to_owned())
}

/// Deepest user-function recursion before a `StackOverflowError`.
const MAX_CALL_DEPTH: u32 = 64;

/// A Java exception in flight: kind, message, and the offset of the node
/// that raised it (filled by the innermost node that knows its position).
/// Boxed, so a result carrying it is no larger than the value it carries
/// otherwise: every `eval` returns one.
#[derive(Debug, Clone)]
pub(crate) struct Thrown(Box<ThrownData>);

/// What a [`Thrown`] carries.
#[derive(Debug, Clone)]
pub(crate) struct ThrownData {
    pub(crate) kind: ExceptionKind,
    pub(crate) message: String,
    pub(crate) loc: Option<u32>,
}

impl std::ops::Deref for Thrown {
    type Target = ThrownData;

    fn deref(&self) -> &ThrownData {
        &self.0
    }
}

impl std::ops::DerefMut for Thrown {
    fn deref_mut(&mut self) -> &mut ThrownData {
        &mut self.0
    }
}

impl Thrown {
    pub(crate) fn new(kind: ExceptionKind, message: String) -> Thrown {
        Thrown(Box::new(ThrownData {
            kind,
            message,
            loc: None,
        }))
    }

    /// The `NullPointerException` of a method call or field access on null.
    pub(crate) fn null_def_reference(name: &str) -> Thrown {
        Thrown::new(
            ExceptionKind::NullPointer,
            format!("cannot access method/field [{name}] from a null def reference"),
        )
    }

    fn at(mut self, loc: u32) -> Thrown {
        if self.loc.is_none() {
            self.loc = Some(loc);
        }
        self
    }
}

pub(crate) type R<T> = Result<T, Thrown>;

/// How a statement finished.
pub(crate) enum Flow<'a> {
    Normal,
    Break,
    Continue,
    Return(Val<'a>),
}

/// State of one script run.
pub(crate) struct Runtime<'a> {
    pub(crate) program: &'a Program,
    loop_budget: i64,
    depth: u32,
    /// Frames of finished calls, kept for the next call to reuse.
    spare_frames: Vec<Vec<Val<'a>>>,
    /// Argument buffers of finished method calls, kept for the next call.
    spare_args: Vec<Vec<Val<'a>>>,
    /// Checks on writes to `ctx`'s top-level keys, when the caller has rules.
    pub(crate) guard: Option<crate::ctx_guard::Guard<'a>>,
}

impl<'a> Runtime<'a> {
    pub(crate) fn new(program: &'a Program) -> Runtime<'a> {
        Runtime {
            program,
            loop_budget: MAX_LOOP_COUNTER,
            depth: 0,
            spare_frames: Vec::new(),
            spare_args: Vec::new(),
            guard: None,
        }
    }

    /// A frame of `slots` nulls for a function or lambda call.
    fn frame(&mut self, slots: usize) -> Vec<Val<'a>> {
        let mut frame = self.spare_frames.pop().unwrap_or_default();
        frame.resize(slots, Val::Null);
        frame
    }

    /// Returns a finished call's frame (its locals drop now).
    fn release_frame(&mut self, mut frame: Vec<Val<'a>>) {
        frame.clear();
        self.spare_frames.push(frame);
    }

    /// Runs the main body; returns the script's value (explicit `return`
    /// or the last expression statement).
    pub(crate) fn run_main(&mut self, locals: &mut [Val<'a>]) -> R<Option<Val<'a>>> {
        let program = self.program;
        match self.exec_block_tail(&program.body, locals)? {
            Flow::Return(v) => Ok(Some(v)),
            _ => Ok(None),
        }
    }

    /// Runs a block whose last statement is in tail position of the main
    /// body: Painless returns the value of a final expression statement,
    /// also inside final `if`/`else` branches, blocks and `try`/`catch`.
    fn exec_block_tail(&mut self, stmts: &'a [Stmt], locals: &mut [Val<'a>]) -> R<Flow<'a>> {
        let Some((last, init)) = stmts.split_last() else {
            return Ok(Flow::Normal);
        };
        for s in init {
            match self.exec(s, locals)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        self.exec_tail(last, locals)
    }

    fn exec_tail(&mut self, stmt: &'a Stmt, locals: &mut [Val<'a>]) -> R<Flow<'a>> {
        match &stmt.kind {
            StmtKind::Expr(e) => Ok(Flow::Return(self.eval(e, locals)?)),
            StmtKind::Block(stmts) => self.exec_block_tail(stmts, locals),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                if self.cond(cond, locals)? {
                    self.exec_tail(then, locals)
                } else if let Some(o) = otherwise {
                    self.exec_tail(o, locals)
                } else {
                    Ok(Flow::Normal)
                }
            }
            StmtKind::Try { body, catches } => match self.exec_block_tail(body, locals) {
                Ok(flow) => Ok(flow),
                Err(t) => match catches.iter().find(|c| t.kind.caught_by(c.kind)) {
                    Some(c) => {
                        set_slot(
                            locals,
                            c.slot,
                            Val::Exception(Rc::new((t.kind, t.message.clone()))),
                        );
                        self.exec_block_tail(&c.body, locals)
                    }
                    None => Err(t),
                },
            },
            _ => self.exec(stmt, locals),
        }
    }

    fn tick(&mut self, loc: u32) -> R<()> {
        self.loop_budget -= 1;
        if self.loop_budget <= 0 {
            return Err(Thrown::new(
                ExceptionKind::PainlessError,
                "The maximum number of statements that can be executed in a loop has been reached."
                    .to_owned(),
            )
            .at(loc));
        }
        Ok(())
    }

    fn exec_block(&mut self, stmts: &'a [Stmt], locals: &mut [Val<'a>]) -> R<Flow<'a>> {
        for s in stmts {
            match self.exec(s, locals)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// A condition's truth. Operators whose value is always a boolean
    /// (`&&`, `||`, `instanceof`, `== null`, `!` of those) are decided here
    /// without building a value; anything else is evaluated and must be a
    /// boolean.
    fn cond(&mut self, e: &'a Expr, locals: &mut [Val<'a>]) -> R<bool> {
        match &e.kind {
            ExprKind::And(a, b) => Ok(self.cond(a, locals)? && self.cond(b, locals)?),
            ExprKind::Or(a, b) => Ok(self.cond(a, locals)? || self.cond(b, locals)?),
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => {
                if always_boolean(&operand.kind) {
                    return Ok(!self.cond(operand, locals)?);
                }
                // As `eval` then `to_bool` would: the operand's own errors
                // as they are, a non-boolean refused at the `!`.
                match self.eval(operand, locals)? {
                    Val::Bool(b) => Ok(!b),
                    other => ops::to_bool(&other).map_err(|t| t.at(e.loc)),
                }
            }
            ExprKind::Instanceof(x, ty) => Ok(match &x.kind {
                ExprKind::Local(slot, _) => locals
                    .get(*slot as usize)
                    .is_some_and(|v| ops::instance_of(v, *ty)),
                _ => ops::instance_of(&self.eval(x, locals)?, *ty),
            }),
            ExprKind::Binary {
                op: op @ (BinOp::Eq | BinOp::Ne),
                left,
                right,
            } if matches!(right.kind, ExprKind::Null) => {
                Ok(self.is_null(left, locals)? == (*op == BinOp::Eq))
            }
            ExprKind::Binary { op, left, right } => {
                match self.binary_in_place(*op, left, right, locals) {
                    Some(Ok(Val::Bool(b))) => Ok(b),
                    Some(Ok(v)) => ops::to_bool(&v).map_err(|t| t.at(e.loc)),
                    Some(Err(t)) => Err(t.at(e.loc)),
                    None => {
                        let v = self.eval(e, locals)?;
                        ops::to_bool(&v).map_err(|t| t.at(e.loc))
                    }
                }
            }
            _ => {
                let v = self.eval(e, locals)?;
                ops::to_bool(&v).map_err(|t| t.at(e.loc))
            }
        }
    }

    fn exec(&mut self, stmt: &'a Stmt, locals: &mut [Val<'a>]) -> R<Flow<'a>> {
        match &stmt.kind {
            StmtKind::Expr(e) => self.exec_effect(e, locals)?,
            StmtKind::Decl { ty, vars } => {
                for var in vars {
                    let v = match &var.init {
                        Some(init) => {
                            let v = self.eval(init, locals)?;
                            ops::convert(v, *ty, false).map_err(|t| t.at(init.loc))?
                        }
                        None => default_value(*ty),
                    };
                    set_slot(locals, var.slot, v);
                }
            }
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                if self.cond(cond, locals)? {
                    return self.exec(then, locals);
                } else if let Some(o) = otherwise {
                    return self.exec(o, locals);
                }
            }
            StmtKind::While { cond, body } => {
                while self.cond(cond, locals)? {
                    self.tick(stmt.range.start)?;
                    match self.exec(body, locals)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            StmtKind::DoWhile { body, cond } => loop {
                self.tick(stmt.range.start)?;
                match self.exec(body, locals)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => {}
                }
                if !self.cond(cond, locals)? {
                    break;
                }
            },
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                if let Some(init) = init {
                    self.exec(init, locals)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.cond(c, locals)? {
                            break;
                        }
                    }
                    self.tick(stmt.range.start)?;
                    match self.exec(body, locals)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if let Some(u) = update {
                        self.exec_effect(u, locals)?;
                    }
                }
            }
            StmtKind::ForEach {
                ty,
                slot,
                iterable,
                body,
                ..
            } => {
                let source = self.eval(iterable, locals)?;
                let mut iter = collections::iterate(&source).map_err(|t| t.at(iterable.loc))?;
                while let Some(item) = iter.next_item().map_err(|t| t.at(iterable.loc))? {
                    self.tick(stmt.range.start)?;
                    let item = ops::convert(item, *ty, false).map_err(|t| t.at(iterable.loc))?;
                    set_slot(locals, *slot, item);
                    match self.exec(body, locals)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            StmtKind::Block(stmts) => return self.exec_block(stmts, locals),
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e, locals)?,
                    None => Val::Null,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Throw(e) => {
                let v = self.eval(e, locals)?;
                return Err(match &v {
                    Val::Exception(x) => Thrown::new(x.0, x.1.clone()).at(stmt.range.start),
                    Val::Null => Thrown::new(
                        ExceptionKind::NullPointer,
                        "Cannot throw exception because \"<local>\" is null".to_owned(),
                    )
                    .at(stmt.range.start),
                    other => Thrown::new(
                        ExceptionKind::ClassCast,
                        format!("Cannot cast {} to java.lang.Throwable", other.class_name()),
                    )
                    .at(stmt.range.start),
                });
            }
            StmtKind::Try { body, catches } => match self.exec_block(body, locals) {
                Ok(flow) => return Ok(flow),
                Err(t) => {
                    for c in catches {
                        if t.kind.caught_by(c.kind) {
                            set_slot(
                                locals,
                                c.slot,
                                Val::Exception(Rc::new((t.kind, t.message.clone()))),
                            );
                            return self.exec_block(&c.body, locals);
                        }
                    }
                    return Err(t);
                }
            },
            StmtKind::Empty => {}
        }
        Ok(Flow::Normal)
    }

    /// Evaluates an expression.
    pub(crate) fn eval(&mut self, e: &'a Expr, locals: &mut [Val<'a>]) -> R<Val<'a>> {
        match &e.kind {
            ExprKind::Null => Ok(Val::Null),
            ExprKind::Bool(b) => Ok(Val::Bool(*b)),
            ExprKind::Int(i) => Ok(Val::Int(*i)),
            ExprKind::Long(l) => Ok(Val::Long(*l)),
            ExprKind::Float(f) => Ok(Val::Float(*f)),
            ExprKind::Double(d) => Ok(Val::Double(*d)),
            ExprKind::Str(s) => Ok(Val::Str(Str::Borrowed(s))),
            ExprKind::Regex(r) => Ok(Val::Pattern(r.clone())),
            ExprKind::Local(slot, _) => Ok(locals.get(*slot as usize).cloned().unwrap_or_default()),
            ExprKind::Field {
                target,
                name,
                null_safe,
            } => {
                if let ExprKind::Local(slot, _) = &target.kind {
                    // A local receiver is read where it is.
                    let null = Val::Null;
                    let t = locals.get(*slot as usize).unwrap_or(&null);
                    if t.is_null() && *null_safe {
                        return Ok(Val::Null);
                    }
                    return collections::get_field(self, t, name).map_err(|x| x.at(e.loc));
                }
                let t = self.eval(target, locals)?;
                if t.is_null() && *null_safe {
                    return Ok(Val::Null);
                }
                collections::get_field(self, &t, name).map_err(|x| x.at(e.loc))
            }
            ExprKind::Index { target, index } => {
                if let ExprKind::Local(slot, _) = &target.kind
                    && !has_effects(&index.kind)
                {
                    // A local indexed by what cannot change it: both read
                    // where they are when the index is a local too.
                    let null = Val::Null;
                    let t = locals.get(*slot as usize).unwrap_or(&null);
                    return match &index.kind {
                        ExprKind::Local(i, _) => {
                            collections::get_index(t, locals.get(*i as usize).unwrap_or(&null))
                        }
                        _ => {
                            let i = literal_value_of(&index.kind);
                            collections::get_index(t, &i)
                        }
                    }
                    .map_err(|x| x.at(e.loc));
                }
                let t = self.eval(target, locals)?;
                let i = self.eval(index, locals)?;
                collections::get_index(&t, &i).map_err(|x| x.at(e.loc))
            }
            ExprKind::Call {
                target,
                name,
                args,
                null_safe,
                candidates,
            } => {
                if let (ExprKind::List(items), [arg]) = (&target.kind, args.as_slice()) {
                    if &**name == "contains" && items.iter().all(|i| is_literal(&i.kind)) {
                        return self.literal_list_contains(items, arg, locals);
                    }
                }
                if let ExprKind::Local(slot, _) = &target.kind
                    && args.iter().all(|a| !has_effects(&a.kind))
                {
                    // Arguments that are locals or literals cannot change
                    // the receiver (and a method cannot reach this frame's
                    // locals): it is used where it is.
                    let null = Val::Null;
                    let t = locals.get(*slot as usize).unwrap_or(&null);
                    if t.is_null() {
                        if *null_safe {
                            return Ok(Val::Null);
                        }
                        return Err(Thrown::null_def_reference(name).at(e.loc));
                    }
                    if args.is_empty() {
                        // An empty Vec allocates nothing; a pooled buffer
                        // would cost its take and return.
                        return stdlib::call_method(self, t, name, candidates, &mut Vec::new())
                            .map_err(|x| x.at(e.loc));
                    }
                    let mut buf = self.spare_args.pop().unwrap_or_default();
                    buf.extend(args.iter().map(|a| match &a.kind {
                        ExprKind::Local(i, _) => {
                            locals.get(*i as usize).cloned().unwrap_or_default()
                        }
                        other => literal_value_of(other),
                    }));
                    let result = stdlib::call_method(self, t, name, candidates, &mut buf)
                        .map_err(|x| x.at(e.loc));
                    buf.clear();
                    self.spare_args.push(buf);
                    return result;
                }
                let t = self.eval(target, locals)?;
                if t.is_null() {
                    if *null_safe {
                        return Ok(Val::Null);
                    }
                    return Err(Thrown::null_def_reference(name).at(e.loc));
                }
                if args.is_empty() {
                    return stdlib::call_method(self, &t, name, candidates, &mut Vec::new())
                        .map_err(|x| x.at(e.loc));
                }
                // The arguments go into a spare buffer, kept for the next call.
                let mut buf = self.spare_args.pop().unwrap_or_default();
                let mut result = Ok(());
                for a in args {
                    match self.eval(a, locals) {
                        Ok(v) => buf.push(v),
                        Err(x) => {
                            result = Err(x);
                            break;
                        }
                    }
                }
                let result = result.and_then(|()| {
                    stdlib::call_method(self, &t, name, candidates, &mut buf)
                        .map_err(|x| x.at(e.loc))
                });
                buf.clear();
                self.spare_args.push(buf);
                result
            }
            ExprKind::StaticCall { f, args, .. } => {
                let args = self.eval_args(args, locals)?;
                stdlib::within_heap(f(self, args)).map_err(|x| x.at(e.loc))
            }
            ExprKind::LocalCall { func, args } => self
                .call_function_with(*func, args, locals)
                .map_err(|x| x.at(e.loc)),
            ExprKind::New { ctor, args } => {
                let args = self.eval_args(args, locals)?;
                ctor(self, args).map_err(|x| x.at(e.loc))
            }
            ExprKind::NewArray { ty, init } => {
                let elem = Ty {
                    base: ty.base,
                    dims: ty.dims.saturating_sub(1),
                };
                let items = match init {
                    ArrayInit::Size(n) => {
                        let n = self.eval(n, locals)?;
                        let n = match ops::num(&n) {
                            Some(ops::Num::I(i)) => i,
                            _ => {
                                return Err(Thrown::new(
                                    ExceptionKind::ClassCast,
                                    format!(
                                        "cannot implicitly cast def [{}] to int",
                                        n.unboxed_name()
                                    ),
                                )
                                .at(e.loc));
                            }
                        };
                        if n < 0 {
                            return Err(Thrown::new(
                                ExceptionKind::NegativeArraySize,
                                format!("{n}"),
                            )
                            .at(e.loc));
                        }
                        if n as usize > MAX_ELEMENTS {
                            return Err(out_of_memory().at(e.loc));
                        }
                        vec![default_value(elem); n as usize]
                    }
                    ArrayInit::Values(values) => {
                        let mut items = Vec::with_capacity(values.len());
                        for v in values {
                            let x = self.eval(v, locals)?;
                            items.push(ops::convert(x, elem, false).map_err(|t| t.at(v.loc))?);
                        }
                        items
                    }
                };
                let base = if ty.dims > 1 {
                    crate::types::Base::Object
                } else {
                    ty.base
                };
                Ok(Val::Array(crate::shared::Shared::new(items), base))
            }
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i, locals)?);
                }
                Ok(Val::new_list(out))
            }
            ExprKind::Map(entries) => {
                let mut m = MapObj::new();
                for (k, v) in entries {
                    let key = self.eval(k, locals)?;
                    let value = self.eval(v, locals)?;
                    let key = collections::key_of(&key).map_err(|t| t.at(k.loc))?;
                    m.insert(key, value);
                }
                Ok(Val::new_map(m))
            }
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand, locals)?;
                ops::unary(*op, &v).map_err(|t| t.at(e.loc))
            }
            ExprKind::Binary {
                op: op @ (BinOp::Eq | BinOp::Ne),
                left,
                right,
            } if matches!(right.kind, ExprKind::Null) => {
                // `x == null` / `x != null`: only whether `x` is null counts.
                let is_null = self.is_null(left, locals)?;
                Ok(Val::Bool(is_null == (*op == BinOp::Eq)))
            }
            ExprKind::Binary { op, left, right } => {
                if let Some(v) = self.binary_in_place(*op, left, right, locals) {
                    return v.map_err(|t| t.at(e.loc));
                }
                let l = self.eval(left, locals)?;
                let r = self.eval(right, locals)?;
                match op {
                    BinOp::Find | BinOp::Match => {
                        stdlib::matcher::regex_operator(*op == BinOp::Match, &l, &r)
                            .map_err(|t| t.at(e.loc))
                    }
                    _ => ops::binary(*op, &l, &r).map_err(|t| t.at(e.loc)),
                }
            }
            ExprKind::And(a, b) => {
                if !self.cond(a, locals)? {
                    return Ok(Val::Bool(false));
                }
                Ok(Val::Bool(self.cond(b, locals)?))
            }
            ExprKind::Or(a, b) => {
                if self.cond(a, locals)? {
                    return Ok(Val::Bool(true));
                }
                Ok(Val::Bool(self.cond(b, locals)?))
            }
            ExprKind::Instanceof(x, ty) => Ok(Val::Bool(match &x.kind {
                // A local is tested where it is, without a copy.
                ExprKind::Local(slot, _) => locals
                    .get(*slot as usize)
                    .is_some_and(|v| ops::instance_of(v, *ty)),
                _ => ops::instance_of(&self.eval(x, locals)?, *ty),
            })),
            ExprKind::Cast(ty, x) => {
                let v = self.eval(x, locals)?;
                ops::convert(v, *ty, true).map_err(|t| t.at(e.loc))
            }
            ExprKind::Conditional(c, a, b) => {
                if self.cond(c, locals)? {
                    self.eval(a, locals)
                } else {
                    self.eval(b, locals)
                }
            }
            ExprKind::Elvis(a, b) => {
                let v = self.eval(a, locals)?;
                if v.is_null() {
                    self.eval(b, locals)
                } else {
                    Ok(v)
                }
            }
            ExprKind::Assign { target, op, value } => self.assign(e, target, *op, value, locals),
            ExprKind::IncDec {
                target,
                increment,
                prefix,
            } => {
                // A null-safe receiver that is null reads as null: the same
                // null operand error as a null value.
                let Some(place) = self.place(target, target.loc, locals)? else {
                    return Err(ops::null_operand(true).at(e.loc));
                };
                let old = self.load(&place, target.loc, locals)?;
                if old.is_null() {
                    return Err(ops::null_operand(true).at(e.loc));
                }
                let new = ops::step(&old, *increment).map_err(|t| t.at(e.loc))?;
                let stored = self.put(place, target.loc, new, true, locals)?;
                Ok(if *prefix { stored } else { old })
            }
            ExprKind::Lambda(index) => {
                let lambda = &self.program.lambdas[*index as usize];
                let captures = lambda
                    .captures
                    .iter()
                    .map(|(outer, _)| locals.get(*outer as usize).cloned().unwrap_or_default())
                    .collect();
                Ok(Val::Func(Rc::new(FuncObj::Lambda {
                    index: *index,
                    captures,
                })))
            }
            ExprKind::FuncRef(r) => {
                let bound = match r {
                    FuncRef::Bound { receiver, .. } => Some(self.eval(receiver, locals)?),
                    _ => None,
                };
                Ok(Val::Func(Rc::new(FuncObj::Ref(r, bound))))
            }
        }
    }

    /// Evaluates an expression whose value is unused (an expression
    /// statement, a `for` update). A local assigned or stepped takes its
    /// new value without the copy an expression's value would need.
    fn exec_effect(&mut self, e: &'a Expr, locals: &mut [Val<'a>]) -> R<()> {
        match &e.kind {
            ExprKind::Assign {
                target,
                op: None,
                value,
            } => {
                // As `assign` and `store` do (the value first, errors at the
                // target inside the assignment), without keeping a copy of
                // the value for the expression's result.
                let v = self.eval(value, locals)?;
                if let Some(place) = self
                    .place(target, target.loc, locals)
                    .map_err(|t| t.at(e.loc))?
                {
                    self.store_at(place, target.loc, v, false, locals)
                        .map_err(|t| t.at(e.loc))?;
                }
            }
            ExprKind::IncDec {
                target, increment, ..
            } => {
                let ExprKind::Local(slot, ty) = target.kind else {
                    self.eval(e, locals)?;
                    return Ok(());
                };
                let new = match locals.get(slot as usize) {
                    None | Some(Val::Null) => return Err(ops::null_operand(true).at(e.loc)),
                    Some(old) => ops::step(old, *increment).map_err(|t| t.at(e.loc))?,
                };
                let new = ops::convert(new, ty, true).map_err(|t| t.at(target.loc))?;
                set_slot(locals, slot, new);
            }
            _ => {
                self.eval(e, locals)?;
            }
        }
        Ok(())
    }

    /// `left op right` when both operands are locals or literals: they are
    /// read where they are, without copies (evaluating them has no effect,
    /// so the order cannot matter). `None` for other operands.
    fn binary_in_place(
        &self,
        op: BinOp,
        left: &'a Expr,
        right: &'a Expr,
        locals: &[Val<'a>],
    ) -> Option<R<Val<'a>>> {
        if matches!(op, BinOp::Find | BinOp::Match)
            || has_effects(&left.kind)
            || has_effects(&right.kind)
        {
            return None;
        }
        let null = Val::Null;
        let (left_literal, right_literal);
        let l = match &left.kind {
            ExprKind::Local(slot, _) => locals.get(*slot as usize).unwrap_or(&null),
            other => {
                left_literal = literal_value_of(other);
                &left_literal
            }
        };
        let r = match &right.kind {
            ExprKind::Local(slot, _) => locals.get(*slot as usize).unwrap_or(&null),
            other => {
                right_literal = literal_value_of(other);
                &right_literal
            }
        };
        Some(ops::binary(op, l, r))
    }

    /// Whether `e` evaluates to null (a local is looked at in place).
    fn is_null(&mut self, e: &'a Expr, locals: &mut [Val<'a>]) -> R<bool> {
        match &e.kind {
            ExprKind::Local(slot, _) => Ok(locals.get(*slot as usize).is_none_or(Val::is_null)),
            _ => Ok(self.eval(e, locals)?.is_null()),
        }
    }

    /// `[c1, c2, …].contains(x)` with only literals in the list: the list
    /// cannot escape, so `x` is compared with each literal as
    /// `List.contains` does (Java `equals`) without building the list. A
    /// local `x` is compared where it is.
    fn literal_list_contains(
        &mut self,
        items: &'a [Expr],
        arg: &'a Expr,
        locals: &mut [Val<'a>],
    ) -> R<Val<'a>> {
        let found = |x: &Val<'a>| items.iter().any(|i| literal_equals(&i.kind, x));
        Ok(Val::Bool(match &arg.kind {
            ExprKind::Local(slot, _) => found(locals.get(*slot as usize).unwrap_or(&Val::Null)),
            _ => found(&self.eval(arg, locals)?),
        }))
    }

    fn eval_args(&mut self, args: &'a [Expr], locals: &mut [Val<'a>]) -> R<Vec<Val<'a>>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.eval(a, locals)?);
        }
        Ok(out)
    }

    fn assign(
        &mut self,
        e: &'a Expr,
        target: &'a Expr,
        op: Option<BinOp>,
        value: &'a Expr,
        locals: &mut [Val<'a>],
    ) -> R<Val<'a>> {
        let Some(op) = op else {
            let v = self.eval(value, locals)?;
            return self
                .store(target, v, false, locals)
                .map_err(|t| t.at(e.loc));
        };
        // Compound: evaluate the target's parts once.
        let Some(place) = self.place(target, e.loc, locals)? else {
            return Ok(Val::Null);
        };
        let cur = self.load(&place, target.loc, locals)?;
        let rhs = self.eval(value, locals)?;
        let new = ops::binary(op, &cur, &rhs).map_err(|t| t.at(e.loc))?;
        self.put(place, target.loc, new, true, locals)
    }

    /// Stores into an assignable expression; `compound` stores into a
    /// typed local with an explicit (narrowing) conversion, as Java does
    /// for `i += 1.5`.
    fn store(
        &mut self,
        target: &'a Expr,
        v: Val<'a>,
        compound: bool,
        locals: &mut [Val<'a>],
    ) -> R<Val<'a>> {
        match self.place(target, target.loc, locals)? {
            Some(place) => self.put(place, target.loc, v, compound, locals),
            None => Ok(Val::Null),
        }
    }

    /// Evaluates the receiver and index of an assignable expression once, so
    /// a read-modify-write (`a[i++] += 1`, `x.n++`) runs their side effects
    /// once. `None` for a null-safe field whose receiver is null.
    fn place(
        &mut self,
        target: &'a Expr,
        loc: u32,
        locals: &mut [Val<'a>],
    ) -> R<Option<Place<'a>>> {
        Ok(Some(match &target.kind {
            ExprKind::Local(slot, ty) => Place::Local(*slot, *ty),
            ExprKind::Field {
                target: obj,
                name,
                null_safe,
            } => {
                let o = self.eval(obj, locals)?;
                if o.is_null() && *null_safe {
                    return Ok(None);
                }
                Place::Field(o, name)
            }
            ExprKind::Index { target: obj, index } => {
                let o = self.eval(obj, locals)?;
                let i = self.eval(index, locals)?;
                Place::Index(o, i)
            }
            _ => {
                return Err(Thrown::new(
                    ExceptionKind::IllegalArgument,
                    "invalid assignment".to_owned(),
                )
                .at(loc));
            }
        }))
    }

    /// The current value at a resolved place.
    fn load(&mut self, place: &Place<'a>, loc: u32, locals: &[Val<'a>]) -> R<Val<'a>> {
        match place {
            Place::Local(slot, _) => Ok(locals.get(*slot as usize).cloned().unwrap_or_default()),
            Place::Field(o, name) => collections::get_field(self, o, name).map_err(|t| t.at(loc)),
            Place::Index(o, i) => collections::get_index(o, i).map_err(|t| t.at(loc)),
        }
    }

    /// Writes `v` to a resolved place and returns the value stored.
    fn put(
        &mut self,
        place: Place<'a>,
        loc: u32,
        v: Val<'a>,
        compound: bool,
        locals: &mut [Val<'a>],
    ) -> R<Val<'a>> {
        if let Place::Local(slot, ty) = place {
            let v = ops::convert(v, ty, compound).map_err(|t| t.at(loc))?;
            set_slot(locals, slot, v.clone());
            return Ok(v);
        }
        self.store_at(place, loc, v.clone(), compound, locals)?;
        Ok(v)
    }

    /// Writes `v` to a resolved place (a local takes it converted to its
    /// type), without giving a value back.
    fn store_at(
        &mut self,
        place: Place<'a>,
        loc: u32,
        v: Val<'a>,
        compound: bool,
        locals: &mut [Val<'a>],
    ) -> R<()> {
        match place {
            Place::Local(slot, ty) => {
                let v = ops::convert(v, ty, compound).map_err(|t| t.at(loc))?;
                set_slot(locals, slot, v);
            }
            Place::Field(o, name) => {
                collections::set_field(self, &o, name, v).map_err(|t| t.at(loc))?;
            }
            Place::Index(o, i) => {
                collections::set_index(self, &o, &i, v).map_err(|t| t.at(loc))?;
            }
        }
        Ok(())
    }

    pub(crate) fn call_function(&mut self, index: u32, args: Vec<Val<'a>>) -> R<Val<'a>> {
        let program = self.program;
        let Some(f) = program.functions.get(index as usize) else {
            return Ok(Val::Null);
        };
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Thrown::new(ExceptionKind::StackOverflow, String::new()).at(f.range.start));
        }
        let mut frame = self.frame(f.slots.max(args.len() as u32) as usize);
        for (i, (arg, (ty, _))) in args.into_iter().zip(&f.params).enumerate() {
            match ops::convert(arg, *ty, false) {
                Ok(v) => frame[i] = v,
                Err(t) => {
                    self.release_frame(frame);
                    return Err(t);
                }
            }
        }
        self.run_function(f, frame)
    }

    /// Calls a user function with the values of `args`, evaluated straight
    /// into the new frame (no argument vector); the same order of effects
    /// and errors as [`Runtime::call_function`] on evaluated arguments.
    fn call_function_with(
        &mut self,
        index: u32,
        args: &'a [Expr],
        locals: &mut [Val<'a>],
    ) -> R<Val<'a>> {
        let program = self.program;
        let Some(f) = program.functions.get(index as usize) else {
            for a in args {
                self.eval(a, locals)?;
            }
            return Ok(Val::Null);
        };
        let mut frame = self.frame(f.slots.max(args.len() as u32) as usize);
        for (i, a) in args.iter().enumerate() {
            match self.eval(a, locals) {
                // Only parameters take an argument (the arity is checked
                // when the script compiles).
                Ok(v) if i < f.params.len() => frame[i] = v,
                Ok(_) => {}
                Err(t) => {
                    self.release_frame(frame);
                    return Err(t);
                }
            }
        }
        if self.depth >= MAX_CALL_DEPTH {
            self.release_frame(frame);
            return Err(Thrown::new(ExceptionKind::StackOverflow, String::new()).at(f.range.start));
        }
        for (slot, (ty, _)) in frame.iter_mut().zip(&f.params) {
            match ops::convert(std::mem::take(slot), *ty, false) {
                Ok(v) => *slot = v,
                Err(t) => {
                    self.release_frame(frame);
                    return Err(t);
                }
            }
        }
        self.run_function(f, frame)
    }

    /// Runs a user function's body in `frame` (its arguments in place).
    fn run_function(&mut self, f: &'a crate::ast::Function, mut frame: Vec<Val<'a>>) -> R<Val<'a>> {
        // Each Painless method has its own loop counter.
        let outer_budget = std::mem::replace(&mut self.loop_budget, MAX_LOOP_COUNTER);
        self.depth += 1;
        // A non-void function returns the value of a final expression, as
        // the main body does (Painless's "last source").
        let flow = if f.is_void() {
            self.exec_block(&f.body, &mut frame)
        } else {
            self.exec_block_tail(&f.body, &mut frame)
        };
        self.depth -= 1;
        self.loop_budget = outer_budget;
        self.release_frame(frame);
        let v = match flow? {
            Flow::Return(v) => v,
            _ => Val::Null,
        };
        if f.is_void() {
            return Ok(Val::Null);
        }
        ops::convert(v, f.return_type, false)
    }

    /// Calls a lambda or method reference with `args`.
    pub(crate) fn call_func(&mut self, f: &Val<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
        let Val::Func(func) = f else {
            return Err(Thrown::new(
                ExceptionKind::ClassCast,
                format!("Cannot cast {} to a functional interface", f.class_name()),
            ));
        };
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Thrown::new(ExceptionKind::StackOverflow, String::new()));
        }
        match func.as_ref() {
            FuncObj::Builtin(f) => f(self, args),
            FuncObj::Lambda { index, captures } => {
                let program = self.program;
                let lambda = &program.lambdas[*index as usize];
                let arity_error = || {
                    Thrown::new(
                        ExceptionKind::IllegalArgument,
                        format!(
                            "Incorrect number of parameters for [lambda] expected [{}] but found [{}]",
                            lambda.params.len(),
                            args.len()
                        ),
                    )
                };
                if args.len() != lambda.params.len() {
                    return Err(arity_error());
                }
                let mut frame = self.frame(lambda.slots as usize);
                for (i, (arg, (ty, _))) in args.into_iter().zip(&lambda.params).enumerate() {
                    frame[i] = ops::convert(arg, *ty, false)?;
                }
                for ((_, inner), v) in lambda.captures.iter().zip(captures) {
                    set_slot(&mut frame, *inner, v.clone());
                }
                let outer_budget = std::mem::replace(&mut self.loop_budget, MAX_LOOP_COUNTER);
                self.depth += 1;
                let result = match &lambda.body {
                    LambdaBody::Expr(e) => self.eval(e, &mut frame),
                    // A lambda is a method whose final expression is its
                    // value (a caller wanting none discards it).
                    LambdaBody::Block(stmts) => {
                        self.exec_block_tail(stmts, &mut frame).map(|f| match f {
                            Flow::Return(v) => v,
                            _ => Val::Null,
                        })
                    }
                };
                self.depth -= 1;
                self.loop_budget = outer_budget;
                self.release_frame(frame);
                result
            }
            FuncObj::Ref(r, bound) => match r {
                FuncRef::Local(i) => self.call_function(*i, args),
                FuncRef::New(ctor) => ctor(self, args),
                FuncRef::Static { by_arity } => match by_arity.get(args.len()).copied().flatten() {
                    Some(f) => stdlib::within_heap(f(self, args)),
                    None => Err(Thrown::new(
                        ExceptionKind::IllegalArgument,
                        format!(
                            "Incorrect number of parameters for method reference: [{}]",
                            args.len()
                        ),
                    )),
                },
                FuncRef::Instance { name, candidates } => {
                    let mut args = args;
                    if args.is_empty() {
                        return Err(Thrown::new(
                            ExceptionKind::IllegalArgument,
                            "Incorrect number of parameters for method reference: [0]".to_owned(),
                        ));
                    }
                    let recv = args.remove(0);
                    self.call_method_ref(&recv, name, candidates, args)
                }
                FuncRef::Bound {
                    name, candidates, ..
                } => {
                    let recv = bound.clone().unwrap_or_default();
                    self.call_method_ref(&recv, name, candidates, args)
                }
            },
        }
    }

    /// An instance method reference (`String::length`, `s::length`) called on
    /// `recv`, with the candidates for the number of arguments.
    fn call_method_ref(
        &mut self,
        recv: &Val<'a>,
        name: &str,
        candidates: &[Vec<u16>],
        mut args: Vec<Val<'a>>,
    ) -> R<Val<'a>> {
        if recv.is_null() {
            return Err(Thrown::null_def_reference(name));
        }
        let cands = candidates.get(args.len()).map_or(&[][..], Vec::as_slice);
        stdlib::call_method(self, recv, name, cands, &mut args)
    }
}

/// An assignable expression with its receiver and index already evaluated.
enum Place<'a> {
    /// A local slot and its declared type.
    Local(u32, Ty),
    /// A field (map key or object property) of a receiver.
    Field(Val<'a>, &'a str),
    /// An element of an array, list or map.
    Index(Val<'a>, Val<'a>),
}

fn set_slot<'a>(locals: &mut [Val<'a>], slot: u32, v: Val<'a>) {
    if let Some(s) = locals.get_mut(slot as usize) {
        *s = v;
    }
}

/// Whether an expression's value is a boolean whatever its operands (so
/// `!` of it cannot fail).
/// Whether evaluating `kind` might change a local or fail: false only for
/// locals and literals (see [`literal_value_of`]).
fn has_effects(kind: &ExprKind) -> bool {
    !matches!(
        kind,
        ExprKind::Local(..)
            | ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Long(_)
            | ExprKind::Str(_)
    )
}

/// The value of a literal that [`has_effects`] accepts (null otherwise).
fn literal_value_of(kind: &ExprKind) -> Val<'_> {
    match kind {
        ExprKind::Bool(b) => Val::Bool(*b),
        ExprKind::Int(i) => Val::Int(*i),
        ExprKind::Long(l) => Val::Long(*l),
        ExprKind::Str(s) => Val::Str(Str::Borrowed(s)),
        _ => Val::Null,
    }
}

fn always_boolean(kind: &ExprKind) -> bool {
    match kind {
        ExprKind::And(..) | ExprKind::Or(..) | ExprKind::Instanceof(..) => true,
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => always_boolean(&operand.kind),
        _ => false,
    }
}

/// Whether an expression is a literal `null`, boolean, number or string.
fn is_literal(kind: &ExprKind) -> bool {
    matches!(
        kind,
        ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Long(_)
            | ExprKind::Float(_)
            | ExprKind::Double(_)
            | ExprKind::Str(_)
    )
}

/// Java `Objects.equals(literal, x)` for a literal expression, compared in
/// place, as [`crate::value::java_equals`] compares the literal's value
/// (false for a non-literal).
fn literal_equals(kind: &ExprKind, x: &Val<'_>) -> bool {
    match (kind, x) {
        (ExprKind::Null, Val::Null) => true,
        (ExprKind::Bool(a), Val::Bool(b)) => a == b,
        (ExprKind::Int(a), Val::Int(b)) => a == b,
        (ExprKind::Long(a), Val::Long(b)) => a == b,
        (ExprKind::Str(a), Val::Str(b)) => **a == *b.as_str(),
        (ExprKind::Float(a), Val::Float(b)) => {
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
        }
        (ExprKind::Double(a), Val::Double(b)) => {
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
        }
        _ => false,
    }
}

/// The value a declared-but-unassigned variable holds.
fn default_value<'a>(ty: Ty) -> Val<'a> {
    use crate::types::Base as B;
    if ty.dims > 0 {
        return Val::Null;
    }
    match ty.base {
        B::Boolean => Val::Bool(false),
        B::Byte => Val::Byte(0),
        B::Short => Val::Short(0),
        B::Char => Val::Char(0),
        B::Int => Val::Int(0),
        B::Long => Val::Long(0),
        B::Float => Val::Float(0.0),
        B::Double => Val::Double(0.0),
        _ => Val::Null,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::value::java_equals;

    #[test]
    fn literal_equals_agrees_with_java_equals_on_the_literal_value() {
        let literals = [
            ExprKind::Null,
            ExprKind::Bool(true),
            ExprKind::Int(1),
            ExprKind::Long(1),
            ExprKind::Float(f32::NAN),
            ExprKind::Double(-0.0),
            ExprKind::Double(1.0),
            ExprKind::Str(Arc::from("a")),
        ];
        let values = [
            Val::Null,
            Val::Bool(true),
            Val::Bool(false),
            Val::Int(1),
            Val::Long(1),
            Val::Short(1),
            Val::Float(f32::NAN),
            Val::Double(0.0),
            Val::Double(-0.0),
            Val::Double(1.0),
            Val::str("a"),
            Val::string("a".to_owned()),
            Val::str("b"),
            Val::new_list(vec![Val::str("a")]),
        ];
        for k in &literals {
            let Some(lit) = literal_value(k) else {
                panic!("{k:?} is a literal");
            };
            assert!(is_literal(k));
            for v in &values {
                assert_eq!(literal_equals(k, v), java_equals(&lit, v), "{k:?} vs {v:?}");
            }
        }
        assert!(!is_literal(&ExprKind::List(Vec::new())));
    }

    /// The value a literal evaluates to.
    fn literal_value(kind: &ExprKind) -> Option<Val<'_>> {
        Some(match kind {
            ExprKind::Null => Val::Null,
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::Int(i) => Val::Int(*i),
            ExprKind::Long(l) => Val::Long(*l),
            ExprKind::Float(f) => Val::Float(*f),
            ExprKind::Double(d) => Val::Double(*d),
            ExprKind::Str(s) => Val::Str(Str::Borrowed(s)),
            _ => return None,
        })
    }
}
