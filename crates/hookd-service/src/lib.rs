//! The service layer: every operation hookd offers, once. The REST API, the portal and the
//! CLI are doors onto it: they turn their input into a call here and the result into their
//! output, and hold no rule of their own. Who may do what is decided here too ([`Actor`]),
//! so a rule cannot be enforced by one door and forgotten by another.

mod actor;
mod audit;
mod cache;
pub mod demo;
mod error;
pub mod event_types;
pub mod events;
pub mod health;
pub mod history;
pub mod master_key;
pub mod members;
pub mod node;
pub mod oauth;
pub mod orgs;
pub mod pulling;
pub mod sessions;
pub mod tokens;
pub mod trying;
pub mod webhooks;

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use hookd_core::OrgId;
use hookd_core::model::{AccessToken, EventType};
use hookd_core::schema::PayloadSchema;
use hookd_core::secret::MasterKey;
use hookd_delivery::Handoff;
use hookd_store::{Store, StoreError};

pub use actor::{Access, Actor};
pub use error::{OpsError, OpsResult, not_found};
pub use hookd_delivery::Metrics;
pub use hookd_delivery::metrics::CONTENT_TYPE as METRICS_CONTENT_TYPE;

use crate::cache::Ttl;

/// Settings the operations need from the operator's configuration.
#[derive(Debug, Clone)]
pub struct OpsConfig {
    /// Lifts the https-only rule for webhook URLs (the SSRF guard lifts with it).
    pub allow_private_targets: bool,
    /// Largest accepted event payload, in bytes.
    pub max_payload_bytes: usize,
    /// How deep an event payload may nest.
    pub max_json_depth: usize,
    /// SHA-256 of the operator token.
    pub operator_token_sha256: [u8; 32],
    /// Base of `resource_url`s and links this server prints.
    pub public_url: String,
    /// How long a portal session lasts.
    pub session_ttl: Duration,
    /// hookd's header prefix and user agent, as the operator brands them.
    pub wire: hookd_core::wire::Wire,
    /// Members signed in to the portal may add, change and remove members
    /// (`HOOKD_PORTAL_MEMBERS_EDITABLE`). Off by default: the operator's product owns its
    /// people and mirrors them here.
    pub members_editable: bool,
    /// Attempts a delivery gets before it fails: the first and one a retry.
    pub attempts_allowed: u32,
}

impl Default for OpsConfig {
    /// hookd's defaults, as `hookd serve` starts with no configuration.
    fn default() -> Self {
        Self {
            allow_private_targets: false,
            max_payload_bytes: 1 << 20,
            max_json_depth: hookd_core::validation::DEFAULT_MAX_JSON_DEPTH,
            operator_token_sha256: [0; 32],
            public_url: "http://127.0.0.1:8080".into(),
            session_ttl: Duration::from_secs(12 * 3600),
            wire: Default::default(),
            members_editable: false,
            attempts_allowed: hookd_core::retry::RetryPolicy::default().schedule.len() as u32 + 1,
        }
    }
}

/// A catalog entry with its compiled schema, as publishing needs it.
pub struct CatalogEntry {
    pub event_type: EventType,
    pub schema: Option<Arc<PayloadSchema>>,
}

const CACHE_TTL: Duration = Duration::from_secs(5);

/// The service: the store, the master key, this node's dispatcher, and short caches.
/// Cheap to clone; every door holds one.
#[derive(Clone)]
pub struct Ops {
    /// Private to this crate: the doors reach the database only through operations.
    store: Arc<dyn Store>,
    key: MasterKey,
    /// Where new deliveries go to this node's dispatcher, and how to wake it.
    handoff: Arc<Handoff>,
    metrics: Arc<Metrics>,
    pub config: Arc<OpsConfig>,
    /// Shared, not copied, by every publish of the type.
    catalog: Arc<Ttl<String, Arc<CatalogEntry>>>,
    tokens: Arc<Ttl<[u8; 32], AccessToken>>,
    /// When each token's `last_used_at` was last written by this node.
    token_use: Arc<Ttl<hookd_core::TokenId, ()>>,
    grant_failures: Arc<oauth::GrantFailures>,
    /// Each org's activity token (see [`Ops::activity`]).
    activity: Arc<Ttl<OrgId, String>>,
}

impl Ops {
    pub fn new(
        store: Arc<dyn Store>,
        key: MasterKey,
        handoff: Arc<Handoff>,
        metrics: Arc<Metrics>,
        config: OpsConfig,
    ) -> Self {
        Self {
            store,
            key,
            handoff,
            metrics,
            config: Arc::new(config),
            catalog: Arc::new(Ttl::new(CACHE_TTL)),
            tokens: Arc::new(Ttl::new(CACHE_TTL)),
            token_use: Arc::new(Ttl::new(tokens::LAST_USED_EVERY)),
            grant_failures: Arc::default(),
            activity: Arc::new(Ttl::new(events::ACTIVITY_EVERY)),
        }
    }

    /// Ops over `store` with no dispatcher of their own, for CLI commands run beside a server:
    /// the server's dispatcher finds whatever they make due.
    pub fn offline(store: Arc<dyn Store>, key: MasterKey, config: OpsConfig) -> Self {
        Self::new(store, key, Default::default(), Default::default(), config)
    }

    /// This node's delivery counters, for `/metrics`.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// This node's metrics, to keep (the doors' request layer updates them).
    pub fn shared_metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// An event type with its compiled schema; `None` when it is not in the catalog.
    pub async fn catalog_entry(&self, name: &str) -> OpsResult<Option<Arc<CatalogEntry>>> {
        if let Some(e) = self.catalog.get(name) {
            return Ok(Some(e));
        }
        let event_type = match self.store.get_event_type(name).await {
            Ok(t) => t,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let schema = match &event_type.schema {
            Some(s) => Some(Arc::new(PayloadSchema::compile(s).map_err(|e| OpsError::Internal(e.to_string().into()))?)),
            None => None,
        };
        let entry = Arc::new(CatalogEntry { event_type, schema });
        self.catalog.put(name.to_owned(), entry.clone());
        Ok(Some(entry))
    }
}

/// Tells "absent" from "null" in an edit, so `null` can clear a field.
pub mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
