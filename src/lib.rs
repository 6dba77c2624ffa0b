//! # chatwoot-inbox-sdk
//!
//! Build your own chat widget on a Chatwoot server. The crate is a pure core — request
//! building ([`api`]), the server's JSON read tolerantly with serde into the camelCase
//! objects JavaScript receives ([`model`]), and one error type ([`error`]) —
//! compiled to WebAssembly behind thin bindings.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

pub mod api;
pub mod chat;
pub mod error;
pub mod machine;
pub mod realtime;
pub mod value;

pub use chatwoot_inbox_model as model;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
#[cfg(target_arch = "wasm32")]
pub mod driver;

pub use error::{Error, ErrorCode};
