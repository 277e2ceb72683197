//! What an operation can refuse, in words a person can act on. The doors map it: to an
//! RFC 9457 problem (`crate::error`), or to a message beside a form field.

use hookd_core::validation::FieldError;
use hookd_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// Input that breaks a rule; `field` is the path of the offending field in the API's words.
    #[error("{field}: {detail}")]
    Invalid { field: String, detail: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(String),
    /// The operator has not turned this feature on for the caller's org.
    #[error("{0} are not turned on for this organization; the operator turns them on")]
    FeatureOff(&'static str),
    /// The write would break a uniqueness rule, or kept meeting other writers' changes.
    #[error("{detail}")]
    Conflict { field: Option<String>, detail: String },
    /// The caller asked for the write only at a revision that is no longer the current one.
    #[error("the {what} changed since revision {expected}: it is at revision {current} now; read it again")]
    Stale { what: &'static str, expected: i64, current: i64 },
    #[error("the payload is larger than {0} bytes")]
    TooLarge(usize),
    /// Refused too often; the caller may try again after this long.
    #[error("too many refused attempts; try again in {} seconds", .0.as_secs().max(1))]
    TooManyAttempts(std::time::Duration),
    #[error("the database is unavailable; try again shortly")]
    Unavailable,
    /// The database's disk is full: nothing can be written until the operator frees space.
    #[error("hookd's storage is full, so nothing was written; try again later")]
    Full,
    /// This node is up but not doing its work, for the reason given (for operators).
    #[error("not ready: {0}")]
    NotReady(String),
    /// A fault of ours; the cause goes to the log, never to the caller.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type OpsResult<T> = Result<T, OpsError>;

impl OpsError {
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), detail: detail.into() }
    }

    pub fn conflict(field: &str, detail: impl Into<String>) -> Self {
        Self::Conflict { field: Some(field.to_owned()), detail: detail.into() }
    }
}

impl From<FieldError> for OpsError {
    fn from(e: FieldError) -> Self {
        Self::Invalid { field: e.field, detail: e.detail }
    }
}

impl From<StoreError> for OpsError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound("resource"),
            // Each operation that can conflict names the field itself; this is the fallback
            // for one that cannot, so it names no database constraint either.
            StoreError::Conflict { .. } => {
                Self::Conflict { field: None, detail: "this conflicts with an existing record".into() }
            }
            StoreError::Stale => {
                Self::Conflict { field: None, detail: "the record changed meanwhile; try again".into() }
            }
            StoreError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                Self::Unavailable
            }
            StoreError::Full(cause) => {
                tracing::error!(error = %cause, "the database's disk is full: free space; hookd goes on by itself");
                Self::Full
            }
            e @ StoreError::Other(_) => Self::Internal(Box::new(e)),
        }
    }
}

/// A `NotFound` from the store, named as what was missing.
pub fn not_found(what: &'static str) -> impl FnOnce(StoreError) -> OpsError {
    move |e| match e {
        StoreError::NotFound => OpsError::NotFound(what),
        other => other.into(),
    }
}
