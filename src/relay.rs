//! The relay's work on the wasm side (`pkg/relay.js` does the HTTP): only
//! allowed services are forwarded, the credentials are put in, and what is
//! logged of an answer is BillPay's code and merchant message.

use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::quoted;
use crate::protocol::{inject_credentials, Credentials, Service};

/// The request to forward for `service`, with the merchant's credentials.
pub fn relay_request(
    service: &str,
    allowed_json: &str,
    body: &str,
    merchant_id: u32,
    portal_id: u32,
    security_key: &str,
) -> Result<String> {
    let allowed: Vec<String> = crate::shape::from_json(allowed_json).map_err(|e| e.at("allow"))?;
    let known = Service::parse(service);
    if known.is_none() || !allowed.iter().any(|a| a == service) {
        return Err(BillPayError::new(
            ErrorCode::ServiceNotAllowed,
            quoted("the relay does not forward ", service),
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

crate::output_shape! {
    /// What the relay logs of an answer.
    pub struct AnswerSummary => "AnswerSummary" {
        pub error_code "errorCode": Option<i64>,
        pub merchant_message "merchantMessage": Option<String>,
    }
}

/// BillPay's code and merchant message of an answer, as JSON.
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
    crate::shape::to_json(&summary)
}
