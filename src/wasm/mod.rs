//! The only place that names wasm-bindgen: each export converts in, calls
//! `crate::api`, converts out. Errors travel as JSON strings that the JS glue
//! (`pkg/errors.js`) turns into `BillPayError` instances.

use crate::api;
use crate::qr::swiss::CreditorFields;
use crate::BillPayError;
use wasm_bindgen::prelude::*;

fn thrown(error: BillPayError) -> JsValue {
    JsValue::from_str(&error.to_json())
}

#[wasm_bindgen(js_name = paymentReference)]
pub fn payment_reference(order_number: &str, merchant_id: &str) -> Result<String, JsValue> {
    api::payment_reference(order_number, merchant_id).map_err(thrown)
}

#[wasm_bindgen(js_name = findPaymentReference)]
pub fn find_payment_reference(text: &str) -> String {
    api::find_payment_reference(text)
}

#[wasm_bindgen(js_name = checkIban)]
pub fn check_iban(value: &str) -> String {
    api::check_iban(value)
}

#[wasm_bindgen(js_name = checkBic)]
pub fn check_bic(value: &str) -> String {
    api::check_bic(value)
}

#[wasm_bindgen(js_name = renderPaymentBlock)]
pub fn render_payment_block(block_json: &str, options_json: &str) -> Result<String, JsValue> {
    api::render_payment_block(block_json, options_json).map_err(thrown)
}

#[wasm_bindgen(js_name = renderCheckoutNotice)]
pub fn render_checkout_notice(options_json: &str) -> Result<String, JsValue> {
    api::render_checkout_notice(options_json).map_err(thrown)
}

#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> String {
    api::error_codes()
}

#[cfg(feature = "admin")]
mod admin;
#[cfg(feature = "admin")]
mod fetch;

#[wasm_bindgen(js_name = epcPayload)]
pub fn epc_payload(block_json: &str) -> Result<String, JsValue> {
    api::epc_payload(block_json).map_err(thrown)
}

/// The creditor arrives as its six fields (shape checked by the JS glue);
/// `custom` is false for the default creditor.
#[allow(clippy::too_many_arguments)]
fn creditor<'a>(
    custom: bool,
    name: &'a str,
    street: &'a str,
    house_number: &'a str,
    postal_code: &'a str,
    town: &'a str,
    country: &'a str,
) -> Option<CreditorFields<'a>> {
    custom.then_some(CreditorFields {
        name,
        street,
        house_number,
        postal_code,
        town,
        country,
    })
}

#[wasm_bindgen(js_name = swissQrPayload)]
#[allow(clippy::too_many_arguments)]
pub fn swiss_qr_payload(
    block_json: &str,
    custom: bool,
    name: &str,
    street: &str,
    house_number: &str,
    postal_code: &str,
    town: &str,
    country: &str,
) -> Result<String, JsValue> {
    let fields = creditor(
        custom,
        name,
        street,
        house_number,
        postal_code,
        town,
        country,
    );
    api::swiss_qr_payload(block_json, fields.as_ref()).map_err(thrown)
}

#[wasm_bindgen(js_name = renderSwissQrBill)]
#[allow(clippy::too_many_arguments)]
pub fn render_swiss_qr_bill(
    block_json: &str,
    custom: bool,
    name: &str,
    street: &str,
    house_number: &str,
    postal_code: &str,
    town: &str,
    country: &str,
    locale: Option<String>,
) -> Result<String, JsValue> {
    let fields = creditor(
        custom,
        name,
        street,
        house_number,
        postal_code,
        town,
        country,
    );
    api::render_swiss_qr_bill(block_json, fields.as_ref(), locale.as_deref()).map_err(thrown)
}
