//! HTML of the sandbox's pages. Each view takes a struct with named fields holding plain,
//! unescaped data and escapes every string it writes, so a handler cannot put markup on a
//! page by accident. No scripts; the styles come from `style.css`, inlined (the CSP allows
//! inline styles only).

use crate::cart::Cart;
use crate::clock::Date;
use crate::store::Status;
use crate::util::display_amount;
use std::fmt::Write;

const STYLE: &str = include_str!("style.css");

pub fn esc(s: &str) -> String {
    crate::xml::escape(s)
}

/// `1,234.56 EUR`
pub fn money(cents: i64, currency: &str) -> String {
    format!("{} {}", display_amount(cents), esc(currency))
}

/// `DE89 3704 0044 0532 0130 00`
pub fn grouped_iban(iban: &str) -> String {
    iban.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `YYYY-MM-DD HH:MM` (UTC) for tables.
pub fn short_time(at: i64) -> String {
    let full = crate::clock::format_instant(at);
    full.get(..16).unwrap_or(&full).replace('T', " ")
}

pub fn badge(status: Status) -> String {
    let label = match status {
        Status::PendingCapture => "awaiting capture",
        Status::Preauthorized => "preauthorized",
        Status::Activated => "activated",
        Status::Cancelled => "cancelled",
        Status::Expired => "expired",
    };
    format!(
        "<span class=\"badge b-{class}\">{label}</span>",
        class = status.as_str()
    )
}

// --- layout ---------------------------------------------------------------------------------

/// The logged-in merchant shown in the header (with the log-out form).
pub struct Header<'a> {
    pub merchant_name: &'a str,
    pub mid: i64,
    pub csrf: &'a str,
}

pub struct Page<'a> {
    pub title: &'a str,
    pub header: Option<Header<'a>>,
    pub today: Date,
    /// Already-rendered HTML of the page's main part (from the views below).
    pub main: String,
}

pub fn page(p: &Page) -> String {
    let header = match &p.header {
        Some(h) => format!(
            "<header><div class=\"brand\">BillPay<span>Sandbox back-office</span></div>\
             <nav><a href=\"/admin/orders\">Orders</a><a href=\"/admin/statements\">Statements</a></nav>\
             <div class=\"who\"><span class=\"pill\">Sandbox date {today}</span><span>{name} · mid {mid}</span>\
             <form method=\"post\" action=\"/admin/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <button>Log out</button></form></div></header>",
            today = p.today,
            name = esc(h.merchant_name),
            mid = h.mid,
            csrf = esc(h.csrf),
        ),
        None => "<header><div class=\"brand\">BillPay<span>Sandbox back-office</span></div></header>"
            .to_string(),
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{title} · BillPay sandbox</title><style>{STYLE}</style></head><body>{header}<main>{main}</main></body></html>",
        title = esc(p.title),
        main = p.main,
    )
}

/// The landing page at `/`.
pub fn index(services: &[&str]) -> String {
    let services: String = services
        .iter()
        .map(|s| {
            format!(
                "<li><code>POST /xml/offline/{service}</code></li>",
                service = esc(s)
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>BillPay sandbox</title>\
         <style>body{{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:40px auto;color:#1f2937}}code{{background:#f3f4f6;padding:1px 4px;border-radius:3px}}</style></head>\
         <body><h1>BillPay sandbox</h1><p>A local stand-in for BillPay's XML v1 merchant API.</p>\
         <p><a href=\"/admin\">Back-office</a></p><h2>Services</h2><ul>{services}</ul></body></html>"
    )
}

pub fn login(error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<div class=\"notice err\">{}</div>", esc(e)))
        .unwrap_or_default();
    format!(
        "<div class=\"login card\"><h1>Merchant login</h1>{error}\
         <form method=\"post\" action=\"/admin/login\">\
         <label for=\"mid\">Merchant id</label><input id=\"mid\" name=\"mid\" inputmode=\"numeric\" autocomplete=\"username\" required>\
         <label for=\"key\">Security key</label><input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required>\
         <button class=\"btn primary\">Log in</button></form>\
         <p class=\"muted\">Default test merchant: id 4441, key 12345678.</p></div>"
    )
}

pub fn error(message: &str) -> String {
    format!(
        "<div class=\"notice err\">{message}</div><p><a href=\"/admin/orders\">Back to the orders</a></p>",
        message = esc(message)
    )
}

// --- order list -----------------------------------------------------------------------------

pub enum Deadline {
    None,
    Due(Date),
    /// Not activated yet: last day for activation and days left; `urgent` highlights it.
    ActivateBy {
        date: Date,
        days_left: i64,
        urgent: bool,
    },
    ExpiredAfter(Date),
}

pub struct OrderRow {
    pub id: i64,
    /// Empty while the order has none.
    pub reference: String,
    pub customer: String,
    pub created: Date,
    pub status: Status,
    pub total: i64,
    pub currency: String,
    pub deadline: Deadline,
}

pub struct OrderList {
    pub status_filter: String,
    pub expiring_only: bool,
    pub expiring_days: i64,
    pub search: String,
    pub rows: Vec<OrderRow>,
}

const STATUS_OPTIONS: [(&str, &str); 6] = [
    ("", "All statuses"),
    ("pending_capture", "Awaiting capture"),
    ("preauthorized", "Preauthorized"),
    ("activated", "Activated"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
];

pub fn order_list(v: &OrderList) -> String {
    let options: String = STATUS_OPTIONS
        .iter()
        .map(|(value, label)| {
            let selected = if *value == v.status_filter {
                " selected"
            } else {
                ""
            };
            format!("<option value=\"{value}\"{selected}>{label}</option>")
        })
        .collect();
    let mut rows = String::new();
    for o in &v.rows {
        let deadline = match &o.deadline {
            Deadline::None => String::new(),
            Deadline::Due(d) => format!("due {d}"),
            Deadline::ActivateBy {
                date,
                days_left,
                urgent,
            } => format!(
                "<span class=\"{class}\">activate by {date} ({days_left} d)</span>",
                class = if *urgent { "badge b-expired" } else { "muted" }
            ),
            Deadline::ExpiredAfter(d) => format!("expired after {d}"),
        };
        let reference = if o.reference.is_empty() {
            "<span class=\"muted\">(no reference yet)</span>".to_string()
        } else {
            esc(&o.reference)
        };
        let _ = write!(
            rows,
            "<tr><td><a href=\"/admin/orders/{id}\">{reference}</a></td><td>{customer}</td><td>{created}</td><td>{badge}</td>\
             <td class=\"num\">{total}</td><td>{deadline}</td></tr>",
            id = o.id,
            customer = esc(&o.customer),
            created = o.created,
            badge = badge(o.status),
            total = money(o.total, &o.currency),
        );
    }
    if rows.is_empty() {
        rows = "<tr><td colspan=\"6\" class=\"muted\">No orders match.</td></tr>".to_string();
    }
    format!(
        "<h1>Orders <span class=\"pill\">{count}</span></h1>\
         <div class=\"card\"><form method=\"get\" action=\"/admin/orders\" class=\"row\">\
         <div><label for=\"status\">Status</label><select id=\"status\" name=\"status\">{options}</select></div>\
         <div><label for=\"q\">Search</label><input id=\"q\" name=\"q\" value=\"{search}\" placeholder=\"reference, name, e-mail\"></div>\
         <div><label><input type=\"checkbox\" name=\"expiring\" value=\"1\"{checked}> Expiring within {days} days</label></div>\
         <div><button class=\"btn primary\">Filter</button> <a class=\"btn secondary\" href=\"/admin/orders\">Reset</a></div>\
         </form></div>\
         <div class=\"card\"><table><thead><tr><th>Reference</th><th>Customer</th><th>Created</th><th>Status</th>\
         <th class=\"num\">Total</th><th>Deadline</th></tr></thead><tbody>{rows}</tbody></table></div>",
        count = v.rows.len(),
        search = esc(&v.search),
        checked = if v.expiring_only { " checked" } else { "" },
        days = v.expiring_days,
    )
}

// --- order detail ---------------------------------------------------------------------------

pub fn cart_table(cart: &Cart, currency: &str) -> String {
    let mut rows = String::new();
    for a in &cart.articles {
        let _ = write!(
            rows,
            "<tr><td class=\"mono\">{id}</td><td>{name}</td><td class=\"num\">{qty}</td><td class=\"num\">{unit}</td><td class=\"num\">{line}</td></tr>",
            id = esc(&a.id),
            name = esc(&a.name),
            qty = a.quantity,
            unit = money(a.price_gross, currency),
            line = money(a.price_gross.saturating_mul(a.quantity), currency),
        );
    }
    let shipping_label = if cart.shipping_name.is_empty() {
        "Shipping".to_string()
    } else {
        format!("Shipping ({})", esc(&cart.shipping_name))
    };
    // A rebate line only when there is one: "−0.00" reads like a bug.
    let rebate = if cart.rebate_gross > 0 {
        format!(
            "<tr><td colspan=\"4\">Rebate</td><td class=\"num\">−{amount}</td></tr>",
            amount = money(cart.rebate_gross, currency)
        )
    } else {
        String::new()
    };
    format!(
        "<table><thead><tr><th>Article</th><th>Name</th><th class=\"num\">Qty</th><th class=\"num\">Unit (gross)</th>\
         <th class=\"num\">Line (gross)</th></tr></thead><tbody>{rows}\
         <tr><td colspan=\"4\">{shipping_label}</td><td class=\"num\">{shipping}</td></tr>\
         {rebate}\
         <tr class=\"total\"><td colspan=\"4\">Total (net {net})</td><td class=\"num\">{gross}</td></tr></tbody></table>",
        shipping = money(cart.shipping_gross, currency),
        net = money(cart.total_net, currency),
        gross = money(cart.total_gross, currency),
    )
}

pub struct Facts {
    pub total: i64,
    pub original_total: i64,
    pub currency: String,
    pub payment: String,
    pub customer: String,
    pub created: Date,
    /// Shown while the order can still be (or could have been) activated.
    pub activate_by: Option<Date>,
    pub activated: Option<Date>,
    pub term_days: i64,
    pub delay_days: Option<i64>,
    pub due: Option<Date>,
    pub bptid: String,
}

pub struct BankFacts {
    pub holder: String,
    pub iban: String,
    pub bic: String,
    pub bank: String,
    pub reference: String,
}

/// The customer's account of a direct-debit order, as far as the merchant sees it.
pub struct DebitFacts {
    pub holder: String,
    /// The account's last characters only.
    pub account_end: String,
    pub bic: String,
    pub reference: String,
}

/// The order's second card: where the money comes from.
pub enum PaymentFacts {
    /// BillPay's account for this order, printed on the invoice.
    Invoice(BankFacts),
    /// BillPay debits the customer: nothing to print but the debit notice.
    DirectDebit(DebitFacts),
}

pub struct LedgerRow {
    pub at: i64,
    pub kind: String,
    pub amount: i64,
    pub total_after: i64,
    pub currency: String,
    pub detail: String,
}

pub struct WarningRow {
    pub at: i64,
    pub source: String,
    pub message: String,
}

/// Which actions the order still offers.
pub struct Actions {
    pub activate: bool,
    pub cancel: bool,
    pub partial: bool,
}

pub struct OrderDetail<'a> {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub today: Date,
    pub csrf: &'a str,
    /// (css class, text) of a notice above the order.
    pub notice: Option<(&'a str, &'a str)>,
    pub expires_on: Date,
    pub expiring_days: i64,
    pub facts: Facts,
    pub payment: PaymentFacts,
    pub cart: &'a Cart,
    pub actions: Actions,
    pub ledger: Vec<LedgerRow>,
    pub warnings: Vec<WarningRow>,
}

fn facts_list(f: &Facts) -> String {
    let activate_by = f
        .activate_by
        .map(|d| format!("<dt>Activate by</dt><dd>{d}</dd>"))
        .unwrap_or_default();
    format!(
        "<dl><dt>Total</dt><dd>{total}</dd><dt>Original total</dt><dd>{original}</dd><dt>Payment</dt><dd>{payment}</dd>\
         <dt>Customer</dt><dd>{customer}</dd><dt>Created</dt><dd>{created}</dd>{activate_by}<dt>Activated</dt><dd>{activated}</dd>\
         <dt>Payment term</dt><dd>{term} days{delay}</dd><dt>Due date</dt><dd>{due}</dd><dt>BillPay tx id</dt><dd class=\"mono\">{bptid}</dd></dl>",
        total = money(f.total, &f.currency),
        original = money(f.original_total, &f.currency),
        payment = esc(&f.payment),
        customer = esc(&f.customer),
        created = f.created,
        activated = f
            .activated
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into()),
        term = f.term_days,
        delay = f
            .delay_days
            .filter(|d| *d > 0)
            .map(|d| format!(" + {d} delay days"))
            .unwrap_or_default(),
        due = f
            .due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "— (set at activation)".into()),
        bptid = esc(&f.bptid),
    )
}

fn bank_list(b: &BankFacts) -> String {
    format!(
        "<dl><dt>Account holder</dt><dd>{holder}</dd><dt>IBAN</dt><dd class=\"mono\">{iban}</dd><dt>BIC</dt><dd class=\"mono\">{bic}</dd>\
         <dt>Bank</dt><dd>{bank}</dd><dt>Reference</dt><dd class=\"mono\">{reference}</dd></dl>",
        holder = esc(&b.holder),
        iban = esc(&grouped_iban(&b.iban)),
        bic = esc(&b.bic),
        bank = esc(&b.bank),
        reference = esc(&b.reference),
    )
}

fn payment_card(p: &PaymentFacts) -> String {
    match p {
        PaymentFacts::Invoice(bank) => format!(
            "<div class=\"card\"><h2>Bank data for the invoice</h2>{}</div>",
            bank_list(bank)
        ),
        PaymentFacts::DirectDebit(d) => {
            let bic = if d.bic.is_empty() {
                String::new()
            } else {
                format!("<dt>BIC</dt><dd class=\"mono\">{}</dd>", esc(&d.bic))
            };
            format!(
                "<div class=\"card\"><h2>Direct debit</h2><dl><dt>Account holder</dt><dd>{holder}</dd>\
                 <dt>Account</dt><dd class=\"mono\">…{end}</dd>{bic}<dt>Reference</dt><dd class=\"mono\">{reference}</dd></dl>\
                 <p class=\"muted\">BillPay debits the customer's account: the invoice carries the debit notice and no bank data to transfer to.</p></div>",
                holder = esc(&d.holder),
                end = esc(&d.account_end),
                reference = esc(&d.reference),
            )
        }
    }
}

fn action_cards(v: &OrderDetail) -> String {
    let hidden = format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">",
        csrf = esc(v.csrf)
    );
    let currency = esc(&v.facts.currency);
    let mut out = String::new();
    if v.actions.activate {
        let _ = write!(
            out,
            "<div class=\"card\"><h2>Activate</h2><p class=\"muted\">Starts the {term} day payment term. Do this when you ship and invoice.</p>\
             <form method=\"post\" action=\"/admin/orders/{id}/activate\" class=\"row\">{hidden}\
             <div><label for=\"delay\">Delay (days)</label><input id=\"delay\" type=\"number\" name=\"delay\" min=\"0\" max=\"365\" value=\"0\"></div>\
             <div><button class=\"btn primary\">Activate</button></div></form></div>",
            term = v.facts.term_days,
            id = v.id,
        );
    }
    if v.actions.cancel {
        let _ = write!(
            out,
            "<div class=\"card\"><h2>Cancel</h2><p class=\"muted\">Credits the whole order{after}.</p>\
             <form method=\"post\" action=\"/admin/orders/{id}/cancel\">{hidden}<button class=\"btn danger\">Cancel order</button></form></div>",
            after = if v.status == Status::Activated {
                " (after activation: the claim is debited)"
            } else {
                ""
            },
            id = v.id,
        );
    }
    if v.actions.partial {
        let mut quantities = String::new();
        for (i, a) in v.cart.articles.iter().enumerate() {
            let _ = write!(
                quantities,
                "<div><label for=\"qty_{i}\">{name} (max {qty})</label><input id=\"qty_{i}\" type=\"number\" name=\"qty_{i}\" min=\"0\" max=\"{qty}\" value=\"{qty}\"></div>",
                name = esc(&a.name.chars().take(24).collect::<String>()),
                qty = a.quantity,
            );
        }
        let _ = write!(
            out,
            "<div class=\"card\" style=\"grid-column:1/-1\"><h2>Increase/Reduce · Partial cancellation</h2>\
             <p class=\"muted\">Set the remaining quantities, the remaining shipping, and/or a discount. Amounts can only go down.</p>\
             <form method=\"post\" action=\"/admin/orders/{id}/partial\">{hidden}<div class=\"row\">{quantities}</div><div class=\"row\" style=\"margin-top:12px\">\
             <div><label for=\"shipping\">Shipping ({currency})</label><input id=\"shipping\" name=\"shipping\" value=\"{shipping}\" size=\"8\"></div>\
             <div><label for=\"adjust\">Increase/Reduce ({currency})</label><input id=\"adjust\" name=\"adjust\" placeholder=\"e.g. 5.00\" size=\"8\"></div>\
             <div><button class=\"btn primary\">Partial cancellation</button></div></div></form></div>",
            id = v.id,
            shipping = crate::util::decimal(v.cart.shipping_gross),
        );
    }
    out
}

pub fn order_detail(v: &OrderDetail) -> String {
    let notice = v
        .notice
        .map(|(class, text)| {
            format!(
                "<div class=\"notice {class}\">{text}</div>",
                class = esc(class),
                text = esc(text)
            )
        })
        .unwrap_or_default();
    let warning = match v.status {
        Status::Preauthorized | Status::PendingCapture => {
            let left = v.today.days_until(v.expires_on);
            format!(
                "<div class=\"notice {class}\">Not activated yet: the payment term has not started. \
                 Activate by <b>{date}</b> ({left} days left); after that BillPay cancels the order.</div>",
                class = if left <= v.expiring_days { "warn" } else { "ok" },
                date = v.expires_on,
            )
        }
        Status::Expired => format!(
            "<div class=\"notice err\">Expired: the order was not activated by {date} and can no longer be activated.</div>",
            date = v.expires_on
        ),
        _ => String::new(),
    };
    let mut ledger = String::new();
    for m in &v.ledger {
        let _ = write!(
            ledger,
            "<tr><td class=\"mono\">{at}</td><td>{kind}</td><td class=\"num\">{amount}</td><td class=\"num\">{after}</td><td>{detail}</td></tr>",
            at = esc(&short_time(m.at)),
            kind = esc(&m.kind),
            amount = if m.amount == 0 {
                "—".to_string()
            } else {
                money(m.amount, &m.currency)
            },
            after = money(m.total_after, &m.currency),
            detail = esc(&m.detail),
        );
    }
    let warnings = if v.warnings.is_empty() {
        String::new()
    } else {
        let items: String = v
            .warnings
            .iter()
            .map(|w| {
                format!(
                    "<li><span class=\"mono\">{at}</span> {source}: {message}</li>",
                    at = esc(&short_time(w.at)),
                    source = esc(&w.source),
                    message = esc(&w.message)
                )
            })
            .collect();
        format!(
            "<div class=\"card\"><h2>Warnings</h2><p class=\"muted\">Accepted, but worth a look: BillPay checks the gross amounts \
             (what the customer owes); the net amounts the shop sent do not add up or rose.</p><ul class=\"warnings\">{items}</ul></div>"
        )
    };
    format!(
        "<p><a href=\"/admin/orders\">← Orders</a></p><h1>Order {title} {badge}</h1>{notice}{warning}\
         <div class=\"grid\"><div class=\"card\"><h2>Order</h2>{facts}</div>{payment}</div>\
         <div class=\"card\"><h2>Cart</h2>{cart}</div>\
         <div class=\"grid actions\" style=\"margin-bottom:18px\">{actions}</div>{warnings}\
         <div class=\"card\"><h2>Ledger</h2><table><thead><tr><th>Time</th><th>Movement</th><th class=\"num\">Amount</th>\
         <th class=\"num\">Total after</th><th>Detail</th></tr></thead><tbody>{ledger}</tbody></table></div>",
        title = esc(&v.title),
        badge = badge(v.status),
        facts = facts_list(&v.facts),
        payment = payment_card(&v.payment),
        cart = cart_table(v.cart, &v.facts.currency),
        actions = action_cards(v),
    )
}

// --- confirmation ---------------------------------------------------------------------------

pub enum ConfirmDetails<'a> {
    Activate {
        today: Date,
        delay: i64,
        term: i64,
        due: Date,
    },
    Cancel,
    Reduce {
        credit: i64,
        cart: &'a Cart,
    },
}

pub struct Confirm<'a> {
    pub order_id: i64,
    pub action: &'a str,
    pub question: String,
    pub currency: &'a str,
    pub details: ConfirmDetails<'a>,
    /// The submitted form, carried to the "Yes" button.
    pub form: &'a [(String, String)],
    /// The total and status the question was asked about: "Yes" is refused
    /// if either changed meanwhile (an activation in between turns a free
    /// cancel into a debit of the whole claim).
    pub expect_total: i64,
    pub expect_status: &'a str,
}

pub fn confirm(v: &Confirm) -> String {
    let details = match &v.details {
        ConfirmDetails::Activate {
            today,
            delay,
            term,
            due,
        } => format!(
            "<p class=\"muted\">Activation today ({today}) + {delay} delay days + {term} day term: due on <b>{due}</b>.</p>"
        ),
        ConfirmDetails::Cancel => {
            "<p class=\"muted\">The customer is credited in full. This cannot be undone.</p>"
                .to_string()
        }
        ConfirmDetails::Reduce { credit, cart } => format!(
            "<p class=\"muted\">Credit to the customer: <b>{credit}</b>.</p>{table}",
            credit = money(*credit, v.currency),
            table = cart_table(cart, v.currency),
        ),
    };
    let hidden: String = v
        .form
        .iter()
        .filter(|(k, _)| k != "confirm" && k != "expect_total" && k != "expect_status")
        .map(|(k, value)| {
            format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{value}\">",
                name = esc(k),
                value = esc(value)
            )
        })
        .collect();
    format!(
        "<p><a href=\"/admin/orders/{id}\">← Order</a></p><div class=\"card\" style=\"max-width:640px\">\
         <h1>Please confirm</h1><p>{question}</p>{details}\
         <form method=\"post\" action=\"/admin/orders/{id}/{action}\" class=\"row\" style=\"margin-top:14px\">{hidden}\
         <input type=\"hidden\" name=\"expect_total\" value=\"{expect}\">\
         <input type=\"hidden\" name=\"expect_status\" value=\"{status}\">\
         <button class=\"btn primary\" name=\"confirm\" value=\"yes\">Yes</button>\
         <a class=\"btn secondary\" href=\"/admin/orders/{id}\">No</a></form></div>",
        id = v.order_id,
        question = esc(&v.question),
        action = esc(v.action),
        expect = v.expect_total,
        status = esc(v.expect_status),
    )
}

// --- statements -----------------------------------------------------------------------------

pub struct StatementLine {
    pub at: i64,
    pub description: String,
    pub invoice_reference: String,
    pub amount: i64,
    pub currency: String,
}

pub struct StatementTotals {
    pub currency: String,
    pub receivables: i64,
    pub fees: i64,
    pub partial_credits: i64,
    pub cancellations: i64,
    pub payout: i64,
}

pub struct StatementPage {
    pub label: String,
    pub previous: String,
    pub next: String,
    pub monday: Date,
    pub sunday: Date,
    pub payout_date: Date,
    /// Weeks with movements, newest first: (label, is the shown week).
    pub weeks: Vec<(String, bool)>,
    pub totals: Vec<StatementTotals>,
    pub lines: Vec<StatementLine>,
}

pub fn statement(v: &StatementPage) -> String {
    let weeks: String = v
        .weeks
        .iter()
        .map(|(label, current)| {
            format!(
                "<a href=\"/admin/statements?week={label}\"{bold}>{label}</a> ",
                label = esc(label),
                bold = if *current {
                    " style=\"font-weight:700\""
                } else {
                    ""
                }
            )
        })
        .collect();
    let mut rows = String::new();
    for l in &v.lines {
        let _ = write!(
            rows,
            "<tr><td class=\"mono\">{at}</td><td>{description}</td><td class=\"mono\">{reference}</td><td class=\"num\">{amount}</td></tr>",
            at = esc(&short_time(l.at)),
            description = esc(&l.description),
            reference = esc(&l.invoice_reference),
            amount = money(l.amount, &l.currency),
        );
    }
    if rows.is_empty() {
        rows = "<tr><td colspan=\"4\" class=\"muted\">No movements in this week.</td></tr>".into();
    }
    let mut totals = String::new();
    for t in &v.totals {
        let _ = write!(
            totals,
            "<tr><td>{currency}</td><td class=\"num\">{receivables}</td><td class=\"num\">{fees}</td><td class=\"num\">{partial}</td>\
             <td class=\"num\">{cancellations}</td><td class=\"num\"><b>{payout}</b></td></tr>",
            currency = esc(&t.currency),
            receivables = money(t.receivables, &t.currency),
            fees = money(t.fees, &t.currency),
            partial = money(t.partial_credits, &t.currency),
            cancellations = money(t.cancellations, &t.currency),
            payout = money(t.payout, &t.currency),
        );
    }
    format!(
        "<h1>Weekly statement {label}</h1>\
         <div class=\"card row\"><a class=\"btn secondary\" href=\"/admin/statements?week={prev}\">← {prev}</a>\
         <span>{monday} – {sunday} · payout on {payout_date}</span>\
         <a class=\"btn secondary\" href=\"/admin/statements?week={next}\">{next} →</a>\
         <span style=\"margin-left:auto\"><a class=\"btn primary\" href=\"/admin/statements.csv?week={label}\">Download CSV</a> \
         <a class=\"btn secondary\" href=\"/admin/statements.json?week={label}\">JSON</a></span></div>\
         <div class=\"card\"><h2>Weeks with movements</h2><p>{weeks}</p></div>\
         <div class=\"card\"><h2>Totals</h2><table><thead><tr><th>Currency</th><th class=\"num\">Receivables</th><th class=\"num\">Fees</th>\
         <th class=\"num\">Partial credits</th><th class=\"num\">Cancellations</th><th class=\"num\">Payout</th></tr></thead><tbody>{totals}</tbody></table></div>\
         <div class=\"card\"><h2>Movements</h2><table><thead><tr><th>Time (UTC)</th><th>Movement</th><th>Reference</th><th class=\"num\">Amount</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>",
        label = esc(&v.label),
        prev = esc(&v.previous),
        next = esc(&v.next),
        monday = v.monday,
        sunday = v.sunday,
        payout_date = v.payout_date,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_escape_and_format() {
        assert_eq!(
            grouped_iban("DE89370400440532013000"),
            "DE89 3704 0044 0532 0130 00"
        );
        assert_eq!(esc("<b>\"x\"</b>"), "&lt;b&gt;&quot;x&quot;&lt;/b&gt;");
        assert_eq!(money(123456, "EUR"), "1,234.56 EUR");
        let html = error("<script>");
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        let listed = order_list(&OrderList {
            status_filter: "activated".into(),
            expiring_only: false,
            expiring_days: 14,
            search: "\"><img".into(),
            rows: Vec::new(),
        });
        assert!(listed.contains("value=\"activated\" selected"));
        assert!(listed.contains("&quot;&gt;&lt;img") && !listed.contains("\"><img"));
    }
}
