//! Events hookd publishes about webhooks themselves, so an org can be told when one of its
//! webhooks is disabled (by a 410, or after failing too long) or enabled again.

use std::time::Duration;

use crate::id::EventId;
use crate::model::{Event, Timestamp, Webhook};

pub const WEBHOOK_DISABLED: &str = "webhook.disabled";
pub const WEBHOOK_ENABLED: &str = "webhook.enabled";
pub const GROUP: &str = "Webhooks";

/// The catalog entries: name, description, example payload.
pub fn catalog() -> [(&'static str, &'static str, serde_json::Value); 2] {
    let example = |enabled: bool, reason: &str| {
        serde_json::json!({
            "webhook": {"id": "wh_01jbk3x9q7f8t2v6m4c0d5e9ha", "name": "CRM sync", "url": "https://example.com/hook"},
            "enabled": enabled,
            "reason": reason,
        })
    };
    [
        (
            WEBHOOK_DISABLED,
            "A webhook was disabled, by a person, or automatically after it kept failing or its receiver answered 410 Gone.",
            example(false, "The receiver answered 410 Gone, so this webhook was disabled."),
        ),
        (WEBHOOK_ENABLED, "A webhook was enabled again.", example(true, "Enabled by mbr_01jbk3x9q7f8t2v6m4c0d5e9ha")),
    ]
}

/// The event that tells `w`'s org its webhook is now enabled or disabled, as `w.status` says.
pub fn announcement(w: &Webhook) -> Event {
    event(w, if w.status.enabled { WEBHOOK_ENABLED } else { WEBHOOK_DISABLED })
}

/// The event telling `w`'s org about its current state.
pub fn event(w: &Webhook, event_type: &str) -> Event {
    let now = chrono::Utc::now();
    let payload = serde_json::json!({
        "webhook": {"id": w.id, "name": w.name, "url": w.url},
        "enabled": w.status.enabled,
        "reason": w.status.reason,
    });
    Event {
        id: EventId::new(),
        org_id: w.org_id.clone(),
        event_type: event_type.to_owned(),
        payload: payload.to_string(),
        resource_url: None,
        environment: w.environment,
        visible_to: vec![],
        occurred_at: now,
        created_at: now,
        idempotency_key: None,
        traceparent: None,
    }
}

/// When a webhook has failed long enough to be disabled: every delivery failed since
/// `failing_since`, which is at least `window` ago, and at least `min_failures` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisablePolicy {
    pub window: Duration,
    pub min_failures: u32,
}

impl Default for DisablePolicy {
    fn default() -> Self {
        Self { window: Duration::from_secs(3 * 86_400), min_failures: 10 }
    }
}

impl DisablePolicy {
    pub fn should_disable(&self, failing_since: Option<Timestamp>, failed_deliveries: u32, now: Timestamp) -> bool {
        let Some(since) = failing_since else { return false };
        let long_enough = (now - since).to_std().is_ok_and(|d| d >= self.window);
        long_enough && failed_deliveries >= self.min_failures
    }

    pub fn reason(&self, failed_deliveries: u32) -> String {
        format!(
            "Every delivery failed for {} ({failed_deliveries} failed deliveries), so this webhook was disabled.",
            humanize(self.window)
        )
    }
}

fn humanize(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s >= 86_400 && s % 86_400 == 0 => format!("{} days", s / 86_400),
        s if s >= 3600 && s % 3600 == 0 => format!("{} hours", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disable_needs_both_time_and_count() {
        let p = DisablePolicy::default();
        let now = chrono::Utc::now();
        let four_days = now - chrono::Duration::days(4);
        let one_day = now - chrono::Duration::days(1);
        assert!(p.should_disable(Some(four_days), 10, now));
        assert!(!p.should_disable(Some(four_days), 9, now));
        assert!(!p.should_disable(Some(one_day), 50, now));
        assert!(!p.should_disable(None, 50, now));
        assert!(p.reason(12).contains("3 days (12 failed deliveries)"));
    }
}
