//! XML v1 building blocks: reading a request document within limits, a tiny writer that
//! escapes every attribute value (and writes text as CDATA, as BillPay's library does), and
//! typed attribute readers that turn bad input into protocol errors.

use crate::rules::{code, ApiError};
use quick_xml::events::{BytesStart, Event};
use roxmltree::{Document, Node, ParsingOptions};

/// Far above any element of the protocol (customer_details has 19 attributes).
pub const MAX_ATTRIBUTES: usize = 128;
/// The protocol nests four levels deep (data, invoice_list, invoice, article_data, article).
pub const MAX_DEPTH: usize = 32;
/// Nodes of the tree (elements, text, attributes do not count); a 1 MiB body of empty
/// elements would be some 250,000.
const MAX_NODES: u32 = 100_000;
/// The protocol uses no namespaces; a few are tolerated, many would make every name lookup of
/// the tree slow.
pub const MAX_NAMESPACES: usize = 16;

fn too_complex(detail: String) -> ApiError {
    ApiError::merchant(
        code::MALFORMED_XML,
        format!("request refused before parsing: {detail}"),
    )
}

/// Counts the attributes of a start tag (and the namespace declarations among them, into
/// `namespaces`). Counting stops at the limit, and without duplicate checks: linear in the
/// tag's length.
fn attribute_count(start: &BytesStart, namespaces: &mut usize) -> Result<(), ApiError> {
    let mut count = 0;
    for attribute in start
        .attributes()
        .with_checks(false)
        .take(MAX_ATTRIBUTES + 1)
    {
        count += 1;
        if attribute.is_ok_and(|a| a.key.as_ref().starts_with(b"xmlns")) {
            *namespaces += 1;
        }
    }
    if count > MAX_ATTRIBUTES {
        return Err(too_complex(format!(
            "element <{}> has more than {MAX_ATTRIBUTES} attributes",
            String::from_utf8_lossy(start.name().as_ref())
        )));
    }
    if *namespaces > MAX_NAMESPACES {
        return Err(too_complex(format!(
            "more than {MAX_NAMESPACES} namespace declarations"
        )));
    }
    Ok(())
}

/// One streaming pass whose cost grows linearly with the input: attribute counts and nesting
/// are bounded before the tree is built (its duplicate-attribute check is quadratic per
/// element), and what the streaming reader cannot read is refused right away.
fn check_limits(text: &str) -> Result<(), ApiError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    let mut namespaces = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_complex(format!(
                        "elements are nested more than {MAX_DEPTH} deep"
                    )));
                }
                attribute_count(&start, &mut namespaces)?;
            }
            Ok(Event::Empty(start)) => attribute_count(&start, &mut namespaces)?,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                return Err(ApiError::merchant(
                    code::MALFORMED_XML,
                    format!("request is not well-formed XML: {e}"),
                ))
            }
        }
    }
}

/// Parses a request document: limits first, then a strict tree (no DTD, so no entities).
pub fn parse(text: &str) -> Result<Document<'_>, ApiError> {
    check_limits(text)?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| {
        ApiError::merchant(
            code::MALFORMED_XML,
            format!("request is not well-formed XML: {e}"),
        )
    })
}

pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Parsers normalise literal whitespace in attributes to spaces: keep it as
            // character references. Other control characters are not allowed in XML 1.0.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Character content for a CDATA section: `]]>` split over two sections, and the control
/// characters XML 1.0 does not allow replaced by spaces.
fn cdata(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("<![CDATA[{}]]>", clean.replace("]]>", "]]]]><![CDATA[>"))
}

/// An element with attributes and children, serialised with every value escaped.
pub struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    /// Character content, written as one CDATA section.
    text: String,
}

impl Element {
    pub fn new(name: &str) -> Element {
        Element {
            name: name.to_string(),
            attrs: Vec::new(),
            children: Vec::new(),
            text: String::new(),
        }
    }

    /// Character content for elements without children. Written as CDATA, as BillPay's
    /// library writes text elements: its parser trims every character-data chunk, and an
    /// escaped text reaches it in chunks split at each entity and line break, losing the
    /// spaces and line breaks there; a CDATA section arrives in one piece.
    pub fn text(mut self, text: impl Into<String>) -> Element {
        self.text = text.into();
        self
    }

    pub fn attr(mut self, name: &str, value: impl ToString) -> Element {
        self.attrs.push((name.to_string(), value.to_string()));
        self
    }

    /// Inserts an attribute at `index` (clamped): the root's fixed attributes come first.
    pub fn insert_attr(&mut self, index: usize, name: &str, value: impl ToString) {
        let index = index.min(self.attrs.len());
        self.attrs
            .insert(index, (name.to_string(), value.to_string()));
    }

    pub fn child(mut self, child: Element) -> Element {
        self.children.push(child);
        self
    }

    pub fn push(&mut self, child: Element) {
        self.children.push(child);
    }

    fn write(&self, out: &mut String, depth: usize) {
        out.push_str(&"  ".repeat(depth));
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(&escape(v));
            out.push('"');
        }
        if self.children.is_empty() && !self.text.is_empty() {
            out.push('>');
            out.push_str(&cdata(&self.text));
            out.push_str("</");
            out.push_str(&self.name);
            out.push_str(">\n");
            return;
        }
        if self.children.is_empty() {
            out.push_str("/>\n");
            return;
        }
        out.push_str(">\n");
        for c in &self.children {
            c.write(out, depth + 1);
        }
        out.push_str(&"  ".repeat(depth));
        out.push_str("</");
        out.push_str(&self.name);
        out.push_str(">\n");
    }

    pub fn to_document(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.write(&mut out, 0);
        out
    }
}

/// The `<data>` root of a response: `error_code` and both messages come first.
pub fn response(code: i64, customer: &str, merchant: &str) -> Element {
    Element::new("data")
        .attr("error_code", code)
        .attr("customer_message", customer)
        .attr("merchant_message", merchant)
}

/// The version a response names when the request named none (the library's own).
pub const API_VERSION: &str = "1.6.1";

/// `api_version` goes on every response root, after the three fixed attributes, as on
/// BillPay's answers (the Omnipay fixtures InvoiceCreated and Cancel).
pub fn with_version(mut root: Element, version: &str) -> Element {
    root.insert_attr(3, "api_version", version);
    root
}

pub fn error_document(err: &ApiError, version: &str) -> String {
    with_version(
        response(err.code, &err.customer_message, &err.merchant_message),
        version,
    )
    .to_document()
}

pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

pub fn require_child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Result<Node<'a, 'i>, ApiError> {
    child(node, name).ok_or_else(|| ApiError::invalid(format!("element <{name}> is missing")))
}

pub fn children<'a, 'i>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a
where
    'i: 'a,
{
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

pub fn text<'a>(node: Node<'a, '_>, attr: &str) -> &'a str {
    node.attribute(attr).unwrap_or("").trim()
}

pub fn require_text<'a>(node: Node<'a, '_>, attr: &str) -> Result<&'a str, ApiError> {
    match node.attribute(attr).map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ApiError::invalid(format!(
            "attribute {attr} of <{}> is missing or empty",
            node.tag_name().name()
        ))),
    }
}

/// An attribute that must be there but may be empty (an article id).
pub fn present_text<'a>(node: Node<'a, '_>, attr: &str) -> Result<&'a str, ApiError> {
    node.attribute(attr).map(str::trim).ok_or_else(|| {
        ApiError::invalid(format!(
            "attribute {attr} of <{}> is missing",
            node.tag_name().name()
        ))
    })
}

fn parse_int(node: Node, attr: &str, v: &str) -> Result<i64, ApiError> {
    // Amounts are integers in cents: "12.50" or "1e3" is a client bug worth reporting.
    let digits = v.strip_prefix('-').unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid(format!(
            "attribute {attr} of <{}> must be a whole number (amounts are in cents), got {v:?}",
            node.tag_name().name()
        )));
    }
    if digits.len() > 15 {
        return Err(ApiError::invalid(format!(
            "attribute {attr} of <{}> is out of range (at most 15 digits), got {v:?}",
            node.tag_name().name()
        )));
    }
    v.parse::<i64>().map_err(|_| {
        ApiError::invalid(format!(
            "attribute {attr} of <{}> is out of range",
            node.tag_name().name()
        ))
    })
}

pub fn require_int(node: Node, attr: &str) -> Result<i64, ApiError> {
    let v = require_text(node, attr)?;
    parse_int(node, attr, v)
}

/// Optional integer attribute; absent or empty gives `default`.
pub fn int_or(node: Node, attr: &str, default: i64) -> Result<i64, ApiError> {
    let v = text(node, attr);
    if v.is_empty() {
        Ok(default)
    } else {
        parse_int(node, attr, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cdata() {
        let doc = Element::new("p")
            .text("Bitte überweisen <b>&</b>\nZeile ]]> Ende\u{1}")
            .to_document();
        assert!(
            doc.contains(
                "<p><![CDATA[Bitte überweisen <b>&</b>\nZeile ]]]]><![CDATA[> Ende ]]></p>"
            ),
            "{doc}"
        );
        let parsed = roxmltree::Document::parse(&doc).expect("well-formed");
        let text: String = parsed
            .root_element()
            .children()
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(text, "Bitte überweisen <b>&</b>\nZeile ]]> Ende ");
        let mut root = response(0, "", "").attr("status", "APPROVED");
        root.insert_attr(3, "api_version", "1.5.10");
        let doc = root.to_document();
        assert!(
            doc.contains("merchant_message=\"\" api_version=\"1.5.10\" status="),
            "{doc}"
        );
    }

    #[test]
    fn keeps_line_breaks() {
        let doc = response(1, "a\nb", "").to_document();
        let parsed = roxmltree::Document::parse(&doc).expect("well-formed");
        assert_eq!(
            parsed.root_element().attribute("customer_message"),
            Some("a\nb")
        );
    }

    #[test]
    fn escapes_all_five() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn document_round_trips() {
        let doc = response(0, "", "")
            .attr("status", "APPROVED")
            .child(Element::new("x").attr("v", "a\"b"))
            .to_document();
        let parsed = roxmltree::Document::parse(&doc).expect("well-formed");
        let root = parsed.root_element();
        assert_eq!(root.attribute("error_code"), Some("0"));
        assert_eq!(
            child(root, "x").and_then(|x| x.attribute("v")),
            Some("a\"b")
        );
    }

    #[test]
    fn limits_come_before_the_tree() {
        let wide = |n: usize| {
            let attrs: String = (0..n).map(|i| format!(" a{i}=\"1\"")).collect();
            format!("<data{attrs}><x/></data>")
        };
        assert!(parse(&wide(MAX_ATTRIBUTES)).is_ok());
        let refused = parse(&wide(MAX_ATTRIBUTES + 1)).map(|_| ()).unwrap_err();
        assert_eq!(refused.code, code::MALFORMED_XML);
        assert!(refused
            .merchant_message
            .contains("more than 128 attributes"));
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&deep).is_err());
        assert!(parse(&"<a>".repeat(MAX_DEPTH)).is_err(), "unclosed");
        let prefixes: String = (0..=MAX_NAMESPACES)
            .map(|i| format!(" xmlns:p{i}=\"urn:x\""))
            .collect();
        let refused = parse(&format!("<data{prefixes}/>"))
            .map(|_| ())
            .unwrap_err();
        assert!(refused.merchant_message.contains("namespace declarations"));
        let unquoted = parse("<data a=1/>").map(|_| ()).unwrap_err();
        assert!(
            unquoted.merchant_message.contains("not well-formed"),
            "{unquoted:?}"
        );
        for bad in [
            "",
            "text",
            "<a></b>",
            "<a x='1' x='2'/>",
            "<a/><b/>",
            "<!DOCTYPE a><a/>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert!(parse("<?xml version=\"1.0\"?>\n<data a=\"&amp;\"><b/></data>").is_ok());
    }

    #[test]
    fn integers() {
        let doc =
            roxmltree::Document::parse(r#"<t a="12" b="1.5" c="-3" d="" e="--1"/>"#).expect("xml");
        let n = doc.root_element();
        assert_eq!(require_int(n, "a"), Ok(12));
        assert!(require_int(n, "b").is_err());
        assert_eq!(require_int(n, "c"), Ok(-3));
        assert_eq!(int_or(n, "d", 7), Ok(7));
        assert!(require_int(n, "e").is_err());
        // A whole number too long is out of range, not "not an integer".
        let doc = roxmltree::Document::parse(r#"<t a="1000000000000000"/>"#).expect("xml");
        let e = require_int(doc.root_element(), "a").unwrap_err();
        assert!(format!("{e:?}").contains("out of range"), "{e:?}");
    }
}
