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
    read_symbols(w as usize, h as usize, |x, y| {
        let i = (y * w as usize + x) * 4;
        // Opaque white background: the green channel is the luminance.
        data[i + 1]
    })
}

/// What rqrr reads in a picture of `w × h` gray pixels (`pixel(x, y)`).
fn read_symbols(
    w: usize,
    h: usize,
    pixel: impl FnMut(usize, usize) -> u8,
) -> Vec<(Vec<u8>, usize, u16)> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, pixel);
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

/// The pixels of a PNG `data:` URI as the `png` crate reads them (8-bit
/// gray), and its width.
fn png_pixels(uri: &str) -> (usize, Vec<u8>) {
    let base64 = uri
        .strip_prefix("data:image/png;base64,")
        .expect("a PNG data URI");
    let sextet = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut bytes = Vec::new();
    for quad in base64.as_bytes().chunks(4) {
        let digits: Vec<u8> = quad
            .iter()
            .filter(|c| **c != b'=')
            .map(|c| sextet(*c))
            .collect();
        let n = digits.iter().fold(0u32, |n, d| n << 6 | u32::from(*d)) << (6 * (4 - digits.len()));
        bytes.extend_from_slice(&n.to_be_bytes()[1..digits.len()]);
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).expect("its pixels");
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.width, info.height, "square");
    pixels.truncate(info.buffer_size());
    (info.width as usize, pixels)
}

/// What rqrr reads in a PNG data URI (`png_pixels`).
fn decode_png(uri: &str) -> Vec<(Vec<u8>, usize, u16)> {
    let (width, pixels) = png_pixels(uri);
    read_symbols(width, width, |x, y| pixels[y * width + x])
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

/// An invoice of 10.00 EUR to a German account.
fn ten_euros() -> String {
    block(
        "10.00",
        "EUR",
        "BillPay GmbH",
        "DE53100500000740123456",
        "BP1/1",
    )
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
        // The same code as a PNG for e-mails, sharp at twice its 159 px.
        let uri = api::render_qr_code_png(&json).unwrap();
        assert_eq!(decode_png(&uri), found, "PNG: {payload}");
        assert!(png_pixels(&uri).0 >= 2 * 159, "PNG: {payload}");
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
            // The same code as a PNG for e-mails, sharp at twice its 212 px.
            let uri = api::render_qr_code_png(&json).unwrap();
            assert_eq!(decode_png(&uri), found, "PNG: {payload}");
            assert!(png_pixels(&uri).0 >= 2 * 212, "PNG: {payload}");
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
        let html = api::render_payment_block(json, r#"{"qrImage":"cid:billpay-qr@shop.example"}"#)
            .unwrap();
        assert!(!html.contains("<img"), "{json}");
        let error = api::render_qr_code_png(json).unwrap_err();
        assert_eq!(error.code.as_str(), "QR_NOT_APPLICABLE", "{json}: {error}");
    }
    let eur = ten_euros();
    assert!(!api::render_payment_block(&eur, r#"{"qr":"none"}"#)
        .unwrap()
        .contains("<svg"));
    assert!(!api::render_payment_block(&eur, r#"{"format":"text"}"#)
        .unwrap()
        .contains("BCD"));
}

/// The PNG for e-mails draws the Swiss QR Code as the SVG does: the Swiss
/// cross of 7 mm (a white square, the black one, the white cross) in the
/// middle of the 46 mm code, and the 5 mm margin around it.
#[test]
fn the_swiss_png_has_the_cross_and_the_margin() {
    let json = block(
        "199.95",
        "CHF",
        "BillPay GmbH",
        &iban("CH", "00762011623852957"),
        "BP1001/4441",
    );
    let (width, pixels) = png_pixels(&api::render_qr_code_png(&json).unwrap());
    let dark = |x: usize, y: usize| pixels[y * width + x] < 128;
    // The image is 56 mm wide: a millimetre is width / 56 pixels.
    let mm = |m: f64| (m * width as f64 / 56.0).round() as usize;
    let centre = width / 2;
    assert!(!dark(centre, centre), "the cross's middle is white");
    // Inside the black square, outside the arms (arms 7/6 mm wide).
    assert!(dark(centre - mm(2.6), centre - mm(2.6)));
    assert!(dark(centre + mm(2.6), centre + mm(2.6)));
    // The arms reach 35/18 mm from the middle.
    assert!(!dark(centre + mm(1.7), centre));
    assert!(!dark(centre, centre - mm(1.7)));
    // The white border: between 3 and 3.5 mm from the middle.
    assert!(!dark(centre + mm(3.25), centre + mm(3.25)));
    // The margin: no dark pixel in the outer 5 mm.
    let margin = mm(5.0) - 1;
    for y in 0..width {
        for x in 0..width {
            if x < margin || y < margin || x >= width - margin || y >= width - margin {
                assert!(!dark(x, y), "({x}, {y}) in the margin");
            }
        }
    }
    // The finder patterns' corners sit right after it.
    assert!(dark(margin + 1, margin + 1));
}

/// `qrImage` puts the code's image into the block instead of its SVG,
/// escaped, with the size the SVG has; only `cid:` and https sources.
#[test]
fn an_email_block_refers_to_its_image() {
    let eur = ten_euros();
    let html =
        api::render_payment_block(&eur, r#"{"locale":"en","qrImage":"cid:qr&1@shop.example"}"#)
            .unwrap();
    assert!(!html.contains("<svg"));
    assert!(html.contains(
        r#"<img class="billpay-payment__qr-code" src="cid:qr&amp;1@shop.example" width="159" height="159" alt="EPC QR code">"#
    ), "{html}");
    let chf = block(
        "10.00",
        "CHF",
        "BillPay GmbH",
        &iban("CH", "00762011623852957"),
        "BP1/1",
    );
    let html = api::render_payment_block(
        &chf,
        r#"{"locale":"fr","qrImage":"https://shop.example/qr/1001.png?v=2"}"#,
    )
    .unwrap();
    assert!(html.contains(
        r#"src="https://shop.example/qr/1001.png?v=2" width="212" height="212" alt="Swiss QR Code">"#
    ), "{html}");
    // Text and `qr: "none"` carry no code, with or without an image.
    for options in [
        r#"{"format":"text","qrImage":"cid:x"}"#,
        r#"{"qr":"none","qrImage":"cid:x"}"#,
    ] {
        let out = api::render_payment_block(&eur, options).unwrap();
        assert!(!out.contains("cid:x") && !out.contains("<img"), "{options}");
    }
    for bad in [
        "cid:",
        "http://shop.example/qr.png",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "cid:a b",
        "cid:<x@y>",
        // Delimiters a URL parser would cut the Content-ID at.
        "cid:qr#1@shop.example",
        "cid:qr?1@shop.example",
        "qr.png",
    ] {
        let options = serde_json::json!({ "qrImage": bad }).to_string();
        let error = api::render_payment_block(&eur, &options).unwrap_err();
        assert_eq!(error.code.as_str(), "INVALID_URL", "{bad}");
        assert_eq!(error.path.as_deref(), Some("options.qrImage"), "{bad}");
    }
}
