use super::*;
use proptest::prelude::*;

fn order_json(status: &str, created: &str, cart: &str) -> String {
    format!(
        r#"{{"reference":"1001","currency":"EUR","cart":{cart},"status":"{status}","createdAt":"{created}"}}"#
    )
}

const CART: &str = r#"{"articles":[{"articleId":"espresso","name":"Espresso 1 kg","quantity":2,"unitNet":"20.92","unitGross":"24.90"},{"articleId":"mill","name":"Mill","quantity":1,"unitNet":"49.58","unitGross":"59.00"}],"shipping":{"name":"DHL","net":"4.12","gross":"4.90"},"rebate":{"net":"0.00","gross":"0.00"}}"#;

fn order(status: &str) -> Order {
    Order::from_json(&order_json(status, "2026-10-01", CART)).unwrap()
}

fn date(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

fn item(id: &str, quantity: i64) -> ReturnItemInput {
    ReturnItemInput {
        article_id: id.into(),
        quantity: crate::shape::Quantity(quantity),
    }
}

#[test]
fn status_shows_expiry_and_warns_two_weeks_before() {
    let o = order("preauthorized");
    let s = order_status(&o, date("2026-11-01"));
    assert_eq!(s.expires_on, Some(date("2026-12-01")));
    assert_eq!(s.days_left, Some(30));
    assert!(s.can_activate && s.can_cancel && s.can_edit_cart);
    assert!(s.warnings.is_empty());
    let s = order_status(&o, date("2026-11-17"));
    assert_eq!(s.warnings, [warning::EXPIRES_SOON]);
    let s = order_status(&o, date("2026-12-01"));
    assert_eq!(
        s.warnings,
        [warning::EXPIRES_SOON],
        "the last day still counts"
    );
    assert!(s.can_activate);
    let s = order_status(&o, date("2026-12-02"));
    assert_eq!(s.warnings, [warning::EXPIRED]);
    assert!(!s.can_activate && !s.can_edit_cart && s.can_cancel);
    assert_eq!(s.days_left, Some(0));
}

#[test]
fn activated_and_cancelled_orders() {
    let s = order_status(&order("activated"), date("2026-11-01"));
    assert!(!s.can_activate && s.can_cancel && s.can_edit_cart);
    assert_eq!(s.expires_on, None);
    assert_eq!(s.warnings, [warning::NO_DUE_DATE]);
    let s = order_status(&order("cancelled"), date("2026-11-01"));
    assert!(!s.can_activate && !s.can_cancel && !s.can_edit_cart);
}

#[test]
fn returning_items_sends_the_remaining_cart() {
    let o = order("activated");
    let plan = plan_return(&o, &[item("espresso", 1)], &ReturnOptionsInput::default()).unwrap();
    // An id as a form may send it, with spaces around: the cart's ids are trimmed too.
    let spaced = plan_return(&o, &[item(" espresso ", 1)], &ReturnOptionsInput::default()).unwrap();
    assert_eq!(spaced, plan);
    assert_eq!(plan.action, Action::EditCartContent);
    assert_eq!(plan.before.to_string(), "113.70");
    assert_eq!(plan.after.to_string(), "88.80");
    assert_eq!(plan.credit.to_string(), "24.90");
    assert_eq!(plan.cart.articles[0].quantity, 1);
    assert_eq!(
        plan.cart.shipping.gross.to_string(),
        "4.90",
        "shipping stays unless credited"
    );
}

#[test]
fn returning_everything_is_a_cancel_including_shipping() {
    let o = order("activated");
    let plan = plan_return(
        &o,
        &[item("espresso", 2), item("mill", 1)],
        &ReturnOptionsInput::default(),
    )
    .unwrap();
    assert_eq!(plan.action, Action::Cancel);
    assert_eq!(plan.credit.to_string(), "113.70");
    assert_eq!(plan.after, Amount::ZERO);
    assert!(plan.cart.is_empty());
}

#[test]
fn shipping_credit_lowers_shipping_net_and_gross() {
    let o = order("preauthorized");
    let options = ReturnOptionsInput {
        shipping_credit: Some("4.90".into()),
        today: None,
        ..Default::default()
    };
    let plan = plan_return(&o, &[], &options).unwrap();
    assert_eq!(plan.cart.shipping.gross, Amount::ZERO);
    assert_eq!(plan.cart.shipping.net, Amount::ZERO);
    let options = ReturnOptionsInput {
        shipping_credit: Some("2.45".into()),
        today: None,
        ..Default::default()
    };
    let plan = plan_return(&o, &[], &options).unwrap();
    assert_eq!(plan.cart.shipping.net.to_string(), "2.06");
    let options = ReturnOptionsInput {
        shipping_credit: Some("5.00".into()),
        today: None,
        ..Default::default()
    };
    assert_eq!(
        plan_return(&o, &[], &options).unwrap_err().code,
        ErrorCode::ShippingCreditExceedsShipping
    );
}

#[test]
fn return_violations_have_their_own_codes_and_change_nothing() {
    let o = order("activated");
    let before = o.clone();
    let none = ReturnOptionsInput::default();
    let e = plan_return(&o, &[item("espresso", 3)], &none).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_deref()),
        (ErrorCode::ReturnExceedsQuantity, Some("items[0].quantity"))
    );
    let e = plan_return(&o, &[item("tea", 1)], &none).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_deref()),
        (ErrorCode::UnknownArticle, Some("items[0].articleId"))
    );
    let e = plan_return(&o, &[item("mill", 0)], &none).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidQuantity);
    let e = plan_return(&o, &[item("espresso", 1), item("espresso", 2)], &none).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_deref()),
        (ErrorCode::ReturnExceedsQuantity, Some("items[1].quantity"))
    );
    assert_eq!(
        plan_return(&o, &[], &none).unwrap_err().code,
        ErrorCode::NothingToCredit
    );
    let e = plan_return(&order("cancelled"), &[item("mill", 1)], &none).unwrap_err();
    assert_eq!(e.code, ErrorCode::OrderCancelled);
    let expired = ReturnOptionsInput {
        shipping_credit: None,
        today: Some("2026-12-02".into()),
        ..Default::default()
    };
    let e = plan_return(&order("preauthorized"), &[item("mill", 1)], &expired).unwrap_err();
    assert_eq!(e.code, ErrorCode::OrderExpired);
    assert_eq!(o, before);
}

#[test]
fn discounts_raise_the_rebate_with_an_exact_net_part() {
    let o = order("activated");
    let plan = plan_discount(&o, Amount::parse("11.90").unwrap(), None).unwrap();
    assert_eq!(plan.action, Action::EditCartContent);
    assert_eq!(plan.cart.rebate.gross.to_string(), "11.90");
    assert_eq!(plan.cart.rebate.net.to_string(), "10.00");
    assert_eq!(plan.after.to_string(), "101.80");
    let whole = plan_discount(&o, Amount::parse("113.70").unwrap(), None).unwrap();
    assert_eq!(whole.action, Action::Cancel);
    // With a rebate above the shipping already on the order, too.
    let mut rebated = o.clone();
    rebated.cart.rebate = Rebate {
        net: Amount::parse("8.40").unwrap(),
        gross: Amount::parse("10.00").unwrap(),
    };
    let rest = plan_discount(&rebated, Amount::parse("103.70").unwrap(), None).unwrap();
    assert_eq!(rest.action, Action::Cancel);
    assert_eq!(rest.credit.to_string(), "103.70");
    let e = plan_discount(&o, Amount::parse("113.71").unwrap(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::DiscountExceedsTotal);
    assert_eq!(
        plan_discount(&o, Amount::ZERO, None).unwrap_err().code,
        ErrorCode::AmountOutOfRange
    );
}

#[test]
fn increases_are_refused() {
    let o = order("activated");
    let mut more = o.cart.clone();
    more.articles[0].quantity = 3;
    assert_eq!(
        check_no_increase(&o.cart, &more).unwrap_err().code,
        ErrorCode::CartIncrease
    );
    let mut pricier = o.cart.clone();
    pricier.articles[1].unit_gross = Amount::parse("60.00").unwrap();
    assert_eq!(
        check_no_increase(&o.cart, &pricier).unwrap_err().code,
        ErrorCode::CartIncrease
    );
    let mut shipping = o.cart.clone();
    shipping.shipping.gross = Amount::parse("5.00").unwrap();
    assert_eq!(
        check_no_increase(&o.cart, &shipping).unwrap_err().code,
        ErrorCode::CartIncrease
    );
    let mut new_article = o.cart.clone();
    new_article.articles[1].article_id = "grinder".into();
    assert_eq!(
        check_no_increase(&o.cart, &new_article).unwrap_err().code,
        ErrorCode::CartIncrease
    );
    let mut less = o.cart.clone();
    less.articles[0].quantity = 1;
    assert!(check_no_increase(&o.cart, &less).is_ok());
}

/// The gross total falls by a cent, the net total rises: a rebate whose
/// net part shrinks is an increase too (DESIGN.md: "net values likewise").
#[test]
fn a_higher_net_total_is_refused() {
    let mut o = order("activated");
    o.cart.rebate.gross = Amount::parse("5.00").unwrap();
    o.cart.rebate.net = Amount::parse("4.20").unwrap();
    let mut shrunk_net = o.cart.clone();
    shrunk_net.rebate.gross = Amount::parse("5.01").unwrap();
    shrunk_net.rebate.net = Amount::parse("0.01").unwrap();
    assert!(shrunk_net.total_gross().unwrap() < o.cart.total_gross().unwrap());
    let e = check_no_increase(&o.cart, &shrunk_net).unwrap_err();
    assert_eq!(e.code, ErrorCode::CartIncrease);
    assert_eq!(e.path.as_deref(), Some("rebate"));
    assert_eq!(e.message, "the new net total is above the current one");
    let mut both_down = o.cart.clone();
    both_down.rebate.gross = Amount::parse("5.01").unwrap();
    both_down.rebate.net = Amount::parse("4.21").unwrap();
    assert!(check_no_increase(&o.cart, &both_down).is_ok());
}

#[test]
fn empty_open_orders_are_refused() {
    let empty =
        r#"{"articles":[],"shipping":{"net":"0","gross":"0"},"rebate":{"net":"0","gross":"0"}}"#;
    let e = Order::from_json(&order_json("activated", "2026-10-01", empty)).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_deref()),
        (ErrorCode::EmptyCart, Some("cart.articles"))
    );
    assert!(Order::from_json(&order_json("cancelled", "2026-10-01", empty)).is_ok());
}

// --- property tests: the rules hold for any cart and any change -------------

fn arb_order() -> impl Strategy<Value = Order> {
    let rate = prop::sample::select(vec![0i64, 7, 19]);
    let article = (1u32..5, 1i64..50_000, rate)
        .prop_map(|(qty, net, rate)| (qty, net, (net * (100 + rate) * 2 + 100) / 200));
    (prop::collection::vec(article, 1..5), 0i64..1_000, 0i64..3_000).prop_map(|(lines, ship_net, rebate)| {
        let articles: Vec<String> = lines
            .iter()
            .enumerate()
            .map(|(i, (qty, net, gross))| {
                format!(
                    r#"{{"articleId":"a{i}","name":"A{i}","quantity":{qty},"unitNet":"{}","unitGross":"{}"}}"#,
                    Amount::from_cents(*net).unwrap(),
                    Amount::from_cents(*gross).unwrap()
                )
            })
            .collect();
        let ship_gross = (ship_net * 119 * 2 + 100) / 200;
        let items_net: i64 = lines.iter().map(|(q, n, _)| i64::from(*q) * n).sum();
        let items_gross: i64 = lines.iter().map(|(q, _, g)| i64::from(*q) * g).sum();
        // An open order has something left to pay.
        let rebate_gross = rebate.min(items_net).min(items_gross + ship_gross - 1).max(0);
        let tax: i64 = lines.iter().map(|(q, n, g)| i64::from(*q) * (g - n)).sum::<i64>() + ship_gross - ship_net;
        let rebate_net = (rebate_gross * 100 / 119).max(rebate_gross - tax);
        let cart = format!(
            r#"{{"articles":[{}],"shipping":{{"net":"{}","gross":"{}"}},"rebate":{{"net":"{}","gross":"{}"}}}}"#,
            articles.join(","),
            Amount::from_cents(ship_net).unwrap(),
            Amount::from_cents(ship_gross).unwrap(),
            Amount::from_cents(rebate_net).unwrap(),
            Amount::from_cents(rebate_gross).unwrap()
        );
        Order::from_json(&order_json("activated", "2026-10-01", &cart)).unwrap()
    })
}

fn check_plan(order: &Order, plan: &Plan) -> std::result::Result<(), TestCaseError> {
    prop_assert!(plan.after <= plan.before);
    prop_assert_eq!(plan.before, order.cart.total_gross().unwrap());
    prop_assert_eq!(
        plan.credit.cents(),
        plan.before.cents() - plan.after.cents()
    );
    prop_assert_eq!(
        plan.after,
        plan.cart.total_gross().unwrap(),
        "the totals sent equal the cart described"
    );
    prop_assert!(plan.cart.total_net().is_ok(), "no negative net");
    match plan.action {
        Action::Cancel => prop_assert!(plan.cart.is_empty() && plan.after == Amount::ZERO),
        Action::EditCartContent => {
            prop_assert!(!plan.cart.is_empty(), "an empty cart is always a cancel");
            prop_assert!(
                check_no_increase(&order.cart, &plan.cart).is_ok(),
                "no line goes up"
            );
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn no_return_plan_raises_anything(order in arb_order(), picks in prop::collection::vec((0usize..5, 1i64..5), 0..6), credit in 0i64..2_000, prorate in any::<bool>()) {
        let items: Vec<ReturnItemInput> = picks
            .iter()
            .filter_map(|(i, q)| order.cart.articles.get(*i).map(|a| item(&a.article_id, (*q).min(i64::from(a.quantity)))))
            .collect();
        let options = ReturnOptionsInput {
            shipping_credit: Some(Amount::from_cents(credit.min(order.cart.shipping.gross.cents())).unwrap().to_string()),
            today: None,
            rebate: prorate.then(|| "prorate".to_owned()),
        };
        match plan_return(&order, &items, &options) {
            Ok(plan) => check_plan(&order, &plan)?,
            Err(e) => prop_assert!(matches!(e.code, ErrorCode::NothingToCredit | ErrorCode::ReturnExceedsQuantity), "{e}"),
        }
    }

    #[test]
    fn returning_every_article_is_always_a_cancel(order in arb_order()) {
        let items: Vec<ReturnItemInput> = order.cart.articles.iter().map(|a| item(&a.article_id, i64::from(a.quantity))).collect();
        let plan = plan_return(&order, &items, &ReturnOptionsInput::default()).unwrap();
        prop_assert_eq!(plan.action, Action::Cancel);
        prop_assert_eq!(plan.credit, plan.before);
    }

    #[test]
    fn a_discount_of_the_whole_amount_is_always_a_cancel(order in arb_order()) {
        let total = order.cart.total_gross().unwrap();
        let plan = plan_discount(&order, total, None).unwrap();
        prop_assert_eq!(plan.action, Action::Cancel);
        prop_assert_eq!(plan.credit, total);
    }

    #[test]
    fn discounts_never_make_anything_negative(order in arb_order(), cents in 1i64..2_000_000) {
        let total = order.cart.total_gross().unwrap().cents();
        match plan_discount(&order, Amount::from_cents(cents).unwrap(), None) {
            Ok(plan) => {
                check_plan(&order, &plan)?;
                prop_assert!(cents <= total);
                prop_assert_eq!(plan.credit.cents(), cents);
                prop_assert!(plan.cart.rebate.net <= plan.cart.rebate.gross);
                for group in plan.cart.tax_groups(None).unwrap() {
                    prop_assert!(group.net <= group.gross);
                }
            }
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::DiscountExceedsTotal);
                prop_assert!(cents > total);
            }
        }
    }
}

#[test]
fn returns_and_edits_of_forty_thousand_lines_are_handled_in_one_pass() {
    // planReturn took 6.4 s for 40 000 returned items (a scan of the cart
    // for each); check_no_increase had the same shape.
    let cart = crate::cart::tests::big_cart_json(40_000, false);
    let o = Order::from_json(&order_json("activated", "2026-10-01", &cart)).unwrap();
    let items: Vec<ReturnItemInput> = (0..40_000).map(|i| item(&format!("a{i}"), 1)).collect();
    let plan = plan_return(&o, &items, &ReturnOptionsInput::default()).unwrap();
    assert_eq!(plan.action, Action::EditCartContent);
    assert_eq!(plan.cart.articles.len(), 40_000);
    assert!(plan.cart.articles.iter().all(|a| a.quantity == 1));
    check_no_increase(&o.cart, &plan.cart).unwrap();
    // Returning everything, one item per line and unit, is a cancel.
    let all: Vec<ReturnItemInput> = (0..80_000)
        .map(|i| item(&format!("a{}", i / 2), 1))
        .collect();
    assert_eq!(
        plan_return(&o, &all, &ReturnOptionsInput::default())
            .unwrap()
            .action,
        Action::Cancel
    );
    // An unknown or over-returned article is still named by its position.
    let mut bad = items;
    bad.push(item("a5", 2));
    let e = plan_return(&o, &bad, &ReturnOptionsInput::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::ReturnExceedsQuantity);
    assert_eq!(e.path.as_deref(), Some("items[40000].quantity"));
    let mut increased = plan.cart.clone();
    if let Some(last) = increased.articles.last_mut() {
        last.quantity = 3;
    }
    let e = check_no_increase(&o.cart, &increased).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("articles[39999]"));
}

/// A rebate netted over a 19 % and a 7 % article follows the rates of what
/// is left after a return (DESIGN.md: "the rebate's net part is split over
/// the cart's tax rates exactly"): each remaining line keeps its own rate.
#[test]
fn a_return_nets_the_rebate_at_the_rates_left() {
    let cart = r#"{"articles":[{"articleId":"coffee","name":"Coffee","quantity":1,"unitNet":"25.21","unitGross":"30.00"},{"articleId":"book","name":"Book","quantity":1,"unitNet":"18.69","unitGross":"20.00"}],"shipping":{"net":"0.00","gross":"0.00"},"rebate":{"net":"4.39","gross":"5.00"}}"#;
    let o = Order::from_json(&order_json("activated", "2026-10-01", cart)).unwrap();
    let options = ReturnOptionsInput::default();
    // (returned, rate left, rebate net = 5.00 at that rate, net and tax of the rate)
    for (returned, rate, rebate_net, net, tax) in [
        ("book", "19", "4.20", "21.01", "3.99"),
        ("coffee", "7", "4.67", "14.02", "0.98"),
    ] {
        let plan = plan_return(&o, &[item(returned, 1)], &options).unwrap();
        assert_eq!(plan.cart.rebate.net, Amount::parse(rebate_net).unwrap());
        let groups = plan.cart.tax_groups(Some(Currency::Eur)).unwrap();
        assert_eq!(groups.len(), 1, "{returned}");
        assert_eq!(groups[0].rate.to_string(), rate);
        assert_eq!(groups[0].net, Amount::parse(net).unwrap());
        assert_eq!(
            groups[0].gross.checked_sub(groups[0].net).unwrap(),
            Amount::parse(tax).unwrap()
        );
        assert!(plan.cart.total_net().unwrap() < o.cart.total_net().unwrap());
        check_no_increase(&o.cart, &plan.cart).unwrap();
    }
    // While both rates stay, the rebate stays as the shop netted it, even
    // below the split; returning nothing changes nothing.
    let low = cart.replace(r#""net":"4.39""#, r#""net":"4.20""#).replace(
        r#""quantity":1,"unitNet":"25.21""#,
        r#""quantity":2,"unitNet":"25.21""#,
    );
    let o = Order::from_json(&order_json("activated", "2026-10-01", &low)).unwrap();
    let e = plan_return(&o, &[], &options).unwrap_err();
    assert_eq!(e.code, ErrorCode::NothingToCredit);
    let plan = plan_return(&o, &[item("coffee", 1)], &options).unwrap();
    assert_eq!(plan.cart.rebate.net, Amount::parse("4.20").unwrap());
}

/// A lower price that fits the same rate is no rate increase, though a
/// price of a few cents fits several rates (Dutch 21 %, Swiss 8.1 %).
#[test]
fn cheap_prices_keep_their_rate() {
    let line =
        |net: &str, gross: &str| (Amount::parse(net).unwrap(), Amount::parse(gross).unwrap());
    let raised = crate::cart::rate_raised;
    assert!(!raised(line("0.50", "0.60"), line("0.33", "0.40")));
    assert!(!raised(line("0.93", "1.00"), line("0.90", "0.97")));
    // 8 % is no rate of EUR: the same rate, rounded anew.
    assert!(!raised(line("1.00", "1.08"), line("0.99", "1.07")));
    assert!(raised(line("1.00", "1.07"), line("1.00", "1.19")));
    assert!(raised(line("10.00", "10.26"), line("10.00", "10.81")));
    assert!(raised(line("10.00", "10.00"), line("9.00", "9.90")));
    assert!(!raised(line("10.00", "11.90"), line("10.00", "10.70")));
    assert!(!raised(line("0.00", "0.00"), line("0.00", "0.00")));
}

/// A rebate of everything leaves an open order nothing to pay: BillPay
/// never holds one, and no cancel of 0 could be sent for it.
#[test]
fn an_open_order_has_something_to_pay() {
    let free = CART.replace(
        r#""rebate":{"net":"0.00","gross":"0.00"}"#,
        r#""rebate":{"net":"95.54","gross":"113.70"}"#,
    );
    for status in ["preauthorized", "activated"] {
        let e = Order::from_json(&order_json(status, "2026-10-01", &free)).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_deref()),
            (ErrorCode::EmptyCart, Some("cart"))
        );
    }
    assert!(Order::from_json(&order_json("cancelled", "2026-10-01", &free)).is_ok());
}

#[test]
fn what_is_left_of_the_shipping_keeps_its_tax_rate() {
    let credit = |cart: &str, credit: &str| {
        let o = Order::from_json(&order_json("preauthorized", "2026-10-01", cart)).unwrap();
        let options = ReturnOptionsInput {
            shipping_credit: Some(credit.into()),
            today: None,
            ..Default::default()
        };
        let plan = plan_return(&o, &[], &options).unwrap();
        check_no_increase(&o.cart, &plan.cart).unwrap();
        plan
    };
    // 3.22/3.90 at 21 %, 1.05 credited: 2.85 gross is 2.36 net at 21 %
    // (2.35 in proportion to the old net, which is 21.28 %).
    let nl = r#"{"articles":[{"articleId":"a","name":"A","quantity":1,"unitNet":"100.00","unitGross":"121.00"}],"shipping":{"name":"DHL","net":"3.22","gross":"3.90"},"rebate":{"net":"0.00","gross":"0.00"}}"#;
    let plan = credit(nl, "1.05");
    assert_eq!(
        (
            plan.cart.shipping.net.to_string(),
            plan.cart.shipping.gross.to_string()
        ),
        ("2.36".into(), "2.85".into())
    );
    let rates: Vec<String> = plan
        .cart
        .tax_groups(Some(Currency::Eur))
        .unwrap()
        .iter()
        .map(|g| g.rate.to_string())
        .collect();
    assert_eq!(rates, ["21"]);
    // Every credit of a 19 % shipping leaves a 19 % shipping, and a
    // rebate the shop netted stays as it is (no rate left the cart).
    let de = r#"{"articles":[{"articleId":"shirt","name":"Shirt","quantity":1,"unitNet":"42.02","unitGross":"50.00"},{"articleId":"book","name":"Book","quantity":1,"unitNet":"18.69","unitGross":"20.00"}],"shipping":{"name":"DHL","net":"4.12","gross":"4.90"},"rebate":{"net":"8.00","gross":"9.00"}}"#;
    let plan = credit(de, "1.10");
    assert_eq!(plan.cart.shipping.net.to_string(), "3.19");
    assert_eq!(plan.cart.rebate.net.to_string(), "8.00");
    for cents in 1..490 {
        let plan = credit(de, &Amount::from_cents(cents).unwrap().to_string());
        let shipping = &plan.cart.shipping;
        // A few cents of shipping are as much 0 % as 19 % (0.03/0.03).
        if shipping.gross.cents() < 10 {
            continue;
        }
        let only_shipping = Cart {
            articles: Vec::new(),
            ..without_rebate(&plan.cart)
        };
        let rates = only_shipping.tax_groups(Some(Currency::Eur)).unwrap();
        assert_eq!(
            rates[0].rate.to_string(),
            "19",
            "credit {cents}: {shipping:?}"
        );
        assert_eq!(plan.cart.rebate.net.to_string(), "8.00", "credit {cents}");
    }
}

#[test]
fn a_higher_tax_rate_on_the_shipping_is_an_increase() {
    let o = order("activated");
    let mut edited = o.cart.clone();
    edited.shipping.net = Amount::parse("3.00").unwrap();
    let error = check_no_increase(&o.cart, &edited).unwrap_err();
    assert_eq!(error.code, ErrorCode::CartIncrease);
    assert_eq!(error.path.as_deref(), Some("shipping"));
    assert!(error.message.contains("tax rate"), "{}", error.message);
}

#[test]
fn an_order_activated_before_it_was_placed_is_refused() {
    let json = order_json("activated", "2026-10-01", CART).replace(
        r#""createdAt""#,
        r#""activatedAt":"2026-09-30","createdAt""#,
    );
    let e = Order::from_json(&json).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidDate);
    assert_eq!(e.path.as_deref(), Some("activatedAt"));
    assert_eq!(
        e.message,
        "the order was activated on 2026-09-30, before it was placed (createdAt 2026-10-01)"
    );
    // The same day is fine, as is a cancelled order activated before.
    let same_day = order_json("cancelled", "2026-10-01", CART).replace(
        r#""createdAt""#,
        r#""activatedAt":"2026-10-01","createdAt""#,
    );
    assert!(Order::from_json(&same_day).is_ok());
}

#[test]
fn an_open_order_without_an_activation_deadline_is_refused() {
    // Two months after 9999-11-01 is no date: the order would never warn.
    let e = Order::from_json(&order_json("preauthorized", "9999-11-01", CART)).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidDate);
    assert_eq!(e.path.as_deref(), Some("createdAt"));
    assert!(
        e.message.contains("no activation deadline"),
        "{}",
        e.message
    );
    assert!(Order::from_json(&order_json("preauthorized", "9999-10-31", CART)).is_ok());
    assert!(Order::from_json(&order_json("activated", "9999-11-01", CART)).is_ok());
}

#[test]
fn a_today_before_the_order_was_placed_counts_as_that_day() {
    // Another time zone's date, or a clock behind: never more days left
    // than BillPay's two-month window.
    let o = order("preauthorized");
    let placed = order_status(&o, o.created_at);
    for earlier in ["2026-09-30", "2026-01-01"] {
        let s = order_status(&o, date(earlier));
        assert_eq!(s.days_left, placed.days_left, "{earlier}");
        assert_eq!(s.expires_on, placed.expires_on);
        assert!(s.warnings.is_empty() && s.can_activate);
    }
}

#[test]
fn a_quantity_that_is_no_whole_number_is_an_invalid_quantity() {
    // The README's table: INVALID_QUANTITY for "not a whole number from 1
    // up", a fraction or an exponent as much as 0 or -1.
    let o = order("activated");
    for raw in ["1.5", "1e2", "9223372036854775808", "0"] {
        let e = crate::error::from_json::<Vec<ReturnItemInput>>(&format!(
            r#"[{{"articleId":"mill","quantity":{raw}}}]"#
        ))
        .map_err(|e| e.at("items"))
        .and_then(|items| plan_return(&o, &items, &ReturnOptionsInput::default()))
        .unwrap_err();
        assert_eq!(
            (e.code, e.path.as_deref()),
            (ErrorCode::InvalidQuantity, Some("items[0].quantity")),
            "{raw}"
        );
    }
    let e = Cart::from_json(&CART.replace(r#""quantity":2"#, r#""quantity":2.5"#)).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_deref()),
        (ErrorCode::InvalidQuantity, Some("articles[0].quantity"))
    );
    let e = Cart::from_json(&CART.replace(r#""quantity":2"#, r#""quantity":"2""#)).unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::InvalidType,
        "a string is still a type error"
    );
}

#[test]
fn a_return_keeps_the_rebate_or_prorates_it() {
    // A 100.00 jacket, 5.00 socks, 4.90 shipping, a 10.00 coupon.
    let cart = r#"{"articles":[{"articleId":"jacket","name":"Jacket","quantity":1,"unitNet":"84.03","unitGross":"100.00"},{"articleId":"socks","name":"Socks","quantity":1,"unitNet":"4.20","unitGross":"5.00"}],"shipping":{"net":"4.12","gross":"4.90"},"rebate":{"net":"8.40","gross":"10.00"}}"#;
    let o = Order::from_json(&order_json("activated", "2026-10-01", cart)).unwrap();
    let items = [item("jacket", 1)];
    let options = |rebate: Option<&str>| ReturnOptionsInput {
        rebate: rebate.map(str::to_owned),
        ..Default::default()
    };
    // Kept whole, the coupon takes all that is left: a full cancel.
    for rule in [None, Some("keep")] {
        let plan = plan_return(&o, &items, &options(rule)).unwrap();
        assert_eq!(plan.action, Action::Cancel, "{rule:?}");
        assert_eq!(plan.credit.to_string(), "99.90");
    }
    // Prorated: 10.00 × 5.00 / 105.00 = 0.476 -> 0.48 stays on the socks.
    let plan = plan_return(&o, &items, &options(Some("prorate"))).unwrap();
    assert_eq!(plan.action, Action::EditCartContent);
    assert_eq!(plan.cart.rebate.gross.to_string(), "0.48");
    assert_eq!(plan.cart.rebate.net.to_string(), "0.40");
    assert_eq!(
        (plan.after.to_string(), plan.credit.to_string()),
        ("9.42".into(), "90.48".into())
    );
    // Returning the socks too leaves no article: a cancel either way.
    let both = [item("jacket", 1), item("socks", 1)];
    assert_eq!(
        plan_return(&o, &both, &options(Some("prorate")))
            .unwrap()
            .action,
        Action::Cancel
    );
    // A rebate above the articles' value (a coupon that also covers the
    // shipping) never falls faster than they do: no total goes up.
    let cart = r#"{"articles":[{"articleId":"a","name":"A","quantity":2,"unitNet":"4.20","unitGross":"5.00"}],"shipping":{"net":"4.20","gross":"5.00"},"rebate":{"net":"10.08","gross":"12.00"}}"#;
    let covered = Order::from_json(&order_json("activated", "2026-10-01", cart)).unwrap();
    match plan_return(&covered, &[item("a", 1)], &options(Some("prorate"))) {
        Ok(plan) => assert!(plan.after <= plan.before, "{plan:?}"),
        Err(e) => assert_eq!(e.code, ErrorCode::NothingToCredit, "{e}"),
    }
    let free = r#"{"articles":[{"articleId":"gift","name":"Gift","quantity":1,"unitNet":"0.00","unitGross":"0.00"},{"articleId":"a","name":"A","quantity":1,"unitNet":"4.20","unitGross":"5.00"}],"shipping":{"net":"4.12","gross":"4.90"},"rebate":{"net":"1.68","gross":"2.00"}}"#;
    let free = Order::from_json(&order_json("activated", "2026-10-01", free)).unwrap();
    let plan = plan_return(&free, &[item("gift", 1)], &options(Some("prorate"))).unwrap();
    assert_eq!(
        (plan.cart.rebate.gross.to_string(), plan.credit.to_string()),
        ("2.00".into(), "0.00".into())
    );
    let e = plan_return(&o, &items, &options(Some("share"))).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_deref()),
        (ErrorCode::InvalidOption, Some("options.rebate"))
    );
}
