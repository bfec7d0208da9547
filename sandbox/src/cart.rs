//! Carts as BillPay's clients send them (unit prices, shipping, rebate, totals; all integer
//! cents), the conventions for the total that BillPay's own clients used, and what an edit
//! may change.
//!
//! The rules compare gross amounts, which is what the customer owes and what BillPay's
//! plug-ins compared: a gross total that does not add up is refused (54), a gross rise is
//! refused (105/106). Net amounts are reported, never refused: BillPay's own modified/Gambio
//! module sends net = gross for articles, shipping and the rebate in editCartContent and a net
//! total of "total − tax" with a net rebate equal to the gross one at preauthorize.

use crate::rules::{code, ApiError, GENERIC_CUSTOMER};
use serde_json::{json, Value};

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
    /// After `check_totals`: what the customer pays (articles + shipping − rebate), whatever
    /// convention the request used; the net total as sent, on the same footing.
    pub total_net: i64,
    pub total_gross: i64,
}

/// How a request's `carttotalpricegross` relates to its cart. Both come from BillPay's own
/// published clients (see the sandbox README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TotalConvention {
    /// Articles + shipping − rebate: library 1.3 and later, every BillPay plug-in (modified/
    /// Gambio, Magento, xt:Commerce), Omnipay and Spryker.
    AfterRebate,
    /// Articles + shipping, the rebate not subtracted: BillPay's interface specification 1.5.1
    /// (2010) and the example scripts of its PHP SDK 1.1.7, which also send that total as
    /// `carttotalgross` in capture, invoiceCreated and cancel.
    BeforeRebate,
}

impl TotalConvention {
    pub fn as_str(self) -> &'static str {
        match self {
            TotalConvention::AfterRebate => "after_rebate",
            TotalConvention::BeforeRebate => "before_rebate",
        }
    }

    pub fn parse(s: &str) -> TotalConvention {
        if s == "before_rebate" {
            TotalConvention::BeforeRebate
        } else {
            TotalConvention::AfterRebate
        }
    }
}

/// The result of checking a cart's totals: accepted, with what is worth a warning.
#[derive(Debug, PartialEq, Eq)]
pub struct CartCheck {
    pub convention: TotalConvention,
    pub warnings: Vec<String>,
}

fn sum_lines(articles: &[Article], unit: impl Fn(&Article) -> i64) -> Option<i64> {
    articles.iter().try_fold(0i64, |acc, a| {
        unit(a)
            .checked_mul(a.quantity)
            .and_then(|v| acc.checked_add(v))
    })
}

fn overflow() -> ApiError {
    ApiError::invalid("amounts overflow")
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
            if a.id.chars().count() > 50 {
                return Err(ApiError::invalid("articleid has at most 50 characters"));
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
        }
        Ok(())
    }

    /// Net values above their gross values: impossible with a tax rate ≥ 0, but harmless to
    /// what the customer owes.
    fn net_above_gross(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for a in &self.articles {
            if a.price_net > a.price_gross {
                warnings.push(format!(
                    "unit price (net) {} of article {:?} is above its gross price {} cents",
                    a.price_net, a.id, a.price_gross
                ));
            }
        }
        if self.shipping_net > self.shipping_gross {
            warnings.push(format!(
                "shipping (net) {} is above shipping (gross) {} cents",
                self.shipping_net, self.shipping_gross
            ));
        }
        if self.rebate_net > self.rebate_gross {
            warnings.push(format!(
                "rebate (net) {} is above rebate (gross) {} cents",
                self.rebate_net, self.rebate_gross
            ));
        }
        warnings
    }

    /// Articles + shipping − rebate, gross, in cents (None on overflow).
    pub fn gross_after_rebate(&self) -> Option<i64> {
        sum_lines(&self.articles, |a| a.price_gross)?
            .checked_add(self.shipping_gross)?
            .checked_sub(self.rebate_gross)
    }

    /// Checks the sent totals against the cart and brings them to the after-rebate footing.
    /// Gross: exactly articles + shipping − rebate, or (2010 convention, only with a rebate)
    /// articles + shipping; anything else is 54. Net: a warning when it is off by more than a
    /// cent per line (shops derive net from gross and round per line or per total; the
    /// reference's Omnipay fixture is off by one cent).
    pub fn check_totals(&mut self) -> Result<CartCheck, ApiError> {
        let items_gross = sum_lines(&self.articles, |a| a.price_gross).ok_or_else(overflow)?;
        let items_net = sum_lines(&self.articles, |a| a.price_net).ok_or_else(overflow)?;
        let before_gross = items_gross
            .checked_add(self.shipping_gross)
            .ok_or_else(overflow)?;
        let after_gross = before_gross - self.rebate_gross;
        let convention = if self.total_gross == after_gross {
            TotalConvention::AfterRebate
        } else if self.rebate_gross > 0 && self.total_gross == before_gross {
            TotalConvention::BeforeRebate
        } else {
            let before = if self.rebate_gross > 0 {
                format!(", or {before_gross} before the rebate (the 2010 convention)")
            } else {
                String::new()
            };
            return Err(ApiError::merchant(
                code::TOTAL_MISMATCH,
                format!(
                    "carttotalpricegross {sent} does not match the cart: articles {items_gross} + shipping {ship} - rebate {rebate} = {after_gross} cents (gross){before}",
                    sent = self.total_gross,
                    ship = self.shipping_gross,
                    rebate = self.rebate_gross,
                ),
            ));
        };
        if after_gross <= 0 && convention == TotalConvention::BeforeRebate {
            return Err(ApiError::invalid(format!(
                "the rebate {} is not below the cart's {before_gross} cents: nothing would be owed",
                self.rebate_gross
            )));
        }
        let mut warnings = self.net_above_gross();
        let rebate_net = match convention {
            TotalConvention::AfterRebate => self.rebate_net,
            TotalConvention::BeforeRebate => 0,
        };
        let expected_net = items_net
            .checked_add(self.shipping_net)
            .ok_or_else(overflow)?
            - rebate_net;
        let lines = i64::try_from(self.articles.len())
            .unwrap_or(i64::MAX)
            .saturating_add(2);
        if expected_net.abs_diff(self.total_net) > lines.unsigned_abs() {
            warnings.push(format!(
                "carttotalprice {sent} does not match the net cart: articles {items_net} + shipping {ship}{rebate} = {expected_net} cents (net; accepted, BillPay compares gross amounts)",
                sent = self.total_net,
                ship = self.shipping_net,
                rebate = match convention {
                    TotalConvention::AfterRebate => format!(" - rebate {}", self.rebate_net),
                    TotalConvention::BeforeRebate => String::new(),
                },
            ));
        }
        self.total_gross = after_gross;
        if convention == TotalConvention::BeforeRebate {
            self.total_net -= self.rebate_net;
        }
        Ok(CartCheck {
            convention,
            warnings,
        })
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

fn line_raised(message: String) -> ApiError {
    ApiError::merchant(code::LINE_RAISED, message)
}

/// Checks a complete replacement cart (totals already checked) against the current one
/// (editCartContent, the deltas of partialcancel once applied, the back-office). The order
/// of the checks is part of the contract: an emptied cart is 107, a higher total is always
/// 105, then line-level gross rises 106. Net rises and higher tax rates (which only net
/// prices reveal) are warnings.
pub fn check_edit(old: &Cart, new: &Cart) -> Result<Vec<String>, ApiError> {
    if new.articles.is_empty() || new.total_gross <= 0 {
        return Err(ApiError::merchant(
            code::EMPTY_CART,
            format!(
                "the edit would leave {}: credit the order in full with cancel",
                if new.articles.is_empty() {
                    "no article".to_string()
                } else {
                    format!("a total of {} cents", new.total_gross)
                }
            ),
        ));
    }
    if new.total_gross > old.total_gross {
        return Err(ApiError::new(
            code::HIGHER_TOTAL,
            GENERIC_CUSTOMER,
            format!(
                "the new total {} cents (gross) is higher than the current total {} cents: the risk check refused it, the previous cart stays",
                new.total_gross, old.total_gross
            ),
        ));
    }
    let mut warnings = Vec::new();
    // By id once: a cart of many thousand lines must not make this quadratic
    // (it runs inside the write transaction, which every other write waits for).
    let by_id: std::collections::HashMap<&str, &Article> =
        old.articles.iter().map(|o| (o.id.as_str(), o)).collect();
    for a in &new.articles {
        let Some(&before) = by_id.get(a.id.as_str()) else {
            let ids: Vec<&str> = old.articles.iter().map(|o| o.id.as_str()).collect();
            return Err(line_raised(format!(
                "article {:?} is not in the order (its articles: {}): articles cannot be added",
                a.id,
                ids.join(", ")
            )));
        };
        if a.quantity > before.quantity {
            return Err(line_raised(format!(
                "quantity of article {:?} would rise from {} to {}",
                a.id, before.quantity, a.quantity
            )));
        }
        if a.price_gross > before.price_gross {
            return Err(line_raised(format!(
                "unit price (gross) of article {:?} would rise from {} to {} cents",
                a.id, before.price_gross, a.price_gross
            )));
        }
        if a.price_net > before.price_net {
            warnings.push(format!(
                "unit price (net) of article {:?} rises from {} to {} cents while the gross price goes from {} to {} cents",
                a.id, before.price_net, a.price_net, before.price_gross, a.price_gross
            ));
        } else if i128::from(a.price_gross) * i128::from(before.price_net)
            > (i128::from(a.price_net) + 1) * i128::from(before.price_gross)
        {
            // gross/net rises: a higher tax rate (one cent of slack on the net price, which
            // clients derive from the gross price and round).
            warnings.push(format!(
                "tax rate of article {:?} rises: gross/net {}/{} cents before, {}/{} now",
                a.id, before.price_gross, before.price_net, a.price_gross, a.price_net
            ));
        }
    }
    if new.shipping_gross > old.shipping_gross {
        return Err(line_raised(format!(
            "shipping (gross) would rise from {} to {} cents",
            old.shipping_gross, new.shipping_gross
        )));
    }
    if new.shipping_net > old.shipping_net {
        warnings.push(format!(
            "shipping (net) rises from {} to {} cents while shipping (gross) goes from {} to {} cents",
            old.shipping_net, new.shipping_net, old.shipping_gross, new.shipping_gross
        ));
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, quantity: i64, net: i64, gross: i64) -> Article {
        Article {
            id: id.into(),
            name: id.into(),
            quantity,
            price_net: net,
            price_gross: gross,
        }
    }

    /// The Omnipay fixture's cart: 1×5.00 + 3×5.00 + 4.95 − 1.00 = 23.95.
    fn cart() -> Cart {
        Cart {
            articles: vec![article("A", 1, 420, 500), article("B", 3, 420, 500)],
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
        let mut c = cart();
        assert_eq!(c.expected_gross(), Some(2395));
        assert_eq!(c.expected_net(), Some(2012));
        let check = c.check_totals().expect("accepted");
        assert_eq!(check.convention, TotalConvention::AfterRebate);
        assert!(check.warnings.is_empty());
        let mut off_by_a_cent = cart();
        off_by_a_cent.total_net = 2013;
        assert!(off_by_a_cent
            .check_totals()
            .expect("ok")
            .warnings
            .is_empty());
        let mut bad = cart();
        bad.total_gross = 2396;
        let err = bad.check_totals().map(|_| ()).unwrap_err();
        assert_eq!(err.code, 54);
        assert!(
            err.merchant_message
                .contains("articles 2000 + shipping 495 - rebate 100 = 2395")
                && err.merchant_message.contains("2495 before the rebate"),
            "{}",
            err.merchant_message
        );
    }

    #[test]
    fn net_inconsistencies_are_warnings() {
        // modified/Gambio at preauthorize: rebate net = gross, net total = total - tax.
        let mut c = cart();
        c.rebate_net = 100;
        c.total_net = 2395 - 383;
        let check = c.check_totals().expect("accepted");
        assert_eq!(check.warnings.len(), 1, "{:?}", check.warnings);
        assert!(check.warnings[0].contains(
            "carttotalprice 2012 does not match the net cart: articles 1680 + shipping 416 - rebate 100 = 1996"
        ));
        let mut c = cart();
        c.total_net = 2112;
        let check = c.check_totals().expect("accepted");
        assert_eq!(check.warnings.len(), 1);
        assert!(check.warnings[0].contains("carttotalprice 2112"));
        let mut c = cart();
        c.articles[0].price_net = 600;
        c.total_net += 180;
        let check = c.check_totals().expect("accepted");
        assert!(check.warnings[0].contains("above its gross price"));
    }

    #[test]
    fn the_2010_convention_is_normalised() {
        // SDK 1.1.7 preauth.php: 12×1.95 + 4×1.00 + 6.50 shipping = 33.90, rebate 5.00.
        let mut c = Cart {
            articles: vec![
                article("article001", 12, 120, 195),
                article("article002", 4, 85, 100),
            ],
            shipping_name: "Express-Versand".into(),
            shipping_net: 500,
            shipping_gross: 650,
            rebate_net: 500,
            rebate_gross: 500,
            total_net: 2280,
            total_gross: 3390,
        };
        let check = c.check_totals().expect("accepted");
        assert_eq!(check.convention, TotalConvention::BeforeRebate);
        assert!(check.warnings.is_empty(), "{:?}", check.warnings);
        assert_eq!((c.total_gross, c.total_net), (2890, 1780));
        // Without a rebate both conventions are the same number.
        let mut plain = cart();
        plain.rebate_gross = 0;
        plain.rebate_net = 0;
        plain.total_gross = 2495;
        plain.total_net = 2096;
        assert_eq!(
            plain.check_totals().expect("ok").convention,
            TotalConvention::AfterRebate
        );
    }

    #[test]
    fn edits_compare_gross_and_report_net() {
        let old = cart();
        let mut lower = old.clone();
        lower.articles[1].quantity = 2;
        lower.total_gross -= 500;
        lower.total_net -= 420;
        assert_eq!(check_edit(&old, &lower), Ok(vec![]));
        // modified/Gambio: net = gross everywhere: accepted, with warnings that say what rose.
        let mut net_is_gross = lower.clone();
        for a in &mut net_is_gross.articles {
            a.price_net = a.price_gross;
        }
        net_is_gross.shipping_net = 495;
        net_is_gross.rebate_net = 100;
        net_is_gross.total_net = net_is_gross.total_gross;
        let warnings = check_edit(&old, &net_is_gross).expect("accepted");
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("unit price (net) of article \"A\" rises from 420 to 500"));
        assert!(warnings[2].contains("shipping (net) rises from 416 to 495 cents while shipping (gross) goes from 495 to 495"));
        let mut higher = old.clone();
        higher.rebate_gross = 0;
        higher.rebate_net = 0;
        higher.total_gross += 100;
        higher.total_net += 84;
        let err = check_edit(&old, &higher).unwrap_err();
        assert_eq!(err.code, 105);
        assert!(err
            .merchant_message
            .contains("2495 cents (gross) is higher than the current total 2395"));
        let mut more_shipping = lower.clone();
        more_shipping.shipping_gross += 100;
        more_shipping.shipping_net += 84;
        more_shipping.total_gross += 100;
        more_shipping.total_net += 84;
        let err = check_edit(&old, &more_shipping).unwrap_err();
        assert_eq!(err.code, 106);
        assert_eq!(
            err.merchant_message,
            "shipping (gross) would rise from 495 to 595 cents"
        );
        let mut tax_up = lower.clone();
        tax_up.articles[0].price_net = 400;
        let warnings = check_edit(&old, &tax_up).expect("accepted");
        assert!(
            warnings[0].contains("tax rate of article \"A\" rises"),
            "{warnings:?}"
        );
        let mut empty = old.clone();
        empty.articles.clear();
        assert_eq!(check_edit(&old, &empty).map_err(|e| e.code), Err(107));
    }
}
