//! HTTP/1.1 on hyper and tokio: accepting connections, reading a request within its
//! deadlines and size limit, writing the answer, and closing the connection without one when
//! fault injection asks for it. Knows nothing about routes; hands a complete `web::Request`
//! to `routes::handle`.
//!
//! Every connection is a task on one thread, so idle and slow clients cost memory, not
//! threads. Deadlines are per request, not per read: the head must be complete within
//! `HEADER_DEADLINE` of connecting, the body within `BODY_DEADLINE` of the head, and the
//! answer must be taken within `WRITE_DEADLINE`. One request per connection
//! (`Connection: close`), as before.

use crate::app::App;
use crate::routes;
use crate::web::{self, Outcome, Response, MAX_BODY};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};
use tokio::io::AsyncWrite;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

pub const HEADER_DEADLINE: Duration = Duration::from_secs(10);
pub const BODY_DEADLINE: Duration = Duration::from_secs(10);
pub const WRITE_DEADLINE: Duration = Duration::from_secs(30);
/// Open connections at most; beyond it new ones wait in the kernel's accept queue (they are
/// not refused), and the deadlines keep every slot turning over.
const MAX_CONNECTIONS: usize = 4096;
/// Request line and headers together.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// After the answer: how long and how much of what the client still sends (the rest of an
/// oversized body) is read and thrown away, so that closing with unread input does not turn
/// into a TCP reset that destroys the answer in flight.
const LINGER: Duration = Duration::from_secs(2);
const DRAIN_LIMIT: usize = 4 * MAX_BODY;

pub fn serve(listener: std::net::TcpListener, app: Arc<App>) -> Result<(), String> {
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot use the socket: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let listener =
            TcpListener::from_std(listener).map_err(|e| format!("cannot use the socket: {e}"))?;
        accept(listener, app).await;
        Ok(())
    })
}

async fn accept(listener: TcpListener, app: Arc<App>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return; // the semaphore is never closed
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                let app = Arc::clone(&app);
                tokio::spawn(async move {
                    connection(stream, app).await;
                    drop(slot);
                });
            }
            Err(e) => {
                // Out of file descriptors or similar: wait instead of spinning.
                eprintln!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// Where a connection's one request is; the handler moves it on, the connection task watches.
#[derive(Default)]
struct Progress(AtomicU8);

const READING_HEAD: u8 = 0;
const HANDLING: u8 = 1;
const RESPONDING: u8 = 2;
const ABORT: u8 = 3;

impl Progress {
    fn get(&self) -> u8 {
        self.0.load(Ordering::SeqCst)
    }

    fn set(&self, stage: u8) {
        self.0.store(stage, Ordering::SeqCst);
    }
}

async fn connection(stream: TcpStream, app: Arc<App>) {
    let progress = Arc::new(Progress::default());
    let quiet = app.quiet;
    let service = {
        let progress = Arc::clone(&progress);
        service_fn(move |req| answer(Arc::clone(&app), Arc::clone(&progress), req))
    };
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_DEADLINE)
        .keep_alive(false)
        // A client may shut down its sending side once the request is out; it still gets
        // the answer.
        .half_close(true)
        .title_case_headers(true)
        .max_header_size(MAX_HEAD_BYTES)
        .max_headers(100);
    // Without hyper's own shutdown: the socket comes back for a lingering close.
    let mut conn = pin!(builder
        .serve_connection(TokioIo::new(stream), service)
        .without_shutdown());
    // Starts at accept, so a client that never sends a byte is closed too.
    let mut deadline = pin!(tokio::time::sleep(HEADER_DEADLINE));
    let mut seen = READING_HEAD;
    let served = poll_fn(|cx| {
        if let Poll::Ready(result) = conn.as_mut().poll(cx) {
            // hyper has answered a malformed request (400, 431) itself, or the client left.
            if let (Err(e), false) = (&result, quiet) {
                eprintln!("connection ended: {e}");
            }
            return Poll::Ready(result.ok());
        }
        let stage = progress.get();
        if stage != seen {
            seen = stage;
            match stage {
                RESPONDING => deadline
                    .as_mut()
                    .reset(tokio::time::Instant::now() + WRITE_DEADLINE),
                // The request ran and was committed; the client gets nothing.
                ABORT => return Poll::Ready(None),
                _ => {}
            }
        }
        // While the handler runs there is no deadline: the body has its own, and injected
        // delays are meant to be long.
        if seen != HANDLING && deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await;
    if let Some(parts) = served {
        linger(parts.io.into_inner()).await;
    }
    // Otherwise dropping the connection closes the socket at once.
}

/// Half-close after the answer, then drain what the client may still send.
async fn linger(mut stream: TcpStream) {
    let _ = poll_fn(|cx| Pin::new(&mut stream).poll_shutdown(cx)).await;
    let drain = async {
        let mut sink = [0u8; 8192];
        let mut total = 0usize;
        while total < DRAIN_LIMIT {
            if stream.readable().await.is_err() {
                return;
            }
            match stream.try_read(&mut sink) {
                Ok(0) => return,
                Ok(n) => total += n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        }
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
}

enum BodyError {
    TimedOut,
    /// Malformed chunked encoding, or the client went away.
    Broken,
}

/// The whole body, or `None` when it is over `MAX_BODY` (then nothing of it is kept).
async fn read_body(body: Incoming) -> Result<Option<Vec<u8>>, BodyError> {
    // Declared too large: answered without reading it (and without a 100 Continue).
    if body.size_hint().lower() > MAX_BODY as u64 {
        return Ok(None);
    }
    let read = async {
        let mut body = body;
        let mut data = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| BodyError::Broken)?;
            let Ok(chunk) = frame.into_data() else {
                continue; // trailers
            };
            if data.len() + chunk.len() > MAX_BODY {
                // The rest is drained after the answer (see `linger`).
                return Ok(None);
            }
            data.extend_from_slice(&chunk);
        }
        Ok(Some(data))
    };
    tokio::time::timeout(BODY_DEADLINE, read)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

async fn answer(
    app: Arc<App>,
    progress: Arc<Progress>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    progress.set(HANDLING);
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_string();
    let path = web::decode_path(parts.uri.path());
    let body = read_body(body).await;
    let outcome = match body {
        Ok(body) => {
            let request = web::Request {
                method: method.clone(),
                path: path.clone(),
                query: parts.uri.query().unwrap_or("").to_string(),
                headers: parts
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                too_large: body.is_none(),
                body: body.unwrap_or_default(),
            };
            routes::handle(Arc::clone(&app), request).await
        }
        Err(BodyError::TimedOut) => Outcome::Respond(Response::text(
            408,
            "the request body did not arrive in time",
        )),
        Err(BodyError::Broken) => {
            Outcome::Respond(Response::text(400, "the request body is malformed"))
        }
    };
    match outcome {
        Outcome::Respond(response) => {
            log(
                &app,
                &method,
                &path,
                &response.status.to_string(),
                started,
                &response.notes,
            );
            progress.set(RESPONDING);
            Ok(to_hyper(response))
        }
        Outcome::Drop => {
            log(&app, &method, &path, "dropped", started, &[]);
            progress.set(ABORT);
            // The connection task sees ABORT and drops the connection with this future.
            std::future::pending().await
        }
    }
}

fn to_hyper(response: Response) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        builder = builder.header(name, value);
    }
    builder
        .header("Cache-Control", "no-store")
        .header("Connection", "close")
        .body(Full::new(Bytes::from(response.body)))
        .unwrap_or_else(|_| {
            // A handler produced a header hyper cannot send: say so instead of panicking.
            let mut failed = hyper::Response::new(Full::new(Bytes::from_static(
                b"internal sandbox error: unusable response header",
            )));
            *failed.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            failed
        })
}

fn log(app: &App, method: &str, path: &str, status: &str, started: Instant, notes: &[String]) {
    if app.quiet {
        return;
    }
    eprintln!(
        "{method} {path} -> {status} ({} ms)",
        started.elapsed().as_millis()
    );
    for note in notes {
        eprintln!("  warning: {note}");
    }
}
