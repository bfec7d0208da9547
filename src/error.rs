//! `BillPayError`: one error type for every failure, with a stable code.
//!
//! The code strings are part of the public interface (README and `pkg/*.d.ts`
//! list them; a test keeps the three in sync), so codes are only ever added.

use crate::prelude::*;
use core::fmt;

macro_rules! error_codes {
    ($($variant:ident => $code:literal,)*) => {
        /// Stable machine-readable error codes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ErrorCode { $($variant,)* }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }
        }
    };
}

error_codes! {
    // Shape of the input as a whole.
    InvalidInput => "INVALID_INPUT",
    InvalidType => "INVALID_TYPE",
    MissingField => "MISSING_FIELD",
    UnknownField => "UNKNOWN_FIELD",
    // Values.
    InvalidAmount => "INVALID_AMOUNT",
    AmountTooPrecise => "AMOUNT_TOO_PRECISE",
    NegativeAmount => "NEGATIVE_AMOUNT",
    AmountOutOfRange => "AMOUNT_OUT_OF_RANGE",
    UnsupportedCurrency => "UNSUPPORTED_CURRENCY",
    UnsupportedCountry => "UNSUPPORTED_COUNTRY",
    UnsupportedLocale => "UNSUPPORTED_LOCALE",
    UnsupportedMethod => "UNSUPPORTED_METHOD",
    InvalidOption => "INVALID_OPTION",
    InvalidDate => "INVALID_DATE",
    InvalidText => "INVALID_TEXT",
    InvalidUrl => "INVALID_URL",
    // References.
    InvalidOrderNumber => "INVALID_ORDER_NUMBER",
    InvalidMerchantId => "INVALID_MERCHANT_ID",
    InvalidReference => "INVALID_REFERENCE",
    // Bank data.
    IbanEmpty => "IBAN_EMPTY",
    IbanInvalidCharacters => "IBAN_INVALID_CHARACTERS",
    IbanTooShort => "IBAN_TOO_SHORT",
    IbanTooLong => "IBAN_TOO_LONG",
    IbanUnknownCountry => "IBAN_UNKNOWN_COUNTRY",
    IbanInvalidBban => "IBAN_INVALID_BBAN",
    IbanInvalidCheckDigits => "IBAN_INVALID_CHECK_DIGITS",
    IbanChecksumMismatch => "IBAN_CHECKSUM_MISMATCH",
    BicInvalid => "BIC_INVALID",
    BicUnknownCountry => "BIC_UNKNOWN_COUNTRY",
    MissingBankAccount => "MISSING_BANK_ACCOUNT",
    // Raised by the JS glue when a function is called before `init()`.
    NotInitialized => "NOT_INITIALIZED",
    // Carts and orders.
    InvalidArticle => "INVALID_ARTICLE",
    InvalidQuantity => "INVALID_QUANTITY",
    DuplicateArticle => "DUPLICATE_ARTICLE",
    NetAboveGross => "NET_ABOVE_GROSS",
    RebateExceedsTotal => "REBATE_EXCEEDS_TOTAL",
    EmptyCart => "EMPTY_CART",
    InvalidStatus => "INVALID_STATUS",
    // Order rules.
    UnknownArticle => "UNKNOWN_ARTICLE",
    ReturnExceedsQuantity => "RETURN_EXCEEDS_QUANTITY",
    ShippingCreditExceedsShipping => "SHIPPING_CREDIT_EXCEEDS_SHIPPING",
    DiscountExceedsTotal => "DISCOUNT_EXCEEDS_TOTAL",
    NothingToCredit => "NOTHING_TO_CREDIT",
    CartIncrease => "CART_INCREASE",
    OrderCancelled => "ORDER_CANCELLED",
    OrderExpired => "ORDER_EXPIRED",
    AlreadyActivated => "ALREADY_ACTIVATED",
    StalePlan => "STALE_PLAN",
    // Talking to BillPay.
    ApiError => "API_ERROR",
    PreauthorizationDenied => "PREAUTHORIZATION_DENIED",
    MissingDueDate => "MISSING_DUE_DATE",
    InvalidResponse => "INVALID_RESPONSE",
    HttpError => "HTTP_ERROR",
    NetworkError => "NETWORK_ERROR",
    Timeout => "TIMEOUT",
    InvalidConfig => "INVALID_CONFIG",
    InsecureEndpoint => "INSECURE_ENDPOINT",
    MissingCredentials => "MISSING_CREDENTIALS",
    ServiceNotAllowed => "SERVICE_NOT_ALLOWED",
    RequestTooLarge => "REQUEST_TOO_LARGE",
    // Scannable codes (EPC QR code, Swiss QR-bill).
    QrNotApplicable => "QR_NOT_APPLICABLE",
    QrReferenceMismatch => "QR_REFERENCE_MISMATCH",
    UnsupportedCharacter => "UNSUPPORTED_CHARACTER",
    QrDataTooLong => "QR_DATA_TOO_LONG",
    InvalidCountryCode => "INVALID_COUNTRY_CODE",
    // An argument beyond what the glue copies into wasm memory.
    InputTooLarge => "INPUT_TOO_LARGE",
}

impl crate::shape::Encode for ErrorCode {
    fn encode(&self, out: &mut String) {
        crate::shape::json::write_str(out, self.as_str());
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl crate::shape::typescript::TsType for ErrorCode {
    fn ts_name() -> String {
        "ErrorCode".to_owned()
    }

    fn ts_collect(decls: &mut crate::shape::typescript::Declarations) {
        let mut body =
            String::from("/** The stable codes of every BillPayError (README lists them with their meaning). */\nexport type ErrorCode =\n");
        for code in ErrorCode::ALL {
            body.push_str("  | '");
            body.push_str(code.as_str());
            body.push_str("'\n");
        }
        body.pop();
        body.push_str(";\n");
        decls.raw("ErrorCode", body);
    }
}

/// An error with a stable code, a message for developers and, where it applies,
/// the path of the offending field (`bankAccount.iban`, `cart.articles[2].quantity`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillPayError {
    pub code: ErrorCode,
    pub message: String,
    pub path: Option<String>,
    /// BillPay's `error_code`, for errors BillPay answered.
    pub api_code: Option<i64>,
    /// May be shown to shoppers.
    pub customer_message: Option<String>,
    /// For admins and logs only.
    pub merchant_message: Option<String>,
    /// Repeating the same call may succeed (transport failures).
    pub retryable: bool,
}

pub type Result<T> = core::result::Result<T, BillPayError>;

/// Parses a JSON document into a declared shape, naming the field that did
/// not fit (see `crate::shape`).
pub fn from_json<T: crate::shape::Decode>(json: &str) -> Result<T> {
    crate::shape::from_json(json)
}

impl BillPayError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        BillPayError {
            code,
            message: message.into(),
            path: None,
            api_code: None,
            customer_message: None,
            merchant_message: None,
            retryable: false,
        }
    }

    pub fn retryable(mut self) -> Self {
        self.retryable = true;
        self
    }

    /// Places the error at `field` inside whatever path it already has, so that
    /// callers can add path segments as the error travels outwards.
    pub fn at(mut self, field: &str) -> Self {
        self.path = Some(match self.path.take() {
            None => field.to_owned(),
            Some(inner) => {
                let mut path = String::with_capacity(field.len() + 1 + inner.len());
                path.push_str(field);
                if !inner.starts_with('[') {
                    path.push('.');
                }
                path.push_str(&inner);
                path
            }
        });
        self
    }

    /// Places the error at element `index` of a list (`[3]`).
    pub fn at_index(self, index: usize) -> Self {
        let mut segment = String::from("[");
        crate::shape::json::push_int(&mut segment, i64::try_from(index).unwrap_or(i64::MAX));
        segment.push(']');
        self.at(&segment)
    }

    /// JSON for the JS glue, which turns it into a `BillPayError` instance.
    pub fn to_json(&self) -> String {
        use crate::shape::member;
        let mut out = String::with_capacity(96 + self.message.len());
        let mut first = true;
        out.push('{');
        member(&mut out, &mut first, "code", self.code.as_str());
        member(&mut out, &mut first, "message", &self.display_message());
        member(&mut out, &mut first, "path", &self.path);
        member(&mut out, &mut first, "apiCode", &self.api_code);
        member(
            &mut out,
            &mut first,
            "customerMessage",
            &self.customer_message,
        );
        member(
            &mut out,
            &mut first,
            "merchantMessage",
            &self.merchant_message,
        );
        member(&mut out, &mut first, "retryable", &self.retryable);
        out.push('}');
        out
    }

    pub fn display_message(&self) -> String {
        match &self.path {
            Some(path) if !path.is_empty() => {
                let mut text = String::with_capacity(path.len() + 2 + self.message.len());
                text.push_str(path);
                text.push_str(": ");
                text.push_str(&self.message);
                text
            }
            _ => self.message.clone(),
        }
    }
}

impl fmt::Display for BillPayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.display_message(), self.code.as_str())
    }
}

impl core::error::Error for BillPayError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compose_outwards() {
        let e = BillPayError::new(ErrorCode::InvalidAmount, "x")
            .at("unitGross")
            .at_index(2)
            .at("articles");
        assert_eq!(e.path.as_deref(), Some("articles[2].unitGross"));
        assert_eq!(e.display_message(), "articles[2].unitGross: x");
    }

    #[test]
    fn errors_cross_as_json() {
        let mut e = BillPayError::new(ErrorCode::ApiError, "say \"no\"").at("x");
        e.api_code = Some(105);
        assert_eq!(
            e.to_json(),
            r#"{"code":"API_ERROR","message":"x: say \"no\"","path":"x","apiCode":105,"retryable":false}"#
        );
    }

    #[test]
    fn codes_are_unique_and_upper_snake() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()));
            assert!(code
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_'));
        }
    }
}
