//! How a webhook's attempts went: counts rolled up per time bucket as attempts are recorded,
//! never by scanning the history.
//!
//! A bucket holds one count per key: an attempt's result class (`r:2xx`, `r:timeout`, ...),
//! its latency bin (`l:37`), and the events the webhook's filter refused (`f`, counted when
//! they are published). Latency bins are a fixed log-scale histogram, four bins to
//! a doubling of microseconds, so they merge by adding counts (across buckets, nodes and
//! webhooks) and a quantile read from them is within 9% of the true one (a bin's middle is at
//! most 2^(1/8) from its edges). The store keeps buckets of two grains: five minutes, for the
//! 1 h and 24 h windows, and one hour, for 7 d and 30 d.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::WebhookId;
use crate::model::Attempt;

/// How long a stored bucket covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grain {
    FiveMinutes,
    Hour,
}

impl Grain {
    pub const ALL: [Grain; 2] = [Grain::FiveMinutes, Grain::Hour];

    pub fn seconds(self) -> i64 {
        match self {
            Grain::FiveMinutes => 300,
            Grain::Hour => 3600,
        }
    }

    /// How long its buckets are kept: past the longest window read from them, by a bucket.
    pub fn kept_seconds(self) -> i64 {
        match self {
            Grain::FiveMinutes => 2 * 3600,
            Grain::Hour => 31 * 86_400,
        }
    }

    /// The start (Unix ms) of the bucket holding `at_ms`.
    pub fn bucket_of(self, at_ms: i64) -> i64 {
        at_ms.div_euclid(self.seconds() * 1000) * self.seconds() * 1000
    }
}

/// The time a stats request looks back over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub enum Window {
    #[serde(rename = "1h")]
    Hour,
    #[default]
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
}

impl Window {
    pub const ALL: [Window; 4] = [Window::Hour, Window::Day, Window::Week, Window::Month];
    pub const NAMES: &'static str = "`1h`, `24h`, `7d` or `30d`";

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Window::Hour => "1h",
            Window::Day => "24h",
            Window::Week => "7d",
            Window::Month => "30d",
        }
    }

    /// The seconds each bucket of the answer covers.
    pub fn bucket_seconds(self) -> i64 {
        match self {
            Window::Hour => 300,
            Window::Day => 3600,
            Window::Week => 6 * 3600,
            Window::Month => 86_400,
        }
    }

    /// How many buckets the answer has: the current one, partly over, and those before it.
    pub fn buckets(self) -> i64 {
        match self {
            Window::Hour => 12,
            Window::Day => 24,
            Window::Week => 28,
            Window::Month => 30,
        }
    }

    /// The stored grain the answer is made from: the coarsest that divides its buckets, so
    /// the fewest rows are read (a day's hourly buckets are 24 rows a key, not 288).
    pub fn grain(self) -> Grain {
        match self {
            Window::Hour => Grain::FiveMinutes,
            Window::Day | Window::Week | Window::Month => Grain::Hour,
        }
    }

    /// The start (Unix ms) of the window's first bucket, for a window ending at `now_ms`.
    pub fn start(self, now_ms: i64) -> i64 {
        let b = self.bucket_seconds() * 1000;
        now_ms.div_euclid(b) * b - (self.buckets() - 1) * b
    }
}

/// What an attempt's result counts as: its error kind, else its status's class.
pub fn result_class(a: &Attempt) -> &'static str {
    if let Some(e) = &a.error {
        return e.kind.as_str();
    }
    match a.response_status {
        // Without an answer's status or an error: taken by a queue or broker, or pulled.
        None | Some(200..=299) => "2xx",
        Some(300..=399) => "3xx",
        Some(400..=499) => "4xx",
        Some(500..=599) => "5xx",
        _ => "other",
    }
}

/// A latency histogram bin: four to a doubling of microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LatencyBin(u8);

impl LatencyBin {
    const PER_DOUBLING: f64 = 4.0;
    const LAST: u8 = 127;

    pub fn of(micros: u64) -> Self {
        if micros <= 1 {
            return Self(0);
        }
        let bin = ((micros as f64).log2() * Self::PER_DOUBLING).floor();
        Self(bin.min(f64::from(Self::LAST)) as u8)
    }

    /// The bin's middle (geometric), in milliseconds.
    pub fn middle_ms(self) -> f64 {
        2f64.powf((f64::from(self.0) + 0.5) / Self::PER_DOUBLING) / 1000.0
    }
}

/// One count of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Result(&'static str),
    Latency(LatencyBin),
    Filtered,
}

impl Key {
    /// As stored: `r:<class>` or `l:<bin>`.
    pub fn encode(self) -> String {
        match self {
            Key::Result(class) => format!("r:{class}"),
            Key::Latency(bin) => format!("l:{}", bin.0),
            Key::Filtered => "f".to_owned(),
        }
    }
}

/// A stored count: of `key`, in the bucket of `grain` starting at `start_ms`, for a webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub webhook_id: WebhookId,
    pub org_id: crate::OrgId,
    pub grain: Grain,
    pub start_ms: i64,
    pub key: String,
    pub n: i64,
}

/// A count as the store reads it back, added up across the nodes that wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub webhook_id: WebhookId,
    pub start_ms: i64,
    pub key: String,
    pub n: u64,
}

/// What a batch of attempts adds to the stored buckets, one count per webhook, grain, bucket
/// and key, in one order (so that concurrent writers lock rows in the same order).
pub fn roll_up<'a>(attempts: impl IntoIterator<Item = &'a Attempt>) -> Vec<Count> {
    let mut sums: BTreeMap<(&str, Grain, i64, Key), (&Attempt, i64)> = BTreeMap::new();
    for a in attempts {
        let at = a.sent_at.timestamp_millis();
        for grain in Grain::ALL {
            let start = grain.bucket_of(at);
            for key in [Key::Result(result_class(a)), Key::Latency(LatencyBin::of(a.duration_us))] {
                sums.entry((a.webhook_id.as_str(), grain, start, key)).or_insert((a, 0)).1 += 1;
            }
        }
    }
    sums.into_iter()
        .map(|((_, grain, start_ms, key), (a, n))| Count {
            webhook_id: a.webhook_id.clone(),
            org_id: a.org_id.clone(),
            grain,
            start_ms,
            key: key.encode(),
            n,
        })
        .collect()
}

/// What refusals of events by webhooks' filters at `now_ms` add to the stored buckets, in
/// the same order as [`roll_up`]'s.
pub fn filtered<'a>(refusals: impl IntoIterator<Item = (&'a WebhookId, &'a crate::OrgId)>, now_ms: i64) -> Vec<Count> {
    let mut sums: BTreeMap<(&WebhookId, Grain), (&crate::OrgId, i64)> = BTreeMap::new();
    for (webhook, org) in refusals {
        for grain in Grain::ALL {
            sums.entry((webhook, grain)).or_insert((org, 0)).1 += 1;
        }
    }
    sums.into_iter()
        .map(|((webhook, grain), (org, n))| Count {
            webhook_id: webhook.clone(),
            org_id: org.clone(),
            grain,
            start_ms: grain.bucket_of(now_ms),
            key: Key::Filtered.encode(),
            n,
        })
        .collect()
}

/// Counts added up: attempts by result class and by latency bin, and events filtered out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    by_result: BTreeMap<String, u64>,
    latency: BTreeMap<u8, u64>,
    filtered: u64,
}

impl Tally {
    /// Adds a stored count; keys this binary does not know are passed over.
    pub fn add(&mut self, key: &str, n: u64) {
        if let Some(class) = key.strip_prefix("r:") {
            *self.by_result.entry(class.to_owned()).or_default() += n;
        } else if let Some(bin) = key.strip_prefix("l:").and_then(|b| b.parse().ok()) {
            *self.latency.entry(bin).or_default() += n;
        } else if key == "f" {
            self.filtered += n;
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        for (class, n) in &other.by_result {
            *self.by_result.entry(class.clone()).or_default() += n;
        }
        for (bin, n) in &other.latency {
            *self.latency.entry(*bin).or_default() += n;
        }
        self.filtered += other.filtered;
    }

    pub fn attempts(&self) -> u64 {
        self.by_result.values().sum()
    }

    pub fn succeeded(&self) -> u64 {
        self.by_result.get("2xx").copied().unwrap_or(0)
    }

    /// The latency under which a share `q` of the attempts came back, in ms; `None` when
    /// there were none.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let total: u64 = self.latency.values().sum();
        if total == 0 {
            return None;
        }
        let rank = (q * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (bin, n) in &self.latency {
            seen += n;
            if seen >= rank {
                return Some(round_ms(LatencyBin(*bin).middle_ms()));
            }
        }
        None
    }

    pub fn totals(&self) -> Totals {
        let (attempts, succeeded) = (self.attempts(), self.succeeded());
        // A cancelled attempt sent nothing: it neither failed nor succeeded.
        let cancelled = self.by_result.get("cancelled").copied().unwrap_or(0);
        Totals {
            attempts,
            succeeded,
            failed: attempts - succeeded - cancelled,
            success_rate: (attempts > 0).then(|| succeeded as f64 / attempts as f64),
            p50_ms: self.quantile_ms(0.5),
            p95_ms: self.quantile_ms(0.95),
            filtered: self.filtered,
        }
    }
}

/// Milliseconds to three significant digits: the histogram's error is larger than that.
fn round_ms(ms: f64) -> f64 {
    if ms <= 0.0 {
        return 0.0;
    }
    let scale = 10f64.powi(2 - ms.log10().floor() as i32);
    (ms * scale).round() / scale
}

/// A window's figures in sum.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    pub attempts: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Succeeded over attempts, 0 to 1; `null` when there were no attempts.
    pub success_rate: Option<f64>,
    /// Within 9% of the true value (a log-scale histogram, four bins to a doubling).
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    /// Events of its types that the webhook's filter refused: no delivery, no attempt.
    pub filtered: u64,
}

/// One bucket of a window.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Bucket {
    pub start: DateTime<Utc>,
    pub attempts: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub filtered: u64,
}

/// A webhook's health over a window, as the stats API answers it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub window: Window,
    pub bucket_seconds: i64,
    pub totals: Totals,
    /// Attempts by result: `2xx`, `3xx`, `4xx`, `5xx`, or the error kind (`timeout`,
    /// `refused`, `tls`, ...).
    pub by_result: BTreeMap<String, u64>,
    /// Oldest first; every bucket of the window, empty ones included.
    pub buckets: Vec<Bucket>,
}

impl Stats {
    /// The window ending at `now_ms`, from stored counts `(start_ms, key, n)` of its grain.
    pub fn from_counts<'a>(window: Window, now_ms: i64, counts: impl IntoIterator<Item = (i64, &'a str, u64)>) -> Self {
        let (first, width) = (window.start(now_ms), window.bucket_seconds() * 1000);
        let mut tallies = vec![Tally::default(); window.buckets() as usize];
        for (start, key, n) in counts {
            let i = (start - first).div_euclid(width);
            if let Some(t) = usize::try_from(i).ok().and_then(|i| tallies.get_mut(i)) {
                t.add(key, n);
            }
        }
        let mut all = Tally::default();
        let buckets = tallies
            .iter()
            .enumerate()
            .map(|(i, t)| {
                all.merge(t);
                let totals = t.totals();
                Bucket {
                    start: DateTime::from_timestamp_millis(first + i as i64 * width).unwrap_or_default(),
                    attempts: totals.attempts,
                    succeeded: totals.succeeded,
                    failed: totals.failed,
                    p50_ms: totals.p50_ms,
                    p95_ms: totals.p95_ms,
                    filtered: totals.filtered,
                }
            })
            .collect();
        Stats {
            window,
            bucket_seconds: window.bucket_seconds(),
            totals: all.totals(),
            by_result: all.by_result.clone(),
            buckets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantile_is_within_nine_percent() {
        for micros in [150u64, 999, 1_000, 4_321, 77_777, 1_234_567, 29_000_000] {
            let mut t = Tally::default();
            t.add(&Key::Latency(LatencyBin::of(micros)).encode(), 1);
            let got = t.quantile_ms(0.5).unwrap();
            let want = micros as f64 / 1000.0;
            assert!((got - want).abs() / want <= 0.091, "{micros} us read as {got} ms");
        }
    }

    #[test]
    fn quantiles_rank_the_counts() {
        let mut t = Tally::default();
        t.add(&Key::Latency(LatencyBin::of(1_000)).encode(), 90);
        t.add(&Key::Latency(LatencyBin::of(100_000)).encode(), 10);
        assert!(t.quantile_ms(0.5).unwrap() < 1.1);
        assert!(t.quantile_ms(0.95).unwrap() > 90.0);
        assert_eq!(Tally::default().quantile_ms(0.5), None);
    }

    #[test]
    fn a_window_is_its_buckets_ending_with_the_current_one() {
        let now = 1_700_000_123_456;
        for w in Window::ALL {
            let (first, width) = (w.start(now), w.bucket_seconds() * 1000);
            assert_eq!(first % width, 0);
            assert!(first + (w.buckets() - 1) * width <= now && now < first + w.buckets() * width);
            // The grain divides the bucket and is kept as long as the window reaches back.
            assert_eq!(width % (w.grain().seconds() * 1000), 0);
            assert!(now - first <= w.grain().kept_seconds() * 1000);
            assert_eq!(Window::parse(w.as_str()), Some(w));
        }
    }

    #[test]
    fn counts_land_in_their_bucket_and_the_totals() {
        let now = 1_700_000_123_456;
        let w = Window::Day;
        let first = w.start(now);
        let counts = [(first, "r:2xx", 3), (first + 300_000, "r:5xx", 1), (first - 300_000, "r:2xx", 7)];
        let s = Stats::from_counts(w, now, counts.iter().map(|(s, k, n)| (*s, *k, *n)));
        assert_eq!(s.buckets.len(), 24);
        assert_eq!((s.buckets[0].attempts, s.buckets[0].succeeded, s.buckets[0].failed), (4, 3, 1));
        assert_eq!((s.totals.attempts, s.totals.failed), (4, 1));
        assert_eq!(s.totals.success_rate, Some(0.75));
        assert_eq!(s.by_result.get("5xx"), Some(&1));
    }
}
