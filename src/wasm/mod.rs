//! The only place that names wasm-bindgen: the exports of every function
//! that `crate::exports` lists (each converts in, calls the boundary
//! function, converts out), the client class, and the relay's helpers.
//! Errors travel as JSON strings that the JS glue (`pkg/errors.js`) turns
//! into `BillPayError` instances.

use crate::BillPayError;
use wasm_bindgen::prelude::*;

fn thrown(error: BillPayError) -> JsValue {
    JsValue::from_str(&error.to_json())
}

/// One export; the group decides which builds carry it. The parameter list
/// is spelled out token by token (wasm-bindgen reads the types as written).
macro_rules! wasm_export {
    (storefront $($item:tt)*) => {
        wasm_export!(@fn $($item)*);
    };
    (qr $($item:tt)*) => {
        #[cfg(feature = "qr")]
        wasm_export!(@fn $($item)*);
    };
    (admin $($item:tt)*) => {
        #[cfg(feature = "admin")]
        wasm_export!(@fn $($item)*);
    };
    (@fn $js:ident $rust:ident [$($params:tt)*] [$($args:tt)*]) => {
        #[wasm_bindgen(js_name = $js)]
        #[allow(non_snake_case)]
        pub fn $rust($($params)*) -> Result<String, JsValue> {
            crate::exports::boundary::$rust($($args)*).map_err(thrown)
        }
    };
    (@fn $js:ident $rust:ident [$($params:tt)*] [$($args:tt)*] $param:ident : maybe_text $(, $($rest:tt)*)?) => {
        wasm_export!(@fn $js $rust [$($params)* $param: Option<String>,] [$($args)* $param.as_deref(),] $($($rest)*)?);
    };
    (@fn $js:ident $rust:ident [$($params:tt)*] [$($args:tt)*] $param:ident : $kind:ident $(, $($rest:tt)*)?) => {
        wasm_export!(@fn $js $rust [$($params)* $param: &str,] [$($args)* $param,] $($($rest)*)?);
    };
}

macro_rules! wasm_exports {
    ($(
        $(#[doc = $doc:literal])*
        $group:ident fn $js:ident = $rust:ident ($($param:ident : $kind:ident $(($pty:ty))?),* $(,)?)
            -> $ret:ident $(($rty:ty))?;
    )*) => {
        $(wasm_export!($group $js $rust [] [] $($param : $kind),*);)*
    };
}

crate::for_each_export!(wasm_exports);

#[cfg(feature = "admin")]
mod admin;
#[cfg(feature = "admin")]
mod fetch;
