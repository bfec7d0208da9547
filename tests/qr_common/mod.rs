//! Helpers shared by the scannable-code tests (`mod qr_common;`).

use billpay::iban::mod97;

/// A valid IBAN for `country` and `bban` (check digits computed).
pub fn iban(country: &str, bban: &str) -> String {
    let check = 98 - mod97(&format!("{bban}{country}00")).unwrap();
    format!("{country}{check:02}{bban}")
}

/// The creditor as the JS glue hands it over: the object as JSON text (its
/// shape — known fields, strings — is checked in JS); `null` for the default.
pub fn fields(json: &str) -> &str {
    json
}

/// The options of `renderSwissQrBill` with `locale`.
#[allow(dead_code)]
pub fn locale_options(locale: &str) -> String {
    format!(r#"{{"locale":"{locale}"}}"#)
}
