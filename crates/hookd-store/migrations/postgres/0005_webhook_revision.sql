-- Every update of a webhook row adds one, so a copy of the row with the same revision is the
-- row itself: a node hands the deliveries of a publish to its dispatcher with the revision the
-- publish saw, and the dispatcher re-reads a webhook only when its copy is older.
ALTER TABLE webhooks ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
