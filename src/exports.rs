//! Every public function of the package, declared once.
//!
//! `for_each_export!` is the list. Three expansions read it:
//! - here (`native!`): one boundary function per entry, named like the JS
//!   function, taking what the JS glue hands over (plain strings and JSON
//!   text) and returning a string, so that the exact behaviour JS sees is
//!   tested natively;
//! - `src/wasm/` (`wasm_exports!`): the wasm-bindgen export of each;
//! - `shape::typescript` (native, run by `cargo test`): the TypeScript
//!   declarations and the JS glue of every entry (`pkg/api/`).
//!
//! A new public function: its core function (in `api.rs` or its domain
//! module, taking and returning declared shapes) and one entry here.
//!
//! Entry syntax: `<group> fn <jsName> = <rust_name>(<param>: <kind>, …) -> <return>;`,
//! calling `crate::api::<rust_name>` with the decoded arguments.
//! - group: `storefront` (both modules), `qr` (both; not in the bench's
//!   code-less build), `admin` (the full module only);
//! - param kinds: `text` (a JS string, checked by the glue; `text(T)`: one the
//!   function parses as `T`, typed as `T` in TypeScript), `maybe_text`
//!   (anything; non-strings arrive as `None`), `merchant_id` (string or safe
//!   integer), `data(T)` (any JS value as JSON, decoded as `T`, errors placed
//!   under the parameter's name), `root(T)` (the same, errors placed at the
//!   value's own fields), `checked(T)` (an object whose shape the glue checks
//!   in JS, in the words those checks always used);
//! - returns: `text`, `json(T)` (parsed by the glue), `nullable(T)`,
//!   `verdict(T)` (a check's answer, `shape::Verdict`: passed checks as
//!   plain fields, which the glue reads without `JSON.parse`); client
//!   methods also `void` and `debit_or(T)` (`T`, or nothing when the
//!   request's `paymentType` is "directDebit": typed as two overloads).

#[macro_export]
macro_rules! for_each_export {
    ($emit:ident) => {
        $emit! {
            /// `BP<order number>/<merchant id>`: the payment reference BillPay's customers quote.
            storefront fn paymentReference = payment_reference(orderNumber: text, merchantId: merchant_id) -> text;
            /// Finds the first BillPay reference in remittance text as banks deliver it.
            storefront fn findPaymentReference = find_payment_reference(text: text) -> nullable($crate::reference::FoundReference);
            /// Checks an IBAN (registry length and format, check digits 02–98, mod 97); any value, never throws (once initialised).
            storefront fn checkIban = check_iban(value: maybe_text) -> verdict($crate::api::IbanCheck);
            /// Checks a BIC (ISO 9362); any value, never throws (once initialised).
            storefront fn checkBic = check_bic(value: maybe_text) -> verdict($crate::api::BicCheck);
            /// The invoice payment block (HTML or plain text).
            storefront fn renderPaymentBlock = render_payment_block(
                block: root($crate::block::PaymentBlockInput),
                options: data(Option<$crate::render::RenderOptionsInput>)
            ) -> text;
            /// BillPay's mandatory checkout notice (consent, terms, privacy).
            storefront fn renderCheckoutNotice = render_checkout_notice(options: root($crate::render::NoticeOptionsInput)) -> text;
            /// Every stable error code, as the module knows them.
            storefront fn errorCodes = error_codes() -> json(Vec<$crate::error::ErrorCode>);
            /// The EPC QR code's payload (EPC069-12, version 002 — 001 for an account outside the EEA —, UTF-8) of a EUR invoice block.
            qr fn epcPayload = epc_payload(block: root($crate::block::PaymentBlockInput)) -> text;
            /// The Swiss QR Code's payload (IG QR-bill v2.3) of a block paid to a CH/LI account.
            qr fn swissQrPayload = swiss_qr_payload(
                block: root($crate::block::PaymentBlockInput),
                creditor: checked(Option<$crate::qr::swiss::CreditorInput>)
            ) -> text;
            /// Payment part and receipt as one SVG, 210 × 105 mm, for the foot of an A4 invoice.
            qr fn renderSwissQrBill = render_swiss_qr_bill(
                block: root($crate::block::PaymentBlockInput),
                creditor: checked(Option<$crate::qr::swiss::CreditorInput>),
                options: checked(Option<$crate::qr::swiss::SwissQrBillOptionsInput>)
            ) -> text;
            /// The block's scannable code as a PNG (`data:image/png;base64,…`), for HTML e-mails: attach it and pass its `cid:` as `renderPaymentBlock`'s `qrImage`.
            admin fn renderQrCodePng = render_qr_code_png(block: root($crate::block::PaymentBlockInput)) -> text;
            /// Net, gross and the tax per rate of a cart (the rebate split over the rates exactly).
            admin fn cartTotals = cart_totals(cart: data($crate::cart::CartInput)) -> json($crate::cart::CartTotals);
            /// The order's BillPay state, what may be done with it, and its deadlines.
            admin fn orderStatus = order_status(order: data($crate::order::OrderInput), today: text) -> json($crate::order::OrderStatus);
            /// Plans the credit of returned items (and optionally shipping) under BillPay's rules.
            admin fn planReturn = plan_return(
                order: data($crate::order::OrderInput),
                items: data(Vec<$crate::order::ReturnItemInput>),
                options: data(Option<$crate::order::ReturnOptionsInput>)
            ) -> json($crate::order::Plan);
            /// Reads the body BillPay posts to the notify URL for a PRE_APPROVED order (the asynchronous capture callback).
            admin fn parseCaptureCallback = parse_capture_callback(
                body: text,
                options: data(Option<$crate::protocol::CaptureCallbackOptionsInput>)
            ) -> json($crate::protocol::CaptureCallback);
            /// An amount ("1234.50") as the payment block writes it in a language: "1.234,50 EUR" (de), "EUR 1,234.50" (en), …
            admin fn formatAmount = format_amount(amount: text, currency: text($crate::money::Currency), locale: text($crate::render::i18n::Locale)) -> text;
            /// A date ("YYYY-MM-DD") as the payment block writes it in a language: "28.12.2026" (de), "28 December 2026" (en), …
            admin fn formatDate = format_date(date: text, locale: text($crate::render::i18n::Locale)) -> text;
            /// Plans a discount of `gross` on the order (a discount of everything is a cancel).
            admin fn planDiscount = plan_discount(
                order: data($crate::order::OrderInput),
                gross: text,
                options: data(Option<$crate::order::DiscountOptionsInput>)
            ) -> json($crate::order::Plan);
        }
    };
}

/// The methods of `BillPayClient` (the full module), declared like the
/// functions above; each returns a promise.
#[macro_export]
macro_rules! for_each_client_method {
    ($emit:ident) => {
        $emit! {
            /// invoiceCreated: starts the payment term; resolves to the bank data with the due date.
            fn activate = activate(request: root($crate::client::ActivateInput)) -> json($crate::block::BankAccount);
            /// cancel: credits the whole order (before or after activation).
            fn cancel = cancel(request: root($crate::client::CancelInput)) -> void;
            /// editCartContent with the complete remaining cart.
            fn editCart = edit_cart(request: root($crate::client::EditCartInput)) -> void;
            /// Runs a plan from planReturn/planDiscount; resolves to the order afterwards.
            fn apply = apply(order: data($crate::order::OrderInput), plan: data($crate::client::PlanInput)) -> json($crate::order::Order);
            /// getBillPayBankData.
            fn bankData = bank_data(reference: data(String)) -> json($crate::block::BankAccount);
            /// moduleConfig: whether invoices are offered, and their limits.
            fn moduleConfig = module_config(request: root($crate::client::ModuleConfigInput)) -> json($crate::client::ModuleConfig);
            /// preauthorize (auto-capture by default).
            fn preauthorize = preauthorize(request: root($crate::client::PreauthorizeInput)) -> json($crate::client::Preauthorization);
            /// capture: creates the order at BillPay after a preauthorization without auto-capture; resolves to the account an invoice's customer transfers to (nothing for direct debit).
            fn capture = capture(request: root($crate::client::CaptureInput)) -> debit_or($crate::block::BankAccount);
            /// updateOrder: the order number and article ids after the checkout.
            fn updateOrder = update_order(request: root($crate::client::UpdateOrderInput)) -> void;
        }
    };
}

#[cfg(not(target_arch = "wasm32"))]
pub mod generate;

/// The boundary functions: what the wasm exports call, under the Rust names
/// of the entries.
#[allow(non_snake_case)]
pub mod boundary {
    use crate::error::Result;
    use crate::prelude::*;
    use crate::shape::from_json;

    macro_rules! param_type {
        (text) => { &str };
        (merchant_id) => { &str };
        (maybe_text) => { Option<&str> };
        (data) => { &str };
        (root) => { &str };
        (checked) => { &str };
    }

    macro_rules! convert {
        (text, $p:ident) => {
            $p
        };
        // A string the function parses itself; the type is its TypeScript one.
        (text, $p:ident, $ty:ty) => {
            $p
        };
        (merchant_id, $p:ident) => {
            $p
        };
        (maybe_text, $p:ident) => {
            $p
        };
        (data, $p:ident, $ty:ty) => {
            from_json::<$ty>($p).map_err(|e| e.at(stringify!($p)))?
        };
        (root, $p:ident, $ty:ty) => {
            from_json::<$ty>($p)?
        };
        (checked, $p:ident, $ty:ty) => {
            from_json::<$ty>($p).map_err(|e| e.at(stringify!($p)))?
        };
    }

    // Each answer written into the caller's buffer: the wasm exports pass
    // the module's reused output buffer, so that a check or a JSON answer
    // allocates nothing (the allocation and the free of a fresh `String`
    // were a tenth of a `checkIban`).
    macro_rules! finish {
        (text, $out:ident, $value:expr) => {
            *$out = $value
        };
        (json, $out:ident, $value:expr) => {
            $value.encode($out)
        };
        (nullable, $out:ident, $value:expr) => {
            $value.encode($out)
        };
        (verdict, $out:ident, $value:expr) => {
            $value.encode_verdict($out)
        };
    }

    // The order rules exist in the full module and natively (lib.rs).
    macro_rules! in_group {
        (admin, $item:item) => {
            #[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
            $item
        };
        ($group:ident, $item:item) => {
            $item
        };
    }

    macro_rules! native {
        ($(
            $(#[doc = $doc:literal])*
            $group:ident fn $js:ident = $rust:ident ($($param:ident : $kind:ident $(($pty:ty))?),* $(,)?)
                -> $ret:ident $(($rty:ty))?;
        )*) => {
            $(
                in_group!($group,
                $(#[doc = $doc])*
                pub fn $rust($($param: param_type!($kind)),*) -> Result<String> {
                    let mut out = String::new();
                    into::$rust($($param,)* &mut out)?;
                    Ok(out)
                });
            )*

            /// The same functions, writing the answer into `out` (emptied
            /// first; on an error it holds nothing useful).
            pub mod into {
                #[allow(unused_imports)]
                use crate::shape::{Encode, Verdict};
                use crate::error::Result;
                use super::*;
                $(
                    in_group!($group,
                    #[inline(never)]
                    pub fn $rust($($param: param_type!($kind),)* out: &mut String) -> Result<()> {
                        $(let $param = convert!($kind, $param $(, $pty)?);)*
                        let value = crate::api::$rust($($param),*)?;
                        out.clear();
                        finish!($ret, out, value);
                        Ok(())
                    });
                )*
            }
        };
    }

    crate::for_each_export!(native);
}

/// `BillPayClient`'s methods on the boundary: every argument arrives as
/// JSON text; a missing one (`null`) is named.
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
#[allow(non_snake_case)]
pub mod client_boundary {
    use crate::client::{Client, Config, ConfigInput, Transport};
    use crate::error::{BillPayError, ErrorCode, Result};
    use crate::prelude::*;
    use crate::shape::{from_json, to_json};

    /// The client's configuration (the constructor of `BillPayClient`).
    pub fn config(config: &str) -> Result<Config> {
        let input: ConfigInput = from_json(config).map_err(|e| e.at("config"))?;
        Config::from_input(&input).map_err(|e| e.at("config"))
    }

    fn required<'a>(operation: &str, name: &'static str, json: &'a str) -> Result<&'a str> {
        if json == "null" {
            let mut message = String::from(operation);
            message.push_str(" needs ");
            message.push_str(name);
            return Err(BillPayError::new(ErrorCode::MissingField, message).at(name));
        }
        Ok(json)
    }

    macro_rules! decode {
        (root, $p:ident, $ty:ty) => {
            from_json::<$ty>($p)?
        };
        (data, $p:ident, $ty:ty) => {
            from_json::<$ty>($p).map_err(|e| e.at(stringify!($p)))?
        };
    }

    macro_rules! finish {
        (void, $out:expr) => {{
            $out;
            Ok("null".to_owned())
        }};
        (json, $out:expr) => {
            Ok(to_json(&$out))
        };
        (debit_or, $out:expr) => {
            Ok(to_json(&$out))
        };
    }

    macro_rules! native_client {
        ($(
            $(#[doc = $doc:literal])*
            fn $js:ident = $rust:ident ($($param:ident : $kind:ident ($pty:ty)),* $(,)?)
                -> $ret:ident $(($rty:ty))?;
        )*) => {
            $(
                $(#[doc = $doc])*
                pub async fn $rust<T: Transport>(client: &Client<T>, $($param: &str),*) -> Result<String> {
                    $(let $param = required(stringify!($js), stringify!($param), $param)?;)*
                    $(let $param = decode!($kind, $param, $pty);)*
                    finish!($ret, crate::api::$rust(client, $($param),*).await?)
                }
            )*
        };
    }

    crate::for_each_client_method!(native_client);
}

#[cfg(test)]
mod tests {
    use super::boundary::*;

    #[test]
    fn iban_checks_return_data() {
        assert_eq!(
            crate::shape::to_json(
                &crate::api::check_iban(Some("de89 3704 0044 0532 0130 00")).unwrap()
            ),
            r#"{"valid":true,"iban":"DE89370400440532013000","formatted":"DE89 3704 0044 0532 0130 00","country":"DE"}"#
        );
        // What the glue reads: a passed check as its fields, a failed one as JSON.
        assert_eq!(
            check_iban(Some("de89 3704 0044 0532 0130 00")).unwrap(),
            "DE89370400440532013000\u{1f}DE89 3704 0044 0532 0130 00\u{1f}DE"
        );
        let bad =
            crate::shape::to_json(&crate::api::check_iban(Some("DE00370400440532013000")).unwrap());
        assert!(
            bad.starts_with(r#"{"valid":false,"code":"IBAN_INVALID_CHECK_DIGITS""#),
            "{bad}"
        );
        let bad = check_iban(Some("DE00370400440532013000")).unwrap();
        assert!(
            bad.starts_with("IBAN_INVALID_CHECK_DIGITS\u{1e}IBAN check digits"),
            "{bad}"
        );
        assert_eq!(
            crate::shape::to_json(&crate::api::check_bic(Some("cobadeff")).unwrap()),
            r#"{"valid":true,"bic":"COBADEFF"}"#
        );
        assert_eq!(check_bic(Some("cobadeff")).unwrap(), "COBADEFF");
        assert_eq!(
            crate::shape::to_json(&crate::api::check_iban(None).unwrap()),
            r#"{"valid":false,"code":"INVALID_TYPE","message":"an IBAN is passed as a string"}"#
        );
        assert_eq!(
            check_iban(None).unwrap(),
            "INVALID_TYPE\u{1e}an IBAN is passed as a string"
        );
    }

    #[test]
    fn option_errors_name_the_options_path() {
        use crate::error::ErrorCode;
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
            find_payment_reference("bp 12 / 3").unwrap(),
            r#"{"reference":"BP12/3","orderNumber":"12","merchantId":"3"}"#
        );
        assert_eq!(find_payment_reference("nothing").unwrap(), "null");
    }
}
