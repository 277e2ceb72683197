//! Checks of what clients send, each failure naming the field it is about.

use url::Url;

use crate::model::{AuthMethod, WebhookAuth, WebhookOptions};

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
    let url = Url::parse(text).map_err(|e| FieldError::new(field, format!("`{text}` is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure => {}
        "http" => return Err(FieldError::new(field, "the URL must use https")),
        other => return Err(FieldError::new(field, format!("scheme `{other}` is not supported; use https"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FieldError::new(field, "the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(field, "put credentials in `auth`, not in the URL"));
    }
    if text.len() > 2048 {
        return Err(FieldError::new(field, "the URL is longer than 2048 characters"));
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
    Ok(t.to_owned())
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
pub fn header_name(field: &str, name: &str) -> Result<(), FieldError> {
    let token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !token {
        return Err(FieldError::new(field, format!("`{name}` is not a valid header name")));
    }
    let lower = name.to_ascii_lowercase();
    let reserved = ["host", "content-length", "content-type", "transfer-encoding", "connection"];
    if reserved.contains(&lower.as_str())
        || lower.starts_with("webhook-")
        || lower.starts_with("x-hookd-")
        || lower.starts_with("x-hub-signature")
    {
        return Err(FieldError::new(field, format!("`{name}` is set by hookd and cannot be overridden")));
    }
    Ok(())
}

pub fn header_value(field: &str, value: &str) -> Result<(), FieldError> {
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(FieldError::new(field, "header values may not contain line breaks"));
    }
    Ok(())
}

/// A webhook's options: timeouts, batch size, rate limit and custom headers within bounds.
pub fn webhook_options(o: &WebhookOptions) -> Result<(), FieldError> {
    if !(100..=60_000).contains(&o.timeout_ms) {
        return Err(FieldError::new("options.timeout_ms", "must be from 100 to 60000"));
    }
    if !(1..=100).contains(&o.max_events_per_request) {
        return Err(FieldError::new("options.max_events_per_request", "must be from 1 to 100"));
    }
    if o.rate_limit_per_s == Some(0) {
        return Err(FieldError::new("options.rate_limit_per_s", "must be at least 1, or null for no limit"));
    }
    for (k, v) in &o.headers {
        header_name(&format!("options.headers.{k}"), k)?;
        header_value(&format!("options.headers.{k}"), v)?;
    }
    Ok(())
}

/// One outbound authentication method: every field its type needs, and no masked secret
/// sent back as if it were one.
pub fn auth_method(field: &str, m: &AuthMethod, allow_insecure: bool) -> Result<(), FieldError> {
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
        AuthMethod::None => {}
        AuthMethod::Headers { headers } => {
            if headers.is_empty() {
                return Err(FieldError::new(format!("{field}.headers"), "give at least one header"));
            }
            for (k, v) in headers {
                header_name(&format!("{field}.headers.{k}"), k)?;
                header_value(&format!("{field}.headers.{k}"), v)?;
                need(&format!("headers.{k}"), v)?;
            }
        }
        AuthMethod::Basic { username, password } => {
            need("username", username)?;
            need("password", password)?;
        }
        AuthMethod::Token { key, value } => {
            if let Some(k) = key {
                header_name(&format!("{field}.key"), k)?;
            }
            need("value", value)?;
            header_value(&format!("{field}.value"), value)?;
        }
        AuthMethod::HmacSha256 { client_id, client_secret } => {
            need("client_id", client_id)?;
            need("client_secret", client_secret)?;
        }
        AuthMethod::Aws4 { access_key, secret_key, region, service } => {
            need("access_key", access_key)?;
            need("secret_key", secret_key)?;
            need("region", region)?;
            need("service", service)?;
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
pub fn webhook_auth(auth: &WebhookAuth, allow_insecure: bool) -> Result<(), FieldError> {
    auth_method("auth", &auth.method, allow_insecure)?;
    for (org, m) in &auth.per_org {
        auth_method(&format!("auth.per_org.{org}"), m, allow_insecure)?;
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
        assert!(header_name("h", "X-Team").is_ok());
        assert!(header_name("h", "webhook-id").is_err());
        assert!(header_value("h", "a\r\nb").is_err());
    }
}
