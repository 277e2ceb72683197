//! What every request leaves behind for operators: its duration in
//! `hookd_http_request_duration_seconds`, labelled by the route's template, and, while traces
//! are exported, its span, the child of the caller's `traceparent`.
//!
//! A tower layer of its own rather than `axum::middleware::from_fn`, which boxes every
//! request's future and clones the inner service for it: this is on every publish.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use hookd_service::Metrics;

/// Observes the requests of the routes it is laid over.
#[derive(Clone)]
pub struct ObserveLayer {
    metrics: Arc<Metrics>,
}

impl ObserveLayer {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self { metrics }
    }
}

impl<S> tower::Layer<S> for ObserveLayer {
    type Service = Observe<S>;
    fn layer(&self, inner: S) -> Observe<S> {
        Observe { inner, metrics: self.metrics.clone() }
    }
}

#[derive(Clone)]
pub struct Observe<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S> tower::Service<Request> for Observe<S>
where
    S: tower::Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Observed<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let started = Instant::now();
        // A request no route matched counts as `unmatched`: the paths people try are not a
        // bounded set.
        let route = request.extensions().get::<MatchedPath>().cloned();
        let span = if hookd_telemetry::on() {
            let parent = request.headers().get(hookd_telemetry::TRACEPARENT).and_then(|v| v.to_str().ok());
            hookd_telemetry::request(
                request.method().as_str(),
                route.as_ref().map_or("unmatched", |r| r.as_str()),
                parent,
            )
        } else {
            tracing::Span::none()
        };
        let method = request.method().clone();
        let inner = span.in_scope(|| self.inner.call(request));
        Observed { inner, started, method, route, span, metrics: self.metrics.clone() }
    }
}

pin_project_lite::pin_project! {
    pub struct Observed<F> {
        #[pin]
        inner: F,
        started: Instant,
        method: axum::http::Method,
        route: Option<MatchedPath>,
        span: tracing::Span,
        metrics: Arc<Metrics>,
    }
}

impl<F, E> Future for Observed<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let answered = {
            let _entered = this.span.enter();
            std::task::ready!(this.inner.as_mut().poll(cx))
        };
        if let Ok(response) = &answered {
            let (status, took) = (response.status().as_u16(), this.started.elapsed());
            let route = this.route.as_ref().map_or("unmatched", |r| r.as_str());
            hookd_telemetry::answered(this.span, status);
            this.metrics.request(this.method, route, status, took);
            // An access log, off unless asked for (`HOOKD_LOG=info,hookd::access=debug`);
            // inside the request's span, so a JSON line names its trace.
            let (span, method) = (&*this.span, &*this.method);
            tracing::debug!(target: "hookd::access", parent: span, %method, route, status, ms = took.as_secs_f64() * 1000.0, "answered");
        }
        Poll::Ready(answered)
    }
}
