//! hookd's domain, with no IO: typed IDs, the records hookd keeps, validation of what
//! clients send, payload rendering, signatures, the retry policy, secret sealing and
//! event visibility. Everything here is a pure function of its inputs (plus randomness
//! for IDs, nonces and jitter), so it is unit-tested inline.

pub mod auth_kinds;
pub mod envelope;
pub mod filter;
pub mod health;
pub mod id;
pub mod listing;
pub mod model;
pub mod operational;
pub mod retry;
pub mod rotation;
pub mod schema;
pub mod secret;
pub mod signing;
pub mod validation;
pub mod visibility;
pub mod wire;

pub use id::{AttemptId, AuditId, DeliveryId, EventId, EventTypeId, IdParseError, MemberId, OrgId, TokenId, WebhookId};
