//! The syntax tree of a Painless script, with names already resolved:
//! locals are frame slots, static calls and constructors point at their
//! implementation, instance calls carry their candidate methods.

use std::sync::Arc;

use crate::regex::CompiledRegex;
use crate::stdlib::{Constructor, StaticFn};
use crate::token::TextRange;
use crate::types::Ty;

/// A compiled script: user functions, lambdas and the main body.
#[derive(Debug)]
pub struct Program {
    /// Functions declared at the top of the script.
    pub functions: Vec<Function>,
    /// Lambda bodies, referenced by [`ExprKind::Lambda`].
    pub lambdas: Vec<Lambda>,
    /// The statements of the script.
    pub body: Vec<Stmt>,
    /// Number of local slots the main body needs (`ctx` is slot 0,
    /// `params` slot 1).
    pub slots: u32,
    /// Byte offsets where statements start, sorted: Painless's statement
    /// boundaries for the runtime script stack.
    pub statement_starts: Vec<u32>,
    /// The compile error a void script (a `script` processor) gets because
    /// its final expression's value is discarded; conditions return it.
    pub unused_tail: Option<crate::error::CompileError>,
}

/// A user function: `boolean isEmpty(def v) { … }`.
#[derive(Debug)]
pub struct Function {
    /// Its name.
    pub name: String,
    /// Declared return type.
    pub return_type: Ty,
    /// Parameters: type and slot (slots `0..params.len()`).
    pub params: Vec<(Ty, String)>,
    /// The body.
    pub body: Vec<Stmt>,
    /// Slots the body needs.
    pub slots: u32,
    /// Where the function is.
    pub range: TextRange,
}

impl Function {
    /// Declared `void`: it has no value, and a final expression is not its
    /// return.
    pub fn is_void(&self) -> bool {
        self.return_type.base == crate::types::Base::Void && self.return_type.dims == 0
    }
}

/// A lambda: parameters occupy the first slots, captured values follow.
#[derive(Debug)]
pub struct Lambda {
    /// Parameter types and names.
    pub params: Vec<(Ty, String)>,
    /// Outer slots whose values are copied in, and the inner slot of each.
    pub captures: Vec<(u32, u32)>,
    /// The body: a block, or an expression whose value is returned.
    pub body: LambdaBody,
    /// Slots the body needs.
    pub slots: u32,
}

/// The body of a lambda.
#[derive(Debug)]
pub enum LambdaBody {
    /// `x -> x + 1`.
    Expr(Box<Expr>),
    /// `x -> { … }`.
    Block(Vec<Stmt>),
}

/// A statement and its source range.
#[derive(Debug)]
pub struct Stmt {
    /// What the statement is.
    pub kind: StmtKind,
    /// Where it is.
    pub range: TextRange,
}

/// The statements Painless has.
#[derive(Debug)]
pub enum StmtKind {
    /// `int a = 1, b;`
    Decl {
        /// Declared type.
        ty: Ty,
        /// Variables: name, slot, initializer.
        vars: Vec<DeclVar>,
    },
    /// An expression evaluated for its effect.
    Expr(Expr),
    /// `if (c) … else …`
    If {
        /// Condition.
        cond: Expr,
        /// Taken branch.
        then: Box<Stmt>,
        /// `else` branch.
        otherwise: Option<Box<Stmt>>,
    },
    /// `while (c) …`
    While {
        /// Condition.
        cond: Expr,
        /// Body.
        body: Box<Stmt>,
    },
    /// `do … while (c);`
    DoWhile {
        /// Body.
        body: Box<Stmt>,
        /// Condition.
        cond: Expr,
    },
    /// `for (init; cond; update) …`
    For {
        /// Initializer.
        init: Option<Box<Stmt>>,
        /// Condition (absent means `true`).
        cond: Option<Expr>,
        /// Afterthought.
        update: Option<Expr>,
        /// Body.
        body: Box<Stmt>,
    },
    /// `for (def x : e)` and `for (x in e)`.
    ForEach {
        /// Declared type of the variable (`def` for the `in` form).
        ty: Ty,
        /// Variable name.
        name: String,
        /// Its slot.
        slot: u32,
        /// What is iterated.
        iterable: Expr,
        /// Body.
        body: Box<Stmt>,
    },
    /// `{ … }`
    Block(Vec<Stmt>),
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// `return e`
    Return(Option<Expr>),
    /// `throw e`
    Throw(Expr),
    /// `try { … } catch (T e) { … }`
    Try {
        /// Protected block.
        body: Vec<Stmt>,
        /// Handlers in order.
        catches: Vec<Catch>,
    },
    /// `;`
    Empty,
}

/// One variable of a declaration.
#[derive(Debug)]
pub struct DeclVar {
    /// Its name.
    pub name: String,
    /// Its slot.
    pub slot: u32,
    /// Initial value.
    pub init: Option<Expr>,
}

/// One `catch` clause.
#[derive(Debug)]
pub struct Catch {
    /// The exception class caught.
    pub kind: crate::error::ExceptionKind,
    /// Variable name.
    pub name: String,
    /// Its slot.
    pub slot: u32,
    /// Handler.
    pub body: Vec<Stmt>,
}

/// An expression, its source range and the offset Painless reports for
/// errors raised by it (the `.` of a call, the operator of a binary, …).
#[derive(Debug)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it is.
    pub range: TextRange,
    /// Offset of the node for error pointers.
    pub loc: u32,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Plus,
    /// `!x`
    Not,
    /// `~x`
    BitNot,
}

/// Binary operators (logical `&&`/`||` are separate nodes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BinOp {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    UShr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    RefEq,
    Ne,
    RefNe,
    BitAnd,
    Xor,
    BitOr,
    /// `=~`: the regex finds a match.
    Find,
    /// `==~`: the regex matches the whole string.
    Match,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Mul => "*",
            Div => "/",
            Rem => "%",
            Add => "+",
            Sub => "-",
            Shl => "<<",
            Shr => ">>",
            UShr => ">>>",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Eq => "==",
            RefEq => "===",
            Ne => "!=",
            RefNe => "!==",
            BitAnd => "&",
            Xor => "^",
            BitOr => "|",
            Find => "=~",
            Match => "==~",
        }
    }
}

/// Expressions, resolved.
#[derive(Debug)]
pub enum ExprKind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An `int` literal.
    Int(i32),
    /// A `long` literal.
    Long(i64),
    /// A `float` literal.
    Float(f32),
    /// A `double` literal.
    Double(f64),
    /// A string literal.
    Str(Arc<str>),
    /// A regex literal, compiled with the script.
    Regex(Arc<CompiledRegex>),
    /// A local variable (or `ctx`/`params`) and its declared type.
    Local(u32, Ty),
    /// `a.b` and `a?.b`.
    Field {
        /// Receiver.
        target: Box<Expr>,
        /// Field name.
        name: Arc<str>,
        /// `?.`
        null_safe: bool,
    },
    /// `a[i]`
    Index {
        /// Receiver.
        target: Box<Expr>,
        /// Index or key.
        index: Box<Expr>,
    },
    /// `a.m(args)` and `a?.m(args)`.
    Call {
        /// Receiver.
        target: Box<Expr>,
        /// Method name.
        name: Arc<str>,
        /// Arguments.
        args: Vec<Expr>,
        /// `?.`
        null_safe: bool,
        /// Indices of the registry methods with this name and arity.
        candidates: Vec<u16>,
    },
    /// `Math.max(a, b)`.
    StaticCall {
        /// `Class.method` for messages.
        name: Arc<str>,
        /// Implementation.
        f: StaticFn,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// A call of a user function.
    LocalCall {
        /// Function index.
        func: u32,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `new HashMap()` and friends.
    New {
        /// Implementation.
        ctor: Constructor,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `new int[n]` or `new String[] {…}`.
    NewArray {
        /// Array type.
        ty: Ty,
        /// Size, or the initial elements.
        init: ArrayInit,
    },
    /// `[a, b]`
    List(Vec<Expr>),
    /// `['k': v]`
    Map(Vec<(Expr, Expr)>),
    /// Unary operator.
    Unary {
        /// Operator.
        op: UnaryOp,
        /// Operand.
        operand: Box<Expr>,
    },
    /// Binary operator.
    Binary {
        /// Operator.
        op: BinOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `a && b`
    And(Box<Expr>, Box<Expr>),
    /// `a || b`
    Or(Box<Expr>, Box<Expr>),
    /// `e instanceof T`
    Instanceof(Box<Expr>, Ty),
    /// `(T) e`
    Cast(Ty, Box<Expr>),
    /// `c ? a : b`
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `a ?: b`
    Elvis(Box<Expr>, Box<Expr>),
    /// `t = v` and `t op= v`.
    Assign {
        /// Where to store.
        target: Box<Expr>,
        /// Compound operator.
        op: Option<BinOp>,
        /// Value.
        value: Box<Expr>,
    },
    /// `++t`, `t--`, …
    IncDec {
        /// Where to store.
        target: Box<Expr>,
        /// `++` rather than `--`.
        increment: bool,
        /// Prefix form (value after the update).
        prefix: bool,
    },
    /// A lambda (index into [`Program::lambdas`]).
    Lambda(u32),
    /// A method reference.
    FuncRef(FuncRef),
}

/// How a new array is sized.
#[derive(Debug)]
pub enum ArrayInit {
    /// `new T[n]`
    Size(Box<Expr>),
    /// `new T[] {a, b}`
    Values(Vec<Expr>),
}

/// Method references.
#[derive(Debug)]
pub enum FuncRef {
    /// `String::toLowerCase`: the first argument is the receiver.
    Instance {
        /// Method name.
        name: Arc<str>,
        /// Candidates taking `arity - 1` arguments, per arity 0..=3.
        candidates: Vec<Vec<u16>>,
    },
    /// `Integer::parseInt`: a static method.
    Static {
        /// Implementations by arity (0..=3).
        by_arity: Vec<Option<StaticFn>>,
    },
    /// `this::isEmpty`: a user function.
    Local(u32),
    /// `ArrayList::new`, `HashMap::new`.
    New(Constructor),
    /// `x::contains`: a method bound to a captured receiver.
    Bound {
        /// The receiver.
        receiver: Box<Expr>,
        /// Method name.
        name: Arc<str>,
        /// Candidates per arity.
        candidates: Vec<Vec<u16>>,
    },
}
