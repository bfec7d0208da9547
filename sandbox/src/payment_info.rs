//! Ready-made payment instructions (`payment_info` with `html` and `plain`, library 1.4.0),
//! answered when a request carries `<payment_info htmlinfo="1" plaininfo="1"/>`. German, like
//! BillPay's own texts: the transfer instructions with the bank table for an invoice, the
//! debit notice for direct debit.

use crate::bank::ACCOUNT_HOLDER;
use crate::rules::Payment;
use crate::store::Order;
use crate::util::display_amount;
use crate::xml::{escape, Element};

/// Which parts the request asked for.
pub struct Wanted {
    pub html: bool,
    pub plain: bool,
}

/// `1.234,56 EUR`
fn german_amount(cents: i64, currency: &str) -> String {
    let swapped: String = display_amount(cents)
        .chars()
        .map(|c| match c {
            ',' => '.',
            '.' => ',',
            c => c,
        })
        .collect();
    format!("{swapped} {currency}")
}

fn grouped(iban: &str) -> String {
    iban.chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The element, or `None` when neither part was asked for.
pub fn element(order: &Order, wanted: &Wanted) -> Option<Element> {
    if !wanted.html && !wanted.plain {
        return None;
    }
    let amount = german_amount(order.cart.total_gross, &order.currency);
    let (intro, rows) = match &order.payment {
        Payment::Invoice => {
            let by = order.due_date.map_or_else(
                || "innerhalb der Zahlungsfrist".to_owned(),
                |date| {
                    let (y, m, d) = date.ymd();
                    format!("bis zum {d:02}.{m:02}.{y:04}")
                },
            );
            (
                format!(
                    "Bitte überweisen Sie den Rechnungsbetrag von {amount} {by} unter Angabe des Verwendungszwecks auf folgendes Konto der BillPay GmbH:"
                ),
                vec![
                    ("Kontoinhaber", ACCOUNT_HOLDER.to_owned()),
                    ("IBAN", grouped(&order.bank.iban)),
                    ("BIC", order.bank.bic.clone()),
                    ("Bank", order.bank.bank_name.clone()),
                    ("Verwendungszweck", order.invoice_reference()),
                ],
            )
        }
        // A static debit notice and no table (billpay-api.md §6): nothing
        // to transfer, and the customer's account stays off the invoice.
        Payment::DirectDebit(_) => (
            format!(
                "Der Rechnungsbetrag von {amount} wird in den nächsten Tagen von dem bei der Bestellung angegebenen Konto abgebucht. Die BillPay GmbH kündigt die Abbuchung per E-Mail an."
            ),
            Vec::new(),
        ),
    };
    let rows: Vec<(&str, String)> = rows.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    let mut info = Element::new("payment_info");
    if wanted.html {
        let table: String = rows
            .iter()
            .map(|(k, v)| format!("<tr><th>{k}</th><td>{}</td></tr>", escape(v)))
            .collect();
        let table = if table.is_empty() {
            table
        } else {
            format!("<table>{table}</table>")
        };
        info.push(Element::new("html").text(format!("<p>{}</p>{table}", escape(&intro))));
    }
    if wanted.plain {
        let lines: Vec<String> = std::iter::once(intro)
            .chain(rows.iter().map(|(k, v)| format!("{k}: {v}")))
            .collect();
        info.push(Element::new("plain").text(lines.join("\n")));
    }
    Some(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_german() {
        assert_eq!(german_amount(123456, "EUR"), "1.234,56 EUR");
        assert_eq!(german_amount(5, "CHF"), "0,05 CHF");
        assert_eq!(
            grouped("DE89370400440532013000"),
            "DE89 3704 0044 0532 0130 00"
        );
    }
}
