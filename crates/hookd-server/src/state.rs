use std::sync::Arc;
use std::time::Duration;

use hookd_core::model::{AccessToken, EventType};
use hookd_core::schema::PayloadSchema;
use hookd_core::secret::MasterKey;
use hookd_delivery::{Handoff, Metrics};
use hookd_store::{Store, StoreError};

use crate::cache::Ttl;
use crate::error::ApiError;

/// Settings the API needs from the operator's configuration.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Lifts the https-only rule for webhook URLs (the SSRF guard lifts with it).
    pub allow_private_targets: bool,
    /// Largest accepted event payload, in bytes.
    pub max_payload_bytes: usize,
    /// SHA-256 of the operator token.
    pub operator_token_sha256: [u8; 32],
    /// Base of `resource_url`s and links this server prints.
    pub public_url: String,
}

/// A catalog entry with its compiled schema, as publishing needs it.
pub struct CatalogEntry {
    pub event_type: EventType,
    pub schema: Option<Arc<PayloadSchema>>,
}

const CACHE_TTL: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub key: MasterKey,
    /// Where new deliveries go to this node's dispatcher, and how to wake it.
    pub handoff: Arc<Handoff>,
    pub metrics: Arc<Metrics>,
    pub config: Arc<ApiConfig>,
    /// Shared, not copied, by every publish of the type.
    pub catalog: Arc<Ttl<String, Arc<CatalogEntry>>>,
    pub tokens: Arc<Ttl<[u8; 32], AccessToken>>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        key: MasterKey,
        handoff: Arc<Handoff>,
        metrics: Arc<Metrics>,
        config: ApiConfig,
    ) -> Self {
        Self {
            store,
            key,
            handoff,
            metrics,
            config: Arc::new(config),
            catalog: Arc::new(Ttl::new(CACHE_TTL)),
            tokens: Arc::new(Ttl::new(CACHE_TTL)),
        }
    }

    /// An event type with its compiled schema; `None` when it is not in the catalog.
    pub async fn catalog_entry(&self, name: &str) -> Result<Option<Arc<CatalogEntry>>, ApiError> {
        if let Some(e) = self.catalog.get(name) {
            return Ok(Some(e));
        }
        let event_type = match self.store.get_event_type(name).await {
            Ok(t) => t,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let schema = match &event_type.schema {
            Some(s) => Some(Arc::new(PayloadSchema::compile(s).map_err(|e| ApiError::Internal(e.to_string()))?)),
            None => None,
        };
        let entry = Arc::new(CatalogEntry { event_type, schema });
        self.catalog.put(name.to_owned(), entry.clone());
        Ok(Some(entry))
    }
}
