//! What every request leaves behind for operators: its duration in
//! `hookd_http_request_duration_seconds`, labelled by the route's template, and, while traces
//! are exported, its span, the child of the caller's `traceparent`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hookd_service::Ops;
use tracing::Instrument;

/// Times the request and counts it under its route's template; a request no route matched
/// counts as `unmatched` (the paths people try are not a bounded set).
pub async fn requests(State(ops): State<Ops>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let route = route.as_deref().unwrap_or("unmatched");
    let parent = request.headers().get("traceparent").and_then(|v| v.to_str().ok());
    let span = hookd_telemetry::request(method.as_str(), route, parent);
    let response = next.run(request).instrument(span.clone()).await;
    let (status, took) = (response.status().as_u16(), started.elapsed());
    hookd_telemetry::answered(&span, status);
    ops.metrics().request(&method, route, status, took);
    // An access log, off unless asked for (`HOOKD_LOG=info,hookd::access=debug`); inside the
    // request's span, so a JSON line names its trace.
    tracing::debug!(target: "hookd::access", parent: &span, %method, route, status, ms = took.as_secs_f64() * 1000.0, "answered");
    response
}
