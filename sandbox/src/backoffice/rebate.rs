//! The back-office's "Increase/Reduce + Partial cancellation" rule: from the remaining
//! quantities, the remaining shipping and a discount, the complete cart the order would have.
//! Whether BillPay accepts that cart is decided by the same edit rules as an editCartContent.

use crate::cart::Cart;
use crate::util::parse_amount;

/// What the merchant typed; `None` or blank leaves that part as it is.
pub struct Adjustment<'a> {
    /// Remaining quantity per article, in the cart's order.
    pub quantities: Vec<Option<&'a str>>,
    /// Remaining shipping (gross), e.g. `4.95`.
    pub shipping: Option<&'a str>,
    /// Added to the rebate (gross); negative lowers the rebate.
    pub discount: Option<&'a str>,
}

fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Half-up `a * b / c` for non-negative values (0 when `c` is 0).
pub fn scale(a: i64, b: i64, c: i64) -> i64 {
    if c == 0 {
        return 0;
    }
    let n = i128::from(a) * i128::from(b);
    let c = i128::from(c);
    let q = if n >= 0 {
        (2 * n + c) / (2 * c)
    } else {
        -((-2 * n + c) / (2 * c))
    };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

/// The cart after the adjustment, with its totals; `Err` says which input is unusable.
pub fn apply(old: &Cart, adjustment: &Adjustment) -> Result<Cart, String> {
    let mut cart = old.clone();
    for (article, value) in cart.articles.iter_mut().zip(&adjustment.quantities) {
        if let Some(v) = given(*value) {
            article.quantity = v
                .parse()
                .map_err(|_| format!("quantity of {} is not a whole number", article.name))?;
            if !(0..=100_000).contains(&article.quantity) {
                return Err(format!(
                    "quantity of {} must be between 0 and 100000",
                    article.name
                ));
            }
        }
    }
    cart.articles.retain(|a| a.quantity > 0);
    if let Some(v) = given(adjustment.shipping) {
        let gross = parse_amount(v).ok_or("shipping is not an amount like 4.95")?;
        if gross < 0 {
            return Err("shipping cannot be negative".into());
        }
        // The net part keeps the shipping's tax rate.
        cart.shipping_net = scale(old.shipping_net, gross, old.shipping_gross);
        cart.shipping_gross = gross;
    }
    let discount = match given(adjustment.discount) {
        Some(v) => parse_amount(v).ok_or("Increase/Reduce is not an amount like 5.00")?,
        None => 0,
    };
    if discount != 0 {
        let items_gross: i64 = cart
            .articles
            .iter()
            .map(|a| a.price_gross.saturating_mul(a.quantity))
            .sum();
        let items_net: i64 = cart
            .articles
            .iter()
            .map(|a| a.price_net.saturating_mul(a.quantity))
            .sum();
        cart.rebate_gross += discount;
        // The rebate's net part follows the cart's average tax rate.
        cart.rebate_net += scale(discount, items_net, items_gross);
        if cart.rebate_gross < 0 {
            return Err("the rebate cannot go below zero".into());
        }
        cart.rebate_net = cart.rebate_net.clamp(0, cart.rebate_gross);
    }
    cart.total_gross = cart.expected_gross().ok_or("amounts overflow")?;
    cart.total_net = cart.expected_net().ok_or("amounts overflow")?;
    if cart.total_net < 0 && cart.total_gross >= 0 {
        cart.rebate_net += cart.total_net;
        cart.total_net = 0;
    }
    Ok(cart)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::Article;

    fn cart() -> Cart {
        let article = |id: &str, quantity| Article {
            id: id.into(),
            name: id.into(),
            quantity,
            price_net: 420,
            price_gross: 500,
        };
        Cart {
            articles: vec![article("A", 1), article("B", 3)],
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
    fn returns_shipping_and_discount() {
        assert_eq!(scale(416, 300, 495), 252);
        let c = apply(
            &cart(),
            &Adjustment {
                quantities: vec![Some("1"), Some(" 2 ")],
                shipping: Some("3.00"),
                discount: Some("2,50"),
            },
        )
        .expect("cart");
        assert_eq!(c.articles[1].quantity, 2);
        assert_eq!((c.shipping_gross, c.shipping_net), (300, 252));
        assert_eq!(c.rebate_gross, 350);
        // 250 at the items' rate 420/500 = 210 net.
        assert_eq!(c.rebate_net, 294);
        assert_eq!(c.total_gross, 1500 + 300 - 350);
        let none = apply(
            &cart(),
            &Adjustment {
                quantities: vec![None, Some("")],
                shipping: None,
                discount: None,
            },
        )
        .expect("cart");
        assert_eq!(none, cart());
        for bad in [
            Adjustment {
                quantities: vec![Some("x")],
                shipping: None,
                discount: None,
            },
            Adjustment {
                quantities: vec![],
                shipping: Some("-1"),
                discount: None,
            },
            Adjustment {
                quantities: vec![],
                shipping: None,
                discount: Some("-2.00"),
            },
        ] {
            assert!(apply(&cart(), &bad).is_err());
        }
    }
}
