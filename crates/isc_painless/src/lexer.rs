//! Splits Painless source into tokens.
//!
//! Follows Painless's lexer: comments and whitespace are skipped, a `/`
//! starts a regex literal unless the previous token ends an operand
//! (`)`, `}`, a name or a number), and after `.`/`?.` any word is a plain
//! name (so `ctx.new` and `ctx.if` address fields).

use crate::error::CompileError;
use crate::token::{TextRange, Token, TokenKind};

/// Tokens of `source`, ending with [`TokenKind::Eof`].
pub fn tokenize(source: &str) -> Result<Vec<Token>, CompileError> {
    let mut lexer = Lexer {
        src: source,
        bytes: source.as_bytes(),
        pos: 0,
        tokens: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self) -> Result<(), CompileError> {
        loop {
            self.skip_trivia()?;
            let start = self.pos;
            let Some(&c) = self.bytes.get(self.pos) else {
                self.push(TokenKind::Eof, start);
                return Ok(());
            };
            let after_dot = matches!(
                self.tokens.last().map(|t| t.kind),
                Some(TokenKind::Dot | TokenKind::NullSafeDot)
            );
            if c.is_ascii_alphabetic() || c == b'_' {
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    self.pos += 1;
                }
                let word = &self.src[start..self.pos];
                let kind = if after_dot {
                    TokenKind::Ident
                } else {
                    TokenKind::keyword(word).unwrap_or(TokenKind::Ident)
                };
                self.push(kind, start);
            } else if c.is_ascii_digit() {
                if after_dot {
                    while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                        self.pos += 1;
                    }
                    self.push(TokenKind::Integer, start);
                } else {
                    self.number(start)?;
                }
            } else if c == b'.'
                && self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit)
                && !matches!(
                    self.tokens.last().map(|t| t.kind),
                    Some(TokenKind::Ident | TokenKind::RParen | TokenKind::RBracket)
                )
            {
                self.number(start)?;
            } else if c == b'"' || c == b'\'' {
                self.string(start, c)?;
            } else if c == b'/' && self.slash_is_regex() {
                self.regex(start)?;
            } else if c.is_ascii() {
                let kind = self.punct(start)?;
                self.push(kind, start);
            } else {
                let ch = self.src[start..].chars().next().unwrap_or('?');
                return Err(self.error(
                    start,
                    start + ch.len_utf8(),
                    format!("unexpected character [{ch}]."),
                ));
            }
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token {
            kind,
            range: TextRange::new(start as u32, self.pos as u32),
        });
    }

    fn error(&self, start: usize, end: usize, message: String) -> CompileError {
        CompileError::new(self.src, TextRange::new(start as u32, end as u32), message)
    }

    fn peek(&self, n: usize) -> u8 {
        self.bytes.get(self.pos + n).copied().unwrap_or(0)
    }

    fn skip_trivia(&mut self) -> Result<(), CompileError> {
        loop {
            match self.peek(0) {
                b' ' | b'\t' | b'\r' | b'\n' | 0x0c => self.pos += 1,
                b'/' if self.peek(1) == b'/' => {
                    while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                b'/' if self.peek(1) == b'*' => {
                    let start = self.pos;
                    match self.src[self.pos + 2..].find("*/") {
                        Some(i) => self.pos += i + 4,
                        None => {
                            return Err(self.error(
                                start,
                                self.bytes.len(),
                                "unterminated comment".to_owned(),
                            ));
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn slash_is_regex(&self) -> bool {
        match self.tokens.last() {
            None => true,
            // Painless treats `/` after `]`, `)`, a number or a name as
            // division; after `}` it starts a regex.
            Some(t) => !matches!(
                t.kind,
                TokenKind::RBracket
                    | TokenKind::RParen
                    | TokenKind::Integer
                    | TokenKind::Decimal
                    | TokenKind::Ident
            ),
        }
    }

    fn number(&mut self, start: usize) -> Result<(), CompileError> {
        let mut decimal = false;
        if self.peek(0) == b'0' && matches!(self.peek(1), b'x' | b'X') {
            self.pos += 2;
            while self.peek(0).is_ascii_hexdigit() {
                self.pos += 1;
            }
            if matches!(self.peek(0), b'l' | b'L') {
                self.pos += 1;
            }
        } else {
            while self.peek(0).is_ascii_digit() {
                self.pos += 1;
            }
            if self.peek(0) == b'.' && self.peek(1).is_ascii_digit() {
                decimal = true;
                self.pos += 1;
                while self.peek(0).is_ascii_digit() {
                    self.pos += 1;
                }
            }
            if matches!(self.peek(0), b'e' | b'E')
                && (self.peek(1).is_ascii_digit()
                    || (matches!(self.peek(1), b'+' | b'-') && self.peek(2).is_ascii_digit()))
            {
                decimal = true;
                self.pos += 2;
                while self.peek(0).is_ascii_digit() {
                    self.pos += 1;
                }
            }
            match self.peek(0) {
                b'f' | b'F' | b'd' | b'D' => {
                    decimal = true;
                    self.pos += 1;
                }
                b'l' | b'L' if !decimal => self.pos += 1,
                _ => {}
            }
        }
        if self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
            let mut end = self.pos;
            while self
                .bytes
                .get(end)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                end += 1;
            }
            return Err(self.error(
                start,
                end,
                format!("invalid number [{}]", &self.src[start..end]),
            ));
        }
        let kind = if decimal {
            TokenKind::Decimal
        } else {
            TokenKind::Integer
        };
        self.push(kind, start);
        Ok(())
    }

    fn string(&mut self, start: usize, quote: u8) -> Result<(), CompileError> {
        self.pos += 1;
        loop {
            match self.bytes.get(self.pos) {
                None => {
                    let text = &self.src[start..];
                    return Err(self
                        .error(
                            start,
                            self.bytes.len(),
                            "unterminated string literal".to_owned(),
                        )
                        .with_java_message(format!("unexpected character [{text}].")));
                }
                Some(b'\\') if matches!(self.peek(1), b'\\') || self.peek(1) == quote => {
                    self.pos += 2;
                }
                Some(b'\\') => {
                    // Painless strings escape only the quote and the backslash.
                    let q = char::from(quote);
                    let end = self.pos
                        + 1
                        + self.src[self.pos + 1..]
                            .chars()
                            .next()
                            .map_or(0, char::len_utf8);
                    let text = &self.src[start..end];
                    return Err(self
                        .error(
                            start,
                            end,
                            "invalid escape sequence: a string may only escape \\\\ and its quote".to_owned(),
                        )
                        .with_java_message(format!(
                            "unexpected character [{text}]. The only valid escape sequences in strings starting with [{q}] are [\\\\] and [\\{q}]."
                        )));
                }
                Some(&b) if b == quote => {
                    self.pos += 1;
                    self.push(TokenKind::Str, start);
                    return Ok(());
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn regex(&mut self, start: usize) -> Result<(), CompileError> {
        self.pos += 1;
        let mut empty = true;
        loop {
            match self.bytes.get(self.pos) {
                None | Some(b'\n') => {
                    return Err(self.error(
                        start,
                        self.pos,
                        "unterminated regex literal".to_owned(),
                    ));
                }
                Some(b'\\') if self.peek(1) != b'\n' && self.peek(1) != 0 => self.pos += 2,
                Some(b'/') if !empty => {
                    self.pos += 1;
                    break;
                }
                Some(_) => self.pos += 1,
            }
            empty = false;
        }
        while matches!(
            self.peek(0),
            b'c' | b'i' | b'l' | b'm' | b's' | b'U' | b'u' | b'x'
        ) {
            self.pos += 1;
        }
        self.push(TokenKind::Regex, start);
        Ok(())
    }

    fn punct(&mut self, start: usize) -> Result<TokenKind, CompileError> {
        use TokenKind::*;
        const TABLE: &[(&str, TokenKind)] = &[
            (">>>=", UShrAssign),
            ("===", EqEqEq),
            ("!==", NotEqEq),
            ("==~", Match),
            (">>>", UShr),
            ("<<=", ShlAssign),
            (">>=", ShrAssign),
            ("?.", NullSafeDot),
            ("?:", Elvis),
            ("::", ColonColon),
            ("->", Arrow),
            ("=~", Find),
            ("++", PlusPlus),
            ("--", MinusMinus),
            ("==", EqEq),
            ("!=", NotEq),
            ("<=", Le),
            (">=", Ge),
            ("&&", AndAnd),
            ("||", OrOr),
            ("<<", Shl),
            (">>", Shr),
            ("+=", PlusAssign),
            ("-=", MinusAssign),
            ("*=", StarAssign),
            ("/=", SlashAssign),
            ("%=", PercentAssign),
            ("&=", AmpAssign),
            ("^=", CaretAssign),
            ("|=", PipeAssign),
            ("{", LBrace),
            ("}", RBrace),
            ("[", LBracket),
            ("]", RBracket),
            ("(", LParen),
            (")", RParen),
            (".", Dot),
            (",", Comma),
            (";", Semicolon),
            ("!", Bang),
            ("~", Tilde),
            ("*", Star),
            ("/", Slash),
            ("%", Percent),
            ("+", Plus),
            ("-", Minus),
            ("<", Lt),
            (">", Gt),
            ("&", Amp),
            ("^", Caret),
            ("|", Pipe),
            ("?", Question),
            (":", Colon),
            ("=", Assign),
        ];
        let rest = &self.src[start..];
        for (text, kind) in TABLE {
            if rest.starts_with(text) {
                self.pos += text.len();
                return Ok(*kind);
            }
        }
        let ch = rest.chars().next().unwrap_or('?');
        Err(self.error(
            start,
            start + ch.len_utf8(),
            format!("unexpected character [{ch}]."),
        ))
    }
}

/// The value of a string literal token (quotes included in `text`):
/// Painless only unescapes `\\` and the quote character.
pub fn string_value(text: &str) -> String {
    let quote = text.chars().next().unwrap_or('\'');
    let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some(&n) if n == '\\' || n == quote => {
                    out.push(n);
                    chars.next();
                }
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        tokenize(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn slash_after_operand_divides_and_elsewhere_starts_a_regex() {
        use TokenKind::*;
        assert_eq!(kinds("a / b"), [Ident, Slash, Ident, Eof]);
        assert_eq!(kinds("a =~ /b/i"), [Ident, Find, Regex, Eof]);
    }

    #[test]
    fn words_after_a_dot_are_names() {
        use TokenKind::*;
        assert_eq!(kinds("ctx.new.0"), [Ident, Dot, Ident, Dot, Integer, Eof]);
    }

    #[test]
    fn strings_unescape_only_backslash_and_quote() {
        assert_eq!(string_value(r"'a\'b\\c'"), r"a'b\c");
        assert!(tokenize(r"'a\nb'").is_err());
        assert_eq!(string_value(r#""say \"hi\"""#), r#"say "hi""#);
    }

    #[test]
    fn numbers_with_suffixes() {
        use TokenKind::*;
        assert_eq!(
            kinds("1L 2.5 3f 0x1F 1e3"),
            [Integer, Decimal, Decimal, Integer, Decimal, Eof]
        );
    }

    #[test]
    fn unterminated_string_is_an_error() {
        assert!(tokenize("'abc").is_err());
    }
}
