//! Everything JavaScript sees. Each exported method checks its arguments, builds a
//! pure [`crate::api`] request, sends it through [`crate::transport`], and decodes the
//! answer into a [`crate::model`] type serialised as a plain object.

mod args;
mod call;
mod client;
mod session;
pub use client::InboxClient;
pub use session::ChatSession;
mod errors;
mod types;

use wasm_bindgen::prelude::*;

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
