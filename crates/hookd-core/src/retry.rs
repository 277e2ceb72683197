//! When a failed delivery is tried again.

use std::time::Duration;

/// The waits between attempts. Attempt `n + 1` comes `schedule[n - 1]` (± jitter) after
/// attempt `n` failed; after the last entry the delivery has failed for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub schedule: Vec<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        let mins = |m: u64| Duration::from_secs(m * 60);
        Self {
            schedule: vec![
                Duration::from_secs(5),
                Duration::from_secs(30),
                mins(2),
                mins(10),
                mins(30),
                mins(60),
                mins(180),
                mins(360),
                mins(720),
                mins(1440),
            ],
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a duration: use a number with a unit, like 500ms, 5s, 2m, 1h")]
pub struct BadDuration(pub String);

/// Parses `500ms`, `5s`, `2m`, `1h`, `1d`.
pub fn parse_duration(text: &str) -> Result<Duration, BadDuration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(|| BadDuration(t.into()))?;
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| BadDuration(t.into()))?;
    let d = match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        "d" => Duration::from_secs(n * 86_400),
        _ => return Err(BadDuration(t.into())),
    };
    Ok(d)
}

impl RetryPolicy {
    /// Parses a comma-separated schedule such as `5s,30s,2m`.
    pub fn parse(text: &str) -> Result<Self, BadDuration> {
        let schedule =
            text.split(',').filter(|s| !s.trim().is_empty()).map(parse_duration).collect::<Result<_, _>>()?;
        Ok(Self { schedule })
    }

    /// The wait before the next attempt after `failed_attempts` failures, or `None` when the
    /// schedule is spent. Jitter spreads retries by ±20% so that a recovering receiver is not
    /// hit by every delivery at once; a `Retry-After` from the receiver is a lower bound.
    pub fn next_delay(&self, failed_attempts: u32, retry_after: Option<Duration>) -> Option<Duration> {
        let base = *self.schedule.get(failed_attempts.checked_sub(1)? as usize)?;
        let jitter = 0.8 + rand::random::<f64>() * 0.4;
        let delay = base.mul_f64(jitter);
        Some(match retry_after {
            Some(ra) if ra > delay => ra.min(Duration::from_secs(86_400)),
            _ => delay,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_is_followed_with_bounded_jitter_then_ends() {
        let p = RetryPolicy::parse("1s,10s").unwrap();
        let first = p.next_delay(1, None).unwrap();
        assert!(first >= Duration::from_millis(800) && first <= Duration::from_millis(1200));
        let second = p.next_delay(2, None).unwrap();
        assert!(second >= Duration::from_secs(8) && second <= Duration::from_secs(12));
        assert_eq!(p.next_delay(3, None), None);
    }

    #[test]
    fn retry_after_is_a_lower_bound() {
        let p = RetryPolicy::parse("1s").unwrap();
        assert_eq!(p.next_delay(1, Some(Duration::from_secs(30))), Some(Duration::from_secs(30)));
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("5y").is_err());
    }
}
