-- An org's events, newest first (the events page and API): a walk of this index, not of every
-- org's events.
CREATE INDEX events_org ON events (org_id, id);
