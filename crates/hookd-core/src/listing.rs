//! Listings: keyset pages, their sort keys and filters. A page ends with a cursor holding the
//! last row's sort value and ID, and the next page starts strictly after it. No OFFSET, so
//! page 1000 costs what page 1 does. Pure data: the store reads these, the doors build them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;

use crate::{DeliveryId, WebhookId};

type Timestamp = chrono::DateTime<chrono::Utc>;

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

/// The longest search text a listing takes: longer text would match nothing a person looks
/// for, and SQLite refuses `LIKE` patterns past its own limit.
pub const MAX_SEARCH_CHARS: usize = 200;

/// A listing's search text as given: `None` when empty, an error naming `field` when longer
/// than [`MAX_SEARCH_CHARS`].
pub fn search(field: &str, q: Option<&str>) -> Result<Option<String>, crate::validation::FieldError> {
    match q.map(str::trim).filter(|q| !q.is_empty()) {
        None => Ok(None),
        Some(q) if q.chars().count() > MAX_SEARCH_CHARS => Err(crate::validation::FieldError::new(
            field,
            format!("search text may be at most {MAX_SEARCH_CHARS} characters"),
        )),
        Some(q) => Ok(Some(q.to_owned())),
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

/// Filters of the history listing.
#[derive(Debug, Clone, Default)]
pub struct AttemptFilter {
    pub webhook_id: Option<WebhookId>,
    /// `Some(true)`: 2xx only; `Some(false)`: failures only.
    pub succeeded: Option<bool>,
    /// The attempts of one delivery (pair it with `webhook_id` and `since`, so the page reads
    /// the webhook's attempts from the delivery's creation on, not all of them).
    pub delivery_id: Option<DeliveryId>,
    /// Sent at or after this time.
    pub since: Option<Timestamp>,
    /// Sent before this time.
    pub until: Option<Timestamp>,
    /// Attempts that carried an event of this type.
    pub event_type: Option<String>,
    pub result: Option<ResultFilter>,
}

/// Which results a history listing keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFilter {
    /// Answered with a status of this class: `2` is `2xx` (a 2xx with an error is no success).
    Class(u16),
    /// Answered with exactly this status.
    Status(u16),
    /// No answer, for this reason.
    Error(crate::model::AttemptErrorKind),
}

impl ResultFilter {
    pub const NAMES: &'static str = "`2xx`, `3xx`, `4xx`, `5xx`, a status code such as `404`, or an error kind \
        (`timeout`, `refused`, `dns`, `tls`, `ssrf`, `connection`, `invalid_url`, `auth`)";

    pub fn parse(s: &str) -> Option<Self> {
        match s.as_bytes() {
            [c @ b'1'..=b'5', b'x', b'x'] => Some(Self::Class(u16::from(c - b'0'))),
            _ => match s.parse::<u16>() {
                Ok(code) if (100..=599).contains(&code) => Some(Self::Status(code)),
                Ok(_) => None,
                Err(_) => crate::model::AttemptErrorKind::parse(s).map(Self::Error),
            },
        }
    }

    /// As [`ResultFilter::parse`] reads it.
    pub fn as_string(self) -> String {
        match self {
            Self::Class(c) => format!("{c}xx"),
            Self::Status(code) => code.to_string(),
            Self::Error(kind) => kind.as_str().to_owned(),
        }
    }
}

/// Filters of the events listing.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub event_type: Option<String>,
    /// Published at or after this time.
    pub since: Option<Timestamp>,
    /// Published before this time.
    pub until: Option<Timestamp>,
}

/// Sort keys of the webhook list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WebhookSort {
    #[default]
    CreatedAt,
    Name,
    Url,
    Owner,
    Status,
    LastTriggeredAt,
}

impl WebhookSort {
    pub const NAMES: &'static [&'static str] = &["created_at", "name", "url", "owner", "status", "last_triggered_at"];
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "created_at" => Self::CreatedAt,
            "name" => Self::Name,
            "url" => Self::Url,
            "owner" => Self::Owner,
            "status" => Self::Status,
            "last_triggered_at" => Self::LastTriggeredAt,
            _ => return None,
        })
    }
}

/// Sort keys of the event-type catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EventTypeSort {
    #[default]
    Name,
    Group,
}

impl EventTypeSort {
    pub const NAMES: &'static [&'static str] = &["name", "group"];
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "name" => Self::Name,
            "group" => Self::Group,
            _ => return None,
        })
    }
}

/// Sort keys of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AttemptSort {
    #[default]
    SentAt,
    Url,
    Result,
}

impl AttemptSort {
    pub const NAMES: &'static [&'static str] = &["sent_at", "url", "result"];
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "sent_at" => Self::SentAt,
            "url" => Self::Url,
            "result" => Self::Result,
            _ => return None,
        })
    }
}

/// How much is waiting to be sent, for `/metrics`. The counts stop at [`Backlog::COUNTED_UP_TO`]
/// so that reading them costs the same with a backlog of millions.
#[derive(Debug, Clone, Default)]
pub struct Backlog {
    pub pending: u64,
    /// Pending and due now: not leased to a node, not waiting for a retry.
    pub due: u64,
    /// When the delivery that has waited longest became due.
    pub oldest_due_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Backlog {
    pub const COUNTED_UP_TO: u64 = 100_000;
}

#[cfg(test)]
mod result_filter_tests {
    use super::ResultFilter;

    #[test]
    fn results_are_read_back_as_written() {
        for s in ["2xx", "5xx", "404", "timeout", "tls"] {
            assert_eq!(ResultFilter::parse(s).map(ResultFilter::as_string).as_deref(), Some(s));
        }
        for s in ["6xx", "99", "700", "teapot", ""] {
            assert_eq!(ResultFilter::parse(s), None, "{s}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_trimmed_empty_is_none_and_long_is_refused() {
        assert_eq!(search("q", None).unwrap(), None);
        assert_eq!(search("q", Some("  ")).unwrap(), None);
        assert_eq!(search("q", Some(" crm ")).unwrap().as_deref(), Some("crm"));
        let long = "é".repeat(MAX_SEARCH_CHARS + 1);
        assert_eq!(search("q", Some(&long)).unwrap_err().field, "q");
        assert!(search("q", Some(&"é".repeat(MAX_SEARCH_CHARS))).is_ok());
    }
}
