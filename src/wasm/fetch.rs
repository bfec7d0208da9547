//! The client's transport in wasm: `fetch` through a small JS helper
//! (`fetch.js`), which adds the timeout with an AbortController.

use crate::client::{HttpResponse, Transport, TransportFailure};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/wasm/fetch.js")]
extern "C" {
    #[wasm_bindgen(js_name = billpayPost)]
    fn billpay_post(url: &str, body: &str, timeout_ms: u32) -> js_sys::Promise;
}

pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn post(
        &self,
        url: &str,
        body: &str,
        timeout_ms: u32,
    ) -> Result<HttpResponse, TransportFailure> {
        match JsFuture::from(billpay_post(url, body, timeout_ms)).await {
            Ok(value) => {
                // "<status>\n<body>"
                let text = value.as_string().unwrap_or_default();
                let (status, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
                Ok(HttpResponse {
                    status: status.parse().unwrap_or(0),
                    body: body.to_owned(),
                })
            }
            Err(error) => {
                let text = error
                    .as_string()
                    .unwrap_or_else(|| "fetch failed".to_owned());
                if text == "timeout" {
                    Err(TransportFailure::Timeout)
                } else {
                    Err(TransportFailure::Network(text))
                }
            }
        }
    }
}
