//! Secrets at rest: sealed with the master key (XChaCha20-Poly1305), shown masked.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the master key must be 32 bytes, given as 64 hex characters or base64")]
    BadKey,
    #[error("a sealed secret could not be opened: wrong master key or corrupted data")]
    Open,
}

/// The key that seals every secret hookd stores.
#[derive(Clone)]
pub struct MasterKey(XChaCha20Poly1305);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(****)")
    }
}

/// Ciphertext with its nonce in front. Never holds plain text.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedSecret(pub Vec<u8>);

impl std::fmt::Debug for SealedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedSecret({} bytes)", self.0.len())
    }
}

impl MasterKey {
    pub fn generate() -> (Self, String) {
        let bytes: [u8; 32] = rand::random();
        (Self(XChaCha20Poly1305::new((&bytes).into())), hex::encode(bytes))
    }

    /// Parses 64 hex characters or standard base64 of 32 bytes.
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let text = text.trim();
        let bytes = hex::decode(text).ok().or_else(|| B64.decode(text).ok()).ok_or(SecretError::BadKey)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| SecretError::BadKey)?;
        Ok(Self(XChaCha20Poly1305::new((&bytes).into())))
    }

    pub fn seal(&self, plain: &[u8]) -> SealedSecret {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let mut out = nonce.to_vec();
        // Encryption with a fresh nonce and an in-memory buffer cannot fail.
        let ct = self.0.encrypt(XNonce::from_slice(&nonce), plain).unwrap_or_default();
        out.extend_from_slice(&ct);
        SealedSecret(out)
    }

    pub fn open(&self, sealed: &SealedSecret) -> Result<Vec<u8>, SecretError> {
        if sealed.0.len() < NONCE_LEN {
            return Err(SecretError::Open);
        }
        let (nonce, ct) = sealed.0.split_at(NONCE_LEN);
        self.0.decrypt(XNonce::from_slice(nonce), ct).map_err(|_| SecretError::Open)
    }

    pub fn seal_str(&self, plain: &str) -> SealedSecret {
        self.seal(plain.as_bytes())
    }

    pub fn open_string(&self, sealed: &SealedSecret) -> Result<String, SecretError> {
        String::from_utf8(self.open(sealed)?).map_err(|_| SecretError::Open)
    }
}

/// `****` followed by the last four characters (fewer for short secrets).
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let keep = if chars.len() >= 12 { 4 } else { 0 };
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trips_and_hides_plain_text() {
        let (key, hexkey) = MasterKey::generate();
        let sealed = key.seal_str("whsec_supersecretvalue");
        assert!(!sealed.0.windows(6).any(|w| w == b"secret"));
        assert_eq!(key.open_string(&sealed).unwrap(), "whsec_supersecretvalue");
        let same = MasterKey::parse(&hexkey).unwrap();
        assert_eq!(same.open_string(&sealed).unwrap(), "whsec_supersecretvalue");
        let (other, _) = MasterKey::generate();
        assert!(other.open(&sealed).is_err());
    }

    #[test]
    fn mask_keeps_last_four_of_long_secrets_only() {
        assert_eq!(mask("whsec_abcdefghijkl"), "****ijkl");
        assert_eq!(mask("short"), "****");
    }
}
