//! The one mapping from failures to HTTP: RFC 9457 `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hookd_core::validation::FieldError;

use hookd_service::OpsError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{detail}")]
    Invalid { field: String, detail: String },
    #[error("missing or invalid access token")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{detail}")]
    Conflict { field: Option<String>, detail: String },
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("this method is not allowed on this route")]
    MethodNotAllowed,
    #[error("the request body did not arrive within {0} seconds")]
    RequestTimeout(u64),
    /// A request the connection layer could not read as HTTP (its status says why).
    #[error("{1}")]
    Malformed(StatusCode, &'static str),
    #[error("too many connections are open{0}; try again in a moment")]
    TooManyConnections(&'static str),
    /// A refused OAuth2 token request, with RFC 6749's error code (section 5.2).
    #[error("{detail}")]
    OAuth { error: &'static str, detail: String },
    #[error("too many refused attempts; try again in {0} seconds")]
    TooManyRequests(u64),
    #[error("the database is unavailable; try again shortly")]
    Unavailable,
    #[error("hookd's storage is full, so nothing was written; try again later")]
    Full,
    #[error("this node is not ready: {0}")]
    NotReady(String),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    /// For the OAuth2 token endpoint: RFC 6749's error code (`invalid_client`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), detail: detail.into() }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Malformed(status, _) => *status,
            Self::Unavailable | Self::Full | Self::NotReady(_) | Self::TooManyConnections(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::OAuth { error: "invalid_client", .. } => StatusCode::UNAUTHORIZED,
            Self::OAuth { .. } => StatusCode::BAD_REQUEST,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad-request",
            Self::Invalid { .. } => "validation",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not-found",
            Self::Conflict { .. } => "conflict",
            Self::PreconditionFailed(_) => "precondition-failed",
            Self::TooLarge(_) => "payload-too-large",
            Self::UnsupportedMediaType => "unsupported-media-type",
            Self::MethodNotAllowed => "method-not-allowed",
            Self::RequestTimeout(_) => "request-timeout",
            Self::Malformed(StatusCode::URI_TOO_LONG, _) => "uri-too-long",
            Self::Malformed(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, _) => "headers-too-large",
            Self::Malformed(..) => "malformed-request",
            Self::TooManyConnections(_) => "too-many-connections",
            Self::OAuth { .. } => "oauth",
            Self::TooManyRequests(_) => "too-many-requests",
            Self::Unavailable => "unavailable",
            Self::Full => "storage-full",
            Self::NotReady(_) => "not-ready",
            Self::Internal(_) => "internal",
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::Invalid { field: e.field, detail: e.detail }
    }
}

impl From<OpsError> for ApiError {
    fn from(e: OpsError) -> Self {
        match e {
            OpsError::Invalid { field, detail } => Self::Invalid { field, detail },
            OpsError::NotFound(what) => Self::NotFound(what),
            OpsError::Forbidden(m) => Self::Forbidden(m),
            e @ OpsError::FeatureOff(_) => Self::Forbidden(e.to_string()),
            OpsError::Conflict { field, detail } => Self::Conflict { field, detail },
            e @ OpsError::Stale { .. } => Self::PreconditionFailed(e.to_string()),
            OpsError::TooLarge(n) => Self::TooLarge(n),
            OpsError::TooManyAttempts(wait) => Self::TooManyRequests(wait.as_secs().max(1)),
            OpsError::Unavailable => Self::Unavailable,
            OpsError::Full => Self::Full,
            OpsError::NotReady(why) => Self::NotReady(why),
            OpsError::Internal(m) => Self::Internal(m),
        }
    }
}

impl ApiError {
    /// The problem document.
    fn problem(&self) -> Vec<u8> {
        let status = self.status();
        let field = match self {
            Self::Invalid { field, .. } => Some(field.as_str()),
            Self::Conflict { field, .. } => field.as_deref(),
            _ => None,
        };
        let title = status.canonical_reason().unwrap_or("Error");
        let body = Problem {
            kind: format!("https://hookd.dev/problems/{}", self.slug()),
            title,
            status: status.as_u16(),
            detail: match self {
                Self::Invalid { field, detail } => format!("{field}: {detail}"),
                other => other.to_string(),
            },
            field,
            error: match self {
                Self::OAuth { error, .. } => Some(error),
                _ => None,
            },
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }

    /// The whole HTTP/1.1 answer, for the connection layer to write where no handler runs (a
    /// request it cannot parse, a connection over the caps); the connection closes after it.
    pub fn raw_http(&self) -> Vec<u8> {
        let status = self.status();
        let body = self.problem();
        let mut out = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("Error"),
            body.len()
        );
        if status == StatusCode::SERVICE_UNAVAILABLE {
            out.push_str("retry-after: 1\r\n");
        }
        out.push_str("\r\n");
        let mut out = out.into_bytes();
        out.extend_from_slice(&body);
        out
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let Self::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let mut resp = (status, self.problem()).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if matches!(status, StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT) {
            // The rest of the body was never read: the connection cannot carry another request.
            resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if let Self::TooManyRequests(secs) = &self {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*secs));
        }
        if let Self::OAuth { error: "invalid_client", .. } = &self {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"hookd\""));
        } else if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The error a body gives when its deadline passed (the listener's, `serve.rs`); extractors
/// answer it with `408`.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0} seconds")]
pub struct BodyTimedOut(pub u64);
