//! IBAN (ISO 13616) and BIC (ISO 9362) checks.
//!
//! The per-country rules (length, BBAN pattern) come from the SWIFT IBAN registry
//! as generated into the `iban_validate` crate. On top of that we refuse check
//! digits 00, 01 and 99: mod 97 accepts them, but they are aliases that the
//! generation algorithm never produces (98 − n mod 97 is always 02..=98).

use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::clip;
use iban::IbanLike;

/// A checked IBAN in electronic format (upper case, no spaces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iban {
    electronic: String,
}

impl Iban {
    /// Accepts the electronic format and the paper format (groups of four,
    /// optionally preceded by "IBAN"); spaces anywhere and lower case are
    /// tolerated because people copy IBANs from everywhere.
    pub fn parse(value: &str) -> Result<Iban> {
        let trimmed = value.trim();
        let body = strip_prefix_ignore_case(trimmed, "IBAN").unwrap_or(trimmed);
        let mut electronic = String::with_capacity(34);
        for c in body.chars() {
            match c {
                // Paper format; copied from PDFs the spaces are often no-break ones.
                ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' => {}
                'A'..='Z' | '0'..='9' => electronic.push(c),
                'a'..='z' => electronic.push(c.to_ascii_uppercase()),
                _ => {
                    return Err(BillPayError::new(
                        ErrorCode::IbanInvalidCharacters,
                        format!(
                            "an IBAN has only letters, digits and spaces, got \"{}\"",
                            clip(value)
                        ),
                    ))
                }
            }
        }
        if electronic.is_empty() {
            return Err(BillPayError::new(ErrorCode::IbanEmpty, "the IBAN is empty"));
        }
        let bytes = electronic.as_bytes();
        let shape_ok = bytes
            .get(..2)
            .is_some_and(|cc| cc.iter().all(u8::is_ascii_uppercase))
            && bytes
                .get(2..4)
                .is_some_and(|kk| kk.iter().all(u8::is_ascii_digit));
        if !shape_ok {
            return Err(BillPayError::new(
                ErrorCode::IbanInvalidCharacters,
                format!(
                    "an IBAN starts with a two-letter country code and two check digits, got \"{}\"",
                    clip(value)
                ),
            ));
        }
        if electronic.len() < 5 {
            return Err(BillPayError::new(
                ErrorCode::IbanTooShort,
                format!("\"{}\" is too short for an IBAN", clip(value)),
            ));
        }
        if electronic.len() > 34 {
            return Err(BillPayError::new(
                ErrorCode::IbanTooLong,
                "an IBAN has at most 34 characters",
            ));
        }
        let check_digits = electronic.get(2..4).unwrap_or("");
        if matches!(check_digits, "00" | "01" | "99") {
            return Err(BillPayError::new(
                ErrorCode::IbanInvalidCheckDigits,
                format!(
                    "IBAN check digits are always 02 to 98; \"{check_digits}\" is never issued"
                ),
            ));
        }
        match electronic.parse::<iban::Iban>() {
            Ok(_) => Ok(Iban { electronic }),
            Err(error) => Err(map_registry_error(error, &electronic)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.electronic
    }

    pub fn country(&self) -> &str {
        self.electronic.get(..2).unwrap_or("")
    }

    /// Paper format: groups of four separated by one space.
    pub fn formatted(&self) -> String {
        group(&self.electronic, 4)
    }

    /// Swiss and Liechtenstein QR-IBANs: institution id 30000–31999.
    pub fn is_qr_iban(&self) -> bool {
        matches!(self.country(), "CH" | "LI")
            && self
                .electronic
                .get(4..9)
                .and_then(|iid| iid.parse::<u32>().ok())
                .is_some_and(|iid| (30000..=31999).contains(&iid))
    }
}

fn map_registry_error(error: iban::ParseIbanError, electronic: &str) -> BillPayError {
    use iban::{ParseBaseIbanError as Base, ParseIbanError as E};
    let country = electronic.get(..2).unwrap_or("");
    match error {
        E::InvalidBaseIban { source } => match source {
            // A dropped or extra digit also breaks the checksum; the length is
            // the more useful news, so check the rest with fitting check digits.
            Base::InvalidChecksum => match with_fitting_check_digits(electronic)
                .and_then(|probe| probe.parse::<iban::Iban>().err())
            {
                Some(structural @ (E::InvalidBban(_) | E::UnknownCountry(_))) => {
                    map_registry_error(structural, electronic)
                }
                _ => BillPayError::new(
                    ErrorCode::IbanChecksumMismatch,
                    "the IBAN's check digits do not match (a typing error?)",
                ),
            },
            Base::InvalidFormat => BillPayError::new(
                ErrorCode::IbanInvalidCharacters,
                "this does not have the form of an IBAN",
            ),
        },
        E::UnknownCountry(_) => BillPayError::new(
            ErrorCode::IbanUnknownCountry,
            format!("\"{country}\" is not a country that issues IBANs"),
        ),
        E::InvalidBban(base) => {
            let length = base.electronic_str().len();
            BillPayError::new(
                ErrorCode::IbanInvalidBban,
                format!(
                    "this is not a valid {country} IBAN: wrong length ({length}) or account part format"
                ),
            )
        }
    }
}

/// The same IBAN with the check digits that make its ISO 7064 checksum fit.
fn with_fitting_check_digits(electronic: &str) -> Option<String> {
    let country = electronic.get(..2)?;
    let bban = electronic.get(4..)?;
    let mut remainder = 0u32;
    for c in bban.chars().chain(country.chars()).chain("00".chars()) {
        let value = c.to_digit(36)?;
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    Some(format!("{country}{:02}{bban}", 98 - remainder))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    let rest = text.get(prefix.len()..)?;
    // "IBANDE89..." is not a prefix: only "IBAN " or "IBAN:" introduce the number.
    let separated = rest.starts_with(' ') || rest.starts_with(':');
    (head.eq_ignore_ascii_case(prefix) && separated).then(|| rest.trim_start_matches([' ', ':']))
}

/// Splits ASCII text into groups of `size` separated by single spaces.
pub fn group(text: &str, size: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / size.max(1));
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i % size.max(1) == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A BIC in upper case, 8 or 11 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bic(String);

impl Bic {
    /// ISO 9362:2014: party prefix (4 alphanumerics), ISO country code (2 letters),
    /// location (2 alphanumerics), optional branch (3 alphanumerics).
    pub fn parse(value: &str) -> Result<Bic> {
        let compact: String = value
            .trim()
            .bytes()
            .filter(|b| *b != b' ')
            .map(|b| char::from(b.to_ascii_uppercase()))
            .collect();
        let bytes = compact.as_bytes();
        let alnum = |range: std::ops::Range<usize>| {
            bytes.get(range).is_some_and(|part| {
                part.iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            })
        };
        let letters = |range: std::ops::Range<usize>| {
            bytes
                .get(range)
                .is_some_and(|part| part.iter().all(u8::is_ascii_uppercase))
        };
        let shape_ok = (bytes.len() == 8 || bytes.len() == 11)
            && alnum(0..4)
            && letters(4..6)
            && alnum(6..8)
            && (bytes.len() == 8 || alnum(8..11));
        if !shape_ok {
            return Err(BillPayError::new(
                ErrorCode::BicInvalid,
                format!(
                    "a BIC has 8 or 11 letters and digits (e.g. \"COBADEFFXXX\"), got \"{}\"",
                    clip(value)
                ),
            ));
        }
        let country = compact.get(4..6).unwrap_or("");
        if !is_iso_country(country) {
            return Err(BillPayError::new(
                ErrorCode::BicUnknownCountry,
                format!("\"{country}\" in the BIC is not an ISO 3166 country code"),
            ));
        }
        Ok(Bic(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn country(&self) -> &str {
        self.0.get(4..6).unwrap_or("")
    }
}

/// ISO 3166-1 alpha-2 codes (officially assigned), plus XK (Kosovo), which
/// SWIFT uses in BICs.
const ISO_COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

pub fn is_iso_country(code: &str) -> bool {
    // Fixed-width table ("AD AE AF ..."): code i sits at 3 * i.
    let table = ISO_COUNTRIES.as_bytes();
    let count = (table.len() + 1) / 3;
    let (mut low, mut high) = (0, count);
    while low < high {
        let mid = (low + high) / 2;
        match table.get(3 * mid..3 * mid + 2) {
            Some(entry) if entry == code.as_bytes() => return true,
            Some(entry) if entry < code.as_bytes() => low = mid + 1,
            _ => high = mid,
        }
    }
    false
}

/// ISO 7064 MOD 97-10 remainder of an alphanumeric string (letters count as
/// 10..35), computed piecewise so that arbitrary lengths never overflow.
pub fn mod97(text: &str) -> Option<u32> {
    let mut rest: u32 = 0;
    for byte in text.bytes() {
        match byte {
            b'0'..=b'9' => rest = (rest * 10 + u32::from(byte - b'0')) % 97,
            b'A'..=b'Z' => {
                let value = u32::from(byte - b'A') + 10;
                rest = (rest * 100 + value) % 97;
            }
            _ => return None,
        }
    }
    Some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(value: &str) -> ErrorCode {
        Iban::parse(value).unwrap_err().code
    }

    #[test]
    fn accepts_registry_examples_in_both_formats() {
        for (iban, country) in [
            ("DE89370400440532013000", "DE"),
            ("DE89 3704 0044 0532 0130 00", "DE"),
            ("AT611904300234573201", "AT"),
            ("CH9300762011623852957", "CH"),
            ("LI21088100002324013AA", "LI"),
            ("NL91ABNA0417164300", "NL"),
            ("IBAN NL91 ABNA 0417 1643 00", "NL"),
            ("GB29NWBK60161331926819", "GB"),
            ("FR1420041010050500013M02606", "FR"),
            ("MT84MALT011000012345MTLCAST001S", "MT"),
            ("de89370400440532013000", "DE"),
        ] {
            let parsed = Iban::parse(iban).unwrap_or_else(|e| panic!("{iban}: {e}"));
            assert_eq!(parsed.country(), country);
        }
        assert_eq!(
            Iban::parse("DE89370400440532013000").unwrap().formatted(),
            "DE89 3704 0044 0532 0130 00"
        );
    }

    #[test]
    fn refuses_alias_check_digits_that_mod97_accepts() {
        assert_eq!(mod97("370400440000000024DE99"), Some(1));
        assert_eq!(
            code("DE99370400440000000024"),
            ErrorCode::IbanInvalidCheckDigits
        );
        assert_eq!(
            code("DE01370400440000000042"),
            ErrorCode::IbanInvalidCheckDigits
        );
        assert_eq!(
            code("DE00370400440532013000"),
            ErrorCode::IbanInvalidCheckDigits
        );
    }

    #[test]
    fn refuses_registry_violations_that_mod97_accepts() {
        // From python-stdnum's tests (standards.md §2.2): checksum fine, format wrong.
        assert_eq!(
            code("AT93 1904 3002 3457 3201 99"),
            ErrorCode::IbanInvalidBban
        );
        assert_eq!(code("NL56 3003 0A17 1643 00"), ErrorCode::IbanInvalidBban);
    }

    #[test]
    fn names_other_failures() {
        assert_eq!(code(""), ErrorCode::IbanEmpty);
        assert_eq!(code("   "), ErrorCode::IbanEmpty);
        assert_eq!(code("DE89-3704-0044"), ErrorCode::IbanInvalidCharacters);
        assert_eq!(
            code("DE88370400440532013000"),
            ErrorCode::IbanChecksumMismatch
        );
        // A dropped or doubled digit is a length problem first.
        assert_eq!(code("DE8937040044053201300"), ErrorCode::IbanInvalidBban);
        assert_eq!(code("DE893704004405320130000"), ErrorCode::IbanInvalidBban);
        assert_eq!(
            code("QQ89370400440532013000"),
            ErrorCode::IbanUnknownCountry
        );
        // No-break spaces from PDFs are spaces.
        assert!(Iban::parse("DE89\u{a0}3704\u{202f}0044 0532 0130 00").is_ok());
        let bban = "370400440532013000";
        let check = 98 - mod97(&format!("{bban}XX00")).unwrap();
        assert_eq!(
            code(&format!("XX{check:02}{bban}")),
            ErrorCode::IbanUnknownCountry
        );
        let short = "37040044053201300";
        let check = 98 - mod97(&format!("{short}DE00")).unwrap();
        assert_eq!(
            code(&format!("DE{check:02}{short}")),
            ErrorCode::IbanInvalidBban
        );
        assert_eq!(code("1234"), ErrorCode::IbanInvalidCharacters);
        assert_eq!(code(&"DE89".repeat(10)), ErrorCode::IbanTooLong);
        assert_eq!(code("DE89<script>"), ErrorCode::IbanInvalidCharacters);
    }

    #[test]
    fn recognises_qr_ibans_at_the_boundaries() {
        let make = |iid: &str| {
            let bban = format!("{iid}000000123456");
            let check = 98 - mod97(&format!("{bban}CH00")).unwrap();
            format!("CH{check:02}{bban}")
        };
        let qr = |iid: &str| Iban::parse(&make(iid)).unwrap().is_qr_iban();
        assert!(!qr("29999"));
        assert!(qr("30000"));
        assert!(qr("31999"));
        assert!(!qr("32000"));
    }

    #[test]
    fn country_table_is_sorted_and_searchable() {
        let codes: Vec<&str> = ISO_COUNTRIES.split(' ').collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        assert!(codes.iter().all(|c| is_iso_country(c)));
        assert!(!is_iso_country("XX") && !is_iso_country("") && !is_iso_country("D"));
    }

    #[test]
    fn checks_bics() {
        for ok in [
            "COBADEFF",
            "COBADEFFXXX",
            "BELADEBEXXX",
            "DEU1DEFF",
            "UBSWCHZH80A",
            "cobadeff",
        ] {
            assert!(Bic::parse(ok).is_ok(), "{ok}");
        }
        for (bad, expected) in [
            ("COBADEF", ErrorCode::BicInvalid),
            ("COBADEFFXX", ErrorCode::BicInvalid),
            ("COBA1EFF", ErrorCode::BicInvalid),
            ("COBAXXFF", ErrorCode::BicUnknownCountry),
            ("", ErrorCode::BicInvalid),
            ("CO-BADEFF", ErrorCode::BicInvalid),
        ] {
            assert_eq!(Bic::parse(bad).unwrap_err().code, expected, "{bad}");
        }
    }
}
