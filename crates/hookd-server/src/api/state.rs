//! What every API handler gets, and the shape of a list answer.

use hookd_core::listing::Page;
use hookd_service::Ops;
use serde::Serialize;

/// What the API's handlers get: the service layer.
#[derive(Clone)]
pub struct ApiState {
    pub ops: Ops,
}

/// A list answer: one page and the cursor of the next, if any.
#[derive(Debug, Serialize)]
pub struct List<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> List<T> {
    pub fn from_page<U>(page: Page<U>, f: impl FnMut(U) -> T) -> Self {
        Self { data: page.data.into_iter().map(f).collect(), next_cursor: page.next_cursor }
    }
}
