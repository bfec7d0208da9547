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
//!
//! The same tokens also come *packed* (text starting with [`PACKED`]): the
//! glue's generated packers (`pkg/api/*.js`) write plain objects of a
//! declared shape as tags, field indexes and length-prefixed strings, read
//! here without scanning for quotes, escapes or key names. `JSON.stringify`
//! and writing its text were a third of a block's render in Node. Every byte
//! of a packed text is below 0x80 or inside a string the glue encoded, so it
//! is UTF-8 like JSON. The glue reruns a call that fails on packed input with
//! JSON, so every error still comes from the JSON path, in its words.

use crate::error::{BillPayError, ErrorCode, Result};
use crate::prelude::*;
use alloc::borrow::Cow;

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
    /// The text is packed tokens, not JSON.
    packed: bool,
}

/// The first byte of a packed text (never the start of JSON). Then one
/// value: `n`, `t`, `f`; `s`, the length in bytes in four 7-bit groups (most
/// significant first) and the UTF-8 bytes; `{`, members as the field's index
/// in its shape (one byte, below 64) and a value, `}`; `[`, values, `]`.
pub const PACKED: u8 = 0x01;

/// Only the full module's glue packs (src/exports/generate.rs, `PACKED`):
/// the storefront module is built without the packed path.
const PACKED_PATH: bool = cfg!(any(feature = "admin", not(target_arch = "wasm32")));

/// Where a packed object or array ends.
const PACKED_OBJECT_END: u8 = b'}';
const PACKED_ARRAY_END: u8 = b']';

fn syntax(what: &str) -> BillPayError {
    let mut message = String::from("invalid JSON: ");
    message.push_str(what);
    BillPayError::new(ErrorCode::InvalidInput, message)
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        let packed = text.as_bytes().first() == Some(&PACKED);
        Reader {
            text,
            pos: usize::from(packed),
            first: false,
            packed,
        }
    }

    /// Whether the text is packed (then objects are read with `next_field`).
    pub fn is_packed(&self) -> bool {
        PACKED_PATH && self.packed
    }

    fn next_byte(&mut self) -> Option<u8> {
        let byte = self.bytes().get(self.pos).copied();
        self.pos += 1;
        byte
    }

    /// A packed value's first token.
    fn packed_token(&mut self) -> Result<Token<'a>> {
        match self.next_byte() {
            Some(b'n') => Ok(Token::Null),
            Some(b't') => Ok(Token::Bool(true)),
            Some(b'f') => Ok(Token::Bool(false)),
            Some(b'{') => Ok(Token::Object),
            Some(b'[') => Ok(Token::Array),
            Some(b's') => {
                let mut length = 0usize;
                for _ in 0..4 {
                    let group = self
                        .next_byte()
                        .ok_or_else(|| syntax("unexpected end of input"))?;
                    length = (length << 7) | usize::from(group & 0x7f);
                }
                let end = self.pos.saturating_add(length);
                let text = self
                    .text
                    .get(self.pos..end)
                    .ok_or_else(|| syntax("unterminated string"))?;
                self.pos = end;
                Ok(Token::Str(Cow::Borrowed(text)))
            }
            Some(_) => Err(syntax("unexpected character")),
            None => Err(syntax("unexpected end of input")),
        }
    }

    /// The index of the next member's field in a packed object, `None`
    /// after its last. The caller checks the index against its shape.
    pub fn next_field(&mut self) -> Result<Option<usize>> {
        match self.next_byte() {
            Some(PACKED_OBJECT_END) => Ok(None),
            Some(index) if index < 64 => Ok(Some(usize::from(index))),
            Some(_) => Err(syntax("expected a key")),
            None => Err(syntax("unexpected end of input")),
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
        if self.is_packed() {
            return self.packed_token();
        }
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
        if self.is_packed() {
            // Packed members have indexes, not keys (`next_field`).
            return Err(syntax("expected a key"));
        }
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
        if self.is_packed() {
            if self.bytes().get(self.pos) == Some(&PACKED_ARRAY_END) {
                self.pos += 1;
                return Ok(false);
            }
            return Ok(true);
        }
        self.more(b']')
    }

    fn more(&mut self, close: u8) -> Result<bool> {
        let first = core::mem::replace(&mut self.first, false);
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
                while if self.is_packed() {
                    self.next_field()?.is_some()
                } else {
                    self.next_key()?.is_some()
                } {
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
        if self.is_packed() && self.pos >= self.text.len() {
            return Ok(());
        }
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

#[cfg(test)]
mod packed_tests {
    use super::PACKED;
    use crate::block::{BankAccountInput, PaymentBlockInput};
    use crate::shape::from_json;
    use proptest::prelude::*;

    /// A packed string as the glue writes it (`src/exports/pack.js`).
    fn text(out: &mut Vec<u8>, s: &str) {
        let n = s.len();
        out.push(b's');
        out.extend(
            [
                (n >> 21) & 0x7f,
                (n >> 14) & 0x7f,
                (n >> 7) & 0x7f,
                n & 0x7f,
            ]
            .map(|g| g as u8),
        );
        out.extend_from_slice(s.as_bytes());
    }

    fn field(out: &mut Vec<u8>, index: u8, s: &str) {
        out.push(index);
        text(out, s);
    }

    /// The packed block of `json_block()`, members in another order than declared.
    fn packed_block(holder: &str) -> String {
        let mut p = vec![PACKED, b'{'];
        field(&mut p, 2, "EUR");
        field(&mut p, 0, "invoice");
        field(&mut p, 1, "1234.50");
        p.extend([3, b'{']);
        field(&mut p, 0, holder);
        field(&mut p, 1, "DE53100500000740123456");
        field(&mut p, 2, "BELADEBEXXX");
        field(&mut p, 3, "");
        field(&mut p, 4, "BP1001/4441");
        p.extend([5, b'n', 6, b't', b'}', 4, b'n', b'}']);
        String::from_utf8(p).unwrap()
    }

    fn json_block(holder: &str) -> String {
        let mut holder_json = String::new();
        super::write_str(&mut holder_json, holder);
        format!(
            r#"{{"method":"invoice","amount":"1234.50","currency":"EUR","bankAccount":{{"accountHolder":{holder_json},"iban":"DE53100500000740123456","bic":"BELADEBEXXX","bankName":"","invoiceReference":"BP1001/4441","dueDate":null,"activated":true}},"customerCountry":null}}"#
        )
    }

    #[test]
    fn packed_and_json_decode_alike() {
        for holder in ["BillPay GmbH", "Müller & \"Söhne\" \\ 😀 \u{7f}", ""] {
            let packed: PaymentBlockInput = from_json(&packed_block(holder)).unwrap();
            assert_eq!(packed, from_json(&json_block(holder)).unwrap());
            assert_eq!(packed.bank_account.unwrap().account_holder, holder);
        }
        let none: Option<BankAccountInput> = from_json("\u{1}n").unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn broken_packed_text_is_refused() {
        let good = packed_block("BillPay GmbH");
        // Every prefix but the whole is incomplete.
        for end in 1..good.len() {
            if let Some(prefix) = good.get(..end) {
                assert!(
                    from_json::<PaymentBlockInput>(prefix).is_err(),
                    "{prefix:?}"
                );
            }
        }
        for bad in [
            "\u{1}{\u{9}s\0\0\0\u{1}x}",             // an index beyond the shape
            "\u{1}{\0s\0\0\u{7f}\u{7f}x}",           // a length beyond the text
            "\u{1}{\0x}",                            // an unknown tag
            "\u{1}{}x",                              // trailing data
            "\u{1}{\0s\0\0\0\u{1}x\0s\0\0\0\u{1}y}", // a field twice
        ] {
            assert!(from_json::<PaymentBlockInput>(bad).is_err(), "{bad:?}");
        }
        // A length that would end inside a character.
        assert!(from_json::<BankAccountInput>("\u{1}{\0s\0\0\0\u{1}ü}").is_err());
    }

    proptest! {
        /// Whatever follows the marker, decoding answers without panicking.
        #[test]
        fn any_packed_text_is_answered(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![0u8, 1, 2, 3, 4, 5, 6, 7, 63, 64, 127, b'{', b'}', b'[', b']', b's', b'n', b't', b'f', b'x']),
                0..64,
            ),
            text in "\\PC{0,8}",
        ) {
            let mut packed = vec![PACKED];
            packed.extend(bytes);
            packed.extend(text.as_bytes());
            let packed = String::from_utf8(packed).unwrap();
            let _ = from_json::<PaymentBlockInput>(&packed);
            let _ = from_json::<Vec<Option<String>>>(&packed);
        }
    }
}
