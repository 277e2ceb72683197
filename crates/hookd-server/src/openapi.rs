//! The OpenAPI document, built with utoipa from the route table below: every `/api/v1`
//! route with its parameters, its request body's schema and its answer's, so that clients
//! can be generated from it. The schemas are the types the handlers (de)serialize, so the
//! document cannot drift from what the server accepts and answers.

use hookd_core::model::{AccessToken, AuditEntry, Delivery, EventType, Member, Org};
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ClientCredentials, Flow, Http, HttpAuthScheme, OAuth2, Scopes, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required,
    ResponseBuilder,
};
use utoipa::{PartialSchema, ToSchema};

use crate::api::members::LinkInput;
use crate::api::oauth::TokenRequest;
use crate::api::tokens::TokenInput;
use crate::api::webhooks::{BulkDelete, BulkDeleted, RecoverInput, Recovered, TestInput};
use crate::error::Problem;
use hookd_service::event_types::EventTypeIn;
use hookd_service::events::{Accepted, EventIn, EventView};
use hookd_service::history::{AttemptDetail, AttemptSummary};
use hookd_service::members::MemberIn;
use hookd_service::oauth::Grant;
use hookd_service::orgs::OrgIn;
use hookd_service::sessions::IssuedLink;
use hookd_service::tokens::CreatedToken;
use hookd_service::webhooks::{WebhookIn, WebhookPatch, WebhookView};

/// The schemas a document refers to, collected as its routes name them.
type Schemas = Vec<(String, RefOr<Schema>)>;

/// A body's schema: a reference to a component (registered, with what it refers to).
type Body = fn(&mut Schemas) -> RefOr<Schema>;

/// One route: what it takes and what it answers.
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub query: &'static [(&'static str, &'static str)],
    pub request: Option<Body>,
    /// The request body is a form (`application/x-www-form-urlencoded`), not JSON.
    pub form: bool,
    /// Needs no token of its own (the OAuth2 token endpoint authenticates its client).
    pub public: bool,
    /// The success status, and its body (none for `204`).
    pub status: u16,
    pub response: Option<Body>,
}

fn one<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
    RefOr::Ref(Ref::from_schema_name(T::name()))
}

/// `{data: [T], next_cursor}`: one page of a list.
fn list<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
    let item = one::<T>(schemas);
    let cursor = ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Null]))
        .description(Some("Pass as `cursor` for the next page; `null` on the last"));
    ObjectBuilder::new()
        .property("data", ArrayBuilder::new().items(item))
        .required("data")
        .property("next_cursor", cursor)
        .required("next_cursor")
        .into()
}

const PAGE: &[(&str, &str)] = &[
    ("limit", "Items a page, 1 to 500 (default 50)"),
    ("cursor", "The `next_cursor` of the previous page"),
    ("sort", "The column to sort by"),
    ("order", "`asc` or `desc`"),
    ("q", "Search text"),
];

const ATTEMPTS: &[(&str, &str)] = &[
    ("limit", "Items a page, 1 to 500 (default 50)"),
    ("cursor", "The `next_cursor` of the previous page"),
    ("sort", "`sent_at`, `url` or `result`"),
    ("order", "`asc` or `desc`"),
    ("q", "Search text (URL, event type, status)"),
    ("webhook_id", "Only this webhook's attempts"),
    ("delivery_id", "Only this delivery's attempts"),
    ("status", "`succeeded` or `failed`"),
    ("since", "Sent at or after (RFC 3339)"),
    ("until", "Sent before (RFC 3339)"),
];

const fn route(method: &'static str, path: &'static str, tag: &'static str, summary: &'static str) -> Route {
    Route {
        method,
        path,
        tag,
        summary,
        query: &[],
        request: None,
        form: false,
        public: false,
        status: 200,
        response: None,
    }
}

/// Every `/api/v1` route.
pub const ROUTES: &[Route] = &[
    Route {
        request: Some(one::<OrgIn>),
        status: 201,
        response: Some(one::<Org>),
        ..route("post", "/orgs", "orgs", "Create an organization (operator)")
    },
    Route {
        query: PAGE,
        response: Some(list::<Org>),
        ..route("get", "/orgs", "orgs", "List organizations (operator)")
    },
    Route { response: Some(one::<Org>), ..route("get", "/orgs/{org}", "orgs", "Get an organization") },
    Route {
        request: Some(one::<OrgIn>),
        response: Some(one::<Org>),
        ..route("patch", "/orgs/{org}", "orgs", "Update an organization (operator)")
    },
    Route {
        query: PAGE,
        response: Some(list::<AuditEntry>),
        ..route("get", "/orgs/{org}/audit", "orgs", "The audit log: who changed what, when (admins; newest first)")
    },
    Route {
        request: Some(one::<MemberIn>),
        status: 201,
        response: Some(one::<Member>),
        ..route("post", "/orgs/{org}/members", "members", "Add a member")
    },
    Route {
        query: PAGE,
        response: Some(list::<Member>),
        ..route("get", "/orgs/{org}/members", "members", "List members")
    },
    Route { response: Some(one::<Member>), ..route("get", "/orgs/{org}/members/{id}", "members", "Get a member") },
    Route {
        request: Some(one::<MemberIn>),
        response: Some(one::<Member>),
        ..route("patch", "/orgs/{org}/members/{id}", "members", "Update a member (also status)")
    },
    Route { status: 204, ..route("delete", "/orgs/{org}/members/{id}", "members", "Remove a member") },
    Route {
        request: Some(one::<LinkInput>),
        status: 201,
        response: Some(one::<IssuedLink>),
        ..route(
            "post",
            "/orgs/{org}/members/{id}/login-links",
            "members",
            "A one-time portal sign-in link for the member (operator; the body is optional)",
        )
    },
    Route {
        request: Some(one::<TokenInput>),
        status: 201,
        response: Some(one::<CreatedToken>),
        ..route("post", "/orgs/{org}/tokens", "tokens", "Create an access token (its value is in this answer only)")
    },
    Route {
        query: PAGE,
        response: Some(list::<AccessToken>),
        ..route("get", "/orgs/{org}/tokens", "tokens", "List access tokens (never their values)")
    },
    Route {
        request: Some(one::<TokenInput>),
        response: Some(one::<AccessToken>),
        ..route("patch", "/orgs/{org}/tokens/{id}", "tokens", "Rename an access token")
    },
    Route { status: 204, ..route("delete", "/orgs/{org}/tokens/{id}", "tokens", "Revoke an access token") },
    Route {
        request: Some(one::<EventTypeIn>),
        status: 201,
        response: Some(one::<EventType>),
        ..route("post", "/event-types", "event-types", "Add or replace a catalog entry (operator)")
    },
    Route { response: Some(list::<EventType>), ..route("get", "/event-types", "event-types", "List the catalog") },
    Route {
        response: Some(one::<EventType>),
        ..route("get", "/event-types/{name}", "event-types", "Get an event type with its schema and example")
    },
    Route {
        request: Some(one::<WebhookIn>),
        status: 201,
        response: Some(one::<WebhookView>),
        ..route(
            "post",
            "/orgs/{org}/webhooks",
            "webhooks",
            "Create a webhook (the answer carries the signing secret, this once)",
        )
    },
    Route {
        query: PAGE,
        response: Some(list::<WebhookView>),
        ..route(
            "get",
            "/orgs/{org}/webhooks",
            "webhooks",
            "List webhooks (sort: name, url, owner, created_at, status, last_triggered_at)",
        )
    },
    Route {
        response: Some(one::<WebhookView>),
        ..route("get", "/orgs/{org}/webhooks/{id}", "webhooks", "Get a webhook (with its ETag)")
    },
    Route {
        request: Some(one::<WebhookPatch>),
        response: Some(one::<WebhookView>),
        ..route(
            "patch",
            "/orgs/{org}/webhooks/{id}",
            "webhooks",
            "Update a webhook: absent fields stay; send If-Match with the ETag to edit only what you read",
        )
    },
    Route { status: 204, ..route("delete", "/orgs/{org}/webhooks/{id}", "webhooks", "Delete a webhook") },
    Route {
        request: Some(one::<BulkDelete>),
        response: Some(one::<BulkDeleted>),
        ..route("post", "/orgs/{org}/webhooks:bulk-delete", "webhooks", "Delete several webhooks")
    },
    Route {
        response: Some(one::<WebhookView>),
        ..route(
            "post",
            "/orgs/{org}/webhooks/{id}/rotate-secret",
            "webhooks",
            "Rotate the signing secret (those it replaces keep signing for 24 h)",
        )
    },
    Route {
        request: Some(one::<TestInput>),
        status: 202,
        response: Some(one::<Accepted>),
        ..route(
            "post",
            "/orgs/{org}/webhooks/{id}/test",
            "webhooks",
            "Send a test event to this webhook (the body is optional)",
        )
    },
    Route {
        request: Some(one::<RecoverInput>),
        status: 202,
        response: Some(one::<Recovered>),
        ..route("post", "/orgs/{org}/webhooks/{id}/recover", "webhooks", "Re-send what failed since a time")
    },
    Route {
        request: Some(one::<EventIn>),
        status: 202,
        response: Some(one::<Accepted>),
        ..route(
            "post",
            "/orgs/{org}/events",
            "events",
            "Publish an event (an Idempotency-Key header makes a retry safe)",
        )
    },
    Route {
        response: Some(one::<EventView>),
        ..route("get", "/orgs/{org}/events/{id}", "events", "Get an event and its deliveries")
    },
    Route {
        query: ATTEMPTS,
        response: Some(list::<AttemptSummary>),
        ..route("get", "/orgs/{org}/attempts", "history", "List attempts")
    },
    Route {
        response: Some(one::<AttemptDetail>),
        ..route("get", "/orgs/{org}/attempts/{id}", "history", "Get one attempt with its request and response")
    },
    Route {
        response: Some(one::<Delivery>),
        ..route("get", "/orgs/{org}/deliveries/{id}", "history", "Get a delivery")
    },
    Route {
        status: 202,
        response: Some(one::<Delivery>),
        ..route("post", "/orgs/{org}/deliveries/{id}/resend", "history", "Re-send a delivery (the same webhook-id)")
    },
    Route {
        request: Some(one::<TokenRequest>),
        form: true,
        public: true,
        response: Some(one::<Grant>),
        ..route(
            "post",
            "/oauth/token",
            "oauth",
            "OAuth2 client-credentials grant: an access token's ID and value (HTTP Basic or in the form) for a bearer token that works for an hour",
        )
    },
];

fn method(m: &str) -> HttpMethod {
    match m {
        "post" => HttpMethod::Post,
        "patch" => HttpMethod::Patch,
        "delete" => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

fn parameter(name: &str, place: ParameterIn, description: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place.clone())
        .required(if place == ParameterIn::Path { Required::True } else { Required::False })
        .description(Some(description))
        .schema(Some(String::schema()))
        .build()
}

fn operation(r: &Route, schemas: &mut Schemas) -> utoipa::openapi::path::Operation {
    let id = format!("{}{}", r.method, r.path.replace(['/', '{', '}', ':', '-'], "_"));
    let mut op = OperationBuilder::new().tag(r.tag).summary(Some(r.summary)).operation_id(Some(id));
    for seg in r.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
        op = op.parameter(parameter(seg, ParameterIn::Path, "The ID (the name, for an event type)"));
    }
    for (name, description) in r.query {
        op = op.parameter(parameter(name, ParameterIn::Query, description));
    }
    if r.path == "/orgs/{org}/events" {
        op = op.parameter(parameter("Idempotency-Key", ParameterIn::Header, "1 to 255 visible ASCII characters"));
    }
    if r.path == "/orgs/{org}/webhooks/{id}" && r.method == "patch" {
        op = op.parameter(parameter("If-Match", ParameterIn::Header, "The webhook's ETag: 412 if it changed"));
    }
    if let Some(body) = r.request {
        let content = ContentBuilder::new().schema(Some(body(schemas))).build();
        let required = if r.summary.contains("optional") { Required::False } else { Required::True };
        let media = if r.form { "application/x-www-form-urlencoded" } else { "application/json" };
        op = op.request_body(Some(RequestBodyBuilder::new().content(media, content).required(Some(required)).build()));
    }
    if r.public {
        op = op.securities(Some([SecurityRequirement::default()]));
    }
    let mut ok = ResponseBuilder::new().description(match r.status {
        201 => "Created",
        202 => "Accepted",
        204 => "Done, no content",
        _ => "OK",
    });
    if let Some(body) = r.response {
        ok = ok.content("application/json", ContentBuilder::new().schema(Some(body(schemas))).build());
    }
    let problem = one::<Problem>(schemas);
    op.response(r.status.to_string(), ok.build())
        .response(
            "default",
            ResponseBuilder::new()
                .description("An RFC 9457 problem: what went wrong and, for a field to fix, which")
                .content("application/problem+json", ContentBuilder::new().schema(Some(problem)).build())
                .build(),
        )
        .build()
}

pub fn document() -> OpenApi {
    let mut schemas = Schemas::new();
    let mut paths = PathsBuilder::new();
    for r in ROUTES {
        paths = paths.path(format!("/api/v1{}", r.path), PathItem::new(method(r.method), operation(r, &mut schemas)));
    }
    let grant = Flow::ClientCredentials(ClientCredentials::new("/api/v1/oauth/token", Scopes::new()));
    let mut components = ComponentsBuilder::new()
        .security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)))
        .security_scheme("oauth2", SecurityScheme::OAuth2(OAuth2::new([grant])));
    for (name, schema) in schemas {
        components = components.schema(name, schema);
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("hookd")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Webhook delivery service. Every route takes `Authorization: Bearer TOKEN`: an \
                     organization's access token (its role limits it), a bearer token from the \
                     OAuth2 client-credentials grant at /api/v1/oauth/token made with one, or the \
                     operator's token.",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components.build()))
        .security(Some([
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("oauth2", Vec::<String>::new()),
        ]))
        .build()
}
