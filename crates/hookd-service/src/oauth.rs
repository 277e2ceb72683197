//! OAuth2 for third-party applications (RFC 6749's client-credentials grant): an access
//! token's ID and value are a client's credentials, exchanged at `POST /api/v1/oauth/token`
//! for a bearer token that works for an hour with the same org and role.
//!
//! The bearer token holds nothing secret of its own: it is the SHA-256 of the access token it
//! came from and its expiry, sealed with the master key (authenticated encryption), so every
//! node can check it without a table, and revoking the access token ends it at once (each
//! use looks the access token up again).

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde::{Deserialize, Serialize};

use super::tokens::token_hash;
use super::{Ops, OpsResult};

/// How long a bearer token from the grant works.
pub const GRANT_TTL: Duration = Duration::from_secs(3600);

/// What marks a bearer token as one of the grant's.
const PREFIX: &str = "hkdo_";

/// The grant's answer, as RFC 6749 section 5.1 words it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Grant {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds the token works.
    pub expires_in: u64,
}

/// What a grant's bearer token holds, sealed.
#[derive(Serialize, Deserialize)]
struct Sealed {
    /// Hex SHA-256 of the access token it came from.
    h: String,
    /// Unix seconds when it stops working.
    exp: i64,
}

impl Ops {
    /// The client-credentials grant: `client_id` is an access token's ID, `client_secret` its
    /// value. `None` when they are not one live token's (RFC 6749's `invalid_client`).
    pub async fn grant_client_credentials(&self, client_id: &str, client_secret: &str) -> OpsResult<Option<Grant>> {
        let hash = token_hash(client_secret);
        let Some(token) = self.store.token_by_hash(&hash).await? else { return Ok(None) };
        if token.id.as_str() != client_id {
            return Ok(None);
        }
        let exp = chrono::Utc::now().timestamp() + GRANT_TTL.as_secs() as i64;
        Ok(Some(Grant {
            access_token: self.seal_grant(&hash, exp),
            token_type: "Bearer",
            expires_in: GRANT_TTL.as_secs(),
        }))
    }

    fn seal_grant(&self, hash: &[u8; 32], exp: i64) -> String {
        let inner = serde_json::to_string(&Sealed { h: hex::encode(hash), exp }).unwrap_or_default();
        format!("{PREFIX}{}", B64.encode(self.key.seal_str(&inner).0))
    }

    /// The access token hash inside a grant's bearer token, if it is one, unaltered and not
    /// expired.
    pub(super) fn open_grant(&self, bearer: &str) -> Option<[u8; 32]> {
        let sealed = B64.decode(bearer.strip_prefix(PREFIX)?).ok()?;
        let inner = self.key.open_string(&hookd_core::secret::SealedSecret(sealed)).ok()?;
        let s: Sealed = serde_json::from_str(&inner).ok()?;
        if s.exp <= chrono::Utc::now().timestamp() {
            return None;
        }
        hex::decode(s.h).ok()?.try_into().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::ops;

    #[tokio::test]
    async fn grants_open_until_they_expire_and_not_when_altered() {
        let (ops, _dir) = ops().await;
        let hash = token_hash("hkd_value");
        let now = chrono::Utc::now().timestamp();
        let live = ops.seal_grant(&hash, now + 60);
        assert_eq!(ops.open_grant(&live), Some(hash));
        assert_eq!(ops.open_grant(&ops.seal_grant(&hash, now - 1)), None, "expired");
        let mut altered = live.into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(ops.open_grant(&String::from_utf8(altered).unwrap()), None, "altered");
        assert_eq!(ops.open_grant("hkd_not_a_grant"), None);
        let (other, _dir2) = self::ops().await;
        assert_eq!(other.open_grant(&ops.seal_grant(&hash, now + 60)), None, "another master key");
    }
}
