//! The full module's extras: `BillPayClient`'s engine (a class whose
//! methods `crate::exports` lists; the JS glue wraps it) and the relay's
//! helpers (`pkg/relay.js`).

use crate::client::Client as Engine;
use crate::exports::client_boundary;
use crate::BillPayError;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn thrown(error: BillPayError) -> JsValue {
    JsValue::from_str(&error.to_json())
}

/// `fetch` from the global scope is the transport (browsers, workers, Node ≥ 20).
#[wasm_bindgen]
pub struct Client {
    engine: Rc<Engine<super::fetch::FetchTransport>>,
}

#[wasm_bindgen]
impl Client {
    #[wasm_bindgen(constructor)]
    pub fn new(config: &str) -> Result<Client, JsValue> {
        let config = client_boundary::config(config).map_err(thrown)?;
        Ok(Client {
            engine: Rc::new(Engine::new(config, super::fetch::FetchTransport)),
        })
    }
}

/// One promise type for every operation (a future per operation would put
/// a copy of the promise machinery into the module for each).
fn promise(operation: Pin<Box<dyn Future<Output = crate::Result<String>>>>) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        operation
            .await
            .map(|json| JsValue::from_str(&json))
            .map_err(thrown)
    })
}

macro_rules! wasm_client_methods {
    ($(
        $(#[doc = $doc:literal])*
        fn $js:ident = $rust:ident ($($param:ident : $kind:ident ($pty:ty)),* $(,)?)
            -> $ret:ident $(($rty:ty))?;
    )*) => {
        #[wasm_bindgen]
        impl Client {
            $(
                #[wasm_bindgen(js_name = $js)]
                pub fn $rust(&self, $($param: String),*) -> js_sys::Promise {
                    let engine = Rc::clone(&self.engine);
                    promise(Box::pin(async move {
                        client_boundary::$rust(&engine, $(&$param),*).await
                    }))
                }
            )*
        }
    };
}

crate::for_each_client_method!(wasm_client_methods);

#[wasm_bindgen(js_name = checkEndpoint)]
pub fn check_endpoint(endpoint: &str) -> Result<String, JsValue> {
    crate::client::check_endpoint(endpoint).map_err(thrown)
}

#[wasm_bindgen(js_name = relayRequest)]
pub fn relay_request(
    service: &str,
    allowed_json: &str,
    body: &str,
    merchant_id: u32,
    portal_id: u32,
    security_key: &str,
) -> Result<String, JsValue> {
    crate::relay::relay_request(
        service,
        allowed_json,
        body,
        merchant_id,
        portal_id,
        security_key,
    )
    .map_err(thrown)
}

/// Whether `name` is one of BillPay's services (`createRelay` checks its
/// `allow` list with it: a misspelt name would never be forwarded).
#[wasm_bindgen(js_name = isService)]
pub fn is_service(name: &str) -> bool {
    crate::protocol::Service::parse(name).is_some()
}

/// BillPay's answer as the relay passes it on: UTF-8 text, declared so
/// (`crate::protocol::answer_text`).
#[wasm_bindgen(js_name = answerText)]
pub fn answer_text(bytes: &[u8]) -> String {
    crate::protocol::answer_text(bytes)
}

/// What the relay logs of BillPay's answer (`{ errorCode, merchantMessage }`).
#[wasm_bindgen(js_name = answerSummary)]
pub fn answer_summary(body: &str) -> String {
    crate::relay::answer_summary(body)
}
