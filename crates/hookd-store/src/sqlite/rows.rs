//! [`DbRow`] for SQLite rows, and the mappers in the shape rusqlite's `query_row` takes.

use hookd_core::model::{AccessToken, Attempt, Delivery, Event, EventType, Member, Org, Webhook};

use crate::StoreError;
use crate::rows::{self as shared, DbRow};
pub(crate) use crate::rows::{
    ATTEMPT_DETAIL_COLS, ATTEMPT_SUMMARY_COLS, DELIVERY_COLS, EVENT_COLS, EVENT_TYPE_COLS, MEMBER_COLS, ORG_COLS,
    OWNER_COLS, TARGET_COLS, TOKEN_COLS, Target, WEBHOOK_COLS, ms, to_json, ts, visible_to_owner,
};

fn get<T: rusqlite::types::FromSql>(row: &rusqlite::Row, col: &str) -> Result<T, StoreError> {
    row.get(col).map_err(|e| StoreError::Other(format!("column {col}: {e}")))
}

impl DbRow for rusqlite::Row<'_> {
    fn text(&self, col: &str) -> Result<String, StoreError> {
        get(self, col)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        get(self, col)
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        get(self, col)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        get(self, col)
    }
    fn flag(&self, col: &str) -> Result<bool, StoreError> {
        get(self, col)
    }
    fn blob(&self, col: &str) -> Result<Vec<u8>, StoreError> {
        get(self, col)
    }
    fn opt_blob(&self, col: &str) -> Result<Option<Vec<u8>>, StoreError> {
        get(self, col)
    }
}

/// Carries a mapping failure through rusqlite's closures; `map_err` turns it back.
fn wrap(e: StoreError) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

pub(crate) fn org(r: &rusqlite::Row) -> rusqlite::Result<Org> {
    shared::org(r).map_err(wrap)
}
pub(crate) fn member(r: &rusqlite::Row) -> rusqlite::Result<Member> {
    shared::member(r).map_err(wrap)
}
pub(crate) fn owner(r: &rusqlite::Row) -> rusqlite::Result<Option<Member>> {
    shared::owner(r).map_err(wrap)
}
pub(crate) fn token(r: &rusqlite::Row) -> rusqlite::Result<AccessToken> {
    shared::token(r).map_err(wrap)
}
pub(crate) fn event_type(r: &rusqlite::Row) -> rusqlite::Result<EventType> {
    shared::event_type(r).map_err(wrap)
}
pub(crate) fn webhook(r: &rusqlite::Row) -> rusqlite::Result<Webhook> {
    shared::webhook(r).map_err(wrap)
}
pub(crate) fn target(r: &rusqlite::Row) -> rusqlite::Result<Target> {
    shared::target(r).map_err(wrap)
}
pub(crate) fn event(r: &rusqlite::Row) -> rusqlite::Result<Event> {
    shared::event(r).map_err(wrap)
}
pub(crate) fn delivery(r: &rusqlite::Row) -> rusqlite::Result<Delivery> {
    shared::delivery(r).map_err(wrap)
}
pub(crate) fn attempt(r: &rusqlite::Row, detail: bool) -> rusqlite::Result<Attempt> {
    shared::attempt(r, detail).map_err(wrap)
}
