//! The two structured references the codes carry: ISO 11649 creditor
//! references (`RF…`, standards §4) and Swiss QR references (27 digits,
//! modulo 10 recursive, standards §5).

use crate::iban::mod97;
use crate::prelude::*;

/// The electronic form of a valid RF reference (upper case, no spaces), or
/// `None`. Check digits must be 02–98: `RF99…`/`RF00…`/`RF01…` pass a bare
/// mod-97 test but are never generated.
pub fn creditor_reference(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = compact.as_bytes();
    if !(5..=25).contains(&bytes.len()) || !compact.starts_with("RF") {
        return None;
    }
    let check = compact.get(2..4)?;
    let digits: u32 = check
        .parse()
        .ok()
        .filter(|_| check.bytes().all(|b| b.is_ascii_digit()))?;
    if !(2..=98).contains(&digits) {
        return None;
    }
    let body = compact.get(4..)?;
    if !body
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return None;
    }
    (mod97(&[body, "RF", check].concat()) == Some(1)).then_some(compact)
}

const MOD10: [u8; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];

/// Check digit of a Swiss QR reference's first 26 digits (modulo 10 recursive).
pub fn qr_reference_check_digit(digits: &str) -> Option<u8> {
    let mut carry = 0u8;
    for byte in digits.bytes() {
        let d = byte.checked_sub(b'0').filter(|d| *d <= 9)?;
        carry = *MOD10.get(usize::from((carry + d) % 10))?;
    }
    Some((10 - carry) % 10)
}

/// The compact form of a valid QR reference (27 digits, spaces allowed in the
/// input, not all zeros — IG v2.3 ch. 2.12.1), or `None`.
pub fn qr_reference(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| *c != ' ').collect();
    if compact.len() != 27 || !compact.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if compact.bytes().all(|b| b == b'0') {
        return None;
    }
    let (head, last) = (compact.get(..26)?, compact.get(26..)?);
    let expected = qr_reference_check_digit(head)?;
    (last.as_bytes().first().map(|b| b - b'0') == Some(expected)).then_some(compact)
}

/// Groups of five from the right (`21 00000 00003 13947 14300 09017`).
pub fn format_qr_reference(reference: &str) -> String {
    let head = reference.len() % 5;
    let mut out = String::with_capacity(reference.len() + 6);
    for (i, c) in reference.chars().enumerate() {
        if i > 0 && (i + 5 - head) % 5 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rf_references() {
        for ok in [
            "RF18539007547034",
            "RF18 5390 0754 7034",
            "rf485000056789012345",
            "RF23EF4UHBVNPLHKG3HZ9SGGT",
            "RF08P",
        ] {
            assert!(creditor_reference(ok).is_some(), "{ok}");
        }
        for bad in [
            "RF19539007547034",
            "RF9936",
            "RF720191230100405JSH0438",
            "RF18",
            "RF23EF4UHBVNPLHKG3HZ9SGGTX",
            "BP1001/4441",
            "RF18-5390",
            "",
        ] {
            assert!(creditor_reference(bad).is_none(), "{bad}");
        }
        assert_eq!(
            creditor_reference("RF24 0191 2301 0040 5JSH 0438").as_deref(),
            Some("RF240191230100405JSH0438")
        );
    }

    #[test]
    fn qr_references() {
        for ok in [
            "210000000003139471430009017",
            "21 00000 00003 13947 14300 09017",
            "201244000000463700201900994",
            "361610000000000020190704093",
            "432130000000000573490016096",
        ] {
            assert!(qr_reference(ok).is_some(), "{ok}");
        }
        for bad in [
            "210000000003139471430009018",
            "000000000000000000000000000",
            "21000000000313947143000901",
            "2100000000031394714300090170",
            "21000000000313947143000901A",
        ] {
            assert!(qr_reference(bad).is_none(), "{bad}");
        }
        assert_eq!(
            format_qr_reference("210000000003139471430009017"),
            "21 00000 00003 13947 14300 09017"
        );
    }
}
