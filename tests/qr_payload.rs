//! Payloads of the scannable codes: byte-exact against the standards'
//! published examples, the block → payload mapping, and every invalid case
//! that reference/standards.md names, refused with a code and the field.

mod qr_common;

use billpay::block::PaymentBlock;
use billpay::exports::boundary as api;
use billpay::iban::Iban;
use billpay::money::{Amount, Currency};
use billpay::qr::epc::{EpcData, Remittance};
use billpay::qr::swiss::{Address, Reference, SwissBill};
use billpay::ErrorCode;
use qr_common::{fields, iban, locale_options};

fn block(currency: &str, iban: &str, reference: &str) -> String {
    format!(
        r#"{{"method":"invoice","amount":"2029.50","currency":"{currency}","bankAccount":{{"accountHolder":"BillPay GmbH","iban":"{iban}","bic":"POFICHBEXXX","bankName":"Bank","invoiceReference":"{reference}","dueDate":"2026-12-24","activated":true}}}}"#
    )
}

fn err(result: billpay::Result<String>) -> (ErrorCode, Option<String>) {
    let e = result.unwrap_err();
    (e.code, e.path)
}

#[test]
fn epc_example_1_is_byte_exact() {
    // EPC069-12 v2.1 example 1 (96 bytes UTF-8), as segno reproduces it.
    let data = EpcData {
        bic: Some("BHBLDEHHXXX"),
        name: "Franz Mustermänn",
        iban: "DE71110220330123456789",
        amount: Some(Amount::parse("12.3").unwrap()),
        purpose: Some("GDDS"),
        remittance: Remittance::Structured("RF18539007547034"),
        information: None,
    };
    let payload = data.payload().unwrap();
    assert_eq!(
        payload,
        "BCD\n002\n1\nSCT\nBHBLDEHHXXX\nFranz Mustermänn\nDE71110220330123456789\nEUR12.3\nGDDS\nRF18539007547034"
    );
    assert_eq!(payload.len(), 96);
}

#[test]
fn epc_example_2_matches_but_for_the_encoding() {
    // Example 2 declares ISO 8859-1 (`2`); we always write UTF-8 (`1`).
    // Everything else — empty BIC line, empty purpose and structured lines,
    // the unstructured text last — is the example's.
    let data = EpcData {
        bic: None,
        name: "François D'Alsace S.A.",
        iban: "FR1420041010050500013M02606",
        amount: Some(Amount::parse("12.30").unwrap()),
        purpose: None,
        remittance: Remittance::Unstructured("Client:Marie Louise La Lune"),
        information: None,
    };
    let example = "BCD\n002\n2\nSCT\n\nFrançois D'Alsace S.A.\nFR1420041010050500013M02606\nEUR12.3\n\n\nClient:Marie Louise La Lune";
    assert_eq!(
        data.payload().unwrap(),
        example.replacen("\n2\n", "\n1\n", 1)
    );
}

#[test]
fn epc_version_001_for_an_account_outside_the_eea() {
    // Outside the EEA the BIC is mandatory: version 001 (standards §7.2,
    // §11.5). Liechtenstein is in the EEA: 002 like the rest of it.
    for (iban, version) in [
        ("CH9300762011623852957", "001"),
        ("GB29NWBK60161331926819", "001"),
        ("LI21088100002324013AA", "002"),
        ("DE53100500000740123456", "002"),
    ] {
        let payload = api::epc_payload(&block("EUR", iban, "BP1001/4441")).unwrap();
        assert!(
            payload.starts_with(&format!("BCD\n{version}\n1\nSCT\nPOFICHBEXXX\n")),
            "{iban}: {payload:?}"
        );
    }
}

#[test]
fn epc_payload_of_a_block() {
    let json = block("EUR", "DE53100500000740123456", "BP1001/4441");
    assert_eq!(
        api::epc_payload(&json).unwrap(),
        "BCD\n002\n1\nSCT\nPOFICHBEXXX\nBillPay GmbH\nDE53100500000740123456\nEUR2029.5\n\n\nBP1001/4441"
    );
    // An RF reference goes to the structured line 10, in electronic form,
    // and nothing follows it.
    let json = block("EUR", "DE53100500000740123456", "RF18 5390 0754 7034");
    assert!(api::epc_payload(&json)
        .unwrap()
        .ends_with("EUR2029.5\n\nRF18539007547034"));
    // Amount forms: trailing zeros of the cents dropped.
    for (amount, element) in [
        ("0.01", "EUR0.01"),
        ("20.00", "EUR20"),
        ("12.30", "EUR12.3"),
        ("999999999.99", "EUR999999999.99"),
    ] {
        let json = json.replace("2029.50", amount);
        let payload = api::epc_payload(&json).unwrap();
        assert_eq!(payload.lines().nth(7), Some(element), "{amount}");
    }
}

#[test]
fn epc_refusals() {
    let ok = block("EUR", "DE53100500000740123456", "BP1001/4441");
    // Not a EUR transfer.
    assert_eq!(
        err(api::epc_payload(&ok.replace("\"EUR\"", "\"CHF\""))),
        (ErrorCode::QrNotApplicable, Some("currency".into()))
    );
    let debit = r#"{"method":"directDebit","amount":"1.00","currency":"EUR"}"#;
    assert_eq!(err(api::epc_payload(debit)).0, ErrorCode::QrNotApplicable);
    // SEPA since 2025, outside the EEA: with its BIC only.
    let me = iban("ME", "505000012345678951");
    let with_bic = block("EUR", &me, "BP1/1").replace("POFICHBEXXX", "CKBCMEPGXXX");
    assert!(api::epc_payload(&with_bic).unwrap().contains(&me));
    assert_eq!(
        err(api::epc_payload(
            &with_bic.replace("\"bic\":\"CKBCMEPGXXX\",", "")
        ))
        .0,
        ErrorCode::MissingField
    );
    // Non-SEPA account.
    let us = iban("BR", "00360305000010009795493P1");
    if Iban::parse(&us).is_ok() {
        assert_eq!(
            err(api::epc_payload(&block("EUR", &us, "BP1/1"))),
            (ErrorCode::QrNotApplicable, Some("bankAccount.iban".into()))
        );
    }
    // Bad IBANs never reach the payload.
    for (bad, code) in [
        ("DE99370400440000000024", ErrorCode::IbanInvalidCheckDigits),
        ("DE01370400440000000042", ErrorCode::IbanInvalidCheckDigits),
        ("DE88370400440532013000", ErrorCode::IbanChecksumMismatch),
        ("AT93 1904 3002 3457 3201 99", ErrorCode::IbanInvalidBban),
    ] {
        assert_eq!(
            err(api::epc_payload(&block("EUR", bad, "BP1/1"))),
            (code, Some("bankAccount.iban".into())),
            "{bad}"
        );
    }
    // Amount out of range.
    for amount in ["0.00", "1000000000.00"] {
        assert_eq!(
            err(api::epc_payload(&ok.replace("2029.50", amount))),
            (ErrorCode::AmountOutOfRange, Some("amount".into()))
        );
    }
    // Beneficiary name over 70 characters.
    let long = ok.replace("BillPay GmbH", &"B".repeat(71));
    assert_eq!(
        err(api::epc_payload(&long)),
        (
            ErrorCode::InvalidText,
            Some("bankAccount.accountHolder".into())
        )
    );
    // A damaged character (U+FFFD, what a lone surrogate becomes) is not
    // carried to the bank: in the name and in the reference.
    for (from, to, path) in [
        (
            "BillPay GmbH",
            "BillPay \u{fffd}GmbH",
            "bankAccount.accountHolder",
        ),
        (
            "BP1001/4441",
            "BP1001/\u{fffd}",
            "bankAccount.invoiceReference",
        ),
    ] {
        assert_eq!(
            err(api::epc_payload(&ok.replace(from, to))),
            (ErrorCode::InvalidText, Some(path.into()))
        );
    }
    // Unstructured remittance over 140 characters.
    let long = ok.replace("BP1001/4441", &"R".repeat(141));
    assert_eq!(
        err(api::epc_payload(&long)),
        (
            ErrorCode::InvalidText,
            Some("bankAccount.invoiceReference".into())
        )
    );
    // 331 bytes: 70 + 140 characters of multi-byte text do not fit.
    let heavy = ok
        .replace("BillPay GmbH", &"ä".repeat(70))
        .replace("BP1001/4441", &"ö".repeat(140));
    assert_eq!(
        err(api::epc_payload(&heavy)),
        (ErrorCode::QrDataTooLong, Some("bankAccount".into()))
    );
    // RF aliases and wrong check digits are not structured references.
    for fake in ["RF9936", "RF720191230100405JSH0438", "RF19539007547034"] {
        let payload = api::epc_payload(&ok.replace("BP1001/4441", fake)).unwrap();
        assert!(
            payload.ends_with(&format!("\n\n{fake}")),
            "{fake}: {payload}"
        );
    }
}

/// SIX IG QR-bill, appendix example "Robert Schneider AG" with a QR-IBAN,
/// QRR, debtor, bill information and two alternative procedures.
#[test]
fn swiss_ig_example_is_byte_exact() {
    let address = |name: &str, street: &str, number: &str, code: &str, town: &str| Address {
        name: name.into(),
        street: street.into(),
        house_number: number.into(),
        postal_code: code.into(),
        town: town.into(),
        country: "CH".into(),
    };
    let bill = SwissBill {
        iban: Iban::parse("CH4431999123000889012").unwrap(),
        creditor: address("Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel"),
        amount: Some(Amount::parse("1949.75").unwrap()),
        currency: Currency::Chf,
        debtor: Some(address(
            "Pia-Maria Rutschmann-Schnyder",
            "Grosse Marktgasse",
            "28",
            "9400",
            "Rorschach",
        )),
        reference: Reference::Qrr("210000000003139471430009017".into()),
        message: "Order of 15 June 2020".into(),
        bill_information:
            "//S1/10/10201409/11/200701/20/140.000-53/30/102673831/31/200615/32/7.7/33/7.7:139.40/40/0:30"
                .into(),
        alternatives: vec![
            "Name AV1: UV;UltraPay005;12345".into(),
            "Name AV2: XY;XYService;54321".into(),
        ],
    };
    let expected = [
        "SPC", "0200", "1", "CH4431999123000889012", "S", "Robert Schneider AG", "Rue du Lac",
        "1268", "2501", "Biel", "CH", "", "", "", "", "", "", "", "1949.75", "CHF", "S",
        "Pia-Maria Rutschmann-Schnyder", "Grosse Marktgasse", "28", "9400", "Rorschach", "CH",
        "QRR", "210000000003139471430009017", "Order of 15 June 2020", "EPD",
        "//S1/10/10201409/11/200701/20/140.000-53/30/102673831/31/200615/32/7.7/33/7.7:139.40/40/0:30",
        "Name AV1: UV;UltraPay005;12345", "Name AV2: XY;XYService;54321",
    ]
    .join("\n");
    assert_eq!(bill.checked_payload().unwrap(), expected);
    assert_eq!(expected.lines().count(), 34);
}

#[test]
fn swiss_payload_of_a_block() {
    // Normal IBAN, BillPay reference: NON, reference as the message; the
    // default creditor (BillPay's Swiss branch, no street); no debtor.
    let json = block("CHF", "CH9300762011623852957", "BP1004/4441");
    let expected = [
        "SPC",
        "0200",
        "1",
        "CH9300762011623852957",
        "S",
        "BillPay GmbH, Zweigniederlassung Schweiz",
        "",
        "",
        "8105",
        "Regensdorf",
        "CH",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "2029.50",
        "CHF",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "NON",
        "",
        "BP1004/4441",
        "EPD",
    ]
    .join("\n");
    assert_eq!(
        api::swiss_qr_payload(&json, fields("null")).unwrap(),
        expected
    );
    assert_eq!(expected.lines().count(), 31);
    // RF reference: SCOR, no message.
    let json = block("EUR", "CH9300762011623852957", "RF18539007547034");
    let payload = api::swiss_qr_payload(&json, fields("null")).unwrap();
    assert!(payload.contains("\n2029.50\nEUR\n"), "{payload}");
    assert!(
        payload.ends_with("\nSCOR\nRF18539007547034\n\nEPD"),
        "{payload}"
    );
    // QR-IBAN with a QR reference: QRR; LI works like CH.
    let qr_iban = iban("CH", "30000001234567890");
    let json = block("CHF", &qr_iban, "21 00000 00003 13947 14300 09017");
    let payload = api::swiss_qr_payload(&json, fields("null")).unwrap();
    assert!(payload.ends_with("\nQRR\n210000000003139471430009017\n\nEPD"));
    let li = iban("LI", "088100002324013AA");
    assert!(api::swiss_qr_payload(&block("CHF", &li, "BP1/1"), fields("null")).is_ok());
    // A creditor with everything, transliterated into the character set.
    let creditor = r#"{"name":"Müller & Fils “Genève” – Sàrl","street":"Rue de l’Hôpital","houseNumber":"12a","postalCode":"1204","town":"Genève","country":"CH"}"#;
    let payload = api::swiss_qr_payload(
        &block("CHF", "CH9300762011623852957", "BP1/1"),
        fields(creditor),
    )
    .unwrap();
    assert!(payload.contains(
        "\nS\nMüller & Fils \"Genève\" - Sàrl\nRue de l'Hôpital\n12a\n1204\nGenève\nCH\n"
    ));
    // Transaction credit in CHF (instalments): no amount, the payer enters it.
    let credit = json.replace("\"invoice\"", "\"transactionCredit\"");
    let payload = api::swiss_qr_payload(&credit, fields("null")).unwrap();
    assert!(payload.contains("\n\nCHF\n"), "{payload}");
}

#[test]
fn swiss_refusals() {
    let normal = "CH9300762011623852957";
    let qr_iban = iban("CH", "30000001234567890");
    let swiss = |json: &str, creditor: &str| err(api::swiss_qr_payload(json, fields(creditor)));
    let reference = Some("bankAccount.invoiceReference".to_owned());
    // QR-IBAN without a valid QR reference: BillPay reference, RF, all
    // zeros, wrong check digit.
    for bad in [
        "BP1004/4441",
        "RF18539007547034",
        "000000000000000000000000000",
        "210000000003139471430009018",
    ] {
        assert_eq!(
            swiss(&block("CHF", &qr_iban, bad), "null"),
            (ErrorCode::QrReferenceMismatch, reference.clone()),
            "{bad}"
        );
    }
    // A QR reference to a normal IBAN: the bank data do not fit together
    // (the README's error table), however it is written.
    for qrr in [
        "210000000003139471430009017",
        "21 00000 00003 13947 14300 09017",
    ] {
        assert_eq!(
            swiss(&block("CHF", normal, qrr), "null"),
            (ErrorCode::QrReferenceMismatch, reference.clone()),
            "{qrr}"
        );
    }
    // QRR with a normal IBAN cannot be built.
    let mut bill = SwissBill::from_block(
        &PaymentBlock::from_json(&block("CHF", normal, "BP1/1")).unwrap(),
        Address::default(),
    )
    .unwrap();
    bill.reference = Reference::Qrr("210000000003139471430009017".into());
    assert_eq!(
        bill.checked_payload().unwrap_err().code,
        ErrorCode::QrReferenceMismatch
    );
    // Not a CH/LI account, or no transfer at all.
    assert_eq!(
        swiss(&block("CHF", "DE53100500000740123456", "BP1/1"), "null"),
        (ErrorCode::QrNotApplicable, Some("bankAccount.iban".into()))
    );
    let debit = r#"{"method":"paylater","amount":"1.00","currency":"CHF"}"#;
    assert_eq!(swiss(debit, "null").0, ErrorCode::QrNotApplicable);
    // Amounts and currencies.
    for amount in ["0.00", "1000000000.00"] {
        assert_eq!(
            swiss(
                &block("CHF", normal, "BP1/1").replace("2029.50", amount),
                "null"
            ),
            (ErrorCode::AmountOutOfRange, Some("amount".into()))
        );
    }
    assert_eq!(
        swiss(&block("USD", normal, "BP1/1"), "null").0,
        ErrorCode::UnsupportedCurrency
    );
    // Text outside the character set that has no plain form.
    let ok = block("CHF", normal, "BP1/1");
    let creditor = |field: &str, value: &str| {
        let base =
            r#"{"name":"BillPay GmbH","postalCode":"8105","town":"Regensdorf","country":"CH"}"#;
        let mut value_json = serde_json::from_str::<serde_json::Value>(base).unwrap();
        value_json[field] = serde_json::Value::String(value.into());
        value_json.to_string()
    };
    for (field, value, code) in [
        ("name", "BillPay 😀", ErrorCode::UnsupportedCharacter),
        ("town", "Москва", ErrorCode::UnsupportedCharacter),
        ("name", "", ErrorCode::InvalidText),
        ("name", &"N".repeat(71), ErrorCode::InvalidText),
        ("street", &"S".repeat(71), ErrorCode::InvalidText),
        ("houseNumber", &"1".repeat(17), ErrorCode::InvalidText),
        ("postalCode", "", ErrorCode::InvalidText),
        ("postalCode", &"1".repeat(17), ErrorCode::InvalidText),
        ("town", &"T".repeat(36), ErrorCode::InvalidText),
        ("country", "XX", ErrorCode::InvalidCountryCode),
        ("country", "ch", ErrorCode::InvalidCountryCode),
        ("country", "CHE", ErrorCode::InvalidCountryCode),
        // Nothing but spaces once zero-width and special spaces are gone.
        ("name", "\u{200b} \u{200b}", ErrorCode::InvalidText),
        ("town", "\u{2060}\u{2003}\u{2060}", ErrorCode::InvalidText),
        ("postalCode", "\u{feff}", ErrorCode::InvalidText),
    ] {
        assert_eq!(
            swiss(&ok, &creditor(field, value)),
            (code, Some(format!("creditor.{field}"))),
            "{field} = {value:?}"
        );
    }
    // The reference as message: character set and 140 characters.
    assert_eq!(
        swiss(&block("CHF", normal, "BP 💶"), "null"),
        (ErrorCode::UnsupportedCharacter, reference.clone())
    );
    assert_eq!(
        swiss(&block("CHF", normal, &"R".repeat(141)), "null"),
        (ErrorCode::InvalidText, reference)
    );
    // What transliteration leaves at the ends is trimmed; letters written
    // decomposed (base letter + combining mark) are composed, as NFC does.
    let payload = api::swiss_qr_payload(
        &ok,
        fields(
            r#"{"name":"\u200b Gemu\u0308sehof AG \u200b","postalCode":"8001","town":"Zu\u0308rich\u2003","country":"CH"}"#,
        ),
    )
    .unwrap();
    let lines: Vec<&str> = payload.lines().collect();
    assert_eq!(
        lines.get(5..11),
        Some(&["Gemüsehof AG", "", "", "8001", "Zürich", "CH"][..])
    );
    // 997 is a byte limit: 140 € in the message and 70 in each name field
    // are fewer than 997 characters but more bytes than version 25 holds.
    let euros = |n: usize| "€".repeat(n);
    let long = block("CHF", normal, &euros(140));
    let creditor_json = format!(
        r#"{{"name":"{}","street":"{}","houseNumber":"1","postalCode":"8001","town":"{}","country":"CH"}}"#,
        euros(70),
        euros(70),
        euros(35)
    );
    let e = api::swiss_qr_payload(&long, fields(&creditor_json)).unwrap_err();
    assert_eq!(e.code, ErrorCode::QrDataTooLong);
    assert!(e.message.contains("997 bytes"), "{}", e.message);
    // Address type K is never written: only S.
    let payload = api::swiss_qr_payload(&ok, fields("null")).unwrap();
    assert_eq!(payload.lines().nth(4), Some("S"));
}

#[test]
fn render_options_are_checked() {
    let ok = block("CHF", "CH9300762011623852957", "BP1/1");
    let e = api::render_swiss_qr_bill(&ok, "null", &locale_options("es")).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_deref()),
        (ErrorCode::UnsupportedLocale, Some("options.locale"))
    );
    for locale in ["de", "fr", "it", "en", "nl"] {
        let svg = api::render_swiss_qr_bill(&ok, "null", &locale_options(locale)).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("width=\"210mm\" height=\"105mm\""));
        assert!(!svg.contains("style="), "presentation attributes only");
        // The IG has no Dutch headings: a Dutch bill is English, and says so.
        let lang = if locale == "nl" { "en" } else { locale };
        assert!(svg.contains(&format!(" lang=\"{lang}\">")), "{locale}");
    }
}
