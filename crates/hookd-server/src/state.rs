use std::sync::Arc;

use crate::portal::PortalConfig;
use hookd_service::Ops;

/// What the portal's pages need beside the service layer, made once at start.
pub struct PortalState {
    pub config: PortalConfig,
    pub csp: String,
    pub theme_css: String,
    pub asset_version: String,
}

/// What every handler gets: the service layer (store, key, caches) and the portal's settings.
#[derive(Clone)]
pub struct AppState {
    pub ops: Ops,
    pub portal: Arc<PortalState>,
}

impl AppState {
    pub fn new(ops: Ops, portal: PortalConfig) -> Self {
        let state = PortalState {
            csp: portal.csp(),
            theme_css: crate::portal::theme_css(&portal.accent),
            asset_version: crate::portal::asset_version(),
            config: portal,
        };
        Self { ops, portal: Arc::new(state) }
    }
}
