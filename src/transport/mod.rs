//! I/O: sends an [`api::Request`](crate::api::Request) with `fetch` and hands back the
//! parsed JSON. Retries, timeouts and aborts live here; decoding does not.

mod fetch;
mod retry;
mod socket;

pub use fetch::{send, CallOptions, Transport};
pub use socket::{sleep, Handler, Socket, SocketEvent, Timer};
