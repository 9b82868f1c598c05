//! Tokens of Painless source: their kinds and byte ranges.

use std::fmt;

/// A half-open byte range `start..end` into the script source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TextRange {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl TextRange {
    /// The range `start..end`.
    pub fn new(start: u32, end: u32) -> TextRange {
        TextRange { start, end }
    }

    /// The smallest range covering `self` and `other`.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The text this range selects in `source` (empty when out of bounds).
    pub fn slice(self, source: &str) -> &str {
        source
            .get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum TokenKind {
    /// A name: a variable, a type, a method or a field.
    Ident,
    /// A whole-number literal (decimal, octal or hex, optional suffix).
    Integer,
    /// A literal with a fraction, an exponent or a `f`/`d` suffix.
    Decimal,
    /// A quoted string literal, quotes included.
    Str,
    /// A regex literal `/…/flags`.
    Regex,
    True,
    False,
    Null,
    If,
    Else,
    While,
    Do,
    For,
    In,
    Continue,
    Break,
    Return,
    New,
    Try,
    Catch,
    Throw,
    This,
    Instanceof,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Dot,
    NullSafeDot,
    Comma,
    Semicolon,
    Bang,
    Tilde,
    Star,
    Slash,
    Percent,
    Plus,
    Minus,
    Shl,
    Shr,
    UShr,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    EqEqEq,
    NotEq,
    NotEqEq,
    Amp,
    Caret,
    Pipe,
    AndAnd,
    OrOr,
    Question,
    Colon,
    Elvis,
    ColonColon,
    Arrow,
    Find,
    Match,
    PlusPlus,
    MinusMinus,
    Assign,
    PlusAssign,
    MinusAssign,
    StarAssign,
    SlashAssign,
    PercentAssign,
    AmpAssign,
    CaretAssign,
    PipeAssign,
    ShlAssign,
    ShrAssign,
    UShrAssign,
    /// End of input.
    Eof,
}

impl TokenKind {
    /// How the token reads in messages, such as `'{'` or `an identifier`.
    pub fn describe(self) -> &'static str {
        use TokenKind::*;
        match self {
            Ident => "an identifier",
            Integer | Decimal => "a number",
            Str => "a string",
            Regex => "a regex",
            True => "'true'",
            False => "'false'",
            Null => "'null'",
            If => "'if'",
            Else => "'else'",
            While => "'while'",
            Do => "'do'",
            For => "'for'",
            In => "'in'",
            Continue => "'continue'",
            Break => "'break'",
            Return => "'return'",
            New => "'new'",
            Try => "'try'",
            Catch => "'catch'",
            Throw => "'throw'",
            This => "'this'",
            Instanceof => "'instanceof'",
            LBrace => "'{'",
            RBrace => "'}'",
            LBracket => "'['",
            RBracket => "']'",
            LParen => "'('",
            RParen => "')'",
            Dot => "'.'",
            NullSafeDot => "'?.'",
            Comma => "','",
            Semicolon => "';'",
            Bang => "'!'",
            Tilde => "'~'",
            Star => "'*'",
            Slash => "'/'",
            Percent => "'%'",
            Plus => "'+'",
            Minus => "'-'",
            Shl => "'<<'",
            Shr => "'>>'",
            UShr => "'>>>'",
            Lt => "'<'",
            Le => "'<='",
            Gt => "'>'",
            Ge => "'>='",
            EqEq => "'=='",
            EqEqEq => "'==='",
            NotEq => "'!='",
            NotEqEq => "'!=='",
            Amp => "'&'",
            Caret => "'^'",
            Pipe => "'|'",
            AndAnd => "'&&'",
            OrOr => "'||'",
            Question => "'?'",
            Colon => "':'",
            Elvis => "'?:'",
            ColonColon => "'::'",
            Arrow => "'->'",
            Find => "'=~'",
            Match => "'==~'",
            PlusPlus => "'++'",
            MinusMinus => "'--'",
            Assign => "'='",
            PlusAssign => "'+='",
            MinusAssign => "'-='",
            StarAssign => "'*='",
            SlashAssign => "'/='",
            PercentAssign => "'%='",
            AmpAssign => "'&='",
            CaretAssign => "'^='",
            PipeAssign => "'|='",
            ShlAssign => "'<<='",
            ShrAssign => "'>>='",
            UShrAssign => "'>>>='",
            Eof => "end of script",
        }
    }

    /// The keyword spelled `word`, if it is one.
    pub fn keyword(word: &str) -> Option<TokenKind> {
        use TokenKind::*;
        Some(match word {
            "true" => True,
            "false" => False,
            "null" => Null,
            "if" => If,
            "else" => Else,
            "while" => While,
            "do" => Do,
            "for" => For,
            "in" => In,
            "continue" => Continue,
            "break" => Break,
            "return" => Return,
            "new" => New,
            "try" => Try,
            "catch" => Catch,
            "throw" => Throw,
            "this" => This,
            "instanceof" => Instanceof,
            _ => return None,
        })
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One token: its kind and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is.
    pub range: TextRange,
}
