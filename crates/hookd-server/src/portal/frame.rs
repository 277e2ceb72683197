//! What every framed page shows: branding, the organization, the signed-in member, the
//! navigation, the CSRF token for its forms, and the toast of the action that led here.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::error::PortalResult;
use super::state::PortalState;
use hookd_service::sessions::Portal;
use hookd_service::{Access, OpsError};

pub struct Frame {
    pub product: String,
    pub logo: Option<String>,
    pub asset_version: String,
    pub title: String,
    pub org_name: String,
    pub member_name: String,
    pub role: &'static str,
    pub csrf: String,
    pub nav: &'static str,
    pub can_write: bool,
    pub is_admin: bool,
    pub toast: Option<&'static str>,
}

/// The message of a `?done=` code that an action's redirect carries: only these, so a link
/// cannot make the portal say anything else.
pub fn toast(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "created" => "Webhook created successfully",
        "saved" => "Webhook modified successfully",
        "deleted" => "Webhook(s) deleted successfully",
        "status" => "Status changed",
        "tested" => "Test event sent",
        "rotated" => "Signing secret rotated",
        "recovered" => "Failed deliveries will be sent again",
        "resent" => "Delivery re-sent",
        "token-renamed" => "Token renamed",
        "token-revoked" => "Token revoked",
        "member-added" => "Member added",
        "member-saved" => "Member saved",
        "member-removed" => "Member removed",
        _ => return None,
    })
}

impl Frame {
    pub async fn new(
        s: &PortalState,
        p: &Portal,
        nav: &'static str,
        title: impl Into<String>,
        done: Option<&str>,
    ) -> PortalResult<Self> {
        let org = s.ops.get_org(&p.actor, &p.member.org_id).await?;
        let c = &s.portal.config;
        Ok(Self {
            product: c.product_name.clone(),
            logo: c.logo_url.clone(),
            asset_version: s.portal.asset_version.clone(),
            title: title.into(),
            org_name: org.name,
            member_name: p.member.name.clone(),
            role: p.member.role.as_str(),
            csrf: super::auth::masked_csrf(&p.session.csrf),
            nav,
            can_write: p.actor.may(&p.member.org_id, Access::Write),
            is_admin: p.actor.may(&p.member.org_id, Access::Admin),
            toast: toast(done),
        })
    }
}

/// A time as every page shows it (UTC, to the minute).
pub fn when(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// A time where a list has little room: "Dec 3, 16:05" (UTC, as every time in the portal).
pub fn short_when(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%b %-d, %H:%M").to_string()
}

/// A duration as people read it: "0.4 ms", "12 ms", "1.25 s".
pub fn millis(ms: f64) -> String {
    match ms {
        ms if ms < 10.0 => format!("{ms:.1}\u{a0}ms"),
        ms if ms < 1000.0 => format!("{ms:.0}\u{a0}ms"),
        ms => format!("{:.2}\u{a0}s", ms / 1000.0),
    }
}

/// A rendered page.
pub fn html<T: Template>(t: &T) -> PortalResult<Response> {
    let body = t.render().map_err(|e| OpsError::Internal(Box::new(e)))?;
    Ok(Html(body).into_response())
}

/// A sortable column heading: its link and what `aria-sort` says.
pub struct Heading {
    pub label: &'static str,
    pub href: String,
    pub aria_sort: Option<&'static str>,
}

/// A query value, encoded for a link.
pub fn enc(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A sorted, paged listing's links: each column heading sorts by it (again: the other way),
/// and the next page keeps the sort; both keep the listing's other parameters (`keep`, as
/// `&name=value` pairs, encoded).
pub struct Sorting<'a> {
    pub base: &'a str,
    pub sort: &'a str,
    pub order: hookd_core::listing::Order,
    /// The order a column sorts in when it is first clicked.
    pub first: hookd_core::listing::Order,
    pub keep: String,
}

fn order_name(o: hookd_core::listing::Order) -> &'static str {
    if o == hookd_core::listing::Order::Asc { "asc" } else { "desc" }
}

impl Sorting<'_> {
    pub fn headings(&self, columns: &[(&'static str, &str)]) -> Vec<Heading> {
        use hookd_core::listing::Order;
        columns
            .iter()
            .map(|(label, key)| {
                let active = *key == self.sort;
                let flipped = if self.order == Order::Asc { Order::Desc } else { Order::Asc };
                let next = if active { flipped } else { self.first };
                Heading {
                    label,
                    href: format!("{}?sort={key}&order={}{}", self.base, order_name(next), self.keep),
                    aria_sort: active.then_some(if self.order == Order::Asc { "ascending" } else { "descending" }),
                }
            })
            .collect()
    }

    pub fn next(&self, cursor: Option<String>) -> Option<String> {
        cursor.map(|c| {
            format!("{}?sort={}&order={}{}&cursor={c}", self.base, self.sort, order_name(self.order), self.keep)
        })
    }

    /// The page before the one that begins with the row whose cursor is `first`.
    pub fn prev(&self, first: Option<String>) -> Option<String> {
        first.map(|c| {
            format!("{}?sort={}&order={}{}&before={c}", self.base, self.sort, order_name(self.order), self.keep)
        })
    }
}

/// Reading a keyset listing backwards: the page before a row is the rows after it in the
/// opposite order, turned round.
pub fn flipped(o: hookd_core::listing::Order) -> hookd_core::listing::Order {
    use hookd_core::listing::Order;
    if o == Order::Asc { Order::Desc } else { Order::Asc }
}
