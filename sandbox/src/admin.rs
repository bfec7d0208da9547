//! The back-office at /admin: server-rendered HTML, no JavaScript. Log in with merchant id
//! and security key; order list, order detail with Activate / Cancel / Increase-Reduce +
//! Partial cancellation (each behind a confirmation step), weekly statements.
//!
//! Every dynamic string goes through `esc`. State-changing forms carry a per-session CSRF
//! token and run the same operations as the XML API, so the ledger is the same.

use crate::clock::Date;
use crate::config::{md5_hex, Merchant};
use crate::http::{Request, Response};
use crate::orders::{self, Ctx};
use crate::rules::{ApiError, Cart};
use crate::statements;
use crate::store::{self, Order, OrderFilter, Status};
use crate::util::{display_amount, parse_amount, token};
use crate::App;

const COOKIE: &str = "bp_session";

pub fn esc(s: &str) -> String {
    crate::xml::escape(s)
}

fn money(cents: i64, currency: &str) -> String {
    format!("{} {}", display_amount(cents), esc(currency))
}

/// `YYYY-MM-DD HH:MM` (UTC) for tables.
fn short_time(at: i64) -> String {
    let full = crate::clock::format_instant(at);
    full.get(..16).unwrap_or(&full).replace('T', " ")
}

fn grouped_iban(iban: &str) -> String {
    iban.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2937;background:#f4f6f9}
header{background:#0b3d66;color:#fff;padding:0 32px;display:flex;align-items:center;gap:28px;height:56px}
header .brand{font-weight:700;font-size:17px;letter-spacing:.2px}
header .brand span{font-weight:400;opacity:.75;margin-left:6px}
header nav a{color:#dbeafe;text-decoration:none;margin-right:18px;font-weight:500}
header nav a:hover{color:#fff}
header .who{margin-left:auto;font-size:13px;opacity:.9;display:flex;gap:14px;align-items:center}
header form{margin:0}
header button{background:transparent;border:1px solid #7aa7d1;color:#fff;border-radius:4px;padding:3px 10px;cursor:pointer}
main{max-width:1120px;margin:28px auto;padding:0 24px}
h1{font-size:22px;margin:0 0 18px;display:flex;align-items:center;gap:12px}
h2{font-size:16px;margin:0 0 12px}
.card{background:#fff;border:1px solid #e3e8ef;border-radius:8px;padding:18px 20px;margin-bottom:18px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:18px}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #edf0f4;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.4px;color:#6b7280;font-weight:600;background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.mono{white-space:nowrap}
tr.total td{font-weight:700;border-top:2px solid #d0d7e2}
dl{display:grid;grid-template-columns:140px 1fr;gap:6px 12px;margin:0}
dt{color:#6b7280}dd{margin:0;font-weight:500}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.3px}
.b-preauthorized{background:#dbeafe;color:#1e40af}.b-activated{background:#dcfce7;color:#166534}
.b-cancelled{background:#fee2e2;color:#991b1b}.b-expired{background:#fef3c7;color:#92400e}
.b-pending_capture{background:#e5e7eb;color:#374151}
.notice{padding:10px 14px;border-radius:6px;margin-bottom:18px;border:1px solid}
.ok{background:#ecfdf5;border-color:#a7f3d0;color:#065f46}
.err{background:#fef2f2;border-color:#fecaca;color:#991b1b}
.warn{background:#fffbeb;border-color:#fde68a;color:#92400e}
label{display:block;font-size:12px;color:#6b7280;margin-bottom:3px;font-weight:600}
input,select{font:inherit;padding:6px 9px;border:1px solid #cbd5e1;border-radius:5px;background:#fff}
input[type=number]{width:90px}
.btn{display:inline-block;font:inherit;font-weight:600;border:0;border-radius:5px;padding:8px 16px;cursor:pointer;text-decoration:none}
.primary{background:#1d6fb8;color:#fff}.primary:hover{background:#175c99}
.danger{background:#c62828;color:#fff}.secondary{background:#e5e7eb;color:#111827}
.row{display:flex;gap:14px;align-items:flex-end;flex-wrap:wrap}
.actions{grid-template-columns:1fr 1fr}
.actions .card{margin-bottom:0}
.muted{color:#6b7280}
a{color:#1d6fb8}
.login{max-width:380px;margin:80px auto}
.login input{width:100%;margin-bottom:14px}
.pill{font-size:12px;background:#eef2f7;border-radius:4px;padding:2px 8px;color:#475569}
"#;

fn layout(title: &str, merchant: Option<(&Merchant, &str)>, today: Date, body: &str) -> String {
    let header = match merchant {
        Some((m, csrf)) => format!(
            "<header><div class=\"brand\">BillPay<span>Sandbox back-office</span></div>\
             <nav><a href=\"/admin/orders\">Orders</a><a href=\"/admin/statements\">Statements</a></nav>\
             <div class=\"who\"><span class=\"pill\">Sandbox date {today}</span><span>{} · mid {}</span>\
             <form method=\"post\" action=\"/admin/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <button>Log out</button></form></div></header>",
            esc(&m.name),
            m.mid,
            esc(csrf)
        ),
        None => "<header><div class=\"brand\">BillPay<span>Sandbox back-office</span></div></header>"
            .to_string(),
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · BillPay sandbox</title><style>{STYLE}</style></head><body>{header}<main>{body}</main></body></html>",
        esc(title)
    )
}

fn badge(status: Status) -> String {
    let label = match status {
        Status::PendingCapture => "awaiting capture",
        Status::Preauthorized => "preauthorized",
        Status::Activated => "activated",
        Status::Cancelled => "cancelled",
        Status::Expired => "expired",
    };
    format!("<span class=\"badge b-{}\">{label}</span>", status.as_str())
}

// --- sessions -------------------------------------------------------------------------------

/// Creates a session and returns the Set-Cookie value.
pub fn start_session(app: &App, mid: i64) -> Result<String, ApiError> {
    let t = token();
    let now = app.clock.now();
    app.store
        .write(|conn| store::create_session(conn, &t, mid, now))?;
    Ok(format!("{COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax"))
}

fn csrf_for(session_token: &str) -> String {
    md5_hex(&format!("{session_token}:csrf"))
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.trim().bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

struct Session<'a> {
    merchant: &'a Merchant,
    /// Present for cookie sessions; Basic-auth callers can only read.
    token: Option<String>,
}

impl Session<'_> {
    fn csrf(&self) -> String {
        self.token.as_deref().map(csrf_for).unwrap_or_default()
    }
}

fn check_key<'a>(app: &'a App, mid: i64, key: &str) -> Option<&'a Merchant> {
    app.merchants
        .iter()
        .find(|m| m.mid == mid && !key.is_empty() && m.key == key)
}

fn session<'a>(app: &'a App, req: &Request) -> Option<Session<'a>> {
    if let Some(t) = req.cookie(COOKIE) {
        if let Ok(Some(mid)) = app.store.read(|conn| store::session_mid(conn, &t)) {
            if let Some(m) = app.merchants.iter().find(|m| m.mid == mid) {
                return Some(Session {
                    merchant: m,
                    token: Some(t),
                });
            }
        }
    }
    let auth = req.header("authorization")?;
    let encoded = auth.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(base64_decode(encoded)?).ok()?;
    let (mid, key) = decoded.split_once(':')?;
    let merchant = check_key(app, mid.trim().parse().ok()?, key)?;
    Some(Session {
        merchant,
        token: None,
    })
}

fn form_value(form: &[(String, String)], name: &str) -> Option<String> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

// --- login ----------------------------------------------------------------------------------

fn login_page(app: &App, error: Option<&str>, status: u16) -> Response {
    let error = error
        .map(|e| format!("<div class=\"notice err\">{}</div>", esc(e)))
        .unwrap_or_default();
    let body = format!(
        "<div class=\"login card\"><h1>Merchant login</h1>{error}\
         <form method=\"post\" action=\"/admin/login\">\
         <label for=\"mid\">Merchant id</label><input id=\"mid\" name=\"mid\" inputmode=\"numeric\" autocomplete=\"username\" required>\
         <label for=\"key\">Security key</label><input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required>\
         <button class=\"btn primary\">Log in</button></form>\
         <p class=\"muted\">Default test merchant: id 4441, key 12345678.</p></div>"
    );
    Response::html(status, layout("Login", None, app.clock.today(), &body))
}

fn login(app: &App, req: &Request) -> Response {
    let form = req.form();
    let mid = form_value(&form, "mid").and_then(|m| m.trim().parse::<i64>().ok());
    let key = form_value(&form, "key").unwrap_or_default();
    let Some(merchant) = mid.and_then(|mid| check_key(app, mid, &key)) else {
        return login_page(app, Some("Merchant id or security key is wrong."), 401);
    };
    match start_session(app, merchant.mid) {
        Ok(cookie) => Response::redirect("/admin/orders").with_header("Set-Cookie", &cookie),
        Err(e) => error_page(app, None, &e.merchant_message, 500),
    }
}

fn error_page(app: &App, s: Option<&Session>, message: &str, status: u16) -> Response {
    let csrf = s.map(|s| s.csrf()).unwrap_or_default();
    let body = format!(
        "<div class=\"notice err\">{}</div><p><a href=\"/admin/orders\">Back to the orders</a></p>",
        esc(message)
    );
    Response::html(
        status,
        layout(
            "Error",
            s.map(|s| (s.merchant, csrf.as_str())),
            app.clock.today(),
            &body,
        ),
    )
}

// --- order list -----------------------------------------------------------------------------

const EXPIRING_DAYS: i64 = 14;

fn order_list(app: &App, s: &Session, req: &Request) -> Response {
    let today = app.clock.today();
    let status_param = req.query_param("status").unwrap_or_default();
    let expiring = req.query_param("expiring").is_some_and(|v| v == "1");
    let search = req.query_param("q").unwrap_or_default();
    let filter = OrderFilter {
        status: Status::parse(&status_param),
        expiring_within_days: expiring.then_some(EXPIRING_DAYS),
        search: Some(search.clone()),
    };
    let list = match app
        .store
        .read(|conn| store::list_orders(conn, s.merchant.mid, &filter, today))
    {
        Ok(l) => l,
        Err(e) => return error_page(app, Some(s), &e.merchant_message, 500),
    };
    let options: String = [
        ("", "All statuses"),
        ("pending_capture", "Awaiting capture"),
        ("preauthorized", "Preauthorized"),
        ("activated", "Activated"),
        ("cancelled", "Cancelled"),
        ("expired", "Expired"),
    ]
    .iter()
    .map(|(v, label)| {
        let selected = if *v == status_param { " selected" } else { "" };
        format!("<option value=\"{v}\"{selected}>{label}</option>")
    })
    .collect();
    let mut rows = String::new();
    for o in &list {
        let status = o.status_on(today);
        let deadline = match status {
            Status::Activated => o.due_date.map(|d| format!("due {d}")).unwrap_or_default(),
            Status::PendingCapture | Status::Preauthorized => {
                let left = today.days_until(o.expires_on());
                let cls = if left <= EXPIRING_DAYS {
                    "badge b-expired"
                } else {
                    "muted"
                };
                format!(
                    "<span class=\"{cls}\">activate by {} ({left} d)</span>",
                    o.expires_on()
                )
            }
            Status::Expired => format!("expired after {}", o.expires_on()),
            Status::Cancelled => String::new(),
        };
        let reference = if o.reference.is_empty() {
            "<span class=\"muted\">(no reference yet)</span>".to_string()
        } else {
            esc(&o.reference)
        };
        rows.push_str(&format!(
            "<tr><td><a href=\"/admin/orders/{id}\">{reference}</a></td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td>{deadline}</td></tr>",
            esc(&format!("{} {}", o.customer.first_name, o.customer.last_name)),
            o.created_on(),
            badge(status),
            money(o.cart.total_gross, &o.currency),
            id = o.id,
        ));
    }
    if rows.is_empty() {
        rows = "<tr><td colspan=\"6\" class=\"muted\">No orders match.</td></tr>".to_string();
    }
    let checked = if expiring { " checked" } else { "" };
    let body = format!(
        "<h1>Orders <span class=\"pill\">{n}</span></h1>\
         <div class=\"card\"><form method=\"get\" action=\"/admin/orders\" class=\"row\">\
         <div><label for=\"status\">Status</label><select id=\"status\" name=\"status\">{options}</select></div>\
         <div><label for=\"q\">Search</label><input id=\"q\" name=\"q\" value=\"{q}\" placeholder=\"reference, name, e-mail\"></div>\
         <div><label><input type=\"checkbox\" name=\"expiring\" value=\"1\"{checked}> Expiring within {EXPIRING_DAYS} days</label></div>\
         <div><button class=\"btn primary\">Filter</button> <a class=\"btn secondary\" href=\"/admin/orders\">Reset</a></div>\
         </form></div>\
         <div class=\"card\"><table><thead><tr><th>Reference</th><th>Customer</th><th>Created</th><th>Status</th>\
         <th class=\"num\">Total</th><th>Deadline</th></tr></thead><tbody>{rows}</tbody></table></div>",
        n = list.len(),
        q = esc(&search),
    );
    let csrf = s.csrf();
    Response::html(
        200,
        layout("Orders", Some((s.merchant, &csrf)), today, &body),
    )
}

// --- order detail ---------------------------------------------------------------------------

fn load_order(app: &App, s: &Session, id: i64) -> Result<Order, Response> {
    match app
        .store
        .read(|conn| store::order_by_id(conn, s.merchant.mid, id))
    {
        Ok(Some(o)) => Ok(o),
        Ok(None) => Err(error_page(app, Some(s), "No such order.", 404)),
        Err(e) => Err(error_page(app, Some(s), &e.merchant_message, 500)),
    }
}

fn cart_table(cart: &Cart, currency: &str) -> String {
    let mut rows = String::new();
    for a in &cart.articles {
        rows.push_str(&format!(
            "<tr><td class=\"mono\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&a.id),
            esc(&a.name),
            a.quantity,
            money(a.price_gross, currency),
            money(a.price_gross * a.quantity, currency)
        ));
    }
    let shipping_label = if cart.shipping_name.is_empty() {
        "Shipping".to_string()
    } else {
        format!("Shipping ({})", esc(&cart.shipping_name))
    };
    // A rebate line only when there is one: "−0.00" reads like a bug.
    let rebate = if cart.rebate_gross > 0 {
        format!(
            "<tr><td colspan=\"4\">Rebate</td><td class=\"num\">−{}</td></tr>",
            money(cart.rebate_gross, currency)
        )
    } else {
        String::new()
    };
    format!(
        "<table><thead><tr><th>Article</th><th>Name</th><th class=\"num\">Qty</th><th class=\"num\">Unit (gross)</th>\
         <th class=\"num\">Line (gross)</th></tr></thead><tbody>{rows}\
         <tr><td colspan=\"4\">{shipping_label}</td><td class=\"num\">{}</td></tr>\
         {rebate}\
         <tr class=\"total\"><td colspan=\"4\">Total (net {})</td><td class=\"num\">{}</td></tr></tbody></table>",
        money(cart.shipping_gross, currency),
        money(cart.total_net, currency),
        money(cart.total_gross, currency),
    )
}

fn order_detail(app: &App, s: &Session, order: &Order, notice: Option<(&str, &str)>) -> Response {
    let today = app.clock.today();
    let status = order.status_on(today);
    let cur = &order.currency;
    let csrf = s.csrf();
    let movements = app
        .store
        .read(|conn| store::movements_for_order(conn, order.id))
        .unwrap_or_default();
    let notice = notice
        .map(|(cls, msg)| format!("<div class=\"notice {cls}\">{}</div>", esc(msg)))
        .unwrap_or_default();
    let warning = match status {
        Status::Preauthorized | Status::PendingCapture => {
            let left = today.days_until(order.expires_on());
            let cls = if left <= EXPIRING_DAYS { "warn" } else { "ok" };
            format!(
                "<div class=\"notice {cls}\">Not activated yet: the payment term has not started. \
                 Activate by <b>{}</b> ({left} days left); after that BillPay cancels the order.</div>",
                order.expires_on()
            )
        }
        Status::Expired => format!(
            "<div class=\"notice err\">Expired: the order was not activated by {} and can no longer be activated.</div>",
            order.expires_on()
        ),
        _ => String::new(),
    };
    let title_ref = if order.reference.is_empty() {
        format!("#{}", order.id)
    } else {
        order.reference.clone()
    };
    let facts = format!(
        "<dl><dt>Total</dt><dd>{}</dd><dt>Original total</dt><dd>{}</dd><dt>Customer</dt><dd>{}</dd>\
         <dt>Created</dt><dd>{}</dd>{}<dt>Activated</dt><dd>{}</dd>\
         <dt>Payment term</dt><dd>{} days{}</dd><dt>Due date</dt><dd>{}</dd><dt>BillPay tx id</dt><dd class=\"mono\">{}</dd></dl>",
        money(order.cart.total_gross, cur),
        money(order.original_total, cur),
        esc(&format!(
            "{} {} · {} · {}",
            order.customer.first_name, order.customer.last_name, order.customer.email, order.customer.country
        )),
        order.created_on(),
        if matches!(status, Status::Preauthorized | Status::PendingCapture | Status::Expired) {
            format!("<dt>Activate by</dt><dd>{}</dd>", order.expires_on())
        } else {
            String::new()
        },
        order
            .activated_at
            .map(|t| Date::from_unix(t).to_string())
            .unwrap_or_else(|| "—".into()),
        order.term_days,
        order
            .delay_days
            .filter(|d| *d > 0)
            .map(|d| format!(" + {d} delay days"))
            .unwrap_or_default(),
        order
            .due_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "— (set at activation)".into()),
        esc(&order.bptid),
    );
    let bank = format!(
        "<dl><dt>Account holder</dt><dd>{}</dd><dt>IBAN</dt><dd class=\"mono\">{}</dd><dt>BIC</dt><dd class=\"mono\">{}</dd>\
         <dt>Bank</dt><dd>{}</dd><dt>Reference</dt><dd class=\"mono\">{}</dd></dl>",
        esc(crate::bank::ACCOUNT_HOLDER),
        esc(&grouped_iban(&order.bank.iban)),
        esc(&order.bank.bic),
        esc(&order.bank.bank_name),
        esc(&order.invoice_reference()),
    );
    let hidden = format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&csrf)
    );
    let mut actions = String::new();
    if status == Status::Preauthorized {
        actions.push_str(&format!(
            "<div class=\"card\"><h2>Activate</h2><p class=\"muted\">Starts the {} day payment term. Do this when you ship and invoice.</p>\
             <form method=\"post\" action=\"/admin/orders/{}/activate\" class=\"row\">{hidden}\
             <div><label for=\"delay\">Delay (days)</label><input id=\"delay\" type=\"number\" name=\"delay\" min=\"0\" max=\"365\" value=\"0\"></div>\
             <div><button class=\"btn primary\">Activate</button></div></form></div>",
            order.term_days, order.id
        ));
    }
    if status != Status::Cancelled {
        actions.push_str(&format!(
            "<div class=\"card\"><h2>Cancel</h2><p class=\"muted\">Credits the whole order{}.</p>\
             <form method=\"post\" action=\"/admin/orders/{}/cancel\">{hidden}<button class=\"btn danger\">Cancel order</button></form></div>",
            if status == Status::Activated { " (after activation: the claim is debited)" } else { "" },
            order.id
        ));
    }
    if matches!(status, Status::Preauthorized | Status::Activated) {
        let mut qty_inputs = String::new();
        for (i, a) in order.cart.articles.iter().enumerate() {
            qty_inputs.push_str(&format!(
                "<div><label for=\"qty_{i}\">{} (max {})</label><input id=\"qty_{i}\" type=\"number\" name=\"qty_{i}\" min=\"0\" max=\"{}\" value=\"{}\"></div>",
                esc(&a.name.chars().take(24).collect::<String>()),
                a.quantity,
                a.quantity,
                a.quantity
            ));
        }
        actions.push_str(&format!(
            "<div class=\"card\" style=\"grid-column:1/-1\"><h2>Increase/Reduce · Partial cancellation</h2>\
             <p class=\"muted\">Set the remaining quantities, the remaining shipping, and/or a discount. Amounts can only go down.</p>\
             <form method=\"post\" action=\"/admin/orders/{}/partial\">{hidden}<div class=\"row\">{qty_inputs}</div><div class=\"row\" style=\"margin-top:12px\">\
             <div><label for=\"shipping\">Shipping ({cur})</label><input id=\"shipping\" name=\"shipping\" value=\"{}\" size=\"8\"></div>\
             <div><label for=\"adjust\">Increase/Reduce ({cur})</label><input id=\"adjust\" name=\"adjust\" placeholder=\"e.g. 5.00\" size=\"8\"></div>\
             <div><button class=\"btn primary\">Partial cancellation</button></div></div></form></div>",
            order.id,
            crate::util::decimal(order.cart.shipping_gross),
            cur = esc(cur),
        ));
    }
    let mut ledger = String::new();
    for m in &movements {
        ledger.push_str(&format!(
            "<tr><td class=\"mono\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&short_time(m.at)),
            esc(&m.kind),
            if m.amount == 0 { "—".to_string() } else { money(m.amount, &m.currency) },
            money(m.total_after, &m.currency),
            esc(&m.detail)
        ));
    }
    let body = format!(
        "<p><a href=\"/admin/orders\">← Orders</a></p><h1>Order {} {}</h1>{notice}{warning}\
         <div class=\"grid\"><div class=\"card\"><h2>Order</h2>{facts}</div><div class=\"card\"><h2>Bank data for the invoice</h2>{bank}</div></div>\
         <div class=\"card\"><h2>Cart</h2>{}</div>\
         <div class=\"grid actions\" style=\"margin-bottom:18px\">{actions}</div>\
         <div class=\"card\"><h2>Ledger</h2><table><thead><tr><th>Time</th><th>Movement</th><th class=\"num\">Amount</th>\
         <th class=\"num\">Total after</th><th>Detail</th></tr></thead><tbody>{ledger}</tbody></table></div>",
        esc(&title_ref),
        badge(status),
        cart_table(&order.cart, cur),
    );
    Response::html(
        200,
        layout(
            &format!("Order {title_ref}"),
            Some((s.merchant, &csrf)),
            today,
            &body,
        ),
    )
}

/// Half-up `a * b / c` for non-negative values.
fn scale(a: i64, b: i64, c: i64) -> i64 {
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
    q as i64
}

/// The cart a back-office partial cancellation asks for.
fn requested_cart(order: &Order, form: &[(String, String)]) -> Result<Cart, String> {
    let old = &order.cart;
    let mut cart = old.clone();
    for (i, a) in cart.articles.iter_mut().enumerate() {
        if let Some(v) = form_value(form, &format!("qty_{i}")) {
            let v = v.trim();
            if !v.is_empty() {
                a.quantity = v
                    .parse()
                    .map_err(|_| format!("quantity of {} is not a whole number", a.name))?;
                if !(0..=100_000).contains(&a.quantity) {
                    return Err(format!(
                        "quantity of {} must be between 0 and 100000",
                        a.name
                    ));
                }
            }
        }
    }
    cart.articles.retain(|a| a.quantity > 0);
    if let Some(v) = form_value(form, "shipping").filter(|v| !v.trim().is_empty()) {
        let gross = parse_amount(&v).ok_or("shipping is not an amount like 4.95")?;
        if gross < 0 {
            return Err("shipping cannot be negative".into());
        }
        cart.shipping_net = scale(old.shipping_net, gross, old.shipping_gross);
        cart.shipping_gross = gross;
    }
    let adjust = match form_value(form, "adjust").filter(|v| !v.trim().is_empty()) {
        Some(v) => parse_amount(&v).ok_or("Increase/Reduce is not an amount like 5.00")?,
        None => 0,
    };
    if adjust != 0 {
        let items_gross: i64 = cart
            .articles
            .iter()
            .map(|a| a.price_gross * a.quantity)
            .sum();
        let items_net: i64 = cart.articles.iter().map(|a| a.price_net * a.quantity).sum();
        cart.rebate_gross += adjust;
        // The rebate's net part follows the cart's average tax rate.
        cart.rebate_net += scale(adjust, items_net, items_gross);
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

fn confirm_page(
    app: &App,
    s: &Session,
    order: &Order,
    action: &str,
    question: &str,
    details: &str,
    form: &[(String, String)],
) -> Response {
    let csrf = s.csrf();
    let hidden: String = form
        .iter()
        .filter(|(k, _)| k != "confirm")
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                esc(k),
                esc(v)
            )
        })
        .collect();
    let body = format!(
        "<p><a href=\"/admin/orders/{id}\">← Order</a></p><div class=\"card\" style=\"max-width:640px\">\
         <h1>Please confirm</h1><p>{}</p>{details}\
         <form method=\"post\" action=\"/admin/orders/{id}/{action}\" class=\"row\" style=\"margin-top:14px\">{hidden}\
         <input type=\"hidden\" name=\"expect_total\" value=\"{}\">\
         <button class=\"btn primary\" name=\"confirm\" value=\"yes\">Yes</button>\
         <a class=\"btn secondary\" href=\"/admin/orders/{id}\">No</a></form></div>",
        esc(question),
        order.cart.total_gross,
        id = order.id,
    );
    Response::html(
        200,
        layout(
            "Confirm",
            Some((s.merchant, &csrf)),
            app.clock.today(),
            &body,
        ),
    )
}

fn order_action(app: &App, s: &Session, req: &Request, id: i64, action: &str) -> Response {
    let form = req.form();
    let Some(token) = &s.token else {
        return error_page(app, Some(s), "Log in with the form to change orders.", 403);
    };
    if form_value(&form, "csrf").as_deref() != Some(csrf_for(token).as_str()) {
        return error_page(
            app,
            Some(s),
            "The form expired; reload the order and try again.",
            403,
        );
    }
    let order = match load_order(app, s, id) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let confirmed = form_value(&form, "confirm").as_deref() == Some("yes");
    let cur = order.currency.clone();
    let delay = form_value(&form, "delay")
        .map(|d| d.trim().parse::<i64>())
        .unwrap_or(Ok(0));
    let requested = if action == "partial" {
        Some(requested_cart(&order, &form))
    } else {
        None
    };
    if !confirmed {
        let today = app.clock.today();
        return match action {
            "activate" => match delay {
                Ok(d) if (0..=365).contains(&d) => {
                    let due = crate::rules::due_date(today, d, s.merchant.term_days);
                    confirm_page(app, s, &order, action,
                        &format!("Activate order {} over {}?", order.reference, money(order.cart.total_gross, &cur)),
                        &format!("<p class=\"muted\">Activation today ({today}) + {d} delay days + {} day term: due on <b>{due}</b>.</p>", s.merchant.term_days),
                        &form)
                }
                _ => order_detail(
                    app,
                    s,
                    &order,
                    Some((
                        "err",
                        "Delay must be a whole number of days between 0 and 365.",
                    )),
                ),
            },
            "cancel" => confirm_page(
                app,
                s,
                &order,
                action,
                &format!(
                    "Cancel order {} completely ({})?",
                    order.reference,
                    money(order.cart.total_gross, &cur)
                ),
                "<p class=\"muted\">The customer is credited in full. This cannot be undone.</p>",
                &form,
            ),
            _ => match requested {
                // Refuse up front what BillPay would refuse after "Yes" (a higher
                // total, a raised line, an emptied cart): no confirmation for it.
                Some(Ok(cart)) => match crate::rules::check_edit(&order.cart, &cart) {
                    Err(refused) => {
                        order_detail(app, s, &order, Some(("err", &refused.merchant_message)))
                    }
                    Ok(()) => {
                        let credit = order.cart.total_gross - cart.total_gross;
                        confirm_page(
                            app,
                            s,
                            &order,
                            action,
                            &format!(
                                "Reduce order {} from {} to {}?",
                                order.reference,
                                money(order.cart.total_gross, &cur),
                                money(cart.total_gross, &cur)
                            ),
                            &format!(
                                "<p class=\"muted\">Credit to the customer: <b>{}</b>.</p>{}",
                                money(credit, &cur),
                                cart_table(&cart, &cur)
                            ),
                            &form,
                        )
                    }
                },
                Some(Err(msg)) => order_detail(app, s, &order, Some(("err", &msg))),
                None => order_detail(app, s, &order, None),
            },
        };
    }
    if form_value(&form, "expect_total").and_then(|t| t.parse::<i64>().ok())
        != Some(order.cart.total_gross)
    {
        return order_detail(
            app,
            s,
            &order,
            Some((
                "err",
                "The order changed meanwhile; please review it and try again.",
            )),
        );
    }
    let merchant = s.merchant;
    let result = app.store.write(|conn| {
        let ctx = Ctx {
            merchant,
            now: app.clock.now(),
        };
        let Some(mut order) = store::order_by_id(conn, merchant.mid, id)? else {
            return Err(ApiError::invalid("no such order"));
        };
        let total = order.cart.total_gross;
        match action {
            "activate" => {
                let d = delay
                    .clone()
                    .map_err(|_| ApiError::invalid("delay must be a whole number"))?;
                orders::activate(conn, &ctx, &mut order, total, &cur, d).map(|_| "activated")
            }
            "cancel" => orders::cancel(conn, &ctx, &mut order, total, &cur).map(|_| "cancelled"),
            _ => {
                let cart = match &requested {
                    Some(Ok(c)) => c.clone(),
                    Some(Err(m)) => return Err(ApiError::invalid(m.clone())),
                    None => return Err(ApiError::invalid("nothing to do")),
                };
                orders::replace_cart(
                    conn,
                    &ctx,
                    &mut order,
                    cart,
                    "back-office partial cancellation",
                )
                .map(|changed| if changed { "reduced" } else { "unchanged" })
            }
        }
    });
    match result {
        Ok(done) => Response::redirect(&format!("/admin/orders/{id}?done={done}")),
        Err(e) => {
            let order = load_order(app, s, id).unwrap_or(order);
            let msg = format!("Refused (error {}): {}", e.code, e.merchant_message);
            order_detail(app, s, &order, Some(("err", &msg)))
        }
    }
}

// --- statements -----------------------------------------------------------------------------

fn statement_page(app: &App, s: &Session, req: &Request) -> Response {
    let today = app.clock.today();
    let monday = req
        .query_param("week")
        .and_then(|w| statements::parse_week(&w))
        .unwrap_or_else(|| today.monday_of_week());
    let mid = s.merchant.mid;
    let built = app.store.read(|conn| {
        let st = statements::build(conn, mid, monday)?;
        let range = store::movement_time_range(conn, mid)?;
        Ok((st, range))
    });
    let (st, range) = match built {
        Ok(v) => v,
        Err(e) => return error_page(app, Some(s), &e.merchant_message, 500),
    };
    let label = statements::week_label(monday);
    let mut weeks = String::new();
    if let Some((first, last)) = range {
        let mut w = Date::from_unix(last).monday_of_week();
        let first = Date::from_unix(first).monday_of_week();
        let mut n = 0;
        while w >= first && n < 26 {
            let l = statements::week_label(w);
            let current = if w == monday {
                " style=\"font-weight:700\""
            } else {
                ""
            };
            weeks.push_str(&format!(
                "<a href=\"/admin/statements?week={l}\"{current}>{l}</a> "
            ));
            w = w.add_days(-7);
            n += 1;
        }
    }
    let mut rows = String::new();
    for l in &st.lines {
        rows.push_str(&format!(
            "<tr><td class=\"mono\">{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&short_time(l.at)),
            esc(l.description),
            esc(&l.invoice_reference),
            money(l.amount, &l.currency)
        ));
    }
    let mut totals = String::new();
    for (currency, t) in &st.totals {
        totals.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td></tr>",
            esc(currency),
            money(t.receivables, currency),
            money(t.fees, currency),
            money(t.partial_credits, currency),
            money(t.cancellations, currency),
            money(t.payout(), currency)
        ));
    }
    if rows.is_empty() {
        rows = "<tr><td colspan=\"4\" class=\"muted\">No movements in this week.</td></tr>".into();
    }
    let body = format!(
        "<h1>Weekly statement {label}</h1>\
         <div class=\"card row\"><a class=\"btn secondary\" href=\"/admin/statements?week={prev}\">← {prev}</a>\
         <span>{} – {} · payout on {}</span>\
         <a class=\"btn secondary\" href=\"/admin/statements?week={next}\">{next} →</a>\
         <span style=\"margin-left:auto\"><a class=\"btn primary\" href=\"/admin/statements.csv?week={label}\">Download CSV</a> \
         <a class=\"btn secondary\" href=\"/admin/statements.json?week={label}\">JSON</a></span></div>\
         <div class=\"card\"><h2>Weeks with movements</h2><p>{weeks}</p></div>\
         <div class=\"card\"><h2>Totals</h2><table><thead><tr><th>Currency</th><th class=\"num\">Receivables</th><th class=\"num\">Fees</th>\
         <th class=\"num\">Partial credits</th><th class=\"num\">Cancellations</th><th class=\"num\">Payout</th></tr></thead><tbody>{totals}</tbody></table></div>\
         <div class=\"card\"><h2>Movements</h2><table><thead><tr><th>Time (UTC)</th><th>Movement</th><th>Reference</th><th class=\"num\">Amount</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>",
        monday,
        st.sunday(),
        st.payout_date(),
        prev = statements::week_label(monday.add_days(-7)),
        next = statements::week_label(monday.add_days(7)),
    );
    let csrf = s.csrf();
    Response::html(
        200,
        layout(
            &format!("Statement {label}"),
            Some((s.merchant, &csrf)),
            today,
            &body,
        ),
    )
}

fn statement_download(app: &App, s: &Session, req: &Request, csv: bool) -> Response {
    let monday = match req.query_param("week") {
        Some(w) => match statements::parse_week(&w) {
            Some(m) => m,
            None => return Response::text(400, "week must be YYYY-Www or YYYY-MM-DD"),
        },
        None => app.clock.today().monday_of_week(),
    };
    match app
        .store
        .read(|conn| statements::build(conn, s.merchant.mid, monday))
    {
        Ok(st) if csv => Response::new(200, "text/csv; charset=UTF-8", st.to_csv()).with_header(
            "Content-Disposition",
            &format!(
                "attachment; filename=\"billpay-statement-{}-{}.csv\"",
                s.merchant.mid,
                statements::week_label(monday)
            ),
        ),
        Ok(st) => Response::json(200, &st.to_json()),
        Err(e) => Response::text(500, &e.merchant_message),
    }
}

// --- routing --------------------------------------------------------------------------------

pub fn handle(app: &App, req: &Request) -> Response {
    // No scripts at all, styles only from the page itself, forms only to the sandbox, never
    // framed: a defence in depth behind the escaping.
    route(app, req)
        .with_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("Referrer-Policy", "same-origin")
}

fn route(app: &App, req: &Request) -> Response {
    let path = req.path.trim_end_matches('/');
    if path == "/admin/login" {
        return if req.method == "POST" {
            login(app, req)
        } else {
            login_page(app, None, 200)
        };
    }
    let Some(s) = session(app, req) else {
        if path.ends_with(".csv") || path.ends_with(".json") {
            return Response::text(
                401,
                "log in first, or use HTTP Basic auth with merchant id and key",
            )
            .with_header("WWW-Authenticate", "Basic realm=\"BillPay sandbox\"");
        }
        return if path == "/admin" {
            login_page(app, None, 200)
        } else {
            Response::redirect("/admin")
        };
    };
    if path == "/admin/logout" && req.method == "POST" {
        if let Some(t) = &s.token {
            let form = req.form();
            if form_value(&form, "csrf").as_deref() == Some(csrf_for(t).as_str()) {
                let _ = app.store.write(|conn| store::delete_session(conn, t));
            }
        }
        return Response::redirect("/admin")
            .with_header("Set-Cookie", &format!("{COOKIE}=; Path=/; Max-Age=0"));
    }
    match path {
        "/admin" => return Response::redirect("/admin/orders"),
        "/admin/orders" => return order_list(app, &s, req),
        "/admin/statements" => return statement_page(app, &s, req),
        "/admin/statements.csv" => return statement_download(app, &s, req, true),
        "/admin/statements.json" => return statement_download(app, &s, req, false),
        _ => {}
    }
    if let Some(rest) = path.strip_prefix("/admin/orders/") {
        let mut parts = rest.splitn(2, '/');
        let id = parts.next().and_then(|i| i.parse::<i64>().ok());
        let action = parts.next();
        if let Some(id) = id {
            match (req.method.as_str(), action) {
                ("GET", None) => {
                    return match load_order(app, &s, id) {
                        Ok(o) => {
                            // Only known codes: a crafted link cannot put text on the page.
                            let done = match req.query_param("done").as_deref() {
                                Some("activated") => Some("Order activated."),
                                Some("cancelled") => Some("Order cancelled."),
                                Some("reduced") => Some("Partial cancellation booked."),
                                Some("unchanged") => Some("Nothing changed."),
                                _ => None,
                            };
                            order_detail(app, &s, &o, done.map(|d| ("ok", d)))
                        }
                        Err(r) => r,
                    };
                }
                ("POST", Some(a @ ("activate" | "cancel" | "partial"))) => {
                    return order_action(app, &s, req, id, a);
                }
                _ => {}
            }
        }
    }
    error_page(app, Some(&s), "Page not found.", 404)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            grouped_iban("DE89370400440532013000"),
            "DE89 3704 0044 0532 0130 00"
        );
        assert_eq!(
            base64_decode("NDQ0MToxMjM0NTY3OA=="),
            Some(b"4441:12345678".to_vec())
        );
        assert_eq!(scale(416, 300, 495), 252);
        assert_eq!(esc("<b>\"x\"</b>"), "&lt;b&gt;&quot;x&quot;&lt;/b&gt;");
    }
}
