//! HTML output: semantic markup, class names only (no inline styles, so the
//! block works under a strict CSP and the shop's stylesheet or ours styles it),
//! and every value escaped.

use super::i18n::{Locale, Texts};
use super::{Content, Part, Sentence};
use crate::block::Method;
use crate::prelude::*;

/// The bytes that HTML escaping replaces (`"`, `&`, `'`, `<`, `>`), as bits.
const SPECIAL: u64 = 1 << b'"' | 1 << b'&' | 1 << b'\'' | 1 << b'<' | 1 << b'>';

/// Escapes text for element content and quoted attribute values.
///
/// Copies the runs between special characters in one go; one compare and a
/// bit test per byte (escaping was the most expensive part of rendering).
pub fn escape_into(out: &mut String, text: &str) {
    let mut run_start = 0;
    for (i, &byte) in text.as_bytes().iter().enumerate() {
        if byte >= 64 || SPECIAL >> byte & 1 == 0 {
            continue;
        }
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        // The special characters are ASCII, so `i` is always a char boundary.
        out.push_str(text.get(run_start..i).unwrap_or(""));
        out.push_str(replacement);
        run_start = i + 1;
    }
    out.push_str(text.get(run_start..).unwrap_or(""));
}

fn sentence(out: &mut String, class: &str, sentence: &Sentence) {
    out.push_str("<p class=\"billpay-payment__");
    out.push_str(class);
    out.push_str("\">");
    sentence.parts(|part| match part {
        // The block's texts hold no character that needs escaping (a test
        // checks every locale), so they are copied as they are.
        Part::Literal(text) => out.push_str(text),
        Part::Value(_, value) => {
            out.push_str("<strong>");
            escape_into(out, value);
            out.push_str("</strong>");
        }
    });
    out.push_str("</p>");
}

fn method_class(method: Method) -> &'static str {
    match method {
        Method::Invoice => "invoice",
        Method::DirectDebit => "direct-debit",
        Method::PayLater => "paylater",
        Method::TransactionCredit => "transaction-credit",
    }
}

pub(super) fn block(content: &Content, qr_figure: Option<&str>) -> String {
    let mut out = String::with_capacity(1536);
    out.push_str("<section class=\"billpay-payment billpay-payment--");
    out.push_str(method_class(content.method));
    out.push_str("\" lang=\"");
    out.push_str(content.locale.tag());
    out.push_str("\">");
    sentence(&mut out, "thanks", &content.thanks);
    if let Some(instruction) = &content.instruction {
        sentence(&mut out, "instruction", instruction);
    }
    if let Some(warning) = content.warning {
        out.push_str("<p class=\"billpay-payment__warning\" role=\"note\">");
        out.push_str(warning);
        out.push_str("</p>");
    }
    if content.rows().next().is_some() {
        out.push_str("<table class=\"billpay-payment__account\"><caption>");
        out.push_str(content.locale.texts().caption);
        out.push_str("</caption><tbody>");
        for row in content.rows() {
            out.push_str("<tr class=\"billpay-payment__");
            out.push_str(row.class);
            out.push_str("\"><th scope=\"row\">");
            out.push_str(row.label);
            out.push_str("</th><td>");
            escape_into(&mut out, row.value);
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    // Markup made by `render::qr_figure` (escaped there).
    if let Some(figure) = qr_figure {
        out.push_str(figure);
    }
    if let Some(note) = &content.note {
        sentence(&mut out, "note", note);
    }
    out.push_str("</section>");
    out
}

pub(super) fn notice(locale: Locale, t: &Texts, notice: &super::Notice) -> String {
    let mut out = String::with_capacity(512);
    let open = |out: &mut String, class: &str| {
        out.push_str("<p class=\"");
        out.push_str(class);
        out.push_str("\" lang=\"");
        out.push_str(locale.tag());
        out.push_str("\">");
    };
    open(&mut out, "billpay-notice");
    escape_into(&mut out, notice.consent);
    out.push(' ');
    let links = Sentence::with_two(
        t.notice_links,
        [("terms", notice.terms), ("privacy", notice.privacy)],
    );
    links.parts(|part| match part {
        Part::Literal(text) => escape_into(&mut out, text),
        Part::Value(key, url) => {
            let label = if key == "terms" {
                t.notice_terms
            } else {
                t.notice_privacy
            };
            out.push_str("<a href=\"");
            escape_into(&mut out, url);
            out.push_str("\" target=\"_blank\" rel=\"noopener noreferrer\">");
            escape_into(&mut out, label);
            out.push_str("</a>");
        }
    });
    out.push_str("</p>");
    if let Some([mandate, creditor, refund]) = notice.mandate {
        open(&mut out, "billpay-notice billpay-mandate");
        escape_into(&mut out, mandate);
        out.push_str("</p>");
        open(&mut out, "billpay-notice billpay-mandate-details");
        escape_into(&mut out, creditor);
        out.push(' ');
        escape_into(&mut out, refund);
        out.push_str("</p>");
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::render::i18n::Locale;

    /// The block copies its texts without escaping them: none may need it.
    #[test]
    fn block_texts_need_no_escaping() {
        for locale in Locale::ALL {
            let t = locale.texts();
            for text in [
                t.caption,
                t.thanks_invoice,
                t.thanks_direct_debit,
                t.thanks_paylater,
                t.thanks_transaction_credit,
                t.pay_until,
                t.pay_within_term,
                t.not_activated,
                t.post_office_ch,
                t.direct_debit,
                t.paylater,
                t.transaction_credit,
                t.transaction_credit_transfer,
                t.label_payee,
                t.label_iban,
                t.label_bic,
                t.label_bank,
                t.label_amount,
                t.label_reference,
                t.label_due_date,
            ] {
                let mut escaped = String::new();
                super::escape_into(&mut escaped, text);
                assert_eq!(escaped, text, "{locale:?}");
            }
        }
    }
}
