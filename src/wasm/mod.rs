//! The wasm side of the boundary, the only place that names wasm-bindgen:
//! the exports of every function that `crate::exports` lists (each hands its
//! arguments to the boundary function and its answer back), the client
//! class, and the relay's helpers. Errors travel as JSON strings that the JS
//! glue (`pkg/glue.js`) turns into `BillPayError` instances.

// talc for the heap, with freed small blocks kept per size class in front
// of it (crates/alloc): a call allocates and frees the same few sizes.
#[global_allocator]
static ALLOCATOR: billpay_alloc::SizeClasses<talc::wasm::WasmDynamicTalc> =
    billpay_alloc::SizeClasses::new(talc::wasm::new_wasm_dynamic_allocator());

// Every function, as a plain export (no wasm-bindgen): both modules.
mod raw;

/// The storefront module has no std (lib.rs), so no panic handler of std's.
/// Nothing here panics (no unwrap, no unchecked indexing); if something
/// did, the instance traps, as std's handler under `panic = "abort"` would
/// after formatting a message nobody reads.
#[cfg(not(feature = "admin"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

// The full module's client (async, `fetch`) and the relay's helpers, on wasm-bindgen.
#[cfg(feature = "admin")]
mod admin;
#[cfg(feature = "admin")]
mod fetch;
