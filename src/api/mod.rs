//! The public client API as pure request descriptions: one module per resource builds
//! a [`Request`] (method, percent-encoded path, body, retry policy); the transport sends
//! it and decodes the answer into the model type the endpoint documents.

pub mod account;
pub mod contacts;
pub mod conversations;
pub mod csat;
pub mod inbox;
pub mod input;
pub mod messages;
pub mod path;
mod request;

pub use request::{Body, Method, Request};
