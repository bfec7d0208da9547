//! The QR-bill's payment part and receipt as one SVG, 210 × 105 mm, laid out
//! after the IG (standards §6.4): receipt 62 mm wide on the left (title,
//! account / payable to, reference, payable by, amount, acceptance point),
//! payment part on the right (title, Swiss QR Code 46 mm at 67/17 mm,
//! amount, and the information column at 118 mm), dashed separation lines
//! with scissors and "Separate before paying in" for plain A4 paper.
//!
//! Units: the root viewBox is in 1/36 mm (1 pt = 12.7 units, 46 mm = 1656);
//! positions are kept in tenths of a unit, integers throughout.

use super::svg::{num, swiss_symbol};
use super::swiss::{Address, SwissBill};
use super::Symbol;
use crate::prelude::*;
use crate::render::i18n::Locale;
use crate::render::markup::escape_into;

/// One millimetre and one point, in tenths of 1/36 mm.
const MM: i32 = 360;
const PT: i32 = 127;

/// Headings in the four IG languages (standards §6.4).
pub struct BillTexts {
    pub payment_part: &'static str,
    pub receipt: &'static str,
    pub account: &'static str,
    pub reference: &'static str,
    pub additional_information: &'static str,
    pub currency: &'static str,
    pub amount: &'static str,
    pub acceptance_point: &'static str,
    pub payable_by: &'static str,
    pub payable_by_blank: &'static str,
}

pub static DE: BillTexts = BillTexts {
    payment_part: "Zahlteil",
    receipt: "Empfangsschein",
    account: "Konto / Zahlbar an",
    reference: "Referenz",
    additional_information: "Zusätzliche Informationen",
    currency: "Währung",
    amount: "Betrag",
    acceptance_point: "Annahmestelle",
    payable_by: "Zahlbar durch",
    payable_by_blank: "Zahlbar durch (Name/Adresse)",
};

pub static FR: BillTexts = BillTexts {
    payment_part: "Section paiement",
    receipt: "Récépissé",
    account: "Compte / Payable à",
    reference: "Référence",
    additional_information: "Informations supplémentaires",
    currency: "Monnaie",
    amount: "Montant",
    acceptance_point: "Point de dépôt",
    payable_by: "Payable par",
    payable_by_blank: "Payable par (nom/adresse)",
};

pub static IT: BillTexts = BillTexts {
    payment_part: "Sezione pagamento",
    receipt: "Ricevuta",
    account: "Conto / Pagabile a",
    reference: "Riferimento",
    additional_information: "Informazioni supplementari",
    currency: "Valuta",
    amount: "Importo",
    acceptance_point: "Punto di accettazione",
    payable_by: "Pagabile da",
    payable_by_blank: "Pagabile da (nome/indirizzo)",
};

pub static EN: BillTexts = BillTexts {
    payment_part: "Payment part",
    receipt: "Receipt",
    account: "Account / Payable to",
    reference: "Reference",
    additional_information: "Additional information",
    currency: "Currency",
    amount: "Amount",
    acceptance_point: "Acceptance point",
    payable_by: "Payable by",
    payable_by_blank: "Payable by (name/address)",
};

/// The IG defines the slip in German, French, Italian and English; Dutch
/// readers get the English headings.
pub fn texts(locale: Locale) -> &'static BillTexts {
    match locale {
        Locale::De => &DE,
        Locale::Fr => &FR,
        Locale::It => &IT,
        Locale::En | Locale::Nl => &EN,
    }
}

/// Advance widths of Helvetica/Arial (1/1000 em) for U+0020–U+007E.
const WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

fn ascii_width(c: char) -> Option<u16> {
    WIDTHS
        .get(u32::from(c).wrapping_sub(0x20) as usize)
        .copied()
}

/// A character's advance width, at least: other characters than ASCII count
/// as 667 (wider than any accented lower-case letter), an accented letter
/// as its base letter when that is wider (`Ŵ` as `W`), and the few wider
/// letters and signs of the character set as themselves, so that wrapping
/// errs on the short side.
fn advance(c: char) -> u16 {
    if let Some(width) = ascii_width(c) {
        return width;
    }
    let width = WIDE
        .iter()
        .find(|(wide, _)| u32::from(*wide) == u32::from(c))
        .map(|(_, width)| *width)
        .or_else(|| super::charset::base_letter(c).and_then(ascii_width))
        .unwrap_or(0);
    width.max(667)
}

/// The letters and signs of the character set wider than 667 that are not
/// an accented ASCII letter (Helvetica/Arial widths).
const WIDE: [(u16, u16); 15] = [
    (0xc6, 1000),  // Æ
    (0x152, 1000), // Œ
    (0x132, 1000), // Ĳ
    (0x153, 944),  // œ
    (0xe6, 889),   // æ
    (0xbc, 834),   // ¼
    (0xbd, 834),   // ½
    (0xbe, 834),   // ¾
    (0xd8, 778),   // Ø
    (0xa9, 737),   // ©
    (0xae, 737),   // ®
    (0xd0, 722),   // Ð
    (0x110, 722),  // Đ
    (0x126, 722),  // Ħ
    (0x14a, 722),  // Ŋ
];

fn text_width(text: &str, size: i32) -> i32 {
    let em: i64 = text.chars().map(|c| i64::from(advance(c))).sum();
    i32::try_from(em * i64::from(size) / 1000).unwrap_or(i32::MAX)
}

/// Greedy word wrap to `width`; a word longer than a line is cut.
fn wrap(text: &str, width: i32, size: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            [line.as_str(), " ", word].concat()
        };
        if text_width(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(core::mem::take(&mut line));
        }
        let mut rest = String::new();
        for c in word.chars() {
            rest.push(c);
            if text_width(&rest, size) > width {
                rest.pop();
                lines.push(core::mem::take(&mut rest));
                rest.push(c);
            }
        }
        line = rest;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `1 949.75`: space as thousands separator, point for the decimals.
pub fn format_amount(amount: crate::money::Amount) -> String {
    let plain = amount.decimal();
    let (units, cents) = plain.split_once('.').unwrap_or((&plain, "00"));
    let mut out = String::with_capacity(plain.len() + 4);
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out.push('.');
    out.push_str(cents);
    out
}

#[derive(Clone, Copy)]
struct Style {
    size: i32,
    bold: bool,
    end: bool,
}

const fn style(pt: i32, bold: bool) -> Style {
    Style {
        size: pt * PT,
        bold,
        end: false,
    }
}

fn text(out: &mut String, x: i32, y: i32, s: Style, content: &str) {
    out.push_str("<text x=\"");
    num(out, x);
    out.push_str("\" y=\"");
    num(out, y);
    out.push_str("\" font-size=\"");
    num(out, s.size);
    out.push('"');
    if s.bold {
        out.push_str(" font-weight=\"bold\"");
    }
    if s.end {
        out.push_str(" text-anchor=\"end\"");
    }
    out.push('>');
    escape_into(out, content);
    out.push_str("</text>");
}

/// A blank field with corner marks (0.75 pt lines, 3 mm arms).
fn corner_box(out: &mut String, x: i32, y: i32, w: i32, h: i32) {
    let arm = 3 * MM;
    out.push_str("<path fill=\"none\" stroke=\"#000\" stroke-width=\"");
    num(out, 3 * PT / 4);
    out.push_str("\" d=\"");
    for (cx, cy, dx, dy) in [
        (x, y, 1, 1),
        (x + w, y, -1, 1),
        (x, y + h, 1, -1),
        (x + w, y + h, -1, -1),
    ] {
        out.push('M');
        num(out, cx);
        out.push(' ');
        num(out, cy + dy * arm);
        out.push('v');
        num(out, -dy * arm);
        out.push('h');
        num(out, dx * arm);
    }
    out.push_str("\"/>");
}

/// One column of headed sections (account, reference, …), top to bottom.
struct Column<'a> {
    out: &'a mut String,
    x: i32,
    y: i32,
    width: i32,
    heading: Style,
    value: Style,
    pitch: i32,
    /// The space between sections.
    gap: i32,
    /// The blank field had to be made smaller than the IG's.
    squeezed: bool,
}

impl Column<'_> {
    fn section(&mut self, heading: &str, values: &[String]) {
        self.y += self.pitch;
        text(self.out, self.x, self.y, self.heading, heading);
        for value in values {
            for line in wrap(value, self.width, self.value.size) {
                self.y += self.pitch;
                text(self.out, self.x, self.y, self.value, &line);
            }
        }
        self.y += self.gap;
    }

    /// The blank "payable by" field, at most `h` high and ending above
    /// `bottom` (long addresses above it must not push it into the amount).
    fn blank_box(&mut self, heading: &str, w: i32, h: i32, bottom: i32) {
        self.y += self.pitch;
        text(self.out, self.x, self.y, self.heading, heading);
        self.y += self.pitch / 3;
        let fitted = h.min(bottom - self.y).max(5 * MM);
        self.squeezed = fitted < h;
        corner_box(self.out, self.x, self.y, w, fitted);
        self.y += fitted;
    }
}

/// Draws a column in the first of `layouts` that ends above `bottom` with
/// a blank field of full size, or in the last one. Long addresses and texts
/// must not run into the amount or the further information below: like
/// manuelbl's SwissQRBill (BillLayout), the payment part shrinks its text
/// from 10 to 8 pt, and the receipt leaves out the street, the debtor's
/// first and then the creditor's.
fn fit_column<L>(
    out: &mut String,
    layouts: &[L],
    bottom: i32,
    draw: impl Fn(&mut Column<'_>, &L),
    column: impl for<'a> Fn(&'a mut String, &L) -> Column<'a>,
) {
    let mut drawn = String::new();
    for layout in layouts {
        drawn.clear();
        let mut c = column(&mut drawn, layout);
        draw(&mut c, layout);
        if c.y <= bottom && !c.squeezed {
            break;
        }
    }
    out.push_str(&drawn);
}

/// A pair of scissors centred at (`x`, `y`), blades pointing along +x, or
/// along +y when `down`.
fn scissors(out: &mut String, x: i32, y: i32, down: bool) {
    out.push_str("<g transform=\"translate(");
    num(out, x);
    out.push(' ');
    num(out, y);
    out.push(')');
    if down {
        out.push_str(" rotate(90)");
    }
    out.push_str("\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"6\"><rect x=\"-70\" y=\"-50\" width=\"140\" height=\"100\" stroke=\"none\"/><path d=\"M-20 -18L70 26M-20 18L70 -26\"/><circle cx=\"-40\" cy=\"-24\" r=\"18\"/><circle cx=\"-40\" cy=\"24\" r=\"18\"/></g>");
}

/// The payment part and receipt for `bill`, with its symbol `qr`.
pub fn render(bill: &SwissBill, qr: &Symbol, locale: Locale) -> String {
    let t = texts(locale);
    let mut out = String::with_capacity(8192);
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"billpay-qr-bill\" width=\"210mm\" height=\"105mm\" viewBox=\"0 0 7560 3780\" font-family=\"Liberation Sans, Arial, Helvetica, sans-serif\" fill=\"#000\" role=\"img\" aria-label=\"");
    escape_into(&mut out, t.payment_part);
    out.push_str(" / ");
    escape_into(&mut out, t.receipt);
    out.push_str("\" lang=\"");
    // The IG has no Dutch headings: a Dutch bill is printed in English and
    // says so to screen readers and hyphenation.
    out.push_str(match locale {
        Locale::Nl => Locale::En.tag(),
        other => other.tag(),
    });
    out.push_str("\"><rect width=\"7560\" height=\"3780\" fill=\"#fff\"/>");

    // Separation: dashed lines along the top and between receipt and
    // payment part, with scissors on both. The IG (3.7) asks for the
    // scissors or, instead, "Separate before paying in" above the line,
    // outside the payment part, which is outside this 105 mm slip.
    out.push_str("<path fill=\"none\" stroke=\"#000\" stroke-width=\"4\" stroke-dasharray=\"24 16\" d=\"M0 2H7560M2232 0V3780\"/>");
    // Below the top edge, so that the whole symbol shows.
    scissors(&mut out, 30 * MM, 500, false);
    scissors(&mut out, 62 * MM, 30 * MM, true);

    let creditor_lines = |address: &Address, short: bool| {
        let mut lines = vec![bill.iban.formatted()];
        lines.extend(address.display_lines(short));
        lines
    };
    let amount = bill.amount.map(format_amount);

    // Receipt.
    text(
        &mut out,
        5 * MM,
        5 * MM + 11 * PT,
        style(11, true),
        t.receipt,
    );
    // The receipt's information ends at 68 mm, where its amount begins.
    // Layouts: (short debtor, short creditor, tight). Tight: lines 8 pt
    // apart (the text's size) and sections without space between them, so
    // that the widest creditor the IG allows still leaves the blank field
    // its 52 x 20 mm; only beyond that does the field shrink.
    fit_column(
        &mut out,
        &[
            (false, false, false),
            (true, false, false),
            (true, true, false),
            (true, true, true),
        ],
        68 * MM,
        |receipt, &(short_debtor, short_creditor, _)| {
            receipt.section(t.account, &creditor_lines(&bill.creditor, short_creditor));
            if !bill.reference.value().is_empty() {
                receipt.section(t.reference, &[bill.reference.formatted()]);
            }
            match &bill.debtor {
                Some(debtor) => receipt.section(t.payable_by, &debtor.display_lines(short_debtor)),
                None => receipt.blank_box(t.payable_by_blank, 52 * MM, 20 * MM, 67 * MM),
            }
        },
        |out, &(_, _, tight)| Column {
            out,
            x: 5 * MM,
            y: 12 * MM,
            width: 52 * MM,
            heading: style(6, true),
            value: style(8, false),
            pitch: if tight { 8 * PT } else { 9 * PT },
            // An empty line's worth of space between sections, a little less.
            gap: if tight { 0 } else { 6 * PT },
            squeezed: false,
        },
    );
    let heading = style(6, true);
    let value = style(8, false);
    let top = 68 * MM + 9 * PT;
    text(&mut out, 5 * MM, top, heading, t.currency);
    text(&mut out, 18 * MM, top, heading, t.amount);
    text(&mut out, 5 * MM, top + 9 * PT, value, bill.currency.code());
    match &amount {
        Some(a) => text(&mut out, 18 * MM, top + 9 * PT, value, a),
        None => corner_box(&mut out, 27 * MM, top + 2 * PT, 30 * MM, 10 * MM),
    }
    let mut acceptance = style(6, true);
    acceptance.end = true;
    text(
        &mut out,
        57 * MM,
        82 * MM + 9 * PT,
        acceptance,
        t.acceptance_point,
    );

    // Payment part.
    text(
        &mut out,
        67 * MM,
        5 * MM + 11 * PT,
        style(11, true),
        t.payment_part,
    );
    swiss_symbol(&mut out, qr, 67 * MM, 17 * MM);
    let heading = style(8, true);
    let value = style(10, false);
    let top = 68 * MM + 11 * PT;
    text(&mut out, 67 * MM, top, heading, t.currency);
    text(&mut out, 82 * MM, top, heading, t.amount);
    text(
        &mut out,
        67 * MM,
        top + 13 * PT,
        value,
        bill.currency.code(),
    );
    match &amount {
        Some(a) => text(&mut out, 82 * MM, top + 13 * PT, value, a),
        None => corner_box(&mut out, 78 * MM, top + 4 * PT, 40 * MM, 15 * MM),
    }
    let additional: Vec<String> = [&bill.message, &bill.bill_information]
        .into_iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    // The information ends at the foot of the slip, or above the further
    // information (its first line's baseline is at 92 mm).
    let info_bottom = if bill.alternatives.is_empty() {
        100 * MM
    } else {
        89 * MM
    };
    // Layouts: the size of the values in pt (headings 2 pt smaller).
    fit_column(
        &mut out,
        &[10, 9, 8],
        info_bottom,
        |info, _| {
            info.section(t.account, &creditor_lines(&bill.creditor, false));
            if !bill.reference.value().is_empty() {
                info.section(t.reference, &[bill.reference.formatted()]);
            }
            if !additional.is_empty() {
                info.section(t.additional_information, &additional);
            }
            match &bill.debtor {
                Some(debtor) => info.section(t.payable_by, &debtor.display_lines(false)),
                None => info.blank_box(t.payable_by_blank, 65 * MM, 25 * MM, info_bottom),
            }
        },
        |out, &size| Column {
            out,
            x: 118 * MM,
            y: 5 * MM - 2 * PT,
            width: 87 * MM,
            heading: style(size - 2, true),
            value: style(size, false),
            pitch: (size + 1) * PT,
            gap: (size + 1) * PT * 2 / 3,
            squeezed: false,
        },
    );
    let mut y = 92 * MM;
    for alternative in &bill.alternatives {
        for line in wrap(alternative, 138 * MM, 7 * PT) {
            text(&mut out, 67 * MM, y, style(7, false), &line);
            y += 8 * PT;
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Amount;

    #[test]
    fn amounts_and_wrapping() {
        let a = |s: &str| format_amount(Amount::parse(s).unwrap());
        assert_eq!(a("1949.75"), "1 949.75");
        assert_eq!(a("0.01"), "0.01");
        assert_eq!(a("999999999.99"), "999 999 999.99");
        assert_eq!(a("100"), "100.00");
        let lines = wrap(&"Wort ".repeat(30), 52 * MM, 8 * PT);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 8 * PT) <= 52 * MM));
        let long = wrap(&"x".repeat(200), 52 * MM, 8 * PT);
        assert!(long.len() > 1 && long.iter().all(|l| !l.is_empty()));
    }

    /// A number as `num` prints it ("-12.5"), back in tenths.
    fn tenths(printed: &str) -> i32 {
        let (sign, digits) = match printed.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, printed),
        };
        let (whole, tenth) = digits.split_once('.').unwrap_or((digits, "0"));
        sign * (whole.parse::<i32>().unwrap() * 10 + tenth.parse::<i32>().unwrap())
    }

    /// The texts of a rendered bill: (x, y, font size, text), in tenths.
    fn texts_of(svg: &str) -> Vec<(i32, i32, i32, String)> {
        svg.split("<text x=\"")
            .skip(1)
            .map(|t| {
                let field = |name: &str| -> i32 {
                    let from = t.find(name).unwrap() + name.len();
                    let len = t[from..].find('"').unwrap();
                    tenths(&t[from..from + len])
                };
                let x = tenths(&t[..t.find('"').unwrap()]);
                let content = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
                (x, field("y=\""), field("font-size=\""), content.to_owned())
            })
            .collect()
    }

    fn address(name: &str, street: &str, town: &str) -> Address {
        Address {
            name: name.into(),
            street: street.into(),
            house_number: "12a".into(),
            postal_code: "8001".into(),
            town: town.into(),
            country: "CH".into(),
        }
    }

    fn bill(
        creditor: Address,
        debtor: Option<Address>,
        message: &str,
        alternatives: &[&str],
    ) -> String {
        let bill = SwissBill {
            iban: crate::iban::Iban::parse("CH9300762011623852957").unwrap(),
            creditor,
            amount: Some(Amount::parse("1949.75").unwrap()),
            currency: crate::money::Currency::Chf,
            debtor,
            reference: super::super::swiss::Reference::Scor("RF18539007547034".into()),
            message: message.into(),
            bill_information: String::new(),
            alternatives: alternatives.iter().map(|a| (*a).to_owned()).collect(),
        };
        let (_, qr) = bill.symbol().unwrap();
        render(&bill, &qr, Locale::De)
    }

    /// Long addresses keep to the IG's boxes (standards.md 6.4): the
    /// receipt's information above its amount at 68 mm with the blank field
    /// at 52 x 20 mm, the payment part's above the further information.
    #[test]
    fn long_addresses_keep_to_their_boxes() {
        // `texts_of` and `corner_boxes` read tenths of an SVG unit, as MM and PT are.
        let (mm, pt) = (MM, PT);
        // The longest a structured address may be (IG 4.3.2), in
        // German words.
        let long = Address {
            house_number: "Gebäude 4 Nord".into(),
            postal_code: "D-80331-0815".into(),
            country: "DE".into(),
            ..address(
                &"Sanitär und Heizungstechnik Müller & Söhne AG ".repeat(2)[..70],
                &"Oberdorfstrasse an der Alten Mühle beim Bahnhof ".repeat(2)[..70],
                "Frankfurt am Main Sachsenhausen Süd",
            )
        };
        let short = address("Muster AG", "Bahnhofstrasse", "Zürich");

        // A short address: the IG's sizes, the street printed.
        let svg = bill(short.clone(), None, "", &[]);
        let texts = texts_of(&svg);
        assert!(texts
            .iter()
            .any(|t| t.3 == "Bahnhofstrasse 12a" && t.0 == 5 * mm));
        assert!(texts
            .iter()
            .filter(|t| t.0 == 118 * mm)
            .all(|t| t.2 <= 10 * pt));
        assert!(texts.iter().any(|t| t.0 == 118 * mm && t.2 == 10 * pt));

        // A long creditor without a debtor: the receipt drops the street,
        // the blank field keeps its 20 mm, everything ends above 68 mm.
        let svg = bill(long.clone(), None, "", &[]);
        let texts = texts_of(&svg);
        let receipt: Vec<_> = texts.iter().filter(|t| t.0 == 5 * mm).collect();
        let info_end = receipt
            .iter()
            .filter(|t| t.1 < 68 * mm)
            .map(|t| t.1)
            .max()
            .unwrap();
        let boxes = corner_boxes(&svg);
        let receipt_box = boxes.iter().find(|b| b.0 == 5 * mm).unwrap();
        assert_eq!(receipt_box.3, 20 * mm);
        assert!(receipt_box.1 > info_end && receipt_box.1 + receipt_box.3 <= 68 * mm);
        assert!(!receipt.iter().any(|t| t.3.starts_with("Oberdorfstrasse")));
        // The payment part still prints it.
        assert!(texts
            .iter()
            .any(|t| t.0 == 118 * mm && t.3.starts_with("Oberdorfstrasse")));

        // Long creditor and debtor, a long message and further
        // information: the payment part's text gets smaller and ends above
        // the further information; the receipt drops both streets.
        let message = "Rechnung 2026-4711 vom 12. März für die Lieferung von Ersatzteilen, Kundennummer 99887766, bitte bei jeder Zahlung angeben";
        let svg = bill(
            long.clone(),
            Some(long.clone()),
            message,
            &["eBill/B/41010560425610173"],
        );
        let texts = texts_of(&svg);
        let info: Vec<_> = texts.iter().filter(|t| t.0 == 118 * mm).collect();
        assert!(info.iter().all(|t| t.2 < 10 * pt));
        assert!(info.iter().all(|t| t.1 <= 89 * mm));
        let receipt: Vec<_> = texts
            .iter()
            .filter(|t| t.0 == 5 * mm && t.1 < 68 * mm)
            .collect();
        assert!(receipt.iter().all(|t| !t.3.starts_with("Oberdorfstrasse")));
        let currency = texts
            .iter()
            .find(|t| t.0 == 5 * mm && t.1 > 68 * mm)
            .unwrap();
        assert!(receipt.iter().all(|t| t.1 < currency.1 - 9 * pt));
    }

    /// The widest creditor the IG allows (capitals, 70 and 35 characters,
    /// a foreign postal code) with a QR reference: the receipt's blank
    /// field keeps its 52 x 20 mm above the amount (IG 3.5).
    #[test]
    fn the_receipts_blank_field_keeps_its_size_for_the_widest_creditor() {
        for (name, town) in [
            (
                "INTERNATIONALE HANDELSGESELLSCHAFT FÜR MASCHINENBAU UND ANLAGENTECHNIK",
                "MÜHLHAUSEN-WÖLLWARTHSHEIM AM NECKAR",
            ),
            (
                "Schweizerische Genossenschaft für Landwirtschaft und Gartenbau Zürich",
                "Rapperswil-Jona Kempraten Lenggis",
            ),
        ] {
            let bill = SwissBill {
                iban: crate::iban::Iban::parse("CH4431999123000889012").unwrap(),
                creditor: Address {
                    postal_code: "73557".into(),
                    country: "DE".into(),
                    ..address(name, "", town)
                },
                amount: Some(Amount::parse("1949.75").unwrap()),
                currency: crate::money::Currency::Chf,
                debtor: None,
                reference: super::super::swiss::Reference::Qrr(
                    "210000000003139471430009017".into(),
                ),
                message: String::new(),
                bill_information: String::new(),
                alternatives: Vec::new(),
            };
            let (_, qr) = bill.symbol().unwrap();
            let svg = render(&bill, &qr, Locale::De);
            let boxes = corner_boxes(&svg);
            let receipt_box = boxes.iter().find(|b| b.0 == 5 * MM).unwrap();
            assert_eq!((receipt_box.2, receipt_box.3), (52 * MM, 20 * MM), "{name}");
            let receipt_end = texts_of(&svg)
                .iter()
                .filter(|t| t.0 == 5 * MM && t.1 < 68 * MM)
                .map(|t| t.1)
                .max()
                .unwrap();
            assert!(receipt_box.1 > receipt_end && receipt_box.1 + receipt_box.3 <= 68 * MM);
        }
    }

    /// The corner-mark boxes of a bill: (x, y, w, h) from their paths.
    fn corner_boxes(svg: &str) -> Vec<(i32, i32, i32, i32)> {
        svg.split("stroke-width=\"9.5\" d=\"M")
            .skip(1)
            .map(|p| {
                let d = &p[..p.find('"').unwrap()];
                let n: Vec<i32> = d
                    .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
                    .filter(|n| !n.is_empty())
                    .map(tenths)
                    .collect();
                // M x y+arm v-arm h arm, M x+w y+arm v-arm h-arm,
                // M x y+h-arm v arm h arm, ...
                let y = n[1] + n[2];
                (n[0], y, n[4] - n[0], n[9] + n[10] - y)
            })
            .collect()
    }
}
