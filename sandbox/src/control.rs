//! Test-only JSON endpoints under /control, mounted only with `--enable-control`: set the
//! clock, arm faults, read orders and their ledger, fetch statements, log in by URL (for
//! screenshots and browser tests).

use crate::app::App;
use crate::clock;
use crate::rules::ApiError;
use crate::statements;
use crate::store::{self, OrderFilter};
use crate::web::{Request, Response};
use serde_json::{json, Value};

fn error(status: u16, message: &str) -> Response {
    Response::json(status, &json!({ "error": message }))
}

fn api_error(e: ApiError) -> Response {
    error(500, &e.merchant_message)
}

fn body_json(req: &Request) -> Result<Value, Response> {
    if req.body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(&req.body).map_err(|e| error(400, &format!("body is not JSON: {e}")))
}

fn clock_state(app: &App) -> Value {
    json!({
        "now": clock::format_instant(app.clock.now()),
        "today": app.clock.today().to_string(),
    })
}

/// The merchant a query is about: `mid=`, else the first configured merchant.
fn merchant_id(app: &App, req: &Request) -> Result<i64, Response> {
    match req.query_param("mid") {
        Some(m) => {
            let mid: i64 = m.parse().map_err(|_| error(400, "mid must be a number"))?;
            if app.merchants.iter().any(|x| x.mid == mid) {
                Ok(mid)
            } else {
                Err(error(404, &format!("unknown merchant {mid}")))
            }
        }
        None => app
            .merchants
            .first()
            .map(|m| m.mid)
            .ok_or_else(|| error(500, "no merchant configured")),
    }
}

fn in_range(t: i64) -> bool {
    // 1970-01-01 .. 9999-12-31: what the date formats can express.
    (0..=253_402_300_799).contains(&t)
}

fn set_clock(app: &App, body: &Value) -> Response {
    if let Some(now) = body.get("now").and_then(Value::as_str) {
        match clock::parse_instant(now) {
            Some(t) => app.clock.set(t),
            None => return error(400, "\"now\" must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"),
        }
    } else if let Some(days) = body.get("advanceDays").and_then(Value::as_i64) {
        match days
            .checked_mul(86_400)
            .and_then(|s| app.clock.now().checked_add(s))
        {
            Some(t) if in_range(t) => app.clock.set(t),
            _ => return error(400, "the clock must stay within the years 1970..9999"),
        }
    } else if let Some(secs) = body.get("advanceSeconds").and_then(Value::as_i64) {
        match app.clock.now().checked_add(secs) {
            Some(t) if in_range(t) => app.clock.set(t),
            _ => return error(400, "the clock must stay within the years 1970..9999"),
        }
    } else {
        return error(
            400,
            "send {\"now\": \"YYYY-MM-DD\"}, {\"advanceDays\": N} or {\"advanceSeconds\": N}",
        );
    }
    Response::json(200, &clock_state(app))
}

fn order(app: &App, req: &Request) -> Response {
    let mid = match merchant_id(app, req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let today = app.clock.today();
    let found = app.store.read(|conn| {
        let order = if let Some(r) = req.query_param("reference") {
            store::order_by_reference(conn, mid, &r)?
        } else if let Some(b) = req.query_param("bptid") {
            store::order_by_bptid(conn, mid, &b)?
        } else if let Some(id) = req.query_param("id").and_then(|i| i.parse().ok()) {
            store::order_by_id(conn, mid, id)?
        } else {
            None
        };
        match order {
            Some(o) => {
                let movements = store::movements_for_order(conn, o.id)?;
                let warnings = store::warnings_for_order(conn, o.id)?;
                Ok(Some((o, movements, warnings)))
            }
            None => Ok(None),
        }
    });
    match found {
        Ok(Some((o, movements, warnings))) => Response::json(
            200,
            &json!({
                "order": o.to_json(today),
                "movements": movements.iter().map(|m| m.to_json()).collect::<Vec<_>>(),
                "warnings": warnings.iter().map(|w| w.to_json()).collect::<Vec<_>>(),
            }),
        ),
        Ok(None) => error(
            404,
            "no such order (give reference=, bptid= or id=, and mid=)",
        ),
        Err(e) => api_error(e),
    }
}

fn orders(app: &App, req: &Request) -> Response {
    let mid = match merchant_id(app, req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let today = app.clock.today();
    match app
        .store
        .read(|conn| store::list_orders(conn, mid, &OrderFilter::default(), today))
    {
        Ok(list) => Response::json(
            200,
            &json!({ "orders": list.iter().map(|o| o.to_json(today)).collect::<Vec<_>>() }),
        ),
        Err(e) => api_error(e),
    }
}

fn ledger(app: &App, req: &Request) -> Response {
    let mid = match merchant_id(app, req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    match app
        .store
        .read(|conn| store::movements_between(conn, mid, i64::MIN, i64::MAX))
    {
        Ok(list) => Response::json(
            200,
            &json!({ "movements": list.iter().map(|m| m.to_json()).collect::<Vec<_>>() }),
        ),
        Err(e) => api_error(e),
    }
}

fn statement(app: &App, req: &Request) -> Response {
    let mid = match merchant_id(app, req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let monday = match req.query_param("week") {
        Some(w) => match statements::parse_week(&w) {
            Some(m) => m,
            None => return error(400, "week must be YYYY-Www or a date YYYY-MM-DD"),
        },
        None => app.clock.today().monday_of_week(),
    };
    match app.store.read(|conn| statements::build(conn, mid, monday)) {
        Ok(s) if req.query_param("format").as_deref() == Some("csv") => {
            Response::new(200, "text/csv; charset=UTF-8", s.to_csv())
        }
        Ok(s) => Response::json(200, &s.to_json()),
        Err(e) => api_error(e),
    }
}

/// Logs in without the key and redirects into the back-office. Test-only by construction:
/// this module is mounted only with `--enable-control`.
fn login(app: &App, req: &Request) -> Response {
    let mid = match merchant_id(app, req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let next = req
        .query_param("next")
        .filter(|n| n.starts_with("/admin") && !n.contains("//"))
        .unwrap_or_else(|| "/admin/orders".to_string());
    match crate::sessions::start(app, mid) {
        Ok(cookie) => Response::redirect(&next).with_header("Set-Cookie", &cookie),
        Err(e) => api_error(e),
    }
}

pub fn handle(app: &App, req: &Request) -> Response {
    let get = req.method == "GET";
    let post = req.method == "POST";
    match req.path.as_str() {
        "/control/clock" if get => Response::json(200, &clock_state(app)),
        "/control/clock" if post => match body_json(req) {
            Ok(b) => set_clock(app, &b),
            Err(r) => r,
        },
        "/control/faults" if get => Response::json(200, &app.faults.state()),
        "/control/faults" if post => match body_json(req) {
            Ok(b) => match app.faults.arm(&b) {
                Ok(state) => Response::json(200, &state),
                Err(msg) => error(400, &msg),
            },
            Err(r) => r,
        },
        "/control/faults" if req.method == "DELETE" => {
            let _ = app.faults.arm(&json!({"mode": "none"}));
            Response::json(200, &app.faults.state())
        }
        "/control/order" if get => order(app, req),
        "/control/orders" if get => orders(app, req),
        "/control/ledger" if get => ledger(app, req),
        "/control/statement" if get => statement(app, req),
        "/control/login" if get => login(app, req),
        "/control/clock" | "/control/faults" | "/control/order" | "/control/orders"
        | "/control/ledger" | "/control/statement" | "/control/login" => {
            error(405, "method not allowed")
        }
        _ => error(404, "unknown control endpoint"),
    }
}
