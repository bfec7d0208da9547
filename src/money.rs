//! Exact money: decimal strings in, integer cents inside, decimal strings out.
//!
//! JS numbers never carry money across the boundary (0.1 + 0.2 is not 0.3), so an
//! amount is accepted only as a plain decimal string: digits, an optional point
//! and at most two decimals. No sign, no exponent, no thousands separators, no
//! NaN or Infinity: whatever a shop sends that is not unambiguous is refused.

use crate::error::{BillPayError, ErrorCode, Result};
use crate::prelude::*;
use crate::shape::json::push_int;
use core::fmt;
use rust_decimal::{Decimal, RoundingStrategy};

/// The largest amount BillPay's cents fields and the QR standards accept
/// (999 999 999.99, the Swiss QR-bill and EPC upper bound).
pub const MAX_CENTS: i64 = 99_999_999_999;

/// A non-negative amount of money in integer cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// Builds an amount from cents; refuses negatives and values beyond [`MAX_CENTS`].
    pub fn from_cents(cents: i64) -> Result<Amount> {
        if cents < 0 {
            return Err(BillPayError::new(
                ErrorCode::NegativeAmount,
                "the amount must not be negative",
            ));
        }
        if cents > MAX_CENTS {
            return Err(BillPayError::new(
                ErrorCode::AmountOutOfRange,
                "the amount must be at most 999999999.99",
            ));
        }
        Ok(Amount(cents))
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses a decimal string such as `"1234.5"` or `"0.99"`.
    pub fn parse(text: &str) -> Result<Amount> {
        let bytes = text.as_bytes();
        if bytes.first() == Some(&b'-') {
            return Err(BillPayError::new(
                ErrorCode::NegativeAmount,
                quoted("the amount must not be negative, got ", text),
            ));
        }
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let well_formed = all_digits(whole) && fraction.map_or(true, all_digits);
        if !well_formed {
            return Err(BillPayError::new(
                ErrorCode::InvalidAmount,
                quoted(
                    "expected a decimal string like \"1234.50\" (digits, optional point, at most two decimals), got ",
                    text,
                ),
            ));
        }
        let fraction = fraction.unwrap_or("");
        if fraction.len() > 2 {
            return Err(BillPayError::new(
                ErrorCode::AmountTooPrecise,
                quoted("an amount has at most two decimals, got ", text),
            ));
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 9 {
            return Err(BillPayError::new(
                ErrorCode::AmountOutOfRange,
                quoted("the amount must be at most 999999999.99, got ", text),
            ));
        }
        let mut cents: i64 = 0;
        for digit in whole.bytes() {
            cents = cents * 10 + i64::from(digit - b'0');
        }
        let mut fraction_digits = fraction.bytes();
        for _ in 0..2 {
            let digit = fraction_digits.next().map_or(0, |d| i64::from(d - b'0'));
            cents = cents * 10 + digit;
        }
        Amount::from_cents(cents)
    }

    /// Parses an amount and names the field on failure.
    pub fn parse_at(text: &str, path: &str) -> Result<Amount> {
        Amount::parse(text).map_err(|e| e.at(path))
    }

    pub fn checked_add(self, other: Amount) -> Result<Amount> {
        self.0
            .checked_add(other.0)
            .ok_or_else(out_of_range)
            .and_then(Amount::from_cents)
    }

    /// `self − other`; refuses to go below zero.
    pub fn checked_sub(self, other: Amount) -> Result<Amount> {
        Amount::from_cents(self.0 - other.0)
    }

    pub fn checked_mul(self, quantity: u32) -> Result<Amount> {
        self.0
            .checked_mul(i64::from(quantity))
            .ok_or_else(out_of_range)
            .and_then(Amount::from_cents)
    }

    /// The whole-unit and cents parts, for locale formatting.
    pub fn split(self) -> (i64, i64) {
        (self.0 / 100, self.0 % 100)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Rounds an exact decimal to cents, half away from zero (commercial rounding).
    pub fn from_decimal_rounded(value: Decimal) -> Result<Amount> {
        let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let cents = rounded
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or_else(out_of_range)?;
        let cents = i64::try_from(cents.trunc()).map_err(|_| out_of_range())?;
        Amount::from_cents(cents)
    }
}

impl Amount {
    /// Canonical form: always two decimals, point as separator (`"1234.50"`).
    pub fn push_decimal(self, out: &mut String) {
        let (units, cents) = self.split();
        push_int(out, units);
        out.push('.');
        out.push(char::from(b'0' + (cents / 10) as u8));
        out.push(char::from(b'0' + (cents % 10) as u8));
    }

    pub fn decimal(self) -> String {
        let mut out = String::with_capacity(16);
        self.push_decimal(&mut out);
        out
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.decimal())
    }
}

/// Money leaves the core as a decimal string, like it came in.
impl crate::shape::Encode for Amount {
    fn encode(&self, out: &mut String) {
        out.push('"');
        self.push_decimal(out);
        out.push('"');
    }
}

fn out_of_range() -> BillPayError {
    BillPayError::new(
        ErrorCode::AmountOutOfRange,
        "the amount must be at most 999999999.99",
    )
}

/// Keeps echoed input short in messages.
pub(crate) fn clip(text: &str) -> String {
    match text.char_indices().nth(40) {
        None => text.to_owned(),
        Some((cut, _)) => {
            let mut out = String::with_capacity(cut + 3);
            out.push_str(text.get(..cut).unwrap_or(""));
            out.push('…');
            out
        }
    }
}

/// `lead` followed by the clipped value in quotes: most messages echo the
/// input this way.
pub(crate) fn quoted(lead: &str, value: &str) -> String {
    let mut message = String::with_capacity(lead.len() + 44);
    message.push_str(lead);
    message.push('"');
    message.push_str(&clip(value));
    message.push('"');
    message
}

crate::string_enum! {
    /// The currencies BillPay settles in.
    pub enum Currency => "Currency", ErrorCode::UnsupportedCurrency,
        "BillPay settles in \"EUR\" or \"CHF\"," {
        Eur = "EUR",
        Chf = "CHF",
    }
}

impl Currency {
    pub fn code(self) -> &'static str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_plain_decimal_strings() {
        assert_eq!(Amount::parse("0").unwrap().cents(), 0);
        assert_eq!(Amount::parse("1234.5").unwrap().cents(), 123_450);
        assert_eq!(Amount::parse("1234.50").unwrap().cents(), 123_450);
        assert_eq!(Amount::parse("0.01").unwrap().cents(), 1);
        assert_eq!(Amount::parse("007.10").unwrap().cents(), 710);
        assert_eq!(Amount::parse("999999999.99").unwrap().cents(), MAX_CENTS);
    }

    #[test]
    fn refuses_everything_ambiguous() {
        let code = |s: &str| Amount::parse(s).unwrap_err().code;
        for bad in [
            "", ".", "1.", ".5", "1e3", "1E3", "+1", " 1", "1 ", "1,50", "1.000,00", "NaN",
            "Infinity", "0x10", "1_000", "١٢", "1.5.0",
        ] {
            assert_eq!(code(bad), ErrorCode::InvalidAmount, "{bad:?}");
        }
        assert_eq!(code("1.005"), ErrorCode::AmountTooPrecise);
        assert_eq!(code("-1.00"), ErrorCode::NegativeAmount);
        assert_eq!(code("1000000000.00"), ErrorCode::AmountOutOfRange);
        assert_eq!(code("99999999999999999999999"), ErrorCode::AmountOutOfRange);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(Amount::from_decimal_rounded(d("0.005")).unwrap().cents(), 1);
        assert_eq!(Amount::from_decimal_rounded(d("0.015")).unwrap().cents(), 2);
        assert_eq!(Amount::from_decimal_rounded(d("0.025")).unwrap().cents(), 3);
        assert_eq!(
            Amount::from_decimal_rounded(d("0.0049")).unwrap().cents(),
            0
        );
        assert_eq!(
            Amount::from_decimal_rounded(d("2.675")).unwrap().cents(),
            268
        );
    }

    proptest! {
        #[test]
        fn cents_round_trip_through_strings(cents in 0..=MAX_CENTS) {
            let amount = Amount::from_cents(cents).unwrap();
            let text = amount.to_string();
            prop_assert_eq!(Amount::parse(&text).unwrap(), amount);
            prop_assert_eq!(amount.to_decimal().to_string(), text);
        }

        #[test]
        fn one_decimal_means_tens_of_cents(units in 0i64..1_000_000, tenth in 0i64..10) {
            let parsed = Amount::parse(&format!("{units}.{tenth}")).unwrap();
            prop_assert_eq!(parsed.cents(), units * 100 + tenth * 10);
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,30}") {
            let _ = Amount::parse(&text);
        }
    }
}
