//! billpay: the core of the BillPay invoice-payment plug-in.
//!
//! Pure Rust, no JS anywhere: `src/wasm/` (compiled for wasm32 only) is the
//! thin layer that exposes these functions to JavaScript.
//!
//! The storefront module (wasm32 without `admin`) is built without std: with
//! std comes its panic handler, which formats panic messages and with them
//! pulls `core::fmt` into every shop page (5 KB of module for code that
//! never runs, since nothing here panics). It has core, alloc and
//! `src/wasm/`'s own panic handler instead. The order rules, the protocol
//! and the client (std, quick-xml) are the full module's only.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "admin")), no_std)]

extern crate alloc;

mod prelude;

pub mod api;
pub mod block;
pub mod date;
pub mod error;
pub mod exports;
pub mod iban;
pub mod money;
pub mod qr;
pub mod reference;
pub mod render;
pub mod shape;

// The full module's and native code only.
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
pub mod cart;
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
pub mod client;
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
pub mod names;
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
pub mod order;
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
pub mod protocol;
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
pub mod relay;
#[cfg(any(feature = "admin", not(target_arch = "wasm32")))]
pub mod sorting;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{BillPayError, ErrorCode, Result};
