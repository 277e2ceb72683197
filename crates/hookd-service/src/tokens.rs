//! Access tokens: issued once, stored as their SHA-256, renamed, revoked; and the one way a
//! bearer token becomes an [`Actor`].

use std::time::Duration;

use base64::Engine as _;
use hookd_core::model::{AccessToken, Role};
use hookd_core::{OrgId, TokenId, validation};
use hookd_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Access, Actor, Ops, OpsError, OpsResult, not_found};

/// `last_used_at` is written at most this often per token and node, not on every request.
pub const LAST_USED_EVERY: Duration = Duration::from_secs(60);

/// A new token (name and role required) or an edit (a new name; the role cannot change).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenIn {
    pub name: Option<String>,
    pub role: Option<Role>,
}

/// A token as created: the only time its value is shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: AccessToken,
    pub token_value: String,
}

/// A new random token: `hkd_` and 32 random bytes, URL-safe base64.
pub fn new_token_value() -> String {
    format!("hkd_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>()))
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Ops {
    /// Who a bearer token is: the operator, an org's token (itself, or a grant of the
    /// OAuth2 client-credentials flow made from it), or nobody (`None`).
    pub async fn authenticate(&self, bearer: &str) -> OpsResult<Option<Actor>> {
        let hash = match self.open_grant(bearer) {
            Some(hash) => hash,
            None if bearer.starts_with("hkdo_") => return Ok(None),
            None => token_hash(bearer),
        };
        if constant_time_eq(&hash, &self.config.operator_token_sha256) {
            return Ok(Some(Actor::Operator));
        }
        let token = match self.tokens.get(&hash) {
            Some(t) => t,
            None => match self.store.token_by_hash(&hash).await? {
                Some(t) => {
                    self.tokens.put(hash, t.clone());
                    t
                }
                None => return Ok(None),
            },
        };
        if self.token_use.get(&token.id).is_none() {
            self.token_use.put(token.id.clone(), ());
            // A failed write of when a token was last used must not fail the request.
            if let Err(e) = self.store.touch_token(&token.id, chrono::Utc::now()).await {
                tracing::warn!(error = %e, "could not record a token's last use");
            }
        }
        Ok(Some(Actor::Token { org_id: token.org_id, role: token.role, id: token.id }))
    }

    /// Creates a token for `org`, returning its value once.
    pub async fn create_token(&self, by: &Actor, org: &OrgId, input: TokenIn) -> OpsResult<CreatedToken> {
        by.authorize(org, Access::Admin)?;
        let role = input.role.ok_or_else(|| OpsError::invalid("role", "is required: admin, member or viewer"))?;
        let name = validation::name("name", input.name.as_deref().unwrap_or(""), 200)?;
        self.store.get_org(org).await.map_err(not_found("organization"))?;
        let value = new_token_value();
        let token = AccessToken {
            id: TokenId::new(),
            org_id: org.clone(),
            name,
            role,
            created_at: chrono::Utc::now(),
            last_used_at: None,
        };
        let summary = format!("created “{}” with the {} role", token.name, token.role.as_str());
        let audit = Self::audit(by, org, "token.created", &token.id, summary);
        self.store.create_token(&token, &token_hash(&value), &audit).await?;
        Ok(CreatedToken { token, token_value: value })
    }

    pub async fn list_tokens(&self, by: &Actor, org: &OrgId, page: &PageRequest<()>) -> OpsResult<Page<AccessToken>> {
        by.authorize(org, Access::Admin)?;
        Ok(self.store.list_tokens(org, page).await?)
    }

    /// Renames a token; its role cannot change (a token with another role is a new token).
    pub async fn update_token(&self, by: &Actor, org: &OrgId, id: &TokenId, input: TokenIn) -> OpsResult<AccessToken> {
        by.authorize(org, Access::Admin)?;
        if input.role.is_some() {
            return Err(OpsError::invalid("role", "a token's role cannot change; create a new token"));
        }
        let name = validation::name("name", input.name.as_deref().unwrap_or(""), 200)?;
        let audit = Self::audit(by, org, "token.updated", id, format!("renamed “{name}”"));
        let token = self.store.rename_token(org, id, &name, &audit).await.map_err(not_found("access token"))?;
        Ok(token)
    }

    /// Deletes (revokes) a token: it stops working at once on this node.
    pub async fn delete_token(&self, by: &Actor, org: &OrgId, id: &TokenId) -> OpsResult<()> {
        by.authorize(org, Access::Admin)?;
        let audit = Self::audit(by, org, "token.deleted", id, "revoked".into());
        self.store.delete_token(org, id, &audit).await.map_err(not_found("access token"))?;
        // Cached entries are keyed by hash, which is not kept: drop them all (revoking is rare).
        self.tokens.clear();
        Ok(())
    }
}
