//! A route as the API serves and documents it: an [`Endpoint`] is a route's documentation
//! ([`Route`]: method, path, parameters, request and answer schemas) with the handler that
//! serves it, so every `api/<resource>.rs` lists its routes once and both its router and the
//! OpenAPI document (`openapi.rs`) are made from that list.

use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};

use super::state::ApiState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, MethodRouter};

/// The schemas a document refers to, collected as its routes name them.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// A body's schema: a reference to a component (registered, with what it refers to).
pub type Body = fn(&mut Schemas) -> RefOr<Schema>;

/// One route: what it takes and what it answers.
pub struct Route {
    /// The operation's name in the OpenAPI document, which generated clients make their
    /// method names of (`listWebhooks`: `list_webhooks` in Python).
    pub operation: &'static str,
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

/// `{data: [T], next_cursor}`: one page of a list, a component named `{T}Page` (so that a
/// generated client has one type for it, not one for each route's answer).
pub fn page_of<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
    let item = one::<T>(schemas);
    let cursor = ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Null]))
        .description(Some("Pass as `cursor` for the next page; `null` on the last"));
    let page = ObjectBuilder::new()
        .property("data", ArrayBuilder::new().items(item))
        .required("data")
        .property("next_cursor", cursor)
        .required("next_cursor")
        .description(Some("One page of a listing: pass `next_cursor` as `cursor` for the next"));
    let name = format!("{}Page", T::name());
    let reference = RefOr::Ref(Ref::from_schema_name(&name));
    schemas.push((name, page.into()));
    reference
}

pub const PAGE: &[(&str, &str)] = &[
    ("limit", "Items a page, 1 to 500 (default 50)"),
    ("cursor", "The `next_cursor` of the previous page"),
    ("sort", "The column to sort by"),
    ("order", "`asc` or `desc`"),
    ("q", "Search text"),
];

pub const EVENT_TYPES: &[(&str, &str)] = &[
    ("limit", "Items a page, 1 to 500 (default 50)"),
    ("cursor", "The `next_cursor` of the previous page"),
    ("sort", "`name` (the default) or `group`"),
    ("order", "`asc` or `desc`"),
    ("q", "Search text (name, group, description)"),
];

pub const ATTEMPTS: &[(&str, &str)] = &[
    ("limit", "Items a page, 1 to 500 (default 50)"),
    ("cursor", "The `next_cursor` of the previous page"),
    ("sort", "`sent_at`, `url` or `result`"),
    ("order", "`asc` or `desc`"),
    ("q", "Search text (URL, event type or ID, status, error, webhook name)"),
    ("webhook_id", "Only this webhook's attempts"),
    ("event_type", "Only attempts that carried an event of this type"),
    ("result", "`2xx`, `3xx`, `4xx`, `5xx`, a status code such as `404`, or an error kind such as `timeout`"),
    ("delivery_id", "Only this delivery's attempts"),
    ("status", "`succeeded` or `failed`"),
    ("since", "Sent at or after (RFC 3339)"),
    ("until", "Sent before (RFC 3339)"),
];

pub const fn route(
    operation: &'static str,
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
) -> Route {
    Route {
        operation,
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
