//! The BillPay XML v1 services: parse a request document, authenticate it, run the operation
//! in one transaction and build the response document, as BillPay answered its own clients:
//! `api_version` on the root, bank data in the element names the PHP library reads, text as
//! CDATA. Requests are accepted in every shape BillPay's published clients sent (see README).

use crate::app::App;
use crate::bank::ACCOUNT_HOLDER;
use crate::cart::{Article, Cart};
use crate::clock::Date;
use crate::config::Merchant;
use crate::orders::{self, Ctx, NewOrder, PartialCancel};
use crate::payment_info;
use crate::rules::{self, code, ApiError, Payment, PaymentMethod};
use crate::store::{self, Customer, Order};
use crate::xml::{self, Element};
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

/// BillPay services the sandbox does not offer, with what they were for.
const NOT_OFFERED: [(&str, &str); 3] = [
    (
        "prescore",
        "the credit check before choosing a payment method",
    ),
    ("validate", "address validation"),
    ("calculateRates", "instalment plans for transaction credit"),
];

/// A response document and the warnings to log about the request.
pub struct Answer {
    pub document: String,
    pub warnings: Vec<String>,
}

/// What a call collects besides its answer.
struct Call {
    /// Echoed on the answer's root, like BillPay's servers did.
    version: String,
    warnings: Vec<String>,
}

/// Handles one service call; always returns a well-formed response document.
pub fn handle(app: &App, service: &str, body: &str) -> Answer {
    let mut call = Call {
        version: xml::API_VERSION.to_string(),
        warnings: Vec::new(),
    };
    let root = dispatch(app, service, body, &mut call).unwrap_or_else(|err| {
        xml::response(err.code, &err.customer_message, &err.merchant_message)
    });
    Answer {
        document: xml::with_version(root, &call.version).to_document(),
        warnings: call.warnings,
    }
}

/// The answer to a request refused before it reached a service (method, size, encoding).
pub fn error_document(err: &ApiError) -> String {
    xml::error_document(err, xml::API_VERSION)
}

/// The request's `api_version` (or the 2010 sample's `apiversion`) if it looks like a version.
fn echo_version(root: Node) -> Option<String> {
    let sent = root
        .attribute("api_version")
        .or_else(|| root.attribute("apiversion"))?
        .trim();
    let plausible = (1..=16).contains(&sent.len())
        && sent
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    plausible.then(|| sent.to_string())
}

fn dispatch(app: &App, service: &str, body: &str, call: &mut Call) -> Result<Element, ApiError> {
    if let Some((_, what)) = NOT_OFFERED.iter().find(|(name, _)| *name == service) {
        return Err(ApiError::merchant(
            code::UNKNOWN_SERVICE,
            format!(
                "service {service:?} ({what}) is not offered by the sandbox; offered: {}",
                SERVICES.join(", ")
            ),
        ));
    }
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
    if let Some(version) = echo_version(root) {
        call.version = version;
    }
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
    let warnings = &mut call.warnings;
    match service {
        "moduleConfig" => module_config(merchant, root),
        "preauthorize" => preauthorize(app, merchant, root, warnings),
        "capture" => capture(app, merchant, root),
        "updateOrder" => update_order(app, merchant, root),
        "invoiceCreated" => invoice_created(app, merchant, root),
        "cancel" => cancel(app, merchant, root),
        "editCartContent" => edit_cart_content(app, merchant, root, warnings),
        "partialcancel" => partial_cancel(app, merchant, root, warnings),
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

/// BillPay's account for the order, under the given element name.
fn bank_element(name: &str, order: &Order) -> Element {
    Element::new(name)
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

/// `payment_info htmlinfo="1" plaininfo="1"` in a request asks for ready-made instructions.
fn wanted_payment_info(root: Node) -> Result<payment_info::Wanted, ApiError> {
    let Some(request) = xml::child(root, "payment_info") else {
        return Ok(payment_info::Wanted {
            html: false,
            plain: false,
        });
    };
    Ok(payment_info::Wanted {
        html: xml::int_or(request, "htmlinfo", 0)? == 1,
        plain: xml::int_or(request, "plaininfo", 0)? == 1,
    })
}

fn add_payment_info(doc: &mut Element, root: Node, order: &Order) -> Result<(), ApiError> {
    if let Some(info) = payment_info::element(order, &wanted_payment_info(root)?) {
        doc.push(info);
    }
    Ok(())
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

fn module_config(merchant: &Merchant, root: Node) -> Result<Element, ApiError> {
    let (mut country, mut currency) = ("", "");
    if let Some(locale) = xml::child(root, "locale") {
        country = xml::text(locale, "country");
        currency = xml::text(locale, "currency");
    }
    let allowed = |method: PaymentMethod, currencies: &[&str]| {
        let country_ok = country.is_empty() || method.countries().contains(&country);
        let currency_ok = currency.is_empty() || currencies.contains(&currency);
        u8::from(country_ok && currency_ok)
    };
    let invoice = allowed(PaymentMethod::Invoice, &["EUR", "CHF"]);
    // SEPA direct debit: euros only.
    let debit = allowed(PaymentMethod::DirectDebit, &["EUR"]);
    Ok(success()
        .child(
            Element::new("minvalue")
                .attr("invoice", merchant.min_value)
                .attr("invoicebusiness", merchant.min_value)
                .attr("directdebit", merchant.min_value)
                .attr("hirepurchase", 0),
        )
        .child(
            Element::new("limit")
                .attr("invoicestatic", merchant.limit)
                .attr("invoicebusinessstatic", merchant.limit)
                .attr("directdebitstatic", merchant.limit)
                .attr("hirepurchasestatic", 0),
        )
        .child(
            Element::new("permissions")
                .attr("active", 1)
                .attr("invoiceallowed", invoice)
                .attr("invoicebusinessallowed", invoice)
                .attr("directdebitallowed", debit)
                .attr("hirepurchaseallowed", 0),
        ))
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
            // Present, but it may be empty: BillPay's own Magento module sends
            // its Trusted Shops buyer protection as an article with articleid="".
            id: xml::present_text(a, "articleid")?.to_string(),
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

/// The customer's account for a direct-debit order.
fn debit_payment(root: Node, currency: &str) -> Result<Payment, ApiError> {
    if currency != "EUR" {
        return Err(ApiError::merchant(
            code::CURRENCY,
            format!("direct debit is a SEPA debit in EUR, not {currency}"),
        ));
    }
    let account = xml::child(root, "bank_account").ok_or_else(|| {
        ApiError::invalid(
            "direct debit needs <bank_account accountholder accountnumber sortcode/> with the customer's account",
        )
    })?;
    rules::check_debit_account(
        xml::text(account, "accountholder"),
        xml::text(account, "accountnumber"),
        xml::text(account, "sortcode"),
    )
    .map(Payment::DirectDebit)
}

fn preauthorize(
    app: &App,
    merchant: &Merchant,
    root: Node,
    warnings: &mut Vec<String>,
) -> Result<Element, ApiError> {
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
    check_customer_id(customer_attr(customer_node, "customerid"))?;
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
    let (mut cart, currency, reference) = parse_cart(root)?;
    if cart.articles.is_empty() {
        return Err(ApiError::invalid(
            "article_data must hold at least one article",
        ));
    }
    let totals = cart.check_totals()?;
    if cart.total_gross <= 0 {
        return Err(ApiError::invalid(format!(
            "the order total must be above zero, got {} cents",
            cart.total_gross
        )));
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
    let method = rules::payment_method(payment_type)?;
    if let Some(prescore) = xml::child(root, "preauth_params") {
        if xml::int_or(prescore, "is_prescored", 0)? == 1 {
            return Err(ApiError::invalid(
                "preauth_params is_prescored=\"1\": prescore is not offered by the sandbox, so there is no prescore to refer to; send preauthorize without preauth_params",
            ));
        }
    }
    let payment = match method {
        PaymentMethod::Invoice => Payment::Invoice,
        PaymentMethod::DirectDebit => debit_payment(root, &currency)?,
    };
    // Asked for or not, payment_info must be readable before anything is stored.
    wanted_payment_info(root)?;
    warnings.extend(totals.warnings.iter().cloned());
    let bptid = crate::util::uuid_v4()?;
    let applicant = rules::Applicant {
        last_name,
        country,
        birthday,
        business,
        method,
    };
    if let Some(denied) = rules::denial(&applicant, cart.total_gross, merchant, app.clock.today()) {
        return Ok(xml::response(
            denied.code,
            &denied.customer_message,
            &denied.merchant_message,
        )
        .attr("status", "DENIED")
        .attr("bptid", bptid));
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
            // What a business's check reads (company_details, library 1.5.0).
            company: if business {
                xml::child(root, "company_details")
                    .map(|c| xml::text(c, "name").trim().to_string())
                    .unwrap_or_default()
            } else {
                String::new()
            },
        },
        payment,
        convention: totals.convention,
        cart,
        auto_capture,
        warnings: totals.warnings,
    };
    let order = write(app, merchant, |conn, ctx| orders::create(conn, ctx, new))?;
    // The sandbox never answers PRE_APPROVED: an async_capture_request (which the modified/
    // Gambio module sends with every order) is not needed for invoice or direct debit.
    let mut doc = success()
        .attr("status", "APPROVED")
        .attr("bptid", &order.bptid);
    if auto_capture {
        if order.payment.method() == PaymentMethod::Invoice {
            doc.push(bank_element("invoice_bank_account", &order));
        }
        add_payment_info(&mut doc, root, &order)?;
    }
    Ok(doc)
}

/// `customerid` (optional: guests have none): a reference's characters, AN..20 (DOC151).
fn check_customer_id(customer_id: &str) -> Result<(), ApiError> {
    if customer_id.is_empty() {
        return Ok(());
    }
    if customer_id.len() > 20 || rules::check_reference(customer_id).is_err() {
        return Err(ApiError::invalid(
            "customerid: use 1 to 20 of 0-9 a-z A-Z . - _ /",
        ));
    }
    Ok(())
}

// --- capture / updateOrder ------------------------------------------------------------------

fn capture(app: &App, merchant: &Merchant, root: Node) -> Result<Element, ApiError> {
    let p = xml::require_child(root, "capture_params")?;
    let bptid = xml::require_text(p, "bptid")?;
    let amount = xml::require_int(p, "carttotalgross")?;
    let currency = xml::require_text(p, "currency")?;
    let reference = xml::text(p, "reference");
    check_customer_id(xml::text(p, "customerid"))?;
    wanted_payment_info(root)?;
    let order = write(app, merchant, |conn, ctx| {
        let mut order = find_by_bptid(conn, merchant.mid, bptid)?;
        orders::capture(conn, ctx, &mut order, amount, currency, reference)?;
        Ok(order)
    })?;
    let mut doc = success();
    if order.payment.method() == PaymentMethod::Invoice {
        doc.push(bank_element("invoice_bank_account", &order));
    }
    add_payment_info(&mut doc, root, &order)?;
    Ok(doc)
}

fn update_order(app: &App, merchant: &Merchant, root: Node) -> Result<Element, ApiError> {
    let p = xml::require_child(root, "update_params")?;
    let bptid = xml::require_text(p, "bptid")?;
    let reference = xml::require_text(p, "reference")?;
    let mut updates = Vec::new();
    if let Some(list) = xml::child(root, "id_update_list") {
        for u in xml::children(list, "id_update") {
            updates.push((
                xml::present_text(u, "articleid")?.to_string(),
                xml::require_text(u, "updateid")?.to_string(),
            ));
        }
    }
    write(app, merchant, |conn, ctx| {
        let mut order = find_by_bptid(conn, merchant.mid, bptid)?;
        orders::update_reference(conn, ctx, &mut order, reference, &updates)
    })?;
    Ok(success())
}

// --- invoiceCreated / cancel ----------------------------------------------------------------

fn invoice_created(app: &App, merchant: &Merchant, root: Node) -> Result<Element, ApiError> {
    let p = xml::require_child(root, "invoice_params")?;
    let amount = xml::require_int(p, "carttotalgross")?;
    let currency = xml::require_text(p, "currency")?;
    let reference = xml::require_text(p, "reference")?;
    let delay = xml::int_or(p, "delayindays", 0)?;
    if xml::int_or(p, "is_partial", 0)? != 0 {
        return Err(ApiError::invalid(
            "is_partial=\"1\": partial activation is not offered by the sandbox; activate the whole order with its current total",
        ));
    }
    wanted_payment_info(root)?;
    let order = write(app, merchant, |conn, ctx| {
        let mut order = find_by_reference(conn, merchant.mid, reference)?;
        orders::activate(conn, ctx, &mut order, amount, currency, delay)?;
        Ok(order)
    })?;
    // With the due date for every payment method: BillPay's plug-ins refuse to mark an order
    // activated without one (direct debit: the day of the debit).
    let mut doc = success().child(bank_element("invoice_bank_account", &order));
    add_payment_info(&mut doc, root, &order)?;
    Ok(doc)
}

fn cancel(app: &App, merchant: &Merchant, root: Node) -> Result<Element, ApiError> {
    let p = xml::require_child(root, "cancel_params")?;
    let reference = xml::require_text(p, "reference")?;
    let amount = xml::require_int(p, "carttotalgross")?;
    let currency = xml::require_text(p, "currency")?;
    write(app, merchant, |conn, ctx| {
        let mut order = find_by_reference(conn, merchant.mid, reference)?;
        orders::cancel(conn, ctx, &mut order, amount, currency)
    })?;
    Ok(success())
}

// --- editCartContent / partialcancel --------------------------------------------------------

fn edit_cart_content(
    app: &App,
    merchant: &Merchant,
    root: Node,
    warnings: &mut Vec<String>,
) -> Result<Element, ApiError> {
    if xml::child(root, "invoice_list").is_some() {
        return Err(ApiError::invalid(
            "invoice_list belongs to partial activations, which the sandbox does not offer; send the complete remaining cart without it",
        ));
    }
    let (cart, currency, reference) = parse_cart(root)?;
    if reference.is_empty() {
        return Err(ApiError::invalid("total@reference is missing"));
    }
    let edit = write(app, merchant, |conn, ctx| {
        let mut order = find_by_reference(conn, merchant.mid, &reference)?;
        if currency != order.currency {
            return Err(ApiError::merchant(
                code::CURRENCY,
                format!(
                    "the currency cannot change from {} to {currency}",
                    order.currency
                ),
            ));
        }
        orders::replace_cart(conn, ctx, &mut order, cart, "editCartContent")
    })?;
    warnings.extend(edit.warnings);
    Ok(success())
}

fn partial_cancel(
    app: &App,
    merchant: &Merchant,
    root: Node,
    warnings: &mut Vec<String>,
) -> Result<Element, ApiError> {
    let p = xml::require_child(root, "cancel_params")?;
    let reference = xml::require_text(p, "reference")?;
    let currency = xml::text(p, "currency");
    let mut articles = Vec::new();
    if let Some(list) = xml::child(root, "canceled_articles") {
        for a in xml::children(list, "article") {
            articles.push((
                xml::present_text(a, "articleid")?.to_string(),
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
    })
    .map(|w| warnings.extend(w))?;
    Ok(success())
}

// --- getBillPayBankData ---------------------------------------------------------------------

fn bank_data(app: &App, merchant: &Merchant, root: Node) -> Result<Element, ApiError> {
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
    // Both names: the PHP library's default (xmlParser) path reads `bank_account`, its
    // simpleXml path and every other client `invoice_bank_account`.
    let mut doc = success()
        .child(bank_element("bank_account", &order))
        .child(bank_element("invoice_bank_account", &order));
    add_payment_info(&mut doc, root, &order)?;
    Ok(doc)
}
