//! Signing in to the portal: the operator asks for a one-time login link for a member; the
//! link is exchanged once for a session cookie; the session ends at sign-out, at expiry, and
//! as soon as the member is disabled or removed.

use std::time::Duration;

use base64::Engine as _;
use hookd_core::model::{LoginLink, Member, MemberStatus, Session};
use hookd_core::{MemberId, OrgId};
use hookd_store::StoreError;
use serde::Serialize;

use super::tokens::token_hash;
use super::{Actor, Ops, OpsError, OpsResult, not_found};

/// How long a login link works unless the operator asks for another time.
pub const LINK_TTL: Duration = Duration::from_secs(15 * 60);
/// The longest a login link may work.
pub const LINK_TTL_MAX: Duration = Duration::from_secs(7 * 24 * 3600);
/// Where the portal lives; a link's `return_to` must stay inside it.
pub const PORTAL_PREFIX: &str = "/portal";

/// A login link as the operator gets it: shown once, never stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedLink {
    pub url: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A session just opened: the cookie's value (shown to the browser only) and where to go.
#[derive(Debug)]
pub struct SignedIn {
    pub cookie: String,
    pub session: Session,
    pub return_to: String,
}

/// A request's signed-in member, as the portal's pages need it.
#[derive(Debug, Clone)]
pub struct Portal {
    pub actor: Actor,
    pub member: Member,
    pub session: Session,
}

fn random_secret() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// A portal path that stays on this server (no scheme, host, `//` or backslash tricks).
fn safe_return_to(path: &str) -> Option<String> {
    let inside = path == PORTAL_PREFIX || path.starts_with(&format!("{PORTAL_PREFIX}/"));
    let plain = !path.contains("//") && !path.contains('\\') && path.chars().all(|c| c.is_ascii_graphic());
    (inside && plain).then(|| path.to_owned())
}

impl Ops {
    /// A one-time link that signs `member` in (operator only). The secret travels in the
    /// URL's fragment, which browsers never send to a server or put in a `Referer`: the page
    /// it opens posts it once, to be exchanged for the session cookie.
    pub async fn create_login_link(
        &self,
        by: &Actor,
        org: &OrgId,
        member: &MemberId,
        expires_in: Option<Duration>,
        return_to: Option<String>,
    ) -> OpsResult<IssuedLink> {
        by.operator_only()?;
        let m = self.store.get_member(org, member).await.map_err(not_found("member"))?;
        if m.status != MemberStatus::Active {
            return Err(OpsError::invalid("member", "is disabled: enable the member before sending a link"));
        }
        let ttl = expires_in.unwrap_or(LINK_TTL);
        if ttl.is_zero() || ttl > LINK_TTL_MAX {
            return Err(OpsError::invalid("expires_in", "must be from 1 second to 7 days (604800 seconds)"));
        }
        let return_to = match return_to {
            None => None,
            Some(p) => Some(safe_return_to(&p).ok_or_else(|| {
                OpsError::invalid(
                    "return_to",
                    format!("must be a path under {PORTAL_PREFIX}, like {PORTAL_PREFIX}/webhooks"),
                )
            })?),
        };
        let now = chrono::Utc::now();
        let expires_at = now + chrono::Duration::from_std(ttl).map_err(|e| OpsError::Internal(e.into()))?;
        let link = LoginLink { org_id: org.clone(), member_id: member.clone(), return_to, created_at: now, expires_at };
        let secret = random_secret();
        self.store.create_login_link(&link, &token_hash(&secret)).await?;
        let base = self.config.public_url.trim_end_matches('/');
        Ok(IssuedLink { url: format!("{base}{PORTAL_PREFIX}/login#{secret}"), expires_at })
    }

    /// Exchanges a login link's secret for a session; a used, expired or unknown link, or one
    /// for a member who is no longer active, is refused. The link is used up only after its
    /// member was read and found active, so a database that fails meanwhile leaves a valid
    /// link valid and says it is unavailable rather than blaming the link.
    pub async fn sign_in(&self, secret: &str) -> OpsResult<SignedIn> {
        let refused = || OpsError::Forbidden("this sign-in link was already used or has expired".into());
        // Only "no such link" blames the link; any other failure says what it is.
        let or_refused = |e: StoreError| match e {
            StoreError::NotFound => refused(),
            other => other.into(),
        };
        let hash = token_hash(secret.trim());
        let link = self.store.login_link(&hash, chrono::Utc::now()).await.map_err(or_refused)?;
        match self.store.get_member(&link.org_id, &link.member_id).await {
            Ok(m) if m.status == MemberStatus::Active => {}
            Ok(_) | Err(StoreError::NotFound) => return Err(refused()),
            Err(e) => return Err(e.into()),
        }
        // Of two requests with the same link, one gets past this.
        let link = self.store.redeem_login_link(&hash, chrono::Utc::now()).await.map_err(or_refused)?;
        let now = chrono::Utc::now();
        let ttl = chrono::Duration::from_std(self.config.session_ttl).map_err(|e| OpsError::Internal(e.into()))?;
        let session = Session {
            org_id: link.org_id,
            member_id: link.member_id,
            csrf: random_secret(),
            created_at: now,
            expires_at: now + ttl,
        };
        let cookie = random_secret();
        self.store.create_session(&session, &token_hash(&cookie)).await?;
        let return_to = link.return_to.unwrap_or_else(|| format!("{PORTAL_PREFIX}/webhooks"));
        Ok(SignedIn { cookie, session, return_to })
    }

    /// The member a session cookie signs in, while the session lasts and the member is
    /// active; `None` otherwise (a session of a disabled or removed member ends here).
    pub async fn session(&self, cookie: &str) -> OpsResult<Option<Portal>> {
        let hash = token_hash(cookie);
        let Some(session) = self.store.session_by_hash(&hash, chrono::Utc::now()).await? else { return Ok(None) };
        let member = match self.store.get_member(&session.org_id, &session.member_id).await {
            Ok(m) if m.status == MemberStatus::Active => m,
            Ok(_) | Err(StoreError::NotFound) => {
                self.store.delete_session(&hash).await?;
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        };
        let actor = Actor::Member { org_id: member.org_id.clone(), role: member.role, id: member.id.clone() };
        Ok(Some(Portal { actor, member, session }))
    }

    pub async fn sign_out(&self, cookie: &str) -> OpsResult<()> {
        Ok(self.store.delete_session(&token_hash(cookie)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return_to;

    #[test]
    fn return_to_stays_inside_the_portal() {
        assert_eq!(safe_return_to("/portal/webhooks").as_deref(), Some("/portal/webhooks"));
        assert!(safe_return_to("https://evil.example/portal").is_none());
        assert!(safe_return_to("//evil.example/portal").is_none());
        assert!(safe_return_to("/portal//evil.example").is_none());
        assert!(safe_return_to("/portal\\x").is_none());
        assert!(safe_return_to("/portalx").is_none());
        assert!(safe_return_to("/api/v1/orgs").is_none());
    }
}
