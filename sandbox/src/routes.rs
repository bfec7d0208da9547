//! Which handler answers a request: the XML protocol under `/xml/`, the back-office under
//! `/admin`, the test-only `/control` endpoints, the index page and `/health`. Handlers are
//! synchronous (SQLite, XML) and run on tokio's blocking pool, so a slow request never holds
//! up the connections the transport is serving; injected delays are timers, not threads.

use crate::app::App;
use crate::rules::{code, ApiError};
use crate::web::{Outcome, Request, Response, MAX_BODY};
use crate::{backoffice, control, protocol};
use std::sync::Arc;

pub async fn handle(app: Arc<App>, req: Request) -> Outcome {
    if let Some(service) = protocol_service(&req.path) {
        let service = service.to_string();
        return with_cors(protocol_endpoint(app, req, service).await);
    }
    if req.too_large {
        return Outcome::Respond(Response::text(413, "request body too large"));
    }
    let response = if req.path == "/" {
        Response::html(200, backoffice::views::index(&protocol::SERVICES))
    } else if req.path == "/health" {
        Response::json(200, &serde_json::json!({"ok": true}))
    } else if req.path == "/admin" || req.path.starts_with("/admin/") {
        blocking(move || backoffice::handle(&app, &req)).await
    } else if req.path.starts_with("/control/") && app.control_enabled {
        blocking(move || control::handle(&app, &req)).await
    } else {
        Response::text(404, "not found")
    };
    Outcome::Respond(response)
}

/// Runs a synchronous handler off the connection tasks. A handler bug ends this request with
/// a 500, never the server.
async fn blocking(f: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| Response::text(500, "internal sandbox error"))
}

/// `/xml/offline/<service>` or `/xml/<service>`, optional trailing slash (the PHP library adds one).
pub fn protocol_service(path: &str) -> Option<&str> {
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

fn protocol_error(err: ApiError) -> Response {
    Response::xml(protocol::error_document(&err))
}

async fn protocol_endpoint(app: Arc<App>, req: Request, service: String) -> Outcome {
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
    let Ok(body) = String::from_utf8(req.body) else {
        return Outcome::Respond(protocol_error(ApiError::merchant(
            code::MALFORMED_XML,
            "request body is not UTF-8",
        )));
    };
    let fault = if app.control_enabled {
        app.faults.take(&service)
    } else {
        None
    };
    if let Some(fault) = fault {
        tokio::time::sleep(fault.delay()).await;
        if let Some(refusal) = fault.refusal() {
            return Outcome::Respond(refusal);
        }
    }
    let answer = blocking(move || {
        let answer = protocol::handle(&app, &service, &body);
        Response::xml(answer.document).with_notes(answer.warnings)
    })
    .await;
    match fault {
        Some(fault) => fault.shape(answer),
        None => Outcome::Respond(answer),
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
}
