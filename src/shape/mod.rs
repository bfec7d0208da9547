//! Shapes that cross the JS boundary, each declared once.
//!
//! `input_shape!`, `output_shape!` and `string_enum!` declare a Rust type and
//! derive from that one declaration everything the boundary needs: decoding
//! from the JSON text the JS glue hands over (with the field path of the
//! first problem), encoding results as JSON, and the TypeScript declaration
//! (`typescript.rs` writes `pkg/types.d.ts`; a test keeps the file current).
//!
//! Decoding is strict like the types: unknown fields are refused (so typos
//! surface), missing required fields are named, and a value of the wrong JS
//! type is reported with what was expected. The wording is serde's (the
//! package spoke serde's words before this decoder replaced serde_json, and
//! the messages are part of its interface), with JS names for the types.

pub mod json;
#[cfg(not(target_arch = "wasm32"))]
pub mod typescript;

use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::clip;
use crate::prelude::*;
use json::{Reader, Token};

/// A type that can be read from the boundary's JSON.
pub trait Decode: Sized {
    /// What the type expects, in serde's words ("a boolean", "an object").
    const EXPECTED: &'static str;

    /// Reads one value whose first token is `token`.
    fn decode_token(token: Token<'_>, reader: &mut Reader<'_>) -> Result<Self>;

    /// Reads the next value.
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        let token = reader.next_token()?;
        Self::decode_token(token, reader)
    }

    /// Whether the field may be left out (then it keeps its default:
    /// `None`, an empty list).
    const OPTIONAL: bool = false;
}

/// A type that is written as JSON into a result.
pub trait Encode {
    fn encode(&self, out: &mut String);

    /// Whether an object member with this value is left out (`None`).
    fn is_absent(&self) -> bool {
        false
    }
}

/// A whole JSON document as `T`; `null` and an absent argument are the same.
pub fn from_json<T: Decode>(text: &str) -> Result<T> {
    let mut reader = Reader::new(text);
    let value = T::decode(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// The answer of a check (`checkIban`, `checkBic`) as the glue reads it
/// fastest, without `JSON.parse` (which took as long as the IBAN check
/// itself: 0.9 µs against 0.15 µs): a passed check as its fields (`FIELDS`,
/// in order) separated by U+001F, which none of them can contain; a failed
/// one as its error code, U+001E and its message (the first U+001E ends the
/// code, so the message may hold anything). The glue makes
/// `{ valid: true, <fields> }` or `{ valid: false, code, message }` of it.
pub trait Verdict {
    /// The fields of a passed check, as its TypeScript type names them.
    const FIELDS: &'static [&'static str];

    fn encode_verdict(&self, out: &mut String);
}

/// Between the fields of a passed check (U+001F, unit separator).
pub const FIELD_SEPARATOR: u8 = 0x1f;

/// A failed check: its code and message.
pub fn push_failed(out: &mut String, code: ErrorCode, message: &str) {
    out.push_str(code.as_str());
    out.push('\u{1e}');
    out.push_str(message);
}

/// `value` as JSON text.
pub fn to_json<T: Encode + ?Sized>(value: &T) -> String {
    let mut out = String::with_capacity(128);
    value.encode(&mut out);
    out
}

// --- serde's words -----------------------------------------------------------

const EXPECTED_STRING: &str = "a string (money and dates are passed as strings)";
const EXPECTED_WHOLE_NUMBER: &str = "a whole number";

/// Whether serde_json read this number as an integer (no fraction, no
/// exponent, within 64 bits); only those are quoted back in messages.
fn integer_text(raw: &str) -> bool {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && if raw.starts_with('-') {
            raw.parse::<i64>().is_ok()
        } else {
            digits.parse::<u64>().is_ok()
        }
}

/// Rust's `{:?}` of a string for the common characters, clipped: what serde
/// quoted, without the Unicode tables.
pub(crate) fn push_debug_str(out: &mut String, text: &str) {
    out.push('"');
    for c in clip(text).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                out.push_str("\\u{");
                let code = u32::from(c);
                let mut started = false;
                for shift in (0..8).rev() {
                    let nibble = (code >> (shift * 4)) & 0xf;
                    if nibble != 0 || started || shift == 0 {
                        started = true;
                        out.push(char::from(b"0123456789abcdef"[nibble as usize]));
                    }
                }
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// serde's name for a value of the wrong type. `quote_any_number`: integer
/// targets quote every number, others only integers.
fn push_unexpected(out: &mut String, token: &Token<'_>, quote_any_number: bool, as_object: bool) {
    match token {
        Token::Null => out.push_str("null"),
        Token::Bool(b) => out.push_str(if *b {
            "boolean `true`"
        } else {
            "boolean `false`"
        }),
        Token::Number(raw) => {
            out.push_str("number");
            if quote_any_number || integer_text(raw) {
                out.push_str(" `");
                out.push_str(raw);
                out.push('`');
            }
        }
        Token::Str(s) => {
            out.push_str("string ");
            push_debug_str(out, s);
        }
        Token::Object => out.push_str("map"),
        Token::Array => out.push_str(if as_object { "array" } else { "sequence" }),
    }
}

/// `invalid type: <what came>, expected <what fits>`.
pub fn invalid_type(token: &Token<'_>, expected: &str) -> BillPayError {
    let integer_target = expected == EXPECTED_WHOLE_NUMBER;
    let mut message = String::from("invalid type: ");
    push_unexpected(
        &mut message,
        token,
        integer_target,
        expected == EXPECTED_OBJECT,
    );
    message.push_str(", expected ");
    message.push_str(expected);
    BillPayError::new(ErrorCode::InvalidType, message)
}

pub const EXPECTED_OBJECT: &str = "an object";

pub fn missing_field(field: &'static str) -> BillPayError {
    let mut message = String::from("missing field `");
    message.push_str(field);
    message.push('`');
    BillPayError::new(ErrorCode::MissingField, message).at(field)
}

pub fn unknown_field(key: &str, fields: &[&str]) -> BillPayError {
    let mut message = String::from("unknown field `");
    message.push_str(&clip(key));
    match fields {
        [] => message.push_str("`, there are no fields"),
        [only] => {
            message.push_str("`, expected `");
            message.push_str(only);
            message.push('`');
        }
        [first, second] => {
            message.push_str("`, expected `");
            message.push_str(first);
            message.push_str("` or `");
            message.push_str(second);
            message.push('`');
        }
        _ => {
            message.push_str("`, expected one of ");
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    message.push_str(", ");
                }
                message.push('`');
                message.push_str(field);
                message.push('`');
            }
        }
    }
    BillPayError::new(ErrorCode::UnknownField, message).at(&clip(key))
}

pub fn duplicate_field(field: &'static str) -> BillPayError {
    let mut message = String::from("duplicate field `");
    message.push_str(field);
    message.push('`');
    BillPayError::new(ErrorCode::InvalidInput, message).at(field)
}

/// Reads an object's members into the fields of a declared shape: `fields`
/// lists (JS name, optional); `field(index, reader)` reads the value of
/// field `index`. One routine for every shape keeps the module small.
/// Unknown and repeated members are refused when met, missing required
/// ones after the object, the first in declaration order (serde's order).
pub fn decode_fields(
    reader: &mut Reader<'_>,
    fields: &[(&'static str, bool)],
    field: &mut dyn FnMut(usize, &mut Reader<'_>) -> Result<()>,
) -> Result<()> {
    let mut seen: u64 = 0;
    loop {
        let index = if reader.is_packed() {
            match reader.next_field()? {
                None => break,
                Some(index) => index,
            }
        } else {
            let Some(key) = reader.next_key()? else {
                break;
            };
            let Some(index) = fields.iter().position(|(name, _)| *name == key) else {
                let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
                return Err(unknown_field(&key, &names));
            };
            index
        };
        // A packed index beyond the shape: the glue packed another shape.
        let Some(&(name, _)) = fields.get(index) else {
            return Err(BillPayError::new(
                ErrorCode::InvalidInput,
                "invalid JSON: expected a key",
            ));
        };
        let bit = 1u64 << index.min(63);
        if seen & bit != 0 {
            return Err(duplicate_field(name));
        }
        seen |= bit;
        field(index, reader).map_err(|e| e.at(name))?;
    }
    for (index, (name, optional)) in fields.iter().enumerate() {
        if !optional && seen & (1u64 << index.min(63)) == 0 {
            return Err(missing_field(name));
        }
    }
    Ok(())
}

/// The object's opening, or serde's error for what came instead.
pub fn open_object(token: &Token<'_>) -> Result<()> {
    match token {
        Token::Object => Ok(()),
        other => Err(invalid_type(other, EXPECTED_OBJECT)),
    }
}

// --- the scalar and container types ------------------------------------------

impl Decode for String {
    const EXPECTED: &'static str = EXPECTED_STRING;

    fn decode_token(token: Token<'_>, _: &mut Reader<'_>) -> Result<Self> {
        match token {
            Token::Str(s) => Ok(s.into_owned()),
            other => Err(invalid_type(&other, Self::EXPECTED)),
        }
    }
}

impl Decode for bool {
    const EXPECTED: &'static str = "a boolean";

    fn decode_token(token: Token<'_>, _: &mut Reader<'_>) -> Result<Self> {
        match token {
            Token::Bool(b) => Ok(b),
            other => Err(invalid_type(&other, Self::EXPECTED)),
        }
    }
}

/// An integer within `min..=max`; other integers are serde's "invalid
/// value", fractions and exponents its "invalid type".
fn whole_number(token: Token<'_>, min: i64, max: i64) -> Result<i64> {
    let Token::Number(raw) = token else {
        return Err(invalid_type(&token, EXPECTED_WHOLE_NUMBER));
    };
    if !integer_text(raw) {
        return Err(invalid_type(&token, EXPECTED_WHOLE_NUMBER));
    }
    match raw.parse::<i64>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        _ => {
            let mut message = String::from("invalid value: number `");
            message.push_str(raw);
            message.push_str("`, expected ");
            message.push_str(EXPECTED_WHOLE_NUMBER);
            Err(BillPayError::new(ErrorCode::InvalidInput, message))
        }
    }
}

impl Decode for i64 {
    const EXPECTED: &'static str = EXPECTED_WHOLE_NUMBER;

    fn decode_token(token: Token<'_>, _: &mut Reader<'_>) -> Result<Self> {
        whole_number(token, i64::MIN, i64::MAX)
    }
}

/// A count of units (`quantity`): a whole number. A fraction, an exponent
/// or one beyond 64 bits is `INVALID_QUANTITY` (what the README's table
/// promises for "not a whole number from 1 up"), not a JSON type error;
/// the range is the caller's check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quantity(pub i64);

impl Decode for Quantity {
    const EXPECTED: &'static str = EXPECTED_WHOLE_NUMBER;

    fn decode_token(token: Token<'_>, _: &mut Reader<'_>) -> Result<Self> {
        let Token::Number(raw) = token else {
            return Err(invalid_type(&token, EXPECTED_WHOLE_NUMBER));
        };
        match raw.parse::<i64>() {
            Ok(value) if integer_text(raw) => Ok(Quantity(value)),
            _ => {
                let mut message = String::from("a quantity is a whole number from 1 up, got ");
                message.push_str(&clip(raw));
                Err(BillPayError::new(ErrorCode::InvalidQuantity, message))
            }
        }
    }
}

/// A number whose range is a rule of its field (a client configuration's
/// ids and limits): every JSON number is read, so that 0, -1, 1.5 and 2^32
/// all get that field's one error and message (as `createRelay` gives them)
/// rather than a type error for some and a range error for others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Number {
    /// The value, when it is a whole number within 64 bits.
    pub whole: Option<i64>,
    /// As it was written (clipped), for messages.
    pub text: String,
}

impl Number {
    /// The value when it is a whole number from `min` to `max`.
    pub fn within(&self, min: i64, max: i64) -> Option<i64> {
        self.whole.filter(|value| (min..=max).contains(value))
    }
}

impl Decode for Number {
    const EXPECTED: &'static str = EXPECTED_WHOLE_NUMBER;

    fn decode_token(token: Token<'_>, _: &mut Reader<'_>) -> Result<Self> {
        let Token::Number(raw) = token else {
            return Err(invalid_type(&token, EXPECTED_WHOLE_NUMBER));
        };
        Ok(Number {
            whole: if integer_text(raw) {
                raw.parse().ok()
            } else {
                None
            },
            text: clip(raw),
        })
    }
}

impl Decode for u32 {
    const EXPECTED: &'static str = EXPECTED_WHOLE_NUMBER;

    fn decode_token(token: Token<'_>, _: &mut Reader<'_>) -> Result<Self> {
        let value = whole_number(token, 0, i64::from(u32::MAX))?;
        Ok(u32::try_from(value).unwrap_or(0))
    }
}

impl<T: Decode> Decode for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    const OPTIONAL: bool = true;

    fn decode_token(token: Token<'_>, reader: &mut Reader<'_>) -> Result<Self> {
        match token {
            Token::Null => Ok(None),
            other => T::decode_token(other, reader).map(Some),
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    const EXPECTED: &'static str = "a sequence";

    fn decode_token(token: Token<'_>, reader: &mut Reader<'_>) -> Result<Self> {
        if token != Token::Array {
            return Err(invalid_type(&token, Self::EXPECTED));
        }
        let mut items = Vec::new();
        while reader.next_element()? {
            let index = items.len();
            items.push(T::decode(reader).map_err(|e| e.at_index(index))?);
        }
        Ok(items)
    }
}

impl Encode for str {
    fn encode(&self, out: &mut String) {
        json::write_str(out, self);
    }
}

impl Encode for String {
    fn encode(&self, out: &mut String) {
        json::write_str(out, self);
    }
}

impl Encode for &str {
    fn encode(&self, out: &mut String) {
        json::write_str(out, self);
    }
}

impl Encode for bool {
    fn encode(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl Encode for i64 {
    fn encode(&self, out: &mut String) {
        json::push_int(out, *self);
    }
}

impl Encode for u32 {
    fn encode(&self, out: &mut String) {
        json::push_int(out, i64::from(*self));
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, out: &mut String) {
        match self {
            Some(value) => value.encode(out),
            None => out.push_str("null"),
        }
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.encode(out);
        }
        out.push(']');
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, out: &mut String) {
        self.as_slice().encode(out);
    }
}

/// Writes one object member (`,"key":value`), leaving out absent values.
pub fn member<T: Encode + ?Sized>(out: &mut String, first: &mut bool, key: &str, value: &T) {
    if value.is_absent() {
        return;
    }
    if !core::mem::replace(first, false) {
        out.push(',');
    }
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
    value.encode(out);
}

// --- the declarations --------------------------------------------------------

/// Declares a struct that JS passes in: its fields with their JS names and
/// doc comments. `=> "Name"` names its TypeScript interface. A field may say
/// `as Type` to be typed like `Type` in TypeScript while decoding as its Rust
/// type (string enums stay strings until the domain type checks them, so that
/// problems are reported in document order).
#[macro_export]
macro_rules! input_shape {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident => $ts:literal {
            $(
                $(#[doc = $fdoc:literal])*
                pub $field:ident $js:literal : $ty:ty $(as $tsty:ty)?
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name {
            $($(#[doc = $fdoc])* pub $field: $ty,)*
        }

        impl $crate::shape::Decode for $name {
            const EXPECTED: &'static str = $crate::shape::EXPECTED_OBJECT;

            fn decode_token(
                token: $crate::shape::json::Token<'_>,
                reader: &mut $crate::shape::json::Reader<'_>,
            ) -> $crate::error::Result<Self> {
                const FIELDS: &[(&str, bool)] =
                    &[$(($js, <$ty as $crate::shape::Decode>::OPTIONAL)),*];
                $crate::shape::open_object(&token)?;
                let mut value = $name::default();
                $crate::shape::decode_fields(reader, FIELDS, &mut |index, reader| {
                    let mut slot = 0;
                    $(
                        if index == slot {
                            value.$field = $crate::shape::Decode::decode(reader)?;
                            return Ok(());
                        }
                        slot += 1;
                    )*
                    let _ = slot;
                    Ok(())
                })?;
                Ok(value)
            }
        }

        #[cfg(not(target_arch = "wasm32"))]
        impl $crate::shape::typescript::TsType for $name {
            fn ts_name() -> String {
                $ts.to_owned()
            }

            fn js_fields() -> Vec<(&'static str, bool)> {
                vec![$(($js, <$ty as $crate::shape::Decode>::OPTIONAL)),*]
            }

            // Packed by what it decodes as (`$ty`), not by its TypeScript type.
            fn js_pack(
                packers: &mut $crate::shape::typescript::Packers,
            ) -> Option<$crate::shape::typescript::Pack> {
                $crate::shape::typescript::shape_packer(packers, $ts, &mut |packers| {
                    vec![$(($js, <$ty as $crate::shape::typescript::TsType>::js_pack(packers))),*]
                })
            }

            fn ts_collect(decls: &mut $crate::shape::typescript::Declarations) {
                if decls.begin($ts) {
                    let mut body = String::new();
                    $crate::shape::typescript::doc(&mut body, "", &[$($doc),*]);
                    body.push_str("export interface ");
                    body.push_str($ts);
                    body.push_str(" {\n");
                    $(
                        $crate::shape::typescript::doc(&mut body, "  ", &[$($fdoc),*]);
                        $crate::shape::typescript::input_field::<$crate::input_shape!(@ts $ty $(, $tsty)?)>(
                            &mut body,
                            $js,
                            <$ty as $crate::shape::Decode>::OPTIONAL,
                        );
                        <$crate::input_shape!(@ts $ty $(, $tsty)?) as $crate::shape::typescript::TsType>::ts_collect(decls);
                    )*
                    body.push_str("}\n");
                    decls.finish($ts, body);
                }
            }
        }
    };
    (@ts $ty:ty) => { $ty };
    (@ts $ty:ty, $tsty:ty) => { $tsty };
}

/// Declares a struct that the API returns: its fields with their JS names
/// (`None` fields are left out). `=> "Name"` declares its TypeScript
/// interface; `=> as Input` says it has the TypeScript type of an input shape
/// (a test round-trips it through that shape's decoder).
#[macro_export]
macro_rules! output_shape {
    (
        $(#[doc = $doc:literal])*
        $(#[derive($($derive:ident),*)])?
        pub struct $name:ident => $($ts:literal)? $(as $same:ty)? {
            $(
                $(#[doc = $fdoc:literal])*
                pub $field:ident $js:literal : $ty:ty $(as $tsty:ty)?
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $(#[derive($($derive),*)])?
        pub struct $name {
            $($(#[doc = $fdoc])* pub $field: $ty,)*
        }

        impl $crate::shape::Encode for $name {
            fn encode(&self, out: &mut String) {
                let mut first = true;
                out.push('{');
                $($crate::shape::member(out, &mut first, $js, &self.$field);)*
                out.push('}');
            }
        }

        $crate::output_shape!(@ts $name [$($ts)?] [$($same)?] [$($doc),*] [$([$js, $ty, [$($tsty)?], [$($fdoc),*]])*]);
    };
    (@ts $name:ident [$ts:literal] [] [$($doc:literal),*] [$([$js:literal, $ty:ty, [$($tsty:ty)?], [$($fdoc:literal),*]])*]) => {
        #[cfg(not(target_arch = "wasm32"))]
        impl $crate::shape::typescript::TsType for $name {
            fn ts_name() -> String {
                $ts.to_owned()
            }

            fn ts_collect(decls: &mut $crate::shape::typescript::Declarations) {
                if decls.begin($ts) {
                    let mut body = String::new();
                    $crate::shape::typescript::doc(&mut body, "", &[$($doc),*]);
                    body.push_str("export interface ");
                    body.push_str($ts);
                    body.push_str(" {\n");
                    $(
                        $crate::shape::typescript::doc(&mut body, "  ", &[$($fdoc),*]);
                        $crate::shape::typescript::field::<$crate::input_shape!(@ts $ty $(, $tsty)?)>(
                            &mut body,
                            $js,
                            <$crate::input_shape!(@ts $ty $(, $tsty)?) as $crate::shape::typescript::TsType>::OPTIONAL,
                        );
                        <$crate::input_shape!(@ts $ty $(, $tsty)?) as $crate::shape::typescript::TsType>::ts_collect(decls);
                    )*
                    body.push_str("}\n");
                    decls.finish($ts, body);
                }
            }
        }
    };
    (@ts $name:ident [] [$same:ty] [$($doc:literal),*] [$($rest:tt)*]) => {
        #[cfg(not(target_arch = "wasm32"))]
        impl $crate::shape::typescript::TsType for $name {
            fn ts_name() -> String {
                <$same as $crate::shape::typescript::TsType>::ts_name()
            }

            fn ts_collect(decls: &mut $crate::shape::typescript::Declarations) {
                <$same as $crate::shape::typescript::TsType>::ts_collect(decls)
            }
        }
    };
}

/// Declares a string enum: its variants with their JS strings, the error a
/// wrong string gets (code and message before `got "…"`), its TypeScript
/// union type, `parse`, `as_str` and JSON encoding.
#[macro_export]
macro_rules! string_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident => $ts:literal, $code:expr, $message:literal {
            $($(#[doc = $vdoc:literal])* $variant:ident = $js:literal),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[doc = $vdoc])* $variant,)*
        }

        impl $name {
            pub const ALL: [$name; <[&str]>::len(&[$(stringify!($variant)),*])] =
                [$($name::$variant),*];

            pub fn parse(text: &str) -> $crate::error::Result<$name> {
                match text {
                    $($js => Ok($name::$variant),)*
                    other => {
                        let mut message = String::from($message);
                        message.push_str(" got \"");
                        message.push_str(&$crate::money::clip(other));
                        message.push('"');
                        Err($crate::error::BillPayError::new($code, message))
                    }
                }
            }

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $js,)*
                }
            }
        }

        impl $crate::shape::Encode for $name {
            fn encode(&self, out: &mut String) {
                $crate::shape::json::write_str(out, self.as_str());
            }
        }

        #[cfg(not(target_arch = "wasm32"))]
        impl $crate::shape::typescript::TsType for $name {
            fn ts_name() -> String {
                $ts.to_owned()
            }

            fn ts_collect(decls: &mut $crate::shape::typescript::Declarations) {
                if decls.begin($ts) {
                    let mut body = String::new();
                    $crate::shape::typescript::doc(&mut body, "", &[$($doc),*]);
                    body.push_str("export type ");
                    body.push_str($ts);
                    body.push_str(" = ");
                    let variants: &[&str] = &[$($js),*];
                    for (i, variant) in variants.iter().enumerate() {
                        if i > 0 {
                            body.push_str(" | ");
                        }
                        body.push('\'');
                        body.push_str(variant);
                        body.push('\'');
                    }
                    body.push_str(";\n");
                    decls.finish($ts, body);
                }
            }
        }
    };
}

/// A list that may be left out (then empty), but not be `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptionalList<T>(pub Vec<T>);

impl<T> core::ops::Deref for OptionalList<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Decode> Decode for OptionalList<T> {
    const EXPECTED: &'static str = "a sequence";
    const OPTIONAL: bool = true;

    fn decode_token(token: Token<'_>, reader: &mut Reader<'_>) -> Result<Self> {
        Vec::decode_token(token, reader).map(OptionalList)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<T: typescript::TsType> typescript::TsType for OptionalList<T> {
    fn ts_name() -> String {
        <Vec<T> as typescript::TsType>::ts_name()
    }

    fn ts_collect(decls: &mut typescript::Declarations) {
        T::ts_collect(decls);
    }

    const OPTIONAL: bool = true;
}
