//! Prefixed, time-sortable identifiers (`wh_01j…`).
//!
//! The 26 characters after the prefix are a ULID-like Crockford base32 string: 48 bits of
//! milliseconds then 80 random bits. Sorting IDs as strings sorts them by creation time, so
//! keyset pagination on the ID is pagination in creation order.

use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const BODY_LEN: usize = 26;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {kind} id (expected `{prefix}_` followed by 26 base32 characters)")]
pub struct IdParseError {
    pub kind: &'static str,
    pub prefix: &'static str,
    pub value: String,
}

/// A prefixed ID (`prefix_` and the body) for the given wall-clock milliseconds. IDs made in
/// the same millisecond by this process still sort in the order they were made (the random
/// part of the last one plus one, as monotonic ULIDs do): an ordered webhook sends its
/// deliveries in ID order, and two events published within a millisecond keep theirs.
fn new_id(prefix: &str, unix_ms: u64) -> String {
    static LAST: std::sync::Mutex<(u64, u128)> = std::sync::Mutex::new((0, 0));
    const MASK: u128 = (1u128 << 80) - 1;
    let fresh = rand::random::<u128>() & MASK;
    let random = match LAST.lock() {
        Ok(mut last) if last.0 == unix_ms && last.1 < MASK => {
            last.1 += 1;
            last.1
        }
        Ok(mut last) if unix_ms > last.0 => {
            *last = (unix_ms, fresh);
            fresh
        }
        // An ID dated in the past (`at`), or a poisoned lock: any random part will do.
        _ => fresh,
    };
    encode(prefix, unix_ms, random)
}

/// Writes the ID in one allocation: IDs are made for every delivery and attempt.
fn encode(prefix: &str, unix_ms: u64, random: u128) -> String {
    let random = random & ((1u128 << 80) - 1);
    let value: u128 = ((unix_ms as u128 & ((1u128 << 48) - 1)) << 80) | random;
    let mut out = String::with_capacity(prefix.len() + 1 + BODY_LEN);
    out.push_str(prefix);
    out.push('_');
    for i in 0..BODY_LEN {
        let shift = 5 * (BODY_LEN - 1 - i);
        out.push(char::from(ALPHABET[((value >> shift) & 31) as usize]));
    }
    out
}

/// Which bytes are digits of the alphabet: a parse checks every byte of every ID it reads
/// from a row or a request, so a table, not a search of the alphabet a byte.
const DIGITS: [bool; 256] = {
    let mut digits = [false; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        digits[ALPHABET[i] as usize] = true;
        i += 1;
    }
    digits
};

fn valid_body(body: &str) -> bool {
    body.len() == BODY_LEN && body.bytes().all(|b| DIGITS[b as usize])
}

pub(crate) fn now_ms() -> u64 {
    chrono::Utc::now().timestamp_millis().max(0) as u64
}

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            pub fn new() -> Self {
                Self(new_id($prefix, now_ms()))
            }

            /// An ID that sorts as if made at `unix_ms` (records made along with an older one).
            pub fn at(unix_ms: u64) -> Self {
                Self(new_id($prefix, unix_ms))
            }

            /// The smallest ID made at `unix_ms`: every ID below it is older.
            pub fn floor(unix_ms: u64) -> String {
                encode($prefix, unix_ms, 0)
            }

            pub fn parse(value: &str) -> Result<Self, IdParseError> {
                match value.strip_prefix(concat!($prefix, "_")) {
                    Some(body) if valid_body(body) => Ok(Self(value.to_owned())),
                    _ => Err(IdParseError { kind: $kind, prefix: $prefix, value: value.to_owned() }),
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .examples([serde_json::json!(concat!($prefix, "_01jbk3x9q7f8t2v6m4c0d5e9ha"))])
                    .into()
            }
        }
        impl utoipa::ToSchema for $name {}
    };
}

typed_id!(OrgId, "org", "organization");
typed_id!(MemberId, "mbr", "member");
typed_id!(WebhookId, "wh", "webhook");
typed_id!(EventId, "evt", "event");
typed_id!(DeliveryId, "dlv", "delivery");
typed_id!(AttemptId, "att", "attempt");
typed_id!(TokenId, "tok", "access token");
typed_id!(EventTypeId, "etp", "event type");
typed_id!(AuditId, "aud", "audit entry");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_sort_by_time() {
        let a = WebhookId(new_id("wh", 1_000));
        let b = WebhookId(new_id("wh", 2_000));
        assert!(a < b);
        assert_eq!(WebhookId::parse(a.as_str()).unwrap(), a);
    }

    #[test]
    fn ids_of_one_millisecond_sort_in_the_order_they_were_made() {
        let ms = now_ms() + 10_000;
        let ids: Vec<DeliveryId> = (0..1000).map(|_| DeliveryId::at(ms)).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn floors_split_ids_by_time() {
        let old = AttemptId::at(1_000_000);
        let new = AttemptId::at(2_000_000);
        let cut = AttemptId::floor(1_500_000);
        assert!(old.as_str() < cut.as_str() && cut.as_str() < new.as_str());
        assert!(AttemptId::parse(&cut).is_ok());
    }

    #[test]
    fn wrong_prefix_or_body_is_rejected() {
        let id = OrgId::new();
        assert!(WebhookId::parse(id.as_str()).is_err());
        assert!(OrgId::parse("org_short").is_err());
        assert!(OrgId::parse("org_0123456789abcdefghjkmnpqrU").is_err());
        assert!(OrgId::parse("org_0123456789abcdefghjkmnpqrs").is_ok());
        assert!(OrgId::parse("org_tvwxyz0123456789abcdefghjk").is_ok());
        for letter in ["i", "l", "o", "u", "-", "\u{e9}"] {
            let body = format!("{letter}123456789abcdefghjkmnpqr");
            assert!(OrgId::parse(&format!("org_{}", &body[..body.len().min(26)])).is_err(), "{letter}");
        }
    }
}
