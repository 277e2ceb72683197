use crate::ops::Ops;

/// What every handler gets: the service layer, which holds the store, the key and caches.
#[derive(Clone)]
pub struct AppState {
    pub ops: Ops,
}

impl AppState {
    pub fn new(ops: Ops) -> Self {
        Self { ops }
    }
}
