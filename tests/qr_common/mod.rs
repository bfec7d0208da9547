//! Helpers shared by the scannable-code tests (`mod qr_common;`).

use billpay::iban::mod97;
use billpay::qr::swiss::CreditorFields;

/// A valid IBAN for `country` and `bban` (check digits computed).
pub fn iban(country: &str, bban: &str) -> String {
    let check = 98 - mod97(&format!("{bban}{country}00")).unwrap();
    format!("{country}{check:02}{bban}")
}

/// The creditor as the JS glue hands it over: the object's six fields (its
/// shape — known fields, strings — is checked in JS); `null` for the default.
pub fn fields(json: &str) -> Option<&'static CreditorFields<'static>> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    if value.is_null() {
        return None;
    }
    let field = |key: &str| -> &'static str {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned()
            .leak()
    };
    Some(Box::leak(Box::new(CreditorFields {
        name: field("name"),
        street: field("street"),
        house_number: field("houseNumber"),
        postal_code: field("postalCode"),
        town: field("town"),
        country: field("country"),
    })))
}
