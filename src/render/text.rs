//! Plain-text output for e-mails: paragraphs wrapped at 72 columns, the bank
//! table as aligned "label: value" lines.

use super::i18n::{Locale, Texts};
use super::{Content, Part, Sentence};
use crate::prelude::*;

const WIDTH: usize = 72;

/// Greedy word wrap; counts characters, not bytes, so umlauts align.
/// No-break spaces are not break points ("1 234,56 EUR" stays whole).
fn wrap_into(out: &mut String, paragraph: &str) {
    let mut line_len = 0;
    for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
        let word_len = crate::block::char_count(word);
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

/// A table value after its label: as it is when it fits the line, else
/// wrapped at spaces with the next lines under its first (a holder or bank
/// name may be 255 characters long).
fn push_value(out: &mut String, value: &str, indent: usize) {
    if indent + crate::block::char_count(value) <= WIDTH {
        out.push_str(value);
        out.push('\n');
        return;
    }
    let mut column = indent;
    for (i, word) in value.split(' ').filter(|w| !w.is_empty()).enumerate() {
        let len = crate::block::char_count(word);
        if i > 0 && column + 1 + len > WIDTH {
            out.push('\n');
            for _ in 0..indent {
                out.push(' ');
            }
            column = indent;
        } else if i > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
    }
    out.push('\n');
}

fn wrap_sentence(out: &mut String, sentence: &Sentence<'_>) {
    let mut plain = String::with_capacity(256);
    sentence.push_plain(&mut plain);
    wrap_into(out, &plain);
}

pub(super) fn block(content: &Content) -> String {
    let mut out = String::with_capacity(1024);
    wrap_sentence(&mut out, &content.thanks);
    if let Some(instruction) = &content.instruction {
        out.push('\n');
        wrap_sentence(&mut out, instruction);
    }
    if let Some(warning) = content.warning {
        out.push('\n');
        let mut line = String::from("! ");
        line.push_str(warning);
        wrap_into(&mut out, &line);
    }
    if content.rows().next().is_some() {
        out.push('\n');
        let width = content
            .rows()
            .map(|row| crate::block::char_count(row.label))
            .max()
            .unwrap_or(0);
        for row in content.rows() {
            out.push_str(row.label);
            // French sets a no-break space before the colon, as its sentences do.
            if content.locale == Locale::Fr {
                out.push('\u{a0}');
            }
            out.push(':');
            for _ in crate::block::char_count(row.label)..=width {
                out.push(' ');
            }
            let indent = width + if content.locale == Locale::Fr { 3 } else { 2 };
            push_value(&mut out, row.value, indent);
        }
    }
    if let Some(note) = &content.note {
        out.push('\n');
        wrap_sentence(&mut out, note);
    }
    out
}

pub(super) fn notice(t: &Texts, notice: &super::Notice) -> String {
    let mut out = String::with_capacity(512);
    let mut paragraph = String::with_capacity(512);
    paragraph.push_str(notice.consent);
    paragraph.push(' ');
    Sentence::with_two(
        t.notice_links,
        [("terms", notice.terms), ("privacy", notice.privacy)],
    )
    .parts(|part| match part {
        Part::Literal(text) => paragraph.push_str(text),
        Part::Value(key, url) => {
            paragraph.push_str(if key == "terms" {
                t.notice_terms
            } else {
                t.notice_privacy
            });
            paragraph.push_str(" (");
            paragraph.push_str(url);
            paragraph.push(')');
        }
    });
    wrap_into(&mut out, &paragraph);
    if let Some([mandate, creditor, refund]) = notice.mandate {
        out.push('\n');
        wrap_into(&mut out, mandate);
        out.push('\n');
        paragraph.clear();
        paragraph.push_str(creditor);
        paragraph.push(' ');
        paragraph.push_str(refund);
        wrap_into(&mut out, &paragraph);
    }
    out
}
