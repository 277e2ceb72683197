//! A delivery's request as it goes on the wire, before authentication: the body rendered from
//! its events and the headers hookd adds (content type, event and delivery headers, the
//! webhook's own headers, the signatures). Pure, with the time passed in, so every header is
//! unit-tested here; the dispatcher only adds credentials and sends.

use bytes::Bytes;
use hookd_core::DeliveryId;
use std::collections::BTreeMap;

use hookd_core::envelope::{Recipe, Rendered};
use hookd_core::model::{AttemptError, AttemptErrorKind};
use hookd_core::model::{Event, Webhook};
use hookd_core::rotation::RotatedOut;
use hookd_core::secret::MasterKey;
use hookd_core::signing::SigningSecret;
use hookd_core::wire::Wire;

/// A webhook's signing secrets, opened: the current one and those rotated out.
pub(crate) fn open_signing(key: &MasterKey, webhook: &Webhook) -> Result<(SigningSecret, RotatedOut), AttemptError> {
    let unreadable =
        || AttemptError { kind: AttemptErrorKind::Auth, message: "the signing secret cannot be read".into() };
    let current = key
        .open_string(&webhook.signing_secret)
        .ok()
        .and_then(|t| SigningSecret::parse(&t).ok())
        .ok_or_else(unreadable)?;
    let rotated_out = match &webhook.rotated_out {
        Some((s, until)) => RotatedOut::open(key, s, *until).map_err(|_| unreadable())?,
        None => RotatedOut::default(),
    };
    Ok((current, rotated_out))
}

/// The message of one delivery of a `poll` webhook as its consumer pulls it: the body and
/// headers an HTTP delivery would carry, signed now, so it is verified the same way.
pub fn pulled(
    wire: &Wire,
    key: &MasterKey,
    webhook: &Webhook,
    delivery: &DeliveryId,
    event: &Event,
) -> Result<Request, AttemptError> {
    let (current, rotated_out) = open_signing(key, webhook)?;
    let now = chrono::Utc::now();
    let signing = webhook
        .signing_enabled
        .then(|| Signing { current: &current, rotated_out: rotated_out.honoured(now).collect() });
    let content = Content::rendered(webhook, &Recipe::of(webhook), &[event]);
    Ok(build(wire, webhook, content, delivery, &[event], signing, now.timestamp()))
}

/// The secrets that sign a request: the current one, then those it replaced that are still
/// honoured (a receiver that has not switched yet checks one of them).
pub(crate) struct Signing<'a> {
    pub current: &'a SigningSecret,
    pub rotated_out: Vec<&'a SigningSecret>,
}

/// A request's body and the headers hookd adds, in the order they are sent.
#[derive(Debug)]
pub struct Request {
    pub body: Bytes,
    pub content_type: &'static str,
    pub headers: Vec<(String, String)>,
}

/// What a request carries besides hookd's own headers: the body and the webhook's headers,
/// as rendered from the events or as a transformation left them.
pub(crate) struct Content<'a> {
    pub rendered: Rendered,
    pub headers: &'a BTreeMap<String, String>,
}

impl<'a> Content<'a> {
    /// The events' body as the recipe renders it, with the webhook's headers.
    pub(crate) fn rendered(webhook: &'a Webhook, recipe: &Recipe, events: &[&Event]) -> Self {
        Self { rendered: recipe.render(&webhook.id, &webhook.org_id, events), headers: &webhook.options.headers }
    }
}

/// The request for `events` (one, or a batch) owed to `webhook` under `delivery`, signed at
/// `timestamp` (seconds) when `signing` is given.
pub(crate) fn build(
    wire: &Wire,
    webhook: &Webhook,
    content: Content<'_>,
    delivery: &DeliveryId,
    events: &[&Event],
    signing: Option<Signing<'_>>,
    timestamp: i64,
) -> Request {
    let rendered = content.rendered;
    let body = Bytes::from(rendered.body);
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    let mut headers: Vec<(String, String)> = vec![
        ("content-type".into(), rendered.content_type.into()),
        (wire.event_header().into(), types.join(",")),
        (wire.delivery_header().into(), delivery.to_string()),
    ];
    for (k, v) in content.headers {
        headers.push((k.to_ascii_lowercase(), v.clone()));
    }
    if let Some(s) = signing {
        let sigs: Vec<String> = std::iter::once(s.current)
            .chain(s.rotated_out)
            .map(|secret| secret.standard(delivery.as_str(), timestamp, &body))
            .collect();
        headers.push(("webhook-id".into(), delivery.to_string()));
        headers.push(("webhook-timestamp".into(), timestamp.to_string()));
        headers.push(("webhook-signature".into(), sigs.join(" ")));
        headers.push(("x-hub-signature-256".into(), s.current.hub_sha256(&body)));
        if webhook.options.legacy_signature {
            headers.push(("x-hub-signature".into(), s.current.hub_sha1(&body)));
        }
    }
    Request { body, content_type: rendered.content_type, headers }
}

#[cfg(test)]
mod tests {
    use super::build;
    use std::sync::Arc;

    use hookd_core::OrgId;
    use hookd_core::model::{ContentType, PayloadFormat};

    use super::*;

    fn secret(n: u8) -> SigningSecret {
        use base64::Engine as _;
        let raw = base64::engine::general_purpose::STANDARD.encode([n; 32]);
        SigningSecret::parse(&format!("whsec_{raw}")).unwrap()
    }

    fn event(org: &OrgId, kind: &str) -> Event {
        Event::example(org.clone(), kind, r#"{"n":1}"#.into())
    }

    fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
        r.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_signed_request_carries_every_header_and_a_signature_by_each_secret() {
        let org = OrgId::new();
        let mut webhook = crate::build::webhook(&org, "crm", false);
        webhook.options.headers.insert("X-Team".into(), "a".into());
        webhook.options.legacy_signature = true;
        let (current, old) = (secret(1), secret(2));
        let e = Arc::new(event(&org, "user.created"));
        let delivery = DeliveryId::new();
        let wire = Wire::new("X-Acme", "acme/1").unwrap();
        let signing = Signing { current: &current, rotated_out: vec![&old] };
        let content = Content::rendered(&webhook, &Recipe::of(&webhook), &[&e]);
        let r = build(&wire, &webhook, content, &delivery, &[&e], Some(signing), 1_700_000_000);

        assert_eq!(header(&r, "content-type"), Some(r.content_type));
        assert_eq!(header(&r, "x-acme-event"), Some("user.created"));
        assert_eq!(header(&r, "x-acme-delivery"), Some(delivery.as_str()));
        assert_eq!(header(&r, "x-team"), Some("a"), "the webhook's own headers, lower-cased");
        assert_eq!(header(&r, "webhook-id"), Some(delivery.as_str()));
        assert_eq!(header(&r, "webhook-timestamp"), Some("1700000000"));
        let sigs: Vec<&str> = header(&r, "webhook-signature").unwrap().split(' ').collect();
        assert_eq!(
            sigs,
            [
                current.standard(delivery.as_str(), 1_700_000_000, &r.body),
                old.standard(delivery.as_str(), 1_700_000_000, &r.body)
            ],
            "the current secret first, then the one it replaced"
        );
        assert_eq!(header(&r, "x-hub-signature-256"), Some(current.hub_sha256(&r.body).as_str()));
        assert_eq!(header(&r, "x-hub-signature"), Some(current.hub_sha1(&r.body).as_str()));
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["type"], "user.created");
        assert_eq!(body["payload"]["n"], 1);
    }

    #[test]
    fn unsigned_and_batched_requests_name_every_type_and_carry_no_signature() {
        let org = OrgId::new();
        let mut webhook = crate::build::webhook(&org, "crm", false);
        webhook.options.max_events_per_request = 2;
        webhook.options.content_type = ContentType::Json;
        webhook.options.payload = PayloadFormat::Envelope;
        let (a, b) = (event(&org, "user.created"), event(&org, "user.updated"));
        let content = Content::rendered(&webhook, &Recipe::of(&webhook), &[&a, &b]);
        let r = build(&Wire::default(), &webhook, content, &DeliveryId::new(), &[&a, &b], None, 0);
        assert_eq!(header(&r, "x-hookd-event"), Some("user.created,user.updated"));
        assert!(
            r.headers.iter().all(|(k, _)| !k.starts_with("webhook-") && !k.starts_with("x-hub")),
            "{:?}",
            r.headers
        );
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["events"].as_array().map(Vec::len), Some(2), "{body}");
    }
}
