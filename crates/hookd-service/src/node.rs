//! What a node does for itself rather than for a caller: the operator token it starts with,
//! whether it is ready, how much work waits, and retention. The binary and the service
//! routes call these; none of them needs an [`Actor`](crate::Actor): they act on no org.

use std::time::Duration;

use hookd_store::{Store, StoreError};
use tokio::sync::watch;

use crate::tokens::{new_token_value, token_hash};
use crate::{Ops, OpsError, OpsResult};

const OPERATOR_TOKEN_KEY: &str = "operator_token_sha256";

/// The shortest operator token hookd accepts from the configuration.
pub const OPERATOR_TOKEN_MIN_LEN: usize = 16;

/// The operator token a node starts with.
#[derive(Debug)]
pub enum OperatorToken {
    /// Set by the operator (`HOOKD_OPERATOR_TOKEN`).
    Configured([u8; 32]),
    /// Made by an earlier start (or another node), kept as its hash.
    Stored([u8; 32]),
    /// Made by this start: its value is shown once, now, and never again.
    New { sha256: [u8; 32], value: String },
}

impl OperatorToken {
    pub fn sha256(&self) -> [u8; 32] {
        match self {
            Self::Configured(h) | Self::Stored(h) | Self::New { sha256: h, .. } => *h,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("HOOKD_OPERATOR_TOKEN must be at least {OPERATOR_TOKEN_MIN_LEN} characters")]
    OperatorTokenTooShort,
    #[error(
        "the stored operator token hash is damaged ({0}); delete the setting `{OPERATOR_TOKEN_KEY}` to make a new token"
    )]
    OperatorTokenDamaged(&'static str),
    #[error("reading the operator token from the database")]
    Store(#[from] hookd_store::StoreError),
}

/// The operator token's hash: the configured one, the stored one, or a new token. Of several
/// nodes starting at once on a fresh database the first to write wins, as for the master key:
/// each makes a candidate, and only the node whose candidate was stored shows a token.
pub async fn operator_token(store: &dyn Store, configured: Option<&str>) -> Result<OperatorToken, StartError> {
    if let Some(t) = configured {
        if t.len() < OPERATOR_TOKEN_MIN_LEN {
            return Err(StartError::OperatorTokenTooShort);
        }
        return Ok(OperatorToken::Configured(token_hash(t)));
    }
    let value = new_token_value();
    let sha256 = token_hash(&value);
    let stored = store.init_setting(OPERATOR_TOKEN_KEY, &hex::encode(sha256)).await?;
    let bytes = hex::decode(stored.trim()).map_err(|_| StartError::OperatorTokenDamaged("not hex"))?;
    let stored: [u8; 32] = bytes.try_into().map_err(|_| StartError::OperatorTokenDamaged("wrong length"))?;
    Ok(if stored == sha256 { OperatorToken::New { sha256, value } } else { OperatorToken::Stored(stored) })
}

/// Rows retention deletes per statement, so delivery never waits long behind it.
const PRUNE_BATCH: usize = 1000;
const PRUNE_PAUSE: Duration = Duration::from_millis(20);

impl Ops {
    /// `Ok` when this node can serve: its database answers, and it can record what it sends.
    pub async fn ready(&self) -> OpsResult<()> {
        self.store.ping().await?;
        if self.metrics.is_full() {
            // Ready again once the largest event would fit: nothing else may write meanwhile,
            // as a load balancer sends no more publishes here while this answers not ready.
            match self.store.probe_write(self.config.max_payload_bytes).await {
                Ok(()) => self.metrics.set_full(false),
                Err(StoreError::Full(cause)) => {
                    return Err(OpsError::NotReady(format!(
                        "the database's disk is full ({cause}): free space, and this node goes on by itself"
                    )));
                }
                Err(e) => return Err(e.into()),
            }
        }
        match self.metrics.stalled() {
            Some(why) => Err(OpsError::NotReady(why)),
            None => Ok(()),
        }
    }

    /// This node's metrics in the Prometheus text format, with its readiness and the backlog
    /// read now (a bounded part of one index, however long the backlog is).
    pub async fn metrics_text(&self) -> String {
        let ready = self.ready().await.is_ok();
        let backlog = match self.store.backlog().await {
            Ok(b) => Some(b),
            Err(e) => {
                tracing::warn!(error = %e, "reading the backlog for /metrics failed; its gauges keep their last values");
                None
            }
        };
        self.metrics.encode(ready, backlog.as_ref())
    }

    /// Deletes finished work whose last change is older than `retention`, a batch at a time;
    /// returns how many rows went. Stops early when `stop` turns true.
    pub async fn prune(&self, retention: Duration, stop: &watch::Receiver<bool>) -> OpsResult<u64> {
        let retention = chrono::Duration::from_std(retention)
            .map_err(|_| OpsError::invalid("retention", "is longer than hookd can count"))?;
        let before = chrono::Utc::now() - retention;
        let mut total = 0;
        loop {
            match self.store.prune(before, PRUNE_BATCH).await? {
                0 => return Ok(total),
                n => total += n,
            }
            if *stop.borrow() {
                return Ok(total);
            }
            // Gives the delivery path the database between batches.
            tokio::time::sleep(PRUNE_PAUSE).await;
        }
    }

    /// Prunes every `every` until `stop` turns true.
    pub async fn run_retention(self, retention: Duration, every: Duration, mut stop: watch::Receiver<bool>) {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => return,
            }
            match self.prune(retention, &stop).await {
                Ok(0) => {}
                Ok(rows) => tracing::info!(rows, "pruned history past the retention period"),
                Err(e) => tracing::warn!(error = %e, "pruning old history failed; will try again"),
            }
        }
    }
}
