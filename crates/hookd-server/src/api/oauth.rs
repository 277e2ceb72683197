//! `POST /api/v1/oauth/token`: RFC 6749's client-credentials grant, for third-party
//! applications that speak OAuth2. The client authenticates with an access token's ID and
//! value, in an HTTP Basic header (section 2.3.1) or in the form body; the answer is a bearer
//! token for an hour ([`hookd_service::oauth`]). Errors are problems that also carry the RFC's
//! `error` code, so OAuth2 libraries read them as they expect.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use base64::Engine as _;
use serde::Deserialize;

use super::endpoint::{Endpoint, Route, endpoint, one, route};
use super::state::ApiState;
use crate::error::{ApiError, ApiResult};
use hookd_service::oauth::Grant;

/// The form a client sends (`application/x-www-form-urlencoded`); other fields, such as
/// `scope`, are ignored: a grant has its access token's role.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub(crate) struct TokenRequest {
    /// `client_credentials`
    grant_type: Option<String>,
    /// The access token's ID (`tok_…`), unless sent in an HTTP Basic header.
    client_id: Option<String>,
    /// The access token's value, unless sent in an HTTP Basic header.
    client_secret: Option<String>,
}

fn refused(error: &'static str, detail: impl Into<String>) -> ApiError {
    ApiError::OAuth { error, detail: detail.into() }
}

/// `client_id:client_secret` from `Authorization: Basic …` (each form-encoded, section 2.3.1).
fn basic(headers: &HeaderMap) -> ApiResult<Option<(String, String)>> {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else { return Ok(None) };
    let Some(encoded) = value.strip_prefix("Basic ") else { return Ok(None) };
    let malformed = || refused("invalid_request", "the Basic credentials are not base64 of client_id:client_secret");
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let text = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = text.split_once(':').ok_or_else(malformed)?;
    let unform = |s: &str| form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Ok(Some((unform(id).unwrap_or_default(), unform(secret).unwrap_or_default())))
}

async fn token(
    State(s): State<ApiState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let form: TokenRequest = serde_urlencoded::from_bytes(&body).map_err(|e| {
        refused("invalid_request", format!("the body must be a form (application/x-www-form-urlencoded): {e}"))
    })?;
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(other) => return Err(refused("unsupported_grant_type", format!("`{other}`: only client_credentials"))),
        None => return Err(refused("invalid_request", "grant_type is required: client_credentials")),
    }
    let in_body = form.client_id.zip(form.client_secret);
    let (id, secret) = match (basic(&headers)?, in_body) {
        (Some(_), Some(_)) => return Err(refused("invalid_request", "send the client's credentials once")),
        (Some(c), None) | (None, Some(c)) => c,
        (None, None) => return Err(refused("invalid_client", "client_id and client_secret are required")),
    };
    let from = peer.map(|Extension(ConnectInfo(addr))| addr.ip());
    let Some(grant) = s.ops.grant_client_credentials(&id, &secret, from).await? else {
        return Err(refused("invalid_client", "these are not the ID and value of an access token"));
    };
    let mut resp = axum::Json(grant).into_response();
    // Section 5.1: the answer holds a credential.
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(resp)
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![endpoint(
        token,
        Route {
            request: Some(one::<TokenRequest>),
            form: true,
            public: true,
            response: Some(one::<Grant>),
            ..route(
                "requestOauthToken",
                "post",
                "/oauth/token",
                "oauth",
                "OAuth2 client-credentials grant: an access token's ID and value (HTTP Basic or in the form) for a bearer token that works for an hour",
            )
        },
    )]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
