use std::sync::Arc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule refused the write; `constraint` names it.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// A conditional write found the row at another revision than the one it was read at.
    #[error("the row changed since it was read")]
    Stale,
    #[error("database unavailable: {0}")]
    Unavailable(Cause),
    /// The disk under the database (or its size limit) has no room for the write.
    #[error("the database's disk is full: {0}")]
    Full(Cause),
    #[error("storage error: {0}")]
    Other(Cause),
}

impl StoreError {
    /// What went wrong beneath, with the driver's or file system's error as its source. Not
    /// `Error::source` itself: the message above already says it, and a chain would say it twice.
    pub fn cause(&self) -> Option<&Cause> {
        match self {
            Self::Unavailable(c) | Self::Full(c) | Self::Other(c) => Some(c),
            _ => None,
        }
    }
}

/// What went wrong beneath a store call: its message, and the error it came from (the
/// database driver's, the file system's) when there was one, kept for whoever needs to tell
/// causes apart. Cheap to clone: a failed group commit answers every caller in it.
#[derive(Debug, Clone)]
pub struct Cause {
    what: String,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Cause {
    /// `e` as the cause, its message as the cause's.
    pub fn of(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self { what: e.to_string(), source: Some(Arc::new(e)) }
    }

    /// `e` as the cause, with a message of its own that says more (naming the file, say).
    pub fn with(what: String, e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self { what, source: Some(Arc::new(e)) }
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<String> for Cause {
    fn from(what: String) -> Self {
        Self { what, source: None }
    }
}

impl From<&str> for Cause {
    fn from(what: &str) -> Self {
        what.to_owned().into()
    }
}
