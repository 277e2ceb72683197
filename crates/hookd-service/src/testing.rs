//! In-process fixtures for the service layer's tests: a real SQLite store in a temp dir.

use std::sync::Arc;

use hookd_core::secret::MasterKey;

use crate::{Ops, OpsConfig};

/// The service layer over a fresh SQLite database; keep the dir alive as long as the ops.
pub async fn ops() -> (Ops, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = hookd_store::sqlite::SqliteStore::open(&dir.path().join("hookd.db")).await.unwrap();
    let (key, _) = MasterKey::generate();
    (Ops::offline(Arc::new(store), key, OpsConfig::default()), dir)
}
