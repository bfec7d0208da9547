//! SQLite persistence: orders, the append-only ledger of movements, back-office sessions.
//!
//! One connection behind a mutex: every request runs its whole read-check-write sequence in
//! one `BEGIN IMMEDIATE` transaction while holding it, so concurrent requests on one order
//! serialize and each sees the other's committed result. A failed check rolls back, so an
//! error never leaves a partial change.

use crate::bank::BankAccount;
use crate::cart::{Cart, TotalConvention};
use crate::clock::Date;
use crate::rules::{self, ApiError, DebitAccount, Payment};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde_json::{json, Value};
use std::sync::{Mutex, MutexGuard};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Approved by preauthorize; the shop still has to send `capture`.
    PendingCapture,
    /// Captured (or auto-captured): BillPay knows the order, awaiting activation.
    Preauthorized,
    Activated,
    Cancelled,
    /// Not stored: a pending or preauthorized order past its activation deadline.
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::PendingCapture => "pending_capture",
            Status::Preauthorized => "preauthorized",
            Status::Activated => "activated",
            Status::Cancelled => "cancelled",
            Status::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "pending_capture" => Status::PendingCapture,
            "preauthorized" => Status::Preauthorized,
            "activated" => Status::Activated,
            "cancelled" => Status::Cancelled,
            "expired" => Status::Expired,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Customer {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    /// A business's company name (`company_details`), empty for a private customer.
    pub company: String,
}

impl Customer {
    /// As the back-office lists the customer: the company after the person.
    pub fn display_name(&self) -> String {
        if self.company.is_empty() {
            format!("{} {}", self.first_name, self.last_name)
        } else {
            format!("{} {} ({})", self.first_name, self.last_name, self.company)
        }
    }
}

#[derive(Clone, Debug)]
pub struct Order {
    pub id: i64,
    pub mid: i64,
    pub pid: i64,
    pub bptid: String,
    pub reference: String,
    pub status: Status,
    pub currency: String,
    pub customer: Customer,
    pub payment: Payment,
    /// How this order's client sends totals; capture, invoiceCreated and cancel accept the
    /// order's total in it (see `cart::TotalConvention`).
    pub convention: TotalConvention,
    pub cart: Cart,
    pub original_total: i64,
    pub bank: BankAccount,
    pub term_days: i64,
    pub created_at: i64,
    pub captured_at: Option<i64>,
    pub activated_at: Option<i64>,
    pub delay_days: Option<i64>,
    pub due_date: Option<Date>,
    pub cancelled_at: Option<i64>,
}

impl Order {
    pub fn created_on(&self) -> Date {
        Date::from_unix(self.created_at)
    }

    pub fn expires_on(&self) -> Date {
        rules::expires_on(self.created_on())
    }

    /// The stored status, with expiry applied for the given day.
    pub fn status_on(&self, today: Date) -> Status {
        match self.status {
            Status::PendingCapture | Status::Preauthorized if today > self.expires_on() => {
                Status::Expired
            }
            s => s,
        }
    }

    pub fn invoice_reference(&self) -> String {
        rules::invoice_reference(&self.reference, self.mid)
    }

    pub fn to_json(&self, today: Date) -> Value {
        json!({
            "id": self.id,
            "mid": self.mid,
            "pid": self.pid,
            "bptid": self.bptid,
            "reference": self.reference,
            "status": self.status_on(today).as_str(),
            "storedStatus": self.status.as_str(),
            "currency": self.currency,
            "customer": {
                "firstName": self.customer.first_name,
                "lastName": self.customer.last_name,
                "email": self.customer.email,
                "country": self.customer.country,
                "company": self.customer.company,
            },
            "paymentType": self.payment.as_str(),
            "debitAccount": match &self.payment {
                Payment::DirectDebit(account) => json!({
                    "accountHolder": account.holder,
                    "accountNumber": account.account,
                    "sortCode": account.bank_code,
                }),
                Payment::Invoice => Value::Null,
            },
            "totalConvention": self.convention.as_str(),
            "cart": self.cart.to_json(),
            "totalGross": self.cart.total_gross,
            "originalTotalGross": self.original_total,
            "bankAccount": {
                "accountHolder": crate::bank::ACCOUNT_HOLDER,
                "iban": self.bank.iban,
                "bic": self.bank.bic,
                "bankName": self.bank.bank_name,
                "invoiceReference": self.invoice_reference(),
            },
            "termDays": self.term_days,
            "createdAt": crate::clock::format_instant(self.created_at),
            "createdOn": self.created_on().to_string(),
            "expiresOn": self.expires_on().to_string(),
            "capturedAt": self.captured_at.map(crate::clock::format_instant),
            "activatedAt": self.activated_at.map(crate::clock::format_instant),
            "activatedOn": self.activated_at.map(|t| Date::from_unix(t).to_string()),
            "delayDays": self.delay_days,
            "dueDate": self.due_date.map(|d| d.to_string()),
            "cancelledAt": self.cancelled_at.map(crate::clock::format_instant),
        })
    }
}

/// Something a request sent that was accepted but does not add up (net amounts); shown in
/// the back-office next to the order.
#[derive(Clone, Debug)]
pub struct Warning {
    pub at: i64,
    /// The service or back-office action that sent it.
    pub source: String,
    pub message: String,
}

impl Warning {
    pub fn to_json(&self) -> Value {
        json!({
            "at": crate::clock::format_instant(self.at),
            "source": self.source,
            "message": self.message,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Movement {
    pub id: i64,
    pub order_id: i64,
    pub mid: i64,
    pub at: i64,
    /// preauthorized, captured, reference_updated, activated, fee, cart_reduced, cancelled
    pub kind: String,
    /// Money booked for the merchant's statement, signed cents (0 for pure state changes).
    pub amount: i64,
    pub total_after: i64,
    pub currency: String,
    pub status_after: String,
    pub reference: String,
    pub bptid: String,
    pub detail: String,
}

impl Movement {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "orderId": self.order_id,
            "mid": self.mid,
            "at": crate::clock::format_instant(self.at),
            "kind": self.kind,
            "amount": self.amount,
            "totalAfter": self.total_after,
            "currency": self.currency,
            "statusAfter": self.status_after,
            "reference": self.reference,
            "bptid": self.bptid,
            "detail": self.detail,
        })
    }
}

pub struct Store {
    conn: Mutex<Connection>,
}

fn db_err(e: rusqlite::Error) -> ApiError {
    ApiError::internal(e)
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    mid INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    bptid TEXT NOT NULL UNIQUE,
    reference TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    country TEXT NOT NULL,
    cart_json TEXT NOT NULL,
    total_gross INTEGER NOT NULL,
    original_total INTEGER NOT NULL,
    iban TEXT UNIQUE,
    bic TEXT NOT NULL DEFAULT '',
    bank_name TEXT NOT NULL DEFAULT '',
    term_days INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    captured_at INTEGER,
    activated_at INTEGER,
    delay_days INTEGER,
    due_date TEXT,
    cancelled_at INTEGER,
    payment_type INTEGER NOT NULL DEFAULT 1,
    debit_holder TEXT NOT NULL DEFAULT '',
    debit_account TEXT NOT NULL DEFAULT '',
    debit_bank_code TEXT NOT NULL DEFAULT '',
    total_convention TEXT NOT NULL DEFAULT 'after_rebate'
);
CREATE UNIQUE INDEX IF NOT EXISTS orders_reference ON orders(mid, reference) WHERE reference <> '';
CREATE INDEX IF NOT EXISTS orders_mid ON orders(mid, created_at);
CREATE TABLE IF NOT EXISTS movements (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    mid INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    amount INTEGER NOT NULL,
    total_after INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status_after TEXT NOT NULL,
    reference TEXT NOT NULL,
    bptid TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS movements_mid_at ON movements(mid, at);
CREATE INDEX IF NOT EXISTS movements_order ON movements(order_id);
CREATE TABLE IF NOT EXISTS warnings (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    mid INTEGER NOT NULL,
    at INTEGER NOT NULL,
    source TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS warnings_order ON warnings(order_id);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    mid INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
";

/// Columns added after the first release, with their definitions: an older database file gets
/// them on open (old orders are invoices in the after-rebate convention).
const ADDED_ORDER_COLUMNS: [(&str, &str); 6] = [
    ("payment_type", "INTEGER NOT NULL DEFAULT 1"),
    ("debit_holder", "TEXT NOT NULL DEFAULT ''"),
    ("debit_account", "TEXT NOT NULL DEFAULT ''"),
    ("debit_bank_code", "TEXT NOT NULL DEFAULT ''"),
    ("total_convention", "TEXT NOT NULL DEFAULT 'after_rebate'"),
    ("company", "TEXT NOT NULL DEFAULT ''"),
];

const ORDER_COLUMNS: &str =
    "id, mid, pid, bptid, reference, status, currency, first_name, last_name, \
     email, country, cart_json, total_gross, original_total, iban, bic, bank_name, term_days, \
     created_at, captured_at, activated_at, delay_days, due_date, cancelled_at, \
     payment_type, debit_holder, debit_account, debit_bank_code, total_convention, company";

fn order_from_row(row: &Row) -> rusqlite::Result<Order> {
    let status: String = row.get(5)?;
    let cart_json: String = row.get(11)?;
    let cart = serde_json::from_str::<Value>(&cart_json)
        .ok()
        .and_then(|v| Cart::from_json(&v))
        .ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                11,
                rusqlite::types::Type::Text,
                "corrupt cart_json".into(),
            )
        })?;
    let due: Option<String> = row.get(22)?;
    let payment = match row.get::<_, i64>(24)? {
        2 => Payment::DirectDebit(DebitAccount {
            holder: row.get(25)?,
            account: row.get(26)?,
            bank_code: row.get(27)?,
        }),
        _ => Payment::Invoice,
    };
    let convention: String = row.get(28)?;
    Ok(Order {
        id: row.get(0)?,
        mid: row.get(1)?,
        pid: row.get(2)?,
        bptid: row.get(3)?,
        reference: row.get(4)?,
        status: Status::parse(&status).unwrap_or(Status::Cancelled),
        currency: row.get(6)?,
        customer: Customer {
            first_name: row.get(7)?,
            last_name: row.get(8)?,
            email: row.get(9)?,
            country: row.get(10)?,
            company: row.get(29)?,
        },
        payment,
        convention: TotalConvention::parse(&convention),
        cart,
        original_total: row.get(13)?,
        bank: BankAccount {
            iban: row.get::<_, Option<String>>(14)?.unwrap_or_default(),
            bic: row.get(15)?,
            bank_name: row.get(16)?,
        },
        term_days: row.get(17)?,
        created_at: row.get(18)?,
        captured_at: row.get(19)?,
        activated_at: row.get(20)?,
        delay_days: row.get(21)?,
        due_date: due.as_deref().and_then(Date::parse),
        cancelled_at: row.get(23)?,
    })
}

fn movement_from_row(row: &Row) -> rusqlite::Result<Movement> {
    Ok(Movement {
        id: row.get(0)?,
        order_id: row.get(1)?,
        mid: row.get(2)?,
        at: row.get(3)?,
        kind: row.get(4)?,
        amount: row.get(5)?,
        total_after: row.get(6)?,
        currency: row.get(7)?,
        status_after: row.get(8)?,
        reference: row.get(9)?,
        bptid: row.get(10)?,
        detail: row.get(11)?,
    })
}

const MOVEMENT_COLUMNS: &str = "id, order_id, mid, at, kind, amount, total_after, currency, \
     status_after, reference, bptid, detail";

/// Filters for the back-office order list.
#[derive(Default)]
pub struct OrderFilter {
    pub status: Option<Status>,
    pub expiring_within_days: Option<i64>,
    pub search: Option<String>,
}

impl Store {
    pub fn open(path: &str) -> Result<Store, String> {
        let conn = Connection::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| e.to_string())?;
        // WAL + FULL sync: a committed change survives a killed process (and a power cut).
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        )
        .map_err(|e| format!("cannot configure {path}: {e}"))?;
        conn.execute_batch(SCHEMA)
            .map_err(|e| format!("cannot create the schema in {path}: {e}"))?;
        add_missing_columns(&conn)
            .map_err(|e| format!("cannot update the schema in {path}: {e}"))?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panicking request thread cannot leave a half-done transaction behind (it is rolled
        // back on drop), so a poisoned lock is safe to reuse.
        match self.conn.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Runs `f` in one immediate transaction: committed on Ok, rolled back on Err.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut guard = self.lock();
        let tx = guard
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err)?;
        let value = f(&tx)?;
        tx.commit().map_err(db_err)?;
        Ok(value)
    }

    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let guard = self.lock();
        f(&guard)
    }
}

fn add_missing_columns(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('orders')")?;
    let present = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (name, definition) in ADDED_ORDER_COLUMNS {
        if !present.iter().any(|p| p == name) {
            conn.execute_batch(&format!(
                "ALTER TABLE orders ADD COLUMN {name} {definition}"
            ))?;
        }
    }
    Ok(())
}

pub fn order_by_reference(
    conn: &Connection,
    mid: i64,
    reference: &str,
) -> Result<Option<Order>, ApiError> {
    conn.query_row(
        &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE mid = ?1 AND reference = ?2 AND reference <> ''"),
        params![mid, reference],
        order_from_row,
    )
    .optional()
    .map_err(db_err)
}

pub fn order_by_bptid(conn: &Connection, mid: i64, bptid: &str) -> Result<Option<Order>, ApiError> {
    conn.query_row(
        &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE mid = ?1 AND bptid = ?2"),
        params![mid, bptid],
        order_from_row,
    )
    .optional()
    .map_err(db_err)
}

pub fn order_by_id(conn: &Connection, mid: i64, id: i64) -> Result<Option<Order>, ApiError> {
    conn.query_row(
        &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE mid = ?1 AND id = ?2"),
        params![mid, id],
        order_from_row,
    )
    .optional()
    .map_err(db_err)
}

fn cart_text(cart: &Cart) -> String {
    cart.to_json().to_string()
}

/// Inserts a new order and assigns its bank account from the row id (unique by construction).
pub fn insert_order(conn: &Connection, order: &mut Order) -> Result<(), ApiError> {
    let debit = match &order.payment {
        Payment::DirectDebit(account) => Some(account),
        Payment::Invoice => None,
    };
    conn.execute(
        "INSERT INTO orders (mid, pid, bptid, reference, status, currency, first_name, last_name, \
         email, country, cart_json, total_gross, original_total, term_days, created_at, captured_at, \
         payment_type, debit_holder, debit_account, debit_bank_code, total_convention, company) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        params![
            order.mid,
            order.pid,
            order.bptid,
            order.reference,
            order.status.as_str(),
            order.currency,
            order.customer.first_name,
            order.customer.last_name,
            order.customer.email,
            order.customer.country,
            cart_text(&order.cart),
            order.cart.total_gross,
            order.original_total,
            order.term_days,
            order.created_at,
            order.captured_at,
            order.payment.method().code(),
            debit.map(|d| d.holder.as_str()).unwrap_or(""),
            debit.map(|d| d.account.as_str()).unwrap_or(""),
            debit.map(|d| d.bank_code.as_str()).unwrap_or(""),
            order.convention.as_str(),
            order.customer.company,
        ],
    )
    .map_err(db_err)?;
    order.id = conn.last_insert_rowid();
    order.bank = crate::bank::account_for(order.id, &order.currency);
    conn.execute(
        "UPDATE orders SET iban = ?1, bic = ?2, bank_name = ?3 WHERE id = ?4",
        params![
            order.bank.iban,
            order.bank.bic,
            order.bank.bank_name,
            order.id
        ],
    )
    .map_err(db_err)?;
    Ok(())
}

pub fn update_order(conn: &Connection, order: &Order) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE orders SET reference = ?1, status = ?2, cart_json = ?3, total_gross = ?4, \
         captured_at = ?5, activated_at = ?6, delay_days = ?7, due_date = ?8, cancelled_at = ?9, \
         term_days = ?10 WHERE id = ?11",
        params![
            order.reference,
            order.status.as_str(),
            cart_text(&order.cart),
            order.cart.total_gross,
            order.captured_at,
            order.activated_at,
            order.delay_days,
            order.due_date.map(|d| d.to_string()),
            order.cancelled_at,
            order.term_days,
            order.id,
        ],
    )
    .map_err(db_err)?;
    Ok(())
}

pub fn reference_taken(
    conn: &Connection,
    mid: i64,
    reference: &str,
    except_id: i64,
) -> Result<bool, ApiError> {
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM orders WHERE mid = ?1 AND reference = ?2 AND id <> ?3",
            params![mid, reference, except_id],
            |r| r.get(0),
        )
        .map_err(db_err)?;
    Ok(n > 0)
}

/// Appends one ledger movement for `order` in its current state.
pub fn append_movement(
    conn: &Connection,
    order: &Order,
    at: i64,
    kind: &str,
    amount: i64,
    detail: &str,
) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO movements (order_id, mid, at, kind, amount, total_after, currency, status_after, \
         reference, bptid, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            order.id,
            order.mid,
            at,
            kind,
            amount,
            order.cart.total_gross,
            order.currency,
            order.status.as_str(),
            order.reference,
            order.bptid,
            detail,
        ],
    )
    .map_err(db_err)?;
    Ok(())
}

pub fn add_warning(
    conn: &Connection,
    order: &Order,
    at: i64,
    source: &str,
    message: &str,
) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO warnings (order_id, mid, at, source, message) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![order.id, order.mid, at, source, message],
    )
    .map_err(db_err)?;
    Ok(())
}

pub fn warnings_for_order(conn: &Connection, order_id: i64) -> Result<Vec<Warning>, ApiError> {
    let mut stmt = conn
        .prepare("SELECT at, source, message FROM warnings WHERE order_id = ?1 ORDER BY id")
        .map_err(db_err)?;
    let rows = stmt
        .query_map(params![order_id], |r| {
            Ok(Warning {
                at: r.get(0)?,
                source: r.get(1)?,
                message: r.get(2)?,
            })
        })
        .map_err(db_err)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
}

pub fn movements_for_order(conn: &Connection, order_id: i64) -> Result<Vec<Movement>, ApiError> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {MOVEMENT_COLUMNS} FROM movements WHERE order_id = ?1 ORDER BY id"
        ))
        .map_err(db_err)?;
    let rows = stmt
        .query_map(params![order_id], movement_from_row)
        .map_err(db_err)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
}

/// Movements of one merchant with `from <= at < to`, in booking order.
pub fn movements_between(
    conn: &Connection,
    mid: i64,
    from: i64,
    to: i64,
) -> Result<Vec<Movement>, ApiError> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {MOVEMENT_COLUMNS} FROM movements WHERE mid = ?1 AND at >= ?2 AND at < ?3 ORDER BY at, id"
        ))
        .map_err(db_err)?;
    let rows = stmt
        .query_map(params![mid, from, to], movement_from_row)
        .map_err(db_err)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
}

pub fn list_orders(
    conn: &Connection,
    mid: i64,
    filter: &OrderFilter,
    today: Date,
) -> Result<Vec<Order>, ApiError> {
    // The filters read the order as of `today` (expiry), so they run here,
    // over every order: a limit in the query would hide the oldest orders,
    // the ones nearest their deadline. The list shows the newest matches.
    const SHOWN: usize = 5000;
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE mid = ?1 ORDER BY id DESC"
        ))
        .map_err(db_err)?;
    let rows = stmt
        .query_map(params![mid], order_from_row)
        .map_err(db_err)?;
    let mut out = Vec::new();
    for row in rows {
        let order = row.map_err(db_err)?;
        let status = order.status_on(today);
        if let Some(want) = filter.status {
            if status != want {
                continue;
            }
        }
        if let Some(days) = filter.expiring_within_days {
            let open = matches!(status, Status::PendingCapture | Status::Preauthorized);
            if !open || today.days_until(order.expires_on()) > days {
                continue;
            }
        }
        if let Some(q) = filter.search.as_deref().filter(|q| !q.is_empty()) {
            let q = q.to_lowercase();
            // The BP reference too: what a customer quotes, and a merchant
            // looks up when a payment or a question comes in.
            let hay = format!(
                "{} {} {} {} {} {} {}",
                order.reference,
                order.invoice_reference(),
                order.bptid,
                order.customer.first_name,
                order.customer.last_name,
                order.customer.email,
                order.customer.company
            )
            .to_lowercase();
            if !hay.contains(&q) {
                continue;
            }
        }
        out.push(order);
        if out.len() == SHOWN {
            break;
        }
    }
    Ok(out)
}

pub fn create_session(conn: &Connection, token: &str, mid: i64, now: i64) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO sessions (token, mid, created_at) VALUES (?1, ?2, ?3)",
        params![token, mid, now],
    )
    .map_err(db_err)?;
    Ok(())
}

pub fn session_mid(conn: &Connection, token: &str) -> Result<Option<i64>, ApiError> {
    conn.query_row(
        "SELECT mid FROM sessions WHERE token = ?1",
        params![token],
        |r| r.get(0),
    )
    .optional()
    .map_err(db_err)
}

pub fn delete_session(conn: &Connection, token: &str) -> Result<(), ApiError> {
    conn.execute("DELETE FROM sessions WHERE token = ?1", params![token])
        .map_err(db_err)?;
    Ok(())
}
