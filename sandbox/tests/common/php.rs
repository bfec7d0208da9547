//! BillPay's PHP client library as the sandbox meets it, re-told in Rust from its source
//! (`ipl_xml_api.php` of library 1.6.1 in the modified-shop module 1.7.11, and of SDK 1.1.7):
//!
//! * requests are built the way the library builds them: the XML declaration glued to
//!   `<data …>`, `api_version` as the root's last attribute, `<tag a="v" />` with the trailing
//!   space of `ipl_core_build_attr_string`, empty groups left out (1.6.1) or written (1.1.7),
//!   `<async_capture_request>` with CDATA children and a space before every `</close>` of
//!   `ipl_core_build_close_tag`;
//! * answers are read the way its default parser (`XMLParserIPL` on PHP's xml_parser) reads
//!   them: element and attribute names lower-cased, and the character data of an element
//!   collected as `tagData .= trim($chunk)` for every chunk the SAX parser hands over. The
//!   parser hands text over in pieces: every entity or character reference is a piece of its
//!   own, line breaks and runs of non-ASCII text too, while a CDATA section is one piece. So
//!   escaped text loses the spaces next to its entities and every line break; CDATA keeps
//!   them. Then the library's `ipl_core_parse_*_response` functions pick the fields.
#![allow(dead_code)]

use quick_xml::events::Event;
use std::collections::BTreeMap;

// --- building requests ----------------------------------------------------------------------

/// `ipl_core_xml_escape`.
pub fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
}

/// `ipl_core_build_attr_string`: every pair followed by a space.
pub fn attr_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\" ", escape(v)))
        .collect()
}

/// `ipl_core_build_closed_tag` of library 1.6.1: nothing for an empty group.
pub fn closed_tag(name: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    format!("<{name} {}/>", attr_string(pairs))
}

/// `ipl_core_build_closed_tag` of SDK 1.1.7: always written, `<bank_account />` when empty.
pub fn closed_tag_117(name: &str, pairs: &[(&str, String)]) -> String {
    format!("<{name} {}/>", attr_string(pairs))
}

/// `ipl_core_build_list_tag`.
pub fn list_tag(name: &str, child: &str, items: &[Vec<(&str, String)>]) -> String {
    let children: String = items
        .iter()
        .map(|item| format!("<{child} {}/>", attr_string(item)))
        .collect();
    format!("<{name}>{children}</{name}>")
}

/// `ipl_core_build_attr_list_tag`: open tag, list, then `ipl_core_build_close_tag`'s space.
pub fn attr_list_tag(
    name: &str,
    attrs: &[(&str, String)],
    child: &str,
    items: &[Vec<(&str, String)>],
) -> String {
    let open = if attrs.is_empty() {
        format!("<{name}>")
    } else {
        format!("<{name} {}>", attr_string(attrs))
    };
    let list: String = items
        .iter()
        .map(|item| format!("<{child} {}/>", attr_string(item)))
        .collect();
    format!("{open}{list} </{name}>")
}

/// `ipl_core_build_list_ctag`: children as CDATA, and the close tag's space.
pub fn list_ctag(name: &str, pairs: &[(&str, String)]) -> String {
    let children: String = pairs
        .iter()
        .map(|(k, v)| format!("<{k}><![CDATA[{v}]]></{k}>"))
        .collect();
    format!("<{name}>{children} </{name}>")
}

/// `ipl_core_build_xml_from_array(… 'article' …)->asXML()` with the prolog cut off:
/// SimpleXML's own attribute escaping, no trailing space.
pub fn simplexml_articles(items: &[Vec<(&str, String)>]) -> String {
    let children: String = items
        .iter()
        .map(|item| {
            let attrs: String = item
                .iter()
                .map(|(k, v)| {
                    format!(
                        " {k}=\"{}\"",
                        v.replace('&', "&amp;")
                            .replace('<', "&lt;")
                            .replace('>', "&gt;")
                            .replace('"', "&quot;")
                    )
                })
                .collect();
            format!("<article{attrs}/>")
        })
        .collect();
    format!("<article_data>{children}</article_data>")
}

/// `ipl_core_build_request_xml`: `api_version` appended to the root's attributes.
pub fn request(version: &str, root_attrs: &[(&str, String)], parts: &[String]) -> String {
    let attrs: String = root_attrs
        .iter()
        .chain(std::iter::once(&("api_version", version.to_string())))
        .map(|(k, v)| format!(" {k}=\"{}\"", escape(v)))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><data{attrs}>{}</data>",
        parts.concat()
    )
}

pub fn s(v: impl ToString) -> String {
    v.to_string()
}

// --- reading answers ------------------------------------------------------------------------

/// `XMLTagIPL`: lower-cased name and attribute keys, collected character data, children.
#[derive(Debug, Default)]
pub struct Tag {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub data: String,
    pub children: Vec<Tag>,
}

impl Tag {
    /// `$xml->name[0]`
    pub fn child(&self, name: &str) -> Option<&Tag> {
        self.children.iter().find(|c| c.name == name)
    }

    /// `(string)$tag->tagAttrs['name']` (unset reads as "").
    pub fn attr(&self, name: &str) -> String {
        self.attrs.get(name).cloned().unwrap_or_default()
    }
}

/// PHP's `trim()`: " \t\n\r\0\x0B".
fn php_trim(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\u{0B}'))
}

/// The pieces in which the SAX parser delivers an escaped text run: each reference alone,
/// each line break alone, ASCII and non-ASCII runs apart.
fn text_chunks(raw: &str) -> Result<Vec<String>, String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut rest = raw;
    let flush = |current: &mut String, chunks: &mut Vec<String>| {
        if !current.is_empty() {
            chunks.push(std::mem::take(current));
        }
    };
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            let end = rest.find(';').ok_or("unterminated reference")?;
            let reference = &rest[1..end];
            let decoded = match reference {
                "amp" => "&".to_string(),
                "lt" => "<".to_string(),
                "gt" => ">".to_string(),
                "quot" => "\"".to_string(),
                "apos" => "'".to_string(),
                r if r.starts_with("#x") => {
                    char::from_u32(u32::from_str_radix(&r[2..], 16).map_err(|e| e.to_string())?)
                        .ok_or("bad reference")?
                        .to_string()
                }
                r if r.starts_with('#') => {
                    char::from_u32(r[1..].parse::<u32>().map_err(|e| e.to_string())?)
                        .ok_or("bad reference")?
                        .to_string()
                }
                other => return Err(format!("unknown entity {other}")),
            };
            flush(&mut current, &mut chunks);
            chunks.push(decoded);
            rest = &rest[end + 1..];
            continue;
        }
        if c == '\n' {
            flush(&mut current, &mut chunks);
            chunks.push("\n".to_string());
        } else {
            if let Some(last) = current.chars().last() {
                if last.is_ascii() != c.is_ascii() {
                    flush(&mut current, &mut chunks);
                }
            }
            current.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut current, &mut chunks);
    Ok(chunks)
}

/// `XMLParserIPL::Parse` on a response body. `Err` is the library's internal error 10
/// ("Invalid XML response received").
pub fn parse(body: &str) -> Result<Tag, String> {
    let mut reader = quick_xml::Reader::from_str(body);
    let mut stack: Vec<Tag> = Vec::new();
    let mut root: Option<Tag> = None;
    let open = |start: &quick_xml::events::BytesStart| -> Result<Tag, String> {
        let mut tag = Tag {
            name: String::from_utf8_lossy(start.name().as_ref()).to_lowercase(),
            ..Tag::default()
        };
        for attr in start.attributes() {
            let attr = attr.map_err(|e| e.to_string())?;
            let value = attr.unescape_value().map_err(|e| e.to_string())?;
            tag.attrs.insert(
                String::from_utf8_lossy(attr.key.as_ref()).to_lowercase(),
                value.into_owned(),
            );
        }
        Ok(tag)
    };
    let close = |tag: Tag, stack: &mut Vec<Tag>, root: &mut Option<Tag>| match stack.last_mut() {
        Some(parent) => parent.children.push(tag),
        None => *root = Some(tag),
    };
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(start) => stack.push(open(&start)?),
            Event::Empty(start) => close(open(&start)?, &mut stack, &mut root),
            Event::End(_) => {
                let tag = stack.pop().ok_or("unbalanced")?;
                close(tag, &mut stack, &mut root);
            }
            Event::Text(text) => {
                let raw = std::str::from_utf8(text.as_ref()).map_err(|e| e.to_string())?;
                if let Some(tag) = stack.last_mut() {
                    for chunk in text_chunks(raw)? {
                        tag.data.push_str(php_trim(&chunk));
                    }
                }
            }
            Event::GeneralRef(reference) => {
                let raw = format!(
                    "&{};",
                    std::str::from_utf8(reference.as_ref()).map_err(|e| e.to_string())?
                );
                if let Some(tag) = stack.last_mut() {
                    for chunk in text_chunks(&raw)? {
                        tag.data.push_str(php_trim(&chunk));
                    }
                }
            }
            Event::CData(cdata) => {
                let text = std::str::from_utf8(cdata.as_ref()).map_err(|e| e.to_string())?;
                if let Some(tag) = stack.last_mut() {
                    tag.data.push_str(php_trim(text));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("document ends inside an element".into());
    }
    root.ok_or_else(|| "no element".into())
}

/// What a request object knows after `send()`: the API error, or the parsed fields.
#[derive(Debug)]
pub struct Reply {
    pub error_code: i64,
    pub customer_message: String,
    pub merchant_message: String,
    pub data: BTreeMap<String, String>,
}

impl Reply {
    pub fn get(&self, key: &str) -> String {
        self.data.get(key).cloned().unwrap_or_default()
    }

    pub fn has_error(&self) -> bool {
        self.error_code > 0
    }
}

/// `ipl_core_load_xml` (xmlParser): the three root attributes.
fn envelope(root: &Tag) -> Reply {
    Reply {
        // `(int)` of a non-number is 0 in PHP.
        error_code: root.attr("error_code").trim().parse().unwrap_or(0),
        customer_message: root.attr("customer_message"),
        merchant_message: root.attr("merchant_message"),
        data: BTreeMap::new(),
    }
}

const BANK_FIELDS: [&str; 6] = [
    "account_holder",
    "account_number",
    "bank_code",
    "bank_name",
    "invoice_reference",
    "invoice_duedate",
];

fn bank_fields(tag: &Tag, data: &mut BTreeMap<String, String>) {
    for field in BANK_FIELDS {
        data.insert(field.to_string(), tag.attr(field));
    }
}

/// `ipl_core_parse_payment_infos`
fn payment_infos(root: &Tag, data: &mut BTreeMap<String, String>) {
    if let Some(info) = root.child("payment_info") {
        if let Some(html) = info.child("html") {
            data.insert("payment_info_html".into(), html.data.clone());
        }
        if let Some(plain) = info.child("plain") {
            data.insert("payment_info_plain".into(), plain.data.clone());
        }
    }
}

/// The service answers, read by the library's xmlParser branch of `ipl_core_parse_*_response`.
pub fn read(service: &str, body: &str) -> Result<Reply, String> {
    let root = parse(body)?;
    let mut reply = envelope(&root);
    let data = &mut reply.data;
    match service {
        "moduleConfig" => {
            if let Some(limit) = root.child("limit") {
                for key in [
                    "invoicestatic",
                    "invoicebusinessstatic",
                    "directdebitstatic",
                ] {
                    data.insert(key.into(), limit.attr(key));
                }
            }
            if let Some(permissions) = root.child("permissions") {
                for key in [
                    "active",
                    "invoiceallowed",
                    "directdebitallowed",
                    "hirepurchaseallowed",
                ] {
                    data.insert(key.into(), permissions.attr(key));
                }
            }
        }
        "preauthorize" => {
            for key in ["status", "bptid"] {
                if root.attrs.contains_key(key) {
                    data.insert(key.into(), root.attr(key));
                }
            }
            if let Some(bank) = root.child("invoice_bank_account") {
                bank_fields(bank, data);
            }
            payment_infos(&root, data);
        }
        "capture" => {
            if let Some(bank) = root.child("invoice_bank_account") {
                bank_fields(bank, data);
            }
            payment_infos(&root, data);
        }
        "invoiceCreated" => {
            if let Some(bank) = root.child("invoice_bank_account") {
                bank_fields(bank, data);
                data.insert(
                    "activation_performed".into(),
                    bank.attr("activation_performed"),
                );
            }
            payment_infos(&root, data);
        }
        "getBillPayBankData" => {
            // The library's xmlParser path reads `bank_account`.
            if let Some(bank) = root.child("bank_account") {
                bank_fields(bank, data);
            }
            payment_infos(&root, data);
        }
        // cancel, updateOrder, editCartContent, partialcancel: "Nothing to do here".
        _ => {}
    }
    Ok(reply)
}

/// The library's other parser branch (`simpleXml`) for getBillPayBankData: a regular XML
/// reader and the element name `invoice_bank_account`.
pub fn read_bank_data_simplexml(body: &str) -> Result<BTreeMap<String, String>, String> {
    let doc = roxmltree::Document::parse(body).map_err(|e| e.to_string())?;
    let mut data = BTreeMap::new();
    if let Some(bank) = doc
        .root_element()
        .children()
        .find(|c| c.has_tag_name("invoice_bank_account"))
    {
        for field in BANK_FIELDS.iter().chain(&["activation_performed"]) {
            data.insert(
                field.to_string(),
                bank.attribute(*field).unwrap_or("").to_string(),
            );
        }
    }
    Ok(data)
}
