-- The current failure streak of a webhook: when its first failed attempt since the last
-- success happened, and how many deliveries have failed for good since then.
ALTER TABLE webhooks ADD COLUMN failing_since INTEGER;
ALTER TABLE webhooks ADD COLUMN failed_deliveries INTEGER NOT NULL DEFAULT 0;
