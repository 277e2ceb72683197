//! Delivery: the dispatcher that claims due deliveries and sends them, the outbound HTTP
//! client, the SSRF guard every outbound connection goes through, and the outbound
//! authentication methods. This is the only crate that opens connections to receivers.

pub mod auth;
mod batching;
pub mod client;
pub mod destinations;
pub mod dispatcher;
pub mod handoff;
pub mod metrics;
mod pool;
mod request;
pub mod shaping;
pub mod shares;
pub mod ssrf;
mod waiting;

/// Webhooks, events and deliveries as the store's tests build them.
#[cfg(test)]
#[allow(dead_code)] // the store's tests use more of it
#[path = "../../hookd-store/tests/suite/build.rs"]
mod build;

pub use client::HttpClients;
pub use dispatcher::{DispatchConfig, Dispatcher};
pub use handoff::Handoff;
pub use metrics::Metrics;
pub use request::{Request, pulled};
