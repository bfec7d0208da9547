//! A small HTTP/1.1 server on std::net: one thread per connection, one request per connection
//! (`Connection: close`), bodies capped at 1 MiB. Owning the socket lets fault injection drop a
//! connection after the change is committed, which a framework would not allow.

use crate::faults::Mode;
use crate::rules::{code, ApiError};
use crate::{admin, control, protocol, xml, App};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const MAX_BODY: usize = 1024 * 1024;
const MAX_HEADER_BYTES: usize = 16 * 1024;
const MAX_CONNECTIONS: usize = 128;

pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The declared or streamed body was over `MAX_BODY`; `body` is then empty.
    pub too_large: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query_param(&self, name: &str) -> Option<String> {
        parse_urlencoded(&self.query)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    pub fn form(&self) -> Vec<(String, String)> {
        parse_urlencoded(&String::from_utf8_lossy(&self.body))
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let header = self.header("cookie")?;
        header.split(';').find_map(|part| {
            let (k, v) = part.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body: body.into(),
        }
    }

    pub fn xml(body: String) -> Response {
        Response::new(200, "application/xml; charset=UTF-8", body)
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", value.to_string())
    }

    pub fn html(status: u16, body: String) -> Response {
        Response::new(status, "text/html; charset=UTF-8", body)
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=UTF-8", body.to_string())
    }

    /// 303 See Other: after a form POST the browser follows with a GET.
    pub fn redirect(location: &str) -> Response {
        Response::text(303, "").with_header("Location", location)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

pub enum Outcome {
    Respond(Response),
    /// Close the connection without answering (fault injection).
    Drop,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        303 => "See Other",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

pub fn percent_decode(s: &str, plus_as_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_as_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn parse_urlencoded(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

enum ReadError {
    /// The peer went away or timed out: nothing to answer.
    Gone,
    Bad(String),
}

fn read_line(reader: &mut impl BufRead, budget: &mut usize) -> Result<String, ReadError> {
    let mut line = Vec::new();
    let n = reader
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut line)
        .map_err(|_| ReadError::Gone)?;
    if n == 0 {
        return Err(ReadError::Gone);
    }
    if n > *budget {
        return Err(ReadError::Bad("request header too large".into()));
    }
    *budget -= n;
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| ReadError::Bad("request header is not UTF-8".into()))
}

fn read_chunked(reader: &mut impl BufRead) -> Result<(Vec<u8>, bool), ReadError> {
    let mut body = Vec::new();
    loop {
        let mut budget = 1024;
        let size_line = read_line(reader, &mut budget)?;
        let size_text = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| ReadError::Bad("bad chunk size".into()))?;
        if size == 0 {
            // Trailer lines until the blank line.
            loop {
                let mut budget = MAX_HEADER_BYTES;
                if read_line(reader, &mut budget)?.is_empty() {
                    break;
                }
            }
            return Ok((body, false));
        }
        if body.len().saturating_add(size) > MAX_BODY {
            return Ok((Vec::new(), true));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader
            .read_exact(&mut body[start..])
            .map_err(|_| ReadError::Gone)?;
        let mut budget = 2;
        read_line(reader, &mut budget)?;
    }
}

fn read_request(stream: &TcpStream) -> Result<Request, ReadError> {
    let mut reader = BufReader::new(stream);
    let mut budget = MAX_HEADER_BYTES;
    let request_line = read_line(&mut reader, &mut budget)?;
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad("malformed request line".into()));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(ReadError::Bad("only HTTP/1.x is supported".into()));
    }
    let mut headers = Vec::new();
    loop {
        let line = read_line(&mut reader, &mut budget)?;
        if line.is_empty() {
            break;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(ReadError::Bad("malformed header line".into()));
        };
        headers.push((k.trim().to_string(), v.trim().to_string()));
        if headers.len() > 100 {
            return Err(ReadError::Bad("too many headers".into()));
        }
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.to_string(), String::new()),
    };
    let mut req = Request {
        method: method.to_string(),
        path: percent_decode(&path, false),
        query,
        headers,
        body: Vec::new(),
        too_large: false,
    };
    // cURL (and so BillPay's PHP library) asks before sending bodies over 1 KiB; answering
    // saves it a one-second wait. A body that is too large is refused without the go-ahead.
    let expects_continue = req
        .header("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    let declared_too_large = req
        .header("content-length")
        .and_then(|l| l.trim().parse::<usize>().ok())
        .is_some_and(|l| l > MAX_BODY);
    if expects_continue && !declared_too_large {
        let mut writer = stream;
        writer
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .map_err(|_| ReadError::Gone)?;
    }
    let chunked = req
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        let (body, too_large) = read_chunked(&mut reader)?;
        req.body = body;
        req.too_large = too_large;
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len
            .trim()
            .parse()
            .map_err(|_| ReadError::Bad("bad Content-Length".into()))?;
        if len > MAX_BODY {
            req.too_large = true;
        } else {
            let mut body = vec![0u8; len];
            reader.read_exact(&mut body).map_err(|_| ReadError::Gone)?;
            req.body = body;
        }
    }
    Ok(req)
}

fn write_response(stream: &mut TcpStream, resp: &Response) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n",
        resp.body.len()
    ));
    stream.write_all(head.as_bytes())?;
    stream.write_all(&resp.body)?;
    stream.flush()
}

/// Half-close, then drain what the client may still send, so that closing with unread input
/// does not turn into a TCP reset that destroys the answer in flight.
fn linger_close(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 8192];
    let mut total = 0usize;
    let deadline = Instant::now() + Duration::from_secs(2);
    while total < 4 * MAX_BODY && Instant::now() < deadline {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}

fn protocol_error(err: ApiError) -> Response {
    Response::xml(xml::error_document(&err))
}

/// `/xml/offline/<service>` or `/xml/<service>`, optional trailing slash (the PHP library adds one).
fn protocol_service(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/xml/")?;
    let rest = rest.strip_prefix("offline/").unwrap_or(rest);
    let service = rest.strip_suffix('/').unwrap_or(rest);
    (!service.contains('/')).then_some(service)
}

/// Browser clients (a merchant's own admin tool, the plug-in's browser tests) call the sandbox
/// cross-origin. Credentials travel in the body, never in cookies, so any origin may call.
fn with_cors(outcome: Outcome) -> Outcome {
    match outcome {
        Outcome::Respond(r) => Outcome::Respond(r.with_header("Access-Control-Allow-Origin", "*")),
        Outcome::Drop => Outcome::Drop,
    }
}

fn handle_protocol(app: &App, req: &Request, service: &str) -> Outcome {
    if req.method == "OPTIONS" {
        return Outcome::Respond(
            Response::new(204, "text/plain", "")
                .with_header("Access-Control-Allow-Methods", "POST")
                .with_header("Access-Control-Allow-Headers", "Content-Type")
                .with_header("Access-Control-Max-Age", "600"),
        );
    }
    if req.method != "POST" {
        return Outcome::Respond(
            protocol_error(ApiError::merchant(
                code::WRONG_METHOD,
                format!(
                    "method {} is not allowed: POST the XML document",
                    req.method
                ),
            ))
            .with_header("Allow", "POST"),
        );
    }
    if req.too_large {
        return Outcome::Respond(protocol_error(ApiError::merchant(
            code::TOO_LARGE,
            format!("request body is larger than {MAX_BODY} bytes"),
        )));
    }
    let content_type = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    // The PHP library posts without a content type (cURL then says form-urlencoded), so only
    // types that cannot carry the XML document are refused.
    if content_type.starts_with("application/json") || content_type.starts_with("multipart/") {
        return Outcome::Respond(protocol_error(ApiError::merchant(
            code::WRONG_CONTENT,
            format!("content type {content_type:?} is not accepted: send the XML document (application/xml)"),
        )));
    }
    let Ok(body) = std::str::from_utf8(&req.body) else {
        return Outcome::Respond(protocol_error(ApiError::merchant(
            code::MALFORMED_XML,
            "request body is not UTF-8",
        )));
    };
    let fault = if app.control_enabled {
        app.faults.take()
    } else {
        None
    };
    if let Some(f) = fault {
        if f.delay_ms > 0 {
            std::thread::sleep(Duration::from_millis(f.delay_ms));
        }
        if f.mode == Mode::Http500 {
            return Outcome::Respond(Response::text(
                500,
                "injected fault: HTTP 500 (nothing was changed)",
            ));
        }
    }
    let answer = protocol::handle(app, service, body);
    match fault.map(|f| f.mode) {
        Some(Mode::DropAfterCommit) => Outcome::Drop,
        Some(Mode::Empty) => Outcome::Respond(Response::xml(String::new())),
        Some(Mode::Malformed) => {
            let cut = answer.find("customer_message").unwrap_or(answer.len() / 2);
            let broken = format!("{}customer_message=\"<broken", &answer[..cut]);
            Outcome::Respond(Response::xml(broken))
        }
        _ => Outcome::Respond(Response::xml(answer)),
    }
}

fn index_page() -> Response {
    let services: String = protocol::SERVICES
        .iter()
        .map(|s| format!("<li><code>POST /xml/offline/{s}</code></li>"))
        .collect();
    Response::html(
        200,
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>BillPay sandbox</title>\
             <style>body{{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:40px auto;color:#1f2937}}code{{background:#f3f4f6;padding:1px 4px;border-radius:3px}}</style></head>\
             <body><h1>BillPay sandbox</h1><p>A local stand-in for BillPay's XML v1 merchant API.</p>\
             <p><a href=\"/admin\">Back-office</a></p><h2>Services</h2><ul>{services}</ul></body></html>"
        ),
    )
}

pub fn route(app: &App, req: &Request) -> Outcome {
    if let Some(service) = protocol_service(&req.path) {
        return with_cors(handle_protocol(app, req, service));
    }
    if req.too_large {
        return Outcome::Respond(Response::text(413, "request body too large"));
    }
    let resp = if req.path == "/" {
        index_page()
    } else if req.path == "/health" {
        Response::json(200, &serde_json::json!({"ok": true}))
    } else if req.path == "/admin" || req.path.starts_with("/admin/") {
        admin::handle(app, req)
    } else if req.path.starts_with("/control/") && app.control_enabled {
        control::handle(app, req)
    } else {
        Response::text(404, "not found")
    };
    Outcome::Respond(resp)
}

fn handle_connection(app: &App, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let started = Instant::now();
    let req = match read_request(&stream) {
        Ok(r) => r,
        Err(ReadError::Gone) => return,
        Err(ReadError::Bad(msg)) => {
            let _ = write_response(&mut stream, &Response::text(400, &msg));
            linger_close(&mut stream);
            return;
        }
    };
    let outcome = route(app, &req);
    let status = match &outcome {
        Outcome::Respond(resp) => {
            let _ = write_response(&mut stream, resp);
            linger_close(&mut stream);
            resp.status.to_string()
        }
        Outcome::Drop => {
            let _ = stream.shutdown(Shutdown::Both);
            "dropped".to_string()
        }
    };
    if !app.quiet {
        eprintln!(
            "{} {} -> {} ({} ms)",
            req.method,
            req.path,
            status,
            started.elapsed().as_millis()
        );
    }
}

pub fn serve(listener: TcpListener, app: Arc<App>) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => {
                eprintln!("accept failed: {e}");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = write_response(&mut stream, &Response::text(503, "too many connections"));
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let app = Arc::clone(&app);
        let active_in_thread = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .name("conn".into())
            .spawn(move || {
                // A bug must never take the server down: a panic ends this connection only.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    handle_connection(&app, stream)
                }));
                active_in_thread.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_paths() {
        assert_eq!(
            protocol_service("/xml/offline/preauthorize"),
            Some("preauthorize")
        );
        assert_eq!(protocol_service("/xml/cancel/"), Some("cancel"));
        assert_eq!(protocol_service("/xml/offline/"), Some(""));
        assert_eq!(protocol_service("/xml/a/b"), None);
        assert_eq!(protocol_service("/admin"), None);
    }

    #[test]
    fn urlencoding() {
        assert_eq!(
            parse_urlencoded("a=1+2&b=%C3%A4%26&c"),
            vec![
                ("a".to_string(), "1 2".to_string()),
                ("b".to_string(), "ä&".to_string()),
                ("c".to_string(), String::new())
            ]
        );
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%zz", false), "%zz");
    }
}
