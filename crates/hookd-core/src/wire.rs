//! How hookd names itself on the wire: the prefix of its own headers (`X-Hookd-Event`,
//! `X-Hookd-Delivery`) and its `User-Agent`, which an operator may brand as their own
//! (`HOOKD_HEADER_PREFIX=X-Acme` sends `X-Acme-Event`). Standard Webhooks' and the
//! `X-Hub-Signature` headers keep their names: receivers' libraries look for those.

/// The names hookd's requests carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wire {
    prefix: String,
    /// `x-hookd-`: what custom headers may not start with.
    reserved: String,
    event: String,
    delivery: String,
    user_agent: String,
}

impl Default for Wire {
    fn default() -> Self {
        Self::new("X-Hookd", concat!("hookd/", env!("CARGO_PKG_VERSION"))).unwrap_or_else(|_| unreachable!())
    }
}

impl Wire {
    /// `prefix`: letters, digits and `-`, not ending in `-` (`X-Acme`); `user_agent`:
    /// visible ASCII and spaces.
    pub fn new(prefix: &str, user_agent: &str) -> Result<Self, String> {
        let ok_prefix = !prefix.is_empty()
            && prefix.len() <= 40
            && !prefix.ends_with('-')
            && prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok_prefix {
            return Err(format!("`{prefix}` is not a header prefix: letters, digits and `-`, like X-Acme"));
        }
        if user_agent.is_empty()
            || user_agent.len() > 200
            || !user_agent.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        {
            return Err(format!("`{user_agent}` is not a user agent: visible ASCII, like Acme-Webhooks/1.0"));
        }
        let lower = prefix.to_ascii_lowercase();
        Ok(Self {
            prefix: prefix.to_owned(),
            reserved: format!("{lower}-"),
            event: format!("{lower}-event"),
            delivery: format!("{lower}-delivery"),
            user_agent: user_agent.to_owned(),
        })
    }

    /// As configured, for people to read (`X-Hookd`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The header with the event type (lower case, as sent).
    pub fn event_header(&self) -> &str {
        &self.event
    }

    pub fn delivery_header(&self) -> &str {
        &self.delivery
    }

    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Whether a header a webhook wants to add is hookd's own (`name` in lower case).
    pub fn reserves(&self, lower_name: &str) -> bool {
        lower_name.starts_with(&self.reserved) || lower_name.starts_with("x-hookd-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_prefix() {
        let w = Wire::new("X-Acme", "Acme/2").unwrap();
        assert_eq!(
            (w.event_header(), w.delivery_header(), w.user_agent()),
            ("x-acme-event", "x-acme-delivery", "Acme/2")
        );
        assert!(w.reserves("x-acme-anything") && w.reserves("x-hookd-event") && !w.reserves("x-acmex"));
        assert_eq!(Wire::default().event_header(), "x-hookd-event");
        for bad in ["", "X-Acme-", "X Acme", "X_Ac:me"] {
            assert!(Wire::new(bad, "a").is_err(), "{bad}");
        }
        assert!(Wire::new("X-Acme", "bad\nagent").is_err());
    }
}
