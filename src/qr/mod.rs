//! Scannable payment codes: the EPC QR code (EPC069-12) for EUR transfers and
//! the Swiss QR-bill (SIX IG QR-bill v2.3) for CHF and for CH/LI accounts.
//!
//! `epc` and `swiss` build the payloads (pure data, byte-exact), `charset`
//! holds the QR-bill character set, `reference` the RF and QR reference
//! checks, `svg` draws a symbol as one `<path>` and `png` as an image for
//! e-mails, `bill` lays out the QR-bill's payment part and receipt. The QR symbol itself comes from `billpay_qr_symbol`
//! (crates/qr-symbol).

pub mod bill;
pub mod charset;
pub mod epc;
pub mod png;
pub mod reference;
pub mod svg;
pub mod swiss;

use crate::block::{BankAccount, PaymentBlock};
use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::Currency;
use crate::prelude::*;
use crate::shape::json::{count_text, int_text};

/// Which code a payment block carries with `qr: "auto"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// EPC QR code: EUR invoices to a SEPA account outside CH/LI.
    Epc,
    /// Swiss QR-bill: CHF, and EUR to a CH/LI account (the Swiss market
    /// expects the QR-bill there, standards §1).
    Swiss,
}

/// The code for a block, or `None` when the customer does not transfer money
/// (direct debit, PayLater, EUR transaction credit) or no scheme fits (e.g.
/// CHF to an account outside CH/LI).
pub fn scheme_for(block: &PaymentBlock) -> Option<Scheme> {
    let account = block.transfer_account()?;
    let swiss_account = is_swiss_account(account);
    match block.currency {
        _ if swiss_account => Some(Scheme::Swiss),
        Currency::Eur if epc::is_sepa_country(account.iban.country()) => Some(Scheme::Epc),
        _ => None,
    }
}

pub(crate) fn is_swiss_account(account: &BankAccount) -> bool {
    matches!(account.iban.country(), "CH" | "LI")
}

/// A drawn QR symbol: `size()` and `get_module(x, y)` as in qrcodegen.
pub(crate) use billpay_qr_symbol::Masked as Symbol;

/// Encodes bytes as a QR symbol: byte mode, error correction level M (both
/// standards), the smallest version up to `max_version`, no ECC boost (the
/// level is prescribed, not a minimum we may exceed), the mask of lowest
/// penalty: module for module the symbol qrcodegen draws.
pub(crate) fn encode(payload: &str, max_version: u8) -> Result<Symbol> {
    let max_version = max_version.min(billpay_qr_symbol::MAX_VERSION);
    billpay_qr_symbol::encode(payload.as_bytes(), max_version).ok_or_else(|| {
        BillPayError::new(
            ErrorCode::QrDataTooLong,
            [
                "the payment data (",
                &count_text(payload.len()),
                " bytes) does not fit a QR code of version ",
                &int_text(i64::from(max_version)),
                " at error correction level M",
            ]
            .concat(),
        )
    })
}

/// Elements separated by LF, nothing after the last one.
pub(crate) fn join_lines(lines: &[&str]) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// The error for a block that has no code of the requested kind.
pub(crate) fn not_applicable(message: impl Into<String>, path: &str) -> BillPayError {
    BillPayError::new(ErrorCode::QrNotApplicable, message).at(path)
}

#[cfg(test)]
mod mask_tests {
    use super::*;
    use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

    /// What `encode` draws is what qrcodegen draws choosing the mask itself,
    /// for payloads of every version a payment code can have.
    #[test]
    fn symbols_are_qrcodegens() {
        for len in (1..=990).step_by(23) {
            let payload: String = (0..len)
                .map(|i| char::from(b'A' + (i * 7 % 26) as u8))
                .collect();
            let ours = encode(&payload, 25).unwrap();
            let theirs = QrCode::encode_segments_advanced(
                &[QrSegment::make_bytes(payload.as_bytes())],
                QrCodeEcc::Medium,
                Version::MIN,
                Version::new(25),
                None,
                false,
            )
            .unwrap();
            assert_eq!(ours.mask(), theirs.mask().value(), "{len} bytes");
            assert_eq!(ours.size(), theirs.size());
            for y in 0..ours.size() {
                for x in 0..ours.size() {
                    assert_eq!(
                        ours.get_module(x, y),
                        theirs.get_module(x, y),
                        "{len} bytes, ({x}, {y})"
                    );
                }
            }
        }
    }
}
