//! Exports of the admin build (`--features admin`): order rules, protocol,
//! client. Same pattern as the storefront exports: convert, call, convert.

use super::thrown;
use crate::api;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = cartTotals)]
pub fn cart_totals(cart_json: &str) -> Result<String, JsValue> {
    api::cart_totals(cart_json).map_err(thrown)
}

#[wasm_bindgen(js_name = orderStatus)]
pub fn order_status(order_json: &str, today: &str) -> Result<String, JsValue> {
    api::order_status(order_json, today).map_err(thrown)
}

#[wasm_bindgen(js_name = planReturn)]
pub fn plan_return(
    order_json: &str,
    items_json: &str,
    options_json: &str,
) -> Result<String, JsValue> {
    api::plan_return(order_json, items_json, options_json).map_err(thrown)
}

#[wasm_bindgen(js_name = planDiscount)]
pub fn plan_discount(order_json: &str, gross: &str) -> Result<String, JsValue> {
    api::plan_discount(order_json, gross).map_err(thrown)
}

/// Client operations run in wasm; `fetch` (from the global scope, so it works
/// in browsers, workers and Node ≥ 20) is the transport.
#[wasm_bindgen(js_name = clientCall)]
pub async fn client_call(
    config_json: String,
    operation: String,
    args_json: String,
) -> Result<String, JsValue> {
    api::client_call(
        super::fetch::FetchTransport,
        &config_json,
        &operation,
        &args_json,
    )
    .await
    .map_err(thrown)
}

#[wasm_bindgen(js_name = checkClientConfig)]
pub fn check_client_config(config_json: &str) -> Result<String, JsValue> {
    api::check_client_config(config_json).map_err(thrown)
}

#[wasm_bindgen(js_name = checkEndpoint)]
pub fn check_endpoint(endpoint: &str) -> Result<String, JsValue> {
    api::check_endpoint(endpoint).map_err(thrown)
}

#[wasm_bindgen(js_name = relayRequest)]
pub fn relay_request(
    service: &str,
    allowed_json: &str,
    body: &str,
    merchant_id: u32,
    portal_id: u32,
    security_key: &str,
) -> Result<String, JsValue> {
    api::relay_request(
        service,
        allowed_json,
        body,
        merchant_id,
        portal_id,
        security_key,
    )
    .map_err(thrown)
}

#[wasm_bindgen(js_name = answerSummary)]
pub fn answer_summary(body: &str) -> String {
    api::answer_summary(body)
}
