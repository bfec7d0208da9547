//! BillPay's XML API v1: building requests and reading responses.
//!
//! Every value travels in attributes (escaped here), amounts in
//! integer cents, dates as `YYYYMMDD`, countries as ISO alpha-3. The root is
//! `<data api_version="1.6.1">`; credentials are `default_params mid pid
//! bpsecure` with bpsecure = lower-case MD5 hex of the security key.

use crate::block::{BankAccount, BankAccountInput, Country};
use crate::cart::Cart;
use crate::date::Date;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::iban::{Bic, Iban};
use crate::money::{clip, Amount, Currency};
use crate::names::Names;
use core::fmt::Write as _;
use md5::{Digest, Md5};
use quick_xml::events::Event;
use quick_xml::Reader;

pub const API_VERSION: &str = "1.6.1";

/// The services the plug-in speaks, by their URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    ModuleConfig,
    Preauthorize,
    Capture,
    UpdateOrder,
    InvoiceCreated,
    Cancel,
    EditCartContent,
    GetBillPayBankData,
}

impl Service {
    pub const ALL: [Service; 8] = [
        Service::ModuleConfig,
        Service::Preauthorize,
        Service::Capture,
        Service::UpdateOrder,
        Service::InvoiceCreated,
        Service::Cancel,
        Service::EditCartContent,
        Service::GetBillPayBankData,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::ModuleConfig => "moduleConfig",
            Service::Preauthorize => "preauthorize",
            Service::Capture => "capture",
            Service::UpdateOrder => "updateOrder",
            Service::InvoiceCreated => "invoiceCreated",
            Service::Cancel => "cancel",
            Service::EditCartContent => "editCartContent",
            Service::GetBillPayBankData => "getBillPayBankData",
        }
    }

    pub fn parse(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether repeating the request after a lost answer is harmless:
    /// activation of the same order, a full cancel, an absolute cart and a
    /// read. Never a preauthorization or capture (a second one is a second
    /// purchase or claim).
    pub fn safe_to_repeat(self) -> bool {
        matches!(
            self,
            Service::InvoiceCreated
                | Service::Cancel
                | Service::EditCartContent
                | Service::GetBillPayBankData
                | Service::ModuleConfig
        )
    }
}

/// Merchant credentials as they go on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub merchant_id: u32,
    pub portal_id: u32,
    /// Lower-case MD5 hex of the security key; the key itself never leaves.
    pub bpsecure: String,
}

impl Credentials {
    pub fn new(merchant_id: u32, portal_id: u32, security_key: &str) -> Credentials {
        let digest = Md5::digest(security_key.as_bytes());
        let mut bpsecure = String::with_capacity(32);
        for byte in digest {
            let _ = write!(bpsecure, "{byte:02x}");
        }
        Credentials {
            merchant_id,
            portal_id,
            bpsecure,
        }
    }

    fn element(&self) -> String {
        let mut out = format!(
            r#"<default_params mid="{}" pid="{}" bpsecure=""#,
            self.merchant_id, self.portal_id
        );
        push_attribute_value(&mut out, &self.bpsecure);
        out.push_str("\"/>");
        out
    }
}

/// An attribute value, escaped. Tabs and line breaks as character
/// references: written as they are, a reader turns them into spaces
/// (attribute-value normalization), and a relayed request would not say
/// what its sender wrote.
fn push_attribute_value(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// Whether XML 1.0 allows `c` (its `Char` production; tab and line
/// breaks are written as references).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A small XML writer: elements with escaped attribute values.
struct Xml {
    out: String,
}

impl Xml {
    fn new(root_attributes: &[(&str, String)], credentials: Option<&Credentials>) -> Xml {
        let mut xml = Xml {
            out: String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#),
        };
        let mut attributes = vec![("api_version", API_VERSION.to_owned())];
        attributes.extend(root_attributes.iter().cloned());
        xml.open("data", &attributes);
        if let Some(credentials) = credentials {
            xml.out.push_str(&credentials.element());
        }
        xml
    }

    fn attributes(&mut self, attributes: &[(&str, String)]) {
        for (name, value) in attributes {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            push_attribute_value(&mut self.out, value);
            self.out.push('"');
        }
    }

    fn open(&mut self, name: &str, attributes: &[(&str, String)]) {
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attributes);
        self.out.push('>');
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, String)]) {
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attributes);
        self.out.push_str("/>");
    }

    /// `<name><![CDATA[text]]></name>`; the caller keeps "]]>" out of `text`.
    fn cdata_element(&mut self, name: &str, text: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str("><![CDATA[");
        self.out.push_str(text);
        self.out.push_str("]]></");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn finish(mut self) -> String {
        self.close("data");
        self.out
    }
}

fn cents(amount: Amount) -> String {
    amount.cents().to_string()
}

/// Cuts text to BillPay's field length (in characters).
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

pub fn country_alpha3(country: Country) -> &'static str {
    match country {
        Country::De => "DEU",
        Country::At => "AUT",
        Country::Ch => "CHE",
        Country::Nl => "NLD",
    }
}

/// `total` and `article_data` (preauthorize and editCartContent).
fn write_cart(xml: &mut Xml, cart: &Cart, currency: Currency, reference: &str) -> Result<()> {
    xml.empty(
        "total",
        &[
            (
                "shippingname",
                cut(cart.shipping.name.as_deref().unwrap_or(""), 50),
            ),
            ("shippingprice", cents(cart.shipping.net)),
            ("shippingpricegross", cents(cart.shipping.gross)),
            ("rebate", cents(cart.rebate.net)),
            ("rebategross", cents(cart.rebate.gross)),
            ("carttotalprice", cents(cart.total_net()?)),
            ("carttotalpricegross", cents(cart.total_gross()?)),
            ("currency", currency.code().to_owned()),
            ("reference", reference.to_owned()),
        ],
    );
    if !cart.articles.is_empty() {
        xml.open("article_data", &[]);
        for article in &cart.articles {
            xml.empty(
                "article",
                &[
                    ("articleid", article.article_id.clone()),
                    ("articlequantity", article.quantity.to_string()),
                    ("articlename", cut(&article.name, 50)),
                    ("articleprice", cents(article.unit_net)),
                    ("articlepricegross", cents(article.unit_gross)),
                ],
            );
        }
        xml.close("article_data");
    }
    Ok(())
}

/// The customer of a preauthorization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub customer_id: String,
    pub customer_type: char,
    pub salutation: String,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub street: String,
    pub street_no: String,
    pub address_addition: String,
    pub zip: String,
    pub city: String,
    pub country: Country,
    pub email: String,
    pub phone: String,
    pub birthday: Option<Date>,
    pub language: String,
    pub ip: String,
    pub group: char,
    /// A business customer's company (`company_details`).
    pub company: Option<Company>,
}

/// A business customer's company, as BillPay's B2B check reads it
/// (`company_details`, library 1.5.0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Company {
    pub name: String,
    /// One of BillPay's codes (`gmbh`, `ag`, …).
    pub legal_form: &'static str,
    pub register_number: String,
    pub holder_name: String,
    pub tax_number: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub salutation: String,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub street: String,
    pub street_no: String,
    pub address_addition: String,
    pub zip: String,
    pub city: String,
    pub country: Country,
    pub phone: String,
}

/// How the customer of a preauthorization pays (BillPay's `paymenttype`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payment {
    /// `paymenttype="1"`: the customer transfers to the account BillPay
    /// assigns to the order.
    Invoice,
    /// `paymenttype="2"`: BillPay debits the customer's account (SEPA).
    DirectDebit(DebitAccount),
}

/// The customer's account of a direct debit, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebitAccount {
    pub holder: String,
    pub iban: Iban,
    pub bic: Option<Bic>,
}

impl Payment {
    /// BillPay's number for it.
    pub fn code(&self) -> &'static str {
        match self {
            Payment::Invoice => "1",
            Payment::DirectDebit(_) => "2",
        }
    }
}

/// A request, ready to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    ModuleConfig {
        country: Country,
        currency: Currency,
        language: String,
    },
    Preauthorize {
        /// BillPay's later decision (PRE_APPROVED) is posted here.
        notify_url: Option<String>,
        redirect_url: Option<String>,
        auto_capture: bool,
        payment: Payment,
        customer: Box<Customer>,
        shipping: Option<Box<Address>>,
        cart: Cart,
        currency: Currency,
        reference: String,
    },
    Capture {
        bptid: String,
        amount: Amount,
        currency: Currency,
        reference: String,
        customer_id: String,
    },
    UpdateOrder {
        bptid: String,
        reference: String,
        id_updates: Vec<(String, String)>,
    },
    InvoiceCreated {
        reference: String,
        amount: Amount,
        currency: Currency,
        delay_days: u32,
    },
    Cancel {
        reference: String,
        amount: Amount,
        currency: Currency,
    },
    EditCartContent {
        reference: String,
        currency: Currency,
        cart: Cart,
    },
    GetBillPayBankData {
        reference: String,
    },
}

impl Request {
    pub fn service(&self) -> Service {
        match self {
            Request::ModuleConfig { .. } => Service::ModuleConfig,
            Request::Preauthorize { .. } => Service::Preauthorize,
            Request::Capture { .. } => Service::Capture,
            Request::UpdateOrder { .. } => Service::UpdateOrder,
            Request::InvoiceCreated { .. } => Service::InvoiceCreated,
            Request::Cancel { .. } => Service::Cancel,
            Request::EditCartContent { .. } => Service::EditCartContent,
            Request::GetBillPayBankData { .. } => Service::GetBillPayBankData,
        }
    }

    /// The XML document. Without credentials (a client behind the relay)
    /// `default_params` is left out; the relay adds it.
    pub fn to_xml(&self, credentials: Option<&Credentials>) -> Result<String> {
        let xml = match self {
            Request::ModuleConfig {
                country,
                currency,
                language,
            } => {
                let mut xml = Xml::new(&[], credentials);
                xml.empty(
                    "locale",
                    &[
                        ("country", country_alpha3(*country).to_owned()),
                        ("currency", currency.code().to_owned()),
                        ("language", language.clone()),
                    ],
                );
                xml
            }
            Request::Preauthorize {
                notify_url,
                redirect_url,
                auto_capture,
                payment,
                customer,
                shipping,
                cart,
                currency,
                reference,
            } => {
                let mut xml = Xml::new(
                    &[
                        ("tcaccepted", "1".to_owned()),
                        ("expecteddaystillshipping", "0".to_owned()),
                        (
                            "capturerequestnecessary",
                            if *auto_capture { "0" } else { "1" }.to_owned(),
                        ),
                        ("paymenttype", payment.code().to_owned()),
                    ],
                    credentials,
                );
                let c = customer;
                xml.empty(
                    "customer_details",
                    &[
                        ("customerid", c.customer_id.clone()),
                        ("customertype", c.customer_type.to_string()),
                        ("salutation", c.salutation.clone()),
                        ("title", c.title.clone()),
                        ("firstName", c.first_name.clone()),
                        ("lastName", c.last_name.clone()),
                        ("street", c.street.clone()),
                        ("streetNo", c.street_no.clone()),
                        ("addressAddition", c.address_addition.clone()),
                        ("zip", c.zip.clone()),
                        ("city", c.city.clone()),
                        ("country", country_alpha3(c.country).to_owned()),
                        ("email", c.email.clone()),
                        ("phone", c.phone.clone()),
                        ("cellPhone", String::new()),
                        (
                            "birthday",
                            c.birthday.map(Date::compact).unwrap_or_default(),
                        ),
                        ("language", c.language.clone()),
                        ("ip", c.ip.clone()),
                        ("customerGroup", c.group.to_string()),
                    ],
                );
                match shipping {
                    None => xml.empty("shipping_details", &[("useBillingAddress", "1".to_owned())]),
                    Some(a) => xml.empty(
                        "shipping_details",
                        &[
                            ("useBillingAddress", "0".to_owned()),
                            ("salutation", a.salutation.clone()),
                            ("title", a.title.clone()),
                            ("firstName", a.first_name.clone()),
                            ("lastName", a.last_name.clone()),
                            ("street", a.street.clone()),
                            ("streetNo", a.street_no.clone()),
                            ("addressAddition", a.address_addition.clone()),
                            ("zip", a.zip.clone()),
                            ("city", a.city.clone()),
                            ("country", country_alpha3(a.country).to_owned()),
                            ("phone", a.phone.clone()),
                        ],
                    ),
                }
                // Where BillPay's library puts it (after shipping and rate
                // request): holder, IBAN in `accountnumber` and BIC in
                // `sortcode`, the SEPA reading of the old account fields
                // (module 1.7.11 sends account_iban/account_bic there).
                if let Payment::DirectDebit(account) = payment {
                    xml.empty(
                        "bank_account",
                        &[
                            ("accountholder", account.holder.clone()),
                            ("accountnumber", account.iban.as_str().to_owned()),
                            (
                                "sortcode",
                                account
                                    .bic
                                    .as_ref()
                                    .map_or_else(String::new, |b| b.as_str().to_owned()),
                            ),
                        ],
                    );
                }
                // After the bank account and before the totals, where
                // BillPay's library (1.5.0) writes it.
                if let Some(company) = &customer.company {
                    xml.empty(
                        "company_details",
                        &[
                            ("name", company.name.clone()),
                            ("legalForm", company.legal_form.to_owned()),
                            ("registerNumber", company.register_number.clone()),
                            ("holderName", company.holder_name.clone()),
                            ("taxNumber", company.tax_number.clone()),
                        ],
                    );
                }
                write_cart(&mut xml, cart, *currency, reference)?;
                // Last, as BillPay's library writes it: URLs as CDATA text.
                if notify_url.is_some() || redirect_url.is_some() {
                    xml.out.push_str("<async_capture_request>");
                    for (name, url) in [("redirect_url", redirect_url), ("notify_url", notify_url)]
                    {
                        if let Some(url) = url {
                            xml.cdata_element(name, url);
                        }
                    }
                    xml.out.push_str("</async_capture_request>");
                }
                xml
            }
            Request::Capture {
                bptid,
                amount,
                currency,
                reference,
                customer_id,
            } => {
                let mut xml = Xml::new(&[], credentials);
                xml.empty(
                    "capture_params",
                    &[
                        ("bptid", bptid.clone()),
                        ("carttotalgross", cents(*amount)),
                        ("currency", currency.code().to_owned()),
                        ("reference", reference.clone()),
                        ("customerid", customer_id.clone()),
                    ],
                );
                xml
            }
            Request::UpdateOrder {
                bptid,
                reference,
                id_updates,
            } => {
                let mut xml = Xml::new(&[], credentials);
                xml.empty(
                    "update_params",
                    &[("bptid", bptid.clone()), ("reference", reference.clone())],
                );
                if !id_updates.is_empty() {
                    xml.open("id_update_list", &[]);
                    for (article_id, update_id) in id_updates {
                        xml.empty(
                            "id_update",
                            &[
                                ("articleid", article_id.clone()),
                                ("updateid", update_id.clone()),
                            ],
                        );
                    }
                    xml.close("id_update_list");
                }
                xml
            }
            Request::InvoiceCreated {
                reference,
                amount,
                currency,
                delay_days,
            } => {
                let mut xml = Xml::new(&[], credentials);
                xml.empty(
                    "invoice_params",
                    &[
                        ("carttotalgross", cents(*amount)),
                        ("currency", currency.code().to_owned()),
                        ("reference", reference.clone()),
                        ("delayindays", delay_days.to_string()),
                    ],
                );
                xml
            }
            Request::Cancel {
                reference,
                amount,
                currency,
            } => {
                let mut xml = Xml::new(&[], credentials);
                xml.empty(
                    "cancel_params",
                    &[
                        ("reference", reference.clone()),
                        ("carttotalgross", cents(*amount)),
                        ("currency", currency.code().to_owned()),
                    ],
                );
                xml
            }
            Request::EditCartContent {
                reference,
                currency,
                cart,
            } => {
                let mut xml = Xml::new(&[], credentials);
                write_cart(&mut xml, cart, *currency, reference)?;
                xml
            }
            Request::GetBillPayBankData { reference } => {
                let mut xml = Xml::new(&[], credentials);
                xml.empty("order_params", &[("reference", reference.clone())]);
                xml
            }
        };
        // Checked values cannot get here with them; ids and other values
        // passed through can. XML 1.0 has no way to carry these characters,
        // not even as references: BillPay would refuse the whole document.
        let text = xml.finish();
        match text.chars().find(|&c| !is_xml_char(c)) {
            Some(c) => Err(BillPayError::new(
                ErrorCode::InvalidText,
                format!(
                    "a value contains U+{:04X}, which XML cannot carry",
                    u32::from(c)
                ),
            )),
            None => Ok(text),
        }
    }
}

/// One parsed element: its attributes (unescaped), children and character
/// data (text and CDATA, references resolved). BillPay puts values in
/// attributes; text carries URLs (`async_capture_request`, answered by
/// `async_capture_params`), which the relay must pass on whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The element's character data, or `None` when it has none but white
    /// space (the layout between child elements).
    pub fn text(&self) -> Option<&str> {
        let text = self.text.trim();
        (!text.is_empty()).then_some(text)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// An answer's bytes as text: UTF-8 (a byte-order mark dropped; what is no
/// UTF-8 becomes U+FFFD, which `parse_response` refuses), or ISO-8859-1 when
/// the XML declaration names it, as some PHP servers answered, read as
/// browsers read that label: windows-1252 (its 0x80–0x9F are € and the
/// typographic quotes PHP wrote there, not control characters). The text is
/// then declared UTF-8, as it is passed on (the relay writes it in UTF-8).
pub fn answer_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match declared_latin1(bytes) {
        // The declaration is ASCII: its bytes are its characters.
        Some((start, end, latin9)) => {
            let (head, tail) = (
                bytes.get(..start).unwrap_or(b""),
                bytes.get(end..).unwrap_or(b""),
            );
            let mut text: String = head.iter().map(|&b| char::from(b)).collect();
            text.push_str("UTF-8");
            text.extend(
                tail.iter()
                    .map(|&b| if latin9 { latin_9(b) } else { windows_1252(b) }),
            );
            text
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A windows-1252 byte as its character (the five bytes it leaves undefined
/// as U+FFFD, which `parse_response` refuses).
fn windows_1252(byte: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ];
    match byte {
        0x80..=0x9F => HIGH
            .get(usize::from(byte - 0x80))
            .and_then(|&c| char::from_u32(u32::from(c)))
            .unwrap_or('\u{FFFD}'),
        _ => char::from(byte),
    }
}

/// An ISO-8859-15 (Latin-9) byte as its character: Latin-1 but for the
/// euro sign and seven letters (Š š Ž ž Œ œ Ÿ), the reason German servers
/// declared it.
fn latin_9(byte: u8) -> char {
    match byte {
        0xA4 => '€',
        0xA6 => 'Š',
        0xA8 => 'š',
        0xB4 => 'Ž',
        0xB8 => 'ž',
        0xBC => 'Œ',
        0xBD => 'œ',
        0xBE => 'Ÿ',
        _ => char::from(byte),
    }
}

/// Where the encoding's name stands in the XML declaration (`<?xml … ?>`)
/// that `bytes` start with, when it is ISO-8859-1 (or windows-1252) under
/// one of its names, and whether it is ISO-8859-15 instead. On bytes, not
/// `str` patterns: a substring search would put core's two-way searcher
/// into the module (+2 KB).
fn declared_latin1(bytes: &[u8]) -> Option<(usize, usize, bool)> {
    // `<?xml` and a space: not `<?xml-stylesheet`.
    if !bytes.starts_with(b"<?xml") || !bytes.get(5).is_some_and(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let end = bytes.windows(2).position(|w| w == b"?>")?;
    let declaration = bytes.get(..end)?;
    let byte = |at: usize| declaration.get(at).copied();
    let skip_space = |mut at: usize| {
        while byte(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        at
    };
    // The attribute itself: a space before its name.
    let key = declaration.windows(9).position(|w| {
        w.get(1..) == Some(&b"encoding"[..]) && w.first().is_some_and(|b| b.is_ascii_whitespace())
    })?;
    let at = skip_space(key + 9);
    if byte(at) != Some(b'=') {
        return None;
    }
    let at = skip_space(at + 1);
    let quote = byte(at).filter(|q| *q == b'"' || *q == b'\'')?;
    let start = at + 1;
    let length = declaration.get(start..)?.iter().position(|&b| b == quote)?;
    let name = declaration.get(start..start + length)?;
    let named = |names: &[&[u8]]| names.iter().any(|known| name.eq_ignore_ascii_case(known));
    if named(&[
        b"iso-8859-15",
        b"iso8859-15",
        b"iso_8859-15",
        b"latin9",
        b"latin-9",
    ]) {
        return Some((start, start + length, true));
    }
    named(&[
        b"iso-8859-1",
        b"iso8859-1",
        b"iso_8859-1",
        b"latin1",
        b"latin-1",
        b"windows-1252",
        b"cp1252",
    ])
    .then_some((start, start + length, false))
}

/// Documents above this size are not BillPay answers.
const MAX_DOCUMENT: usize = 1 << 20;
const MAX_DEPTH: usize = 16;

fn invalid(message: impl Into<String>) -> BillPayError {
    BillPayError::new(ErrorCode::InvalidResponse, message).retryable()
}

/// Parses an XML document into an element tree.
pub fn parse_document(text: &str) -> Result<Element> {
    // Size first: the client's transport cuts a long answer one byte past
    // the limit (src/wasm/fetch.js), whatever its first megabyte holds.
    if text.len() > MAX_DOCUMENT {
        // The same answer again would be as large: not worth a retry.
        let mut error = invalid("the answer is too large to be a BillPay response");
        error.retryable = false;
        return Err(error);
    }
    if text.trim().is_empty() {
        return Err(invalid("the answer is empty"));
    }
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let element_of = |start: &quick_xml::events::BytesStart<'_>| -> Result<Element> {
        let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        let mut attributes = Vec::new();
        // quick-xml's own duplicate check compares each attribute with every
        // earlier one: quadratic in the attribute count (5 900 attributes
        // blocked the relay for 150 ms). Sorting the names finds repeats in
        // n log n.
        let mut keys = Vec::new();
        for attribute in start.attributes().with_checks(false) {
            let attribute =
                attribute.map_err(|e| invalid(format!("malformed XML attribute: {e}")))?;
            keys.push(attribute.key.into_inner());
            let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
            let value = attribute
                .unescape_value()
                .map_err(|e| invalid(format!("malformed XML value: {e}")))?
                .into_owned();
            attributes.push((key, value));
        }
        if let Some((key, _)) = Names::new(keys.into_iter())
            .first_repeat()
            .and_then(|i| attributes.get(i))
        {
            return Err(invalid(format!(
                "malformed XML: attribute \"{}\" appears twice in <{}>",
                clip(key),
                clip(&name)
            )));
        }
        Ok(Element {
            name,
            attributes,
            children: Vec::new(),
            text: String::new(),
        })
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| invalid(format!("malformed XML: {}", clip(&e.to_string()))))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(invalid("the XML is nested too deeply"));
                }
                stack.push(element_of(&start)?);
            }
            Event::Empty(start) => {
                let element = element_of(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(invalid("more than one root element")),
                }
            }
            Event::End(_) => {
                let element = stack.pop().ok_or_else(|| invalid("unbalanced XML"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(invalid("more than one root element")),
                }
            }
            Event::DocType(_) => return Err(invalid("DTDs are not accepted")),
            // Only white space, comments and processing instructions may
            // stand outside the root: "<data …/>garbage" is no answer.
            Event::Text(text) if stack.is_empty() && !text.iter().all(u8::is_ascii_whitespace) => {
                return Err(invalid("malformed XML: text outside the root element"));
            }
            Event::CData(_) | Event::GeneralRef(_) if stack.is_empty() => {
                return Err(invalid("malformed XML: text outside the root element"));
            }
            Event::Text(text) => {
                let text = text
                    .decode()
                    .map_err(|e| invalid(format!("malformed XML text: {e}")))?;
                push_text(&mut stack, &text);
            }
            Event::CData(data) => {
                let data = data
                    .decode()
                    .map_err(|e| invalid(format!("malformed XML text: {e}")))?;
                push_text(&mut stack, &data);
            }
            Event::GeneralRef(reference) => {
                let character = reference
                    .resolve_char_ref()
                    .map_err(|e| invalid(format!("malformed XML reference: {e}")))?;
                let name = reference
                    .decode()
                    .map_err(|e| invalid(format!("malformed XML reference: {e}")))?;
                match character {
                    Some(c) => push_text(&mut stack, c.encode_utf8(&mut [0; 4])),
                    // Without a DTD only XML's five entities are defined.
                    None => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(text) => push_text(&mut stack, text),
                        None => {
                            return Err(invalid(format!(
                                "malformed XML: unknown entity &{};",
                                clip(&name)
                            )))
                        }
                    },
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(invalid("the XML ends before its elements are closed"));
    }
    root.ok_or_else(|| invalid("the answer has no XML element"))
}

/// Character data of the innermost open element.
fn push_text(stack: &mut [Element], text: &str) {
    if let Some(open) = stack.last_mut() {
        open.text.push_str(text);
    }
}

/// A BillPay answer whose `error_code` is 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub root: Element,
}

/// Whether `text` is a web page (a proxy's, a login's, a wrong endpoint's),
/// not an answer of BillPay's.
pub fn is_html_page(text: &str) -> bool {
    let head = text.trim_start().as_bytes();
    [&b"<!doctype html"[..], b"<html"].iter().any(|tag| {
        head.get(..tag.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(tag))
    })
}

/// Reads a response; `error_code` ≠ 0 becomes an `API_ERROR` carrying
/// BillPay's code and both messages (the merchant message is for admins only).
pub fn parse_response(text: &str) -> Result<Response> {
    // Too large first: the transport cuts a long answer, maybe inside a
    // character, which then reads as U+FFFD.
    if text.len() > MAX_DOCUMENT {
        return parse_document(text).map(|root| Response { root });
    }
    // The transport decodes what is not UTF-8 (nor declared ISO-8859-1) as
    // U+FFFD, which no BillPay answer holds: a name or a customer message
    // read that way would reach invoices and shoppers damaged.
    // On bytes: `str::contains` would bring a substring searcher along (2 KB).
    if text
        .as_bytes()
        .windows(3)
        .any(|w| w == "\u{FFFD}".as_bytes())
    {
        let mut error = invalid(
            "the answer is not UTF-8 text (BillPay answers in UTF-8, or in ISO-8859-1 when its XML declaration says so)",
        );
        error.retryable = false;
        return Err(error);
    }
    // A proxy's or a web server's page where BillPay should answer: say
    // so, rather than what XML rule the page breaks.
    if is_html_page(text) {
        return Err(invalid(
            "the answer is an HTML page, not BillPay's XML: is the endpoint BillPay's address (or your relay's)?",
        ));
    }
    let root = parse_document(text)?;
    if root.name != "data" {
        return Err(invalid(format!(
            "expected a <data> answer, got <{}>",
            clip(&root.name)
        )));
    }
    let code = root
        .attribute("error_code")
        .ok_or_else(|| invalid("the answer has no error_code"))?;
    // Digits only: `+0` or `-0` would parse as 0, a success BillPay never wrote.
    let digits = code.trim();
    let code: i64 = digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()
        .ok_or_else(|| invalid(format!("error_code \"{}\" is not a number", clip(code))))?;
    if code != 0 {
        let customer = with_validation_errors(&root, "customer_message");
        let merchant = with_validation_errors(&root, "merchant_message");
        let denied = root.attribute("status") == Some("DENIED");
        let mut error = BillPayError::new(
            if denied {
                ErrorCode::PreauthorizationDenied
            } else {
                ErrorCode::ApiError
            },
            format!(
                "BillPay answered error {code}: {}",
                if merchant.is_empty() {
                    &customer
                } else {
                    &merchant
                }
            ),
        );
        error.api_code = Some(code);
        error.customer_message = Some(customer);
        error.merchant_message = Some(merchant);
        return Err(error);
    }
    Ok(Response { root })
}

/// An error answer's message (`attribute` of the root) followed by those of
/// its `validation_errors` (library 1.5.14: one `error` per field refused,
/// each with both messages), which say what to correct.
fn with_validation_errors(root: &Element, attribute: &str) -> String {
    let mut message = root.attribute(attribute).unwrap_or("").trim().to_owned();
    let fields = root.child("validation_errors").map(|list| {
        list.children
            .iter()
            .filter(|e| e.name == "error")
            .filter_map(|e| e.attribute(attribute).map(str::trim))
            .filter(|m| !m.is_empty())
    });
    // The fields' list after the answer's own message: after its sentence,
    // or after a colon; "; " between them.
    let lead = match message.chars().last() {
        None => "",
        Some('.' | '!' | '?') => " ",
        Some(_) => ": ",
    };
    for (i, field) in fields.into_iter().flatten().enumerate() {
        message.push_str(if i == 0 { lead } else { "; " });
        message.push_str(field);
    }
    message
}

impl Response {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.root.attribute(name)
    }

    /// The order's bank data (`invoice_bank_account`, or `bank_account` as
    /// one branch of BillPay's own library reads getBillPayBankData).
    pub fn bank_account(&self) -> Result<Option<BankAccount>> {
        self.bank_account_or(None)
    }

    fn bank_account_element(&self) -> Option<&Element> {
        self.root
            .child("invoice_bank_account")
            .or_else(|| self.root.child("bank_account"))
    }

    /// Whether the answer's bank data carries BillPay's payment reference.
    pub fn names_invoice_reference(&self) -> bool {
        self.bank_account_element()
            .and_then(|e| e.attribute("invoice_reference"))
            .is_some_and(|r| !r.trim().is_empty())
    }

    /// The same; without an `invoice_reference` the customer quotes
    /// `fallback_reference` (`BP<order number>/<merchant id>`): BillPay's
    /// plug-ins print the invoice reference when BillPay returns one.
    pub fn bank_account_or(&self, fallback_reference: Option<&str>) -> Result<Option<BankAccount>> {
        let Some(element) = self.bank_account_element() else {
            return Ok(None);
        };
        let text = |name: &str| element.attribute(name).unwrap_or("").trim().to_owned();
        let due = text("invoice_duedate");
        let due_date = if due.is_empty() {
            None
        } else {
            Some(Date::parse_compact(&due).ok_or_else(|| {
                invalid(format!("invoice_duedate \"{}\" is not a date", clip(&due)))
            })?)
        };
        // BillPay's flag says whether invoiceCreated was performed (library
        // 1.2.6); answers without it are activated when they carry a due date.
        let activated = match element.attribute("activation_performed") {
            Some(flag) => flag.trim() == "1",
            None => due_date.is_some(),
        };
        let input = BankAccountInput {
            account_holder: text("account_holder"),
            iban: text("account_number"),
            bic: text("bank_code"),
            bank_name: text("bank_name"),
            invoice_reference: match (text("invoice_reference"), fallback_reference) {
                (reference, Some(fallback)) if reference.is_empty() => fallback.to_owned(),
                (reference, _) => reference,
            },
            due_date: due_date.map(|d| d.to_string()),
            activated: activated && due_date.is_some(),
        };
        BankAccount::from_input(&input)
            .map(Some)
            .map_err(|e| invalid(format!("BillPay's bank data is not usable: {e}")))
    }
}

crate::string_enum! {
    /// BillPay's decision in an asynchronous capture callback.
    pub enum CallbackStatus => "CaptureCallbackStatus", ErrorCode::InvalidResponse,
        "the callback's status is \"APPROVED\" or \"DENIED\"," {
        Approved = "APPROVED",
        Denied = "DENIED",
    }
}

crate::output_shape! {
    /// BillPay's asynchronous capture callback: its decision about a PRE_APPROVED order, posted to the shop's notify URL.
    #[derive(Debug)]
    pub struct CaptureCallback => "CaptureCallback" {
        /// APPROVED: BillPay takes the order. DENIED (also for any error code): it does not.
        pub status "status": CallbackStatus,
        /// The shop's order number.
        pub reference "reference": String,
        /// BillPay's transaction id, when the callback names it.
        pub bptid "bptid": Option<String>,
        /// BillPay's error_code: 0 for a decision without error.
        pub api_code "apiCode": i64,
        /// May be shown to the shopper.
        pub customer_message "customerMessage": Option<String>,
        /// For the shop's staff and logs only, never for shoppers.
        pub merchant_message "merchantMessage": Option<String>,
        /// An approved invoice: the account the customer transfers to (not activated yet, unless the callback carries a due date).
        pub bank_account "bankAccount": Option<BankAccount>,
    }
}

crate::input_shape! {
    pub struct CaptureCallbackOptionsInput => "CaptureCallbackOptions" {
        /// Your BillPay merchant id: the customer quotes BP<order number>/<merchant id> when the callback's bank data has no invoice_reference.
        pub merchant_id "merchantId": Option<u32>,
    }
}

/// Reads the callback BillPay posts for a PRE_APPROVED order (reference
/// §2.13: `<data error_code customer_message merchant_message status
/// reference [bptid]>` with `invoice_bank_account`). The document is not
/// signed (its `default_params` are empty): the notify URL must carry the
/// shop's own secret, as BillPay's modules do. Without an
/// `invoice_reference` the customer quotes `BP<reference>/<merchant_id>`.
pub fn parse_capture_callback(text: &str, merchant_id: Option<u32>) -> Result<CaptureCallback> {
    // An answer is re-requested when it is garbled; a callback is not.
    let settled = |e: BillPayError| BillPayError {
        retryable: false,
        message: match e.message.strip_prefix("the answer") {
            Some(rest) => format!("the callback{rest}"),
            None => e.message.clone(),
        },
        ..e
    };
    let root = parse_document(text).map_err(settled)?;
    if root.name != "data" {
        return Err(settled(invalid(format!(
            "expected a <data> callback, got <{}>",
            clip(&root.name)
        ))));
    }
    let response = Response { root };
    let text_of = |name: &str| response.attribute(name).unwrap_or("").trim().to_owned();
    let code = text_of("error_code");
    let api_code: i64 = code.parse().map_err(|_| {
        settled(invalid(if code.is_empty() {
            String::from("the callback has no error_code")
        } else {
            format!("error_code \"{}\" is not a number", clip(&code))
        }))
    })?;
    let reference = text_of("reference");
    if reference.is_empty() {
        return Err(settled(invalid(
            "the callback names no order (its reference is empty)",
        )));
    }
    // The shop's order number as the shop sent it: anything else is no
    // order of this shop, and no BP<order number>/<merchant id> to quote.
    crate::reference::check_order_number(&reference).map_err(|e| {
        let mut message = String::from("the callback's reference is no order number: ");
        message.push_str(&e.message);
        settled(invalid(message)).at("reference")
    })?;
    let status = if api_code == 0 {
        CallbackStatus::parse(&text_of("status")).map_err(settled)?
    } else {
        CallbackStatus::Denied
    };
    let bank_account = if status == CallbackStatus::Approved {
        let fallback = merchant_id.map(|mid| {
            let mut text = String::with_capacity(reference.len() + 13);
            text.push_str("BP");
            text.push_str(&reference);
            text.push('/');
            crate::shape::json::push_int(&mut text, i64::from(mid));
            text
        });
        if response.bank_account_element().is_some()
            && fallback.is_none()
            && !response.names_invoice_reference()
        {
            return Err(settled(invalid(
                "the callback's bank data has no invoice_reference: give the merchant id, so that the customer quotes BP<order number>/<merchant id>",
            )));
        }
        response
            .bank_account_or(fallback.as_deref())
            .map_err(settled)?
    } else {
        None
    };
    let optional = |name: &str| Some(text_of(name)).filter(|t| !t.is_empty());
    Ok(CaptureCallback {
        status,
        bptid: optional("bptid"),
        api_code,
        customer_message: optional("customer_message"),
        merchant_message: optional("merchant_message"),
        bank_account,
        reference,
    })
}

/// Puts the merchant's credentials into a request that arrives without them
/// (the relay): any `default_params` the sender put in are dropped, fresh ones
/// go first inside `<data>`. The request must be a well-formed `<data>`.
pub fn inject_credentials(request: &str, credentials: &Credentials) -> Result<String> {
    // parse_document speaks of BillPay's answers; here it reads a request.
    let root = parse_document(request).map_err(|e| BillPayError {
        code: ErrorCode::InvalidInput,
        retryable: false,
        message: match e.message.strip_prefix("the answer") {
            Some(rest) => format!("the request{rest}"),
            None => e.message.clone(),
        },
        ..e
    })?;
    if root.name != "data" {
        return Err(BillPayError::new(
            ErrorCode::InvalidInput,
            "a BillPay request is a <data> document",
        ));
    }
    let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    write_element(&mut out, &root, Some(credentials));
    // Read from references (`&#1;`), text can hold what XML cannot carry.
    match out.chars().find(|&c| !is_xml_char(c)) {
        Some(c) => Err(BillPayError::new(
            ErrorCode::InvalidInput,
            format!(
                "the request contains U+{:04X}, which XML cannot carry",
                u32::from(c)
            ),
        )),
        None => Ok(out),
    }
}

fn write_element(out: &mut String, element: &Element, credentials: Option<&Credentials>) {
    out.push('<');
    out.push_str(&element.name);
    for (key, value) in &element.attributes {
        let _ = write!(out, " {key}=\"");
        push_attribute_value(out, value);
        out.push('"');
    }
    let children: Vec<&Element> = element
        .children
        .iter()
        .filter(|c| c.name != "default_params")
        .collect();
    let text = element.text();
    if children.is_empty() && credentials.is_none() && text.is_none() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    if let Some(credentials) = credentials {
        out.push_str(&credentials.element());
    }
    if let Some(text) = text {
        // As BillPay's library writes text: CDATA, "]]>" split over two.
        out.push_str("<![CDATA[");
        let mut rest = text;
        while let Some(at) = rest.as_bytes().windows(3).position(|w| w == b"]]>") {
            out.push_str(rest.get(..at + 2).unwrap_or(""));
            out.push_str("]]><![CDATA[");
            rest = rest.get(at + 2..).unwrap_or("");
        }
        out.push_str(rest);
        out.push_str("]]>");
    }
    for child in children {
        write_element(out, child, None);
    }
    out.push_str("</");
    out.push_str(&element.name);
    out.push('>');
}

#[cfg(test)]
mod tests;
