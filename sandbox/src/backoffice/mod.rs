//! The back-office at /admin: log in with merchant id and security key; order list, order
//! detail with Activate / Cancel / Increase-Reduce + Partial cancellation (each behind a
//! confirmation step), weekly statements. Handlers gather the data; `views` writes the HTML;
//! `rebate` turns the partial-cancellation form into a cart; `sessions` says who is calling.
//!
//! State-changing forms carry the session's CSRF token and run the same operations as the XML
//! API, so the ledger is the same.

pub mod rebate;
pub mod views;

use crate::app::App;
use crate::cart;
use crate::clock::Date;
use crate::orders::{self, Ctx};
use crate::rules::{self, ApiError, Payment};
use crate::sessions::{self, Session};
use crate::statements;
use crate::store::{self, Order, OrderFilter, Status};
use crate::web::{Request, Response};
use views::{ConfirmDetails, Deadline};

/// Orders whose activation deadline is this close are highlighted and can be filtered.
const EXPIRING_DAYS: i64 = 14;

/// No scripts at all, styles only from the page itself, forms only to the sandbox, never
/// framed: a defence in depth behind the escaping.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn handle(app: &App, req: &Request) -> Response {
    route(app, req)
        .with_header("Content-Security-Policy", CSP)
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("Referrer-Policy", "same-origin")
}

fn form_value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn html(app: &App, s: Option<&Session>, status: u16, title: &str, main: String) -> Response {
    let csrf = s.map(Session::csrf).unwrap_or_default();
    Response::html(
        status,
        views::page(&views::Page {
            title,
            header: s.map(|s| views::Header {
                merchant_name: &s.merchant.name,
                mid: s.merchant.mid,
                csrf: &csrf,
            }),
            today: app.clock.today(),
            main,
        }),
    )
}

fn login_page(app: &App, error: Option<&str>, status: u16) -> Response {
    html(app, None, status, "Login", views::login(error))
}

fn error_page(app: &App, s: Option<&Session>, message: &str, status: u16) -> Response {
    html(app, s, status, "Error", views::error(message))
}

fn login(app: &App, req: &Request) -> Response {
    let form = req.form();
    let mid = form_value(&form, "mid").and_then(|m| m.trim().parse::<i64>().ok());
    let key = form_value(&form, "key").unwrap_or_default();
    let Some(merchant) = mid.and_then(|mid| sessions::check_key(app, mid, key)) else {
        return login_page(app, Some("Merchant id or security key is wrong."), 401);
    };
    match sessions::start(app, merchant.mid) {
        Ok(cookie) => Response::redirect("/admin/orders").with_header("Set-Cookie", &cookie),
        Err(e) => error_page(app, None, &e.merchant_message, 500),
    }
}

// --- order list -----------------------------------------------------------------------------

fn order_list(app: &App, s: &Session, req: &Request) -> Response {
    let today = app.clock.today();
    let status_filter = req.query_param("status").unwrap_or_default();
    let expiring_only = req.query_param("expiring").is_some_and(|v| v == "1");
    let search = req.query_param("q").unwrap_or_default();
    let filter = OrderFilter {
        status: Status::parse(&status_filter),
        expiring_within_days: expiring_only.then_some(EXPIRING_DAYS),
        search: Some(search.clone()),
    };
    let list = match app
        .store
        .read(|conn| store::list_orders(conn, s.merchant.mid, &filter, today))
    {
        Ok(l) => l,
        Err(e) => return error_page(app, Some(s), &e.merchant_message, 500),
    };
    let rows = list
        .iter()
        .map(|o| {
            let status = o.status_on(today);
            let deadline = match status {
                Status::Activated => o.due_date.map_or(Deadline::None, Deadline::Due),
                Status::PendingCapture | Status::Preauthorized => {
                    let days_left = today.days_until(o.expires_on());
                    Deadline::ActivateBy {
                        date: o.expires_on(),
                        days_left,
                        urgent: days_left <= EXPIRING_DAYS,
                    }
                }
                Status::Expired => Deadline::ExpiredAfter(o.expires_on()),
                Status::Cancelled => Deadline::None,
            };
            views::OrderRow {
                id: o.id,
                reference: o.reference.clone(),
                customer: o.customer.display_name(),
                created: o.created_on(),
                status,
                total: o.cart.total_gross,
                currency: o.currency.clone(),
                deadline,
            }
        })
        .collect();
    let main = views::order_list(&views::OrderList {
        status_filter,
        expiring_only,
        expiring_days: EXPIRING_DAYS,
        search,
        rows,
    });
    html(app, Some(s), 200, "Orders", main)
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

fn order_detail(app: &App, s: &Session, order: &Order, notice: Option<(&str, &str)>) -> Response {
    let today = app.clock.today();
    let status = order.status_on(today);
    let (movements, warnings) = app
        .store
        .read(|conn| {
            Ok((
                store::movements_for_order(conn, order.id)?,
                store::warnings_for_order(conn, order.id)?,
            ))
        })
        .unwrap_or_default();
    let title = if order.reference.is_empty() {
        format!("#{}", order.id)
    } else {
        order.reference.clone()
    };
    let csrf = s.csrf();
    let main = views::order_detail(&views::OrderDetail {
        id: order.id,
        title: title.clone(),
        status,
        today,
        csrf: &csrf,
        notice,
        expires_on: order.expires_on(),
        expiring_days: EXPIRING_DAYS,
        facts: views::Facts {
            total: order.cart.total_gross,
            original_total: order.original_total,
            currency: order.currency.clone(),
            payment: order.payment.describe(),
            customer: format!(
                "{} · {} · {}",
                order.customer.display_name(),
                order.customer.email,
                order.customer.country
            ),
            created: order.created_on(),
            activate_by: matches!(
                status,
                Status::Preauthorized | Status::PendingCapture | Status::Expired
            )
            .then(|| order.expires_on()),
            activated: order.activated_at.map(Date::from_unix),
            term_days: order.term_days,
            delay_days: order.delay_days,
            due: order.due_date,
            bptid: order.bptid.clone(),
        },
        payment: match &order.payment {
            Payment::Invoice => views::PaymentFacts::Invoice(views::BankFacts {
                holder: crate::bank::ACCOUNT_HOLDER.to_string(),
                iban: order.bank.iban.clone(),
                bic: order.bank.bic.clone(),
                bank: order.bank.bank_name.clone(),
                reference: order.invoice_reference(),
            }),
            Payment::DirectDebit(account) => views::PaymentFacts::DirectDebit(views::DebitFacts {
                holder: account.holder.clone(),
                account_end: account.account_end(),
                bic: account.bank_code.clone(),
                reference: order.invoice_reference(),
            }),
        },
        cart: &order.cart,
        actions: views::Actions {
            activate: status == Status::Preauthorized,
            cancel: status != Status::Cancelled,
            partial: matches!(status, Status::Preauthorized | Status::Activated),
        },
        ledger: movements
            .into_iter()
            .map(|m| views::LedgerRow {
                at: m.at,
                kind: m.kind,
                amount: m.amount,
                total_after: m.total_after,
                currency: m.currency,
                detail: m.detail,
            })
            .collect(),
        warnings: warnings
            .into_iter()
            .map(|w| views::WarningRow {
                at: w.at,
                source: w.source,
                message: w.message,
            })
            .collect(),
    });
    html(app, Some(s), 200, &format!("Order {title}"), main)
}

/// The cart the partial-cancellation form asks for.
fn requested_cart(order: &Order, form: &[(String, String)]) -> Result<cart::Cart, String> {
    // By name once (the first of a name counts, as in `form_value`): a form
    // with a field per line of a big cart.
    let mut fields = std::collections::HashMap::new();
    for (k, v) in form {
        fields.entry(k.as_str()).or_insert(v.as_str());
    }
    let quantities = (0..order.cart.articles.len())
        .map(|i| fields.get(format!("qty_{i}").as_str()).copied())
        .collect();
    rebate::apply(
        &order.cart,
        &rebate::Adjustment {
            quantities,
            shipping: form_value(form, "shipping"),
            discount: form_value(form, "adjust"),
        },
    )
}

fn confirm_page(app: &App, s: &Session, confirm: &views::Confirm) -> Response {
    html(app, Some(s), 200, "Confirm", views::confirm(confirm))
}

/// The first POST of an action: the question, or why it cannot be asked.
fn ask(app: &App, s: &Session, order: &Order, action: &str, form: &[(String, String)]) -> Response {
    let today = app.clock.today();
    // A page opened before the order changed (another tab, the API): no
    // question whose "Yes" BillPay's rules refuse.
    if let Err(refused) = crate::orders::may(order, today, action) {
        return order_detail(app, s, order, Some(("err", &refused.merchant_message)));
    }
    let currency = order.currency.as_str();
    let total = views::money(order.cart.total_gross, currency);
    let confirm = |question: String, details: ConfirmDetails| {
        confirm_page(
            app,
            s,
            &views::Confirm {
                order_id: order.id,
                action,
                question,
                currency,
                details,
                form,
                expect_total: order.cart.total_gross,
                expect_status: order.status.as_str(),
            },
        )
    };
    match action {
        "activate" => match parse_delay(form) {
            Ok(delay) => confirm(
                format!("Activate order {} over {total}?", order.reference),
                ConfirmDetails::Activate {
                    today,
                    delay,
                    term: s.merchant.term_days,
                    due: rules::due_date(today, delay, s.merchant.term_days),
                },
            ),
            Err(msg) => order_detail(app, s, order, Some(("err", msg))),
        },
        "cancel" => confirm(
            format!("Cancel order {} completely ({total})?", order.reference),
            ConfirmDetails::Cancel,
        ),
        _ => match requested_cart(order, form) {
            // Nothing left (every article returned, or a discount of the whole amount):
            // that is a full cancel, and the question says so.
            Ok(cart) if leaves_nothing(&cart) => confirm(
                format!(
                    "Nothing would remain of order {}: cancel it completely ({total})?",
                    order.reference
                ),
                ConfirmDetails::Cancel,
            ),
            // Refuse up front what BillPay would refuse after "Yes" (a higher total, a raised
            // line): no confirmation for it.
            Ok(cart) => match cart::check_edit(&order.cart, &cart) {
                Err(refused) => {
                    order_detail(app, s, order, Some(("err", &refused.merchant_message)))
                }
                // The form sent back as it was shown: nothing to ask about.
                Ok(_) if cart.total_gross == order.cart.total_gross => {
                    let unchanged = format!(
                        "Nothing to change: order {} stays at {total}.",
                        order.reference
                    );
                    order_detail(app, s, order, Some(("err", &unchanged)))
                }
                Ok(_) => confirm(
                    format!(
                        "Reduce order {} from {total} to {}?",
                        order.reference,
                        views::money(cart.total_gross, currency)
                    ),
                    ConfirmDetails::Reduce {
                        credit: order.cart.total_gross - cart.total_gross,
                        cart: &cart,
                    },
                ),
            },
            Err(msg) => order_detail(app, s, order, Some(("err", &msg))),
        },
    }
}

/// An edit that leaves no article or nothing to pay: BillPay's rule makes it
/// a full cancel.
fn leaves_nothing(cart: &cart::Cart) -> bool {
    cart.articles.is_empty() || cart.total_gross == 0
}

fn parse_delay(form: &[(String, String)]) -> Result<i64, &'static str> {
    const BAD: &str = "Delay must be a whole number of days between 0 and 365.";
    match form_value(form, "delay").map(str::trim) {
        None | Some("") => Ok(0),
        Some(d) => d
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .ok_or(BAD),
    }
}

fn order_action(app: &App, s: &Session, req: &Request, id: i64, action: &str) -> Response {
    let form = req.form();
    if s.token.is_none() {
        return error_page(app, Some(s), "Log in with the form to change orders.", 403);
    }
    if !s.form_is_genuine(&form) {
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
    if form_value(&form, "confirm") != Some("yes") {
        return ask(app, s, &order, action, &form);
    }
    let expect_total = form_value(&form, "expect_total").and_then(|t| t.parse::<i64>().ok());
    let expect_status = form_value(&form, "expect_status").map(str::to_owned);
    let unchanged = |order: &store::Order| {
        expect_total == Some(order.cart.total_gross)
            && expect_status.as_deref() == Some(order.status.as_str())
    };
    if !unchanged(&order) {
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
    let currency = order.currency.clone();
    let requested = (action == "partial").then(|| requested_cart(&order, &form));
    let result = app.store.write(|conn| {
        let ctx = Ctx {
            merchant,
            now: app.clock.now(),
        };
        let Some(mut order) = store::order_by_id(conn, merchant.mid, id)? else {
            return Err(ApiError::invalid("no such order"));
        };
        // Again inside the write transaction: an API call may have come
        // between the check above and this one.
        if !unchanged(&order) {
            return Err(ApiError::invalid(
                "the order changed meanwhile; please review it and try again",
            ));
        }
        let total = order.cart.total_gross;
        match action {
            "activate" => {
                let delay = parse_delay(&form).map_err(ApiError::invalid)?;
                orders::activate(conn, &ctx, &mut order, total, &currency, delay)
                    .map(|_| "activated")
            }
            "cancel" => {
                orders::cancel(conn, &ctx, &mut order, total, &currency).map(|_| "cancelled")
            }
            _ => {
                let cart = match requested {
                    Some(Ok(c)) => c,
                    Some(Err(m)) => return Err(ApiError::invalid(m)),
                    None => return Err(ApiError::invalid("nothing to do")),
                };
                if leaves_nothing(&cart) {
                    return orders::cancel(conn, &ctx, &mut order, total, &currency)
                        .map(|_| "cancelled");
                }
                orders::replace_cart(
                    conn,
                    &ctx,
                    &mut order,
                    cart,
                    "back-office partial cancellation",
                )
                .map(|edit| if edit.changed { "reduced" } else { "unchanged" })
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

/// How many weeks the statement page links to.
const LISTED_WEEKS: usize = 26;

fn statement_page(app: &App, s: &Session, req: &Request) -> Response {
    let today = app.clock.today();
    // A week that does not exist (2025-W53) is said to be one, as the
    // downloads say it, rather than answered with another week's figures.
    let monday = match req.query_param("week") {
        Some(w) => match statements::parse_week(&w) {
            Some(monday) => monday,
            None => return error_page(app, Some(s), "week must be YYYY-Www or YYYY-MM-DD", 400),
        },
        None => today.monday_of_week(),
    };
    let mid = s.merchant.mid;
    let built = app.store.read(|conn| {
        let st = statements::build(conn, mid, monday)?;
        let weeks = statements::weeks_with_lines(conn, mid, LISTED_WEEKS)?;
        Ok((st, weeks))
    });
    let (st, weeks) = match built {
        Ok(v) => v,
        Err(e) => return error_page(app, Some(s), &e.merchant_message, 500),
    };
    let weeks = weeks
        .into_iter()
        .map(|week| (statements::week_label(week), week == monday))
        .collect();
    let label = statements::week_label(monday);
    let main = views::statement(&views::StatementPage {
        label: label.clone(),
        previous: statements::week_label(monday.add_days(-7)),
        next: statements::week_label(monday.add_days(7)),
        monday,
        sunday: st.sunday(),
        payout_date: st.payout_date(),
        weeks,
        totals: st
            .totals
            .iter()
            .map(|(currency, t)| views::StatementTotals {
                currency: currency.clone(),
                receivables: t.receivables,
                fees: t.fees,
                partial_credits: t.partial_credits,
                cancellations: t.cancellations,
                payout: t.payout(),
            })
            .collect(),
        lines: st
            .lines
            .iter()
            .map(|l| views::StatementLine {
                at: l.at,
                description: l.description.to_string(),
                invoice_reference: l.invoice_reference.clone(),
                amount: l.amount,
                currency: l.currency.clone(),
            })
            .collect(),
    });
    html(app, Some(s), 200, &format!("Statement {label}"), main)
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

/// Only known codes: a crafted link cannot put text on the page.
fn done_notice(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "activated" => Some("Order activated."),
        "cancelled" => Some("Order cancelled."),
        "reduced" => Some("Partial cancellation booked."),
        "unchanged" => Some("Nothing changed."),
        _ => None,
    }
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
    let Some(s) = sessions::current(app, req) else {
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
        let cookie = if s.form_is_genuine(&req.form()) {
            sessions::end(app, &s)
        } else {
            sessions::removal_cookie()
        };
        return Response::redirect("/admin").with_header("Set-Cookie", &cookie);
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
                            let done = done_notice(req.query_param("done").as_deref());
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
