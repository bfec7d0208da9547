//! HTML output: semantic markup, class names only (no inline styles, so the
//! block works under a strict CSP and the shop's stylesheet or ours styles it),
//! and every value escaped.

use super::i18n::{Locale, Texts};
use super::{Content, Part, Sentence};
use crate::block::Method;

/// Escapes text for element content and quoted attribute values.
///
/// Copies the runs between special characters in one go: char-by-char pushing
/// made escaping the most expensive part of rendering.
pub fn escape_into(out: &mut String, text: &str) {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    if !text.as_bytes().iter().any(special) {
        out.push_str(text);
        return;
    }
    let mut run_start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
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
        Part::Literal(text) => escape_into(out, text),
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
        escape_into(&mut out, warning);
        out.push_str("</p>");
    }
    if content.rows().next().is_some() {
        out.push_str("<table class=\"billpay-payment__account\"><caption>");
        escape_into(&mut out, content.locale.texts().caption);
        out.push_str("</caption><tbody>");
        for row in content.rows() {
            out.push_str("<tr class=\"billpay-payment__");
            out.push_str(row.class);
            out.push_str("\"><th scope=\"row\">");
            escape_into(&mut out, row.label);
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

pub(super) fn notice(locale: Locale, t: &Texts, terms: &str, privacy: &str) -> String {
    let mut out = String::with_capacity(512);
    out.push_str("<p class=\"billpay-notice\" lang=\"");
    out.push_str(locale.tag());
    out.push_str("\">");
    escape_into(&mut out, t.notice_consent);
    out.push(' ');
    let links = Sentence::with_two(t.notice_links, [("terms", terms), ("privacy", privacy)]);
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
    out
}
