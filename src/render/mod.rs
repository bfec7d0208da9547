//! The invoice payment block and the checkout notice, as HTML or plain text.
//!
//! Layout follows BillPay's newest module (1.7.11): thank-you line, the
//! pay-until sentence, the bank table (payee, IBAN, BIC, bank, amount,
//! reference, due date), the not-activated warning and, for CHF, the
//! post-office note. Both formats come from one `Content` so they cannot drift.

pub mod i18n;
pub(crate) mod markup;
mod text;

use crate::block::{Method, PaymentBlock};
use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::{quoted, Amount, Currency};
use i18n::{format_amount, format_date, Locale, Texts};

crate::string_enum! {
    /// HTML for pages and HTML e-mails, aligned plain text for text e-mails.
    pub enum Format => "Format", ErrorCode::InvalidOption, "format is \"html\" or \"text\"," {
        Html = "html",
        Text = "text",
    }
}

crate::string_enum! {
    /// Whether an HTML block carries its scannable code.
    pub enum QrMode => "QrMode", ErrorCode::InvalidOption, "qr is \"auto\" or \"none\"," {
        Auto = "auto",
        None = "none",
    }
}

crate::input_shape! {
    pub struct RenderOptionsInput => "RenderOptions" {
        pub locale "locale": Option<String> as Option<Locale>,
        pub format "format": Option<String> as Option<Format>,
        /// "auto" (default): HTML blocks carry a scannable code — the EPC QR code for EUR
        /// invoices, the Swiss QR Code for CHF and for CH/LI accounts (creditor: the
        /// default `Creditor`); none for direct debit and PayLater, none in text.
        pub qr "qr": Option<String> as Option<QrMode>,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    pub locale: Locale,
    pub format: Format,
    pub qr: QrMode,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            locale: Locale::De,
            format: Format::Html,
            qr: QrMode::Auto,
        }
    }
}

pub fn parse_format(text: Option<&str>) -> Result<Format> {
    text.map_or(Ok(Format::Html), |f| {
        Format::parse(f).map_err(|e| e.at("format"))
    })
}

pub fn parse_locale(text: Option<&str>) -> Result<Locale> {
    text.map_or(Ok(Locale::De), |l| {
        Locale::parse(l).map_err(|e| e.at("locale"))
    })
}

impl RenderOptions {
    pub fn from_input(input: &RenderOptionsInput) -> Result<RenderOptions> {
        let qr = input.qr.as_deref().map_or(Ok(QrMode::Auto), |q| {
            QrMode::parse(q).map_err(|e| e.at("qr"))
        })?;
        Ok(RenderOptions {
            locale: parse_locale(input.locale.as_deref())?,
            format: parse_format(input.format.as_deref())?,
            qr,
        })
    }
}

/// A sentence with at most one emphasised value in it.
struct Sentence {
    template: &'static str,
    values: Vec<(&'static str, String)>,
}

impl Sentence {
    fn plain(template: &'static str) -> Self {
        Sentence {
            template,
            values: Vec::new(),
        }
    }

    fn with(template: &'static str, values: Vec<(&'static str, String)>) -> Self {
        Sentence { template, values }
    }

    /// Splits the template into literal text and values, in order.
    fn parts(&self) -> Vec<Part<'_>> {
        let mut parts = Vec::new();
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest.get(open..).and_then(|r| r.find('}')).map(|c| open + c) else {
                break;
            };
            let name = rest.get(open + 1..close).unwrap_or("");
            parts.push(Part::Literal(rest.get(..open).unwrap_or("")));
            match self.values.iter().find(|(key, _)| *key == name) {
                Some((key, value)) => parts.push(Part::Value(key, value)),
                None => parts.push(Part::Literal(rest.get(open..=close).unwrap_or(""))),
            }
            rest = rest.get(close + 1..).unwrap_or("");
        }
        parts.push(Part::Literal(rest));
        parts
    }

    fn to_plain(&self) -> String {
        self.parts()
            .into_iter()
            .map(|p| match p {
                Part::Literal(s) => s,
                Part::Value(_, s) => s.as_str(),
            })
            .collect()
    }
}

enum Part<'a> {
    Literal(&'a str),
    Value(&'static str, &'a String),
}

/// One row of the bank table.
struct Row {
    label: &'static str,
    value: String,
    class: &'static str,
}

/// What a block says, independent of the output format.
struct Content {
    locale: Locale,
    method: Method,
    thanks: Sentence,
    instruction: Option<Sentence>,
    warning: Option<&'static str>,
    rows: Vec<Row>,
    notes: Vec<Sentence>,
}

fn build_content(block: &PaymentBlock, locale: Locale) -> Content {
    let t: &Texts = locale.texts();
    let amount = format_amount(block.amount, block.currency, locale);
    let mut content = Content {
        locale,
        method: block.method,
        thanks: Sentence::plain(match block.method {
            Method::Invoice => t.thanks_invoice,
            Method::DirectDebit => t.thanks_direct_debit,
            Method::PayLater => t.thanks_paylater,
            Method::TransactionCredit => t.thanks_transaction_credit,
        }),
        instruction: None,
        warning: None,
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let transfer_account = block.transfer_account();
    match block.method {
        Method::DirectDebit => {
            content.instruction = Some(Sentence::with(
                t.direct_debit,
                vec![("amount", amount.clone())],
            ));
        }
        Method::PayLater => {
            content.instruction =
                Some(Sentence::with(t.paylater, vec![("amount", amount.clone())]));
        }
        Method::TransactionCredit if transfer_account.is_none() => {
            content.instruction = Some(Sentence::with(
                t.transaction_credit,
                vec![("amount", amount.clone())],
            ));
        }
        _ => {}
    }
    let Some(account) = transfer_account else {
        return content;
    };
    let is_invoice = block.method == Method::Invoice;
    let due = account.due_date.filter(|_| account.activated);
    if is_invoice {
        content.instruction = Some(match due {
            Some(date) => Sentence::with(
                t.pay_until,
                vec![
                    ("amount", amount.clone()),
                    ("date", format_date(date, locale)),
                ],
            ),
            None => Sentence::with(t.pay_within_term, vec![("amount", amount.clone())]),
        });
        if !account.activated {
            content.warning = Some(t.not_activated);
        }
    } else {
        content.instruction = Some(Sentence::plain(t.transaction_credit_transfer));
    }
    let mut rows = vec![
        Row {
            label: t.label_payee,
            value: account.account_holder.clone(),
            class: "payee",
        },
        Row {
            label: t.label_iban,
            value: account.iban.formatted(),
            class: "iban",
        },
    ];
    // BillPay's layout skips empty values.
    if let Some(bic) = &account.bic {
        rows.push(Row {
            label: t.label_bic,
            value: bic.as_str().to_owned(),
            class: "bic",
        });
    }
    if let Some(bank_name) = &account.bank_name {
        rows.push(Row {
            label: t.label_bank,
            value: bank_name.clone(),
            class: "bank",
        });
    }
    // Transaction credit is paid in instalments: no single amount or due date.
    if is_invoice {
        rows.push(Row {
            label: t.label_amount,
            value: amount,
            class: "amount",
        });
    }
    rows.push(Row {
        label: t.label_reference,
        value: account.invoice_reference.clone(),
        class: "reference",
    });
    if let (true, Some(date)) = (is_invoice, due) {
        rows.push(Row {
            label: t.label_due_date,
            value: format_date(date, locale),
            class: "due-date",
        });
    }
    content.rows = rows;
    if block.currency == Currency::Chf {
        // BillPay's module adds a fixed 1.80 CHF for paying in at the counter.
        let fee = format_amount(
            Amount::from_cents(180).unwrap_or_default(),
            Currency::Chf,
            locale,
        );
        content
            .notes
            .push(Sentence::with(t.post_office_ch, vec![("amount", fee)]));
    }
    content
}

/// Renders the payment block. With `qr: Auto` the HTML block carries the
/// scannable code that fits it (`crate::qr::scheme_for`); a block whose data
/// cannot be encoded (e.g. a QR-IBAN without a QR reference) is an error
/// rather than an invoice that silently lacks its code. Plain text (e-mails)
/// carries no code.
pub fn render_payment_block(block: &PaymentBlock, options: RenderOptions) -> Result<String> {
    let content = build_content(block, options.locale);
    Ok(match options.format {
        Format::Html => {
            // Without the `qr` feature (a size-measuring build only) the
            // branch is constant and the code generator drops out of the module.
            let figure = match options.qr {
                QrMode::Auto if cfg!(feature = "qr") => qr_figure(block, options.locale)?,
                QrMode::Auto | QrMode::None => None,
            };
            markup::block(&content, figure.as_deref())
        }
        Format::Text => text::block(&content),
    })
}

/// The `<figure>` with the block's code, if it has one.
///
/// EPC: the code with the scan caption. Swiss: only the Swiss QR Code (with
/// its cross) and the caption, not the whole 210 × 105 mm payment part: the
/// block sits in invoices, confirmations and web pages at whatever width the
/// shop's layout gives it, while the payment part has fixed dimensions and
/// belongs at the foot of a printed A4 page — `renderSwissQrBill` makes that.
/// The code alone carries the same payment data for banking apps.
///
/// Orders that are not activated yet get a code too: amount, account and
/// reference are already final; only the due date is not, and the code
/// carries none.
fn qr_figure(block: &PaymentBlock, locale: Locale) -> Result<Option<String>> {
    use crate::qr::{epc, svg, swiss, Scheme};
    let t = locale.texts();
    let mut out = String::with_capacity(4096);
    match crate::qr::scheme_for(block) {
        None => return Ok(None),
        Some(Scheme::Epc) => {
            let (_, qr) = epc::symbol(block)?;
            out.push_str("<figure class=\"billpay-payment__qr billpay-payment__qr--epc\">");
            svg::epc_svg(&mut out, &qr);
            out.push_str("<figcaption>");
            markup::escape_into(&mut out, t.qr_caption_epc);
        }
        Some(Scheme::Swiss) => {
            let bill = swiss::SwissBill::from_block(block, swiss::Address::default())?;
            let (_, qr) = bill.symbol()?;
            out.push_str("<figure class=\"billpay-payment__qr billpay-payment__qr--swiss\">");
            svg::swiss_code_svg(&mut out, &qr);
            out.push_str("<figcaption><strong>");
            markup::escape_into(&mut out, t.qr_caption_swiss);
            out.push_str("</strong> ");
            markup::escape_into(&mut out, t.qr_caption_epc);
        }
    }
    out.push_str("</figcaption></figure>");
    Ok(Some(out))
}

/// BillPay's terms: Switzerland has its own.
pub const TERMS_URL: &str = "https://www.billpay.de/kunden/agb";
pub const TERMS_URL_CH: &str = "https://www.billpay.de/kunden/agb-ch";
pub const PRIVACY_URL: &str = "https://www.billpay.de/kunden/datenschutz";

crate::input_shape! {
    pub struct NoticeOptionsInput => "CheckoutNoticeOptions" {
        /// Default: "nl" for NL, otherwise "de".
        pub locale "locale": Option<String> as Option<Locale>,
        pub country "country": String as crate::block::Country,
        pub terms_url "termsUrl": Option<String>,
        pub privacy_url "privacyUrl": Option<String>,
        pub format "format": Option<String> as Option<Format>,
    }
}

/// Only absolute https links: a `javascript:` URL in a consent text would be
/// an injection, and plain http has no place next to personal data.
fn check_url(url: &str, path: &str) -> Result<String> {
    let url = url.trim();
    let ok = url.len() > "https://".len()
        && url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace());
    if ok {
        Ok(url.to_owned())
    } else {
        Err(BillPayError::new(
            ErrorCode::InvalidUrl,
            quoted("expected an absolute https:// URL, got ", url),
        )
        .at(path))
    }
}

/// `renderCheckoutNotice` on JSON text.
pub fn render_checkout_notice(json: &str) -> Result<String> {
    let input: NoticeOptionsInput = crate::shape::from_json(json)?;
    checkout_notice(&input)
}

pub fn checkout_notice(input: &NoticeOptionsInput) -> Result<String> {
    let country = crate::block::Country::parse(&input.country).map_err(|e| e.at("country"))?;
    // Without a locale the notice speaks the country's language: Dutch in
    // NL, German in DE, AT and CH (BillPay's Swiss terms are German).
    let locale = match (input.locale.as_deref(), country) {
        (None, crate::block::Country::Nl) => Locale::Nl,
        (locale, _) => parse_locale(locale)?,
    };
    let format = parse_format(input.format.as_deref())?;
    let terms = match input.terms_url.as_deref() {
        Some(url) => check_url(url, "termsUrl")?,
        None if country == crate::block::Country::Ch => TERMS_URL_CH.to_owned(),
        None => TERMS_URL.to_owned(),
    };
    let privacy = match input.privacy_url.as_deref() {
        Some(url) => check_url(url, "privacyUrl")?,
        None => PRIVACY_URL.to_owned(),
    };
    let t = locale.texts();
    Ok(match format {
        Format::Html => markup::notice(locale, t, &terms, &privacy),
        Format::Text => text::notice(t, &terms, &privacy),
    })
}

#[cfg(test)]
mod tests;
