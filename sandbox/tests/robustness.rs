//! Bad credentials and malformed input, concurrency, fault injection, and a kill -9 in the
//! middle of a run: the server always answers with a well-formed error and loses nothing.

mod common;
use common::*;
use serde_json::json;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

#[test]
fn bad_credentials_are_refused_with_error_20() {
    let config = TempDir::new();
    let path = config.path("merchants.json");
    std::fs::write(
        &path,
        r#"{"merchants":[{"mid":6000,"pid":6001,"key":"from-file","termDays":20,"limit":50000}]}"#,
    )
    .expect("write config");
    let sb = Sandbox::start(&["--merchant", "5000:7000:other-key", "--config", &path]);
    let body = |credentials: &str| {
        format!("<data api_version=\"1.6.1\">{credentials}<locale country=\"DEU\" currency=\"EUR\" language=\"de\"/></data>")
    };
    for credentials in [
        creds(MID, PID, "25d55ad283aa400af464c76d713c07ae"),
        creds(MID, PID, &SECURE.to_uppercase()),
        creds(MID, PID, KEY),
        creds(MID, 9999, SECURE),
        creds(1234, PID, SECURE),
        creds(5000, 7000, SECURE),
        "<default_params mid=\"x\" pid=\"6021\" bpsecure=\"\"/>".to_string(),
        String::new(),
    ] {
        sb.post_xml("moduleConfig", &body(&credentials))
            .assert_error(20);
        sb.post_xml("preauthorize", &body(&credentials))
            .assert_error(20);
    }
    // Extra merchants from --merchant and --config work with their own keys and settings.
    let md5 = |s: &str| -> String {
        use md5::{Digest, Md5};
        Md5::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    sb.post_xml("moduleConfig", &body(&creds(5000, 7000, &md5("other-key"))))
        .assert_ok();
    let r = sb.post_xml("moduleConfig", &body(&creds(6000, 6001, &md5("from-file"))));
    r.assert_ok();
    assert_eq!(
        r.child_attr("limit", "invoicestatic").as_deref(),
        Some("50000")
    );
    assert!(sb.ledger().is_empty());
}

#[test]
fn malformed_input_gets_well_formed_errors_and_changes_nothing() {
    let sb = Sandbox::start(&[]);
    create_order(&sb, "M-1");
    let before = sb.ledger().len();
    let post = |path: &str, headers: &[(&str, &str)], body: &[u8]| {
        let r = sb.request("POST", path, headers, body);
        assert_eq!(r.status, 200, "protocol errors are HTTP 200: {}", r.text());
        Xml::parse(&r.text())
    };
    let x = "/xml/offline/invoiceCreated";
    post(x, &[], b"this is not xml").assert_error(10);
    post(x, &[], b"<data><default_params").assert_error(10);
    post(x, &[], b"<other/>").assert_error(10);
    post(x, &[], b"").assert_error(13);
    post(x, &[("Content-Type", "application/json")], b"{\"a\":1}").assert_error(13);
    post(x, &[], &[0x3c, 0x64, 0xff, 0xfe]).assert_error(10);
    // Entities via a DTD are refused outright (no expansion bombs).
    let bomb = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE data [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><data>{}<invoice_params reference=\"&b;\"/></data>",
        default_params()
    );
    post(x, &[], bomb.as_bytes()).assert_error(10);
    post("/xml/offline/deleteEverything", &[], b"<data/>").assert_error(11);
    post("/xml/offline/", &[], b"<data/>").assert_error(11);
    // Wrong method.
    let r = sb.request("GET", x, &[], b"");
    assert_eq!(r.status, 200);
    Xml::parse(&r.text()).assert_error(12);
    let r = sb.request("PUT", "/xml/cancel", &[], b"<data/>");
    Xml::parse(&r.text()).assert_error(12);
    // Over 1 MiB, declared or streamed in chunks.
    let big = vec![b'a'; 1024 * 1024 + 1];
    post(x, &[], &big).assert_error(14);
    let mut chunked = b"POST /xml/offline/cancel HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..20 {
        chunked.extend_from_slice(b"10000\r\n");
        chunked.extend_from_slice(&vec![b'b'; 0x10000]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let raw = send_raw(&sb.addr, &chunked).expect("chunked");
    Xml::parse(&parse_response(&raw).expect("response").text()).assert_error(14);
    // A small chunked request is fine.
    let doc = bank_data_xml("M-1");
    let mut small = b"POST /xml/offline/getBillPayBankData HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    small.extend_from_slice(format!("{:x}\r\n{doc}\r\n0\r\n\r\n", doc.len()).as_bytes());
    let raw = send_raw(&sb.addr, &small).expect("chunked");
    Xml::parse(&parse_response(&raw).expect("response").text()).assert_ok();
    // Required attributes missing or of the wrong type.
    let missing = format!(
        "<data>{}<invoice_params currency=\"EUR\" reference=\"M-1\"/></data>",
        default_params()
    );
    post(x, &[], missing.as_bytes()).assert_error(53);
    let no_params = format!("<data>{}</data>", default_params());
    post(x, &[], no_params.as_bytes()).assert_error(53);
    // Garbage on the socket: a plain 400, and the server lives on.
    let raw = send_raw(&sb.addr, b"\x16\x03\x01 hello\r\n\r\n").expect("garbage");
    assert_eq!(parse_response(&raw).map(|r| r.status), Some(400));
    let raw = send_raw(&sb.addr, b"GET / HTTP/1.1\r\n").unwrap_or_default();
    assert!(raw.is_empty() || parse_response(&raw).is_some());
    // The XML content types the libraries use are all accepted.
    for ct in [
        "application/xml",
        "text/xml; charset=utf-8",
        "application/x-www-form-urlencoded",
    ] {
        post(
            "/xml/offline/getBillPayBankData",
            &[("Content-Type", ct)],
            doc.as_bytes(),
        )
        .assert_ok();
    }
    // CORS: a preflight is answered, and every protocol answer may be read cross-origin.
    let r = sb.request("OPTIONS", x, &[("Origin", "http://localhost:3000")], b"");
    assert_eq!(r.status, 204);
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(r.header("Access-Control-Allow-Methods"), Some("POST"));
    let r = sb.request("POST", x, &[], b"");
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(sb.ledger().len(), before, "no error left a change");
    assert_eq!(sb.order("M-1")["order"]["status"], "preauthorized");
}

#[test]
fn http_parsing_is_strict() {
    let sb = Sandbox::start(&[]);
    let status = |raw: &[u8]| {
        send_raw(&sb.addr, raw)
            .ok()
            .and_then(|r| parse_response(&r))
            .map(|r| r.status)
    };
    let doc = preauthorize_xml("STRICT-1", &CartSpec::fixture(), true);
    let head =
        |extra: &str| format!("POST /xml/offline/preauthorize HTTP/1.1\r\nHost: x\r\n{extra}\r\n");
    // A transfer coding that merely contains "chunked" is not chunked: refused, not guessed.
    let mut xchunked = head("Transfer-Encoding: xchunked\r\n").into_bytes();
    xchunked.extend_from_slice(format!("{:x}\r\n{doc}\r\n0\r\n\r\n", doc.len()).as_bytes());
    assert_eq!(status(&xchunked), Some(400));
    // NUL in a header value.
    let mut nul = head(&format!(
        "X-Note: a\0b\r\nContent-Length: {}\r\n",
        doc.len()
    ))
    .into_bytes();
    nul.extend_from_slice(doc.as_bytes());
    assert_eq!(status(&nul), Some(400));
    // Two different lengths: which one would be the body? Refused.
    let mut two = head(&format!(
        "Content-Length: {}\r\nContent-Length: {}\r\n",
        doc.len(),
        doc.len() - 10
    ))
    .into_bytes();
    two.extend_from_slice(doc.as_bytes());
    assert_eq!(status(&two), Some(400));
    // Obsolete line folding and a space before the colon.
    assert_eq!(
        status(b"GET /health HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n"),
        Some(400)
    );
    assert_eq!(
        status(b"GET /health HTTP/1.1\r\nHost : x\r\n\r\n"),
        Some(400)
    );
    // A head over 16 KiB.
    let big_head = format!(
        "GET /health HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    assert_eq!(status(big_head.as_bytes()), Some(431));
    // None of them ran.
    assert!(sb.ledger().is_empty());
    // The same length twice is one length: accepted.
    let mut same = head(&format!(
        "Content-Length: {}\r\nContent-Length: {}\r\n",
        doc.len(),
        doc.len()
    ))
    .into_bytes();
    same.extend_from_slice(doc.as_bytes());
    let raw = send_raw(&sb.addr, &same).expect("answer");
    Xml::parse(&parse_response(&raw).expect("response").text()).assert_ok();
    assert_eq!(sb.order("STRICT-1")["order"]["status"], "preauthorized");
}

#[test]
fn concurrent_requests_on_one_order_serialize() {
    let sb = Sandbox::start(&[]);
    create_order(&sb, "CC-1");
    activate(&sb, "CC-1", 2395, 0).assert_ok();
    let addr = sb.addr.clone();
    // Two different edits at the same moment: A2 3 -> 2 and A2 3 -> 1.
    let run_pair = |reference: &'static str| {
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = [2i64, 1]
            .into_iter()
            .map(|qty| {
                let barrier = Arc::clone(&barrier);
                let addr = addr.clone();
                std::thread::spawn(move || {
                    let body = edit_xml(reference, &CartSpec::fixture().qty("A2", qty));
                    barrier.wait();
                    let r = request(
                        &addr,
                        "POST",
                        "/xml/offline/editCartContent",
                        &[],
                        body.as_bytes(),
                    )
                    .expect("request");
                    (qty, Xml::parse(&r.text()).code())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect::<Vec<_>>()
    };
    let results = run_pair("CC-1");
    let ok: Vec<i64> = results
        .iter()
        .filter(|(_, c)| *c == 0)
        .map(|(q, _)| *q)
        .collect();
    let o = sb.order("CC-1");
    let reduced: Vec<_> = o["movements"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|m| m["kind"] == "cart_reduced")
        .cloned()
        .collect();
    assert_eq!(
        reduced.len(),
        ok.len(),
        "one movement per accepted edit: {results:?}"
    );
    // Whatever the order, the result is one consistent cart, and the credits add up.
    let total = o["order"]["totalGross"].as_i64().expect("total");
    let credited: i64 = reduced
        .iter()
        .map(|m| m["amount"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(2395 + credited, total);
    assert_eq!(
        reduced.last().map(|m| m["totalAfter"].clone()),
        Some(json!(total))
    );
    if ok.len() == 1 {
        // The 1 came first; the 2 would raise the quantity again and was refused.
        assert_eq!(ok, vec![1]);
        assert!(results
            .iter()
            .any(|(q, c)| *q == 2 && (*c == 105 || *c == 106)));
    }
    assert_eq!(o["order"]["cart"]["articles"][1]["quantity"], 1);

    // The same edit sent eight times at once is credited once.
    create_order(&sb, "CC-2");
    activate(&sb, "CC-2", 2395, 0).assert_ok();
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let addr = addr.clone();
            std::thread::spawn(move || {
                let body = edit_xml("CC-2", &CartSpec::fixture().qty("A2", 1));
                barrier.wait();
                let r = request(
                    &addr,
                    "POST",
                    "/xml/offline/editCartContent",
                    &[],
                    body.as_bytes(),
                )
                .expect("request");
                Xml::parse(&r.text()).code()
            })
        })
        .collect();
    let codes: Vec<i64> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    assert!(codes.iter().all(|c| *c == 0), "{codes:?}");
    let m = movements_of(&sb, "CC-2");
    assert_eq!(count_kind(&m, "cart_reduced"), 1, "never credited twice");
    // Two activations at once: exactly one wins.
    create_order(&sb, "CC-3");
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let addr = addr.clone();
            std::thread::spawn(move || {
                let body = invoice_created_xml("CC-3", 2395, 0);
                barrier.wait();
                let r = request(
                    &addr,
                    "POST",
                    "/xml/offline/invoiceCreated",
                    &[],
                    body.as_bytes(),
                )
                .expect("request");
                Xml::parse(&r.text()).code()
            })
        })
        .collect();
    let mut codes: Vec<i64> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    codes.sort();
    assert_eq!(codes, vec![0, 71]);
    assert_eq!(count_kind(&movements_of(&sb, "CC-3"), "activated"), 1);
}

fn arm(sb: &Sandbox, mode: &str, count: u64, delay_ms: u64) {
    let state = sb.post_json(
        "/control/faults",
        &json!({"mode": mode, "count": count, "delayMs": delay_ms}),
    );
    assert_eq!(state["armed"]["mode"], mode);
}

#[test]
fn fault_injection_modes() {
    let sb = Sandbox::start(&[]);
    // delay: slow but correct, only for the armed number of requests.
    arm(&sb, "delay", 1, 400);
    let t = Instant::now();
    create_order(&sb, "F-DELAY");
    assert!(t.elapsed() >= Duration::from_millis(400));
    let t = Instant::now();
    create_order(&sb, "F-FAST");
    assert!(t.elapsed() < Duration::from_millis(400));

    // http500: nothing happens, twice, then normal service.
    arm(&sb, "http500", 2, 0);
    let body = preauthorize_xml("F-500", &CartSpec::fixture(), true);
    for _ in 0..2 {
        let r = sb.request("POST", "/xml/offline/preauthorize", &[], body.as_bytes());
        assert_eq!(r.status, 500);
    }
    assert!(sb.get_json("/control/orders")["orders"]
        .as_array()
        .expect("list")
        .iter()
        .all(|o| o["reference"] != "F-500"));
    create_order(&sb, "F-500");

    // drop_after_commit: no answer at all, but the activation happened exactly once.
    arm(&sb, "drop_after_commit", 1, 0);
    let raw = raw_request(
        &sb.addr,
        "POST",
        "/xml/offline/invoiceCreated",
        &[],
        invoice_created_xml("F-500", 2395, 0).as_bytes(),
    );
    assert!(
        raw.map(|r| r.is_empty()).unwrap_or(true),
        "connection closed without a response"
    );
    assert_eq!(sb.order("F-500")["order"]["status"], "activated");
    activate(&sb, "F-500", 2395, 0).assert_error(71);
    assert_eq!(count_kind(&movements_of(&sb, "F-500"), "activated"), 1);

    // malformed: the change is committed, the answer does not parse.
    arm(&sb, "malformed", 1, 0);
    let r = sb.request(
        "POST",
        "/xml/offline/invoiceCreated",
        &[],
        invoice_created_xml("F-DELAY", 2395, 0).as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert!(
        roxmltree::Document::parse(&r.text()).is_err(),
        "{}",
        r.text()
    );
    assert_eq!(sb.order("F-DELAY")["order"]["status"], "activated");

    // empty: 200 with an empty body, change committed.
    arm(&sb, "empty", 1, 0);
    let r = sb.request(
        "POST",
        "/xml/offline/cancel",
        &[],
        cancel_xml("F-FAST", 2395).as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(sb.order("F-FAST")["order"]["status"], "cancelled");

    // Disarmed by itself; control endpoints are not counted.
    assert_eq!(sb.get_json("/control/faults")["armed"], json!(null));
    arm(&sb, "http500", 5, 0);
    let cleared = sb.post_json("/control/faults", &json!({"mode": "none"}));
    assert_eq!(cleared["armed"], json!(null));
    sb.post_xml("getBillPayBankData", &bank_data_xml("F-500"))
        .assert_ok();
    let r = sb.request("POST", "/control/faults", &[], br#"{"mode":"explode"}"#);
    assert_eq!(r.status, 400);

    // Armed for one service: the others pass untouched and do not count.
    sb.post_json(
        "/control/faults",
        &json!({"mode": "http500", "count": 1, "service": "invoiceCreated"}),
    );
    sb.post_xml("getBillPayBankData", &bank_data_xml("F-500"))
        .assert_ok();
    assert_eq!(
        sb.get_json("/control/faults")["armed"]["service"],
        json!("invoiceCreated")
    );
    let r = sb.request(
        "POST",
        "/xml/offline/invoiceCreated",
        &[],
        invoice_created_xml("F-500", 2395, 0).as_bytes(),
    );
    assert_eq!(r.status, 500);
    assert_eq!(sb.get_json("/control/faults")["armed"], json!(null));
}

#[test]
fn control_endpoints_need_the_flag() {
    let sb = Sandbox::start_plain(&[]);
    for path in [
        "/control/clock",
        "/control/faults",
        "/control/ledger",
        "/control/login",
    ] {
        assert_eq!(sb.request("GET", path, &[], b"").status, 404, "{path}");
    }
    let r = sb.request("POST", "/control/faults", &[], br#"{"mode":"http500"}"#);
    assert_eq!(r.status, 404);
    let r = sb.request(
        "POST",
        "/xml/offline/moduleConfig",
        &[],
        format!("<data>{}</data>", default_params()).as_bytes(),
    );
    Xml::parse(&r.text()).assert_ok();
}

#[test]
fn killed_mid_run_and_restarted_loses_nothing() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mut sb = Sandbox::start(&["--now", "2026-02-02"]);
    // A client keeps creating and activating orders while the process is killed.
    let addr = sb.addr.clone();
    let progress = Arc::new(AtomicUsize::new(0));
    let progress_in_worker = Arc::clone(&progress);
    let worker = std::thread::spawn(move || {
        let mut acknowledged = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let reference = format!("K-{}", acknowledged.len());
            let body = preauthorize_xml(&reference, &CartSpec::fixture(), true);
            let Ok(r) = request(
                &addr,
                "POST",
                "/xml/offline/preauthorize",
                &[],
                body.as_bytes(),
            ) else {
                return (acknowledged, true);
            };
            if roxmltree::Document::parse(&r.text()).is_err() {
                return (acknowledged, true);
            }
            let pre = Xml::parse(&r.text());
            assert_eq!(pre.code(), 0, "{}", pre.text);
            let iban = pre.bank("account_number");
            let act = invoice_created_xml(&reference, 2395, 0);
            let activated = request(
                &addr,
                "POST",
                "/xml/offline/invoiceCreated",
                &[],
                act.as_bytes(),
            )
            .ok()
            .filter(|r| roxmltree::Document::parse(&r.text()).is_ok())
            .map(|r| Xml::parse(&r.text()).code() == 0)
            .unwrap_or(false);
            acknowledged.push((reference, iban, activated));
            progress_in_worker.store(acknowledged.len(), Ordering::SeqCst);
            if !activated {
                return (acknowledged, true);
            }
        }
        (acknowledged, false)
    });
    // Kill once the run is well under way, whatever the machine's speed.
    let wait_until = Instant::now() + Duration::from_secs(30);
    while progress.load(Ordering::SeqCst) < 10 && Instant::now() < wait_until {
        std::thread::sleep(Duration::from_millis(5));
    }
    sb.kill_and_restart(&["--now", "2026-02-02"]);
    let (acknowledged, interrupted) = worker.join().expect("worker");
    assert!(interrupted, "the kill happened mid-run");
    assert!(
        acknowledged.len() >= 10,
        "the run made progress before the kill"
    );
    for (reference, iban, activated) in &acknowledged {
        let o = sb.order(reference);
        assert_eq!(
            o["order"]["bankAccount"]["iban"],
            iban.as_str(),
            "{reference}"
        );
        if *activated {
            assert_eq!(o["order"]["status"], "activated", "{reference}");
            assert_eq!(
                count_kind(o["movements"].as_array().expect("list"), "activated"),
                1
            );
        }
    }
    // The ledger is consistent: each activated order has exactly its receivable and fee.
    let ledger = sb.ledger();
    let orders = sb.get_json("/control/orders");
    for o in orders["orders"].as_array().expect("list") {
        let id = &o["id"];
        let of_order: Vec<_> = ledger.iter().filter(|m| &m["orderId"] == id).collect();
        let activations = of_order.iter().filter(|m| m["kind"] == "activated").count();
        let fees = of_order.iter().filter(|m| m["kind"] == "fee").count();
        assert_eq!(activations, fees);
        assert_eq!(activations, usize::from(o["status"] == "activated"));
    }
    // The restarted server keeps working, and the IBAN sequence does not repeat.
    let r = create_order(&sb, "AFTER-RESTART");
    let all: Vec<String> = sb.get_json("/control/orders")["orders"]
        .as_array()
        .expect("list")
        .iter()
        .map(|o| o["bankAccount"]["iban"].as_str().unwrap_or("").to_string())
        .collect();
    let unique: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!(unique.len(), all.len());
    assert!(all.contains(&r.bank("account_number")));
}
