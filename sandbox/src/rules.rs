//! BillPay's business rules, free of I/O: error codes, references and currencies, the debit
//! account of a direct-debit order, the DENIED test rules, due dates and expiry. Carts and
//! what an edit may change are in `cart.rs`.

use crate::clock::Date;
use crate::config::Merchant;

/// A protocol-level error: always both messages, never code 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: i64,
    pub customer_message: String,
    pub merchant_message: String,
}

pub const GENERIC_CUSTOMER: &str =
    "Your request could not be processed. Please try again later or choose another payment method.";
/// What a denied customer reads (shown by shops), naming the method that was refused.
fn denied_customer(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Invoice => "Unfortunately, payment on invoice is not available for this order. Please choose another payment method.",
        PaymentMethod::DirectDebit => "Unfortunately, payment by direct debit is not available for this order. Please choose another payment method.",
    }
}

/// The stable error codes of the sandbox (also listed in README.md).
pub mod code {
    pub const INTERNAL: i64 = 1;
    pub const MALFORMED_XML: i64 = 10;
    pub const UNKNOWN_SERVICE: i64 = 11;
    pub const WRONG_METHOD: i64 = 12;
    pub const WRONG_CONTENT: i64 = 13;
    pub const TOO_LARGE: i64 = 14;
    pub const AUTH: i64 = 20;
    pub const INVALID_DATA: i64 = 53;
    pub const TOTAL_MISMATCH: i64 = 54;
    pub const CURRENCY: i64 = 55;
    pub const TERMS: i64 = 56;
    pub const PAYMENT_TYPE: i64 = 57;
    pub const NOT_FOUND: i64 = 60;
    pub const DUPLICATE_REFERENCE: i64 = 61;
    pub const AMOUNT_MISMATCH: i64 = 62;
    pub const REFERENCE_MISMATCH: i64 = 63;
    pub const CANCELLED: i64 = 70;
    pub const ALREADY_ACTIVATED: i64 = 71;
    pub const NOT_CAPTURED: i64 = 72;
    pub const ALREADY_CAPTURED: i64 = 73;
    pub const EXPIRED: i64 = 74;
    pub const DENIED_TEST_CUSTOMER: i64 = 100;
    pub const DENIED_LIMIT: i64 = 101;
    pub const DENIED_MINIMUM: i64 = 102;
    pub const DENIED_COUNTRY: i64 = 103;
    pub const DENIED_AGE: i64 = 104;
    pub const HIGHER_TOTAL: i64 = 105;
    pub const LINE_RAISED: i64 = 106;
    pub const EMPTY_CART: i64 = 107;
    pub const PARTIAL_CANCEL: i64 = 108;
}

impl ApiError {
    pub fn new(code: i64, customer: &str, merchant: impl Into<String>) -> ApiError {
        ApiError {
            code,
            customer_message: customer.to_string(),
            merchant_message: merchant.into(),
        }
    }

    /// Errors whose details only concern the shop: the shopper gets the generic text.
    pub fn merchant(code: i64, merchant: impl Into<String>) -> ApiError {
        ApiError::new(code, GENERIC_CUSTOMER, merchant)
    }

    pub fn invalid(merchant: impl Into<String>) -> ApiError {
        ApiError::merchant(code::INVALID_DATA, merchant)
    }

    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        ApiError::merchant(code::INTERNAL, format!("internal sandbox error: {detail}"))
    }
}

/// `reference` / `customerid`: `0-9 a-z A-Z . - _ /`, 1..40 characters.
pub fn check_reference(reference: &str) -> Result<(), ApiError> {
    let ok_chars = reference
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'));
    if reference.is_empty() || reference.len() > 40 || !ok_chars {
        return Err(ApiError::invalid(format!(
            "reference {reference:?} is invalid: use 1 to 40 of 0-9 a-z A-Z . - _ /"
        )));
    }
    Ok(())
}

pub fn check_currency(currency: &str) -> Result<(), ApiError> {
    if currency == "EUR" || currency == "CHF" {
        Ok(())
    } else {
        Err(ApiError::merchant(
            code::CURRENCY,
            format!("currency {currency:?} is not supported (EUR or CHF)"),
        ))
    }
}

pub fn invoice_reference(reference: &str, mid: i64) -> String {
    if reference.is_empty() {
        String::new()
    } else {
        format!("BP{reference}/{mid}")
    }
}

/// Activation date + delay days + the merchant's payment term (20 or 30 days).
pub fn due_date(activated_on: Date, delay_days: i64, term_days: i64) -> Date {
    activated_on.add_days(delay_days + term_days)
}

/// Last day on which a never-activated order may still be activated.
pub fn expires_on(created_on: Date) -> Date {
    created_on.add_months(2)
}

/// Who the customer is, as far as the DENIED test rules care.
pub struct Applicant<'a> {
    pub last_name: &'a str,
    pub country: &'a str,
    pub birthday: Option<Date>,
    pub business: bool,
    pub method: PaymentMethod,
}

/// Invoice customers' countries (billpay.de: DEU, AUT, CHE; Axepta: also NLD).
pub const SERVED_COUNTRIES: [&str; 4] = ["DEU", "AUT", "CHE", "NLD"];
/// Direct debit (SEPA, EUR) was offered in Germany and Austria.
pub const DEBIT_COUNTRIES: [&str; 2] = ["DEU", "AUT"];

/// The payment methods the sandbox offers, by BillPay's `paymenttype` number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentMethod {
    Invoice,
    DirectDebit,
}

impl PaymentMethod {
    pub fn code(self) -> i64 {
        match self {
            PaymentMethod::Invoice => 1,
            PaymentMethod::DirectDebit => 2,
        }
    }

    pub fn countries(self) -> &'static [&'static str] {
        match self {
            PaymentMethod::Invoice => &SERVED_COUNTRIES,
            PaymentMethod::DirectDebit => &DEBIT_COUNTRIES,
        }
    }
}

/// `paymenttype` as BillPay's library defines it (1, 2, 3, 4, 7, 8, 9); the ones without a
/// sandbox counterpart get BillPay's "payment type" error, naming what is missing.
pub fn payment_method(paymenttype: i64) -> Result<PaymentMethod, ApiError> {
    let not_offered = |name: &str| {
        ApiError::merchant(
            code::PAYMENT_TYPE,
            format!(
                "paymenttype {paymenttype} ({name}) is not offered by the sandbox: it has no rate plans or collateral promises and never answers PRE_APPROVED; use invoice (1) or direct debit (2)"
            ),
        )
    };
    match paymenttype {
        1 => Ok(PaymentMethod::Invoice),
        2 => Ok(PaymentMethod::DirectDebit),
        3 => Err(not_offered("transaction credit")),
        4 => Err(not_offered("PayLater")),
        7 => Err(not_offered("PayLater collateral promise")),
        8 => Err(not_offered("invoice collateral promise")),
        9 => Err(not_offered("direct debit collateral promise")),
        other => Err(ApiError::merchant(
            code::PAYMENT_TYPE,
            format!("paymenttype {other} is unknown: invoice is 1, direct debit 2"),
        )),
    }
}

/// The customer's account of a direct-debit order (`bank_account accountholder accountnumber
/// sortcode`): an IBAN (with the BIC, optional, in `sortcode`) or, as before SEPA, a German
/// account number with its 8-digit bank code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebitAccount {
    pub holder: String,
    pub account: String,
    pub bank_code: String,
}

impl DebitAccount {
    /// The last four characters of the account: enough for people to tell accounts apart.
    pub fn account_end(&self) -> String {
        let start = self
            .account
            .char_indices()
            .rev()
            .nth(3)
            .map_or(0, |(i, _)| i);
        self.account.get(start..).unwrap_or("").to_string()
    }
}

/// How an order is paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payment {
    Invoice,
    DirectDebit(DebitAccount),
}

impl Payment {
    pub fn method(&self) -> PaymentMethod {
        match self {
            Payment::Invoice => PaymentMethod::Invoice,
            Payment::DirectDebit(_) => PaymentMethod::DirectDebit,
        }
    }

    /// `invoice` / `directDebit`, as in the plug-in's block types.
    pub fn as_str(&self) -> &'static str {
        match self {
            Payment::Invoice => "invoice",
            Payment::DirectDebit(_) => "directDebit",
        }
    }

    /// For people: the method and, for direct debit, whose account (its end only).
    pub fn describe(&self) -> String {
        match self {
            Payment::Invoice => "invoice".to_string(),
            Payment::DirectDebit(account) => format!(
                "direct debit from {} (account …{})",
                account.holder,
                account.account_end()
            ),
        }
    }
}

pub fn check_debit_account(
    holder: &str,
    number: &str,
    sortcode: &str,
) -> Result<DebitAccount, ApiError> {
    let holder = holder.trim();
    if holder.is_empty() || holder.chars().count() > 100 {
        return Err(ApiError::invalid(
            "bank_account accountholder must have 1 to 100 characters: direct debit needs the account holder",
        ));
    }
    let account: String = number
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let bank_code: String = sortcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let is_iban = account.len() >= 2 && account.chars().take(2).all(|c| c.is_ascii_alphabetic());
    if is_iban {
        if !crate::bank::iban_is_valid(&account) {
            return Err(ApiError::invalid(
                "bank_account accountnumber is not a valid IBAN (length, characters or check digits)",
            ));
        }
        let bic_ok = bank_code.is_empty()
            || ((bank_code.len() == 8 || bank_code.len() == 11)
                && bank_code.chars().all(|c| c.is_ascii_alphanumeric()));
        if !bic_ok {
            return Err(ApiError::invalid(
                "bank_account sortcode must be empty or a BIC of 8 or 11 characters when accountnumber is an IBAN",
            ));
        }
    } else {
        let digits = |s: &str, max: usize| {
            !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !(digits(&account, 10) && digits(&bank_code, 8) && bank_code.len() == 8) {
            return Err(ApiError::invalid(
                "bank_account accountnumber must be an IBAN, or a German account number (up to 10 digits) with an 8-digit sortcode",
            ));
        }
    }
    Ok(DebitAccount {
        holder: holder.to_string(),
        account,
        bank_code,
    })
}

/// The documented test rules that make preauthorize answer DENIED.
pub fn denial(
    applicant: &Applicant,
    total_gross: i64,
    merchant: &Merchant,
    today: Date,
) -> Option<ApiError> {
    if applicant.last_name.trim().eq_ignore_ascii_case("denied") {
        return Some(ApiError::new(
            code::DENIED_TEST_CUSTOMER,
            denied_customer(applicant.method),
            "DENIED by the sandbox test rule: last name \"Denied\"",
        ));
    }
    if total_gross > merchant.limit {
        return Some(ApiError::new(
            code::DENIED_LIMIT,
            denied_customer(applicant.method),
            format!(
                "DENIED: total {} cents is above the merchant's limit of {} cents",
                total_gross, merchant.limit
            ),
        ));
    }
    if total_gross < merchant.min_value {
        return Some(ApiError::new(
            code::DENIED_MINIMUM,
            denied_customer(applicant.method),
            format!(
                "DENIED: total {} cents is below the merchant's minimum of {} cents",
                total_gross, merchant.min_value
            ),
        ));
    }
    let countries = applicant.method.countries();
    if !countries.contains(&applicant.country) {
        return Some(ApiError::new(
            code::DENIED_COUNTRY,
            denied_customer(applicant.method),
            format!(
                "DENIED: customer country {:?} is not served{} ({})",
                applicant.country,
                if applicant.method == PaymentMethod::DirectDebit {
                    " for direct debit"
                } else {
                    ""
                },
                countries.join(", ")
            ),
        ));
    }
    if !applicant.business {
        if let Some(birthday) = applicant.birthday {
            if birthday.add_months(18 * 12) > today {
                return Some(ApiError::new(
                    code::DENIED_AGE,
                    denied_customer(applicant.method),
                    "DENIED: private customers must be at least 18 years old",
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_methods_and_debit_accounts() {
        assert_eq!(payment_method(1), Ok(PaymentMethod::Invoice));
        assert_eq!(payment_method(2), Ok(PaymentMethod::DirectDebit));
        for n in [3, 4, 7, 8, 9, 0, 5] {
            let err = payment_method(n).unwrap_err();
            assert_eq!(err.code, code::PAYMENT_TYPE);
            assert!(err.merchant_message.contains(&format!("paymenttype {n} ")));
        }
        assert!(payment_method(4)
            .unwrap_err()
            .merchant_message
            .contains("PayLater"));
        let ok = check_debit_account(
            " Erika Mustermann ",
            "de89 3704 0044 0532 0130 00",
            "COBADEFFXXX",
        )
        .expect("IBAN");
        assert_eq!(ok.account, "DE89370400440532013000");
        assert_eq!(ok.holder, "Erika Mustermann");
        assert!(
            check_debit_account("H", "0000000", "00000000").is_ok(),
            "SDK 1.1.7 sample"
        );
        for (holder, number, code) in [
            ("", "DE89370400440532013000", ""),
            ("H", "DE89370400440532013001", ""),
            ("H", "DE89370400440532013000", "COBA"),
            ("H", "12345", ""),
            ("H", "12345", "1234567"),
            ("H", "", ""),
        ] {
            assert!(
                check_debit_account(holder, number, code).is_err(),
                "{number} {code}"
            );
        }
    }

    #[test]
    fn references() {
        assert!(check_reference("ORDER-1/2_a.b").is_ok());
        assert!(check_reference("").is_err());
        assert!(check_reference("a b").is_err());
        assert!(check_reference(&"x".repeat(41)).is_err());
        assert_eq!(invoice_reference("1234567", 3333), "BP1234567/3333");
    }

    #[test]
    fn due_dates_cross_month_ends() {
        let d = |s| Date::parse(s).expect("date");
        assert_eq!(due_date(d("2026-01-31"), 0, 30), d("2026-03-02"));
        assert_eq!(due_date(d("2028-01-31"), 0, 30), d("2028-03-01"));
        assert_eq!(due_date(d("2026-12-20"), 2, 20), d("2027-01-11"));
        assert_eq!(expires_on(d("2026-12-31")), d("2027-02-28"));
    }
}
