//! Keyset pagination helpers the backends share; the types are `hookd_core::listing`'s.

use hookd_core::listing::{Cursor, Page};

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
