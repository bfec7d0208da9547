//! Every code we draw is read back: the SVG is rasterised with resvg, the
//! pixels are decoded with rqrr, and the decoded bytes must equal the
//! payload; the symbol must be at error correction level M and within the
//! version limit (EPC ≤ 13, Swiss ≤ 25). Inputs are a deterministic spread:
//! umlauts and accents, long names, many countries, amounts at the limits.

mod qr_common;

use billpay::exports::boundary as api;
use qr_common::{fields, iban, locale_options};
use resvg::{tiny_skia, usvg};

/// What rqrr reads: (bytes, version, ecc level) per symbol found.
fn decode(svg: &str, scale: f32) -> Vec<(Vec<u8>, usize, u16)> {
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).expect("valid SVG");
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).unwrap();
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let data = pixmap.data();
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
        let i = (y * w as usize + x) * 4;
        // Opaque white background: the green channel is the luminance.
        data[i + 1]
    });
    image
        .detect_grids()
        .into_iter()
        .map(|grid| {
            let mut bytes = Vec::new();
            let meta = grid.decode_to(&mut bytes).expect("decodes");
            (bytes, meta.version.0, meta.ecc_level)
        })
        .collect()
}

/// rqrr's level numbering follows the format bits: M = 0.
const LEVEL_M: u16 = 0;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }
}

const NAMES: &[&str] = &[
    "BillPay GmbH",
    "Müller & Söhne Kaffeerösterei GmbH",
    "François Dubois-Lefèvre SA",
    "Ørsted Æbleskiver ApS",
    "Łukasz Żółć sp. z o.o.",
    "Ștefan Țărănescu SRL",
    "O'Brien \"The Grocer\" <Ltd>",
    "Zweigniederlassung Schweiz der BillPay GmbH, Kundenbuchhaltung Rechnungen",
];
const AMOUNTS: &[&str] = &[
    "0.01",
    "1.00",
    "113.70",
    "2029.50",
    "99999.99",
    "999999999.99",
];

fn amount_and_name(rng: &mut Rng) -> (String, String) {
    let name: String = rng.pick(NAMES).chars().take(70).collect();
    (rng.pick(AMOUNTS).to_string(), name)
}

fn block(amount: &str, currency: &str, holder: &str, iban: &str, reference: &str) -> String {
    serde_json::json!({
        "method": "invoice", "amount": amount, "currency": currency,
        "bankAccount": {
            "accountHolder": holder, "iban": iban, "bic": "COBADEFFXXX", "bankName": "Bank",
            "invoiceReference": reference, "activated": false,
        }
    })
    .to_string()
}

fn figure_svg(html: &str) -> &str {
    let start = html.find("<svg").expect("the block has a code");
    let end = html.find("<figcaption>").unwrap();
    &html[start..end]
}

#[test]
fn epc_codes_in_the_block_decode_to_their_payload() {
    let mut rng = Rng(0x5eed_e9c0);
    let countries: &[(&str, usize, bool)] = &[
        // (country, BBAN digits, letters in front?)
        ("DE", 18, false),
        ("AT", 16, false),
        ("BE", 12, false),
        ("FI", 14, false),
        ("EE", 16, false),
        ("ES", 20, false),
        ("PT", 21, false),
        ("SK", 20, false),
        ("NL", 10, true),
    ];
    let mut decoded = 0;
    for i in 0..24 {
        let &(country, digits, letters) = rng.pick(countries);
        let bban = if letters {
            format!("ABNA{}", rng.digits(digits))
        } else {
            rng.digits(digits)
        };
        let (amount, name) = amount_and_name(&mut rng);
        let reference = match i % 3 {
            0 => format!("BP{}/4441", rng.digits(7)),
            1 => "RF18539007547034".to_owned(),
            _ => format!("Rechnung BP{}/4441 – Bestellung vom 26.11.", rng.digits(4)),
        };
        let json = block(&amount, "EUR", &name, &iban(country, &bban), &reference);
        let payload = api::epc_payload(&json).unwrap();
        let html = api::render_payment_block(&json, "null").unwrap();
        assert!(html.contains("billpay-payment__qr--epc"));
        let found = decode(figure_svg(&html), 4.0);
        assert_eq!(found.len(), 1, "{payload}");
        let (bytes, version, level) = &found[0];
        assert_eq!(bytes.as_slice(), payload.as_bytes(), "{payload}");
        assert_eq!(*level, LEVEL_M);
        assert!(*version <= 13, "version {version}");
        decoded += 1;
    }
    assert_eq!(decoded, 24);
}

#[test]
fn swiss_codes_decode_from_the_block_and_from_the_bill() {
    let mut rng = Rng(0xc4_11ff);
    let creditors = [
        "null".to_owned(),
        serde_json::json!({"name": "Zürcher Kantonalbank Filiale Örlikon – Rechnungsstelle für Kunden", "street": "Bahnhofstrasse", "houseNumber": "9a", "postalCode": "8001", "town": "Zürich", "country": "CH"}).to_string(),
        serde_json::json!({"name": "Crédit Agricole Genève Sàrl", "street": "Rue du Rhône", "houseNumber": "1", "postalCode": "1204", "town": "Genève", "country": "CH"}).to_string(),
        serde_json::json!({"name": "Łódź Import GmbH", "postalCode": "9490", "town": "Vaduz", "country": "LI"}).to_string(),
        serde_json::json!({"name": "BillPay GmbH", "street": "Zinnowitzer Straße", "houseNumber": "1", "postalCode": "10115", "town": "Berlin", "country": "DE"}).to_string(),
    ];
    for i in 0..15 {
        let (amount, name) = amount_and_name(&mut rng);
        let currency = if i % 4 == 3 { "EUR" } else { "CHF" };
        let (account, reference) = match i % 3 {
            0 => (
                iban("CH", &format!("00762{}", rng.digits(12))),
                format!("BP{}/4441", rng.digits(6)),
            ),
            1 => {
                let base = rng.digits(26);
                let check = billpay::qr::reference::qr_reference_check_digit(&base).unwrap();
                (
                    iban(
                        if i % 2 == 0 { "LI" } else { "CH" },
                        // A QR-IBAN (QR-IID 30000-31999): a QR reference goes nowhere else.
                        &format!("30{}", rng.digits(15)),
                    ),
                    format!("{base}{check}"),
                )
            }
            _ => (
                iban("LI", &format!("08810{}", rng.digits(12))),
                "RF23EF4UHBVNPLHKG3HZ9SGGT".to_owned(),
            ),
        };
        let json = block(&amount, currency, &name, &account, &reference);
        let creditor = &creditors[i % creditors.len()];
        let locale = ["de", "fr", "it", "en"][i % 4];
        let payload = api::swiss_qr_payload(&json, fields(creditor)).unwrap();

        let svg =
            api::render_swiss_qr_bill(&json, fields(creditor), &locale_options(locale)).unwrap();
        // 210 mm at 96 dpi is 794 px; 3× gives 46 mm ≈ 522 px for the symbol.
        let found = decode(&svg, 3.0);
        assert_eq!(found.len(), 1, "bill {i}");
        let (bytes, version, level) = &found[0];
        assert_eq!(bytes.as_slice(), payload.as_bytes(), "bill {i}: {payload}");
        assert_eq!(*level, LEVEL_M);
        assert!(*version <= 25);

        if creditor == "null" {
            let html = api::render_payment_block(&json, "null").unwrap();
            assert!(html.contains("billpay-payment__qr--swiss"));
            let found = decode(figure_svg(&html), 3.0);
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].0.as_slice(), payload.as_bytes());
        }
    }
}

#[test]
fn no_code_where_none_belongs() {
    let debit = r#"{"method":"directDebit","amount":"24.80","currency":"EUR"}"#;
    let paylater = r#"{"method":"paylater","amount":"24.80","currency":"CHF"}"#;
    let chf_to_de = block(
        "10.00",
        "CHF",
        "BillPay GmbH",
        "DE53100500000740123456",
        "BP1/1",
    );
    for json in [debit, paylater, chf_to_de.as_str()] {
        let html = api::render_payment_block(json, r#"{"qr":"auto"}"#).unwrap();
        assert!(!html.contains("<svg"), "{json}");
    }
    let eur = block(
        "10.00",
        "EUR",
        "BillPay GmbH",
        "DE53100500000740123456",
        "BP1/1",
    );
    assert!(!api::render_payment_block(&eur, r#"{"qr":"none"}"#)
        .unwrap()
        .contains("<svg"));
    assert!(!api::render_payment_block(&eur, r#"{"format":"text"}"#)
        .unwrap()
        .contains("BCD"));
}
