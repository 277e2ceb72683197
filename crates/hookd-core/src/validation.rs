//! Checks of what clients send, each failure naming the field it is about.

use url::Url;

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
