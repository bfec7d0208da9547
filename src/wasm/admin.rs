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
