//! BillPay's business rules, free of I/O: error codes, carts and their totals, what an edit
//! may change, the DENIED test rules, due dates and expiry.

use crate::clock::Date;
use crate::config::Merchant;
use serde_json::{json, Value};

/// A protocol-level error: always both messages, never code 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: i64,
    pub customer_message: String,
    pub merchant_message: String,
}

pub const GENERIC_CUSTOMER: &str =
    "Your request could not be processed. Please try again later or choose another payment method.";
pub const DENIED_CUSTOMER: &str =
    "Unfortunately, payment on invoice is not available for this order. Please choose another payment method.";

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    pub name: String,
    pub quantity: i64,
    /// Unit prices in cents.
    pub price_net: i64,
    pub price_gross: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Cart {
    pub articles: Vec<Article>,
    pub shipping_name: String,
    pub shipping_net: i64,
    pub shipping_gross: i64,
    pub rebate_net: i64,
    pub rebate_gross: i64,
    /// The totals as sent (after rebate); `check_totals` ensures they add up.
    pub total_net: i64,
    pub total_gross: i64,
}

fn sum_lines(articles: &[Article], unit: impl Fn(&Article) -> i64) -> Option<i64> {
    articles.iter().try_fold(0i64, |acc, a| {
        unit(a)
            .checked_mul(a.quantity)
            .and_then(|v| acc.checked_add(v))
    })
}

impl Cart {
    pub fn expected_gross(&self) -> Option<i64> {
        sum_lines(&self.articles, |a| a.price_gross)?
            .checked_add(self.shipping_gross)?
            .checked_sub(self.rebate_gross)
    }

    pub fn expected_net(&self) -> Option<i64> {
        sum_lines(&self.articles, |a| a.price_net)?
            .checked_add(self.shipping_net)?
            .checked_sub(self.rebate_net)
    }

    /// Structural checks shared by preauthorize and editCartContent.
    pub fn validate(&self) -> Result<(), ApiError> {
        const MAX: i64 = 100_000_000_000; // 1 bn in cents: far above any plausible order
        for (label, v) in [
            ("shippingprice", self.shipping_net),
            ("shippingpricegross", self.shipping_gross),
            ("rebate", self.rebate_net),
            ("rebategross", self.rebate_gross),
        ] {
            if !(0..=MAX).contains(&v) {
                return Err(ApiError::invalid(format!(
                    "{label} must be between 0 and {MAX} cents, got {v}"
                )));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for a in &self.articles {
            if a.id.is_empty() || a.id.chars().count() > 50 {
                return Err(ApiError::invalid("articleid must have 1 to 50 characters"));
            }
            if !seen.insert(a.id.as_str()) {
                return Err(ApiError::invalid(format!(
                    "articleid {:?} appears twice; send one line per article",
                    a.id
                )));
            }
            if !(1..=100_000).contains(&a.quantity) {
                return Err(ApiError::invalid(format!(
                    "articlequantity of {:?} must be 1..100000 (leave out lines with quantity 0)",
                    a.id
                )));
            }
            if !(0..=MAX).contains(&a.price_net) || !(0..=MAX).contains(&a.price_gross) {
                return Err(ApiError::invalid(format!(
                    "prices of article {:?} must be between 0 and {MAX} cents",
                    a.id
                )));
            }
            if a.price_net > a.price_gross {
                return Err(ApiError::invalid(format!(
                    "articleprice (net) of {:?} is above articlepricegross",
                    a.id
                )));
            }
        }
        if self.shipping_net > self.shipping_gross || self.rebate_net > self.rebate_gross {
            return Err(ApiError::invalid(
                "net shipping or rebate is above the gross value",
            ));
        }
        Ok(())
    }

    /// The sent totals must equal items + shipping − rebate: gross exactly,
    /// net within a cent per line (articles, shipping, rebate).
    pub fn check_totals(&self) -> Result<(), ApiError> {
        let gross = self
            .expected_gross()
            .ok_or_else(|| ApiError::invalid("amounts overflow"))?;
        let net = self
            .expected_net()
            .ok_or_else(|| ApiError::invalid("amounts overflow"))?;
        if gross != self.total_gross {
            return Err(ApiError::merchant(
                code::TOTAL_MISMATCH,
                format!(
                    "carttotalpricegross {} does not equal articles + shipping - rebate = {}",
                    self.total_gross, gross
                ),
            ));
        }
        // Shops derive net prices from gross ones and round per line or per
        // total, so the net sum may be off by a cent per line; BillPay's own
        // plug-ins only compare the gross amounts.
        let lines = i64::try_from(self.articles.len())
            .unwrap_or(i64::MAX)
            .saturating_add(2);
        if net.abs_diff(self.total_net) > lines.unsigned_abs() {
            return Err(ApiError::merchant(
                code::TOTAL_MISMATCH,
                format!(
                    "carttotalprice {} does not equal net articles + shipping - rebate = {}",
                    self.total_net, net
                ),
            ));
        }
        if self.total_gross < 0 || self.total_net < 0 {
            return Err(ApiError::invalid("the total must not be negative"));
        }
        Ok(())
    }

    pub fn to_json(&self) -> Value {
        json!({
            "articles": self.articles.iter().map(|a| json!({
                "articleId": a.id, "name": a.name, "quantity": a.quantity,
                "unitNet": a.price_net, "unitGross": a.price_gross,
            })).collect::<Vec<_>>(),
            "shippingName": self.shipping_name,
            "shippingNet": self.shipping_net,
            "shippingGross": self.shipping_gross,
            "rebateNet": self.rebate_net,
            "rebateGross": self.rebate_gross,
            "totalNet": self.total_net,
            "totalGross": self.total_gross,
        })
    }

    pub fn from_json(v: &Value) -> Option<Cart> {
        let int = |k: &str| v.get(k).and_then(Value::as_i64);
        let mut articles = Vec::new();
        for a in v.get("articles")?.as_array()? {
            articles.push(Article {
                id: a.get("articleId")?.as_str()?.to_string(),
                name: a.get("name")?.as_str()?.to_string(),
                quantity: a.get("quantity")?.as_i64()?,
                price_net: a.get("unitNet")?.as_i64()?,
                price_gross: a.get("unitGross")?.as_i64()?,
            });
        }
        Some(Cart {
            articles,
            shipping_name: v.get("shippingName")?.as_str()?.to_string(),
            shipping_net: int("shippingNet")?,
            shipping_gross: int("shippingGross")?,
            rebate_net: int("rebateNet")?,
            rebate_gross: int("rebateGross")?,
            total_net: int("totalNet")?,
            total_gross: int("totalGross")?,
        })
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
}

pub const SERVED_COUNTRIES: [&str; 4] = ["DEU", "AUT", "CHE", "NLD"];

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
            DENIED_CUSTOMER,
            "DENIED by the sandbox test rule: last name \"Denied\"",
        ));
    }
    if total_gross > merchant.limit {
        return Some(ApiError::new(
            code::DENIED_LIMIT,
            DENIED_CUSTOMER,
            format!(
                "DENIED: total {} cents is above the merchant's limit of {} cents",
                total_gross, merchant.limit
            ),
        ));
    }
    if total_gross < merchant.min_value {
        return Some(ApiError::new(
            code::DENIED_MINIMUM,
            DENIED_CUSTOMER,
            format!(
                "DENIED: total {} cents is below the merchant's minimum of {} cents",
                total_gross, merchant.min_value
            ),
        ));
    }
    if !SERVED_COUNTRIES.contains(&applicant.country) {
        return Some(ApiError::new(
            code::DENIED_COUNTRY,
            DENIED_CUSTOMER,
            format!(
                "DENIED: customer country {:?} is not served (DEU, AUT, CHE, NLD)",
                applicant.country
            ),
        ));
    }
    if !applicant.business {
        if let Some(birthday) = applicant.birthday {
            if birthday.add_months(18 * 12) > today {
                return Some(ApiError::new(
                    code::DENIED_AGE,
                    DENIED_CUSTOMER,
                    "DENIED: private customers must be at least 18 years old",
                ));
            }
        }
    }
    None
}

/// Checks a complete replacement cart against the current one (editCartContent and the
/// deltas of partialcancel once they are applied). The order of the checks is part of the
/// contract: an emptied cart is 107, a higher total is always 105, then line-level rises 106.
pub fn check_edit(old: &Cart, new: &Cart) -> Result<(), ApiError> {
    if new.articles.is_empty() || new.total_gross <= 0 {
        return Err(ApiError::merchant(
            code::EMPTY_CART,
            "the edit would leave no article or a zero total: credit the order in full with cancel",
        ));
    }
    if new.total_gross > old.total_gross {
        return Err(ApiError::new(
            code::HIGHER_TOTAL,
            GENERIC_CUSTOMER,
            format!(
                "the new total {} is higher than the current total {}: the risk check refused it, the previous cart stays",
                new.total_gross, old.total_gross
            ),
        ));
    }
    for a in &new.articles {
        let Some(before) = old.articles.iter().find(|o| o.id == a.id) else {
            return Err(ApiError::merchant(
                code::LINE_RAISED,
                format!(
                    "article {:?} is not in the order: articles cannot be added",
                    a.id
                ),
            ));
        };
        if a.quantity > before.quantity {
            return Err(ApiError::merchant(
                code::LINE_RAISED,
                format!(
                    "quantity of article {:?} would rise from {} to {}",
                    a.id, before.quantity, a.quantity
                ),
            ));
        }
        if a.price_gross > before.price_gross || a.price_net > before.price_net {
            return Err(ApiError::merchant(
                code::LINE_RAISED,
                format!("the unit price of article {:?} would rise", a.id),
            ));
        }
        // A higher tax rate is a rise too. Cross-multiplied ratios, with one cent of slack on
        // the net price because clients derive it from the gross price and round.
        if i128::from(a.price_gross) * i128::from(before.price_net)
            > (i128::from(a.price_net) + 1) * i128::from(before.price_gross)
        {
            return Err(ApiError::merchant(
                code::LINE_RAISED,
                format!("the tax rate of article {:?} would rise", a.id),
            ));
        }
    }
    if new.shipping_gross > old.shipping_gross || new.shipping_net > old.shipping_net {
        return Err(ApiError::merchant(
            code::LINE_RAISED,
            format!(
                "shipping would rise from {} to {} cents (gross)",
                old.shipping_gross, new.shipping_gross
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cart() -> Cart {
        Cart {
            articles: vec![
                Article {
                    id: "A".into(),
                    name: "Mug".into(),
                    quantity: 1,
                    price_net: 420,
                    price_gross: 500,
                },
                Article {
                    id: "B".into(),
                    name: "Tea".into(),
                    quantity: 3,
                    price_net: 420,
                    price_gross: 500,
                },
            ],
            shipping_name: "DHL".into(),
            shipping_net: 416,
            shipping_gross: 495,
            rebate_net: 84,
            rebate_gross: 100,
            total_net: 2012,
            total_gross: 2395,
        }
    }

    #[test]
    fn fixture_totals_add_up() {
        let c = cart();
        assert_eq!(c.expected_gross(), Some(2395));
        assert_eq!(c.expected_net(), Some(2012));
        assert!(c.check_totals().is_ok());
        let mut bad = c.clone();
        bad.total_gross = 2396;
        assert_eq!(bad.check_totals().map_err(|e| e.code), Err(54));
    }

    #[test]
    fn edits() {
        let old = cart();
        let mut lower = old.clone();
        lower.articles[1].quantity = 2;
        lower.total_gross -= 500;
        lower.total_net -= 420;
        assert!(check_edit(&old, &lower).is_ok());
        let mut higher = old.clone();
        higher.rebate_gross = 0;
        higher.rebate_net = 0;
        higher.total_gross += 100;
        higher.total_net += 84;
        assert_eq!(check_edit(&old, &higher).map_err(|e| e.code), Err(105));
        let mut more_shipping = lower.clone();
        more_shipping.shipping_gross += 100;
        more_shipping.shipping_net += 84;
        more_shipping.total_gross += 100;
        more_shipping.total_net += 84;
        assert_eq!(
            check_edit(&old, &more_shipping).map_err(|e| e.code),
            Err(106)
        );
        let mut empty = old.clone();
        empty.articles.clear();
        assert_eq!(check_edit(&old, &empty).map_err(|e| e.code), Err(107));
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
