//! The event-type catalog: every type by group, with its schema, example, and the request a
//! receiver gets for it, so a customer can build a receiver from this page alone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use hookd_core::envelope::Recipe;
use hookd_core::model::{ContentType, Environment, Event, PayloadFormat};
use hookd_core::{EventId, WebhookId};

use super::auth::Signed;
use super::error::PortalResult;
use super::frame::{Frame, html};
use super::state::PortalState;

pub struct TypeView {
    pub name: String,
    pub description: String,
    pub schema: Option<String>,
    pub example: String,
    pub body: String,
}

pub struct GroupView {
    pub name: String,
    pub types: Vec<TypeView>,
}

#[derive(Template)]
#[template(path = "event_types.html")]
struct CatalogPage {
    frame: Frame,
    groups: Vec<GroupView>,
    header_prefix: String,
}

pub(crate) async fn page(State(s): State<PortalState>, signed: Signed) -> PortalResult<Response> {
    let p = &signed.0;
    let mut groups: Vec<GroupView> = Vec::new();
    for et in s.ops.event_type_catalog(&p.actor).await? {
        let example = et.example.clone().unwrap_or_else(|| serde_json::json!({}));
        // The envelope a receiver gets, made by the function that makes real ones.
        let event = Event {
            id: EventId::new(),
            org_id: p.member.org_id.clone(),
            event_type: et.name.clone(),
            payload: example.to_string(),
            resource_url: None,
            environment: Environment::Live,
            visible_to: vec![],
            occurred_at: chrono::Utc::now(),
            created_at: chrono::Utc::now(),
            idempotency_key: None,
            traceparent: None,
        };
        let recipe = Recipe {
            payload: PayloadFormat::Envelope,
            content_type: ContentType::Json,
            webhook_name: "My webhook".into(),
        };
        let rendered = recipe.render(&WebhookId::new(), &p.member.org_id, &[&event]).body;
        let body = serde_json::from_slice::<serde_json::Value>(&rendered)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_default();
        let view = TypeView {
            name: et.name,
            description: et.description,
            schema: et.schema.as_ref().and_then(|sc| serde_json::to_string_pretty(sc).ok()),
            example: serde_json::to_string_pretty(&example).unwrap_or_default(),
            body,
        };
        match groups.iter_mut().find(|g| g.name == et.group) {
            Some(g) => g.types.push(view),
            None => groups.push(GroupView { name: et.group, types: vec![view] }),
        }
    }
    let frame = Frame::new(&s, p, "event-types", "Event types", None).await?;
    html(&CatalogPage { frame, groups, header_prefix: s.ops.config.wire.prefix().to_owned() })
}
