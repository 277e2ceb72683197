//! Traces for operators: with `HOOKD_OTLP_ENDPOINT` set, a publish request, the database
//! write that stored it, each delivery it made, each attempt and the write that recorded it are
//! spans of one trace, exported over OTLP/HTTP; the caller's `traceparent` is their parent.
//!
//! Off by default, and then free: every span function answers [`Span::none`] without building
//! anything, and [`traceparent_of`] answers `None`. On, a trace is sampled where it starts (a
//! request): a caller's `traceparent` decides, else the configured ratio; an unsampled
//! request makes no span at all, and neither does anything it causes.
//!
//! The trace of a delivery crosses the database (another node may send what this one
//! published): the event keeps the W3C `traceparent` of its publish, and the delivery's span is
//! that context's child ([`delivery`]).

mod export;

use std::sync::atomic::{AtomicBool, Ordering};

use opentelemetry::trace::{SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState};
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

pub use export::{Exporter, TelemetryError, layer};

/// The W3C trace context header, named once (a name parsed from a string costs a lookup).
pub const TRACEPARENT: http::HeaderName = http::HeaderName::from_static("traceparent");

/// The target of hookd's trace spans: the exporter's layer sees these and no other.
pub const TARGET: &str = "hookd::trace";

static ON: AtomicBool = AtomicBool::new(false);
/// The share of requests without a caller's decision that are traced, as `f64` bits.
static RATIO: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Whether spans are exported: set once, as the exporter is installed.
pub fn on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// A W3C trace context header (`00-<trace id>-<parent id>-<flags>`), checked; `None` for
/// anything else (a malformed header is ignored, as the specification asks).
pub fn parse_traceparent(value: &str) -> Option<SpanContext> {
    let mut parts = value.trim().split('-');
    let (version, trace, parent, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex =
        |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    // Version 00 has exactly four parts; later versions may add more, read as 00.
    if !hex(version, 2) || version == "ff" || (version == "00" && parts.next().is_some()) {
        return None;
    }
    if !hex(trace, 32) || !hex(parent, 16) || !hex(flags, 2) {
        return None;
    }
    let trace_id = TraceId::from_hex(trace).ok().filter(|t| *t != TraceId::INVALID)?;
    let span_id = SpanId::from_hex(parent).ok().filter(|s| *s != SpanId::INVALID)?;
    let flags = TraceFlags::new(u8::from_str_radix(flags, 16).ok()? & 1);
    Some(SpanContext::new(trace_id, span_id, flags, true, TraceState::default()))
}

/// The `traceparent` header naming this span context as the parent.
pub fn format_traceparent(cx: &SpanContext) -> String {
    format!("00-{}-{}-{:02x}", cx.trace_id(), cx.span_id(), cx.trace_flags().to_u8())
}

/// The `traceparent` naming `span` as the parent, while spans are exported.
pub fn traceparent_of(span: &Span) -> Option<String> {
    if !on() || span.is_none() {
        return None;
    }
    let cx = span.context();
    let sc = cx.span().span_context().clone();
    sc.is_valid().then(|| format_traceparent(&sc))
}

/// Makes `span` a child of the context a `traceparent` names, and notes its trace ID for the
/// log lines written inside it.
fn adopt(span: &Span, parent: Option<&str>) {
    if let Some(sc) = parent.and_then(parse_traceparent) {
        let _ = span.set_parent(opentelemetry::Context::new().with_remote_span_context(sc));
    }
    let trace_id = span.context().span().span_context().trace_id();
    span.record("trace_id", tracing::field::display(trace_id));
}

/// A request hookd answers (a server span), the child of the caller's `traceparent`.
pub fn request(method: &str, route: &str, traceparent: Option<&str>) -> Span {
    if !on() {
        return Span::none();
    }
    let sampled = match traceparent.and_then(parse_traceparent) {
        Some(caller) => caller.is_sampled(),
        None => rand::random::<f64>() < f64::from_bits(RATIO.load(Ordering::Relaxed)),
    };
    if !sampled {
        return Span::none();
    }
    let span = tracing::info_span!(
        target: TARGET,
        "request",
        otel.name = %format_args!("{method} {route}"),
        otel.kind = "server",
        http.request.method = %method,
        http.route = %route,
        http.response.status_code = tracing::field::Empty,
        trace_id = tracing::field::Empty,
    );
    adopt(&span, traceparent);
    span
}

/// Notes the status a request was answered with.
pub fn answered(span: &Span, status: u16) {
    // As a signed integer: tracing-opentelemetry writes unsigned ones as strings.
    span.record("http.response.status_code", i64::from(status));
}

/// Publishing an event, in the span current when it is called: none outside a traced request.
pub fn publish(event_type: &str) -> Span {
    if !on() || Span::current().is_none() {
        return Span::none();
    }
    tracing::info_span!(target: TARGET, "publish", otel.name = %format_args!("publish {event_type}"), hookd.event_type = %event_type)
}

/// A write to the database, named for what it writes, as a child of `parent`.
pub fn db_write(parent: &Span, what: &'static str) -> Span {
    if parent.is_none() {
        return Span::none();
    }
    tracing::info_span!(target: TARGET, parent: parent, "db write", otel.name = what, otel.kind = "client", db.operation.name = what)
}

/// Sending a group of deliveries to one webhook, the child of the publish of its first event
/// (the others' publishes are linked).
pub fn delivery(webhook_id: &str, delivery_id: &str, published: &[Option<&str>]) -> Span {
    // Traced only when its publish was, and sampled.
    let first = published.first().copied().flatten().and_then(parse_traceparent);
    if !on() || !first.is_some_and(|p| p.is_sampled()) {
        return Span::none();
    }
    let span = tracing::info_span!(
        target: TARGET,
        "deliver",
        hookd.webhook_id = %webhook_id,
        hookd.delivery_id = %delivery_id,
        hookd.deliveries = published.len() as i64,
        trace_id = tracing::field::Empty,
    );
    adopt(&span, published.first().copied().flatten());
    for other in published.iter().skip(1).flatten().filter_map(|t| parse_traceparent(t)) {
        span.add_link(other);
    }
    span
}

/// One request to a receiver (a client span) in the current delivery's span; its answer is
/// noted by [`attempted`]. None outside a traced delivery.
pub fn attempt(url: &str, number: u32) -> Span {
    if !on() || Span::current().is_none() {
        return Span::none();
    }
    let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    tracing::info_span!(
        target: TARGET,
        "attempt",
        otel.name = "POST",
        otel.kind = "client",
        otel.status_code = tracing::field::Empty,
        http.request.method = "POST",
        server.address = %host,
        hookd.attempt = i64::from(number),
        http.response.status_code = tracing::field::Empty,
        error.type = tracing::field::Empty,
        hookd.duration_ms = tracing::field::Empty,
    )
}

/// What an attempt came to: the status it was answered with, or the kind of error that left
/// it without an answer.
pub fn attempted(span: &Span, status: Option<u16>, error: Option<&str>, duration_ms: f64) {
    if span.is_none() {
        return;
    }
    if let Some(s) = status {
        span.record("http.response.status_code", i64::from(s));
    }
    if let Some(kind) = error.or(status.filter(|s| !(200..300).contains(s)).map(|_| "http_status")) {
        span.record("error.type", kind);
        span.record("otel.status_code", "ERROR");
    }
    span.record("hookd.duration_ms", duration_ms);
}

/// Writing the attempts of a delivery, from their hand-over to the recorder to the write's end.
pub fn record(parent: &Span) -> Span {
    db_write(parent, "record attempts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_w3c_trace_context() {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let cx = parse_traceparent(header).unwrap();
        assert_eq!(cx.trace_id().to_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert!(cx.is_sampled() && cx.is_remote());
        assert_eq!(format_traceparent(&cx), header);
        // A later version with more parts is read as 00.
        assert!(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-x").is_some());
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        ] {
            assert!(parse_traceparent(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn spans_are_not_made_while_off() {
        assert!(request("GET", "/x", None).is_none());
        assert!(delivery("wh", "dl", &[Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]).is_none());
        assert_eq!(traceparent_of(&Span::current()), None);
    }
}
