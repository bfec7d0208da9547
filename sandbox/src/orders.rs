//! The order lifecycle: operations shared by the XML API and the back-office. Each runs inside
//! the caller's transaction, checks first and writes last, and books one ledger movement per
//! state change.

use crate::cart::{self, Cart, TotalConvention};
use crate::clock::Date;
use crate::config::Merchant;
use crate::rules::{self, code, ApiError, Payment};
use crate::store::{self, Customer, Order, Status};
use rusqlite::Connection;

pub struct Ctx<'a> {
    pub merchant: &'a Merchant,
    pub now: i64,
}

impl Ctx<'_> {
    pub fn today(&self) -> Date {
        Date::from_unix(self.now)
    }
}

/// What each state forbids, with the error a client gets for it.
fn state_error(order: &Order, status: Status, action: &str) -> ApiError {
    let r = if order.reference.is_empty() {
        order.bptid.clone()
    } else {
        order.reference.clone()
    };
    match status {
        Status::Cancelled => ApiError::merchant(
            code::CANCELLED,
            format!("order {r} is cancelled: cannot {action}"),
        ),
        Status::Activated => ApiError::merchant(
            code::ALREADY_ACTIVATED,
            format!("order {r} is already activated: cannot {action}"),
        ),
        Status::PendingCapture => ApiError::merchant(
            code::NOT_CAPTURED,
            format!("order {r} was preauthorized but not captured yet: cannot {action}"),
        ),
        Status::Preauthorized => ApiError::merchant(
            code::ALREADY_CAPTURED,
            format!("order {r} is already captured: cannot {action}"),
        ),
        Status::Expired => ApiError::merchant(
            code::EXPIRED,
            format!(
                "order {r} expired: it was not activated within two months (deadline {}), BillPay cancelled the claim; cannot {action}",
                order.expires_on()
            ),
        ),
    }
}

/// The states an order can be cancelled in (before or after activation).
const CANCELLABLE: &[Status] = &[
    Status::PendingCapture,
    Status::Preauthorized,
    Status::Activated,
    Status::Expired,
];

/// The states whose cart can still go down.
const EDITABLE: &[Status] = &[Status::Preauthorized, Status::Activated];

/// Whether the back-office's `action` ("activate", "cancel", "partial") may
/// be asked of `order` today: it asks no question whose "Yes" would be refused.
pub fn may(order: &Order, today: Date, action: &str) -> Result<(), ApiError> {
    match action {
        "activate" => require(order, today, &[Status::Preauthorized], "activate"),
        "cancel" => require(order, today, CANCELLABLE, "cancel"),
        _ => require(order, today, EDITABLE, "change the cart"),
    }
}

fn require(order: &Order, today: Date, allowed: &[Status], action: &str) -> Result<(), ApiError> {
    let status = order.status_on(today);
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(state_error(order, status, action))
    }
}

fn require_amount(order: &Order, amount: i64, currency: &str) -> Result<(), ApiError> {
    if currency != order.currency {
        return Err(ApiError::merchant(
            code::CURRENCY,
            format!(
                "currency {currency:?} does not match the order's currency {}",
                order.currency
            ),
        ));
    }
    let total = order.cart.total_gross;
    // An order placed in the 2010 convention may quote its total before the rebate, as the
    // SDK 1.1.7 examples do in capture, invoiceCreated and cancel.
    let before_rebate = (order.convention == TotalConvention::BeforeRebate)
        .then(|| total + order.cart.rebate_gross);
    if amount != total && Some(amount) != before_rebate {
        return Err(ApiError::merchant(
            code::AMOUNT_MISMATCH,
            format!(
                "carttotalgross {amount} does not match the order's current total {total} cents{}",
                before_rebate
                    .map(|b| format!(
                        " (or {b} before the rebate, the convention the order was placed with)"
                    ))
                    .unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

fn set_reference(conn: &Connection, order: &mut Order, reference: &str) -> Result<(), ApiError> {
    rules::check_reference(reference)?;
    if store::reference_taken(conn, order.mid, reference, order.id)? {
        return Err(ApiError::merchant(
            code::DUPLICATE_REFERENCE,
            format!("reference {reference:?} is already used by another order of this merchant"),
        ));
    }
    order.reference = reference.to_string();
    Ok(())
}

pub struct NewOrder {
    pub bptid: String,
    pub reference: String,
    pub currency: String,
    pub customer: Customer,
    pub payment: Payment,
    pub convention: TotalConvention,
    /// Totals checked and on the after-rebate footing.
    pub cart: Cart,
    pub auto_capture: bool,
    /// What the preauthorize sent that does not add up, kept with the order.
    pub warnings: Vec<String>,
}

pub fn create(conn: &Connection, ctx: &Ctx, new: NewOrder) -> Result<Order, ApiError> {
    let mut order = Order {
        id: 0,
        mid: ctx.merchant.mid,
        pid: ctx.merchant.pid,
        bptid: new.bptid,
        reference: String::new(),
        status: if new.auto_capture {
            Status::Preauthorized
        } else {
            Status::PendingCapture
        },
        currency: new.currency,
        customer: new.customer,
        payment: new.payment,
        convention: new.convention,
        original_total: new.cart.total_gross,
        cart: new.cart,
        bank: crate::bank::BankAccount {
            iban: String::new(),
            bic: String::new(),
            bank_name: String::new(),
        },
        term_days: ctx.merchant.term_days,
        created_at: ctx.now,
        captured_at: new.auto_capture.then_some(ctx.now),
        activated_at: None,
        delay_days: None,
        due_date: None,
        cancelled_at: None,
    };
    // BillPay's documentation (DOC151) has preauthorize ignore the order
    // number; auto-capture needs it. A two-step order gets its number at
    // capture (or updateOrder), so an abandoned one reserves nothing.
    let mut ignored_reference = false;
    if !new.reference.is_empty() {
        if new.auto_capture {
            set_reference(conn, &mut order, &new.reference)?;
        } else {
            rules::check_reference(&new.reference)?;
            ignored_reference = true;
        }
    }
    store::insert_order(conn, &mut order)?;
    if ignored_reference {
        let note = format!(
            "reference {:?} not taken: a preauthorize without auto-capture gets its order number at capture",
            new.reference
        );
        store::add_warning(conn, &order, ctx.now, "preauthorize", &note)?;
    }
    let detail = if new.auto_capture {
        "preauthorize with auto-capture: order created, bank data assigned"
    } else {
        "preauthorize: approved, waiting for capture"
    };
    store::append_movement(conn, &order, ctx.now, "preauthorized", 0, detail)?;
    for warning in &new.warnings {
        store::add_warning(conn, &order, ctx.now, "preauthorize", warning)?;
    }
    Ok(order)
}

pub fn capture(
    conn: &Connection,
    ctx: &Ctx,
    order: &mut Order,
    amount: i64,
    currency: &str,
    reference: &str,
) -> Result<(), ApiError> {
    require(order, ctx.today(), &[Status::PendingCapture], "capture")?;
    require_amount(order, amount, currency)?;
    if !reference.is_empty() && reference != order.reference {
        if !order.reference.is_empty() {
            return Err(ApiError::merchant(
                code::REFERENCE_MISMATCH,
                format!(
                    "reference {reference:?} differs from the order's reference {:?}",
                    order.reference
                ),
            ));
        }
        set_reference(conn, order, reference)?;
    }
    order.status = Status::Preauthorized;
    order.captured_at = Some(ctx.now);
    store::update_order(conn, order)?;
    store::append_movement(
        conn,
        order,
        ctx.now,
        "captured",
        0,
        "capture: claim assigned to BillPay",
    )
}

pub fn update_reference(
    conn: &Connection,
    ctx: &Ctx,
    order: &mut Order,
    reference: &str,
    id_updates: &[(String, String)],
) -> Result<(), ApiError> {
    require(
        order,
        ctx.today(),
        // After activation the customer holds an invoice with the old reference.
        &[Status::PendingCapture, Status::Preauthorized],
        "update the order",
    )?;
    // The list maps the shop's temporary ids to its final ones: applied all at
    // once from the original ids, so chains (1→2, 2→3) and swaps come out right.
    let mut cart = order.cart.clone();
    for (index, (from, to)) in id_updates.iter().enumerate() {
        if to.is_empty() || to.chars().count() > 50 {
            return Err(ApiError::invalid("updateid must have 1 to 50 characters"));
        }
        if !order.cart.articles.iter().any(|a| &a.id == from) {
            return Err(ApiError::invalid(format!(
                "id_update: article {from:?} is not in the order"
            )));
        }
        let earlier = id_updates.iter().take(index);
        if earlier.clone().any(|(f, _)| f == from) {
            return Err(ApiError::invalid(format!(
                "id_update: article {from:?} is mapped twice"
            )));
        }
        if earlier.clone().any(|(_, t)| t == to) {
            return Err(ApiError::invalid(format!(
                "id_update: two articles mapped to {to:?}"
            )));
        }
    }
    for article in &mut cart.articles {
        if let Some((_, to)) = id_updates.iter().find(|(from, _)| from == &article.id) {
            article.id = to.clone();
        }
    }
    set_reference(conn, order, reference)?;
    cart.validate()?;
    order.cart = cart;
    store::update_order(conn, order)?;
    let mut detail = format!("updateOrder: reference set to {reference}");
    if !id_updates.is_empty() {
        detail.push_str(&format!(", {} article id(s) replaced", id_updates.len()));
    }
    store::append_movement(conn, order, ctx.now, "reference_updated", 0, &detail)
}

pub fn fee_for(total: i64, fee_bp: i64) -> i64 {
    // Half-up rounding to the cent; totals are non-negative. i128: a merchant may configure
    // a limit so large that total × basis points would overflow i64.
    let fee = (i128::from(total) * i128::from(fee_bp) + 5_000) / 10_000;
    i64::try_from(fee).unwrap_or(i64::MAX)
}

pub fn activate(
    conn: &Connection,
    ctx: &Ctx,
    order: &mut Order,
    amount: i64,
    currency: &str,
    delay_days: i64,
) -> Result<(), ApiError> {
    require(order, ctx.today(), &[Status::Preauthorized], "activate")?;
    require_amount(order, amount, currency)?;
    if !(0..=365).contains(&delay_days) {
        return Err(ApiError::invalid("delayindays must be between 0 and 365"));
    }
    let today = ctx.today();
    order.status = Status::Activated;
    order.activated_at = Some(ctx.now);
    order.delay_days = Some(delay_days);
    order.term_days = ctx.merchant.term_days;
    order.due_date = Some(rules::due_date(today, delay_days, order.term_days));
    store::update_order(conn, order)?;
    let total = order.cart.total_gross;
    store::append_movement(
        conn,
        order,
        ctx.now,
        "activated",
        total,
        &format!(
            "invoiceCreated: receivable bought; term {} days, delay {} days, due {}",
            order.term_days,
            delay_days,
            order.due_date.map(|d| d.to_string()).unwrap_or_default()
        ),
    )?;
    let fee = fee_for(total, ctx.merchant.fee_bp);
    store::append_movement(
        conn,
        order,
        ctx.now,
        "fee",
        -fee,
        &format!("BillPay fee {} bp of {} cents", ctx.merchant.fee_bp, total),
    )
}

pub fn cancel(
    conn: &Connection,
    ctx: &Ctx,
    order: &mut Order,
    amount: i64,
    currency: &str,
) -> Result<(), ApiError> {
    require(order, ctx.today(), CANCELLABLE, "cancel")?;
    require_amount(order, amount, currency)?;
    let was_activated = order.status == Status::Activated;
    let total = order.cart.total_gross;
    order.status = Status::Cancelled;
    order.cancelled_at = Some(ctx.now);
    store::update_order(conn, order)?;
    let (amount, detail) = if was_activated {
        (
            -total,
            "cancel after activation: the whole claim is debited",
        )
    } else {
        (0, "cancel before activation: nothing was bought yet")
    };
    store::append_movement(conn, order, ctx.now, "cancelled", amount, detail)
}

/// What an accepted edit did.
pub struct Edit {
    /// False when the cart was the same: a repeated edit with the same (absolute) cart is
    /// accepted and books nothing.
    pub changed: bool,
    /// What the edit sent that does not add up or rose on the net side (also stored).
    pub warnings: Vec<String>,
}

/// A cart's lines by article id: the same cart whatever order they are sent in.
fn sorted_lines(articles: &[crate::cart::Article]) -> Vec<&crate::cart::Article> {
    let mut lines: Vec<&crate::cart::Article> = articles.iter().collect();
    lines.sort_by(|a, b| a.id.cmp(&b.id));
    lines
}

/// Replaces the cart after checking its totals and the edit rules.
pub fn replace_cart(
    conn: &Connection,
    ctx: &Ctx,
    order: &mut Order,
    mut new_cart: Cart,
    source: &str,
) -> Result<Edit, ApiError> {
    require(order, ctx.today(), EDITABLE, "change the cart")?;
    new_cart.validate()?;
    // An emptied cart is a cancel (107) whatever its totals say: with a rebate
    // left over they would be negative, which is not the merchant's mistake.
    // So is a rebate that leaves nothing to pay, in either total convention
    // (check_totals would call the 2010 one invalid data, 53).
    if new_cart.articles.is_empty() {
        cart::check_edit(&order.cart, &new_cart)?;
    }
    if let Some(owed) = new_cart.gross_after_rebate().filter(|owed| *owed <= 0) {
        let nothing_owed = Cart {
            total_gross: owed,
            ..new_cart.clone()
        };
        cart::check_edit(&order.cart, &nothing_owed)?;
    }
    let check = new_cart.check_totals()?;
    // An order placed with totals after the rebate (every client since 2010)
    // is edited the same way: a total before it is a client's mistake, which
    // the sandbox is there to show, not to take.
    if check.convention == TotalConvention::BeforeRebate
        && order.convention == TotalConvention::AfterRebate
    {
        return Err(ApiError::merchant(
            code::TOTAL_MISMATCH,
            format!(
                "carttotalpricegross {} is the cart before its rebate of {} cents; order {} was placed with its total after the rebate: send {} cents",
                new_cart.total_gross + new_cart.rebate_gross,
                new_cart.rebate_gross,
                order.reference,
                new_cart.total_gross
            ),
        ));
    }
    let mut warnings = check.warnings;
    warnings.extend(cart::check_edit(&order.cart, &new_cart)?);
    // Names are informational; keep the stored ones so a shop cannot rename lines.
    let names: std::collections::HashMap<&str, &str> = order
        .cart
        .articles
        .iter()
        .map(|o| (o.id.as_str(), o.name.as_str()))
        .collect();
    for a in &mut new_cart.articles {
        if let Some(name) = names.get(a.id.as_str()) {
            a.name = (*name).to_owned();
        }
    }
    if new_cart.shipping_name.is_empty() {
        new_cart.shipping_name = order.cart.shipping_name.clone();
    }
    // The same cart with its lines in another order is the same cart: a
    // retry that lists them differently must book nothing either.
    let same = sorted_lines(&new_cart.articles) == sorted_lines(&order.cart.articles)
        && new_cart.shipping_gross == order.cart.shipping_gross
        && new_cart.shipping_net == order.cart.shipping_net
        && new_cart.rebate_gross == order.cart.rebate_gross
        && new_cart.rebate_net == order.cart.rebate_net;
    if same {
        return Ok(Edit {
            changed: false,
            warnings,
        });
    }
    let before = order.cart.total_gross;
    order.cart = new_cart;
    store::update_order(conn, order)?;
    let reduction = before - order.cart.total_gross;
    let amount = if order.status == Status::Activated {
        -reduction
    } else {
        0
    };
    store::append_movement(
        conn,
        order,
        ctx.now,
        "cart_reduced",
        amount,
        &format!(
            "{source}: total {} -> {} (credit {})",
            before, order.cart.total_gross, reduction
        ),
    )?;
    for warning in &warnings {
        store::add_warning(conn, order, ctx.now, source, warning)?;
    }
    Ok(Edit {
        changed: true,
        warnings,
    })
}

pub struct PartialCancel {
    pub articles: Vec<(String, i64)>,
    pub rebate_decrease_net: i64,
    pub rebate_decrease_gross: i64,
    pub shipping_decrease_net: i64,
    pub shipping_decrease_gross: i64,
}

/// Legacy `partialcancel`: applies the deltas to the current cart, then the same edit rules.
/// Returns the warnings, as `replace_cart`.
pub fn partial_cancel(
    conn: &Connection,
    ctx: &Ctx,
    order: &mut Order,
    deltas: &PartialCancel,
) -> Result<Vec<String>, ApiError> {
    require(
        order,
        ctx.today(),
        &[Status::Preauthorized, Status::Activated],
        "cancel part of the order",
    )?;
    let mut cart = order.cart.clone();
    for (id, qty) in &deltas.articles {
        if *qty < 1 {
            return Err(ApiError::merchant(
                code::PARTIAL_CANCEL,
                format!("articlequantity to cancel for {id:?} must be at least 1"),
            ));
        }
        let Some(article) = cart.articles.iter_mut().find(|a| &a.id == id) else {
            return Err(ApiError::merchant(
                code::PARTIAL_CANCEL,
                format!("article {id:?} is not in the order"),
            ));
        };
        if *qty > article.quantity {
            return Err(ApiError::merchant(
                code::PARTIAL_CANCEL,
                format!(
                    "cannot cancel {qty} of article {id:?}: only {} remain",
                    article.quantity
                ),
            ));
        }
        article.quantity -= qty;
    }
    cart.articles.retain(|a| a.quantity > 0);
    if deltas.rebate_decrease_gross > cart.rebate_gross {
        return Err(ApiError::merchant(
            code::PARTIAL_CANCEL,
            format!(
                "rebatedecreasegross {} is larger than the rebate (gross) {} cents",
                deltas.rebate_decrease_gross, cart.rebate_gross
            ),
        ));
    }
    if deltas.shipping_decrease_gross > cart.shipping_gross {
        return Err(ApiError::merchant(
            code::PARTIAL_CANCEL,
            format!(
                "shippingdecreasegross {} is larger than the shipping price (gross) {} cents",
                deltas.shipping_decrease_gross, cart.shipping_gross
            ),
        ));
    }
    cart.rebate_gross -= deltas.rebate_decrease_gross;
    cart.shipping_gross -= deltas.shipping_decrease_gross;
    // Net decreases beyond the net value are the shop's rounding or a net = gross habit:
    // the net value stops at zero and the warning says so.
    let mut warnings = Vec::new();
    for (label, value, decrease) in [
        ("rebate", &mut cart.rebate_net, deltas.rebate_decrease_net),
        (
            "shipping",
            &mut cart.shipping_net,
            deltas.shipping_decrease_net,
        ),
    ] {
        if decrease > *value {
            warnings.push(format!(
                "{label}decrease {decrease} is larger than the {label} (net) {value} cents: net {label} set to 0"
            ));
            *value = 0;
        } else {
            *value -= decrease;
        }
    }
    let gross = cart.expected_gross().unwrap_or(i64::MAX);
    let net = cart.expected_net().unwrap_or(i64::MAX);
    cart.total_gross = gross;
    cart.total_net = net;
    if cart.articles == order.cart.articles
        && cart.total_gross == order.cart.total_gross
        && cart.shipping_gross == order.cart.shipping_gross
    {
        return Err(ApiError::merchant(
            code::PARTIAL_CANCEL,
            "the partial cancellation changes nothing",
        ));
    }
    for warning in &warnings {
        store::add_warning(conn, order, ctx.now, "partialcancel", warning)?;
    }
    let edit = replace_cart(conn, ctx, order, cart, "partialcancel")?;
    warnings.extend(edit.warnings);
    Ok(warnings)
}
