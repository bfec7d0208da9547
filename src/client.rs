//! The BillPay client: operations, endpoint and retry policy. The transport
//! is a trait, so the same code runs over `fetch` in wasm and over a plain
//! HTTP client in native tests.
//!
//! Retry policy: only after a transport failure (no answer, an HTTP 5xx, an
//! unreadable answer), and only for requests that are safe to repeat
//! (`Service::safe_to_repeat`). A preauthorization is never repeated: a
//! second one would be a second purchase.

use crate::block::{BankAccount, Country};
use crate::cart::{Cart, CartInput};
use crate::date::Date;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::{clip, Amount, Currency};
use crate::order::{Action, Order, Status};
use crate::protocol::{
    parse_document, parse_response, Credentials, Payment, Request, Response, Service,
};
use crate::reference::check_order_number;
use std::future::Future;
use std::pin::Pin;

/// BillPay's own library waits 25 s.
pub const DEFAULT_TIMEOUT_MS: u32 = 25_000;
pub const DEFAULT_RETRIES: u32 = 2;

pub struct HttpResponse {
    pub status: u16,
    pub body: String,
}

pub enum TransportFailure {
    Timeout,
    Network(String),
}

/// Sends one POST and returns the status and body.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn post(
        &self,
        url: &str,
        body: &str,
        timeout_ms: u32,
    ) -> core::result::Result<HttpResponse, TransportFailure>;

    /// Waits `ms` milliseconds (between attempts).
    async fn pause(&self, ms: u32);
}

/// The wait before retry `n` (1, 2, …): 250 ms, doubled each time, at most
/// 2 s. A server that just failed gets a moment instead of the next request
/// at once; an admin waits at most a few seconds more (5 retries: 5.75 s).
fn backoff_ms(retry: u32) -> u32 {
    (250u32 << retry.saturating_sub(1).min(3)).min(2000)
}

crate::input_shape! {
    pub struct ConfigInput => "ClientConfig" {
        /// `https://…` (BillPay or your relay; plain http only to loopback), or in a browser a path on the page's own origin such as "/billpay" (your relay). Service names are appended.
        pub endpoint "endpoint": String,
        /// Credentials, all three or none (none: the endpoint is a relay that adds them). Alone,
        /// `merchantId` tells a relay's client the merchant id for `BP<order>/<merchant id>` when
        /// BillPay leaves out the invoice reference.
        pub merchant_id "merchantId": Option<crate::shape::Number>,
        pub portal_id "portalId": Option<crate::shape::Number>,
        pub security_key "securityKey": SecurityKey,
        /// Per attempt; default 25000.
        pub timeout_ms "timeoutMs": Option<crate::shape::Number>,
        /// Extra attempts after transport failures, for requests safe to repeat (after 250 ms, doubled each time, at most 2 s); default 2.
        pub retries "retries": Option<crate::shape::Number>,
    }
}

/// The portal's security key: optional, but never anything but a string,
/// and never quoted back in a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecurityKey(pub Option<String>);

impl crate::shape::Decode for SecurityKey {
    const EXPECTED: &'static str = "a string";
    const OPTIONAL: bool = true;

    fn decode_token(
        token: crate::shape::json::Token<'_>,
        _: &mut crate::shape::json::Reader<'_>,
    ) -> Result<Self> {
        match token {
            crate::shape::json::Token::Str(key) => Ok(SecurityKey(Some(key.into_owned()))),
            _ => Err(BillPayError::new(
                ErrorCode::InvalidType,
                "expected a string (the portal security key from BillPay)",
            )),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl crate::shape::typescript::TsType for SecurityKey {
    fn ts_name() -> String {
        "string".to_owned()
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    endpoint: String,
    credentials: Option<Credentials>,
    /// The merchant id, with the credentials or alone (a relay's client).
    merchant_id: Option<u32>,
    timeout_ms: u32,
    retries: u32,
}

/// `https://` everywhere; plain `http://` only to this machine (the sandbox,
/// a local relay).
#[inline(never)]
pub fn check_endpoint(endpoint: &str) -> Result<String> {
    let lower = endpoint.trim().to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(BillPayError::new(
            ErrorCode::InsecureEndpoint,
            format!(
                "the endpoint must be an https:// URL, got \"{}\"",
                clip(endpoint)
            ),
        )
        .at("endpoint"));
    };
    // WHATWG URL parsing, which fetch uses, reads "\\" like "/" and takes the
    // host after any "user:password@": refuse both rather than guess the
    // host differently from fetch ("http://127.0.0.1:80@evil.com").
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    if authority.contains('@') || endpoint.contains('\\') {
        return Err(BillPayError::new(
            ErrorCode::InvalidConfig,
            format!(
                "an endpoint has no user name, password or backslash, got \"{}\"",
                clip(endpoint)
            ),
        )
        .at("endpoint"));
    }
    // The service's name is appended to the path: after a query or a
    // fragment it would not reach BillPay as a service.
    if endpoint.contains(['?', '#']) {
        return Err(BillPayError::new(
            ErrorCode::InvalidConfig,
            format!(
                "an endpoint is a base URL without query or fragment (the service name is appended to its path), got \"{}\"",
                clip(endpoint)
            ),
        )
        .at("endpoint"));
    }
    // The host as fetch will read it, or nothing when fetch would read
    // something else or refuse the URL at the first request.
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, "")) => (host, None),
            Some((host, after)) => (host, Some(after.strip_prefix(':').unwrap_or("x"))),
            None => ("", None),
        },
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let v6 = authority.starts_with('[');
    let host_ok = !host.is_empty()
        && host.bytes().all(|b| {
            if v6 {
                b.is_ascii_hexdigit() || b == b':' || b == b'.'
            } else {
                b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
            }
        })
        && (v6 || name_or_address(host));
    // An empty port is the scheme's.
    let port_ok = port.map_or(true, |p| {
        p.is_empty()
            || (p.len() <= 5
                && p.bytes()
                    .try_fold(0u32, |n, b| {
                        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
                    })
                    .is_some_and(|n| (1..=65535).contains(&n)))
    });
    if !host_ok || !port_ok || endpoint.contains(char::is_whitespace) {
        return Err(BillPayError::new(
            ErrorCode::InvalidConfig,
            format!(
                "\"{}\" is not a URL with a host (letters, digits, dots and hyphens; an international name in its xn-- form) and a port of 1 to 65535",
                clip(endpoint)
            ),
        )
        .at("endpoint"));
    }
    let loopback = host == "localhost"
        || host == "::1"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|p| p.parse::<u8>().is_ok()));
    if !secure && !loopback {
        return Err(BillPayError::new(
            ErrorCode::InsecureEndpoint,
            format!(
                "BillPay is only spoken over https://; plain http is allowed to loopback addresses only, got \"{}\"",
                clip(endpoint)
            ),
        )
        .at("endpoint"));
    }
    let trimmed = endpoint.trim();
    Ok(trimmed.strip_suffix('/').unwrap_or(trimmed).to_owned())
}

/// A host name fetch reads as written: labels between single dots (one
/// trailing dot allowed) and, when the last one is a number, an IPv4 address
/// in four decimal parts without leading zeros (WHATWG URL would read
/// `1.2.3`, `0x7f.1` or `127.0.0.010` as other addresses, or refuse them).
fn name_or_address(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.split('.').any(str::is_empty) {
        return false;
    }
    let numeric = host
        .rsplit('.')
        .next()
        .and_then(|last| last.bytes().next())
        .is_some_and(|b| b.is_ascii_digit());
    !numeric || dotted_quad(host)
}

/// An IPv4 address in four decimal parts without leading zeros.
fn dotted_quad(text: &str) -> bool {
    text.split('.').count() == 4
        && text.split('.').all(|part| {
            !part.is_empty()
                && part.len() <= 3
                && (part == "0" || !part.starts_with('0'))
                && part
                    .bytes()
                    .try_fold(0u32, |n, b| {
                        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
                    })
                    .is_some_and(|n| n <= 255)
        })
}

/// An IPv6 address in its text forms: eight groups of 1 to 4 hex digits, or
/// fewer around one `::`, the last two possibly an IPv4 address.
fn ipv6(text: &str) -> bool {
    if text.len() > 45 {
        return false;
    }
    let (groups_text, tail_groups) = match text.rsplit_once(':') {
        Some((_, last)) if last.contains('.') => {
            if !dotted_quad(last) {
                return false;
            }
            let head = text.get(..text.len() - last.len()).unwrap_or("");
            // "::1.2.3.4" keeps its "::"; "::ffff:1.2.3.4" drops the colon before the tail.
            let head = if head.ends_with("::") {
                head
            } else {
                head.strip_suffix(':').unwrap_or(head)
            };
            (head, 2)
        }
        Some(_) => (text, 0),
        None => return false,
    };
    let groups = |side: &str| -> Option<usize> {
        if side.is_empty() {
            return Some(0);
        }
        side.split(':').try_fold(0, |n, group| {
            ((1..=4).contains(&group.len()) && group.bytes().all(|b| b.is_ascii_hexdigit()))
                .then_some(n + 1)
        })
    };
    let double = groups_text.as_bytes().windows(2).position(|w| w == b"::");
    match double {
        Some(at) => {
            let (left, right) = (
                groups_text.get(..at).unwrap_or(""),
                groups_text.get(at + 2..).unwrap_or(""),
            );
            match (groups(left), groups(right)) {
                (Some(l), Some(r)) => l + r + tail_groups <= 7,
                _ => false,
            }
        }
        None => groups(groups_text) == Some(8 - tail_groups),
    }
}

/// The customer's IP address for BillPay, whose DOC151 asks for IPv4: an
/// IPv4 address mapped into IPv6 (`::ffff:203.0.113.5`, what Node gives for
/// a client on a dual-stack server) goes as that IPv4 address, an IPv6
/// address as it is (BillPay's plug-ins sent the server's `REMOTE_ADDR`).
/// Anything else (a forwarded-for list, "unknown") is refused, not sent.
fn customer_ip(value: &Option<String>) -> Result<String> {
    let ip = value.as_deref().map(str::trim).unwrap_or("");
    if ip.is_empty() {
        return Ok(String::new());
    }
    // Control characters and lengths are judged as in every text field.
    crate::block::check_text(ip, 45, "ip")?;
    let mapped = ip
        .get(..7)
        .filter(|prefix| prefix.eq_ignore_ascii_case("::ffff:"))
        .and_then(|_| ip.get(7..))
        .filter(|rest| dotted_quad(rest));
    if let Some(v4) = mapped {
        return Ok(v4.to_owned());
    }
    if dotted_quad(ip) || ipv6(ip) {
        return Ok(ip.to_owned());
    }
    let mut message = String::from("an IP address is IPv4 (\"203.0.113.5\") or IPv6, got ");
    crate::shape::push_debug_str(&mut message, ip);
    Err(BillPayError::new(ErrorCode::InvalidInput, message).at("ip"))
}

impl Config {
    pub fn from_input(input: &ConfigInput) -> Result<Config> {
        let endpoint = check_endpoint(&input.endpoint)?;
        let merchant_id = config_number(
            &input.merchant_id,
            "merchantId",
            1,
            u32::MAX,
            "a BillPay id is a positive whole number",
        )?;
        let portal_id = config_number(
            &input.portal_id,
            "portalId",
            1,
            u32::MAX,
            "a BillPay id is a positive whole number",
        )?;
        let credentials = match (merchant_id, portal_id, input.security_key.0.as_deref()) {
            // A relay adds the credentials; the merchant id alone only names the merchant.
            (_, None, None) => None,
            (Some(mid), Some(pid), Some(key)) if !key.is_empty() => Some(Credentials::new(mid, pid, key)),
            _ => {
                return Err(BillPayError::new(
                    ErrorCode::MissingCredentials,
                    "give merchantId, portalId and securityKey together (or none, or merchantId alone, to talk to a relay that adds them)",
                ))
            }
        };
        let timeout_ms = config_number(
            &input.timeout_ms,
            "timeoutMs",
            1,
            120_000,
            "timeoutMs is 1 to 120000",
        )?
        .unwrap_or(DEFAULT_TIMEOUT_MS);
        let retries = config_number(&input.retries, "retries", 0, 5, "retries is 0 to 5")?
            .unwrap_or(DEFAULT_RETRIES);
        Ok(Config {
            endpoint,
            credentials,
            merchant_id,
            timeout_ms,
            retries,
        })
    }

    pub fn from_json(json: &str) -> Result<Config> {
        let input: ConfigInput = crate::shape::from_json(json)?;
        Config::from_input(&input)
    }

    pub fn url(&self, service: Service) -> String {
        format!("{}/{}", self.endpoint, service.name())
    }
}

/// What `send` learned besides the answer: whether an earlier attempt may
/// have reached BillPay although its answer was lost.
struct Sent {
    response: Result<Response>,
    answer_lost: bool,
}

pub struct Client<T> {
    config: Config,
    transport: T,
}

/// A configuration number within `min..=max` (absent: `None`); any other
/// number, whole or not, is `INVALID_CONFIG` with `rule` and what was given.
fn config_number(
    value: &Option<crate::shape::Number>,
    field: &str,
    min: u32,
    max: u32,
    rule: &str,
) -> Result<Option<u32>> {
    let Some(number) = value else {
        return Ok(None);
    };
    match number
        .within(i64::from(min), i64::from(max))
        .and_then(|n| u32::try_from(n).ok())
    {
        Some(n) => Ok(Some(n)),
        None => Err(BillPayError::new(
            ErrorCode::InvalidConfig,
            format!("{rule}, got {}", number.text),
        )
        .at(field)),
    }
}

fn transport_error(failure: TransportFailure, timeout_ms: u32) -> BillPayError {
    match failure {
        TransportFailure::Timeout => BillPayError::new(
            ErrorCode::Timeout,
            format!("BillPay did not answer within {timeout_ms} ms"),
        )
        .retryable(),
        TransportFailure::Network(detail) => BillPayError::new(
            ErrorCode::NetworkError,
            format!(
                "the request did not reach BillPay or its answer was lost: {}",
                clip(&detail)
            ),
        )
        .retryable(),
    }
}

/// The current total of an open order (what `invoiceCreated` and `cancel`
/// send): an open order always has something to pay, an order at 0 is a
/// cancelled one.
fn order_total(text: &str) -> Result<Amount> {
    let amount = Amount::parse_at(text, "amount")?;
    if amount == Amount::ZERO {
        return Err(BillPayError::new(
            ErrorCode::AmountOutOfRange,
            "an open order's total is at least 0.01",
        )
        .at("amount"));
    }
    Ok(amount)
}

/// BillPay refused to activate an order that is activated: the refusal with
/// its code and messages, as `ALREADY_ACTIVATED`, saying since when it is due.
fn already_activated(
    refusal: BillPayError,
    reference: &str,
    account: &BankAccount,
) -> BillPayError {
    let due = account
        .due_date
        .map(|date| date.to_string())
        .unwrap_or_default();
    BillPayError {
        code: ErrorCode::AlreadyActivated,
        message: format!(
            "order {reference} was already activated at BillPay (due {due}); this activation was refused: {}",
            refusal.message
        ),
        retryable: false,
        ..refusal
    }
}

/// A non-200 answer, and whether the request may have run at BillPay all
/// the same. The relay explains its own refusals in a `<data>` document with
/// `relay_error`; anything else is an HTTP error.
fn http_error(status: u16, body: &str) -> (BillPayError, bool) {
    if let Ok(root) = parse_document(body) {
        if let Some(code) = root.attribute("relay_error") {
            // BillPay's own HTTP error, passed on by the relay (as 502 for a
            // 4xx): judged by BillPay's status, as without a relay.
            if code == "HTTP_ERROR" {
                let upstream = root
                    .attribute("upstream_status")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(status);
                return (plain_http_error(upstream, true), gateway(upstream));
            }
            let message = root
                .attribute("merchant_message")
                .unwrap_or("refused by the relay");
            let code = match code {
                "SERVICE_NOT_ALLOWED" => ErrorCode::ServiceNotAllowed,
                "REQUEST_TOO_LARGE" => ErrorCode::RequestTooLarge,
                "MISSING_CREDENTIALS" => ErrorCode::MissingCredentials,
                "INVALID_INPUT" => ErrorCode::InvalidInput,
                "TIMEOUT" => ErrorCode::Timeout,
                "NETWORK_ERROR" => ErrorCode::NetworkError,
                // What the client itself says of an answer above 1 MiB, or
                // of one that is no BillPay answer.
                "ANSWER_TOO_LARGE" | "UNSAFE_ANSWER" => ErrorCode::InvalidResponse,
                // The relay's other refusals (NOT_AUTHORIZED, CROSS_ORIGIN,
                // UNKNOWN_HOST, ...): its words, under the HTTP error.
                _ => ErrorCode::HttpError,
            };
            let mut error = BillPayError::new(code, format!("relay: {message}"));
            // BillPay took the request when it timed out, dropped the
            // connection or answered (too much, or the wrong thing): it may
            // have run. An answer that large comes again: no retry.
            error.retryable = match code {
                ErrorCode::Timeout | ErrorCode::NetworkError => true,
                ErrorCode::HttpError => status >= 500,
                _ => false,
            };
            let ran = matches!(
                code,
                ErrorCode::Timeout | ErrorCode::NetworkError | ErrorCode::InvalidResponse
            );
            return (error, ran);
        }
    }
    (plain_http_error(status, false), gateway(status))
}

/// A gateway that gave up waiting (502, 504) may have left BillPay running
/// the request; BillPay's own statuses (500, 503, 4xx) did not run it.
fn gateway(status: u16) -> bool {
    matches!(status, 502 | 504)
}

fn plain_http_error(status: u16, via_relay: bool) -> BillPayError {
    // fetch does not follow redirects here (the request would go where the
    // answer says); a browser reports one as status 0.
    let message = if status == 0 || (300..400).contains(&status) {
        let status = if status == 0 {
            String::new()
        } else {
            format!(" (HTTP {status})")
        };
        let fix = if via_relay {
            "set the relay's upstream to BillPay's address itself"
        } else {
            "set the endpoint to BillPay's address itself"
        };
        format!("the endpoint answered with a redirect{status}; redirects are not followed: {fix}")
    } else {
        format!("BillPay answered HTTP {status} instead of 200")
    };
    let mut error = BillPayError::new(ErrorCode::HttpError, message);
    error.retryable = status >= 500;
    error
}

impl<T: Transport> Client<T> {
    pub fn new(config: Config, transport: T) -> Self {
        Client { config, transport }
    }

    /// One exchange with BillPay, with the retry policy. Boxed: every
    /// operation awaits it, and one state machine behind a pointer keeps the
    /// full module from carrying a copy of it per operation (-40 KB).
    fn send<'a>(&'a self, request: &'a Request) -> Pin<Box<dyn Future<Output = Sent> + 'a>> {
        Box::pin(self.exchange(request))
    }

    async fn exchange(&self, request: &Request) -> Sent {
        let service = request.service();
        let xml = match request.to_xml(self.config.credentials.as_ref()) {
            Ok(xml) => xml,
            Err(e) => {
                return Sent {
                    response: Err(e),
                    answer_lost: false,
                }
            }
        };
        let url = self.config.url(service);
        let attempts = if service.safe_to_repeat() {
            1 + self.config.retries
        } else {
            1
        };
        let mut answer_lost = false;
        let mut last = BillPayError::new(ErrorCode::NetworkError, "no attempt was made");
        for attempt in 0..attempts {
            if attempt > 0 {
                self.transport.pause(backoff_ms(attempt)).await;
            }
            let (error, may_have_run) = match self
                .transport
                .post(&url, &xml, self.config.timeout_ms)
                .await
            {
                Ok(answer) if answer.status == 200 => match parse_response(&answer.body) {
                    Ok(response) => {
                        return Sent {
                            response: Ok(response),
                            answer_lost,
                        }
                    }
                    // BillPay answered, an answer we cannot read: it ran;
                    // a web page instead of BillPay's answer did not.
                    Err(e) => {
                        let ran = e.code != ErrorCode::ApiError
                            && e.code != ErrorCode::PreauthorizationDenied
                            && !crate::protocol::is_html_page(&answer.body);
                        (e, ran)
                    }
                },
                Ok(answer) => http_error(answer.status, &answer.body),
                Err(failure) => (transport_error(failure, self.config.timeout_ms), true),
            };
            answer_lost |= may_have_run;
            if !error.retryable || !service.safe_to_repeat() {
                // A preauthorization, capture or order update that may have
                // reached BillPay is no error to repeat blindly: a second
                // one could be a second purchase.
                let mut error = error;
                error.retryable = false;
                if may_have_run && !service.safe_to_repeat() {
                    error.message.push_str(
                        " — it may have reached BillPay all the same: look the order up (bankData) before sending it again",
                    );
                }
                return Sent {
                    response: Err(error),
                    answer_lost,
                };
            }
            last = error;
        }
        if attempts > 1 {
            last.message = format!("{} (after {attempts} attempts)", last.message);
        }
        Sent {
            response: Err(last),
            answer_lost,
        }
    }

    /// The bank data in `response` for order `reference`; without an
    /// invoice reference from BillPay, `BP<reference>/<merchant id>` when
    /// this client knows the merchant id (a relay's client only if it was
    /// given one).
    fn bank_account_of(&self, response: &Response, reference: &str) -> Result<Option<BankAccount>> {
        // `reference` was checked by the caller; a merchant id is a number.
        // Without an order number (a preauthorization may have none yet)
        // there is no `BP<order number>/<merchant id>` to build.
        let fallback = self
            .config
            .merchant_id
            .filter(|_| !reference.is_empty())
            .map(|mid| {
                let mut text = String::with_capacity(reference.len() + 13);
                text.push_str("BP");
                text.push_str(reference);
                text.push('/');
                crate::shape::json::push_int(&mut text, i64::from(mid));
                text
            });
        response.bank_account_or(fallback.as_deref())
    }

    async fn call(&self, request: &Request) -> Result<Response> {
        self.send(request).await.response
    }

    /// `invoiceCreated`: starts the payment term; the due date comes back.
    /// An answer without a due date is refused: the order is not activated.
    pub async fn activate(&self, request: &ActivateInput) -> Result<BankAccount> {
        let call = request.to_request()?;
        let sent = self.send(&call).await;
        let response = match sent.response {
            Ok(response) => response,
            Err(error) if error.code == ErrorCode::ApiError => {
                // BillPay refused. If the order is activated all the same:
                // when an attempt of this call lost its answer, that attempt
                // activated it and its bank data is the answer; otherwise it
                // was activated before (another tab, an earlier call that
                // timed out) and this refusal may be for another reason (a
                // cancelled order, another amount), so it is not a success.
                return match self.bank_data(&request.reference).await {
                    Ok(account) if account.activated && account.due_date.is_some() => {
                        if sent.answer_lost {
                            Ok(account)
                        } else {
                            Err(already_activated(error, &request.reference, &account))
                        }
                    }
                    _ => Err(error),
                };
            }
            Err(error) => return Err(error),
        };
        // BillPay carried it out: whatever is wrong with the answer, sending
        // the activation again can only be refused.
        self.activated_account(&response, &request.reference)
    }

    /// The bank data of a confirmed activation, which must have a due date.
    #[inline(never)]
    fn activated_account(&self, response: &Response, reference: &str) -> Result<BankAccount> {
        // BillPay carried it out: whatever is wrong with the answer, sending
        // the activation again can only be refused.
        let account = self
            .required_account(
                response,
                reference,
                "BillPay's activation answer has no bank data",
            )
            .map_err(|mut e| {
                e.retryable = false;
                if e.code == ErrorCode::InvalidResponse {
                    e.message = format!(
                        "BillPay activated order {reference}, but its answer cannot be used ({}): do not activate it again; read its bank data (bankData) or check it in BillPay's back-office",
                        e.message
                    );
                }
                e
            })?;
        if account.due_date.is_none() {
            return Err(BillPayError::new(
                ErrorCode::MissingDueDate,
                "BillPay confirmed the activation without a due date: the order is not marked activated; check it in BillPay's back-office",
            ));
        }
        Ok(BankAccount {
            activated: true,
            ..account
        })
    }

    /// `cancel`: credits the whole order, before or after activation.
    pub async fn cancel(&self, request: &CancelInput) -> Result<()> {
        let sent = self.send(&request.to_request()?).await;
        match sent.response {
            Ok(_) => Ok(()),
            Err(mut error) if sent.answer_lost && error.code == ErrorCode::ApiError => {
                error.message = format!(
                    "{} — an earlier attempt lost its answer and has probably cancelled the order already; check it before trying again",
                    error.message
                );
                Err(error)
            }
            Err(error) => Err(error),
        }
    }

    /// `editCartContent` with the complete remaining cart (absolute, so a
    /// repeated request cannot credit twice). An empty cart is a cancel.
    pub async fn edit_cart(&self, reference: &str, currency: Currency, cart: &Cart) -> Result<()> {
        self.call(&edit_cart_request(reference, currency, cart)?)
            .await
            .map(|_| ())
    }

    /// Runs a plan (from planReturn / planDiscount) and returns the order as
    /// it is afterwards. The plan must have been made for this order's
    /// current cart.
    pub async fn apply(&self, order: &Order, plan: &PlanInput) -> Result<Order> {
        let (action, cart, total) = checked_plan(order, plan)?;
        let mut after = order.clone();
        match action {
            Action::Cancel => {
                self.cancel(&CancelInput {
                    reference: order.reference.clone(),
                    amount: total.to_string(),
                    currency: order.currency.code().to_owned(),
                })
                .await?;
                after.status = Status::Cancelled;
                after.cart = Cart::empty();
            }
            Action::EditCartContent => {
                crate::order::check_no_increase(&order.cart, &cart)
                    .map_err(|e| e.at("cart").at("plan"))?;
                self.edit_cart(&order.reference, order.currency, &cart)
                    .await?;
                after.cart = cart;
            }
        }
        Ok(after)
    }

    /// `getBillPayBankData`.
    pub async fn bank_data(&self, reference: &str) -> Result<BankAccount> {
        check_order_number(reference).map_err(|e| e.at("reference"))?;
        let call = Request::GetBillPayBankData {
            reference: reference.to_owned(),
        };
        let response = self.call(&call).await?;
        self.required_account(&response, reference, "BillPay's answer has no bank data")
    }

    /// The bank data in `response`, which must have some.
    #[inline(never)]
    fn required_account(
        &self,
        response: &Response,
        reference: &str,
        missing: &'static str,
    ) -> Result<BankAccount> {
        self.bank_account_of(response, reference)?
            .ok_or_else(|| BillPayError::new(ErrorCode::InvalidResponse, missing))
    }

    /// `moduleConfig`: is invoice active, and the order value limits.
    pub async fn module_config(&self, request: &ModuleConfigInput) -> Result<ModuleConfig> {
        let response = self.call(&request.to_request()?).await?;
        module_config_of(&response)
    }

    /// `preauthorize`: the credit check at checkout, on invoice or by direct
    /// debit. With auto-capture the order is created at once; an invoice's
    /// bank data comes back with it.
    pub async fn preauthorize(&self, request: &PreauthorizeInput) -> Result<Preauthorization> {
        let call = request.to_request()?;
        let response = self.call(&call).await?;
        self.preauthorization(request, &call, &response)
    }

    /// The outcome of a preauthorization: a refusal is an error.
    #[inline(never)]
    fn preauthorization(
        &self,
        request: &PreauthorizeInput,
        call: &Request,
        response: &Response,
    ) -> Result<Preauthorization> {
        let status = response.attribute("status").unwrap_or("").to_owned();
        if status == "DENIED" {
            // Refused without an error code: a refusal all the same (plug-ins
            // go on only for error 0 *and* APPROVED, reference §2.4).
            let text = |name: &str| response.attribute(name).unwrap_or("").to_owned();
            let (customer, merchant) = (text("customer_message"), text("merchant_message"));
            let mut error = BillPayError::new(
                ErrorCode::PreauthorizationDenied,
                format!(
                    "BillPay refused the purchase on invoice: {}",
                    if merchant.is_empty() {
                        &customer
                    } else {
                        &merchant
                    }
                ),
            );
            error.api_code = Some(0);
            error.customer_message = Some(customer);
            error.merchant_message = Some(merchant);
            return Err(error);
        }
        if status != "APPROVED" && status != "PRE_APPROVED" {
            return Err(BillPayError::new(
                ErrorCode::InvalidResponse,
                format!("unexpected preauthorization status \"{}\"", clip(&status)),
            ));
        }
        let debit = matches!(
            call,
            Request::Preauthorize {
                payment: Payment::DirectDebit(_),
                ..
            }
        );
        let redirect_url = if status == "PRE_APPROVED" {
            redirect_of(response).map_err(carried_out)?
        } else {
            None
        };
        Ok(Preauthorization {
            status,
            bptid: response.attribute("bptid").unwrap_or("").to_owned(),
            redirect_url,
            payment_type: if debit {
                PaymentType::DirectDebit
            } else {
                PaymentType::Invoice
            },
            // A debit order has no account for the customer to pay to: BillPay
            // answers none (the sandbox too), and an account it might send
            // anyway is its own, not one for the customer's invoice.
            bank_account: if debit {
                None
            } else if request.reference.is_empty() && !response.names_invoice_reference() {
                // No order number yet and no reference from BillPay: nothing
                // a customer could quote. `updateOrder` sets the number, and
                // `bankData` then returns the account with its reference.
                None
            } else {
                self.bank_account_of(response, &request.reference)
                    .map_err(carried_out)?
            },
        })
    }

    /// `capture` (two-step flow): assigns the claim; an invoice's bank data
    /// comes back. A direct debit's answer has none (reference §2.5), and
    /// an account it might carry anyway is BillPay's, not one to print.
    pub async fn capture(&self, request: &CaptureInput) -> Result<Option<BankAccount>> {
        let call = request.to_request()?;
        let response = self.call(&call).await?;
        if request.method()? == PaymentType::DirectDebit {
            return Ok(None);
        }
        self.required_account(
            &response,
            &request.reference,
            "the capture answer has no bank data",
        )
        .map(Some)
        .map_err(carried_out)
    }

    /// `updateOrder`: sets the order number after capture.
    pub async fn update_order(&self, request: &UpdateOrderInput) -> Result<()> {
        self.call(&request.to_request()?).await.map(|_| ())
    }
}

/// Where BillPay sends a PRE_APPROVED customer to go on
/// (`async_capture_params/external_redirect_url`, reference §2.4): a URL
/// the shop redirects a browser to, so https:// only (http to loopback).
fn redirect_of(response: &Response) -> Result<Option<String>> {
    let Some(url) = response
        .root
        .child("async_capture_params")
        .and_then(|params| params.child("external_redirect_url"))
        .and_then(crate::protocol::Element::text)
    else {
        return Ok(None);
    };
    match check_shop_url(url, "redirectUrl") {
        Ok(url) => Ok(Some(url)),
        Err(_) => Err(BillPayError::new(
            ErrorCode::InvalidResponse,
            format!(
                "the redirect URL it answered is not an https:// URL to send a customer to: \"{}\"",
                clip(url)
            ),
        )),
    }
}

/// An answer BillPay gave with `error_code` 0 to a request that creates the
/// order (preauthorize with auto-capture, capture), whose bank data cannot be
/// used: the order exists at BillPay, so sending the request again would be a
/// second purchase.
fn carried_out(error: BillPayError) -> BillPayError {
    BillPayError {
        retryable: false,
        message: format!(
            "BillPay accepted the order, but {}; do not send it again: the order exists at BillPay",
            error.message
        ),
        ..error
    }
}

// The synchronous halves of the operations: the request from what the
// caller passed, and the answer read from BillPay's response. Kept out of
// the `async fn`s: code in an async state machine reads its locals through
// the machine, and the full module was 40 KB of such machines.

/// The module configuration in BillPay's answer.
fn module_config_of(response: &Response) -> Result<ModuleConfig> {
    let root = &response.root;
    let flag = |element: &str, name: &str| {
        root.child(element)
            .and_then(|e| e.attribute(name))
            .is_some_and(|v| v.trim() == "1")
    };
    let amount = |element: &str, name: &str| -> Result<Option<Amount>> {
        match root.child(element).and_then(|e| e.attribute(name)) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Ok(None),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|c| Amount::from_cents(c).ok())
                .map(Some)
                .ok_or_else(|| {
                    BillPayError::new(
                        ErrorCode::InvalidResponse,
                        format!("{element}.{name} is not an amount in cents"),
                    )
                }),
        }
    };
    Ok(ModuleConfig {
        active: flag("permissions", "active"),
        invoice_allowed: flag("permissions", "invoiceallowed"),
        invoice_min: amount("minvalue", "invoice")?,
        invoice_max: amount("limit", "invoicestatic")?,
        invoice_business_allowed: flag("permissions", "invoicebusinessallowed"),
        invoice_business_min: amount("minvalue", "invoicebusiness")?,
        invoice_business_max: amount("limit", "invoicebusinessstatic")?,
        direct_debit_allowed: flag("permissions", "directdebitallowed"),
        direct_debit_min: amount("minvalue", "directdebit")?,
        direct_debit_max: amount("limit", "directdebitstatic")?,
    })
}

/// The `editCartContent` request for a cart that still has something to pay.
fn edit_cart_request(reference: &str, currency: Currency, cart: &Cart) -> Result<Request> {
    check_order_number(reference).map_err(|e| e.at("reference"))?;
    if cart.is_empty() {
        return Err(BillPayError::new(
            ErrorCode::EmptyCart,
            "an edit that leaves no article is a full credit: use cancel",
        )
        .at("cart"));
    }
    // A rebate that covers everything leaves nothing to pay: BillPay
    // takes that as a full credit, which is `cancel`.
    if cart.total_gross()? == Amount::ZERO {
        return Err(BillPayError::new(
            ErrorCode::EmptyCart,
            "an edit that leaves a total of 0 is a full credit: use cancel",
        )
        .at("cart"));
    }
    Ok(Request::EditCartContent {
        reference: reference.to_owned(),
        currency,
        cart: cart.clone(),
    })
}

/// What a plan does to `order`, its cart afterwards and the order's total
/// now, once the plan is known to be made for this order's current cart.
fn checked_plan(order: &Order, plan: &PlanInput) -> Result<(Action, Cart, Amount)> {
    if order.status == Status::Cancelled {
        return Err(BillPayError::new(
            ErrorCode::OrderCancelled,
            format!("order {} is cancelled", order.reference),
        ));
    }
    let before = Amount::parse_at(&plan.before, "before").map_err(|e| e.at("plan"))?;
    let total = order.cart.total_gross()?;
    if before != total {
        return Err(BillPayError::new(
            ErrorCode::StalePlan,
            format!(
                "the plan starts from {before} but the order's total is {total}: make a new plan"
            ),
        )
        .at("plan"));
    }
    let cart = Cart::from_input(&plan.cart).map_err(|e| e.at("cart").at("plan"))?;
    let after_total = Amount::parse_at(&plan.after, "after").map_err(|e| e.at("plan"))?;
    let credit = Amount::parse_at(&plan.credit, "credit").map_err(|e| e.at("plan"))?;
    let action = match plan.action.as_str() {
        "cancel" => Action::Cancel,
        // Nothing left to pay is a full credit (planDiscount makes that
        // a cancel; a plan made by hand may not).
        "editCartContent" if cart.total_gross()? == Amount::ZERO => Action::Cancel,
        "editCartContent" => Action::EditCartContent,
        other => {
            return Err(BillPayError::new(
                ErrorCode::InvalidInput,
                format!(
                    "plan.action is \"editCartContent\" or \"cancel\", got \"{}\"",
                    clip(other)
                ),
            )
            .at("action")
            .at("plan"))
        }
    };
    // The plan's figures are what the admin confirmed: they must be the
    // ones this plan sends.
    let sends = match action {
        Action::Cancel => Amount::ZERO,
        Action::EditCartContent => cart.total_gross()?,
    };
    if sends != after_total || total.checked_sub(after_total).ok() != Some(credit) {
        return Err(BillPayError::new(
                ErrorCode::StalePlan,
                format!(
                    "the plan says {before} - {credit} = {after_total}, but its cart comes to {sends}: make a new plan"
                ),
            )
            .at("plan"));
    }
    // A return of free articles credits nothing but still takes them off
    // BillPay's cart (planReturn makes such a plan); only a plan that leaves
    // the cart as it is changes nothing.
    if matches!(action, Action::EditCartContent) && credit == Amount::ZERO && cart == order.cart {
        return Err(
            BillPayError::new(ErrorCode::NothingToCredit, "the plan changes nothing").at("plan"),
        );
    }
    Ok((action, cart, total))
}

impl ActivateInput {
    fn to_request(&self) -> Result<Request> {
        check_order_number(&self.reference).map_err(|e| e.at("reference"))?;
        let amount = order_total(&self.amount)?;
        let currency = Currency::parse(&self.currency).map_err(|e| e.at("currency"))?;
        let delay_days = self.delay_days.unwrap_or(0);
        if delay_days > 365 {
            return Err(BillPayError::new(
                ErrorCode::InvalidInput,
                format!("delayDays is 0 to 365, got {delay_days}"),
            )
            .at("delayDays"));
        }
        Ok(Request::InvoiceCreated {
            reference: self.reference.clone(),
            amount,
            currency,
            delay_days,
        })
    }
}

impl CancelInput {
    fn to_request(&self) -> Result<Request> {
        check_order_number(&self.reference).map_err(|e| e.at("reference"))?;
        Ok(Request::Cancel {
            reference: self.reference.clone(),
            amount: order_total(&self.amount)?,
            currency: Currency::parse(&self.currency).map_err(|e| e.at("currency"))?,
        })
    }
}

impl CaptureInput {
    fn method(&self) -> Result<PaymentType> {
        self.payment_type
            .as_deref()
            .map_or(Ok(PaymentType::Invoice), |method| {
                PaymentType::parse(method).map_err(|e| e.at("paymentType"))
            })
    }

    fn to_request(&self) -> Result<Request> {
        self.method()?;
        check_order_number(&self.reference).map_err(|e| e.at("reference"))?;
        Ok(Request::Capture {
            bptid: self.bptid.clone(),
            amount: Amount::parse_at(&self.amount, "amount")?,
            currency: Currency::parse(&self.currency).map_err(|e| e.at("currency"))?,
            reference: self.reference.clone(),
            customer_id: customer_id(&self.customer_id)?,
        })
    }
}

impl UpdateOrderInput {
    fn to_request(&self) -> Result<Request> {
        check_order_number(&self.reference).map_err(|e| e.at("reference"))?;
        Ok(Request::UpdateOrder {
            bptid: self.bptid.clone(),
            reference: self.reference.clone(),
            id_updates: self
                .id_updates
                .iter()
                .map(|u| (u.article_id.clone(), u.update_id.clone()))
                .collect(),
        })
    }
}

impl ModuleConfigInput {
    fn to_request(&self) -> Result<Request> {
        let country = Country::parse(&self.country).map_err(|e| e.at("country"))?;
        let currency = Currency::parse(&self.currency).map_err(|e| e.at("currency"))?;
        let language = match self.language.as_deref() {
            None => crate::render::i18n::Locale::of_country(country),
            Some(tag) => crate::render::i18n::Locale::parse(tag).map_err(|e| e.at("language"))?,
        };
        Ok(Request::ModuleConfig {
            country,
            currency,
            language: language.tag().to_owned(),
        })
    }
}

crate::input_shape! {
    pub struct ActivateInput => "ActivateRequest" {
        /// The merchant order number.
        pub reference "reference": String,
        /// The order's amount as BillPay holds it, e.g. "113.70".
        pub amount "amount": String,
        pub currency "currency": String as Currency,
        /// Days BillPay waits before the payment term starts (0 to 365).
        pub delay_days "delayDays": Option<u32>,
    }
}

crate::input_shape! {
    pub struct CancelInput => "CancelRequest" {
        pub reference "reference": String,
        pub amount "amount": String,
        pub currency "currency": String as Currency,
    }
}

crate::input_shape! {
    pub struct EditCartInput => "EditCartRequest" {
        pub reference "reference": String,
        pub currency "currency": String as Currency,
        /// The complete remaining cart.
        pub cart "cart": CartInput,
    }
}

crate::input_shape! {
    pub struct PlanInput => "Plan" {
        pub action "action": String as crate::order::PlanAction,
        /// The complete cart after the change (empty for a cancel).
        pub cart "cart": CartInput,
        pub before "before": String,
        pub after "after": String,
        pub credit "credit": String,
    }
}

crate::input_shape! {
    pub struct ModuleConfigInput => "ModuleConfigRequest" {
        pub country "country": String as Country,
        pub currency "currency": String as Currency,
        /// Default: the country's language (nl in NL, de elsewhere).
        pub language "language": Option<String> as Option<crate::render::i18n::Locale>,
    }
}

crate::output_shape! {
    /// What BillPay offers this shop (moduleConfig).
    #[derive(Debug, PartialEq, Eq)]
    pub struct ModuleConfig => "ModuleConfig" {
        pub active "active": bool,
        pub invoice_allowed "invoiceAllowed": bool,
        pub invoice_min "invoiceMin": Option<Amount>,
        pub invoice_max "invoiceMax": Option<Amount>,
        /// Invoices to businesses (customer group "business"), with their own limits.
        pub invoice_business_allowed "invoiceBusinessAllowed": bool,
        pub invoice_business_min "invoiceBusinessMin": Option<Amount>,
        pub invoice_business_max "invoiceBusinessMax": Option<Amount>,
        /// SEPA direct debit (paymentType "directDebit"), with its own limits.
        pub direct_debit_allowed "directDebitAllowed": bool,
        pub direct_debit_min "directDebitMin": Option<Amount>,
        pub direct_debit_max "directDebitMax": Option<Amount>,
    }
}

crate::input_shape! {
    pub struct CaptureInput => "CaptureRequest" {
        pub bptid "bptid": String,
        pub reference "reference": String,
        pub amount "amount": String,
        pub currency "currency": String as Currency,
        /// Your customer number, 1 to 20 of 0-9 a-z A-Z . - _ / (BillPay's character set); none for a guest.
        pub customer_id "customerId": Option<String>,
        /// How the customer pays, as preauthorized (the preauthorization's paymentType); default "invoice". BillPay answers a direct debit's capture without an account: there is nothing to transfer.
        pub payment_type "paymentType": Option<String> as Option<PaymentType>,
    }
}

crate::input_shape! {
    pub struct IdUpdateInput => "IdUpdate" {
        pub article_id "articleId": String,
        pub update_id "updateId": String,
    }
}

crate::input_shape! {
    pub struct UpdateOrderInput => "UpdateOrderRequest" {
        pub bptid "bptid": String,
        pub reference "reference": String,
        pub id_updates "idUpdates": crate::shape::OptionalList<IdUpdateInput>,
    }
}

crate::input_shape! {
    pub struct AddressInput => "Address" {
        pub salutation "salutation": Option<String>,
        pub title "title": Option<String>,
        pub first_name "firstName": String,
        pub last_name "lastName": String,
        pub street "street": String,
        pub street_no "streetNo": Option<String>,
        pub address_addition "addressAddition": Option<String>,
        pub zip "zip": String,
        pub city "city": String,
        pub country "country": String as Country,
        pub phone "phone": Option<String>,
    }
}

crate::string_enum! {
    pub enum CustomerType => "CustomerType", ErrorCode::InvalidInput,
        "customerType is \"guest\", \"new\" or \"existing\"," {
        Guest = "guest",
        New = "new",
        Existing = "existing",
    }
}

crate::string_enum! {
    pub enum CustomerGroup => "CustomerGroup", ErrorCode::InvalidInput,
        "group is \"private\" or \"business\"," {
        Private = "private",
        Business = "business",
    }
}

crate::string_enum! {
    /// A company's legal form, as BillPay's codes name them (`legalForm`).
    pub enum LegalForm => "LegalForm", ErrorCode::InvalidInput,
        "legalForm is one of BillPay's codes (ag, eg, ek, ev, freelancer, gbr, gmbh, gmbh_ig, gmbh_co_kg, kg, ltd, ltd_co_kg, ohg, public_inst, misc_capital, misc, foundation, ug)," {
        Ag = "ag",
        Eg = "eg",
        Ek = "ek",
        Ev = "ev",
        Freelancer = "freelancer",
        Gbr = "gbr",
        Gmbh = "gmbh",
        GmbhIg = "gmbh_ig",
        GmbhCoKg = "gmbh_co_kg",
        Kg = "kg",
        Ltd = "ltd",
        LtdCoKg = "ltd_co_kg",
        Ohg = "ohg",
        PublicInst = "public_inst",
        MiscCapital = "misc_capital",
        Misc = "misc",
        Foundation = "foundation",
        Ug = "ug",
    }
}

crate::input_shape! {
    /// A business customer's company (BillPay's `company_details`), which BillPay's check of a business reads.
    pub struct CompanyInput => "Company" {
        /// As registered, 1 to 100 characters.
        pub name "name": String,
        pub legal_form "legalForm": String as LegalForm,
        /// Trade register number ("HRB 12345"), if the company is registered.
        pub register_number "registerNumber": Option<String>,
        /// The owner's name, for a sole trader or a partnership.
        pub holder_name "holderName": Option<String>,
        /// VAT id or tax number.
        pub tax_number "taxNumber": Option<String>,
    }
}

crate::input_shape! {
    /// The buyer (billing address and contact).
    pub struct CustomerInput => "Customer" {
        /// Your customer number, 1 to 20 of 0-9 a-z A-Z . - _ / (BillPay's character set); none for a guest.
        pub customer_id "customerId": Option<String>,
        pub customer_type "customerType": Option<String> as Option<CustomerType>,
        /// Default "private"; "business" when `company` is given.
        pub group "group": Option<String> as Option<CustomerGroup>,
        /// A business customer's company (group "business" only).
        pub company "company": Option<CompanyInput>,
        pub salutation "salutation": Option<String>,
        pub title "title": Option<String>,
        pub first_name "firstName": String,
        pub last_name "lastName": String,
        pub street "street": String,
        pub street_no "streetNo": Option<String>,
        pub address_addition "addressAddition": Option<String>,
        pub zip "zip": String,
        pub city "city": String,
        pub country "country": String as Country,
        pub phone "phone": Option<String>,
        pub email "email": String,
        /// "YYYY-MM-DD" (B2C needs it).
        pub birthday "birthday": Option<String>,
        /// Default: the country's language (nl in NL, de elsewhere).
        pub language "language": Option<String> as Option<crate::render::i18n::Locale>,
        /// The customer's IP address: IPv4 as BillPay documents it, or IPv6; an IPv4 address mapped into IPv6 (`::ffff:203.0.113.5`, as Node gives it) is sent as IPv4.
        pub ip "ip": Option<String>,
    }
}

impl CustomerInput {
    fn address(&self) -> AddressInput {
        AddressInput {
            salutation: self.salutation.clone(),
            title: self.title.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            street: self.street.clone(),
            street_no: self.street_no.clone(),
            address_addition: self.address_addition.clone(),
            zip: self.zip.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
            phone: self.phone.clone(),
        }
    }
}

crate::string_enum! {
    /// How the customer pays (BillPay's `paymenttype`): on invoice (1) or by
    /// SEPA direct debit (2). PayLater and transaction credit need rate plans,
    /// which this client does not offer.
    pub enum PaymentType => "PaymentType", ErrorCode::UnsupportedMethod,
        "paymentType is \"invoice\" or \"directDebit\" (PayLater and transaction credit are not offered at checkout)," {
        Invoice = "invoice",
        DirectDebit = "directDebit",
    }
}

crate::input_shape! {
    /// The customer's own account, which BillPay debits (direct debit only);
    /// sent as BillPay's `bank_account accountholder accountnumber sortcode`.
    pub struct DebitAccountInput => "DebitAccount" {
        /// As on the account, 1 to 100 characters.
        pub account_holder "accountHolder": String,
        /// In a SEPA country; spaces and lower case are fine.
        pub iban "iban": String,
        /// Required with an Austrian IBAN (BillPay's module asked for it there), optional elsewhere.
        pub bic "bic": Option<String>,
    }
}

crate::input_shape! {
    pub struct PreauthorizeInput => "PreauthorizeRequest" {
        /// The merchant order number; may be "" and set later with updateOrder.
        pub reference "reference": String,
        pub currency "currency": String as Currency,
        pub customer "customer": CustomerInput,
        pub shipping_address "shippingAddress": Option<AddressInput>,
        pub cart "cart": CartInput,
        /// Default true: the order is created at once (and, on invoice, its bank data returned).
        pub auto_capture "autoCapture": Option<bool>,
        /// Default "invoice". "directDebit": EUR, customers in DE or AT, with `debitAccount`.
        pub payment_type "paymentType": Option<String> as Option<PaymentType>,
        /// The customer's account, for "directDebit" only.
        pub debit_account "debitAccount": Option<DebitAccountInput>,
        /// Where BillPay posts its later decision when it answers PRE_APPROVED (read it with parseCaptureCallback); https:// (http only to loopback), with your own secret in the query: BillPay does not sign the callback.
        pub notify_url "notifyUrl": Option<String>,
        /// Where BillPay sends the customer back after a step on its pages (PRE_APPROVED flows), if any.
        pub redirect_url "redirectUrl": Option<String>,
        /// Whether the customer accepted BillPay's terms and privacy notice (renderCheckoutNotice); pass your checkbox's value. false is refused before anything is sent (BillPay may not be asked without that consent); left out, calling preauthorize says it was given.
        pub terms_accepted "termsAccepted": Option<bool>,
    }
}

/// A URL of the shop's that BillPay calls or sends the customer to: the
/// endpoint's rules for scheme and host, a query allowed (the shop's token),
/// nothing that would end the CDATA section it is written in.
#[inline(never)]
fn check_shop_url(url: &str, field: &str) -> Result<String> {
    let trimmed = url.trim();
    if trimmed.len() > 2000
        || trimmed.as_bytes().windows(3).any(|w| w == b"]]>")
        || trimmed.contains(|c: char| c.is_control() || c.is_whitespace())
    {
        return Err(BillPayError::new(
            ErrorCode::InvalidInput,
            format!(
                "a URL of at most 2000 characters without spaces or control characters, got \"{}\"",
                clip(trimmed)
            ),
        )
        .at(field));
    }
    let base = trimmed.split(['?', '#']).next().unwrap_or("");
    check_endpoint(base).map_err(|e| {
        let insecure = e.code == ErrorCode::InsecureEndpoint;
        BillPayError::new(
            if insecure {
                ErrorCode::InsecureEndpoint
            } else {
                ErrorCode::InvalidInput
            },
            format!(
                "{}, got \"{}\"",
                if insecure {
                    "BillPay calls https:// URLs (plain http only on loopback addresses)"
                } else {
                    "a URL with a host, without user name, password or backslash"
                },
                clip(trimmed)
            ),
        )
        .at(field)
    })?;
    Ok(trimmed.to_owned())
}

/// BillPay offered direct debit (SEPA, EUR) to customers in Germany and
/// Austria (reference §4; the sandbox answers others with DENIED 103).
const DEBIT_COUNTRIES: [Country; 2] = [Country::De, Country::At];

impl DebitAccountInput {
    fn check(&self) -> Result<crate::protocol::DebitAccount> {
        let holder = crate::block::check_text(&self.account_holder, 100, "accountHolder")?;
        let iban = crate::iban::Iban::parse(&self.iban).map_err(|e| e.at("iban"))?;
        if !crate::qr::epc::is_sepa_country(iban.country()) {
            return Err(BillPayError::new(
                ErrorCode::UnsupportedCountry,
                format!(
                    "a SEPA direct debit needs an account in the SEPA area, got a {} IBAN",
                    iban.country()
                ),
            )
            .at("iban"));
        }
        let bic = match self.bic.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(bic) => Some(crate::iban::Bic::parse(bic).map_err(|e| e.at("bic"))?),
        };
        // BillPay's module 1.7.11 requires the BIC with Austrian IBANs only
        // (`requireIBAN`); elsewhere the IBAN routes the debit.
        if bic.is_none() && iban.country() == "AT" {
            return Err(BillPayError::new(
                ErrorCode::MissingField,
                "BillPay needs the BIC with an Austrian IBAN",
            )
            .at("bic"));
        }
        Ok(crate::protocol::DebitAccount { holder, iban, bic })
    }
}

/// The merchant's customer number as BillPay takes it in `customerid`
/// (DOC151: the order number's characters, AN..20); absent or blank: none,
/// as for a guest.
fn customer_id(value: &Option<String>) -> Result<String> {
    let Some(id) = value.as_deref().filter(|v| !v.trim().is_empty()) else {
        return Ok(String::new());
    };
    let fits =
        id.len() <= MAX_CUSTOMER_ID_LEN && id.bytes().all(crate::reference::is_reference_byte);
    if fits {
        return Ok(id.to_owned());
    }
    Err(BillPayError::new(
        ErrorCode::InvalidText,
        crate::money::quoted("a customer id has 1 to 20 of 0-9 a-z A-Z . - _ /, got ", id),
    )
    .at("customerId"))
}

/// `customerid` is AN..20 (DOC151, preauthorize's customer details).
const MAX_CUSTOMER_ID_LEN: usize = 20;

fn text(value: &Option<String>, max: usize, path: &str) -> Result<String> {
    match value.as_deref() {
        None => Ok(String::new()),
        Some(v) if v.trim().is_empty() => Ok(String::new()),
        Some(v) => crate::block::check_text(v, max, path),
    }
}

fn company_of(input: &CompanyInput) -> Result<crate::protocol::Company> {
    Ok(crate::protocol::Company {
        name: crate::block::check_text(&input.name, 100, "name")?,
        legal_form: LegalForm::parse(&input.legal_form)
            .map_err(|e| e.at("legalForm"))?
            .as_str(),
        register_number: text(&input.register_number, 50, "registerNumber")?,
        holder_name: text(&input.holder_name, 100, "holderName")?,
        tax_number: text(&input.tax_number, 50, "taxNumber")?,
    })
}

fn address(input: &AddressInput) -> Result<crate::protocol::Address> {
    Ok(crate::protocol::Address {
        salutation: text(&input.salutation, 20, "salutation")?,
        title: text(&input.title, 20, "title")?,
        first_name: crate::block::check_text(&input.first_name, 50, "firstName")?,
        last_name: crate::block::check_text(&input.last_name, 50, "lastName")?,
        street: crate::block::check_text(&input.street, 50, "street")?,
        street_no: text(&input.street_no, 10, "streetNo")?,
        address_addition: text(&input.address_addition, 50, "addressAddition")?,
        zip: crate::block::check_text(&input.zip, 10, "zip")?,
        city: crate::block::check_text(&input.city, 50, "city")?,
        country: Country::parse(&input.country).map_err(|e| e.at("country"))?,
        phone: text(&input.phone, 30, "phone")?,
    })
}

impl PreauthorizeInput {
    fn to_request(&self) -> Result<Request> {
        // BillPay's `tcaccepted`: a shop must not go on without the consent
        // (DOC151 §4), so a checkbox left unticked stops here, not at BillPay.
        if self.terms_accepted == Some(false) {
            return Err(BillPayError::new(
                ErrorCode::InvalidInput,
                "the customer has not accepted BillPay's terms and privacy notice; BillPay may only be asked with that consent (show renderCheckoutNotice)",
            )
            .at("termsAccepted"));
        }
        // The reference may be empty at preauthorization (set later with
        // updateOrder); when given it must be a valid order number.
        if !self.reference.is_empty() {
            check_order_number(&self.reference).map_err(|e| e.at("reference"))?;
        }
        let currency = Currency::parse(&self.currency).map_err(|e| e.at("currency"))?;
        let cart = Cart::from_input(&self.cart).map_err(|e| e.at("cart"))?;
        if cart.is_empty() {
            return Err(BillPayError::new(
                ErrorCode::EmptyCart,
                "a purchase has at least one article",
            )
            .at("cart"));
        }
        if cart.total_gross()? == Amount::ZERO {
            return Err(BillPayError::new(
                ErrorCode::EmptyCart,
                "a purchase has something to pay (BillPay refuses a total of 0)",
            )
            .at("cart"));
        }
        let c = &self.customer;
        let at_customer = |e: BillPayError| e.at("customer");
        let base = address(&c.address()).map_err(at_customer)?;
        let email = crate::block::check_text(&c.email, 100, "email").map_err(at_customer)?;
        if !email.contains('@') {
            return Err(
                BillPayError::new(ErrorCode::InvalidText, "is not an e-mail address")
                    .at("email")
                    .at("customer"),
            );
        }
        let birthday = c
            .birthday
            .as_deref()
            .map(|d| Date::parse_iso_at(d, "birthday").map_err(at_customer))
            .transpose()?;
        let customer_type = match c.customer_type.as_deref().map(CustomerType::parse) {
            None | Some(Ok(CustomerType::Guest)) => 'g',
            Some(Ok(CustomerType::New)) => 'n',
            Some(Ok(CustomerType::Existing)) => 'e',
            Some(Err(e)) => return Err(e.at("customerType").at("customer")),
        };
        let company = c
            .company
            .as_ref()
            .map(|company| company_of(company).map_err(|e| e.at("company").at("customer")))
            .transpose()?;
        let group = match (c.group.as_deref().map(CustomerGroup::parse), &company) {
            (None, Some(_)) | (Some(Ok(CustomerGroup::Business)), _) => 'b',
            (None, None) => 'p',
            (Some(Ok(CustomerGroup::Private)), None) => 'p',
            (Some(Ok(CustomerGroup::Private)), Some(_)) => {
                return Err(BillPayError::new(
                    ErrorCode::InvalidInput,
                    "a company belongs to a business customer: leave it out, or give group \"business\"",
                )
                .at("company")
                .at("customer"))
            }
            (Some(Err(e)), _) => return Err(e.at("group").at("customer")),
        };
        let language = match c.language.as_deref() {
            None => crate::render::i18n::Locale::of_country(base.country),
            Some(tag) => crate::render::i18n::Locale::parse(tag)
                .map_err(|e| e.at("language").at("customer"))?,
        };
        let customer = crate::protocol::Customer {
            customer_id: customer_id(&c.customer_id).map_err(at_customer)?,
            customer_type,
            salutation: base.salutation,
            title: base.title,
            first_name: base.first_name,
            last_name: base.last_name,
            street: base.street,
            street_no: base.street_no,
            address_addition: base.address_addition,
            zip: base.zip,
            city: base.city,
            country: base.country,
            email,
            phone: base.phone,
            birthday,
            language: language.tag().to_owned(),
            ip: customer_ip(&c.ip).map_err(at_customer)?,
            group,
            company,
        };
        let shipping = self
            .shipping_address
            .as_ref()
            .map(|a| address(a).map_err(|e| e.at("shippingAddress")))
            .transpose()?
            .map(Box::new);
        let payment = self.payment(currency, customer.country)?;
        // BillPay's module asked Dutch invoice customers for a phone number
        // (billpay.php isPhoneRequired): BillPay reaches them by phone.
        if matches!(payment, Payment::Invoice)
            && customer.country == Country::Nl
            && customer.phone.is_empty()
        {
            return Err(BillPayError::new(
                ErrorCode::MissingField,
                "BillPay needs a phone number of invoice customers in the Netherlands",
            )
            .at("phone")
            .at("customer"));
        }
        let url = |value: &Option<String>, field: &str| {
            value
                .as_deref()
                .filter(|v| !v.trim().is_empty())
                .map(|v| check_shop_url(v, field))
                .transpose()
        };
        let notify_url = url(&self.notify_url, "notifyUrl")?;
        let redirect_url = url(&self.redirect_url, "redirectUrl")?;
        Ok(Request::Preauthorize {
            notify_url,
            redirect_url,
            auto_capture: self.auto_capture.unwrap_or(true),
            payment,
            customer: Box::new(customer),
            shipping,
            cart,
            currency,
            reference: self.reference.clone(),
        })
    }
}

impl PreauthorizeInput {
    /// The payment method and, for a direct debit, the customer's checked
    /// account. A debit is a SEPA debit (EUR) for customers in DE or AT.
    fn payment(&self, currency: Currency, country: Country) -> Result<Payment> {
        let method = match self.payment_type.as_deref().map(PaymentType::parse) {
            None => PaymentType::Invoice,
            Some(method) => method.map_err(|e| e.at("paymentType"))?,
        };
        match (method, &self.debit_account) {
            (PaymentType::Invoice, None) => Ok(Payment::Invoice),
            (PaymentType::Invoice, Some(_)) => Err(BillPayError::new(
                ErrorCode::InvalidInput,
                "a debit account belongs to paymentType \"directDebit\"; an invoice is paid by transfer to BillPay",
            )
            .at("debitAccount")),
            (PaymentType::DirectDebit, None) => Err(BillPayError::new(
                ErrorCode::MissingField,
                "direct debit needs the customer's account: debitAccount { accountHolder, iban, bic? }",
            )
            .at("debitAccount")),
            (PaymentType::DirectDebit, Some(account)) => {
                if currency != Currency::Eur {
                    return Err(BillPayError::new(
                        ErrorCode::UnsupportedCurrency,
                        format!(
                            "direct debit is a SEPA debit in EUR, not {}",
                            currency.code()
                        ),
                    )
                    .at("currency"));
                }
                if !DEBIT_COUNTRIES.contains(&country) {
                    return Err(BillPayError::new(
                        ErrorCode::UnsupportedCountry,
                        format!(
                            "BillPay offers direct debit to customers in DE and AT, not {}",
                            country.as_str()
                        ),
                    )
                    .at("country")
                    .at("customer"));
                }
                account
                    .check()
                    .map(Payment::DirectDebit)
                    .map_err(|e| e.at("debitAccount"))
            }
        }
    }
}

crate::output_shape! {
    /// BillPay's yes to a purchase on invoice or by direct debit.
    #[derive(Debug)]
    pub struct Preauthorization => "Preauthorization" {
        pub status "status": String as PreauthorizationStatus,
        /// BillPay's transaction id.
        pub bptid "bptid": String,
        /// How the customer pays, as requested: the `method` of the order's payment block.
        pub payment_type "paymentType": PaymentType,
        /// Invoice with auto-capture: the account the customer transfers to (not activated yet). Never for direct debit: BillPay debits the customer's account, there is nothing to transfer.
        pub bank_account "bankAccount": Option<BankAccount>,
        /// PRE_APPROVED: where to send the customer to complete the purchase on BillPay's pages (BillPay's external_redirect_url); BillPay then posts its decision to your notifyUrl.
        pub redirect_url "redirectUrl": Option<String>,
    }
}

crate::string_enum! {
    pub enum PreauthorizationStatus => "PreauthorizationStatus", ErrorCode::InvalidResponse,
        "status is \"APPROVED\" or \"PRE_APPROVED\"," {
        Approved = "APPROVED",
        PreApproved = "PRE_APPROVED",
    }
}

#[cfg(test)]
mod tests;
