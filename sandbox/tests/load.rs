//! A bounded load test (seconds) of the HTTP layer: slow clients do not lock others out, an
//! attribute-heavy megabyte costs nothing before the credential check, and the header and
//! body deadlines hold per request, not per read. The time bounds are what the issue asks
//! for ("within a second"); the deadline tests only wait, with a generous upper bound.

mod common;
use common::*;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SLOW_CLIENTS: usize = 300;
const WITHIN: Duration = Duration::from_secs(1);

fn timed_post(sb: &Sandbox, service: &str, body: &str) -> (Xml, Duration) {
    let started = Instant::now();
    let xml = sb.post_xml(service, body);
    (xml, started.elapsed())
}

/// True while the server has neither closed the connection nor answered on it.
fn still_open(stream: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    let _ = stream.set_nonblocking(true);
    let open = matches!(stream.peek(&mut byte), Err(e) if e.kind() == ErrorKind::WouldBlock);
    let _ = stream.set_nonblocking(false);
    open
}

#[test]
fn slow_clients_do_not_lock_others_out() {
    let sb = Sandbox::start(&[]);
    create_order(&sb, "LOAD-1");
    // 300 clients that started a request and send its head one byte at a time.
    let connected = Instant::now();
    let mut slow = Vec::new();
    for i in 0..SLOW_CLIENTS {
        let mut stream = TcpStream::connect(&sb.addr).expect("connect a slow client");
        stream
            .write_all(
                format!("POST /xml/offline/cancel HTTP/1.1\r\nHost: x\r\nX-Slow-{i}: ").as_bytes(),
            )
            .expect("start the head");
        slow.push(stream);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let trickle = {
        let stop = Arc::clone(&stop);
        let streams: Vec<TcpStream> = slow.iter().map(|s| s.try_clone().expect("clone")).collect();
        std::thread::spawn(move || {
            let mut streams = streams;
            while !stop.load(Ordering::SeqCst) {
                for s in &mut streams {
                    let _ = s.write_all(b"a");
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };
    std::thread::sleep(Duration::from_millis(500));

    // Meanwhile everyone else is served, each request within a second.
    let config = format!(
        "<data api_version=\"1.6.1\">{}<locale country=\"DEU\" currency=\"EUR\" language=\"de\"/></data>",
        default_params()
    );
    let mut slowest = Duration::ZERO;
    for round in 0..10 {
        let (r, took) = timed_post(&sb, "moduleConfig", &config);
        r.assert_ok();
        slowest = slowest.max(took);
        let (r, took) = timed_post(&sb, "getBillPayBankData", &bank_data_xml("LOAD-1"));
        r.assert_ok();
        slowest = slowest.max(took);
        let started = Instant::now();
        let page = sb.request("GET", "/admin", &[], b"");
        assert_eq!(page.status, 200, "round {round}");
        slowest = slowest.max(started.elapsed());
    }
    let (r, took) = timed_post(
        &sb,
        "preauthorize",
        &preauthorize_xml("LOAD-2", &CartSpec::fixture(), true),
    );
    r.assert_ok();
    slowest = slowest.max(took);
    eprintln!("{SLOW_CLIENTS} slow clients connected: slowest of 31 answers {slowest:?}");
    assert!(
        slowest < WITHIN,
        "with {SLOW_CLIENTS} slow clients connected the slowest answer took {slowest:?}"
    );
    // The slow clients were held, not turned away: still open, nothing answered (unless the
    // machine was so slow that their 10 s header deadline has legitimately passed).
    if connected.elapsed() < Duration::from_secs(9) {
        let open = slow.iter().filter(|s| still_open(s)).count();
        assert_eq!(open, SLOW_CLIENTS, "slow connections still waiting");
    }
    stop.store(true, Ordering::SeqCst);
    let _ = trickle.join();
}

#[test]
fn an_attribute_heavy_megabyte_is_answered_within_a_second() {
    let sb = Sandbox::start(&[]);
    // <data a0="1" … a89999="1"> just under 1 MiB, with valid credentials after it.
    let attributes: String = (0..90_000).map(|i| format!(" a{i}=\"1\"")).collect();
    let heavy = format!(
        "<data{attributes}>{}<order_params reference=\"X\"/></data>",
        default_params()
    );
    assert!(heavy.len() < 1024 * 1024);
    // Four at once (what stalled the thread-per-connection server for half a minute), and a
    // normal request next to them.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let addr = sb.addr.clone();
            let body = heavy.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                let r = request(
                    &addr,
                    "POST",
                    "/xml/offline/getBillPayBankData",
                    &[],
                    body.as_bytes(),
                )
                .expect("answer");
                (Xml::parse(&r.text()), started.elapsed())
            })
        })
        .collect();
    let (normal, normal_took) = timed_post(
        &sb,
        "moduleConfig",
        &format!("<data>{}</data>", default_params()),
    );
    normal.assert_ok();
    eprintln!("next to four attribute-heavy megabytes, a normal request took {normal_took:?}");
    for h in handles {
        let (xml, took) = h.join().expect("client");
        eprintln!("attribute-heavy megabyte answered in {took:?}");
        xml.assert_error(10);
        assert!(xml
            .attr("merchant_message")
            .unwrap_or_default()
            .contains("more than 128 attributes"));
        assert!(took < WITHIN, "attribute-heavy request took {took:?}");
    }
    assert!(normal_took < WITHIN, "normal request took {normal_took:?}");
    // Many elements with many attributes each, also a megabyte: linear, answered quickly.
    let element: String = format!(
        "<x{}/>",
        (0..128).map(|i| format!(" a{i}=\"1\"")).collect::<String>()
    );
    let wide = format!(
        "<data>{}{}</data>",
        default_params(),
        element.repeat(1_000_000 / element.len())
    );
    let (xml, took) = timed_post(&sb, "moduleConfig", &wide);
    xml.assert_ok();
    eprintln!("a megabyte of 128-attribute elements answered in {took:?}");
    assert!(
        took < WITHIN,
        "a megabyte of 128-attribute elements took {took:?}"
    );
}

/// Waits (at most `limit`) for the server to end the connection; returns what it sent.
fn wait_for_close(
    stream: &mut TcpStream,
    limit: Duration,
    mut send: impl FnMut(&mut TcpStream),
) -> Option<Vec<u8>> {
    let started = Instant::now();
    let mut received = Vec::new();
    stream
        .set_read_timeout(Some(Duration::from_millis(400)))
        .expect("timeout");
    while started.elapsed() < limit {
        send(stream);
        let mut buf = [0u8; 4096];
        match stream.read(&mut buf) {
            Ok(0) => return Some(received),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(received),
        }
    }
    None
}

#[test]
fn header_and_body_deadlines_are_per_request_not_per_read() {
    let sb = Sandbox::start(&[]);
    // Generous: the deadlines are 10 s; a per-read timeout would never fire here.
    let limit = Duration::from_secs(25);
    let addr = sb.addr.clone();
    let idle = std::thread::spawn(move || {
        let mut s = TcpStream::connect(&addr).expect("connect");
        wait_for_close(&mut s, limit, |_| {})
    });
    let addr = sb.addr.clone();
    let slow_head = std::thread::spawn(move || {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.write_all(b"GET /health HTTP/1.1\r\nX-Slow: ")
            .expect("start");
        wait_for_close(&mut s, limit, |s| {
            let _ = s.write_all(b"b");
        })
    });
    let addr = sb.addr.clone();
    let slow_body = std::thread::spawn(move || {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.write_all(b"POST /xml/offline/moduleConfig HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<data")
            .expect("start");
        wait_for_close(&mut s, limit, |s| {
            let _ = s.write_all(b" ");
        })
    });
    assert!(
        idle.join().expect("idle").is_some(),
        "an idle connection is closed"
    );
    assert!(
        slow_head.join().expect("head").is_some(),
        "a head that never ends is cut off although bytes keep coming"
    );
    let body = slow_body
        .join()
        .expect("body")
        .expect("a body that never ends is cut off");
    let response = parse_response(&body).expect("an answer");
    assert_eq!(response.status, 408);
    // The server is fine afterwards.
    assert_eq!(sb.request("GET", "/health", &[], b"").status, 200);
}
