//! Plain-text output for e-mails: paragraphs wrapped at 72 columns, the bank
//! table as aligned "label: value" lines.

use super::i18n::Texts;
use super::Content;

const WIDTH: usize = 72;

/// Greedy word wrap; counts characters, not bytes, so umlauts align.
/// No-break spaces are not break points ("1 234,56 EUR" stays whole).
fn wrap_into(out: &mut String, paragraph: &str) {
    let mut line_len = 0;
    for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
        let word_len = word.chars().count();
        if line_len > 0 && line_len + 1 + word_len > WIDTH {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word_len;
    }
    out.push('\n');
}

pub(super) fn block(content: &Content) -> String {
    let mut out = String::with_capacity(1024);
    wrap_into(&mut out, &content.thanks.to_plain());
    if let Some(instruction) = &content.instruction {
        out.push('\n');
        wrap_into(&mut out, &instruction.to_plain());
    }
    if let Some(warning) = content.warning {
        out.push('\n');
        wrap_into(&mut out, &format!("! {warning}"));
    }
    if !content.rows.is_empty() {
        out.push('\n');
        let width = content
            .rows
            .iter()
            .map(|row| row.label.chars().count())
            .max()
            .unwrap_or(0);
        for row in &content.rows {
            out.push_str(row.label);
            out.push(':');
            for _ in row.label.chars().count()..=width {
                out.push(' ');
            }
            out.push_str(&row.value);
            out.push('\n');
        }
    }
    for note in &content.notes {
        out.push('\n');
        wrap_into(&mut out, &note.to_plain());
    }
    out
}

pub(super) fn notice(t: &Texts, terms: &str, privacy: &str) -> String {
    let mut out = String::with_capacity(512);
    let links = t
        .notice_links
        .replace("{terms}", &format!("{} ({terms})", t.notice_terms))
        .replace("{privacy}", &format!("{} ({privacy})", t.notice_privacy));
    wrap_into(&mut out, &format!("{} {links}", t.notice_consent));
    out
}
