-- Listings page through time-sorted IDs in byte order (ORDER BY id COLLATE "C"), which the
-- indexes that serve them must share: in a database whose collation is not C (say en_US)
-- an index in the default collation cannot give that order, and a first page would sort
-- every matching row. Primary keys keep the default collation on purpose: were they byte
-- order too, the planner could read the whole table newest-first through one and filter it,
-- instead of seeking to the org's or webhook's rows (seen: 128 ms against 0.1 ms for 1.2M).
DROP INDEX attempts_org;
CREATE INDEX attempts_org ON attempts (org_id, id COLLATE "C");
DROP INDEX attempts_webhook;
CREATE INDEX attempts_webhook ON attempts (org_id, webhook_id, id COLLATE "C");
DROP INDEX webhooks_org;
CREATE INDEX webhooks_org ON webhooks (org_id, id COLLATE "C");
DROP INDEX tokens_org;
CREATE INDEX tokens_org ON tokens (org_id, id COLLATE "C");
