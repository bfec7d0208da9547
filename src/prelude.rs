//! What the modules take from `alloc` by name. With std these are in the
//! standard prelude; the storefront module is built without std (lib.rs), so
//! every module that allocates imports them from here. Not every build uses
//! each of them (the storefront module formats nothing).
#![allow(unused_imports)]

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::format;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;
