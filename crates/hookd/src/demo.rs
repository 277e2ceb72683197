//! `serve --demo`'s own receiver; what the demo makes is the service layer's
//! (`hookd_service::demo`).

/// The demo's own receiver, served beside the API: `ok` answers 200, `gone` 410 (so hookd
/// disables the webhook, with its reason), `flaky` fails every other request (so retries show).
pub fn receiver() -> axum::Router {
    use axum::extract::Path;
    use axum::http::StatusCode;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static FLAKY: AtomicUsize = AtomicUsize::new(0);
    async fn receive(Path(kind): Path<String>) -> (StatusCode, &'static str) {
        match kind.as_str() {
            "gone" => (StatusCode::GONE, "this endpoint was removed"),
            "flaky" if FLAKY.fetch_add(1, Ordering::Relaxed).is_multiple_of(2) => {
                (StatusCode::SERVICE_UNAVAILABLE, "busy, try again later")
            }
            _ => (StatusCode::OK, "ok"),
        }
    }
    axum::Router::new().route("/demo/receiver/{kind}", axum::routing::post(receive))
}
