//! # chatwoot-inbox-sdk
//!
//! Build your own chat widget on a Chatwoot server. The crate is a pure core — request
//! building ([`api`]), tolerant decoding of the server's JSON ([`wire`]) into the
//! camelCase objects JavaScript receives ([`model`]), and one error type ([`error`]) —
//! compiled to WebAssembly behind thin bindings.
#![deny(missing_docs)]
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

pub mod alloc;
pub mod api;
pub mod error;
pub mod machine;
pub mod model;
pub mod realtime;
pub mod session;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator::new(alloc::grow_memory);

pub use error::{Error, ErrorCode};
