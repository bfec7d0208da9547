//! BillPay's own clients against the sandbox, unchanged: the requests are built the way the
//! PHP client library builds them, in the shapes BillPay's published code sends (the
//! modified/Gambio module 1.7.11 on library 1.6.1, the example scripts of SDK 1.1.7, the
//! Omnipay driver's fixtures), sent the way cURL sends them, and every answer is read the way
//! the library's parser reads it (see `common/php.rs`).

mod common;
use common::php::{self, s};
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// cURL as the library drives it: POST without a content type of its own (cURL says
/// form-urlencoded), `Expect: 100-continue` before the body, and only HTTP 200 is an answer.
fn curl_post(sb: &Sandbox, service: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(&sb.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let head = format!(
        "POST /xml/offline/{service}/ HTTP/1.1\r\nHost: test-api.billpay.de\r\nAccept: */*\r\n\
         Content-Length: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("head");
    let mut interim = Vec::new();
    let mut byte = [0u8; 1];
    while !interim.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("interim answer");
        interim.push(byte[0]);
    }
    assert!(
        interim.starts_with(b"HTTP/1.1 100 Continue"),
        "{}",
        String::from_utf8_lossy(&interim)
    );
    stream.write_all(body.as_bytes()).expect("body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("answer");
    let response = parse_response(&raw).expect("HTTP response");
    assert_eq!(
        response.status, 200,
        "the library treats anything else as error 200"
    );
    response.text()
}

/// Sends like the library and reads like its xmlParser branch.
fn call(sb: &Sandbox, service: &str, body: &str) -> (php::Reply, String) {
    let text = curl_post(sb, service, body);
    let reply = php::read(service, &text)
        .unwrap_or_else(|e| panic!("the library could not parse the answer ({e}): {text}"));
    (reply, text)
}

fn ok(reply: &php::Reply) {
    assert!(
        !reply.has_error(),
        "error {}: {} / {}",
        reply.error_code,
        reply.customer_message,
        reply.merchant_message
    );
}

fn root_attr(text: &str, name: &str) -> String {
    roxmltree::Document::parse(text)
        .expect("xml")
        .root_element()
        .attribute(name)
        .unwrap_or_default()
        .to_string()
}

// --- the emulation itself -------------------------------------------------------------------

#[test]
fn the_emulated_parser_loses_what_the_library_loses() {
    // Escaped text reaches the parser in pieces (each entity, line break and non-ASCII run),
    // and every piece is trimmed: that is how "Bitteüberweisen" happened.
    let escaped = "<data><plain>Bitte überweisen &amp; zahlen\nZeile 2</plain></data>";
    let tag = php::parse(escaped).expect("xml");
    assert_eq!(
        tag.child("plain").map(|p| p.data.as_str()),
        Some("Bitteüberweisen&zahlenZeile 2")
    );
    let cdata = "<data><plain><![CDATA[Bitte überweisen & zahlen\nZeile 2]]></plain></data>";
    let tag = php::parse(cdata).expect("xml");
    assert_eq!(
        tag.child("plain").map(|p| p.data.as_str()),
        Some("Bitte überweisen & zahlen\nZeile 2")
    );
    // Names are lower-cased.
    let upper = php::parse("<DATA Error_Code=\"0\"><Bank_Account X=\"1\"/></DATA>").expect("xml");
    assert_eq!(upper.name, "data");
    assert_eq!(
        upper.child("bank_account").map(|b| b.attr("x")),
        Some("1".into())
    );
    // The request builder writes what the library writes.
    let doc = php::request(
        "1.6.1",
        &[("tcaccepted", s(1))],
        &[
            php::closed_tag("default_params", &[("mid", s(4441)), ("pid", s(6021))]),
            php::closed_tag("payment_info", &[]),
            php::attr_list_tag("order_history_data", &[], "order_history", &[]),
            php::list_ctag(
                "async_capture_request",
                &[("notify_url", s("https://x/?a=1&b=2"))],
            ),
        ],
    );
    assert_eq!(
        doc,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><data tcaccepted=\"1\" api_version=\"1.6.1\">\
         <default_params mid=\"4441\" pid=\"6021\" /><order_history_data> </order_history_data>\
         <async_capture_request><notify_url><![CDATA[https://x/?a=1&b=2]]></notify_url> </async_capture_request></data>"
    );
}

// --- modified/Gambio module 1.7.11 on library 1.6.1 -----------------------------------------

const TRACE_ID: &str = "6e2a5f3c9d1b7e4a0c8f2d6b1a9e3c5f7d0b4a2e";

fn trace() -> String {
    php::closed_tag("trace", &[("trace_id", s(TRACE_ID))])
}

/// `getTraceData()` of the preauthorize request: sorted keys, shop and plug-in versions.
fn preauthorize_trace() -> String {
    php::closed_tag(
        "trace",
        &[
            ("api_version", s("1.6.1")),
            ("os_version", s("Linux shop 5.15.0")),
            ("php_version", s("7.4.33")),
            ("plugin_version", s("1.7.11")),
            ("shop_domain", s("shop.example")),
            ("shop_type", s("modified eCommerce")),
            ("shop_version", s("2.0.6.0")),
            ("trace_id", s(TRACE_ID)),
        ],
    )
}

fn credentials() -> String {
    php::closed_tag(
        "default_params",
        &[("mid", s(MID)), ("pid", s(PID)), ("bpsecure", s(SECURE))],
    )
}

fn article(id: &str, qty: i64, name: &str, net: i64, gross: i64) -> Vec<(&'static str, String)> {
    vec![
        ("articleid", s(id)),
        ("articlequantity", s(qty)),
        ("articlename", s(name)),
        ("articledescription", s("")),
        ("articleprice", s(net)),
        ("articlepricegross", s(gross)),
    ]
}

/// `reqPreauthorizeCapture` with a 10.00 discount: `_calculate_billpay_totals` gives the
/// rebate net = gross and the net total as "total - tax" (ot_tax), the articles real net
/// prices (`_getPrice`), shipping named "n/a", an empty reference (the order id comes with
/// updateOrder), and every order carries async capture URLs and a fraud-detection hash.
fn ms_preauthorize() -> String {
    let customer = [
        ("customerid", s(17)),
        ("customertype", s("e")),
        ("salutation", s("Frau")),
        ("title", s("")),
        ("firstName", s("Erika")),
        ("lastName", s("Mustermann")),
        ("street", s("Heidestraße 17")),
        ("streetNo", s("")),
        ("addressAddition", s("")),
        ("zip", s("51147")),
        ("city", s("Köln")),
        ("country", s("DEU")),
        ("email", s("erika@example.com")),
        ("phone", s("0221 123456")),
        ("cellPhone", s("")),
        ("birthday", s("19850911")),
        ("language", s("de")),
        ("ip", s("203.0.113.7")),
        ("customerGroup", s("p")),
    ];
    let mut shipping = vec![("useBillingAddress", s(1))];
    for key in [
        "salutation",
        "title",
        "firstName",
        "lastName",
        "street",
        "streetNo",
        "addressAddition",
        "zip",
        "city",
        "country",
        "phone",
        "cellPhone",
    ] {
        shipping.push((key, s("")));
    }
    // 2 × 24.90 + 59.00 + 4.90 shipping - 10.00 discount = 103.70; 19 % VAT in it: 16.56.
    let totals = [
        ("shippingname", s("n/a")),
        ("shippingprice", s(412)),
        ("shippingpricegross", s(490)),
        ("rebate", s(1000)),
        ("rebategross", s(1000)),
        ("carttotalprice", s(10370 - 1656)),
        ("carttotalpricegross", s(10370)),
        ("currency", s("EUR")),
        ("reference", s("")),
        ("reference2", s("")),
    ];
    php::request(
        "1.6.1",
        &[
            ("tcaccepted", s(1)),
            ("expecteddaystillshipping", s(0)),
            ("capturerequestnecessary", s(0)),
            ("paymenttype", s(1)),
        ],
        &[
            preauthorize_trace(),
            credentials(),
            php::closed_tag("customer_details", &customer),
            php::closed_tag("shipping_details", &shipping),
            php::closed_tag("total", &totals),
            php::simplexml_articles(&[
                article("1{3}5", 2, "Espresso beans 1 kg", 2092, 2490),
                article("7", 1, "Hand mill", 4958, 5900),
            ]),
            php::attr_list_tag("order_history_data", &[], "order_history", &[]),
            php::closed_tag("fraud_detection", &[("session_id", s(TRACE_ID))]),
            php::list_ctag(
                "async_capture_request",
                &[
                    (
                        "redirect_url",
                        s("https://shop.example/callback/billpay/billpayRedirectUrl.php"),
                    ),
                    (
                        "notify_url",
                        s("https://shop.example/callback/billpay/billpayWS.php?token=8f14e45f"),
                    ),
                ],
            ),
        ],
    )
}

fn ms_bank_data(reference: &str) -> String {
    php::request(
        "1.6.1",
        &[],
        &[
            trace(),
            credentials(),
            php::closed_tag("order_params", &[("reference", s(reference))]),
        ],
    )
}

fn bank_getters_filled(reply: &php::Reply, reference: &str) {
    assert_eq!(reply.get("account_holder"), "BillPay GmbH");
    assert!(reply.get("account_number").starts_with("DE"), "{reply:?}");
    assert_eq!(reply.get("account_number").len(), 22);
    assert!(reply.get("bank_code").ends_with("XXX"));
    assert!(!reply.get("bank_name").is_empty());
    assert_eq!(
        reply.get("invoice_reference"),
        format!("BP{reference}/{MID}")
    );
}

#[test]
fn modified_shop_order_from_checkout_to_return() {
    let sb = Sandbox::start(&["--now", "2026-03-10"]);

    // moduleConfig, as `getModuleConfig` asks for it (language upper-cased).
    let (config, text) = call(
        &sb,
        "moduleConfig",
        &php::request(
            "1.6.1",
            &[],
            &[
                trace(),
                credentials(),
                php::closed_tag(
                    "locale",
                    &[
                        ("country", s("DEU")),
                        ("currency", s("EUR")),
                        ("language", s("DE")),
                    ],
                ),
            ],
        ),
    );
    ok(&config);
    assert_eq!(config.get("invoicestatic"), "250000");
    assert_eq!(config.get("active"), "1");
    assert_eq!(config.get("invoiceallowed"), "1");
    assert_eq!(config.get("directdebitallowed"), "1");
    assert_eq!(root_attr(&text, "api_version"), "1.6.1");

    // Checkout with a discount: accepted (the net total does not add up: a warning).
    let (pre, text) = call(&sb, "preauthorize", &ms_preauthorize());
    ok(&pre);
    assert_eq!(pre.get("status"), "APPROVED");
    let bptid = pre.get("bptid");
    assert_eq!(bptid.len(), 36);
    assert_eq!(pre.get("account_holder"), "BillPay GmbH");
    assert_eq!(pre.get("invoice_reference"), "", "no reference yet");
    assert_eq!(pre.get("invoice_duedate"), "");
    assert_eq!(root_attr(&text, "api_version"), "1.6.1");

    // after_process: the order id and the cart-to-order-line id map.
    let (update, _) = call(
        &sb,
        "updateOrder",
        &php::request(
            "1.6.1",
            &[],
            &[
                trace(),
                credentials(),
                php::closed_tag(
                    "update_params",
                    &[("bptid", s(&bptid)), ("reference", s("1001"))],
                ),
                php::list_tag(
                    "id_update_list",
                    "id_update",
                    &[
                        vec![("articleid", s("1{3}5")), ("updateid", s(31))],
                        vec![("articleid", s("7")), ("updateid", s(32))],
                    ],
                ),
            ],
        ),
    );
    ok(&update);
    let order = sb.order("1001");
    assert_eq!(order["order"]["totalGross"], 10370);
    assert_eq!(order["order"]["cart"]["articles"][0]["articleId"], "31");
    let warnings = order["warnings"].as_array().cloned().unwrap_or_default();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let message = warnings[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("carttotalprice 8714 does not match the net cart: articles 9142 + shipping 412 - rebate 1000 = 8554"),
        "{message}"
    );

    // getBillPayBankData before activation: every getter of the library's parser is filled
    // (from bank_account), and its simpleXml branch reads the same from invoice_bank_account.
    let (bank, text) = call(&sb, "getBillPayBankData", &ms_bank_data("1001"));
    ok(&bank);
    bank_getters_filled(&bank, "1001");
    assert_eq!(bank.get("invoice_duedate"), "");
    let other_branch = php::read_bank_data_simplexml(&text).expect("xml");
    for (key, value) in &bank.data {
        assert_eq!(other_branch.get(key), Some(value), "{key}");
    }
    assert_eq!(
        other_branch.get("activation_performed").map(String::as_str),
        Some("0")
    );
    assert_eq!(pre.get("account_number"), bank.get("account_number"));

    // Activation (`reqInvoiceCreated`: the grand total), with the ready-made instructions.
    let (act, _) = call(
        &sb,
        "invoiceCreated",
        &php::request(
            "1.6.1",
            &[],
            &[
                trace(),
                credentials(),
                php::closed_tag(
                    "invoice_params",
                    &[
                        ("carttotalgross", s(10370)),
                        ("currency", s("EUR")),
                        ("reference", s("1001")),
                        ("delayindays", s(0)),
                    ],
                ),
                php::closed_tag("payment_info", &[("htmlinfo", s(1)), ("plaininfo", s(1))]),
            ],
        ),
    );
    ok(&act);
    assert_eq!(act.get("invoice_duedate"), "20260409", "10 Mar + 30 days");
    assert_eq!(act.get("activation_performed"), "1");
    let plain = act.get("payment_info_plain");
    let iban = bank.get("account_number");
    let grouped: Vec<String> = iban
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    assert!(
        plain.starts_with(
            "Bitte überweisen Sie den Rechnungsbetrag von 103,70 EUR bis zum 09.04.2026 unter Angabe des Verwendungszwecks auf folgendes Konto der BillPay GmbH:\nKontoinhaber: BillPay GmbH\nIBAN: "
        ),
        "spaces and line breaks survive the library's parser: {plain}"
    );
    assert!(
        plain.contains(&format!("IBAN: {}\n", grouped.join(" "))),
        "{plain}"
    );
    assert!(
        plain.ends_with("\nVerwendungszweck: BP1001/4441"),
        "{plain}"
    );
    let html = act.get("payment_info_html");
    assert!(
        html.starts_with(
            "<p>Bitte überweisen Sie den Rechnungsbetrag von 103,70 EUR bis zum 09.04.2026 "
        ),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<tr><th>IBAN</th><td>{}</td></tr>",
        grouped.join(" ")
    )));

    // getBillPayBankData after activation: with the due date.
    let (bank, _) = call(&sb, "getBillPayBankData", &ms_bank_data("1001"));
    ok(&bank);
    bank_getters_filled(&bank, "1001");
    assert_eq!(bank.get("invoice_duedate"), "20260409");

    // A return in the shop's order editor (`reqEditCartContent`): the remaining lines with
    // net = gross, shipping and rebate net = gross, the new grand total. Accepted, with
    // warnings that say what rose on the net side.
    let edit = |espresso: i64, total: i64| {
        let mut lines = Vec::new();
        if espresso > 0 {
            lines.push(article("31", espresso, "Espresso beans 1 kg", 2490, 2490));
        }
        lines.push(article("32", 1, "Hand mill", 5900, 5900));
        php::request(
            "1.6.1",
            &[],
            &[
                trace(),
                credentials(),
                php::closed_tag(
                    "total",
                    &[
                        ("shippingname", s("DHL")),
                        ("shippingprice", s(490)),
                        ("shippingpricegross", s(490)),
                        ("rebate", s(1000)),
                        ("rebategross", s(1000)),
                        ("carttotalprice", s(total)),
                        ("carttotalpricegross", s(total)),
                        ("currency", s("EUR")),
                        ("reference", s("1001")),
                        ("reference2", s("")),
                    ],
                ),
                php::list_tag("article_data", "article", &lines),
            ],
        )
    };
    let (edited, _) = call(&sb, "editCartContent", &edit(1, 7880));
    ok(&edited);
    let order = sb.order("1001");
    assert_eq!(order["order"]["totalGross"], 7880);
    assert_eq!(
        count_kind(order["movements"].as_array().expect("list"), "cart_reduced"),
        1
    );
    let warnings: Vec<String> = order["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains(
            "unit price (net) of article \"31\" rises from 2092 to 2490 cents while the gross price goes from 2490 to 2490 cents"
        )),
        "{warnings:?}"
    );
    assert!(warnings
        .iter()
        .any(|w| w.contains("shipping (net) rises from 412 to 490 cents")));
    // The module sends the same cart again when the order is saved twice: nothing booked.
    let (again, _) = call(&sb, "editCartContent", &edit(1, 7880));
    ok(&again);
    assert_eq!(
        count_kind(
            sb.order("1001")["movements"].as_array().expect("list"),
            "cart_reduced"
        ),
        1
    );
    // A gross rise is still refused, and says what it compared.
    let (higher, _) = call(&sb, "editCartContent", &edit(2, 10370));
    assert_eq!(higher.error_code, 105);
    assert!(higher
        .merchant_message
        .contains("10370 cents (gross) is higher than the current total 7880 cents"));
    assert!(!higher.customer_message.is_empty());

    // The rest comes back: `reqCancel` with the current grand total.
    let (cancel, _) = call(
        &sb,
        "cancel",
        &php::request(
            "1.6.1",
            &[],
            &[
                trace(),
                credentials(),
                php::closed_tag(
                    "cancel_params",
                    &[
                        ("reference", s("1001")),
                        ("carttotalgross", s(7880)),
                        ("currency", s("EUR")),
                    ],
                ),
            ],
        ),
    );
    ok(&cancel);
    assert_eq!(sb.order("1001")["order"]["status"], "cancelled");

    // The back-office shows the warnings next to the order.
    let id = sb.order("1001")["order"]["id"].as_i64().expect("id");
    let page = sb.admin_page(&format!("/admin/orders/{id}"));
    assert!(page.contains("<h2>Warnings</h2>"), "{page}");
    assert!(page.contains("rises from 2092 to 2490 cents"));
}

// --- SDK 1.1.7 example scripts (2010) -------------------------------------------------------

/// The SDK's sample merchant: mid 2, pid 3, key "test4testing".
const SDK_MERCHANT: &str = "2:3:test4testing";
const SDK_SECURE: &str = "0d48732f425b6df88c58244d6882369e";

fn sdk_credentials() -> String {
    php::closed_tag_117(
        "default_params",
        &[("mid", s(2)), ("pid", s(3)), ("bpsecure", s(SDK_SECURE))],
    )
}

/// `example/php5/preauth.php`: two-step, the cart total before the rebate (27.40 + 6.50
/// shipping = 33.90, rebate 5.00 not subtracted), the empty `<bank_account />` the SDK always
/// writes, and one order-history entry.
fn sdk_preauth(direct_debit: bool) -> String {
    let suffix = if direct_debit { "7001" } else { "7000" };
    let customer = vec![
        ("customerid", s("123456")),
        ("customertype", s("e")),
        ("salutation", s("Herr")),
        ("title", s("")),
        ("firstName", s(format!("Herbert_{suffix}"))),
        ("lastName", s(format!("Tester_{suffix}"))),
        ("street", s(format!("Teststrasse_{suffix}"))),
        ("streetNo", s("123")),
        ("addressAddition", s("")),
        ("zip", s("12345")),
        ("city", s(format!("Teststadt_{suffix}"))),
        ("country", s("DEU")),
        ("email", s("testing@billpay.de")),
        ("phone", s("0302333459")),
        ("cellPhone", s("01775112389")),
        ("birthday", s("19850911")),
        ("language", s("de")),
        ("ip", s("85.214.7.22")),
    ];
    let mut shipping = vec![("useBillingAddress", s(1))];
    for key in [
        "salutation",
        "title",
        "firstName",
        "lastName",
        "street",
        "streetNo",
        "addressAddition",
        "zip",
        "city",
        "country",
        "phone",
        "cellPhone",
    ] {
        shipping.push((key, s("")));
    }
    let bank_account = if direct_debit {
        vec![
            (
                "accountholder",
                s(format!("Herbert_{suffix} Tester_{suffix}")),
            ),
            ("accountnumber", s("0000000")),
            ("sortcode", s("00000000")),
        ]
    } else {
        Vec::new()
    };
    php::request(
        "1.1.7",
        &[
            ("tcaccepted", s(1)),
            ("expecteddaystillshipping", s(0)),
            ("capturerequestnecessary", s(1)),
            ("paymenttype", s(if direct_debit { 2 } else { 1 })),
        ],
        &[
            sdk_credentials(),
            php::closed_tag_117("customer_details", &customer),
            php::closed_tag_117("shipping_details", &shipping),
            php::closed_tag_117("bank_account", &bank_account),
            php::closed_tag_117(
                "total",
                &[
                    ("rebate", s(500)),
                    ("rebategross", s(500)),
                    ("shippingname", s("Express-Versand")),
                    ("shippingprice", s(500)),
                    ("shippingpricegross", s(650)),
                    ("carttotalprice", s(2280)),
                    ("carttotalpricegross", s(3390)),
                    ("currency", s("EUR")),
                    ("reference", s("")),
                ],
            ),
            php::list_tag(
                "article_data",
                "article",
                &[
                    vec![
                        ("articleid", s("article001")),
                        ("articlequantity", s(12)),
                        ("articlename", s("Kaffetasse 08/15")),
                        ("articledescription", s("Eine Kaffetasse aus Porzellan")),
                        ("articleprice", s(120)),
                        ("articlepricegross", s(195)),
                    ],
                    vec![
                        ("articleid", s("article002")),
                        ("articlequantity", s(4)),
                        ("articlename", s("Kuchenteller 07-11")),
                        ("articledescription", s("Kuchenteller - weiss")),
                        ("articleprice", s(85)),
                        ("articlepricegross", s(100)),
                    ],
                ],
            ),
            php::list_tag(
                "order_history_data",
                "order_history",
                &[vec![
                    ("horderid", s("1233343321")),
                    ("hdate", s("20080101 10:23:30")),
                    ("hamount", s(12300)),
                    ("hcurrency", s("EUR")),
                    ("hpaymenttype", s(4)),
                    ("hstatus", s(0)),
                ]],
            ),
        ],
    )
}

fn sdk(parts: &[String]) -> String {
    php::request("1.1.7", &[], parts)
}

/// preauth.php, then capture.php (3390 and a random reference) for one order.
fn sdk_order(sb: &Sandbox, reference: &str, direct_debit: bool) -> php::Reply {
    let (pre, text) = call(sb, "preauthorize", &sdk_preauth(direct_debit));
    ok(&pre);
    assert_eq!(pre.get("status"), "APPROVED");
    assert_eq!(root_attr(&text, "api_version"), "1.1.7");
    let (capture, _) = call(
        sb,
        "capture",
        &sdk(&[
            sdk_credentials(),
            php::closed_tag_117(
                "capture_params",
                &[
                    ("bptid", pre.get("bptid")),
                    ("carttotalgross", s(3390)),
                    ("currency", s("EUR")),
                    ("reference", s(reference)),
                    ("customerid", s("12345612")),
                ],
            ),
        ]),
    );
    ok(&capture);
    capture
}

#[test]
fn sdk_117_examples_with_the_total_before_the_rebate() {
    let sb = Sandbox::start(&["--now", "2026-05-04", "--merchant", SDK_MERCHANT]);
    let capture = sdk_order(&sb, "8412345678", false);
    assert_eq!(capture.get("account_holder"), "BillPay GmbH");
    assert_eq!(capture.get("invoice_reference"), "BP8412345678/2");
    let o = sb.order_mid(2, "8412345678");
    assert_eq!(o["order"]["totalConvention"], "before_rebate");
    assert_eq!(o["order"]["totalGross"], 2890, "what the customer owes");
    assert_eq!(
        o["warnings"],
        serde_json::json!([]),
        "its net total adds up too"
    );

    // invoicecreated.php: 3390, five days' delay.
    let (act, _) = call(
        &sb,
        "invoiceCreated",
        &sdk(&[
            sdk_credentials(),
            php::closed_tag_117(
                "invoice_params",
                &[
                    ("carttotalgross", s(3390)),
                    ("currency", s("EUR")),
                    ("reference", s("8412345678")),
                    ("delayindays", s(5)),
                ],
            ),
        ]),
    );
    ok(&act);
    assert_eq!(
        act.get("invoice_duedate"),
        "20260608",
        "4 May + 5 + 30 days"
    );
    let movements = sb.order_mid(2, "8412345678")["movements"].clone();
    let activated = movements
        .as_array()
        .expect("list")
        .iter()
        .find(|m| m["kind"] == "activated")
        .cloned()
        .expect("activated");
    assert_eq!(
        activated["amount"], 2890,
        "the receivable is the payable total"
    );

    // partialcancel.php: one of each article.
    let (partial, _) = call(
        &sb,
        "partialcancel",
        &sdk(&[
            sdk_credentials(),
            php::closed_tag_117(
                "cancel_params",
                &[
                    ("reference", s("8412345678")),
                    ("rebatedecrease", s(0)),
                    ("rebatedecreasegross", s(0)),
                ],
            ),
            php::list_tag(
                "canceled_articles",
                "article",
                &[
                    vec![("articleid", s("article001")), ("articlequantity", s(1))],
                    vec![("articleid", s("article002")), ("articlequantity", s(1))],
                ],
            ),
        ]),
    );
    ok(&partial);
    assert_eq!(
        sb.order_mid(2, "8412345678")["order"]["totalGross"],
        2890 - 195 - 100
    );

    // cancel.php on a second order: 3390 as the script sends it.
    sdk_order(&sb, "8412345679", false);
    let (cancel, _) = call(
        &sb,
        "cancel",
        &sdk(&[
            sdk_credentials(),
            php::closed_tag_117(
                "cancel_params",
                &[
                    ("reference", s("8412345679")),
                    ("carttotalgross", s(3390)),
                    ("currency", s("EUR")),
                ],
            ),
        ]),
    );
    ok(&cancel);
    assert_eq!(
        sb.order_mid(2, "8412345679")["order"]["status"],
        "cancelled"
    );
    // Any other amount is still refused, and the message names both accepted ones.
    sdk_order(&sb, "8412345680", false);
    let (wrong, _) = call(
        &sb,
        "cancel",
        &sdk(&[
            sdk_credentials(),
            php::closed_tag_117(
                "cancel_params",
                &[
                    ("reference", s("8412345680")),
                    ("carttotalgross", s(3391)),
                    ("currency", s("EUR")),
                ],
            ),
        ]),
    );
    assert_eq!(wrong.error_code, 62);
    assert!(wrong
        .merchant_message
        .contains("current total 2890 cents (or 3390 before the rebate"));

    // The direct-debit variant of preauth.php (the lines the script has commented out).
    let debit = sdk_order(&sb, "8412345681", true);
    assert_eq!(
        debit.get("account_number"),
        "",
        "no transfer account for a debit"
    );
    let o = sb.order_mid(2, "8412345681");
    assert_eq!(o["order"]["paymentType"], "directDebit");
}

// --- Omnipay driver fixtures ----------------------------------------------------------------

/// The Omnipay fixture `AuthorizeRequest.GetData.xml`, with the sandbox merchant's
/// credentials (the fixture's are empty) and the given payment type (the fixture's is 4).
fn omnipay_authorize(paymenttype: i64, reference: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data api_version=\"1.5.10\" tcaccepted=\"1\" expecteddaystillshipping=\"2\" capturerequestnecessary=\"0\" paymenttype=\"{paymenttype}\">\n\
         <default_params mid=\"{MID}\" pid=\"{PID}\" bpsecure=\"{SECURE}\"/>\n\
         <customer_details customerid=\"\" customertype=\"n\" salutation=\"\" title=\"\" firstName=\"Herbert\" lastName=\"Tester\" street=\"Teststrasse\"\n\
           streetNo=\"1\" addressAddition=\"\" zip=\"12345\" city=\"Teststadt\" country=\"DEU\" email=\"testing@billpay.de\" phone=\"\" cellPhone=\"\"\n\
           birthday=\"19850911\" language=\"de\" ip=\"\" customerGroup=\"p\"/>\n\
         <shipping_details useBillingAddress=\"1\" salutation=\"\" title=\"\" firstName=\"\" lastName=\"\" street=\"\" streetNo=\"\"\n\
           addressAddition=\"\" zip=\"\" city=\"\" country=\"\" phone=\"\" cellPhone=\"\"/>\n\
         <article_data>\n\
           <article articleid=\"1\" articlequantity=\"1\" articlename=\"IT-12345\" articledescription=\"Article 12345 - white\" articleprice=\"420\" articlepricegross=\"500\"/>\n\
           <article articleid=\"2\" articlequantity=\"3\" articlename=\"IT-67890\" articledescription=\"Item 67890\" articleprice=\"420\" articlepricegross=\"500\"/>\n\
         </article_data>\n\
         <total shippingname=\"Express\" shippingprice=\"416\" shippingpricegross=\"495\" rebate=\"84\" rebategross=\"100\"\n\
           carttotalprice=\"2013\" carttotalpricegross=\"2395\" currency=\"EUR\" reference=\"{reference}\"/>\n\
         <rate_request term=\"24\" ratecount=\"12\" totalamount=\"3456\"/>\n\
         <bank_account accountholder=\"John Doe\" accountnumber=\"DE12500105170648489890\" sortcode=\"\"/>\n</data>"
    )
}

#[test]
fn omnipay_fixtures() {
    let sb = Sandbox::start(&["--now", "2015-04-01"]);
    // PayLater (paymenttype 4, with its rate request): BillPay's error for a payment type the
    // merchant does not have, in BillPay's shape.
    let (paylater, text) = call(&sb, "preauthorize", &omnipay_authorize(4, "ORDER-12345678"));
    assert_eq!(paylater.error_code, 57);
    assert!(paylater.merchant_message.contains("PayLater"));
    assert!(!paylater.customer_message.is_empty());
    assert_eq!(root_attr(&text, "api_version"), "1.5.10");
    // The same order on invoice: approved; its net total is a cent off (rounding, no warning).
    let (invoice, text) = call(&sb, "preauthorize", &omnipay_authorize(1, "ORDER-12345678"));
    ok(&invoice);
    assert_eq!(invoice.get("status"), "APPROVED");
    assert_eq!(invoice.get("invoice_reference"), "BPORDER-12345678/4441");
    assert_eq!(root_attr(&text, "api_version"), "1.5.10");
    assert_eq!(
        sb.order("ORDER-12345678")["warnings"],
        serde_json::json!([])
    );
    // As direct debit with the fixture's IBAN: approved, no transfer account in the answer.
    let (debit, _) = call(&sb, "preauthorize", &omnipay_authorize(2, "ORDER-12345679"));
    ok(&debit);
    assert_eq!(debit.get("account_number"), "");

    // InvoiceCreatedRequest.GetData.xml: two days' delay.
    let (act, text) = call(
        &sb,
        "invoiceCreated",
        &format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<data api_version=\"1.5.10\">\n\
             <default_params mid=\"{MID}\" pid=\"{PID}\" bpsecure=\"{SECURE}\"/>\n\
             <invoice_params carttotalgross=\"2395\" currency=\"EUR\" reference=\"ORDER-12345678\" delayindays=\"2\"/>\n</data>"
        ),
    );
    ok(&act);
    assert_eq!(act.get("invoice_duedate"), "20150503");
    assert_eq!(act.get("activation_performed"), "1");
    // Like the fixture InvoiceCreated.txt: the version on the root.
    assert_eq!(root_attr(&text, "api_version"), "1.5.10");

    // RefundRequest.GetData.xml: the full cancel.
    let (cancel, text) = call(
        &sb,
        "cancel",
        &format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<data api_version=\"1.5.10\">\n\
             <default_params mid=\"{MID}\" pid=\"{PID}\" bpsecure=\"{SECURE}\"/>\n\
             <cancel_params carttotalgross=\"2395\" currency=\"EUR\" reference=\"ORDER-12345678\"/>\n</data>"
        ),
    );
    ok(&cancel);
    assert_eq!(root_attr(&text, "api_version"), "1.5.10");
    assert_eq!(sb.order("ORDER-12345678")["order"]["status"], "cancelled");
}

// --- what the sandbox does not offer --------------------------------------------------------

#[test]
fn what_is_not_offered_gets_billpay_s_errors() {
    let sb = Sandbox::start(&["--now", "2026-05-04"]);
    for (service, what) in [
        ("prescore", "credit check"),
        ("validate", "address validation"),
        ("calculateRates", "instalment"),
    ] {
        let (reply, _) = call(
            &sb,
            service,
            &php::request("1.6.1", &[], &[trace(), credentials()]),
        );
        assert_eq!(reply.error_code, 11, "{service}");
        assert!(reply.merchant_message.contains("not offered"), "{service}");
        assert!(reply.merchant_message.contains(what), "{service}");
    }
    for paymenttype in [3, 4, 7, 8, 9] {
        let body = ms_preauthorize().replace(
            "paymenttype=\"1\"",
            &format!("paymenttype=\"{paymenttype}\""),
        );
        let (reply, _) = call(&sb, "preauthorize", &body);
        assert_eq!(reply.error_code, 57, "{paymenttype}");
        assert!(reply.merchant_message.contains("not offered"));
    }
    // A prescored preauthorize refers to a prescore that cannot exist here.
    let prescored = ms_preauthorize().replace(
        &credentials(),
        &format!(
            "{}{}",
            credentials(),
            php::closed_tag(
                "preauth_params",
                &[("is_prescored", s(1)), ("bptid", s("x"))]
            )
        ),
    );
    let (reply, _) = call(&sb, "preauthorize", &prescored);
    assert_eq!(reply.error_code, 53);
    assert!(reply.merchant_message.contains("prescore is not offered"));
    // Partial activation.
    create_order(&sb, "NO-PARTIAL");
    let (reply, _) = call(
        &sb,
        "invoiceCreated",
        &php::request(
            "1.6.1",
            &[],
            &[
                trace(),
                credentials(),
                php::closed_tag(
                    "invoice_params",
                    &[
                        ("carttotalgross", s(1000)),
                        ("currency", s("EUR")),
                        ("reference", s("NO-PARTIAL")),
                        ("delayindays", s(0)),
                        ("is_partial", s(1)),
                        ("invoice_number", s("R-1")),
                    ],
                ),
            ],
        ),
    );
    assert_eq!(reply.error_code, 53);
    assert!(reply
        .merchant_message
        .contains("partial activation is not offered"));
    assert_eq!(sb.order("NO-PARTIAL")["order"]["status"], "preauthorized");
    // Nothing of it left an order behind.
    assert_eq!(
        sb.get_json("/control/orders")["orders"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}
