//! [`DbRow`] for SQLite rows, and the mappers in the shape rusqlite's `query_row` takes.

use std::cell::Cell;

use hookd_core::model::{Delivery, Event, Member, Webhook};

use crate::StoreError;
use crate::rows::{self as shared, DbRow};
pub(crate) use crate::rows::{
    Chosen, DELIVERY_COLS, EVENT_COLS, OWNER_COLS, Target, WEBHOOK_COLS, audience_of, ms, to_json, ts,
};

/// A [`Target`]'s columns. The database reads `ordered` out of the options (a publish reads
/// every subscriber, and parsing each one's options here cost a fortieth of the writer's
/// work); options that are not JSON read as not ordered, as they would decode as defaults.
pub(crate) const TARGET_COLS: &str = "w.id, w.org_id, coalesce(iif(json_valid(w.options), w.options ->> '$.ordered', 0), 0) AS ordered, w.revision, \
     w.filter, w.destination_type = 'poll' AS pulled";

/// A SQLite row read by column name. The mappers ask for columns in the order their `*_COLS`
/// list names them, so the column after the last one read is tried first; rusqlite's own
/// lookup compares every name before the one asked for, which cost a fifth of a claim.
struct Named<'a, 'r> {
    row: &'a rusqlite::Row<'r>,
    next: Cell<usize>,
}

impl<'a, 'r> Named<'a, 'r> {
    fn new(row: &'a rusqlite::Row<'r>) -> Self {
        Self { row, next: Cell::new(0) }
    }

    fn get<T: rusqlite::types::FromSql>(&self, col: &str) -> Result<T, StoreError> {
        let fail = |e: rusqlite::Error| StoreError::Other(format!("column {col}: {e}").into());
        let stmt: &rusqlite::Statement = self.row.as_ref();
        let guess = self.next.get();
        let index = if stmt.column_name(guess).is_ok_and(|name| name == col) {
            guess
        } else {
            stmt.column_index(col).map_err(fail)?
        };
        self.next.set(index + 1);
        self.row.get(index).map_err(fail)
    }
}

impl DbRow for Named<'_, '_> {
    fn text(&self, col: &str) -> Result<String, StoreError> {
        self.get(col)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        self.get(col)
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        self.get(col)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        self.get(col)
    }
    fn flag(&self, col: &str) -> Result<bool, StoreError> {
        self.get(col)
    }
    fn blob(&self, col: &str) -> Result<Vec<u8>, StoreError> {
        self.get(col)
    }
    fn opt_blob(&self, col: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(col)
    }
}

/// Carries a mapping failure through rusqlite's closures; `map_err` turns it back.
fn wrap(e: StoreError) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// A shared mapper over a SQLite row.
pub(crate) fn mapped<T>(r: &rusqlite::Row, map: crate::sql::Map<T>) -> rusqlite::Result<T> {
    map(&Named::new(r)).map_err(wrap)
}

pub(crate) fn owner(r: &rusqlite::Row) -> rusqlite::Result<Option<Member>> {
    shared::owner(&Named::new(r)).map_err(wrap)
}
pub(crate) fn webhook(r: &rusqlite::Row) -> rusqlite::Result<Webhook> {
    shared::webhook(&Named::new(r)).map_err(wrap)
}
pub(crate) fn target(r: &rusqlite::Row) -> rusqlite::Result<Target> {
    shared::target(&Named::new(r)).map_err(wrap)
}
pub(crate) fn event(r: &rusqlite::Row) -> rusqlite::Result<Event> {
    shared::event(&Named::new(r)).map_err(wrap)
}
pub(crate) fn delivery(r: &rusqlite::Row) -> rusqlite::Result<Delivery> {
    shared::delivery(&Named::new(r)).map_err(wrap)
}
