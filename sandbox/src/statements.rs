//! Weekly statements: the money movements of one merchant in one ISO calendar week
//! (Monday 00:00 to Monday 00:00, UTC, sandbox clock), as BillPay sent them to merchants.
//!
//! The statement is the merchant's account at BillPay. A receivable bought at activation is
//! credited, BillPay's fee, partial credits and cancellations of activated orders are debited,
//! and the week's balance per currency is paid out (a negative balance is collected), so the
//! lines of each currency, payout included, sum to zero.

use crate::clock::{self, Date};
use crate::rules::ApiError;
use crate::store::{self, Movement};
use crate::util;
use rusqlite::Connection;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub struct Line {
    pub at: i64,
    pub kind: &'static str,
    pub description: &'static str,
    pub reference: String,
    pub invoice_reference: String,
    pub bptid: String,
    pub currency: String,
    pub amount: i64,
    pub detail: String,
}

#[derive(Default, Clone, Copy)]
pub struct Totals {
    pub receivables: i64,
    pub fees: i64,
    pub partial_credits: i64,
    pub cancellations: i64,
}

impl Totals {
    /// What BillPay transfers to the merchant for the week (negative: collects).
    pub fn payout(&self) -> i64 {
        self.receivables + self.fees + self.partial_credits + self.cancellations
    }
}

pub struct Statement {
    pub mid: i64,
    pub monday: Date,
    pub lines: Vec<Line>,
    pub totals: BTreeMap<String, Totals>,
}

pub fn week_label(monday: Date) -> String {
    let (y, w) = monday.iso_week();
    format!("{y}-W{w:02}")
}

/// `YYYY-Www` or any date `YYYY-MM-DD` inside the week; gives the week's Monday.
pub fn parse_week(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some((y, w)) = t.split_once("-W") {
        let year: i64 = y.parse().ok()?;
        let week: u32 = w.parse().ok()?;
        return Date::from_iso_week(year, week);
    }
    Date::parse(t).map(Date::monday_of_week)
}

fn classify(m: &Movement) -> Option<(&'static str, &'static str)> {
    match m.kind.as_str() {
        "activated" => Some(("receivable", "Receivable bought at activation")),
        "fee" => Some(("fee", "BillPay fee")),
        "cart_reduced" if m.amount != 0 => Some(("partial_credit", "Partial credit (debit)")),
        "cancelled" if m.amount != 0 => Some(("cancellation", "Cancellation (debit)")),
        _ => None,
    }
}

/// The Mondays of the weeks whose statements have lines, newest first, at
/// most `limit` (a preauthorization alone books nothing).
pub fn weeks_with_lines(conn: &Connection, mid: i64, limit: usize) -> Result<Vec<Date>, ApiError> {
    let mut weeks: Vec<Date> = store::movements_between(conn, mid, i64::MIN, i64::MAX)?
        .iter()
        .filter(|m| classify(m).is_some())
        .map(|m| Date::from_unix(m.at).monday_of_week())
        .collect();
    weeks.sort_unstable_by(|a, b| b.cmp(a));
    weeks.dedup();
    weeks.truncate(limit);
    Ok(weeks)
}

pub fn build(conn: &Connection, mid: i64, monday: Date) -> Result<Statement, ApiError> {
    let from = monday.unix_midnight();
    let to = monday.add_days(7).unix_midnight();
    let movements = store::movements_between(conn, mid, from, to)?;
    let mut lines = Vec::new();
    let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
    for m in movements {
        let Some((kind, description)) = classify(&m) else {
            continue;
        };
        let t = totals.entry(m.currency.clone()).or_default();
        match kind {
            "receivable" => t.receivables += m.amount,
            "fee" => t.fees += m.amount,
            "partial_credit" => t.partial_credits += m.amount,
            _ => t.cancellations += m.amount,
        }
        lines.push(Line {
            at: m.at,
            kind,
            description,
            invoice_reference: crate::rules::invoice_reference(&m.reference, mid),
            reference: m.reference,
            bptid: m.bptid,
            currency: m.currency,
            amount: m.amount,
            detail: m.detail,
        });
    }
    Ok(Statement {
        mid,
        monday,
        lines,
        totals,
    })
}

impl Statement {
    pub fn sunday(&self) -> Date {
        self.monday.add_days(6)
    }

    pub fn payout_date(&self) -> Date {
        self.monday.add_days(7)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "merchantId": self.mid,
            "week": week_label(self.monday),
            "from": self.monday.to_string(),
            "to": self.sunday().to_string(),
            "payoutDate": self.payout_date().to_string(),
            "movements": self.lines.iter().map(|l| json!({
                "at": clock::format_instant(l.at),
                "date": Date::from_unix(l.at).to_string(),
                "type": l.kind,
                "description": l.description,
                "reference": l.reference,
                "invoiceReference": l.invoice_reference,
                "bptid": l.bptid,
                "currency": l.currency,
                "amount": l.amount,
                "amountDecimal": util::decimal(l.amount),
                "detail": l.detail,
            })).collect::<Vec<_>>(),
            "totals": self.totals.iter().map(|(currency, t)| json!({
                "currency": currency,
                "receivables": t.receivables,
                "fees": t.fees,
                "partialCredits": t.partial_credits,
                "cancellations": t.cancellations,
                "payout": t.payout(),
                "payoutDecimal": util::decimal(t.payout()),
            })).collect::<Vec<_>>(),
        })
    }

    pub fn to_csv(&self) -> String {
        fn field(s: &str) -> String {
            // Quote every text field; a leading formula character is neutralised so that a
            // spreadsheet never evaluates a cell. Values made only of BillPay's reference
            // characters (0-9 a-z A-Z . - _ /) cannot hold a formula and stay as they are:
            // a reference "-R1" must match its order when statements are reconciled.
            let reference_chars = s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/'));
            let s = if !reference_chars && s.starts_with(['=', '+', '-', '@']) {
                format!("'{s}")
            } else {
                s.to_string()
            };
            format!("\"{}\"", s.replace('"', "\"\""))
        }
        let mut out = String::from(
            "date,time,type,description,reference,invoice_reference,bptid,currency,amount_cents,amount\r\n",
        );
        for l in &self.lines {
            let instant = clock::format_instant(l.at);
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{}\r\n",
                instant.get(0..10).unwrap_or_default(),
                instant.get(11..19).unwrap_or_default(),
                l.kind,
                field(l.description),
                field(&l.reference),
                field(&l.invoice_reference),
                field(&l.bptid),
                l.currency,
                l.amount,
                util::decimal(l.amount)
            ));
        }
        for (currency, t) in &self.totals {
            out.push_str(&format!(
                "{},00:00:00,payout,{},,,,{},{},{}\r\n",
                self.payout_date(),
                field("Payout of the week's balance"),
                currency,
                -t.payout(),
                util::decimal(-t.payout())
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks() {
        let monday = parse_week("2026-W05").expect("week");
        assert_eq!(monday.to_string(), "2026-01-26");
        assert_eq!(parse_week("2026-01-29"), Some(monday));
        assert_eq!(week_label(monday), "2026-W05");
        assert!(parse_week("2026-W60").is_none());
        assert!(parse_week("soon").is_none());
    }
}
