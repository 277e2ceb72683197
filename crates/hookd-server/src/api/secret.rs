//! Answers that carry a secret shown once (a new token's value, a signing secret, a sign-in
//! link): no cache on the way may keep them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `answer` with `Cache-Control: no-store` (and `Pragma: no-cache` for HTTP/1.0 caches).
pub struct ShownOnce<T>(pub StatusCode, pub T);

impl<T: IntoResponse> IntoResponse for ShownOnce<T> {
    fn into_response(self) -> Response {
        let mut resp = (self.0, self.1).into_response();
        let h = resp.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        resp
    }
}
