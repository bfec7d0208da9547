//! Who is calling the back-office: a session cookie (stored in SQLite, so it survives a
//! restart) or HTTP Basic credentials (merchant id and key) for the statement downloads.
//! Forms carry a CSRF token derived from the session token.

use crate::app::App;
use crate::config::{md5_hex, Merchant};
use crate::rules::ApiError;
use crate::store;
use crate::web::Request;
use base64::Engine;
use cookie::{Cookie, SameSite};

pub const COOKIE: &str = "bp_session";

pub struct Session<'a> {
    pub merchant: &'a Merchant,
    /// Present for cookie sessions; Basic-auth callers can only read.
    pub token: Option<String>,
}

impl Session<'_> {
    /// The token the session's forms must send back (empty for Basic auth).
    pub fn csrf(&self) -> String {
        self.token.as_deref().map(csrf_for).unwrap_or_default()
    }

    /// Whether a submitted form carries this session's token.
    pub fn form_is_genuine(&self, form: &[(String, String)]) -> bool {
        let Some(token) = &self.token else {
            return false;
        };
        form.iter()
            .any(|(k, v)| k == "csrf" && v.as_str() == csrf_for(token))
    }
}

/// Derived, not stored: only the holder of the session token can produce it.
fn csrf_for(session_token: &str) -> String {
    md5_hex(&format!("{session_token}:csrf"))
}

/// Creates a session and returns the `Set-Cookie` value.
pub fn start(app: &App, mid: i64) -> Result<String, ApiError> {
    let token = crate::util::token()?;
    let now = app.clock.now();
    app.store
        .write(|conn| store::create_session(conn, &token, mid, now))?;
    Ok(Cookie::build((COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .build()
        .to_string())
}

/// Ends the session and returns the `Set-Cookie` value that removes the cookie.
pub fn end(app: &App, session: &Session) -> String {
    if let Some(token) = &session.token {
        let _ = app.store.write(|conn| store::delete_session(conn, token));
    }
    removal_cookie()
}

/// The `Set-Cookie` value that makes the browser forget the session cookie.
pub fn removal_cookie() -> String {
    let mut removal = Cookie::build((COOKIE, "")).path("/").build();
    removal.make_removal();
    removal.to_string()
}

pub fn check_key<'a>(app: &'a App, mid: i64, key: &str) -> Option<&'a Merchant> {
    app.merchants
        .iter()
        .find(|m| m.mid == mid && !key.is_empty() && m.key == key)
}

pub fn current<'a>(app: &'a App, req: &Request) -> Option<Session<'a>> {
    if let Some(token) = req.cookie(COOKIE) {
        if let Ok(Some(mid)) = app.store.read(|conn| store::session_mid(conn, &token)) {
            if let Some(merchant) = app.merchants.iter().find(|m| m.mid == mid) {
                return Some(Session {
                    merchant,
                    token: Some(token),
                });
            }
        }
    }
    let encoded = req.header("authorization")?.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (mid, key) = decoded.split_once(':')?;
    let merchant = check_key(app, mid.trim().parse().ok()?, key)?;
    Some(Session {
        merchant,
        token: None,
    })
}
