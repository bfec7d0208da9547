//! The BillPay XML v1 services: parse a request document, authenticate it, run the operation
//! in one transaction and build the response document.

use crate::bank::ACCOUNT_HOLDER;
use crate::clock::Date;
use crate::config::Merchant;
use crate::orders::{self, Ctx, NewOrder, PartialCancel};
use crate::rules::{self, code, ApiError, Article, Cart};
use crate::store::{self, Customer, Order};
use crate::xml::{self, Element};
use crate::App;
use roxmltree::Node;
use rusqlite::Connection;

pub const SERVICES: [&str; 9] = [
    "moduleConfig",
    "preauthorize",
    "capture",
    "updateOrder",
    "invoiceCreated",
    "cancel",
    "editCartContent",
    "partialcancel",
    "getBillPayBankData",
];

/// A response document and the warnings to log about the request.
pub struct Answer {
    pub document: String,
    pub warnings: Vec<String>,
}

/// Handles one service call; always returns a well-formed response document.
pub fn handle(app: &App, service: &str, body: &str) -> Answer {
    let document = match dispatch(app, service, body) {
        Ok(doc) => doc,
        Err(err) => xml::error_document(&err),
    };
    Answer {
        document,
        warnings: Vec::new(),
    }
}

/// The answer to a request refused before it reached a service (method, size, encoding).
pub fn error_document(err: &ApiError) -> String {
    xml::error_document(err)
}

fn dispatch(app: &App, service: &str, body: &str) -> Result<String, ApiError> {
    if !SERVICES.contains(&service) {
        return Err(ApiError::merchant(
            code::UNKNOWN_SERVICE,
            format!(
                "unknown service {service:?}; known: {}",
                SERVICES.join(", ")
            ),
        ));
    }
    if body.trim().is_empty() {
        return Err(ApiError::merchant(
            code::WRONG_CONTENT,
            "empty request body: POST the XML document as the body",
        ));
    }
    let doc = xml::parse(body)?;
    let root = doc.root_element();
    if root.tag_name().name() != "data" {
        return Err(ApiError::merchant(
            code::MALFORMED_XML,
            format!(
                "the root element must be <data>, got <{}>",
                root.tag_name().name()
            ),
        ));
    }
    let merchant = authenticate(app, root)?;
    match service {
        "moduleConfig" => module_config(merchant, root),
        "preauthorize" => preauthorize(app, merchant, root),
        "capture" => capture(app, merchant, root),
        "updateOrder" => update_order(app, merchant, root),
        "invoiceCreated" => invoice_created(app, merchant, root),
        "cancel" => cancel(app, merchant, root),
        "editCartContent" => edit_cart_content(app, merchant, root),
        "partialcancel" => partial_cancel(app, merchant, root),
        _ => bank_data(app, merchant, root),
    }
}

fn auth_error(detail: &str) -> ApiError {
    ApiError::merchant(code::AUTH, format!("authentication failed: {detail}"))
}

fn authenticate<'m>(app: &'m App, root: Node) -> Result<&'m Merchant, ApiError> {
    let params = xml::child(root, "default_params")
        .ok_or_else(|| auth_error("<default_params mid pid bpsecure/> is missing"))?;
    let mid = xml::int_or(params, "mid", -1).map_err(|_| auth_error("mid is not a number"))?;
    let pid = xml::int_or(params, "pid", -1).map_err(|_| auth_error("pid is not a number"))?;
    let secure = xml::text(params, "bpsecure");
    let Some(merchant) = app.merchants.iter().find(|m| m.mid == mid) else {
        return Err(auth_error(&format!("unknown merchant id {mid}")));
    };
    if merchant.pid != pid {
        return Err(auth_error(&format!(
            "portal id {pid} does not belong to merchant {mid}"
        )));
    }
    if secure != merchant.secure {
        return Err(auth_error(
            "bpsecure does not match: send the lower-case MD5 hex of the security key",
        ));
    }
    Ok(merchant)
}

fn success() -> Element {
    xml::response(0, "", "")
}

fn bank_element(order: &Order) -> Element {
    Element::new("invoice_bank_account")
        .attr("account_holder", ACCOUNT_HOLDER)
        .attr("account_number", &order.bank.iban)
        .attr("bank_code", &order.bank.bic)
        .attr("bank_name", &order.bank.bank_name)
        .attr("invoice_reference", order.invoice_reference())
        .attr(
            "invoice_duedate",
            order.due_date.map(Date::compact).unwrap_or_default(),
        )
        .attr(
            "activation_performed",
            if order.activated_at.is_some() { 1 } else { 0 },
        )
}

/// `payment_info htmlinfo="1" plaininfo="1"` in a request asks for ready-made
/// payment instructions (library 1.4.0); answered in German, BillPay's language.
fn payment_info(root: Node, order: &Order) -> Result<Option<Element>, ApiError> {
    let Some(request) = xml::child(root, "payment_info") else {
        return Ok(None);
    };
    let html = xml::int_or(request, "htmlinfo", 0)? == 1;
    let plain = xml::int_or(request, "plaininfo", 0)? == 1;
    if !html && !plain {
        return Ok(None);
    }
    let amount = format!(
        "{} {}",
        crate::util::display_amount(order.cart.total_gross)
            .replace(',', "'")
            .replace('.', ",")
            .replace('\'', "."),
        order.currency
    );
    let by = order.due_date.map_or_else(
        || "innerhalb der Zahlungsfrist".to_owned(),
        |date| {
            let (y, m, d) = date.ymd();
            format!("bis zum {d:02}.{m:02}.{y:04}")
        },
    );
    let iban: String = order
        .bank
        .iban
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    let rows = [
        ("Kontoinhaber", ACCOUNT_HOLDER.to_owned()),
        ("IBAN", iban),
        ("BIC", order.bank.bic.clone()),
        ("Bank", order.bank.bank_name.clone()),
        ("Verwendungszweck", order.invoice_reference()),
    ];
    let intro = format!(
        "Bitte überweisen Sie den Rechnungsbetrag von {amount} {by} unter Angabe des Verwendungszwecks auf folgendes Konto der BillPay GmbH:"
    );
    let mut element = Element::new("payment_info");
    if html {
        let table: String = rows
            .iter()
            .map(|(k, v)| format!("<tr><th>{k}</th><td>{}</td></tr>", xml::escape(v)))
            .collect();
        element.push(Element::new("html").text(format!(
            "<p>{}</p><table>{table}</table>",
            xml::escape(&intro)
        )));
    }
    if plain {
        let lines: Vec<String> = rows.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        element.push(Element::new("plain").text(format!("{intro}\n{}", lines.join("\n"))));
    }
    Ok(Some(element))
}

fn write<T>(
    app: &App,
    merchant: &Merchant,
    f: impl FnOnce(&Connection, &Ctx) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    app.store.write(|conn| {
        let ctx = Ctx {
            merchant,
            now: app.clock.now(),
        };
        f(conn, &ctx)
    })
}

fn find_by_reference(conn: &Connection, mid: i64, reference: &str) -> Result<Order, ApiError> {
    rules::check_reference(reference)?;
    store::order_by_reference(conn, mid, reference)?.ok_or_else(|| {
        ApiError::merchant(
            code::NOT_FOUND,
            format!("no order with reference {reference:?} for merchant {mid}"),
        )
    })
}

fn find_by_bptid(conn: &Connection, mid: i64, bptid: &str) -> Result<Order, ApiError> {
    store::order_by_bptid(conn, mid, bptid)?.ok_or_else(|| {
        ApiError::merchant(
            code::NOT_FOUND,
            format!("no order with bptid {bptid:?} for merchant {mid}"),
        )
    })
}

// --- moduleConfig ---------------------------------------------------------------------------

fn module_config(merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let (mut allowed, mut currency_ok) = (true, true);
    if let Some(locale) = xml::child(root, "locale") {
        let country = xml::text(locale, "country");
        let currency = xml::text(locale, "currency");
        if !country.is_empty() && !rules::SERVED_COUNTRIES.contains(&country) {
            allowed = false;
        }
        if !currency.is_empty() {
            currency_ok = rules::check_currency(currency).is_ok();
        }
    }
    let invoice = u8::from(allowed && currency_ok);
    let doc = success()
        .child(
            Element::new("minvalue")
                .attr("invoice", merchant.min_value)
                .attr("invoicebusiness", merchant.min_value)
                .attr("directdebit", 0)
                .attr("hirepurchase", 0),
        )
        .child(
            Element::new("limit")
                .attr("invoicestatic", merchant.limit)
                .attr("invoicebusinessstatic", merchant.limit)
                .attr("directdebitstatic", 0)
                .attr("hirepurchasestatic", 0),
        )
        .child(
            Element::new("permissions")
                .attr("active", 1)
                .attr("invoiceallowed", invoice)
                .attr("invoicebusinessallowed", invoice)
                .attr("directdebitallowed", 0)
                .attr("hirepurchaseallowed", 0),
        );
    Ok(doc.to_document())
}

// --- carts ----------------------------------------------------------------------------------

/// camelCase as the libraries send it, with DOC151's lower-case spelling as a fallback.
fn customer_attr<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    let v = xml::text(node, name);
    if v.is_empty() {
        xml::text(node, &name.to_lowercase())
    } else {
        v
    }
}

fn parse_articles(parent: Option<Node>) -> Result<Vec<Article>, ApiError> {
    let Some(parent) = parent else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for a in xml::children(parent, "article") {
        out.push(Article {
            id: xml::require_text(a, "articleid")?.to_string(),
            name: xml::text(a, "articlename").to_string(),
            quantity: xml::require_int(a, "articlequantity")?,
            price_net: xml::require_int(a, "articleprice")?,
            price_gross: xml::require_int(a, "articlepricegross")?,
        });
    }
    Ok(out)
}

/// `total` + `article_data`, as preauthorize and editCartContent send them.
fn parse_cart(root: Node) -> Result<(Cart, String, String), ApiError> {
    let total = xml::require_child(root, "total")?;
    let currency = xml::require_text(total, "currency")?.to_string();
    rules::check_currency(&currency)?;
    let cart = Cart {
        articles: parse_articles(xml::child(root, "article_data"))?,
        shipping_name: xml::text(total, "shippingname").to_string(),
        shipping_net: xml::int_or(total, "shippingprice", 0)?,
        shipping_gross: xml::int_or(total, "shippingpricegross", 0)?,
        rebate_net: xml::int_or(total, "rebate", 0)?,
        rebate_gross: xml::int_or(total, "rebategross", 0)?,
        total_net: xml::require_int(total, "carttotalprice")?,
        total_gross: xml::require_int(total, "carttotalpricegross")?,
    };
    cart.validate()?;
    Ok((cart, currency, xml::text(total, "reference").to_string()))
}

// --- preauthorize ---------------------------------------------------------------------------

fn preauthorize(app: &App, merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let payment_type = xml::require_int(root, "paymenttype")?;
    let capture_necessary = xml::int_or(root, "capturerequestnecessary", 1)?;
    if !matches!(capture_necessary, 0 | 1) {
        return Err(ApiError::invalid("capturerequestnecessary must be 0 or 1"));
    }
    let customer_node = xml::require_child(root, "customer_details")?;
    let last_name = customer_attr(customer_node, "lastName");
    let country = customer_attr(customer_node, "country");
    if last_name.is_empty() || country.is_empty() {
        return Err(ApiError::invalid(
            "customer_details needs lastName and country (ISO 3166 alpha-3)",
        ));
    }
    let birthday_text = customer_attr(customer_node, "birthday");
    let birthday = if birthday_text.is_empty() {
        None
    } else {
        Some(
            Date::parse(birthday_text)
                .filter(|_| birthday_text.len() == 8)
                .ok_or_else(|| {
                    ApiError::invalid(format!("birthday {birthday_text:?} is not YYYYMMDD"))
                })?,
        )
    };
    let business = customer_attr(customer_node, "customerGroup") == "b";
    let (cart, currency, reference) = parse_cart(root)?;
    if cart.articles.is_empty() {
        return Err(ApiError::invalid(
            "article_data must hold at least one article",
        ));
    }
    cart.check_totals()?;
    if cart.total_gross <= 0 {
        return Err(ApiError::invalid("the order total must be above zero"));
    }
    if !reference.is_empty() {
        rules::check_reference(&reference)?;
    }
    if xml::int_or(root, "tcaccepted", 0)? != 1 {
        return Err(ApiError::new(
            code::TERMS,
            "Please accept BillPay's terms and privacy policy to pay on invoice.",
            "tcaccepted must be 1: the customer has to accept BillPay's terms first",
        ));
    }
    if payment_type != 1 {
        return Err(ApiError::merchant(
            code::PAYMENT_TYPE,
            format!("paymenttype {payment_type} is not enabled for this merchant; the sandbox offers invoice (1)"),
        ));
    }
    let bptid = crate::util::uuid_v4()?;
    let applicant = rules::Applicant {
        last_name,
        country,
        birthday,
        business,
    };
    if let Some(denied) = rules::denial(&applicant, cart.total_gross, merchant, app.clock.today()) {
        let doc = xml::response(
            denied.code,
            &denied.customer_message,
            &denied.merchant_message,
        )
        .attr("status", "DENIED")
        .attr("bptid", bptid);
        return Ok(doc.to_document());
    }
    let auto_capture = capture_necessary == 0;
    let new = NewOrder {
        bptid,
        reference,
        currency,
        customer: Customer {
            first_name: customer_attr(customer_node, "firstName").to_string(),
            last_name: last_name.to_string(),
            email: customer_attr(customer_node, "email").to_string(),
            country: country.to_string(),
        },
        cart,
        auto_capture,
    };
    let order = write(app, merchant, |conn, ctx| orders::create(conn, ctx, new))?;
    let mut doc = success()
        .attr("status", "APPROVED")
        .attr("bptid", &order.bptid);
    if auto_capture {
        doc.push(bank_element(&order));
        if let Some(info) = payment_info(root, &order)? {
            doc.push(info);
        }
    }
    Ok(doc.to_document())
}

// --- capture / updateOrder ------------------------------------------------------------------

fn capture(app: &App, merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let p = xml::require_child(root, "capture_params")?;
    let bptid = xml::require_text(p, "bptid")?;
    let amount = xml::require_int(p, "carttotalgross")?;
    let currency = xml::require_text(p, "currency")?;
    let reference = xml::text(p, "reference");
    let customer_id = xml::text(p, "customerid");
    if !customer_id.is_empty() {
        rules::check_reference(customer_id)
            .map_err(|_| ApiError::invalid("customerid: use 1 to 40 of 0-9 a-z A-Z . - _ /"))?;
    }
    let order = write(app, merchant, |conn, ctx| {
        let mut order = find_by_bptid(conn, merchant.mid, bptid)?;
        orders::capture(conn, ctx, &mut order, amount, currency, reference)?;
        Ok(order)
    })?;
    let mut doc = success().child(bank_element(&order));
    if let Some(info) = payment_info(root, &order)? {
        doc.push(info);
    }
    Ok(doc.to_document())
}

fn update_order(app: &App, merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let p = xml::require_child(root, "update_params")?;
    let bptid = xml::require_text(p, "bptid")?;
    let reference = xml::require_text(p, "reference")?;
    let mut updates = Vec::new();
    if let Some(list) = xml::child(root, "id_update_list") {
        for u in xml::children(list, "id_update") {
            updates.push((
                xml::require_text(u, "articleid")?.to_string(),
                xml::require_text(u, "updateid")?.to_string(),
            ));
        }
    }
    write(app, merchant, |conn, ctx| {
        let mut order = find_by_bptid(conn, merchant.mid, bptid)?;
        orders::update_reference(conn, ctx, &mut order, reference, &updates)
    })?;
    Ok(success().to_document())
}

// --- invoiceCreated / cancel ----------------------------------------------------------------

fn invoice_created(app: &App, merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let p = xml::require_child(root, "invoice_params")?;
    let amount = xml::require_int(p, "carttotalgross")?;
    let currency = xml::require_text(p, "currency")?;
    let reference = xml::require_text(p, "reference")?;
    let delay = xml::int_or(p, "delayindays", 0)?;
    if xml::int_or(p, "is_partial", 0)? != 0 {
        return Err(ApiError::invalid(
            "partial activation (is_partial=1) is not supported by the sandbox: activate the whole order",
        ));
    }
    let order = write(app, merchant, |conn, ctx| {
        let mut order = find_by_reference(conn, merchant.mid, reference)?;
        orders::activate(conn, ctx, &mut order, amount, currency, delay)?;
        Ok(order)
    })?;
    let mut doc = success().child(bank_element(&order));
    if let Some(info) = payment_info(root, &order)? {
        doc.push(info);
    }
    Ok(doc.to_document())
}

fn cancel(app: &App, merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let p = xml::require_child(root, "cancel_params")?;
    let reference = xml::require_text(p, "reference")?;
    let amount = xml::require_int(p, "carttotalgross")?;
    let currency = xml::require_text(p, "currency")?;
    write(app, merchant, |conn, ctx| {
        let mut order = find_by_reference(conn, merchant.mid, reference)?;
        orders::cancel(conn, ctx, &mut order, amount, currency)
    })?;
    Ok(success().to_document())
}

// --- editCartContent / partialcancel --------------------------------------------------------

fn edit_cart_content(app: &App, merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let (cart, currency, reference) = parse_cart(root)?;
    if reference.is_empty() {
        return Err(ApiError::invalid("total@reference is missing"));
    }
    write(app, merchant, |conn, ctx| {
        let mut order = find_by_reference(conn, merchant.mid, &reference)?;
        if currency != order.currency {
            return Err(ApiError::merchant(
                code::CURRENCY,
                format!(
                    "the currency cannot change (order is in {})",
                    order.currency
                ),
            ));
        }
        orders::replace_cart(conn, ctx, &mut order, cart, "editCartContent")
    })?;
    Ok(success().to_document())
}

fn partial_cancel(app: &App, merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let p = xml::require_child(root, "cancel_params")?;
    let reference = xml::require_text(p, "reference")?;
    let currency = xml::text(p, "currency");
    let mut articles = Vec::new();
    if let Some(list) = xml::child(root, "canceled_articles") {
        for a in xml::children(list, "article") {
            articles.push((
                xml::require_text(a, "articleid")?.to_string(),
                xml::require_int(a, "articlequantity")?,
            ));
        }
    }
    let deltas = PartialCancel {
        articles,
        rebate_decrease_net: xml::int_or(p, "rebatedecrease", 0)?,
        rebate_decrease_gross: xml::int_or(p, "rebatedecreasegross", 0)?,
        shipping_decrease_net: xml::int_or(p, "shippingdecrease", 0)?,
        shipping_decrease_gross: xml::int_or(p, "shippingdecreasegross", 0)?,
    };
    write(app, merchant, |conn, ctx| {
        let mut order = find_by_reference(conn, merchant.mid, reference)?;
        if !currency.is_empty() && currency != order.currency {
            return Err(ApiError::merchant(
                code::CURRENCY,
                format!(
                    "the currency cannot change (order is in {})",
                    order.currency
                ),
            ));
        }
        orders::partial_cancel(conn, ctx, &mut order, &deltas)
    })?;
    Ok(success().to_document())
}

// --- getBillPayBankData ---------------------------------------------------------------------

fn bank_data(app: &App, merchant: &Merchant, root: Node) -> Result<String, ApiError> {
    let p = xml::require_child(root, "order_params")?;
    let reference = xml::require_text(p, "reference")?;
    let order = app
        .store
        .read(|conn| find_by_reference(conn, merchant.mid, reference))?;
    if order.status == store::Status::PendingCapture {
        return Err(ApiError::merchant(
            code::NOT_CAPTURED,
            format!("order {reference} was preauthorized but not captured yet: no bank data"),
        ));
    }
    Ok(success().child(bank_element(&order)).to_document())
}
