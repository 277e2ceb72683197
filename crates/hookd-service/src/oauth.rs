//! OAuth2 for third-party applications (RFC 6749's client-credentials grant): an access
//! token's ID and value are a client's credentials, exchanged at `POST /api/v1/oauth/token`
//! for a bearer token that works for an hour with the same org and role.
//!
//! The bearer token holds nothing secret of its own: it is the SHA-256 of the access token it
//! came from and its expiry, sealed with the master key (authenticated encryption), so every
//! node can check it without a table, and revoking the access token ends it at once (each
//! use looks the access token up again).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde::{Deserialize, Serialize};

use super::tokens::token_hash;
use super::{Ops, OpsError, OpsResult};

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

/// Who asks for a grant: the client ID, and the address it asks from.
type Caller = (String, Option<IpAddr>);

/// Refused grants per client ID and address: a client secret cannot be guessed, but each try
/// costs a look-up, and a flood of them from one place is refused without one. Keyed by both,
/// so a flood against one client from one address locks out neither that client elsewhere nor
/// other clients there.
#[derive(Default)]
pub(crate) struct GrantFailures {
    /// Tries left, and when they were last counted.
    by_caller: Mutex<HashMap<Caller, (f64, Instant)>>,
}

impl GrantFailures {
    /// Refused grants in a row before a caller must wait.
    const BURST: f64 = 10.0;
    /// How long until one more refused grant is allowed.
    const EVERY: Duration = Duration::from_secs(6);
    /// Bounds the memory kept whatever the number of callers.
    const MAX: usize = 10_000;

    /// How long the caller must wait before trying again, if it must.
    fn wait(&self, caller: &Caller) -> Option<Duration> {
        let map = self.by_caller.lock().ok()?;
        let (left, at) = map.get(caller)?;
        let left = (left + at.elapsed().as_secs_f64() / Self::EVERY.as_secs_f64()).min(Self::BURST);
        (left < 1.0).then(|| Self::EVERY.mul_f64(1.0 - left))
    }

    fn refused(&self, caller: Caller) {
        let Ok(mut map) = self.by_caller.lock() else { return };
        if map.len() >= Self::MAX && !map.contains_key(&caller) {
            map.clear();
        }
        let (left, at) = map.entry(caller).or_insert((Self::BURST, Instant::now()));
        *left = (*left + at.elapsed().as_secs_f64() / Self::EVERY.as_secs_f64()).min(Self::BURST) - 1.0;
        *at = Instant::now();
    }
}

impl Ops {
    /// The client-credentials grant: `client_id` is an access token's ID, `client_secret` its
    /// value. `None` when they are not one live token's (RFC 6749's `invalid_client`). After
    /// ten refusals for one client from one address (`from`), one more try every six seconds.
    pub async fn grant_client_credentials(
        &self,
        client_id: &str,
        client_secret: &str,
        from: Option<IpAddr>,
    ) -> OpsResult<Option<Grant>> {
        let caller = (client_id.to_owned(), from);
        if let Some(wait) = self.grant_failures.wait(&caller) {
            return Err(OpsError::TooManyAttempts(wait));
        }
        let hash = token_hash(client_secret);
        let token = self.store.token_by_hash(&hash).await?.filter(|t| t.id.as_str() == client_id);
        if token.is_none() {
            self.grant_failures.refused(caller);
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

    #[tokio::test]
    async fn a_flood_of_refused_grants_waits_and_others_do_not() {
        let (ops, _dir) = ops().await;
        let here = Some(IpAddr::from([127, 0, 0, 1]));
        for _ in 0..10 {
            assert!(ops.grant_client_credentials("tok_x", "wrong", here).await.unwrap().is_none());
        }
        let refused = ops.grant_client_credentials("tok_x", "wrong", here).await;
        assert!(matches!(refused, Err(OpsError::TooManyAttempts(w)) if w <= GrantFailures::EVERY), "{refused:?}");
        let elsewhere = ops.grant_client_credentials("tok_x", "wrong", Some(IpAddr::from([10, 0, 0, 1]))).await;
        assert!(elsewhere.unwrap().is_none(), "another address still gets an answer");
        assert!(ops.grant_client_credentials("tok_y", "wrong", here).await.unwrap().is_none(), "another client too");
    }
}
