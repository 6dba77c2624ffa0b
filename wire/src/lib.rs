//! The data path of chatwoot-inbox-sdk: a strict JSON reader ([`json`]) with tolerant
//! field readers ([`lenient`], [`time`]), a writer ([`out`]), and the interpreter of
//! model tables ([`schema`]) that turns the server's JSON into the camelCase JSON
//! JavaScript parses. It is a crate of its own so that the release build can compile
//! it for speed while the rest of the SDK is compiled for size.
#![deny(missing_docs)]
// The shipped module is compiled for size; the hot path (reading, transcoding and
// writing a big answer) is marked `optimize(speed)` in that build (`--cfg optimize_hot`,
// set by scripts/build-pkg.sh for the pinned nightly, where the attribute is stable).
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

pub mod json;
pub mod lenient;
pub mod out;
pub mod schema;
pub mod time;
