//! The master key is checked against the database before anything else runs: a node whose
//! key cannot open what the database holds would start, say it is ready, and then fail every
//! read of a webhook and every delivery. It refuses to start instead.

use hookd_core::secret::MasterKey;
use hookd_store::{Store, StoreError};

/// The setting that holds a value sealed with the database's key, written on first start.
const CHECK_KEY: &str = "master_key_check";
const CHECK_PLAIN: &[u8] = b"hookd master key check";

#[derive(Debug, thiserror::Error)]
pub enum KeyCheckError {
    #[error(
        "the master key does not open the secrets in this database: it was first used with another key. \
         Start with the key it was first used with: the same HOOKD_SECRET_KEY on every node, or the \
         master.key file of its first data directory (with HOOKD_SECRET_KEY unset)"
    )]
    Mismatch,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether the database already holds values sealed with some key (so a new key must not be
/// made for it).
pub async fn database_has_sealed_values(store: &dyn Store) -> Result<bool, StoreError> {
    Ok(store.get_setting(CHECK_KEY).await?.is_some() || store.any_signing_secret().await?.is_some())
}

/// Checks `key` against the database, recording it on a database that has no record yet.
/// Of several nodes starting at once on a fresh database, the first to write decides; the
/// others are checked against what it wrote.
pub async fn verify(store: &dyn Store, key: &MasterKey) -> Result<(), KeyCheckError> {
    let opens = |hex_text: &str| {
        hex::decode(hex_text.trim())
            .ok()
            .and_then(|b| key.open(&hookd_core::secret::SealedSecret(b)).ok())
            .is_some_and(|plain| plain == CHECK_PLAIN)
    };
    if let Some(recorded) = store.get_setting(CHECK_KEY).await? {
        return if opens(&recorded) { Ok(()) } else { Err(KeyCheckError::Mismatch) };
    }
    // A database from before the record: the key must open a secret it already holds.
    if let Some(sample) = store.any_signing_secret().await?
        && key.open(&sample).is_err()
    {
        return Err(KeyCheckError::Mismatch);
    }
    let mine = hex::encode(key.seal(CHECK_PLAIN).0);
    let recorded = store.init_setting(CHECK_KEY, &mine).await?;
    if opens(&recorded) { Ok(()) } else { Err(KeyCheckError::Mismatch) }
}
