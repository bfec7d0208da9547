//! A small JSON reader and writer for what crosses the JS boundary.
//!
//! JS hands every object over as `JSON.stringify` text (one crossing per
//! argument; V8's stringifier is faster than reading fields one by one from
//! wasm). The reader pulls tokens on demand, so the declared shapes
//! (`super::input_shape!`) decode straight into Rust values in document order,
//! and the first problem is reported the way serde worded it before (the
//! messages are part of the public interface). Strings without escapes are
//! borrowed from the input.
//!
//! Neither side formats floats or uses `core::fmt`: numbers are kept as their
//! JSON text until a declared integer field parses them.

use crate::error::{BillPayError, ErrorCode, Result};
use std::borrow::Cow;

/// One value's first token.
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    Null,
    Bool(bool),
    /// The number's JSON text, unparsed.
    Number(&'a str),
    Str(Cow<'a, str>),
    /// `{`: the members follow (`Reader::next_key`).
    Object,
    /// `[`: the elements follow (`Reader::next_element`).
    Array,
}

pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// The container just opened has not had a member yet (no comma due).
    first: bool,
}

fn syntax(what: &str) -> BillPayError {
    let mut message = String::from("invalid JSON: ");
    message.push_str(what);
    BillPayError::new(ErrorCode::InvalidInput, message)
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            first: false,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes().get(self.pos).copied()
    }

    fn expect_literal(&mut self, literal: &str) -> Result<()> {
        if self
            .text
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(literal))
        {
            self.pos += literal.len();
            Ok(())
        } else {
            Err(syntax("unexpected character"))
        }
    }

    /// The next value's first token; containers are entered, not skipped.
    pub fn next_token(&mut self) -> Result<Token<'a>> {
        match self.peek() {
            Some(b'n') => self.expect_literal("null").map(|_| Token::Null),
            Some(b't') => self.expect_literal("true").map(|_| Token::Bool(true)),
            Some(b'f') => self.expect_literal("false").map(|_| Token::Bool(false)),
            Some(b'"') => self.string().map(Token::Str),
            Some(b'{') => {
                self.pos += 1;
                self.first = true;
                Ok(Token::Object)
            }
            Some(b'[') => {
                self.pos += 1;
                self.first = true;
                Ok(Token::Array)
            }
            Some(b'-' | b'0'..=b'9') => Ok(Token::Number(self.number())),
            Some(_) => Err(syntax("unexpected character")),
            None => Err(syntax("unexpected end of input")),
        }
    }

    fn number(&mut self) -> &'a str {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.bytes().get(self.pos)
        {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or("")
    }

    fn string(&mut self) -> Result<Cow<'a, str>> {
        // At the opening quote.
        self.pos += 1;
        let start = self.pos;
        let bytes = self.bytes();
        loop {
            match bytes.get(self.pos) {
                Some(b'"') => {
                    let s = self.text.get(start..self.pos).unwrap_or("");
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(_) => self.pos += 1,
                None => return Err(syntax("unterminated string")),
            }
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or(""));
        loop {
            let run_start = self.pos;
            while let Some(b) = bytes.get(self.pos) {
                if *b == b'"' || *b == b'\\' {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let escaped = bytes.get(self.pos + 1).copied();
                    self.pos += 2;
                    match escaped {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => return Err(syntax("invalid escape")),
                    }
                }
                _ => return Err(syntax("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| syntax("invalid escape"))?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| syntax("invalid escape"))?;
        self.pos += 4;
        Ok(value)
    }

    /// After `\u`; lone surrogates (which JSON.stringify writes escaped)
    /// become U+FFFD like `TextEncoder` does.
    fn unicode_escape(&mut self) -> Result<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.text.get(self.pos..self.pos + 2) == Some("\\u")
        {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    /// The next member's key of the object being read, `None` after its last.
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>> {
        if !self.more(b'}')? {
            return Ok(None);
        }
        if self.peek() != Some(b'"') {
            return Err(syntax("expected a key"));
        }
        let key = self.string()?;
        if self.peek() != Some(b':') {
            return Err(syntax("expected ':'"));
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// Whether the array being read has another element.
    pub fn next_element(&mut self) -> Result<bool> {
        self.more(b']')
    }

    fn more(&mut self, close: u8) -> Result<bool> {
        let first = std::mem::replace(&mut self.first, false);
        match self.peek() {
            Some(b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) if first => Ok(true),
            _ => Err(syntax("expected ',' or the end of a container")),
        }
    }

    /// Skips the rest of a value whose first token was already read.
    pub fn skip(&mut self, token: &Token<'_>) -> Result<()> {
        match token {
            Token::Object => {
                while self.next_key()?.is_some() {
                    let inner = self.next_token()?;
                    self.skip(&inner)?;
                }
            }
            Token::Array => {
                while self.next_element()? {
                    let inner = self.next_token()?;
                    self.skip(&inner)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Nothing but white space may follow the top-level value.
    pub fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(BillPayError::new(
                ErrorCode::InvalidInput,
                "trailing data after the value",
            )),
        }
    }
}

/// Appends `text` as a JSON string (quotes included).
pub fn write_str(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(run_start..i).unwrap_or(""));
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0xf));
        } else {
            out.push_str(escape);
        }
        run_start = i + 1;
    }
    out.push_str(text.get(run_start..).unwrap_or(""));
    out.push('"');
}

fn hex_digit(nibble: u8) -> char {
    char::from(match nibble {
        0..=9 => b'0' + nibble,
        _ => b'a' + nibble - 10,
    })
}

/// Appends an integer in decimal, without `core::fmt`.
/// `value` in decimal, without `core::fmt` (which the storefront module
/// does without: it would add its formatting machinery to every page).
pub fn int_text(value: i64) -> String {
    let mut out = String::with_capacity(20);
    push_int(&mut out, value);
    out
}

/// A count (a length, a limit) in decimal, without `core::fmt`.
pub fn count_text(value: usize) -> String {
    int_text(i64::try_from(value).unwrap_or(i64::MAX))
}

pub fn push_int(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut rest = value.unsigned_abs();
    let mut len = 0;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (rest % 10) as u8;
        }
        len += 1;
        rest /= 10;
        if rest == 0 || len == digits.len() {
            break;
        }
    }
    for i in (0..len).rev() {
        out.push(char::from(digits.get(i).copied().unwrap_or(b'0')));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut r = Reader::new(text);
        let mut out = Vec::new();
        fn walk(r: &mut Reader<'_>, out: &mut Vec<String>) {
            let t = r.next_token().unwrap();
            out.push(format!("{t:?}"));
            match t {
                Token::Object => {
                    while let Some(k) = r.next_key().unwrap() {
                        out.push(format!("key {k}"));
                        walk(r, out);
                    }
                    out.push("}".into());
                }
                Token::Array => {
                    while r.next_element().unwrap() {
                        walk(r, out);
                    }
                    out.push("]".into());
                }
                _ => {}
            }
        }
        walk(&mut r, &mut out);
        r.end().unwrap();
        out
    }

    #[test]
    fn reads_what_json_stringify_writes() {
        assert_eq!(
            tokens(r#"{"a":[1,-2.5e+3,true,null],"b":{},"c":[],"d":"x\"\u00e9\ud83d\ude00"}"#),
            [
                "Object",
                "key a",
                "Array",
                "Number(\"1\")",
                "Number(\"-2.5e+3\")",
                "Bool(true)",
                "Null",
                "]",
                "key b",
                "Object",
                "}",
                "key c",
                "Array",
                "]",
                "key d",
                "Str(\"x\\\"é😀\")",
                "}"
            ]
        );
    }

    #[test]
    fn refuses_broken_json_without_panicking() {
        for bad in [
            "",
            "{",
            "[1,",
            "{\"a\"",
            "{\"a\":}",
            "[1 2]",
            "{,}",
            "[,1]",
            "\"\\u12\"",
            "\"abc",
            "nul",
            "{\"a\":1,}",
            "1 2",
        ] {
            let mut r = Reader::new(bad);
            let result = r
                .next_token()
                .and_then(|t| r.skip(&t))
                .and_then(|_| r.end());
            assert!(result.is_err(), "{bad:?}");
        }
    }

    #[test]
    fn writes_escaped_strings_and_integers() {
        let mut out = String::new();
        write_str(&mut out, "a\"b\\c\nd\u{1}é");
        push_int(&mut out, -1234);
        push_int(&mut out, 0);
        push_int(&mut out, i64::MIN);
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001é\"-12340-9223372036854775808");
    }
}
