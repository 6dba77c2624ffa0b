//! What JavaScript sees of the module: `InboxClient`, `AccountClient`, `ChatSession`,
//! `version()` and `diagnostics()`. Arguments come in through serde-wasm-bindgen
//! ([`args`]); results go out as plain objects. The package's JS adds only the loader
//! and the `on` / `subscribe` sugar.

mod args;
mod clients;
mod session;
mod snapshot;

use wasm_bindgen::prelude::*;

pub use clients::{AccountClient, InboxClient};
pub use session::ChatSession;

use crate::driver::js;

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// What the SDK holds right now across every client and session: pending timers,
/// event listeners it registered, open sockets, requests in flight, unsettled promises,
/// kept files, and the WebAssembly memory. A session that is closed holds none of them.
#[wasm_bindgen]
pub fn diagnostics() -> JsValue {
    let o = js::to_js(&js::live());
    let memory = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .unchecked_into::<js_sys::ArrayBuffer>()
                .byte_length()
        })
        .unwrap_or(0);
    let _ = js_sys::Reflect::set(
        &o,
        &JsValue::from_str("wasmMemoryBytes"),
        &JsValue::from_f64(f64::from(memory)),
    );
    o
}

/// Internal: the JS entry hands over its `ChatwootError` class at load.
#[wasm_bindgen(js_name = setErrorClass)]
pub fn set_error_class(class: js_sys::Function) {
    js::set_error_class(class);
}
