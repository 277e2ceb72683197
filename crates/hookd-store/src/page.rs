//! Keyset pagination: a page ends with a cursor holding the last row's sort value and ID,
//! and the next page starts strictly after it. No OFFSET, so page 1000 costs what page 1 does.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Asc,
    Desc,
}

/// Where the previous page stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        B64.encode(format!("{}\u{1f}{}", self.key, self.id))
    }

    pub fn decode(text: &str) -> Option<Self> {
        let raw = String::from_utf8(B64.decode(text).ok()?).ok()?;
        let (key, id) = raw.split_once('\u{1f}')?;
        Some(Self { key: key.to_owned(), id: id.to_owned() })
    }
}

#[derive(Debug, Clone)]
pub struct PageRequest<S> {
    pub limit: usize,
    pub cursor: Option<Cursor>,
    pub sort: S,
    pub order: Order,
    /// Case-insensitive substring search over the listing's text columns.
    pub q: Option<String>,
}

impl<S: Default> Default for PageRequest<S> {
    fn default() -> Self {
        Self { limit: 50, cursor: None, sort: S::default(), order: Order::Asc, q: None }
    }
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Cuts the `limit + 1` rows a listing fetched to `limit`, and makes the next cursor from the
/// last row kept when there was more.
pub(crate) fn page<T>(mut rows: Vec<T>, limit: usize, key: impl Fn(&T) -> (String, String)) -> Page<T> {
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| {
            let (key, id) = key(r);
            Cursor { key, id }.encode()
        })
    } else {
        None
    };
    Page { data: rows, next_cursor }
}

/// A `LIKE` pattern matching `q` anywhere, with its wildcards taken literally.
pub(crate) fn like(q: &str) -> String {
    let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}
