//! Carts as BillPay sees them: articles with unit prices (net and gross),
//! order-level shipping and a rebate, all in exact cents.
//!
//! total = Σ(unit gross × quantity) + shipping gross − rebate gross (the
//! "final payable total" convention every later BillPay plug-in sends).

use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::{clip, Amount, Currency};
use crate::names::Names;
use crate::shape::json::push_int;
use rust_decimal::{Decimal, RoundingStrategy};

/// BillPay's `articleid` is AN..20.
pub const MAX_ARTICLE_ID_LEN: usize = 20;
/// A sanity bound that keeps `unit × quantity` far from overflow.
pub const MAX_QUANTITY: i64 = 100_000;

crate::input_shape! {
    pub struct ArticleInput => "Article" {
        /// BillPay's `articleid`: 1–20 characters, unique in the cart.
        pub article_id "articleId": String,
        pub name "name": String,
        /// A whole number ≥ 1.
        pub quantity "quantity": crate::shape::Quantity,
        pub unit_net "unitNet": String,
        pub unit_gross "unitGross": String,
    }
}

crate::input_shape! {
    pub struct ShippingInput => "Shipping" {
        pub name "name": Option<String>,
        pub net "net": String,
        pub gross "gross": String,
    }
}

crate::input_shape! {
    pub struct RebateInput => "Rebate" {
        pub net "net": String,
        pub gross "gross": String,
    }
}

crate::input_shape! {
    /// A cart as BillPay holds it: articles, shipping, rebate (money as decimal strings).
    pub struct CartInput => "Cart" {
        pub articles "articles": Vec<ArticleInput>,
        pub shipping "shipping": ShippingInput,
        pub rebate "rebate": RebateInput,
    }
}

crate::output_shape! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Article => as ArticleInput {
        pub article_id "articleId": String,
        pub name "name": String,
        pub quantity "quantity": u32,
        pub unit_net "unitNet": Amount,
        pub unit_gross "unitGross": Amount,
    }
}

crate::output_shape! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Shipping => as ShippingInput {
        pub name "name": Option<String>,
        pub net "net": Amount,
        pub gross "gross": Amount,
    }
}

crate::output_shape! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Rebate => as RebateInput {
        pub net "net": Amount,
        pub gross "gross": Amount,
    }
}

crate::output_shape! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Cart => as CartInput {
        pub articles "articles": Vec<Article>,
        pub shipping "shipping": Shipping,
        pub rebate "rebate": Rebate,
    }
}

/// A net/gross pair must not have a negative tax.
fn net_gross(net: &str, gross: &str) -> Result<(Amount, Amount)> {
    let net = Amount::parse_at(net, "net")?;
    let gross = Amount::parse_at(gross, "gross")?;
    if net > gross {
        return Err(BillPayError::new(
            ErrorCode::NetAboveGross,
            format!("the net amount {net} is above the gross amount {gross}"),
        ));
    }
    Ok((net, gross))
}

impl Article {
    pub fn from_input(input: &ArticleInput) -> Result<Article> {
        let id = input.article_id.trim();
        if id.is_empty()
            || crate::block::char_count(id) > MAX_ARTICLE_ID_LEN
            || id.chars().any(char::is_control)
        {
            return Err(BillPayError::new(
                ErrorCode::InvalidArticle,
                format!(
                    "an article id has 1 to {MAX_ARTICLE_ID_LEN} printable characters (BillPay's articleid), got \"{}\"",
                    clip(&input.article_id)
                ),
            )
            .at("articleId"));
        }
        let name = crate::block::check_text(&input.name, 255, "name")?;
        let crate::shape::Quantity(quantity) = input.quantity;
        if !(1..=MAX_QUANTITY).contains(&quantity) {
            return Err(BillPayError::new(
                ErrorCode::InvalidQuantity,
                format!("a cart line has a quantity of 1 to {MAX_QUANTITY}, got {quantity}"),
            )
            .at("quantity"));
        }
        let (unit_net, unit_gross) =
            net_gross(&input.unit_net, &input.unit_gross).map_err(|e| {
                // Name the unit fields, not the generic pair.
                let field = match e.path.as_deref() {
                    Some("net") => "unitNet",
                    _ => "unitGross",
                };
                BillPayError { path: None, ..e }.at(field)
            })?;
        let article = Article {
            article_id: id.to_owned(),
            name,
            quantity: u32::try_from(quantity).unwrap_or(0),
            unit_net,
            unit_gross,
        };
        // Each amount is within range, their product may not be: say so
        // here, at the line, rather than of the cart's total.
        if article.line_gross().is_err() {
            return Err(BillPayError::new(
                ErrorCode::AmountOutOfRange,
                format!(
                    "{quantity} × {unit_gross} is above the highest amount, {}",
                    Amount::from_cents(crate::money::MAX_CENTS)?
                ),
            ));
        }
        Ok(article)
    }

    pub fn line_gross(&self) -> Result<Amount> {
        self.unit_gross.checked_mul(self.quantity)
    }

    pub fn line_net(&self) -> Result<Amount> {
        self.unit_net.checked_mul(self.quantity)
    }
}

impl Cart {
    pub fn from_input(input: &CartInput) -> Result<Cart> {
        let mut articles: Vec<Article> = Vec::with_capacity(input.articles.len());
        // The first line that repeats an earlier id (as `from_input` keeps
        // it, trimmed), found at once: a scan per line took 5 s for 40 000.
        let repeat = Names::new(
            input
                .articles
                .iter()
                .map(|a| a.article_id.trim().as_bytes()),
        )
        .first_repeat();
        for (i, article) in input.articles.iter().enumerate() {
            let article =
                Article::from_input(article).map_err(|e| e.at(&format!("[{i}]")).at("articles"))?;
            if repeat == Some(i) {
                return Err(BillPayError::new(
                    ErrorCode::DuplicateArticle,
                    format!(
                        "article \"{}\" appears twice; give each line its own id",
                        clip(&article.article_id)
                    ),
                )
                .at("articleId")
                .at(&format!("[{i}]"))
                .at("articles"));
            }
            articles.push(article);
        }
        let (net, gross) =
            net_gross(&input.shipping.net, &input.shipping.gross).map_err(|e| e.at("shipping"))?;
        let name = match input.shipping.name.as_deref() {
            Some(name) if !name.trim().is_empty() => {
                Some(crate::block::check_text(name, 50, "name").map_err(|e| e.at("shipping"))?)
            }
            _ => None,
        };
        let shipping = Shipping { name, net, gross };
        let (net, gross) =
            net_gross(&input.rebate.net, &input.rebate.gross).map_err(|e| e.at("rebate"))?;
        // A rebate without a net part would give back only tax (and, like
        // shipping without one, cannot have a rate). Only one cent can lose
        // its net part to rounding (a shop that truncates 0.0084).
        if net == Amount::ZERO && gross.cents() > 1 {
            return Err(BillPayError::new(
                ErrorCode::NetAboveGross,
                format!("a rebate of {gross} gross has no net part"),
            )
            .at("rebate"));
        }
        let cart = Cart {
            articles,
            shipping,
            rebate: Rebate { net, gross },
        };
        // Both totals must stay non-negative: a rebate above the cart's value
        // would be money BillPay owes the customer.
        cart.total_gross()?;
        cart.total_net()?;
        // ...and the rebate cannot give back more tax than the cart carries.
        cart.tax_groups(None)?;
        Ok(cart)
    }

    pub fn from_json(json: &str) -> Result<Cart> {
        let input: CartInput = crate::shape::from_json(json)?;
        Cart::from_input(&input)
    }

    pub fn items_gross(&self) -> Result<Amount> {
        self.articles
            .iter()
            .try_fold(Amount::ZERO, |sum, a| sum.checked_add(a.line_gross()?))
    }

    pub fn items_net(&self) -> Result<Amount> {
        self.articles
            .iter()
            .try_fold(Amount::ZERO, |sum, a| sum.checked_add(a.line_net()?))
    }

    /// Σ(unit gross × quantity) + shipping gross − rebate gross.
    pub fn total_gross(&self) -> Result<Amount> {
        let before_rebate = self.items_gross()?.checked_add(self.shipping.gross)?;
        before_rebate.checked_sub(self.rebate.gross).map_err(|_| {
            BillPayError::new(
                ErrorCode::RebateExceedsTotal,
                format!(
                    "the rebate {} is above the cart's value {before_rebate}",
                    self.rebate.gross
                ),
            )
            .at("rebate")
        })
    }

    pub fn total_net(&self) -> Result<Amount> {
        let before_rebate = self.items_net()?.checked_add(self.shipping.net)?;
        before_rebate.checked_sub(self.rebate.net).map_err(|_| {
            BillPayError::new(
                ErrorCode::RebateExceedsTotal,
                format!(
                    "the rebate's net part {} is above the cart's net value {before_rebate}",
                    self.rebate.net
                ),
            )
            .at("rebate")
        })
    }

    /// Tax in the cart before the rebate.
    pub fn tax_before_rebate(&self) -> Result<Amount> {
        let gross = self.items_gross()?.checked_add(self.shipping.gross)?;
        let net = self.items_net()?.checked_add(self.shipping.net)?;
        gross.checked_sub(net)
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The cart of a fully cancelled order.
    pub fn empty() -> Cart {
        Cart {
            articles: Vec::new(),
            shipping: Shipping {
                name: None,
                net: Amount::ZERO,
                gross: Amount::ZERO,
            },
            rebate: Rebate::default(),
        }
    }

    /// `error` about line `i` (an article, or the shipping after them), at its path.
    #[inline(never)]
    fn line_error(&self, i: usize, error: BillPayError) -> BillPayError {
        if i < self.articles.len() {
            error.at(&format!("[{i}]")).at("articles")
        } else {
            error.at("shipping")
        }
    }

    /// Each line with its tax rate (articles, then the shipping unless it
    /// is free), and the known rates each fits (bits of `KNOWN_RATES`; 0:
    /// its rate is the price's own ratio).
    fn rated_lines(&self, currency: Option<Currency>) -> Result<(Vec<u32>, Vec<TaxGroup>)> {
        // The rate is read from unit prices: line totals multiply the unit
        // rounding by the quantity.
        let mut lines = Vec::with_capacity(self.articles.len() + 1);
        for (i, a) in self.articles.iter().enumerate() {
            let line = a.line_net().and_then(|net| Ok((net, a.line_gross()?)));
            let (net, gross) = line.map_err(|e| self.line_error(i, e))?;
            lines.push((a.unit_net, a.unit_gross, net, gross));
        }
        lines.push((
            self.shipping.net,
            self.shipping.gross,
            self.shipping.net,
            self.shipping.gross,
        ));
        // The known rates each line's unit price fits (bits of KNOWN_RATES);
        // a line that fits none has its own ratio as its rate.
        let mut fitting = Vec::with_capacity(lines.len());
        let mut rated = Vec::with_capacity(lines.len());
        for (i, (unit_net, unit_gross, net, gross)) in lines.into_iter().enumerate() {
            if gross == Amount::ZERO && net == Amount::ZERO {
                continue;
            }
            let rates =
                fitting_rates(unit_net, unit_gross, currency).map_err(|e| self.line_error(i, e))?;
            let rate = if rates == 0 {
                exact_rate(unit_net, unit_gross)
            } else {
                Decimal::ZERO
            };
            fitting.push(rates);
            rated.push(TaxGroup { rate, net, gross });
        }
        // A price of a few cents fits several rates (0.50 → 0.60 is 19 % as
        // well as 20 %): such a line takes the rate the cart's unambiguous
        // lines carry most of their value at, if it fits; else the most
        // common rate that fits.
        let mut clear = [0i64; KNOWN_RATES.len()];
        for (rates, line) in fitting.iter().zip(&rated) {
            if rates.count_ones() == 1 {
                if let Some(sum) = clear.get_mut(rates.trailing_zeros() as usize) {
                    *sum = sum.saturating_add(line.gross.cents().max(1));
                }
            }
        }
        for (rates, line) in fitting.iter().zip(&mut rated) {
            let mut bit = rates.trailing_zeros();
            let mut most = 0;
            for (shown, sum) in clear.iter().enumerate() {
                if *sum > most && rates & (1 << shown) != 0 {
                    (bit, most) = (shown as u32, *sum);
                }
            }
            if let Some(rate) = rate_of(bit) {
                line.rate = rate;
            }
        }
        Ok((fitting, rated))
    }

    /// The shipping's tax rate as `tax_groups` reads it, when it is a known
    /// rate of the currency (a shipping credit keeps it); `None` for free
    /// shipping or a ratio no known rate explains.
    pub fn shipping_rate(&self, currency: Option<Currency>) -> Result<Option<Decimal>> {
        if self.shipping.gross == Amount::ZERO && self.shipping.net == Amount::ZERO {
            return Ok(None);
        }
        let (fitting, rated) = self.rated_lines(currency)?;
        Ok(match (fitting.last(), rated.last()) {
            (Some(rates), Some(line)) if *rates != 0 => Some(line.rate),
            _ => None,
        })
    }

    /// Net, gross and tax per rate, the rebate split over the rates: its net
    /// part by their net value, its tax part by their tax (exactly: the
    /// parts add up).
    pub fn tax_groups(&self, currency: Option<Currency>) -> Result<Vec<TaxGroup>> {
        let (_, rated) = self.rated_lines(currency)?;
        // Highest rate first, equal rates next to each other: one pass sums
        // them (a search per line was quadratic, and a cart may have as many
        // rates as lines).
        let order = crate::sorting::order(rated.len(), &|a, b| {
            let rate = |i: usize| rated.get(i).map(|g| g.rate);
            rate(b).cmp(&rate(a)).then(a.cmp(&b))
        });
        let mut groups: Vec<TaxGroup> = Vec::new();
        for line in order.into_iter().filter_map(|i| rated.get(i)).cloned() {
            match groups.last_mut() {
                Some(group) if group.rate == line.rate => {
                    group.net = group.net.checked_add(line.net)?;
                    group.gross = group.gross.checked_add(line.gross)?;
                }
                _ => groups.push(line),
            }
        }
        if self.rebate.gross > Amount::ZERO {
            // The rebate's net part goes to the rates by their net value and
            // its tax part by their tax: no part can exceed what it reduces
            // (a 0 % rate never gets tax back).
            let net_weights: Vec<i64> = groups.iter().map(|g| g.net.cents()).collect();
            let tax_weights: Vec<i64> = groups
                .iter()
                .map(|g| g.gross.cents() - g.net.cents())
                .collect();
            let rebate_tax = self.rebate.gross.cents() - self.rebate.net.cents();
            let total_tax: i64 = tax_weights.iter().sum();
            if rebate_tax > total_tax {
                return Err(BillPayError::new(
                    ErrorCode::RebateExceedsTotal,
                    format!(
                        "the rebate's tax part ({}) is above the cart's tax ({})",
                        Amount::from_cents(rebate_tax)?,
                        Amount::from_cents(total_tax)?
                    ),
                )
                .at("rebate"));
            }
            let net_parts = allocate(self.rebate.net.cents(), &net_weights);
            let tax_parts = allocate(rebate_tax, &tax_weights);
            for ((group, net_part), tax_part) in groups.iter_mut().zip(net_parts).zip(tax_parts) {
                group.net = group.net.checked_sub(Amount::from_cents(net_part)?)?;
                group.gross = group
                    .gross
                    .checked_sub(Amount::from_cents(net_part + tax_part)?)?;
            }
        }
        Ok(groups)
    }
}

/// Tax rates (in %) in force in BillPay's countries, most common first: the
/// first rate whose rounding explains a price wins, because a price of a few
/// cents fits several rates. The first `EUR_RATES` are the EUR ones: DE, AT,
/// NL (and DE's 16/5 of 2020); the rest CHF: Switzerland since 2024 and
/// before. A set of them fits in the bits of a `u32`.
const KNOWN_RATES: [Decimal; 17] = [
    rate(19, 0),
    rate(7, 0),
    rate(20, 0),
    rate(10, 0),
    rate(13, 0),
    rate(21, 0),
    rate(9, 0),
    rate(16, 0),
    rate(5, 0),
    rate(0, 0),
    rate(81, 1),
    rate(26, 1),
    rate(38, 1),
    rate(77, 1),
    rate(25, 1),
    rate(37, 1),
    rate(0, 0),
];
/// `mantissa` × 10^-`scale` %, written without trailing zeros.
const fn rate(mantissa: u32, scale: u32) -> Decimal {
    Decimal::from_parts(mantissa, 0, 0, false, scale)
}
const EUR_RATES: usize = 10;

/// The tax rate of a net/gross unit price. Prices are rounded to cents, so
/// the exact ratio is rarely the rate (0.93 → 1.00 is 7 %, not 7.53 %): take
/// the first known rate of the currency whose rounding explains the pair,
/// else the ratio to 0.01 %.
pub fn detect_rate(net: Amount, gross: Amount, currency: Option<Currency>) -> Result<Decimal> {
    let fitting = fitting_rates(net, gross, currency)?;
    Ok(match rate_of(fitting.trailing_zeros()) {
        Some(rate) => rate,
        None => exact_rate(net, gross),
    })
}

/// Whether a line's tax rate went up from `before` to `after` (unit net,
/// unit gross): only when the lowest rate the new price can be rounded from
/// is above the highest the old one can (a price of a few cents fits
/// several: 0.50 → 0.60 is anything from 17.8 to 22.3 %). In half cents:
/// (2·gross − 1) / (2·net + 1) after against (2·gross + 1) / (2·net − 1) before.
pub fn rate_raised(before: (Amount, Amount), after: (Amount, Amount)) -> bool {
    let half_cents = |a: Amount| i128::from(a.cents()) * 2;
    let (net_before, gross_before) = (half_cents(before.0), half_cents(before.1));
    let (net_after, gross_after) = (half_cents(after.0), half_cents(after.1));
    // A free line (or one without a net part, refused elsewhere) has no
    // rate to raise.
    if net_before < 2 || gross_after == 0 {
        return false;
    }
    (gross_after - 1) * (net_before - 1) > (gross_before + 1) * (net_after + 1)
}

/// The known rates whose rounding explains a net/gross unit price, as bits
/// of `KNOWN_RATES` (the lowest bit is the most common rate; only 0 when net
/// and gross are equal).
fn fitting_rates(net: Amount, gross: Amount, currency: Option<Currency>) -> Result<u32> {
    let (from, to) = match currency {
        Some(Currency::Chf) => (EUR_RATES, KNOWN_RATES.len()),
        Some(Currency::Eur) => (0, EUR_RATES),
        None => (0, KNOWN_RATES.len()),
    };
    if net == gross {
        // The first 0 % of the range: both lists end with it.
        return Ok(1 << (if from == 0 { EUR_RATES } else { to } - 1));
    }
    if net == Amount::ZERO {
        return Err(BillPayError::new(
            ErrorCode::NetAboveGross,
            format!("a price of {gross} gross has no net part: the tax rate cannot be determined"),
        ));
    }
    let net_d = Decimal::from(net.cents());
    let gross_d = Decimal::from(gross.cents());
    let hundred = Decimal::ONE_HUNDRED;
    let mut fitting = 0;
    for (bit, rate) in KNOWN_RATES.iter().enumerate().take(to).skip(from) {
        // |net·(100 + r) − 100·gross| ≤ (100 + r)/2 covers both ways of
        // rounding: gross from net, or net from gross.
        let factor = hundred + rate;
        let distance = (net_d * factor - hundred * gross_d).abs();
        if distance * Decimal::TWO <= factor {
            fitting |= 1 << bit;
        }
    }
    Ok(fitting)
}

/// The rate of bit `bit` of `KNOWN_RATES`, if there is one.
fn rate_of(bit: u32) -> Option<Decimal> {
    KNOWN_RATES.get(usize::try_from(bit).ok()?).copied()
}

/// The ratio of a price no known rate explains, to 0.01 %.
fn exact_rate(net: Amount, gross: Amount) -> Decimal {
    let net_d = Decimal::from(net.cents());
    let gross_d = Decimal::from(gross.cents());
    ((gross_d - net_d) * Decimal::ONE_HUNDRED / net_d)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Splits `total` cents in proportion to `weights`, exactly (largest
/// remainder; ties go to the earlier share). All-zero weights: first share.
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if sum <= 0 {
        let mut parts = vec![0; weights.len()];
        if let Some(first) = parts.first_mut() {
            *first = total;
        }
        return parts;
    }
    let total_wide = i128::from(total);
    let sum_wide = i128::from(sum);
    let mut parts: Vec<i64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<i128> = Vec::with_capacity(weights.len());
    for w in weights {
        let product = total_wide * i128::from(*w);
        parts.push(i64::try_from(product / sum_wide).unwrap_or(0));
        remainders.push(product % sum_wide);
    }
    let mut left = total - parts.iter().sum::<i64>();
    let order = crate::sorting::order(remainders.len(), &|a, b| {
        remainders.get(b).cmp(&remainders.get(a)).then(a.cmp(&b))
    });
    for i in order {
        if left <= 0 {
            break;
        }
        if let Some(part) = parts.get_mut(i) {
            *part += 1;
            left -= 1;
        }
    }
    parts
}

/// Net, gross and tax of one tax rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxGroup {
    pub rate: Decimal,
    pub net: Amount,
    pub gross: Amount,
}

crate::output_shape! {
    pub struct TaxLine => "TaxLine" {
        /// The rate in percent: "19", "7", "8.1".
        pub rate "rate": String,
        pub net "net": Amount,
        pub tax "tax": Amount,
    }
}

crate::output_shape! {
    pub struct CartTotals => "CartTotals" {
        pub net "net": Amount,
        pub gross "gross": Amount,
        /// Per tax rate, the rebate split over the rates exactly.
        pub taxes "taxes": Vec<TaxLine>,
    }
}

/// A decimal in plain notation ("19", "8.1"), without `core::fmt`.
pub fn decimal_text(value: Decimal) -> String {
    let mut out = String::new();
    let mantissa = value.mantissa();
    if mantissa < 0 {
        out.push('-');
    }
    let mut digits = String::new();
    push_int(
        &mut digits,
        i64::try_from(mantissa.unsigned_abs()).unwrap_or(i64::MAX),
    );
    let scale = usize::try_from(value.scale()).unwrap_or(0);
    if scale == 0 {
        out.push_str(&digits);
        return out;
    }
    while digits.len() <= scale {
        digits.insert(0, '0');
    }
    let point = digits.len() - scale;
    out.push_str(digits.get(..point).unwrap_or("0"));
    out.push('.');
    out.push_str(digits.get(point..).unwrap_or(""));
    out
}

/// `cartTotals(cart)`: net, gross and the per-rate breakdown.
pub fn cart_totals(input: &CartInput) -> Result<CartTotals> {
    let cart = Cart::from_input(input)?;
    let groups = cart.tax_groups(None)?;
    let taxes = groups
        .into_iter()
        .map(|g| {
            Ok(TaxLine {
                rate: decimal_text(g.rate),
                net: g.net,
                tax: g.gross.checked_sub(g.net)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CartTotals {
        net: cart.total_net()?,
        gross: cart.total_gross()?,
        taxes,
    })
}

/// `cartTotals` on JSON text (what the boundary hands over).
pub fn cart_totals_json(json: &str) -> Result<String> {
    let input: CartInput = crate::shape::from_json(json)?;
    Ok(crate::shape::to_json(&cart_totals(&input)?))
}

#[cfg(test)]
pub(crate) mod tests;
