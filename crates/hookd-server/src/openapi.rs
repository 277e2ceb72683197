//! The OpenAPI document, built with utoipa from the route table and the domain types.

use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Required, ResponseBuilder,
};
use utoipa::{PartialSchema, ToSchema};

/// Every `/api/v1` route: method, path, tag, summary, whether it takes a JSON body.
pub const ROUTES: &[(&str, &str, &str, &str, bool)] = &[
    ("post", "/orgs", "orgs", "Create an organization (operator)", true),
    ("get", "/orgs", "orgs", "List organizations (operator)", false),
    ("get", "/orgs/{org}", "orgs", "Get an organization", false),
    ("patch", "/orgs/{org}", "orgs", "Update an organization (operator)", true),
    ("post", "/orgs/{org}/members", "members", "Add a member", true),
    ("get", "/orgs/{org}/members", "members", "List members", false),
    ("get", "/orgs/{org}/members/{id}", "members", "Get a member", false),
    ("patch", "/orgs/{org}/members/{id}", "members", "Update a member (also status)", true),
    ("delete", "/orgs/{org}/members/{id}", "members", "Remove a member", false),
    (
        "post",
        "/orgs/{org}/members/{id}/login-links",
        "members",
        "A one-time portal sign-in link for the member (operator)",
        false,
    ),
    ("post", "/orgs/{org}/tokens", "tokens", "Create an access token (shown once)", true),
    ("get", "/orgs/{org}/tokens", "tokens", "List access tokens (never the token)", false),
    ("patch", "/orgs/{org}/tokens/{id}", "tokens", "Rename an access token", true),
    ("delete", "/orgs/{org}/tokens/{id}", "tokens", "Revoke an access token", false),
    ("post", "/event-types", "event-types", "Add or replace a catalog entry (operator)", true),
    ("get", "/event-types", "event-types", "List the catalog", false),
    ("get", "/event-types/{name}", "event-types", "Get an event type with schema and example", false),
    ("post", "/orgs/{org}/webhooks", "webhooks", "Create a webhook (answer carries the signing secret)", true),
    ("get", "/orgs/{org}/webhooks", "webhooks", "List webhooks", false),
    ("get", "/orgs/{org}/webhooks/{id}", "webhooks", "Get a webhook", false),
    ("patch", "/orgs/{org}/webhooks/{id}", "webhooks", "Update a webhook", true),
    ("delete", "/orgs/{org}/webhooks/{id}", "webhooks", "Delete a webhook", false),
    ("post", "/orgs/{org}/webhooks:bulk-delete", "webhooks", "Delete several webhooks", true),
    (
        "post",
        "/orgs/{org}/webhooks/{id}/rotate-secret",
        "webhooks",
        "Rotate the signing secret (old one valid 24 h)",
        false,
    ),
    ("post", "/orgs/{org}/webhooks/{id}/test", "webhooks", "Send the example payload to this webhook", true),
    ("post", "/orgs/{org}/webhooks/{id}/recover", "webhooks", "Re-send what failed since a time", true),
    ("post", "/orgs/{org}/events", "events", "Publish an event (Idempotency-Key honoured)", true),
    ("get", "/orgs/{org}/events/{id}", "events", "Get an event and its deliveries", false),
    (
        "get",
        "/orgs/{org}/attempts",
        "history",
        "List attempts (filter webhook_id, delivery_id, status, since, until; sort sent_at, url, result; q)",
        false,
    ),
    ("get", "/orgs/{org}/attempts/{id}", "history", "Get one attempt with request and response", false),
    ("get", "/orgs/{org}/deliveries/{id}", "history", "Get a delivery", false),
    ("post", "/orgs/{org}/deliveries/{id}/resend", "history", "Re-send a delivery (same webhook-id)", false),
];

fn method(m: &str) -> HttpMethod {
    match m {
        "post" => HttpMethod::Post,
        "patch" => HttpMethod::Patch,
        "delete" => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

pub fn document() -> OpenApi {
    let mut paths = PathsBuilder::new();
    for (m, path, tag, summary, body) in ROUTES {
        let mut op = OperationBuilder::new().tag(*tag).summary(Some(*summary));
        for seg in path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
            op = op.parameter(
                ParameterBuilder::new()
                    .name(seg)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(String::schema())),
            );
        }
        if *body {
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .content("application/json", ContentBuilder::new().build())
                    .required(Some(Required::True))
                    .build(),
            ));
        }
        op = op.response("2XX", ResponseBuilder::new().description("Success").build()).response(
            "4XX",
            ResponseBuilder::new()
                .description("RFC 9457 problem")
                .content("application/problem+json", ContentBuilder::new().build())
                .build(),
        );
        paths = paths.path(format!("/api/v1{path}"), PathItem::new(method(m), op.build()));
    }
    let mut components =
        ComponentsBuilder::new().security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    macro_rules! schemas { ($($t:ty),*) => { $( components = components.schema(<$t as ToSchema>::name(), <$t as PartialSchema>::schema()); )* } }
    use hookd_core::model::*;
    schemas!(
        Org,
        Member,
        Role,
        MemberStatus,
        EventType,
        WebhookOptions,
        AuthMethod,
        WebhookStatus,
        Delivery,
        DeliveryState,
        Attempt,
        AttemptError,
        AttemptErrorKind,
        Trigger,
        AccessToken,
        Environment,
        PayloadFormat,
        ContentType
    );
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("hookd")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some("Webhook delivery service"))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components.build()))
        .build()
}
