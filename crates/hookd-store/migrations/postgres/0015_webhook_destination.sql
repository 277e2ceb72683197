-- Where a webhook's deliveries go (hookd_core::model::DestinationKind): 'http' posts to its
-- url; 'poll' keeps them until a consumer pulls them, so the claim never sees them.
ALTER TABLE webhooks ADD COLUMN destination_type TEXT NOT NULL DEFAULT 'http';
-- The destination's settings as sealed JSON (they hold credentials): NULL for http and poll.
ALTER TABLE webhooks ADD COLUMN destination BYTEA;
