//! Request extractors whose every rejection is a problem+json naming what to fix.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use hookd_core::listing::{Cursor, Order, PageRequest};
use serde::de::DeserializeOwned;

use super::state::ApiState;
use crate::error::ApiError;
use hookd_service::Actor;

/// A JSON body, parsed with the path of the first field that failed.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<ApiState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &ApiState) -> Result<Self, Self::Rejection> {
        let json_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !json_type {
            return Err(ApiError::UnsupportedMediaType);
        }
        let limit = state.ops.config.max_payload_bytes + 64 * 1024;
        let bytes = axum::body::to_bytes(req.into_body(), limit).await.map_err(|e| body_error(e, limit))?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Why a body could not be read: it came too slowly (`408`), or it is too large.
pub fn body_error(e: axum::Error, limit: usize) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = source {
        if let Some(t) = s.downcast_ref::<crate::error::BodyTimedOut>() {
            return ApiError::RequestTimeout(t.0);
        }
        source = s.source();
    }
    ApiError::TooLarge(limit)
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde reads a struct from an array too (`["Acme"]` as `{"name": "Acme"}`): every body
    // of this API is an object, and anything else is refused as such.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() {
        return Err(ApiError::invalid("body", "must be a JSON object"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        // serde_json appends " at line L column C"; the field path says more.
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        // "missing field `x`" comes with the path of the object that lacks it.
        if let Some(missing) = msg.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
            let field = if path == "." { missing.to_owned() } else { format!("{path}.{missing}") };
            return ApiError::invalid(field, format!("is required ({msg})"));
        }
        if path == "." || inner.is_syntax() || inner.is_eof() {
            if inner.is_syntax() || inner.is_eof() {
                ApiError::BadRequest(format!("the body is not valid JSON: {inner}"))
            } else {
                ApiError::invalid("body", msg)
            }
        } else {
            ApiError::invalid(path, msg)
        }
    })?;
    de.end().map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
    Ok(value)
}

/// The caller, from the bearer token: the operator or an org's access token. Which
/// operations it may call is the service layer's rule ([`Actor::authorize`]).
impl FromRequestParts<ApiState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        state.ops.authenticate(token).await?.ok_or(ApiError::Unauthorized)
    }
}

/// `limit`, `cursor`, `sort`, `order`, `q` and the listing's own filters.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub limit: Option<String>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
    pub order: Option<String>,
    pub q: Option<String>,
    pub webhook_id: Option<String>,
    pub status: Option<String>,
    pub delivery_id: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// The events listing's `type`.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// The history's filters.
    pub event_type: Option<String>,
    pub result: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for ListParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(q).map_err(|e| ApiError::invalid("query", e.to_string()))
    }
}

impl ListParams {
    /// An RFC 3339 time parameter, named `field` in the error.
    pub fn time(field: &str, v: &Option<String>) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
        v.as_deref()
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| t.to_utc())
                    .map_err(|_| ApiError::invalid(field, "must be an RFC 3339 time, e.g. 2026-12-01T09:00:00Z"))
            })
            .transpose()
    }

    /// The page request, with `sort` parsed by `parse_sort` (whose names the error lists).
    pub fn page<S: Default>(
        &self,
        parse_sort: impl Fn(&str) -> Option<S>,
        sort_names: &[&str],
    ) -> Result<PageRequest<S>, ApiError> {
        let limit = match &self.limit {
            None => 50,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (1..=500).contains(&n) => n,
                _ => return Err(ApiError::invalid("limit", "must be a whole number from 1 to 500")),
            },
        };
        let cursor = match &self.cursor {
            None => None,
            Some(c) => Some(
                Cursor::decode(c).ok_or_else(|| ApiError::invalid("cursor", "is not a cursor this API returned"))?,
            ),
        };
        let sort = match &self.sort {
            None => S::default(),
            Some(s) => parse_sort(s).ok_or_else(|| {
                ApiError::invalid("sort", format!("`{s}` is not sortable; use one of: {}", sort_names.join(", ")))
            })?,
        };
        let order = match self.order.as_deref() {
            None | Some("asc") => Order::Asc,
            Some("desc") => Order::Desc,
            Some(o) => return Err(ApiError::invalid("order", format!("`{o}` must be `asc` or `desc`"))),
        };
        let q = hookd_core::listing::search("q", self.q.as_deref())?;
        Ok(PageRequest { limit, cursor, sort, order, q })
    }

    pub fn no_filters(&self) -> Result<(), ApiError> {
        if self.webhook_id.is_some() {
            return Err(ApiError::invalid("webhook_id", "this listing has no such filter"));
        }
        for (name, given) in [
            ("status", self.status.is_some()),
            ("delivery_id", self.delivery_id.is_some()),
            ("since", self.since.is_some()),
            ("until", self.until.is_some()),
        ] {
            if given {
                return Err(ApiError::invalid(name, "this listing has no such filter"));
            }
        }
        Ok(())
    }
}
