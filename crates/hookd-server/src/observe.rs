//! What every request leaves behind for operators: its duration in
//! `hookd_http_request_duration_seconds`, labelled by the route's template.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hookd_service::Ops;

/// Times the request and counts it under its route's template; a request no route matched
/// counts as `unmatched` (the paths people try are not a bounded set).
pub async fn requests(State(ops): State<Ops>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let response = next.run(request).await;
    let route = route.as_deref().unwrap_or("unmatched");
    ops.metrics().request(&method, route, response.status().as_u16(), started.elapsed());
    response
}
