//! BillPay payment references: `BP<merchant order number>/<merchant id>`.
//!
//! Building one is trivial; finding one in what a bank delivers as remittance
//! text is not: banks change case, wrap lines at fixed widths (even inside a
//! word) and people type spaces around the slash (`bp 1234567 / 3333`).

use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::quoted;
use crate::prelude::*;

/// The longest order number BillPay accepts as `reference` (AN..40).
pub const MAX_ORDER_NUMBER_LEN: usize = 40;

/// `0-9 a-z A-Z . - _ /`: what BillPay takes in `reference` and `customerid`.
pub(crate) fn is_reference_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b'/')
}

/// Letters and digits of the Latin scripts that remittance text is written
/// in (SEPA's character set and its national extensions). Not
/// `char::is_alphanumeric`: its Unicode tables would add 4 KB to the module.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (('\u{c0}'..='\u{24f}').contains(&c) && !matches!(c, '\u{d7}' | '\u{f7}'))
}

/// Checks a merchant order number as sent to the API as `reference`.
pub fn check_order_number(order_number: &str) -> Result<()> {
    if order_number.is_empty() || order_number.len() > MAX_ORDER_NUMBER_LEN {
        let mut message = String::from("an order number has 1 to 40 characters, got ");
        crate::shape::json::push_int(
            &mut message,
            i64::try_from(crate::block::char_count(order_number)).unwrap_or(i64::MAX),
        );
        return Err(BillPayError::new(ErrorCode::InvalidOrderNumber, message));
    }
    if !order_number.bytes().all(is_reference_byte) {
        return Err(BillPayError::new(
            ErrorCode::InvalidOrderNumber,
            quoted(
                "an order number may contain only 0-9 a-z A-Z . - _ /, got ",
                order_number,
            ),
        ));
    }
    Ok(())
}

/// Checks a BillPay merchant id: a positive whole number.
pub fn check_merchant_id(merchant_id: &str) -> Result<()> {
    let ok = !merchant_id.is_empty()
        && merchant_id.len() <= 10
        && merchant_id.bytes().all(|b| b.is_ascii_digit())
        && merchant_id.bytes().any(|b| b != b'0');
    if ok {
        Ok(())
    } else {
        Err(BillPayError::new(
            ErrorCode::InvalidMerchantId,
            quoted(
                "a BillPay merchant id is a positive whole number, got ",
                merchant_id,
            ),
        ))
    }
}

/// `BP<order number>/<merchant id>`.
pub fn payment_reference(order_number: &str, merchant_id: &str) -> Result<String> {
    check_order_number(order_number).map_err(|e| e.at("orderNumber"))?;
    check_merchant_id(merchant_id).map_err(|e| e.at("merchantId"))?;
    // "0033" and 33 are the same merchant: one reference for both.
    let merchant_id = merchant_id.trim_start_matches('0');
    let mut reference = String::with_capacity(3 + order_number.len() + merchant_id.len());
    reference.push_str("BP");
    reference.push_str(order_number);
    reference.push('/');
    reference.push_str(merchant_id);
    Ok(reference)
}

crate::output_shape! {
    /// A reference found in remittance text.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FoundReference => "FoundReference" {
        pub reference "reference": String,
        pub order_number "orderNumber": String,
        pub merchant_id "merchantId": String,
    }
}

/// Banks wrap remittance text at fixed widths: 27 characters (the
/// subfields of MT940 field 86, DTAUS), 35 (SEPA remittance and MT103
/// lines) or 65 (MT940 field 86 lines). Only a line of exactly such a width
/// can have been cut inside the merchant id; any other line ended where its
/// writer ended it, and digits on the next line (a date, an amount, a
/// customer number) are not part of the reference.
const WRAP_WIDTHS: [usize; 3] = [27, 35, 65];
const WIDEST_WRAP: usize = 65;

/// Finds the first BillPay reference in remittance text.
///
/// Tolerated: any case; spaces and line breaks between `BP`, the order number,
/// the slash and the merchant id; line breaks inside the order number (a
/// reference without its merchant id is no reference, so a break there can
/// only be a wrap); a line break inside the merchant id only where the line
/// has a bank's wrap width (`WRAP_WIDTHS`) and digits go on, and then only
/// if the joined merchant id is one (otherwise the id before the break
/// counts). A space inside the order number ends it, otherwise the next word
/// would be swallowed. `BP` must start a word (after a space, punctuation
/// or the slash of a structured statement's field) and the merchant id must
/// end one. The merchant id comes without leading zeros, as
/// `paymentReference` writes it.
pub fn find_payment_reference(text: &str) -> Option<FoundReference> {
    let bytes = text.as_bytes();
    let mut start = 0;
    // Whether a structured statement's field code comes before the "BP" at
    // hand: scanned once over the text (a code ends at most 11 bytes on,
    // so the last few positions are looked at again for a later "BP").
    let mut structured = false;
    let mut scanned = 0;
    while let Some(offset) = bytes.get(start..)?.windows(2).position(|w| {
        w.first().is_some_and(|b| b.eq_ignore_ascii_case(&b'B'))
            && w.get(1).is_some_and(|b| b.eq_ignore_ascii_case(&b'P'))
    }) {
        work::tick(offset + 1);
        let at = start + offset;
        let word_start = text
            .get(..at)
            .and_then(|before| before.chars().next_back())
            // A slash separates fields in structured statements (MT940
            // ":86:/REMI/USTD//BP1234567/3333/"); "-" and "_" join words.
            .map_or(true, |c| !is_word_char(c) && !matches!(c, '-' | '_'))
            || subfield_code_before(bytes, at);
        if word_start {
            let before = bytes.get(..at).unwrap_or_default();
            for position in scanned..at {
                work::tick(1);
                structured |= field_code_at(before, position);
            }
            scanned = scanned.max(at.saturating_sub(FIELD_CODE_REACH));
            let (found, joined_a_wrap) = parse_after_prefix(text, at + 2, true, structured);
            let found = match found {
                None if joined_a_wrap => parse_after_prefix(text, at + 2, false, structured).0,
                found => found,
            };
            if found.is_some() {
                return found;
            }
        }
        start = at + 1;
    }
    None
}

/// German MT940 statements put the remittance lines of field 86 in
/// subfields `?20` to `?29` (and `?60` to `?63`), written without a space:
/// `?20BP1234567/3333?21…`. The code before `BP` separates like a space.
fn subfield_code_before(bytes: &[u8], at: usize) -> bool {
    at >= 3
        && matches!(
            bytes.get(at - 3..at),
            Some([b'?', b'2' | b'6', d]) if d.is_ascii_digit()
        )
}

/// Reads `order / mid` from `text[from..]` (just after "BP") and decides
/// where the order number ends; with `mid_wraps`, a merchant id cut at a
/// wrap width is joined with the next line's digits. Also says whether
/// that happened, so that a caller can try again without.
fn parse_after_prefix(
    text: &str,
    from: usize,
    mid_wraps: bool,
    structured: bool,
) -> (Option<FoundReference>, bool) {
    let mut joined = false;
    (
        parse_reference(text, from, mid_wraps, structured, &mut joined),
        joined,
    )
}

// Called twice (with and without joining a wrap): one copy in the module.
#[inline(never)]
fn parse_reference(
    text: &str,
    from: usize,
    mid_wraps: bool,
    structured: bool,
    joined: &mut bool,
) -> Option<FoundReference> {
    let bytes = text.as_bytes();
    // Reference characters, without the line breaks and the spaces that
    // touch a slash or follow "BP".
    let mut collected: Vec<u8> = Vec::with_capacity(56);
    let mut cut = false;
    let mut i = from;
    skip_spaces(bytes, &mut i);
    loop {
        work::tick(1);
        match bytes.get(i) {
            Some(&b) if is_reference_byte(b) => {
                collected.push(b);
                i += 1;
                if b == b'/' {
                    skip_spaces(bytes, &mut i);
                    if !skip_line_break(bytes, &mut i) {
                        break;
                    }
                    skip_spaces(bytes, &mut i);
                }
            }
            Some(b'\r' | b'\n') => {
                let mid_started = collected
                    .iter()
                    .rposition(|b| *b == b'/')
                    .is_some_and(|slash| slash + 1 < collected.len());
                let mut next = i;
                if !skip_line_break(bytes, &mut next) {
                    break;
                }
                // A statement's line may end with a subfield and the next
                // start with the following one's code: the subfield's width.
                let (width, goes_on) = if subfield_code_before(bytes, next + 3) {
                    (field_length_before(bytes, i), next + 3)
                } else {
                    (line_length_before(bytes, i), next)
                };
                let wrapped_mid = mid_wraps
                    && WRAP_WIDTHS.contains(&width)
                    && bytes.get(goes_on).is_some_and(u8::is_ascii_digit);
                if mid_started && !wrapped_mid {
                    break;
                }
                *joined |= mid_started;
                i = if mid_started { goes_on } else { next };
                if !mid_started {
                    skip_spaces(bytes, &mut i);
                }
            }
            // A German statement's next subfield (`?21`…) starts a line of
            // its own: its field is cut at 27 characters like a wrapped line.
            Some(b'?') if subfield_code_before(bytes, i + 3) => {
                let mid_started = collected
                    .iter()
                    .rposition(|b| *b == b'/')
                    .is_some_and(|slash| slash + 1 < collected.len());
                let next = i + 3;
                let wrapped_mid = mid_wraps
                    && WRAP_WIDTHS.contains(&field_length_before(bytes, i))
                    && bytes.get(next).is_some_and(u8::is_ascii_digit);
                if mid_started && !wrapped_mid {
                    break;
                }
                *joined |= mid_started;
                i = next;
                if !mid_started {
                    skip_spaces(bytes, &mut i);
                }
            }
            Some(b' ' | b'\t') => {
                // Spaces are allowed before a slash only.
                let mut j = i;
                skip_spaces(bytes, &mut j);
                if skip_line_break(bytes, &mut j) {
                    skip_spaces(bytes, &mut j);
                }
                if bytes.get(j) == Some(&b'/') {
                    i = j;
                } else {
                    break;
                }
            }
            _ => break,
        }
        if collected.len() > MAX_ORDER_NUMBER_LEN + 12 {
            // Longer than any reference: what follows can only be other
            // fields of a structured statement ("…/4441/EREF/…").
            cut = true;
            break;
        }
    }
    // In a structured statement (a field code before "BP"), the next field
    // ends the reference, even when its value reads as a merchant id
    // ("/REMI/USTD//BP…/3333/EREF/4711"). Elsewhere "/RTRN/" or "/BIC/" may
    // be part of an order number ("BPA/2026/RTRN/4/4441").
    let field_follows = match next_field_at(&collected).filter(|_| structured) {
        Some(at) => {
            collected.truncate(at);
            true
        }
        None => false,
    };
    // The merchant id must end a word: "BP123/4441ä" is not a reference.
    let ends_a_word = field_follows
        || !cut
            && !text
                .get(i..)
                .and_then(|after| after.chars().next())
                .is_some_and(is_word_char);
    // A sentence may end right after the reference ("... BP123/4441.").
    while collected
        .last()
        .is_some_and(|b| matches!(b, b'.' | b'-' | b'_' | b'/'))
    {
        collected.pop();
    }
    // The longest reading first: everything read, its last slash before
    // the merchant id ("BP12/34/5555" is order 12/34 of merchant 5555).
    // Failing that, a merchant id that a slash ends, where a structured
    // statement's next field follows ("BP1001/4441/EREF/NOTPROVIDED"): the
    // rightmost such split, as the order number may hold slashes itself.
    // (`usize::MAX`: the whole is no candidate, its slice is none.)
    let mut end = if ends_a_word {
        collected.len()
    } else {
        usize::MAX
    };
    let (order, mid) = loop {
        let slash = collected
            .get(..end.min(collected.len()))?
            .iter()
            .rposition(|b| *b == b'/')?;
        let order = core::str::from_utf8(collected.get(..slash)?).ok()?;
        if let Some(Ok(mid)) = collected.get(slash + 1..end).map(core::str::from_utf8) {
            if check_order_number(order).is_ok() && check_merchant_id(mid).is_ok() {
                break (order, mid);
            }
        }
        end = slash;
    };
    let order_number = order.to_owned();
    // "BP123/0033" is merchant 33's reference, as `payment_reference` writes it.
    let merchant_id = mid.trim_start_matches('0').to_owned();
    let mut reference = String::with_capacity(3 + order.len() + mid.len());
    reference.push_str("BP");
    reference.push_str(&order_number);
    reference.push('/');
    reference.push_str(&merchant_id);
    Some(FoundReference {
        reference,
        order_number,
        merchant_id,
    })
}

/// The field codes of structured remittance lines (MT940 field 86 as Dutch
/// and other banks write it: `/EREF/…/REMI/USTD//…/ORDP//NAME/…`, and the
/// German SEPA codes).
const FIELD_CODES: [&[u8]; 37] = [
    b"ABWA",
    b"ABWE",
    b"ACCW",
    b"ADDR",
    b"BENM",
    b"BIC",
    b"CDTRREF",
    b"CDTRREFTP",
    b"CHGS",
    b"CRED",
    b"CSID",
    b"DEBT",
    b"EREF",
    b"EXCH",
    b"IBAN",
    b"IREF",
    b"ISDT",
    b"ISSR",
    b"KREF",
    b"MARF",
    b"MREF",
    b"NAME",
    b"OCMT",
    b"ORDP",
    b"PREF",
    b"PURP",
    b"REMI",
    b"RTRN",
    b"SCOR",
    b"STRD",
    b"SVCL",
    b"SVWZ",
    b"TRTP",
    b"ULTB",
    b"ULTC",
    b"ULTD",
    b"USTD",
];

/// Whether a `/CODE/` (in any case) starts at `at`.
fn field_code_at(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&b'/')
        && FIELD_CODES.iter().any(|code| {
            bytes
                .get(at + 1..at + 1 + code.len())
                .is_some_and(|c| c.eq_ignore_ascii_case(code))
                && bytes.get(at + 1 + code.len()) == Some(&b'/')
        })
}

/// How far past its first slash a field code ends: "/CDTRREFTP/".
const FIELD_CODE_REACH: usize = 11;

/// Where the first `/CODE/` of a structured line's next field starts in a
/// reference read as `order/mid/…`: after a slash of its own (the order
/// number and the merchant id come first).
fn next_field_at(collected: &[u8]) -> Option<usize> {
    let first_slash = collected.iter().position(|b| *b == b'/')?;
    (first_slash + 1..collected.len()).find(|&at| field_code_at(collected, at))
}

fn skip_spaces(bytes: &[u8], i: &mut usize) {
    while bytes.get(*i).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        work::tick(1);
        *i += 1;
    }
}

/// Skips one line break (`\n`, `\r\n` or `\r`) at `i`, if there is one and
/// no blank line follows it (a blank line ends a paragraph, not a wrap).
/// Returns false at a blank line, leaving `i` alone.
fn skip_line_break(bytes: &[u8], i: &mut usize) -> bool {
    let mut j = *i;
    if bytes.get(j) == Some(&b'\r') {
        j += 1;
    }
    if bytes.get(j) == Some(&b'\n') {
        j += 1;
    }
    if j == *i {
        return true;
    }
    if bytes.get(j).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        return false;
    }
    *i = j;
    true
}

/// Characters on the line that ends at `end` (a line break), counted up to
/// one more than `WIDEST_WRAP`: only whether the line has a wrap width
/// matters. Looking back no further than that keeps the search linear
/// however the text breaks its lines (`\n`, `\r\n` or a bare `\r`, which
/// starts a line as much as `\n` does).
fn line_length_before(bytes: &[u8], end: usize) -> usize {
    let mut chars = 0;
    for byte in bytes.get(..end).unwrap_or_default().iter().rev() {
        work::tick(1);
        if matches!(byte, b'\r' | b'\n') || chars > WIDEST_WRAP {
            break;
        }
        // Count characters, not UTF-8 continuation bytes.
        if (byte & 0xC0) != 0x80 {
            chars += 1;
        }
    }
    chars
}

/// Characters of the subfield that ends at `end` (where the next one's
/// code starts), back to its own code or the start of its line, counted up
/// to one more than `WIDEST_WRAP`.
fn field_length_before(bytes: &[u8], end: usize) -> usize {
    let mut chars = 0;
    let mut k = end;
    while k > 0 && chars <= WIDEST_WRAP {
        work::tick(1);
        k -= 1;
        let byte = bytes.get(k).copied().unwrap_or(b'\n');
        if matches!(byte, b'\r' | b'\n') {
            break;
        }
        if (byte & 0xC0) != 0x80 {
            chars += 1;
        }
        if subfield_code_before(bytes, k) {
            break;
        }
    }
    chars
}

/// Counts the steps of the search in tests, which check that the work
/// grows linearly with the text; compiled to nothing otherwise.
mod work {
    #[cfg(test)]
    thread_local! {
        pub static STEPS: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
    }

    #[inline(always)]
    pub fn tick(steps: usize) {
        #[cfg(test)]
        STEPS.with(|s| s.set(s.get() + steps));
        #[cfg(not(test))]
        let _ = steps;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_references() {
        assert_eq!(
            payment_reference("1234567", "3333").unwrap(),
            "BP1234567/3333"
        );
        assert_eq!(
            payment_reference("A-12_3.4/5", "4441").unwrap(),
            "BPA-12_3.4/5/4441"
        );
        let e = payment_reference("12 34", "3333").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidOrderNumber);
        assert_eq!(e.path.as_deref(), Some("orderNumber"));
        assert_eq!(
            payment_reference("", "1").unwrap_err().code,
            ErrorCode::InvalidOrderNumber
        );
        assert_eq!(
            payment_reference(&"1".repeat(41), "1").unwrap_err().code,
            ErrorCode::InvalidOrderNumber
        );
        assert!(payment_reference(&"1".repeat(40), "1").is_ok());
        assert_eq!(payment_reference("123", "0033").unwrap(), "BP123/33");
        assert_eq!(
            payment_reference("1", "0").unwrap_err().code,
            ErrorCode::InvalidMerchantId
        );
        assert_eq!(
            payment_reference("1", "-3").unwrap_err().code,
            ErrorCode::InvalidMerchantId
        );
        assert_eq!(
            payment_reference("1", "33a").unwrap_err().code,
            ErrorCode::InvalidMerchantId
        );
        assert_eq!(
            payment_reference("ä1", "3").unwrap_err().code,
            ErrorCode::InvalidOrderNumber
        );
    }

    fn found(text: &str) -> Option<(String, String, String)> {
        find_payment_reference(text).map(|f| (f.reference, f.order_number, f.merchant_id))
    }

    fn hit(reference: &str, order: &str, mid: &str) -> Option<(String, String, String)> {
        Some((reference.into(), order.into(), mid.into()))
    }

    #[test]
    fn finds_references_in_messy_remittance_lines() {
        let expected = hit("BP1234567/3333", "1234567", "3333");
        for text in [
            "BP1234567/3333",
            "bp 1234567 / 3333",
            "Rechnung BP1234567/3333 vielen Dank",
            "SVWZ+BP1234567/3333 EREF+NOTPROVIDED",
            "Bp1234567/3333.",
            "Zahlung zu bP 1234567/ 3333, Kd 55",
            "BP12345\n67/3333",
            "Verwendungszw. BP1234567/33\r\n33 danke",
            "Rechnung 2026-77 3.11 BP1234567/333\n3",
            "Erika Mustermann, Rechnung 2026-77 vom 3.11.2026, Kd. BP1234567/3\n333",
            "BP1234567\n/3333",
            "BP1234567/\n3333",
            "BP 1234567 /\r\n 3333",
            "(BP1234567/3333)",
            "REF:BP1234567/3333",
            "Ref.BP1234567/3333",
            "Verwendungszweck: BP1234567/3333\nKundennr 4711",
            "BP1234567/3333\n2026-02-15 Gutschrift",
            "BP1234567/3333\r\n4711",
            "BP1234567/3333\n\n4711",
            "BP1234567/3333\n123,45 EUR",
            "BP1234567/3333 \n4711",
            "Kunde Erika Mustermann, Köln\nBP1234567/3333\n4711",
            // Structured statements: other fields follow the reference
            // (MT940 field 86 of Dutch banks, German subfields).
            "/REMI/USTD//BP1234567/3333/EREF/NOTPROVIDED",
            // A next field whose value reads as a merchant id is no part of it.
            "/REMI/USTD//BP1234567/3333/EREF/4711",
            "/REMI/USTD//BP1234567/3333/KREF/12/EREF/4711",
            "/REMI/USTD//BP1234567/3333/ISDT/20261130",
            "/remi/ustd//bp1234567/3333/eref/4711",
            "/EREF/NOTPROVIDED/REMI/USTD//BP1234567/3333/ISDT/2026-11-30/ORDP//NAME/Erika Mustermann",
            "/REMI/USTD//BP1234567/3333/EREF/20261130-0000000000000000000000001/ORDP//NAME/X",
            "BP1234567/3333 /EREF/",
            "BP1234567/3333/x",
            "?20BP1234567/3333?21Rechnung 2026-77",
            "?00SEPA-UEBERWEISUNG?109310?20EREF+NOTPROVIDED?21BP1234567/3333?22SVWZ+X",
            // A subfield of 27 characters is cut like a wrapped line: the
            // next subfield's digits go on (in the order number always).
            "?20SVWZ+Rechnung4 BP1234567/33?2133 Danke",
            "?20SVWZ+Rechnung 4711 BP123456?217/3333",
            "?20SVWZ+Rechnung 4711 BP123456?21 7/3333",
            "?00GUTSCHRIFT?20SVWZ+Rechnung4 BP1234567/33\n?2133 Danke",
            // A shorter one ended where its writer ended it.
            "?20SVWZ+BP1234567/3333?2133 Danke",
            "?20BP1234567/3333?211234 Kundennr",
            // A wrap whose joined id is none: the id before the code.
            "?20SVWZ+Rechnung BP1234567/3333?2112345678901 Kundennr",
            // Lines that are no bank's wrap width end the merchant id
            // whatever digits follow.
            "Ueberweisung Rechnung BP1234567/3333\n15.02.2026",
            "Ueberweisung Rechnung BP1234567/3333.\n15.02.2026",
            "Rechnung vom 03.11.2026 BP1234567/3333\n2026-02-15 Gutschrift",
            "Ueberweisung Rechnung BP1234567/3333\n1234567890 Kundennr",
            "Ueberweisung Rechnung BP1234567/3333\n12,50 EUR",
            "Verwendungszweck: Bestellung BP1234567/3333\n4711 Kundennr",
            "Verwendungszweck BP1234567/3333\r\n33 danke",
            // A line of a wrap width whose joined id is none: the id before the break.
            "Zahlung Rech BP1234567/3333\n15.02.2026",
            "Zahlung Rech BP1234567/3333\n12345678901 Kundennr",
            // Leading zeros: the same merchant, written as paymentReference writes it.
            "BP1234567/03333",
            // Structured statements separate their fields with slashes.
            ":86:/EREF/NOTPROVIDED//REMI/USTD//BP1234567/3333/",
            "/REMI/BP1234567/3333",
            "Kd-Nr 4711/BP1234567/3333",
        ] {
            assert_eq!(found(text), expected, "{text:?}");
        }
        // Outside a structured statement a field code's word may be part of
        // the order number.
        for (text, order, mid) in [
            ("RE BPA/2026/RTRN/4/4441", "A/2026/RTRN/4", "4441"),
            ("Rechnung BP2026/11/ADDR/4441", "2026/11/ADDR", "4441"),
            ("BPX/Y/IBAN/3333", "X/Y/IBAN", "3333"),
        ] {
            let reference = format!("BP{order}/{mid}");
            assert_eq!(found(text), hit(&reference, order, mid), "{text:?}");
        }
        assert_eq!(
            found("Erika Mustermann, Rechnung 2026-77 vom 3.11.2026, Kd. BP1234567/3\n333"),
            found("BP1234567/3333")
        );
        assert_eq!(
            found("BP2024/0815/4441 x"),
            hit("BP2024/0815/4441", "2024/0815", "4441")
        );
        assert_eq!(
            found("bpa-12_3.4/5/4441"),
            hit("BPa-12_3.4/5/4441", "a-12_3.4/5", "4441")
        );
        assert_eq!(
            found("BPX foo BP77/4441"),
            hit("BP77/4441", "77", "4441"),
            "a failed candidate does not hide a later one"
        );
    }

    #[test]
    fn near_misses_do_not_match() {
        for text in [
            "",
            "BP1234567",
            "BP1234567/",
            "BP/3333",
            "BP 1234567 3333",
            "BP1234567/abc",
            "XBP1234567/3333",
            "2BP1234567/3333",
            "BP1234567/0",
            "B P1234567/3333",
            "Rechnung 1234567/3333",
            "BPÄ123/3333",
            "äBP1234567/3333",
            "BP1234567/3333ä",
            "BP1234567/3333X",
            "BP1234567\n\n/3333",
            "bp",
            "?2XBP1234567/3333",
            "12BP1234567/3333",
        ] {
            assert_eq!(found(text), None, "{text:?}");
        }
    }

    /// Every kind of line break a bank statement may use.
    const BREAKS: [&str; 3] = ["\n", "\r\n", "\r"];

    #[test]
    fn every_kind_of_line_break_gives_the_same_result() {
        for text in [
            "BP12345\n67/3333",
            "Verwendungszw. BP1234567/33\n33 danke",
            "Rechnung 2026-77 3.11 BP1234567/333\n3",
            "Ueberweisung Rechnung BP1234567/3333\n15.02.2026",
            "Zahlung Rech BP1234567/3333\n15.02.2026",
            "BP 1234567 /\n 3333",
            "BP1234567/3333\n4711",
            "BP1234567/3333\n\n4711",
            "Kunde Erika Mustermann, Köln\nBP1234567/333\n3",
            "Kunde Erika Mustermann, Köln\nBP1234567/3333\n4711",
            "BP1234567\n\n/3333",
            "Erika Mustermann Kundennr\nBP1234567/33\n33",
        ] {
            let lf = found(text);
            for br in BREAKS {
                let other = text.replace('\n', br);
                assert_eq!(found(&other), lf, "{other:?}");
            }
            // Mixed: a bare CR, then LF, then CRLF.
            let mut n = 0;
            let mixed: String = text
                .chars()
                .map(|c| match c {
                    '\n' => {
                        n += 1;
                        BREAKS[n % 3].to_owned()
                    }
                    c => c.to_string(),
                })
                .collect();
            assert_eq!(found(&mixed), lf, "{mixed:?}");
        }
    }

    #[test]
    fn a_bare_cr_ends_a_line_for_the_wrap_width_rule() {
        // The line before the break holds 13 characters: not a full bank
        // line, so the next line's digit is not part of the merchant id,
        // however long the text before the earlier CR is.
        for br in BREAKS {
            let text = format!("Kundennummer 4711 Rechnung{br}BP1234567/333{br}3 Stueck");
            assert_eq!(
                found(&text),
                hit("BP1234567/333", "1234567", "333"),
                "{text:?}"
            );
        }
    }

    /// The steps the search takes for `text`.
    fn steps(text: &str) -> usize {
        work::STEPS.with(|s| s.set(0));
        let _ = find_payment_reference(text);
        work::STEPS.with(core::cell::Cell::get)
    }

    #[test]
    fn the_work_grows_linearly_with_the_text() {
        // Bare CRs used to make every candidate measure its line back to the
        // text's start: ' BP1\r' × 8000 (48 KB) took 10 s in the browser.
        let breaks = ["\n", "\r\n", "\r", "\n\r", "\u{2028}", "\u{85}", "\u{2029}"];
        let mut texts: Vec<String> = Vec::new();
        for br in breaks {
            for unit in [
                format!(" BP1{br}"),
                format!("BP1{br}"),
                format!("bp 1 /{br}"),
                format!("BP1/2{br}"),
                format!("BP12345678901234567890123456/1{br}"),
                format!("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxBP1/{br}"),
                format!("BP{br} "),
                format!("BP1   {br}   "),
                format!("äöüBP1/{br}2"),
            ] {
                texts.push(unit.repeat(8000));
                texts.push(unit.repeat(16000));
            }
            texts.push(format!(
                "BP{}",
                format!("1{br}{}", " ".repeat(500)).repeat(100)
            ));
        }
        texts.push(" BP1\r".repeat(8000) + &" BP1\n".repeat(8000));
        texts.push("BP".repeat(50_000));
        // Field codes before every candidate and after its merchant id.
        texts.push("/EREF/BP1/2/KREF/x ".repeat(8000));
        texts.push(format!("/REMI/USTD//{}", "BP".repeat(50_000)));
        texts.push(format!("BP1{}", " ".repeat(100_000)));
        for text in &texts {
            let steps = steps(text);
            assert!(
                steps <= 128 * text.len() + 256,
                "{} steps for {} bytes starting {:?}",
                steps,
                text.len(),
                text.get(..40)
            );
        }
    }

    proptest::proptest! {
        /// Remittance-like soup: the search stays linear and a line break
        /// means the same whatever bytes encode it.
        #[test]
        fn linear_and_break_agnostic_on_any_text(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    "BP", "bp", " ", "  ", "\t", "/", " / ", "1", "2024", "4441", "-", ".", "x",
                    "Rechnung", "ä", "\n", "\n", "\n\n", "12345678901234567890123456789",
                ]),
                0..400,
            )
        ) {
            let text: String = tokens.concat();
            let lf = found(&text);
            for br in BREAKS {
                let other = text.replace('\n', br);
                proptest::prop_assert_eq!(found(&other), lf.clone(), "{:?}", other);
                let steps = steps(&other);
                proptest::prop_assert!(steps <= 128 * other.len() + 256, "{} steps for {:?}", steps, other);
            }
        }
    }

    #[test]
    fn arbitrary_input_never_panics() {
        for text in [
            "BP",
            "BP/",
            "BP//",
            "bp /\n/ 1",
            "BP\u{1F600}/1",
            "BPBPBP1/2",
        ] {
            let _ = found(text);
        }
        let long = format!("BP{}/1", "9".repeat(500));
        assert_eq!(found(&long), None);
    }
}
