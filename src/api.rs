//! The public functions in the shape they cross the JS boundary: JSON (or
//! plain strings) in, a string out. Keeping this in the core means the exact
//! behaviour JS sees is tested natively; `src/wasm/` only forwards.

use crate::block::PaymentBlock;
use crate::client::{
    ActivateInput, CancelInput, CaptureInput, Client, Config, EditCartInput, ModuleConfigInput,
    PlanInput, PreauthorizeInput, Transport, UpdateOrderInput,
};
use crate::date::Date;
use crate::error::from_json;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::iban::{Bic, Iban};
use crate::money::Amount;
use crate::order::{self, Order, ReturnItemInput, ReturnOptionsInput};
use crate::protocol::{inject_credentials, Credentials, Service};
use crate::qr::swiss::{Address, CreditorFields, SwissBill};
use crate::reference::{find_payment_reference as find, payment_reference as build};
use crate::render::{self, RenderOptions};
use serde::Serialize;

pub fn payment_reference(order_number: &str, merchant_id: &str) -> Result<String> {
    build(order_number, merchant_id)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FoundJson<'a> {
    reference: &'a str,
    order_number: &'a str,
    merchant_id: &'a str,
}

/// `"null"` when nothing is found.
pub fn find_payment_reference(text: &str) -> String {
    match find(text) {
        Some(found) => to_json(&FoundJson {
            reference: &found.reference,
            order_number: &found.order_number,
            merchant_id: &found.merchant_id,
        }),
        None => "null".to_owned(),
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum Check<'a> {
    Iban {
        valid: bool,
        iban: &'a str,
        formatted: String,
        country: &'a str,
    },
    Bic {
        valid: bool,
        bic: &'a str,
    },
    Invalid {
        valid: bool,
        code: &'static str,
        message: String,
    },
}

fn invalid(error: &BillPayError) -> String {
    to_json(&Check::Invalid {
        valid: false,
        code: error.code.as_str(),
        message: error.message.clone(),
    })
}

/// Validation helpers return data instead of throwing.
pub fn check_iban(value: &str) -> String {
    match Iban::parse(value) {
        Ok(iban) => to_json(&Check::Iban {
            valid: true,
            iban: iban.as_str(),
            formatted: iban.formatted(),
            country: iban.country(),
        }),
        Err(error) => invalid(&error),
    }
}

pub fn check_bic(value: &str) -> String {
    match Bic::parse(value) {
        Ok(bic) => to_json(&Check::Bic {
            valid: true,
            bic: bic.as_str(),
        }),
        Err(error) => invalid(&error),
    }
}

pub fn render_payment_block(block_json: &str, options_json: &str) -> Result<String> {
    let block = PaymentBlock::from_json(block_json)?;
    let options = RenderOptions::from_json(options_json).map_err(in_options)?;
    render::render_payment_block(&block, options)
}

pub fn render_checkout_notice(options_json: &str) -> Result<String> {
    render::render_checkout_notice(options_json)
}

pub fn cart_totals(cart_json: &str) -> Result<String> {
    crate::cart::cart_totals_json(cart_json).map_err(|e| e.at("cart"))
}

fn order_from(json: &str) -> Result<Order> {
    Order::from_json(json).map_err(|e| e.at("order"))
}

pub fn order_status(order_json: &str, today: &str) -> Result<String> {
    let order = order_from(order_json)?;
    let today = Date::parse_iso_at(today, "today")?;
    to_json_checked(&order::order_status(&order, today))
}

pub fn plan_return(order_json: &str, items_json: &str, options_json: &str) -> Result<String> {
    let order = order_from(order_json)?;
    let items: Vec<ReturnItemInput> =
        crate::error::from_json(items_json).map_err(|e| e.at("items"))?;
    let options: Option<ReturnOptionsInput> =
        crate::error::from_json(options_json).map_err(|e| e.at("options"))?;
    let plan = order::plan_return(&order, &items, &options.unwrap_or_default())?;
    to_json_checked(&plan)
}

pub fn plan_discount(order_json: &str, gross: &str) -> Result<String> {
    let order = order_from(order_json)?;
    let gross = Amount::parse_at(gross, "gross")?;
    let plan = order::plan_discount(&order, gross, None)?;
    to_json_checked(&plan)
}

/// One client operation: `operation` names the method of `BillPayClient`,
/// `args_json` is the JSON array of its arguments.
pub async fn client_call<T: Transport>(
    transport: T,
    config_json: &str,
    operation: &str,
    args_json: &str,
) -> Result<String> {
    let config = Config::from_json(config_json).map_err(|e| e.at("config"))?;
    let client = Client::new(config, transport);
    let raw: Vec<Box<serde_json::value::RawValue>> = crate::error::from_json(args_json)?;
    let arg = |i: usize| raw.get(i).map_or("null", |r| r.get());
    let parse = |i: usize, name: &str| -> Result<String> {
        let text = arg(i);
        if text == "null" {
            return Err(BillPayError::new(
                ErrorCode::MissingField,
                format!("{operation} needs {name}"),
            )
            .at(name));
        }
        Ok(text.to_owned())
    };
    match operation {
        "activate" => {
            let input: ActivateInput = from_json(&parse(0, "request")?)?;
            to_json_checked(&client.activate(&input).await?)
        }
        "cancel" => {
            let input: CancelInput = from_json(&parse(0, "request")?)?;
            client.cancel(&input).await?;
            Ok("null".to_owned())
        }
        "editCart" => {
            let input: EditCartInput = from_json(&parse(0, "request")?)?;
            crate::reference::check_order_number(&input.reference)
                .map_err(|e| e.at("reference"))?;
            let currency =
                crate::money::Currency::parse(&input.currency).map_err(|e| e.at("currency"))?;
            let cart = crate::cart::Cart::from_input(&input.cart).map_err(|e| e.at("cart"))?;
            client.edit_cart(&input.reference, currency, &cart).await?;
            Ok("null".to_owned())
        }
        "apply" => {
            let order = order_from(&parse(0, "order")?)?;
            let plan: PlanInput = from_json(&parse(1, "plan")?).map_err(|e| e.at("plan"))?;
            to_json_checked(&client.apply(&order, &plan).await?)
        }
        "bankData" => {
            let reference: String =
                from_json(&parse(0, "reference")?).map_err(|e| e.at("reference"))?;
            to_json_checked(&client.bank_data(&reference).await?)
        }
        "moduleConfig" => {
            let input: ModuleConfigInput = from_json(&parse(0, "request")?)?;
            to_json_checked(&client.module_config(&input).await?)
        }
        "preauthorize" => {
            let input: PreauthorizeInput = from_json(&parse(0, "request")?)?;
            to_json_checked(&client.preauthorize(&input).await?)
        }
        "capture" => {
            let input: CaptureInput = from_json(&parse(0, "request")?)?;
            to_json_checked(&client.capture(&input).await?)
        }
        "updateOrder" => {
            let input: UpdateOrderInput = from_json(&parse(0, "request")?)?;
            client.update_order(&input).await?;
            Ok("null".to_owned())
        }
        other => Err(BillPayError::new(
            ErrorCode::InvalidInput,
            format!(
                "BillPayClient has no operation \"{}\"",
                crate::money::clip(other)
            ),
        )),
    }
}

/// Checks a client configuration (the constructor of `BillPayClient`).
pub fn check_client_config(config_json: &str) -> Result<String> {
    Config::from_json(config_json).map_err(|e| e.at("config"))?;
    Ok("null".to_owned())
}

/// Validates the endpoint rule for JS callers (the relay's upstream).
pub fn check_endpoint(endpoint: &str) -> Result<String> {
    crate::client::check_endpoint(endpoint)
}

/// The relay's work on a request: only allowed services, credentials in.
pub fn relay_request(
    service: &str,
    allowed_json: &str,
    body: &str,
    merchant_id: u32,
    portal_id: u32,
    security_key: &str,
) -> Result<String> {
    let allowed: Vec<String> = from_json(allowed_json).map_err(|e| e.at("allow"))?;
    let known = Service::parse(service);
    if known.is_none() || !allowed.iter().any(|a| a == service) {
        return Err(BillPayError::new(
            ErrorCode::ServiceNotAllowed,
            format!(
                "the relay does not forward \"{}\"",
                crate::money::clip(service)
            ),
        ));
    }
    if security_key.is_empty() {
        return Err(BillPayError::new(
            ErrorCode::MissingCredentials,
            "the relay has no security key",
        ));
    }
    inject_credentials(
        body,
        &Credentials::new(merchant_id, portal_id, security_key),
    )
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnswerSummary {
    error_code: Option<i64>,
    merchant_message: Option<String>,
}

/// What the relay logs of an answer: BillPay's code and merchant message.
pub fn answer_summary(body: &str) -> String {
    let summary = match crate::protocol::parse_response(body) {
        Ok(_) => AnswerSummary {
            error_code: Some(0),
            merchant_message: None,
        },
        Err(e) => AnswerSummary {
            error_code: e.api_code,
            merchant_message: e.merchant_message.or(Some(e.message)),
        },
    };
    to_json(&summary)
}

/// Every error code, for the JS test that keeps README and `.d.ts` in sync.
pub fn error_codes() -> String {
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    to_json(&codes)
}

// Scannable codes (`src/qr/`).

pub fn epc_payload(block_json: &str) -> Result<String> {
    let block = PaymentBlock::from_json(block_json)?;
    crate::qr::epc::payload(&block)
}

/// `creditor`: `None` for BillPay's Swiss branch (the documented default).
pub fn swiss_qr_payload(block_json: &str, creditor: Option<&CreditorFields>) -> Result<String> {
    let block = PaymentBlock::from_json(block_json)?;
    let creditor = Address::from_creditor(creditor)?;
    crate::qr::swiss::payload(&block, creditor)
}

/// `locale`: `None` for German; the JS glue checks the options object's shape.
pub fn render_swiss_qr_bill(
    block_json: &str,
    creditor: Option<&CreditorFields>,
    locale: Option<&str>,
) -> Result<String> {
    let block = PaymentBlock::from_json(block_json)?;
    let creditor = Address::from_creditor(creditor)?;
    let locale = render::parse_locale(locale).map_err(in_options)?;
    let bill = SwissBill::from_block(&block, creditor)?;
    let (_, qr) = bill.symbol()?;
    Ok(crate::qr::bill::render(&bill, &qr, locale))
}

fn in_options(error: BillPayError) -> BillPayError {
    error.at("options")
}

fn to_json_checked<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|_| BillPayError::new(ErrorCode::InvalidInput, "could not serialise the result"))
}

fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs cannot fail; an empty object is the
    // harmless answer if it ever did.
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iban_checks_return_data() {
        assert_eq!(
            check_iban("de89 3704 0044 0532 0130 00"),
            r#"{"valid":true,"iban":"DE89370400440532013000","formatted":"DE89 3704 0044 0532 0130 00","country":"DE"}"#
        );
        let bad = check_iban("DE00370400440532013000");
        assert!(
            bad.starts_with(r#"{"valid":false,"code":"IBAN_INVALID_CHECK_DIGITS""#),
            "{bad}"
        );
        assert_eq!(check_bic("cobadeff"), r#"{"valid":true,"bic":"COBADEFF"}"#);
    }

    #[test]
    fn option_errors_name_the_options_path() {
        let block = r#"{"method":"directDebit","amount":"1.00","currency":"EUR"}"#;
        let e = render_payment_block(block, r#"{"locale":"es"}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedLocale);
        assert_eq!(e.path.as_deref(), Some("options.locale"));
        assert!(render_payment_block(block, "null").is_ok());
        assert!(render_payment_block(block, "{}").is_ok());
    }

    #[test]
    fn found_references_are_json() {
        assert_eq!(
            find_payment_reference("bp 12 / 3"),
            r#"{"reference":"BP12/3","orderNumber":"12","merchantId":"3"}"#
        );
        assert_eq!(find_payment_reference("nothing"), "null");
    }
}
