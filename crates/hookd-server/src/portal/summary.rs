//! A webhook's options and authentication in words, as its page shows them: what a person
//! needs to know about how requests go out, without opening the form.

use hookd_core::model::{ContentType, PayloadFormat};
use hookd_service::webhooks::WebhookView;

/// One line of the summary; `warn` when it weakens what a receiver can trust.
pub struct Setting {
    pub label: &'static str,
    pub value: String,
    pub warn: bool,
}

fn line(label: &'static str, value: impl Into<String>) -> Setting {
    Setting { label, value: value.into(), warn: false }
}

fn on_off(on: bool) -> &'static str {
    if on { "On" } else { "Off" }
}

pub fn settings(w: &WebhookView) -> Vec<Setting> {
    let o = &w.options;
    let format = match (o.content_type, o.payload) {
        (ContentType::Json, p) => format!("JSON, {}", payload(p)),
        (ContentType::Form, p) => format!("Form (application/x-www-form-urlencoded), {}", payload(p)),
    };
    let batching = match o.max_events_per_request {
        1 => "One event a request".to_owned(),
        n => format!("Up to {n} events a request, waiting up to {} ms to fill one", o.batch_window_ms),
    };
    let headers = match o.headers.keys().map(String::as_str).collect::<Vec<_>>() {
        names if names.is_empty() => "None".to_owned(),
        names => names.join(", "),
    };
    let auth = match &w.auth {
        None => Setting { label: "Authentication", value: "Stored credentials cannot be read".into(), warn: true },
        Some(a) => {
            let mut value = a.method.label().to_owned();
            if !a.per_org.is_empty() {
                value.push_str(&format!("; its own credentials for {} child organization(s)", a.per_org.len()));
            }
            line("Authentication", value)
        }
    };
    let filter = w.filter.as_ref().map_or_else(|| "None: every event of its types".to_owned(), |f| f.describe());
    let transformation = match &w.transformation {
        None => "None: requests go as hookd renders them".to_owned(),
        Some(t) if t.enabled => format!("On: JavaScript, {} line(s), run before signing", t.code.lines().count()),
        Some(_) => "Off (the code is kept)".to_owned(),
    };
    vec![
        line("Filter", filter),
        line("Transformation", transformation),
        Setting {
            label: "TLS verification",
            value: if o.verify_tls { "On".into() } else { "Off: the receiver's certificate is not checked".into() },
            warn: !o.verify_tls,
        },
        auth,
        line("Format", format),
        line("Batching", batching),
        line("Timeout", format!("{} s", f64::from(o.timeout_ms) / 1000.0)),
        line("Custom headers", headers),
        line("Ordered delivery", on_off(o.ordered)),
        line("Rate limit", o.rate_limit_per_s.map_or("None".into(), |n| format!("{n} requests a second"))),
        line("Requests at once", format!("Up to {}", o.max_in_flight)),
        line("Legacy X-Hub-Signature", on_off(o.legacy_signature)),
        line("W3C traceparent header", on_off(o.traceparent)),
        line("Child organizations' events", if w.include_child_orgs { "Included" } else { "Not included" }),
    ]
}

fn payload(p: PayloadFormat) -> &'static str {
    match p {
        PayloadFormat::Envelope => "the envelope (ID, type, time, payload)",
        PayloadFormat::Thin => "thin (the event's ID, type and resource URL only)",
        PayloadFormat::Raw => "the payload as published",
    }
}
