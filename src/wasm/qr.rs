//! Exports of the scannable codes (`crate::qr`), kept apart so that the
//! bench can build the storefront module without them and measure what the
//! codes add (`scripts/build.sh --storefront-without-qr`).

use super::thrown;
use crate::api;
use crate::qr::swiss::CreditorFields;
use wasm_bindgen::prelude::*;

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
