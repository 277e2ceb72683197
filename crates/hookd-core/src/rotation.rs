//! Secrets rotated out and still honoured: every signing secret replaced in the last
//! [`OVERLAP`] keeps signing beside the new one, so that a receiver that has not updated
//! yet goes on verifying, however often the secret was rotated meanwhile.
//!
//! They are sealed together, as one value (a JSON list), in the webhook's
//! `previous_secret` column, with the time the last of them stops in `previous_until`.
//! Values written before there was a list hold one secret's text; they are read as a list
//! of one.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::secret::{MasterKey, SealedSecret, SecretError};
use crate::signing::SigningSecret;

/// How long a secret rotated out keeps signing.
pub const OVERLAP: TimeDelta = TimeDelta::hours(24);

/// The most secrets rotated out that sign beside the current one: each is one more
/// signature in every request's `webhook-signature`.
pub const MAX_KEPT: usize = 5;

/// The secrets rotated out, newest first, each with the time it stops signing.
#[derive(Debug, Clone, Default)]
pub struct RotatedOut(Vec<(SigningSecret, DateTime<Utc>)>);

#[derive(Serialize, Deserialize)]
struct Kept {
    secret: String,
    until: DateTime<Utc>,
}

impl RotatedOut {
    /// Opens what a webhook keeps (`until` is the stored `previous_until`).
    pub fn open(key: &MasterKey, sealed: &SealedSecret, until: DateTime<Utc>) -> Result<Self, SecretError> {
        let text = key.open_string(sealed)?;
        let bad = |_| SecretError::Open;
        if !text.starts_with('[') {
            return Ok(Self(vec![(SigningSecret::parse(&text).map_err(bad)?, until)]));
        }
        let kept: Vec<Kept> = serde_json::from_str(&text).map_err(|_| SecretError::Open)?;
        kept.into_iter()
            .map(|k| Ok((SigningSecret::parse(&k.secret).map_err(bad)?, k.until)))
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// Adds the secret being replaced at `now`, and drops those that have stopped or are past
    /// [`MAX_KEPT`] (the oldest go first).
    pub fn push(mut self, replaced: SigningSecret, now: DateTime<Utc>) -> Self {
        self.0.insert(0, (replaced, now + OVERLAP));
        self.0.retain(|(_, until)| *until > now);
        self.0.truncate(MAX_KEPT);
        self
    }

    /// The secrets that still sign at `now`, newest first.
    pub fn honoured(&self, now: DateTime<Utc>) -> impl Iterator<Item = &SigningSecret> {
        self.0.iter().filter(move |(_, until)| *until > now).map(|(s, _)| s)
    }

    /// The sealed value and when the last of the secrets stops; `None` when none is kept.
    pub fn seal(&self, key: &MasterKey) -> Option<(SealedSecret, DateTime<Utc>)> {
        let until = self.0.iter().map(|(_, u)| *u).max()?;
        let kept: Vec<Kept> = self.0.iter().map(|(s, u)| Kept { secret: s.to_text(), until: *u }).collect();
        let text = serde_json::to_string(&kept).unwrap_or_default();
        Some((key.seal_str(&text), until))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_rotated_out_within_the_overlap_is_kept_up_to_the_cap() {
        let (key, _) = MasterKey::generate();
        let t0 = Utc::now();
        let secrets: Vec<SigningSecret> = (0..7).map(|_| SigningSecret::generate()).collect();
        let mut kept = RotatedOut::default();
        for (i, s) in secrets.iter().take(3).enumerate() {
            let (sealed, until) = kept.seal(&key).unzip();
            if let (Some(sealed), Some(until)) = (sealed, until) {
                kept = RotatedOut::open(&key, &sealed, until).unwrap();
            }
            kept = kept.push(s.clone(), t0 + TimeDelta::hours(i as i64));
        }
        let now = t0 + TimeDelta::hours(3);
        let honoured: Vec<_> = kept.honoured(now).cloned().collect();
        assert_eq!(honoured, vec![secrets[2].clone(), secrets[1].clone(), secrets[0].clone()]);
        // Past the overlap of the first, it alone stops.
        let later = t0 + TimeDelta::hours(24) + TimeDelta::minutes(1);
        assert_eq!(kept.honoured(later).count(), 2);
        for s in &secrets[3..] {
            kept = kept.push(s.clone(), now);
        }
        assert_eq!(kept.len(), MAX_KEPT);
        assert_eq!(kept.honoured(now).next(), Some(&secrets[6]));
    }

    #[test]
    fn a_value_from_before_the_list_is_one_secret() {
        let (key, _) = MasterKey::generate();
        let s = SigningSecret::generate();
        let until = Utc::now() + TimeDelta::hours(1);
        let kept = RotatedOut::open(&key, &key.seal_str(&s.to_text()), until).unwrap();
        assert_eq!(kept.honoured(Utc::now()).collect::<Vec<_>>(), vec![&s]);
        assert!(RotatedOut::open(&key, &key.seal_str("[not json"), until).is_err());
    }
}
