//! This node's signals for `/metrics`: counters and histograms updated on the hot path
//! (`prometheus-client`: atomics, and a short lock per histogram observation), and the state
//! the dispatcher and readiness share (stalled, disk full, open circuits).
//!
//! Labels are bounded: result classes, HTTP methods, route templates. Never an org or a
//! webhook ID: one series per customer would grow without end and leak who they are.

mod process;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use hookd_core::listing::Backlog;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

/// The `Content-Type` of what [`Metrics::encode`] writes.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// The result classes of `hookd_core::health::result_class`: status classes, then error kinds.
const RESULT_CLASSES: [&str; 16] = [
    "2xx",
    "3xx",
    "4xx",
    "5xx",
    "other",
    "timeout",
    "refused",
    "dns",
    "tls",
    "ssrf",
    "connection",
    "invalid_url",
    "auth",
    "transformation",
    "cancelled",
    "rejected",
];

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    /// `2xx`..`5xx`, `other`, or the error kind of an attempt without an answer.
    result: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The route's template (`/api/v1/orgs/{org}/webhooks`), never the path as asked.
    route: String,
    /// The answer's class: `2xx`..`5xx`.
    status: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabels {
    version: &'static str,
}

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub events_published: Counter,
    pub deliveries_created: Counter,
    /// Deliveries not made because a webhook's filter refused the event.
    pub deliveries_filtered: Counter,
    attempts: Family<ResultLabels, Counter>,
    attempt_duration: Histogram,
    delivery_lag: Histogram,
    pub deliveries_failed: Counter,
    pub webhooks_disabled: Counter,
    /// Writes of attempt records that failed (each is tried again).
    pub recording_failures: Counter,
    pub in_flight: Gauge,
    requests: Family<RequestLabels, Histogram>,
    /// Set from the state below and the backlog as a scrape is written.
    stalled_now: Gauge,
    ready: Gauge,
    circuits_open: Gauge,
    deliveries_pending: Gauge,
    deliveries_due: Gauge,
    oldest_due_age: Gauge<f64, AtomicU64>,
    /// Why attempts cannot be recorded, while they cannot: this node sends nothing meanwhile.
    stalled: std::sync::Mutex<Option<String>>,
    /// Whether `stalled` holds a reason: read lock-free on every turn of the dispatcher.
    is_stalled: AtomicBool,
    /// Whether a write found the database's disk full, until a write goes through again.
    full: AtomicBool,
    /// Webhooks whose receivers keep timing out, and whose circuits are open, on this node.
    pub circuits: crate::shares::Circuits,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        // The process's own metrics keep their usual names (`process_...`); hookd's have its prefix.
        let mut registry = Registry::default();
        let hookd = registry.sub_registry_with_prefix("hookd");
        let events_published = Counter::default();
        hookd.register("events_published", "Events accepted", events_published.clone());
        let deliveries_created = Counter::default();
        hookd.register("deliveries_created", "Deliveries created by published events", deliveries_created.clone());
        let deliveries_filtered = Counter::default();
        hookd.register(
            "deliveries_filtered",
            "Deliveries not made because a webhook's filter refused the event",
            deliveries_filtered.clone(),
        );
        let attempts = Family::<ResultLabels, Counter>::default();
        // Every class from the start, at 0: a series that appears with its first increment
        // loses that increment to `rate()` and `increase()`.
        for result in RESULT_CLASSES {
            let _ = attempts.get_or_create(&ResultLabels { result });
        }
        hookd.register("attempts", "Attempts made, by result class or error kind", attempts.clone());
        // 5 ms to 41 s: a receiver's answer, up to the longest timeout allowed.
        let attempt_duration = Histogram::new(exponential_buckets(0.005, 2.0, 14));
        hookd.register_with_unit(
            "attempt_duration",
            "How long attempts took, from sending to the answer (or giving up)",
            Unit::Seconds,
            attempt_duration.clone(),
        );
        // 10 ms to 1.5 days: from a healthy backlog to a receiver that was down all day.
        let delivery_lag = Histogram::new(exponential_buckets(0.01, 2.0, 24));
        hookd.register_with_unit(
            "delivery_lag",
            "From an event's publish to the first attempt of each of its deliveries",
            Unit::Seconds,
            delivery_lag.clone(),
        );
        let deliveries_failed = Counter::default();
        hookd.register("deliveries_failed", "Deliveries that ran out of attempts", deliveries_failed.clone());
        let webhooks_disabled = Counter::default();
        hookd.register("webhooks_disabled", "Webhooks disabled by hookd", webhooks_disabled.clone());
        let recording_failures = Counter::default();
        hookd.register(
            "recording_failures",
            "Writes of attempt records the database refused (each is tried again)",
            recording_failures.clone(),
        );
        let in_flight = Gauge::default();
        hookd.register("in_flight", "Requests to receivers in flight on this node", in_flight.clone());
        let requests = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.5, 10))
        });
        hookd.register_with_unit(
            "http_request_duration",
            "How long hookd took to answer HTTP requests (API and portal), by route template",
            Unit::Seconds,
            requests.clone(),
        );
        let stalled_now = Gauge::default();
        hookd.register(
            "stalled",
            "1 while attempts cannot be recorded and this node sends nothing",
            stalled_now.clone(),
        );
        let ready = Gauge::default();
        hookd.register("ready", "1 while this node is ready (as /readyz says), 0 while it is not", ready.clone());
        let circuits_open = Gauge::default();
        hookd.register(
            "circuits_open",
            "Webhooks this node sends one request at a time, as their receivers keep timing out",
            circuits_open.clone(),
        );
        let deliveries_pending = Gauge::default();
        hookd.register(
            "deliveries_pending",
            "Deliveries not yet done (counted up to 100000)",
            deliveries_pending.clone(),
        );
        let deliveries_due = Gauge::default();
        hookd.register(
            "deliveries_due",
            "Deliveries due now and not being sent (counted up to 100000)",
            deliveries_due.clone(),
        );
        let oldest_due_age = Gauge::<f64, AtomicU64>::default();
        hookd.register_with_unit(
            "oldest_due_age",
            "How long the oldest due delivery has waited to be sent",
            Unit::Seconds,
            oldest_due_age.clone(),
        );
        let build = Family::<BuildLabels, Gauge>::default();
        build.get_or_create(&BuildLabels { version: env!("CARGO_PKG_VERSION") }).set(1);
        hookd.register("build_info", "The running hookd's version", build);
        registry.register_collector(Box::new(process::Process::new()));
        Self {
            registry,
            events_published,
            deliveries_created,
            deliveries_filtered,
            attempts,
            attempt_duration,
            delivery_lag,
            deliveries_failed,
            webhooks_disabled,
            recording_failures,
            in_flight,
            requests,
            stalled_now,
            ready,
            circuits_open,
            deliveries_pending,
            deliveries_due,
            oldest_due_age,
            stalled: std::sync::Mutex::new(None),
            is_stalled: AtomicBool::new(false),
            full: AtomicBool::new(false),
            circuits: crate::shares::Circuits::default(),
        }
    }

    /// Counts an attempt by its result class and observes how long it took.
    pub fn attempt(&self, result: &'static str, took: Duration) {
        self.attempts.get_or_create(&ResultLabels { result }).inc();
        self.attempt_duration.observe(took.as_secs_f64());
    }

    /// Observes how long a delivery waited for its first attempt.
    pub fn first_attempt_lag(&self, waited: Duration) {
        self.delivery_lag.observe(waited.as_secs_f64());
    }

    /// Observes an answered HTTP request by its route's template.
    pub fn request(&self, method: &http::Method, route: &str, status: u16, took: Duration) {
        let labels =
            RequestLabels { method: method_label(method), route: route.to_owned(), status: status_class(status) };
        self.requests.get_or_create(&labels).observe(took.as_secs_f64());
    }

    /// The Prometheus text exposition of every metric, with readiness and the backlog as read
    /// for this scrape (the backlog `None` when it could not be read: its gauges keep their
    /// last values).
    pub fn encode(&self, ready: bool, backlog: Option<&Backlog>) -> String {
        self.stalled_now.set(i64::from(self.is_stalled()));
        self.ready.set(i64::from(ready));
        self.circuits_open.set(self.circuits.open_count() as i64);
        if let Some(b) = backlog {
            self.deliveries_pending.set(b.pending as i64);
            self.deliveries_due.set(b.due as i64);
            let age = b.oldest_due_at.map_or(0.0, |at| (chrono::Utc::now() - at).as_seconds_f64().max(0.0));
            self.oldest_due_age.set(age);
        }
        let mut out = String::with_capacity(16 * 1024);
        // Writing to a String cannot fail; a metric that could not be written is left out.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry);
        out
    }

    /// Whether this node has stopped sending (see [`Metrics::stalled`]), without a lock.
    pub fn is_stalled(&self) -> bool {
        self.is_stalled.load(Ordering::Acquire)
    }

    /// Why this node has stopped sending, if it has: its attempts cannot be recorded.
    pub fn stalled(&self) -> Option<String> {
        if !self.is_stalled.load(Ordering::Acquire) {
            return None;
        }
        self.stalled.lock().ok().and_then(|s| s.clone())
    }

    /// Whether a write found the database's disk full since the last one that went through.
    pub fn is_full(&self) -> bool {
        self.full.load(Ordering::Relaxed)
    }

    /// Notes whether the last write found the disk full.
    pub fn set_full(&self, full: bool) {
        self.full.store(full, Ordering::Relaxed);
    }

    pub(crate) fn set_stalled(&self, why: Option<String>) {
        if why.is_none() && !self.is_stalled.load(Ordering::Acquire) {
            return;
        }
        if let Ok(mut s) = self.stalled.lock() {
            self.is_stalled.store(why.is_some(), Ordering::Release);
            *s = why;
        }
    }
}

fn method_label(m: &http::Method) -> &'static str {
    match *m {
        http::Method::GET => "GET",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::PATCH => "PATCH",
        http::Method::DELETE => "DELETE",
        http::Method::HEAD => "HEAD",
        http::Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_has_its_series_from_the_start() {
        use hookd_core::model::AttemptErrorKind as K;
        // Exhaustive: a new kind does not compile here until it is listed, and then must be a class.
        let all = [
            K::Timeout,
            K::Refused,
            K::Dns,
            K::Tls,
            K::Ssrf,
            K::Connection,
            K::InvalidUrl,
            K::Auth,
            K::Transformation,
            K::Cancelled,
            K::Rejected,
        ];
        for k in all {
            match k {
                K::Timeout
                | K::Refused
                | K::Dns
                | K::Tls
                | K::Ssrf
                | K::Connection
                | K::InvalidUrl
                | K::Auth
                | K::Transformation
                | K::Cancelled
                | K::Rejected => {
                    assert!(RESULT_CLASSES.contains(&k.as_str()), "{}", k.as_str())
                }
            }
        }
    }

    #[test]
    fn the_exposition_names_its_metrics_with_bounded_labels() {
        let m = Metrics::new();
        m.attempt("2xx", Duration::from_millis(12));
        m.attempt("timeout", Duration::from_secs(30));
        m.first_attempt_lag(Duration::from_millis(40));
        m.request(&http::Method::POST, "/api/v1/orgs/{org}/events", 202, Duration::from_micros(800));
        let at = chrono::Utc::now() - chrono::Duration::seconds(90);
        let text = m.encode(true, Some(&Backlog { pending: 7, due: 3, oldest_due_at: Some(at) }));
        for line in [
            "hookd_attempts_total{result=\"2xx\"} 1",
            "hookd_attempts_total{result=\"timeout\"} 1",
            "hookd_attempts_total{result=\"dns\"} 0",
            "hookd_attempt_duration_seconds_count 2",
            "hookd_delivery_lag_seconds_bucket{le=\"0.04\"} 1",
            "hookd_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/orgs/{org}/events\",status=\"2xx\"} 1",
            "hookd_deliveries_pending 7",
            "hookd_deliveries_due 3",
            "hookd_ready 1",
            "hookd_build_info{version=",
            "# TYPE hookd_events_published_total counter",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
        let age: f64 = text
            .lines()
            .find_map(|l| l.strip_prefix("hookd_oldest_due_age_seconds "))
            .and_then(|v| v.parse().ok())
            .unwrap();
        assert!((90.0..100.0).contains(&age), "{age}");
        #[cfg(target_os = "linux")]
        assert!(text.contains("process_resident_memory_bytes "), "{text}");
    }
}
