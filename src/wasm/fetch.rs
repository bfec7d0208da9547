//! The client's transport in wasm: `fetch` through a small JS helper
//! (`fetch.js`), which adds the timeout with an AbortController.

use crate::client::{HttpResponse, Transport, TransportFailure};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/wasm/fetch.js")]
extern "C" {
    /// `{ status, body }` on an answer, `{ failure }` without one.
    type PostResult;

    #[wasm_bindgen(method, getter)]
    fn status(this: &PostResult) -> u16;

    #[wasm_bindgen(method, getter)]
    fn body(this: &PostResult) -> Vec<u8>;

    /// "timeout" or what went wrong; absent when an answer came.
    #[wasm_bindgen(method, getter)]
    fn failure(this: &PostResult) -> Option<String>;

    #[wasm_bindgen(js_name = billpayPost)]
    fn billpay_post(url: &str, body: &str, timeout_ms: u32) -> js_sys::Promise;

    #[wasm_bindgen(js_name = billpayPause)]
    fn billpay_pause(ms: u32) -> js_sys::Promise;
}

pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn post(
        &self,
        url: &str,
        body: &str,
        timeout_ms: u32,
    ) -> Result<HttpResponse, TransportFailure> {
        let value = JsFuture::from(billpay_post(url, body, timeout_ms))
            .await
            .map_err(|_| TransportFailure::Network("fetch failed".to_owned()))?;
        let result: PostResult = value.unchecked_into();
        match result.failure() {
            Some(failure) if failure == "timeout" => Err(TransportFailure::Timeout),
            Some(failure) => Err(TransportFailure::Network(failure)),
            None => Ok(HttpResponse {
                status: result.status(),
                body: crate::protocol::answer_text(&result.body()),
            }),
        }
    }

    async fn pause(&self, ms: u32) {
        // Resolves only (a timer cannot fail).
        let _ = JsFuture::from(billpay_pause(ms)).await;
    }
}
