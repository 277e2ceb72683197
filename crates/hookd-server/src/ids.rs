//! The IDs a route's path holds, parsed once for every handler: `Ids<WebhookId>` or
//! `Ids<(OrgId, WebhookId)>`. A malformed ID is the same 404 as an unknown one, named as what
//! it would have named: a problem under the API, a page in the portal.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use hookd_core::{AttemptId, DeliveryId, EventId, MemberId, OrgId, TokenId, WebhookId};

/// An ID type a path can hold, and what a person calls what it names.
pub trait PathId: Sized + Send {
    const RESOURCE: &'static str;
    fn parse(raw: &str) -> Option<Self>;
}

macro_rules! path_ids {
    ($($id:ty => $resource:literal),* $(,)?) => {$(
        impl PathId for $id {
            const RESOURCE: &'static str = $resource;
            fn parse(raw: &str) -> Option<Self> {
                <$id>::parse(raw).ok()
            }
        }
    )*};
}

path_ids! {
    OrgId => "organization",
    WebhookId => "webhook",
    MemberId => "member",
    TokenId => "access token",
    EventId => "event",
    DeliveryId => "delivery",
    AttemptId => "attempt",
}

/// The parsed IDs of the request's path.
pub struct Ids<T>(pub T);

/// A path ID that does not parse (or a path without the IDs its handler expects); the crate's
/// root answers it in the door's way.
#[derive(Debug)]
pub struct UnknownId {
    pub resource: &'static str,
    pub portal: bool,
}

fn parse<T: PathId>(parts: &Parts, raw: &str) -> Result<T, UnknownId> {
    T::parse(raw).ok_or(UnknownId { resource: T::RESOURCE, portal: parts.uri.path().starts_with("/portal") })
}

impl<S: Send + Sync, A: PathId> FromRequestParts<S> for Ids<A> {
    type Rejection = UnknownId;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = Path::<String>::from_request_parts(parts, state).await.map(|p| p.0).unwrap_or_default();
        Ok(Ids(parse(parts, &raw)?))
    }
}

impl<S: Send + Sync, A: PathId, B: PathId> FromRequestParts<S> for Ids<(A, B)> {
    type Rejection = UnknownId;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let (a, b) = Path::<(String, String)>::from_request_parts(parts, state).await.map(|p| p.0).unwrap_or_default();
        Ok(Ids((parse(parts, &a)?, parse(parts, &b)?)))
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt as _;

    use super::*;

    async fn status(app: &Router, path: &str) -> (StatusCode, String) {
        let resp = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let status = resp.status();
        let body = axum::body::to_bytes(resp.into_body(), 1 << 16).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn ids_parse_or_answer_404_naming_what_was_not_found() {
        let app = Router::new()
            .route(
                "/orgs/{org}/webhooks/{id}",
                get(|Ids((o, w)): Ids<(OrgId, WebhookId)>| async move { format!("{o} {w}") }),
            )
            .route("/portal/webhooks/{id}", get(|Ids(w): Ids<WebhookId>| async move { w.to_string() }));
        let (o, w) = (OrgId::new(), WebhookId::new());
        assert_eq!(status(&app, &format!("/orgs/{o}/webhooks/{w}")).await, (StatusCode::OK, format!("{o} {w}")));
        let (s, body) = status(&app, &format!("/orgs/{o}/webhooks/{o}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(body.contains("webhook not found"), "{body}");
        let (s, body) = status(&app, &format!("/orgs/nope/webhooks/{w}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(body.contains("organization not found"), "{body}");
        let (s, body) = status(&app, "/portal/webhooks/wh_nope").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(!body.contains("problem"), "a page, not a problem: {body}");
    }
}
