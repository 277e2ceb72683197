-- Which events reach a webhook, as its owner wrote it (hookd_core::filter): NULL for every
-- event. Read with the subscribers on every publish.
ALTER TABLE webhooks ADD COLUMN filter TEXT;
