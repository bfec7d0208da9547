//! The public functions, on declared shapes: what `crate::exports` lists and
//! the boundary calls once the arguments are decoded. Each is a few lines
//! over the domain modules; the results are declared shapes too.

use crate::block::PaymentBlockInput;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::iban::{Bic, Iban};
use crate::prelude::*;
use crate::qr::swiss::{Address, CreditorInput, SwissBill, SwissQrBillOptionsInput};
use crate::reference::{self, FoundReference};
use crate::render::{self, NoticeOptionsInput, RenderOptions, RenderOptionsInput};
use crate::shape::{member, push_failed, Encode, Verdict, FIELD_SEPARATOR};

pub fn payment_reference(order_number: &str, merchant_id: &str) -> Result<String> {
    reference::payment_reference(order_number, merchant_id)
}

pub fn find_payment_reference(text: &str) -> Result<Option<FoundReference>> {
    Ok(reference::find_payment_reference(text))
}

/// `checkIban`'s answer: the IBAN in both formats, or why it is not one.
#[derive(Debug, PartialEq, Eq)]
pub enum IbanCheck {
    Valid(Iban),
    Invalid { code: ErrorCode, message: String },
}

/// `checkBic`'s answer.
#[derive(Debug, PartialEq, Eq)]
pub enum BicCheck {
    Valid { bic: String },
    Invalid { code: ErrorCode, message: String },
}

fn encode_invalid(out: &mut String, code: ErrorCode, message: &str) {
    let mut first = true;
    out.push('{');
    member(out, &mut first, "valid", &false);
    member(out, &mut first, "code", &code);
    member(out, &mut first, "message", message);
    out.push('}');
}

impl Encode for IbanCheck {
    fn encode(&self, out: &mut String) {
        match self {
            // Written straight from the IBAN: nothing allocated but the answer.
            IbanCheck::Valid(iban) => {
                out.push_str("{\"valid\":true,\"iban\":\"");
                out.push_str(iban.as_str());
                out.push_str("\",\"formatted\":\"");
                iban.push_formatted(out);
                out.push_str("\",\"country\":\"");
                out.push_str(iban.country());
                out.push_str("\"}");
            }
            IbanCheck::Invalid { code, message } => encode_invalid(out, *code, message),
        }
    }
}

impl Verdict for IbanCheck {
    const FIELDS: &'static [&'static str] = &["iban", "formatted", "country"];

    fn encode_verdict(&self, out: &mut String) {
        match self {
            IbanCheck::Valid(iban) => iban.push_check_fields(out, FIELD_SEPARATOR),
            IbanCheck::Invalid { code, message } => push_failed(out, *code, message),
        }
    }
}

impl Verdict for BicCheck {
    const FIELDS: &'static [&'static str] = &["bic"];

    fn encode_verdict(&self, out: &mut String) {
        match self {
            BicCheck::Valid { bic } => out.push_str(bic),
            BicCheck::Invalid { code, message } => push_failed(out, *code, message),
        }
    }
}

impl Encode for BicCheck {
    fn encode(&self, out: &mut String) {
        match self {
            BicCheck::Valid { bic } => {
                let mut first = true;
                out.push('{');
                member(out, &mut first, "valid", &true);
                member(out, &mut first, "bic", bic);
                out.push('}');
            }
            BicCheck::Invalid { code, message } => encode_invalid(out, *code, message),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod check_types {
    use super::{BicCheck, IbanCheck};
    use crate::shape::typescript::{Declarations, TsType};

    impl TsType for IbanCheck {
        fn ts_name() -> String {
            "IbanCheck".to_owned()
        }

        fn ts_collect(decls: &mut Declarations) {
            decls.add::<crate::error::ErrorCode>();
            decls.raw(
                "IbanCheck",
                "export type IbanCheck =\n  | { valid: true; iban: string; formatted: string; country: string }\n  | { valid: false; code: ErrorCode; message: string };\n".to_owned(),
            );
        }
    }

    impl TsType for BicCheck {
        fn ts_name() -> String {
            "BicCheck".to_owned()
        }

        fn ts_collect(decls: &mut Declarations) {
            decls.add::<crate::error::ErrorCode>();
            decls.raw(
                "BicCheck",
                "export type BicCheck = { valid: true; bic: string } | { valid: false; code: ErrorCode; message: string };\n".to_owned(),
            );
        }
    }
}

/// Validation helpers return data instead of throwing; a value that is not
/// a string (`None`) is reported the same way.
pub fn check_iban(value: Option<&str>) -> Result<IbanCheck> {
    let Some(value) = value else {
        return Ok(IbanCheck::Invalid {
            code: ErrorCode::InvalidType,
            message: "an IBAN is passed as a string".to_owned(),
        });
    };
    Ok(match Iban::parse(value) {
        Ok(iban) => IbanCheck::Valid(iban),
        Err(error) => IbanCheck::Invalid {
            code: error.code,
            message: error.message,
        },
    })
}

pub fn check_bic(value: Option<&str>) -> Result<BicCheck> {
    let Some(value) = value else {
        return Ok(BicCheck::Invalid {
            code: ErrorCode::InvalidType,
            message: "a BIC is passed as a string".to_owned(),
        });
    };
    Ok(match Bic::parse(value) {
        Ok(bic) => BicCheck::Valid {
            bic: bic.as_str().to_owned(),
        },
        Err(error) => BicCheck::Invalid {
            code: error.code,
            message: error.message,
        },
    })
}

pub fn render_payment_block(
    block: PaymentBlockInput,
    options: Option<RenderOptionsInput>,
) -> Result<String> {
    let block = crate::block::PaymentBlock::from_input(&block)?;
    let options = match options {
        Some(input) => RenderOptions::from_input(&input).map_err(in_options)?,
        None => RenderOptions::default(),
    };
    render::render_payment_block(&block, options)
}

pub fn render_checkout_notice(options: NoticeOptionsInput) -> Result<String> {
    render::checkout_notice(&options)
}

pub fn error_codes() -> Result<Vec<ErrorCode>> {
    Ok(ErrorCode::ALL.to_vec())
}

// Scannable codes (`src/qr/`).

pub fn epc_payload(block: PaymentBlockInput) -> Result<String> {
    let block = crate::block::PaymentBlock::from_input(&block)?;
    crate::qr::epc::payload(&block)
}

/// The block's code (as its HTML draws it) as a PNG `data:` URI, for e-mails.
pub fn render_qr_code_png(block: PaymentBlockInput) -> Result<String> {
    let block = crate::block::PaymentBlock::from_input(&block)?;
    let png = crate::qr::png::block_code(&block)?;
    Ok(crate::qr::png::data_uri(&png))
}

/// `creditor`: `None` for BillPay's Swiss branch (the documented default).
pub fn swiss_qr_payload(
    block: PaymentBlockInput,
    creditor: Option<CreditorInput>,
) -> Result<String> {
    let block = crate::block::PaymentBlock::from_input(&block)?;
    let creditor = Address::from_creditor(creditor.as_ref())?;
    crate::qr::swiss::payload(&block, creditor)
}

pub fn render_swiss_qr_bill(
    block: PaymentBlockInput,
    creditor: Option<CreditorInput>,
    options: Option<SwissQrBillOptionsInput>,
) -> Result<String> {
    let block = crate::block::PaymentBlock::from_input(&block)?;
    let creditor = Address::from_creditor(creditor.as_ref())?;
    let locale = options.as_ref().and_then(|o| o.locale.as_deref());
    let locale = render::parse_locale(locale).map_err(in_options)?;
    let bill = SwissBill::from_block(&block, creditor)?;
    let (_, qr) = bill.symbol()?;
    Ok(crate::qr::bill::render(&bill, &qr, locale))
}

fn in_options(error: BillPayError) -> BillPayError {
    error.at("options")
}

// Order rules and the client's operations: the full module (and native code).
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
mod admin;
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
pub use admin::*;
