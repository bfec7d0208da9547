//! billpay: the core of the BillPay invoice-payment plug-in.
//!
//! Pure Rust, no JS anywhere: `src/wasm/` (compiled for wasm32 only) is the
//! thin layer that exposes these functions to JavaScript.

pub mod api;
pub mod block;
pub mod cart;
pub mod client;
pub mod date;
pub mod error;
pub mod exports;
pub mod iban;
pub mod money;
pub mod names;
pub mod order;
pub mod protocol;
pub mod qr;
pub mod reference;
pub mod relay;
pub mod render;
pub mod shape;
pub mod sorting;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{BillPayError, ErrorCode, Result};
