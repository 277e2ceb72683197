//! Outbound authentication: the headers each `auth.type` adds to a request.

pub(crate) mod aws4;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hookd_core::model::AuthMethod;
use hookd_core::signing::hmac_sha256_hex;
use url::Url;

/// Headers added by authentication. Their values are secrets: the history masks them.
pub type AuthHeaders = Vec<(String, String)>;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("OAuth2 token request to {url} failed: {message}")]
    OAuth { url: String, message: String },
}

/// The pieces of a request that authentication looks at.
pub struct Outgoing<'a> {
    pub url: &'a Url,
    pub content_type: &'a str,
    pub body: &'a [u8],
}

/// Static headers for every method except OAuth2, whose token the [`TokenCache`] supplies.
pub fn static_headers(method: &AuthMethod, req: &Outgoing<'_>) -> AuthHeaders {
    match method {
        AuthMethod::None {} | AuthMethod::Mtls { .. } | AuthMethod::Oauth2 { .. } => vec![],
        AuthMethod::Headers { headers } => headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        AuthMethod::Basic { username, password } => {
            vec![("authorization".into(), format!("Basic {}", B64.encode(format!("{username}:{password}"))))]
        }
        AuthMethod::Token { key, value } => match key {
            Some(k) if !k.is_empty() => vec![(k.clone(), value.clone())],
            _ => vec![("authorization".into(), format!("Bearer {value}"))],
        },
        AuthMethod::HmacSha256 { client_id, client_secret } => {
            // The receiver recomputes HMAC-SHA256(secret, "timestamp.body") and checks the
            // timestamp is recent, which defeats replays.
            let ts = chrono::Utc::now().timestamp().to_string();
            let mut msg = Vec::with_capacity(ts.len() + 1 + req.body.len());
            msg.extend_from_slice(ts.as_bytes());
            msg.push(b'.');
            msg.extend_from_slice(req.body);
            let sig = hmac_sha256_hex(client_secret.as_bytes(), &msg);
            vec![(
                "authorization".into(),
                format!("HMAC-SHA256 Credential={client_id}, Timestamp={ts}, Signature={sig}"),
            )]
        }
        AuthMethod::Aws4 { access_key, secret_key, region, service, endpoint } => aws4::sign(
            &aws4::Aws4 {
                access_key,
                secret_key,
                region,
                service,
                endpoint: endpoint.as_deref(),
                method: "POST",
                extra: &[],
            },
            req.url,
            req.content_type,
            req.body,
            chrono::Utc::now(),
        ),
    }
}

/// OAuth2 client-credentials tokens, cached until shortly before they expire. One request
/// per credential at a time: deliveries that need a token while one is being fetched wait
/// for it and share it, so a burst sends the customer's token endpoint one request, not one
/// a delivery (per node).
#[derive(Default)]
pub struct TokenCache {
    slots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Cached>>>>>,
}

#[derive(Clone)]
struct Cached {
    token: String,
    until: Instant,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenCache {
    /// Bounds the memory kept whatever the number of credentials.
    const MAX: usize = 10_000;

    /// The slot of one credential; holding its lock is being the one who fetches.
    fn slot(&self, key: String) -> Arc<tokio::sync::Mutex<Option<Cached>>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots.len() >= Self::MAX && !slots.contains_key(&key) {
            slots.clear();
        }
        slots.entry(key).or_default().clone()
    }

    /// A bearer token for `method`. `refused` is a token the receiver just refused: unless
    /// another delivery has replaced it meanwhile, a new one is fetched.
    pub async fn bearer(
        &self,
        client: &crate::client::Client,
        method: &AuthMethod,
        refused: Option<&str>,
    ) -> Result<Option<String>, AuthError> {
        let AuthMethod::Oauth2 { token_url, client_id, client_secret, scope, audience } = method else {
            return Ok(None);
        };
        let key = format!(
            "{token_url}\u{1f}{client_id}\u{1f}{}\u{1f}{}",
            scope.as_deref().unwrap_or(""),
            audience.as_deref().unwrap_or("")
        );
        let slot = self.slot(key);
        let mut cached = slot.lock().await;
        if let Some(c) = cached.as_ref()
            && Instant::now() < c.until
            && refused != Some(c.token.as_str())
        {
            return Ok(Some(c.token.clone()));
        }
        let fetched = fetch(client, token_url, client_id, client_secret, scope.as_deref(), audience.as_deref()).await?;
        *cached = Some(fetched.clone());
        Ok(Some(fetched.token))
    }
}

/// One client-credentials token request.
async fn fetch(
    client: &crate::client::Client,
    token_url: &str,
    client_id: &str,
    client_secret: &str,
    scope: Option<&str>,
    audience: Option<&str>,
) -> Result<Cached, AuthError> {
    let mut form =
        vec![("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", client_secret)];
    if let Some(s) = scope {
        form.push(("scope", s));
    }
    if let Some(a) = audience {
        form.push(("audience", a));
    }
    let err = |message: String| AuthError::OAuth { url: token_url.to_owned(), message };
    let body = serde_urlencoded::to_string(&form).map_err(|e| err(e.to_string()))?;
    let target = crate::client::Target::parse(token_url).map_err(|e| err(e.message))?;
    let form_type = [("content-type".to_owned(), "application/x-www-form-urlencoded".to_owned())];
    let resp =
        client.post(&target, &form_type, body.into(), Duration::from_secs(10)).await.map_err(|e| err(e.message))?;
    if !(200..300).contains(&resp.status) {
        return Err(err(format!("status {}", resp.status)));
    }
    let parsed: TokenResponse = serde_json::from_str(&resp.body).map_err(|e| err(e.to_string()))?;
    let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600).saturating_sub(30).max(1));
    Ok(Cached { token: parsed.access_token, until: Instant::now() + lifetime })
}
