//! The domain records hookd keeps: organizations, members, the event-type catalog,
//! webhooks, events, deliveries and attempts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::envelope::Recipe;
use crate::id::{AttemptId, DeliveryId, EventId, MemberId, OrgId, TokenId, WebhookId};
use crate::secret::SealedSecret;

pub type Timestamp = DateTime<Utc>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Member,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    /// Admins and members manage webhooks; viewers only read.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Admin | Role::Member)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    Active,
    Disabled,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::Disabled => "disabled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "disabled" => Some(Self::Disabled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Live,
    Test,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Live => "live",
            Environment::Test => "test",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "live" => Some(Self::Live),
            "test" => Some(Self::Test),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Org {
    pub id: OrgId,
    pub name: String,
    pub parent_id: Option<OrgId>,
    /// What the operator turned on for this org: [`FEATURE_WEBHOOKS`] gates everything
    /// webhook-related (a new org has it unless the operator says otherwise).
    pub features: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// Who made a change, as records keep it (`status.changed_by`, an audit entry's `actor`):
/// written `hookd`, `operator`, `tok_…` or `mbr_…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum ActorRef {
    /// hookd itself: a 410, a webhook failing too long, a feature turned off.
    Hookd,
    Operator,
    Token(TokenId),
    Member(MemberId),
}

impl ActorRef {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "hookd" => Self::Hookd,
            "operator" => Self::Operator,
            t if t.starts_with("tok_") => Self::Token(TokenId::parse(t).ok()?),
            m => Self::Member(MemberId::parse(m).ok()?),
        })
    }
}

impl std::fmt::Display for ActorRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Hookd => f.write_str("hookd"),
            Self::Operator => f.write_str("operator"),
            Self::Token(id) => id.fmt(f),
            Self::Member(id) => id.fmt(f),
        }
    }
}

impl From<ActorRef> for String {
    fn from(a: ActorRef) -> Self {
        a.to_string()
    }
}

impl TryFrom<String> for ActorRef {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| format!("`{s}` is not hookd, operator, a token or a member ID"))
    }
}

/// One change to an org, as its audit log keeps it: who made it, what and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: crate::AuditId,
    pub org_id: OrgId,
    pub at: DateTime<Utc>,
    /// Who: `operator`, an access token (`tok_…`) or a member signed in to the portal (`mbr_…`).
    #[schema(value_type = String)]
    pub actor: ActorRef,
    /// What, as `resource.verb`: `webhook.created`, `member.deleted`, `token.deleted`, …
    pub action: String,
    /// The ID of what changed.
    pub target: String,
    /// In words, without secrets.
    pub summary: String,
}

/// The feature that lets an org's webhooks exist, be managed and fire.
pub const FEATURE_WEBHOOKS: &str = "webhooks";

impl Org {
    pub fn has(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub id: MemberId,
    pub org_id: OrgId,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub role: Role,
    pub groups: Vec<String>,
    pub external_id: Option<String>,
    pub status: MemberStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventType {
    pub name: String,
    pub group: String,
    pub description: String,
    /// A JSON Schema the payloads must fit.
    #[schema(schema_with = any_json)]
    pub schema: Option<serde_json::Value>,
    /// An example payload: any JSON value.
    #[schema(schema_with = any_json)]
    pub example: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

/// The schema of a field that holds any JSON value (or `null`), as payloads may.
pub fn any_json() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::SchemaType::AnyValue).build()
}

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
    pub signing_enabled: bool,
    pub signing_secret: SealedSecret,
    /// The secrets rotated out that still sign, sealed together (a
    /// [`crate::rotation::RotatedOut`]), and when the last of them stops.
    pub rotated_out: Option<(SealedSecret, Timestamp)>,
    pub auth: SealedSecret,
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

#[derive(Debug, Clone)]
pub struct Event {
    pub id: EventId,
    pub org_id: OrgId,
    pub event_type: String,
    /// The payload exactly as published (validated JSON text), so it is never re-parsed.
    pub payload: String,
    pub resource_url: Option<String>,
    pub environment: Environment,
    pub visible_to: Vec<String>,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub idempotency_key: Option<String>,
    /// The W3C `traceparent` of its publish: the parent of its deliveries' spans, and what
    /// `options.traceparent` sends receivers.
    pub traceparent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Waiting for its next attempt (possibly leased by a worker right now).
    Pending,
    Succeeded,
    /// Every scheduled attempt failed, or the webhook was disabled.
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "succeeded" => Some(Self::Succeeded),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    Auto,
    Retry,
    Manual,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Retry => "retry",
            Self::Manual => "manual",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Self::Auto),
            "retry" => Some(Self::Retry),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    pub id: DeliveryId,
    pub org_id: OrgId,
    pub webhook_id: WebhookId,
    pub event_id: EventId,
    pub state: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub next_trigger: Trigger,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What became of an event's deliveries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeliveryCounts {
    pub total: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub pending: u64,
}

impl DeliveryCounts {
    pub fn add(&mut self, state: DeliveryState, n: u64) {
        self.total += n;
        match state {
            DeliveryState::Succeeded => self.succeeded += n,
            DeliveryState::Failed => self.failed += n,
            DeliveryState::Pending => self.pending += n,
        }
    }
}

/// Why an attempt got no 2xx, when it got no response at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttemptErrorKind {
    Timeout,
    Refused,
    Dns,
    Tls,
    Ssrf,
    Connection,
    InvalidUrl,
    Auth,
}

impl AttemptErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Refused => "refused",
            Self::Dns => "dns",
            Self::Tls => "tls",
            Self::Ssrf => "ssrf",
            Self::Connection => "connection",
            Self::InvalidUrl => "invalid_url",
            Self::Auth => "auth",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "timeout" => Self::Timeout,
            "refused" => Self::Refused,
            "dns" => Self::Dns,
            "tls" => Self::Tls,
            "ssrf" => Self::Ssrf,
            "connection" => Self::Connection,
            "invalid_url" => Self::InvalidUrl,
            "auth" => Self::Auth,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttemptError {
    pub kind: AttemptErrorKind,
    pub message: String,
}

/// One HTTP request made for a delivery, with what came back.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Attempt {
    pub id: AttemptId,
    pub org_id: OrgId,
    pub delivery_id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event_ids: Vec<EventId>,
    /// The types of `event_ids`, one each, in their order.
    pub event_types: Vec<String>,
    pub url: String,
    pub sent_at: DateTime<Utc>,
    pub response_status: Option<u16>,
    /// From sending the request to the end of the answer (or of waiting for one).
    pub duration_us: u64,
    pub error: Option<AttemptError>,
    pub trigger: Trigger,
    pub request_headers: Vec<(String, String)>,
    /// The API shows an attempt's body as text: the store renders a recipe again on reading.
    #[schema(value_type = String)]
    pub request_body: RequestBody,
    pub response_headers: Vec<(String, String)>,
    pub response_body: String,
}

/// Request and response bodies kept in the history are cut here.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Bytes as the history keeps them: at most [`BODY_LIMIT`] of them, as text, without a copy
/// when they are UTF-8 (as JSON and forms are).
pub fn history_text(mut bytes: Vec<u8>) -> String {
    bytes.truncate(BODY_LIMIT);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// An attempt's request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequestBody {
    /// The body as the history shows it (see [`history_text`]).
    Text(String),
    /// Made from the attempt's events with this recipe, and made again from them when the
    /// attempt is read: an event fanned out to N webhooks keeps its payload once, not N + 1
    /// times.
    Rendered(Recipe),
}

impl Attempt {
    /// [`Attempt::duration_us`] in milliseconds, as the API and the portal show it.
    pub fn duration_ms(&self) -> f64 {
        self.duration_us as f64 / 1000.0
    }

    pub fn succeeded(&self) -> bool {
        self.error.is_none() && self.response_status.is_some_and(|s| (200..300).contains(&s))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccessToken {
    pub id: TokenId,
    pub org_id: OrgId,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A one-time link that signs a member in to the portal. Only its secret's hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginLink {
    pub org_id: OrgId,
    pub member_id: MemberId,
    /// A portal path to open after signing in.
    pub return_to: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A member's portal session, opened by a login link. Only its cookie's hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub org_id: OrgId,
    pub member_id: MemberId,
    /// The token every state-changing request of this session must carry.
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
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
