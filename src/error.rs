//! `BillPayError`: one error type for every failure, with a stable code.
//!
//! The code strings are part of the public interface (README and `pkg/*.d.ts`
//! list them; a test keeps the three in sync), so codes are only ever added.

use std::fmt;

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

pub type Result<T> = std::result::Result<T, BillPayError>;

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
            Some(inner) if inner.starts_with('[') => format!("{field}{inner}"),
            Some(inner) => format!("{field}.{inner}"),
        });
        self
    }

    /// JSON for the JS glue, which turns it into a `BillPayError` instance.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Json<'a> {
            code: &'a str,
            message: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            path: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            api_code: Option<i64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            customer_message: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            merchant_message: Option<&'a str>,
            retryable: bool,
        }
        let json = Json {
            code: self.code.as_str(),
            message: self.display_message(),
            path: self.path.as_deref(),
            api_code: self.api_code,
            customer_message: self.customer_message.as_deref(),
            merchant_message: self.merchant_message.as_deref(),
            retryable: self.retryable,
        };
        serde_json::to_string(&json).unwrap_or_else(|_| String::from("{}"))
    }

    fn display_message(&self) -> String {
        match &self.path {
            Some(path) if !path.is_empty() => format!("{path}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

impl fmt::Display for BillPayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.display_message(), self.code.as_str())
    }
}

impl std::error::Error for BillPayError {}

/// Parses a JSON document into `T`, naming the field that did not fit.
///
/// The fast path parses without path tracking; only when that fails is the
/// document parsed again with `serde_path_to_error` to name the field (path
/// tracking costs as much as the parse itself, and errors are rare).
/// serde's messages are stable ("missing field `x`", "unknown field `x`",
/// "invalid type: ..."), which is what the classification relies on.
/// The admin build (`--features admin`) parses many more input types and
/// keeps only the tracking parser, which halves the deserialisation code.
pub fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    #[cfg(not(feature = "admin"))]
    let parsed = serde_json::from_str(json).ok();
    #[cfg(feature = "admin")]
    let parsed = {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize::<_, T>(&mut deserializer)
            .ok()
            .filter(|_| deserializer.end().is_ok())
    };
    parsed.ok_or_else(|| locate_json_error::<T>(json))
}

fn locate_json_error<T: serde::de::DeserializeOwned>(json: &str) -> BillPayError {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => {
            return BillPayError::new(ErrorCode::InvalidInput, "trailing data after the value")
        }
        Err(error) => error,
    };
    let path = error.path().to_string();
    let text = error.into_inner().to_string();
    // serde_json appends " at line 1 column 42": meaningless for a JS object.
    let text = match text.find(" at line ") {
        Some(cut) => text.get(..cut).unwrap_or("").to_owned(),
        None => text,
    };
    let code = if text.starts_with("missing field") {
        ErrorCode::MissingField
    } else if text.starts_with("unknown field") {
        ErrorCode::UnknownField
    } else if text.starts_with("invalid type") {
        ErrorCode::InvalidType
    } else {
        ErrorCode::InvalidInput
    };
    // An array where an object belongs reaches serde as a sequence.
    let (code, text) = if text.starts_with("invalid length") && text.contains("expected struct") {
        (
            ErrorCode::InvalidType,
            "invalid type: array, expected an object".to_owned(),
        )
    } else {
        (code, text)
    };
    let text = developer_words(&text);
    let mut path = if path == "." { String::new() } else { path };
    // serde reports a missing field at its parent; the field itself is the path.
    if code == ErrorCode::MissingField {
        if let Some(field) = text.split('`').nth(1) {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(field);
        }
    }
    let mut err = BillPayError::new(code, text);
    if !path.is_empty() {
        err.path = Some(path);
    }
    err
}

/// serde's words for JS values. (Rust type names in serde's messages,
/// "expected struct PaymentBlockInput" or "expected u32", are reworded by
/// `pkg/errors.js`: a regular expression there costs far fewer bytes.)
fn developer_words(text: &str) -> String {
    text.replace(
        "a string",
        "a string (money and dates are passed as strings)",
    )
    .replace("floating point", "number")
    .replace("integer", "number")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Probe {
        amount: String,
        inner: Option<Inner>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        list: Vec<u32>,
    }

    #[test]
    fn classifies_serde_errors_with_paths() {
        let e = from_json::<Probe>(r#"{"amount": 12.5}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidType);
        assert_eq!(e.path.as_deref(), Some("amount"));
        let e = from_json::<Probe>(r#"{}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingField);
        assert_eq!(e.path.as_deref(), Some("amount"));
        let e = from_json::<Probe>(r#"{"amount":"1","inner":{}}"#).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("inner.list"));
        let e = from_json::<Probe>(r#"{"amount":"1","inner":{"list":[1.5]}}"#).unwrap_err();
        assert_eq!(e.message, "invalid type: number `1.5`, expected u32");
        let e = from_json::<Probe>("[]").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidType);
        assert_eq!(e.message, "invalid type: array, expected an object");
        let e = from_json::<Probe>(r#"{"amount":"1","extra":1}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownField);
        let e = from_json::<Probe>(r#"{"amount":"1","inner":{"list":[1,"x"]}}"#).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("inner.list[1]"));
        let e = from_json::<Probe>("null").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidType);
        assert_eq!(e.message, "invalid type: null, expected struct Probe");
    }

    #[test]
    fn paths_compose_outwards() {
        let e = BillPayError::new(ErrorCode::InvalidAmount, "x")
            .at("unitGross")
            .at("[2]")
            .at("articles");
        assert_eq!(e.path.as_deref(), Some("articles[2].unitGross"));
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
