//! Webhooks: their options, how hookd authenticates to their receivers, their state.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ActorRef, Environment, Timestamp};
use crate::id::{MemberId, OrgId, WebhookId};
use crate::secret::SealedSecret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ContentType {
    #[default]
    Json,
    Form,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PayloadFormat {
    #[default]
    Envelope,
    Thin,
    Raw,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookOptions {
    pub verify_tls: bool,
    pub content_type: ContentType,
    pub payload: PayloadFormat,
    #[schema(minimum = 1, maximum = 100)]
    pub max_events_per_request: u32,
    /// With `max_events_per_request` > 1: how long the first event waits for others to fill
    /// its request, so that a burst goes out in full batches whatever its timing.
    #[schema(minimum = 0, maximum = 10000)]
    pub batch_window_ms: u32,
    #[schema(minimum = 100, maximum = 60000)]
    pub timeout_ms: u32,
    pub headers: BTreeMap<String, String>,
    pub ordered: bool,
    /// Requests a second at most (per node); `null`: no limit.
    #[schema(minimum = 1, maximum = 100000)]
    pub rate_limit_per_s: Option<u32>,
    /// Requests out at once at most (per node; one while the circuit is open). Beside it, an
    /// org's webhooks together get an even split of a node's slots with the other orgs'.
    #[schema(minimum = 1, maximum = 1000)]
    pub max_in_flight: u32,
    pub legacy_signature: bool,
    /// Sends a W3C `traceparent` header: the attempt's span while hookd exports traces,
    /// otherwise the one the event was published with, if any.
    pub traceparent: bool,
}

/// Requests out at once to one webhook, by default (per node).
pub const DEFAULT_MAX_IN_FLIGHT: u32 = 32;

/// Whether a node sends to a webhook freely or one request at a time, because its receiver
/// timed out again and again (a request that answers, whatever its status, closes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Circuit {
    Closed,
    Open { since: DateTime<Utc>, timeouts_in_a_row: u32 },
}

/// How long a batching webhook's first event waits for more, by default.
pub const DEFAULT_BATCH_WINDOW_MS: u32 = 50;

impl Default for WebhookOptions {
    fn default() -> Self {
        Self {
            verify_tls: true,
            content_type: ContentType::Json,
            payload: PayloadFormat::Envelope,
            max_events_per_request: 1,
            batch_window_ms: DEFAULT_BATCH_WINDOW_MS,
            timeout_ms: 10_000,
            headers: BTreeMap::new(),
            ordered: false,
            rate_limit_per_s: None,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            legacy_signature: false,
            traceparent: false,
        }
    }
}

/// How hookd authenticates itself to the receiver, beside the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthMethod {
    // A struct variant: a unit variant would take unknown fields silently.
    None {},
    Headers {
        headers: BTreeMap<String, String>,
    },
    Basic {
        username: String,
        password: String,
    },
    Token {
        #[serde(default)]
        key: Option<String>,
        value: String,
    },
    HmacSha256 {
        client_id: String,
        client_secret: String,
    },
    Aws4 {
        access_key: String,
        secret_key: String,
        region: String,
        service: String,
        /// The AWS endpoint the request is for, when the URL reaches it by another name (a VPC
        /// endpoint, a proxy): hookd signs for its host and sends it as `Host`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
    },
    Oauth2 {
        token_url: String,
        client_id: String,
        client_secret: String,
        #[serde(default)]
        scope: Option<String>,
        #[serde(default)]
        audience: Option<String>,
    },
    Mtls {
        cert_pem: String,
        key_pem: String,
    },
}

impl AuthMethod {
    /// Its `type`, as the API names it.
    pub fn type_name(&self) -> &'static str {
        match self {
            AuthMethod::None {} => "none",
            AuthMethod::Headers { .. } => "headers",
            AuthMethod::Basic { .. } => "basic",
            AuthMethod::Token { .. } => "token",
            AuthMethod::HmacSha256 { .. } => "hmac_sha256",
            AuthMethod::Aws4 { .. } => "aws4",
            AuthMethod::Oauth2 { .. } => "oauth2",
            AuthMethod::Mtls { .. } => "mtls",
        }
    }

    /// The same method with every secret replaced by `****` and its last four characters.
    pub fn masked(&self) -> AuthMethod {
        use crate::secret::mask;
        match self.clone() {
            AuthMethod::None {} => AuthMethod::None {},
            AuthMethod::Headers { headers } => {
                AuthMethod::Headers { headers: headers.into_iter().map(|(k, v)| (k, mask(&v))).collect() }
            }
            AuthMethod::Basic { username, password } => AuthMethod::Basic { username, password: mask(&password) },
            AuthMethod::Token { key, value } => AuthMethod::Token { key, value: mask(&value) },
            AuthMethod::HmacSha256 { client_id, client_secret } => {
                AuthMethod::HmacSha256 { client_id, client_secret: mask(&client_secret) }
            }
            AuthMethod::Aws4 { access_key, secret_key, region, service, endpoint } => {
                AuthMethod::Aws4 { access_key, secret_key: mask(&secret_key), region, service, endpoint }
            }
            AuthMethod::Oauth2 { token_url, client_id, client_secret, scope, audience } => {
                AuthMethod::Oauth2 { token_url, client_id, client_secret: mask(&client_secret), scope, audience }
            }
            AuthMethod::Mtls { cert_pem, key_pem } => AuthMethod::Mtls { cert_pem, key_pem: mask(&key_pem) },
        }
    }
}

impl AuthMethod {
    /// This method with every secret that a client sent back in its masked form (`****abcd`,
    /// as it was shown) replaced by the stored secret it stands for; other fields as sent.
    pub fn keep_secrets_of(self, stored: &AuthMethod) -> AuthMethod {
        use crate::secret::mask;
        let keep =
            |new: String, old: &str| if new.starts_with("****") && new == mask(old) { old.to_owned() } else { new };
        match (self, stored) {
            (AuthMethod::Headers { headers }, AuthMethod::Headers { headers: old }) => AuthMethod::Headers {
                headers: headers
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match old.get(&k) {
                            Some(o) => keep(v, o),
                            None => v,
                        };
                        (k, v)
                    })
                    .collect(),
            },
            (AuthMethod::Basic { username, password }, AuthMethod::Basic { password: old, .. }) => {
                AuthMethod::Basic { username, password: keep(password, old) }
            }
            (AuthMethod::Token { key, value }, AuthMethod::Token { value: old, .. }) => {
                AuthMethod::Token { key, value: keep(value, old) }
            }
            (
                AuthMethod::HmacSha256 { client_id, client_secret },
                AuthMethod::HmacSha256 { client_secret: old, .. },
            ) => AuthMethod::HmacSha256 { client_id, client_secret: keep(client_secret, old) },
            (
                AuthMethod::Aws4 { access_key, secret_key, region, service, endpoint },
                AuthMethod::Aws4 { secret_key: old, .. },
            ) => AuthMethod::Aws4 { access_key, secret_key: keep(secret_key, old), region, service, endpoint },
            (
                AuthMethod::Oauth2 { token_url, client_id, client_secret, scope, audience },
                AuthMethod::Oauth2 { client_secret: old, .. },
            ) => AuthMethod::Oauth2 { token_url, client_id, client_secret: keep(client_secret, old), scope, audience },
            (AuthMethod::Mtls { cert_pem, key_pem }, AuthMethod::Mtls { key_pem: old, .. }) => {
                AuthMethod::Mtls { cert_pem, key_pem: keep(key_pem, old) }
            }
            (other, _) => other,
        }
    }
}

impl WebhookAuth {
    /// [`AuthMethod::keep_secrets_of`] for the default method and each organization's.
    pub fn keep_secrets_of(self, stored: &WebhookAuth) -> WebhookAuth {
        WebhookAuth {
            method: self.method.keep_secrets_of(&stored.method),
            per_org: self
                .per_org
                .into_iter()
                .map(|(org, m)| {
                    let m = match stored.per_org.get(&org) {
                        Some(old) => m.keep_secrets_of(old),
                        None => m,
                    };
                    (org, m)
                })
                .collect(),
        }
    }
}

/// A webhook's outbound authentication, with optional per-child-org overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct WebhookAuth {
    #[serde(flatten)]
    pub method: AuthMethod,
    /// Credentials to use instead for the events of a child organization, by its ID.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub per_org: BTreeMap<OrgId, AuthMethod>,
}

/// By hand: `#[serde(flatten)]` would let unknown fields through unnoticed (a misspelt
/// `pasword`, say), which `AuthMethod` refuses when it reads the rest of the object itself.
impl<'de> Deserialize<'de> for WebhookAuth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut fields = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let per_org = match fields.remove("per_org") {
            Some(v) => serde_json::from_value(v).map_err(|e| D::Error::custom(format!("per_org: {e}")))?,
            None => BTreeMap::new(),
        };
        let method = AuthMethod::deserialize(serde_json::Value::Object(fields)).map_err(D::Error::custom)?;
        Ok(Self { method, per_org })
    }
}

impl Default for WebhookAuth {
    fn default() -> Self {
        Self { method: AuthMethod::None {}, per_org: BTreeMap::new() }
    }
}

impl WebhookAuth {
    pub fn masked(&self) -> WebhookAuth {
        WebhookAuth {
            method: self.method.masked(),
            per_org: self.per_org.iter().map(|(k, v)| (k.clone(), v.masked())).collect(),
        }
    }

    /// The credentials to use for an event of `org`.
    pub fn for_org(&self, org: &OrgId) -> &AuthMethod {
        self.per_org.get(org).unwrap_or(&self.method)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WebhookStatus {
    pub enabled: bool,
    pub reason: Option<String>,
    pub changed_at: DateTime<Utc>,
    /// `operator`, a member or token ID, or `hookd` when the service changed it itself.
    #[schema(value_type = Option<String>)]
    pub changed_by: Option<ActorRef>,
}

impl WebhookStatus {
    /// A change hookd makes itself (a 410, or failing too long), named `hookd`.
    pub fn by_hookd(enabled: bool, reason: &str, at: DateTime<Utc>) -> Self {
        Self { enabled, reason: Some(reason.to_owned()), changed_at: at, changed_by: Some(ActorRef::Hookd) }
    }

    /// A change made by a person or client, named as `by`.
    pub fn by(enabled: bool, by: ActorRef, at: DateTime<Utc>) -> Self {
        let verb = if enabled { "Enabled" } else { "Disabled" };
        Self { enabled, reason: Some(format!("{verb} by {by}")), changed_at: at, changed_by: Some(by) }
    }
}

/// JavaScript run on each request before it is signed and sent (Svix's contract: a
/// `handler(webhook)` that returns the webhook, changed, or sets `cancel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "function handler(webhook) {\n  webhook.payload = {text: `New ${webhook.eventType}`};\n  return webhook;\n}", "enabled": true}))]
pub struct Transformation {
    pub code: String,
    /// Off keeps the code but sends requests as they are.
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

/// A webhook as stored: secrets are sealed with the master key.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub id: WebhookId,
    pub org_id: OrgId,
    pub name: String,
    pub url: String,
    pub description: Option<String>,
    pub event_types: Vec<String>,
    pub environment: Environment,
    pub owner_id: Option<MemberId>,
    pub include_child_orgs: bool,
    pub options: WebhookOptions,
    /// Which events it receives, of those it subscribes to; `None` for all.
    pub filter: Option<crate::filter::Filter>,
    pub transformation: Option<Transformation>,
    pub signing_enabled: bool,
    pub signing_secret: SealedSecret,
    /// The secrets rotated out that still sign, sealed together (a
    /// [`crate::rotation::RotatedOut`]), and when the last of them stops.
    pub rotated_out: Option<(SealedSecret, Timestamp)>,
    pub auth: SealedSecret,
    /// Where its deliveries go; `url` says where in words.
    pub destination_kind: super::DestinationKind,
    /// The [`super::Destination`]'s settings, sealed (they hold credentials): `None` for the
    /// kinds without any (`http`, `poll`).
    pub destination: Option<SealedSecret>,
    pub status: WebhookStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_triggered_at: Option<DateTime<Utc>>,
    /// When the current streak of failures began (reset by any success); kept by the store.
    pub failing_since: Option<DateTime<Utc>>,
    /// Deliveries that failed for good during the current streak; kept by the store.
    pub failed_deliveries: u32,
    /// One more with every update of the stored row (so equal revisions mean equal rows);
    /// kept by the store.
    pub revision: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_secrets_sent_back_keep_the_stored_ones() {
        let stored = AuthMethod::Basic { username: "ada".into(), password: "correct horse battery".into() };
        let shown = stored.masked();
        let AuthMethod::Basic { password: masked, .. } = &shown else { unreachable!() };
        let edited = AuthMethod::Basic { username: "grace".into(), password: masked.clone() };
        assert_eq!(
            edited.keep_secrets_of(&stored),
            AuthMethod::Basic { username: "grace".into(), password: "correct horse battery".into() }
        );
        let replaced = AuthMethod::Basic { username: "ada".into(), password: "new one".into() };
        assert_eq!(replaced.clone().keep_secrets_of(&stored), replaced);
        let other_type = AuthMethod::Token { key: None, value: masked.clone() };
        assert_eq!(other_type.clone().keep_secrets_of(&stored), other_type, "a different type keeps nothing");
    }
}
