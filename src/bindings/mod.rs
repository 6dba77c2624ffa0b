//! What JavaScript sees of the module: the [`crate::machine::Machine`] and
//! `version()`. Everything crosses as JSON text (and answer bodies as bytes); the
//! classes users call (`InboxClient`, `ChatSession`) are thin JavaScript over this in
//! `pkg-template/`, which also carries out the machine's operations.

use wasm_bindgen::prelude::*;

use crate::machine;

/// The SDK's state machine (internal: use `InboxClient` and `ChatSession`).
#[wasm_bindgen]
pub struct Machine(machine::Machine);

fn ms(now: f64) -> u64 {
    if now.is_finite() && now > 0.0 {
        now as u64
    } else {
        0
    }
}

#[wasm_bindgen]
impl Machine {
    /// A machine of `kind` with its options (JSON). Throws the error's JSON text.
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, options: &str, seed: f64) -> Result<Machine, String> {
        machine::Machine::new(kind, options, ms(seed))
            .map(Machine)
            .map_err(|e| serde_json::to_string(&e).unwrap_or_default())
    }

    /// A method call; its plain-data arguments as a JSON array.
    pub fn call(&mut self, method: &str, args: &str, now: f64) -> String {
        self.0.call(method, args, ms(now))
    }

    /// Something that happened (JSON).
    pub fn input(&mut self, event: &str, now: f64) -> String {
        self.0.input(event, ms(now))
    }

    /// The answer to request `id`.
    pub fn response(
        &mut self,
        id: u32,
        status: u16,
        retry_after: Option<String>,
        body: &[u8],
        now: f64,
    ) -> String {
        self.0
            .response(id, status, retry_after.as_deref(), body, ms(now))
    }

    /// A text frame of socket `socket`.
    pub fn frame(&mut self, socket: u32, text: &str, now: f64) -> String {
        self.0.frame(socket, text, ms(now))
    }
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
