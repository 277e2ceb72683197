//! Sending one group's request: the body rendered (and transformed), signed, authenticated,
//! and handed to the HTTP client or, for the other kinds, to [`crate::destinations`].

use std::time::Duration;

use hookd_core::DeliveryId;
use hookd_core::envelope::Recipe;
use hookd_core::model::{AttemptError, AttemptErrorKind, AuthMethod, DestinationKind, Webhook};

use super::Dispatcher;
use crate::auth::{Outgoing, static_headers};
use crate::client::Target;
use crate::destinations::Message;
use crate::request::{self, Content, Request, Signing};
use crate::shaping;

impl Dispatcher {
    /// Renders, transforms, signs, authenticates and sends.
    pub(super) async fn send_request(
        &self,
        webhook: &Webhook,
        recipe: &Recipe,
        delivery: &DeliveryId,
        events: &[&hookd_core::model::Event],
    ) -> Sent {
        let fail = |kind, message: String| AttemptError { kind, message };
        let unsent = |result| Sent { headers: vec![], shaped: None, result };
        let shaped = match &webhook.transformation {
            Some(t) if t.enabled => {
                match shaping::shape(&self.config.wire, &t.code, given(webhook, recipe, events)).await {
                    Ok(Some(s)) => Some(s),
                    Ok(None) => {
                        let why = "the webhook's transformation cancelled it: nothing was sent".to_owned();
                        return unsent(Err(fail(AttemptErrorKind::Cancelled, why)));
                    }
                    Err(e) => return unsent(Err(e)),
                }
            }
            _ => None,
        };
        let opened = self.opened.get(&self.key, webhook);
        let now = chrono::Utc::now();
        let signing = match &opened {
            Ok(o) if webhook.signing_enabled => {
                Some(Signing { current: &o.current, rotated_out: o.rotated_out.honoured(now).collect() })
            }
            _ => None,
        };
        let wire = &self.config.wire;
        let content = match &shaped {
            Some(s) => Content { rendered: recipe.encode(s.payload.clone().into_bytes()), headers: &s.headers },
            None => Content::rendered(webhook, recipe, events),
        };
        let Request { body, content_type, mut headers } =
            request::build(wire, webhook, content, delivery, events, signing, now.timestamp());
        // Kept for the history as sent (the body as text, a form as its encoding).
        let shaped = shaped.map(|s| (s.url, body.to_vec()));
        if webhook.options.traceparent {
            // This attempt's span while traces are exported; else the publisher's own context.
            let parent =
                hookd_telemetry::traceparent_of(&tracing::Span::current()).or_else(|| events[0].traceparent.clone());
            headers.extend(parent.map(|p| (hookd_telemetry::TRACEPARENT.as_str().to_owned(), p)));
        }
        let opened = match opened {
            Ok(o) => o,
            Err(e) => return Sent { headers, shaped, result: Err(e) },
        };
        if webhook.destination_kind != DestinationKind::Http {
            let timeout = Duration::from_millis(webhook.options.timeout_ms.into());
            let m = Message { headers: &headers, body: &body, event: events[0] };
            let result = match &opened.destination {
                Ok(d) => self.destinations.send(d, &m, timeout).await.map(|(a, took)| Answer::Accepted(a, took)),
                Err(e) => Err(e.clone()),
            };
            return Sent { headers, shaped, result };
        }
        // A URL the transformation changed is parsed here, and guarded as every URL is.
        let moved;
        let target = match (&shaped, &opened.target) {
            (Some((url, _)), _) if *url != webhook.url => match Target::parse(url) {
                Ok(t) => {
                    moved = t;
                    &moved
                }
                Err(e) => return Sent { headers: vec![], shaped, result: Err(e) },
            },
            (_, Ok(t)) => t,
            (_, Err(e)) => return Sent { headers: vec![], shaped, result: Err(e.clone()) },
        };
        let method = opened.auth.for_org(&events[0].org_id).clone();
        let identity = match &method {
            AuthMethod::Mtls { cert_pem, key_pem } => Some((cert_pem.as_str(), key_pem.as_str())),
            _ => None,
        };
        let client = match self.clients.client(webhook.options.verify_tls, identity) {
            Ok(c) => c,
            Err(e) => return Sent { headers, shaped, result: Err(e) },
        };
        let mut secret_headers = static_headers(&method, &Outgoing { url: target.url(), content_type, body: &body });
        let oauth = matches!(method, AuthMethod::Oauth2 { .. });
        let mut bearer: Option<String> = None;
        if oauth {
            match self.tokens.bearer(self.clients.default_client(), &method, None).await {
                Ok(Some(t)) => bearer = Some(t),
                Ok(None) => {}
                Err(e) => return Sent { headers, shaped, result: Err(fail(AttemptErrorKind::Auth, e.to_string())) },
            }
            if let Some(t) = &bearer {
                secret_headers.push(("authorization".into(), format!("Bearer {t}")));
            }
        }
        let timeout = Duration::from_millis(webhook.options.timeout_ms.into());
        let mut result = client.post(target, headers.iter().chain(&secret_headers), body.clone(), timeout).await;
        if oauth && matches!(&result, Ok(r) if r.status == 401) {
            // The token may have been revoked early: fetch a new one and try once more.
            if let Ok(Some(t)) = self.tokens.bearer(self.clients.default_client(), &method, bearer.as_deref()).await {
                secret_headers.retain(|(k, _)| k != "authorization");
                secret_headers.push(("authorization".into(), format!("Bearer {t}")));
                result = client.post(target, headers.iter().chain(&secret_headers), body.clone(), timeout).await;
            }
        }
        let mut recorded = headers;
        recorded.push(("user-agent".into(), self.config.wire.user_agent().into()));
        recorded.extend(secret_headers.into_iter().map(|(k, v)| (k, hookd_core::secret::mask(&v))));
        Sent { headers: recorded, shaped, result: result.map(Answer::Http) }
    }
}

/// What a webhook's transformation is given for `events`.
fn given(webhook: &Webhook, recipe: &Recipe, events: &[&hookd_core::model::Event]) -> shaping::Given {
    shaping::Given {
        url: webhook.url.clone(),
        headers: webhook.options.headers.clone(),
        event_type: events.first().map(|e| e.event_type.clone()).unwrap_or_default(),
        json: recipe.render_json(&webhook.id, &webhook.org_id, events),
    }
}

/// What [`Dispatcher::send_request`] did: the headers as sent (secrets masked), where and what
/// it sent when a transformation changed them, and the response or why there was none.
pub(super) struct Sent {
    pub headers: Vec<(String, String)>,
    pub shaped: Option<(String, Vec<u8>)>,
    pub result: Result<Answer, AttemptError>,
}

/// What a destination answered: an HTTP receiver's response, or what a queue or broker took
/// and how long it took to.
pub(super) enum Answer {
    Http(crate::client::Response),
    Accepted(crate::destinations::Accepted, Duration),
}
