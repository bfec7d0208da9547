//! An order's BillPay lifecycle and the rules for changing it.
//!
//! preauthorized → activated → cancelled; partial credits keep the state.
//! Amounts only go down: a plan is always the complete remaining cart
//! (absolute, so a retried request cannot credit twice), and a plan that
//! leaves nothing to pay is a full `cancel`, never an edit.

use crate::block::{BankAccount, BankAccountInput};
use crate::cart::{allocate, Cart, CartInput, Rebate};
use crate::date::Date;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::{clip, Amount, Currency};
use crate::names::Names;
use crate::reference::check_order_number;
use rust_decimal::{Decimal, RoundingStrategy};

/// BillPay may cancel orders that were not activated within two months.
pub const EXPIRY_MONTHS: u32 = 2;
/// Warn this many days before that.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

crate::string_enum! {
    /// An order's state at BillPay.
    pub enum Status => "Status", ErrorCode::InvalidStatus,
        "status is \"preauthorized\", \"activated\" or \"cancelled\"," {
        Preauthorized = "preauthorized",
        Activated = "activated",
        Cancelled = "cancelled",
    }
}

crate::input_shape! {
    /// An order as the shop keeps it, with what BillPay knows of it.
    pub struct OrderInput => "Order" {
        /// The merchant order number, as sent to BillPay as `reference`.
        pub reference "reference": String,
        pub currency "currency": String as Currency,
        pub cart "cart": CartInput,
        pub status "status": String as Status,
        /// "YYYY-MM-DD"
        pub created_at "createdAt": String,
        pub activated_at "activatedAt": Option<String>,
        pub bank_account "bankAccount": Option<BankAccountInput>,
    }
}

crate::output_shape! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Order => as OrderInput {
        pub reference "reference": String,
        pub currency "currency": Currency,
        pub cart "cart": Cart,
        pub status "status": Status,
        pub created_at "createdAt": Date,
        pub activated_at "activatedAt": Option<Date>,
        pub bank_account "bankAccount": Option<BankAccount>,
    }
}

/// Dates an order cannot have: activated before it was placed, or placed
/// so late that its activation deadline is past the last date there is (it
/// would have none, and no warning would ever come).
fn check_dates(status: Status, created_at: Date, activated_at: Option<Date>) -> Result<()> {
    let (path, message) = match activated_at {
        Some(activated_at) if activated_at < created_at => (
            "activatedAt",
            [
                "the order was activated on ",
                &activated_at.iso(),
                ", before it was placed (createdAt ",
                &created_at.iso(),
                ")",
            ]
            .concat(),
        ),
        _ if status == Status::Preauthorized && created_at.add_months(EXPIRY_MONTHS).is_none() => (
            "createdAt",
            [
                "an order placed on ",
                &created_at.iso(),
                " has no activation deadline (two months later is past 9999-12-31)",
            ]
            .concat(),
        ),
        _ => return Ok(()),
    };
    Err(BillPayError::new(ErrorCode::InvalidDate, message).at(path))
}

impl Order {
    pub fn from_input(input: &OrderInput) -> Result<Order> {
        check_order_number(&input.reference).map_err(|e| e.at("reference"))?;
        let currency = Currency::parse(&input.currency).map_err(|e| e.at("currency"))?;
        let status = Status::parse(&input.status).map_err(|e| e.at("status"))?;
        let cart = Cart::from_input(&input.cart).map_err(|e| e.at("cart"))?;
        if cart.is_empty() && status != Status::Cancelled {
            return Err(BillPayError::new(
                ErrorCode::EmptyCart,
                "an open order has at least one article (an empty order is a cancelled one)",
            )
            .at("articles")
            .at("cart"));
        }
        // A rebate of everything leaves nothing to pay: BillPay never holds
        // such an open order (a preauthorization of 0 is refused), and a
        // cancel of 0 cannot be sent.
        if status != Status::Cancelled && cart.total_gross()? == Amount::ZERO {
            return Err(BillPayError::new(
                ErrorCode::EmptyCart,
                "an open order has something to pay (a total of 0 is a cancelled order)",
            )
            .at("cart"));
        }
        let created_at = Date::parse_iso_at(&input.created_at, "createdAt")?;
        let activated_at = input
            .activated_at
            .as_deref()
            .map(|d| Date::parse_iso_at(d, "activatedAt"))
            .transpose()?;
        check_dates(status, created_at, activated_at)?;
        let bank_account = input
            .bank_account
            .as_ref()
            .map(|b| BankAccount::from_input(b).map_err(|e| e.at("bankAccount")))
            .transpose()?;
        Ok(Order {
            reference: input.reference.clone(),
            currency,
            cart,
            status,
            created_at,
            activated_at,
            bank_account,
        })
    }

    pub fn from_json(json: &str) -> Result<Order> {
        let input: OrderInput = crate::shape::from_json(json)?;
        Order::from_input(&input)
    }

    /// The last day a never-activated order can be activated; after it
    /// BillPay may cancel the order.
    pub fn expires_on(&self) -> Option<Date> {
        match self.status {
            Status::Preauthorized => self.created_at.add_months(EXPIRY_MONTHS),
            _ => None,
        }
    }

    pub fn is_expired(&self, today: Date) -> bool {
        self.expires_on().is_some_and(|expiry| today > expiry)
    }

    /// Refuses changes to orders that can no longer change.
    fn check_editable(&self, today: Option<Date>) -> Result<()> {
        if self.status == Status::Cancelled {
            return Err(BillPayError::new(
                ErrorCode::OrderCancelled,
                format!(
                    "order {} is cancelled: nothing left to credit",
                    self.reference
                ),
            ));
        }
        if let (Some(today), Some(expiry)) = (today, self.expires_on()) {
            if today > expiry {
                return Err(expired(self, expiry));
            }
        }
        Ok(())
    }
}

fn expired(order: &Order, expiry: Date) -> BillPayError {
    BillPayError::new(
        ErrorCode::OrderExpired,
        format!(
            "order {} was not activated within two months (the last day was {expiry}); BillPay may have cancelled it — contact BillPay's merchant service",
            order.reference
        ),
    )
}

crate::output_shape! {
    /// What the admin may do with an order today.
    #[derive(Debug, PartialEq, Eq)]
    pub struct OrderStatus => "OrderStatusInfo" {
        pub status "status": Status,
        pub can_activate "canActivate": bool,
        pub can_cancel "canCancel": bool,
        pub can_edit_cart "canEditCart": bool,
        /// Last day a preauthorized order can be activated (creation + two months).
        pub expires_on "expiresOn": Option<Date>,
        pub days_left "daysLeft": Option<i64>,
        pub warnings "warnings": Vec<&'static str> as Vec<OrderWarning>,
    }
}

crate::string_enum! {
    /// Stable warning identifiers of orderStatus() (the order panel shows them as text).
    pub enum OrderWarning => "OrderWarning", ErrorCode::InvalidInput, "a warning is one of \"EXPIRES_SOON\", \"EXPIRED\", \"NO_DUE_DATE\", \"PAST_DUE\"," {
        ExpiresSoon = "EXPIRES_SOON",
        Expired = "EXPIRED",
        NoDueDate = "NO_DUE_DATE",
        PastDue = "PAST_DUE",
    }
}

/// Warning identifiers, as `OrderStatus::warnings` lists them.
pub mod warning {
    use super::OrderWarning;
    pub const EXPIRES_SOON: &str = OrderWarning::ExpiresSoon.as_str();
    pub const EXPIRED: &str = OrderWarning::Expired.as_str();
    pub const NO_DUE_DATE: &str = OrderWarning::NoDueDate.as_str();
    pub const PAST_DUE: &str = OrderWarning::PastDue.as_str();
}

pub fn order_status(order: &Order, today: Date) -> OrderStatus {
    let mut warnings = Vec::new();
    let open = order.status != Status::Cancelled;
    let expired = order.is_expired(today);
    let expires_on = order.expires_on();
    // A `today` before the order was placed (another time zone's date, a
    // clock behind) counts as the day it was placed: never more days left
    // than BillPay's window has.
    let days_left = expires_on.map(|expiry| today.max(order.created_at).days_until(expiry).max(0));
    if expired {
        warnings.push(warning::EXPIRED);
    } else if days_left.is_some_and(|d| d <= EXPIRY_WARNING_DAYS) {
        warnings.push(warning::EXPIRES_SOON);
    }
    if order.status == Status::Activated {
        match order.bank_account.as_ref().and_then(|b| b.due_date) {
            None => warnings.push(warning::NO_DUE_DATE),
            Some(due) if today > due => warnings.push(warning::PAST_DUE),
            Some(_) => {}
        }
    }
    OrderStatus {
        status: order.status,
        can_activate: order.status == Status::Preauthorized && !expired,
        can_cancel: open,
        can_edit_cart: open && !expired,
        expires_on,
        days_left,
        warnings,
    }
}

crate::string_enum! {
    /// What a plan sends to BillPay.
    pub enum Action => "PlanAction", ErrorCode::InvalidInput,
        "action is \"editCartContent\" or \"cancel\"," {
        EditCartContent = "editCartContent",
        Cancel = "cancel",
    }
}

/// The name the client's `PlanInput` types its `action` with.
pub type PlanAction = Action;

crate::output_shape! {
    /// A change to send to BillPay: the complete cart after it, the totals
    /// before and after, and what the customer is credited.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Plan => as crate::client::PlanInput {
        pub action "action": Action,
        pub cart "cart": Cart,
        pub before "before": Amount,
        pub after "after": Amount,
        pub credit "credit": Amount,
    }
}

fn finish_plan(order: &Order, cart: Cart) -> Result<Plan> {
    let before = order.cart.total_gross()?;
    // No article left is a full cancel, whatever shipping and rebate remain
    // (a rebate above the shipping would make the empty cart's total negative).
    let after = if cart.is_empty() {
        Amount::ZERO
    } else {
        cart.total_gross()?
    };
    if after > before {
        // Unreachable by construction; kept as the last line of defence.
        return Err(BillPayError::new(
            ErrorCode::CartIncrease,
            "the change would raise the order's total",
        ));
    }
    if cart.is_empty() || after == Amount::ZERO {
        return Ok(Plan {
            action: Action::Cancel,
            cart: Cart::empty(),
            before,
            after: Amount::ZERO,
            credit: before,
        });
    }
    if after == before && cart == order.cart {
        return Err(BillPayError::new(
            ErrorCode::NothingToCredit,
            "the plan changes nothing",
        ));
    }
    Ok(Plan {
        action: Action::EditCartContent,
        cart,
        before,
        after,
        credit: before.checked_sub(after)?,
    })
}

crate::input_shape! {
    /// Units of one article that come back.
    pub struct ReturnItemInput => "ReturnItem" {
        pub article_id "articleId": String,
        pub quantity "quantity": crate::shape::Quantity,
    }
}

crate::string_enum! {
    /// What a return does to the order's rebate.
    pub enum ReturnRebate => "ReturnRebate", ErrorCode::InvalidOption,
        "rebate is \"keep\" or \"prorate\"," {
        Keep = "keep",
        Prorate = "prorate",
    }
}

crate::input_shape! {
    pub struct ReturnOptionsInput => "ReturnOptions" {
        /// Shipping credited to the customer (never more than was charged).
        pub shipping_credit "shippingCredit": Option<String>,
        /// With `today` ("YYYY-MM-DD"), an expired order is refused too.
        pub today "today": Option<String>,
        /// "keep" (default): the rebate stays whole (a voucher), up to what is left. "prorate": it shrinks with the articles' value (a percentage or a discount shared over the lines, as most shop systems credit it).
        pub rebate "rebate": Option<String> as Option<ReturnRebate>,
    }
}

crate::input_shape! {
    pub struct DiscountOptionsInput => "DiscountOptions" {
        /// With `today` ("YYYY-MM-DD"), an expired order is refused too.
        pub today "today": Option<String>,
    }
}

/// Returned articles (and optionally part of the shipping credited).
/// Return shipping is never charged: shipping can only go down here.
pub fn plan_return(
    order: &Order,
    items: &[ReturnItemInput],
    options: &ReturnOptionsInput,
) -> Result<Plan> {
    let today = options
        .today
        .as_deref()
        .map(|d| Date::parse_iso_at(d, "today"))
        .transpose()
        .map_err(|e| e.at("options"))?;
    let rebate_rule = match options.rebate.as_deref().map(ReturnRebate::parse) {
        None => ReturnRebate::Keep,
        Some(rule) => rule.map_err(|e| e.at("rebate").at("options"))?,
    };
    order.check_editable(today)?;
    let mut cart = order.cart.clone();
    // Lines by article id (unique in a cart): a scan per returned item took
    // 6 s for 40 000 items.
    let line_of = line_index(&order.cart);
    for (i, item) in items.iter().enumerate() {
        let at = |e: BillPayError| e.at(&format!("[{i}]")).at("items");
        let crate::shape::Quantity(quantity) = item.quantity;
        if quantity < 1 {
            return Err(at(BillPayError::new(
                ErrorCode::InvalidQuantity,
                format!("a returned quantity is at least 1, got {quantity}"),
            )
            .at("quantity")));
        }
        // Trimmed, as the cart's own ids are when an order is read.
        let Some(line) = line_of
            .position(item.article_id.trim().as_bytes())
            .and_then(|l| cart.articles.get_mut(l))
        else {
            return Err(at(BillPayError::new(
                ErrorCode::UnknownArticle,
                format!(
                    "order {} has no article \"{}\"",
                    order.reference,
                    clip(&item.article_id)
                ),
            )
            .at("articleId")));
        };
        let remaining = i64::from(line.quantity);
        if quantity > remaining {
            return Err(at(BillPayError::new(
                ErrorCode::ReturnExceedsQuantity,
                format!(
                    "article \"{}\": {quantity} returned but only {remaining} left on the order",
                    clip(&item.article_id),
                ),
            )
            .at("quantity")));
        }
        line.quantity = u32::try_from(remaining - quantity).unwrap_or(0);
    }
    cart.articles.retain(|a| a.quantity > 0);
    if rebate_rule == ReturnRebate::Prorate {
        // In proportion to the articles' value (shipping is no discounted
        // good), gross and net alike; the rules below then apply as to a
        // kept rebate. It never falls by more than the articles did: a
        // rebate above their value (one that also covers the shipping) would
        // otherwise raise the total.
        let shrink = |rebate: Amount, before: Amount, after: Amount| -> Result<Amount> {
            let floor = rebate.cents() - (before.cents() - after.cents());
            Ok(scale(rebate, after, before)?.max(Amount::from_cents(floor.max(0))?))
        };
        cart.rebate = Rebate {
            gross: shrink(
                cart.rebate.gross,
                order.cart.items_gross()?,
                cart.items_gross()?,
            )?,
            net: shrink(cart.rebate.net, order.cart.items_net()?, cart.items_net()?)?,
        };
    }
    if let Some(credit) = options.shipping_credit.as_deref() {
        let credit = Amount::parse_at(credit, "shippingCredit").map_err(|e| e.at("options"))?;
        let shipping = &mut cart.shipping;
        if credit > shipping.gross {
            return Err(BillPayError::new(
                ErrorCode::ShippingCreditExceedsShipping,
                format!(
                    "the shipping credit {credit} is above the shipping charged ({})",
                    shipping.gross
                ),
            )
            .at("shippingCredit")
            .at("options"));
        }
        let gross = shipping.gross.checked_sub(credit)?;
        // What is left of the shipping keeps its tax rate: its net part
        // from the gross at that rate (in proportion to the old net, the
        // rounding could make a rate of 21.28 % out of 21 %). A ratio no
        // known rate explains is the shop's own, and is kept in proportion.
        let at_rate = match order.cart.shipping_rate(Some(order.currency))? {
            Some(rate) if credit > Amount::ZERO => net_at_rate(gross, rate)?,
            _ => None,
        };
        shipping.net = match at_rate {
            Some(net) => net.min(shipping.net),
            None => scale(shipping.net, gross, shipping.gross)?,
        };
        shipping.gross = gross;
    }
    // The rebate stays (or its prorated part), but can never exceed what is left (a negative total
    // would be money the customer is owed: that order is fully credited).
    // Its tax part can be no more than the tax left (returning the taxed
    // articles of a mixed cart would otherwise leave tax to give back).
    // When a tax rate leaves the cart, its net part follows the rates of
    // what is left, split as a discount is (DESIGN §3): a rebate netted over
    // a 19 % and a 7 % article would otherwise, once the 7 % one is
    // returned, leave the 19 % line taxed at some other rate. While the
    // rates stay, it stays as the shop netted it. It never goes so low that
    // the net total would rise.
    let left_gross = cart.items_gross()?.checked_add(cart.shipping.gross)?;
    let left_net = cart.items_net()?.checked_add(cart.shipping.net)?;
    let left_tax = cart.tax_before_rebate()?;
    let gross = cart.rebate.gross.min(left_gross);
    let lowest_net = Amount::from_cents((gross.cents() - left_tax.cents()).max(0))?;
    // The rates of a cart's lines.
    let rates = |c: &Cart| -> Result<Vec<Decimal>> {
        Ok(without_rebate(c)
            .tax_groups(Some(order.currency))?
            .iter()
            .map(|g| g.rate)
            .collect())
    };
    let split = if gross == Amount::ZERO
        || cart.articles.is_empty()
        || rates(&cart)? == rates(&order.cart)?
    {
        cart.rebate.net
    } else {
        discount_net(&without_rebate(&cart), order.currency, gross)?
    };
    let net_before = order.cart.total_net()?;
    let keeps_net_total = Amount::from_cents((left_net.cents() - net_before.cents()).max(0))?;
    cart.rebate = Rebate {
        gross,
        net: split
            .max(lowest_net)
            .max(keeps_net_total)
            .min(left_net)
            .min(gross),
    };
    finish_plan(order, cart)
}

/// `cart` without its rebate: its lines and shipping.
fn without_rebate(cart: &Cart) -> Cart {
    Cart {
        rebate: Rebate {
            gross: Amount::ZERO,
            net: Amount::ZERO,
        },
        ..cart.clone()
    }
}

/// Where each article id's line is in `cart.articles`.
fn line_index(cart: &Cart) -> Names<'_> {
    Names::new(cart.articles.iter().map(|a| a.article_id.as_bytes()))
}

/// The net part of `gross` at `rate` %, to the cent, half away from zero;
/// `None` for a rate finer than a tenth of a percent (no known rate is).
/// In integers: the known rates are whole tenths.
fn net_at_rate(gross: Amount, rate: Decimal) -> Result<Option<Amount>> {
    let tenths = match (rate.scale(), i64::try_from(rate.mantissa())) {
        (0, Ok(whole)) => whole.saturating_mul(10),
        (1, Ok(tenths)) => tenths,
        _ => return Ok(None),
    };
    let divisor = 1000 + tenths;
    let doubled = gross
        .cents()
        .checked_mul(2000)
        .and_then(|g| g.checked_add(divisor));
    match doubled {
        Some(doubled) if divisor > 0 && gross.cents() >= 0 => {
            Amount::from_cents(doubled / (2 * divisor)).map(Some)
        }
        _ => Ok(None),
    }
}

/// `value × numerator / denominator`, to the cent, half away from zero.
fn scale(value: Amount, numerator: Amount, denominator: Amount) -> Result<Amount> {
    if denominator == Amount::ZERO {
        return Ok(Amount::ZERO);
    }
    let exact = Decimal::from(value.cents()) * Decimal::from(numerator.cents())
        / Decimal::from(denominator.cents());
    let cents = exact.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    Amount::from_cents(i64::try_from(cents).unwrap_or(i64::MAX))
}

/// A discount ("Increase/Reduce" in BillPay's back-office): the rebate goes
/// up by `gross`; its net part is split over the cart's tax rates exactly.
/// The whole remaining amount is a full cancel; more is refused.
pub fn plan_discount(order: &Order, gross: Amount, today: Option<Date>) -> Result<Plan> {
    order.check_editable(today)?;
    if gross == Amount::ZERO {
        return Err(
            BillPayError::new(ErrorCode::AmountOutOfRange, "a discount is at least 0.01")
                .at("gross"),
        );
    }
    let total = order.cart.total_gross()?;
    if gross > total {
        return Err(BillPayError::new(
            ErrorCode::DiscountExceedsTotal,
            format!("a discount of {gross} is above what is left to pay ({total})"),
        )
        .at("gross"));
    }
    let mut cart = order.cart.clone();
    if gross < total {
        let net = discount_net(&order.cart, order.currency, gross)?;
        cart.rebate = Rebate {
            gross: cart.rebate.gross.checked_add(gross)?,
            net: cart.rebate.net.checked_add(net)?,
        };
    } else {
        cart.articles.clear();
    }
    finish_plan(order, cart)
}

/// The net part of a gross discount: the discount is split over the tax
/// rates in proportion to their gross value left after the rebate, and each
/// share is netted at its rate — but never takes more tax or net back than
/// the rate has left (an earlier rebate may have taken some already).
fn discount_net(cart: &Cart, currency: Currency, gross: Amount) -> Result<Amount> {
    let groups = cart.tax_groups(Some(currency))?;
    let weights: Vec<i64> = groups.iter().map(|g| g.gross.cents()).collect();
    let shares = allocate(gross.cents(), &weights);
    let mut net = 0i64;
    for (group, share) in groups.iter().zip(shares) {
        let exact =
            Decimal::from(share) * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + group.rate);
        let rounded = exact.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        let at_rate = i64::try_from(rounded).unwrap_or(0);
        let tax_left = group.gross.cents() - group.net.cents();
        let lowest = (share - tax_left).max(0);
        net += at_rate.max(lowest).min(group.net.cents());
    }
    Amount::from_cents(net)
}

/// Refuses a cart that is higher than the order's in any line: no higher
/// quantity, price or tax, no new article, no more shipping, no higher
/// total, gross or net. Used before sending a hand-made `editCart`.
pub fn check_no_increase(original: &Cart, edited: &Cart) -> Result<()> {
    let increase = |message: String, path: &str| {
        Err(BillPayError::new(ErrorCode::CartIncrease, message).at(path))
    };
    let line_of = line_index(original);
    for (i, line) in edited.articles.iter().enumerate() {
        let path = format!("articles[{i}]");
        let Some(before) = line_of
            .position(line.article_id.as_bytes())
            .and_then(|l| original.articles.get(l))
        else {
            return increase(
                format!(
                    "article \"{}\" is not on the order: no new articles",
                    clip(&line.article_id)
                ),
                &path,
            );
        };
        if line.quantity > before.quantity {
            return increase(
                format!(
                    "article \"{}\": quantity {} is above {}",
                    clip(&line.article_id),
                    line.quantity,
                    before.quantity
                ),
                &path,
            );
        }
        if line.unit_gross > before.unit_gross || line.unit_net > before.unit_net {
            return increase(
                format!(
                    "article \"{}\": the price may only go down",
                    clip(&line.article_id)
                ),
                &path,
            );
        }
        if crate::cart::rate_raised(
            (before.unit_net, before.unit_gross),
            (line.unit_net, line.unit_gross),
        ) {
            return increase(
                format!(
                    "article \"{}\": the tax rate may not go up",
                    clip(&line.article_id)
                ),
                &path,
            );
        }
    }
    if edited.shipping.gross > original.shipping.gross
        || edited.shipping.net > original.shipping.net
    {
        return increase(
            "shipping may not be added or increased".to_owned(),
            "shipping",
        );
    }
    if crate::cart::rate_raised(
        (original.shipping.net, original.shipping.gross),
        (edited.shipping.net, edited.shipping.gross),
    ) {
        return increase(
            "shipping: the tax rate may not go up".to_owned(),
            "shipping",
        );
    }
    if edited.total_gross()? > original.total_gross()? {
        return increase(
            "the new total is above the current one".to_owned(),
            "rebate",
        );
    }
    // BillPay takes the net total as well (`carttotalprice`): a rebate
    // whose net part shrinks would raise it while the gross total falls.
    if edited.total_net()? > original.total_net()? {
        return increase(
            "the new net total is above the current one".to_owned(),
            "rebate",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
