//! Checks of what clients send, each failure naming the field it is about.

use url::Url;

use crate::model::{AuthMethod, WebhookAuth, WebhookOptions};
use crate::wire::Wire;

/// One invalid field: `field` is a dotted path into the request body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct FieldError {
    pub field: String,
    pub detail: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { field: field.into(), detail: detail.into() }
    }
}

/// A webhook target must be an absolute `https` URL (or `http` where private targets are
/// allowed, which is what local development and tests use).
pub fn webhook_url(field: &str, text: &str, allow_insecure: bool) -> Result<Url, FieldError> {
    let url = http_url(field, text)?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure => {}
        "http" => return Err(FieldError::new(field, "the URL must use https")),
        other => return Err(FieldError::new(field, format!("scheme `{other}` is not supported; use https"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(field, "put credentials in `auth`, not in the URL"));
    }
    Ok(url)
}

/// An absolute `http` or `https` URL of at most 2048 characters, as written: one with
/// whitespace or control characters is refused, not cleaned up (a URL parser would drop a
/// line break silently and keep what follows it).
pub fn http_url(field: &str, text: &str) -> Result<Url, FieldError> {
    if text.len() > 2048 {
        return Err(FieldError::new(field, "the URL is longer than 2048 characters"));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(
            field,
            "the URL contains whitespace or a control character; percent-encode it (a space is %20)",
        ));
    }
    if text.is_empty() {
        return Err(FieldError::new(field, "enter a URL, such as https://example.com/webhooks"));
    }
    let url = Url::parse(text).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            FieldError::new(field, format!("`{text}` is not a full URL: start it with https://"))
        }
        e => FieldError::new(field, format!("`{text}` is not a URL: {e}")),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FieldError::new(field, format!("scheme `{}` is not supported; use https", url.scheme())));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FieldError::new(field, "the URL has no host"));
    }
    Ok(url)
}

/// A non-empty, trimmed name of at most `max` characters.
pub fn name(field: &str, text: &str, max: usize) -> Result<String, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    if t.chars().count() > max {
        return Err(FieldError::new(field, format!("must be at most {max} characters")));
    }
    if t.chars().any(char::is_control) {
        return Err(FieldError::new(field, "must not contain control characters (line breaks, tabs, NUL)"));
    }
    if t.chars().any(is_bidi_control) {
        return Err(FieldError::new(
            field,
            "must not contain text-direction controls (U+202A to U+202E, U+2066 to U+2069): they reverse the text shown around the name",
        ));
    }
    Ok(t.to_owned())
}

/// Unicode's explicit embeddings, overrides and isolates, which reorder the text around them
/// wherever a name is shown (the marks U+200E and U+200F only set a direction, and stay).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A list of names (groups, features): each a [`name`] of at most `max` characters, each once,
/// in the order given. `field` is the list's; an entry's error names `field[i]`.
pub fn names(field: &str, list: &[String], max: usize) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for (i, n) in list.iter().enumerate() {
        let n = name(&format!("{field}[{i}]"), n, max)?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

/// Free text (a description): at most `max` characters; line breaks and tabs, but no other
/// control characters.
pub fn text(field: &str, text: &str, max: usize) -> Result<(), FieldError> {
    if text.chars().count() > max {
        return Err(FieldError::new(field, format!("must be at most {max} characters")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new(field, "must not contain control characters other than line breaks and tabs"));
    }
    Ok(())
}

/// Event type names: letters, digits, `.`, `_`, `-`, at most 100 characters.
pub fn event_type_name(field: &str, text: &str) -> Result<(), FieldError> {
    let ok = !text.is_empty()
        && text.len() <= 100
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, format!("`{text}` is not an event type name (letters, digits, `.`, `_`, `-`)")))
    }
}

/// An HTTP header name a webhook may set.
pub fn header_name(field: &str, name: &str, wire: &Wire) -> Result<(), FieldError> {
    let token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !token {
        return Err(FieldError::new(field, format!("`{name}` is not a valid header name")));
    }
    let lower = name.to_ascii_lowercase();
    let reserved = ["host", "content-length", "content-type", "transfer-encoding", "connection"];
    // Hop-by-hop headers (RFC 9110 section 7.6.1) describe one connection, not the request:
    // a proxy on the way would drop them, and `upgrade` would ask the receiver to switch protocols.
    let hop_by_hop = ["keep-alive", "te", "trailer", "upgrade", "proxy-connection", "proxy-authenticate"];
    if hop_by_hop.contains(&lower.as_str()) {
        return Err(FieldError::new(
            field,
            format!("`{name}` is a hop-by-hop header; it cannot be sent on a webhook's behalf"),
        ));
    }
    if reserved.contains(&lower.as_str())
        || lower.starts_with("webhook-")
        || wire.reserves(&lower)
        || lower.starts_with("x-hub-signature")
    {
        return Err(FieldError::new(
            field,
            format!("`{name}` is set on every request already and cannot be overridden"),
        ));
    }
    Ok(())
}

pub fn header_value(field: &str, value: &str) -> Result<(), FieldError> {
    if value.bytes().any(|b| b == b'\r' || b == b'\n') {
        return Err(FieldError::new(field, "header values may not contain line breaks"));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(FieldError::new(field, "header values may not contain control characters"));
    }
    if value.len() > 4096 {
        return Err(FieldError::new(field, "header values may be at most 4096 bytes"));
    }
    Ok(())
}

/// How deep a payload may nest by default (arrays and objects inside each other).
pub const DEFAULT_MAX_JSON_DEPTH: usize = 64;

/// Checks JSON text that is kept as written (a payload): that it nests at most `max_depth`
/// deep, and that its `\u` escapes never leave half of a surrogate pair, which no receiver
/// could decode. The text must already be valid JSON.
pub fn json_text(field: &str, json: &str, max_depth: usize) -> Result<(), FieldError> {
    let b = json.as_bytes();
    let (mut depth, mut i, mut in_string) = (0usize, 0usize, false);
    let lone = || FieldError::new(field, "contains a lone surrogate escape (\\ud800 to \\udfff without its pair)");
    while i < b.len() {
        match (in_string, b[i]) {
            (false, b'"') | (true, b'"') => in_string = !in_string,
            (false, b'[' | b'{') => {
                depth += 1;
                if depth > max_depth {
                    return Err(FieldError::new(field, format!("nests deeper than {max_depth} levels")));
                }
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            (true, b'\\') if b.get(i + 1) == Some(&b'u') => {
                let unit = hex4(b, i + 2);
                match unit {
                    Some(0xD800..=0xDBFF) => {
                        let next = (b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u'))
                            .then(|| hex4(b, i + 8))
                            .flatten();
                        if !matches!(next, Some(0xDC00..=0xDFFF)) {
                            return Err(lone());
                        }
                        i += 11;
                    }
                    Some(0xDC00..=0xDFFF) => return Err(lone()),
                    _ => i += 5,
                }
            }
            (true, b'\\') => i += 1,
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn hex4(b: &[u8], at: usize) -> Option<u16> {
    let digits = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
    u16::from_str_radix(digits, 16).ok()
}

/// When an event may say it happened: from five years back to a day ahead (clocks drift).
/// Outside that it is a mistake, and past year 9999 it cannot even be written in RFC 3339.
pub fn occurred_at(
    field: &str,
    at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), FieldError> {
    let earliest = now - chrono::TimeDelta::days(5 * 365);
    let latest = now + chrono::TimeDelta::days(1);
    if at < earliest || at > latest {
        return Err(FieldError::new(field, "must be within the last five years, and at most a day ahead"));
    }
    Ok(())
}

/// The most headers a webhook may add to its requests (its own and its credentials'), and
/// their most bytes together: receivers refuse requests whose headers pass 8 to 16 KB.
pub const MAX_CUSTOM_HEADERS: usize = 32;
pub const MAX_CUSTOM_HEADER_BYTES: usize = 8 * 1024;

/// A set of headers to add: each valid, and within [`MAX_CUSTOM_HEADERS`] and
/// [`MAX_CUSTOM_HEADER_BYTES`].
pub fn custom_headers<'a>(
    field: &str,
    headers: impl ExactSizeIterator<Item = (&'a String, &'a String)>,
    wire: &Wire,
) -> Result<(), FieldError> {
    if headers.len() > MAX_CUSTOM_HEADERS {
        return Err(FieldError::new(field, format!("at most {MAX_CUSTOM_HEADERS} headers")));
    }
    let mut bytes = 0;
    for (k, v) in headers {
        header_name(&format!("{field}.{k}"), k, wire)?;
        header_value(&format!("{field}.{k}"), v)?;
        bytes += k.len() + v.len() + 4;
    }
    if bytes > MAX_CUSTOM_HEADER_BYTES {
        return Err(FieldError::new(
            field,
            format!(
                "the headers come to {bytes} bytes; at most {MAX_CUSTOM_HEADER_BYTES} (a receiver would refuse them)"
            ),
        ));
    }
    Ok(())
}

/// A webhook's options: timeouts, batch size, rate limit and custom headers within bounds.
pub fn webhook_options(o: &WebhookOptions, wire: &Wire) -> Result<(), FieldError> {
    if !(100..=60_000).contains(&o.timeout_ms) {
        return Err(FieldError::new("options.timeout_ms", "must be from 100 to 60000"));
    }
    if !(1..=100).contains(&o.max_events_per_request) {
        return Err(FieldError::new("options.max_events_per_request", "must be from 1 to 100"));
    }
    if o.batch_window_ms > 10_000 {
        return Err(FieldError::new("options.batch_window_ms", "must be from 0 to 10000"));
    }
    if o.rate_limit_per_s.is_some_and(|r| !(1..=100_000).contains(&r)) {
        return Err(FieldError::new("options.rate_limit_per_s", "must be from 1 to 100000, or null for no limit"));
    }
    if !(1..=1_000).contains(&o.max_in_flight) {
        return Err(FieldError::new("options.max_in_flight", "must be from 1 to 1000"));
    }
    custom_headers("options.headers", o.headers.iter(), wire)
}

/// One outbound authentication method: every field its type needs, and no masked secret
/// sent back as if it were one.
pub fn auth_method(field: &str, m: &AuthMethod, allow_insecure: bool, wire: &Wire) -> Result<(), FieldError> {
    let need = |name: &str, v: &str| -> Result<(), FieldError> {
        if v.trim().is_empty() {
            return Err(FieldError::new(format!("{field}.{name}"), "is required"));
        }
        if v.starts_with("****") {
            return Err(FieldError::new(format!("{field}.{name}"), "send the secret itself, not its masked form"));
        }
        Ok(())
    };
    match m {
        AuthMethod::None {} => {}
        AuthMethod::Headers { headers } => {
            if headers.is_empty() {
                return Err(FieldError::new(format!("{field}.headers"), "give at least one header"));
            }
            custom_headers(&format!("{field}.headers"), headers.iter(), wire)?;
            for (k, v) in headers {
                need(&format!("headers.{k}"), v)?;
            }
        }
        AuthMethod::Basic { username, password } => {
            need("username", username)?;
            need("password", password)?;
        }
        AuthMethod::Token { key, value } => {
            if let Some(k) = key {
                header_name(&format!("{field}.key"), k, wire)?;
            }
            need("value", value)?;
            header_value(&format!("{field}.value"), value)?;
        }
        AuthMethod::HmacSha256 { client_id, client_secret } => {
            need("client_id", client_id)?;
            need("client_secret", client_secret)?;
        }
        AuthMethod::Aws4 { access_key, secret_key, region, service, endpoint } => {
            need("access_key", access_key)?;
            need("secret_key", secret_key)?;
            need("region", region)?;
            need("service", service)?;
            if let Some(e) = endpoint {
                webhook_url(&format!("{field}.endpoint"), e, allow_insecure)?;
            }
        }
        AuthMethod::Oauth2 { token_url, client_id, client_secret, .. } => {
            webhook_url(&format!("{field}.token_url"), token_url, allow_insecure)?;
            need("client_id", client_id)?;
            need("client_secret", client_secret)?;
        }
        AuthMethod::Mtls { cert_pem, key_pem } => {
            if !cert_pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(FieldError::new(format!("{field}.cert_pem"), "must be a PEM certificate"));
            }
            if !key_pem.contains("PRIVATE KEY-----") {
                return Err(FieldError::new(format!("{field}.key_pem"), "must be a PEM private key"));
            }
        }
    }
    Ok(())
}

/// A webhook's whole authentication: the default method and every per-org override.
pub fn webhook_auth(auth: &WebhookAuth, allow_insecure: bool, wire: &Wire) -> Result<(), FieldError> {
    auth_method("auth", &auth.method, allow_insecure, wire)?;
    for (org, m) in &auth.per_org {
        auth_method(&format!("auth.per_org.{org}"), m, allow_insecure, wire)?;
    }
    Ok(())
}

/// An email address as far as a person could have mistyped one.
pub fn email(field: &str, text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    let ok = t.len() <= 320
        && t.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.starts_with('.'));
    if ok { Ok(t.to_owned()) } else { Err(FieldError::new(field, format!("`{t}` is not an email address"))) }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn urls_need_https_unless_insecure_is_allowed() {
        assert!(webhook_url("url", "https://example.com/hook", false).is_ok());
        assert_eq!(webhook_url("url", "http://example.com", false).unwrap_err().detail, "the URL must use https");
        assert!(webhook_url("url", "http://127.0.0.1:9/x", true).is_ok());
        assert!(webhook_url("url", "ftp://example.com", true).is_err());
        assert!(webhook_url("url", "not a url", true).is_err());
        assert!(webhook_url("url", "https://u:p@example.com", false).is_err());
    }

    #[test]
    fn names_and_headers() {
        assert_eq!(name("name", "  CRM ", 10).unwrap(), "CRM");
        assert!(name("name", " ", 10).is_err());
        assert!(event_type_name("t", "user.created").is_ok());
        assert!(event_type_name("t", "user created").is_err());
        let wire = Wire::new("X-Acme", "a").unwrap();
        assert!(header_name("h", "X-Team", &wire).is_ok());
        assert!(header_name("h", "webhook-id", &wire).is_err());
        assert!(header_name("h", "X-Acme-Event", &wire).is_err());
        assert!(header_name("h", "X-Hookd-Event", &wire).is_err());
        for hop in ["Upgrade", "TE", "Keep-Alive", "Trailer", "Proxy-Connection"] {
            let refused = header_name("h", hop, &wire).unwrap_err();
            assert!(refused.detail.contains("hop-by-hop"), "{hop}: {}", refused.detail);
        }
        // Text-direction controls are refused in names; the direction marks stay.
        for bidi in ["\u{202E}gnp.exe", "a\u{2066}b\u{2069}", "\u{202B}x"] {
            assert!(name("name", bidi, 50).unwrap_err().detail.contains("text-direction"), "{bidi:?}");
        }
        assert!(name("name", "\u{200F}שלום", 50).is_ok());
        assert!(header_value("h", "a\r\nb").is_err());
        assert!(header_value("h", "a\u{7f}").is_err());
        assert!(name("name", "a\0b", 10).is_err());
        assert!(text("d", "two\nlines", 100).is_ok());
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(names("groups", &list(&[" ops", "ops", "dev"]), 10).unwrap(), list(&["ops", "dev"]));
        assert_eq!(names("groups", &list(&["ok", "a\u{0}"]), 10).unwrap_err().field, "groups[1]");
        assert!(text("d", "nul\0", 100).is_err());
        let many: BTreeMap<String, String> = (0..33).map(|i| (format!("x-{i}"), "v".into())).collect();
        assert!(custom_headers("h", many.iter(), &wire).is_err());
        let big: BTreeMap<String, String> = (0..3).map(|i| (format!("x-{i}"), "v".repeat(4000))).collect();
        assert_eq!(custom_headers("h", big.iter(), &wire).unwrap_err().field, "h");
    }

    #[test]
    fn urls_are_refused_not_cleaned() {
        for bad in ["https://x/crlf\r\nX-Evil: 1", "https://x/a b", "https://x/\t", " https://x/"] {
            assert!(webhook_url("url", bad, true).is_err(), "{bad:?}");
        }
        assert!(http_url("resource_url", "javascript:alert(1)").is_err());
        assert!(http_url("resource_url", "https://x/users/1").is_ok());
    }

    #[test]
    fn json_depth_and_surrogates() {
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert_eq!(json_text("payload", &deep, 64).unwrap_err().detail, "nests deeper than 64 levels");
        let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(json_text("payload", &ok, 64).is_ok());
        assert!(json_text("payload", r#"{"a":"[[[[[[["}"#, 2).is_ok(), "brackets in strings do not nest");
        assert!(json_text("payload", r#"{"a":"\ud800"}"#, 64).is_err());
        assert!(json_text("payload", r#"{"a":"\udc00x"}"#, 64).is_err());
        assert!(json_text("payload", r#"{"a":"\ud800\u0041"}"#, 64).is_err());
        assert!(json_text("payload", r#"{"a":"\ud83d\ude00 \\ud800 \"q\" \u00e9"}"#, 64).is_ok());
    }

    #[test]
    fn occurred_at_window() {
        let now = chrono::Utc::now();
        assert!(occurred_at("t", now - chrono::TimeDelta::days(300), now).is_ok());
        assert!(occurred_at("t", now + chrono::TimeDelta::days(2), now).is_err());
        assert!(occurred_at("t", now - chrono::TimeDelta::days(6 * 365), now).is_err());
    }
}
