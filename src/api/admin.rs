//! The public functions of the full module only: the order rules and the
//! client's operations (`BillPayClient`), on declared shapes like the rest
//! of `crate::api`.

use crate::cart::{CartInput, CartTotals};
use crate::client::{
    ActivateInput, CancelInput, CaptureInput, Client, EditCartInput, ModuleConfig,
    ModuleConfigInput, PlanInput, Preauthorization, PreauthorizeInput, Transport, UpdateOrderInput,
};
use crate::date::Date;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::Amount;
use crate::order::{
    self, DiscountOptionsInput, Order, OrderInput, OrderStatus, Plan, ReturnItemInput,
    ReturnOptionsInput,
};
use crate::protocol::{CaptureCallback, CaptureCallbackOptionsInput};

// Order rules (the full module).

pub fn cart_totals(cart: CartInput) -> Result<CartTotals> {
    crate::cart::cart_totals(&cart).map_err(|e| e.at("cart"))
}

/// An amount as the payment block writes it in `locale` (grouping, decimal
/// separator, where the currency goes): admin pages show the same figures.
pub fn format_amount(amount: &str, currency: &str, locale: &str) -> Result<String> {
    let amount = Amount::parse_at(amount, "amount")?;
    let currency = crate::money::Currency::parse(currency).map_err(|e| e.at("currency"))?;
    let locale = crate::render::parse_locale(Some(locale))?;
    Ok(crate::render::i18n::format_amount(amount, currency, locale))
}

/// A date as the payment block writes it in `locale`.
pub fn format_date(date: &str, locale: &str) -> Result<String> {
    let date = Date::parse_iso_at(date, "date")?;
    let locale = crate::render::parse_locale(Some(locale))?;
    Ok(crate::render::i18n::format_date(date, locale))
}

fn order_from(input: &OrderInput) -> Result<Order> {
    Order::from_input(input).map_err(|e| e.at("order"))
}

/// BillPay's asynchronous capture callback, read (the body BillPay posted to the notify URL).
pub fn parse_capture_callback(
    body: &str,
    options: Option<CaptureCallbackOptionsInput>,
) -> Result<CaptureCallback> {
    let merchant_id = options.and_then(|o| o.merchant_id);
    if merchant_id == Some(0) {
        return Err(BillPayError::new(
            ErrorCode::InvalidInput,
            "a BillPay id is a positive whole number, got 0",
        )
        .at("merchantId")
        .at("options"));
    }
    crate::protocol::parse_capture_callback(body, merchant_id)
}

pub fn order_status(order: OrderInput, today: &str) -> Result<OrderStatus> {
    let order = order_from(&order)?;
    let today = Date::parse_iso_at(today, "today")?;
    Ok(order::order_status(&order, today))
}

pub fn plan_return(
    order: OrderInput,
    items: Vec<ReturnItemInput>,
    options: Option<ReturnOptionsInput>,
) -> Result<Plan> {
    let order = order_from(&order)?;
    order::plan_return(&order, &items, &options.unwrap_or_default())
}

pub fn plan_discount(
    order: OrderInput,
    gross: &str,
    options: Option<DiscountOptionsInput>,
) -> Result<Plan> {
    let order = order_from(&order)?;
    let gross = Amount::parse_at(gross, "gross")?;
    let today = options
        .and_then(|o| o.today)
        .map(|d| Date::parse_iso_at(&d, "today").map_err(|e| e.at("options")))
        .transpose()?;
    order::plan_discount(&order, gross, today)
}

// The client's operations (`BillPayClient` in the full module).

pub async fn activate<T: Transport>(
    client: &Client<T>,
    request: ActivateInput,
) -> Result<crate::block::BankAccount> {
    client.activate(&request).await
}

pub async fn cancel<T: Transport>(client: &Client<T>, request: CancelInput) -> Result<()> {
    client.cancel(&request).await
}

pub async fn edit_cart<T: Transport>(client: &Client<T>, request: EditCartInput) -> Result<()> {
    crate::reference::check_order_number(&request.reference).map_err(|e| e.at("reference"))?;
    let currency =
        crate::money::Currency::parse(&request.currency).map_err(|e| e.at("currency"))?;
    let cart = crate::cart::Cart::from_input(&request.cart).map_err(|e| e.at("cart"))?;
    client.edit_cart(&request.reference, currency, &cart).await
}

pub async fn apply<T: Transport>(
    client: &Client<T>,
    order: OrderInput,
    plan: PlanInput,
) -> Result<Order> {
    let order = order_from(&order)?;
    client.apply(&order, &plan).await
}

pub async fn bank_data<T: Transport>(
    client: &Client<T>,
    reference: String,
) -> Result<crate::block::BankAccount> {
    client.bank_data(&reference).await
}

pub async fn module_config<T: Transport>(
    client: &Client<T>,
    request: ModuleConfigInput,
) -> Result<ModuleConfig> {
    client.module_config(&request).await
}

pub async fn preauthorize<T: Transport>(
    client: &Client<T>,
    request: PreauthorizeInput,
) -> Result<Preauthorization> {
    client.preauthorize(&request).await
}

pub async fn capture<T: Transport>(
    client: &Client<T>,
    request: CaptureInput,
) -> Result<Option<crate::block::BankAccount>> {
    client.capture(&request).await
}

pub async fn update_order<T: Transport>(
    client: &Client<T>,
    request: UpdateOrderInput,
) -> Result<()> {
    client.update_order(&request).await
}
