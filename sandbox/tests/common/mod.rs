//! Test harness: starts the real binary on a free loopback port with its own database and
//! talks raw HTTP/1.1 over TcpStream, so nothing between the test and the server is mocked.
#![allow(dead_code)]

pub mod php;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub const MID: i64 = 4441;
pub const PID: i64 = 6021;
pub const KEY: &str = "12345678";
pub const SECURE: &str = "25d55ad283aa400af464c76d713c07ad";

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "billpay-sandbox-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct Sandbox {
    pub child: Child,
    pub addr: String,
    pub db: String,
    _dir: Option<TempDir>,
}

pub fn spawn(db: &str, args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_billpay-sandbox"))
        .args(["--port", "0", "--db", db, "--quiet"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start billpay-sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read first line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (child, addr)
}

impl Sandbox {
    /// A fresh sandbox with control endpoints on.
    pub fn start(args: &[&str]) -> Sandbox {
        let dir = TempDir::new();
        let db = dir.path("sandbox.db");
        let mut all = vec!["--enable-control"];
        all.extend_from_slice(args);
        let (child, addr) = spawn(&db, &all);
        Sandbox {
            child,
            addr,
            db,
            _dir: Some(dir),
        }
    }

    pub fn start_plain(args: &[&str]) -> Sandbox {
        let dir = TempDir::new();
        let db = dir.path("sandbox.db");
        let (child, addr) = spawn(&db, args);
        Sandbox {
            child,
            addr,
            db,
            _dir: Some(dir),
        }
    }

    /// SIGKILL (no clean shutdown), then start again on the same database.
    pub fn kill_and_restart(&mut self, args: &[&str]) {
        self.child.kill().expect("kill");
        let _ = self.child.wait();
        let mut all = vec!["--enable-control"];
        all.extend_from_slice(args);
        let (child, addr) = spawn(&self.db, &all);
        self.child = child;
        self.addr = addr;
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> HttpResponse {
        request(&self.addr, method, path, headers, body).expect("HTTP request")
    }

    pub fn post_xml(&self, service: &str, xml: &str) -> Xml {
        let r = self.request(
            "POST",
            &format!("/xml/offline/{service}"),
            &[("Content-Type", "application/xml")],
            xml.as_bytes(),
        );
        assert_eq!(r.status, 200, "HTTP status for {service}: {}", r.text());
        Xml::parse(&r.text())
    }

    pub fn get_json(&self, path: &str) -> Value {
        let r = self.request("GET", path, &[], b"");
        assert_eq!(r.status, 200, "GET {path}: {}", r.text());
        serde_json::from_str(&r.text()).expect("JSON")
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Value {
        let r = self.request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        );
        assert_eq!(r.status, 200, "POST {path}: {}", r.text());
        serde_json::from_str(&r.text()).expect("JSON")
    }

    pub fn set_clock(&self, now: &str) {
        self.post_json("/control/clock", &serde_json::json!({ "now": now }));
    }

    pub fn order(&self, reference: &str) -> Value {
        self.get_json(&format!("/control/order?reference={reference}"))
    }

    pub fn order_mid(&self, mid: i64, reference: &str) -> Value {
        self.get_json(&format!("/control/order?mid={mid}&reference={reference}"))
    }

    /// A back-office page, logged in through `/control/login` (control endpoints on).
    pub fn admin_page(&self, path: &str) -> String {
        let r = self.request(
            "GET",
            &format!("/control/login?mid={MID}&next={path}"),
            &[],
            b"",
        );
        let cookie = r
            .header("Set-Cookie")
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_string();
        let page = self.request("GET", path, &[("Cookie", &cookie)], b"");
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        page.text()
    }

    pub fn ledger(&self) -> Vec<Value> {
        self.get_json("/control/ledger")["movements"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request on a fresh connection; the server always closes after answering.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<HttpResponse> {
    let raw = raw_request(addr, method, path, headers, body)?;
    parse_response(&raw).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("no HTTP response ({} bytes)", raw.len()),
        )
    })
}

pub fn raw_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out)?;
    Ok(out)
}

pub fn send_raw(addr: &str, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(bytes)?;
    stream.shutdown(std::net::Shutdown::Write)?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out)?;
    Ok(out)
}

pub fn parse_response(raw: &[u8]) -> Option<HttpResponse> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(HttpResponse {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

/// A parsed response document, queried by element and attribute name.
pub struct Xml {
    pub text: String,
}

impl Xml {
    pub fn parse(text: &str) -> Xml {
        roxmltree::Document::parse(text)
            .unwrap_or_else(|e| panic!("response is not well-formed XML ({e}): {text}"));
        Xml {
            text: text.to_string(),
        }
    }

    fn with_doc<T>(&self, f: impl FnOnce(roxmltree::Node) -> T) -> T {
        let doc = roxmltree::Document::parse(&self.text).expect("parsed before");
        f(doc.root_element())
    }

    pub fn root_name(&self) -> String {
        self.with_doc(|r| r.tag_name().name().to_string())
    }

    pub fn attr(&self, name: &str) -> Option<String> {
        self.with_doc(|r| r.attribute(name).map(str::to_string))
    }

    pub fn code(&self) -> i64 {
        self.attr("error_code")
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no error_code in {}", self.text))
    }

    /// Asserts the documented error shape: non-zero code and both messages filled.
    pub fn assert_error(&self, code: i64) {
        assert_eq!(self.code(), code, "{}", self.text);
        assert_eq!(self.root_name(), "data");
        assert!(
            !self.attr("customer_message").unwrap_or_default().is_empty(),
            "{}",
            self.text
        );
        assert!(
            !self.attr("merchant_message").unwrap_or_default().is_empty(),
            "{}",
            self.text
        );
    }

    pub fn assert_ok(&self) {
        assert_eq!(self.code(), 0, "{}", self.text);
    }

    pub fn child_attr(&self, child: &str, name: &str) -> Option<String> {
        self.with_doc(|r| {
            r.children()
                .find(|c| c.is_element() && c.tag_name().name() == child)
                .and_then(|c| c.attribute(name).map(str::to_string))
        })
    }

    pub fn has_child(&self, child: &str) -> bool {
        self.with_doc(|r| {
            r.children()
                .any(|c| c.is_element() && c.tag_name().name() == child)
        })
    }

    pub fn bank(&self, name: &str) -> String {
        self.child_attr("invoice_bank_account", name)
            .unwrap_or_else(|| panic!("invoice_bank_account@{name} missing in {}", self.text))
    }
}

// --- request documents, written from the field lists of the reference ----------------------

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub fn default_params() -> String {
    creds(MID, PID, SECURE)
}

pub fn creds(mid: i64, pid: i64, secure: &str) -> String {
    format!("<default_params mid=\"{mid}\" pid=\"{pid}\" bpsecure=\"{secure}\"/>")
}

#[derive(Clone)]
pub struct Line {
    pub id: &'static str,
    pub name: &'static str,
    pub qty: i64,
    pub net: i64,
    pub gross: i64,
}

#[derive(Clone)]
pub struct CartSpec {
    pub lines: Vec<Line>,
    pub shipping_net: i64,
    pub shipping_gross: i64,
    pub rebate_net: i64,
    pub rebate_gross: i64,
    pub currency: &'static str,
}

impl CartSpec {
    /// The two-article cart of the Omnipay fixture: 1×5.00 + 3×5.00 + 4.95 − 1.00 = 23.95.
    pub fn fixture() -> CartSpec {
        CartSpec {
            lines: vec![
                Line {
                    id: "A1",
                    name: "Mug",
                    qty: 1,
                    net: 420,
                    gross: 500,
                },
                Line {
                    id: "A2",
                    name: "Tea",
                    qty: 3,
                    net: 420,
                    gross: 500,
                },
            ],
            shipping_net: 416,
            shipping_gross: 495,
            rebate_net: 84,
            rebate_gross: 100,
            currency: "EUR",
        }
    }

    pub fn gross(&self) -> i64 {
        self.lines.iter().map(|l| l.gross * l.qty).sum::<i64>() + self.shipping_gross
            - self.rebate_gross
    }

    pub fn net(&self) -> i64 {
        self.lines.iter().map(|l| l.net * l.qty).sum::<i64>() + self.shipping_net - self.rebate_net
    }

    pub fn qty(mut self, id: &str, qty: i64) -> CartSpec {
        for l in &mut self.lines {
            if l.id == id {
                l.qty = qty;
            }
        }
        self.lines.retain(|l| l.qty > 0);
        self
    }

    pub fn total_xml(&self, reference: &str) -> String {
        format!(
            "<total shippingname=\"DHL\" shippingprice=\"{}\" shippingpricegross=\"{}\" rebate=\"{}\" rebategross=\"{}\" \
             carttotalprice=\"{}\" carttotalpricegross=\"{}\" currency=\"{}\" reference=\"{}\"/>",
            self.shipping_net,
            self.shipping_gross,
            self.rebate_net,
            self.rebate_gross,
            self.net(),
            self.gross(),
            self.currency,
            esc(reference)
        )
    }

    pub fn articles_xml(&self) -> String {
        if self.lines.is_empty() {
            return String::new();
        }
        let mut s = String::from("<article_data>");
        for l in &self.lines {
            s.push_str(&format!(
                "<article articleid=\"{}\" articlequantity=\"{}\" articlename=\"{}\" articledescription=\"\" articleprice=\"{}\" articlepricegross=\"{}\"/>",
                l.id, l.qty, esc(l.name), l.net, l.gross
            ));
        }
        s.push_str("</article_data>");
        s
    }
}

pub struct Customer {
    pub first: &'static str,
    pub last: &'static str,
    pub country: &'static str,
    pub birthday: &'static str,
    pub group: &'static str,
}

impl Customer {
    pub fn herbert() -> Customer {
        Customer {
            first: "Herbert",
            last: "Tester",
            country: "DEU",
            birthday: "19850911",
            group: "p",
        }
    }
}

pub fn preauthorize_xml_full(
    credentials: &str,
    customer: &Customer,
    cart: &CartSpec,
    reference: &str,
    auto_capture: bool,
    tcaccepted: i64,
    paymenttype: i64,
) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data api_version=\"1.6.1\" tcaccepted=\"{tcaccepted}\" expecteddaystillshipping=\"0\" \
         capturerequestnecessary=\"{}\" paymenttype=\"{paymenttype}\">{credentials}\
         <customer_details customerid=\"C-1\" customertype=\"n\" salutation=\"Herr\" title=\"\" firstName=\"{}\" lastName=\"{}\" \
         street=\"Teststrasse\" streetNo=\"1\" addressAddition=\"\" zip=\"10115\" city=\"Teststadt\" country=\"{}\" \
         email=\"testing@billpay.de\" phone=\"\" cellPhone=\"\" birthday=\"{}\" language=\"de\" ip=\"127.0.0.1\" customerGroup=\"{}\"/>\
         <shipping_details useBillingAddress=\"1\"/>{}{}</data>",
        if auto_capture { 0 } else { 1 },
        esc(customer.first),
        esc(customer.last),
        customer.country,
        customer.birthday,
        customer.group,
        cart.total_xml(reference),
        cart.articles_xml()
    )
}

pub fn preauthorize_xml(reference: &str, cart: &CartSpec, auto_capture: bool) -> String {
    preauthorize_xml_full(
        &default_params(),
        &Customer::herbert(),
        cart,
        reference,
        auto_capture,
        1,
        1,
    )
}

pub fn invoice_created_xml(reference: &str, amount: i64, delay: i64) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data api_version=\"1.6.1\">{}<invoice_params carttotalgross=\"{amount}\" currency=\"EUR\" reference=\"{reference}\" delayindays=\"{delay}\"/></data>",
        default_params()
    )
}

pub fn cancel_xml(reference: &str, amount: i64) -> String {
    format!(
        "<data api_version=\"1.6.1\">{}<cancel_params reference=\"{reference}\" carttotalgross=\"{amount}\" currency=\"EUR\"/></data>",
        default_params()
    )
}

pub fn edit_xml(reference: &str, cart: &CartSpec) -> String {
    format!(
        "<data api_version=\"1.6.1\">{}{}{}</data>",
        default_params(),
        cart.total_xml(reference),
        cart.articles_xml()
    )
}

pub fn bank_data_xml(reference: &str) -> String {
    format!(
        "<data api_version=\"1.6.1\">{}<order_params reference=\"{reference}\"/></data>",
        default_params()
    )
}

/// Preauthorize with auto-capture; returns the response.
pub fn create_order(sb: &Sandbox, reference: &str) -> Xml {
    let r = sb.post_xml(
        "preauthorize",
        &preauthorize_xml(reference, &CartSpec::fixture(), true),
    );
    r.assert_ok();
    assert_eq!(r.attr("status").as_deref(), Some("APPROVED"));
    r
}

pub fn activate(sb: &Sandbox, reference: &str, amount: i64, delay: i64) -> Xml {
    sb.post_xml(
        "invoiceCreated",
        &invoice_created_xml(reference, amount, delay),
    )
}

pub fn movements_of(sb: &Sandbox, reference: &str) -> Vec<Value> {
    sb.order(reference)["movements"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub fn count_kind(movements: &[Value], kind: &str) -> usize {
    movements.iter().filter(|m| m["kind"] == kind).count()
}
