//! The domain records hookd keeps: organizations, members, the event-type catalog,
//! webhooks, events, deliveries and attempts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::id::{MemberId, OrgId, TokenId};

mod delivery;
mod destination;
mod webhook;

pub use delivery::*;
pub use destination::*;
pub use webhook::*;

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
