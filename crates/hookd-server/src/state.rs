use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hookd_core::schema::PayloadSchema;
use hookd_core::secret::MasterKey;
use hookd_delivery::Metrics;
use hookd_store::Store;
use tokio::sync::Notify;

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

/// Compiled payload schemas by event type, with the schema text each was built from.
pub type SchemaCache = Arc<Mutex<HashMap<String, (String, Arc<PayloadSchema>)>>>;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub key: MasterKey,
    pub wake: Arc<Notify>,
    pub metrics: Arc<Metrics>,
    pub config: Arc<ApiConfig>,
    pub schemas: SchemaCache,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        key: MasterKey,
        wake: Arc<Notify>,
        metrics: Arc<Metrics>,
        config: ApiConfig,
    ) -> Self {
        Self { store, key, wake, metrics, config: Arc::new(config), schemas: Arc::default() }
    }
}
