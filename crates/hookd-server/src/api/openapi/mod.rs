//! The OpenAPI document, built with utoipa from the API's endpoints (`endpoint.rs`): every
//! `/api/v1` route with its parameters, its request body's schema and its answer's, so that
//! clients can be generated from it. The schemas are the types the handlers (de)serialize, so
//! the document cannot drift from what the server accepts and answers. `variants.rs` then names
//! the tagged unions' variants, so that generated clients have a type for each.

mod variants;

use utoipa::PartialSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{
    ClientCredentials, Flow, Http, HttpAuthScheme, OAuth2, Scopes, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Required, ResponseBuilder,
};

use super::endpoint::{Route, Schemas, one};
use crate::error::Problem;

fn method(m: &str) -> HttpMethod {
    match m {
        "post" => HttpMethod::Post,
        "patch" => HttpMethod::Patch,
        "delete" => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

fn parameter(
    name: &str,
    place: ParameterIn,
    description: &str,
    schemas: &mut Schemas,
) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place.clone())
        .required(if place == ParameterIn::Path { Required::True } else { Required::False })
        .description(Some(description))
        .schema(Some(parameter_schema(name, schemas)))
        .build()
}

/// A query parameter's type, by its name, which means the same on every route (a generated
/// client then takes `limit` as a number and `order` as the one `SortOrder` type).
fn parameter_schema(name: &str, schemas: &mut Schemas) -> RefOr<Schema> {
    let typed = |t: Type| ObjectBuilder::new().schema_type(t);
    match name {
        "limit" => typed(Type::Integer).minimum(Some(1)).into(),
        "order" => {
            let order = typed(Type::String).enum_values(Some(["asc", "desc"])).description(Some("A listing's order"));
            schemas.push(("SortOrder".into(), order.into()));
            RefOr::Ref(utoipa::openapi::Ref::from_schema_name("SortOrder"))
        }
        "since" | "until" => typed(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))).into(),
        _ => String::schema(),
    }
}

fn operation(r: &Route, schemas: &mut Schemas) -> utoipa::openapi::path::Operation {
    let mut op = OperationBuilder::new().tag(r.tag).summary(Some(r.summary)).operation_id(Some(r.operation));
    for seg in r.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
        let description = match seg {
            "org" => "The organization's ID (`org_…`)",
            "name" => "The event type's name",
            _ => "The ID of what the path names",
        };
        op = op.parameter(parameter(seg, ParameterIn::Path, description, schemas));
    }
    for (name, description) in r.query {
        op = op.parameter(parameter(name, ParameterIn::Query, description, schemas));
    }
    if r.path == "/orgs/{org}/events" {
        op = op.parameter(parameter(
            "Idempotency-Key",
            ParameterIn::Header,
            "1 to 255 visible ASCII characters",
            schemas,
        ));
    }
    if r.path == "/orgs/{org}/webhooks/{id}" && r.method == "patch" {
        op = op.parameter(parameter("If-Match", ParameterIn::Header, "The webhook's ETag: 412 if it changed", schemas));
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

/// The document as served at `/api/openapi.json` and committed in `clients/openapi.json`.
pub fn document() -> serde_json::Value {
    let mut doc = serde_json::to_value(built()).unwrap_or_default();
    variants::name_variants(&mut doc);
    doc
}

fn built() -> OpenApi {
    let mut schemas = Schemas::new();
    let mut paths = PathsBuilder::new();
    for e in super::endpoints() {
        let r = &e.route;
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
