//! The OpenAPI document, built with utoipa from the routes every `api/<resource>.rs` serves:
//! each is an [`Endpoint`], a route's documentation and its handler together, so a route is
//! served exactly when it is documented. The document has every `/api/v1` route with its
//! parameters, its request body's schema and its answer's, so that clients can be generated
//! from it; the schemas are the types the handlers (de)serialize, so it cannot drift from what
//! the server accepts and answers.

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

use crate::api::ApiState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, MethodRouter};

use crate::error::Problem;

/// The schemas a document refers to, collected as its routes name them.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// A body's schema: a reference to a component (registered, with what it refers to).
pub type Body = fn(&mut Schemas) -> RefOr<Schema>;

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

/// A route as it is served and documented.
pub struct Endpoint {
    pub route: Route,
    handler: MethodRouter<ApiState>,
}

/// `route`, served by `handler` for the route's method.
pub fn endpoint<H, T>(handler: H, route: Route) -> Endpoint
where
    H: Handler<T, ApiState>,
    T: 'static,
{
    let filter = match route.method {
        "post" => MethodFilter::POST,
        "patch" => MethodFilter::PATCH,
        "delete" => MethodFilter::DELETE,
        _ => MethodFilter::GET,
    };
    Endpoint { handler: axum::routing::on(filter, handler), route }
}

/// The router that serves `endpoints` (methods of one path share its route).
pub fn router(endpoints: Vec<Endpoint>) -> Router<ApiState> {
    endpoints.into_iter().fold(Router::new(), |r, e| r.route(e.route.path, e.handler))
}

pub fn one<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
    RefOr::Ref(Ref::from_schema_name(T::name()))
}

/// `{data: [T], next_cursor}`: one page of a list.
pub fn page_of<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
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

pub const PAGE: &[(&str, &str)] = &[
    ("limit", "Items a page, 1 to 500 (default 50)"),
    ("cursor", "The `next_cursor` of the previous page"),
    ("sort", "The column to sort by"),
    ("order", "`asc` or `desc`"),
    ("q", "Search text"),
];

pub const ATTEMPTS: &[(&str, &str)] = &[
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

pub const fn route(method: &'static str, path: &'static str, tag: &'static str, summary: &'static str) -> Route {
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
    for e in crate::api::endpoints() {
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
