use super::*;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Runs a future whose awaits all complete at once (the scripted transport).
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
    }
}

enum Step {
    Answer(u16, &'static str),
    Timeout,
    Drop,
}

#[derive(Default)]
struct Scripted {
    steps: RefCell<VecDeque<Step>>,
    seen: RefCell<Vec<(String, String)>>,
}

impl Scripted {
    fn new(steps: Vec<Step>) -> Self {
        Scripted {
            steps: RefCell::new(steps.into()),
            seen: RefCell::default(),
        }
    }
    fn urls(&self) -> Vec<String> {
        self.seen.borrow().iter().map(|(u, _)| u.clone()).collect()
    }
}

impl Transport for &Scripted {
    async fn post(
        &self,
        url: &str,
        body: &str,
        _timeout_ms: u32,
    ) -> std::result::Result<HttpResponse, TransportFailure> {
        self.seen
            .borrow_mut()
            .push((url.to_owned(), body.to_owned()));
        match self.steps.borrow_mut().pop_front() {
            Some(Step::Answer(status, body)) => Ok(HttpResponse {
                status,
                body: body.to_owned(),
            }),
            Some(Step::Timeout) => Err(TransportFailure::Timeout),
            Some(Step::Drop) | None => Err(TransportFailure::Network("connection reset".into())),
        }
    }
}

const ACTIVATED: &str = r#"<data error_code="0" customer_message="" merchant_message=""><invoice_bank_account account_holder="BillPay GmbH" account_number="DE07123412341234123412" bank_code="BELADEBEXXX" bank_name="Sparkasse" invoice_reference="BP1001/4441" invoice_duedate="20261226" activation_performed="1"/></data>"#;
const OK: &str = r#"<data error_code="0" customer_message="" merchant_message=""/>"#;

fn client(transport: &Scripted, retries: u32) -> Client<&Scripted> {
    let config = Config::from_json(&format!(
        r#"{{"endpoint":"http://127.0.0.1:8089/xml/offline/","merchantId":4441,"portalId":6021,"securityKey":"12345678","retries":{retries}}}"#
    ))
    .unwrap();
    Client::new(config, transport)
}

fn activate() -> ActivateInput {
    ActivateInput {
        reference: "1001".into(),
        amount: "113.70".into(),
        currency: "EUR".into(),
        delay_days: Some(0),
    }
}

#[test]
fn endpoints_must_be_https_except_loopback() {
    for ok in [
        "https://api.billpay.de/xml",
        "http://127.0.0.1:8089/xml/offline",
        "http://localhost:3000/relay",
        "http://[::1]:8089/x",
        "HTTPS://example.com",
    ] {
        assert!(check_endpoint(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://api.billpay.de/xml",
        "http://127.0.0.1.evil.com/x",
        "http://localhost.evil.com",
        "ftp://x",
        "api.billpay.de",
        "http://10.0.0.1/",
        "javascript:alert(1)",
    ] {
        assert_eq!(
            check_endpoint(bad).unwrap_err().code,
            ErrorCode::InsecureEndpoint,
            "{bad}"
        );
    }
    // fetch (WHATWG URL) would go to evil.com: user info and backslashes are refused.
    for crafted in [
        "http://user@evil.com",
        "http://127.0.0.1:80@evil.com/xml",
        "http://localhost:1@evil.com/xml",
        "http://[::1]@evil.com/xml",
        "http://evil.com\\@127.0.0.1/xml",
        "https://user:secret@api.billpay.de/xml",
    ] {
        assert_eq!(
            check_endpoint(crafted).unwrap_err().code,
            ErrorCode::InvalidConfig,
            "{crafted}"
        );
    }
    assert_eq!(
        check_endpoint("https:///x").unwrap_err().code,
        ErrorCode::InvalidConfig
    );
    assert_eq!(
        check_endpoint("http://localhost/x/").unwrap(),
        "http://localhost/x"
    );
}

#[test]
fn credentials_come_all_together_or_not_at_all() {
    assert!(Config::from_json(r#"{"endpoint":"https://shop.example/relay"}"#).is_ok());
    let e = Config::from_json(r#"{"endpoint":"https://x.example","merchantId":1}"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::MissingCredentials);
    let e = Config::from_json(r#"{"endpoint":"https://x.example","retries":9}"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidConfig);
}

#[test]
fn activation_returns_the_due_date() {
    let t = Scripted::new(vec![Step::Answer(200, ACTIVATED)]);
    let account = run(client(&t, 2).activate(&activate())).unwrap();
    assert_eq!(account.due_date.unwrap().to_string(), "2026-12-26");
    assert_eq!(
        t.urls(),
        ["http://127.0.0.1:8089/xml/offline/invoiceCreated"]
    );
    assert!(t.seen.borrow()[0]
        .1
        .contains(r#"bpsecure="25d55ad283aa400af464c76d713c07ad""#));
}

#[test]
fn activation_without_due_date_is_refused() {
    let t = Scripted::new(vec![Step::Answer(
        200,
        r#"<data error_code="0"><invoice_bank_account account_holder="BillPay GmbH" account_number="DE07123412341234123412" bank_code="BELADEBEXXX" bank_name="S" invoice_reference="BP1/1" invoice_duedate="" activation_performed="1"/></data>"#,
    )]);
    assert_eq!(
        run(client(&t, 0).activate(&activate())).unwrap_err().code,
        ErrorCode::MissingDueDate
    );
}

#[test]
fn transport_failures_are_retried_for_safe_services() {
    let t = Scripted::new(vec![
        Step::Drop,
        Step::Answer(500, "oops"),
        Step::Answer(200, ACTIVATED),
    ]);
    assert!(run(client(&t, 2).activate(&activate())).is_ok());
    assert_eq!(t.urls().len(), 3);
    let t = Scripted::new(vec![Step::Timeout, Step::Timeout, Step::Timeout]);
    let e = run(client(&t, 2).activate(&activate())).unwrap_err();
    assert_eq!(e.code, ErrorCode::Timeout);
    assert!(e.retryable && e.message.contains("after 3 attempts"));
    let t = Scripted::new(vec![
        Step::Answer(200, "<data error_code="),
        Step::Answer(200, ""),
        Step::Answer(200, OK),
    ]);
    let cancel = CancelInput {
        reference: "1001".into(),
        amount: "1.00".into(),
        currency: "EUR".into(),
    };
    assert!(run(client(&t, 2).cancel(&cancel)).is_ok());
}

#[test]
fn api_errors_are_not_retried_and_carry_the_messages() {
    let t = Scripted::new(vec![Step::Answer(
        200,
        r#"<data error_code="105" customer_message="Kunde" merchant_message="higher total refused"/>"#,
    )]);
    let cart = Cart::from_json(r#"{"articles":[{"articleId":"a","name":"A","quantity":1,"unitNet":"1.00","unitGross":"1.00"}],"shipping":{"net":"0","gross":"0"},"rebate":{"net":"0","gross":"0"}}"#).unwrap();
    let e = run(client(&t, 2).edit_cart("1001", Currency::Eur, &cart)).unwrap_err();
    assert_eq!(
        (e.code, e.api_code, e.retryable),
        (ErrorCode::ApiError, Some(105), false)
    );
    assert_eq!(e.merchant_message.as_deref(), Some("higher total refused"));
    assert_eq!(t.urls().len(), 1);
}

#[test]
fn preauthorization_is_never_repeated() {
    let t = Scripted::new(vec![Step::Drop, Step::Answer(200, OK)]);
    let request: PreauthorizeInput = crate::error::from_json(r#"{"reference":"1001","currency":"EUR","customer":{"firstName":"Erika","lastName":"Mustermann","street":"Heidestraße 17","zip":"51147","city":"Köln","country":"DE","email":"erika@example.com","birthday":"1985-09-11"},"cart":{"articles":[{"articleId":"a","name":"A","quantity":1,"unitNet":"1.00","unitGross":"1.19"}],"shipping":{"net":"0","gross":"0"},"rebate":{"net":"0","gross":"0"}}}"#).unwrap();
    let e = run(client(&t, 5).preauthorize(&request)).unwrap_err();
    assert_eq!(e.code, ErrorCode::NetworkError);
    assert_eq!(t.urls().len(), 1);
    let body = &t.seen.borrow()[0].1;
    assert!(
        body.contains(r#"capturerequestnecessary="0""#)
            && body.contains(r#"country="DEU""#)
            && body.contains(r#"birthday="19850911""#),
        "{body}"
    );
}

#[test]
fn a_lost_activation_answer_is_recovered_from_the_bank_data() {
    // The first attempt was carried out but its answer lost; the retry is
    // refused as "already activated"; the bank data shows the due date.
    let t = Scripted::new(vec![
        Step::Drop,
        Step::Answer(
            200,
            r#"<data error_code="71" customer_message="" merchant_message="already activated"/>"#,
        ),
        Step::Answer(200, ACTIVATED),
    ]);
    let account = run(client(&t, 2).activate(&activate())).unwrap();
    assert!(account.activated);
    assert!(t.urls()[2].ends_with("/getBillPayBankData"));
}

#[test]
fn relay_refusals_are_named() {
    let t = Scripted::new(vec![Step::Answer(
        403,
        r#"<data error_code="1" relay_error="SERVICE_NOT_ALLOWED" customer_message="" merchant_message="the relay does not forward preauthorize"/>"#,
    )]);
    let request = ModuleConfigInput {
        country: "DE".into(),
        currency: "EUR".into(),
        language: None,
    };
    let e = run(client(&t, 2).module_config(&request)).unwrap_err();
    assert_eq!(e.code, ErrorCode::ServiceNotAllowed);
    assert_eq!(t.urls().len(), 1);
}
