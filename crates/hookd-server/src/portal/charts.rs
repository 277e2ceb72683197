//! Health charts as server-rendered SVG: seen without a script, coloured by the page's theme
//! (classes, not colours), each with an accessible name; the numbers are also on the page as
//! text. Only numbers and times this module formats go into the markup.

use std::fmt::Write;

use hookd_core::health::{Bucket, Stats, Window};

use super::frame::millis;

/// The plot's box inside the chart's view box: room on the left for the scale, below for times.
const W: f64 = 640.0;
const H: f64 = 180.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 28.0;

/// A bucket's start as its axis label reads: the time of day for short windows, else the date.
pub fn bucket_label(window: Window, b: &Bucket) -> String {
    match window {
        Window::Hour | Window::Day => b.start.format("%H:%M").to_string(),
        Window::Week => b.start.format("%b %-d %H:%M").to_string(),
        Window::Month => b.start.format("%b %-d").to_string(),
    }
}

/// A success rate as people read it: "99.5%", "100%", or "—" without attempts.
pub fn rate(rate: Option<f64>) -> String {
    match rate {
        None => "—".into(),
        Some(r) if r >= 1.0 => "100%".into(),
        Some(r) => match (r * 1000.0).floor() as u64 {
            tenths if tenths % 10 == 0 => format!("{}%", tenths / 10),
            tenths => format!("{}.{}%", tenths / 10, tenths % 10),
        },
    }
}

fn x_of(i: usize, n: usize) -> f64 {
    LEFT + (W - LEFT - RIGHT) * i as f64 / n.max(1) as f64
}

fn y_of(v: f64, max: f64) -> f64 {
    H - BOTTOM - (H - TOP - BOTTOM) * (v / max.max(f64::MIN_POSITIVE))
}

/// The frame every chart shares: its name, the scale's top and the first, middle and last
/// bucket's times.
fn open(svg: &mut String, id: &str, name: &str, top: &str, stats: &Stats) {
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t"><title id="{id}-t">{name}</title>"#
    );
    let (y0, y1) = (y_of(0.0, 1.0), y_of(1.0, 1.0));
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{y0}" x2="{}" y2="{y0}"/><line class="grid" x1="{LEFT}" y1="{y1}" x2="{}" y2="{y1}"/><text class="scale" x="{}" y="{}" text-anchor="end">{top}</text><text class="scale" x="{}" y="{}" text-anchor="end">0</text>"#,
        W - RIGHT,
        W - RIGHT,
        LEFT - 6.0,
        y1 + 4.0,
        LEFT - 6.0,
        y0 + 4.0
    );
    let n = stats.buckets.len();
    for i in [0, n / 2, n.saturating_sub(1)] {
        if let Some(b) = stats.buckets.get(i) {
            let anchor = if i == 0 {
                "start"
            } else if i + 1 == n {
                "end"
            } else {
                "middle"
            };
            let x = if i + 1 == n { W - RIGHT } else { x_of(i, n) };
            let _ = write!(
                svg,
                r#"<text class="scale" x="{x:.1}" y="{}" text-anchor="{anchor}">{}</text>"#,
                H - 8.0,
                bucket_label(stats.window, b)
            );
        }
    }
}

/// Attempts per bucket, succeeded and failed stacked.
pub fn attempts(stats: &Stats) -> String {
    let max = stats.buckets.iter().map(|b| b.attempts).max().unwrap_or(0).max(1) as f64;
    let name = format!(
        "Attempts per {} over the last {}: {} succeeded, {} failed",
        per(stats.window),
        stats.window.as_str(),
        stats.totals.succeeded,
        stats.totals.failed
    );
    let mut svg = String::with_capacity(4096);
    open(&mut svg, "attempts", &name, &format!("{max}"), stats);
    let n = stats.buckets.len();
    let width = (x_of(1, n) - x_of(0, n)) * 0.8;
    for (i, b) in stats.buckets.iter().enumerate().filter(|(_, b)| b.attempts > 0) {
        let x = x_of(i, n) + width * 0.125;
        let (y_ok, y_all) = (y_of(b.succeeded as f64, max), y_of(b.attempts as f64, max));
        let base = y_of(0.0, max);
        let _ = write!(
            svg,
            r#"<g><title>{}: {} attempts, {} succeeded, {} failed</title><rect class="ok" x="{x:.1}" y="{y_ok:.1}" width="{width:.1}" height="{:.1}"/><rect class="bad" x="{x:.1}" y="{y_all:.1}" width="{width:.1}" height="{:.1}"/></g>"#,
            bucket_label(stats.window, b),
            b.attempts,
            b.succeeded,
            b.failed,
            base - y_ok,
            y_ok - y_all,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Latency per bucket: p50 and p95 as lines, broken where a bucket had no attempt.
pub fn latency(stats: &Stats) -> String {
    let max = stats.buckets.iter().filter_map(|b| b.p95_ms).fold(0.0, f64::max);
    let name = format!(
        "Latency per {} over the last {}: p50 {}, p95 {}",
        per(stats.window),
        stats.window.as_str(),
        stats.totals.p50_ms.map_or("—".into(), millis),
        stats.totals.p95_ms.map_or("—".into(), millis)
    );
    let mut svg = String::with_capacity(4096);
    open(&mut svg, "latency", &name, &if max > 0.0 { millis(max) } else { "—".into() }, stats);
    let n = stats.buckets.len();
    let half = (x_of(1, n) - x_of(0, n)) / 2.0;
    for (class, pick) in [("p95", (|b: &Bucket| b.p95_ms) as fn(&Bucket) -> Option<f64>), ("p50", |b| b.p50_ms)] {
        let (mut path, mut dots) = (String::new(), String::new());
        let mut pen_down = false;
        for (i, b) in stats.buckets.iter().enumerate() {
            match pick(b) {
                Some(v) => {
                    let (x, y) = (x_of(i, n) + half, y_of(v, max));
                    let _ = write!(path, "{}{x:.1} {y:.1} ", if pen_down { "L" } else { "M" });
                    let _ = write!(dots, r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="3"/>"#);
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            // The dots show buckets a line cannot join (one alone, between empty ones).
            let _ = write!(svg, r#"<path class="{class}" d="{}"/>{dots}"#, path.trim_end());
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A small chart for a list row: one bar a bucket, its height the attempts, red for failures.
pub fn sparkline(stats: &Stats) -> String {
    let (w, h) = (96.0, 22.0);
    let max = stats.buckets.iter().map(|b| b.attempts).max().unwrap_or(0).max(1) as f64;
    let n = stats.buckets.len().max(1) as f64;
    let name = format!(
        "Last {}: {} attempts, {} succeeded",
        stats.window.as_str(),
        stats.totals.attempts,
        rate(stats.totals.success_rate)
    );
    let mut svg = format!(r#"<svg class="spark" viewBox="0 0 {w} {h}" role="img" aria-label="{name}">"#);
    for (i, b) in stats.buckets.iter().enumerate().filter(|(_, b)| b.attempts > 0) {
        let x = w * i as f64 / n;
        let bar = (h * b.attempts as f64 / max).max(2.0);
        let bad = bar * b.failed as f64 / b.attempts as f64;
        let _ = write!(
            svg,
            r#"<rect class="ok" x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}"/>"#,
            h - bar,
            w / n - 1.0,
            bar - bad
        );
        if b.failed > 0 {
            let _ = write!(
                svg,
                r#"<rect class="bad" x="{x:.1}" y="{:.1}" width="{:.1}" height="{bad:.1}"/>"#,
                h - bar,
                w / n - 1.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// What one bucket of a window covers, in words.
pub fn per(window: Window) -> &'static str {
    match window {
        Window::Hour => "5 minutes",
        Window::Day => "hour",
        Window::Week => "6 hours",
        Window::Month => "day",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> Stats {
        let now = 1_700_000_000_000;
        let start = Window::Day.start(now);
        let counts = [(start, "r:2xx", 9), (start, "r:5xx", 1), (start, "l:40", 10), (start + 7_200_000, "r:2xx", 2)];
        Stats::from_counts(Window::Day, now, counts.iter().map(|(s, k, n)| (*s, *k, *n)))
    }

    #[test]
    fn charts_are_named_and_draw_what_they_count() {
        let s = stats();
        let a = attempts(&s);
        assert!(a.contains("role=\"img\"") && a.contains("11 succeeded, 1 failed"), "{a}");
        assert_eq!(a.matches("<rect class=\"bad\"").count(), 2, "one bar a bucket with attempts");
        let l = latency(&s);
        assert_eq!(l.matches("<path").count(), 2, "p50 and p95");
        let spark = sparkline(&s);
        assert!(spark.contains("aria-label=\"Last 24h: 12 attempts, 91.6% succeeded\""), "{spark}");
    }

    #[test]
    fn rates_never_round_up_to_a_perfect_score() {
        assert_eq!(rate(Some(0.9999)), "99.9%");
        assert_eq!(rate(Some(1.0)), "100%");
        assert_eq!(rate(Some(0.8)), "80%");
        assert_eq!(rate(None), "—");
    }
}
