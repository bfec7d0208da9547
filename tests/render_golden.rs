//! Golden files: every locale × method × activation state × format, rendered
//! and compared byte for byte with `tests/golden/<locale>.<html|txt>`.
//! After an intended change: `UPDATE_GOLDEN=1 cargo test --test render_golden`
//! and review the diff.

use billpay::block::PaymentBlock;
use billpay::render::i18n::Locale;
use billpay::render::{render_payment_block, Format, QrMode, RenderOptions};
use std::path::PathBuf;

const EUR_ACCOUNT: &str = r#"{"accountHolder":"BillPay GmbH","iban":"DE53100500000740123456","bic":"BELADEBEXXX","bankName":"Berliner Sparkasse","invoiceReference":"BP1001/4441","dueDate":"2026-01-31","activated":true}"#;
const CHF_ACCOUNT: &str = r#"{"accountHolder":"BillPay GmbH","iban":"CH9300762011623852957","bic":"POFICHBEXXX","bankName":"PostFinance AG","invoiceReference":"BP1004/4441","dueDate":"2026-12-24","activated":true}"#;

fn cases() -> Vec<(&'static str, String)> {
    let pending = EUR_ACCOUNT.replace(
        r#""dueDate":"2026-01-31","activated":true"#,
        r#""activated":false"#,
    );
    let block = |method: &str, amount: &str, currency: &str, account: Option<&str>| match account {
        Some(a) => format!(
            r#"{{"method":"{method}","amount":"{amount}","currency":"{currency}","bankAccount":{a}}}"#
        ),
        None => format!(r#"{{"method":"{method}","amount":"{amount}","currency":"{currency}"}}"#),
    };
    vec![
        (
            "invoice, EUR, activated",
            block("invoice", "1234567.89", "EUR", Some(EUR_ACCOUNT)),
        ),
        (
            "invoice, EUR, not activated",
            block("invoice", "42.4", "EUR", Some(&pending)),
        ),
        (
            "invoice, CHF, activated",
            block("invoice", "2029.50", "CHF", Some(CHF_ACCOUNT)),
        ),
        (
            "directDebit, EUR",
            block("directDebit", "24.80", "EUR", None),
        ),
        ("paylater, EUR", block("paylater", "1299.00", "EUR", None)),
        (
            "transactionCredit, EUR",
            block("transactionCredit", "2499.99", "EUR", None),
        ),
        (
            "transactionCredit, CHF",
            block("transactionCredit", "2499.99", "CHF", Some(CHF_ACCOUNT)),
        ),
    ]
}

fn render_all(locale: Locale, format: Format) -> String {
    let mut out = String::new();
    for (name, json) in cases() {
        let block = PaymentBlock::from_json(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let options = RenderOptions {
            locale: Some(locale),
            format,
            qr: QrMode::None,
            qr_image: None,
        };
        let (open, close) = if format == Format::Html {
            ("<!-- ", " -->")
        } else {
            ("=== ", " ===")
        };
        out.push_str(&format!("{open}{name}{close}\n"));
        out.push_str(&render_payment_block(&block, options).unwrap());
        out.push_str("\n\n");
    }
    out
}

#[test]
fn rendering_matches_the_golden_files() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for locale in Locale::ALL {
        for (format, ext) in [(Format::Html, "html"), (Format::Text, "txt")] {
            let path = dir.join(format!("{}.{ext}", locale.tag()));
            let actual = render_all(locale, format);
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if expected != actual {
                mismatches.push(path.display().to_string());
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "rendering differs from {mismatches:?}; run with UPDATE_GOLDEN=1 and review the diff"
    );
}

/// The scannable codes inside the block (`qr: Auto`): the EPC QR code of a
/// EUR invoice, the Swiss QR Code of a CHF one, and an RF reference that goes
/// to the structured line. Same update procedure as above.
#[test]
fn qr_figures_match_the_golden_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/qr.html");
    let rf_account = EUR_ACCOUNT.replace("BP1001/4441", "RF18539007547034");
    let cases = [
        (
            "invoice, EUR, activated",
            EUR_ACCOUNT.to_owned(),
            "EUR",
            Locale::De,
        ),
        ("invoice, EUR, RF reference", rf_account, "EUR", Locale::Nl),
        (
            "invoice, CHF, activated",
            CHF_ACCOUNT.to_owned(),
            "CHF",
            Locale::Fr,
        ),
    ];
    let mut actual = String::new();
    for (name, account, currency, locale) in cases {
        let json = format!(
            r#"{{"method":"invoice","amount":"113.70","currency":"{currency}","bankAccount":{account}}}"#
        );
        let block = PaymentBlock::from_json(&json).unwrap();
        let options = RenderOptions {
            locale: Some(locale),
            format: Format::Html,
            qr: QrMode::Auto,
            qr_image: None,
        };
        actual.push_str(&format!("<!-- {name} -->\n"));
        actual.push_str(&render_payment_block(&block, options).unwrap());
        actual.push_str("\n\n");
    }
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "the QR figures differ from {}; run with UPDATE_GOLDEN=1 and review the diff",
        path.display()
    );
}
