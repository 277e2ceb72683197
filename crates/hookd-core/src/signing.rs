//! Signatures on the wire: Standard Webhooks (`webhook-signature: v1,…`) and the GitHub
//! style `X-Hub-Signature-256` / `X-Hub-Signature`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

const PREFIX: &str = "whsec_";

#[derive(Debug, thiserror::Error)]
#[error("a signing secret is `whsec_` followed by base64 of 24 to 64 bytes")]
pub struct BadSigningSecret;

/// A webhook's signing key. Its text form is `whsec_` + base64 of the key bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret(Vec<u8>);

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(****)")
    }
}

impl SigningSecret {
    pub fn generate() -> Self {
        Self(rand::random::<[u8; 24]>().to_vec())
    }

    pub fn parse(text: &str) -> Result<Self, BadSigningSecret> {
        let body = text.strip_prefix(PREFIX).ok_or(BadSigningSecret)?;
        let bytes = B64.decode(body).map_err(|_| BadSigningSecret)?;
        if !(24..=64).contains(&bytes.len()) {
            return Err(BadSigningSecret);
        }
        Ok(Self(bytes))
    }

    pub fn to_text(&self) -> String {
        format!("{PREFIX}{}", B64.encode(&self.0))
    }

    fn mac256(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!())
    }

    /// The `v1,BASE64` signature of Standard Webhooks over `id.timestamp.body`.
    pub fn standard(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = self.mac256();
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", B64.encode(mac.finalize().into_bytes()))
    }

    /// `sha256=HEX` of the body, as GitHub sends it.
    pub fn hub_sha256(&self, body: &[u8]) -> String {
        let mut mac = self.mac256();
        mac.update(body);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }

    /// `sha1=HEX` of the body, for receivers built for the older GitHub header.
    pub fn hub_sha1(&self, body: &[u8]) -> String {
        let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        mac.update(body);
        format!("sha1={}", hex::encode(mac.finalize().into_bytes()))
    }
}

/// HMAC-SHA256 of `message` under an arbitrary key, hex encoded (for `hmac_sha256` auth).
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

/// Raw HMAC-SHA256 (for AWS Signature Version 4 key derivation).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_text_round_trips() {
        let s = SigningSecret::generate();
        assert_eq!(SigningSecret::parse(&s.to_text()).unwrap(), s);
        assert!(SigningSecret::parse("nope").is_err());
    }

    #[test]
    fn standard_signature_matches_the_spec_example() {
        // The example from the Standard Webhooks specification.
        let s = SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let sig = s.standard("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
