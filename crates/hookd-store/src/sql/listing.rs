//! Keyset listings: a scope (always the org), an optional search, a sort and a cursor. The
//! cursor holds the last row's sort value and ID; text sorts byte-wise on both backends, so
//! a cursor means the same thing on each.

use super::{Dialect, Query, SqlValue};
use crate::page::like;
use crate::rows::ms;
use crate::{Order, PageRequest, Timestamp};

/// Rows made in a time range. IDs begin with their time of making, so the range is a range of
/// the ID column, compared byte-wise as the listing sorts: the index that ends in the ID seeks
/// to it instead of filtering rows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Made {
    /// The smallest ID of a millisecond (`AttemptId::floor`, `EventId::floor`).
    pub floor: fn(u64) -> String,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

pub(crate) struct Listing<'a> {
    pub from: &'a str,
    pub cols: &'a str,
    pub id_col: &'a str,
    pub sort_expr: &'a str,
    pub sort_is_int: bool,
    pub search: &'a [&'a str],
    /// Only rows made in this range, if any.
    pub made: Option<Made>,
}

impl Listing<'_> {
    /// The page's query. `scope` conditions use `{}` where their one value goes; `extra`
    /// conditions take none.
    pub(crate) fn query<S>(
        &self,
        d: Dialect,
        scope: Vec<(&str, SqlValue)>,
        extra: &[&str],
        req: &PageRequest<S>,
    ) -> Query {
        let mut q = Query::build();
        let mut conds: Vec<String> = scope.into_iter().map(|(c, v)| c.replace("{}", &q.bind(v))).collect();
        conds.extend(extra.iter().map(|s| s.to_string()));
        if let Some(m) = &self.made {
            let (id, c) = (self.id_col, d.bytewise());
            let floor = |t: &Timestamp| (m.floor)(ms(t).max(0) as u64);
            if let Some(t) = &m.since {
                conds.push(format!("{id}{c} >= {}", q.bind(floor(t))));
            }
            if let Some(t) = &m.until {
                conds.push(format!("{id}{c} < {}", q.bind(floor(t))));
            }
        }
        if let Some(text) = req.q.as_deref().filter(|t| !t.is_empty()) {
            let p = q.bind(like(text));
            let any = self.search.iter().map(|c| d.like(c, &p)).collect::<Vec<_>>().join(" OR ");
            conds.push(format!("({any})"));
        }
        let (cmp, dir) = match req.order {
            Order::Asc => (">", "ASC"),
            Order::Desc => ("<", "DESC"),
        };
        let (e, id, c) = (self.sort_expr, self.id_col, d.bytewise());
        let collate = if self.sort_is_int { "" } else { c };
        if let Some(cur) = &req.cursor {
            // Sorted by the ID itself, the cursor is one range bound the index can seek to.
            // Compared in the order the listing sorts by (byte order), or pages would skip
            // or repeat rows in a PostgreSQL database of another collation.
            if e == id {
                conds.push(format!("{id}{c} {cmp} {}", q.bind(cur.id.as_str())));
            } else {
                let key = if self.sort_is_int { q.bind(cur.key.parse::<i64>().unwrap_or(0)) } else { q.bind(&cur.key) };
                let after = q.bind(cur.id.as_str());
                conds.push(format!("({e}{collate} {cmp} {key} OR ({e} = {key} AND {id}{c} {cmp} {after}))"));
            }
        }
        let where_ = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
        // Sorted by the ID alone, the index that ends in it gives the order (a second, equal
        // term would make SQLite sort the rows again).
        let order = if e == id { format!("{id}{c} {dir}") } else { format!("{e}{collate} {dir}, {id}{c} {dir}") };
        q.sql = format!("SELECT {} FROM {} {where_} ORDER BY {order} LIMIT {}", self.cols, self.from, req.limit + 1);
        q
    }
}
