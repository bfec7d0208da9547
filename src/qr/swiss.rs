//! Swiss QR Code payload (SIX IG QR-bill v2.3, standards §6.2): `SPC`,
//! `0200`, coding `1`, the CH/LI IBAN, the creditor as a structured address
//! (type `S`, the only type v2.3 allows), seven empty ultimate-creditor
//! elements, amount and currency, the debtor (seven empty elements when
//! unknown), the reference type and reference, the unstructured message,
//! `EPD`, then bill information and alternative procedures only when used.
//! Elements are separated by LF; nothing follows the last element.

use super::Symbol;
use super::{charset, encode, is_swiss_account, not_applicable, reference};
use crate::block::PaymentBlock;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::iban::{is_iso_country, Iban};
use crate::money::{clip, quoted, Amount, Currency};
use crate::prelude::*;
use crate::shape::json::count_text;

pub const MAX_VERSION: u8 = 25;
/// IG 5.2: at most 997 characters including the separators, as bytes of
/// UTF-8 (what a version 25 symbol at level M holds).
pub const MAX_BYTES: usize = 997;

crate::input_shape! {
    /// The creditor printed on a Swiss QR-bill (a structured address, type "S").
    /// Default: `{ name: "BillPay GmbH, Zweigniederlassung Schweiz", postalCode: "8105",
    /// town: "Regensdorf", country: "CH" }` (BillPay's Swiss branch).
    pub struct CreditorInput => "Creditor" {
        /// At most 70 characters.
        pub name "name": String,
        /// At most 70 characters.
        pub street "street": Option<String>,
        /// At most 16 characters.
        pub house_number "houseNumber": Option<String>,
        /// Without country prefix; at most 16 characters.
        pub postal_code "postalCode": String,
        /// At most 35 characters.
        pub town "town": String,
        /// ISO 3166-1 alpha-2, upper case.
        pub country "country": String,
    }
}

crate::input_shape! {
    pub struct SwissQrBillOptionsInput => "SwissQrBillOptions" {
        /// Headings in de, fr, it or en (nl prints the English ones). Default "de".
        pub locale "locale": Option<String> as Option<crate::render::i18n::Locale>,
    }
}

/// The creditor's fields, absent optional ones empty.
#[derive(Clone, Copy, Debug)]
pub struct CreditorFields<'a> {
    pub name: &'a str,
    pub street: &'a str,
    pub house_number: &'a str,
    pub postal_code: &'a str,
    pub town: &'a str,
    pub country: &'a str,
}

/// A structured address (type `S`), checked and in the QR-bill character set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub town: String,
    pub country: String,
}

/// The creditor when none is given: BillPay's Swiss branch, which holds the
/// CH accounts BillPay assigns (documented in README.md and `Creditor` in
/// `pkg/core.d.ts`). No street: it is optional in a type `S` address; pass a
/// creditor to print a full address.
pub const DEFAULT_CREDITOR_NAME: &str = "BillPay GmbH, Zweigniederlassung Schweiz";
pub const DEFAULT_CREDITOR_POSTAL_CODE: &str = "8105";
pub const DEFAULT_CREDITOR_TOWN: &str = "Regensdorf";
pub const DEFAULT_CREDITOR_COUNTRY: &str = "CH";

/// Checks one address element: trimmed, in the character set, within `max`
/// characters, and present when `required`.
fn element(value: &str, max: usize, required: bool, path: &str) -> Result<String> {
    // Trimmed after the transliteration too: special spaces become spaces
    // and zero-width characters nothing, which must neither stay at the
    // ends nor pass for a name.
    let value = charset::to_swiss(value.trim(), path)?.trim().to_owned();
    if required && value.is_empty() {
        return Err(BillPayError::new(ErrorCode::InvalidText, "must not be empty").at(path));
    }
    if crate::block::char_count(&value) > max {
        return Err(BillPayError::new(
            ErrorCode::InvalidText,
            [
                "has at most ",
                &count_text(max),
                " characters in a Swiss QR-bill, got \"",
                &clip(&value),
                "\"",
            ]
            .concat(),
        )
        .at(path));
    }
    Ok(value)
}

/// The IG wants the postal code without a country prefix ("8001", not
/// "CH-8001"): the country has its own element, and scanners would print it twice.
fn postal_code(value: &str, country: &str, path: &str) -> Result<String> {
    let code = element(value, 16, true, path)?;
    let letters = code.bytes().take_while(u8::is_ascii_alphabetic).count();
    let dash_prefix = (1..=3).contains(&letters) && code.as_bytes().get(letters) == Some(&b'-');
    let country_prefix = code
        .get(..country.len() + 1)
        .is_some_and(|head| head.eq_ignore_ascii_case(&[country, " "].concat()));
    if dash_prefix || country_prefix {
        return Err(BillPayError::new(
            ErrorCode::InvalidText,
            quoted(
                "a postal code goes without the country prefix (\"8001\", not \"CH-8001\"), got ",
                &code,
            ),
        )
        .at(path));
    }
    Ok(code)
}

impl Default for Address {
    fn default() -> Self {
        Address {
            name: DEFAULT_CREDITOR_NAME.to_owned(),
            street: String::new(),
            house_number: String::new(),
            postal_code: DEFAULT_CREDITOR_POSTAL_CODE.to_owned(),
            town: DEFAULT_CREDITOR_TOWN.to_owned(),
            country: DEFAULT_CREDITOR_COUNTRY.to_owned(),
        }
    }
}

impl Address {
    /// Field lengths of IG 4.3.2 (name 70, street 70, number 16, postcode
    /// 16, town 35, country ISO 3166-1 alpha-2); `path` prefixes the fields.
    pub fn from_fields(input: &CreditorFields, path: &str) -> Result<Address> {
        let at = |field: &str| [path, ".", field].concat();
        let country = input.country.trim();
        if !(country.len() == 2 && is_iso_country(country)) {
            return Err(BillPayError::new(
                ErrorCode::InvalidCountryCode,
                quoted(
                    "expected an ISO 3166 country code in upper case (\"CH\"), got ",
                    country,
                ),
            )
            .at(&at("country")));
        }
        Ok(Address {
            name: element(input.name, 70, true, &at("name"))?,
            street: element(input.street, 70, false, &at("street"))?,
            house_number: element(input.house_number, 16, false, &at("houseNumber"))?,
            postal_code: postal_code(input.postal_code, country, &at("postalCode"))?,
            town: element(input.town, 35, true, &at("town"))?,
            country: country.to_owned(),
        })
    }

    /// No creditor given means [`Address::default`].
    pub fn from_creditor(creditor: Option<&CreditorInput>) -> Result<Address> {
        creditor.map_or(Ok(Address::default()), |c| {
            let fields = CreditorFields {
                name: &c.name,
                street: c.street.as_deref().unwrap_or(""),
                house_number: c.house_number.as_deref().unwrap_or(""),
                postal_code: &c.postal_code,
                town: &c.town,
                country: &c.country,
            };
            Address::from_fields(&fields, "creditor")
        })
    }

    fn elements(&self) -> [&str; 7] {
        [
            "S",
            &self.name,
            &self.street,
            &self.house_number,
            &self.postal_code,
            &self.town,
            &self.country,
        ]
    }

    /// Printed form: name, street and number (unless `short`), postcode and
    /// town (with the country code in front for addresses outside CH/LI).
    /// The short form is for a receipt too narrow for long addresses.
    pub fn display_lines(&self, short: bool) -> Vec<String> {
        let mut lines = vec![self.name.clone()];
        let street = match (self.street.is_empty(), self.house_number.is_empty()) {
            _ if short => String::new(),
            (false, false) => [self.street.as_str(), " ", &self.house_number].concat(),
            (false, true) => self.street.clone(),
            (true, false) => self.house_number.clone(),
            (true, true) => String::new(),
        };
        if !street.is_empty() {
            lines.push(street);
        }
        lines.push(match self.country.as_str() {
            "CH" | "LI" => [self.postal_code.as_str(), " ", &self.town].concat(),
            country => [country, "-", &self.postal_code, " ", &self.town].concat(),
        });
        lines
    }
}

/// Reference type and reference (IG 4.3.3): QRR only with a QR-IBAN and a
/// QR-IBAN only with QRR; SCOR (ISO 11649) or NON with a normal IBAN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    Qrr(String),
    Scor(String),
    Non,
}

impl Reference {
    pub fn type_code(&self) -> &'static str {
        match self {
            Reference::Qrr(_) => "QRR",
            Reference::Scor(_) => "SCOR",
            Reference::Non => "NON",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Reference::Qrr(r) | Reference::Scor(r) => r,
            Reference::Non => "",
        }
    }

    /// Paper form: QRR in groups of five from the right, SCOR in fours.
    pub fn formatted(&self) -> String {
        match self {
            Reference::Qrr(r) => reference::format_qr_reference(r),
            Reference::Scor(r) => crate::iban::group(r, 4),
            Reference::Non => String::new(),
        }
    }
}

/// Everything one Swiss QR Code says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwissBill {
    pub iban: Iban,
    pub creditor: Address,
    /// `None`: the payer enters the amount.
    pub amount: Option<Amount>,
    pub currency: Currency,
    pub debtor: Option<Address>,
    pub reference: Reference,
    pub message: String,
    pub bill_information: String,
    pub alternatives: Vec<String>,
}

impl SwissBill {
    /// The bill of a block: the block's account, amount (none for
    /// instalments) and currency, the creditor, an unknown debtor; the
    /// BillPay reference as QRR (QR-IBAN), SCOR (an RF reference) or, when
    /// it is neither, as the unstructured message with type NON. A QR
    /// reference with a normal IBAN is `QR_REFERENCE_MISMATCH`.
    pub fn from_block(block: &PaymentBlock, creditor: Address) -> Result<SwissBill> {
        let account = block.transfer_account().ok_or_else(|| {
            not_applicable(
                "only invoices (and Swiss transaction credit) are paid by transfer; this block has no Swiss QR-bill",
                "method",
            )
        })?;
        if !is_swiss_account(account) {
            return Err(not_applicable(
                [
                    "the Swiss QR-bill needs a CH or LI account, got a ",
                    account.iban.country(),
                    " IBAN",
                ]
                .concat(),
                "bankAccount.iban",
            ));
        }
        let path = "bankAccount.invoiceReference";
        let raw = account.invoice_reference.as_str();
        let (reference, message) = if account.iban.is_qr_iban() {
            let qrr = reference::qr_reference(raw).ok_or_else(|| {
                BillPayError::new(
                    ErrorCode::QrReferenceMismatch,
                    quoted(
                        "a QR-IBAN is paid with a QR reference (27 digits with check digit, not all zeros), got ",
                        raw,
                    ),
                )
                .at(path)
            })?;
            (Reference::Qrr(qrr), String::new())
        } else if reference::qr_reference(raw).is_some() {
            // A QR reference belongs to a QR-IBAN (IG v2.3): printed as a
            // message to a normal IBAN it would not reach the creditor's
            // reconciliation. The order's bank data do not fit together.
            return Err(BillPayError::new(
                ErrorCode::QrReferenceMismatch,
                quoted(
                    &[
                        "a QR reference is paid to a QR-IBAN, but ",
                        &account.iban.formatted(),
                        " is a normal IBAN; got ",
                    ]
                    .concat(),
                    raw,
                ),
            )
            .at(path));
        } else if let Some(rf) = reference::creditor_reference(raw) {
            (Reference::Scor(rf), String::new())
        } else {
            (Reference::Non, element(raw, 140, true, path)?)
        };
        let bill = SwissBill {
            iban: account.iban.clone(),
            creditor,
            amount: (block.method == crate::block::Method::Invoice).then_some(block.amount),
            currency: block.currency,
            debtor: None,
            reference,
            message,
            bill_information: String::new(),
            alternatives: Vec::new(),
        };
        bill.check()?;
        Ok(bill)
    }

    /// The rules of IG v2.3 that the types do not already guarantee.
    pub fn check(&self) -> Result<()> {
        if !matches!(self.iban.country(), "CH" | "LI") {
            return Err(not_applicable(
                "the Swiss QR-bill needs a CH or LI account",
                "bankAccount.iban",
            ));
        }
        let paired = match &self.reference {
            Reference::Qrr(r) => {
                self.iban.is_qr_iban() && reference::qr_reference(r).as_deref() == Some(r)
            }
            Reference::Scor(r) => {
                !self.iban.is_qr_iban() && reference::creditor_reference(r).as_deref() == Some(r)
            }
            Reference::Non => !self.iban.is_qr_iban(),
        };
        if !paired {
            return Err(BillPayError::new(
                ErrorCode::QrReferenceMismatch,
                "a QR-IBAN takes a valid QR reference (QRR) and nothing else; a normal IBAN takes an RF reference (SCOR) or none",
            )
            .at("bankAccount.invoiceReference"));
        }
        if self.amount == Some(Amount::ZERO) {
            return Err(BillPayError::new(
                ErrorCode::AmountOutOfRange,
                "a Swiss QR-bill is for 0.01 to 999999999.99",
            )
            .at("amount"));
        }
        let text = crate::block::char_count(&self.message)
            + crate::block::char_count(&self.bill_information);
        if text > 140 {
            return Err(BillPayError::new(
                ErrorCode::InvalidText,
                "the message and the bill information have at most 140 characters together",
            )
            .at("bankAccount.invoiceReference"));
        }
        if self.alternatives.len() > 2
            || self
                .alternatives
                .iter()
                .any(|a| crate::block::char_count(a) > 100)
        {
            return Err(BillPayError::new(
                ErrorCode::InvalidText,
                "at most two alternative procedures of 100 characters",
            ));
        }
        Ok(())
    }

    /// The payload text (not checked here: build through `from_block` or
    /// call `check` first).
    pub fn payload(&self) -> String {
        let amount = self.amount.map(Amount::decimal).unwrap_or_default();
        let empty = ["", "", "", "", "", "", ""];
        let mut lines: Vec<&str> = Vec::with_capacity(34);
        lines.extend(["SPC", "0200", "1", self.iban.as_str()]);
        lines.extend(self.creditor.elements());
        lines.extend(empty);
        lines.extend([amount.as_str(), self.currency.code()]);
        lines.extend(self.debtor.as_ref().map_or(empty, Address::elements));
        lines.extend([
            self.reference.type_code(),
            self.reference.value(),
            self.message.as_str(),
            "EPD",
        ]);
        if !self.bill_information.is_empty() || !self.alternatives.is_empty() {
            lines.push(&self.bill_information);
        }
        lines.extend(self.alternatives.iter().map(String::as_str));
        super::join_lines(&lines)
    }

    /// The payload after [`SwissBill::check`] and the 997-character limit.
    pub fn checked_payload(&self) -> Result<String> {
        self.check()?;
        let payload = self.payload();
        // IG 5.2's 997 characters are what a version 25 symbol at level M
        // holds in bytes; a letter outside ASCII takes two or three of them
        // in UTF-8, so the bytes are the limit that counts.
        if payload.len() > MAX_BYTES {
            return Err(BillPayError::new(
                ErrorCode::QrDataTooLong,
                [
                    "a Swiss QR Code holds at most ",
                    &count_text(MAX_BYTES),
                    " bytes, this payment needs ",
                    &count_text(payload.len()),
                    " (letters outside ASCII take two or three bytes)",
                ]
                .concat(),
            ));
        }
        Ok(payload)
    }

    /// The checked payload and its symbol (level M, version ≤ 25).
    pub fn symbol(&self) -> Result<(String, Symbol)> {
        let payload = self.checked_payload()?;
        let qr = encode(&payload, MAX_VERSION)?;
        Ok((payload, qr))
    }
}

/// `swissQrPayload(block, creditor?)`.
pub fn payload(block: &PaymentBlock, creditor: Address) -> Result<String> {
    SwissBill::from_block(block, creditor)?.checked_payload()
}
