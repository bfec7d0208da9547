//! EPC QR code payload (EPC069-12 "SEPA credit transfer QR", standards §7):
//! service tag `BCD`, version `002` (`001`, BIC mandatory, for an account
//! outside the EEA), character set `1` (UTF-8), `SCT`, then
//! BIC, beneficiary, IBAN, amount, purpose, remittance (structured line 10
//! *or* unstructured line 11) and beneficiary-to-originator information.
//! Lines are separated by LF; trailing empty optional lines are dropped (no
//! separator after the last element). At most 331 bytes (version 13-M).

use super::Symbol;
use super::{encode, not_applicable, reference};
use crate::block::{Method, PaymentBlock};
use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::{Amount, Currency};
use crate::prelude::*;
use crate::shape::json::{count_text, int_text};

/// Byte capacity of a version 13 symbol at level M: EPC069-12's limit.
pub const MAX_BYTES: usize = 331;
pub const MAX_VERSION: u8 = 13;

/// Remittance information: an RF creditor reference goes to the structured
/// line 10, anything else to the unstructured line 11 (never both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remittance<'a> {
    None,
    Structured(&'a str),
    Unstructured(&'a str),
}

/// The data elements of one EPC QR code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpcData<'a> {
    pub bic: Option<&'a str>,
    pub name: &'a str,
    pub iban: &'a str,
    pub amount: Option<Amount>,
    pub purpose: Option<&'a str>,
    pub remittance: Remittance<'a>,
    pub information: Option<&'a str>,
}

/// Whether `text` holds U+FFFD (UTF-8 EF BF BD), compared as bytes.
#[inline(never)]
fn damaged(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| w == [0xef, 0xbf, 0xbd])
}

fn too_long(what: &str, max: usize, path: &str) -> BillPayError {
    BillPayError::new(
        ErrorCode::InvalidText,
        [
            "has at most ",
            &count_text(max),
            " characters in an EPC QR code (",
            what,
            ")",
        ]
        .concat(),
    )
    .at(path)
}

/// `EUR12.3`: the amount with trailing zeros of the cents dropped, as in the
/// guideline's own example (`EUR12.30` and `EUR20.00` would be valid too).
fn amount_element(amount: Amount) -> String {
    let (units, cents) = amount.split();
    match cents {
        0 => ["EUR", &int_text(units)].concat(),
        c if c % 10 == 0 => ["EUR", &int_text(units), ".", &int_text(c / 10)].concat(),
        c => {
            let tens = if c < 10 { ".0" } else { "." };
            ["EUR", &int_text(units), tens, &int_text(c)].concat()
        }
    }
}

impl EpcData<'_> {
    /// The payload text. Paths in errors name the block's fields.
    pub fn payload(&self) -> Result<String> {
        let chars = crate::block::char_count;
        if self.name.is_empty() || chars(self.name) > 70 {
            return Err(too_long(
                "beneficiary name, 1 to 70",
                70,
                "bankAccount.accountHolder",
            ));
        }
        let (structured, unstructured) = match self.remittance {
            Remittance::None => ("", ""),
            Remittance::Structured(r) => (r, ""),
            Remittance::Unstructured(t) => ("", t),
        };
        if chars(structured) > 35 || chars(unstructured) > 140 {
            return Err(too_long(
                "remittance: reference 35, text 140",
                140,
                "bankAccount.invoiceReference",
            ));
        }
        // U+FFFD is what a damaged character became on its way here (a
        // string cut inside an emoji, a lone surrogate): a payment code would
        // carry it to the bank as it is. The Swiss QR-bill refuses it too.
        let damaged_at = if damaged(self.name) {
            Some("bankAccount.accountHolder")
        } else if damaged(structured) || damaged(unstructured) {
            Some("bankAccount.invoiceReference")
        } else {
            None
        };
        if let Some(path) = damaged_at {
            return Err(BillPayError::new(
                ErrorCode::InvalidText,
                "holds U+FFFD, a character damaged before it got here (a string cut inside an emoji or a lone surrogate): an EPC QR code would carry it to the bank",
            )
            .at(path));
        }
        let amount = self.amount.map(amount_element).unwrap_or_default();
        // Version 002 made the BIC optional, inside the EEA only; a code for
        // an account outside it carries the BIC as version 001, where the
        // BIC is mandatory (standards §11: "version 001 when a BIC is
        // required"), so that no app reads it as optional.
        let bic_required = !is_eea_country(self.iban.get(..2).unwrap_or(""));
        let lines = [
            "BCD",
            if bic_required && self.bic.is_some() {
                "001"
            } else {
                "002"
            },
            "1",
            "SCT",
            self.bic.unwrap_or(""),
            self.name,
            self.iban,
            &amount,
            self.purpose.unwrap_or(""),
            structured,
            unstructured,
            self.information.unwrap_or(""),
        ];
        let used = lines
            .iter()
            .rposition(|line| !line.is_empty())
            .map_or(0, |last| last + 1);
        let payload = super::join_lines(lines.get(..used).unwrap_or(&lines));
        if payload.len() > MAX_BYTES {
            return Err(BillPayError::new(
                ErrorCode::QrDataTooLong,
                [
                    "the EPC QR code holds at most ",
                    &count_text(MAX_BYTES),
                    " bytes, this payment needs ",
                    &count_text(payload.len()),
                    " (long names or references with non-ASCII letters take two or more bytes per letter)",
                ]
                .concat(),
            )
            .at("bankAccount"));
        }
        Ok(payload)
    }
}

/// EEA countries (EU, Iceland, Liechtenstein, Norway) plus the other SEPA
/// scheme countries whose IBANs an SCT reaches (CH, GB, the Crown
/// dependencies, Andorra, Monaco, San Marino, Vatican, and since 2025
/// Albania, Montenegro, Moldova and North Macedonia).
const SEPA: &str = "AD AL AT BE BG CH CY CZ DE DK EE ES FI FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO SE SI SK SM VA";

pub fn is_sepa_country(country: &str) -> bool {
    country.len() == 2 && SEPA.split(' ').any(|c| c == country)
}

/// The SEPA countries outside the EEA, where EPC version 002 still needs a BIC.
const SEPA_OUTSIDE_EEA: &str = "AD AL CH GB GG GI IM JE MC MD ME MK SM VA";

fn is_eea_country(country: &str) -> bool {
    is_sepa_country(country) && !SEPA_OUTSIDE_EEA.split(' ').any(|c| c == country)
}

/// The EPC QR payload of a EUR invoice block.
///
/// The BIC is written whenever the block has one (older banking apps still
/// expect it); EPC version 002 lets it be left out only inside the EEA. The reference goes to line
/// 10 when it is a valid RF reference, else to line 11 as text.
pub fn payload(block: &PaymentBlock) -> Result<String> {
    if block.currency != Currency::Eur {
        return Err(not_applicable(
            "the EPC QR code is for EUR transfers; CHF is paid with the Swiss QR-bill",
            "currency",
        ));
    }
    if block.method != Method::Invoice {
        return Err(not_applicable(
            "only invoices are paid by a single transfer; this method has no EPC QR code",
            "method",
        ));
    }
    let account = block.transfer_account().ok_or_else(|| {
        BillPayError::new(
            ErrorCode::MissingBankAccount,
            "an EPC QR code needs the order's bank data",
        )
        .at("bankAccount")
    })?;
    let iban = account.iban.as_str();
    if !is_sepa_country(account.iban.country()) {
        return Err(not_applicable(
            [
                "the EPC QR code is for SEPA accounts; \"",
                account.iban.country(),
                "\" is not a SEPA country",
            ]
            .concat(),
            "bankAccount.iban",
        ));
    }
    let rf = reference::creditor_reference(&account.invoice_reference);
    let remittance = match &rf {
        Some(rf) => Remittance::Structured(rf),
        None => Remittance::Unstructured(&account.invoice_reference),
    };
    // Version 002 makes the BIC optional inside the EEA only.
    if account.bic.is_none() && !is_eea_country(account.iban.country()) {
        return Err(BillPayError::new(
            ErrorCode::MissingField,
            [
                "an EPC QR code for an account outside the EEA (\"",
                account.iban.country(),
                "\") needs the BIC",
            ]
            .concat(),
        )
        .at("bankAccount.bic"));
    }
    EpcData {
        bic: account.bic.as_ref().map(|bic| bic.as_str()),
        name: &account.account_holder,
        iban,
        amount: Some(block.amount),
        purpose: None,
        remittance,
        information: None,
    }
    .payload()
}

/// The payload and its symbol (level M, version ≤ 13).
pub fn symbol(block: &PaymentBlock) -> Result<(String, Symbol)> {
    let payload = payload(block)?;
    let qr = encode(&payload, MAX_VERSION)?;
    Ok((payload, qr))
}
