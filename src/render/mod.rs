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
use crate::prelude::*;
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
        /// For HTML e-mails, whose clients drop inline SVG: the code as `<img src>`, either
        /// `"cid:"` and the Content-ID of the PNG from `renderQrCodePng` attached to the
        /// message, or an absolute https:// URL of that image.
        pub qr_image "qrImage": Option<String>,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// None: the language of the block's `customerCountry` (Dutch for NL),
    /// German without one.
    pub locale: Option<Locale>,
    pub format: Format,
    pub qr: QrMode,
    /// The code's `<img src>` instead of inline SVG (checked by `check_image_src`).
    pub qr_image: Option<String>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            locale: None,
            format: Format::Html,
            qr: QrMode::Auto,
            qr_image: None,
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
            locale: match input.locale.as_deref() {
                None => None,
                locale => Some(parse_locale(locale)?),
            },
            format: parse_format(input.format.as_deref())?,
            qr,
            qr_image: match input.qr_image.as_deref() {
                Some(src) => Some(check_image_src(src)?),
                None => None,
            },
        })
    }
}

/// An e-mail's reference to the code's image: `cid:` and a Content-ID
/// (RFC 2392: an addr-spec, URL-encoded, so without the characters a URL
/// parser takes as delimiters, `?` and `#`, or that RFC 1738 calls unsafe),
/// or an absolute https URL.
fn check_image_src(src: &str) -> Result<String> {
    let src = src.trim();
    let content_id = src
        .get(..4)
        .filter(|scheme| scheme.eq_ignore_ascii_case("cid:"))
        .and_then(|_| src.get(4..))
        .filter(|id| {
            (1..=250).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!$%&'*+-/=_~.@".contains(&b))
        });
    if content_id.is_some() || is_https_url(src) {
        Ok(src.to_owned())
    } else {
        Err(BillPayError::new(
            ErrorCode::InvalidUrl,
            quoted(
                "expected \"cid:\" and a Content-ID, or an absolute https:// URL, got ",
                src,
            ),
        )
        .at("qrImage"))
    }
}

/// A sentence of the texts, with `{name}` placeholders for its values.
#[derive(Clone, Copy)]
struct Sentence<'a> {
    template: &'static str,
    /// (placeholder, value); at most two, empty when unused.
    values: [(&'static str, &'a str); 2],
}

impl<'a> Sentence<'a> {
    fn plain(template: &'static str) -> Self {
        Sentence {
            template,
            values: [("", ""); 2],
        }
    }

    fn with(template: &'static str, name: &'static str, value: &'a str) -> Self {
        Sentence {
            template,
            values: [(name, value), ("", "")],
        }
    }

    fn with_two(template: &'static str, values: [(&'static str, &'a str); 2]) -> Self {
        Sentence { template, values }
    }

    /// Walks the template: literal text and values, in order.
    fn parts(&self, mut part: impl FnMut(Part<'_>)) {
        let mut rest = self.template;
        // Byte searches: `str::find(char)` builds a searcher per call, which
        // cost more than the rest of the walk.
        let find = |text: &str, byte: u8| text.bytes().position(|b| b == byte);
        while let Some(open) = find(rest, b'{') {
            let Some(close) = rest
                .get(open..)
                .and_then(|r| find(r, b'}'))
                .map(|c| open + c)
            else {
                break;
            };
            let name = rest.get(open + 1..close).unwrap_or("");
            part(Part::Literal(rest.get(..open).unwrap_or("")));
            match self
                .values
                .iter()
                .find(|(key, _)| !key.is_empty() && *key == name)
            {
                Some((key, value)) => part(Part::Value(key, value)),
                None => part(Part::Literal(rest.get(open..=close).unwrap_or(""))),
            }
            rest = rest.get(close + 1..).unwrap_or("");
        }
        part(Part::Literal(rest));
    }

    fn push_plain(&self, out: &mut String) {
        self.parts(|p| match p {
            Part::Literal(s) | Part::Value(_, s) => out.push_str(s),
        });
    }
}

enum Part<'a> {
    Literal(&'a str),
    Value(&'static str, &'a str),
}

/// One row of the bank table.
struct Row<'a> {
    label: &'static str,
    value: &'a str,
    class: &'static str,
}

/// The formatted values a block prints (made once, borrowed by `Content`).
struct Values {
    amount: String,
    due: Option<String>,
    iban: String,
    fee: String,
}

impl Values {
    fn of(block: &PaymentBlock, locale: Locale) -> Values {
        let account = block.transfer_account();
        Values {
            amount: format_amount(block.amount, block.currency, locale),
            due: account
                .and_then(|a| a.due_date.filter(|_| a.activated))
                .map(|date| format_date(date, locale)),
            iban: account.map(|a| a.iban.formatted()).unwrap_or_default(),
            // BillPay's module adds a fixed 1.80 CHF for paying in at the counter.
            fee: if block.currency == Currency::Chf {
                format_amount(
                    Amount::from_cents(180).unwrap_or_default(),
                    Currency::Chf,
                    locale,
                )
            } else {
                String::new()
            },
        }
    }
}

/// What a block says, independent of the output format.
struct Content<'a> {
    locale: Locale,
    method: Method,
    thanks: Sentence<'a>,
    instruction: Option<Sentence<'a>>,
    warning: Option<&'static str>,
    /// At most seven rows: payee, IBAN, BIC, bank, amount, reference, due date.
    rows: [Option<Row<'a>>; 7],
    /// The CH post-office note.
    note: Option<Sentence<'a>>,
}

impl Content<'_> {
    fn rows(&self) -> impl Iterator<Item = &Row<'_>> {
        self.rows.iter().flatten()
    }
}

fn build_content<'a>(block: &'a PaymentBlock, values: &'a Values, locale: Locale) -> Content<'a> {
    let t: &Texts = locale.texts();
    let amount = values.amount.as_str();
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
        rows: [None, None, None, None, None, None, None],
        note: None,
    };
    let transfer_account = block.transfer_account();
    match block.method {
        Method::DirectDebit => {
            content.instruction = Some(Sentence::with(t.direct_debit, "amount", amount));
        }
        Method::PayLater => {
            content.instruction = Some(Sentence::with(t.paylater, "amount", amount));
        }
        Method::TransactionCredit if transfer_account.is_none() => {
            content.instruction = Some(Sentence::with(t.transaction_credit, "amount", amount));
        }
        _ => {}
    }
    let Some(account) = transfer_account else {
        return content;
    };
    let is_invoice = block.method == Method::Invoice;
    if is_invoice {
        content.instruction = Some(match values.due.as_deref() {
            Some(date) => Sentence::with_two(t.pay_until, [("amount", amount), ("date", date)]),
            None => Sentence::with(t.pay_within_term, "amount", amount),
        });
    } else {
        content.instruction = Some(Sentence::plain(t.transaction_credit_transfer));
    }
    // Whatever is paid to the account: before activation nothing is due yet.
    if !account.activated {
        content.warning = Some(t.not_activated);
    }
    let row = |label, value, class| {
        Some(Row {
            label,
            value,
            class,
        })
    };
    // BillPay's layout skips empty values; transaction credit is paid in
    // instalments: no single amount or due date.
    content.rows = [
        row(t.label_payee, account.account_holder.as_str(), "payee"),
        row(t.label_iban, values.iban.as_str(), "iban"),
        account
            .bic
            .as_ref()
            .and_then(|bic| row(t.label_bic, bic.as_str(), "bic")),
        account
            .bank_name
            .as_deref()
            .and_then(|name| row(t.label_bank, name, "bank")),
        if is_invoice {
            row(t.label_amount, amount, "amount")
        } else {
            None
        },
        row(
            t.label_reference,
            account.invoice_reference.as_str(),
            "reference",
        ),
        match (is_invoice, values.due.as_deref()) {
            (true, Some(date)) => row(t.label_due_date, date, "due-date"),
            _ => None,
        },
    ];
    if block.currency == Currency::Chf {
        content.note = Some(Sentence::with(t.post_office_ch, "amount", &values.fee));
    }
    content
}

/// Renders the payment block. With `qr: Auto` the HTML block carries the
/// scannable code that fits it (`crate::qr::scheme_for`); a block whose data
/// cannot be encoded (e.g. a QR-IBAN without a QR reference) is an error
/// rather than an invoice that silently lacks its code. Plain text (e-mails)
/// carries no code.
pub fn render_payment_block(block: &PaymentBlock, options: RenderOptions) -> Result<String> {
    let locale = options.locale.unwrap_or_else(|| {
        block
            .customer_country
            .map_or(Locale::De, Locale::of_country)
    });
    let values = Values::of(block, locale);
    let content = build_content(block, &values, locale);
    Ok(match options.format {
        Format::Html => {
            // Without the `qr` feature (a size-measuring build only) the
            // branch is constant and the code generator drops out of the module.
            let figure = match options.qr {
                QrMode::Auto if cfg!(feature = "qr") => {
                    qr_figure(block, locale, options.qr_image.as_deref())?
                }
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
///
/// With `image` (e-mails) the code is that `<img>`: the symbol is still
/// made, so that a block whose code cannot be made is refused as with SVG.
fn qr_figure(block: &PaymentBlock, locale: Locale, image: Option<&str>) -> Result<Option<String>> {
    use crate::qr::{epc, png, svg, swiss, Scheme};
    let t = locale.texts();
    let mut out = String::with_capacity(4096);
    let img = |out: &mut String, src: &str, size: &str, alt: &str| {
        out.push_str("<img class=\"billpay-payment__qr-code\" src=\"");
        markup::escape_into(out, src);
        out.push_str(size);
        markup::escape_into(out, alt);
        out.push_str("\">");
    };
    match crate::qr::scheme_for(block) {
        None => return Ok(None),
        Some(Scheme::Epc) => {
            let (_, qr) = epc::symbol(block)?;
            out.push_str("<figure class=\"billpay-payment__qr billpay-payment__qr--epc\">");
            match image {
                Some(src) => img(&mut out, src, png::IMG_SIZE_EPC, t.qr_name_epc),
                None => svg::epc_svg(&mut out, &qr),
            }
            out.push_str("<figcaption>");
            markup::escape_into(&mut out, t.qr_caption_epc);
        }
        Some(Scheme::Swiss) => {
            let bill = swiss::SwissBill::from_block(block, swiss::Address::default())?;
            let (_, qr) = bill.symbol()?;
            out.push_str("<figure class=\"billpay-payment__qr billpay-payment__qr--swiss\">");
            match image {
                // The name SIX gives the code in every language.
                Some(src) => img(&mut out, src, png::IMG_SIZE_SWISS, "Swiss QR Code"),
                None => svg::swiss_code_svg(&mut out, &qr),
            }
            out.push_str("<figcaption><strong>");
            markup::escape_into(&mut out, t.qr_caption_swiss);
            out.push_str("</strong> ");
            markup::escape_into(&mut out, t.qr_caption_epc);
        }
    }
    out.push_str("</figcaption></figure>");
    Ok(Some(out))
}

/// BillPay's terms per billing country, and its privacy policy as a section
/// of them, as BillPay's module linked them (`_buildTermsOfServiceUrl`:
/// `agb`, `agb-<country>` outside Germany, `#datenschutz`).
pub fn terms_url(country: crate::block::Country) -> &'static str {
    use crate::block::Country;
    match country {
        Country::De => "https://www.billpay.de/kunden/agb",
        Country::At => "https://www.billpay.de/kunden/agb-at",
        Country::Ch => "https://www.billpay.de/kunden/agb-ch",
        Country::Nl => "https://www.billpay.de/kunden/agb-nl",
    }
}

crate::input_shape! {
    pub struct NoticeOptionsInput => "CheckoutNoticeOptions" {
        /// Default: "nl" for NL, otherwise "de".
        pub locale "locale": Option<String> as Option<Locale>,
        pub country "country": String as crate::block::Country,
        /// Default "invoice". "directDebit" (customers in DE and AT): the consent for the payment, the SEPA mandate, BillPay's creditor identifier and the refund right.
        pub method "method": Option<String> as Option<crate::block::Method>,
        pub terms_url "termsUrl": Option<String>,
        pub privacy_url "privacyUrl": Option<String>,
        pub format "format": Option<String> as Option<Format>,
    }
}

/// Only absolute https links: a `javascript:` URL in a consent text would be
/// an injection, and plain http has no place next to personal data. No
/// bidirectional overrides either: the text format prints the link, and one
/// would show the consent after it backwards.
fn check_url(url: &str, path: &str) -> Result<String> {
    let url = url.trim();
    if is_https_url(url) {
        Ok(url.to_owned())
    } else {
        Err(BillPayError::new(
            ErrorCode::InvalidUrl,
            quoted("expected an absolute https:// URL, got ", url),
        )
        .at(path))
    }
}

fn is_https_url(url: &str) -> bool {
    url.len() > "https://".len()
        && url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
        && !url.chars().any(|c| {
            c.is_control()
                || c.is_whitespace()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
}

/// `renderCheckoutNotice` on JSON text.
pub fn render_checkout_notice(json: &str) -> Result<String> {
    let input: NoticeOptionsInput = crate::shape::from_json(json)?;
    checkout_notice(&input)
}

pub fn checkout_notice(input: &NoticeOptionsInput) -> Result<String> {
    let country = crate::block::Country::parse(&input.country).map_err(|e| e.at("country"))?;
    let locale = match input.locale.as_deref() {
        None => Locale::of_country(country),
        locale => parse_locale(locale)?,
    };
    let format = parse_format(input.format.as_deref())?;
    use crate::block::{Country, Method};
    let debit = match input.method.as_deref().map(Method::parse) {
        None | Some(Ok(Method::Invoice)) => false,
        Some(Ok(Method::DirectDebit)) if matches!(country, Country::De | Country::At) => true,
        Some(Ok(Method::DirectDebit)) => {
            return Err(BillPayError::new(
                ErrorCode::UnsupportedCountry,
                "BillPay offers direct debit to customers in DE and AT",
            )
            .at("country"))
        }
        Some(Ok(_)) => {
            return Err(BillPayError::new(
                ErrorCode::UnsupportedMethod,
                "the checkout notice is for invoice and directDebit (PayLater and transaction credit need BillPay's rate plans)",
            )
            .at("method"))
        }
        Some(Err(e)) => return Err(e.at("method")),
    };
    let terms = match input.terms_url.as_deref() {
        Some(url) => check_url(url, "termsUrl")?,
        None => terms_url(country).to_owned(),
    };
    let privacy = match input.privacy_url.as_deref() {
        Some(url) => check_url(url, "privacyUrl")?,
        None => {
            let mut url = String::from(terms_url(country));
            url.push_str("#datenschutz");
            url
        }
    };
    let t = locale.texts();
    let notice = Notice {
        consent: if debit {
            t.notice_consent_debit
        } else {
            t.notice_consent
        },
        mandate: debit.then(|| {
            if country == Country::At {
                [t.notice_mandate_at, t.notice_creditor_at, t.notice_refund]
            } else {
                [t.notice_mandate, t.notice_creditor, t.notice_refund]
            }
        }),
        terms: &terms,
        privacy: &privacy,
    };
    Ok(match format {
        Format::Html => markup::notice(locale, t, &notice),
        Format::Text => text::notice(t, &notice),
    })
}

/// What a checkout notice says: the consent with the links and, for a
/// direct debit, the mandate, the creditor identifiers and the refund right.
pub(crate) struct Notice<'a> {
    consent: &'static str,
    mandate: Option<[&'static str; 3]>,
    terms: &'a str,
    privacy: &'a str,
}

#[cfg(test)]
mod tests;
