//! The payment block's data: what a shop hands us to print, checked once.
//!
//! Inputs arrive as JSON (from JS objects); `*Input` structs mirror the public
//! TypeScript shapes exactly (unknown fields are refused, so typos surface), and
//! `PaymentBlock::from_input` turns them into checked domain values, naming the
//! field of the first problem.

use crate::date::Date;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::iban::{Bic, Iban};
use crate::money::{quoted, Amount, Currency};
use crate::prelude::*;
use crate::shape::Encode;

crate::input_shape! {
    /// The order's bank data as BillPay returned it (preauthorize with
    /// auto-capture, capture, invoiceCreated, getBillPayBankData).
    pub struct BankAccountInput => "BankAccount" {
        pub account_holder "accountHolder": String,
        pub iban "iban": String,
        /// May be "": the row is skipped, as in BillPay's layout (an EPC QR code outside the EEA needs it).
        pub bic "bic": String,
        /// May be "": the row is skipped.
        pub bank_name "bankName": String,
        pub invoice_reference "invoiceReference": String,
        /// "YYYY-MM-DD"; BillPay returns it on activation.
        pub due_date "dueDate": Option<String>,
        pub activated "activated": bool,
    }
}

crate::input_shape! {
    /// What the payment block prints.
    pub struct PaymentBlockInput => "PaymentBlock" {
        pub method "method": String as Method,
        /// Decimal string, e.g. "1234.50".
        pub amount "amount": String,
        pub currency "currency": String as Currency,
        pub bank_account "bankAccount": Option<BankAccountInput>,
        /// The customer's country: without `options.locale` the block speaks its language (nl for NL, else de).
        pub customer_country "customerCountry": Option<String> as Option<Country>,
    }
}

crate::string_enum! {
    pub enum Method => "PaymentMethod", ErrorCode::UnsupportedMethod,
        "method is one of \"invoice\", \"directDebit\", \"paylater\", \"transactionCredit\"," {
        Invoice = "invoice",
        DirectDebit = "directDebit",
        PayLater = "paylater",
        TransactionCredit = "transactionCredit",
    }
}

crate::string_enum! {
    /// The customer's billing countries BillPay serves.
    pub enum Country => "Country", ErrorCode::UnsupportedCountry,
        "BillPay serves customers in \"DE\", \"AT\", \"CH\" and \"NL\"," {
        De = "DE",
        At = "AT",
        Ch = "CH",
        Nl = "NL",
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankAccount {
    pub account_holder: String,
    pub iban: Iban,
    /// Empty values are skipped in BillPay's layout; an IBAN alone routes a SEPA transfer.
    pub bic: Option<Bic>,
    pub bank_name: Option<String>,
    pub invoice_reference: String,
    pub due_date: Option<Date>,
    pub activated: bool,
}

/// In the shape it came in (`BankAccountInput`): what BillPay's answers
/// give the client is what `renderPaymentBlock` takes.
impl Encode for BankAccount {
    fn encode(&self, out: &mut String) {
        use crate::shape::member;
        let mut first = true;
        out.push('{');
        member(out, &mut first, "accountHolder", &self.account_holder);
        member(out, &mut first, "iban", self.iban.as_str());
        member(
            out,
            &mut first,
            "bic",
            self.bic.as_ref().map_or("", Bic::as_str),
        );
        member(
            out,
            &mut first,
            "bankName",
            self.bank_name.as_deref().unwrap_or(""),
        );
        member(out, &mut first, "invoiceReference", &self.invoice_reference);
        member(out, &mut first, "dueDate", &self.due_date);
        member(out, &mut first, "activated", &self.activated);
        out.push('}');
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl crate::shape::typescript::TsType for BankAccount {
    fn ts_name() -> String {
        <BankAccountInput as crate::shape::typescript::TsType>::ts_name()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentBlock {
    pub method: Method,
    pub amount: Amount,
    pub currency: Currency,
    pub bank_account: Option<BankAccount>,
    pub customer_country: Option<Country>,
}

/// Free text that will be printed (holder, bank name, reference): anything a
/// person could write, but no control characters (they would break the text
/// layout and have no business on an invoice) and a sane length.
pub fn check_text(text: &str, max_chars: usize, path: &str) -> Result<String> {
    // Most values have nothing to trim: their first and last bytes say so
    // without walking characters.
    let untrimmed = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    let trimmed = if untrimmed(text.as_bytes().first()) && untrimmed(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    };
    if trimmed.is_empty() {
        return Err(BillPayError::new(ErrorCode::InvalidText, "must not be empty").at(path));
    }
    // `char::is_control` on bytes: C0 and DEL are single bytes, C1 is
    // 0xC2 0x80..=0x9F; characters are the bytes that start one. In the same
    // pass, bidirectional embeddings, overrides and isolates (U+202A-U+202E:
    // E2 80 AA-AE, U+2066-U+2069: E2 81 A6-A9), which reorder how the text
    // around them is shown ("BillPay\u{202e}0684" prints backwards) and
    // which escaping does not neutralise.
    let bytes = trimmed.as_bytes();
    let next = |i: usize| (bytes.get(i + 1).copied(), bytes.get(i + 2).copied());
    // And the noncharacters U+FFFE and U+FFFF (EF BF BE-BF), which no XML
    // document may hold (BillPay's requests) and no text should.
    let refused = bytes.iter().enumerate().find_map(|(i, &b)| match b {
        0..=0x1f | 0x7f => Some("must not contain control characters (line breaks, tabs, ...)"),
        // C1 controls, and the line and paragraph separators U+2028 and
        // U+2029 (E2 80 A8-A9), which readers of the codes' line-based
        // payloads and mail clients may take for line breaks.
        0xc2 if matches!(next(i).0, Some(0x80..=0x9f)) => {
            Some("must not contain control characters (line breaks, tabs, ...)")
        }
        0xe2 if matches!(next(i), (Some(0x80), Some(0xa8..=0xa9))) => {
            Some("must not contain control characters (line breaks, tabs, ...)")
        }
        0xe2 if matches!(
            next(i),
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ) =>
        {
            Some("must not contain bidirectional overrides (U+202A-U+202E, U+2066-U+2069)")
        }
        0xef if matches!(next(i), (Some(0xbf), Some(0xbe..=0xbf))) => {
            Some("must not contain the noncharacters U+FFFE and U+FFFF")
        }
        _ => None,
    });
    if let Some(message) = refused {
        return Err(BillPayError::new(ErrorCode::InvalidText, message).at(path));
    }
    let chars = char_count(trimmed);
    if chars > max_chars {
        let mut message = String::from("has at most ");
        crate::shape::json::push_int(&mut message, i64::try_from(max_chars).unwrap_or(0));
        message.push_str(" characters, got ");
        message.push_str(&quoted("", trimmed));
        return Err(BillPayError::new(ErrorCode::InvalidText, message).at(path));
    }
    Ok(trimmed.to_owned())
}

/// The characters of `text`: the bytes that start one. `chars().count()`
/// does the same with a word-at-a-time loop that is 0.8 KB of module, for
/// texts of a few dozen characters.
pub(crate) fn char_count(text: &str) -> usize {
    text.bytes().filter(|b| b & 0xc0 != 0x80).count()
}

/// `None` for a value that is empty or only spaces.
fn optional(text: &str) -> Option<&str> {
    Some(text).filter(|t| !t.trim().is_empty())
}

impl BankAccount {
    pub fn from_input(input: &BankAccountInput) -> Result<BankAccount> {
        let due_date = input
            .due_date
            .as_deref()
            .map(|d| Date::parse_iso_at(d, "dueDate"))
            .transpose()?;
        if input.activated && due_date.is_none() {
            return Err(BillPayError::new(
                ErrorCode::MissingField,
                "an activated order has a due date (BillPay returns it on activation)",
            )
            .at("dueDate"));
        }
        Ok(BankAccount {
            // AN..255 in BillPay's bank data fields.
            account_holder: check_text(&input.account_holder, 255, "accountHolder")?,
            iban: Iban::parse(&input.iban).map_err(|e| e.at("iban"))?,
            bic: optional(&input.bic)
                .map(|bic| Bic::parse(bic).map_err(|e| e.at("bic")))
                .transpose()?,
            bank_name: optional(&input.bank_name)
                .map(|name| check_text(name, 255, "bankName"))
                .transpose()?,
            invoice_reference: check_text(&input.invoice_reference, 255, "invoiceReference")?,
            due_date,
            activated: input.activated,
        })
    }
}

impl PaymentBlock {
    pub fn from_input(input: &PaymentBlockInput) -> Result<PaymentBlock> {
        let method = Method::parse(&input.method).map_err(|e| e.at("method"))?;
        let amount = Amount::parse_at(&input.amount, "amount")?;
        if amount == Amount::ZERO {
            return Err(BillPayError::new(
                ErrorCode::AmountOutOfRange,
                "a payment block is for at least 0.01",
            )
            .at("amount"));
        }
        let currency = Currency::parse(&input.currency).map_err(|e| e.at("currency"))?;
        let bank_account = input
            .bank_account
            .as_ref()
            .map(|b| BankAccount::from_input(b).map_err(|e| e.at("bankAccount")))
            .transpose()?;
        let needs_account = method == Method::Invoice
            || (method == Method::TransactionCredit && currency == Currency::Chf);
        if needs_account && bank_account.is_none() {
            return Err(BillPayError::new(
                ErrorCode::MissingBankAccount,
                "this payment method is paid by bank transfer: pass the order's bank data from BillPay",
            )
            .at("bankAccount"));
        }
        let customer_country = input
            .customer_country
            .as_deref()
            .map(|c| Country::parse(c).map_err(|e| e.at("customerCountry")))
            .transpose()?;
        Ok(PaymentBlock {
            method,
            amount,
            currency,
            bank_account,
            customer_country,
        })
    }

    pub fn from_json(json: &str) -> Result<PaymentBlock> {
        let input: PaymentBlockInput = crate::shape::from_json(json)?;
        PaymentBlock::from_input(&input)
    }

    /// The account the customer transfers to: invoices, and transaction
    /// credit in CHF (paid by transfer); `None` for every debited method.
    pub fn transfer_account(&self) -> Option<&BankAccount> {
        match (self.method, self.currency) {
            (Method::Invoice, _) | (Method::TransactionCredit, Currency::Chf) => {
                self.bank_account.as_ref()
            }
            _ => None,
        }
    }
}
