//! The only place that names wasm-bindgen: each export converts in, calls
//! `crate::api`, converts out. Errors travel as JSON strings that the JS glue
//! (`pkg/errors.js`) turns into `BillPayError` instances.

use crate::api;
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

// The scannable-code exports; only a size-measuring build leaves them out.
#[cfg(feature = "qr")]
mod qr;
