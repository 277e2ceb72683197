//! A submitted form: `application/x-www-form-urlencoded` pairs, repeated names kept in order.

use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Redirect, Response};

use super::error::PortalError;
use super::state::PortalState;
use hookd_service::OpsError;

/// Forms are small: a webhook's form with its credentials is a few kilobytes.
const LIMIT: usize = 256 * 1024;

#[derive(Debug, Default, Clone)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(bytes: &[u8]) -> Self {
        Self(form_urlencoded::parse(bytes).into_owned().collect())
    }

    /// The first value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed, or "" when absent.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A checkbox: given (with any value) or not.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Names that start with `prefix`, without it, each once, in order.
    pub fn keys_under(&self, prefix: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, _) in &self.0 {
            if let Some(rest) = k.strip_prefix(prefix)
                && let Some(key) = rest.split(['.', ']']).next()
                && !out.iter().any(|o| o == key)
            {
                out.push(key.to_owned());
            }
        }
        out
    }
}

impl Form {
    /// Where an action sends the browser afterwards, with the toast of what it did: the page
    /// the form came from (its `back` field), when that is a portal page, or `fallback`.
    pub fn back(&self, fallback: &str, done: &str) -> Response {
        // A portal path of plain characters only: no other host, and nothing (a line break)
        // that could not go into the `Location` header.
        let safe = |b: &&str| {
            b.starts_with("/portal/")
                && !b.contains("//")
                && !b.contains('\\')
                && b.bytes().all(|c| c.is_ascii_graphic())
        };
        let to = self.get("back").filter(safe).unwrap_or(fallback);
        let sep = if to.contains('?') { '&' } else { '?' };
        Redirect::to(&format!("{to}{sep}done={done}")).into_response()
    }
}

impl FromRequest<PortalState> for Form {
    type Rejection = PortalError;

    async fn from_request(req: Request, _: &PortalState) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(req.into_body(), LIMIT).await.map_err(|_| OpsError::TooLarge(LIMIT))?;
        Ok(Self::parse(&bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(form: &str) -> String {
        let resp = Form::parse(form.as_bytes()).back("/portal/history", "resent");
        resp.headers()[axum::http::header::LOCATION].to_str().unwrap().to_owned()
    }

    #[test]
    fn back_goes_to_a_portal_path_or_to_the_fallback() {
        assert_eq!(location("back=%2Fportal%2Fwebhooks%2Fwh_1%3Fpage%3D2"), "/portal/webhooks/wh_1?page=2&done=resent");
        for bad in [
            "back=%2Fportal%2Fx%0D%0ASet-Cookie%3A%20a%3Db",
            "back=%2F%2Fevil.example%2Fportal%2F",
            "back=https%3A%2F%2Fevil.example",
            "back=%2Fportal%2F%5Cevil",
        ] {
            assert_eq!(location(bad), "/portal/history?done=resent", "{bad}");
        }
    }
}
